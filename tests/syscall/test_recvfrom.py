"""recvfrom(2) on raw IP sockets: data, the sender's address, sleeping and errors."""

import threading
import time

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock, sleeping
from kern.syscalls import SysError

from tests.conftest import configure, in_addr

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")
NB = h.MSG_DONTWAIT          # a datagram that should be there: never hang the suite


@pytest.fixture
def pair(sc):
    """A sender and a receiver for protocol 253 over lo0."""
    configure(sc, b"lo0", "127.0.0.1")
    tx = sc.socket(h.AF_INET, h.SOCK_RAW, 254)
    rx = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    return sc, tx, rx


def send(sc, s, data: bytes, proto_sock=None):
    to = ffi.new("struct sockaddr_in *")
    to.sin_family = h.AF_INET
    to.sin_addr.s_addr = in_addr("127.0.0.1")
    return sc.sendto(s, ffi.from_buffer(data), len(data), 0, to, SIN)


@pytest.fixture
def tx253(pair):
    sc, _, _ = pair
    return sc.socket(h.AF_INET, h.SOCK_RAW, 253)


def test_recvfrom_gives_data_and_the_senders_address(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"hello")
    buf = ffi.new("char[]", 64)
    frm = ffi.new("struct sockaddr_in *")
    flen = ffi.new("int *", SIN)
    assert sc.recvfrom(rx, buf, 64, NB, frm, flen) == 25
    assert ffi.buffer(buf, 25)[20:] == b"hello"
    assert flen[0] == SIN and frm.sin_family == h.AF_INET
    assert frm.sin_addr.s_addr == in_addr("127.0.0.1")


def test_recvfrom_short_address_buffer_gets_a_truncated_address(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"x")
    buf = ffi.new("char[]", 64)
    frm = ffi.new("char[]", 16)
    flen = ffi.new("int *", 4)
    sc.recvfrom(rx, buf, 64, NB, frm, flen)
    assert flen[0] == 4
    assert ffi.buffer(frm, 16)[4:] == bytes(12)


def test_recvfrom_without_address_wanted(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"x")
    buf = ffi.new("char[]", 64)
    assert sc.recvfrom(rx, buf, 64, NB, None, None) == 21


def test_recvfrom_short_buffer_drops_the_rest_of_the_datagram(pair, tx253):
    """A datagram is one record: what does not fit is lost, the next one is whole."""
    sc, _, rx = pair
    send(sc, tx253, b"first-datagram")
    send(sc, tx253, b"second")
    buf = ffi.new("char[]", 64)
    assert sc.recvfrom(rx, buf, 22, NB, None, None) == 22
    assert sc.recvfrom(rx, buf, 64, NB, None, None) == 26
    assert ffi.buffer(buf, 26)[20:] == b"second"


def test_recvfrom_peek_leaves_the_datagram(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"peek")
    buf = ffi.new("char[]", 64)
    assert sc.recvfrom(rx, buf, 64, h.MSG_PEEK | NB, None, None) == 24
    assert sc.recvfrom(rx, buf, 64, NB, None, None) == 24


def test_recvfrom_nonblocking_empty_is_EWOULDBLOCK(pair):
    sc, _, rx = pair
    sc.ioctl(rx, h.FIONBIO, ffi.new("int *", 1))
    with pytest.raises(SysError) as e:
        sc.recvfrom(rx, ffi.new("char[]", 8), 8, 0, None, None)
    assert e.value.errno == h.EWOULDBLOCK


def test_recvfrom_sleeps_until_a_datagram_arrives(pair, tx253):
    """A blocking recvfrom sleeps in sbwait (the kernel lock released) and wakes when
    the datagram is queued."""
    from kern import syscalls
    sc, _, rx = pair
    reader = syscalls.Local(sc.p)
    got = []

    def read():
        buf = ffi.new("char[]", 64)
        n = reader.recvfrom(rx, buf, 64, 0, None, None)
        got.append(ffi.buffer(buf, n)[20:])
    t = threading.Thread(target=read)
    t.start()
    so = ffi.cast("struct socket *", sc.p.u_ofile[rx].f_data)
    chan = int(ffi.cast("uintptr_t", ffi.addressof(so.so_rcv, "sb_cc")))
    for _ in range(200):
        with kernel_lock:
            if sleeping(chan):
                break
        time.sleep(0.005)
    assert not got
    send(sc, tx253, b"wake up")
    t.join(5)
    assert got == [b"wake up"]


def test_recvfrom_bad_buffer_is_EFAULT(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"x")
    with pytest.raises(SysError) as e:
        sc.recvfrom(rx, 8, 64, NB, None, None)
    assert e.value.errno == h.EFAULT


