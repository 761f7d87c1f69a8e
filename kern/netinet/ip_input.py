"""IP input: ipintr, ip_input, options, reassembly and forwarding.

The receive path of seed 004 ("Entering the IP stack"): a driver (or
ether_input, or looutput) queues a packet on ``ipintrq`` and schedules
NETISR_IP; ``ipintr`` drains the queue into ``ip_input``, which checks
the header in NetBSD's order, counting each drop in ``ipstat``, decides
whether the packet is for us, reassembles fragments, and hands the
datagram to its protocol through ``inetsw[ip_protox[ip_p]].pr_input``
-- or forwards it when the kernel is a gateway.

The logic is NetBSD 1.5's (noud/mouse-bsd ip_input.c 1.101, cited as
MB, the reference model's packet path) run over 4.3BSD-Tahoe structures
(DESIGN.md section 1): the ``in_ifaddr`` list instead of NetBSD's
address hash, Tahoe's ``struct ipq`` held in an MT_FTABLE mbuf as
reassembly header, routes without ``rt_ifa`` (an interface's address is
its first ``in_ifaddr``, Tahoe's ``ifptoia``).  As in NetBSD 1.5, ip_len
and ip_off are converted to host order after the header checksum and
every later layer sees host order, with ip_len including the header
(kernel-paths reference, section 0).

Where MB 1.101 and NetBSD 1.175 (2003) count differently the choice is
MB's: a multicast source is dropped without a counter, a software
header-checksum failure counts ``ips_badsum``, there is no
``ips_badaddr`` test of 127/8, and ip_forward answers ENOBUFS with a
source quench (kernel-paths reference, sections 2.1 and 2.3).

The fragments of a datagram being reassembled are Python mbufs, so they
wait in a list beside their ``struct ipq`` (in offset order, as
NetBSD's ``ipqent`` list holds them), while the ipq itself is on the
kernel's ``ipq`` list for tools to see.
"""

import sys
from socket import ntohl, ntohs

from kern import ksyms, param
from kern.headers import native as h
from kern.net import if_, netisr

from kern.netinet import in_
from kern.netinet.in_cksum import in_cksum
from kern.uipc_mbuf import M_BCAST, M_MCAST, M_PKTHDR, m_adj, m_cat, m_copy, m_free, \
    m_freem, m_get, m_pullup, mtod

ffi = h.ffi

IPVERSION = h.IPVERSION
IP_DF, IP_MF, IP_RF = h.IP_DF, h.IP_MF, h.IP_RF
IFF_UP, IFF_BROADCAST = h.IFF_UP, h.IFF_BROADCAST
AF_INET = h.AF_INET
INADDR_BROADCAST = h.INADDR_BROADCAST & 0xFFFFFFFF
IPHDR = ffi.sizeof("struct ip")
IPPROTO_MAX = h.IPPROTO_MAX
NULL = ffi.NULL
SIN_P = ffi.typeof("struct sockaddr_in *")
U32_P = ffi.typeof("u_int32_t *")
# An in_ifaddr begins with its address: sin_addr is this u_int32_t of it.
SIN_ADDR_WORD = ffi.offsetof("struct sockaddr_in", "sin_addr") // 4
IA_P = ffi.typeof("struct in_ifaddr *")

# Kernel state, set by ip_init at boot.
ipstat = None          # struct ipstat * (``_ipstat``)
ipintrq = None         # struct ifqueue (``_ipintrq``), as the IF_* macros take it
ipq = None             # struct ipq *: head of the reassembly queues (``_ipq``)
ip_protox = None       # u_char[IPPROTO_MAX]: protocol number -> inetsw index
ipforward_rt = None    # struct route *: ip_forward's route cache (``_ipforward_rt``)
inetsw = None
ip_id = 0              # next ip_id, seeded from the time of day
ip_nhops = 0           # hops of the last source route saved by save_rte
_ip_srcrt = (0, b"")   # (final destination, the option as received)
_fragq = {}            # kernel address of an ipq -> its ipqent list, by offset

# Tunables (sysctl net.inet.ip.* in NetBSD), from the kernel's options.
ipforwarding = 0
ipsendredirects = 1
ip_defttl = h.IPDEFTTL
ip_forwsrcrt = 1
ip_allowsrcrt = 1
ip_directedbcast = 0
ipqmaxlen = h.IFQ_MAXLEN


class ipqent:
    """One fragment waiting in a reassembly queue (NetBSD ip_var.h struct ipqent)."""

    __slots__ = ("ipqe_m", "ipqe_ip", "ipqe_mff")

    def __init__(self, m, ip, mff):
        self.ipqe_m, self.ipqe_ip, self.ipqe_mff = m, ip, mff


