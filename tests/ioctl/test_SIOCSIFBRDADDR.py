"""SIOCSIFBRDADDR: set the broadcast address (ioctl reference, section 3.4).

Native number 19, SVR4 number 24.  Natively: root first (EPERM), then
an existing address (EADDRNOTAVAIL), then IFF_BROADCAST (EINVAL); only
ia_broadaddr is stored (Tahoe no longer recomputes ia_netbroadcast) and
the next SIOCSIFADDR overwrites it.  Under SVR4 the interface always has
an address record, so an address-less broadcast interface takes it.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, in_ifaddr, peer, s, s4,  # noqa: F401
                      setaddr, us, user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCSIFBRDADDR_stores_the_broadcast_address(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.0")


def test_SIOCSIFBRDADDR_leaves_the_net_broadcast_alone(kernel, sc, s):
    """Tahoe stopped recomputing ia_netbroadcast here (4.3BSD 7.1 did)."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.0")
    assert in_ifaddr(kernel, "le0").ia_netbroadcast.s_addr == 0xFFFFFF0A    # 10.255.255.255


def test_SIOCSIFBRDADDR_is_undone_by_the_next_SIOCSIFADDR(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.0")
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCSIFBRDADDR_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, setaddr, sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.255")


def test_SIOCSIFBRDADDR_on_a_point_to_point_interface_is_EINVAL(kernel, sc, s):
    peer(sc)
    fails(h.EINVAL, setaddr, sc, s, "SIOCSIFBRDADDR", b"sl0", "10.1.0.255")


def test_SIOCSIFBRDADDR_not_root_is_EPERM_before_EADDRNOTAVAIL(kernel, user_sc, us):
    fails(h.EPERM, setaddr, user_sc, us, "SIOCSIFBRDADDR", b"le0", "10.0.0.255")


def test_SIOCSIFBRDADDR_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setaddr, user_sc, us, "SIOCSIFBRDADDR", b"qe0", "10.0.0.255")


def test_SIOCSIFBRDADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFBRDADDR, BAD)


def test_SIOCSIFBRDADDR_svr4_stores_the_broadcast_address(kernel, sc, s, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(svr4_sc, vs, "SIOCSIFBRDADDR", b"le0", "10.0.0.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.0")


def test_SIOCSIFBRDADDR_svr4_without_address_is_stored(kernel, svr4_sc, vs):
    """SVR4's provider always has an address record: no EADDRNOTAVAIL."""
    setaddr(svr4_sc, vs, "SIOCSIFBRDADDR", b"le0", "10.0.0.255")
    assert getaddr(svr4_sc, vs, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCSIFBRDADDR_svr4_on_a_point_to_point_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFBRDADDR", b"sl0", "10.1.0.255")


def test_SIOCSIFBRDADDR_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFBRDADDR", b"le0", "10.0.0.255")


def test_SIOCSIFBRDADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFBRDADDR", b"qe0", "10.0.0.255")


def test_SIOCSIFBRDADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFBRDADDR, BAD)
