"""sendto(2) on raw IP sockets: the datagram goes out, and each error path."""

import pytest

from kern.headers import native as h
from kern.syscalls import SysError

from tests.conftest import configure, in_addr

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")


@pytest.fixture
def lo(sc):
    configure(sc, b"lo0", "127.0.0.1")
    return sc


def sin(dotted="127.0.0.1"):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = in_addr(dotted)
    return s


def test_sendto_returns_the_byte_count_and_delivers(lo):
    tx = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    rx = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    data = ffi.new("char[]", b"twelve bytes")
    assert lo.sendto(tx, data, 12, 0, sin(), SIN) == 12
    buf = ffi.new("char[]", 100)
    # Both sockets want protocol 253: each gets a copy.
    assert lo.recv(rx, buf, 100, h.MSG_DONTWAIT) == 32
    assert ffi.buffer(buf, 32)[20:] == b"twelve bytes"
    assert lo.recv(tx, buf, 100, h.MSG_DONTWAIT) == 32


def test_sendto_bad_descriptor_is_EBADF(lo):
    with pytest.raises(SysError) as e:
        lo.sendto(9, ffi.new("char[]", 4), 4, 0, sin(), SIN)
    assert e.value.errno == h.EBADF


def test_sendto_bad_buffer_is_EFAULT(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, 8, 4, 0, sin(), SIN)
    assert e.value.errno == h.EFAULT


def test_sendto_bad_address_pointer_is_EFAULT(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, 8, SIN)
    assert e.value.errno == h.EFAULT


def test_sendto_address_longer_than_an_mbuf_is_EINVAL(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    big = ffi.new("char[]", 200)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, big, h.MLEN + 1)
    assert e.value.errno == h.EINVAL


def test_sendto_wrong_address_length_is_EINVAL(lo):
    """rip_connect wants exactly a sockaddr_in."""
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, sin(), 8)
    assert e.value.errno == h.EINVAL


def test_sendto_other_family_is_EAFNOSUPPORT(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    a = sin()
    a.sin_family = h.AF_UNIX
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, a, SIN)
    assert e.value.errno == h.EAFNOSUPPORT


def test_sendto_negative_length_is_EINVAL(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), -1, 0, sin(), SIN)
    assert e.value.errno == h.EINVAL


def test_sendto_more_than_the_send_buffer_is_EMSGSIZE(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 3000), 3000, 0, sin(), SIN)
    assert e.value.errno == h.EMSGSIZE


def test_sendto_without_a_route_is_EHOSTUNREACH(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, sin("192.168.9.9"), SIN)
    assert e.value.errno == h.EHOSTUNREACH


def test_sendto_on_a_udp_socket_is_EOPNOTSUPP_until_udp_comes(lo):
    """UDP's PRU_SEND is not there yet: the protocol refuses the request."""
    s = lo.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        lo.sendto(s, ffi.new("char[]", 4), 4, 0, sin(), SIN)
    assert e.value.errno == h.EOPNOTSUPP
