"""SIOCSPROMISC (SVR4 only, _IOW('i', 48, int)): promiscuous receive on or off.

The argument is an int, and SVR4's IP read its argument block as an
ifreq to find the interface: through a socket the name is the int's own
bytes (netkern reads the bytes past the int as zero), so an ordinary
value names nothing (EINVAL), and only an int spelling a short name
finds one.  On SVR4 the command was meant for the driver's own stream.
Root only in netkern (SVR4 left it to the driver's device node).
"""

from ioctlkit import BAD, KERNEL_CONFIG, fails, flags, s, s4, user_svr4_sc, uvs, vs  # noqa: F401
from kern.headers import native as h

ffi = h.ffi


def promisc(sc, s, value: int):
    sc.ioctl(s, s4.SIOCSPROMISC, ffi.new("int *", value))


def test_SIOCSPROMISC_svr4_argument_is_an_int(kernel):
    assert s4.IOCPARM_LEN(s4.SIOCSPROMISC) == ffi.sizeof("int")


def test_SIOCSPROMISC_svr4_ordinary_value_names_no_interface_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, promisc, svr4_sc, vs, 1)


def test_SIOCSPROMISC_svr4_zero_names_no_interface_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, promisc, svr4_sc, vs, 0)


def test_SIOCSPROMISC_svr4_int_spelling_lo0_turns_promiscuous_on(kernel, sc, s, svr4_sc, vs):
    promisc(svr4_sc, vs, int.from_bytes(b"lo0\0", "little"))
    assert flags(sc, s, b"lo0") == h.IFF_LOOPBACK | h.IFF_PROMISC


def test_SIOCSPROMISC_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, promisc, user_svr4_sc, uvs, 1)


def test_SIOCSPROMISC_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSPROMISC, BAD)
