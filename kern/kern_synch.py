"""One processor: the kernel lock, and sleep/wakeup.

netkern runs like a uniprocessor BSD kernel.  Each process that makes a
system call runs it on its own thread (its "kernel stack"), the clock
and the network devices run as interrupts on theirs, and
``kernel_lock`` makes sure that only one of them executes kernel code at
any moment, as NetBSD's big kernel lock did and as a single VAX CPU did
by construction.  ``spl`` levels therefore need no separate mechanism.

A process that must wait (a receive on an empty socket, select) calls
``tsleep`` (4.3BSD-Reno kern/kern_synch.c): it records its wait channel,
gives the processor up by releasing the lock, and is made runnable again
by ``wakeup(chan)``, by the timeout it asked for (a callout, so a hand
clock drives it too), or by an interruption (its client went away),
which it sees as EINTR.
"""

import threading

from kern.headers import native as h
from kern.kern_clock import timeout, untimeout

EWOULDBLOCK = h.EWOULDBLOCK
EINTR = h.EINTR

kernel_lock = threading.Lock()
_sleepq = {}          # wait channel -> [sleeping record, ...]


class _Sleep:
    """One sleeping process: its channel, and how its sleep ended."""

    __slots__ = ("p", "chan", "wmesg", "result", "done")

    def __init__(self, p, chan, wmesg):
        self.p, self.chan, self.wmesg = p, chan, wmesg
        self.result = 0
        self.done = False


def tsleep(p, chan, wmesg: str, timo: int = 0, catch: bool = True) -> int:
    """Sleep on chan until wakeup; 0, EWOULDBLOCK on timeout, EINTR if interrupted.

    The caller holds kernel_lock; it is released while asleep and held
    again on return, so the caller must recheck what it waited for.
    timo is in clock ticks (0: no limit).  With catch, an interruption
    of the process (PCATCH in BSD) ends the sleep.
    """
    s = _Sleep(p, chan, wmesg)
    _sleepq.setdefault(chan, []).append(s)
    if timo:
        timeout(_endtsleep, s, timo)
    p.p_wchan = s
    kernel_lock.release()
    try:
        interrupted = p.p_block(s, catch)
    finally:
        kernel_lock.acquire()
    p.p_wchan = None
    if timo:
        untimeout(_endtsleep, s)
    if not s.done:
        _unsleep(s)
        s.done = True
        s.result = EINTR if interrupted else 0
    return s.result


def _unsleep(s):
    q = _sleepq.get(s.chan)
    if q and s in q:
        q.remove(s)
        if not q:
            del _sleepq[s.chan]


def _endtsleep(s):
    """The callout that ends a timed sleep (kern_synch.c endtsleep)."""
    if not s.done:
        _unsleep(s)
        s.done = True
        s.result = EWOULDBLOCK
        s.p.p_unblock(s)


def wakeup(chan) -> None:
    """Make every process sleeping on chan runnable (kern_synch.c wakeup)."""
    q = _sleepq.pop(chan, None)
    if q:
        for s in q:
            s.done = True
            s.p.p_unblock(s)


def setrun(p) -> None:
    """Make one sleeping process runnable, whatever its channel (kern_synch.c setrun).

    select's wakeup needs it: the selecting process is known, and it
    alone is woken, not everyone asleep on ``selwait``.
    """
    s = p.p_wchan
    if s is not None and not s.done:
        _unsleep(s)
        s.done = True
        p.p_unblock(s)


def sleeping(chan) -> int:
    """How many processes sleep on chan (for tests and study)."""
    return len(_sleepq.get(chan, ()))
