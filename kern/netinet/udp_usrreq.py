"""UDP: input, output, the control input and the user-request switch.

The receive path is seed 004's last hops ("IPv4 Packet Processing in
NetBSD", section "UDP processing"): ``udp_input`` checks the header,
``udp4_realinput`` finds the socket (or sockets) it is for, and
``udp4_sendup`` puts a copy on each one's receive buffer and wakes its
reader (select, a sleeping recvfrom, SIGIO).  It ports NetBSD
udp_usrreq.c 1.84 (kernel-paths reference section 3, "NB"); where
NetBSD 1.5 (noud/mouse-bsd udp_usrreq.c 1.61, "MB") differs, NB is
followed, for these reasons:

* a ``uh_ulen`` below 8 is ``udps_badlen`` (NB): MB would trim the
  datagram to less than its own header and deliver what is left;
* the checksum is ``in4_cksum`` over a pseudo-header (NB); MB's
  overlay of the IP header gives the same number;
* the broadcast path is taken for a multicast *destination* (NB); MB
  tested the source, which is never a multicast address in a valid
  datagram, a slip the later revision corrected;
* a full receive buffer counts ``udps_fullsock`` in ``udp4_sendup``
  (NB), so every drop has its counter.

``udp_output`` computes the whole checksum itself, as MB does (NB
leaves the last step to a checksum-offload path ip_output does not
have here); the sum on the wire is the same.  The user requests are
MB's, over the Tahoe-and-NetBSD pcbs of kern/netinet/in_pcb.py: a
sendto on an unconnected socket connects it for the one datagram.
"""

import struct
from socket import htons, ntohl, ntohs

from kern import ksyms
from kern.headers import native as h
from kern.netinet import in_, ip_input as ipi
from kern.netinet.in_cksum import in4_cksum, in_cksum
from kern.netinet.in_pcb import (in_pcballoc, in_pcbbind, in_pcbconnect, in_pcbdetach,
                                 in_pcbdisconnect, in_pcbinit, in_pcblookup_bind,
                                 in_pcblookup_connect, in_pcbnotify, in_pcbnotifyall,
                                 in_pcbstate, in_rtchange, in_setpeeraddr, in_setsockaddr,
                                 pcblist)
from kern.netinet.ip_output import ip_output, pcb_options
from kern.uipc_mbuf import (M_BCAST, M_COPYALL, M_DONTWAIT, M_MCAST, M_PREPEND, m_adj, m_copy,
                            m_freem, m_pullup, mtod)
from kern.uipc_socket2 import (sbappendaddr, socantsendmore, soisconnected, soreserve,
                               sorwakeup, sowwakeup)

ffi = h.ffi
NULL = ffi.NULL
IPHDR = ffi.sizeof("struct ip")
UDPHDR = ffi.sizeof("struct udphdr")
UDPIPHDR = ffi.sizeof("struct udpiphdr")
IP_MAXPACKET = h.IP_MAXPACKET
IPPROTO_UDP = h.IPPROTO_UDP
SIN = ffi.sizeof("struct sockaddr_in")
UH_P = ffi.typeof("struct udphdr *")
INADDR_ANY = 0
SO_REUSEADDR = h.SO_REUSEADDR
SS_ISCONNECTED = h.SS_ISCONNECTED
INP_CONNECTED = h.INP_CONNECTED

def _fmt(fields, ctype="struct ip") -> str:
    """A struct format reaching the given fields of ctype at their offsets, skipping the rest."""
    out, at = "=", 0
    for name, code in fields:
        off = ffi.offsetof(ctype, name)
        out += "%dx%s" % (off - at, code) if off > at else code
        at = off + struct.calcsize("=" + code)
    return out


