"""FIOASYNC: SIGIO on I/O, on or off (ioctl reference, section 2.3).

The generic ioctl sets or clears FASYNC in the file's flags and tells
the socket (SS_ASYNC).  Under SVR4 libsocket switched the stream's
S_RDNORM|S_WRNORM signals; the effect a program sees is the same flag.
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_FIOASYNC_on_sets_FASYNC(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    sc.ioctl(fd, h.FIOASYNC, ffi.new("int *", 1))
    assert sc.fcntl(fd, h.F_GETFL) & h.FASYNC


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_FIOASYNC_off_clears_FASYNC(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    sc.ioctl(fd, h.FIOASYNC, ffi.new("int *", 7))
    sc.ioctl(fd, h.FIOASYNC, ffi.new("int *", 0))
    assert not sc.fcntl(fd, h.F_GETFL) & h.FASYNC


def test_FIOASYNC_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.FIOASYNC, BAD)


def test_FIOASYNC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.FIOASYNC, BAD)
