"""SIOCGIFMETRIC: an interface's routing metric (ioctl reference, section 3.2).

Answered by ifioctl from if_metric, for anyone; native number 23, SVR4
number 27 (the clash table of section 2.2).
"""

from ioctlkit import (BAD, KERNEL_CONFIG, ask, fails, s, s4, us, uvs, user_svr4_sc, vs)  # noqa: F401
from kern.headers import native as h


def metric(sc, s, name=b"le0") -> int:
    return ask(sc, s, "SIOCGIFMETRIC", name).ifr_ifru.ifru_metric


def test_SIOCGIFMETRIC_is_zero_after_attach(kernel, sc, s):
    assert metric(sc, s) == 0


def test_SIOCGIFMETRIC_reads_what_SIOCSIFMETRIC_set(kernel, sc, s):
    r = ask(sc, s, "SIOCGIFMETRIC")
    r.ifr_ifru.ifru_metric = 3
    sc.ioctl(s, h.SIOCSIFMETRIC, r)
    assert metric(sc, s) == 3


def test_SIOCGIFMETRIC_needs_no_privilege(kernel, user_sc, us):
    assert metric(user_sc, us, b"lo0") == 0


def test_SIOCGIFMETRIC_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, metric, sc, s, b"qe0")


def test_SIOCGIFMETRIC_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFMETRIC, BAD)


def test_SIOCGIFMETRIC_native_number_is_23_svr4_number_27(kernel):
    assert h.SIOCGIFMETRIC & 0xFF == 23 and s4.SIOCGIFMETRIC & 0xFF == 27


def test_SIOCGIFMETRIC_svr4_reads_the_metric(kernel, sc, s, svr4_sc, vs):
    r = ask(sc, s, "SIOCGIFMETRIC", b"sl0")
    r.ifr_ifru.ifru_metric = 7
    sc.ioctl(s, h.SIOCSIFMETRIC, r)
    assert metric(svr4_sc, vs, b"sl0") == 7


def test_SIOCGIFMETRIC_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert metric(user_svr4_sc, uvs) == 0


def test_SIOCGIFMETRIC_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, metric, svr4_sc, vs, b"qe0")


def test_SIOCGIFMETRIC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFMETRIC, BAD)
