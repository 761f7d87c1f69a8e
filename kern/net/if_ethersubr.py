"""Ethernet encapsulation shared by every Ethernet driver: ether_input and ether_output.

NetBSD sys/net/if_ethersubr.c (rev 1.52, kernel-paths reference
sections 1 and 5.3), the first step of seed 004's chain ("ether_input
puts it on the IPv4 packet queue and schedules a software interrupt"),
run over the 4.3BSD-Tahoe structures: the interface is the ``ac_if`` of
a ``struct arpcom``, addresses are resolved by Tahoe's ``arpresolve``
(kern/netinet/if_ether.py), and Tahoe's ``struct ifnet`` has no
``if_ibytes``, ``if_imcasts`` or ``if_noproto``, so those counters are
not kept.

4.3BSD Ethernet drivers each carried this code themselves (if_de.c
deoutput, deread); 4.3BSD-Reno gathered it here.  Trailer encapsulation
is neither sent nor decoded: a frame of type ETHERTYPE_TRAIL+n is an
unknown type, dropped without a counter, as NetBSD does.
"""

import sys
from socket import htons, ntohl, ntohs

from kern import ksyms
from kern.headers import native as h
from kern.kern_malloc import kaddr
from kern.net import bpf, if_, if_loop
from kern.net.netisr import NETISR_ARP, NETISR_IP, schednetisr
from kern.netinet import if_ether, ip_input
from kern.subr_prf import printf
from kern.uipc_mbuf import M_BCAST, M_MCAST, M_COPYALL, M_DONTWAIT, M_PREPEND, m_copy, m_adj, \
    m_freem, mtod

ffi = h.ffi

ETHER_HDR_LEN = ffi.sizeof("struct ether_header")
ETHERTYPE_IP, ETHERTYPE_ARP = h.ETHERTYPE_IP, h.ETHERTYPE_ARP
IFF_UP_RUNNING = h.IFF_UP | h.IFF_RUNNING
etherbroadcastaddr = b"\xff" * 6

# Tahoe's struct ifnet has no if_start: the start routine each driver
# gives ether_ifattach is kept here, by the interface's kernel address.
_if_start = {}


def ether_ifattach(ifp, start) -> None:
    """Make ifp an Ethernet interface (NetBSD if_ethersubr.c ether_ifattach).

    Its output routine becomes ether_output and its MTU ETHERMTU; start
    is the driver's routine that moves if_snd onto the wire.  Its tap
    carries whole frames (DLT_EN10MB).
    """
    ifp.if_output = ksyms.text(ether_output)
    ifp.if_mtu = h.ETHERMTU
    _if_start[kaddr(ifp)] = start
    bpf.bpfattach(ifp, h.DLT_EN10MB)


