"""ICMP: error generation, input processing, and reflection.

NetBSD 1.5 netinet/ip_icmp.c (noud/mouse-bsd 1.41, "MB"; the facts are
in kernel-paths reference section 4) over 4.3BSD-Tahoe structures:
``icmp_error`` builds an error message about a received packet under
the suppression rules (never about an ICMP error, a fragment after the
first, or a link-level broadcast; at most one a millisecond),
``icmp_input`` checks and counts a received message in ``icmpstat``,
answers echo and timestamp requests (and mask requests when
``icmpmaskrepl`` is set), acts on redirects through ``rtredirect``
(counted in ``rtstat``), tells the protocol of the quoted datagram
about unreachables, time-exceeded, parameter problems and source
quenches through its ``pr_ctlinput``, and gives every message it does
not answer itself to the raw ICMP sockets.  ``icmp_reflect`` turns a
message round towards its sender and ``icmp_send`` checksums it and
hands it to ``ip_output``.
"""

from socket import htonl, htons, ntohl, ntohs

from kern import kern_clock, ksyms
from kern.headers import native as h
from kern.netinet import in_
from kern.netinet.in_cksum import in_cksum
from kern.uipc_mbuf import (M_BCAST, M_DONTWAIT, M_EXT, M_MCAST, MCLBYTES, MCLGET, MH_ALIGN,
                            MHLEN, PKTDAT, m_copydata, m_free, m_freem, m_gethdr, m_length,
                            m_pullup, mtod)

ffi = h.ffi
NULL = ffi.NULL
IPHDR = ffi.sizeof("struct ip")
ICMP_MINLEN, ICMP_ADVLENMIN, ICMP_TSLEN, ICMP_MASKLEN = (
    h.ICMP_MINLEN, h.ICMP_ADVLENMIN, h.ICMP_TSLEN, h.ICMP_MASKLEN)
ICMP_MAXTYPE = h.ICMP_MAXTYPE
ICMP_INFOTYPES = frozenset(t for t in range(256) if h.ICMP_INFOTYPE(t))
icmpreturndatabytes = 8

icmpstat = None        # struct icmpstat * (``_icmpstat``)
icmpmaskrepl = 0       # answer address-mask requests (MB: off)
icmperrratelim = (0, 1000)   # (sec, usec) between error messages: 1 ms (MB in_proto.c)
_icmperrratelim_last = [0, 0]

# icmp_input: which PRC_* each unreachable code maps to (MB icmp_input).
_UNREACH_PRC = {
    h.ICMP_UNREACH_NET: h.PRC_UNREACH_NET, h.ICMP_UNREACH_HOST: h.PRC_UNREACH_HOST,
    h.ICMP_UNREACH_PROTOCOL: h.PRC_UNREACH_PROTOCOL, h.ICMP_UNREACH_PORT: h.PRC_UNREACH_PORT,
    h.ICMP_UNREACH_SRCFAIL: h.PRC_UNREACH_SRCFAIL, h.ICMP_UNREACH_NEEDFRAG: h.PRC_MSGSIZE,
    h.ICMP_UNREACH_NET_UNKNOWN: h.PRC_UNREACH_NET, h.ICMP_UNREACH_NET_PROHIB: h.PRC_UNREACH_NET,
    h.ICMP_UNREACH_TOSNET: h.PRC_UNREACH_NET, h.ICMP_UNREACH_HOST_UNKNOWN: h.PRC_UNREACH_HOST,
    h.ICMP_UNREACH_ISOLATED: h.PRC_UNREACH_HOST, h.ICMP_UNREACH_HOST_PROHIB: h.PRC_UNREACH_HOST,
    h.ICMP_UNREACH_TOSHOST: h.PRC_UNREACH_HOST,
}


def icmp_init() -> None:
    """Place icmpstat in kernel memory and reset the rate limiter (called by ip_init)."""
    global icmpstat, icmpmaskrepl
    icmpstat = ksyms.data("icmpstat", "struct icmpstat")
    icmpmaskrepl = 0
    _icmperrratelim_last[:] = [0, 0]


def ifptoia(ifp):
    """The first Internet address of an interface, or NULL (4.3BSD ip_icmp.c ifptoia)."""
    if ifp is None or ifp == NULL:
        return NULL
    for ia in in_.in_ifaddr_list():
        if ia.ia_ifa.ifa_ifp == ifp:
            return ia
    return NULL


