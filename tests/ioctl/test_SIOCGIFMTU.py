"""SIOCGIFMTU (SVR4 only, _IOWR('i', 22)): an interface's MTU in ifr_mtu.

SVR4.0 has no ifr_mtu: the MTU travels in ifr_metric, the union's one
int.  SVR4's IP passed the command to the driver and no driver of the
SVR4.0 tree answered it; netkern answers it as a driver that does.
Natively the number means nothing (4.3 has no settable MTU).
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, ask, fails, getint, s, s4, user_svr4_sc, uvs, vs  # noqa: F401
from kern.headers import native as h


@pytest.mark.parametrize("name, value", [(b"le0", h.ETHERMTU), (b"lo0", h.LOMTU), (b"sl0", h.SLMTU)])
def test_SIOCGIFMTU_svr4_returns_the_driver_MTU(kernel, svr4_sc, vs, name, value):
    """Ethernet 1500, loopback 1536 (Tahoe's LOMTU), serial line 1006 (SLMTU)."""
    assert getint(svr4_sc, vs, "SIOCGIFMTU", name) == value


def test_SIOCGIFMTU_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getint(user_svr4_sc, uvs, "SIOCGIFMTU") == h.ETHERMTU


def test_SIOCGIFMTU_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getint, svr4_sc, vs, "SIOCGIFMTU", b"qe0")


def test_SIOCGIFMTU_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFMTU, BAD)


def test_SIOCGIFMTU_native_process_gets_no_MTU(kernel, sc, s):
    """The SVR4 number is an unknown 'i' command natively: in_control, no address."""
    fails(h.EADDRNOTAVAIL, sc.ioctl, s, s4.SIOCGIFMTU, ask(sc, s, "SIOCGIFFLAGS"))
