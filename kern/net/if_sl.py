"""sl: the serial line (SLIP) interfaces, point-to-point and nothing else.

4.3BSD-Tahoe net/if_sl.c 7.9 (Rick Adams' SLIP, reworked by Chris
Torek).  ``pseudo-device sl N`` in the kernel configuration attaches
sl0 ... sl(N-1): each is IFF_POINTOPOINT with an MTU of SLMTU (1006).
Setting an Internet address marks it up; nothing ever sets RUNNING, so
``ifconfig sl0 A B`` shows ``flags=11<UP,POINTOPOINT>`` as on Tahoe.

On Tahoe a unit carried packets once a terminal line was switched to
the SLIP line discipline.  netkern has no terminals: a unit can be
configured (address, peer, flags, routes), which is what the interface
ioctls and the routing code need of a point-to-point link, but it has
no line under it, so sloutput drops what it is given with ENETDOWN, as
Tahoe's did for a unit without a line.  The softc is therefore just the
``struct ifnet`` (Tahoe's sc_if); the line fields are left out.
"""

from kern import ksyms
from kern.headers import native as h
from kern.subr_prf import printf
from kern.uipc_mbuf import m_freem

ffi = h.ffi

NSL_MAX = 16
sl_softc = None        # struct ifnet[NSL]: each unit's sc_if


def slattach(count: int = 1) -> None:
    """Attach sl0 ... sl(count-1) (if_sl.c slattach)."""
    global sl_softc
    from kern.net import if_
    sl_softc = ksyms.data("sl_softc", "struct ifnet", count)
    name = ksyms.string("sl_name", "sl")
    for unit in range(count):
        ifp = sl_softc + unit
        ifp.if_name = name
        ifp.if_unit = unit
        ifp.if_mtu = h.SLMTU
        ifp.if_flags = h.IFF_POINTOPOINT
        ifp.if_ioctl = ksyms.text(slioctl)
        ifp.if_output = ksyms.text(sloutput)
        ifp.if_snd.ifq_maxlen = h.IFQ_MAXLEN
        if_.if_attach(ifp)


def sloutput(ifp, m, dst) -> int:
    """Queue a datagram for the line (if_sl.c sloutput).

    Only Internet datagrams can be framed; and with no line attached
    (always, in netkern) the datagram is dropped with ENETDOWN.
    """
    if dst.sa_family != h.AF_INET:
        printf("sl%d: af%d not supported\n", ifp.if_unit, dst.sa_family)
        m_freem(m)
        return h.EAFNOSUPPORT
    m_freem(m)
    return h.ENETDOWN


def slioctl(ifp, cmd: int, data) -> int:
    """The driver's if_ioctl (if_sl.c slioctl).

    SIOCSIFADDR marks the unit up if the address is an Internet one;
    SIOCSIFDSTADDR accepts the peer if the unit's own address is an
    Internet one (Tahoe looks at the local family, not the peer's);
    anything else, SIOCSIFFLAGS included, is EINVAL.
    """
    ifa = ffi.cast("struct ifaddr *", data)
    if cmd == h.SIOCSIFADDR:
        if ifa.ifa_addr.sa_family != h.AF_INET:
            return h.EAFNOSUPPORT
        ifp.if_flags |= h.IFF_UP
        return 0
    if cmd == h.SIOCSIFDSTADDR:
        return h.EAFNOSUPPORT if ifa.ifa_addr.sa_family != h.AF_INET else 0
    return h.EINVAL
