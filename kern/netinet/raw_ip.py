"""Raw IP sockets: input fan-out, output, and the user-request switch.

4.3BSD-Tahoe net/raw_usrreq.c and netinet/raw_ip.c, with the input and
output routines of NetBSD 1.5 (noud/mouse-bsd raw_ip.c; kernel-paths
reference section 2.5), whose raw sockets are inpcbs as ours are.
``rip_input`` gives a copy of a received datagram to every raw socket
whose protocol, local and foreign address match; with none, a protocol
the kernel does not know earns an ICMP protocol unreachable and
``ips_noproto``.  ``rip_output`` builds the IP header for the user (or
takes the user's own with IP_HDRINCL) and calls ip_output.

Only the super-user may make a raw socket: without SS_PRIV the attach
fails with EACCES, so a non-root ``route`` says ``route: socket:
Permission denied``.  Raw sockets take no interface ioctls of their
own: PRU_CONTROL is EOPNOTSUPP, as in Tahoe's raw_usrreq.
"""

import sys

from kern import ksyms
from kern.headers import native as h
from kern.net import if_
from kern.netinet.in_pcb import in_pcballoc, in_pcbdetach, in_pcbinit
from kern.uipc_mbuf import M_COPYALL, M_WAIT, M_PREPEND, m_copy, m_freem, mtod
from kern.uipc_socket2 import sbappendaddr, soreserve, sowakeup
from kern.netinet import ip_input as ipi, ip_output as ipo

ffi = h.ffi
NULL = ffi.NULL
IPHDR = ffi.sizeof("struct ip")
SIN = ffi.sizeof("struct sockaddr_in")

rawcb = None                   # struct inpcb *: head of the raw pcb list
rip_sendspace = 2048           # Tahoe raw_usrreq.c RAWSNDQ / RAWRCVQ
rip_recvspace = 2048
_ripsrc = None                 # struct sockaddr_in *: the sender, for sbappendaddr
_ripsrc_head = _ripsrc_tail = b""   # its bytes before and after sin_addr
SIN_ADDR = ffi.offsetof("struct sockaddr_in", "sin_addr")


def rip_init() -> None:
    """Make the empty raw pcb list."""
    global rawcb, _ripsrc, _ripsrc_head, _ripsrc_tail
    rawcb = ksyms.data("rawcb", "struct inpcb")
    in_pcbinit(rawcb)
    _ripsrc = ffi.new("struct sockaddr_in *")
    _ripsrc.sin_family = h.AF_INET
    raw = ffi.buffer(_ripsrc)[:]
    _ripsrc_head, _ripsrc_tail = raw[:SIN_ADDR], raw[SIN_ADDR + 4:]


def rip_input(m, off: int = IPHDR, proto: int = 0) -> None:
    """Give a received datagram to the raw sockets that want it (MB raw_ip.c rip_input).

    ip_len first loses the header length (programs using raw IP expect
    that).  A socket matches when its protocol is 0 or the datagram's,
    and its local and foreign addresses are unset or equal to the
    datagram's destination and source.  Each matching socket gets a
    copy; one whose receive buffer is full loses it.  If no socket
    matched and the protocol has no handler of its own in the kernel,
    the sender gets an ICMP protocol unreachable, ips_noproto counts it
    and ips_delivered is taken back.
    """
    ip = mtod(m, "struct ip")
    src = ip.ip_src.s_addr
    dst = ip.ip_dst.s_addr
    p = ip.ip_p
    ip.ip_len -= ip.ip_hl << 2
    # ripsrc: the template sockaddr_in with the sender's address put in.
    asa = _ripsrc_head + src.to_bytes(4, sys.byteorder) + _ripsrc_tail
    last = None
    head = rawcb
    inp = head.inp_next
    while inp != head:
        want = inp.inp_ip.ip_p
        if want and want != p:
            inp = inp.inp_next
            continue
        a = inp.inp_laddr.s_addr
        if a and a != dst:
            inp = inp.inp_next
            continue
        a = inp.inp_faddr.s_addr
        if a and a != src:
            inp = inp.inp_next
            continue
        if last is not None:
            n = m_copy(m, 0, M_COPYALL)
            if n is not None:
                _sendup(last, asa, n)
        last = inp
        inp = inp.inp_next
    if last is not None:
        _sendup(last, asa, m)
        return
    if ksyms.func(ipi.inetsw[ipi.ip_protox[p]].pr_input) is rip_input:
        from kern.netinet.ip_icmp import icmp_error
        icmp_error(m, h.ICMP_UNREACH, h.ICMP_UNREACH_PROTOCOL, 0, NULL)
        ipi.ipstat.ips_noproto += 1
        ipi.ipstat.ips_delivered -= 1
    else:
        m_freem(m)


