"""SIOCGIFBRDADDR: the broadcast address of a broadcast interface (ioctl reference, 3.2).

Native number 18, SVR4 number 23.  Natively: no address is
EADDRNOTAVAIL (first), an interface without IFF_BROADCAST is EINVAL;
ia_broadaddr comes back in ifr_broadaddr (the same bytes as ifr_addr).
Under SVR4 no EADDRNOTAVAIL, and the family is always AF_INET.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, peer, s, s4, setaddr, us,  # noqa: F401
                      user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCGIFBRDADDR_is_the_subnet_broadcast(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCGIFBRDADDR_with_the_class_mask(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.255.255.255")


def test_SIOCGIFBRDADDR_of_a_point_to_point_interface_is_EINVAL(kernel, sc, s):
    peer(sc)
    fails(h.EINVAL, getaddr, sc, s, "SIOCGIFBRDADDR", b"sl0")


def test_SIOCGIFBRDADDR_of_the_loopback_is_EINVAL(kernel, sc, s):
    configure(sc, b"lo0", "127.0.0.1")
    fails(h.EINVAL, getaddr, sc, s, "SIOCGIFBRDADDR", b"lo0")


def test_SIOCGIFBRDADDR_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFBRDADDR", b"le0")


def test_SIOCGIFBRDADDR_needs_no_privilege(kernel, sc, user_sc, us):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(user_sc, us, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCGIFBRDADDR_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, getaddr, sc, s, "SIOCGIFBRDADDR", b"qe0")


def test_SIOCGIFBRDADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFBRDADDR, BAD)


def test_SIOCGIFBRDADDR_native_number_is_18_svr4_number_23(kernel):
    assert h.SIOCGIFBRDADDR & 0xFF == 18 and s4.SIOCGIFBRDADDR & 0xFF == 23


def test_SIOCGIFBRDADDR_svr4_is_the_subnet_broadcast(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(svr4_sc, vs, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCGIFBRDADDR_svr4_without_address_is_zero_AF_INET(kernel, svr4_sc, vs):
    assert getaddr(svr4_sc, vs, "SIOCGIFBRDADDR") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFBRDADDR_svr4_forces_the_family_to_AF_INET(kernel, sc, s, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.0", h.AF_UNSPEC)
    assert getaddr(svr4_sc, vs, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.0")


def test_SIOCGIFBRDADDR_svr4_of_a_point_to_point_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFBRDADDR", b"sl0")


def test_SIOCGIFBRDADDR_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getaddr(user_svr4_sc, uvs, "SIOCGIFBRDADDR") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFBRDADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFBRDADDR", b"qe0")


def test_SIOCGIFBRDADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFBRDADDR, BAD)
