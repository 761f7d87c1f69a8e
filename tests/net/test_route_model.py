"""rtalloc and rtrequest against a reference model, over random tables and lookups.

The model is the ioctl reference's description (sections 3.6 and 4)
written as plainly as possible: one list of routes, newest first, and
in_netof with the one configured subnet.  Random sequences of
SIOCADDRT, SIOCDELRT (through the system call), interface down/up,
holding and releasing routes and lookups must give the same errno, the
same route, the same rts_wildcard/rts_unreach counts and the same table
as the kernel; afterwards the refcount audit holds and the routing
table's memory is what its routes account for.
"""

import socket
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kern import config, init_main, syscalls
from kern.headers import native as h
from kern.net import route
from kern.syscalls import SysError
from tests.conftest import configure, ifreq
from tests.rtutil import Route, assert_routes_balanced, rtable_memory, rtentry, table

ffi = h.ffi

# le0 is 10.0.0.1 on the class A net 10; le1 is 128.32.1.1 on subnet 1 of
# the class B net 128.32, subnetted with 255.255.255.0.
IFADDR = {"le0": "10.0.0.1", "le1": "128.32.1.1"}
# Small pools, so that routes collide (same destination, same network,
# same gateway) often; lookups also try addresses no route names.
DESTS = ["192.168.5.5", "192.168.5.0", "172.16.9.9", "128.32.2.5", "128.32.2.0",
         "128.32.0.0", "10.0.0.9", "0.0.0.0"]
PROBES = DESTS + ["192.168.5.6", "172.16.0.1", "128.32.1.5", "128.32.2.9", "128.32.0.7",
                  "11.1.1.1", "224.0.0.1"]
GATEWAYS = ["10.0.0.2", "10.0.0.3", "128.32.1.254", "172.16.0.1", "10.0.0.1"]
FLAGS = [0, h.RTF_GATEWAY, h.RTF_HOST, h.RTF_HOST | h.RTF_GATEWAY]
CONFIGS = {
    "RTHASHSIZ 8": "",
    "GATEWAY": "options GATEWAY\n",
    "RTHASHSIZ=3": "options RTHASHSIZ=3\n",
}


def addr(dotted: str) -> int:
    return int.from_bytes(socket.inet_aton(dotted), "big")


def netof(dotted: str) -> int:
    """in_netof, for this configuration: classful, and 128.32 subnetted by 255.255.255.0."""
    i = addr(dotted)
    if i >> 31 == 0:
        net = i & 0xFF000000
    elif i >> 30 == 2:
        net = i & 0xFFFF0000
    elif i >> 29 == 6:
        net = i & 0xFFFFFF00
    else:
        return 0
    return i & 0xFFFFFF00 if net == addr("128.32.0.0") else net


class Model:
    """The routing table as the reference describes it."""

    def __init__(self):
        self.up = {"le0": True, "le1": True}
        # the interface routes in_ifinit made, newest first
        self.routes = [dict(dst="128.32.1.0", gw="128.32.1.1", flags=h.RTF_UP, ifname="le1",
                            refs=0),
                       dict(dst="10.0.0.0", gw="10.0.0.1", flags=h.RTF_UP, ifname="le0", refs=0)]
        self.trash = []
        self.wildcard = self.unreach = 0

    def _matches(self, r, dst, gw, flags):
        if (r["flags"] & h.RTF_HOST) != (flags & h.RTF_HOST) or r["gw"] != gw:
            return False
        return r["dst"] == dst if flags & h.RTF_HOST else netof(r["dst"]) == netof(dst)

    def _ifname(self, gw, flags):
        if not flags & h.RTF_GATEWAY:
            for name, a in IFADDR.items():
                if a == gw:
                    return name
        for name, a in IFADDR.items():
            if netof(a) == netof(gw):
                return name
        return None

    def add(self, dst, gw, flags):
        if any(self._matches(r, dst, gw, flags) for r in self.routes):
            return h.EEXIST
        ifname = self._ifname(gw, flags)
        if ifname is None:
            return h.ENETUNREACH
        stored = h.RTF_UP | (flags & (h.RTF_HOST | h.RTF_GATEWAY))
        self.routes.insert(0, dict(dst=dst, gw=gw, flags=stored, ifname=ifname, refs=0))
        return 0

    def delete(self, dst, gw, flags):
        for r in self.routes:
            if self._matches(r, dst, gw, flags):
                self.routes.remove(r)
                if r["refs"]:
                    r["flags"] &= ~h.RTF_UP
                    self.trash.append(r)
                return 0
        return h.ESRCH

    def lookup(self, dst):
        usable = [r for r in self.routes if self.up[r["ifname"]]]
        for r in usable:
            if r["flags"] & h.RTF_HOST and r["dst"] == dst:
                return r
        for r in usable:
            if not r["flags"] & h.RTF_HOST and netof(r["dst"]) == netof(dst):
                return r
        for r in usable:
            if not r["flags"] & h.RTF_HOST and netof(r["dst"]) == 0:
                self.wildcard += 1
                return r
        self.unreach += 1
        return None

    def release(self, r):
        r["refs"] -= 1
        if r in self.trash and r["refs"] == 0:
            self.trash.remove(r)


