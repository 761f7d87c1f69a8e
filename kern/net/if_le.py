"""le: a virtual Ethernet board attached to a named wire.

Each ``device leN at wire "NAME"`` line of the kernel configuration gives
an Ethernet interface whose frames travel on the wire NAME (a virtual
hub, kern/net/wire.py: other boards of this kernel, or of other kernels
on this machine, on the same wire hear them).

Configuration follows the Ethernet drivers of 4.3BSD-Tahoe
(sys/vaxif/if_de.c): the board attaches with IFF_BROADCAST and ETHERMTU;
setting an address marks it up and starts it, which sets IFF_RUNNING;
marking it down resets the board (it stops hearing the wire) but leaves
RUNNING set, so ``ifconfig le0 ADDR`` shows ``flags=43`` and a later
``down`` shows ``flags=42``, as de0 did.

The data path is that of NetBSD's LANCE driver (sys/dev/ic/lance.c,
kernel-paths reference section 1), under the 4.3 structures: the
interface's ``if_output`` is ``ether_output``, which queues on
``if_snd`` and calls ``lestart`` to move the queue onto the wire;
received frames go through the board's address filter into its receive
ring, and the receive interrupt ``leintr`` hands each to ``leread``
(the length checks, ``if_ierrors``, ``if_ipackets``) and on to
``ether_input``.  The "hardware interrupt" is a thread of the kernel's
process that waits for frames and runs leintr and then the pending
software interrupts, holding the kernel lock.

The interface is the ``ac_if`` of a ``struct arpcom`` (with its station
address ``ac_enaddr``), one per unit in the global array ``le_softc``.

For tests and study, ``le_inject`` hands a raw frame to a board as if it
had come off the wire, and ``le_capture`` records the frames a board
puts on it (man/man4/le.4).
"""

import collections
import contextlib
import os
import select
import threading

from kern import ksyms
from kern.headers import native as h
from kern import pktrace
from kern.kern_synch import kernel_lock
from kern.net import bpf, if_, wire
from kern.net.if_ethersubr import ether_ifattach, ether_input
from kern.net.netisr import dosoftint
from kern.uipc_mbuf import m_copydata, m_devget, m_freem, m_length
from kern.netinet.if_ether import ether_sprintf
from kern.subr_prf import Panic, printf

ffi = h.ffi

ETHER_HDR_LEN = ffi.sizeof("struct ether_header")
ETHERMTU = h.ETHERMTU
NLE_MAX = 16
LERXRING = 128         # receive descriptors: frames waiting for leintr
SETTLE_PASSES = 1000   # le_settle gives up after this many rounds (a frame storm)

le_softc = None        # struct arpcom[NLE_MAX]
_le_name = None        # char *: "le", shared by every unit
_units = {}            # unit -> _lestate
_intr = None           # the receive-interrupt thread of this boot


class _lestate:
    """What the board knows and the ifnet does not."""

    def __init__(self, unit: int, wire_name: str, lladdr: bytes):
        self.unit = unit
        self.wire = wire_name
        self.lladdr = lladdr
        self.running = False       # initialised and listening (not the IFF_RUNNING flag)
        self.station = None        # its place on the wire while running
        self.ring = collections.deque()
        self.missed = 0            # frames lost for want of a descriptor
        self.captures = []         # lists that le_capture is filling

    def deliver(self, frame: bytes) -> None:
        """A board of this kernel put a frame on the wire: hear it at the next interrupt."""
        self.hear(frame)
        _interrupts().changed()

    def hear(self, frame: bytes) -> None:
        """A frame on the wire reaches the board: filter it, put it in the ring."""
        if not self.running:
            return
        if len(frame) >= 6 and not frame[0] & 1 and frame[:6] != self.lladdr:
            ifp = ffi.addressof(le_softc[self.unit], "ac_if")
            if not ifp.if_flags & h.IFF_PROMISC:
                return                 # another station's unicast: not for this board
        if len(self.ring) >= LERXRING:
            self.missed += 1           # lance MISS: no receive buffer
            return
        self.ring.append(frame)


