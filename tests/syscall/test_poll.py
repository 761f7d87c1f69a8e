"""poll(2) on the in-process kernel (NetBSD sys_generic.c sys_poll, on select's machinery)."""

import threading
import time

import pytest

from kern import kern_clock
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.syscalls import SysError
from kern.uipc_socket2 import socantrcvmore

ffi = h.ffi


def pollfds(*pairs):
    fds = ffi.new("struct pollfd[]", max(len(pairs), 1))
    for i, (fd, events) in enumerate(pairs):
        fds[i].fd, fds[i].events, fds[i].revents = fd, events, 0x7777
    return fds


def test_poll_writable_at_once(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    fds = pollfds((s, h.POLLIN | h.POLLOUT | h.POLLPRI))
    assert sc.poll(fds, 1, 0) == 1
    assert fds[0].revents == h.POLLOUT


def test_poll_closed_and_out_of_range_descriptors_are_POLLNVAL(sc):
    fds = pollfds((5, h.POLLIN), (1000, h.POLLIN), (-1, h.POLLIN))
    assert sc.poll(fds, 3, 0) == 2
    assert [fds[i].revents for i in range(3)] == [h.POLLNVAL, h.POLLNVAL, 0]


def test_poll_zero_timeout_clears_revents(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    fds = pollfds((s, h.POLLIN))
    assert sc.poll(fds, 1, 0) == 0
    assert fds[0].revents == 0


def test_poll_times_out_by_the_clock_and_wakes_on_event(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    fds = pollfds((s, h.POLLIN | h.POLLRDNORM))
    out = []
    t = threading.Thread(target=lambda: out.append(sc.poll(fds, 1, 500)), daemon=True)
    t.start()
    time.sleep(0.05)
    kern_clock.tick_clock(kern_clock.hz // 2 + 1)
    t.join(5)
    assert out == [0]
    t = threading.Thread(target=lambda: out.append(sc.poll(fds, 1, -1)), daemon=True)
    t.start()
    time.sleep(0.05)
    with kernel_lock:
        socantrcvmore(ffi.cast("struct socket *", sc.p.u_ofile[s].f_data))
    t.join(5)
    assert out == [0, 1]
    assert fds[0].revents == h.POLLIN | h.POLLRDNORM


def test_poll_bad_timeout_is_EINVAL(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        sc.poll(pollfds((s, h.POLLIN)), 1, -5)
    assert e.value.errno == h.EINVAL


def test_poll_bad_array_is_EFAULT(sc):
    with pytest.raises(SysError) as e:
        sc.poll(8, 1, 0)
    assert e.value.errno == h.EFAULT


def test_poll_nfds_above_the_table_is_lowered(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    fds = ffi.new("struct pollfd[]", h.NOFILE)
    for i in range(h.NOFILE):
        fds[i].fd = -1
    fds[0].fd, fds[0].events = s, h.POLLOUT
    assert sc.poll(fds, 1 << 20, 0) == 1
