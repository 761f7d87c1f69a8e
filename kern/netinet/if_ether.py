"""The Address Resolution Protocol for IP over Ethernet, and the ARP table.

4.3BSD-Tahoe netinet/if_ether.c (SCCS 7.7, 6/29/88), realising seed 000's
ARP daemon inside the kernel: one side answers requests for our address
(and for addresses we publish), the other remembers every reply in a
table that programs may browse (``arp -a`` reads it through kvm) and
that the send path consults before a packet leaves.

The table is Tahoe's ``arptab``: a static array of ARPTAB_NB buckets of
ARPTAB_BSIZ entries (9 x 19, or 16 x 37 in a kernel with ``options
GATEWAY``; the sizes come from netinet/if_ether.h evaluated under the
kernel's options), hashed by the address as the 32-bit word lies in
memory.  A free slot has address 0 and flags 0.  The kernel globals
``_arptab`` and ``_arptab_size`` are what ``arp -a`` reads.

Input comes from ``arpintrq`` (NetBSD's software interrupt NETISR_ARP,
where Tahoe's drivers called arpinput directly); the packet handling
itself is Tahoe's, trailer negotiation included.  netkern never *sends*
trailer-encapsulated packets (kern/net/if_ethersubr.py), but the ARP
exchange that announces them is kept, so ``arp -a`` shows the
``trailers`` flag as a Tahoe host did.
"""

import sys
from socket import htons, ntohl, ntohs

from kern import ksyms, param
from kern.headers import native as h
from kern.kern_clock import timeout
from kern.net import if_, if_loop
from kern.net.netisr import NETISR_ARP, register_netisr
from kern.netinet import in_
from kern.subr_prf import log, panic
from kern.uipc_mbuf import M_COPYALL, MH_ALIGN, MT_DATA, M_DONTWAIT, m_copy, m_freem, m_gethdr, mtod

ffi = h.ffi

ATF_INUSE, ATF_COM, ATF_PERM = h.ATF_INUSE, h.ATF_COM, h.ATF_PERM
ATF_PUBL, ATF_USETRAILERS = h.ATF_PUBL, h.ATF_USETRAILERS
ARPT_AGE, ARPT_KILLC, ARPT_KILLI = h.ARPT_AGE, h.ARPT_KILLC, h.ARPT_KILLI
ETHERTYPE_IPTRAILERS = h.ETHERTYPE_TRAIL   # the ARP protocol type that offers trailers
etherbroadcastaddr = b"\xff" * 6
EA_LEN = ffi.sizeof("struct ether_arp")
ARPHDR_LEN = ffi.sizeof("struct arphdr")

arptab = None          # struct arptab[ARPTAB_SIZE], in kernel memory (``_arptab``)
arptab_size_p = None   # int *: ``_arptab_size``, for the arp command
arpintrq = None        # struct ifqueue: ARP input, fed by ether_input (``_arpintrq``)
ARPTAB_BSIZ = ARPTAB_NB = ARPTAB_SIZE = 0
useloopback = None     # int *: ``_useloopback``; 1: traffic for our own address goes through lo0
_held = {}             # slot index -> the packet waiting for its reply (at_hold)
_timer_started = False


def arpinit() -> None:
    """Allocate an empty ARP table for this boot (the static arptab of Tahoe).

    Called when the ``ether`` pseudo-device attaches (kern/conf.py; an
    Ethernet board brings it); a second call in the same boot does
    nothing.
    """
    global arptab, arptab_size_p, ARPTAB_BSIZ, ARPTAB_NB, ARPTAB_SIZE, _timer_started, useloopback
    if ksyms.lookup("_arptab"):
        return
    k = param.kconst
    ARPTAB_BSIZ, ARPTAB_NB, ARPTAB_SIZE = k.ARPTAB_BSIZ, k.ARPTAB_NB, k.ARPTAB_SIZE
    arptab = ksyms.data("arptab", "struct arptab", ARPTAB_SIZE)
    arptab_size_p = ksyms.data("arptab_size", "int")
    arptab_size_p[0] = ARPTAB_SIZE
    _held.clear()
    _timer_started = False
    useloopback = ksyms.data("useloopback", "int")
    useloopback[0] = 1
    _arpintrq_init()


def ARPTAB_HASH(s_addr: int) -> int:
    """The bucket of an address: the in-memory word modulo ARPTAB_NB."""
    return s_addr % ARPTAB_NB


