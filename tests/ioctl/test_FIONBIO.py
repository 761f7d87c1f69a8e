"""FIONBIO: non-blocking I/O on or off (ioctl reference, section 2.3).

The generic ioctl sets or clears FNDELAY in the file's flags (fset) and
tells the socket (SS_NBIO); nothing is copied back.  SVR4: the stream
head accepts it and the system call sets FNDELAY the same way.
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_FIONBIO_on_sets_FNDELAY(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    sc.ioctl(fd, h.FIONBIO, ffi.new("int *", 1))
    assert sc.fcntl(fd, h.F_GETFL) & h.FNDELAY


@pytest.mark.parametrize("proc, sock", [("sc", "s"), ("svr4_sc", "vs")])
def test_FIONBIO_off_clears_FNDELAY(kernel, request, proc, sock):
    sc, fd = request.getfixturevalue(proc), request.getfixturevalue(sock)
    sc.ioctl(fd, h.FIONBIO, ffi.new("int *", 1))
    sc.ioctl(fd, h.FIONBIO, ffi.new("int *", 0))
    assert not sc.fcntl(fd, h.F_GETFL) & h.FNDELAY


def test_FIONBIO_needs_no_privilege(kernel, user_sc):
    fd = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    user_sc.ioctl(fd, h.FIONBIO, ffi.new("int *", 1))
    assert user_sc.fcntl(fd, h.F_GETFL) & h.FNDELAY


def test_FIONBIO_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.FIONBIO, BAD)


def test_FIONBIO_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.FIONBIO, BAD)


def test_FIONBIO_closed_descriptor_is_EBADF(kernel, sc, s):
    sc.close(s)
    fails(h.EBADF, sc.ioctl, s, h.FIONBIO, ffi.new("int *", 1))
