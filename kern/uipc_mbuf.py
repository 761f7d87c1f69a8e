"""Memory buffers (mbufs) and their statistics.

4.3BSD-Reno kern/uipc_mbuf.c and sys/mbuf.h.  Two kinds of mbuf share
one set of statistics (``mbstat``, read by ``netstat -m``):

* mbufs in kernel memory, ``struct mbuf`` allocated with malloc as Reno's
  MGET does.  The routing tables keep each ``rtentry`` in one of these
  (type MT_RTABLE), chained through ``m_next``, because netstat walks
  exactly that (seed 002, "The Route Vault").
* packet mbufs, which carry packets through the protocol layers; they
  come with the packet path.

``mbstat.m_mtypes[type]`` counts every mbuf of each type in use, of
either kind, at every moment.
"""

from kern import ksyms
from kern.headers import native as h
from kern.kern_malloc import free, malloc

ffi = h.ffi

MSIZE = h.MSIZE
mbstat = None         # struct mbstat *, in the arena (``_mbstat``)

# Reno's mbtypes[]: which malloc type each mbuf type is charged to.
_MBTYPES = {h.MT_RTABLE: h.M_RTABLE, h.MT_SOCKET: h.M_SOCKET, h.MT_PCB: h.M_PCB,
            h.MT_SONAME: h.M_SONAME, h.MT_SOOPTS: h.M_SOOPTS, h.MT_IFADDR: h.M_IFADDR}


def mbinit() -> None:
    """Place mbstat in kernel memory (uipc_mbuf.c mbinit)."""
    global mbstat
    mbstat = ksyms.data("mbstat", "struct mbstat")


def m_get(how: int, type: int):
    """A kernel-memory mbuf of the given type (Reno MGET), or NULL.

    With M_DONTWAIT an exhausted arena gives NULL (counted in m_drops);
    m_data points at the mbuf's own data area.
    """
    addr = malloc(MSIZE, _MBTYPES.get(type, h.M_MBUF), h.M_NOWAIT)
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


def m_free(m):
    """Free one kernel-memory mbuf; return its successor (Reno MFREE)."""
    n = m.m_hdr.mh_next
    mbstat.m_mtypes[m.m_hdr.mh_type] = (mbstat.m_mtypes[m.m_hdr.mh_type] - 1) & 0xFFFF
    mbstat.m_mbufs -= 1
    free(int(ffi.cast("uintptr_t", m)), _MBTYPES.get(m.m_hdr.mh_type, h.M_MBUF))
    return n


def m_freem(m) -> None:
    """Free a chain of mbufs."""
    if m is None:
        return
    if isinstance(m, ffi.CData):
        while m != ffi.NULL:
            m = m_free(m)
        return
    m.m_freem()


def mtod(m, ctype: str):
    """The data of a kernel-memory mbuf as a pointer to ctype (sys/mbuf.h mtod)."""
    return ffi.cast(ctype + " *", m.m_hdr.mh_data)