def iptime() -> int:
    """Milliseconds since midnight UT, in network byte order (ip_icmp.c iptime)."""
    t = kern_clock.time_p
    ms = (t.tv_sec % (24 * 60 * 60)) * 1000 + t.tv_usec // 1000
    return htonl(ms & 0xFFFFFFFF)


def _ratecheck(last, mininterval) -> bool:
    """True when mininterval has passed since last, which is then updated.

    NetBSD kern_time.c ratecheck, on the kernel's clock (so a hand
    clock decides it in tests); a never-used limiter always passes.
    """
    t = kern_clock.time_p
    now = t.tv_sec * 1000000 + t.tv_usec
    prev = last[0] * 1000000 + last[1]
    if now - prev >= mininterval[0] * 1000000 + mininterval[1] or last == [0, 0]:
        last[:] = [t.tv_sec, t.tv_usec]
        return True
    return False


def icmp_error(n, type: int, code: int, dest: int, destifp) -> None:
    """Send an ICMP error about the received packet n, then free n (MB icmp_error).

    icps_error counts every call but those for redirects, before any
    test.  No error is sent about a fragment other than the first (nor
    about any packet with IP_RF set), about an ICMP error
    (icps_oldicmp), about a link-level broadcast or multicast, or more
    often than once a millisecond.  The message quotes the old IP
    header and 8 bytes of its data (fewer if ip_len says there are
    fewer), with ip_len and ip_off back in network order.
    """
    st = icmpstat
    oip = mtod(n, "struct ip")
    oiplen = oip.ip_hl << 2
    if type != h.ICMP_REDIRECT:
        st.icps_error += 1
    if oip.ip_off & ~(h.IP_MF | h.IP_DF) & 0xFFFF:
        m_freem(n)
        return
    if (oip.ip_p == h.IPPROTO_ICMP and type != h.ICMP_REDIRECT
            and n.m_len >= oiplen + ICMP_MINLEN
            and n.m_buf[n.m_data + oiplen] not in ICMP_INFOTYPES):
        st.icps_oldicmp += 1
        m_freem(n)
        return
    if n.m_flags & (M_BCAST | M_MCAST):
        m_freem(n)
        return
    if not _ratecheck(_icmperrratelim_last, icmperrratelim):
        m_freem(n)                      # (MB: "XXX stat")
        return
    m = m_gethdr(M_DONTWAIT, h.MT_HEADER)
    if m is None:
        m_freem(n)
        return
    # The kernel's min() is unsigned: a negative difference quotes 8.
    extra = oip.ip_len - oiplen
    icmplen = oiplen + (icmpreturndatabytes if extra < 0 else min(icmpreturndatabytes, extra))
    icmplen = min(icmplen, m_length(n))         # NetBSD 1.6: never past the chain
    m.m_len = icmplen + ICMP_MINLEN
    if m.m_len + IPHDR > MHLEN:
        # A long quote does not fit MHLEN (72 bytes here, 100 on NetBSD's i386).
        MCLGET(m, M_DONTWAIT)
        if not m.m_flags & M_EXT:
            m_free(m)
            m_freem(n)
            return
        m.m_data = (MCLBYTES - m.m_len) & ~7
    else:
        MH_ALIGN(m, m.m_len)
    icp = mtod(m, "struct icmp")
    st.icps_outhist[type] += 1
    icp.icmp_type = type
    if type == h.ICMP_REDIRECT:
        icp.icmp_hun.ih_gwaddr.s_addr = dest
    else:
        icp.icmp_hun.ih_void = 0
        if type == h.ICMP_PARAMPROB:
            icp.icmp_hun.ih_pptr = code
            code = 0
        elif type == h.ICMP_UNREACH and code == h.ICMP_UNREACH_NEEDFRAG and destifp != NULL:
            icp.icmp_hun.ih_pmtu.ipm_nextmtu = htons(destifp.if_mtu)
    oip.ip_off = htons(oip.ip_off)
    oip.ip_len = htons(oip.ip_len)
    icp.icmp_code = code
    quote = m_copydata(n, 0, icmplen)
    d = m.m_data + ICMP_MINLEN
    m.m_buf[d:d + icmplen] = quote
    # Now the old IP header (without options) goes in front, as the new one.
    if m.m_data - IPHDR < (0 if m.m_flags & M_EXT else PKTDAT):
        from kern.subr_prf import panic
        panic("icmp len")
    m.m_data -= IPHDR
    m.m_len += IPHDR
    m.m_pkthdr.len = m.m_len
    m.m_pkthdr.rcvif = n.m_pkthdr.rcvif
    m.m_buf[m.m_data:m.m_data + IPHDR] = quote[:IPHDR]
    nip = mtod(m, "struct ip")
    nip.ip_len = m.m_len
    nip.ip_hl = IPHDR >> 2
    nip.ip_p = h.IPPROTO_ICMP
    nip.ip_tos = 0
    icmp_reflect(m)
    m_freem(n)


