"""SIOCGIFDSTADDR: the peer of a point-to-point interface (ioctl reference, section 3.2).

Natively: no address is EADDRNOTAVAIL (checked first), an interface that
is not IFF_POINTOPOINT is EINVAL.  Under SVR4 the type check stands, the
missing address does not (AF_INET 0.0.0.0), and the family of the answer
is always AF_INET.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, peer, s, s4, setaddr, us,  # noqa: F401
                      user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCGIFDSTADDR_returns_the_peer(kernel, sc, s):
    peer(sc)
    assert getaddr(sc, s, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")


def test_SIOCGIFDSTADDR_of_a_broadcast_interface_is_EINVAL(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1")
    fails(h.EINVAL, getaddr, sc, s, "SIOCGIFDSTADDR", b"le0")


def test_SIOCGIFDSTADDR_without_address_is_EADDRNOTAVAIL_before_EINVAL(kernel, sc, s):
    """The missing address is noticed before the interface type."""
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFDSTADDR", b"le0")


def test_SIOCGIFDSTADDR_point_to_point_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFDSTADDR", b"sl0")


def test_SIOCGIFDSTADDR_needs_no_privilege(kernel, sc, user_sc, us):
    peer(sc)
    assert getaddr(user_sc, us, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")


def test_SIOCGIFDSTADDR_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, getaddr, sc, s, "SIOCGIFDSTADDR", b"qe0")


def test_SIOCGIFDSTADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFDSTADDR, BAD)


def test_SIOCGIFDSTADDR_svr4_returns_the_peer(kernel, sc, svr4_sc, vs):
    peer(sc)
    assert getaddr(svr4_sc, vs, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")


def test_SIOCGIFDSTADDR_svr4_without_address_is_zero_AF_INET(kernel, svr4_sc, vs):
    assert getaddr(svr4_sc, vs, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFDSTADDR_svr4_forces_the_family_to_AF_INET(kernel, sc, s, svr4_sc, vs):
    """A peer stored with another family still answers AF_INET under SVR4."""
    setaddr(sc, s, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2", h.AF_UNSPEC)
    assert getaddr(sc, s, "SIOCGIFDSTADDR", b"sl0") == (h.AF_UNSPEC, "10.1.0.2")
    assert getaddr(svr4_sc, vs, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")


def test_SIOCGIFDSTADDR_svr4_of_a_broadcast_interface_is_EINVAL(kernel, svr4_sc, vs):
    """Without an address too: SVR4 checks only the interface type."""
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFDSTADDR", b"le0")


def test_SIOCGIFDSTADDR_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getaddr(user_svr4_sc, uvs, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFDSTADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFDSTADDR", b"qe0")


def test_SIOCGIFDSTADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFDSTADDR, BAD)
