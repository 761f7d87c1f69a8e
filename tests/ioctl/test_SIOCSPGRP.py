"""SIOCSPGRP (and FIOSETOWN): who gets SIGIO for a socket (ioctl reference, section 2.3).

4.3's soo_ioctl stores any int in so_pgrp, unchecked.  SVR4's libsocket
accepted only the caller's own pid or the negated process group and
said EINVAL otherwise: an SVR4 process cannot aim SIGIO at another.
"""

from ioctlkit import BAD, KERNEL_CONFIG, fails, s, s4, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


def setown(sc, fd, value: int, cmd=h.SIOCSPGRP):
    sc.ioctl(fd, cmd, ffi.new("int *", value))


def getown(sc, fd, cmd=h.SIOCGPGRP) -> int:
    v = ffi.new("int *", -1)
    sc.ioctl(fd, cmd, v)
    return v[0]


def test_SIOCSPGRP_stores_any_value(kernel, sc, s):
    """Unchecked in 4.3: another process's id is taken as it is."""
    setown(sc, s, 12345)
    assert getown(sc, s) == 12345


def test_SIOCSPGRP_stores_a_negated_process_group(kernel, sc, s):
    setown(sc, s, -77)
    assert getown(sc, s) == -77


def test_SIOCSPGRP_needs_no_privilege(kernel, user_sc):
    fd = user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    setown(user_sc, fd, user_sc.getpid())
    assert getown(user_sc, fd) == user_sc.getpid()


def test_SIOCSPGRP_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSPGRP, BAD)


def test_SIOCSPGRP_svr4_own_pid_is_accepted(kernel, svr4_sc, vs):
    setown(svr4_sc, vs, svr4_sc.getpid())
    assert getown(svr4_sc, vs) == svr4_sc.getpid()


def test_SIOCSPGRP_svr4_own_negated_process_group_is_accepted(kernel, svr4_sc, vs):
    """The process group of a new process is its pid (kern_proc newproc)."""
    setown(svr4_sc, vs, -svr4_sc.getpid())
    assert getown(svr4_sc, vs) == svr4_sc.getpid()


def test_SIOCSPGRP_svr4_another_process_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setown, svr4_sc, vs, svr4_sc.getpid() + 1)


def test_SIOCSPGRP_svr4_FIOSETOWN_has_the_same_rule(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setown, svr4_sc, vs, 1, s4.FIOSETOWN)
    setown(svr4_sc, vs, svr4_sc.getpid(), s4.FIOSETOWN)
    assert getown(svr4_sc, vs, s4.FIOGETOWN) == svr4_sc.getpid()


def test_SIOCSPGRP_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSPGRP, BAD)
