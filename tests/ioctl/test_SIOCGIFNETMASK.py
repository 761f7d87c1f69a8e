"""SIOCGIFNETMASK: the subnet mask (ioctl reference, section 3.2).

Native number 21, SVR4 number 25.  in_control writes only sin_family
(AF_INET) and sin_addr (htonl(ia_subnetmask)); the rest of the caller's
sockaddr is left as it was.  No address natively: EADDRNOTAVAIL; under
SVR4 the mask 0.0.0.0.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, getaddr, ifaddr_of, req, s, s4,  # noqa: F401
                      setaddr, us, user_svr4_sc, uvs, vs)
from kern.headers import native as h

ffi = h.ffi


def test_SIOCGIFNETMASK_returns_the_subnet_mask(kernel, sc, s):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, "255.255.255.0")


def test_SIOCGIFNETMASK_leaves_the_rest_of_the_sockaddr_alone(kernel, sc, s):
    """Only family and address are written: sin_port and sin_zero are the caller's."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    r = req(sc, b"le0")
    sin = ffi.cast("struct sockaddr_in *", ifaddr_of(r))
    sin.sin_port = 0x4242
    sin.sin_zero = b"\xaa" * 8
    sc.ioctl(s, h.SIOCGIFNETMASK, r)
    assert sin.sin_port == 0x4242 and ffi.buffer(sin.sin_zero)[:] == b"\xaa" * 8


def test_SIOCGIFNETMASK_reads_a_mask_set_before_any_address(kernel, sc, s):
    """The mask as given, not yet widened to the class: that happens at SIOCSIFADDR."""
    setaddr(sc, s, "SIOCSIFNETMASK", b"le0", "255.0.0.0")
    assert getaddr(sc, s, "SIOCGIFNETMASK") == (h.AF_INET, "255.0.0.0")


def test_SIOCGIFNETMASK_without_address_is_EADDRNOTAVAIL(kernel, sc, s):
    fails(h.EADDRNOTAVAIL, getaddr, sc, s, "SIOCGIFNETMASK")


def test_SIOCGIFNETMASK_needs_no_privilege(kernel, sc, user_sc, us):
    configure(sc, b"lo0", "127.0.0.1")
    assert getaddr(user_sc, us, "SIOCGIFNETMASK", b"lo0") == (h.AF_INET, "255.0.0.0")


def test_SIOCGIFNETMASK_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, getaddr, sc, s, "SIOCGIFNETMASK", b"qe0")


def test_SIOCGIFNETMASK_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFNETMASK, BAD)


def test_SIOCGIFNETMASK_svr4_returns_the_subnet_mask(kernel, sc, svr4_sc, vs):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getaddr(svr4_sc, vs, "SIOCGIFNETMASK") == (h.AF_INET, "255.255.255.0")


def test_SIOCGIFNETMASK_svr4_without_address_is_zero_AF_INET(kernel, svr4_sc, vs):
    assert getaddr(svr4_sc, vs, "SIOCGIFNETMASK") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFNETMASK_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert getaddr(user_svr4_sc, uvs, "SIOCGIFNETMASK") == (h.AF_INET, "0.0.0.0")


def test_SIOCGIFNETMASK_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, getaddr, svr4_sc, vs, "SIOCGIFNETMASK", b"qe0")


def test_SIOCGIFNETMASK_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFNETMASK, BAD)
