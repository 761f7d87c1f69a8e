"""IP output: header, route, broadcast permission, fragmentation.

NetBSD 1.5 netinet/ip_output.c (noud/mouse-bsd 1.67, "MB"; kernel-paths
reference section 5.2) over 4.3BSD-Tahoe routes, which have no
``rt_ifa`` and no ``rt_rmx``: the interface's address is its first
``in_ifaddr`` and the MTU is the interface's.  ``ip_output`` fills in
the header of a locally made packet (version, ``ip_id``, header length;
``ips_localout``), finds the route through the caller's ``struct route``
cache (holding a reference, released when the destination changes),
refuses broadcasts the caller may not send (EACCES), sends what fits
the MTU and fragments the rest (``ips_fragmented``, ``ips_ofragments``;
EMSGSIZE and ``ips_cantfrag`` when IP_DF forbids it), and hands each
packet to the interface's ``if_output``.  The header is converted to
network order and checksummed just before that.
"""

import sys
from socket import htons, ntohl

from kern import ksyms
from kern.headers import native as h
from kern.net import if_
from kern.net.route import RTFREE, rtalloc
from kern.netinet import in_
from kern.netinet.in_cksum import in_cksum
from kern.uipc_mbuf import (M_BCAST, M_DONTWAIT, M_MCAST, M_PKTHDR, m_adj, m_copy, m_freem,
                            m_gethdr, mtod)
import kern.uipc_mbuf as _mb
from kern.netinet import ip_icmp, ip_input as ipi

ffi = h.ffi
NULL = ffi.NULL
IPHDR = ffi.sizeof("struct ip")
IP_DF, IP_MF = h.IP_DF, h.IP_MF
IP_FORWARDING, IP_RAWOUTPUT, IP_ROUTETOIF = h.IP_FORWARDING, h.IP_RAWOUTPUT, h.IP_ROUTETOIF
IP_ALLOWBROADCAST, IP_RETURNMTU = h.IP_ALLOWBROADCAST, h.IP_RETURNMTU
INADDR_BROADCAST = h.INADDR_BROADCAST & 0xFFFFFFFF
SIN_P = ffi.typeof("struct sockaddr_in *")
SA_P = ffi.typeof("struct sockaddr *")
IA_P = ffi.typeof("struct in_ifaddr *")


def _ifa_ifwithladdr(sa):
    """An interface address for a destination on an attached network (NetBSD ifa_ifwithladdr).

    Our own address, a point-to-point peer, or an address on the same
    network, in that order.
    """
    ifa = if_.ifa_ifwithaddr(sa)
    if ifa == NULL:
        ifa = if_.ifa_ifwithdstaddr(sa)
    if ifa == NULL:
        ifa = if_.ifa_ifwithnet(sa)
    return ifa