udb = None                     # struct inpcb *: head of the UDP pcb list (``_udb``)
udpstat = None                 # struct udpstat * (``_udpstat``)
# The tunables, as each boot starts them (NB-1.84): udpcksum (checksum what
# we send; 0 only under COMPAT_42), udp_sendspace (really the largest
# datagram) and udp_recvspace (forty 1K datagrams with their addresses).
_TUNABLES = (1, 9216, 40 * (1024 + SIN))
udpcksum, udp_sendspace, udp_recvspace = _TUNABLES


def udp_init() -> None:
    """Make the empty pcb list, the statistics and the tunables of this boot (udp_init)."""
    global udb, udpstat, udpcksum, udp_sendspace, udp_recvspace
    udb = ksyms.data("udb", "struct inpcb")
    in_pcbinit(udb)
    udpstat = ksyms.data("udpstat", "struct udpstat")
    udpcksum, udp_sendspace, udp_recvspace = _TUNABLES


def udp_input(m, iphlen: int = IPHDR, proto: int = IPPROTO_UDP) -> None:
    """A UDP datagram for us, IP header first (NB udp_usrreq.c udp_input).

    Kernel-paths reference section 3, in its order: udps_ipackets; IP
    options stripped; the two headers pulled up (udps_hdrops); a
    destination port of 0 dropped with no counter; a uh_ulen longer than
    the IP data, or below 8, udps_badlen, a shorter one trimmed to (the
    surplus is tolerated); a nonzero checksum verified (udps_badsum);
    then ``udp4_realinput``.  Nobody took it: a link-level broadcast or
    multicast counts udps_noportbcast and is dropped, anything else
    udps_noport and earns an ICMP port unreachable.  Otherwise the
    receivers have copies and m is freed.
    """
    st = udpstat
    st.udps_ipackets += 1
    if iphlen > IPHDR:
        ipi.ip_stripoptions(m, None)
        iphlen = IPHDR
    if m.m_len < iphlen + UDPHDR:
        m = m_pullup(m, iphlen + UDPHDR)
        if m is None:
            st.udps_hdrops += 1
            return
    buf, d = m.m_buf, m.m_data
    iplen = _IPLEN.unpack_from(buf, d)[0]
    uh = d + iphlen
    sport, dport, ulen, usum = _UH.unpack_from(buf, uh)
    if dport == 0:
        m_freem(m)                      # RFC 768: port 0 is illegal; no counter
        return
    length = ntohs(ulen)
    if iplen != iphlen + length:
        if iplen < iphlen + length or length < UDPHDR:
            st.udps_badlen += 1
            m_freem(m)
            return
        m_adj(m, iphlen + length - iplen)   # ip_len itself is left as it was
    if usum and in4_cksum(m, IPPROTO_UDP, iphlen, length):
        m_freem(m)
        st.udps_badsum += 1
        return
    # The source and destination sockaddr_ins, made from the headers' bytes
    # (ports and addresses read and packed in the same byte order: as they lie).
    saddr, daddr = _IPADDRS.unpack_from(buf, d)
    src = _SINF.pack(h.AF_INET, sport, saddr)
    dst = _SINF.pack(h.AF_INET, dport, daddr)
    if udp4_realinput(src, dst, m, iphlen) == 0:
        if m.m_flags & (M_BCAST | M_MCAST):
            st.udps_noportbcast += 1
            m_freem(m)
            return
        st.udps_noport += 1
        from kern.netinet.ip_icmp import icmp_error
        icmp_error(m, h.ICMP_UNREACH, h.ICMP_UNREACH_PORT, 0, NULL)
        return
    m_freem(m)


# What udp_input reads (offsets from <netinet/ip.h> and <netinet/udp.h>).
_IPLEN = struct.Struct(_fmt([("ip_len", "H")]))     # host order by now
_IPADDRS = struct.Struct(_fmt([("ip_src", "I"), ("ip_dst", "I")]))
_UH = struct.Struct("=HHHH")                    # uh_sport, uh_dport, uh_ulen, uh_sum
_SIN = struct.Struct("=2xHI8x")                 # sin_port, sin_addr
_SINF = struct.Struct("=hHI8x")                 # sin_family, sin_port, sin_addr (sin_zero 0)


