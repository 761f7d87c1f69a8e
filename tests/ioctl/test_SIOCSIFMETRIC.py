"""SIOCSIFMETRIC: set an interface's routing metric (ioctl reference, section 3.5).

if_metric is simply stored (any int, negative too), by root only;
natively the name is checked first (ENXIO), under SVR4 privilege first
(EPERM) and then the name (EINVAL).
"""

from ioctlkit import (BAD, KERNEL_CONFIG, fails, getint, s, s4, setint, us,  # noqa: F401
                      user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCSIFMETRIC_stores_the_metric(kernel, sc, s):
    setint(sc, s, "SIOCSIFMETRIC", 5)
    assert getint(sc, s, "SIOCGIFMETRIC") == 5


def test_SIOCSIFMETRIC_stores_a_negative_metric(kernel, sc, s):
    """No range check: the metric is for routed, not for the kernel."""
    setint(sc, s, "SIOCSIFMETRIC", -2)
    assert getint(sc, s, "SIOCGIFMETRIC") == -2


def test_SIOCSIFMETRIC_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setint, user_sc, us, "SIOCSIFMETRIC", 1)


def test_SIOCSIFMETRIC_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setint, user_sc, us, "SIOCSIFMETRIC", 1, b"qe0")


def test_SIOCSIFMETRIC_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFMETRIC, BAD)


def test_SIOCSIFMETRIC_svr4_stores_the_metric(kernel, sc, s, svr4_sc, vs):
    setint(svr4_sc, vs, "SIOCSIFMETRIC", 9, b"lo0")
    assert getint(sc, s, "SIOCGIFMETRIC", b"lo0") == 9


def test_SIOCSIFMETRIC_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setint, user_svr4_sc, uvs, "SIOCSIFMETRIC", 1)


def test_SIOCSIFMETRIC_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setint, user_svr4_sc, uvs, "SIOCSIFMETRIC", 1, b"qe0")


def test_SIOCSIFMETRIC_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setint, svr4_sc, vs, "SIOCSIFMETRIC", 1, b"qe0")


def test_SIOCSIFMETRIC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFMETRIC, BAD)
