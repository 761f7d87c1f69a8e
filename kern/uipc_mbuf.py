"""Memory buffers (mbufs), their allocator and their statistics.

4.3BSD-Tahoe kern/uipc_mbuf.c and 4.3BSD-Reno/4.4BSD-Lite2 sys/mbuf.h
(the Reno mbuf, with m_data, packet headers and external clusters, as
<sys/mbuf.h> explains).  Two kinds of mbuf share one set of statistics,
``mbstat`` (``_mbstat`` in kernel memory, read by ``netstat -m``):

* **kernel-memory mbufs**: a ``struct mbuf`` in the arena, for the types
  whose contents tools read through kvm (MT_RTABLE, MT_FTABLE, MT_PCB,
  MT_SOCKET, MT_IFADDR, MT_HTABLE, MT_ATABLE, MT_ZOMBIE).  The routing
  tables keep each ``rtentry`` in one (seed 002, "The Route Vault") and
  the reassembly queues each ``struct ipq``.  They are cffi pointers,
  chained through ``m.m_hdr.mh_next`` with ffi.NULL at the end, as in C.
* **packet mbufs**: every other type (MT_DATA, MT_HEADER, MT_SONAME,
  MT_CONTROL, MT_SOOPTS ...).  They carry packets and socket data, and
  are instances of the Python class ``mbuf`` below, chosen over structs
  in the arena by bench/mbuf_repr.py: on a driver's m_devget, a header
  read and a free, the Python object over a bytearray (with mbstat kept)
  is 1.6 times faster than a struct mbuf from a free list in the arena
  (without mbstat), and 7 times faster than one from malloc.

The packet mbuf API (kept stable: other layers build on it)
-----------------------------------------------------------

Fields keep the C names: ``m_next`` and ``m_nextpkt`` (another mbuf or
None, C's NULL), ``m_len``, ``m_type``, ``m_flags`` (M_EXT, M_PKTHDR,
M_EOR, M_BCAST, M_MCAST), ``m_pkthdr.len`` and ``m_pkthdr.rcvif`` (a
``struct ifnet *`` or None) when M_PKTHDR is set, and ``m_ext`` (the
cluster, with ``ext_buf`` and ``ext_size``) when M_EXT is set.

``m_data`` is where the data starts, as an *offset into* ``m_buf``, the
storage the data lives in: the mbuf's own ``m_dat`` (MLEN bytes; the data
area of a packet-header mbuf starts MLEN - MHLEN bytes in, where C keeps
``m_pktdat``) or the cluster's ``ext_buf`` (MCLBYTES).  Arithmetic on
``m_data`` therefore reads as C's pointer arithmetic (``m.m_data +=
hlen``).  ``m_cbuf`` is the same storage as a cffi ``char *``.

* ``m_get(how, type)``, ``m_gethdr(how, type)``, ``m_getclr``: a new mbuf
  or None (MGET, MGETHDR; ``how`` is M_DONTWAIT or M_WAIT).  ``MGET(how,
  type)`` is the fast path of m_get for a type that is surely a packet
  type (MT_DATA, MT_HEADER, MT_SONAME ...).
* ``MCLGET(m, how)``: give m a cluster; M_EXT is set only on success.
* ``m_free(m)`` returns ``m.m_next``; ``m_freem(m)`` frees a chain.
* ``mtod(m, "struct ip")``: a cffi ``struct ip *`` over the data (for
  both kinds of mbuf).  ``mtod(m)`` without a type: a memoryview of the
  m_len data bytes.
* ``m_adj``, ``m_pullup`` (returns the new head or None, having freed the
  chain), ``m_copym``/``m_copy`` (shares clusters, as Reno does),
  ``m_copydata(m, off, len)`` (returns bytes; with ``cp`` copies into a
  writable buffer instead), ``m_copyback``, ``m_cat``, ``m_prepend``,
  ``M_PREPEND(m, plen, how)`` (returns the new head or None),
  ``M_LEADINGSPACE``, ``M_TRAILINGSPACE``, ``M_ALIGN``, ``MH_ALIGN``,
  ``M_COPY_PKTHDR``.
* ``m_devget(buf, totlen, off0, ifp)``: a driver's received frame (bytes)
  as a packet-header chain with rcvif set, or None.
* ``m_length(m)``: the bytes in a chain (a helper of our own).

The allocator
-------------

Allocation is Tahoe's: mbufs come from the free list ``mfree`` and
clusters from ``mclfree``; when a list is empty ``m_clalloc`` carves a
new page of the mbuf map (NMBCLUSTERS pages, ``mbmap``) into mbufs or
clusters.  A page is never given back, so ``m_mbufs`` counts the mbufs
carved and ``m_mtypes[MT_FREE]`` those on the free list; ``m_clusters``
and ``m_clfree`` likewise for clusters.  Hence, at every moment,
``sum(m_mtypes) == m_mbufs`` and the mbufs in use are ``m_mbufs -
m_mtypes[MT_FREE]``.  When the map is full, the Reno/NetBSD retry path
runs: ``m_reclaim`` asks every protocol to ``pr_drain`` (``m_drain``),
then the allocation is tried again; success counts ``m_wait``, failure
``m_drops`` (NetBSD uipc_mbuf.c m_retry).  netkern never sleeps for an
mbuf: an M_WAIT allocation that still fails returns None as well.
"""