def ip_init() -> None:
    """Build ip_protox and the kernel's IP globals (MB ip_input.c ip_init).

    Every protocol number first maps to the raw-IP entry of inetsw, then
    each protocol of the domain to its own entry.  A protocol whose
    input routine is not part of this kernel yet (pr_input NULL) is left
    on the raw entry, so its packets get the raw path's protocol
    unreachable instead of a call through a null pointer.
    """
    global ipstat, ipintrq, ipq, ip_protox, ipforward_rt, inetsw, ip_id, ip_nhops, _ip_srcrt
    global ipforwarding, ipsendredirects, ip_defttl, ip_forwsrcrt, ip_allowsrcrt, ip_directedbcast
    from kern import kern_clock
    from kern.net.route import register_holder
    from kern.netinet import in_proto, ip_icmp, ip_output
    from kern.uipc_domain import pffindproto
    inetsw = in_proto.inetsw
    ipstat = ksyms.data("ipstat", "struct ipstat")
    ipintrq = ksyms.data("ipintrq", "struct ifqueue")[0]
    ipintrq.ifq_maxlen = ipqmaxlen
    ipq = ksyms.data("ipq", "struct ipq")
    ipq.next = ipq.prev = ipq
    ip_protox = ksyms.data("ip_protox", "u_char", IPPROTO_MAX)
    ipforward_rt = ksyms.data("ipforward_rt", "struct route")
    register_holder(_ipforward_holders)
    _fragq.clear()
    ip_output._pcbopts.clear()
    ip_icmp.icmp_init()
    ip_nhops, _ip_srcrt = 0, (0, b"")
    ipforwarding = param.kconst.IPFORWARDING
    ipsendredirects = param.kconst.IPSENDREDIRECTS
    ip_defttl, ip_forwsrcrt, ip_allowsrcrt, ip_directedbcast = h.IPDEFTTL, 1, 1, 0
    dom = in_proto.inetdomain
    pr = pffindproto(AF_INET, h.IPPROTO_RAW, h.SOCK_RAW)
    if pr == NULL:
        from kern.subr_prf import panic
        panic("ip_init")
    raw = pr - inetsw
    for i in range(IPPROTO_MAX):
        ip_protox[i] = raw
    pr = dom.dom_protosw
    while pr != dom.dom_protoswNPROTOSW:
        if pr.pr_protocol and pr.pr_protocol != h.IPPROTO_RAW and pr.pr_input != NULL:
            ip_protox[pr.pr_protocol] = pr - inetsw
        pr += 1
    ip_id = kern_clock.time_p.tv_sec & 0xFFFF
    netisr.register_netisr(netisr.NETISR_IP, ipintr)


def _ipforward_holders():
    """The one struct route ip_forward keeps, for the refcount audit."""
    return (ipforward_rt,)


def ipintr() -> None:
    """The IP software interrupt: feed every queued packet to ip_input (MB ipintr).

    Seed 004, "Entering the IP stack": the handler the driver's software
    interrupt asked for takes the packets off the IPv4 queue.
    """
    q = ipintrq
    dequeue = if_.IF_DEQUEUE
    while q.ifq_len:                # (IF_DEQUEUE of an empty queue gives 0)
        ip_input(dequeue(q))


