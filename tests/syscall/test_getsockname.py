"""getsockname(2): the local address (uipc_syscalls.c getsockname, PRU_SOCKADDR)."""

import socket

from kern.headers import native as h

from udpkit import BAD, SIN, fails, lo, name_of, sin, udp  # noqa: F401

ffi = h.ffi


def test_getsockname_of_a_new_socket_is_the_wildcard_and_port_0(lo):
    assert name_of(lo, udp(lo)) == ("0.0.0.0", 0)


def test_getsockname_after_bind(lo):
    assert name_of(lo, udp(lo, 5000, "127.0.0.1")) == ("127.0.0.1", 5000)


def test_getsockname_gives_a_whole_sockaddr_in(lo):
    s = udp(lo, 5000)
    a, n = ffi.new("char[32]", b"\xff" * 32), ffi.new("int *", 32)
    lo.getsockname(s, a, n)
    assert n[0] == SIN
    sa = ffi.cast("struct sockaddr_in *", a)
    assert sa.sin_family == h.AF_INET and ffi.buffer(sa.sin_zero)[:] == bytes(8)
    assert ffi.buffer(a, 32)[SIN:] == b"\xff" * 16


def test_getsockname_short_buffer_gets_a_truncated_address(lo):
    s = udp(lo, 5000)
    a, n = ffi.new("char[16]"), ffi.new("int *", 4)
    lo.getsockname(s, a, n)
    assert n[0] == 4 and ffi.buffer(a, 4)[2:4] == socket.htons(5000).to_bytes(2, "little")


def test_getsockname_zero_length_copies_nothing(lo):
    s = udp(lo, 5000)
    a, n = ffi.new("char[16]", b"\xee" * 16), ffi.new("int *", 0)
    lo.getsockname(s, a, n)
    assert n[0] == 0 and ffi.buffer(a)[:] == b"\xee" * 16


def test_getsockname_negative_length_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockname, udp(lo), ffi.new("char[16]"), ffi.new("int *", -1))


def test_getsockname_bad_length_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockname, udp(lo), ffi.new("char[16]"), BAD)


def test_getsockname_bad_buffer_is_EFAULT(lo):
    fails(h.EFAULT, lo.getsockname, udp(lo), BAD, ffi.new("int *", SIN))


def test_getsockname_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.getsockname, 9, ffi.new("char[16]"), ffi.new("int *", SIN))


def test_getsockname_of_a_raw_socket_has_port_0(lo):
    s = lo.socket(h.AF_INET, h.SOCK_RAW, 253)
    lo.bind(s, sin("127.0.0.1"), SIN)
    assert name_of(lo, s) == ("127.0.0.1", 0)
