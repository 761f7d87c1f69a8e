"""SIOCSIFNAME (SVR4 only, _IOW('i', 73)): rename an interface.

SVR4 named a freshly linked stream, found by mux id; netkern's
interfaces exist from boot, so the interface is found by its current
name in ifr_oname and ifr_name keeps SVR4's meaning, the new name:
EINVAL when it is empty or fills all 16 bytes (SVR4's checks), or is not
letters and a unit (a kernel interface is a driver name and a unit).
Root only (SVR4's list); not checked for uniqueness (as SVR4).
"""

from ioctlkit import (BAD, IFREQ, KERNEL_CONFIG, ask, fails, flags, req, s, s4,  # noqa: F401
                      user_svr4_sc, uvs, vs)
from kern.headers import native as h

ffi = h.ffi


def rename(sc, s, old: bytes, new: bytes):
    r = req(sc, new)
    r.ifr_ifru.ifru_oname = old
    ask(sc, s, "SIOCSIFNAME", r=r)


def names(sc, s):
    """The interface names SIOCGIFCONF lists."""
    buf = ffi.new("struct ifreq[8]")
    ifc = ffi.new("struct ifconf *", {"ifc_len": ffi.sizeof(buf)})
    ifc.ifc_ifcu.ifcu_buf = ffi.cast("caddr_t", buf)
    sc.ioctl(s, h.SIOCGIFCONF, ifc)
    return [ffi.string(buf[i].ifr_name) for i in range(ifc.ifc_len // IFREQ)]


def test_SIOCSIFNAME_svr4_renames_the_interface(kernel, svr4_sc, vs):
    rename(svr4_sc, vs, b"le0", b"emd1")
    assert flags(svr4_sc, vs, b"emd1") == h.IFF_BROADCAST
    assert names(svr4_sc, vs) == [b"emd1", b"lo0", b"sl0"]


def test_SIOCSIFNAME_svr4_old_name_is_gone(kernel, svr4_sc, vs):
    rename(svr4_sc, vs, b"le0", b"emd1")
    fails(s4.EINVAL, flags, svr4_sc, vs, b"le0")


def test_SIOCSIFNAME_svr4_native_processes_see_the_new_name(kernel, sc, s, svr4_sc, vs):
    rename(svr4_sc, vs, b"sl0", b"ppp3")
    assert flags(sc, s, b"ppp3") == h.IFF_POINTOPOINT
    assert names(sc, s) == [b"le0", b"lo0", b"ppp3"]


def test_SIOCSIFNAME_svr4_twice(kernel, svr4_sc, vs):
    rename(svr4_sc, vs, b"le0", b"emd1")
    rename(svr4_sc, vs, b"emd1", b"wd0")
    assert names(svr4_sc, vs) == [b"wd0", b"lo0", b"sl0"]


def test_SIOCSIFNAME_svr4_unit_over_9_is_whole_in_svr4_and_one_character_natively(kernel, sc, s,
                                                                                  svr4_sc, vs):
    rename(svr4_sc, vs, b"le0", b"emd12")
    assert names(svr4_sc, vs)[0] == b"emd12"
    assert names(sc, s)[0] == b"emd<"


def test_SIOCSIFNAME_svr4_does_not_check_uniqueness(kernel, svr4_sc, vs):
    """As on SVR4: two interfaces may share a name; lookups find the first."""
    rename(svr4_sc, vs, b"sl0", b"le0")
    assert names(svr4_sc, vs) == [b"le0", b"lo0", b"le0"]
    assert flags(svr4_sc, vs, b"le0") == h.IFF_BROADCAST


def test_SIOCSIFNAME_svr4_empty_new_name_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, rename, svr4_sc, vs, b"le0", b"")


def test_SIOCSIFNAME_svr4_new_name_of_16_bytes_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, rename, svr4_sc, vs, b"le0", b"abcdefghijklmno1")


def test_SIOCSIFNAME_svr4_new_name_without_unit_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, rename, svr4_sc, vs, b"le0", b"ether")


def test_SIOCSIFNAME_svr4_new_name_not_letters_and_unit_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, rename, svr4_sc, vs, b"le0", b"le0x1")


def test_SIOCSIFNAME_svr4_unknown_old_name_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, rename, svr4_sc, vs, b"qe0", b"emd1")


def test_SIOCSIFNAME_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, rename, user_svr4_sc, uvs, b"le0", b"emd1")


def test_SIOCSIFNAME_svr4_not_root_with_unknown_old_name_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, rename, user_svr4_sc, uvs, b"qe0", b"emd1")


def test_SIOCSIFNAME_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFNAME, BAD)
