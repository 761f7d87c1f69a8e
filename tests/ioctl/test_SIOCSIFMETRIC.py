"""SIOCSIFMETRIC: set an interface's routing metric (ioctl reference, section 3.5).

if_metric is simply stored (any int, negative too), by root only;
natively the name is checked first (ENXIO), under SVR4 privilege first
(EPERM) and then the name (EINVAL).
"""

from ioctlkit import (BAD, KERNEL_CONFIG, ask, fails, req, s, s4, us, uvs,  # noqa: F401
                      user_svr4_sc, vs)
from kern.headers import native as h


def setmetric(sc, s, value: int, name=b"le0"):
    r = req(sc, name)
    r.ifr_ifru.ifru_metric = value
    ask(sc, s, "SIOCSIFMETRIC", r=r)


def metric(sc, s, name=b"le0") -> int:
    return ask(sc, s, "SIOCGIFMETRIC", name).ifr_ifru.ifru_metric


def test_SIOCSIFMETRIC_stores_the_metric(kernel, sc, s):
    setmetric(sc, s, 5)
    assert metric(sc, s) == 5


def test_SIOCSIFMETRIC_stores_a_negative_metric(kernel, sc, s):
    """No range check: the metric is for routed, not for the kernel."""
    setmetric(sc, s, -2)
    assert metric(sc, s) == -2


def test_SIOCSIFMETRIC_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setmetric, user_sc, us, 1)


def test_SIOCSIFMETRIC_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setmetric, user_sc, us, 1, b"qe0")


def test_SIOCSIFMETRIC_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFMETRIC, BAD)


def test_SIOCSIFMETRIC_svr4_stores_the_metric(kernel, sc, s, svr4_sc, vs):
    setmetric(svr4_sc, vs, 9, b"lo0")
    assert metric(sc, s, b"lo0") == 9


def test_SIOCSIFMETRIC_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setmetric, user_svr4_sc, uvs, 1)


def test_SIOCSIFMETRIC_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setmetric, user_svr4_sc, uvs, 1, b"qe0")


def test_SIOCSIFMETRIC_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setmetric, svr4_sc, vs, 1, b"qe0")


def test_SIOCSIFMETRIC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFMETRIC, BAD)