def ARPTAB_LOOK(s_addr: int):
    """The slot holding an address, or None (if_ether.c ARPTAB_LOOK).

    Only ``at_iaddr`` is compared, and a free slot has address 0, so a
    lookup of 0.0.0.0 finds the first free slot of bucket 0: SIOCGARP
    on 0.0.0.0 answers with an empty entry and SIOCSARP fills the slot
    (ioctl reference section 3.7), as on Tahoe.
    """
    base = ARPTAB_HASH(s_addr) * ARPTAB_BSIZ
    for i in range(base, base + ARPTAB_BSIZ):
        if arptab[i].at_iaddr.s_addr == s_addr:
            return arptab + i
    return None


def _slot(at) -> int:
    return (int(ffi.cast("uintptr_t", at)) - int(ffi.cast("uintptr_t", arptab))) // ffi.sizeof("struct arptab")


def _hold(at, m) -> None:
    """Keep m as the entry's one waiting packet, freeing the one it replaces."""
    old = _held.pop(_slot(at), None)
    if old is not None:
        m_freem(old)
    if m is not None:
        _held[_slot(at)] = m
    at.at_hold = ffi.cast("struct mbuf *", 1 if m is not None else 0)


def _unhold(at):
    """Take the waiting packet off the entry (None if there is none)."""
    at.at_hold = ffi.NULL
    return _held.pop(_slot(at), None)


def arptimer(arg) -> None:
    """Age the table once every ARPT_AGE seconds (if_ether.c arptimer).

    Every entry in use and not permanent grows one minute older; a
    complete entry dies at ARPT_KILLC minutes, an incomplete one at
    ARPT_KILLI.  A use of the entry by arpresolve resets its age.
    """
    timeout(arptimer, None, ARPT_AGE * param.hz)
    for i in range(ARPTAB_SIZE):
        at = arptab + i
        if at.at_flags == 0 or at.at_flags & ATF_PERM:
            continue
        at.at_timer = (at.at_timer + 1) & 0xFF
        if at.at_timer < (ARPT_KILLC if at.at_flags & ATF_COM else ARPT_KILLI):
            continue
        arptfree(at)


def arptfree(at) -> None:
    """Empty a slot, freeing the packet it held (if_ether.c arptfree)."""
    _hold(at, None)
    at.at_timer = at.at_flags = 0
    at.at_iaddr.s_addr = 0


def arptnew(s_addr: int):
    """Give an address a slot in its bucket; None if every entry is permanent.

    Ports if_ether.c arptnew: the first empty slot wins; otherwise the
    oldest entry that is not permanent is evicted (the first one with
    the highest age).  The first call of a boot starts the ageing
    timer, one second later, as Tahoe did.
    """
    global _timer_started
    if not _timer_started:
        _timer_started = True
        timeout(arptimer, None, param.hz)
    base = ARPTAB_HASH(s_addr) * ARPTAB_BSIZ
    oldest, victim = -1, None
    for i in range(base, base + ARPTAB_BSIZ):
        at = arptab + i
        if at.at_flags == 0:
            victim = at
            break
        if at.at_flags & ATF_PERM:
            continue
        if at.at_timer > oldest:
            oldest, victim = at.at_timer, at
    else:
        if victim is None:
            return None
        arptfree(victim)
    victim.at_iaddr.s_addr = s_addr
    victim.at_flags = ATF_INUSE
    return victim


