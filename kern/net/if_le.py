"""le: a virtual Ethernet interface attached to a named wire.

Each ``device leN at wire "NAME"`` line of the kernel configuration gives
an Ethernet interface whose frames travel on the wire NAME (a virtual
hub: other interfaces of this kernel, or of other kernels on this
machine, on the same wire hear them).  The driver follows the Ethernet
drivers of 4.3BSD-Tahoe (sys/vaxif/if_de.c): it attaches with
IFF_BROADCAST and ETHERMTU; setting an address marks it up and starts
the board, which sets IFF_RUNNING; marking it down resets the board but
leaves RUNNING set, so ``ifconfig le0 ADDR`` shows ``flags=43`` and a
later ``down`` shows ``flags=42``, as de0 did.

The interface is the ``ac_if`` of a ``struct arpcom`` (with its station
address ``ac_enaddr``), one per unit in the global array ``le_softc``.
Moving frames on and off the wire comes with the packet path.
"""

from kern import ksyms
from kern.headers import native as h
from kern.netinet import if_ether
from kern.netinet.if_ether import ether_sprintf
from kern.subr_prf import printf

ffi = h.ffi

le_softc = None        # struct arpcom[NLE_MAX]
_le_name = None        # char *: "le", shared by every unit
_units = {}            # unit -> Python-side driver state
NLE_MAX = 16


class _lestate:
    """What the board knows and the ifnet does not: its wire and whether it runs."""

    def __init__(self, wire: str):
        self.wire = wire
        self.running = False


def leattach(unit: int, wire: str, lladdr: bytes | None = None) -> None:
    """Attach leN on a wire, with a station address (given, or made up)."""
    global le_softc, _le_name
    from kern.net import if_
    if not ksyms.lookup("_le_softc"):       # first unit of this boot
        le_softc = ksyms.data("le_softc", "struct arpcom", NLE_MAX)
        _le_name = ksyms.string("le_name", "le")
        _units.clear()
        if_ether.arpinit()                  # an Ethernet driver needs ARP
    ac = le_softc + unit
    ifp = ffi.addressof(ac, "ac_if")
    ifp.if_name = _le_name
    ifp.if_unit = unit
    ifp.if_mtu = h.ETHERMTU
    ifp.if_flags = h.IFF_BROADCAST
    ifp.if_ioctl = ksyms.text(leioctl)
    if lladdr is None:
        # A locally administered address, unique to this kernel and unit.
        import os
        pid = os.getpid()
        lladdr = bytes([0x02, 0x00, (pid >> 16) & 0xFF, (pid >> 8) & 0xFF, pid & 0xFF, unit])
    ffi.memmove(ac.ac_enaddr, lladdr, 6)
    _units[unit] = _lestate(wire)
    if_.if_attach(ifp)
    printf("le%d at wire %s\n", unit, wire)
    printf("le%d: hardware address %s\n", unit, ether_sprintf(lladdr))


def leinit(unit: int) -> None:
    """Start the board: from now on it sends and receives (IFF_RUNNING)."""
    ifp = ffi.addressof(le_softc[unit], "ac_if")
    _units[unit].running = True
    ifp.if_flags |= h.IFF_RUNNING


def lereset(unit: int) -> None:
    """Stop the board (the flag IFF_RUNNING stays, as on de0)."""
    _units[unit].running = False


def leioctl(ifp, cmd: int, data) -> int:
    """The driver's if_ioctl: addresses and up/down transitions."""
    unit = ifp.if_unit
    if cmd == h.SIOCSIFADDR:
        ifp.if_flags |= h.IFF_UP
        ia = ffi.cast("struct ifaddr *", data)
        if ia.ifa_addr.sa_family == h.AF_INET:
            leinit(unit)
            sin = ffi.cast("struct sockaddr_in *", ffi.addressof(ia, "ifa_addr"))
            le_softc[unit].ac_ipaddr = sin.sin_addr
        return 0
    if cmd == h.SIOCSIFFLAGS:
        st = _units[unit]
        if not ifp.if_flags & h.IFF_UP and st.running:
            lereset(unit)
        elif ifp.if_flags & h.IFF_UP and not st.running:
            leinit(unit)
        return 0
    return h.EINVAL