from kern import ksyms
from kern.headers import native as h
from kern.kern_malloc import free, malloc
from kern.subr_prf import panic

ffi = h.ffi

MSIZE = h.MSIZE
MLEN = h.MLEN
MHLEN = h.MHLEN
MINCLSIZE = h.MINCLSIZE
MCLBYTES = h.MCLBYTES
CLBYTES = h.CLBYTES
M_EXT, M_PKTHDR, M_EOR = h.M_EXT, h.M_PKTHDR, h.M_EOR
M_BCAST, M_MCAST = h.M_BCAST, h.M_MCAST
M_COPYFLAGS = h.M_COPYFLAGS
M_COPYALL = h.M_COPYALL
M_DONTWAIT, M_WAIT = h.M_DONTWAIT, h.M_WAIT
MT_FREE, MT_DATA, MT_HEADER = h.MT_FREE, h.MT_DATA, h.MT_HEADER
PKTDAT = MLEN - MHLEN        # where m_pktdat starts inside m_dat

# Space the link and protocol layers may need in front of a packet
# (uipc_domain.c sets these in 4.4BSD: 16 for Ethernet, 40 for TCP/IP).
max_linkhdr = 16
max_protohdr = 40

mbstat = None         # struct mbstat *, in the arena (``_mbstat``)
_mtypes = None        # mbstat.m_mtypes as a memoryview of u_short (the same bytes)
mfree = []            # free packet mbufs (Tahoe's mfree list)
mclfree = []          # free clusters (Tahoe's mclfree list)
nmbclusters = 0       # pages in the mbuf map
_mbmap_used = 0       # pages of it carved so far
_logged = False       # "mbuf map full" is logged once, as in Tahoe

# Reno's mbtypes[]: which malloc type each kernel-memory mbuf is charged to.
_MBTYPES = {h.MT_RTABLE: h.M_RTABLE, h.MT_SOCKET: h.M_SOCKET, h.MT_PCB: h.M_PCB,
            h.MT_IFADDR: h.M_IFADDR, h.MT_FTABLE: h.M_FTABLE, h.MT_HTABLE: h.M_HTABLE,
            h.MT_ATABLE: h.M_MBUF, h.MT_ZOMBIE: h.M_ZOMBIE}


class pkthdr:
    """struct pkthdr: the packet's total length and receiving interface."""

    __slots__ = ("len", "rcvif")

    def __init__(self):
        self.len = 0
        self.rcvif = None


class mcluster:
    """An mbuf cluster: MCLBYTES of storage, shared by reference count.

    Plays ``struct m_ext`` for the mbufs that point at it (``ext_buf``,
    ``ext_size``) and Tahoe's ``mclrefcnt[]`` entry (``refcnt``).
    """

    __slots__ = ("ext_buf", "ext_cbuf", "ext_size", "refcnt")

    def __init__(self):
        self.ext_buf = bytearray(MCLBYTES)
        self.ext_cbuf = ffi.from_buffer("char[]", self.ext_buf)
        self.ext_size = MCLBYTES
        self.refcnt = 0


