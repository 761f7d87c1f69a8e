"""Helpers for the routing tests: rtentry arguments, lookups, the refcount audit.

``assert_routes_balanced()`` is the test helper of the route refcount
audit (kern/net/route.py rt_audit): every route's rt_refcnt equals the
holders that point at it, and rttrash counts exactly the deleted routes
still held.  Call it at the end of any test that touches routes.
"""

import contextlib
import importlib
import socket

import pytest

from kern.headers import native as h
from kern.net import route
from kern.syscalls import SysError
from tests.conftest import configure, in_addr

ffi = h.ffi


def rtentry(dst: str, gateway: str, flags: int = 0, family: int = h.AF_INET, abi=h):
    """A struct rtentry of the given ABI, as route(8) fills one for SIOCADDRT."""
    e = abi.ffi.new("struct rtentry *")
    for field, dotted in (("rt_dst", dst), ("rt_gateway", gateway)):
        sa = abi.ffi.addressof(e, field)
        sa.sa_family = family
        abi.ffi.cast("struct sockaddr_in *", sa).sin_addr.s_addr = in_addr(dotted)
    e.rt_flags = flags
    return e


def sockaddr_in(dotted: str):
    """A struct sockaddr * holding an AF_INET address (a kernel-side argument)."""
    sa = ffi.new("struct sockaddr *")
    s = ffi.cast("struct sockaddr_in *", sa)
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = in_addr(dotted)
    return sa


def dotted(sa) -> str:
    """The dotted quad of a struct sockaddr (a route's rt_dst or rt_gateway)."""
    s = ffi.cast("struct sockaddr_in *", ffi.addressof(sa) if ffi.typeof(sa).kind == "struct"
                 else sa)
    return socket.inet_ntoa(int(s.sin_addr.s_addr).to_bytes(4, "little"))


class Route:
    """What a lookup found: a snapshot of the rtentry's fields."""

    def __init__(self, rt):
        from kern.net import if_
        self.dst = dotted(rt.rt_dst)
        self.gateway = dotted(rt.rt_gateway)
        self.flags = rt.rt_flags
        self.refcnt = rt.rt_refcnt
        self.use = rt.rt_use
        self.ifname = if_.if_name(rt.rt_ifp)

    def __repr__(self):
        return f"<route {self.dst} via {self.gateway} flags {self.flags:#x} on {self.ifname}>"


def lookup(dst: str):
    """rtalloc(dst) as a protocol would, then RTFREE: the Route found, or None."""
    ro = ffi.new("struct route *")
    s = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = in_addr(dst)
    route.rtalloc(ro)
    if not ro.ro_rt:
        return None
    found = Route(ro.ro_rt)
    route.RTFREE(ro.ro_rt)
    return found


@contextlib.contextmanager
def held(dst: str):
    """Hold the route to dst in a struct route registered as a holder; RTFREE it at the end.

    Yields the struct route *; its ro_rt is the route held (or NULL).
    """
    ro = ffi.new("struct route *")
    s = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = in_addr(dst)

    def holder():
        return [ro]
    route.register_holder(holder)
    try:
        route.rtalloc(ro)
        yield ro
    finally:
        if ro.ro_rt:
            route.RTFREE(ro.ro_rt)
            ro.ro_rt = ffi.NULL
        route.unregister_holder(holder)


def table():
    """Every route in the chains as (dst, gateway, flags), host chains first."""
    return [(dotted(rt.rt_dst), dotted(rt.rt_gateway), rt.rt_flags) for rt in route.routes()]


def rtstat() -> dict:
    """The routing statistics, by field name."""
    st = route.rtstat
    return {f: getattr(st, f) for f in ("rts_badredirect", "rts_dynamic", "rts_newgateway",
                                        "rts_unreach", "rts_wildcard")}


def assert_routes_balanced() -> None:
    """The route refcount audit holds: no route's count differs from its holders."""
    assert route.rt_audit() == []


def pcb_route(sc, fd: int, dst: str):
    """Have socket fd's pcb cache a route to dst, as ip_output does for a connected socket.

    Sets inp_route.ro_dst and calls rtalloc(&inp->inp_route); the pcb
    then holds the route until in_pcbdetach (close) or an RTFREE.
    Returns the struct route * of the pcb.
    """
    so = ffi.cast("struct socket *", sc.p.u_ofile[fd].f_data)
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    ro = ffi.addressof(inp, "inp_route")
    s = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = in_addr(dst)
    route.rtalloc(ro)
    return ro


def rtable_memory() -> tuple:
    """What the routing table costs: kmemstats[M_RTABLE] in use and bytes, m_mtypes[MT_RTABLE]."""
    from kern import kern_malloc, uipc_mbuf
    ks = kern_malloc.kmemstats[h.M_RTABLE]
    return ks.ks_inuse, ks.ks_memuse, uipc_mbuf.mbstat.m_mtypes[h.MT_RTABLE]


# -- what the routing test files share: the socket, the requests, the SVR4 skip

def needs(module: str, what: str):
    """A skip marker for tests that need a module another part of netkern brings."""
    try:
        importlib.import_module(module)
    except ImportError:
        return pytest.mark.skip(reason=f"{what} ({module}) is not in this tree")
    return pytest.mark.skipif(False, reason=what)


needs_svr4 = needs("kern.compat.svr4.svr4_sockio", "the SVR4 personality")
needs_sl = needs("kern.net.if_sl", "a point-to-point interface")


@pytest.fixture
def s(sc):
    """A UDP socket of root's, with le0 configured as 10.0.0.1 (class A, no subnet).

    Import it into a test module to use it: ``from tests.rtutil import s``.
    """
    configure(sc, b"le0", "10.0.0.1")
    return sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)


def add(sc, s, dst: str, gw: str, flags: int, abi=h) -> None:
    """route add: SIOCADDRT in the caller's ABI."""
    sc.ioctl(s, abi.SIOCADDRT, rtentry(dst, gw, flags, abi=abi))


def delete(sc, s, dst: str, gw: str, flags: int, abi=h) -> None:
    """route delete: SIOCDELRT in the caller's ABI."""
    sc.ioctl(s, abi.SIOCDELRT, rtentry(dst, gw, flags, abi=abi))


def errno_of(call, *args) -> int:
    """The errno of a system call that must fail."""
    with pytest.raises(SysError) as e:
        call(*args)
    return e.value.errno