def test_recvfrom_bad_length_pointer_is_EFAULT(pair, tx253):
    sc, _, rx = pair
    send(sc, tx253, b"x")
    with pytest.raises(SysError) as e:
        sc.recvfrom(rx, ffi.new("char[]", 64), 64, NB, ffi.new("char[]", 16), 8)
    assert e.value.errno == h.EFAULT


def test_recvfrom_bad_descriptor_is_EBADF(sc):
    with pytest.raises(SysError) as e:
        sc.recvfrom(7, ffi.new("char[]", 8), 8, 0, None, None)
    assert e.value.errno == h.EBADF


def test_recvfrom_negative_length_is_EINVAL(pair):
    sc, _, rx = pair
    with pytest.raises(SysError) as e:
        sc.recvfrom(rx, ffi.new("char[]", 8), -1, 0, None, None)
    assert e.value.errno == h.EINVAL


def test_full_receive_buffer_drops_datagrams(pair, tx253):
    """A raw socket holds 2048 bytes (addresses included) in at most 4096 bytes of
    mbufs (sbspace); what does not fit is lost silently."""
    sc, _, rx = pair
    for _ in range(30):
        send(sc, tx253, bytes(80))             # 16 + 100 bytes each
    so = ffi.cast("struct socket *", sc.p.u_ofile[rx].f_data)
    sb = so.so_rcv
    queued = sb.sb_cc // 116
    assert 0 < queued < 30 and sb.sb_cc == queued * 116
    assert sb.sb_cc <= sb.sb_hiwat and sb.sb_mbcnt <= sb.sb_mbmax
    n = 0
    sc.ioctl(rx, h.FIONBIO, ffi.new("int *", 1))
    buf = ffi.new("char[]", 200)
    with pytest.raises(SysError):
        while True:
            sc.recvfrom(rx, buf, 200, 0, None, None)
            n += 1
    assert n == queued and sb.sb_cc == 0 and sb.sb_mbcnt == 0


# -- UDP ----------------------------------------------------------------------

from udpkit import fails, lo, recv, sendto, udp  # noqa: E402,F401


def test_udp_recvfrom_gives_the_senders_address_and_port(lo):
    rx = udp(lo, 5000)
    tx = udp(lo, 6000)
    sendto(lo, tx, b"hello", 5000)
    assert recv(lo, rx) == (b"hello", ("127.0.0.1", 6000))


def test_udp_recvfrom_datagrams_keep_their_boundaries_and_order(lo):
    rx = udp(lo, 5000)
    tx = udp(lo)
    for d in (b"one", b"", b"three"):
        sendto(lo, tx, d, 5000)
    assert [recv(lo, rx)[0] for _ in range(3)] == [b"one", b"", b"three"]


def test_udp_recvfrom_short_buffer_loses_the_rest_of_the_datagram(lo):
    rx = udp(lo, 5000)
    tx = udp(lo)
    sendto(lo, tx, b"0123456789", 5000)
    sendto(lo, tx, b"next", 5000)
    assert recv(lo, rx, 4)[0] == b"0123"
    assert recv(lo, rx)[0] == b"next"


def test_udp_recvfrom_MSG_PEEK_twice_then_read(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"peeked", 5000)
    assert recv(lo, rx, flags=h.MSG_PEEK)[0] == b"peeked"
    assert recv(lo, rx, 3, flags=h.MSG_PEEK)[0] == b"pee"
    assert recv(lo, rx)[0] == b"peeked"
    fails(h.EWOULDBLOCK, recv, lo, rx)


def test_udp_recvfrom_bad_buffer_is_EFAULT_and_the_datagram_is_gone(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"lost", 5000)
    fails(h.EFAULT, lo.recvfrom, rx, 8, 64, NB, None, None)
    fails(h.EWOULDBLOCK, recv, lo, rx)


def test_udp_recvfrom_after_shutdown_is_end_of_file(lo):
    rx = udp(lo, 5000)
    lo.shutdown(rx, 0)
    assert lo.recvfrom(rx, ffi.new("char[8]"), 8, 0, None, None) == 0


def test_udp_recvfrom_bad_address_buffer_is_not_reported(lo):
    """4.3's recvit ignores a failure to copy the sender's address out: the datagram has
    been taken, and the call returns its length."""
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"taken", 5000)
    buf, fl = ffi.new("char[16]"), ffi.new("int *", 16)
    assert lo.recvfrom(rx, buf, 16, NB, 8, fl) == 5
    assert ffi.buffer(buf, 5)[:] == b"taken"