def leattach(unit: int, wire_name: str, lladdr: bytes | None = None) -> None:
    """Attach leN on a wire, with a station address (given, or made up)."""
    global le_softc, _le_name
    from kern.config import ConfigError
    bad = wire.check_name(wire_name)
    if bad:
        raise ConfigError(f"le{unit}: {bad}")
    if not ksyms.lookup("_le_softc"):       # first unit of this boot
        le_softc = ksyms.data("le_softc", "struct arpcom", NLE_MAX)
        _le_name = ksyms.string("le_name", "le")
        _units.clear()
    ac = le_softc + unit
    ifp = ffi.addressof(ac, "ac_if")
    ifp.if_name = _le_name
    ifp.if_unit = unit
    ifp.if_flags = h.IFF_BROADCAST
    ifp.if_ioctl = ksyms.text(leioctl)
    ifp.if_init = ksyms.text(leinit)
    ifp.if_reset = ksyms.text(lereset)
    if lladdr is None:
        # A locally administered address, unique to this kernel and unit.
        pid = os.getpid()
        lladdr = bytes([0x02, 0x00, (pid >> 16) & 0xFF, (pid >> 8) & 0xFF, pid & 0xFF, unit])
    ffi.memmove(ac.ac_enaddr, lladdr, 6)
    _units[unit] = _lestate(unit, wire_name, bytes(lladdr))
    ether_ifattach(ifp, lestart)
    if_.if_attach(ifp)
    printf("le%d at wire %s\n", unit, wire_name)
    printf("le%d: hardware address %s\n", unit, ether_sprintf(lladdr))


def _ifp(unit: int):
    return ffi.addressof(le_softc[unit], "ac_if")


def leinit(unit: int) -> None:
    """Start the board: it joins its wire and listens (IFF_RUNNING).

    A board that cannot join (the wires folder is not writable, say)
    says so on the console and stays stopped, as Tahoe's deinit did
    when the board would not start.
    """
    from kern import init_main
    st = _units[unit]
    if not st.running:
        try:
            st.station = wire.Station(wire.wires_dir(init_main.rundir), st.wire, f"le{unit}", st.deliver)
        except OSError as e:
            printf("le%d: can't join wire %s: %s\n", unit, st.wire, e.strerror or e)
            return
        st.running = True
        _interrupts().changed()
    _ifp(unit).if_flags |= h.IFF_RUNNING


def lereset(unit: int) -> None:
    """Stop the board: it leaves the wire (the flag IFF_RUNNING stays, as on de0)."""
    st = _units[unit]
    st.running = False
    st.ring.clear()
    if st.station is not None:
        st.station.close()
        st.station = None
        _interrupts().changed()


def leioctl(ifp, cmd: int, data) -> int:
    """The driver's if_ioctl: addresses and up/down transitions (if_de.c deioctl)."""
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


def lestart(ifp) -> None:
    """Move the send queue onto the wire (lance.c lestart).

    Each frame is one transmission: if_opackets when every station on
    the wire could take it, if_collisions for each busy retry, and
    if_oerrors when some station could not be reached in 16 attempts.
    A board that is not running leaves the queue as it is.
    """
    st = _units[ifp.if_unit]
    if not st.running:
        return
    while True:
        m = if_.IF_DEQUEUE(ifp.if_snd)
        if m is None:
            return
        frame = m_copydata(m, 0, m_length(m))
        m_freem(m)
        if bpf.taps:
            bpf.bpf_tap(ifp, frame)
        for cap in st.captures:
            cap.append(frame)
        collisions, lost = st.station.send(frame)
        ifp.if_collisions += collisions
        if lost:
            ifp.if_oerrors += 1
        else:
            ifp.if_opackets += 1


def leread(unit: int, frame: bytes) -> None:
    """Take one received frame from the ring up to ether_input (lance.c lance_read).

    A frame of no more than a header, or longer than a header and
    ETHERMTU, is a receive error; so is running out of mbufs.  In
    promiscuous mode a unicast frame for another station is counted and
    then dropped, as NetBSD does when bpf asked for promiscuity.
    """
    ifp = _ifp(unit)
    n = len(frame)
    if n <= ETHER_HDR_LEN or n > ETHERMTU + ETHER_HDR_LEN:
        ifp.if_ierrors += 1
        return
    m = m_devget(frame, n, 0, ifp)
    if m is None:
        ifp.if_ierrors += 1
        return
    ifp.if_ipackets += 1
    if bpf.taps:
        bpf.bpf_tap(ifp, frame)         # before the promiscuous drop, as NetBSD's tap is
    if ifp.if_flags & h.IFF_PROMISC and not frame[0] & 1 and frame[:6] != _units[unit].lladdr:
        m_freem(m)
        return
    ether_input(ifp, m)


