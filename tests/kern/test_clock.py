"""The clock: ticks, the time of day, and callouts on the hand clock."""

from kern import kern_clock


def test_hardclock_advances_ticks_and_time(kernel):
    t0 = kern_clock.ticks()
    sec, usec = kern_clock.time_p.tv_sec, kern_clock.time_p.tv_usec
    kern_clock.tick_clock(150)
    assert kern_clock.ticks() == t0 + 150
    elapsed = (kern_clock.time_p.tv_sec - sec) * 1000000 + kern_clock.time_p.tv_usec - usec
    assert elapsed == 150 * kern_clock.tick


def test_callouts_fire_in_order_at_their_tick(kernel):
    fired = []
    start = kern_clock.ticks()
    for t, name in ((5, "b"), (2, "a"), (5, "c"), (9, "d")):
        kern_clock.timeout(lambda arg: fired.append((arg, kern_clock.ticks() - start)), name, t)
    kern_clock.tick_clock(10)
    assert fired == [("a", 2), ("b", 5), ("c", 5), ("d", 9)]


def test_untimeout_cancels_and_keeps_later_deltas(kernel):
    fired = []
    start = kern_clock.ticks()

    def f(arg):
        fired.append((arg, kern_clock.ticks() - start))
    tok = object()
    kern_clock.timeout(f, "x", 3)
    kern_clock.timeout(f, tok, 4)
    kern_clock.timeout(f, "y", 7)
    kern_clock.untimeout(f, tok)
    kern_clock.tick_clock(8)
    assert fired == [("x", 3), ("y", 7)]


def test_zero_delay_means_next_tick(kernel):
    fired = []
    kern_clock.timeout(fired.append, 1, 0)
    assert fired == []
    kern_clock.tick_clock(1)
    assert fired == [1]


def test_a_callout_may_reschedule_itself(kernel):
    count = []

    def again(arg):
        count.append(1)
        if len(count) < 3:
            kern_clock.timeout(again, None, 10)
    kern_clock.timeout(again, None, 10)
    kern_clock.tick_clock(35)
    assert len(count) == 3


def test_protocol_timers_run_from_boot(kernel):
    names = {name for _, name in kern_clock.pending()}
    assert {"pffasttimo", "pfslowtimo", "if_slowtimo"} <= names


def test_thirty_seconds_of_kernel_time_take_no_real_time(kernel):
    import time
    t = time.monotonic()
    kern_clock.tick_clock(30 * kern_clock.hz)
    assert time.monotonic() - t < 5
