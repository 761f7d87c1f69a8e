"""Sleeping system calls through the kernel server: select, poll, wakeups, EINTR, SIGIO.

A call that waits sleeps in tsleep on its own connection's thread; the
other clients go on.  The event that wakes a socket here is
socantrcvmore, made by the test-only system call
``_test_socantrcvmore`` (kern/init_sysent.py, enabled by
NETKERN_TEST_HOOKS=1) until the datagram path can deliver a real
arrival; it runs sorwakeup exactly as an arrival will.
"""

import os
import signal
import threading
import time

import pytest

from kern.headers import native as h
from kern.init_sysent import SYS_TEST_SOCANTRCVMORE
from kern.syscalls import SysError
from kern.sysproxy.client import connect
from tests.conftest import fdset, isset, timeval

from nkhelp import child

ffi = h.ffi


def event(sc, pid, fd):
    """socantrcvmore on descriptor fd of kernel process pid (the test hook)."""
    sc.call(SYS_TEST_SOCANTRCVMORE, (pid, fd))


def test_select_times_out_on_an_idle_socket(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        rd = fdset(s)
        t0 = time.monotonic()
        assert sc.select(s + 1, rd, None, None, timeval(0, 300000)) == 0
        elapsed = time.monotonic() - t0
        assert 0.28 <= elapsed < 3, elapsed
        assert not isset(rd, s)


def test_select_for_writing_a_datagram_socket_is_ready_at_once(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        rd, wr = fdset(s), fdset(s)
        assert sc.select(s + 1, rd, wr, None, timeval(5)) == 1
        assert (isset(rd, s), isset(wr, s)) == (False, True)


def test_a_sleeping_select_does_not_block_other_clients(kname):
    """One client asleep in select; another makes 200 calls meanwhile; then wakes it."""
    a, b = connect(kname), connect(kname)
    s = a.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    rd = fdset(s)
    result = []
    t = threading.Thread(target=lambda: result.append(a.select(s + 1, rd)))
    t.start()
    time.sleep(0.2)
    assert t.is_alive()
    r = ffi.new("struct ifreq *")
    r.ifr_name = b"lo0"
    u = b.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    t0 = time.monotonic()
    for _ in range(200):
        b.ioctl(u, h.SIOCGIFFLAGS, r)
    assert time.monotonic() - t0 < 5
    assert t.is_alive()
    event(b, a.pid, s)                      # now the socket becomes readable
    t.join(5)
    assert result == [1] and isset(rd, s)
    a.close_connection()
    b.close_connection()


def test_two_clients_asleep_in_select_each_wake_by_their_own_event(kname):
    waker = connect(kname)
    sleepers = [connect(kname) for _ in range(2)]
    socks = [x.socket(h.AF_INET, h.SOCK_DGRAM, 0) for x in sleepers]
    results = {}
    threads = [threading.Thread(target=lambda x=x, fd=fd: results.__setitem__(
        x.pid, x.select(fd + 1, fdset(fd), None, None, timeval(10)))) for x, fd in
        zip(sleepers, socks)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    event(waker, sleepers[0].pid, socks[0])
    threads[0].join(5)
    assert results == {sleepers[0].pid: 1}
    assert threads[1].is_alive()
    event(waker, sleepers[1].pid, socks[1])
    threads[1].join(5)
    assert results[sleepers[1].pid] == 1
    for x in (waker, *sleepers):
        x.close_connection()


def test_poll_times_out_and_wakes(kname):
    with connect(kname) as sc, connect(kname) as other:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        fds = ffi.new("struct pollfd[1]")
        fds[0].fd, fds[0].events = s, h.POLLIN | h.POLLPRI
        t0 = time.monotonic()
        assert sc.poll(fds, 1, 250) == 0
        assert time.monotonic() - t0 >= 0.23
        assert fds[0].revents == 0
        result = []
        t = threading.Thread(target=lambda: result.append(sc.poll(fds, 1, -1)))
        t.start()
        time.sleep(0.2)
        event(other, sc.pid, s)
        t.join(5)
        assert result == [1] and fds[0].revents == h.POLLIN


def test_select_errors_remote(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        for args, errno in [((s + 2, fdset(s + 1)), h.EBADF),
                            ((s + 1, fdset(s), None, None, timeval(-1)), h.EINVAL),
                            ((s + 1, fdset(s), None, None, timeval(0, 1000000)), h.EINVAL),
                            ((s + 1, 8), h.EFAULT),
                            ((s + 1, fdset(s), None, None, 16), h.EFAULT)]:
            with pytest.raises(SysError) as e:
                sc.select(*args)
            assert e.value.errno == errno, args


INTERRUPTED = """
import signal, sys
from kern.sysproxy.client import connect
from kern.headers import native as h
class Alarm(Exception):
    pass
def ring(*a):
    raise Alarm()
signal.signal(signal.SIGALRM, ring)
sc = connect(sys.argv[1])
s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
rd = h.ffi.new("fd_set *"); rd.fds_bits[0] = 1 << s
signal.setitimer(signal.ITIMER_REAL, 0.3)
try:
    sc.select(s + 1, rd)
except Alarm:
    print("interrupted", rd.fds_bits[0] == 1 << s)
print("pid", sc.getpid())
"""


def test_a_signal_interrupts_a_sleeping_call(kname):
    """The client's handler raises; the kernel ends the sleep (EINTR), sets untouched."""
    p = child(INTERRUPTED, kname)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out.splitlines() == ["interrupted True", f"pid {p.pid}"]


@pytest.fixture
def sigio():
    got = []
    old = signal.signal(signal.SIGIO, lambda *a: got.append(1))
    yield got
    signal.signal(signal.SIGIO, old)


def _wait_signal(got, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(got)


def test_FIOASYNC_and_SIOCSPGRP_send_SIGIO_to_the_client(kname, sigio):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        on = ffi.new("int *", 1)
        sc.ioctl(s, h.FIOASYNC, on)
        sc.ioctl(s, h.SIOCSPGRP, ffi.new("int *", os.getpid()))
        event(sc, sc.pid, s)
        assert _wait_signal(sigio)


def test_SIGIO_to_a_process_group(kname, sigio):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        sc.ioctl(s, h.FIOASYNC, ffi.new("int *", 1))
        sc.ioctl(s, h.SIOCSPGRP, ffi.new("int *", -os.getpgrp()))
        event(sc, sc.pid, s)
        assert _wait_signal(sigio)


def test_F_SETOWN_and_FASYNC_by_fcntl_send_SIGIO(kname, sigio):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        sc.fcntl(s, h.F_SETOWN, os.getpid())
        sc.fcntl(s, h.F_SETFL, sc.fcntl(s, h.F_GETFL) | h.FASYNC)
        event(sc, sc.pid, s)
        assert _wait_signal(sigio)


def test_no_SIGIO_without_FIOASYNC(kname, sigio):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        sc.ioctl(s, h.SIOCSPGRP, ffi.new("int *", os.getpid()))
        event(sc, sc.pid, s)
        assert not _wait_signal(sigio, 0.3)


def test_the_test_hook_needs_root(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        sc.setuid(1000)
        with pytest.raises(SysError) as e:
            event(sc, sc.pid, s)
        assert e.value.errno == h.EPERM