def leintr(unit: int) -> None:
    """The receive interrupt of one board: read every frame its ring holds.

    Frames lost for want of a descriptor since the last interrupt are
    counted in if_ierrors, as am7990 does for a missed-packet interrupt.
    """
    st = _units[unit]
    if st.missed:
        _ifp(unit).if_ierrors += st.missed
        st.missed = 0
    ring = st.ring
    while ring:
        leread(unit, ring.popleft())


def le_settle() -> None:
    """Run the receive interrupts until no board of this kernel has a frame waiting.

    The caller holds the kernel lock.  Frames between boards of this
    kernel are then all delivered and answered, so a test can look at
    the counters; frames from other processes arrive when they arrive.
    """
    for _ in range(SETTLE_PASSES):
        if not any(st.ring or st.missed for st in _units.values()):
            return
        for unit in list(_units):
            leintr(unit)
        dosoftint()


def le_inject(ifname: str, frame: bytes) -> None:
    """Hand a raw frame to a board as if it had come off its wire, and run the interrupts.

    The frame goes through the board's address filter (a stopped board,
    or a unicast frame for another station, is not heard) and its ring;
    then the receive interrupt and the software interrupts run, under
    the kernel lock, before this returns.
    """
    unit = _unit_of(ifname)
    with kernel_lock:
        _units[unit].hear(bytes(frame))
        le_settle()


@contextlib.contextmanager
def le_capture(ifname: str):
    """Record the frames a board transmits: ``with le_capture("le0") as frames:``."""
    st = _units[_unit_of(ifname)]
    frames = []
    st.captures.append(frames)
    try:
        yield frames
    finally:
        st.captures.remove(frames)


def _unit_of(ifname: str) -> int:
    if not ifname.startswith("le") or not ifname[2:].isdigit() or int(ifname[2:]) not in _units:
        raise ValueError(f"{ifname}: no such le interface")
    return int(ifname[2:])


class _Interrupts:
    """The receive-interrupt thread: waits for frames, then takes the interrupt.

    Frames from other processes are read off the boards' sockets and
    put in their rings, and the rings are emptied through leintr, all
    while holding the kernel lock, followed by the software interrupts.
    ``changed`` wakes the thread when a board joins or leaves a wire or
    a frame from this process is waiting.
    """

    def __init__(self):
        self.stop = False
        self.busy = threading.Lock()     # held while the thread runs kernel code
        self.rfd, self.wfd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.thread = threading.Thread(target=self.run, name="leintr", daemon=True)
        self.thread.start()

    def changed(self) -> None:
        """Wake the receive thread (a board joined or left a wire, or a frame waits)."""
        try:
            os.write(self.wfd, b"x")
        except BlockingIOError:
            pass

    def run(self) -> None:
        """The receive thread: wait on the boards' sockets, take frames in at interrupt level."""
        while not self.stop:
            try:
                boards = [st for st in list(_units.values()) if st.station is not None]
            except RuntimeError:             # a new boot is attaching boards
                continue
            try:
                readable, _, _ = select.select([self.rfd] + [st.station for st in boards], [], [])
            except (OSError, ValueError):
                readable = [self.rfd]        # a board left meanwhile: look again
            if self.rfd in readable:
                try:
                    os.read(self.rfd, 4096)
                except BlockingIOError:
                    pass
            with kernel_lock, self.busy:
                pktrace.sync()
                if self.stop:
                    break
                try:
                    for st in boards:
                        if st.station is not None and st.station in readable:
                            for frame in st.station.recv():
                                st.hear(frame)
                    le_settle()
                    dosoftint()
                except Panic:
                    break                    # the kernel has stopped: no more interrupts
                except Exception as e:       # a kernel bug must not silence the board
                    printf("leintr: %s: %s\n", type(e).__name__, e)
        os.close(self.rfd)
        os.close(self.wfd)


def _interrupts() -> _Interrupts:
    global _intr
    if _intr is None:
        _intr = _Interrupts()
    return _intr


def leshutdown() -> None:
    """Halt: stop the receive interrupts and take every board off its wire.

    Waits for an interrupt in progress to finish (it holds the kernel
    lock; the caller must not), so that nothing touches kernel memory
    once the kernel is gone.
    """
    global _intr
    intr, _intr = _intr, None
    if intr is not None:
        intr.stop = True
        with intr.busy:
            intr.changed()
    for st in _units.values():
        st.running = False
        if st.station is not None:
            st.station.close()
            st.station = None
