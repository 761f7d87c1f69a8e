"""netstat -i and the interval display: the interfaces and their counters.

Ports 4.3BSD-Tahoe ucb/netstat/if.c (intpr, sidewaysintpr) and SVR4.0
cmd/cmd-inet/usr.bin/netstat/if.c (utilities-reference sections 3.3
and 3.4).  The interfaces are the kernel's ``ifnet`` list, each
address of an interface on a row of its own.  SVR4 read its own
``ifstats`` chain; netkern's kernel keeps the 4.3 ``ifnet`` in both
personalities, so the SVR4 program reads that list (``ifs_active`` is
IFF_UP) and prints it in SVR4's columns.
"""

import time

from usr_sbin import libc

MAXIF = 10


def _name(ns, ifp) -> str:
    """The 16 bytes at if_name, cut at 15 as the original's name[16]."""
    try:
        raw = ns.kd.read_bytes(ifp.if_name, 16)
    except Exception:
        raw = b""
    return libc.cstr(raw[:15])


def intpr(ns, interval, ifnetaddr):
    """The interface table (if.c intpr); with an interval, the running display."""
    p = ns.p
    svr4 = p.svr4
    if ifnetaddr == 0:
        p.printf("ifstats: symbol not defined\n" if svr4 else "ifnet: symbol not defined\n")
        return
    if interval:
        sidewaysintpr(ns, interval, ifnetaddr)
        return
    head = ns.read(ifnetaddr, "struct ifnet *")
    off = libc.kaddr(head[0]) if head is not None else 0
    if svr4:
        p.printf("%-6.6s %-5.5s %-10.10s  %-12.12s %-7.7s %-5.5s %-7.7s %-5.5s",
                 "Name", "Mtu", "Network", "Address", "Ipkts", "Ierrs", "Opkts", "Oerrs")
        p.printf(" %-6.6s", "Collis")
    else:
        p.printf("%-5.5s %-5.5s %-11.11s %-15.15s %8.8s %5.5s %8.8s %5.5s",
                 "Name", "Mtu", "Network", "Address", "Ipkts", "Ierrs", "Opkts", "Oerrs")
        p.printf(" %5s", "Coll")
        if ns.tflag:
            p.printf(" %s", "Time")
        if ns.dflag:
            p.printf(" %s", "Drop")
    p.printf("\n")
    ifaddraddr = 0
    ifnet = name = None
    while off or ifaddraddr:
        if ifaddraddr == 0:
            ifnet = ns.read(off, "struct ifnet")
            if ifnet is None:
                break
            name = _name(ns, ifnet)
            off = libc.kaddr(ifnet.if_next)
            if ns.interface is not None and (name != ns.interface or ns.unit != ifnet.if_unit):
                continue
            if svr4:
                name += "%x" % (ifnet.if_unit & 0xFFFF)
            else:
                name += chr((ord("0") + ifnet.if_unit) & 0xFF)
            if not ifnet.if_flags & p.h.IFF_UP:
                name += "*"
            ifaddraddr = libc.kaddr(ifnet.if_addrlist)
        p.printf("%-6.6s %-5d " if svr4 else "%-5.5s %-5d ", name, ifnet.if_mtu)
        ifaddraddr = _address(ns, ifaddraddr)
        c = [libc.i32(v) for v in (ifnet.if_ipackets, ifnet.if_ierrors, ifnet.if_opackets,
                                   ifnet.if_oerrors, ifnet.if_collisions)]
        if svr4:
            p.printf("%-7d %-5d %-7d %-5d %-6d", *c)
        else:
            p.printf("%8d %5d %8d %5d %5d", *c)
            if ns.tflag:
                p.printf(" %3d", ifnet.if_timer)
            if ns.dflag:
                p.printf(" %3d", ifnet.if_snd.ifq_drops)
        p.printf("\n")


def _address(ns, ifaddraddr) -> int:
    """Print the Network and Address columns of one address; return the next one."""
    p = ns.p
    svr4 = p.svr4
    netf, addrf = ("%-10.10s  ", "%-12.12s ") if svr4 else ("%-11.11s ", "%-15.15s ")
    ia = ns.read(ifaddraddr, "struct in_ifaddr") if ifaddraddr else None
    if ia is None:
        p.printf(netf, "none")
        p.printf(addrf, "none")
        return 0
    ifa = ia.ia_ifa
    family = ifa.ifa_addr.sa_family
    if family == p.h.AF_UNSPEC:
        p.printf(netf, "none")
        p.printf(addrf, "none")
    elif family == p.h.AF_INET:
        sin = ns.p.ffi.cast("struct sockaddr_in *", ns.p.ffi.addressof(ifa, "ifa_addr"))
        p.printf(netf, libc.netname(p, ia.ia_subnet & 0xFFFFFFFF, ia.ia_subnetmask & 0xFFFFFFFF,
                                    ns.nflag))
        p.printf(addrf, libc.routename(p, sin.sin_addr.s_addr, ns.nflag))
    else:
        p.printf("af%2d: ", family)
        data = bytes(ns.p.ffi.buffer(ifa.ifa_addr.sa_data))
        n = len(data.rstrip(b"\0")) or 1
        sep = "." if n <= (6 if svr4 else 7) else ""
        p.printf(sep.join("%02d" % b for b in data[:n]) + " ")
    return libc.kaddr(ifa.ifa_next)


