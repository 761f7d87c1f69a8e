"""The software loopback interface, lo0.

4.3BSD-Tahoe net/if_loop.c.  ``loattach`` names it ``lo``, sets its MTU
(LOMTU, 1536) and IFF_LOOPBACK.  OSKit's port famously forgot the MTU, so
the first packet divided by zero in ip_output (seed 003); ours is set at
attach time and the interface works at once.  Its SIOCSIFADDR only marks
it up: as on Tahoe, RUNNING is never set, so ``ifconfig lo0`` shows
``flags=9<UP,LOOPBACK>``.  Sending (looutput) comes with the packet path.
"""

from kern import ksyms
from kern.headers import native as h
from kern.subr_prf import printf

ffi = h.ffi

loif = None            # struct ifnet *: the global ``loif``


def loattach(count: int = 1) -> None:
    """Attach lo0 (if_loop.c loattach)."""
    global loif
    from kern.net import if_
    loif = ksyms.data("loif", "struct ifnet")
    loif.if_name = ksyms.string("lo_name", "lo")
    loif.if_mtu = h.LOMTU
    loif.if_flags = h.IFF_LOOPBACK
    loif.if_ioctl = ksyms.text(loioctl)
    if_.if_attach(loif)
    printf("lo0: software loopback, mtu %d\n", loif.if_mtu)


def loioctl(ifp, cmd: int, data) -> int:
    """The loopback's if_ioctl: SIOCSIFADDR marks it up; anything else is EINVAL."""
    if cmd == h.SIOCSIFADDR:
        ifp.if_flags |= h.IFF_UP
        return 0
    return h.EINVAL
