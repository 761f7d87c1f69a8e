"""getsockopt(2): SOL_SOCKET values (sogetopt) and IP-level ones (ip_ctloutput)."""

import pytest

from kern import headers
from kern.headers import native as h
from kern.netinet import udp_usrreq

from udpkit import BAD, INT, SIN, fails, getint, lo, setint, sin, udp  # noqa: F401

ffi = h.ffi
s4 = headers.load("svr4")


def test_SO_TYPE_is_the_socket_type(lo):
    assert getint(lo, udp(lo), h.SOL_SOCKET, h.SO_TYPE) == h.SOCK_DGRAM
    raw = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    assert getint(lo, raw, h.SOL_SOCKET, h.SO_TYPE) == h.SOCK_RAW


def test_buffer_sizes_are_udps_defaults(lo):
    s = udp(lo)
    assert getint(lo, s, h.SOL_SOCKET, h.SO_SNDBUF) == udp_usrreq.udp_sendspace == 9216
    assert getint(lo, s, h.SOL_SOCKET, h.SO_RCVBUF) == udp_usrreq.udp_recvspace == 41600


def test_low_water_marks_start_as_soreserve_sets_them(lo):
    s = udp(lo)
    assert getint(lo, s, h.SOL_SOCKET, h.SO_RCVLOWAT) == 1
    assert getint(lo, s, h.SOL_SOCKET, h.SO_SNDLOWAT) == h.MCLBYTES


def test_flag_options_read_back_their_bit(lo):
    s = udp(lo)
    assert getint(lo, s, h.SOL_SOCKET, h.SO_BROADCAST) == 0
    setint(lo, s, h.SOL_SOCKET, h.SO_BROADCAST, 7)
    assert getint(lo, s, h.SOL_SOCKET, h.SO_BROADCAST) == h.SO_BROADCAST


def test_SO_ERROR_gives_the_pending_error_and_clears_it(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 9), SIN)
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)
    assert getint(lo, s, h.SOL_SOCKET, h.SO_ERROR) == h.ECONNREFUSED
    assert getint(lo, s, h.SOL_SOCKET, h.SO_ERROR) == 0
    lo.send(s, ffi.new("char[]", b"x"), 1, 0)       # no longer reported


def test_SO_LINGER_is_a_struct_linger(lo):
    s = udp(lo)
    lg, n = ffi.new("struct linger *"), ffi.new("int *", 8)
    lo.getsockopt(s, h.SOL_SOCKET, h.SO_LINGER, lg, n)
    assert (lg.l_onoff, lg.l_linger, n[0]) == (0, 0, 8)


def test_SO_RCVTIMEO_is_a_timeval(lo):
    s = udp(lo)
    tv = ffi.new("struct timeval *", [2, 500000])
    lo.setsockopt(s, h.SOL_SOCKET, h.SO_RCVTIMEO, tv, ffi.sizeof(tv[0]))
    out, n = ffi.new("struct timeval *"), ffi.new("int *", ffi.sizeof("struct timeval"))
    lo.getsockopt(s, h.SOL_SOCKET, h.SO_RCVTIMEO, out, n)
    assert (out.tv_sec, out.tv_usec) == (2, 500000)


def test_short_buffer_gets_a_truncated_value(lo):
    s = udp(lo)
    v, n = ffi.new("char[8]", b"\xff" * 8), ffi.new("int *", 1)
    lo.getsockopt(s, h.SOL_SOCKET, h.SO_TYPE, v, n)
    assert n[0] == 1 and ffi.buffer(v)[:] == bytes([h.SOCK_DGRAM]) + b"\xff" * 7


def test_null_value_pointer_asks_for_nothing(lo):
    lo.getsockopt(udp(lo), h.SOL_SOCKET, h.SO_TYPE, None, BAD)


def test_unknown_socket_option_is_ENOPROTOOPT(lo):
    fails(h.ENOPROTOOPT, getint, lo, udp(lo), h.SOL_SOCKET, 0x7777)


def test_unknown_option_at_the_IP_level_is_EINVAL(lo):
    fails(h.EINVAL, getint, lo, udp(lo), h.IPPROTO_IP, 99)


def test_another_protocol_level_is_EINVAL(lo):
    """UDP hands every level but SOL_SOCKET to ip_ctloutput, which knows only IPPROTO_IP."""
    fails(h.EINVAL, getint, lo, udp(lo), h.IPPROTO_TCP, 1)


def test_IP_TTL_starts_at_ip_defttl(lo):
    assert getint(lo, udp(lo), h.IPPROTO_IP, h.IP_TTL) == h.IPDEFTTL


def test_IP_OPTIONS_without_options_is_empty(lo):
    v, n = ffi.new("char[40]"), ffi.new("int *", 40)
    lo.getsockopt(udp(lo), h.IPPROTO_IP, h.IP_OPTIONS, v, n)
    assert n[0] == 0


def test_bad_length_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockopt, udp(lo), h.SOL_SOCKET, h.SO_TYPE, ffi.new("int *"), BAD)


def test_bad_value_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockopt, udp(lo), h.SOL_SOCKET, h.SO_TYPE, BAD, ffi.new("int *", 4))


def test_negative_length_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockopt, udp(lo), h.SOL_SOCKET, h.SO_TYPE, ffi.new("int *"),
          ffi.new("int *", -4))


def test_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, getint, lo, 9, h.SOL_SOCKET, h.SO_TYPE)


def test_svr4_SO_TYPE_is_the_native_number(svr4_sc, lo):
    """The socket type number is not translated back (as NetBSD's SVR4 layer)."""
    s = svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    v, n = ffi.new("int *"), ffi.new("int *", 4)
    svr4_sc.getsockopt(s, s4.SOL_SOCKET, s4.SO_TYPE, v, n)
    assert v[0] == h.SOCK_DGRAM


@pytest.mark.parametrize("sock, want", [(("SOCK_DGRAM", 0), 17), (("SOCK_RAW", 253), 253),
                                        (("SOCK_RAW", h.IPPROTO_ICMP), 1)])
def test_svr4_SO_PROTOTYPE_is_the_protocol(svr4_sc, lo, sock, want):
    s = svr4_sc.socket(s4.AF_INET, getattr(s4, sock[0]), sock[1])
    v, n = ffi.new("int *"), ffi.new("int *", 4)
    svr4_sc.getsockopt(s, s4.SOL_SOCKET, s4.SO_PROTOTYPE, v, n)
    assert v[0] == want


def test_svr4_SO_IMASOCKET_is_true(svr4_sc, lo):
    s = svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    v, n = ffi.new("int *"), ffi.new("int *", 4)
    svr4_sc.getsockopt(s, s4.SOL_SOCKET, s4.SO_IMASOCKET, v, n)
    assert v[0] == 1
