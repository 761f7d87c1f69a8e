"""The ioctl system call itself: descriptors, argument sizes, unknown commands.

What every socket ioctl meets before (or instead of) its own handler
(4.3BSD-Tahoe sys_generic.c ioctl, sys_socket.c soo_ioctl, if.c ifioctl,
in.c in_control, raw_usrreq.c; ioctl reference, sections 2.3, 3.0 and
3.8).  Two facts the sources settle against the issue's wording: an
unknown command on a socket is never ENOTTY (that is the answer for a
non-socket file); on a UDP socket it reaches in_control, which without
an interface address says EADDRNOTAVAIL, and a raw socket says
EOPNOTSUPP.
"""

import pytest

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, req, s, s4, user_svr4_sc, uvs,  # noqa: F401
                      vs)
from kern.headers import native as h

ffi = h.ffi
IFREQ = ffi.sizeof("struct ifreq")
UNKNOWN_I = h._IOC(h.IOC_INOUT, ord("i"), 99, IFREQ)     # no such 'i' command
UNKNOWN_Z = h._IOC(h.IOC_VOID, ord("z"), 1, 0)             # no such group


def raw(sc):
    return sc.socket(h.AF_INET, h.SOCK_RAW, 0)


# -- descriptors

@pytest.mark.parametrize("proc", ["sc", "svr4_sc"])
def test_ioctl_on_a_descriptor_never_opened_is_EBADF(kernel, request, proc):
    sc = request.getfixturevalue(proc)
    fails(h.EBADF, sc.ioctl, 40, h.SIOCGIFFLAGS, req(sc, b"lo0"))


@pytest.mark.parametrize("proc", ["sc", "svr4_sc"])
def test_ioctl_on_a_negative_descriptor_is_EBADF(kernel, request, proc):
    sc = request.getfixturevalue(proc)
    fails(h.EBADF, sc.ioctl, -1, h.SIOCGIFFLAGS, req(sc, b"lo0"))


def test_ioctl_on_a_closed_descriptor_is_EBADF(kernel, sc, s):
    sc.close(s)
    fails(h.EBADF, sc.ioctl, s, h.SIOCGIFFLAGS, req(sc, b"lo0"))


# -- the argument

def test_ioctl_argument_at_a_bad_address_is_EFAULT(kernel, sc, s):
    """IOC_IN data are copied in first: an unmapped argument is EFAULT."""
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFFLAGS, BAD)


def test_ioctl_null_argument_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFFLAGS, 0)


def test_ioctl_size_over_IOCPARM_MAX_is_EFAULT(kernel, sc, s):
    """Tahoe refuses a 13-bit size over IOCPARM_MAX with EFAULT, before anything else."""
    cmd = h._IOC(h.IOC_INOUT, ord("i"), 17, h.IOCPARM_MAX + 1)
    fails(h.EFAULT, sc.ioctl, s, cmd, ffi.new("char[]", h.IOCPARM_MAX + 1))


def test_ioctl_size_of_IOCPARM_MAX_is_copied_in(kernel, sc, s):
    """At the limit the argument is accepted; the command is then an unknown 'i' one."""
    cmd = h._IOC(h.IOC_INOUT, ord("i"), 17, h.IOCPARM_MAX)
    buf = ffi.new("char[]", h.IOCPARM_MAX)
    ffi.memmove(buf, b"le0", 3)
    fails(h.EADDRNOTAVAIL, sc.ioctl, s, cmd, buf)


def test_ioctl_svr4_size_field_over_8_bits_is_EINVAL(kernel, svr4_sc, vs):
    """SVR4's in_control: the 13-bit size must equal the 8-bit length, else EINVAL."""
    cmd = h._IOC(h.IOC_INOUT, ord("i"), 17, h.IOCPARM_MAX + 1)
    fails(s4.EINVAL, svr4_sc.ioctl, vs, cmd, req(svr4_sc, b"lo0"))


def test_ioctl_command_without_direction_is_ENXIO_natively(kernel, sc, s):
    """No IOC_IN: nothing is copied in, so ifioctl sees an empty name."""
    fails(h.ENXIO, sc.ioctl, s, h.SIOCGIFFLAGS & ~h.IOC_DIRMASK, req(sc, b"lo0"))


def test_ioctl_svr4_command_without_direction_is_EINVAL(kernel, svr4_sc, vs):
    """SVR4's in_control refuses a command with no direction bits."""
    fails(s4.EINVAL, svr4_sc.ioctl, vs, s4.SIOCGIFFLAGS & ~s4.IOC_DIRMASK, req(svr4_sc, b"lo0"))


