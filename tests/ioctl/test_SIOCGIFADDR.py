"""SIOCGIFADDR: an interface's Internet address (ioctl reference, section 3.2).

Natively in_control copies the whole 16-byte ia_addr; an interface with
no address is EADDRNOTAVAIL.  Under SVR4 such an interface answers
AF_INET 0.0.0.0 and the get commands never fail for want of an address.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, ifaddr_of, peer, s, s4,  # noqa: F401
                      us, user_svr4_sc, uvs, vs, with_addr)
from kern.headers import native as h

ffi = h.ffi


def test_SIOCGIFADDR_returns_the_address(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_INET, "10.0.0.1")


def test_SIOCGIFADDR_returns_all_sixteen_bytes_as_set(kernel, sc, s):
    """ia_addr is copied whole: a port given with the address comes back."""
    r = with_addr(sc, b"lo0", "127.0.0.1")
    ffi.cast("struct sockaddr_in *", ifaddr_of(r)).sin_port = 7
    sc.ioctl(s, h.SIOCSIFADDR, r)
    r = with_addr(sc, b"lo0", "0.0.0.0")
    sc.ioctl(s, h.SIOCGIFADDR, r)
    assert ffi.cast("struct sockaddr_in *", ifaddr_of(r)).sin_port == 7


def test_SIOCGIFADDR_of_the_peer_link_is_the_local_address(kernel, sc, s):
    peer(sc)
    assert getaddr(sc, s, "SIOCGIFADDR", b"sl0") == (h.AF_INET, "10.1.0.1")


def test_SIOCGIFADDR_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFADDR")


def test_SIOCGIFADDR_needs_no_privilege(kernel, sc, user_sc, us):
    configure(sc, b"lo0", "127.0.0.1")
    assert getaddr(user_sc, us, "SIOCGIFADDR", b"lo0") == (h.AF_INET, "127.0.0.1")


def test_SIOCGIFADDR_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, getaddr, sc, s, "SIOCGIFADDR", b"qe0")


def test_SIOCGIFADDR_on_a_raw_socket_is_EOPNOTSUPP(kernel, sc):
    """Address commands go to the protocol; raw IP has no in_control."""
    configure(sc, b"lo0", "127.0.0.1")
    raw = sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    fails(h.EOPNOTSUPP, getaddr, sc, raw, "SIOCGIFADDR", b"lo0")


def test_SIOCGIFADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFADDR, BAD)


def test_SIOCGIFADDR_svr4_returns_the_address(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1")
    assert getaddr(svr4_sc, vs, "SIOCGIFADDR") == (h.AF_INET, "10.0.0.1")


def test_SIOCGIFADDR_svr4_without_address_is_zero_AF_INET(kernel, svr4_sc, vs):
    """SVR4 never says EADDRNOTAVAIL: the address is AF_INET 0.0.0.0."""
    assert getaddr(svr4_sc, vs, "SIOCGIFADDR") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFADDR_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getaddr(user_svr4_sc, uvs, "SIOCGIFADDR", b"lo0") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFADDR", b"qe0")


def test_SIOCGIFADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFADDR, BAD)