def ip_input(m) -> None:
    """Check one received IP packet and deliver, reassemble or forward it.

    Ports MB ip_input.c ip_input, in its order (kernel-paths reference,
    section 2.1): no address configured yet (dropped before ips_total),
    ips_total, too small (ips_toosmall), version (ips_badvers), header
    length (ips_badhlen), a multicast source (dropped, not counted), the
    header checksum (ips_badsum), ip_len below the header (ips_badlen),
    less data than ip_len (ips_tooshort; more is trimmed), then the
    options, then "for us?" (section 2.2) and delivery or forwarding.
    A packet with two faults is counted for the first only.  Seed 004,
    "Entering the IP stack": the validity checks, then forwarding or
    reassembly, then the protocol's input routine.
    """
    global ip_nhops
    st = ipstat
    ia = in_.in_ifaddr_p[0]
    if ia == NULL:                          # no IP addresses set yet
        m_freem(m)
        return
    st.ips_total += 1
    if m.m_len < IPHDR:
        m = m_pullup(m, IPHDR)
        if m is None:
            st.ips_toosmall += 1
            return
    ip = mtod(m, "struct ip")
    if ip.ip_v != IPVERSION:
        st.ips_badvers += 1
        m_freem(m)
        return
    hlen = ip.ip_hl << 2
    if hlen < IPHDR:
        st.ips_badhlen += 1
        m_freem(m)
        return
    if hlen > m.m_len:
        m = m_pullup(m, hlen)
        if m is None:
            st.ips_badhlen += 1
            return
        ip = mtod(m, "struct ip")
    if ntohl(ip.ip_src.s_addr) & 0xF0000000 == 0xE0000000:
        m_freem(m)                          # RFC 1122: multicast source (MB: "XXX stat")
        return
    if in_cksum(m, hlen) != 0:
        st.ips_badsum += 1
        m_freem(m)
        return
    # From here on ip_len and ip_off are in host order.
    length = ip.ip_len = ntohs(ip.ip_len)
    off = ip.ip_off = ntohs(ip.ip_off)
    if length < hlen:
        st.ips_badlen += 1
        m_freem(m)
        return
    ph = m.m_pkthdr
    plen = ph.len
    if plen < length:
        st.ips_tooshort += 1
        m_freem(m)
        return
    if plen > length:
        if m.m_len == plen:
            m.m_len = ph.len = length
        else:
            m_adj(m, length - plen)
    # (No pfil hooks and no ipflow fast-forward cache in this kernel.)
    ip_nhops = 0
    if hlen > IPHDR:
        if ip_dooptions(m):
            return
        off = ip.ip_off                 # (a source route may have been followed)
    if _for_us(m, ip, ia):
        _ours(m, ip, hlen, off)


def _for_us(m, ip, ia) -> bool:
    """Decide whether the packet is ours; if not, forward or drop it (MB ip_input).

    The order of kernel-paths reference section 2.2: our unicast address
    on any interface that is up (an address on a down interface only
    counts as a "downmatch"); on a broadcast rcvif, one of its broadcast
    forms or an address of 0.0.0.0; a multicast group joined (netkern
    joins none, so multicast is ips_cantforward); 255.255.255.255 or
    0.0.0.0.  Otherwise the packet is forwarded when ipforwarding is on.
    """
    dst = ip.ip_dst.s_addr
    downmatch = 0
    while ia != NULL:                   # ia: the head of the in_ifaddr list
        if ffi.cast(U32_P, ia)[SIN_ADDR_WORD] == dst:       # IA_SIN(ia)->sin_addr
            if ia.ia_ifa.ifa_ifp.if_flags & IFF_UP:
                return True
            downmatch += 1
        ia = ia.ia_next
    rcvif = m.m_pkthdr.rcvif
    if rcvif is not None and rcvif.if_flags & IFF_BROADCAST:
        hdst = ntohl(dst)
        ifa = rcvif.if_addrlist
        while ifa != NULL:
            if ifa.ifa_addr.sa_family == AF_INET:
                ia = ffi.cast(IA_P, ifa)
                brd = ffi.cast(SIN_P, ffi.addressof(ifa.ifa_ifu, "ifu_broadaddr"))
                if (brd.sin_addr.s_addr == dst or ia.ia_netbroadcast.s_addr == dst
                        or hdst == ia.ia_subnet or hdst == ia.ia_net):
                    return True
                if ffi.cast(SIN_P, ifa).sin_addr.s_addr == 0:
                    return True         # an address of 0.0.0.0 takes everything
            ifa = ifa.ifa_next
    if ntohl(dst) & 0xF0000000 == 0xE0000000:
        ipstat.ips_cantforward += 1     # no group is ever joined (IN_LOOKUP_MULTI)
        m_freem(m)
        return False
    if dst == INADDR_BROADCAST or dst == 0:
        return True
    if not ipforwarding:
        ipstat.ips_cantforward += 1
        m_freem(m)
    elif downmatch:
        from kern.netinet.ip_icmp import icmp_error
        icmp_error(m, h.ICMP_UNREACH, h.ICMP_UNREACH_HOST, 0, NULL)
        ipstat.ips_cantforward += 1
    else:
        ip_forward(m, 0)
    return False


def _ours(m, ip, hlen: int, off: int) -> None:
    """Reassemble if needed, then hand the datagram to its protocol (MB ip_input "ours")."""
    st = ipstat
    if off & ~(IP_DF | IP_RF) & 0xFFFF:
        fp = _ipq_lookup(ip)
        ip.ip_len -= hlen
        mff = ip.ip_off & IP_MF
        if mff and (ip.ip_len == 0 or ip.ip_len & 7):
            st.ips_badfrags += 1
            m_freem(m)
            return
        ip.ip_off = (ip.ip_off << 3) & 0xFFFF      # flags fall off the top
        # (Always true here: the branch that would flush a queue when a
        # datagram arrives unfragmented is unreachable in NetBSD too.)
        if mff or ip.ip_off:
            st.ips_fragments += 1
            m = ip_reass(ipqent(m, ip, mff), fp)
            if m is None:
                return
            st.ips_reassembled += 1
            ip = mtod(m, "struct ip")
            hlen = ip.ip_hl << 2
            ip.ip_len += hlen
        elif fp != NULL:
            ip_freef(fp)
    st.ips_delivered += 1
    p = ip.ip_p
    ksyms.call(inetsw[ip_protox[p]].pr_input, m, hlen, p)