class mbuf:
    """A packet mbuf (see the module docstring for the fields)."""

    __slots__ = ("m_next", "m_nextpkt", "m_len", "m_data", "m_type", "m_flags",
                 "m_pkthdr", "m_ext", "m_buf", "m_cbuf", "m_dat", "m_cdat")

    def __init__(self):
        self.m_dat = bytearray(MLEN)
        self.m_cdat = ffi.from_buffer("char[]", self.m_dat)
        self.m_pkthdr = pkthdr()
        self.m_next = self.m_nextpkt = self.m_ext = None
        self.m_buf, self.m_cbuf = self.m_dat, self.m_cdat
        self.m_len = self.m_data = self.m_flags = 0
        self.m_type = MT_FREE

    def __repr__(self):
        return f"<mbuf type {self.m_type} flags {self.m_flags:#x} len {self.m_len}>"


def mbinit() -> None:
    """Set up the mbuf map and its first page of each kind (Tahoe uipc_mbuf.c mbinit).

    mbstat goes into kernel memory; the free lists start empty and one
    page is carved into mbufs and one into clusters, as Tahoe does with
    NCL_INIT.  Failing that is a panic, as there.
    """
    global mbstat, _mtypes, mfree, mclfree, nmbclusters, _mbmap_used, _logged
    from kern import param
    mbstat = ksyms.data("mbstat", "struct mbstat")
    # The per-type counts change twice per allocation: a memoryview of the
    # same kernel memory updates them at half the cost of cffi indexing.
    _mtypes = memoryview(ffi.buffer(mbstat.m_mtypes)).cast("H")
    mfree, mclfree = [], []
    nmbclusters = param.kconst.NMBCLUSTERS
    _mbmap_used = 0
    _logged = False
    if not m_clalloc(1, MPG_MBUFS) or not m_clalloc(1, MPG_CLUSTERS):
        panic("mbinit")


MPG_MBUFS, MPG_CLUSTERS = 0, 1


def m_clalloc(ncl: int, how: int) -> int:
    """Carve ncl pages of the mbuf map into mbufs or clusters; 1, or 0 if full.

    Ports Tahoe uipc_mbuf.c m_clalloc: the map has NMBCLUSTERS pages; a
    page gives CLBYTES/MSIZE mbufs or CLBYTES/MCLBYTES clusters, which go
    on the free lists.  A full map is logged once ("mbuf map full").
    """
    global _mbmap_used, _logged
    if _mbmap_used + ncl > nmbclusters:
        if not _logged:
            _logged = True
            from kern.subr_prf import log
            log(h.LOG_ERR, "mbuf map full\n")
        return 0
    _mbmap_used += ncl
    if how == MPG_CLUSTERS:
        n = ncl * CLBYTES // MCLBYTES
        mclfree.extend(mcluster() for _ in range(n))
        mbstat.m_clfree += n
        mbstat.m_clusters += n
    else:
        n = ncl * CLBYTES // MSIZE
        mfree.extend(mbuf() for _ in range(n))
        mbstat.m_mbufs += n
        mbstat.m_mtypes[MT_FREE] += n
    return 1


def m_reclaim() -> None:
    """Ask every protocol to give back memory (pr_drain); count m_drain.

    Reno/4.4BSD uipc_mbuf.c m_reclaim; Tahoe did the same inside m_expand.
    """
    from kern.uipc_domain import _domain_list, _protos
    for dp in _domain_list:
        for pr in _protos(dp):
            if pr.pr_drain != ffi.NULL:
                ksyms.call(pr.pr_drain)
    mbstat.m_drain += 1


def _mget(how: int, type: int):
    """Take a packet mbuf off mfree (Tahoe MGET with m_more), or None.

    Mbufs on mfree are kept clean (m_free resets them), so only the type
    changes here.
    """
    if not mfree and not m_clalloc(1, MPG_MBUFS):
        m_reclaim()
        if not mfree:
            mbstat.m_drops += 1
            return None
        mbstat.m_wait += 1
    m = mfree.pop()
    mt = _mtypes
    mt[MT_FREE] -= 1
    mt[type] += 1
    m.m_type = type
    return m


MGET = _mget                # the macro: a packet mbuf of a packet type, no questions asked


