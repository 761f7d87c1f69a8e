"""SIOCSIFNETMASK: set the subnet mask (ioctl reference, section 3.4).

Native number 22, SVR4 number 26.  Only ia_subnetmask is set; subnet,
broadcast and route follow at the next SIOCSIFADDR, which is why
ifconfig sends the mask first.  Like SIOCSIFADDR it needs root and
creates the in_ifaddr of an interface that has none.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, in_interfaces, s, s4,  # noqa: F401
                      setaddr, us, user_svr4_sc, uvs, vs)
from kern.headers import native as h


def test_SIOCSIFNETMASK_sets_the_mask_at_once(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFNETMASK", b"le0", "255.255.0.0")
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, "255.255.0.0")


def test_SIOCSIFNETMASK_changes_the_broadcast_only_at_the_next_SIOCSIFADDR(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    setaddr(sc, s, "SIOCSIFNETMASK", b"le0", "255.255.0.0")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")
    setaddr(sc, s, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.255.255")


def test_SIOCSIFNETMASK_on_an_interface_without_address_makes_an_empty_one(kernel, sc, s):
    setaddr(sc, s, "SIOCSIFNETMASK", b"le0", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_INET, "0.0.0.0")
    assert in_interfaces(kernel) == 1


def test_SIOCSIFNETMASK_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setaddr, user_sc, us, "SIOCSIFNETMASK", b"le0", "255.255.255.0")


def test_SIOCSIFNETMASK_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, setaddr, user_sc, us, "SIOCSIFNETMASK", b"qe0", "255.255.255.0")


def test_SIOCSIFNETMASK_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFNETMASK, BAD)


def test_SIOCSIFNETMASK_svr4_sets_the_mask(kernel, sc, s, svr4_sc, vs):
    setaddr(svr4_sc, vs, "SIOCSIFNETMASK", b"le0", "255.255.255.0")
    setaddr(svr4_sc, vs, "SIOCSIFADDR", b"le0", "10.0.0.1")
    assert getaddr(sc, s, "SIOCGIFBRDADDR") == (h.AF_INET, "10.0.0.255")


def test_SIOCSIFNETMASK_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setaddr, user_svr4_sc, uvs, "SIOCSIFNETMASK", b"le0", "255.255.255.0")


def test_SIOCSIFNETMASK_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setaddr, svr4_sc, vs, "SIOCSIFNETMASK", b"qe0", "255.255.255.0")


def test_SIOCSIFNETMASK_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFNETMASK, BAD)