def icmp_input(m, hlen: int, proto: int = h.IPPROTO_ICMP) -> None:
    """Process a received ICMP message (MB ip_icmp.c icmp_input).

    Kernel-paths reference section 4: too short (icps_tooshort), bad
    checksum (icps_checksum), then icps_inhist[type]; echo and timestamp
    requests (and mask requests with icmpmaskrepl) are answered and
    counted in icps_reflect and icps_outhist, and go no further; errors
    about a datagram of ours go to its protocol's pr_ctlinput (a bad
    code is icps_badcode, a short quote icps_badlen); redirects change
    the routing table; everything not answered goes on to the raw ICMP
    sockets (rip_input).
    """
    from kern.netinet.ip_input import inetsw, ip_protox
    from kern.netinet.raw_ip import rip_input
    st = icmpstat
    ip = mtod(m, "struct ip")
    icmplen = ip.ip_len - hlen
    if icmplen < ICMP_MINLEN:
        st.icps_tooshort += 1
        m_freem(m)
        return
    i = hlen + min(icmplen, ICMP_ADVLENMIN)
    if m.m_len < i:
        m = m_pullup(m, i)
        if m is None:
            st.icps_tooshort += 1
            return
    ip = mtod(m, "struct ip")
    m.m_len -= hlen
    m.m_data += hlen
    icp = mtod(m, "struct icmp")
    if in_cksum(m, icmplen):
        st.icps_checksum += 1
        m_freem(m)
        return
    m.m_len += hlen
    m.m_data -= hlen
    typ = icp.icmp_type
    if typ > ICMP_MAXTYPE:
        rip_input(m, hlen, proto)
        return
    st.icps_inhist[typ] += 1
    code = icp.icmp_code
    if typ in (h.ICMP_UNREACH, h.ICMP_TIMXCEED, h.ICMP_PARAMPROB, h.ICMP_SOURCEQUENCH):
        prc = _error_prc(typ, code)
        if prc is None:
            st.icps_badcode += 1
        elif not _advlen_ok(icp, icmplen):
            st.icps_badlen += 1
            m_freem(m)
            return
        elif ntohl(icp.icmp_dun.id_ip.idi_ip.ip_dst.s_addr) & 0xF0000000 == 0xE0000000:
            st.icps_badcode += 1
        else:
            qip = icp.icmp_dun.id_ip.idi_ip
            qip.ip_len = ntohs(qip.ip_len)
            sin = ffi.new("struct sockaddr_in *")
            sin.sin_family = h.AF_INET
            sin.sin_addr = qip.ip_dst
            ctlfunc = inetsw[ip_protox[qip.ip_p]].pr_ctlinput
            if ctlfunc != NULL:
                ksyms.call(ctlfunc, prc, ffi.cast("struct sockaddr *", sin), ffi.addressof(qip))
    elif typ == h.ICMP_ECHO:
        icp.icmp_type = h.ICMP_ECHOREPLY
        _reflect(m, icp)
        return
    elif typ == h.ICMP_TSTAMP:
        if icmplen < ICMP_TSLEN:
            st.icps_badlen += 1
        else:
            icp.icmp_type = h.ICMP_TSTAMPREPLY
            ts = icp.icmp_dun.id_ts
            ts.its_rtime = iptime()
            ts.its_ttime = ts.its_rtime         # (MB: "bogus, do later!")
            _reflect(m, icp)
            return
    elif typ == h.ICMP_MASKREQ:
        if icmpmaskrepl:
            if icmplen < ICMP_MASKLEN:
                st.icps_badlen += 1
            else:
                ia = ifptoia(m.m_pkthdr.rcvif)
                if ia != NULL:
                    icp.icmp_type = h.ICMP_MASKREPLY
                    icp.icmp_dun.id_mask = htonl(ia.ia_subnetmask)
                    if ip.ip_src.s_addr == 0:
                        _mask_source(ip, ia)
                    _reflect(m, icp)
                    return
    elif typ == h.ICMP_REDIRECT:
        if code > 3:
            st.icps_badcode += 1
        elif not _advlen_ok(icp, icmplen):
            st.icps_badlen += 1
        else:
            _redirect(ip, icp)
    rip_input(m, hlen, proto)