def m_get(how: int, type: int):
    """A new mbuf of type, or None/NULL when memory is exhausted (m_get).

    Types whose contents tools read through kvm get a ``struct mbuf`` in
    kernel memory (malloc'ed as Reno's MGET does, a cffi pointer, ffi.NULL
    on failure); every other type gets a packet mbuf.
    """
    if type not in _MBTYPES:
        return _mget(how, type)
    mtype = _MBTYPES[type]
    addr = malloc(MSIZE, mtype, h.M_NOWAIT)
    if addr == 0:
        mbstat.m_drops += 1
        return ffi.NULL
    m = ffi.cast("struct mbuf *", addr)
    ffi.memmove(m, bytes(MSIZE), MSIZE)
    m.m_hdr.mh_type = type
    m.m_hdr.mh_data = ffi.cast("caddr_t", ffi.addressof(m.M_dat, "M_databuf"))
    mbstat.m_mbufs += 1
    # m_mtypes[] is u_short: past 65535 mbufs of a type (a million
    # routes) the count wraps, as it did in C, instead of overflowing.
    mbstat.m_mtypes[type] = (mbstat.m_mtypes[type] + 1) & 0xFFFF
    return m


def m_gethdr(how: int, type: int):
    """A new packet-header mbuf (MGETHDR): M_PKTHDR set, data at m_pktdat."""
    m = _mget(how, type)
    if m is not None:
        m.m_flags = M_PKTHDR
        m.m_data = PKTDAT
        ph = m.m_pkthdr
        ph.len = 0
        ph.rcvif = None
    return m


def m_getclr(how: int, type: int):
    """A new packet mbuf whose data area is zeroed (m_getclr)."""
    m = _mget(how, type)
    if m is not None:
        m.m_dat[:] = bytes(MLEN)
    return m


def MCLGET(m, how: int) -> None:
    """Attach a cluster to m; M_EXT tells the caller whether it worked.

    Tahoe's MCLALLOC takes one off mclfree, carving a new page when the
    list is empty; a failure counts m_drops.
    """
    if not mclfree and not m_clalloc(1, MPG_CLUSTERS):
        mbstat.m_drops += 1
        return
    cl = mclfree.pop()
    mbstat.m_clfree -= 1
    cl.refcnt = 1
    m.m_ext = cl
    m.m_buf, m.m_cbuf = cl.ext_buf, cl.ext_cbuf
    m.m_data = 0
    m.m_flags |= M_EXT


def _mclfree(cl) -> None:
    """MCLFREE: drop a reference to a cluster; the last puts it back on mclfree."""
    cl.refcnt -= 1
    if cl.refcnt == 0:
        mclfree.append(cl)
        mbstat.m_clfree += 1


def m_free(m):
    """Free one mbuf and return its successor (MFREE).

    A kernel-memory mbuf goes back to malloc; a packet mbuf releases its
    cluster, if any, and returns to mfree as MT_FREE.
    """
    if m.__class__ is not mbuf:
        n = m.m_hdr.mh_next
        mbstat.m_mtypes[m.m_hdr.mh_type] = (mbstat.m_mtypes[m.m_hdr.mh_type] - 1) & 0xFFFF
        mbstat.m_mbufs -= 1
        free(int(ffi.cast("uintptr_t", m)), _MBTYPES.get(m.m_hdr.mh_type, h.M_MBUF))
        return n
    n = m.m_next
    t = m.m_type
    if t == MT_FREE:
        panic("m_free: freeing free mbuf")
    mt = _mtypes
    mt[t] -= 1
    mt[MT_FREE] += 1
    m.m_type = MT_FREE
    if m.m_flags & M_EXT:
        _mclfree(m.m_ext)
        m.m_ext = None
        m.m_buf, m.m_cbuf = m.m_dat, m.m_cdat
    m.m_next = m.m_nextpkt = m.m_pkthdr.rcvif = None
    m.m_len = m.m_data = m.m_flags = 0
    mfree.append(m)
    return n


def m_freem(m) -> None:
    """Free a chain of mbufs (m_freem); None or NULL is allowed."""
    if m is None:
        return
    if m.__class__ is mbuf:
        while m is not None:
            m = m_free(m)
        return
    while m != ffi.NULL:
        m = m_free(m)


_ptrtypes = {}


def _ptrtype(ctype: str):
    t = _ptrtypes.get(ctype)
    if t is None:
        t = _ptrtypes[ctype] = ffi.typeof(ctype + " *")
    return t