# -- unknown commands, natively

def test_unknown_command_on_udp_socket_is_EADDRNOTAVAIL(kernel, sc, s):
    """Another group goes to PRU_CONTROL: in_control without an interface has no address."""
    fails(h.EADDRNOTAVAIL, sc.ioctl, s, UNKNOWN_Z)


def test_SIOCSHIWAT_on_udp_socket_is_EADDRNOTAVAIL(kernel, sc, s):
    """Defined in 4.3 but implemented nowhere: it meets the same fate."""
    fails(h.EADDRNOTAVAIL, sc.ioctl, s, h.SIOCSHIWAT, ffi.new("int *", 4096))


def test_unknown_command_on_raw_socket_is_EOPNOTSUPP(kernel, sc):
    """raw_usrreq answers PRU_CONTROL with EOPNOTSUPP."""
    fails(h.EOPNOTSUPP, sc.ioctl, raw(sc), UNKNOWN_Z)


def test_unknown_interface_command_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, sc.ioctl, s, UNKNOWN_I, req(sc, b"le0"))


@pytest.mark.parametrize("name, addr", [(b"le0", "10.0.0.1"), (b"lo0", "127.0.0.1")])
def test_unknown_interface_command_with_address_is_the_drivers_EINVAL(kernel, sc, s, name, addr):
    """With an address in_control hands it to if_ioctl; le and lo refuse with EINVAL."""
    configure(sc, name, addr)
    fails(h.EINVAL, sc.ioctl, s, UNKNOWN_I, req(sc, name))


def test_unknown_interface_command_on_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, sc.ioctl, s, UNKNOWN_I, req(sc, b"qe0"))


def test_unknown_interface_command_on_raw_socket_is_EOPNOTSUPP(kernel, sc):
    fails(h.EOPNOTSUPP, sc.ioctl, raw(sc), UNKNOWN_I, req(sc, b"lo0"))


def test_unknown_interface_command_on_raw_socket_unknown_name_is_ENXIO(kernel, sc):
    """The name is checked by ifioctl before the protocol is asked."""
    fails(h.ENXIO, sc.ioctl, raw(sc), UNKNOWN_I, req(sc, b"qe0"))


def test_address_command_on_raw_socket_is_EOPNOTSUPP(kernel, sc):
    fails(h.EOPNOTSUPP, sc.ioctl, raw(sc), h.SIOCGIFNETMASK, req(sc, b"lo0"))


def test_flags_command_on_raw_socket_works(kernel, sc):
    """Flags, metric, SIOCGIFCONF and ARP are ifioctl's own: any socket gets them."""
    r = req(sc, b"lo0")
    sc.ioctl(raw(sc), h.SIOCGIFMETRIC, r)
    assert r.ifr_ifru.ifru_metric == 0


# -- unknown commands, SVR4

def test_svr4_unknown_command_of_another_group_is_EINVAL(kernel, svr4_sc, vs):
    """No module of the stream knows it: the stream head says EINVAL."""
    fails(s4.EINVAL, svr4_sc.ioctl, vs, UNKNOWN_Z)


def test_svr4_unknown_interface_command_on_ethernet_is_EINVAL(kernel, svr4_sc, vs):
    """IP passes it to the driver, which refuses it."""
    fails(s4.EINVAL, svr4_sc.ioctl, vs, UNKNOWN_I, req(svr4_sc, b"le0"))


def test_svr4_unknown_interface_command_on_loopback_is_acknowledged(kernel, svr4_sc, vs):
    """SVR4's loopback driver acknowledges every ioctl, the argument unchanged."""
    r = req(svr4_sc, b"lo0")
    r.ifr_ifru.ifru_metric = 1234
    svr4_sc.ioctl(vs, UNKNOWN_I, r)
    assert r.ifr_ifru.ifru_metric == 1234


def test_svr4_unknown_set_command_needs_root(kernel, user_svr4_sc, uvs):
    """netkern's barrier: an 'i' command that only sets is root's, as in 4.3."""
    cmd = s4._IOC(s4.IOC_IN, ord("i"), 99, IFREQ)
    fails(s4.EPERM, user_svr4_sc.ioctl, uvs, cmd, req(user_svr4_sc, b"lo0"))


def test_svr4_native_number_for_netmask_is_unknown_to_svr4(kernel, svr4_sc, vs):
    """0xc0206915 is 4.3's SIOCGIFNETMASK; under SVR4 it is a WR command 21 no one knows."""
    fails(s4.EINVAL, svr4_sc.ioctl, vs, h.SIOCGIFNETMASK, req(svr4_sc, b"le0"))
