"""getpeername(2): the connected peer's address (uipc_syscalls.c getpeername, PRU_PEERADDR)."""

from kern.headers import native as h

from udpkit import BAD, SIN, fails, lo, name_of, sin, udp  # noqa: F401

ffi = h.ffi


def test_getpeername_of_a_connected_socket(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    assert name_of(lo, s, peer=True) == ("127.0.0.1", 7)


def test_getpeername_unconnected_is_ENOTCONN(lo):
    fails(h.ENOTCONN, lo.getpeername, udp(lo, 5000), ffi.new("char[16]"),
          ffi.new("int *", SIN))


def test_getpeername_after_sendto_is_ENOTCONN(lo):
    """sendto's connection lasts for its one datagram."""
    s = udp(lo)
    lo.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("127.0.0.1", 9), SIN)
    fails(h.ENOTCONN, name_of, lo, s, True)


def test_getpeername_is_ENOTCONN_before_it_reads_the_length(lo):
    """Tahoe checks the connection first: a bad length pointer does not matter then."""
    fails(h.ENOTCONN, lo.getpeername, udp(lo), ffi.new("char[16]"), BAD)


def test_getpeername_bad_length_pointer_is_EFAULT(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    fails(h.EFAULT, lo.getpeername, s, ffi.new("char[16]"), BAD)


def test_getpeername_bad_buffer_is_EFAULT(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    fails(h.EFAULT, lo.getpeername, s, BAD, ffi.new("int *", SIN))


def test_getpeername_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.getpeername, 9, ffi.new("char[16]"), ffi.new("int *", SIN))
