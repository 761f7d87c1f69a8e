"""The software loopback interface, lo0.

4.3BSD-Tahoe net/if_loop.c.  ``loattach`` names it ``lo``, sets its MTU
(LOMTU, 1536) and IFF_LOOPBACK.  OSKit's port famously forgot the MTU, so
the first packet divided by zero in ip_output (seed 003); ours is set at
attach time and the interface works at once.  Its SIOCSIFADDR only marks
it up: as on Tahoe, RUNNING is never set, so ``ifconfig lo0`` shows
``flags=9<UP,LOOPBACK>``.  ``looutput`` is its if_output: what is sent
on lo0 comes straight back in through ipintrq.
"""

import sys

from kern import ksyms
from kern.headers import native as h
from kern.net import bpf, if_
from kern.netinet import ip_input
from kern.subr_prf import printf
from kern.uipc_mbuf import m_freem

ffi = h.ffi

loif = None            # struct ifnet *: the global ``loif``


def loattach(count: int = 1) -> None:
    """Attach lo0 (if_loop.c loattach)."""
    global loif
    loif = ksyms.data("loif", "struct ifnet")
    loif.if_name = ksyms.string("lo_name", "lo")
    loif.if_mtu = h.LOMTU
    loif.if_flags = h.IFF_LOOPBACK
    loif.if_ioctl = ksyms.text(loioctl)
    loif.if_output = ksyms.text(looutput)
    if_.if_attach(loif)
    bpf.bpfattach(loif, h.DLT_NULL)
    printf("lo0: software loopback, mtu %d\n", loif.if_mtu)


def loioctl(ifp, cmd: int, data) -> int:
    """The loopback's if_ioctl: SIOCSIFADDR marks it up; anything else is EINVAL."""
    if cmd == h.SIOCSIFADDR:
        ifp.if_flags |= h.IFF_UP
        return 0
    return h.EINVAL


def looutput(ifp, m, dst, rt) -> int:
    """Send a packet on the loopback: it arrives again at once (if_loop.c looutput).

    Tahoe's looutput with NetBSD's counting (kernel-paths reference
    section 5.3): the packet is marked as received on ifp and counts in
    if_opackets; an Internet packet goes on ipintrq with NETISR_IP
    scheduled and counts in if_ipackets, or, when ipintrq is full, is
    dropped (ifq_drops) with ENOBUFS.  Other families are EAFNOSUPPORT
    with Tahoe's console message, naming the interface as NetBSD does.
    4.3 routes have no RTF_REJECT, so NetBSD's reject and blackhole
    tests have nothing to test.  ifp is the loopback, or an Ethernet
    interface looping its own broadcasts back (ether_output), whose
    counters then move instead.  The MTU was checked by ip_output: lo0
    has one from the moment it attaches (seed 003).
    """
    if bpf.taps:
        # Reno: lo0's tap sees every looped packet (an Ethernet board's own
        # broadcasts too), behind its family as a 4-byte host-order int.
        bpf.bpf_mtap(loif, m, dst.sa_family.to_bytes(4, sys.byteorder))
    m.m_pkthdr.rcvif = ifp
    ifp.if_opackets += 1
    if dst.sa_family != h.AF_INET:
        printf("%s: can't handle af%d\n", if_.if_name(ifp), dst.sa_family)
        m_freem(m)
        return h.EAFNOSUPPORT
    error = ip_input.ipintrq_enqueue(m)
    if error:
        return error
    ifp.if_ipackets += 1
    return 0