def _error_prc(typ: int, code: int):
    """The PRC_* code for an ICMP error type and code, or None for a bad code."""
    if typ == h.ICMP_UNREACH:
        return _UNREACH_PRC.get(code)
    if typ == h.ICMP_TIMXCEED:
        return code + h.PRC_TIMXCEED_INTRANS if code <= 1 else None
    if typ == h.ICMP_PARAMPROB:
        return h.PRC_PARAMPROB if code <= 1 else None
    return h.PRC_QUENCH if code == 0 else None


def _advlen_ok(icp, icmplen: int) -> bool:
    """An error message holds the quoted header and 8 bytes (ICMP_ADVLEN)."""
    qhl = icp.icmp_dun.id_ip.idi_ip.ip_hl
    return icmplen >= ICMP_ADVLENMIN and icmplen >= 8 + (qhl << 2) + 8 and qhl >= IPHDR >> 2


def _mask_source(ip, ia) -> None:
    """A mask request from 0.0.0.0 is answered to the broadcast or the peer."""
    ifp = ia.ia_ifa.ifa_ifp
    if ifp.if_flags & h.IFF_BROADCAST:
        ip.ip_src = ffi.cast("struct sockaddr_in *",
                             ffi.addressof(ia.ia_ifa.ifa_ifu, "ifu_broadaddr")).sin_addr
    elif ifp.if_flags & h.IFF_POINTOPOINT:
        ip.ip_src = ffi.cast("struct sockaddr_in *",
                             ffi.addressof(ia.ia_ifa.ifa_ifu, "ifu_dstaddr")).sin_addr


def _reflect(m, icp) -> None:
    """icmp_input's "reflect:": count the reply and send it."""
    icmpstat.icps_reflect += 1
    icmpstat.icps_outhist[icp.icmp_type] += 1
    icmp_reflect(m)


def _sockaddr_in(s_addr: int):
    """A new struct sockaddr holding an Internet address (the object owns its memory)."""
    sa = ffi.new("struct sockaddr *")
    sin = ffi.cast("struct sockaddr_in *", sa)
    sin.sin_family = h.AF_INET
    sin.sin_addr.s_addr = s_addr
    return sa


def _redirect(ip, icp) -> None:
    """Act on a redirect at once, then tell the protocols (MB icmp_input, REDIRECT).

    The route to the quoted destination changes through rtredirect
    (which counts the outcome in rtstat), and pfctlinput makes every
    protocol drop the routes it has cached.
    """
    from kern.net.route import rtredirect
    from kern.uipc_domain import pfctlinput
    dst = _sockaddr_in(icp.icmp_dun.id_ip.idi_ip.ip_dst.s_addr)
    gw = _sockaddr_in(icp.icmp_hun.ih_gwaddr.s_addr)
    src = _sockaddr_in(ip.ip_src.s_addr)
    rtredirect(dst, gw, h.RTF_GATEWAY | h.RTF_HOST, src)
    pfctlinput(h.PRC_REDIRECT_HOST, dst)


def _ia_withaddr(t: int):
    """INADDR_TO_IA: the in_ifaddr whose address is t, or NULL."""
    for ia in in_.in_ifaddr_list():
        if ffi.cast("struct sockaddr_in *", ia).sin_addr.s_addr == t:
            return ia
    return NULL


def _reflect_source(m, t: int, to: int):
    """The address an answer to a packet sent to t should come from (MB icmp_reflect).

    In NetBSD's order: our address t itself; the address of rcvif whose
    broadcast is t; the address by which a route back to the sender
    leaves, if it is on rcvif (in_selectsrc's choice); the first address
    of rcvif; the first address not on a loopback interface.  NULL: none.
    """
    from kern.net.route import RTFREE, rtalloc
    rcvif = m.m_pkthdr.rcvif
    ia = _ia_withaddr(t)
    if ia == NULL and rcvif is not None and rcvif.if_flags & h.IFF_BROADCAST:
        for a in in_.in_ifaddr_list():
            if a.ia_ifa.ifa_ifp == rcvif and ffi.cast(
                    "struct sockaddr_in *",
                    ffi.addressof(a.ia_ifa.ifa_ifu, "ifu_broadaddr")).sin_addr.s_addr == t:
                ia = a
                break
    if ia != NULL:
        return ia
    ro = ffi.new("struct route *")
    ro.ro_dst = _sockaddr_in(to)[0]
    rtalloc(ro)
    if ro.ro_rt != NULL:
        cand = ifptoia(ro.ro_rt.rt_ifp)
        RTFREE(ro.ro_rt)
        if cand != NULL and cand.ia_ifa.ifa_ifp == rcvif:
            return cand
    ia = ifptoia(rcvif)
    if ia != NULL:
        return ia
    for a in in_.in_ifaddr_list():
        if not a.ia_ifa.ifa_ifp.if_flags & h.IFF_LOOPBACK:
            return a
    return NULL


