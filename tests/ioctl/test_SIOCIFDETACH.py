"""SIOCIFDETACH (SVR4 only, _IOW('i', 56)): drop every route through an interface.

SVR4 in.c in_control and route.c rtdetach: each route whose interface
is this one is deleted; the interface keeps its name, address and
flags and stays in SIOCGIFCONF; in_interfaces goes down by one unless
it is the loopback.  Root only (SVR4's list).
"""

from ioctlkit import (BAD, KERNEL_CONFIG, ask, configure, fails, flags, getaddr, in_interfaces,  # noqa: F401
                      kernel_routes, s, s4, user_svr4_sc, uvs, vs)
from kern.headers import native as h


def detach(sc, s, name=b"le0"):
    ask(sc, s, "SIOCIFDETACH", name)


def test_SIOCIFDETACH_svr4_deletes_the_routes_through_the_interface(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    configure(sc, b"lo0", "127.0.0.1")
    detach(svr4_sc, vs)
    assert kernel_routes(kernel) == [("127.0.0.1", "127.0.0.1", h.RTF_UP | h.RTF_HOST, "lo0")]


def test_SIOCIFDETACH_svr4_keeps_address_and_flags(kernel, sc, s, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    detach(svr4_sc, vs)
    assert getaddr(sc, s, "SIOCGIFADDR") == (h.AF_INET, "10.0.0.1")
    assert flags(sc, s) == h.IFF_UP | h.IFF_BROADCAST | h.IFF_RUNNING


def test_SIOCIFDETACH_svr4_counts_one_interface_less(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1")
    detach(svr4_sc, vs)
    assert in_interfaces(kernel) == 0


def test_SIOCIFDETACH_svr4_of_the_loopback_counts_nothing_less(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1")
    configure(sc, b"lo0", "127.0.0.1")
    detach(svr4_sc, vs, b"lo0")
    assert in_interfaces(kernel) == 1
    assert kernel_routes(kernel) == [("10.0.0.0", "10.0.0.1", h.RTF_UP, "le0")]


def test_SIOCIFDETACH_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, detach, user_svr4_sc, uvs)


def test_SIOCIFDETACH_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, detach, svr4_sc, vs, b"qe0")


def test_SIOCIFDETACH_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCIFDETACH, BAD)
