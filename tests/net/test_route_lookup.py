"""rtalloc: the three passes, their order, networks by in_netof, and what is skipped.

4.3BSD-Tahoe net/route.c rtalloc (seed 002, "The Cartographer's
Ledger"): the host chain first (the whole 16-byte destination), then
the net chain (same family, same in_netof), then the wildcard pass over
rtnet[0] (the default route); routes that are down, or whose interface
is down, are skipped; the newest route wins.
"""

import pytest

from kern.headers import native as h
from kern.net import route
from kern.subr_prf import Panic
from kern.syscalls import SysError
from tests.conftest import configure, ifreq, in_addr
from tests.rtutil import (add, assert_routes_balanced, delete, held, lookup, rtentry,  # noqa: F401
                          rtstat, s, table)

ffi = h.ffi
HOST_GW = h.RTF_HOST | h.RTF_GATEWAY


def set_up(sc, s, name: bytes, up: bool):
    r = ifreq(name)
    sc.ioctl(s, h.SIOCGIFFLAGS, r)
    if up:
        r.ifr_ifru.ifru_flags |= h.IFF_UP
    else:
        r.ifr_ifru.ifru_flags &= ~h.IFF_UP
    sc.ioctl(s, h.SIOCSIFFLAGS, r)


def test_host_route_before_net_route_before_default(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.4", h.RTF_GATEWAY)
    add(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    st = rtstat()
    assert lookup("192.168.5.5").gateway == "10.0.0.2"
    delete(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert lookup("192.168.5.5").gateway == "10.0.0.3"
    delete(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    assert rtstat()["rts_wildcard"] == st["rts_wildcard"]
    assert lookup("192.168.5.5").gateway == "10.0.0.4"
    assert rtstat()["rts_wildcard"] == st["rts_wildcard"] + 1
    delete(sc, s, "0.0.0.0", "10.0.0.4", h.RTF_GATEWAY)
    assert lookup("192.168.5.5") is None
    assert rtstat()["rts_unreach"] == st["rts_unreach"] + 1
    assert_routes_balanced()


def test_the_newest_of_two_net_routes_wins(sc, s):
    add(sc, s, "192.168.5.0", "10.0.0.2", h.RTF_GATEWAY)
    add(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    assert lookup("192.168.5.1").gateway == "10.0.0.3"


@pytest.mark.parametrize("net, inside, outside", [
    ("11.0.0.0", "11.200.7.1", "12.0.0.1"),             # class A
    ("172.16.0.0", "172.16.200.1", "172.17.0.1"),       # class B
    ("192.168.5.0", "192.168.5.200", "192.168.6.1"),    # class C
], ids=["A", "B", "C"])
def test_a_net_route_to_a_network_we_are_not_on_is_classful(sc, s, net, inside, outside):
    add(sc, s, net, "10.0.0.2", h.RTF_GATEWAY)
    assert lookup(inside).dst == net
    assert lookup(outside) is None


def test_a_net_route_names_its_network_by_any_address_on_it(sc, s):
    """rtrequest keeps the address given; in_netof makes 172.16.9.9 mean 172.16/16."""
    add(sc, s, "172.16.9.9", "10.0.0.2", h.RTF_GATEWAY)
    assert lookup("172.16.200.1").dst == "172.16.9.9"


def test_net_hash_strips_trailing_zero_bytes(sc, s):
    add(sc, s, "128.32.0.0", "10.0.0.2", h.RTF_GATEWAY)
    [rt] = [r for r in route.routes() if r.rt_flags & h.RTF_GATEWAY]
    assert rt.rt_hash == 0x8020


@pytest.fixture
def subnetted(sc):
    """le0 on subnet 128.32.1.0 of the class B network 128.32, mask 255.255.255.0."""
    configure(sc, b"le0", "128.32.1.1", "255.255.255.0")
    return sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)


def test_subnets_of_our_network_are_networks_of_their_own(sc, subnetted):
    add(sc, subnetted, "128.32.2.0", "128.32.1.254", h.RTF_GATEWAY)
    assert lookup("128.32.2.9").gateway == "128.32.1.254"
    assert lookup("128.32.3.9") is None
    r = lookup("128.32.1.77")
    assert (r.dst, r.gateway, r.flags) == ("128.32.1.0", "128.32.1.1", h.RTF_UP)
    [rt] = [r for r in route.routes() if r.rt_flags & h.RTF_GATEWAY]
    assert rt.rt_hash == 0x802002                       # the subnet number, trimmed


def test_a_route_to_a_whole_subnetted_network_covers_only_subnet_zero(sc, subnetted):
    """in_netof(128.32.0.0) is subnet 0 once 128.32 is subnetted: faithful to Tahoe."""
    add(sc, subnetted, "128.32.0.0", "128.32.1.254", h.RTF_GATEWAY)
    assert lookup("128.32.0.9").dst == "128.32.0.0"
    assert lookup("128.32.7.9") is None


def test_other_networks_stay_classful_beside_a_subnetted_one(sc, subnetted):
    add(sc, subnetted, "172.16.0.0", "128.32.1.254", h.RTF_GATEWAY)
    assert lookup("172.16.99.1").dst == "172.16.0.0"


def test_if_down_hides_routes_without_deleting_them(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "192.168.6.0", "10.0.0.2", h.RTF_GATEWAY)
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    before = table()
    set_up(sc, s, b"le0", False)
    st = rtstat()
    for dst in ("192.168.5.5", "192.168.6.1", "172.16.0.1", "10.0.0.9"):
        assert lookup(dst) is None
    assert rtstat()["rts_unreach"] == st["rts_unreach"] + 4
    assert table() == before
    with pytest.raises(SysError) as e:
        add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert e.value.errno == h.EEXIST
    set_up(sc, s, b"le0", True)
    assert lookup("192.168.5.5").gateway == "10.0.0.2"
    assert lookup("192.168.6.1").dst == "192.168.6.0"
    assert_routes_balanced()


def test_a_route_through_a_down_interface_gives_way_to_the_next_pass(sc, s):
    configure(sc, b"lo0", "127.0.0.1")
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "0.0.0.0", "127.0.0.1", h.RTF_GATEWAY)
    assert lookup("192.168.5.5").ifname == "le0"
    set_up(sc, s, b"le0", False)
    r = lookup("192.168.5.5")
    assert (r.dst, r.ifname) == ("0.0.0.0", "lo0")


def test_a_host_route_matches_all_16_bytes_of_the_destination(sc, s):
    """rtalloc's bcmp covers sin_port and sin_zero: a dirty rt_dst is never found."""
    add(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW)
    ffi.cast("struct sockaddr_in *", ffi.addressof(e, "rt_dst")).sin_port = 53
    sc.ioctl(s, h.SIOCADDRT, e)
    assert lookup("192.168.5.5").gateway == "10.0.0.3"   # the net route
    ro = ffi.new("struct route *")
    ro.ro_dst = e.rt_dst
    route.rtalloc(ro)
    assert ro.ro_rt.rt_flags & h.RTF_HOST
    route.RTFREE(ro.ro_rt)


def test_a_class_D_destination_takes_the_default_route_in_the_net_pass(sc, s):
    """in_netof of class D is 0, the default route's network: found without a wildcard count."""
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    st = rtstat()
    assert lookup("224.0.0.1").dst == "0.0.0.0"
    assert rtstat() == st


def test_a_held_route_that_is_up_is_kept(sc, s):
    add(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    with held("192.168.5.5") as ro:
        netrt = ro.ro_rt
        add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
        route.rtalloc(ro)                                # no-op: still up
        assert ro.ro_rt == netrt and netrt.rt_refcnt == 1
    assert_routes_balanced()


def test_each_rtalloc_takes_a_reference_and_RTFREE_gives_it_back(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    with held("192.168.5.5") as a, held("192.168.5.5") as b:
        assert a.ro_rt == b.ro_rt and a.ro_rt.rt_refcnt == 2
        assert_routes_balanced()
    [rt] = [r for r in route.routes() if r.rt_flags & h.RTF_HOST]
    assert rt.rt_refcnt == 0 and rt.rt_flags & h.RTF_UP   # released, not freed
    assert_routes_balanced()


def test_rtalloc_of_a_family_past_AF_MAX_finds_and_counts_nothing(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    ro = ffi.new("struct route *")
    ro.ro_dst.sa_family = h.AF_MAX
    st = rtstat()
    route.rtalloc(ro)
    assert not ro.ro_rt and rtstat() == st


def test_rtalloc_of_another_family_never_takes_an_inet_route(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    ro = ffi.new("struct route *")
    ro.ro_dst.sa_family = h.AF_UNSPEC
    route.rtalloc(ro)
    assert not ro.ro_rt


def test_rtfree_of_NULL_panics(kernel):
    with pytest.raises(Panic):
        route.rtfree(ffi.NULL)


def test_the_unreach_counter_wraps_as_a_short(sc, s):
    route.rtstat.rts_unreach = 32767
    assert lookup("192.168.9.9") is None
    assert route.rtstat.rts_unreach == -32768


def test_lookup_key_is_the_in_addr_as_it_lies_in_memory(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    [rt] = [r for r in route.routes() if r.rt_flags & h.RTF_HOST]
    assert ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_dst")).sin_addr.s_addr \
        == in_addr("192.168.5.5")
    assert rt.rt_hash == 0xC0A80505                     # ntohl of it: the host hash
