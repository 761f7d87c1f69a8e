"""fcntl(2) on socket descriptors: F_DUPFD, F_GETFD/F_SETFD, F_GETFL/F_SETFL, F_GETOWN/F_SETOWN.

4.3BSD-Tahoe kern_descrip.c fcntl: F_SETFL's FNDELAY and FASYNC reach
the socket through fset (FIONBIO, FIOASYNC), F_SETOWN sets so_pgrp.
"""

import os
import signal

import pytest

from kern.headers import native as h

from udpkit import NB, fails, lo, recv, sendto, socket_of, udp  # noqa: F401

ffi = h.ffi


def test_F_SETFL_O_NONBLOCK_makes_an_empty_receive_EWOULDBLOCK(lo):
    s = udp(lo, 5000)
    lo.fcntl(s, h.F_SETFL, h.O_NONBLOCK)
    assert lo.fcntl(s, h.F_GETFL) & h.O_NONBLOCK
    assert socket_of(lo, s).so_state & h.SS_NBIO
    fails(h.EWOULDBLOCK, lo.recv, s, ffi.new("char[8]"), 8, 0)


def test_F_SETFL_0_makes_it_blocking_again(lo):
    s = udp(lo, 5000)
    lo.fcntl(s, h.F_SETFL, h.O_NONBLOCK | h.FASYNC)
    lo.fcntl(s, h.F_SETFL, 0)
    assert not socket_of(lo, s).so_state & (h.SS_NBIO | h.SS_ASYNC)


def test_F_GETFL_of_a_socket_gives_the_open_mode(lo):
    """4.3 returns f_flag + FOPEN: FREAD|FWRITE read back as O_RDWR."""
    assert lo.fcntl(udp(lo), h.F_GETFL) == h.O_RDWR


def test_F_SETFL_arithmetic_wraps_as_a_C_int(lo):
    """f_flag gets (arg - FOPEN) & ~FCNTLCANT in int arithmetic: INT_MAX - (-1)
    wraps to INT_MIN, so only the sign bit is set (and no FNDELAY)."""
    s = udp(lo)
    lo.fcntl(s, h.F_SETFL, 0x7FFFFFFF)
    assert lo.fcntl(s, h.F_GETFL) == h.O_RDWR - 0x80000000
    assert not socket_of(lo, s).so_state & h.SS_NBIO


def test_an_int_argument_keeps_its_low_32_bits(lo):
    """As kernd decodes a remote call: 2**32 + F_GETFL is F_GETFL, 2**32 - 1 is -1."""
    s = udp(lo)
    assert lo.fcntl(s, 2**32 + h.F_GETFL) == h.O_RDWR
    fails(h.EBADF, lo.fcntl, 2**32 - 1, h.F_GETFL)


@pytest.fixture
def sigio():
    """The SIGIOs this process receives, while the test runs."""
    got = []
    old = signal.signal(signal.SIGIO, lambda *a: got.append(a[0]))
    yield got
    signal.signal(signal.SIGIO, old)


def test_FASYNC_and_F_SETOWN_send_SIGIO_to_the_owner_on_arrival(lo, sigio):
    s = udp(lo, 5000)
    lo.fcntl(s, h.F_SETOWN, lo.getpid())
    assert lo.fcntl(s, h.F_GETOWN) == lo.getpid()
    lo.fcntl(s, h.F_SETFL, h.FASYNC)
    sendto(lo, udp(lo), b"signal me", 5000)
    for _ in range(100):                    # (delivered at the next bytecode boundary)
        if sigio:
            break
        os.sched_yield()
    assert sigio == [signal.SIGIO]
    assert recv(lo, s)[0] == b"signal me"


def test_without_FASYNC_no_SIGIO(lo, sigio):
    s = udp(lo, 5000)
    lo.fcntl(s, h.F_SETOWN, lo.getpid())
    sendto(lo, udp(lo), b"quiet", 5000)
    assert sigio == []


def test_F_SETOWN_negative_names_a_process_group(lo):
    s = udp(lo)
    lo.fcntl(s, h.F_SETOWN, -1234)
    assert socket_of(lo, s).so_pgrp == -1234 and lo.fcntl(s, h.F_GETOWN) == -1234


def test_F_DUPFD_shares_the_socket(lo):
    s = udp(lo, 5000)
    d = lo.fcntl(s, h.F_DUPFD, 10)
    assert d == 10
    sendto(lo, udp(lo), b"via the dup", 5000)
    assert recv(lo, d)[0] == b"via the dup"
    lo.close(s)
    sendto(lo, udp(lo), b"still open", 5000)     # the socket lives while d does
    assert recv(lo, d)[0] == b"still open"


def test_F_DUPFD_out_of_range_is_EINVAL(lo):
    fails(h.EINVAL, lo.fcntl, udp(lo), h.F_DUPFD, h.NOFILE)
    fails(h.EINVAL, lo.fcntl, udp(lo), h.F_DUPFD, -1)


def test_F_DUPFD_with_no_descriptor_left_is_EMFILE(lo):
    s = udp(lo)
    while True:
        try:
            lo.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        except OSError:
            break
    fails(h.EMFILE, lo.fcntl, s, h.F_DUPFD, 0)


def test_F_SETFD_close_on_exec_flag(lo):
    s = udp(lo)
    lo.fcntl(s, h.F_SETFD, 1)
    assert lo.fcntl(s, h.F_GETFD) == 1


def test_unknown_command_is_EINVAL(lo):
    fails(h.EINVAL, lo.fcntl, udp(lo), 99, 0)


def test_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.fcntl, 9, h.F_GETFL, 0)
