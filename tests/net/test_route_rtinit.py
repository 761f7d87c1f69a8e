"""rtinit: the routes interfaces make for themselves when they get an address.

in_ifinit (netinet/in.c) calls rtinit (net/route.c) to remove the old
interface route and add the new one (seed 002, "The Cartographer's
Ledger"): a network route for a broadcast interface, a host route for
the loopback, with the interface's own address as the gateway.
"""

from kern.headers import native as h
from kern.net import route
from tests.conftest import configure, ifaddr_of, ifreq, set_sin
from tests.rtutil import assert_routes_balanced, lookup, rtable_memory, sockaddr_in, table


def test_an_address_brings_its_network_route(sc):
    configure(sc, b"le0", "10.0.0.1")
    assert table() == [("10.0.0.0", "10.0.0.1", h.RTF_UP)]
    assert lookup("10.200.0.9").ifname == "le0"


def test_a_subnet_mask_makes_it_a_subnet_route(sc):
    configure(sc, b"le0", "128.32.1.1", "255.255.255.0")
    assert table() == [("128.32.1.0", "128.32.1.1", h.RTF_UP)]


def set_address(sc, name: bytes, addr: str) -> None:
    """SIOCSIFADDR alone, leaving the subnet mask as it is."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    r = ifreq(name)
    set_sin(ifaddr_of(r), addr)
    sc.ioctl(s, h.SIOCSIFADDR, r)
    sc.close(s)


def test_a_new_address_replaces_the_route_of_the_old(sc):
    configure(sc, b"le0", "10.0.0.1")
    base = rtable_memory()
    set_address(sc, b"le0", "172.16.0.1")
    assert table() == [("172.16.0.0", "172.16.0.1", h.RTF_UP)]
    assert lookup("10.0.0.9") is None
    assert rtable_memory() == base
    assert_routes_balanced()


def test_ifconfig_of_a_new_address_leaves_the_old_route_behind(sc):
    """Tahoe's ifconfig clears the mask first; in_ifinit then hashes the old net as 0.

    With the subnet mask 0, in_netof(10.0.0.0) is 0, so the delete looks
    for hash 0 where the route has hash 0x0a, misses (ESRCH, ignored),
    and the old route stays: faithful to 4.3BSD-Tahoe (man/man4/route.4, BUGS).
    """
    configure(sc, b"le0", "10.0.0.1")
    configure(sc, b"le0", "172.16.0.1")
    assert sorted(table()) == [("10.0.0.0", "10.0.0.1", h.RTF_UP),
                               ("172.16.0.0", "172.16.0.1", h.RTF_UP)]
    assert lookup("10.0.0.9").ifname == "le0"


def test_the_loopback_gets_a_host_route_to_itself(sc):
    configure(sc, b"lo0", "127.0.0.1")
    assert table() == [("127.0.0.1", "127.0.0.1", h.RTF_UP | h.RTF_HOST)]
    assert lookup("127.0.0.1").ifname == "lo0"
    assert lookup("127.0.0.2") is None


def test_rtinit_returns_what_rtrequest_said(sc):
    configure(sc, b"le0", "10.0.0.1")
    dst, gw = sockaddr_in("10.0.0.0"), sockaddr_in("10.0.0.1")
    assert route.rtinit(dst, gw, h.SIOCADDRT, h.RTF_UP) == h.EEXIST
    assert route.rtinit(dst, gw, h.SIOCDELRT, 0) == 0
    assert route.rtinit(dst, gw, h.SIOCDELRT, 0) == h.ESRCH
    assert route.rtinit(sockaddr_in("192.168.1.0"), sockaddr_in("172.16.0.1"),
                        h.SIOCADDRT, h.RTF_GATEWAY) == h.ENETUNREACH