def ether_output(ifp, m, dst, rt=None) -> int:
    """Encapsulate a packet in an Ethernet header and queue it for the board.

    Ports NetBSD if_ethersubr.c ether_output (kernel-paths reference
    section 5.3): ENETDOWN unless the interface is UP and RUNNING; an
    AF_INET packet goes to the broadcast address (M_BCAST or a broadcast
    destination), to the mapped group address (M_MCAST), or to what
    arpresolve finds -- and when ARP keeps the packet waiting, the
    caller is told 0, success.  AF_UNSPEC carries a ready ether_header
    in sa_data, its type in host order (ARP's requests and replies).  A
    full send queue is IF_DROP and ENOBUFS.  The board sends nothing to
    itself, so a copy of a broadcast is looped back through looutput
    with this interface, as NetBSD does for a simplex interface.
    """
    if ifp.if_flags & IFF_UP_RUNNING != IFF_UP_RUNNING:
        m_freem(m)
        return h.ENETDOWN
    ac = ffi.cast("struct arpcom *", ifp)
    mcopy = None
    af = dst.sa_family
    if af == h.AF_INET:
        ip_dst = ffi.cast("struct sockaddr_in *", dst).sin_addr.s_addr
        if m.m_flags & M_BCAST:
            edst = etherbroadcastaddr
        elif m.m_flags & M_MCAST or h.IN_MULTICAST(ntohl(ip_dst)):
            edst = ether_map_ip_multicast(ip_dst)
        else:
            ok, edst = if_ether.arpresolve(ac, m, ip_dst)
            if not ok:
                return 0                    # held for ARP, or sent through lo0
        if edst == etherbroadcastaddr:
            mcopy = m_copy(m, 0, M_COPYALL)
        etype = ETHERTYPE_IP
    elif af == h.AF_UNSPEC:
        eh = ffi.cast("struct ether_header *", dst.sa_data)
        edst = ffi.buffer(eh.ether_dhost, 6)[:]
        etype = eh.ether_type               # host order: swapped below
    else:
        printf("%s%d: can't handle af%d\n", ffi.string(ifp.if_name).decode(), ifp.if_unit, af)
        m_freem(m)
        return h.EAFNOSUPPORT
    m = M_PREPEND(m, ETHER_HDR_LEN, M_DONTWAIT)
    if m is None:
        m_freem(mcopy)
        return h.ENOBUFS
    eh = mtod(m, "struct ether_header")
    ffi.memmove(eh.ether_dhost, edst, 6)
    ffi.memmove(eh.ether_shost, ac.ac_enaddr, 6)
    eh.ether_type = htons(etype)
    if if_.IF_QFULL(ifp.if_snd):
        if_.IF_DROP(ifp.if_snd)
        m_freem(m)
        m_freem(mcopy)
        return h.ENOBUFS
    if_.IF_ENQUEUE(ifp.if_snd, m)
    _if_start[kaddr(ifp)](ifp)
    if mcopy is not None:
        if_loop.looutput(ifp, mcopy, dst, rt)
    return 0


def ether_map_ip_multicast(s_addr: int) -> bytes:
    """The Ethernet group address of an IP multicast address (ETHER_MAP_IP_MULTICAST).

    01:00:5e and the low 23 bits of the address (RFC 1112).
    """
    a = s_addr.to_bytes(4, sys.byteorder)
    return bytes([0x01, 0x00, 0x5E, a[1] & 0x7F, a[2], a[3]])


def ether_input(ifp, m) -> None:
    """Take a received frame, Ethernet header first, to its protocol's queue.

    Ports NetBSD if_ethersubr.c ether_input in its order (kernel-paths
    reference section 1): a frame on an interface that is not up is
    dropped uncounted; a group destination marks the packet M_BCAST (all
    ones) or M_MCAST; the header is stripped; IP goes to ipintrq with
    NETISR_IP and ARP to arpintrq with NETISR_ARP, the software
    interrupt being asked for before the queue is tested, and a full
    queue counts IF_DROP on that queue.  Any other type (trailers,
    reverse ARP, PUP, ...) is freed without a counter.
    """
    if not ifp.if_flags & h.IFF_UP:
        m_freem(m)
        return
    eh = mtod(m, "struct ether_header")
    if eh.ether_dhost[0] & 1:
        if ffi.buffer(eh.ether_dhost, 6)[:] == etherbroadcastaddr:
            m.m_flags |= M_BCAST
        else:
            m.m_flags |= M_MCAST
    etype = ntohs(eh.ether_type)
    m_adj(m, ETHER_HDR_LEN)
    if etype == ETHERTYPE_IP:
        schednetisr(NETISR_IP)
        inq = ip_input.ipintrq
    elif etype == ETHERTYPE_ARP:
        schednetisr(NETISR_ARP)
        inq = if_ether.arpintrq
    else:
        m_freem(m)
        return
    if if_.IF_QFULL(inq):
        if_.IF_DROP(inq)
        m_freem(m)
    else:
        if_.IF_ENQUEUE(inq, m)
