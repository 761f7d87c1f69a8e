"""recv(2): recvfrom without the sender's address."""

import pytest

from kern.headers import native as h
from kern.syscalls import SysError

from tests.conftest import configure, in_addr

ffi = h.ffi


def test_recv_returns_the_datagram(sc):
    configure(sc, b"lo0", "127.0.0.1")
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    to = ffi.new("struct sockaddr_in *")
    to.sin_family = h.AF_INET
    to.sin_addr.s_addr = in_addr("127.0.0.1")
    sc.sendto(s, ffi.new("char[]", b"abc"), 3, 0, to, 16)
    buf = ffi.new("char[]", 64)
    assert sc.recv(s, buf, 64, h.MSG_DONTWAIT) == 23 and ffi.buffer(buf, 23)[20:] == b"abc"


def test_recv_on_a_closed_descriptor_is_EBADF(sc):
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    sc.close(s)
    with pytest.raises(SysError) as e:
        sc.recv(s, ffi.new("char[]", 8), 8)
    assert e.value.errno == h.EBADF
