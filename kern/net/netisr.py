"""Network software interrupts: schednetisr, the handlers, and dosoftint.

4.3BSD-Tahoe <net/netisr.h> and the VAX's software-interrupt dispatch
(vax/locore.s), with NetBSD's NETISR_ARP (seed 004: "ether_input puts
it on the IPv4 packet queue and schedules a software interrupt").  A
driver, or ether_input, or looutput, queues a packet on a protocol's
input queue and calls ``schednetisr(NETISR_IP)``, which sets a bit in
``netisr``.  The protocol's handler (``ipintr`` for NETISR_IP, which
drains ``ipintrq``) runs later, when the kernel is about to leave the
"interrupt" or system call that scheduled it: ``dosoftint()`` runs every
pending handler, and is called at every exit from the kernel while the
kernel lock is still held:

* at the end of each system call (kern/syscalls.py ``Local._syscall``;
  the kernel server calls it after each remote call too);
* after each clock tick (kern/kern_clock.py ``hardclock``);
* by a driver after it has handed frames in (its receive interrupt).

Handlers register at protocol initialisation, in their protocol's
``pr_init``: ``register_netisr(NETISR_IP, ipintr)`` (FreeBSD's name for
it; the BSDs of the day compiled the table into the dispatch code).
Pending handlers run in NetBSD's order (netisr_dispatch.h: ARP first,
then IP), each called once per pass, and passes repeat while bits are
set, since a handler may schedule another (looutput from ip_output).
Software interrupts do not nest: a dosoftint reached from inside a
handler returns at once, and the outer loop picks the new bits up.
"""

from kern.headers import native as h

NETISR_RAW, NETISR_IP, NETISR_IMP = h.NETISR_RAW, h.NETISR_IP, h.NETISR_IMP
NETISR_NS, NETISR_ARP = h.NETISR_NS, h.NETISR_ARP

# NetBSD netisr_dispatch.h lists ARP before IP.
_ORDER = (NETISR_ARP, NETISR_IP, NETISR_IMP, NETISR_NS, NETISR_RAW)

netisr = 0            # pending software interrupts, one bit per NETISR_*
_handlers = []        # (bit, handler) in dispatch order
_running = False


def netisrinit() -> None:
    """Forget every handler and pending bit (at boot, before the protocols attach)."""
    global netisr, _running
    netisr = 0
    _running = False
    _handlers.clear()


def register_netisr(num: int, handler) -> None:
    """Make handler() the software interrupt for NETISR number num.

    Registering again replaces the handler (a protocol re-initialised).
    """
    rank = {n: i for i, n in enumerate(_ORDER)}
    _handlers[:] = [(b, f) for b, f in _handlers if b != 1 << num]
    _handlers.append((1 << num, handler))
    _handlers.sort(key=lambda bf: rank.get(bf[0].bit_length() - 1, len(_ORDER)))


def schednetisr(num: int) -> None:
    """Ask for the software interrupt num (net/netisr.h schednetisr).

    Seed 004, "A packet for you (maybe)": ether_input queues the packet
    and schedules the software interrupt that will take it.
    """
    global netisr
    netisr |= 1 << num


def dosoftint() -> None:
    """Run the pending network software interrupts until none is left.

    The caller holds the kernel lock.  A bit with no handler is simply
    cleared, as the VAX dispatch ignored a protocol that was not
    configured.
    """
    global netisr, _running
    if not netisr or _running:
        return
    _running = True
    try:
        while netisr:
            pending, netisr = netisr, 0
            for bit, handler in _handlers:
                if pending & bit:
                    handler()
    finally:
        _running = False
