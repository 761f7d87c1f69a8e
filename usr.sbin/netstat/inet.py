"""netstat's Internet listings: sockets and the ip, icmp, udp, tcp counters.

Ports 4.3BSD-Tahoe ucb/netstat/inet.c (SCCS 5.11) and SVR4.0
cmd/cmd-inet/usr.bin/netstat/inet.c (utilities-reference sections 3.7
and 3.8).  Every counter line is printed, zeros included, in the
original's order and words; Tahoe prints them with %u, SVR4 with %d.
The ip block keeps the historical mislabelling: ips_tooshort is shown
as "with size smaller than minimum" and ips_toosmall as "with data size
< data length", though the kernel counts them the other way round
(man/man8/netstat.8, BUGS).
"""

from usr_sbin import libc

ICMPNAMES = ("echo reply", "#1", "#2", "destination unreachable", "source quench",
             "routing redirect", "#6", "#7", "echo", "#9", "#10", "time exceeded",
             "parameter problem", "time stamp", "time stamp reply", "information request",
             "information request reply", "address mask request", "address mask reply")

TCPSTATES = ("CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
             "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT")


def _u(ns, v) -> int:
    """A counter as the personality's printf shows it: %u on Tahoe, %d on SVR4."""
    return libc.i32(v) if ns.p.svr4 else libc.u32(v)


def protopr(ns, off, name):
    """The sockets of one protocol, from its circular pcb list (inet.c protopr).

    Without -a a socket whose local address has a zero host part (a
    server bound to INADDR_ANY) is left out.  The header comes once, at
    the first socket shown.
    """
    p = ns.p
    if off == 0:
        return
    istcp = name == "tcp"
    inpcb = ns.read(off, "struct inpcb")
    prev = off
    while inpcb is not None and libc.kaddr(inpcb.inp_next) != off:
        nxt = libc.kaddr(inpcb.inp_next)
        inpcb = ns.read(nxt, "struct inpcb")
        if inpcb is None or libc.kaddr(inpcb.inp_prev) != prev:
            p.printf("corrupt control block chain\n" if p.svr4 else "???\n")
            break
        if not ns.aflag and libc.inet_lnaof(inpcb.inp_laddr.s_addr) == 0:
            prev = nxt
            continue
        so = ns.read(inpcb.inp_socket, "struct socket")
        if not ns.printed_header:
            p.printf("Active Internet connections")
            if ns.aflag:
                p.printf(" (including servers)")
            p.printf("\n")
            if ns.Aflag:
                p.printf("%-8.8s ", "PCB")
            w = 18 if ns.Aflag else 22
            p.printf("%-5.5s %-6.6s %-6.6s  %-*.*s %-*.*s %s\n", "Proto", "Recv-Q", "Send-Q",
                     w, w, "Local Address", w, w, "Foreign Address", "(state)")
            ns.printed_header = True
        if ns.Aflag:
            addr = libc.kaddr(inpcb.inp_ppcb) if istcp and not p.svr4 else nxt
            p.printf("%-8x " if p.svr4 else "%8x ", addr)
        if p.svr4:
            rcv = snd = 0             # SVR4 showed tcp's queues only
        else:
            rcv, snd = libc.i32(so.so_rcv.sb_cc), libc.i32(so.so_snd.sb_cc)
        p.printf("%-5.5s %6d %6d ", name, rcv, snd)
        inetprint(ns, inpcb.inp_laddr.s_addr, inpcb.inp_lport, name)
        inetprint(ns, inpcb.inp_faddr.s_addr, inpcb.inp_fport, name)
        p.printf("\n")
        prev = nxt


def inetprint(ns, s_addr, port, proto):
    """An endpoint: host (or net) name, a dot, service name or port (inet.c inetprint)."""
    p = ns.p
    port = libc.ntohs(port)
    line = "%.*s." % (12 if ns.Aflag and not ns.nflag else 16, inetname(ns, s_addr))
    sp = libc.getservbyport(p, port, proto) if not ns.nflag and port else None
    if sp or port == 0:
        line += "%.8s" % (sp or "*")
    else:
        line += "%d" % port
    w = 18 if ns.Aflag else 22
    p.printf(" %-*.*s", w, w, line)


def inetname(ns, s_addr) -> str:
    """An address for the socket list (inet.c inetname).

    ``*`` for INADDR_ANY; without -n a network name when the classful
    host part is zero, else a host name; else the number.
    """
    p = ns.p
    cp = None
    if not ns.nflag and s_addr != 0:
        if libc.inet_lnaof(s_addr) == 0:
            np = libc.getnetbyaddr(p, libc.inet_netof(s_addr))
            if np:
                cp = np.n_name
        if cp is None:
            hp = libc.gethostbyaddr(p, s_addr)
            if hp:
                cp = hp.h_name
    if s_addr == 0:
        return "*"
    return cp if cp else libc.dotted(libc.ntohl(s_addr))


def _read_stats(ns, off, ctype):
    """The statistics structure at off, or None when it is absent (nothing printed)."""
    return ns.read(off, ctype) if off else None


def _pr(ns, fmt, *args):
    """printf of a counter line: Tahoe's %u is SVR4's %d, of a 32-bit counter."""
    if ns.p.svr4:
        fmt = fmt.replace("%u", "%d")
    ns.p.printf(fmt, *[_u(ns, a) if isinstance(a, int) else a for a in args])