def arpioctl(cmd: int, data, p=None) -> int:
    """SIOCSARP, SIOCGARP and SIOCDARP on the table (if_ether.c arpioctl).

    The caller (net/if.c ifioctl) has already refused a non-root SIOCSARP
    or SIOCDARP.  The order of the checks is Tahoe's: the address
    families (EAFNOSUPPORT), then the lookup, where a missing entry is
    ENXIO, except that SIOCSARP makes one when the address is on an
    attached network (else ENETUNREACH) and there is a slot for it (else
    EADDRNOTAVAIL).  An entry set with ATF_PERM must leave a second slot
    free in its bucket (see BUGS in arp(4) for how that test misfires).
    """
    if arptab is None:
        return h.EOPNOTSUPP            # a kernel without Ethernet: nothing answers
    ar = ffi.cast("struct arpreq *", data)
    if ar.arp_pa.sa_family != h.AF_INET or ar.arp_ha.sa_family != h.AF_UNSPEC:
        return h.EAFNOSUPPORT
    s_addr = ffi.cast("struct sockaddr_in *", ffi.addressof(ar, "arp_pa")).sin_addr.s_addr
    at = ARPTAB_LOOK(s_addr)
    if at is None:
        if cmd != h.SIOCSARP:
            return h.ENXIO
        if if_.ifa_ifwithnet(ffi.addressof(ar, "arp_pa")) == ffi.NULL:
            return h.ENETUNREACH
    if cmd == h.SIOCSARP:
        if at is None:
            at = arptnew(s_addr)
            if at is None:
                return h.EADDRNOTAVAIL
            if ar.arp_flags & ATF_PERM:
                # Never let a bucket become all permanent: a second slot
                # must be free.  The test can pick the new entry itself.
                tat = arptnew(s_addr)
                if tat is None:
                    arptfree(at)
                    return h.EADDRNOTAVAIL
                arptfree(tat)
        ffi.memmove(at.at_enaddr, ffi.cast("char *", ar.arp_ha.sa_data), 6)
        at.at_flags = ATF_COM | ATF_INUSE | (ar.arp_flags & (ATF_PERM | ATF_PUBL | ATF_USETRAILERS))
        at.at_timer = 0
    elif cmd == h.SIOCDARP:
        arptfree(at)
    elif cmd == h.SIOCGARP:
        ffi.memmove(ffi.cast("char *", ar.arp_ha.sa_data), at.at_enaddr, 6)
        ar.arp_flags = at.at_flags
    return 0


def ether_sprintf(ea) -> str:
    """An Ethernet address as the kernel logs it: xx:xx:xx:xx:xx:xx (if_ether.c ether_sprintf)."""
    if isinstance(ea, ffi.CData):
        ea = ffi.buffer(ea, 6)[:]
    return ":".join(f"{b:02x}" for b in ea)


def _arpintrq_init() -> None:
    """The ARP input queue and its software interrupt (NetBSD if_arp.c arpintrq)."""
    global arpintrq
    arpintrq = ksyms.data("arpintrq", "struct ifqueue")[0]
    arpintrq.ifq_maxlen = h.IFQ_MAXLEN
    register_netisr(NETISR_ARP, arpintr)


def arpintr() -> None:
    """The ARP software interrupt: every packet on arpintrq goes to arpinput.

    NetBSD if_arp.c arpintr; the interface it came in on is the arpcom
    of an Ethernet board (only ether_input feeds this queue).
    """
    while True:
        m = if_.IF_DEQUEUE(arpintrq)
        if m is None:
            return
        arpinput(ffi.cast("struct arpcom *", m.m_pkthdr.rcvif), m)


def arpwhohas(ac, s_addr: int) -> None:
    """Broadcast a request for the Ethernet address of s_addr (if_ether.c arpwhohas).

    The sender fields are the interface's own (ac_enaddr, ac_ipaddr);
    the header goes to ether_output in an AF_UNSPEC sockaddr, as Tahoe
    passed it.  Without an mbuf nothing is sent.
    """
    m = m_gethdr(M_DONTWAIT, MT_DATA)
    if m is None:
        return
    m.m_len = m.m_pkthdr.len = EA_LEN
    MH_ALIGN(m, EA_LEN)
    ea = mtod(m, "struct ether_arp")
    ffi.memmove(ea, bytes(EA_LEN), EA_LEN)
    ea.ea_hdr.ar_hrd = htons(h.ARPHRD_ETHER)
    ea.ea_hdr.ar_pro = htons(h.ETHERTYPE_IP)
    ea.ea_hdr.ar_hln = 6
    ea.ea_hdr.ar_pln = 4
    ea.ea_hdr.ar_op = htons(h.ARPOP_REQUEST)
    ffi.memmove(ea.arp_sha, ac.ac_enaddr, 6)
    ffi.memmove(ea.arp_spa, ffi.addressof(ac, "ac_ipaddr"), 4)
    ffi.memmove(ea.arp_tpa, s_addr.to_bytes(4, sys.byteorder), 4)
    _output(ac, m, etherbroadcastaddr)


