"""The routing tables: rthost and rtnet hash chains of rtentry mbufs.

4.3BSD-Tahoe net/route.c 7.4 and net/route.h 7.4 (seed 002, "The
Cartographer's Ledger", "Gate Permissions", "The Route Vault").  A route
is a ``struct rtentry`` held in an MT_RTABLE mbuf; host routes hang on
``rthost[RTHASHMOD(hosthash)]`` and network routes on
``rtnet[RTHASHMOD(nethash)]``, each bucket a chain through ``m_next``
with the newest route first.  Both arrays, ``rthashsize``, ``rtstat``,
``rttrash`` and the all-zero ``wildcard`` key are kernel globals, so
``netstat -r`` walks the chains through kvm exactly as the kernel does.
RTHASHSIZ is 8, 64 with ``options GATEWAY``, or ``options RTHASHSIZ=n``
(<net/route.h>, evaluated under the kernel's options: kern/param.py).

``rtalloc`` looks a destination up in three passes (host chain, net
chain, then the wildcard: a default route is a net route to 0.0.0.0),
skipping routes that are down or whose interface is down, and takes a
reference (``rt_refcnt``).  ``RTFREE``/``rtfree`` give it back; a route
deleted while still referenced stays allocated, marked down and counted
in ``rttrash``, until its last holder lets go.  ``rtredirect`` acts on
ICMP redirects with Tahoe's counters (not 4.3BSD 7.1's, nor SVR4's:
see its docstring), and ``rtioctl`` is SIOCADDRT/SIOCDELRT for both
personalities (the SVR4 layer, kern/compat/svr4, passes them through).

One addition a C kernel of 1988 did not need: beside the host chains the
kernel keeps a Python dict, ``_hostindex``, from a host route's 16-byte
destination to the routes with that destination, in chain order; it is
kept by rtrequest, the only code that links or unlinks a host route.
The chains stay the one truth (tools read them, rtrequest walks and
edits them); the dict only lets rtalloc's host pass find what a walk of
``rthost[RTHASHMOD(hash)]`` would find (the first route with equal hash
and destination that is up on an interface that is up), in constant
time, which is what makes a million host routes usable.  rtrequest's
own search still walks the chain, as Tahoe's did, so loading many
routes into few buckets shows the table's real cost (bench/route_scale.py).

Every holder of a route (a ``struct route`` kept by a pcb, the
forwarding cache ...) registers a function that yields it, so that
``rt_audit`` can check each ``rt_refcnt`` against the holders that
really point at the route (DESIGN.md section 9).
"""

from kern import ksyms, param
from kern.headers import native as h
from kern.kern_proc import suser
from kern.net.af import afswitch
from kern.uipc_mbuf import m_free, m_get

ffi = h.ffi

RTF_UP, RTF_GATEWAY, RTF_HOST = h.RTF_UP, h.RTF_GATEWAY, h.RTF_HOST
RTF_DYNAMIC, RTF_MODIFIED = h.RTF_DYNAMIC, h.RTF_MODIFIED
IFF_UP = h.IFF_UP
AF_MAX = h.AF_MAX
SIOCADDRT, SIOCDELRT = h.SIOCADDRT, h.SIOCDELRT
MSIZE = h.MSIZE
NULL = ffi.NULL
SOCKADDR = ffi.sizeof("struct sockaddr")
_RTENTRY_P = ffi.typeof("struct rtentry *")
RTENTRY_SIZE = ffi.sizeof("struct rtentry")
_RO_DST = ffi.offsetof("struct route", "ro_dst")
_RO_DST_BYTES = slice(_RO_DST, _RO_DST + SOCKADDR)
_buffer = ffi.buffer

rthost = None          # struct mbuf *[RTHASHSIZ]
rtnet = None
rthashsize = 8
rtstat = None          # struct rtstat *
rttrash_p = None       # int *: deleted routes still held
wildcard = None        # struct sockaddr *: all zero, the default route's key
_RTHASHMOD = None
_hostindex = {}        # rt_dst bytes -> (struct rtentry *, ...) in chain order
_trash = {}            # kernel address -> struct rtentry *, deleted but held
_holders = []          # functions yielding the struct route * a subsystem keeps