def sidewaysintpr(ns, interval, off):
    """The running display (if.c sidewaysintpr): one line every interval seconds.

    The interface of -I (else the first) and the total of all, packets
    in and out; the first line after each banner is cumulative, the
    rest are the change over the interval; the banner comes back every
    21 lines.  The original ran until interrupted; ``ns.count`` (tests)
    stops it after that many lines.
    """
    p = ns.p
    svr4 = p.svr4
    head = ns.read(off, "struct ifnet *")
    first = libc.kaddr(head[0]) if head is not None else 0
    names, addrs = [], []
    interesting = 0
    cur = first
    while cur:
        ifnet = ns.read(cur, "struct ifnet")
        if ifnet is None:
            break
        name = _name(ns, ifnet)[:14]
        if ns.interface is not None and name == ns.interface and ns.unit == ifnet.if_unit:
            interesting = len(names)
        names.append("(%s%s)" % (name, ("%x" if svr4 else "%d") % ifnet.if_unit))
        addrs.append(cur)
        if len(names) >= MAXIF - 2:
            break
        cur = libc.kaddr(ifnet.if_next)
    sleep = ns.sleep or time.sleep
    lines = 0
    while True:
        # The banner: it zeroes every saved counter, so the next line is cumulative.
        if svr4:
            p.printf("    input  %-8.8s   output       ", names[interesting] if names else "")
            if names:
                p.printf("   input  (Total)    output       ")
        else:
            p.printf("   input    %-6.6s    output       ", names[interesting] if names else "")
            if names:
                if ns.dflag:
                    p.printf("      ")
                p.printf("     input   (Total)    output")
        saved = [[0] * 6 for _ in names]
        total = [0] * 6
        p.printf("\n")
        cols = ("packets", "errs", "packets", "errs", "colls")
        if svr4:
            p.printf("%-7.7s %-5.5s %-7.7s %-5.5s %-5.5s ", *cols)
            if names:
                p.printf("%-7.7s %-5.5s %-7.7s %-5.5s %-5.5s ", *cols)
        else:
            p.printf("%8.8s %5.5s %8.8s %5.5s %5.5s ", *cols)
            if ns.dflag:
                p.printf("%5.5s ", "drops")
            if names:
                p.printf(" %8.8s %5.5s %8.8s %5.5s %5.5s", *cols)
                if ns.dflag:
                    p.printf(" %5.5s", "drops")
        p.printf("\n")
        p.out.flush()
        line = 0
        while line < 21:
            total = _sample(ns, addrs, interesting, saved, total)
            p.out.flush()
            line += 1
            lines += 1
            if ns.count is not None and lines >= ns.count:
                return
            sleep(interval)


def _sample(ns, addrs, interesting, saved, total):
    """One line of the running display; returns the new total."""
    p = ns.p
    svr4 = p.svr4
    now = [0] * 6
    for i, a in enumerate(addrs):
        ifnet = ns.read(a, "struct ifnet")
        if ifnet is None:
            break
        cur = [libc.i32(v) for v in (ifnet.if_ipackets, ifnet.if_ierrors, ifnet.if_opackets,
                                     ifnet.if_oerrors, ifnet.if_collisions, ifnet.if_snd.ifq_drops)]
        if i == interesting:
            d = [libc.i32(c - s) for c, s in zip(cur, saved[i])]
            if svr4:
                p.printf("%-7d %-5d %-7d %-5d %-5d ", *d[:5])
            else:
                p.printf("%8d %5d %8d %5d %5d", *d[:5])
                if ns.dflag:
                    p.printf(" %5d", d[5])
        saved[i] = cur
        now = [x + y for x, y in zip(now, cur)]
    if addrs:
        d = [libc.i32(c - s) for c, s in zip(now, total)]
        if svr4:
            p.printf("%-7d %-5d %-7d %-5d %-5d\n", *d[:5])
        else:
            p.printf("  %8d %5d %8d %5d %5d", *d[:5])
            if ns.dflag:
                p.printf(" %5d", d[5])
    if not svr4:
        p.printf("\n")
    return now
