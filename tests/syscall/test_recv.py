"""recv(2): recvfrom without the sender's address."""

import pytest

from kern.headers import native as h
from kern.syscalls import SysError

from tests.conftest import configure, in_addr

ffi = h.ffi


def test_recv_returns_the_datagram(sc):
    configure(sc, b"lo0", "127.0.0.1")
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    to = ffi.new("struct sockaddr_in *")
    to.sin_family = h.AF_INET
    to.sin_addr.s_addr = in_addr("127.0.0.1")
    sc.sendto(s, ffi.new("char[]", b"abc"), 3, 0, to, 16)
    buf = ffi.new("char[]", 64)
    assert sc.recv(s, buf, 64, h.MSG_DONTWAIT) == 23 and ffi.buffer(buf, 23)[20:] == b"abc"


def test_recv_on_a_closed_descriptor_is_EBADF(sc):
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    sc.close(s)
    with pytest.raises(SysError) as e:
        sc.recv(s, ffi.new("char[]", 8), 8)
    assert e.value.errno == h.EBADF


# -- UDP ----------------------------------------------------------------------

from udpkit import NB, SIN, fails, lo, sendto, sin, udp  # noqa: E402,F401


def test_recv_on_udp_gives_the_data_only(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"just data", 5000)
    buf = ffi.new("char[]", 64)
    assert lo.recv(rx, buf, 64, NB) == 9 and ffi.buffer(buf, 9)[:] == b"just data"


def test_recv_MSG_OOB_is_EOPNOTSUPP(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"x", 5000)
    fails(h.EOPNOTSUPP, lo.recv, rx, ffi.new("char[]", 8), 8, h.MSG_OOB)


def test_recv_pending_error_is_returned_once(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), SIN)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)
    fails(h.ECONNREFUSED, lo.recv, s, ffi.new("char[]", 8), 8, NB)
    fails(h.EWOULDBLOCK, lo.recv, s, ffi.new("char[]", 8), 8, NB)


def test_recv_MSG_PEEK_does_not_clear_a_pending_error(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), SIN)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)
    fails(h.ECONNREFUSED, lo.recv, s, ffi.new("char[]", 8), 8, NB | h.MSG_PEEK)
    fails(h.ECONNREFUSED, lo.recv, s, ffi.new("char[]", 8), 8, NB)


def test_recv_zero_bytes_wanted_returns_at_once(lo):
    assert lo.recv(udp(lo, 5000), ffi.new("char[1]"), 0, 0) == 0


def test_recv_with_SO_RCVTIMEO_gives_up_with_EWOULDBLOCK(lo):
    """The timeout is in clock ticks (the hand clock of the test kernel)."""
    from kern import kern_clock
    from udpkit import in_thread, wait_asleep
    s = udp(lo, 5000)
    tv = ffi.new("struct timeval *")
    tv.tv_usec = 30000                              # three ticks at hz 100
    lo.setsockopt(s, h.SOL_SOCKET, h.SO_RCVTIMEO, tv, ffi.sizeof(tv[0]))
    t, out = in_thread(lambda: lo.recv(s, ffi.new("char[8]"), 8, 0))
    wait_asleep("netio")
    kern_clock.tick_clock(2)
    assert t.is_alive()
    kern_clock.tick_clock(1)
    t.join(5)
    assert out[0].errno == h.EWOULDBLOCK