def ip_output(m, opt, ro, flags: int, imo=None, mtu_p=None) -> int:
    """Send an IP packet; return 0 or an errno, having consumed m (MB ip_output).

    m starts with an IP header whose ip_len and ip_off are in host order.
    opt is an IP_OPTIONS mbuf to insert (kept by the caller), ro the
    caller's route cache (a ``struct route *``) or None.  flags:
    IP_FORWARDING and IP_RAWOUTPUT keep the header as it is,
    IP_ROUTETOIF sends on the interface of an attached network without
    a route, IP_ALLOWBROADCAST permits broadcasts, IP_RETURNMTU stores
    the MTU in mtu_p[0] on EMSGSIZE.  imo (multicast options) is
    always None: netkern has no multicast.
    """
    st = ipi.ipstat
    hlen = IPHDR
    if opt is not None:
        m, hlen = ip_insertoptions(m, opt)
    ip = mtod(m, "struct ip")
    if not flags & (IP_FORWARDING | IP_RAWOUTPUT):
        ip.ip_v = h.IPVERSION
        ip.ip_off &= IP_DF
        ip.ip_id = htons(ipi.ip_id)
        ipi.ip_id = (ipi.ip_id + 1) & 0xFFFF
        ip.ip_hl = hlen >> 2
        st.ips_localout += 1
    else:
        hlen = ip.ip_hl << 2
    iproute = None
    if ro is None:
        ro = iproute = ffi.new("struct route *")
    dst = ffi.cast(SIN_P, ffi.addressof(ro, "ro_dst"))
    ipdst = ip.ip_dst.s_addr
    rt = ro.ro_rt           # (a local copy of the cache, kept equal to it below)
    if rt != NULL and (not rt.rt_flags & h.RTF_UP or dst.sin_addr.s_addr != ipdst):
        RTFREE(rt)
        ro.ro_rt = rt = NULL
    if rt == NULL:
        dst.sin_family = h.AF_INET
        dst.sin_addr.s_addr = ipdst
    error = 0
    try:
        if flags & IP_ROUTETOIF:
            ifa = _ifa_ifwithladdr(ffi.cast(SA_P, dst))
            if ifa == NULL:
                st.ips_noroute += 1
                m_freem(m)
                return h.ENETUNREACH
            ia = ffi.cast(IA_P, ifa)
            ifp = ifa.ifa_ifp
            ip.ip_ttl = 1
        else:
            if rt == NULL:
                rtalloc(ro)
                rt = ro.ro_rt
            if rt == NULL:
                st.ips_noroute += 1
                m_freem(m)
                return h.EHOSTUNREACH
            ifp = rt.rt_ifp
            ia = None               # rt_ifa: the interface's address, looked up when needed
            rt.rt_use += 1
            if rt.rt_flags & h.RTF_GATEWAY:
                dst = ffi.cast(SIN_P, ffi.addressof(rt, "rt_gateway"))
        mtu = ifp.if_mtu
        if ntohl(ipdst) & 0xF0000000 == 0xE0000000 or ipdst == INADDR_BROADCAST:
            error = _output_mcast(m, ip, ro, ifp, ia)
            if error is not None:
                return error
            dst = ffi.cast(SIN_P, ffi.addressof(ro, "ro_dst"))
        else:
            if ip.ip_src.s_addr == 0:
                _fill_source(ip, ifp, ia)
            if ntohl(ip.ip_src.s_addr) & 0xF0000000 == 0xE0000000:
                st.ips_odropped += 1            # RFC 1112: no class D source
                m_freem(m)
                return h.EADDRNOTAVAIL
            if in_.in_broadcast(dst.sin_addr.s_addr):
                if not ifp.if_flags & h.IFF_BROADCAST:
                    error = h.EADDRNOTAVAIL
                elif not flags & IP_ALLOWBROADCAST:
                    error = h.EACCES
                elif ip.ip_len > mtu:
                    error = h.EMSGSIZE          # broadcasts are never fragmented
                if error:
                    m_freem(m)
                    return error
                m.m_flags |= M_BCAST
            else:
                m.m_flags &= ~M_BCAST
        # sendit: (no pfil hooks)
        iplen = ip.ip_len
        if iplen <= mtu:
            ip.ip_len = htons(iplen)
            ip.ip_off = htons(ip.ip_off)
            ip.ip_sum = 0
            ip.ip_sum = in_cksum(m, hlen)
            return ksyms.call(ifp.if_output, ifp, m, ffi.cast(SA_P, dst), ro.ro_rt)
        return _fragment(m, ip, hlen, mtu, ifp, dst, ro, flags, mtu_p)
    finally:
        if iproute is not None and not flags & IP_ROUTETOIF and iproute.ro_rt != NULL:
            RTFREE(iproute.ro_rt)
            iproute.ro_rt = NULL


def _fill_source(ip, ifp, ia) -> None:
    """An unset source becomes the address of the interface the packet leaves by."""
    if ia is None:
        ia = ip_icmp.ifptoia(ifp)
    if ia != NULL:
        ip.ip_src.s_addr = ffi.cast(SIN_P, ia).sin_addr.s_addr


def _output_mcast(m, ip, ro, ifp, ia):
    """ip_output for 255.255.255.255 and class D (MB): None means "go on to sendit".

    Marks the packet, sets the multicast TTL (for 255.255.255.255 too,
    as MB does), requires a broadcast (or multicast) interface, fills the
    source, and skips the SO_BROADCAST check.  Class D never leaves:
    netkern has no multicast interface.
    """
    bcast = ip.ip_dst.s_addr == INADDR_BROADCAST
    m.m_flags |= M_BCAST if bcast else M_MCAST
    ip.ip_ttl = h.IP_DEFAULT_MULTICAST_TTL
    if not bcast or not ifp.if_flags & h.IFF_BROADCAST:
        ipi.ipstat.ips_noroute += 1
        m_freem(m)
        return h.ENETUNREACH
    if ip.ip_src.s_addr == 0:
        _fill_source(ip, ifp, ia)
    if ip.ip_ttl == 0 or ifp.if_flags & h.IFF_LOOPBACK:
        m_freem(m)
        return 0
    return None


