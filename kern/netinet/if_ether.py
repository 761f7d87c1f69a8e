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

from kern import ksyms, param
from kern.headers import native as h
from kern.kern_clock import timeout

ffi = h.ffi

ATF_INUSE, ATF_COM, ATF_PERM = h.ATF_INUSE, h.ATF_COM, h.ATF_PERM
ATF_PUBL, ATF_USETRAILERS = h.ATF_PUBL, h.ATF_USETRAILERS
ARPT_AGE, ARPT_KILLC, ARPT_KILLI = h.ARPT_AGE, h.ARPT_KILLC, h.ARPT_KILLI
ETHERTYPE_IPTRAILERS = h.ETHERTYPE_TRAIL   # the ARP protocol type that offers trailers
etherbroadcastaddr = b"\xff" * 6

arptab = None          # struct arptab[ARPTAB_SIZE], in kernel memory (``_arptab``)
arptab_size_p = None   # int *: ``_arptab_size``, for the arp command
ARPTAB_BSIZ = ARPTAB_NB = ARPTAB_SIZE = 0
useloopback = 1        # send traffic for our own address through lo0
_held = {}             # slot index -> the packet waiting for its reply (at_hold)
_timer_started = False


def arpinit() -> None:
    """Allocate an empty ARP table for this boot (the static arptab of Tahoe).

    Called when the ``ether`` pseudo-device or the first Ethernet
    interface attaches; a second call in the same boot does nothing.
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
    useloopback = 1
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
    from kern.uipc_mbuf import m_freem
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
    from kern.net import if_
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
    """Placeholder until the packet path lands."""