def udp4_realinput(src, dst, m, off: int) -> int:
    """Deliver a datagram to the socket(s) it is for; return how many took it (NB udp4_realinput).

    src and dst are the datagram's sockaddr_ins (their 16 bytes, as
    sbappendaddr takes an address); off is where the UDP header starts.  A datagram to a multicast or broadcast address goes
    to every pcb, newest first, whose local port is the destination
    port, whose local address is unset or the destination, and whose
    foreign address is unset or the source with the source port; the
    fan-out stops after the first such pcb unless its socket has
    SO_REUSEADDR.  Any other datagram goes to one pcb: the connected one
    of its exact 4-tuple, else (udps_pcbhashmiss) one bound to the
    destination address, else one bound to the wildcard address.
    """
    off += UDPHDR
    sport, saddr = _SIN.unpack(src)
    dport, daddr = _SIN.unpack(dst)
    if ntohl(daddr) & 0xF0000000 == 0xE0000000 or in_.in_broadcast(daddr):
        rcvcnt = 0
        for inp in pcblist(udb):
            if inp.inp_lport != dport:
                continue
            a = inp.inp_laddr.s_addr
            if a != INADDR_ANY and a != daddr:
                continue
            a = inp.inp_faddr.s_addr
            if a != INADDR_ANY and (a != saddr or inp.inp_fport != sport):
                continue
            so = inp.inp_socket
            udp4_sendup(m, off, src, so)
            rcvcnt += 1
            if not so.so_options & SO_REUSEADDR:
                break
        return rcvcnt
    inp = in_pcblookup_connect(udb, saddr, sport, daddr, dport)
    if inp is None:
        udpstat.udps_pcbhashmiss += 1
        inp = in_pcblookup_bind(udb, daddr, dport)
        if inp is None:
            return 0
    udp4_sendup(m, off, src, inp.inp_socket)
    return 1


def udp4_sendup(m, off: int, src, so) -> None:
    """Append a copy of the datagram's data, with its sender, to so's receive buffer.

    NB udp_usrreq.c udp4_sendup (seed 004: "it copies the mbuf, puts the
    copy on the socket's receive queue, and notifies the socket"): the
    whole packet is copied, control data made when the pcb asked for it
    (``ip_savecontrol``), the headers (off bytes) trimmed off, and the
    record appended by sbappendaddr.  A buffer without room frees the
    copy and counts udps_fullsock; otherwise sorwakeup wakes readers and
    selectors and sends SIGIO to an FIOASYNC socket's owner.  src is the
    sender's sockaddr (its 16 bytes).
    """
    n = m_copy(m, 0, M_COPYALL)
    if n is None:
        return
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    opts = None
    if inp.inp_flags & h.INP_CONTROLOPTS:
        opts = ipi.ip_savecontrol(inp, mtod(n, "struct ip"), n)
    m_adj(n, off)
    if sbappendaddr(so.so_rcv, src, n, opts) == 0:
        m_freem(n)
        m_freem(opts)
        udpstat.udps_fullsock += 1
    else:
        sorwakeup(so)


def udp_notify(inp, errno: int) -> None:
    """An asynchronous error for a UDP socket: set so_error and wake it (udp_notify)."""
    so = inp.inp_socket
    so.so_error = errno
    sorwakeup(so)
    sowwakeup(so)