def _fragment(m, ip, hlen, mtu, ifp, dst, ro, flags, mtu_p) -> int:
    """Cut a packet too big for the MTU into fragments and send them (MB ip_output).

    Each later fragment gets a copy of the header with the options
    ip_optcopy keeps, its offset and MF, its own checksum, and counts
    ips_ofragments; the first is trimmed and gets MF.  Unless if_snd
    has room for every extra fragment none is sent (ENOBUFS).  When all
    went out, ips_fragmented.
    """
    st = ipi.ipstat
    if ip.ip_off & IP_DF:
        if flags & IP_RETURNMTU and mtu_p is not None:
            mtu_p[0] = mtu
        st.ips_cantfrag += 1
        m_freem(m)
        return h.EMSGSIZE
    length = (mtu - hlen) & ~7
    if length < 8:
        m_freem(m)
        return h.EMSGSIZE
    firstlen = length
    total = ip.ip_len
    m0 = m
    last = m0
    fragments = 0
    error = 0
    off = hlen + length
    while off < total:
        m = m_gethdr(M_DONTWAIT, h.MT_HEADER)
        if m is None:
            error = h.ENOBUFS
            st.ips_odropped += 1
            break
        last.m_nextpkt = m
        last = m
        m.m_data += _mb.max_linkhdr
        mhip = mtod(m, "struct ip")
        m.m_buf[m.m_data:m.m_data + IPHDR] = m0.m_buf[m0.m_data:m0.m_data + IPHDR]
        mhlen = IPHDR
        if hlen > IPHDR:
            mhlen = ip_optcopy(ip, mhip, m) + IPHDR
            mhip.ip_hl = mhlen >> 2
        m.m_len = mhlen
        mhip.ip_off = ((off - hlen) >> 3) + (ip.ip_off & ~IP_MF)
        if ip.ip_off & IP_MF:
            mhip.ip_off |= IP_MF
        if off + length >= total:
            length = total - off
        else:
            mhip.ip_off |= IP_MF
        mhip.ip_len = htons(length + mhlen)
        m.m_next = m_copy(m0, off, length)
        if m.m_next is None:
            error = h.ENOBUFS
            st.ips_odropped += 1
            break
        m.m_pkthdr.len = mhlen + length
        m.m_pkthdr.rcvif = None
        mhip.ip_off = htons(mhip.ip_off)
        mhip.ip_sum = 0
        mhip.ip_sum = in_cksum(m, mhlen)
        st.ips_ofragments += 1
        fragments += 1
        off += length
    if not error:
        m = m0
        m_adj(m, hlen + firstlen - total)
        m.m_pkthdr.len = hlen + firstlen
        ip.ip_len = htons(m.m_pkthdr.len)
        ip.ip_off = htons(ip.ip_off | IP_MF)
        ip.ip_sum = 0
        ip.ip_sum = in_cksum(m, hlen)
    # sendorfree: all or nothing, if the send queue cannot take them all.
    if ifp.if_snd.ifq_maxlen - ifp.if_snd.ifq_len < fragments:
        error = h.ENOBUFS
    m = m0
    while m is not None:
        nxt = m.m_nextpkt
        m.m_nextpkt = None
        if error == 0:
            error = ksyms.call(ifp.if_output, ifp, m, ffi.cast(SA_P, dst), ro.ro_rt)
        else:
            m_freem(m)
        m = nxt
    if error == 0:
        st.ips_fragmented += 1
    return error