def _ipq_lookup(ip):
    """The reassembly queue of this fragment's datagram, or NULL."""
    fp = ipq.next
    while fp != ipq:
        if (fp.ipq_id == ip.ip_id and fp.ipq_src.s_addr == ip.ip_src.s_addr
                and fp.ipq_dst.s_addr == ip.ip_dst.s_addr and fp.ipq_p == ip.ip_p):
            return fp
        fp = fp.next
    return NULL


def _ipq_addr(fp) -> int:
    return int(ffi.cast("uintptr_t", fp))


def ip_reass(ipqe, fp):
    """Put a fragment in its datagram's queue; the whole datagram when complete.

    MB ip_input.c ip_reass with the overlap rules of kernel-paths
    reference section 2.4: a preceding fragment's data wins over the
    head of the new one (a full duplicate is dropped, ips_fragdropped),
    and the new fragment's data wins over the heads of the ones after
    it, which are trimmed or, when covered, freed.  A datagram longer
    than IP_MAXPACKET counts ips_toolong and is dropped.  The first
    fragment of a datagram allocates the queue header, ``struct ipq``,
    in an MT_FTABLE mbuf as 4.3BSD does, and links it on ``ipq``.
    Returns the reassembled packet or None.  Seed 004, "Entering the IP
    stack": a fragment waits on the queue until the others arrive or it
    times out.
    """
    m = ipqe.ipqe_m
    ip = ipqe.ipqe_ip
    hlen = ip.ip_hl << 2
    m.m_data += hlen
    m.m_len -= hlen
    if fp == NULL:
        t = m_get(h.M_DONTWAIT, h.MT_FTABLE)
        if t == NULL:
            return _dropfrag(m)
        fp = mtod(t, "struct ipq")
        fp.next = ipq.next                  # insque(fp, &ipq): at the head
        fp.prev = ipq
        ipq.next.prev = fp
        ipq.next = fp
        fp.ipq_ttl = h.IPFRAGTTL
        fp.ipq_p = ip.ip_p
        fp.ipq_id = ip.ip_id
        fp.ipq_src = ip.ip_src
        fp.ipq_dst = ip.ip_dst
        # Tahoe's empty fragment list points at the header itself; the
        # fragments themselves are kept in _fragq.
        fp.ipq_next = fp.ipq_prev = ffi.cast("struct ipasfrag *", fp)
        frags = _fragq[_ipq_addr(fp)] = []
        frags.append(ipqe)
        return None
    frags = _fragq[_ipq_addr(fp)]
    # The first queued fragment that begins after this one; p precedes it.
    i = 0
    while i < len(frags) and frags[i].ipqe_ip.ip_off <= ip.ip_off:
        i += 1
    if i > 0:
        pip = frags[i - 1].ipqe_ip
        over = pip.ip_off + pip.ip_len - ip.ip_off
        if over > 0:
            if over >= ip.ip_len:
                return _dropfrag(m)
            m_adj(m, over)
            ip.ip_off += over
            ip.ip_len -= over
    while i < len(frags):
        q = frags[i]
        qip = q.ipqe_ip
        over = ip.ip_off + ip.ip_len - qip.ip_off
        if over <= 0:
            break
        if over < qip.ip_len:
            qip.ip_len -= over
            qip.ip_off += over
            m_adj(q.ipqe_m, over)
            break
        m_freem(q.ipqe_m)
        del frags[i]
    frags.insert(i, ipqe)
    nxt = 0
    for q in frags:
        if q.ipqe_ip.ip_off != nxt:
            return None
        nxt += q.ipqe_ip.ip_len
    if frags[-1].ipqe_mff:
        return None
    first = frags[0].ipqe_ip
    if nxt + (first.ip_hl << 2) > h.IP_MAXPACKET:
        ipstat.ips_toolong += 1
        ip_freef(fp)
        return None
    m = frags[0].ipqe_m
    t = m.m_next
    m.m_next = None
    m_cat(m, t)
    for q in frags[1:]:
        m_cat(m, q.ipqe_m)
    ip = first
    ip.ip_len = nxt
    ip.ip_ttl = 0                           # MB 1.101: "xxx"
    ip.ip_sum = 0
    ip.ip_src = fp.ipq_src
    ip.ip_dst = fp.ipq_dst
    _ipq_remove(fp)
    hlen = ip.ip_hl << 2
    m.m_len += hlen
    m.m_data -= hlen
    if m.m_flags & M_PKTHDR:
        plen, t = 0, m
        while t is not None:
            plen += t.m_len
            t = t.m_next
        m.m_pkthdr.len = plen
    return m


