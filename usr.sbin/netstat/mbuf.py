"""netstat -m: mbuf statistics.

Ports 4.3BSD-Tahoe ucb/netstat/mbuf.c (SCCS 5.6; utilities-reference
section 3.9): the mbufs in use by type, then the cluster pages, the
memory given to the network and the failed, delayed and drained
requests, from the kernel's ``mbstat``.
"""

from usr_sbin import libc

# (type, name) in the order mbuf.c lists them.
MBTYPES = (("MT_DATA", "data"), ("MT_HEADER", "packet headers"),
           ("MT_SOCKET", "socket structures"), ("MT_PCB", "protocol control blocks"),
           ("MT_RTABLE", "routing table entries"), ("MT_HTABLE", "IMP host table entries"),
           ("MT_ATABLE", "address resolution tables"),
           ("MT_FTABLE", "fragment reassembly queue headers"),
           ("MT_SONAME", "socket names and addresses"), ("MT_SOOPTS", "socket options"),
           ("MT_RIGHTS", "access rights"), ("MT_IFADDR", "interface addresses"))


def mbpr(ns, mbaddr):
    """The mbuf report (mbuf.c mbpr)."""
    p, h, u = ns.p, ns.p.h, libc.u32
    if mbaddr == 0:
        p.printf("mbstat: symbol not in namelist\n")
        return
    st = ns.read(mbaddr, "struct mbstat")
    if st is None:
        p.printf("mbstat: bad read\n")
        return
    types = st.m_mtypes
    inuse = u(st.m_mbufs - types[h.MT_FREE])
    p.printf("%u/%u mbufs in use:\n", inuse, u(st.m_mbufs))
    seen = {h.MT_FREE}
    total = 0
    for tname, text in MBTYPES:
        t = getattr(h, tname)
        if types[t]:
            seen.add(t)
            p.printf("\t%u mbufs allocated to %s\n", types[t], text)
            total += types[t]
    for t in range(len(types)):
        if t not in seen and types[t]:
            p.printf("\t%u mbufs allocated to <mbuf type %d>\n", types[t], t)
            total += types[t]
    if total != inuse:
        p.printf("*** %u mbufs missing ***\n", u(inuse - total))
    p.printf("%u/%u mapped pages in use\n", u(st.m_clusters - st.m_clfree), u(st.m_clusters))
    totmem = u(st.m_mbufs * h.MSIZE + st.m_clusters * h.CLBYTES)
    totfree = u(types[h.MT_FREE] * h.MSIZE + st.m_clfree * h.CLBYTES)
    # An empty pool divided by zero in 1988 (man/man8/netstat.8, BUGS): 0% here.
    pct = libc.i32(u(totmem - totfree) * 100 // totmem) if totmem else 0
    p.printf("%u Kbytes allocated to network (%d%% in use)\n", totmem // 1024, pct)
    p.printf("%u requests for memory denied\n", u(st.m_drops))
    p.printf("%u requests for memory delayed\n", u(st.m_wait))
    p.printf("%u calls to protocol drain routines\n", u(st.m_drain))