def udp_stats(ns, off, name):
    """udp: incomplete headers, bad lengths, bad checksums (inet.c udp_stats)."""
    st = _read_stats(ns, off, "struct udpstat")
    if st is None:
        return
    pl = libc.plural
    _pr(ns, "%s:\n\t%u incomplete header%s\n", name, st.udps_hdrops, pl(st.udps_hdrops))
    _pr(ns, "\t%u bad data length field%s\n", st.udps_badlen, pl(st.udps_badlen))
    _pr(ns, "\t%u bad checksum%s\n", st.udps_badsum, pl(st.udps_badsum))


def ip_stats(ns, off, name):
    """ip: the twelve counters of 4.3, lines 3 and 4 mislabelled as they were (inet.c ip_stats)."""
    st = _read_stats(ns, off, "struct ipstat")
    if st is None:
        return
    pl = libc.plural
    _pr(ns, "%s:\n\t%u total packets received\n", name, st.ips_total)
    _pr(ns, "\t%u bad header checksum%s\n", st.ips_badsum, pl(st.ips_badsum))
    _pr(ns, "\t%u with size smaller than minimum\n", st.ips_tooshort)
    _pr(ns, "\t%u with data size < data length\n", st.ips_toosmall)
    _pr(ns, "\t%u with header length < data size\n", st.ips_badhlen)
    _pr(ns, "\t%u with data length < header length\n", st.ips_badlen)
    _pr(ns, "\t%u fragment%s received\n", st.ips_fragments, pl(st.ips_fragments))
    _pr(ns, "\t%u fragment%s dropped (dup or out of space)\n", st.ips_fragdropped,
        pl(st.ips_fragdropped))
    _pr(ns, "\t%u fragment%s dropped after timeout\n", st.ips_fragtimeout, pl(st.ips_fragtimeout))
    _pr(ns, "\t%u packet%s forwarded\n", st.ips_forward, pl(st.ips_forward))
    _pr(ns, "\t%u packet%s not forwardable\n", st.ips_cantforward, pl(st.ips_cantforward))
    _pr(ns, "\t%u redirect%s sent\n", st.ips_redirectsent, pl(st.ips_redirectsent))


def icmp_stats(ns, off, name):
    """icmp: errors, the output histogram, input checks and histogram (inet.c icmp_stats)."""
    st = _read_stats(ns, off, "struct icmpstat")
    if st is None:
        return
    pl = libc.plural
    _pr(ns, "%s:\n\t%u call%s to icmp_error\n", name, st.icps_error, pl(st.icps_error))
    _pr(ns, "\t%u error%s not generated 'cuz old message was icmp\n", st.icps_oldicmp,
        pl(st.icps_oldicmp))
    _histogram(ns, "Output", st.icps_outhist)
    _pr(ns, "\t%u message%s with bad code fields\n", st.icps_badcode, pl(st.icps_badcode))
    _pr(ns, "\t%u message%s < minimum length\n", st.icps_tooshort, pl(st.icps_tooshort))
    _pr(ns, "\t%u bad checksum%s\n", st.icps_checksum, pl(st.icps_checksum))
    _pr(ns, "\t%u message%s with bad length\n", st.icps_badlen, pl(st.icps_badlen))
    _histogram(ns, "Input", st.icps_inhist)
    _pr(ns, "\t%u message response%s generated\n", st.icps_reflect, pl(st.icps_reflect))


def _histogram(ns, title, hist):
    """The types with a nonzero count, under a title printed only if there is one."""
    first = True
    for i in range(min(len(hist), len(ICMPNAMES))):
        if hist[i]:
            if first:
                ns.p.printf("\t%s histogram:\n", title)
                first = False
            _pr(ns, "\t\t%s: %u\n", ICMPNAMES[i], hist[i])


def tcp_stats(ns, off, name):
    """tcp: this kernel has no TCP, so _tcpstat is never in the namelist and
    the block is never printed, as the original printed nothing for it."""
    return


def nothing(ns, off, name):
    """The NS tables' routines: their symbols are never in this namelist."""
    return


# The protocol switch: name -> (name, stats symbol, cblocks routine,
# stats routine, control-block symbol), as main.c's protox[].
_PROTOX = {
    "tcp": ("tcp", "_tcpstat", protopr, tcp_stats, "_tcb"),
    "udp": ("udp", "_udpstat", protopr, udp_stats, "_udb"),
    "ip": ("ip", "_ipstat", None, ip_stats, None),
    "icmp": ("icmp", "_icmpstat", None, icmp_stats, None),
}
_PROTOX_SVR4 = dict(_PROTOX, rip=("rip", None, protopr, None, "_rawcb"))
_NSPROTOX = {
    "idp": ("idp", "_idpstat", nothing, nothing, "_nspcb"),
    "spp": ("spp", "_spp_istat", nothing, nothing, "_nspcb"),
    "ns_err": ("ns_err", "_ns_errstat", None, nothing, None),
}


def protox(ns, name):
    """The protocol switch entry for a protocols-file name, or None."""
    return (_PROTOX_SVR4 if ns.p.svr4 else _PROTOX).get(name)


def name2protox(ns, name):
    """-p: a well-known name, or an alias of one in the protocols file (main.c name2protox)."""
    tp = _PROTOX.get(name) or _NSPROTOX.get(name)
    if tp:
        return tp
    for pname, _, aliases in libc.getprotoent(ns.p):
        if name in aliases:
            return _PROTOX.get(pname) or _NSPROTOX.get(pname)
    return None