def ip_insertoptions(m, opt):
    """Put the options of opt (a struct ipoption mbuf) after the header of m.

    4.4BSD-Lite2 / MB ip_output.c ip_insertoptions; returns (m, header
    length).  A first hop stored in the option mbuf becomes the packet's
    destination.  Options that would take the packet past IP_MAXPACKET
    are left out (C: "XXX should fail"), as is everything when no mbuf
    can be had.
    """
    ip = mtod(m, "struct ip")
    optlen = opt.m_len - 4                  # sizeof(ipopt_dst)
    if optlen + ip.ip_len > h.IP_MAXPACKET:
        return m, IPHDR
    first = int.from_bytes(opt.m_buf[opt.m_data:opt.m_data + 4], sys.byteorder)
    if first:
        ip.ip_dst.s_addr = first
    if m.m_flags & _mb.M_EXT or m.m_data - optlen < _mb.PKTDAT:
        n = m_gethdr(M_DONTWAIT, h.MT_HEADER)
        if n is None:
            return m, IPHDR
        n.m_pkthdr.len = m.m_pkthdr.len + optlen
        n.m_pkthdr.rcvif = m.m_pkthdr.rcvif
        n.m_flags |= m.m_flags & (M_BCAST | M_MCAST)
        m.m_flags &= ~M_PKTHDR
        hdr = bytes(m.m_buf[m.m_data:m.m_data + IPHDR])
        m.m_len -= IPHDR
        m.m_data += IPHDR
        n.m_next = m
        m = n
        m.m_len = optlen + IPHDR
        m.m_data += _mb.max_linkhdr
        m.m_buf[m.m_data:m.m_data + IPHDR] = hdr
    else:
        d = m.m_data
        m.m_buf[d - optlen:d - optlen + IPHDR] = m.m_buf[d:d + IPHDR]
        m.m_data -= optlen
        m.m_len += optlen
        m.m_pkthdr.len += optlen
    d = m.m_data + IPHDR
    m.m_buf[d:d + optlen] = opt.m_buf[opt.m_data + 4:opt.m_data + 4 + optlen]
    ip = mtod(m, "struct ip")
    ip.ip_len += optlen
    return m, IPHDR + optlen


def ip_optcopy(ip, jp, m) -> int:
    """Copy to a fragment's header the options that must be copied; return their length.

    MB ip_output.c ip_optcopy: an option whose type has the copy bit
    (IPOPT_COPIED) goes to every fragment; the rest only stay in the
    first.  The result is padded with EOL to a multiple of 4.
    """
    src = ffi.buffer(ffi.cast("char *", ip) + IPHDR, (ip.ip_hl << 2) - IPHDR)[:]
    out = bytearray()
    cnt = len(src)
    pos = 0
    while cnt > 0:
        opt = src[pos]
        if opt == h.IPOPT_EOL:
            break
        if opt == h.IPOPT_NOP:
            out.append(h.IPOPT_NOP)         # kept, to preserve alignment
            optlen = 1
        else:
            optlen = src[pos + 1] if cnt > 1 else 0
            if optlen <= 0 or optlen > cnt:
                optlen = cnt                # malformed: stop here
            elif h.IPOPT_COPIED(opt):
                out += src[pos:pos + optlen]
        cnt -= optlen
        pos += optlen
    out += bytes((4 - len(out) % 4) % 4)
    d = m.m_data + IPHDR
    m.m_buf[d:d + len(out)] = out
    return len(out)


def ip_ctloutput(op: int, so, level: int, optname: int, mp) -> int:
    """IP-level socket options (4.3BSD-Tahoe ip_output.c ip_ctloutput, with Reno's options).

    mp is a one-element list holding the option mbuf (C's ``struct mbuf
    **``): for PRCO_SETOPT the value, consumed here; for PRCO_GETOPT it
    receives a new MT_SOOPTS mbuf.  A level other than IPPROTO_IP is
    EINVAL.  IP_OPTIONS stores the options, checked by ip_pcbopts, in
    the pcb, and reads back a copy (empty when there are none).  The
    4.3BSD-Reno options (NetBSD 1.5's ip_ctloutput) take an int of
    exactly that size (else EINVAL): IP_TOS and IP_TTL set the pcb's
    header template, IP_RECVDSTADDR, IP_RECVOPTS and IP_RECVRETOPTS its
    INP_* control flags.  Any other option is EINVAL, as in Tahoe.
    """
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    m = mp[0] if mp else None
    if level != h.IPPROTO_IP:
        if op == h.PRCO_SETOPT:
            m_freem(m)
        return h.EINVAL
    if op == h.PRCO_SETOPT:
        if optname == h.IP_OPTIONS:
            return ip_pcbopts(inp, m)
        error = h.EINVAL
        if optname in _INTOPTS and m is not None and m.m_len == ffi.sizeof("int"):
            _INTOPTS[optname][1](inp, mtod(m, "int")[0])
            error = 0
        m_freem(m)
        return error
    if optname != h.IP_OPTIONS and optname not in _INTOPTS:
        return h.EINVAL
    n = _mb.m_get(M_DONTWAIT, h.MT_SOOPTS)
    if n is None:
        return h.ENOBUFS
    if optname in _INTOPTS:
        n.m_len = ffi.sizeof("int")
        mtod(n, "int")[0] = _INTOPTS[optname][0](inp)
    else:
        opts = _pcbopts.get(int(ffi.cast("uintptr_t", inp)))
        if opts is not None:
            cnt = opts.m_len - 4
            n.m_buf[n.m_data:n.m_data + cnt] = opts.m_buf[opts.m_data + 4:opts.m_data + 4 + cnt]
            n.m_len = cnt
    mp[0] = n
    return 0