def mtod(m, ctype: str | None = None):
    """The data of an mbuf as a pointer to ctype (sys/mbuf.h mtod).

    Without ctype, a memoryview of the m_len bytes of a packet mbuf.
    """
    try:                            # the common case: a packet mbuf, a known type
        return ffi.cast(_ptrtypes[ctype], m.m_cbuf + m.m_data)
    except (KeyError, AttributeError):
        pass
    if m.__class__ is mbuf:
        if ctype is None:
            return memoryview(m.m_buf)[m.m_data:m.m_data + m.m_len]
        return ffi.cast(_ptrtype(ctype), m.m_cbuf + m.m_data)
    return ffi.cast(_ptrtype(ctype or "char"), m.m_hdr.mh_data)


def m_length(m) -> int:
    """The number of data bytes in a chain."""
    n = 0
    while m is not None:
        n += m.m_len
        m = m.m_next
    return n


def M_LEADINGSPACE(m) -> int:
    """Bytes free before the data (a cluster counts none, as in Reno)."""
    if m.m_flags & M_EXT:
        return 0
    return m.m_data - (PKTDAT if m.m_flags & M_PKTHDR else 0)


def M_TRAILINGSPACE(m) -> int:
    """Bytes free after the data."""
    return len(m.m_buf) - (m.m_data + m.m_len)


def M_ALIGN(m, len: int) -> None:
    """Place len bytes at the end of a fresh plain mbuf, long-aligned."""
    m.m_data += (MLEN - len) & ~7


def MH_ALIGN(m, len: int) -> None:
    """M_ALIGN for a fresh packet-header mbuf."""
    m.m_data += (MHLEN - len) & ~7


def M_COPY_PKTHDR(to, frm) -> None:
    """Copy the packet header (and the flags that go with it) from frm to to."""
    to.m_pkthdr.len = frm.m_pkthdr.len
    to.m_pkthdr.rcvif = frm.m_pkthdr.rcvif
    to.m_flags = frm.m_flags & M_COPYFLAGS
    to.m_data = PKTDAT


def m_prepend(m, len: int, how: int):
    """Put a new mbuf with len bytes in front of a chain (4.4BSD m_prepend).

    The packet header moves to the new mbuf.  On failure the chain is
    freed and None returned.
    """
    mn = _mget(how, m.m_type)
    if mn is None:
        m_freem(m)
        return None
    if m.m_flags & M_PKTHDR:
        M_COPY_PKTHDR(mn, m)
        m.m_flags &= ~M_PKTHDR
    mn.m_next = m
    if len < MHLEN:
        MH_ALIGN(mn, len)
    mn.m_len = len
    return mn


def M_PREPEND(m, plen: int, how: int):
    """Make room for plen bytes before the data; return the head or None.

    The sys/mbuf.h macro: use the leading space of the first mbuf when
    there is enough, else m_prepend.  The packet length grows by plen.
    """
    if M_LEADINGSPACE(m) >= plen:
        m.m_data -= plen
        m.m_len += plen
    else:
        m = m_prepend(m, plen, how)
    if m is not None and m.m_flags & M_PKTHDR:
        m.m_pkthdr.len += plen
    return m


def m_copym(m, off0: int, len: int, wait: int):
    """Copy len bytes of a chain from off0 (4.4BSD m_copym); None on failure.

    Cluster data is shared, not copied: the copy points into the same
    cluster and the cluster's reference count goes up, as Reno does.
    With off0 == 0 the packet header is copied too.  M_COPYALL copies to
    the end.
    """
    off = off0
    if off < 0 or len < 0:
        panic("m_copym")
    copyhdr = off == 0 and m.m_flags & M_PKTHDR
    while off > 0:
        if m is None:
            panic("m_copym")
        if off < m.m_len:
            break
        off -= m.m_len
        m = m.m_next
    top = prev = None
    while len > 0:
        if m is None:
            if len != M_COPYALL:
                panic("m_copym")
            break
        n = _mget(wait, m.m_type)
        if n is None:
            m_freem(top)
            return None
        if prev is None:
            top = n
        else:
            prev.m_next = n
        if copyhdr:
            M_COPY_PKTHDR(n, m)
            n.m_pkthdr.len = n.m_pkthdr.len - off0 if len == M_COPYALL else len
            copyhdr = False
        n.m_len = cnt = min(len, m.m_len - off)
        if m.m_flags & M_EXT:
            cl = m.m_ext
            cl.refcnt += 1
            n.m_ext = cl
            n.m_buf, n.m_cbuf = m.m_buf, m.m_cbuf
            n.m_data = m.m_data + off
            n.m_flags |= M_EXT
        else:
            s, d = m.m_data + off, n.m_data
            n.m_buf[d:d + cnt] = m.m_buf[s:s + cnt]
        if len != M_COPYALL:
            len -= cnt
        off = 0
        m = m.m_next
        prev = n
    return top