def rtinit_tables() -> None:
    """Place the tables in kernel memory with this kernel's RTHASHSIZ.

    Tahoe's tables are static arrays sized at compile time (route.h);
    here they are allocated at boot, after the protocols, with the size
    the configuration's options give (kern/param.py kconst).
    """
    global rthost, rtnet, rthashsize, rtstat, rttrash_p, _RTHASHMOD, wildcard
    rthashsize = param.kconst.RTHASHSIZ
    _RTHASHMOD = param.kconst.RTHASHMOD
    rthost = ksyms.data("rthost", "struct mbuf *", rthashsize)
    rtnet = ksyms.data("rtnet", "struct mbuf *", rthashsize)
    ksyms.data("rthashsize", "int")[0] = rthashsize
    rtstat = ksyms.data("rtstat", "struct rtstat")
    rttrash_p = ksyms.data("rttrash", "int")
    wildcard = ksyms.data("wildcard", "struct sockaddr")
    _hostindex.clear()
    _trash.clear()


def _short(v: int) -> int:
    """v as a C short: the rtstat counters wrap at 32767 as they did."""
    return ((v + 0x8000) & 0xFFFF) - 0x8000


def _sabytes(sa) -> bytes:
    """The 16 bytes of a struct sockaddr *, what route.c's bcmp compares."""
    return _buffer(sa, SOCKADDR)[:]


def _chain(m):
    """The (mbuf, rtentry) pairs of one hash chain, head first."""
    while m:
        yield m, ffi.cast(_RTENTRY_P, m.m_hdr.mh_data)
        m = m.m_hdr.mh_next


# ---------------------------------------------------------------------------
# Lookup and release.

def rtalloc(ro) -> None:
    """Find a route for ro->ro_dst and hold it in ro->ro_rt (route.c rtalloc).

    ro is a ``struct route *``.  A held route that is up with an
    interface is kept as it is.  Otherwise the host chain is searched
    for the whole 16-byte destination, then the net chain for a route
    of the same family on the destination's network, then rtnet[0]
    again for a net route matching the all-zero wildcard (the default
    route); each pass skips routes that are down or whose interface is
    down, and the first match, the newest, wins.  A hit takes a
    reference; rts_wildcard counts a default-route answer and
    rts_unreach a miss, which leaves ro_rt as it was (Tahoe does not
    clear a stale route; its callers RTFREE before they look again).
    Seed 002, "The Cartographer's Ledger" and "The Route Vault".
    """
    rt = ro.ro_rt
    if rt and rt.rt_ifp and rt.rt_flags & RTF_UP:
        return
    # The host pass, through the index (see the module docstring).
    for rt in _hostindex.get(_buffer(ro)[_RO_DST_BYTES], ()):
        if rt.rt_flags & RTF_UP and rt.rt_ifp.if_flags & IFF_UP:
            rt.rt_refcnt += 1
            ro.ro_rt = rt
            return
    dst = ffi.addressof(ro, "ro_dst")
    af = dst.sa_family
    if af >= AF_MAX:
        return
    sw = afswitch[af]
    match = sw.af_netmatch
    for key, hash in ((dst, sw.af_hash(dst)[1]), (wildcard, 0)):
        for _, rt in _chain(rtnet[_RTHASHMOD(hash)]):
            if rt.rt_hash != hash or not rt.rt_flags & RTF_UP \
                    or not rt.rt_ifp.if_flags & IFF_UP:
                continue
            if rt.rt_dst.sa_family != af or not match(ffi.addressof(rt, "rt_dst"), key):
                continue
            rt.rt_refcnt += 1
            if key is wildcard:
                rtstat.rts_wildcard = _short(rtstat.rts_wildcard + 1)
            ro.ro_rt = rt
            return
    rtstat.rts_unreach = _short(rtstat.rts_unreach + 1)


def rtfree(rt) -> None:
    """Drop a reference; free a deleted route at its last (route.c rtfree).

    A NULL route panics, as in Tahoe.  A route still in the tables
    (RTF_UP) is never freed here, whatever its count.  Seed 002, "Gate
    Permissions".
    """
    if not rt:
        from kern.subr_prf import panic
        panic("rtfree")
    rt.rt_refcnt -= 1
    if rt.rt_refcnt == 0 and not rt.rt_flags & RTF_UP:
        rttrash_p[0] -= 1
        del _trash[int(ffi.cast("uintptr_t", rt))]
        m_free(dtom(rt))


