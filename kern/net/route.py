"""The routing tables: rthost and rtnet hash chains of rtentry mbufs.

4.3BSD-Tahoe net/route.c (seed 002, "The Cartographer's Ledger", "Gate
Permissions", "The Route Vault").  A route is a ``struct rtentry`` held
in an MT_RTABLE mbuf; host routes hang on ``rthost[RTHASHMOD(hash)]`` and
network routes on ``rtnet[...]``, each bucket a chain through
``m_next`` with the newest route first.  Both arrays, ``rthashsize``,
``rtstat`` and ``rttrash`` are kernel globals, so ``netstat -r`` walks the
chains through kvm exactly as the kernel does.

``rtalloc`` looks a destination up in three passes (host chain, net
chain, then the wildcard: a default route is a net route to 0.0.0.0),
skipping routes that are down or whose interface is down, and takes a
reference (``rt_refcnt``).  ``RTFREE``/``rtfree`` give it back; a route
deleted while still referenced stays allocated, marked down and counted
in ``rttrash``, until its last holder lets go.

One addition a C kernel of 1988 did not need: beside the host chains
the kernel keeps a Python dict from destination to the chain's entries
for that destination, in chain order, maintained by rtrequest.  The
chains stay the one truth (tools read them, rtrequest edits them); the
dict only lets rtalloc's host pass find what a chain walk would find,
in constant time, which is what makes a million host routes usable.
"""

from kern import ksyms, param
from kern.headers import native as h
from kern.kern_proc import suser
from kern.net.af import afswitch
from kern.uipc_mbuf import m_free, m_get, mtod

ffi = h.ffi

RTF_UP, RTF_GATEWAY, RTF_HOST = h.RTF_UP, h.RTF_GATEWAY, h.RTF_HOST
RTF_DYNAMIC, RTF_MODIFIED = h.RTF_DYNAMIC, h.RTF_MODIFIED
IFF_UP = h.IFF_UP
SOCKADDR = ffi.sizeof("struct sockaddr")

rthost = None          # struct mbuf *[RTHASHSIZ]
rtnet = None
rthashsize = 8
rtstat = None          # struct rtstat *
rttrash_p = None       # int *: deleted routes still held
_hostindex = {}        # rt_dst bytes -> [struct rtentry *, ...] in chain order
_trash = {}            # kernel address -> struct rtentry *, deleted but held
_holders = []          # functions yielding every struct route * the kernel keeps
_RTHASHMOD = None
wildcard = None        # struct sockaddr *: all zero, the default route's key


def rtinit_tables() -> None:
    """Allocate the tables in kernel memory with this kernel's RTHASHSIZ."""
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


def _key(sa) -> bytes:
    return ffi.buffer(sa, SOCKADDR)[:]


def _chain(bucket):
    """The (mbuf, rtentry) pairs of one hash chain, head first."""
    m = bucket
    while m != ffi.NULL:
        yield m, mtod(m, "struct rtentry")
        m = m.m_hdr.mh_next


def rtalloc(ro) -> None:
    """Find a route for ro.ro_dst and hold it in ro.ro_rt (route.c rtalloc).

    A cached route that is up with an interface is kept.  rts_wildcard
    counts a default-route answer, rts_unreach a miss.
    """
    rt = ro.ro_rt
    if rt != ffi.NULL and rt.rt_ifp != ffi.NULL and rt.rt_flags & RTF_UP:
        return
    dst = ffi.addressof(ro, "ro_dst")
    af = dst.sa_family
    if af >= h.AF_MAX:
        return
    sw = afswitch[af]
    hosthash, nethash = sw.af_hash(dst)
    # Host pass, through the index (see the module comment).
    for rt in _hostindex.get(_key(dst), ()):
        if rt.rt_flags & RTF_UP and rt.rt_ifp.if_flags & IFF_UP:
            rt.rt_refcnt += 1
            ro.ro_rt = rt
            return
    match = sw.af_netmatch
    for probe, hash in ((dst, nethash), (wildcard, 0)):
        for _, rt in _chain(rtnet[_RTHASHMOD(hash)]):
            if rt.rt_hash != hash or not rt.rt_flags & RTF_UP \
                    or not rt.rt_ifp.if_flags & IFF_UP:
                continue
            if rt.rt_dst.sa_family != af or not match(ffi.addressof(rt, "rt_dst"), probe):
                continue
            rt.rt_refcnt += 1
            if probe is wildcard:
                rtstat.rts_wildcard += 1
            ro.ro_rt = rt
            return
    rtstat.rts_unreach += 1


