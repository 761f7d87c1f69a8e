"""The clock: hz ticks, the time of day, and callouts.

4.3BSD-Tahoe kern/kern_clock.c.  ``hardclock`` runs hz times a second: it
advances ``ticks`` and ``time`` and runs the callouts that are due.
Callouts are ``timeout(func, arg, ticks)`` requests kept, as in 4.3, in
a list where each entry holds its delay *relative to the entry before
it*, so a tick only touches the head.  The protocol timers
(``pffasttimo``, ``pfslowtimo``), ARP ageing and the reassembly timeout
all run from here.

Two drivers exist for the same clock.  The kernel server runs a real
one: a thread that calls hardclock every 1/hz second of wall time.
Tests run a hand clock: ``tick(n)`` runs n hardclocks at once, so the
30-second fragment timeout takes no real time at all.
"""

import threading
import time as _host_time

from kern.headers import native as h
from kern.net import netisr

hz = 100
tick = 10000          # microseconds per tick
ticks_p = None        # int *: ticks since boot, in the arena (``_ticks``)
time_p = None         # struct timeval *: the time of day (``_time``)
boottime_p = None     # struct timeval *: when the kernel booted
_callouts = []        # [delta ticks, func, arg], in firing order
_rtclock = None


def clockinit(hertz: int) -> None:
    """Set hz and place ticks, time and boottime in kernel memory."""
    global hz, tick, ticks_p, time_p, boottime_p, _callouts
    from kern import ksyms
    hz = hertz
    tick = 1000000 // hz
    _callouts = []
    ksyms.data("hz", "int")[0] = hz
    ticks_p = ksyms.data("ticks", "int")
    time_p = ksyms.data("time", "struct timeval")
    boottime_p = ksyms.data("boottime", "struct timeval")
    now = _host_time.time()
    time_p.tv_sec, time_p.tv_usec = int(now), int((now % 1) * 1000000)
    boottime_p.tv_sec, boottime_p.tv_usec = time_p.tv_sec, time_p.tv_usec


def ticks() -> int:
    """Ticks since boot."""
    return ticks_p[0]


def hardclock() -> None:
    """One clock interrupt: advance the time, run the callouts now due.

    The caller holds the kernel lock (an interrupt blocks everything
    else on a uniprocessor).  A callout's function may call timeout
    again, as pfslowtimo does to reschedule itself.
    """
    ticks_p[0] += 1
    usec = time_p.tv_usec + tick
    if usec >= 1000000:
        time_p.tv_sec += 1
        usec -= 1000000
    time_p.tv_usec = usec
    if _callouts:
        _callouts[0][0] -= 1
        while _callouts and _callouts[0][0] <= 0:
            _, func, arg = _callouts.pop(0)
            func(arg)
    netisr.dosoftint()  # then the network software interrupts


def timeout(func, arg, t: int) -> None:
    """Call func(arg) t ticks from now (at least one tick)."""
    if t <= 0:
        t = 1
    i = 0
    while i < len(_callouts) and _callouts[i][0] <= t:
        t -= _callouts[i][0]
        i += 1
    if i < len(_callouts):
        _callouts[i][0] -= t
    _callouts.insert(i, [t, func, arg])


def untimeout(func, arg) -> None:
    """Cancel a pending timeout(func, arg); its delay passes to the next one."""
    for i, (delta, f, a) in enumerate(_callouts):
        if f == func and a is arg:
            if i + 1 < len(_callouts):
                _callouts[i + 1][0] += delta
            del _callouts[i]
            return


def pending() -> list:
    """(ticks from now, function name) of each pending callout, for study."""
    out, t = [], 0
    for delta, f, _ in _callouts:
        t += delta
        out.append((t, getattr(f, "__name__", repr(f))))
    return out


def tick_clock(n: int = 1) -> None:
    """The hand clock: run n hardclocks now, under the kernel lock."""
    from kern.kern_synch import kernel_lock
    for _ in range(n):
        with kernel_lock:
            hardclock()


def startrtclock() -> None:
    """Start the real-time clock: a thread calling hardclock hz times a second.

    It keeps wall time: after a stall it runs the missed ticks at once,
    as a kernel catching up lost clock interrupts would.
    """
    global _rtclock
    from kern import pktrace
    from kern.kern_synch import kernel_lock
    stop = threading.Event()

    def run():
        """The clock thread: hardclock hz times a second of host time, catching up after a stall."""
        period = 1.0 / hz
        start, done = _host_time.monotonic(), 0
        while not stop.wait(max(0.0, start + (done + 1) * period - _host_time.monotonic())):
            due = int((_host_time.monotonic() - start) / period)
            with kernel_lock:
                pktrace.sync()
                while done < due and not stop.is_set():
                    hardclock()
                    done += 1
    thread = threading.Thread(target=run, name="hardclock", daemon=True)
    _rtclock = stop
    thread.start()


def stoprtclock() -> None:
    """Stop the real-time clock thread, if one runs."""
    global _rtclock
    if _rtclock is not None:
        _rtclock.set()
        _rtclock = None