def RTFREE(rt) -> None:
    """The route.h RTFREE macro: rtfree at the last reference, else only decrement."""
    if rt.rt_refcnt == 1:
        rtfree(rt)
    else:
        rt.rt_refcnt -= 1


def dtom(rt):
    """The mbuf that holds a structure (sys/mbuf.h dtom): round down to MSIZE."""
    return ffi.cast("struct mbuf *", int(ffi.cast("uintptr_t", rt)) & ~(MSIZE - 1))


# ---------------------------------------------------------------------------
# Changing the tables.

def rtioctl(cmd: int, data, p, anyone: bool = False) -> int:
    """SIOCADDRT and SIOCDELRT (route.c rtioctl); data is the kernel copy.

    Tahoe's order: a command other than the two is EINVAL, then the
    caller must be the super-user (EPERM), then rtrequest answers
    (EAFNOSUPPORT first).  Seed 002, "Gate Permissions".  The SVR4
    personality comes here too, with the same numbers and the same
    rtentry, and keeps this root check (DESIGN.md section 1), which
    SVR4.0 did not have (man/man4/route.4); anyone (the SVR4 layer
    under ``options SVR4_ROUTE_ANYONE``) skips it, as SVR4.0 did.
    """
    if cmd != SIOCADDRT and cmd != SIOCDELRT:
        return h.EINVAL
    error = 0 if anyone else suser(p)
    if error:
        return error
    return rtrequest(cmd, ffi.cast(_RTENTRY_P, data))


def rtrequest(req: int, entry) -> int:
    """Add (SIOCADDRT) or delete (SIOCDELRT) the route entry describes (route.c rtrequest).

    entry's RTF_HOST picks the table (rthost with the host hash, else
    rtnet with the net hash).  A route matches when its hash is equal,
    its destination is (all 16 bytes for a host route; the same family
    and the family's netmatch for a net route), *and* all 16 bytes of
    its gateway are: so the same destination through another gateway
    is a second route, which is prepended and found first.

    Errors: EAFNOSUPPORT for a family >= AF_MAX; on delete ESRCH when
    nothing matches; on add EEXIST when something does, ENETUNREACH
    when no interface reaches the gateway (ifa_ifwithroute) and ENOBUFS
    when no mbuf is left.  A new route is stored with RTF_UP and the
    caller's RTF_HOST, RTF_GATEWAY and RTF_DYNAMIC only, whether or not
    its interface is up.  A deleted route still referenced is marked
    down and counted in rttrash; rtfree frees it at its last release.
    Any other req is EINVAL (Tahoe's switch fell through with 0; only
    rtioctl and rtinit call this, always with one of the two).  Seed
    002, "The Cartographer's Ledger" and "The Route Vault".
    """
    af = entry.rt_dst.sa_family
    if af >= AF_MAX:
        return h.EAFNOSUPPORT
    dst = ffi.addressof(entry, "rt_dst")
    gateway = ffi.addressof(entry, "rt_gateway")
    sw = afswitch[af]
    hosthash, nethash = sw.af_hash(dst)
    ishost = entry.rt_flags & RTF_HOST
    hash, table = (hosthash, rthost) if ishost else (nethash, rtnet)
    bucket = _RTHASHMOD(hash)
    prev, m, rt = _rtsearch(table[bucket], hash, ishost, dst, gateway, sw.af_netmatch)
    if req == SIOCDELRT:
        if not m:
            return h.ESRCH
        if prev:
            prev.m_hdr.mh_next = m.m_hdr.mh_next
        else:
            table[bucket] = m.m_hdr.mh_next
        if ishost:
            _hostindex_remove(rt)
        if rt.rt_refcnt > 0:
            rt.rt_flags &= ~RTF_UP
            rttrash_p[0] += 1
            _trash[int(ffi.cast("uintptr_t", rt))] = rt
            m.m_hdr.mh_next = NULL
        else:
            m_free(m)
        return 0
    if req != SIOCADDRT:
        return h.EINVAL
    if m:
        return h.EEXIST
    ifa = ifa_ifwithroute(entry.rt_flags, dst, gateway)
    if not ifa:
        return h.ENETUNREACH
    m = m_get(h.M_DONTWAIT, h.MT_RTABLE)
    if not m:
        return h.ENOBUFS
    m.m_hdr.mh_next = table[bucket]
    table[bucket] = m
    m.m_hdr.mh_len = RTENTRY_SIZE
    rt = ffi.cast(_RTENTRY_P, m.m_hdr.mh_data)
    rt.rt_hash = hash
    rt.rt_dst = entry.rt_dst
    rt.rt_gateway = entry.rt_gateway
    rt.rt_flags = RTF_UP | (entry.rt_flags & (RTF_HOST | RTF_GATEWAY | RTF_DYNAMIC))
    rt.rt_refcnt = 0
    rt.rt_use = 0
    rt.rt_ifp = ifa.ifa_ifp
    if ishost:
        key = _sabytes(dst)
        _hostindex[key] = (rt,) + _hostindex.get(key, ())
    return 0


