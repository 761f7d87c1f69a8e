"""SIOCDELRT: delete a route (net/route.c rtioctl, rtrequest, rtfree), in both personalities.

le0 is 10.0.0.1 (class A).  A route still held when it is deleted
leaves the tables at once but stays allocated, marked down and counted
in rttrash, until its last holder releases it (seed 002, "Gate
Permissions").
"""

import pytest

from kern import headers, syscalls
from kern.headers import native as h
from kern.net import route
from kern.syscalls import SysError
from tests.rtutil import (add, assert_routes_balanced, delete, errno_of, held, lookup,  # noqa: F401
                          needs_svr4, pcb_route, rtable_memory, rtentry, s, table)

s4 = headers.load("svr4")
ffi = h.ffi

HOST_GW = h.RTF_HOST | h.RTF_GATEWAY


def trash() -> int:
    return route.rttrash_p[0]


@pytest.mark.parametrize("dst, flags, probe", [
    ("192.168.5.5", HOST_GW, "192.168.5.5"),
    ("192.168.5.0", h.RTF_GATEWAY, "192.168.5.9"),
    ("0.0.0.0", h.RTF_GATEWAY, "172.16.1.1"),
], ids=["host", "net", "default"])
def test_SIOCDELRT_removes_the_route_and_frees_its_mbuf(sc, s, dst, flags, probe):
    base = rtable_memory()
    add(sc, s, dst, "10.0.0.2", flags)
    assert lookup(probe) is not None
    delete(sc, s, dst, "10.0.0.2", flags)
    assert lookup(probe) is None
    assert dst not in [d for d, _, _ in table()]
    assert rtable_memory() == base
    assert_routes_balanced()


def test_SIOCDELRT_of_a_missing_route_is_ESRCH(sc, s):
    assert errno_of(delete, sc, s, "192.168.5.5", "10.0.0.2", HOST_GW) == h.ESRCH


def test_SIOCDELRT_with_another_gateway_is_ESRCH(sc, s):
    """Deletion matches the gateway too (Reno was the first to ignore it)."""
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert errno_of(delete, sc, s, "192.168.5.5", "10.0.0.3", HOST_GW) == h.ESRCH
    assert lookup("192.168.5.5").gateway == "10.0.0.2"


def test_SIOCDELRT_host_flag_picks_the_table(sc, s):
    """A host route is not deleted by a request without RTF_HOST (that searches rtnet)."""
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert errno_of(delete, sc, s, "192.168.5.5", "10.0.0.2", h.RTF_GATEWAY) == h.ESRCH


def test_SIOCDELRT_deletes_only_the_route_through_that_gateway(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "192.168.5.5", "10.0.0.3", HOST_GW)
    delete(sc, s, "192.168.5.5", "10.0.0.3", HOST_GW)
    assert lookup("192.168.5.5").gateway == "10.0.0.2"
    assert_routes_balanced()


def test_SIOCDELRT_of_the_interface_route_leaves_the_net_unreachable(sc, s):
    delete(sc, s, "10.0.0.0", "10.0.0.1", 0)
    assert lookup("10.0.0.9") is None
    assert errno_of(delete, sc, s, "10.0.0.0", "10.0.0.1", 0) == h.ESRCH