def m_copy(m, off: int, len: int):
    """m_copym with M_DONTWAIT: the 4.3BSD name the protocols use."""
    return m_copym(m, off, len, M_DONTWAIT)


def m_copydata(m, off: int, length: int, cp=None):
    """The length bytes of a chain from off (m_copydata).

    Returns them as bytes; with cp (a writable buffer or cffi pointer)
    copies them there instead and returns None.  Asking past the end of
    the chain panics, as in Tahoe.
    """
    if off < 0 or length < 0:
        panic("m_copydata")
    while off > 0:
        if m is None:
            panic("m_copydata")
        if off < m.m_len:
            break
        off -= m.m_len
        m = m.m_next
    parts = []
    while length > 0:
        if m is None:
            panic("m_copydata")
        cnt = min(m.m_len - off, length)
        s = m.m_data + off
        parts.append(m.m_buf[s:s + cnt])
        length -= cnt
        off = 0
        m = m.m_next
    data = b"".join(parts)
    if cp is None:
        return data
    if isinstance(cp, ffi.CData):
        ffi.memmove(cp, data, len(data))
    else:
        cp[:len(data)] = data
    return None


def m_copyback(m0, off: int, length: int, cp) -> None:
    """Write length bytes of cp into a chain at off, extending it if needed.

    4.4BSD-Lite2 uipc_mbuf.c m_copyback: mbufs added at the tail are
    plain mbufs of the chain's type, and the packet length grows.
    """
    data = ffi.buffer(cp, length)[:] if isinstance(cp, ffi.CData) else bytes(cp[:length])
    m = m0
    totlen = 0
    while off > m.m_len:
        off -= m.m_len
        totlen += m.m_len
        if m.m_next is None:
            n = m_getclr(M_DONTWAIT, m.m_type)
            if n is None:
                length = 0          # C's "goto out"
                break
            n.m_len = min(MLEN, length + off)
            m.m_next = n
        m = m.m_next
    pos = 0
    while length > 0:
        mlen = min(m.m_len - off, length)
        d = m.m_data + off
        m.m_buf[d:d + mlen] = data[pos:pos + mlen]
        pos += mlen
        length -= mlen
        totlen += mlen + off
        off = 0
        if length == 0:
            break
        if m.m_next is None:
            n = _mget(M_DONTWAIT, m.m_type)
            if n is None:
                break
            n.m_len = min(MLEN, length)
            m.m_next = n
        m = m.m_next
    if m0.m_flags & M_PKTHDR and m0.m_pkthdr.len < totlen:
        m0.m_pkthdr.len = totlen


def m_cat(m, n) -> None:
    """Append chain n to chain m (4.4BSD m_cat); the packet header is not updated.

    Small data is copied into the last mbuf of m while it fits in its
    own data area, otherwise the chains are simply joined.
    """
    while m.m_next is not None:
        m = m.m_next
    while n is not None:
        if m.m_flags & M_EXT or m.m_data + m.m_len + n.m_len >= MLEN:
            m.m_next = n
            return
        d, s, cnt = m.m_data + m.m_len, n.m_data, n.m_len
        m.m_buf[d:d + cnt] = n.m_buf[s:s + cnt]
        m.m_len += cnt
        n = m_free(n)