def rtfree(rt) -> None:
    """Release a reference; free a deleted route at its last (route.c rtfree)."""
    if rt == ffi.NULL:
        from kern.subr_prf import panic
        panic("rtfree")
    rt.rt_refcnt -= 1
    if rt.rt_refcnt == 0 and not rt.rt_flags & RTF_UP:
        rttrash_p[0] -= 1
        _trash.pop(int(ffi.cast("uintptr_t", rt)), None)
        m_free(dtom(rt))


def RTFREE(rt) -> None:
    """The route.h macro: rtfree at the last reference, else just decrement."""
    if rt.rt_refcnt == 1:
        rtfree(rt)
    else:
        rt.rt_refcnt -= 1


def dtom(rt):
    """The mbuf that holds a structure (sys/mbuf.h dtom): round down to MSIZE."""
    return ffi.cast("struct mbuf *", int(ffi.cast("uintptr_t", rt)) & ~(h.MSIZE - 1))


def _equal(a, b) -> bool:
    """route.c equal(): all 16 bytes of two sockaddrs."""
    return ffi.buffer(a, SOCKADDR)[:] == ffi.buffer(b, SOCKADDR)[:]


def rtrequest(req: int, entry) -> int:
    """Add (SIOCADDRT) or delete (SIOCDELRT) a route (route.c rtrequest).

    A route matches when its hash and destination match (all 16 bytes
    for a host, the family's netmatch for a net) *and* all 16 bytes of
    its gateway do: so the same destination through another gateway is
    a new route, prepended, and found first.
    """
    from kern.net import if_
    dst = ffi.addressof(entry, "rt_dst")
    gw = ffi.addressof(entry, "rt_gateway")
    af = dst.sa_family
    if af >= h.AF_MAX:
        return h.EAFNOSUPPORT
    sw = afswitch[af]
    hosthash, nethash = sw.af_hash(dst)
    ishost = entry.rt_flags & RTF_HOST
    hash = hosthash if ishost else nethash
    table = rthost if ishost else rtnet
    bucket = _RTHASHMOD(hash)
    prev, found = ffi.NULL, None
    for m, rt in _chain(table[bucket]):
        if rt.rt_hash == hash:
            if ishost:
                same = _equal(ffi.addressof(rt, "rt_dst"), dst)
            else:
                same = rt.rt_dst.sa_family == af and sw.af_netmatch(ffi.addressof(rt, "rt_dst"), dst)
            if same and _equal(ffi.addressof(rt, "rt_gateway"), gw):
                found = (m, rt)
                break
        prev = m

    if req == h.SIOCDELRT:
        if found is None:
            return h.ESRCH
        m, rt = found
        if prev == ffi.NULL:
            table[bucket] = m.m_hdr.mh_next
        else:
            prev.m_hdr.mh_next = m.m_hdr.mh_next
        if ishost:
            _index_remove(rt)
        if rt.rt_refcnt > 0:
            rt.rt_flags &= ~RTF_UP
            rttrash_p[0] += 1
            _trash[int(ffi.cast("uintptr_t", rt))] = rt
            m.m_hdr.mh_next = ffi.NULL
        else:
            m_free(m)
        return 0

    if req != h.SIOCADDRT:
        return h.EINVAL
    if found is not None:
        return h.EEXIST
    ifa = ffi.NULL
    if not entry.rt_flags & RTF_GATEWAY:
        # A route to an interface: a point-to-point peer names the
        # interface, otherwise the gateway is one of our own addresses.
        if ishost:
            ifa = if_.ifa_ifwithdstaddr(dst)
        if ifa == ffi.NULL:
            ifa = if_.ifa_ifwithaddr(gw)
    else:
        # A remote gateway may still be the far end of a point-to-point link.
        ifa = if_.ifa_ifwithdstaddr(gw)
    if ifa == ffi.NULL:
        ifa = if_.ifa_ifwithnet(gw)
        if ifa == ffi.NULL:
            return h.ENETUNREACH
    m = m_get(h.M_DONTWAIT, h.MT_RTABLE)
    if m == ffi.NULL:
        return h.ENOBUFS
    m.m_hdr.mh_next = table[bucket]
    table[bucket] = m
    m.m_hdr.mh_len = ffi.sizeof("struct rtentry")
    rt = mtod(m, "struct rtentry")
    rt.rt_hash = hash
    rt.rt_dst = entry.rt_dst
    rt.rt_gateway = entry.rt_gateway
    rt.rt_flags = RTF_UP | (entry.rt_flags & (RTF_HOST | RTF_GATEWAY | RTF_DYNAMIC))
    rt.rt_refcnt = 0
    rt.rt_use = 0
    rt.rt_ifp = ifa.ifa_ifp
    if ishost:
        _hostindex.setdefault(_key(dst), []).insert(0, rt)
    return 0