def _dropfrag(m):
    """ip_reass's dropfrag: count ips_fragdropped and free the fragment."""
    ipstat.ips_fragdropped += 1
    m_freem(m)
    return None


def _ipq_remove(fp) -> None:
    """Unlink a reassembly header from ipq and free its mbuf (remque, m_free(dtom))."""
    from kern.net.route import dtom
    _fragq.pop(_ipq_addr(fp), None)
    fp.prev.next = fp.next
    fp.next.prev = fp.prev
    m_free(dtom(fp))


def ip_freef(fp) -> None:
    """Free a reassembly queue and every fragment in it (MB ip_freef)."""
    for q in _fragq.get(_ipq_addr(fp), ()):
        m_freem(q.ipqe_m)
    _ipq_remove(fp)


def ip_slowtimo() -> None:
    """Age the reassembly queues; a queue whose time is up is freed (MB ip_slowtimo).

    Runs PR_SLOWHZ times a second; IPFRAGTTL slow ticks make 30
    seconds.  ips_fragtimeout counts once per datagram, not per fragment.
    """
    fp = ipq.next
    while fp != ipq:
        nfp = fp.next
        fp.ipq_ttl -= 1
        if fp.ipq_ttl == 0:
            ipstat.ips_fragtimeout += 1
            ip_freef(fp)
        fp = nfp


def ip_drain() -> None:
    """Free every reassembly queue when mbufs run short (MB ip_drain; ips_fragdropped each)."""
    while ipq.next != ipq:
        ipstat.ips_fragdropped += 1
        ip_freef(ipq.next)