def udp_ctlinput(cmd: int, sa, ip=None) -> None:
    """A PRC_* notice from below, about datagrams to sa (MB udp_usrreq.c udp_ctlinput).

    A redirect makes every pcb sending to that address drop its cached
    route (in_rtchange); PRC_HOSTDEAD tells every such pcb.  Other
    notices with an errno in inetctlerrmap (a port unreachable is
    ECONNREFUSED) go, when the quoted header ip is given, to the one
    connected pcb that sent the quoted datagram, which then has so_error
    set (in_pcbnotify): the next send or receive on it returns the error.
    """
    if sa.sa_family != h.AF_INET or not 0 <= cmd < h.PRC_NCMDS:
        return
    faddr = ffi.cast("struct sockaddr_in *", sa).sin_addr.s_addr
    errno = ipi.inetctlerrmap[cmd]
    notify = udp_notify
    if h.PRC_REDIRECT_NET <= cmd <= h.PRC_REDIRECT_TOSHOST:
        notify, ip = in_rtchange, None
    elif cmd == h.PRC_HOSTDEAD:
        ip = None
    elif errno == 0:
        return
    if ip is not None and ip != NULL:
        uh = ffi.cast(UH_P, ffi.cast("char *", ip) + (ip.ip_hl << 2))
        in_pcbnotify(udb, faddr, uh.uh_dport, ip.ip_src.s_addr, uh.uh_sport, errno, notify)
    else:
        in_pcbnotifyall(udb, faddr, errno, notify)


def udp_output(m, inp) -> int:
    """Send a datagram from a pcb: UDP and IP headers, checksum, ip_output (MB udp_output).

    Kernel-paths reference section 5.1: the 28-byte udpiphdr goes in
    front (ENOBUFS without an mbuf for it), a datagram too long for IP
    is EMSGSIZE, the checksum covers the pseudo-header (an overlay of
    the IP header), the UDP header and the data, and is sent as 0xffff
    when it comes out 0.  TTL and TOS are the pcb's (IP_TTL, IP_TOS);
    udps_opackets counts it; SO_DONTROUTE and SO_BROADCAST pass to
    ip_output as IP_ROUTETOIF and IP_ALLOWBROADCAST.
    """
    length = m.m_pkthdr.len
    m = M_PREPEND(m, UDPIPHDR, M_DONTWAIT)
    if m is None:
        return h.ENOBUFS
    if length + UDPIPHDR > IP_MAXPACKET:
        m_freem(m)
        return h.EMSGSIZE
    # The udpiphdr, field by field as struct udpiphdr lays it out (ui_x1
    # zeroed, ui_pr, ui_len, ui_src, ui_dst, the ports, ui_ulen, ui_sum 0).
    ulen = htons(length + UDPHDR)
    buf, d = m.m_buf, m.m_data
    _UDPIP.pack_into(buf, d, IPPROTO_UDP, ulen, inp.inp_laddr.s_addr, inp.inp_faddr.s_addr,
                     inp.inp_lport, inp.inp_fport, ulen, 0)
    if udpcksum:
        _SUM.pack_into(buf, d + _UI_SUM, in_cksum(m, UDPIPHDR + length) or 0xFFFF)
    # Then the IP header over the overlay: ip_tos, ip_len (host order), ip_ttl.
    tmpl = inp.inp_ip
    _IPFIELDS.pack_into(buf, d, tmpl.ip_tos, UDPIPHDR + length, tmpl.ip_ttl)
    udpstat.udps_opackets += 1
    so = inp.inp_socket
    return ip_output(m, pcb_options(inp), ffi.addressof(inp, "inp_route"),
                     so.so_options & _OUTFLAGS, None)


# Layouts written by udp_output (offsets from <netinet/udp_var.h> and <netinet/ip.h>).
_UDPIP = struct.Struct("=%dxBHIIHHHH" % ffi.offsetof("struct udpiphdr", "ui_i", "ih_pr"))
_UI_SUM = ffi.offsetof("struct udpiphdr", "ui_u", "uh_sum")
_SUM = struct.Struct("=H")
_IPFIELDS = struct.Struct(_fmt([("ip_tos", "B"), ("ip_len", "H"), ("ip_ttl", "B")]))
_OUTFLAGS = h.SO_DONTROUTE | h.SO_BROADCAST