def _index_remove(rt) -> None:
    key = _key(ffi.addressof(rt, "rt_dst"))
    lst = _hostindex.get(key)
    if lst is not None:
        for i, r in enumerate(lst):
            if r == rt:
                del lst[i]
                break
        if not lst:
            del _hostindex[key]


def rtinit(dst, gateway, cmd: int, flags: int) -> int:
    """Install or remove an interface's route (route.c rtinit); errors ignored by callers."""
    entry = ffi.new("struct rtentry *")
    entry.rt_dst = dst[0]
    entry.rt_gateway = gateway[0]
    entry.rt_flags = flags
    return rtrequest(cmd, entry)


def rtredirect(dst, gateway, flags: int, src) -> None:
    """Act on an ICMP redirect (route.c rtredirect), counting the outcome in rtstat.

    Ignored (rts_badredirect) when the gateway is not on an attached net,
    when the redirect does not come from the route's current gateway or
    points at one of our own addresses, or when the route is an interface
    route.  A miss or a default-route answer creates a dynamic route
    (rts_dynamic); a net route redirected for one host gets a new host
    route (rts_dynamic); otherwise the gateway is replaced and the route
    marked modified (rts_newgateway).  The lookup itself counts in
    rts_wildcard and rts_unreach as any rtalloc does.
    """
    from kern.net import if_
    if if_.ifa_ifwithnet(gateway) == ffi.NULL:
        rtstat.rts_badredirect += 1
        return
    ro = ffi.new("struct route *")
    ro.ro_dst = dst[0]
    rtalloc(ro)
    rt = ro.ro_rt
    if (rt != ffi.NULL and not _equal(src, ffi.addressof(rt, "rt_gateway"))) \
            or if_.ifa_ifwithaddr(gateway) != ffi.NULL:
        rtstat.rts_badredirect += 1
        if rt != ffi.NULL:
            rtfree(rt)
        return
    if rt != ffi.NULL and afswitch[dst.sa_family].af_netmatch(wildcard, ffi.addressof(rt, "rt_dst")):
        rtfree(rt)
        rt = ffi.NULL
    if rt == ffi.NULL:
        rtinit(dst, gateway, h.SIOCADDRT, (flags & RTF_HOST) | RTF_GATEWAY | RTF_DYNAMIC)
        rtstat.rts_dynamic += 1
        return
    if rt.rt_flags & RTF_GATEWAY:
        if not rt.rt_flags & RTF_HOST and flags & RTF_HOST:
            rtinit(dst, gateway, h.SIOCADDRT, flags | RTF_DYNAMIC)
            rtstat.rts_dynamic += 1
        else:
            rt.rt_gateway = gateway[0]
            rt.rt_flags |= RTF_MODIFIED
            rtstat.rts_newgateway += 1
    else:
        rtstat.rts_badredirect += 1
    rtfree(rt)


def rtioctl(cmd: int, data, p) -> int:
    """SIOCADDRT / SIOCDELRT (route.c rtioctl): EINVAL, then EPERM, then rtrequest."""
    if cmd != h.SIOCADDRT and cmd != h.SIOCDELRT:
        return h.EINVAL
    error = suser(p)
    if error:
        return error
    return rtrequest(cmd, ffi.cast("struct rtentry *", data))


# ---------------------------------------------------------------------------
# The refcount audit.

def register_holder(func) -> None:
    """Register a function yielding struct route * caches that hold routes."""
    if func not in _holders:
        _holders.append(func)


def routes():
    """Every route in the tables, host chains then net chains, each (rtentry)."""
    for table in (rthost, rtnet):
        for i in range(rthashsize):
            for _, rt in _chain(table[i]):
                yield rt


def rt_audit() -> list:
    """Check every route's rt_refcnt against the holders that point to it.

    Walks every registered holder (pcb route caches, the forwarding
    cache ...), counts the references each route really has, and returns
    a list of (route address, rt_refcnt, holders) for each route whose
    count is wrong, including deleted routes kept in rttrash.  An empty
    list is a kernel whose refcounts balance (DESIGN.md section 9).
    """
    held = {}
    for func in _holders:
        for ro in func():
            if ro.ro_rt != ffi.NULL:
                a = int(ffi.cast("uintptr_t", ro.ro_rt))
                held[a] = held.get(a, 0) + 1
    bad = []
    seen = set()
    for rt in list(routes()) + list(_trash.values()):
        a = int(ffi.cast("uintptr_t", rt))
        seen.add(a)
        if rt.rt_refcnt != held.get(a, 0):
            bad.append((a, rt.rt_refcnt, held.get(a, 0)))
    for a, n in held.items():
        if a not in seen:
            bad.append((a, None, n))
    if len(_trash) != rttrash_p[0]:
        bad.append(("rttrash", rttrash_p[0], len(_trash)))
    return bad
