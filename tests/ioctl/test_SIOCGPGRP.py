"""SIOCGPGRP: who gets SIGIO for a socket (ioctl reference, section 2.3).

4.3 answers so_pgrp as stored.  SVR4's libsocket asked the stream
whether signals were registered and answered the caller's own pid if so,
0 if not, whatever had been set.
"""

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


def getown(sc, fd) -> int:
    v = ffi.new("int *", -1)
    sc.ioctl(fd, h.SIOCGPGRP, v)
    return v[0]


def test_SIOCGPGRP_new_socket_is_zero(kernel, sc, s):
    assert getown(sc, s) == 0


def test_SIOCGPGRP_returns_what_was_stored(kernel, sc, s):
    sc.ioctl(s, h.SIOCSPGRP, ffi.new("int *", -5))
    assert getown(sc, s) == -5


def test_SIOCGPGRP_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGPGRP, BAD)


def test_SIOCGPGRP_svr4_new_socket_is_zero(kernel, svr4_sc, vs):
    assert getown(svr4_sc, vs) == 0


def test_SIOCGPGRP_svr4_answers_the_callers_pid_not_the_group_set(kernel, svr4_sc, vs):
    svr4_sc.ioctl(vs, s4.SIOCSPGRP, ffi.new("int *", -svr4_sc.getpid()))
    assert getown(svr4_sc, vs) == svr4_sc.getpid()


def test_SIOCGPGRP_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGPGRP, BAD)