def _rtsearch(m, hash: int, ishost: int, dst, gateway, netmatch):
    """rtrequest's walk of one chain: (previous mbuf, mbuf, rtentry) of the match.

    The mbuf is NULL (and the rtentry None) when nothing matches; the
    previous mbuf is NULL when the match heads the chain.
    """
    dstkey = _sabytes(dst) if ishost else None
    gwkey = _sabytes(gateway)
    af = dst.sa_family
    prev = NULL
    while m:                    # the hot loop of a long chain: no generator here
        hdr = m.m_hdr
        rt = ffi.cast(_RTENTRY_P, hdr.mh_data)
        if rt.rt_hash == hash:
            rdst = ffi.addressof(rt, "rt_dst")
            if (_sabytes(rdst) == dstkey if ishost
                    else rdst.sa_family == af and netmatch(rdst, dst)) \
                    and _sabytes(ffi.addressof(rt, "rt_gateway")) == gwkey:
                return prev, m, rt
        prev = m
        m = hdr.mh_next
    return prev, NULL, None


def ifa_ifwithroute(flags: int, dst, gateway):
    """The interface address a new route will send through, or NULL.

    Tahoe does this inside rtrequest; Reno moved it into a function of
    this name (route.c), which keeps Tahoe's choice.  A route to an
    interface (no RTF_GATEWAY) is known by the far end of a
    point-to-point link when it is a host route, else by our own
    address in the gateway field; a route through a gateway by the
    gateway being the far end of a point-to-point link.  Failing those,
    any interface on the gateway's network will do.
    """
    from kern.net import if_
    if not flags & RTF_GATEWAY:
        ifa = NULL
        if flags & RTF_HOST:
            ifa = if_.ifa_ifwithdstaddr(dst)
        if not ifa:
            ifa = if_.ifa_ifwithaddr(gateway)
    else:
        ifa = if_.ifa_ifwithdstaddr(gateway)
    if not ifa:
        ifa = if_.ifa_ifwithnet(gateway)
    return ifa


def _hostindex_remove(rt) -> None:
    """Take a host route out of the index (rtrequest unlinked it from its chain)."""
    key = _sabytes(ffi.addressof(rt, "rt_dst"))
    rest = tuple(r for r in _hostindex[key] if r != rt)
    if rest:
        _hostindex[key] = rest
    else:
        del _hostindex[key]


def rtinit(dst, gateway, cmd: int, flags: int) -> int:
    """Add or delete the route to an interface (route.c rtinit).

    in_ifinit and SIOCSIFDSTADDR install and remove an interface's own
    route this way (seed 002, "The Cartographer's Ledger"); rtredirect
    adds its dynamic routes the same way.  The C function ignores
    rtrequest's answer; it is returned here for the tests, and every
    caller still ignores it.
    """
    entry = ffi.new("struct rtentry *")
    entry.rt_dst = dst[0]
    entry.rt_gateway = gateway[0]
    entry.rt_flags = flags
    return rtrequest(cmd, entry)