def ip_dooptions(m) -> int:
    """Process the IP options of a received packet (MB ip_input.c ip_dooptions).

    Record route and timestamps are filled in, source routes followed
    (the packet is then forwarded here and 1 returned).  A malformed
    option gets an ICMP parameter problem whose pointer is the offset
    of the bad byte, and ips_badoptions; 1 is returned then too.  0
    means: go on with the packet.

    MB compares "is there room for an address" as unsigned, which lets
    an option shorter than an address write past its end; netkern
    compares signed, as later NetBSD does (see ip(4), BUGS).
    """
    from kern.netinet.ip_icmp import icmp_error, ifptoia, iptime
    ip = mtod(m, "struct ip")
    base = ffi.cast("u_char *", ip)
    cnt = (ip.ip_hl << 2) - IPHDR
    pos = IPHDR                         # cp, as an offset from the header
    typ, code, forward = h.ICMP_PARAMPROB, 0, 0
    bad = False
    while cnt > 0:
        cp = base + pos
        opt = cp[h.IPOPT_OPTVAL]
        if opt == h.IPOPT_EOL:
            break
        if opt == h.IPOPT_NOP:
            optlen = 1
        else:
            optlen = cp[h.IPOPT_OLEN]
            if optlen <= 0 or optlen > cnt:
                code, bad = pos + h.IPOPT_OLEN, True
                break
        if opt in (h.IPOPT_LSRR, h.IPOPT_SSRR):
            if not ip_allowsrcrt:
                typ, code, bad = h.ICMP_UNREACH, h.ICMP_UNREACH_NET_PROHIB, True
                break
            off = cp[h.IPOPT_OFFSET]
            if off < h.IPOPT_MINOFF:
                code, bad = pos + h.IPOPT_OFFSET, True
                break
            if _ifa_withaddr(ip.ip_dst.s_addr) == NULL:
                if opt == h.IPOPT_SSRR:
                    typ, code, bad = h.ICMP_UNREACH, h.ICMP_UNREACH_SRCFAIL, True
                    break
                # Loose routing, not yet at the next hop: just forward.
            else:
                off -= 1
                if off > optlen - 4:
                    save_rte(cp, ip.ip_src.s_addr)      # the route is used up: for us
                else:
                    nexthop = ffi.cast("struct in_addr *", cp + off)[0].s_addr
                    if opt == h.IPOPT_SSRR:
                        ia = _ifa_onlink(nexthop)       # strict: must be a neighbour
                    else:
                        ia = ip_rtaddr(nexthop)
                    if ia == NULL:
                        typ, code, bad = h.ICMP_UNREACH, h.ICMP_UNREACH_SRCFAIL, True
                        break
                    ip.ip_dst.s_addr = nexthop
                    ffi.cast("struct in_addr *", cp + off)[0].s_addr = _ia_addr(ia)
                    cp[h.IPOPT_OFFSET] += 4
                    forward = not _multicast(nexthop)
        elif opt == h.IPOPT_RR:
            off = cp[h.IPOPT_OFFSET]
            if off < h.IPOPT_MINOFF:
                code, bad = pos + h.IPOPT_OFFSET, True
                break
            off -= 1
            if off <= optlen - 4:           # otherwise no room: ignored
                ia = _ifa_withaddr(ip.ip_dst.s_addr)
                if ia == NULL:
                    ia = ip_rtaddr(ip.ip_dst.s_addr)
                if ia == NULL:
                    typ, code, bad = h.ICMP_UNREACH, h.ICMP_UNREACH_HOST, True
                    break
                ffi.cast("struct in_addr *", cp + off)[0].s_addr = _ia_addr(ia)
                cp[h.IPOPT_OFFSET] += 4
        elif opt == h.IPOPT_TS:
            code = pos
            ipt = ffi.cast("struct ip_timestamp *", cp)
            if ipt.ipt_len < 5:
                bad = True
                break
            if ipt.ipt_ptr > ipt.ipt_len - 4:
                ipt.ipt_oflw = (ipt.ipt_oflw + 1) & 0xF
                if ipt.ipt_oflw == 0:
                    bad = True
                    break
            else:
                where = ffi.cast("struct in_addr *", cp + ipt.ipt_ptr - 1)
                flg = ipt.ipt_flg
                if flg == h.IPOPT_TS_TSONLY:
                    pass
                elif flg in (h.IPOPT_TS_TSANDADDR, h.IPOPT_TS_PRESPEC):
                    if ipt.ipt_ptr - 1 + 8 > ipt.ipt_len:
                        bad = True
                        break
                    if flg == h.IPOPT_TS_TSANDADDR:
                        ia = ifptoia(m.m_pkthdr.rcvif)
                        if ia == NULL:
                            cnt, pos = cnt - optlen, pos + optlen
                            continue
                        where[0].s_addr = _ia_addr(ia)
                    elif _ifa_withaddr(where[0].s_addr) == NULL:
                        cnt, pos = cnt - optlen, pos + optlen
                        continue
                    ipt.ipt_ptr += 4
                else:
                    bad = True
                    break
                ffi.cast("n_time *", cp + ipt.ipt_ptr - 1)[0] = iptime()
                ipt.ipt_ptr += 4
        cnt -= optlen
        pos += optlen
    if not bad and forward:
        if not ip_forwsrcrt:
            typ, code, bad = h.ICMP_UNREACH, h.ICMP_UNREACH_SRCFAIL, True
        else:
            ip_forward(m, 1)
            return 1
    if bad:
        icmp_error(m, typ, code, 0, NULL)
        ipstat.ips_badoptions += 1
        return 1
    return 0


def _multicast(s_addr: int) -> bool:
    return ntohl(s_addr) & 0xF0000000 == 0xE0000000


def _ia_addr(ia) -> int:
    """The s_addr of an in_ifaddr's address (IA_SIN(ia)->sin_addr)."""
    return ffi.cast("struct sockaddr_in *", ia).sin_addr.s_addr


def _ifa_withaddr(s_addr: int):
    """ifa_ifwithaddr of an Internet address, as an in_ifaddr (or NULL)."""
    sin = ffi.new("struct sockaddr_in *")
    sin.sin_family = AF_INET
    sin.sin_addr.s_addr = s_addr
    ifa = if_.ifa_ifwithaddr(ffi.cast("struct sockaddr *", sin))
    return ffi.cast("struct in_ifaddr *", ifa)


def _ifa_onlink(s_addr: int):
    """The interface address a neighbour is reached by, for a strict source route.

    4.4BSD-Lite2 and Tahoe: the point-to-point peer, else the attached
    network (ifa_ifwithdstaddr, then ifa_ifwithnet).
    """
    sin = ffi.new("struct sockaddr_in *")
    sin.sin_family = AF_INET
    sin.sin_addr.s_addr = s_addr
    sa = ffi.cast("struct sockaddr *", sin)
    ifa = if_.ifa_ifwithdstaddr(sa)
    if ifa == NULL:
        ifa = if_.ifa_ifwithnet(sa)
    return ffi.cast("struct in_ifaddr *", ifa)


