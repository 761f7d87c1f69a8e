"""How should a packet mbuf be represented?  The measurement behind kern/uipc_mbuf.py.

DESIGN.md section 4 lets packet mbufs be Python objects as long as
mbstat stays true.  This benchmark runs the same work -- a driver's
m_devget of an 84-byte packet (two mbufs, as MHLEN is 72 here), ip_input
reading eight header fields through ``struct ip``, stripping the header
(m_data, m_len, m_pkthdr.len), and freeing the chain -- over three
representations:

A. the chosen one: a Python object with __slots__ over a bytearray, the
   header read through a cffi ``struct ip *`` cast over the bytearray,
   taken from a free list (kern/uipc_mbuf.py itself);
B. ``struct mbuf`` in the kernel arena, taken from a Tahoe-style free list
   threaded through m_next (no malloc on the path);
C. ``struct mbuf`` in the kernel arena from malloc(9), as 4.3BSD-Reno's
   MGET does.

It prints microseconds per packet and each one's ratio to A.

    python bench/mbuf_repr.py [--packets N]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kern import init_main, kern_malloc  # noqa: E402
from kern.headers import native as h  # noqa: E402

ffi = h.ffi
PKT = bytes(range(84))


def _read_header(ip):
    return (ip.ip_v, ip.ip_hl, ip.ip_len, ip.ip_src.s_addr, ip.ip_dst.s_addr, ip.ip_p,
            ip.ip_off, ip.ip_ttl)


def run_python_objects(n: int) -> float:
    """A: kern/uipc_mbuf.py, as the kernel uses it."""
    from kern.uipc_mbuf import m_devget, m_freem, mtod
    t0 = time.perf_counter()
    for _ in range(n):
        m = m_devget(PKT, len(PKT), 0, None)
        _read_header(mtod(m, "struct ip"))
        m.m_data += 20
        m.m_len -= 20
        m.m_pkthdr.len -= 20
        m_freem(m)
    return (time.perf_counter() - t0) / n


class _ArenaMbufs:
    """struct mbuf in the arena: a Tahoe free list (B) or malloc per mbuf (C)."""

    def __init__(self, use_malloc: bool):
        self.use_malloc = use_malloc
        self.free = ffi.NULL
        if not use_malloc:
            pages = 8
            base = kern_malloc.kmem_alloc_pages(pages)
            for i in range(pages * h.NBPG // h.MSIZE):
                m = ffi.cast("struct mbuf *", base + i * h.MSIZE)
                m.m_hdr.mh_next = self.free
                self.free = m

    def get(self, hdr: bool):
        if self.use_malloc:
            m = ffi.cast("struct mbuf *", kern_malloc.malloc(h.MSIZE, h.M_MBUF, h.M_NOWAIT))
        else:
            m = self.free
            self.free = m.m_hdr.mh_next
        hd = m.m_hdr
        hd.mh_next = hd.mh_nextpkt = ffi.NULL
        hd.mh_type = h.MT_DATA
        hd.mh_len = 0
        if hdr:
            hd.mh_flags = h.M_PKTHDR
            hd.mh_data = m.M_dat.MH.MH_dat.MH_databuf
        else:
            hd.mh_flags = 0
            hd.mh_data = m.M_dat.M_databuf
        return m

    def freem(self, m):
        while m != ffi.NULL:
            n = m.m_hdr.mh_next
            if self.use_malloc:
                kern_malloc.free(int(ffi.cast("uintptr_t", m)), h.M_MBUF)
            else:
                m.m_hdr.mh_next = self.free
                self.free = m
            m = n

    def devget(self, data: bytes):
        m = top = self.get(True)
        ph = m.M_dat.MH.MH_pkthdr
        ph.len, ph.rcvif = len(data), ffi.NULL
        off, room = 0, h.MHLEN
        while True:
            n = min(room, len(data) - off)
            ffi.memmove(m.m_hdr.mh_data, data[off:off + n], n)
            m.m_hdr.mh_len = n
            off += n
            if off >= len(data):
                return top
            nm = self.get(False)
            m.m_hdr.mh_next = nm
            m, room = nm, h.MLEN


def run_arena(n: int, use_malloc: bool) -> float:
    """B and C: the same work on struct mbuf in kernel memory."""
    pool = _ArenaMbufs(use_malloc)
    t0 = time.perf_counter()
    for _ in range(n):
        m = pool.devget(PKT)
        _read_header(ffi.cast("struct ip *", m.m_hdr.mh_data))
        hd = m.m_hdr
        hd.mh_data += 20
        hd.mh_len -= 20
        m.M_dat.MH.MH_pkthdr.len -= 20
        pool.freem(m)
    return (time.perf_counter() - t0) / n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=100000)
    args = ap.parse_args(argv)
    init_main.boot(None, tempfile.mkdtemp(prefix="netkern-bench-"))
    a = min(run_python_objects(args.packets) for _ in range(3))
    b = min(run_arena(args.packets, False) for _ in range(3))
    c = min(run_arena(args.packets, True) for _ in range(3))
    print(f"A  Python object over a bytearray     {a * 1e6:6.2f} us/packet   1.00x")
    print(f"B  struct mbuf in the arena, free list {b * 1e6:6.2f} us/packet   {b / a:4.2f}x")
    print(f"C  struct mbuf in the arena, malloc    {c * 1e6:6.2f} us/packet   {c / a:4.2f}x")
    init_main.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
