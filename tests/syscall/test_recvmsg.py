"""recvmsg(2): scattered iovecs, msg_name, control data, MSG_TRUNC and MSG_CTRUNC."""

import socket

import pytest

from kern import headers
from kern.headers import native as h

from udpkit import BAD, NB, SIN, fails, lo, sendto, setint, sin, udp  # noqa: F401

ffi = h.ffi
s4 = headers.load("svr4")


def msghdr(sizes, namelen=SIN, controllen=0, abi=h):
    f = abi.ffi
    bufs = [f.new("char[]", max(n, 1)) for n in sizes]
    iov = f.new("struct iovec[]", max(len(sizes), 1))
    for v, b, n in zip(iov, bufs, sizes):
        v.iov_base, v.iov_len = b, n
    msg = f.new("struct msghdr *")
    msg.msg_iov, msg.msg_iovlen = iov, len(sizes)
    name = f.new("char[]", 32)
    if namelen:
        msg.msg_name, msg.msg_namelen = name, namelen
    keep = [bufs, iov, name]
    if controllen:
        ctl = f.new("char[]", controllen)
        msg.msg_control, msg.msg_controllen = ctl, controllen
        keep.append(ctl)
    return msg, bufs, keep


def data(bufs, n):
    out = b"".join(ffi.buffer(b)[:] for b in bufs)
    return out[:n]


def test_recvmsg_scatters_one_datagram_over_the_iovecs(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo, 6000), b"abcdefghij", 5000)
    msg, bufs, keep = msghdr([3, 0, 4, 10])
    assert lo.recvmsg(rx, msg, NB) == 10
    assert [ffi.buffer(b, n)[:] for b, n in zip(bufs, (3, 0, 4))] == [b"abc", b"", b"defg"]
    assert ffi.buffer(bufs[3], 3)[:] == b"hij"
    assert msg.msg_namelen == SIN
    sa = ffi.cast("struct sockaddr_in *", msg.msg_name)
    assert socket.ntohs(sa.sin_port) == 6000
    assert msg.msg_flags == NB                     # the flags passed, nothing added


def test_recvmsg_short_buffer_sets_MSG_TRUNC(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"a longer datagram", 5000)
    msg, bufs, keep = msghdr([4])
    assert lo.recvmsg(rx, msg, NB) == 4
    assert msg.msg_flags & h.MSG_TRUNC
    msg2, bufs2, keep2 = msghdr([64])
    fails(h.EWOULDBLOCK, lo.recvmsg, rx, msg2, NB)                  # the rest is gone


def test_recvmsg_MSG_PEEK_with_a_short_buffer_sets_MSG_TRUNC_and_keeps_it(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"0123456789", 5000)
    msg, bufs, keep = msghdr([4])
    assert lo.recvmsg(rx, msg, NB | h.MSG_PEEK) == 4
    assert msg.msg_flags == NB | h.MSG_PEEK | h.MSG_TRUNC
    msg2, bufs2, keep2 = msghdr([64])
    assert lo.recvmsg(rx, msg2, NB) == 10 and not msg2.msg_flags & h.MSG_TRUNC


def test_recvmsg_short_name_buffer(lo):
    rx = udp(lo, 5000)
    sendto(lo, udp(lo), b"x", 5000)
    msg, bufs, keep = msghdr([8], namelen=6)
    lo.recvmsg(rx, msg, NB)
    assert msg.msg_namelen == 6


def test_recvmsg_control_data_and_MSG_CTRUNC(lo):
    rx = udp(lo, 5000)
    setint(lo, rx, h.IPPROTO_IP, h.IP_RECVDSTADDR, 1)
    sendto(lo, udp(lo), b"x", 5000)
    sendto(lo, udp(lo), b"y", 5000)
    msg, bufs, keep = msghdr([8], controllen=64)
    lo.recvmsg(rx, msg, NB)
    assert msg.msg_controllen == 16 and not msg.msg_flags & h.MSG_CTRUNC
    cm = ffi.cast("struct cmsghdr *", msg.msg_control)
    assert (cm.cmsg_level, cm.cmsg_type) == (h.IPPROTO_IP, h.IP_RECVDSTADDR)
    assert ffi.buffer(msg.msg_control, 16)[12:] == socket.inet_aton("127.0.0.1")
    msg, bufs, keep = msghdr([8], controllen=10)
    lo.recvmsg(rx, msg, NB)
    assert msg.msg_controllen == 10 and msg.msg_flags & h.MSG_CTRUNC


def test_recvmsg_UIO_MAXIOV_iovecs_is_EMSGSIZE(lo):
    msg, bufs, keep = msghdr([8])
    msg.msg_iovlen = h.UIO_MAXIOV
    fails(h.EMSGSIZE, lo.recvmsg, udp(lo, 5000), msg, NB)


def test_recvmsg_negative_iov_len_is_EINVAL(lo):
    msg, bufs, keep = msghdr([8])
    msg.msg_iov[0].iov_len = -8
    fails(h.EINVAL, lo.recvmsg, udp(lo, 5000), msg, NB)


def test_recvmsg_bad_msghdr_is_EFAULT(lo):
    fails(h.EFAULT, lo.recvmsg, udp(lo, 5000), BAD, NB)


def test_recvmsg_bad_iovec_array_is_EFAULT(lo):
    msg, bufs, keep = msghdr([8])
    msg.msg_iov = ffi.cast("struct iovec *", BAD)
    fails(h.EFAULT, lo.recvmsg, udp(lo, 5000), msg, NB)


def test_recvmsg_nothing_queued_is_EWOULDBLOCK(lo):
    msg, bufs, keep = msghdr([8])
    fails(h.EWOULDBLOCK, lo.recvmsg, udp(lo, 5000), msg, NB)


def test_recvmsg_MSG_OOB_is_EOPNOTSUPP(lo):
    msg, bufs, keep = msghdr([8])
    fails(h.EOPNOTSUPP, lo.recvmsg, udp(lo, 5000), msg, h.MSG_OOB)


def test_recvmsg_bad_descriptor_is_EBADF(lo):
    msg, bufs, keep = msghdr([8])
    fails(h.EBADF, lo.recvmsg, 9, msg, NB)


# -- the SVR4 personality: 4.3's msghdr --------------------------------------


def test_svr4_recvmsg_writes_the_name_length_and_no_flags(svr4_sc, lo):
    s = svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    svr4_sc.bind(s, sin("127.0.0.1", 5000), SIN)
    sendto(lo, udp(lo, 6000), b"for svr4, long", 5000)
    msg, bufs, keep = msghdr([4], namelen=32, abi=s4)
    rights = s4.ffi.new("int[2]", [7, 7])
    msg.msg_accrights, msg.msg_accrightslen = s4.ffi.cast("caddr_t", rights), 8
    assert svr4_sc.recvmsg(s, msg, 0) == 4
    assert msg.msg_namelen == SIN and msg.msg_accrightslen == 0
    assert s4.ffi.buffer(bufs[0], 4)[:] == b"for "


def test_svr4_recvmsg_16_iovecs_is_EMSGSIZE(svr4_sc, lo):
    s = svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)
    msg, bufs, keep = msghdr([1] * 16, abi=s4)
    fails(s4.EMSGSIZE, svr4_sc.recvmsg, s, msg, 0)