def ip_rtaddr(dst: int):
    """The address of the interface a packet to dst would leave by (MB ip_rtaddr).

    Uses, and refreshes, ip_forward's route cache; NULL without a route.
    """
    from kern.net.route import RTFREE, rtalloc
    from kern.netinet.ip_icmp import ifptoia
    ro = ipforward_rt
    sin = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    if ro.ro_rt == NULL or sin.sin_addr.s_addr != dst:
        if ro.ro_rt != NULL:
            RTFREE(ro.ro_rt)
            ro.ro_rt = NULL
        sin.sin_family = AF_INET
        sin.sin_addr.s_addr = dst
        rtalloc(ro)
    if ro.ro_rt == NULL:
        return NULL
    return ifptoia(ro.ro_rt.rt_ifp)


def save_rte(option, dst: int) -> None:
    """Keep a received source route for replies (MB save_rte)."""
    global ip_nhops, _ip_srcrt
    olen = option[h.IPOPT_OLEN]
    if olen > h.MAX_IPOPTLEN + 3:           # sizeof(ip_srcrt) - (1 + sizeof(dst))
        return
    _ip_srcrt = (dst, bytes(ffi.buffer(option, olen)))
    ip_nhops = (olen - h.IPOPT_OFFSET - 1) // 4


def ip_srcroute():
    """The saved source route reversed, as IP_OPTIONS wants it, or None (MB ip_srcroute).

    An MT_SOOPTS mbuf: the first hop back, then a NOP and the option
    header, then the hops in reverse order ending with the original
    source.
    """
    if ip_nhops == 0:
        return None
    from kern.uipc_mbuf import M_DONTWAIT
    m = m_get(M_DONTWAIT, h.MT_SOOPTS)
    if m is None:
        return None
    dst, opt = _ip_srcrt
    hops = [opt[3 + 4 * i:7 + 4 * i] for i in range(ip_nhops)]
    out = hops[-1] + bytes((h.IPOPT_NOP, opt[0], opt[1], h.IPOPT_MINOFF))
    for hop in reversed(hops[:-1]):
        out += hop
    out += dst.to_bytes(4, sys.byteorder)
    m.m_len = len(out)
    m.m_buf[m.m_data:m.m_data + len(out)] = out
    return m


def ip_stripoptions(m, mopt=None) -> None:
    """Remove a received packet's options; ip_len and the lengths shrink (MB ip_stripoptions)."""
    ip = mtod(m, "struct ip")
    olen = (ip.ip_hl << 2) - IPHDR
    d = m.m_data + IPHDR
    rest = m.m_len - (IPHDR + olen)
    m.m_buf[d:d + rest] = m.m_buf[d + olen:d + olen + rest]
    m.m_len -= olen
    if m.m_flags & M_PKTHDR:
        m.m_pkthdr.len -= olen
    ip.ip_len -= olen
    ip.ip_hl = IPHDR >> 2


