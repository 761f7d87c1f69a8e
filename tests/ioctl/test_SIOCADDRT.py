"""SIOCADDRT: add a route (net/route.c rtioctl, rtrequest), in both personalities.

The interface le0 is 10.0.0.1 (class A, no subnet), so 10.0.0.2 and
10.0.0.3 are gateways on an attached network and 172.16.0.1 is not.
"""

import pytest

from kern import config, headers, syscalls
from kern.headers import native as h
from kern.syscalls import SysError
from tests.rtutil import (add, assert_routes_balanced, errno_of, lookup, needs_sl,  # noqa: F401
                          needs_svr4, rtable_memory, rtentry, rtstat, s, table)

s4 = headers.load("svr4")
ffi = h.ffi

HOST_GW = h.RTF_HOST | h.RTF_GATEWAY


def test_SIOCADDRT_host_route_is_found_by_rtalloc(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    r = lookup("192.168.5.5")
    assert (r.dst, r.gateway, r.ifname) == ("192.168.5.5", "10.0.0.2", "le0")
    assert r.flags == h.RTF_UP | HOST_GW
    assert lookup("192.168.5.6") is None
    assert_routes_balanced()


def test_SIOCADDRT_net_route_covers_the_classful_network(sc, s):
    add(sc, s, "192.168.5.0", "10.0.0.2", h.RTF_GATEWAY)
    assert lookup("192.168.5.77").gateway == "10.0.0.2"
    assert lookup("192.168.6.77") is None
    assert_routes_balanced()


def test_SIOCADDRT_default_route_answers_the_rest_as_a_wildcard(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    before = rtstat()
    r = lookup("172.16.9.9")
    assert (r.dst, r.gateway) == ("0.0.0.0", "10.0.0.2")
    assert rtstat()["rts_wildcard"] == before["rts_wildcard"] + 1
    assert_routes_balanced()


def test_SIOCADDRT_the_same_route_twice_is_EEXIST(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert errno_of(add, sc, s, "192.168.5.5", "10.0.0.2", HOST_GW) == h.EEXIST
    assert table().count(("192.168.5.5", "10.0.0.2", h.RTF_UP | HOST_GW)) == 1


def test_SIOCADDRT_a_net_route_on_the_same_network_is_EEXIST(sc, s):
    """Net routes match by network number: 192.168.5.77 names 192.168.5.0's network."""
    add(sc, s, "192.168.5.0", "10.0.0.2", h.RTF_GATEWAY)
    assert errno_of(add, sc, s, "192.168.5.77", "10.0.0.2", h.RTF_GATEWAY) == h.EEXIST


def test_SIOCADDRT_same_destination_other_gateway_is_accepted_and_found_first(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "192.168.5.5", "10.0.0.3", HOST_GW)
    assert lookup("192.168.5.5").gateway == "10.0.0.3"
    hosts = [r for r in table() if r[0] == "192.168.5.5"]
    assert [gw for _, gw, _ in hosts] == ["10.0.0.3", "10.0.0.2"]   # prepended
    assert_routes_balanced()


def test_SIOCADDRT_gateway_on_no_attached_network_is_ENETUNREACH(sc, s):
    before = table()
    assert errno_of(add, sc, s, "192.168.5.5", "172.16.0.1", HOST_GW) == h.ENETUNREACH
    assert table() == before


def test_SIOCADDRT_stores_only_the_host_gateway_and_dynamic_flags(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW | h.RTF_DYNAMIC | h.RTF_MODIFIED | 0x8 | 0x100)
    assert lookup("192.168.5.5").flags == h.RTF_UP | HOST_GW | h.RTF_DYNAMIC


def test_SIOCADDRT_route_to_the_interface_is_known_by_our_own_address(sc, s):
    """Without RTF_GATEWAY the gateway is our address: ifa_ifwithaddr picks le0."""
    add(sc, s, "192.168.7.7", "10.0.0.1", h.RTF_HOST)
    r = lookup("192.168.7.7")
    assert (r.gateway, r.flags, r.ifname) == ("10.0.0.1", h.RTF_UP | h.RTF_HOST, "le0")


def test_SIOCADDRT_through_an_interface_that_is_down_is_accepted(sc, s):
    """rtrequest does not look at IFF_UP; rtalloc skips the route until le0 is up."""
    from tests.conftest import ifreq
    r = ifreq(b"le0")
    sc.ioctl(s, h.SIOCGIFFLAGS, r)
    r.ifr_ifru.ifru_flags &= ~h.IFF_UP
    sc.ioctl(s, h.SIOCSIFFLAGS, r)
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert ("192.168.5.5", "10.0.0.2", h.RTF_UP | HOST_GW) in table()
    assert lookup("192.168.5.5") is None


def test_SIOCADDRT_by_an_unprivileged_user_is_EPERM(sc, s, user_sc):
    us = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    before = table()
    assert errno_of(add, user_sc, us, "192.168.5.5", "10.0.0.2", HOST_GW) == h.EPERM
    assert table() == before


@pytest.mark.parametrize("family", [h.AF_MAX, 0xFFFF])
def test_SIOCADDRT_family_past_AF_MAX_is_EAFNOSUPPORT(sc, s, family):
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW, family=family)
    assert errno_of(sc.ioctl, s, h.SIOCADDRT, e) == h.EAFNOSUPPORT


def test_SIOCADDRT_privilege_is_checked_before_the_family(sc, s, user_sc):
    us = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW, family=h.AF_MAX)
    assert errno_of(user_sc.ioctl, us, h.SIOCADDRT, e) == h.EPERM


def test_other_routing_commands_are_EINVAL_before_privilege(sc, s, user_sc):
    """rtioctl checks the command first: an unknown 'r' command is EINVAL even for a user."""
    us = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    bogus = (h.SIOCADDRT & ~0xFF) | 12          # _IOW('r', 12, struct rtentry)
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW)
    assert errno_of(user_sc.ioctl, us, bogus, e) == h.EINVAL
    assert errno_of(sc.ioctl, s, bogus, e) == h.EINVAL