OPS = {
    "add": st.tuples(st.just("add"), st.sampled_from(DESTS), st.sampled_from(GATEWAYS),
                     st.sampled_from(FLAGS)),
    "del": st.tuples(st.just("del"), st.sampled_from(DESTS), st.sampled_from(GATEWAYS),
                     st.sampled_from(FLAGS)),
    "lookup": st.tuples(st.just("lookup"), st.sampled_from(PROBES)),
    "hold": st.tuples(st.just("hold"), st.sampled_from(PROBES)),
    "release": st.tuples(st.just("release"), st.integers(0, 7)),
    "delheld": st.tuples(st.just("delheld"), st.integers(0, 7)),
    "ifflags": st.tuples(st.just("ifflags"), st.sampled_from(["le0", "le1"]), st.booleans()),
}
# Adds and lookups weigh more: a collision (same destination, network or
# gateway) needs several adds before the lookup that shows it.
op = st.sampled_from(["add"] * 4 + ["lookup"] * 3 + ["del", "hold", "release", "delheld",
                                                    "ifflags"]) \
    .flatmap(OPS.__getitem__)


def same(model_route, rt) -> bool:
    if model_route is None:
        return not rt
    r = Route(rt)
    return (r.dst, r.gateway, r.flags, r.ifname) == (
        model_route["dst"], model_route["gw"], model_route["flags"], model_route["ifname"])


def boot(extra: str, rundir: str):
    init_main.boot(config.GENERIC + 'device le1 at wire "lan1"\n' + extra, rundir)
    sc = syscalls.attach(uid=0)
    configure(sc, b"le0", IFADDR["le0"])
    configure(sc, b"le1", IFADDR["le1"], "255.255.255.0")
    return sc, sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)


def run(ops, extra):
    with tempfile.TemporaryDirectory() as d:
        sc, s = boot(extra, d)
        try:
            check(sc, s, ops)
        finally:
            init_main.shutdown()


def check(sc, s, ops):
    model, held = Model(), []          # held: (struct route *, model route)
    def holder():
        return [ro for ro, _ in held]
    route.register_holder(holder)
    base_inuse = rtable_memory()[0] - len(model.routes)
    try:
        for o in ops:
            kind = o[0]
            if kind == "delheld" and held:            # delete a route someone holds
                r = held[o[1] % len(held)][1]
                o = ("del", r["dst"], r["gw"], r["flags"] & (h.RTF_HOST | h.RTF_GATEWAY))
                kind = "del"
            if kind in ("add", "del"):
                _, dst, gw, flags = o
                want = model.add(dst, gw, flags) if kind == "add" else model.delete(dst, gw, flags)
                try:
                    sc.ioctl(s, h.SIOCADDRT if kind == "add" else h.SIOCDELRT,
                             rtentry(dst, gw, flags))
                    got = 0
                except SysError as e:
                    got = e.errno
                assert got == want, o
            elif kind in ("lookup", "hold"):
                ro = ffi.new("struct route *")
                ro.ro_dst = rtentry(o[1], "0.0.0.0").rt_dst
                route.rtalloc(ro)
                want = model.lookup(o[1])
                assert same(want, ro.ro_rt), o
                if ro.ro_rt and kind == "hold":
                    want["refs"] += 1
                    held.append((ro, want))
                elif ro.ro_rt:
                    route.RTFREE(ro.ro_rt)
            elif kind == "release" and held:
                ro, r = held.pop(o[1] % len(held))
                route.RTFREE(ro.ro_rt)
                model.release(r)
            elif kind == "ifflags":
                _, name, up = o
                r = ifreq(name.encode())
                sc.ioctl(s, h.SIOCGIFFLAGS, r)
                r.ifr_ifru.ifru_flags = (r.ifr_ifru.ifru_flags & ~h.IFF_UP) | (h.IFF_UP if up else 0)
                sc.ioctl(s, h.SIOCSIFFLAGS, r)
                model.up[name] = up
            assert (route.rtstat.rts_wildcard, route.rtstat.rts_unreach) == (model.wildcard,
                                                                            model.unreach)
            assert sorted(table()) == sorted((r["dst"], r["gw"], r["flags"]) for r in model.routes)
            assert route.rttrash_p[0] == len(model.trash)
            assert all(same(r, ro.ro_rt) for ro, r in held)
            assert_routes_balanced()
        while held:
            ro, r = held.pop()
            route.RTFREE(ro.ro_rt)
            model.release(r)
        assert route.rttrash_p[0] == 0
        assert_routes_balanced()
        assert rtable_memory()[0] == base_inuse + len(model.routes)
    finally:
        route.unregister_holder(holder)


@pytest.mark.parametrize("extra", CONFIGS.values(), ids=CONFIGS.keys())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=10, max_size=60))
def test_rtalloc_and_rtrequest_agree_with_the_reference_model(extra, ops):
    run(ops, extra)
