"""Time arithmetic for timed system calls: itimerfix, timevaladd, hzto.

``itimerfix`` and ``timevaladd`` port 4.3BSD-Tahoe kern/kern_time.c;
``hzto`` is kern_clock.c's (kept here, beside the other two, because
select and poll use the three together).  Times are the kernel's
``struct timeval`` values, read as (tv_sec, tv_usec) pairs.
"""

from kern import kern_clock
from kern.headers import native as h

MAXSEC = 100000000            # itimerfix's ceiling: about three years


def itimerfix(sec: int, usec: int):
    """Check a user's time interval: (EINVAL or 0, sec, usec).

    4.3BSD-Tahoe kern_time.c itimerfix: negative parts, microseconds
    of a second or more, or more than 10^8 seconds are EINVAL; a
    nonzero interval shorter than a clock tick is raised to one tick.
    """
    if sec < 0 or sec > MAXSEC or usec < 0 or usec >= 1000000:
        return h.EINVAL, sec, usec
    if sec == 0 and usec != 0 and usec < kern_clock.tick:
        usec = kern_clock.tick
    return 0, sec, usec


def timevaladd(sec: int, usec: int, sec2: int, usec2: int):
    """(sec, usec) + (sec2, usec2), normalised (kern_time.c timevaladd)."""
    sec, usec = sec + sec2, usec + usec2
    if usec >= 1000000:
        sec, usec = sec + 1, usec - 1000000
    return sec, usec


def hzto(sec: int, usec: int) -> int:
    """Clock ticks from now until the time of day (sec, usec) (kern_clock.c hzto).

    As in 4.3BSD the difference is taken in milliseconds and divided by
    the tick, truncating, so a time less than a tick away (or past)
    gives 0; callers that must sleep make that one tick.  Very distant
    times are counted in whole seconds, and saturate at 2^31-1 ticks.
    """
    now = kern_clock.time_p
    secs = sec - now.tv_sec
    if secs <= 0x7FFFFFFF // 1000 - 1000:
        msec = secs * 1000 + cdiv(usec - now.tv_usec, 1000)
        return cdiv(msec, max(1, kern_clock.tick // 1000))
    if secs <= 0x7FFFFFFF // kern_clock.hz:
        return secs * kern_clock.hz
    return 0x7FFFFFFF


def cdiv(a: int, b: int) -> int:
    """C's integer division, truncating toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def timepassed(sec: int, usec: int) -> bool:
    """True once the kernel's time of day has reached (sec, usec)."""
    now = kern_clock.time_p
    return now.tv_sec > sec or (now.tv_sec == sec and now.tv_usec >= usec)