def test_SIOCDELRT_of_a_held_route_keeps_it_until_the_last_release(sc, s):
    """Deleted while a pcb holds it: out of the table, down, in rttrash; freed at close."""
    base = rtable_memory()
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    u = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    ro = pcb_route(sc, u, "192.168.5.5")
    rt = ro.ro_rt
    assert rt.rt_refcnt == 1
    delete(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert trash() == 1
    assert rt.rt_flags == HOST_GW                       # RTF_UP cleared, still there
    assert rt.rt_refcnt == 1 and ro.ro_rt == rt
    assert "192.168.5.5" not in [d for d, _, _ in table()]
    assert lookup("192.168.5.5") is None
    assert rtable_memory() != base                      # not freed yet
    assert_routes_balanced()
    sc.close(u)                                         # in_pcbdetach: rtfree
    assert trash() == 0
    assert rtable_memory() == base
    assert_routes_balanced()


def test_SIOCDELRT_held_twice_frees_at_the_second_release(sc, s):
    base = rtable_memory()
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    u1 = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    u2 = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rt = pcb_route(sc, u1, "192.168.5.5").ro_rt
    pcb_route(sc, u2, "192.168.5.5")
    assert rt.rt_refcnt == 2
    delete(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    sc.close(u1)
    assert trash() == 1 and rt.rt_refcnt == 1
    assert_routes_balanced()
    sc.close(u2)
    assert trash() == 0 and rtable_memory() == base
    assert_routes_balanced()


def test_SIOCDELRT_RTFREE_of_a_deleted_route_frees_it(sc, s):
    """RTFREE (refcnt 1: rtfree) is the release protocols use; it frees a trashed route."""
    base = rtable_memory()
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    with held("172.16.1.1") as ro:
        assert ro.ro_rt
        delete(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
        assert trash() == 1
        assert_routes_balanced()
    assert trash() == 0 and rtable_memory() == base
    assert_routes_balanced()


def test_SIOCDELRT_a_held_route_can_be_added_again_at_once(sc, s):
    """The trashed entry is out of the chains: the same route is new, not EEXIST."""
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    u = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    old = pcb_route(sc, u, "192.168.5.5").ro_rt
    delete(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    with held("192.168.5.5") as ro:
        assert ro.ro_rt != old
    sc.close(u)
    assert trash() == 0
    assert_routes_balanced()


def test_SIOCDELRT_a_pcb_still_holding_a_deleted_route_looks_again_after_RTFREE(sc, s):
    """ip_output's protocol: a cached route that is no longer up is released, then rtalloc."""
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    add(sc, s, "192.168.5.0", "10.0.0.3", h.RTF_GATEWAY)
    u = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    ro = pcb_route(sc, u, "192.168.5.5")
    delete(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    assert not ro.ro_rt.rt_flags & h.RTF_UP
    route.RTFREE(ro.ro_rt)
    ro.ro_rt = ffi.NULL
    route.rtalloc(ro)
    assert ro.ro_rt.rt_flags & h.RTF_HOST == 0          # now the net route
    assert trash() == 0
    assert_routes_balanced()
    sc.close(u)


def test_SIOCDELRT_by_an_unprivileged_user_is_EPERM(sc, s, user_sc):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    us = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert errno_of(delete, user_sc, us, "192.168.5.5", "10.0.0.2", HOST_GW) == h.EPERM
    assert lookup("192.168.5.5") is not None


def test_SIOCDELRT_family_past_AF_MAX_is_EAFNOSUPPORT(sc, s):
    e = rtentry("192.168.5.5", "10.0.0.2", HOST_GW, family=h.AF_MAX)
    with pytest.raises(SysError) as info:
        sc.ioctl(s, h.SIOCDELRT, e)
    assert info.value.errno == h.EAFNOSUPPORT


# -- the SVR4 personality

@pytest.fixture
def s4s(svr4_sc, s):
    return svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)     # SVR4's own numbering


@needs_svr4
def test_SIOCDELRT_svr4_deletes_a_route(sc, s, svr4_sc, s4s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    delete(svr4_sc, s4s, "192.168.5.5", "10.0.0.2", HOST_GW, abi=s4)
    assert lookup("192.168.5.5") is None
    assert_routes_balanced()


@needs_svr4
def test_SIOCDELRT_svr4_missing_route_is_ESRCH(svr4_sc, s4s):
    assert errno_of(delete, svr4_sc, s4s, "192.168.5.5", "10.0.0.2", HOST_GW, s4) == s4.ESRCH


@needs_svr4
def test_SIOCDELRT_svr4_user_is_EPERM(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    user = syscalls.attach(uid=1000, gid=1000, personality="svr4", comm="svr4user")
    us = user.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    assert errno_of(delete, user, us, "192.168.5.5", "10.0.0.2", HOST_GW, s4) == s4.EPERM
    assert lookup("192.168.5.5") is not None