def _sendup(inp, asa: bytes, m) -> None:
    """Queue a datagram on a raw socket and wake its reader; a full buffer drops it."""
    so = inp.inp_socket
    sb = so.so_rcv
    if sbappendaddr(sb, asa, m, None):
        sowakeup(so, sb)            # sorwakeup(so)
    else:
        m_freem(m)                  # "should notify about lost packet"


def rip_output(m, so) -> int:
    """Send a datagram from a raw socket (MB raw_ip.c rip_output).

    Without IP_HDRINCL a header is put in front: the socket's protocol,
    its local and foreign addresses, TTL MAXTTL, and any IP_OPTIONS;
    a datagram too long for IP is EMSGSIZE.  With IP_HDRINCL the user's
    header is sent as it is (ip_len and ip_off in host order, as the
    raw IP interface has it), except that an ip_id of 0 is filled in;
    an ip_len that is not the datagram's length is EINVAL, and
    ips_rawout counts it.  Broadcasts are always allowed.
    """
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    flags = (so.so_options & h.SO_DONTROUTE) | h.IP_ALLOWBROADCAST
    if not inp.inp_flags & h.INP_HDRINCL:
        if m.m_pkthdr.len + IPHDR > h.IP_MAXPACKET:
            m_freem(m)
            return h.EMSGSIZE
        m = M_PREPEND(m, IPHDR, M_WAIT)
        if m is None:
            return h.ENOBUFS
        ip = mtod(m, "struct ip")
        ip.ip_tos = 0
        ip.ip_off = 0
        ip.ip_p = inp.inp_ip.ip_p
        ip.ip_len = m.m_pkthdr.len
        ip.ip_src = inp.inp_laddr
        ip.ip_dst = inp.inp_faddr
        ip.ip_ttl = h.MAXTTL
        opts = ipo.pcb_options(inp)
    else:
        if m.m_pkthdr.len > h.IP_MAXPACKET or m.m_len < IPHDR:
            m_freem(m)
            return h.EMSGSIZE if m.m_pkthdr.len > h.IP_MAXPACKET else h.EINVAL
        ip = mtod(m, "struct ip")
        if m.m_pkthdr.len != ip.ip_len:
            m_freem(m)
            return h.EINVAL
        if ip.ip_id == 0:
            from socket import htons
            ip.ip_id = htons(ipi.ip_id)
            ipi.ip_id = (ipi.ip_id + 1) & 0xFFFF
        opts = None
        flags |= h.IP_RAWOUTPUT
        ipi.ipstat.ips_rawout += 1
    return ipo.ip_output(m, opts, ffi.addressof(inp, "inp_route"), flags, None)


def rip_ctloutput(op: int, so, level: int, optname: int, mp) -> int:
    """Raw IP socket options: IP_HDRINCL here, the rest to ip_ctloutput (MB rip_ctloutput).

    mp is a one-element list holding the option mbuf (C's ``struct mbuf **``).
    """
    from kern.netinet.ip_output import ip_ctloutput
    from kern.uipc_mbuf import m_free, m_get
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    m = mp[0] if mp else None
    if level != h.IPPROTO_IP:
        if op == h.PRCO_SETOPT and m is not None:
            m_free(m)
        return h.EINVAL
    if optname != h.IP_HDRINCL:
        return ip_ctloutput(op, so, level, optname, mp)
    if op == h.PRCO_SETOPT:
        error = 0
        if m is None or m.m_len < ffi.sizeof("int"):
            error = h.EINVAL
        elif mtod(m, "int")[0]:
            inp.inp_flags |= h.INP_HDRINCL
        else:
            inp.inp_flags &= ~h.INP_HDRINCL
        if m is not None:
            m_free(m)
        return error
    n = m_get(M_WAIT, h.MT_SOOPTS)
    if n is None:
        return h.ENOBUFS
    n.m_len = ffi.sizeof("int")
    mtod(n, "int")[0] = 1 if inp.inp_flags & h.INP_HDRINCL else 0
    mp[0] = n
    return 0


def _rip_addr(nam):
    """The checks rip_bind and rip_connect share: (errno, struct sockaddr_in *).

    The address must be exactly a sockaddr_in (EINVAL), some interface
    must exist (EADDRNOTAVAIL), and the family must be AF_INET or
    AF_IMPLINK (EAFNOSUPPORT).
    """
    if nam is None or nam.m_len != SIN:
        return h.EINVAL, None
    if if_.ifnet_p[0] == NULL:
        return h.EADDRNOTAVAIL, None
    addr = mtod(nam, "struct sockaddr_in")
    if addr.sin_family not in (h.AF_INET, h.AF_IMPLINK):
        return h.EAFNOSUPPORT, None
    return 0, addr