def _setflag(inp, bit: int, on: int) -> None:
    if on:
        inp.inp_flags |= bit
    else:
        inp.inp_flags &= ~bit


def _flagopt(bit: int):
    """(get, set) of an INP_* flag option: 1 or 0 read, set when nonzero."""
    return (lambda inp: 1 if inp.inp_flags & bit else 0,
            lambda inp, v: _setflag(inp, bit, v))


def _setfield(inp, field: str, v: int) -> None:
    setattr(inp.inp_ip, field, v & 0xFF)        # a u_char takes the low byte, as in C


# The int-valued IP options (Reno): name -> (get, set).
_INTOPTS = {
    h.IP_TOS: (lambda inp: inp.inp_ip.ip_tos, lambda inp, v: _setfield(inp, "ip_tos", v)),
    h.IP_TTL: (lambda inp: inp.inp_ip.ip_ttl, lambda inp, v: _setfield(inp, "ip_ttl", v)),
    h.IP_RECVOPTS: _flagopt(h.INP_RECVOPTS),
    h.IP_RECVRETOPTS: _flagopt(h.INP_RECVRETOPTS),
    h.IP_RECVDSTADDR: _flagopt(h.INP_RECVDSTADDR),
}


_pcbopts = {}          # kernel address of an inpcb -> its IP_OPTIONS mbuf


def pcb_options(inp):
    """The IP_OPTIONS mbuf of a pcb, or None (inp_options; kept beside the pcb)."""
    return _pcbopts.get(int(ffi.cast("uintptr_t", inp)))


def ip_pcbopts(inp, m) -> int:
    """Check and store IP_OPTIONS for a pcb (4.3BSD-Tahoe ip_output.c ip_pcbopts).

    The stored form is struct ipoption: a first-hop address, then the
    options.  A source route given as A->B->C->D keeps A, its first
    hop, in front and closes the option up over it.  Malformed options,
    a length that is not a multiple of 4, or too many are EINVAL.  An
    empty (or no) mbuf only removes the old options.
    """
    key = int(ffi.cast("uintptr_t", inp))
    old = _pcbopts.pop(key, None)
    if old is not None:
        m_freem(old)
    if m is None or m.m_len == 0:
        if m is not None:
            m_freem(m)
        return 0
    if m.m_len % 4 or m.m_data + m.m_len + 4 >= len(m.m_buf):
        m_freem(m)
        return h.EINVAL
    buf = bytearray(4) + m.m_buf[m.m_data:m.m_data + m.m_len]
    cp, cnt = 4, m.m_len
    while cnt > 0:
        opt = buf[cp + h.IPOPT_OPTVAL]
        if opt == h.IPOPT_EOL:
            break
        if opt == h.IPOPT_NOP:
            optlen = 1
        else:
            optlen = buf[cp + h.IPOPT_OLEN] if cnt > h.IPOPT_OLEN else 0
            if optlen <= h.IPOPT_OLEN or optlen > cnt:
                m_freem(m)
                return h.EINVAL
        if opt in (h.IPOPT_LSRR, h.IPOPT_SSRR):
            if optlen < h.IPOPT_MINOFF - 1 + 4:
                m_freem(m)
                return h.EINVAL
            hop = cp + h.IPOPT_OFFSET + 1
            buf[0:4] = buf[hop:hop + 4]         # the first hop goes in front
            del buf[hop:hop + 4]
            cnt -= 4
            optlen -= 4
            buf[cp + h.IPOPT_OLEN] = optlen
        cnt -= optlen
        cp += optlen
    if len(buf) > h.MAX_IPOPTLEN + 4:
        m_freem(m)
        return h.EINVAL
    m.m_buf[m.m_data:m.m_data + len(buf)] = buf
    m.m_len = len(buf)
    _pcbopts[key] = m
    return 0
