"""sendto(2) on raw IP and UDP sockets: the datagram goes out, and each error path."""

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


# -- UDP (udp_usrreq PRU_SEND, udp_output) -----------------------------------

from udpkit import fails, recv, udp  # noqa: E402


def test_udp_sendto_delivers_and_returns_the_count(lo):
    rx = udp(lo, 5000)
    tx = udp(lo)
    assert lo.sendto(tx, ffi.new("char[]", b"datagram"), 8, 0, _sin(5000), SIN) == 8
    assert recv(lo, rx) == (b"datagram", ("127.0.0.1", h.IPPORT_RESERVED))


def test_udp_sendto_of_zero_bytes_sends_an_empty_datagram(lo):
    rx = udp(lo, 5000)
    assert lo.sendto(udp(lo), ffi.new("char[1]"), 0, 0, _sin(5000), SIN) == 0
    assert recv(lo, rx)[0] == b""


def test_udp_sendto_on_a_connected_socket_is_EISCONN(lo):
    s = udp(lo)
    lo.connect(s, _sin(7), SIN)
    fails(h.EISCONN, lo.sendto, s, ffi.new("char[]", b"x"), 1, 0, _sin(9), SIN)


def test_udp_sendto_port_0_is_EADDRNOTAVAIL(lo):
    fails(h.EADDRNOTAVAIL, lo.sendto, udp(lo), ffi.new("char[]", b"x"), 1, 0, _sin(0), SIN)


def test_udp_sendto_wrong_address_length_is_EINVAL(lo):
    fails(h.EINVAL, lo.sendto, udp(lo), ffi.new("char[]", b"x"), 1, 0, _sin(9), 8)


def test_udp_sendto_other_family_is_EAFNOSUPPORT(lo):
    a = _sin(9)
    a.sin_family = h.AF_UNIX
    fails(h.EAFNOSUPPORT, lo.sendto, udp(lo), ffi.new("char[]", b"x"), 1, 0, a, SIN)


def test_udp_sendto_more_than_udp_sendspace_is_EMSGSIZE(lo):
    n = 9216 + 1
    fails(h.EMSGSIZE, lo.sendto, udp(lo), ffi.new("char[]", n), n, 0, _sin(9), SIN)


def test_udp_sendto_of_udp_sendspace_goes_out_in_fragments(lo):
    from kern.netinet import ip_input
    rx = udp(lo, 5000)
    before = ip_input.ipstat.ips_fragmented
    data = bytes(range(256)) * 36
    lo.sendto(udp(lo), ffi.from_buffer(data), len(data), 0, _sin(5000), SIN)
    assert ip_input.ipstat.ips_fragmented == before + 1
    assert recv(lo, rx, 10000)[0] == data


def test_udp_sendto_unreachable_is_EHOSTUNREACH(lo):
    configure(lo, b"le0", "10.0.0.1", "255.255.255.0")
    fails(h.EHOSTUNREACH, lo.sendto, udp(lo), ffi.new("char[]", b"x"), 1, 0,
          _sin(9, "192.168.9.9"), SIN)


def test_udp_sendto_unreachable_with_only_the_loopback_is_EADDRNOTAVAIL(lo):
    """in_selectsrc finds no route and no address that is not on a loopback."""
    fails(h.EADDRNOTAVAIL, lo.sendto, udp(lo), ffi.new("char[]", b"x"), 1, 0,
          _sin(9, "192.168.9.9"), SIN)


def test_udp_sendto_a_broadcast_without_SO_BROADCAST_is_EACCES(sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    fails(h.EACCES, sc.sendto, udp(sc), ffi.new("char[]", b"x"), 1, 0,
          _sin(520, "10.0.0.255"), SIN)


def test_udp_sendto_with_MSG_DONTROUTE_off_the_local_net_is_ENETUNREACH(sc):
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    s = udp(sc)
    fails(h.ENETUNREACH, sc.sendto, s, ffi.new("char[]", b"x"), 1, h.MSG_DONTROUTE,
          _sin(9, "192.168.1.1"), SIN)


def test_udp_sendto_after_shutdown_is_EPIPE(lo):
    s = udp(lo)
    lo.shutdown(s, 1)
    fails(h.EPIPE, lo.sendto, s, ffi.new("char[]", b"x"), 1, 0, _sin(9), SIN)


def test_udp_sendto_reports_a_pending_error_once(lo):
    s = udp(lo)
    lo.connect(s, _sin(9), SIN)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)        # port 9: nobody, so a port unreachable
    fails(h.ECONNREFUSED, lo.send, s, ffi.new("char[]", b"x"), 1, 0)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)


def test_udp_sendto_with_no_address_configured_is_EADDRNOTAVAIL(sc):
    fails(h.EADDRNOTAVAIL, sc.sendto, udp(sc), ffi.new("char[]", b"x"), 1, 0, _sin(9), SIN)


def _sin(port, dotted="127.0.0.1"):
    import socket
    s = sin(dotted)
    s.sin_port = socket.htons(port)
    return s