def rip_bind(inp, nam) -> int:
    """Bind a raw socket to one of our addresses, or to none (MB rip_bind)."""
    error, addr = _rip_addr(nam)
    if error:
        return error
    if addr.sin_addr.s_addr and if_.ifa_ifwithaddr(ffi.cast("struct sockaddr *", addr)) == NULL:
        return h.EADDRNOTAVAIL
    inp.inp_laddr = addr.sin_addr
    return 0


def rip_connect(inp, nam) -> int:
    """Fix a raw socket's foreign address (MB rip_connect)."""
    error, addr = _rip_addr(nam)
    if error:
        return error
    inp.inp_faddr = addr.sin_addr
    return 0


def _setaddr(inp, nam, local: bool) -> None:
    """Fill nam with the pcb's local or foreign address (in_pcb.c in_setsockaddr/peeraddr)."""
    nam.m_len = SIN
    sin = mtod(nam, "struct sockaddr_in")
    ffi.memmove(sin, bytes(SIN), SIN)
    sin.sin_family = h.AF_INET
    if local:
        sin.sin_port, sin.sin_addr = inp.inp_lport, inp.inp_laddr
    else:
        sin.sin_port, sin.sin_addr = inp.inp_fport, inp.inp_faddr


def rip_usrreq(so, req: int, m, nam, rights, p=None) -> int:
    """Carry out a user request on a raw IP socket; return an errno (MB rip_usrreq).

    PRU_SEND with an address (sendto) connects for the one datagram;
    on a connected socket that is EISCONN, and without an address an
    unconnected socket is ENOTCONN.
    """
    from kern.uipc_socket2 import soisconnected, soisdisconnected, socantsendmore
    if req == h.PRU_CONTROL:
        return h.EOPNOTSUPP
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    if inp == NULL and req != h.PRU_ATTACH:
        if req == h.PRU_SEND:
            m_freem(m)
        return h.EINVAL
    if req == h.PRU_ATTACH:
        if not so.so_state & h.SS_PRIV:
            return h.EACCES
        if inp != NULL:
            return h.EINVAL
        error = soreserve(so, rip_sendspace, rip_recvspace)
        if error:
            return error
        error = in_pcballoc(so, rawcb)
        if error:
            return error
        # socket(2)'s protocol number, passed in nam's place; ip_p is a
        # u_char, and C's assignment keeps its low byte (256 is 0, IPPROTO_IP).
        proto = nam & 0xFF if isinstance(nam, int) else 0
        ffi.cast("struct inpcb *", so.so_pcb).inp_ip.ip_p = proto
        return 0
    if req == h.PRU_DETACH:
        from kern.netinet.ip_output import ip_pcbopts
        ip_pcbopts(inp, None)
        in_pcbdetach(inp)
        return 0
    if req == h.PRU_BIND:
        return rip_bind(inp, nam)
    if req == h.PRU_CONNECT:
        error = rip_connect(inp, nam)
        if not error:
            soisconnected(so)
        return error
    if req == h.PRU_DISCONNECT:
        soisdisconnected(so)
        inp.inp_faddr.s_addr = 0
        return 0
    if req == h.PRU_SHUTDOWN:
        socantsendmore(so)
        return 0
    if req == h.PRU_SEND:
        return _rip_send(so, inp, m, nam, rights)
    if req == h.PRU_SENSE:
        return 0
    if req in (h.PRU_SOCKADDR, h.PRU_PEERADDR):
        _setaddr(inp, nam, req == h.PRU_SOCKADDR)
        return 0
    if req == h.PRU_SENDOOB:
        m_freem(rights)
        m_freem(m)
    return h.EOPNOTSUPP


def _rip_send(so, inp, m, nam, control) -> int:
    """PRU_SEND of a raw socket: connect for the datagram if sendto gave an address."""
    if control is not None and control.m_len:
        m_freem(control)
        m_freem(m)
        return h.EINVAL
    if nam is not None:
        if so.so_state & h.SS_ISCONNECTED:
            m_freem(m)
            return h.EISCONN
        error = rip_connect(inp, nam)
        if error:
            m_freem(m)
            return error
    elif not so.so_state & h.SS_ISCONNECTED:
        m_freem(m)
        return h.ENOTCONN
    error = rip_output(m, so)
    if nam is not None:
        inp.inp_faddr.s_addr = 0            # rip_disconnect
    return error