def ip_forward(m, srcrt: int) -> None:
    """Forward a packet that is not for us (MB ip_input.c ip_forward).

    Kernel-paths reference section 2.3: link-level broadcasts and
    unforwardable destinations count ips_cantforward; a TTL at its end
    earns a time-exceeded; the route comes from the global cache
    ``ipforward_rt``; a redirect is sent when the packet leaves by the
    interface it came in on, to a sender on that subnet, by a route
    that is neither the default nor made or changed by a redirect, and
    the packet was not source routed.  Errors from ip_output become
    ICMP unreachables (EMSGSIZE: need-fragment with the MTU,
    ips_cantfrag) or a source quench (ENOBUFS).
    """
    from kern.net.route import RTFREE, rtalloc
    from kern.netinet.ip_icmp import icmp_error, ifptoia
    from kern.netinet.ip_output import ip_output
    ip = mtod(m, "struct ip")
    if m.m_flags & (M_BCAST | M_MCAST) or not in_.in_canforward(ip.ip_dst.s_addr):
        ipstat.ips_cantforward += 1
        m_freem(m)
        return
    if ip.ip_ttl <= h.IPTTLDEC:
        icmp_error(m, h.ICMP_TIMXCEED, h.ICMP_TIMXCEED_INTRANS, 0, NULL)
        return
    ip.ip_ttl -= h.IPTTLDEC
    ro = ipforward_rt
    sin = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    rt = ro.ro_rt
    if rt == NULL or sin.sin_addr.s_addr != ip.ip_dst.s_addr:
        if rt != NULL:
            RTFREE(rt)
            ro.ro_rt = NULL
        sin.sin_family = AF_INET
        sin.sin_addr.s_addr = ip.ip_dst.s_addr
        rtalloc(ro)
        if ro.ro_rt == NULL:
            icmp_error(m, h.ICMP_UNREACH, h.ICMP_UNREACH_HOST, 0, NULL)
            return
        rt = ro.ro_rt
    # Keep up to 68 bytes in case an ICMP message must quote the packet.
    mcopy = m_copy(m, 0, min(ip.ip_len, 68))
    typ = code = dest = 0
    if (rt.rt_ifp == m.m_pkthdr.rcvif
            and not rt.rt_flags & (h.RTF_DYNAMIC | h.RTF_MODIFIED)
            and ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_dst")).sin_addr.s_addr != 0
            and ipsendredirects and not srcrt):
        ia = ifptoia(rt.rt_ifp)
        if ia != NULL and ntohl(ip.ip_src.s_addr) & ia.ia_subnetmask == ia.ia_subnet:
            if rt.rt_flags & h.RTF_GATEWAY:
                dest = ffi.cast("struct sockaddr_in *",
                                ffi.addressof(rt, "rt_gateway")).sin_addr.s_addr
            else:
                dest = ip.ip_dst.s_addr
            typ, code = h.ICMP_REDIRECT, h.ICMP_REDIRECT_HOST   # RFC 1812: host redirects
    error = ip_output(m, None, ro,
                      h.IP_FORWARDING | (h.IP_ALLOWBROADCAST if ip_directedbcast else 0), None)
    if error:
        ipstat.ips_cantforward += 1
    else:
        ipstat.ips_forward += 1
        if typ:
            ipstat.ips_redirectsent += 1
        else:
            m_freem(mcopy)
            return
    if mcopy is None:
        return
    destifp = NULL
    if error == 0:
        pass                                    # forwarded, with a redirect
    elif error == h.EMSGSIZE:
        typ, code = h.ICMP_UNREACH, h.ICMP_UNREACH_NEEDFRAG
        if ro.ro_rt != NULL:
            destifp = ro.ro_rt.rt_ifp
        ipstat.ips_cantfrag += 1
    elif error == h.ENOBUFS:
        typ, code = h.ICMP_SOURCEQUENCH, 0
    else:
        typ, code = h.ICMP_UNREACH, h.ICMP_UNREACH_HOST
    icmp_error(mcopy, typ, code, dest, destifp)


def ipintrq_enqueue(m, isr: bool = True) -> int:
    """Hand a packet to IP at interrupt level: queue it on ipintrq, or drop it when full.

    What a driver's receive path (ether_input, looutput) does for an IP
    packet: schednetisr(NETISR_IP) and, at splimp, IF_QFULL -> IF_DROP
    (ipintrq.ifq_drops, the mbuf freed, ENOBUFS) or IF_ENQUEUE.  A helper
    of our own, so that each sender does it the same way.
    """
    if isr:
        netisr.schednetisr(netisr.NETISR_IP)
    if if_.IF_QFULL(ipintrq):
        if_.IF_DROP(ipintrq)
        m_freem(m)
        return h.ENOBUFS
    if_.IF_ENQUEUE(ipintrq, m)
    return 0



# ---------------------------------------------------------------------------
# For the transport protocols (udp_usrreq.c): errors and control data.

# inetctlerrmap: the errno a PRC_* notice means for a socket (MB ip_input.c).
inetctlerrmap = (0, 0, 0, 0,
                 0, h.EMSGSIZE, h.EHOSTDOWN, h.EHOSTUNREACH,
                 h.EHOSTUNREACH, h.EHOSTUNREACH, h.ECONNREFUSED, h.ECONNREFUSED,
                 h.EMSGSIZE, h.EHOSTUNREACH, 0, 0,
                 0, 0, 0, 0,
                 h.ENOPROTOOPT)


def ip_savecontrol(inp, ip, m):
    """The control data a pcb asked for about a received datagram, or None (MB ip_savecontrol).

    IP_RECVDSTADDR gives the datagram's destination address as an
    (IPPROTO_IP, IP_RECVDSTADDR) cmsghdr.  As in NetBSD 1.5,
    IP_RECVOPTS and IP_RECVRETOPTS give nothing yet: the options were
    stripped before the datagram got here ("notyet" in the source).
    """
    from kern.uipc_socket2 import sbcreatecontrol
    if inp.inp_flags & h.INP_RECVDSTADDR:
        return sbcreatecontrol(ffi.buffer(ffi.addressof(ip, "ip_dst"))[:],
                               h.IP_RECVDSTADDR, h.IPPROTO_IP)
    return None