def test_SIOCADDRT_with_a_bad_address_is_EFAULT(sc, s):
    assert errno_of(sc.ioctl, s, h.SIOCADDRT, 8) == h.EFAULT


def test_SIOCADDRT_works_on_a_raw_socket_too(sc, s):
    """soo_ioctl sends every 'r' command to rtioctl, whatever the socket's protocol."""
    raw = sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    add(sc, raw, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert lookup("192.168.5.5").gateway == "10.0.0.2"


def test_SIOCADDRT_counts_no_statistic(sc, s):
    before = rtstat()
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert rtstat() == before


@pytest.mark.config("""machine "netkern"
ident SMALL
options INET, KMEMSIZE=1048576, RTHASHSIZ=4096
pseudo-device loop
device le0 at wire "lan0"
""")
def test_SIOCADDRT_without_memory_is_ENOBUFS(sc, s):
    """When M_RTABLE reaches its limit, m_get fails: ENOBUFS and m_drops, no half route.

    (Many buckets only keep the few thousand routes quick to add and delete.)
    """
    from kern import uipc_mbuf
    base = rtable_memory()
    added = []
    for i in range(20000):
        dst = f"20.{i >> 8 & 255}.{i & 255}.1"
        try:
            add(sc, s, dst, "10.0.0.2", HOST_GW)
        except SysError as e:
            assert e.errno == h.ENOBUFS
            break
        added.append(dst)
    else:
        pytest.fail("the routing table never ran out of memory")
    assert uipc_mbuf.mbstat.m_drops >= 1
    assert len(table()) == len(added) + 1            # and le0's own route
    for dst in added:
        sc.ioctl(s, h.SIOCDELRT, rtentry(dst, "10.0.0.2", HOST_GW))
    assert rtable_memory() == base
    assert_routes_balanced()


# -- the SVR4 personality: the same numbers and rtentry, through the I_STR path

@pytest.fixture
def s4s(svr4_sc, s):
    return svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)     # SVR4's own numbering


@needs_svr4
def test_SIOCADDRT_svr4_has_the_native_number():
    assert s4.SIOCADDRT == h.SIOCADDRT and s4.SIOCDELRT == h.SIOCDELRT
    assert s4.ffi.sizeof("struct rtentry") == ffi.sizeof("struct rtentry")


@needs_svr4
def test_SIOCADDRT_svr4_host_route_is_found(svr4_sc, s4s):
    add(svr4_sc, s4s, "192.168.5.5", "10.0.0.2", HOST_GW, abi=s4)
    assert lookup("192.168.5.5").gateway == "10.0.0.2"
    assert_routes_balanced()