def _udp_send(so, inp, m, nam, control) -> int:
    """PRU_SEND: a sendto connects the pcb for the one datagram (MB udp_usrreq PRU_SEND).

    Control data is EINVAL.  With an address: a connected socket is
    EISCONN; otherwise in_pcbconnect (which also binds an unbound
    socket to an ephemeral port, kept afterwards), udp_output, then
    in_pcbdisconnect and the old local address back.  Without one, an
    unconnected socket is ENOTCONN.
    """
    if control is not None and control.m_len:
        m_freem(control)
        m_freem(m)
        return h.EINVAL
    m_freem(control)
    if nam is not None:
        laddr = inp.inp_laddr.s_addr
        if so.so_state & SS_ISCONNECTED:
            m_freem(m)
            return h.EISCONN
        error = in_pcbconnect(inp, nam)
        if error:
            m_freem(m)
            return error
    elif not so.so_state & SS_ISCONNECTED:
        m_freem(m)
        return h.ENOTCONN
    error = udp_output(m, inp)
    if nam is not None:
        in_pcbdisconnect(inp)
        inp.inp_laddr.s_addr = laddr
        in_pcbstate(inp, h.INP_BOUND)
    return error


def udp_usrreq(so, req: int, m, nam, control, p=None) -> int:
    """Carry out a user request on a UDP socket; return an errno (MB udp_usrreq.c udp_usrreq).

    PRU_CONTROL hands an interface ioctl to in_control.  A socket
    without a pcb is EINVAL.  Attach reserves the buffers (udp_sendspace,
    udp_recvspace) and makes a pcb with TTL ip_defttl; bind and connect
    are in_pcbbind and in_pcbconnect; disconnect forgets the foreign
    and local addresses (the port stays bound); shutdown stops sending;
    listen, connect2, accept, urgent data and the rest are EOPNOTSUPP
    (where NetBSD panics on an unknown request, netkern refuses it).
    """
    if req == h.PRU_SEND:
        inp = ffi.cast("struct inpcb *", so.so_pcb)
        if inp == NULL:
            m_freem(m)
            m_freem(control)
            return h.EINVAL
        return _udp_send(so, inp, m, nam, control)
    if req == h.PRU_CONTROL:
        return in_.in_control(so, m, nam, control, p)
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    if inp == NULL and req != h.PRU_ATTACH:
        return h.EINVAL
    if req == h.PRU_ATTACH:
        if inp != NULL:
            return h.EISCONN
        if so.so_snd.sb_hiwat == 0 or so.so_rcv.sb_hiwat == 0:
            error = soreserve(so, udp_sendspace, udp_recvspace)
            if error:
                return error
        error = in_pcballoc(so, udb)
        if error:
            return error
        ffi.cast("struct inpcb *", so.so_pcb).inp_ip.ip_ttl = ipi.ip_defttl
        return 0
    if req == h.PRU_DETACH:
        in_pcbdetach(inp)
        return 0
    if req == h.PRU_BIND:
        return in_pcbbind(inp, nam, p)
    if req == h.PRU_CONNECT:
        error = in_pcbconnect(inp, nam)
        if not error:
            soisconnected(so)
        return error
    if req == h.PRU_DISCONNECT:
        so.so_state &= ~SS_ISCONNECTED          # (not soisdisconnected: it may send again)
        in_pcbdisconnect(inp)
        inp.inp_laddr.s_addr = INADDR_ANY
        in_pcbstate(inp, h.INP_BOUND)
        return 0
    if req == h.PRU_SHUTDOWN:
        socantsendmore(so)
        return 0
    if req == h.PRU_SOCKADDR:
        in_setsockaddr(inp, nam)
        return 0
    if req == h.PRU_PEERADDR:
        in_setpeeraddr(inp, nam)
        return 0
    if req == h.PRU_SENSE:
        return 0
    if req == h.PRU_SENDOOB:
        m_freem(control)
        m_freem(m)
    return h.EOPNOTSUPP