def icmp_reflect(m) -> None:
    """Send an ICMP message back where its packet came from (MB icmp_reflect).

    A source that could not be forwarded to (other than 127/8) is not
    answered.  The reply's source is chosen as _reflect_source says, its
    TTL is MAXTTL, a received source route comes back reversed (with the
    record-route, timestamp and security options) and the original
    options are removed.
    """
    from kern.netinet.ip_input import ip_srcroute
    ip = mtod(m, "struct ip")
    optlen = (ip.ip_hl << 2) - IPHDR
    src = ntohl(ip.ip_src.s_addr)
    if not in_.in_canforward(ip.ip_src.s_addr) and \
            src & h.IN_CLASSA_NET != h.IN_LOOPBACKNET << h.IN_CLASSA_NSHIFT:
        m_freem(m)                          # a bad return address
        return
    t = ip.ip_dst.s_addr
    ip.ip_dst.s_addr = ip.ip_src.s_addr
    ia = _reflect_source(m, t, ip.ip_dst.s_addr)
    if ia == NULL:
        m_freem(m)
        return
    ip.ip_src.s_addr = ffi.cast("struct sockaddr_in *", ia).sin_addr.s_addr
    ip.ip_ttl = h.MAXTTL
    opts = None
    if optlen > 0:
        opts = ip_srcroute()
        if opts is None:
            opts = m_gethdr(M_DONTWAIT, h.MT_HEADER)
            if opts is not None:
                opts.m_len = 4
                opts.m_buf[opts.m_data:opts.m_data + 4] = bytes(4)
        if opts is not None:
            _reflect_options(m, optlen, opts)
        # Strip the original options from the packet.
        ip.ip_len -= optlen
        ip.ip_hl = IPHDR >> 2
        m.m_len -= optlen
        if m.m_flags & h.M_PKTHDR:
            m.m_pkthdr.len -= optlen
        d = m.m_data
        rest = m.m_len - IPHDR
        m.m_buf[d + IPHDR:d + IPHDR + rest] = m.m_buf[d + IPHDR + optlen:d + IPHDR + optlen + rest]
    m.m_flags &= ~(M_BCAST | M_MCAST)
    icmp_send(m, opts)
    if opts is not None:
        m_free(opts)


def _reflect_options(m, optlen: int, opts) -> None:
    """Copy record-route, timestamp and security options to opts, padded to 4 bytes."""
    b = m.m_buf
    pos = m.m_data + IPHDR
    cnt = optlen
    out = bytearray()
    while cnt > 0:
        opt = b[pos]
        if opt == h.IPOPT_EOL:
            break
        if opt == h.IPOPT_NOP:
            ln = 1
        else:
            ln = b[pos + 1]
            if ln <= 0 or ln > cnt:
                break
        if opt in (h.IPOPT_RR, h.IPOPT_TS, h.IPOPT_SECURITY):
            out += b[pos:pos + ln]
        cnt -= ln
        pos += ln
    total = opts.m_len + len(out)
    out += bytes((4 - total % 4) % 4)           # IPOPT_EOL padding
    d = opts.m_data + opts.m_len
    opts.m_buf[d:d + len(out)] = out
    opts.m_len += len(out)


def icmp_send(m, opts) -> None:
    """Checksum an ICMP message and give it to ip_output (MB icmp_send)."""
    from kern.netinet.ip_output import ip_output
    ip = mtod(m, "struct ip")
    hlen = ip.ip_hl << 2
    m.m_data += hlen
    m.m_len -= hlen
    icp = mtod(m, "struct icmp")
    icp.icmp_cksum = 0
    icp.icmp_cksum = in_cksum(m, ip.ip_len - hlen)
    m.m_data -= hlen
    m.m_len += hlen
    ip_output(m, opts, None, 0, None)
