"""SIOCSIFDSTADDR: set the peer of a point-to-point interface (ioctl reference, section 3.4).

Natively: root; the in_ifaddr is created *before* the IFF_POINTOPOINT
test, so a refusal (EINVAL) on an interface without an address still
leaves an empty one behind; the driver may refuse the peer (the old one
comes back); with the interface route installed, the host route moves
to the new peer.  SVR4 refuses a wrong interface type before anything.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, fails, getaddr, in_interfaces, kernel_routes, peer,  # noqa: F401
                      s, s4, setaddr, us, user_svr4_sc, uvs, vs)
from kern.headers import native as h

UP, HOST = h.RTF_UP, h.RTF_HOST


def test_SIOCSIFDSTADDR_sets_the_peer(kernel, sc, s):
    setaddr(sc, s, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2")
    assert getaddr(sc, s, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")


def test_SIOCSIFDSTADDR_moves_the_host_route_to_the_new_peer(kernel, sc, s):
    peer(sc)
    setaddr(sc, s, "SIOCSIFDSTADDR", b"sl0", "10.1.0.3")
    assert kernel_routes(kernel) == [("10.1.0.3", "10.1.0.1", UP | HOST, "sl0")]


def test_SIOCSIFDSTADDR_on_a_broadcast_interface_is_EINVAL(kernel, sc, s):
    fails(h.EINVAL, setaddr, sc, s, "SIOCSIFDSTADDR", b"le0", "10.0.0.2")


def test_SIOCSIFDSTADDR_refused_still_leaves_an_empty_address(kernel, sc, s):
    """Tahoe made the in_ifaddr first: le0 now answers 0.0.0.0, not EADDRNOTAVAIL."""
    fails(h.EINVAL, setaddr, sc, s, "SIOCSIFDSTADDR", b"le0", "10.0.0.2")
    assert getaddr(sc, s, "SIOCGIFADDR", b"le0") == (h.AF_INET, "0.0.0.0")
    assert in_interfaces(kernel) == 1


def test_SIOCSIFDSTADDR_peer_of_another_family_is_accepted(kernel, sc, s):
    """slioctl looks at the family of the local address, not of the peer."""
    setaddr(sc, s, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2", h.AF_UNSPEC)
    assert getaddr(sc, s, "SIOCGIFDSTADDR", b"sl0") == (h.AF_UNSPEC, "10.1.0.2")


def test_SIOCSIFDSTADDR_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setaddr, user_sc, us, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2")


def test_SIOCSIFDSTADDR_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setaddr, user_sc, us, "SIOCSIFDSTADDR", b"qe0", "10.1.0.2")


def test_SIOCSIFDSTADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFDSTADDR, BAD)


def test_SIOCSIFDSTADDR_svr4_sets_the_peer(kernel, sc, s, svr4_sc, vs):
    peer(svr4_sc)
    assert getaddr(sc, s, "SIOCGIFDSTADDR", b"sl0") == (h.AF_INET, "10.1.0.2")
    assert kernel_routes(kernel) == [("10.1.0.2", "10.1.0.1", UP | HOST, "sl0")]


def test_SIOCSIFDSTADDR_svr4_on_a_broadcast_interface_leaves_no_address(kernel, sc, s, svr4_sc, vs):
    """SVR4 refuses before acting: le0 still has no address."""
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFDSTADDR", b"le0", "10.0.0.2")
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFADDR", b"le0")


def test_SIOCSIFDSTADDR_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2")


def test_SIOCSIFDSTADDR_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFDSTADDR", b"qe0", "10.1.0.2")


def test_SIOCSIFDSTADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFDSTADDR", b"qe0", "10.1.0.2")


def test_SIOCSIFDSTADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFDSTADDR, BAD)