def rtredirect(dst, gateway, flags: int, src) -> None:
    """Act on an ICMP redirect of dst to gateway, sent by src (route.c rtredirect).

    dst, gateway and src are ``struct sockaddr *``; flags is
    RTF_GATEWAY, with RTF_HOST for a host redirect.  The outcome is
    counted in rtstat as 4.3BSD-Tahoe counts it (ioctl reference 4.5):

    * the gateway is on none of our networks: ignored, rts_badredirect;
    * the route found does not go through src, or the gateway is one of
      our own addresses (a loop): ignored, rts_badredirect;
    * no route, or only the default route: a new dynamic route
      (RTF_GATEWAY|RTF_DYNAMIC, and RTF_HOST for a host redirect),
      rts_dynamic, counted even if rtinit then fails;
    * a net route through a gateway, redirected for one host: a new
      dynamic host route beside it, rts_dynamic;
    * any other route through a gateway: the gateway is replaced and the
      route marked RTF_MODIFIED, rts_newgateway;
    * a route to an interface: ignored, rts_badredirect.

    4.3BSD 7.1 and SVR4 also count rts_newgateway when they add the host
    route of the fourth case, and 7.1 has no RTF_MODIFIED; Tahoe is
    followed here.  The lookup itself counts rts_unreach or
    rts_wildcard as every rtalloc does.
    """
    from kern.net import if_
    if not if_.ifa_ifwithnet(gateway):
        rtstat.rts_badredirect = _short(rtstat.rts_badredirect + 1)
        return
    ro = ffi.new("struct route *")
    ro.ro_dst = dst[0]
    rtalloc(ro)
    rt = ro.ro_rt
    if (rt and _sabytes(src) != _sabytes(ffi.addressof(rt, "rt_gateway"))) \
            or if_.ifa_ifwithaddr(gateway):
        rtstat.rts_badredirect = _short(rtstat.rts_badredirect + 1)
        if rt:
            rtfree(rt)
        return
    if rt and afswitch[dst.sa_family].af_netmatch(wildcard, ffi.addressof(rt, "rt_dst")):
        rtfree(rt)
        rt = NULL
    if not rt:
        rtinit(dst, gateway, SIOCADDRT, (flags & RTF_HOST) | RTF_GATEWAY | RTF_DYNAMIC)
        rtstat.rts_dynamic = _short(rtstat.rts_dynamic + 1)
        return
    if rt.rt_flags & RTF_GATEWAY:
        if not rt.rt_flags & RTF_HOST and flags & RTF_HOST:
            rtinit(dst, gateway, SIOCADDRT, flags | RTF_DYNAMIC)
            rtstat.rts_dynamic = _short(rtstat.rts_dynamic + 1)
        else:
            rt.rt_gateway = gateway[0]
            rt.rt_flags |= RTF_MODIFIED
            rtstat.rts_newgateway = _short(rtstat.rts_newgateway + 1)
    else:
        rtstat.rts_badredirect = _short(rtstat.rts_badredirect + 1)
    rtfree(rt)


# ---------------------------------------------------------------------------
# The refcount audit.

def register_holder(func) -> None:
    """Make func, which yields the ``struct route *`` a subsystem keeps, known to rt_audit.

    Registering the same function again changes nothing, so a subsystem
    may register from its init function at every boot.  func is called
    at audit time and must read the kernel's current state (module
    globals set at boot), never a pointer saved from an earlier boot.
    """
    if func not in _holders:
        _holders.append(func)


def unregister_holder(func) -> None:
    """Forget a holder (a test that held routes of its own is done)."""
    if func in _holders:
        _holders.remove(func)


def routes():
    """Every route in the tables: the host chains, then the net chains."""
    for table in (rthost, rtnet):
        for i in range(rthashsize):
            for _, rt in _chain(table[i]):
                yield rt


def rt_audit() -> list:
    """Check every route's rt_refcnt against the holders that point at it.

    Walks every registered holder, counts the references each route
    really has, and returns one tuple for each thing that is wrong:
    ``(address, rt_refcnt, holders)`` for a route (in the tables or
    deleted and still held) whose count differs, ``(address, None,
    holders)`` for a holder pointing at no route, and ``("rttrash",
    rttrash, held deleted routes)`` when rttrash is off.  An empty list
    is a kernel whose route references balance (DESIGN.md section 9).
    """
    held = {}
    for func in _holders:
        for ro in func():
            if ro.ro_rt:
                a = int(ffi.cast("uintptr_t", ro.ro_rt))
                held[a] = held.get(a, 0) + 1
    bad = []
    seen = set()
    for rt in list(routes()) + list(_trash.values()):
        a = int(ffi.cast("uintptr_t", rt))
        seen.add(a)
        if rt.rt_refcnt != held.get(a, 0):
            bad.append((a, rt.rt_refcnt, held.get(a, 0)))
    bad.extend((a, None, n) for a, n in held.items() if a not in seen)
    if len(_trash) != rttrash_p[0]:
        bad.append(("rttrash", rttrash_p[0], len(_trash)))
    return bad
