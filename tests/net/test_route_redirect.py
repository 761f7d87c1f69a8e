"""rtredirect: every row of the ioctl reference's table (section 4.5), with its rtstat counter.

4.3BSD-Tahoe net/route.c rtredirect, as ICMP calls it: flags
RTF_GATEWAY for a net redirect (dst is the network's address),
RTF_GATEWAY|RTF_HOST for a host redirect.  le0 is 10.0.0.1 (class A):
10.0.0.2 and 10.0.0.3 are routers on it.  Tahoe counts rts_newgateway
only when it replaces a gateway, and marks that route RTF_MODIFIED.
"""

from kern.headers import native as h
from kern.net import route
from tests.rtutil import (add, assert_routes_balanced, lookup, rtstat, s,  # noqa: F401
                          sockaddr_in, table)

HOST_GW = h.RTF_HOST | h.RTF_GATEWAY
UP = h.RTF_UP


def redirect(dst, gateway, flags, src):
    route.rtredirect(sockaddr_in(dst), sockaddr_in(gateway), flags, sockaddr_in(src))


def counted(before: dict, **deltas) -> bool:
    """rtstat moved by exactly deltas since before."""
    now = rtstat()
    return {k: now[k] - before[k] for k in now if now[k] != before[k]} == deltas


def test_redirect_to_a_gateway_on_no_attached_network_is_bad(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    before, st = table(), rtstat()
    redirect("192.168.5.5", "172.16.0.1", HOST_GW, "10.0.0.2")
    assert counted(st, rts_badredirect=1)               # and no lookup was made
    assert table() == before
    assert_routes_balanced()


def test_redirect_not_from_the_current_router_is_bad(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    before, st = table(), rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.9")
    assert counted(st, rts_badredirect=1)
    assert table() == before
    assert_routes_balanced()                            # the lookup's reference is released


def test_redirect_to_one_of_our_own_addresses_is_bad(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    before, st = table(), rtstat()
    redirect("192.168.5.5", "10.0.0.1", HOST_GW, "10.0.0.2")
    assert counted(st, rts_badredirect=1)
    assert table() == before
    assert_routes_balanced()


def test_host_redirect_with_no_route_adds_a_dynamic_host_route(sc, s):
    st = rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.9")   # no route: src not checked
    assert counted(st, rts_dynamic=1, rts_unreach=1)
    r = lookup("192.168.5.5")
    assert (r.dst, r.gateway, r.flags) == ("192.168.5.5", "10.0.0.3",
                                           UP | HOST_GW | h.RTF_DYNAMIC)
    assert_routes_balanced()


def test_net_redirect_with_no_route_adds_a_dynamic_net_route(sc, s):
    st = rtstat()
    redirect("192.168.5.0", "10.0.0.3", h.RTF_GATEWAY, "10.0.0.9")
    assert counted(st, rts_dynamic=1, rts_unreach=1)
    r = lookup("192.168.5.200")
    assert (r.dst, r.gateway, r.flags) == ("192.168.5.0", "10.0.0.3",
                                           UP | h.RTF_GATEWAY | h.RTF_DYNAMIC)


def test_redirect_answered_by_the_default_route_adds_a_dynamic_route(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    st = rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.2")
    assert counted(st, rts_dynamic=1, rts_wildcard=1)
    assert lookup("192.168.5.5").gateway == "10.0.0.3"
    assert lookup("172.16.0.1").gateway == "10.0.0.2"    # the default is untouched
    assert_routes_balanced()


def test_redirect_answered_by_the_default_route_still_checks_the_sender(sc, s):
    add(sc, s, "0.0.0.0", "10.0.0.2", h.RTF_GATEWAY)
    st = rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.9")
    assert counted(st, rts_badredirect=1, rts_wildcard=1)
    assert lookup("192.168.5.5").dst == "0.0.0.0"


def test_host_redirect_of_a_net_route_adds_a_host_route_beside_it(sc, s):
    add(sc, s, "192.168.5.0", "10.0.0.2", h.RTF_GATEWAY)
    st = rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.2")
    assert counted(st, rts_dynamic=1)                   # Tahoe: no rts_newgateway here
    r = lookup("192.168.5.5")
    assert (r.gateway, r.flags) == ("10.0.0.3", UP | HOST_GW | h.RTF_DYNAMIC)
    r = lookup("192.168.5.6")
    assert (r.dst, r.gateway, r.flags) == ("192.168.5.0", "10.0.0.2", UP | h.RTF_GATEWAY)
    assert_routes_balanced()


def test_host_redirect_of_a_host_route_replaces_its_gateway(sc, s):
    add(sc, s, "192.168.5.5", "10.0.0.2", HOST_GW)
    st = rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.2")
    assert counted(st, rts_newgateway=1)
    r = lookup("192.168.5.5")
    assert (r.gateway, r.flags) == ("10.0.0.3", UP | HOST_GW | h.RTF_MODIFIED)
    assert len([d for d, _, _ in table() if d == "192.168.5.5"]) == 1
    assert_routes_balanced()


def test_net_redirect_of_a_net_route_replaces_its_gateway(sc, s):
    add(sc, s, "192.168.5.0", "10.0.0.2", h.RTF_GATEWAY)
    st = rtstat()
    redirect("192.168.5.0", "10.0.0.3", h.RTF_GATEWAY, "10.0.0.2")
    assert counted(st, rts_newgateway=1)
    r = lookup("192.168.5.9")
    assert (r.gateway, r.flags) == ("10.0.0.3", UP | h.RTF_GATEWAY | h.RTF_MODIFIED)


def test_redirect_of_a_route_to_an_interface_is_bad(sc, s):
    """le0's own route (gateway 10.0.0.1, no RTF_GATEWAY) is never redirected."""
    before, st = table(), rtstat()
    redirect("10.0.0.5", "10.0.0.3", HOST_GW, "10.0.0.1")
    assert counted(st, rts_badredirect=1)
    assert table() == before
    assert_routes_balanced()


def test_rts_dynamic_counts_even_when_the_new_route_already_exists(sc, s):
    """Only down routes are missed by the lookup; rtinit's EEXIST is ignored, the count is not."""
    from tests.conftest import ifreq
    add(sc, s, "192.168.5.5", "10.0.0.3", HOST_GW)
    r = ifreq(b"le0")
    sc.ioctl(s, h.SIOCGIFFLAGS, r)
    r.ifr_ifru.ifru_flags &= ~h.IFF_UP
    sc.ioctl(s, h.SIOCSIFFLAGS, r)
    before, st = table(), rtstat()
    redirect("192.168.5.5", "10.0.0.3", HOST_GW, "10.0.0.9")
    assert counted(st, rts_dynamic=1, rts_unreach=1)
    assert table() == before
