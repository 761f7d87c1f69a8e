"""SIOCSIFMTU (SVR4 only, _IOW('i', 21)): set the MTU, passed in ifr_mtu (ifr_metric).

From IF_MINMTU (68, RFC 791's smallest datagram every module must pass)
up to what the driver attached with, else EINVAL.  SVR4 let the driver
decide who may do it; netkern keeps 4.3's barrier: root only, checked
where in_control checks privilege (before the name).
"""

from ioctlkit import BAD, KERNEL_CONFIG, fails, getint, s4, setint, user_svr4_sc, uvs, vs  # noqa: F401
from kern.headers import native as h


def test_SIOCSIFMTU_svr4_lowers_the_MTU(kernel, svr4_sc, vs):
    setint(svr4_sc, vs, "SIOCSIFMTU", 576)
    assert getint(svr4_sc, vs, "SIOCGIFMTU") == 576


def test_SIOCSIFMTU_svr4_raises_it_back_to_the_driver_MTU(kernel, svr4_sc, vs):
    setint(svr4_sc, vs, "SIOCSIFMTU", 576)
    setint(svr4_sc, vs, "SIOCSIFMTU", h.ETHERMTU)
    assert getint(svr4_sc, vs, "SIOCGIFMTU") == h.ETHERMTU


def test_SIOCSIFMTU_svr4_accepts_the_minimum(kernel, svr4_sc, vs):
    setint(svr4_sc, vs, "SIOCSIFMTU", h.IF_MINMTU, b"sl0")
    assert getint(svr4_sc, vs, "SIOCGIFMTU", b"sl0") == h.IF_MINMTU


def test_SIOCSIFMTU_svr4_above_the_driver_MTU_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setint, svr4_sc, vs, "SIOCSIFMTU", h.ETHERMTU + 1)
    assert getint(svr4_sc, vs, "SIOCGIFMTU") == h.ETHERMTU


def test_SIOCSIFMTU_svr4_below_the_minimum_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setint, svr4_sc, vs, "SIOCSIFMTU", h.IF_MINMTU - 1)


def test_SIOCSIFMTU_svr4_negative_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setint, svr4_sc, vs, "SIOCSIFMTU", -1500)


def test_SIOCSIFMTU_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setint, user_svr4_sc, uvs, "SIOCSIFMTU", 576)


def test_SIOCSIFMTU_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setint, user_svr4_sc, uvs, "SIOCSIFMTU", 576, b"qe0")


def test_SIOCSIFMTU_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setint, svr4_sc, vs, "SIOCSIFMTU", 576, b"qe0")


def test_SIOCSIFMTU_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFMTU, BAD)