@needs_svr4
def test_SIOCADDRT_svr4_the_same_route_twice_is_EEXIST(svr4_sc, s4s):
    add(svr4_sc, s4s, "192.168.5.5", "10.0.0.2", HOST_GW, abi=s4)
    assert errno_of(add, svr4_sc, s4s, "192.168.5.5", "10.0.0.2", HOST_GW, s4) == s4.EEXIST


@needs_svr4
def test_SIOCADDRT_svr4_unreachable_gateway_is_ENETUNREACH_in_svr4_numbering(svr4_sc, s4s):
    e = errno_of(add, svr4_sc, s4s, "192.168.5.5", "172.16.0.1", HOST_GW, s4)
    assert e == s4.ENETUNREACH != h.ENETUNREACH


@needs_svr4
def test_SIOCADDRT_svr4_user_is_EPERM(s):
    """SVR4.0 had no uid check on routes; netkern keeps 4.3's (DESIGN.md section 1)."""
    user = syscalls.attach(uid=1000, gid=1000, personality="svr4", comm="svr4user")
    us = user.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    assert errno_of(add, user, us, "192.168.5.5", "10.0.0.2", HOST_GW, s4) == s4.EPERM
    assert lookup("192.168.5.5") is None


@needs_svr4
@pytest.mark.config(config.GENERIC + "options SVR4_ROUTE_ANYONE\n")
def test_SIOCADDRT_svr4_user_may_under_the_SVR4_ROUTE_ANYONE_option(s, user_sc):
    """The option reproduces SVR4.0's hole for SVR4 processes only."""
    user = syscalls.attach(uid=1000, gid=1000, personality="svr4", comm="svr4user")
    us = user.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    add(user, us, "192.168.5.5", "10.0.0.2", HOST_GW, abi=s4)
    assert lookup("192.168.5.5").gateway == "10.0.0.2"
    native = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert errno_of(add, user_sc, native, "192.168.6.6", "10.0.0.2", HOST_GW) == h.EPERM
    assert_routes_balanced()


@needs_svr4
def test_SIOCADDRT_svr4_family_past_native_AF_MAX_is_EAFNOSUPPORT(svr4_sc, s4s):
    """SVR4.0 did not check the family; netkern's one routing code does."""
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW, family=h.AF_MAX, abi=s4)
    assert errno_of(svr4_sc.ioctl, s4s, s4.SIOCADDRT, e) == s4.EAFNOSUPPORT


# -- point-to-point links: the interface is found by the far end (ifa_ifwithdstaddr)

WITH_SL = config.GENERIC + "pseudo-device sl 1\n"


@pytest.fixture
def p2p(sc, s):
    """sl0 from 172.30.0.1 to 192.168.99.1, a peer on none of our networks."""
    from tests.conftest import ifaddr_of, ifreq, set_sin
    r = ifreq(b"sl0")
    set_sin(ifaddr_of(r), "192.168.99.1")
    sc.ioctl(s, h.SIOCSIFDSTADDR, r)
    r = ifreq(b"sl0")
    set_sin(ifaddr_of(r), "172.30.0.1")
    sc.ioctl(s, h.SIOCSIFADDR, r)
    return s


@needs_sl
@pytest.mark.config(WITH_SL)
def test_SIOCADDRT_point_to_point_peer_gets_a_host_route_at_ifconfig(sc, p2p):
    r = lookup("192.168.99.1")
    assert (r.gateway, r.flags, r.ifname) == ("172.30.0.1", h.RTF_UP | h.RTF_HOST, "sl0")


@needs_sl
@pytest.mark.config(WITH_SL)
def test_SIOCADDRT_through_the_peer_of_a_point_to_point_link(sc, p2p):
    """No network of ours holds 192.168.99.1; it is found as sl0's far end."""
    add(sc, p2p, "172.20.0.0", "192.168.99.1", h.RTF_GATEWAY)
    r = lookup("172.20.1.1")
    assert (r.gateway, r.ifname) == ("192.168.99.1", "sl0")
    assert_routes_balanced()


@needs_sl
@pytest.mark.config(WITH_SL)
def test_SIOCADDRT_host_route_to_a_peer_takes_its_link_whatever_the_gateway(sc, p2p):
    """A host route without RTF_GATEWAY looks for its destination as a far end first."""
    add(sc, p2p, "192.168.99.1", "10.0.0.1", h.RTF_HOST)
    r = lookup("192.168.99.1")
    assert (r.gateway, r.ifname) == ("10.0.0.1", "sl0")
