"""FIONREAD: bytes waiting to be read (ioctl reference, section 2.3).

4.3's soo_ioctl answers so_rcv.sb_cc (for datagrams, data plus the
16-byte source address of each); SVR4's stream head answers the data
bytes of the first message only.  netkern answers sb_cc in both
personalities (man/man4/udp.4, BUGS).
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_FIONREAD_empty_socket_is_zero(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    n = ffi.new("int *", -1)
    sc.ioctl(fd, h.FIONREAD, n)
    assert n[0] == 0


def test_FIONREAD_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.FIONREAD, BAD)


def test_FIONREAD_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.FIONREAD, BAD)


def test_FIONREAD_svr4_closed_descriptor_is_EBADF(kernel, svr4_sc, vs):
    svr4_sc.close(vs)
    fails(s4.EBADF, svr4_sc.ioctl, vs, s4.FIONREAD, ffi.new("int *"))


def test_FIONREAD_counts_each_queued_datagram_with_its_address(kernel, sc):
    """sbappendaddr charges the sender's 16-byte sockaddr_in to sb_cc beside the data."""
    from tests.conftest import configure
    configure(sc, b"lo0", "127.0.0.1")
    to = ffi.new("struct sockaddr_in *")
    to.sin_family, to.sin_port = h.AF_INET, 0x8813           # port 5000
    to.sin_addr.s_addr = 0x0100007F
    rx = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    sc.bind(rx, to, 16)
    tx = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    for data in (b"abc", b"defgh"):
        sc.sendto(tx, ffi.new("char[]", data), len(data), 0, to, 16)
    n = ffi.new("int *")
    sc.ioctl(rx, h.FIONREAD, n)
    assert n[0] == 3 + 5 + 2 * 16
