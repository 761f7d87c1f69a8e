"""netstat -r and -rs: the routing tables and the routing statistics.

Ports 4.3BSD-Tahoe ucb/netstat/route.c (routepr, rt_stats) and SVR4.0
cmd/cmd-inet/usr.bin/netstat/route.c (utilities-reference sections 3.5
and 3.6; seed 002, "The Route Vault").  The tables are read as the
kernel keeps them: ``rthashsize`` buckets of ``rthost``, then of
``rtnet``, each a chain of MT_RTABLE mbufs holding one rtentry, newest
first; every row shows the route's reference count and use count as
they are in kernel memory.
"""

from usr_sbin import libc

# Flag letters in the order they print; SVR4 has no M, and its own T S V.
_BITS = (("RTF_UP", "U"), ("RTF_GATEWAY", "G"), ("RTF_HOST", "H"), ("RTF_DYNAMIC", "D"),
         ("RTF_MODIFIED", "M"))
_BITS_SVR4 = (("RTF_UP", "U"), ("RTF_GATEWAY", "G"), ("RTF_HOST", "H"), ("RTF_DYNAMIC", "D"),
              ("RTF_TOSWITCH", "T"), ("RTF_SWITCHED", "S"), ("RTF_SLAVE", "V"))


def flagletters(h, flags: int, svr4: bool) -> str:
    """The Flags column: one letter per route flag set."""
    return "".join(c for name, c in (_BITS_SVR4 if svr4 else _BITS) if flags & getattr(h, name))


def routepr(ns, hostaddr, netaddr, hashsizeaddr):
    """The routing tables (route.c routepr)."""
    p = ns.p
    svr4 = p.svr4
    for addr, sym in ((hostaddr, "rthost"), (netaddr, "rtnet"), (hashsizeaddr, "rthashsize")):
        if addr == 0:
            p.printf("%s: symbol not in namelist\n", sym)
            return
    size = ns.read(hashsizeaddr, "int")
    hashsize = max(size[0], 0) if size is not None else 0
    p.printf("Routing tables\n")
    if svr4:
        p.printf("%-20.20s %-20.20s %-8.8s %-6.6s %-10.10s %s\n",
                 "Destination", "Gateway", "Flags", "Refcnt", "Use", "Interface")
    else:
        p.printf("%-16.16s %-18.18s %-6.6s  %6.6s%8.8s  %s\n",
                 "Destination", "Gateway", "Flags", "Refs", "Use", "Interface")
    for table in (hostaddr, netaddr):
        for m in libc.kread_ptrs(ns.kd, table, hashsize):
            while m:
                mb = ns.read(m, "struct mbuf")
                data = libc.kaddr(mb.m_hdr.mh_data) if mb is not None else 0
                if mb is None or not m <= data < m + p.h.MSIZE:
                    p.printf("???\n")        # the rtentry is not inside its mbuf
                    return
                rt = ns.read(data, "struct rtentry")
                _row(ns, rt)
                m = libc.kaddr(mb.m_hdr.mh_next)


def _row(ns, rt):
    """One route: destination, gateway, flags, refs, use, interface."""
    p = ns.p
    svr4 = p.svr4
    ffi = p.ffi
    dst = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_dst"))
    gw = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_gateway"))
    w1, w2 = (20, 20) if svr4 else (16, 18)
    if dst.sin_family == p.h.AF_INET:
        d = dst.sin_addr.s_addr
        if d == 0:
            dname = "default"
        elif rt.rt_flags & p.h.RTF_HOST:
            dname = libc.routename(p, d, ns.nflag)
        else:
            dname = libc.netname(p, libc.ntohl(d), 0, ns.nflag)
        p.printf("%-*.*s ", w1, w1, dname)
        p.printf("%-*.*s ", w2, w2, libc.routename(p, gw.sin_addr.s_addr, ns.nflag))
    else:
        for sa in (rt.rt_dst, rt.rt_gateway):
            s = ffi.cast("unsigned short *", ffi.addressof(sa, "sa_data"))
            p.printf("(%d)%x %x %x %x %x %x %x ", sa.sa_family, *[s[i] for i in range(7)])
    flags = flagletters(p.h, rt.rt_flags, svr4)
    refs, use = libc.i32(rt.rt_refcnt), libc.i32(rt.rt_use)
    if svr4:
        p.printf("%-8.8s %-6d %-10d ", flags, refs, use)
    else:
        p.printf("%-6.6s %6d %8d ", flags, refs, use)
    ifaddr = libc.kaddr(rt.rt_ifp)
    ifnet = ns.read(ifaddr, "struct ifnet") if ifaddr else None
    if ifnet is None:
        p.printf("\n")
        return
    name = libc.cstr(ns.kd.read_bytes(ifnet.if_name, 16))
    if svr4:
        p.printf("%s\n", "%s%d" % (name, ifnet.if_unit))     # the provider's name
    else:
        p.printf(" %.15s%d\n", name, ifnet.if_unit)


def rt_stats(ns, off):
    """routing: the five rtstat counters, zeros included (route.c rt_stats)."""
    p = ns.p
    if off == 0:
        p.printf("rtstat: symbol not in namelist\n")
        return
    st = ns.read(off, "struct rtstat")
    if st is None:
        return
    f = "%d" if p.svr4 else "%u"
    conv = libc.i32 if p.svr4 else libc.u32
    pl = libc.plural
    p.printf("routing:\n")
    for fmt, v in (("\t%s bad routing redirect%%s\n", st.rts_badredirect),
                   ("\t%s dynamically created route%%s\n", st.rts_dynamic),
                   ("\t%s new gateway%%s due to redirects\n", st.rts_newgateway),
                   ("\t%s destination%%s found unreachable\n", st.rts_unreach),
                   ("\t%s use%%s of a wildcard route\n", st.rts_wildcard)):
        p.printf(fmt % f, conv(v), pl(v))
