"""SIOCATMARK: is the read pointer at the out-of-band mark? (ioctl reference, section 2.3)

1 when SS_RCVATMARK is set, else 0; SVR4's libsocket asked I_ATMARK,
with the same answer.  Datagram sockets have no urgent data: 0.
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_SIOCATMARK_datagram_socket_is_not_at_the_mark(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    v = ffi.new("int *", -1)
    sc.ioctl(fd, h.SIOCATMARK, v)
    assert v[0] == 0


def test_SIOCATMARK_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCATMARK, BAD)


def test_SIOCATMARK_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCATMARK, BAD)
