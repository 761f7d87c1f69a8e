"""send(2): sendto without an address."""

import pytest

from kern.headers import native as h
from kern.syscalls import SysError

from tests.conftest import configure

ffi = h.ffi


def test_send_on_an_unconnected_raw_socket_is_EDESTADDRREQ(sc):
    configure(sc, b"lo0", "127.0.0.1")
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        sc.send(s, ffi.new("char[]", 4), 4)
    assert e.value.errno == h.EDESTADDRREQ
    assert e.value.strerror == "Destination address required"


def test_send_bad_descriptor_is_EBADF(sc):
    with pytest.raises(SysError) as e:
        sc.send(3, ffi.new("char[]", 4), 4)
    assert e.value.errno == h.EBADF


# -- UDP ----------------------------------------------------------------------

from udpkit import SIN as _SIN, fails, lo, recv, sin, udp  # noqa: E402,F401


def test_send_on_a_connected_udp_socket_reaches_the_peer(lo):
    rx = udp(lo, 5000)
    tx = udp(lo)
    lo.connect(tx, sin("127.0.0.1", 5000), _SIN)
    assert lo.send(tx, ffi.new("char[]", b"connected"), 9, 0) == 9
    assert recv(lo, rx) == (b"connected", ("127.0.0.1", h.IPPORT_RESERVED))


def test_send_on_an_unconnected_udp_socket_is_EDESTADDRREQ(lo):
    fails(h.EDESTADDRREQ, lo.send, udp(lo), ffi.new("char[]", b"x"), 1, 0)


def test_send_bad_buffer_is_EFAULT(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), _SIN)
    fails(h.EFAULT, lo.send, s, 8, 4, 0)


def test_send_negative_length_is_EINVAL(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), _SIN)
    fails(h.EINVAL, lo.send, s, ffi.new("char[]", 4), -4, 0)


def test_send_more_than_the_send_buffer_is_EMSGSIZE(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), _SIN)
    fails(h.EMSGSIZE, lo.send, s, ffi.new("char[]", 10000), 10000, 0)


def test_send_after_shutdown_is_EPIPE(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), _SIN)
    lo.shutdown(s, 1)
    fails(h.EPIPE, lo.send, s, ffi.new("char[]", 1), 1, 0)


def test_send_MSG_OOB_on_udp_is_EOPNOTSUPP(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), _SIN)
    fails(h.EOPNOTSUPP, lo.send, s, ffi.new("char[]", 1), 1, h.MSG_OOB)
