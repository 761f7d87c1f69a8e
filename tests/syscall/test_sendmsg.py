"""sendmsg(2): gathered iovecs, msg_name and msg_control (4.3BSD-Reno msghdr; SVR4's 4.3 form)."""

import pytest

from kern import headers
from kern.headers import native as h

from udpkit import BAD, SIN, fails, lo, recv, sin, udp  # noqa: F401

ffi = h.ffi
s4 = headers.load("svr4")


def msghdr(pieces, name=None, control=None, abi=h):
    """A struct msghdr over the given byte strings (kept alive in .keep)."""
    f = abi.ffi
    bufs = [f.from_buffer(bytearray(p)) for p in pieces]
    iov = f.new("struct iovec[]", max(len(pieces), 1))
    for v, b, p in zip(iov, bufs, pieces):
        v.iov_base, v.iov_len = f.cast("caddr_t", b), len(p)
    msg = f.new("struct msghdr *")
    msg.msg_iov, msg.msg_iovlen = iov, len(pieces)
    keep = [bufs, iov]
    if name is not None:
        msg.msg_name, msg.msg_namelen = f.cast("caddr_t", name), SIN
        keep.append(name)
    if control is not None:
        c = f.from_buffer(bytearray(control))
        if abi is h:
            msg.msg_control, msg.msg_controllen = f.cast("caddr_t", c), len(control)
        else:
            msg.msg_accrights, msg.msg_accrightslen = f.cast("caddr_t", c), len(control)
        keep.append(c)
    return msg, keep


def test_sendmsg_gathers_the_iovecs_into_one_datagram(lo):
    rx = udp(lo, 5000)
    msg, keep = msghdr([b"one ", b"", b"two ", b"three"], sin("127.0.0.1", 5000))
    assert lo.sendmsg(udp(lo), msg, 0) == 13
    assert recv(lo, rx)[0] == b"one two three"


def test_sendmsg_without_a_name_on_a_connected_socket(lo):
    rx = udp(lo, 5000)
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 5000), SIN)
    msg, keep = msghdr([b"conn"])
    assert lo.sendmsg(s, msg, 0) == 4
    assert recv(lo, rx)[0] == b"conn"


def test_sendmsg_without_a_name_unconnected_is_EDESTADDRREQ(lo):
    msg, keep = msghdr([b"x"])
    fails(h.EDESTADDRREQ, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_UIO_MAXIOV_iovecs_is_EMSGSIZE(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000))
    msg.msg_iovlen = h.UIO_MAXIOV
    fails(h.EMSGSIZE, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_negative_iov_len_is_EINVAL(lo):
    msg, keep = msghdr([b"abc"], sin("127.0.0.1", 5000))
    msg.msg_iov[0].iov_len = -1
    fails(h.EINVAL, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_total_beyond_an_int_is_EINVAL(lo):
    msg, keep = msghdr([b"a", b"b"], sin("127.0.0.1", 5000))
    msg.msg_iov[0].iov_len = msg.msg_iov[1].iov_len = 0x7FFFFFFF
    fails(h.EINVAL, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_control_data_on_udp_is_EINVAL(lo):
    cm = bytes(ffi.buffer(ffi.new("struct cmsghdr *", [12, 0, 1])))
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000), control=cm)
    fails(h.EINVAL, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_control_shorter_than_a_cmsghdr_is_EINVAL(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000), control=b"abc")
    fails(h.EINVAL, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_name_longer_than_an_mbuf_is_EINVAL(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000))
    msg.msg_namelen = h.MLEN + 1
    fails(h.EINVAL, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_bad_msghdr_is_EFAULT(lo):
    fails(h.EFAULT, lo.sendmsg, udp(lo), BAD, 0)


def test_sendmsg_bad_iovec_array_is_EFAULT(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000))
    msg.msg_iov = ffi.cast("struct iovec *", BAD)
    fails(h.EFAULT, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_bad_buffer_is_EFAULT(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000))
    msg.msg_iov[0].iov_base = ffi.cast("caddr_t", BAD)
    fails(h.EFAULT, lo.sendmsg, udp(lo), msg, 0)


def test_sendmsg_bad_descriptor_is_EBADF(lo):
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000))
    fails(h.EBADF, lo.sendmsg, 9, msg, 0)


# -- the SVR4 personality: 4.3's msghdr --------------------------------------


@pytest.fixture
def v4(svr4_sc, lo):
    return svr4_sc


def test_svr4_sendmsg_takes_the_43_form(v4, lo):
    rx = udp(lo, 5000)
    s = v4.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    msg, keep = msghdr([b"svr", b"4"], sin("127.0.0.1", 5000), abi=s4)
    assert v4.sendmsg(s, msg, 0) == 4
    assert recv(lo, rx)[0] == b"svr4"


def test_svr4_sendmsg_access_rights_on_udp_are_EINVAL(v4, lo):
    s = v4.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    msg, keep = msghdr([b"x"], sin("127.0.0.1", 5000), control=b"\0\0\0\3", abi=s4)
    fails(s4.EINVAL, v4.sendmsg, s, msg, 0)


def test_svr4_sendmsg_MSG_MAXIOVLEN_iovecs_is_EMSGSIZE(v4, lo):
    """4.3 refuses an array as long as its own (MSG_MAXIOVLEN, 16): at most 15."""
    s = v4.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    rx = udp(lo, 5000)
    msg, keep = msghdr([b"x"] * 16, sin("127.0.0.1", 5000), abi=s4)
    fails(s4.EMSGSIZE, v4.sendmsg, s, msg, 0)
    msg.msg_iovlen = 15
    assert v4.sendmsg(s, msg, 0) == 15
    assert recv(lo, rx)[0] == b"x" * 15
