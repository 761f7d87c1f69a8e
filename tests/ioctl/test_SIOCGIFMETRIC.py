"""SIOCGIFMETRIC: an interface's routing metric (ioctl reference, section 3.2).

Answered by ifioctl from if_metric, for anyone; native number 23, SVR4
number 27 (the clash table of section 2.2).
"""

from ioctlkit import (BAD, KERNEL_CONFIG, fails, getint, s, s4, setint, us,  # noqa: F401
                      user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCGIFMETRIC_is_zero_after_attach(kernel, sc, s):
    assert getint(sc, s, "SIOCGIFMETRIC") == 0


def test_SIOCGIFMETRIC_reads_what_SIOCSIFMETRIC_set(kernel, sc, s):
    setint(sc, s, "SIOCSIFMETRIC", 3)
    assert getint(sc, s, "SIOCGIFMETRIC") == 3


def test_SIOCGIFMETRIC_needs_no_privilege(kernel, user_sc, us):
    assert getint(user_sc, us, "SIOCGIFMETRIC", b"lo0") == 0


def test_SIOCGIFMETRIC_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, getint, sc, s, "SIOCGIFMETRIC", b"qe0")


def test_SIOCGIFMETRIC_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFMETRIC, BAD)


def test_SIOCGIFMETRIC_native_number_is_23_svr4_number_27(kernel):
    assert h.SIOCGIFMETRIC & 0xFF == 23 and s4.SIOCGIFMETRIC & 0xFF == 27


def test_SIOCGIFMETRIC_svr4_reads_the_metric(kernel, sc, s, svr4_sc, vs):
    setint(sc, s, "SIOCSIFMETRIC", 7, b"sl0")
    assert getint(svr4_sc, vs, "SIOCGIFMETRIC", b"sl0") == 7


def test_SIOCGIFMETRIC_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getint(user_svr4_sc, uvs, "SIOCGIFMETRIC") == 0


def test_SIOCGIFMETRIC_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getint, svr4_sc, vs, "SIOCGIFMETRIC", b"qe0")


def test_SIOCGIFMETRIC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFMETRIC, BAD)