def _output(ac, m, edst: bytes) -> None:
    """Send an ARP packet to edst through the interface (an AF_UNSPEC sockaddr)."""
    sa = ffi.new("struct sockaddr *")
    sa.sa_family = h.AF_UNSPEC
    eh = ffi.cast("struct ether_header *", sa.sa_data)
    ffi.memmove(eh.ether_dhost, edst, 6)
    eh.ether_type = h.ETHERTYPE_ARP            # host order: ether_output swaps it
    ifp = ffi.addressof(ac, "ac_if")
    ksyms.call(ifp.if_output, ifp, m, sa)


def arpresolve(ac, m, s_addr: int):
    """The Ethernet address for an IP destination: (1, address), or (0, None).

    Ports Tahoe if_ether.c arpresolve.  A broadcast address gives the
    broadcast address; our own address goes through the loopback (while
    ``useloopback`` is set) and (0, None) says the packet was taken; an
    address in the table with ATF_COM gives its entry (whose age starts
    again).  Otherwise the packet is kept as the entry's only waiting
    packet (a newer one replaces it) and a request is broadcast, at
    every such call: Tahoe did not limit the rate.  A bucket whose every
    entry is permanent leaves no room and panics, as Tahoe did (BUGS in
    arp(4)).  IFF_NOARP makes the address from the interface's own
    first three bytes and the host part of the destination.
    """
    if in_.in_broadcast(s_addr):
        return 1, etherbroadcastaddr
    if s_addr == ac.ac_ipaddr.s_addr:
        if useloopback[0] and if_loop.loif is not None:
            sin = ffi.new("struct sockaddr_in *")
            sin.sin_family = h.AF_INET
            sin.sin_addr.s_addr = s_addr
            if_loop.looutput(if_loop.loif, m, ffi.cast("struct sockaddr *", sin), None)
            return 0, None
        return 1, ffi.buffer(ac.ac_enaddr, 6)[:]
    at = ARPTAB_LOOK(s_addr)
    if at is None:
        if ac.ac_if.if_flags & h.IFF_NOARP:
            lna = in_.in_lnaof(s_addr)
            return 1, ffi.buffer(ac.ac_enaddr, 3)[:] + bytes(
                [(lna >> 16) & 0x7F, (lna >> 8) & 0xFF, lna & 0xFF])
        at = arptnew(s_addr)
        if at is None:
            panic("arpresolve: no free entry")
        _hold(at, m)
        arpwhohas(ac, s_addr)
        return 0, None
    at.at_timer = 0
    if at.at_flags & ATF_COM:
        return 1, ffi.buffer(at.at_enaddr, 6)[:]
    _hold(at, m)
    arpwhohas(ac, s_addr)
    return 0, None


def arpinput(ac, m) -> None:
    """The checks common to every ARP packet, then the protocol's own (if_ether.c arpinput).

    Dropped without a word: anything on an IFF_NOARP interface, a packet
    shorter than its fixed header or than the addresses it announces,
    a hardware type other than Ethernet, a protocol other than IP (or
    IP's trailer variant).  Tahoe went on to read the IP-over-Ethernet
    layout even when the announced lengths were shorter; netkern drops
    such a packet here instead of reading beyond it.
    """
    if not ac.ac_if.if_flags & h.IFF_NOARP and m.m_len >= ARPHDR_LEN:
        ar = mtod(m, "struct arphdr")
        if (ntohs(ar.ar_hrd) == h.ARPHRD_ETHER
                and m.m_len >= ARPHDR_LEN + 2 * ar.ar_hln + 2 * ar.ar_pln
                and m.m_len >= EA_LEN
                and ntohs(ar.ar_pro) in (h.ETHERTYPE_IP, ETHERTYPE_IPTRAILERS)):
            in_arpinput(ac, m)
            return
    m_freem(m)