def m_adj(mp, req_len: int) -> None:
    """Trim req_len bytes from the head (positive) or the tail (negative) of a chain.

    4.4BSD-Lite2 uipc_mbuf.c m_adj: emptied mbufs stay in the chain with
    m_len 0; the packet header's length follows.
    """
    m = mp
    if m is None:
        return
    length = req_len
    if length >= 0:
        while m is not None and length > 0:
            if m.m_len <= length:
                length -= m.m_len
                m.m_len = 0
                m = m.m_next
            else:
                m.m_len -= length
                m.m_data += length
                length = 0
        if mp.m_flags & M_PKTHDR:
            mp.m_pkthdr.len -= req_len - length
        return
    length = -length
    count = 0
    while True:
        count += m.m_len
        if m.m_next is None:
            break
        m = m.m_next
    if m.m_len >= length:
        m.m_len -= length
        if mp.m_flags & M_PKTHDR:
            mp.m_pkthdr.len -= length
        return
    count = max(0, count - length)
    m = mp
    if m.m_flags & M_PKTHDR:
        m.m_pkthdr.len = count
    while m is not None:
        if m.m_len >= count:
            m.m_len = count
            break
        count -= m.m_len
        m = m.m_next
    m = m.m_next if m is not None else None
    while m is not None:
        m.m_len = 0
        m = m.m_next


def m_pullup(n, len: int):
    """Make the first len bytes of a chain contiguous in its first mbuf.

    4.4BSD-Lite2 uipc_mbuf.c m_pullup: returns the (possibly new) head,
    or None after freeing the chain when len cannot be had (more than
    MHLEN, or the chain is too short).  Up to max_protohdr bytes are
    pulled when there is room, to spare the next layer a call.
    """
    if not n.m_flags & M_EXT and n.m_data + len < MLEN and n.m_next is not None:
        if n.m_len >= len:
            return n
        m = n
        n = n.m_next
        len -= m.m_len
    else:
        if len > MHLEN:
            m_freem(n)
            return None
        m = _mget(M_DONTWAIT, n.m_type)
        if m is None:
            m_freem(n)
            return None
        m.m_len = 0
        if n.m_flags & M_PKTHDR:
            M_COPY_PKTHDR(m, n)
            n.m_flags &= ~M_PKTHDR
    space = MLEN - (m.m_data + m.m_len)
    while True:
        count = min(max(len, max_protohdr), space, n.m_len)
        d, s = m.m_data + m.m_len, n.m_data
        m.m_buf[d:d + count] = n.m_buf[s:s + count]
        len -= count
        m.m_len += count
        n.m_len -= count
        space -= count
        if n.m_len:
            n.m_data += count
        else:
            n = m_free(n)
        if len <= 0 or n is None:
            break
    if len > 0:
        m_free(m)
        m_freem(n)
        return None
    m.m_next = n
    return m


def m_devget(buf, totlen: int, off0: int = 0, ifp=None):
    """A received frame as an mbuf chain with a packet header (4.4BSD m_devget).

    buf holds totlen bytes from the device.  Frames of MINCLSIZE bytes
    or more go into clusters; a short frame is placed max_linkhdr bytes
    into its mbuf so that a header can be prepended later without a new
    mbuf.  Trailer encapsulation (off0) is not supported: 4.3 trailers
    are ignored by netkern's drivers.  Returns None when mbufs run out.
    """
    mv = memoryview(buf)
    m = _mget(M_DONTWAIT, MT_DATA)          # MGETHDR
    if m is None:
        return None
    m.m_flags = M_PKTHDR
    m.m_data = PKTDAT
    ph = m.m_pkthdr
    ph.rcvif = ifp
    ph.len = totlen
    m.m_len = MHLEN if totlen else 0      # (C leaves MHLEN for an empty frame)
    top = m
    prev = None
    cp = 0
    while totlen > 0:
        if prev is not None:
            m = _mget(M_DONTWAIT, MT_DATA)
            if m is None:
                m_freem(top)
                return None
            m.m_len = MLEN
            prev.m_next = m
        length = totlen
        if length >= MINCLSIZE:
            MCLGET(m, M_DONTWAIT)
            if m.m_flags & M_EXT:
                m.m_len = length = min(length, MCLBYTES)
            else:
                length = m.m_len
        elif length < m.m_len:
            if prev is None and length + max_linkhdr <= m.m_len:
                m.m_data += max_linkhdr
            m.m_len = length
        else:
            length = m.m_len
        d = m.m_data
        m.m_buf[d:d + length] = mv[cp:cp + length]
        cp += length
        totlen -= length
        prev = m
    return top
