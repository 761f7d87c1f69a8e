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
