"""select(2) on the in-process kernel: readiness, timeouts on the hand clock, wakeups,
collisions, and its errors (4.3BSD-Tahoe sys_generic.c select)."""

import threading
import time

import pytest

from kern import kern_clock, kern_proc, sys_generic, syscalls
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.syscalls import SysError
from tests.conftest import fdset, timeval
from kern.uipc_socket2 import socantrcvmore

ffi = h.ffi


def in_thread(fn):
    """Run fn in a thread; return (thread, results list)."""
    out = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    return t, out


def wait_asleep(n=1):
    """Wait until n processes sleep on selwait."""
    from kern.kern_synch import sleeping
    deadline = time.monotonic() + 5
    while sleeping(sys_generic.selwait) < n:
        assert time.monotonic() < deadline, "no process went to sleep in select"
        time.sleep(0.005)


def event(sc, fd):
    """socantrcvmore on a socket, as an arrival or shutdown(2) would wake it."""
    with kernel_lock:
        socantrcvmore(ffi.cast("struct socket *", sc.p.u_ofile[fd].f_data))


def test_select_a_new_datagram_socket_is_writable_not_readable(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd, wr, ex = fdset(s), fdset(s), fdset(s)
    assert sc.select(s + 1, rd, wr, ex, timeval(0)) == 1
    assert (rd.fds_bits[0], wr.fds_bits[0], ex.fds_bits[0]) == (0, 1 << s, 0)


def test_select_zero_timeout_polls(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd = fdset(s)
    assert sc.select(s + 1, rd, None, None, timeval(0)) == 0
    assert rd.fds_bits[0] == 0


def test_select_times_out_by_the_clock(sc):
    """A one-second select ends after hz ticks of the hand clock, not before."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd = fdset(s)
    t, out = in_thread(lambda: sc.select(s + 1, rd, None, None, timeval(1)))
    wait_asleep()
    kern_clock.tick_clock(kern_clock.hz - 2)
    time.sleep(0.05)
    assert t.is_alive()
    kern_clock.tick_clock(3)
    t.join(5)
    assert out == [0] and rd.fds_bits[0] == 0


def test_select_wakes_on_socket_event(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd = fdset(s)
    t, out = in_thread(lambda: sc.select(s + 1, rd))
    wait_asleep()
    event(sc, s)
    t.join(5)
    assert out == [1] and rd.fds_bits[0] == 1 << s


def test_two_processes_selecting_on_one_socket_collide(kernel):
    """As after fork: two processes share the socket; only one fits in sb_sel."""
    a = syscalls.attach(uid=0)
    b = syscalls.attach(uid=0)
    s = a.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with kernel_lock:                          # b inherits the descriptor
        fp = a.p.u_ofile[s]
        b.p.u_ofile[s] = fp
        fp.f_count += 1
    coll = sys_generic.nselcoll
    ta, outa = in_thread(lambda: a.select(s + 1, fdset(s)))
    wait_asleep(1)
    tb, outb = in_thread(lambda: b.select(s + 1, fdset(s)))
    wait_asleep(2)
    so = ffi.cast("struct socket *", fp.f_data)
    assert so.so_rcv.sb_flags & h.SB_COLL
    event(a, s)
    ta.join(5)
    tb.join(5)
    assert (outa, outb) == ([1], [1])
    assert sys_generic.nselcoll == coll + 1
    assert so.so_rcv.sb_sel == ffi.NULL and not so.so_rcv.sb_flags & h.SB_COLL


def test_select_descriptor_count_above_the_table_is_lowered(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    wr = fdset(s)
    assert sc.select(100000, None, wr, None, timeval(0)) == 1


def test_select_closed_descriptor_is_EBADF(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd = fdset(s + 1)
    with pytest.raises(SysError) as e:
        sc.select(s + 2, rd, None, None, timeval(0))
    assert e.value.errno == h.EBADF
    assert rd.fds_bits[0] == 1 << (s + 1)      # sets left alone on error


@pytest.mark.parametrize("sec,usec", [(-1, 0), (0, -1), (0, 1000000), (100000001, 0)])
def test_select_bad_timeout_is_EINVAL(sc, sec, usec):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        sc.select(s + 1, fdset(s), None, None, timeval(sec, usec))
    assert e.value.errno == h.EINVAL


def test_select_bad_set_pointer_is_EFAULT(sc):
    with pytest.raises(SysError) as e:
        sc.select(1, 8)
    assert e.value.errno == h.EFAULT


def test_select_sets_beyond_nd_are_not_looked_at(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    wr = fdset(s, s + 5)                       # s+5 is not open but beyond nd
    assert sc.select(s + 1, None, wr, None, timeval(0)) == 1


def test_small_timeout_rounds_up_to_a_tick(sc):
    """itimerfix: a nonzero timeout under one tick waits one tick."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    t, out = in_thread(lambda: sc.select(s + 1, fdset(s), None, None, timeval(0, 1)))
    wait_asleep()
    kern_clock.tick_clock(1)
    t.join(5)
    assert out == [0]


def test_exiting_process_is_not_left_in_sb_sel(sc, kernel):
    """A process that selected and exited: a later wakeup finds nobody (pfind)."""
    other = syscalls.attach(uid=0)
    s = other.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert other.select(s + 1, fdset(s), None, None, timeval(0)) == 0
    fp = other.p.u_ofile[s]
    so = ffi.cast("struct socket *", fp.f_data)
    assert int(ffi.cast("intptr_t", so.so_rcv.sb_sel)) == other.p.p_pid
    fp.f_count += 1                            # keep the socket past the exit
    with kernel_lock:
        kern_proc.exit1(other.p)
        socantrcvmore(so)                      # wakes nobody, breaks nothing
    assert so.so_rcv.sb_sel == ffi.NULL


# -- UDP: a real arrival wakes select ----------------------------------------

from udpkit import SIN, lo, recv, sendto, sin, udp  # noqa: E402,F401


def test_select_wakes_when_a_datagram_arrives(lo):
    rx = udp(lo, 5000)
    rd = fdset(rx)
    t, out = in_thread(lambda: lo.select(rx + 1, rd))
    wait_asleep()
    assert t.is_alive()
    sendto(lo, udp(lo), b"arrival", 5000)
    t.join(5)
    assert out == [1] and rd.fds_bits[0] == 1 << rx
    assert recv(lo, rx)[0] == b"arrival"


def test_select_a_queued_datagram_is_readable_at_once(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"waiting", 5000)
    rd = fdset(rx)
    assert lo.select(rx + 1, rd, None, None, timeval(0)) == 1


def test_select_a_pending_error_is_readable_and_writable(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), SIN)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)          # a port unreachable comes back
    rd, wr = fdset(s), fdset(s)
    assert lo.select(s + 1, rd, wr, None, timeval(0)) == 2


def test_select_times_out_on_an_idle_udp_socket(lo):
    rx = udp(lo, 5000)
    rd = fdset(rx)
    t, out = in_thread(lambda: lo.select(rx + 1, rd, None, None, timeval(0, 50000)))
    wait_asleep()
    kern_clock.tick_clock(6)
    t.join(5)
    assert out == [0] and rd.fds_bits[0] == 0
