"""SIOCSIFADDR: give an interface its Internet address (ioctl reference, section 3.3).

in_control (root; the in_ifaddr made on first use) and in_ifinit: the
driver may refuse the address (the old one comes back), the old
interface route goes, the classful mask widens the subnet mask, a
broadcast interface gets its broadcast addresses, and the new route
comes: a host route to itself for the loopback, to the peer for a
point-to-point link, a net route otherwise.
"""

import pytest

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, flags, getaddr, in_ifaddr,  # noqa: F401
                      in_interfaces, kernel_routes, s, s4, setaddr, us, user_svr4_sc, uvs, vs)
from kern.headers import native as h

UP, HOST = h.RTF_UP, h.RTF_HOST


def test_SIOCSIFADDR_sets_the_address(kernel, sc, s):
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_INET, "10.0.0.1")


def test_SIOCSIFADDR_marks_the_ethernet_up_and_running(kernel, sc, s):
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert flags(sc, s, b"le0") == h.IFF_UP | h.IFF_BROADCAST | h.IFF_RUNNING


def test_SIOCSIFADDR_installs_a_net_route_on_a_broadcast_interface(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert kernel_routes(kernel) == [("10.0.0.0", "10.0.0.1", UP, "le0")]


def test_SIOCSIFADDR_installs_a_host_route_to_itself_on_the_loopback(kernel, sc, s):
    configure(sc, b"lo0", "127.0.0.1")
    assert kernel_routes(kernel) == [("127.0.0.1", "127.0.0.1", UP | HOST, "lo0")]


def test_SIOCSIFADDR_installs_a_host_route_to_the_peer_on_a_point_to_point_link(kernel, sc, s):
    setaddr(sc, s, "SIOCSIFDSTADDR", b"sl0", "10.1.0.2")
    setaddr(sc, s, "SIOCSIFADDR", b"sl0", "10.1.0.1")
    assert kernel_routes(kernel) == [("10.1.0.2", "10.1.0.1", UP | HOST, "sl0")]


def test_SIOCSIFADDR_point_to_point_without_peer_routes_to_an_unset_peer(kernel, sc, s):
    """Tahoe does not look at the peer: with none set, the host route goes to a zero sockaddr."""
    setaddr(sc, s, "SIOCSIFADDR", b"sl0", "10.1.0.1")
    assert kernel_routes(kernel) == [("0.0.0.0", "10.1.0.1", UP | HOST, "sl0")]


def test_SIOCSIFADDR_replaces_the_old_route(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "192.168.5.1")
    assert kernel_routes(kernel) == [("192.168.5.0", "192.168.5.1", UP, "le0")]


def test_SIOCSIFADDR_after_a_new_mask_leaves_the_old_net_route(kernel, sc, s):
    """A historical bug kept (inet(4) BUGS): ifconfig resets the mask before the address.

    The old route is looked for under the new mask's net hash, is not
    found, and stays; the stored hash went stale (reference 4.2).
    """
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    configure(sc, b"le0", "192.168.5.1")
    assert kernel_routes(kernel) == [("10.0.0.0", "10.0.0.1", UP, "le0"),
                                     ("192.168.5.0", "192.168.5.1", UP, "le0")]


@pytest.mark.parametrize("addr, mask", [("10.0.0.1", "255.0.0.0"), ("128.32.1.1", "255.255.0.0"),
                                        ("192.168.1.1", "255.255.255.0")])
def test_SIOCSIFADDR_without_mask_uses_the_class_mask(kernel, sc, s, addr, mask):
    configure(sc, b"le0", addr)
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, mask)


def test_SIOCSIFADDR_keeps_a_mask_set_before(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, "255.255.255.0")


def test_SIOCSIFADDR_widens_a_mask_shorter_than_the_class(kernel, sc, s):
    configure(sc, b"le0", "128.32.1.1", "255.0.0.0")
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, "255.255.0.0")


def test_SIOCSIFADDR_sets_the_subnet_broadcast(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCSIFADDR_sets_the_classful_net_broadcast(kernel, sc, s):
    """ia_netbroadcast is the all-ones host of the classful net, whatever the subnet."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert in_ifaddr(kernel, "le0").ia_netbroadcast.s_addr == 0xFFFFFF0A


def test_SIOCSIFADDR_overwrites_an_earlier_broadcast_address(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFBRDADDR", b"le0", "10.0.0.0")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCSIFADDR_counts_external_interfaces_only(kernel, sc, s):
    """in_interfaces counts the first address of each interface but the loopback."""
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1")
    configure(sc, b"le0", "10.0.0.2")
    assert in_interfaces(kernel) == 1


def test_SIOCSIFADDR_refused_family_on_the_serial_line_is_EAFNOSUPPORT(kernel, sc, s):
    """slioctl refuses a non-Internet address; the old address is put back."""
    setaddr(sc, s, "SIOCSIFADDR", b"sl0", "10.1.0.1")
    fails(h.EAFNOSUPPORT, setaddr, sc, s, "SIOCSIFADDR", b"sl0", "10.1.0.9", h.AF_UNSPEC)
    assert getaddr(sc, s, "SIOCGIFADDR", b"sl0") == (h.AF_INET, "10.1.0.1")


def test_SIOCSIFADDR_wrong_family_on_the_ethernet_is_stored(kernel, sc, s):
    """in_control checks no family and le does not refuse: the board is not started."""
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "10.0.0.1", h.AF_UNSPEC)
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_UNSPEC, "10.0.0.1")
    assert flags(sc, s, b"le0") == h.IFF_UP | h.IFF_BROADCAST


def test_SIOCSIFADDR_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setaddr, user_sc, us, "SIOCSIFADDR", b"le0", "10.0.0.1")


def test_SIOCSIFADDR_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setaddr, user_sc, us, "SIOCSIFADDR", b"qe0", "10.0.0.1")


def test_SIOCSIFADDR_on_a_raw_socket_is_EOPNOTSUPP(kernel, sc):
    raw = sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    fails(h.EOPNOTSUPP, setaddr, sc, raw, "SIOCSIFADDR", b"le0", "10.0.0.1")


def test_SIOCSIFADDR_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFADDR, BAD)


def test_SIOCSIFADDR_svr4_sets_the_address(kernel, sc, s, svr4_sc, vs):
    setaddr(svr4_sc, vs, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_INET, "10.0.0.1")
    assert kernel_routes(kernel) == [("10.0.0.0", "10.0.0.1", UP, "le0")]


def test_SIOCSIFADDR_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFADDR", b"le0", "10.0.0.1")


def test_SIOCSIFADDR_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFADDR", b"qe0", "10.0.0.1")


def test_SIOCSIFADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFADDR", b"qe0", "10.0.0.1")


def test_SIOCSIFADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFADDR, BAD)