def in_arpinput(ac, m) -> None:
    """ARP for IP: learn the sender, answer for us or for a published entry.

    Ports Tahoe if_ether.c in_arpinput (seed 000's arpd: it answers the
    requests for our address and remembers the replies).  In order:

    * a packet from our own Ethernet address is ignored; one whose
      sender claims the broadcast address is logged and ignored;
    * a sender claiming *our* IP address is logged as a duplicate
      ("duplicate IP address!! sent from ethernet address: ..."); if
      it was a request it is still answered (with our address, to the
      claimant), and the table is not touched;
    * otherwise an existing entry for the sender learns its address
      (complete now; the packet it held goes out), and a request aimed
      at us makes an entry for the sender if there was none;
    * an IP request is answered when it asks for our address, or for an
      address published with ATF_PUBL, giving the address stored in
      the entry;
    * trailer negotiation: an IP answer is followed by a second one of
      protocol type ETHERTYPE_TRAIL unless the interface says
      IFF_NOTRAILERS, a reply that completed an entry is answered with
      such a trailer reply, and a trailer packet marks the sender's
      entry ATF_USETRAILERS.
    """
    ifp = ffi.addressof(ac, "ac_if")
    myaddr = ac.ac_ipaddr.s_addr
    ea = mtod(m, "struct ether_arp")
    proto = ntohs(ea.ea_hdr.ar_pro)
    op = ntohs(ea.ea_hdr.ar_op)
    sha = ffi.buffer(ea.arp_sha, 6)[:]
    isaddr = int.from_bytes(ffi.buffer(ea.arp_spa, 4)[:], sys.byteorder)
    itaddr = int.from_bytes(ffi.buffer(ea.arp_tpa, 4)[:], sys.byteorder)
    if sha == ffi.buffer(ac.ac_enaddr, 6)[:]:
        m_freem(m)                  # our own request, heard back
        return
    if sha == etherbroadcastaddr:
        log(h.LOG_ERR, "arp: ether address is broadcast for IP address %x!\n", ntohl(isaddr))
        m_freem(m)
        return
    completed = False
    at = None
    if isaddr == myaddr:
        log(h.LOG_ERR, "%s: %s\n", "duplicate IP address!! sent from ethernet address",
            ether_sprintf(sha))
        itaddr = myaddr
        if op != h.ARPOP_REQUEST:
            m_freem(m)
            return
    else:
        at = ARPTAB_LOOK(isaddr)
        if at is not None:
            ffi.memmove(at.at_enaddr, sha, 6)
            completed = not at.at_flags & ATF_COM
            at.at_flags |= ATF_COM
            held = _unhold(at)
            if held is not None:
                sin = ffi.new("struct sockaddr_in *")
                sin.sin_family = h.AF_INET
                sin.sin_addr.s_addr = isaddr
                ksyms.call(ifp.if_output, ifp, held, ffi.cast("struct sockaddr *", sin))
        elif itaddr == myaddr:
            at = arptnew(isaddr)
            if at is not None:
                ffi.memmove(at.at_enaddr, sha, 6)
                completed = True
                at.at_flags |= ATF_COM
    if proto == ETHERTYPE_IPTRAILERS:
        if at is not None:
            at.at_flags |= ATF_USETRAILERS         # the sender takes trailers
        if op != h.ARPOP_REQUEST or ifp.if_flags & h.IFF_NOTRAILERS:
            m_freem(m)
            return
    elif op != h.ARPOP_REQUEST and (not completed or ifp.if_flags & h.IFF_NOTRAILERS):
        m_freem(m)
        return
    # The reply: to the sender, from us (or from the published entry).
    if itaddr == myaddr:
        ffi.memmove(ea.arp_tha, sha, 6)
        ffi.memmove(ea.arp_sha, ac.ac_enaddr, 6)
    else:
        pub = ARPTAB_LOOK(itaddr)
        if pub is None or not pub.at_flags & ATF_PUBL:
            m_freem(m)
            return
        ffi.memmove(ea.arp_tha, sha, 6)
        ffi.memmove(ea.arp_sha, pub.at_enaddr, 6)
    ffi.memmove(ea.arp_tpa, ea.arp_spa, 4)
    ffi.memmove(ea.arp_spa, itaddr.to_bytes(4, sys.byteorder), 4)
    ea.ea_hdr.ar_op = htons(h.ARPOP_REPLY)
    mcopy = None
    if op == h.ARPOP_REPLY:
        ea.ea_hdr.ar_pro = htons(ETHERTYPE_IPTRAILERS)
    elif proto == h.ETHERTYPE_IP and not ifp.if_flags & h.IFF_NOTRAILERS:
        mcopy = m_copy(m, 0, M_COPYALL)
    _output(ac, m, sha)
    if mcopy is not None:
        mtod(mcopy, "struct ether_arp").ea_hdr.ar_pro = htons(ETHERTYPE_IPTRAILERS)
        _output(ac, mcopy, sha)
