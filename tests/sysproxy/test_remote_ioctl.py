"""ioctl(2) through the kernel server: the window copies, COPYIN/COPYOUT, EFAULT, EPERM.

SIOCGIFCONF writes one ifreq at a time into the caller's own buffer
(COPYOUT round trips), so its result through kernd must be the very
bytes the in-process kernel writes, whatever the buffer's size.
"""

import ctypes
import mmap
import os

import pytest

from kern import init_main, syscalls
from kern.headers import native as h
from kern.syscalls import SysError
from kern.sysproxy.client import connect

from nkhelp import child, set_address

ffi = h.ffi
IFREQ = ffi.sizeof("struct ifreq")
PATTERN = 0xA5


def ifconf(sc, size: int, buflen: int | None = None):
    """SIOCGIFCONF with ifc_len = size into a pattern-filled buffer: (ifc_len, bytes)."""
    buflen = max(size, 0) if buflen is None else buflen
    buf = ffi.new("char[]", max(buflen, 1))
    ffi.memmove(buf, bytes([PATTERN]) * buflen, buflen)
    ifc = ffi.new("struct ifconf *")
    ifc.ifc_len = size
    ifc.ifc_ifcu.ifcu_buf = buf
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        sc.ioctl(s, h.SIOCGIFCONF, ifc)
    finally:
        sc.close(s)
    return ifc.ifc_len, ffi.buffer(buf, buflen)[:]


@pytest.fixture
def both(kname, tmp_path):
    """A remote root process on kernd k0 and a local one, both kernels configured alike."""
    init_main.boot(None, str(tmp_path / "local"))
    local = syscalls.attach(uid=0)
    remote = connect(kname)
    for sc in (local, remote):
        set_address(sc, b"le0", "10.0.0.1")
        set_address(sc, b"lo0", "127.0.0.1")
    yield local, remote
    remote.close_connection()
    init_main.shutdown()


@pytest.mark.parametrize("size", [0, 2 * IFREQ, 2 * IFREQ - 1, 2 * IFREQ + 1, 3 * IFREQ,
                                  4096, 1 << 20, -IFREQ],
                         ids=["zero", "exact", "short", "exact+1", "one-more", "page", "huge",
                              "negative"])
def test_SIOCGIFCONF_remote_is_byte_identical_to_local(both, size):
    local, remote = both
    assert ifconf(remote, size) == ifconf(local, size)


def test_SIOCGIFCONF_remote_lists_both_addresses(both):
    _, remote = both
    n, data = ifconf(remote, 4096)
    assert n == 2 * IFREQ
    r = ffi.from_buffer("struct ifreq[2]", data[:n])
    assert [ffi.string(x.ifr_name) for x in r] == [b"le0", b"lo0"]


def test_SIOCGIFCONF_bad_ifc_buf_is_EFAULT(both):
    for sc in both:
        ifc = ffi.new("struct ifconf *")
        ifc.ifc_len = 4096
        ifc.ifc_ifcu.ifcu_buf = ffi.cast("char *", 8)
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        with pytest.raises(SysError) as e:
            sc.ioctl(s, h.SIOCGIFCONF, ifc)
        assert e.value.errno == h.EFAULT
        assert ifc.ifc_len == 4096             # not copied back on error


def test_SIOCGIFCONF_fault_midway_writes_what_came_before(both):
    """A buffer whose second ifreq lies on an inaccessible page: EFAULT after one entry."""
    libc = ctypes.CDLL(None, use_errno=True)
    results = []
    for sc in both:
        m = mmap.mmap(-1, 2 * mmap.PAGESIZE)
        base = ctypes.addressof(ctypes.c_char.from_buffer(m))
        assert libc.mprotect(ctypes.c_void_p(base + mmap.PAGESIZE), mmap.PAGESIZE, 0) == 0
        start = base + mmap.PAGESIZE - IFREQ
        ifc = ffi.new("struct ifconf *")
        ifc.ifc_len = 4 * IFREQ
        ifc.ifc_ifcu.ifcu_buf = ffi.cast("char *", start)
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        with pytest.raises(SysError) as e:
            sc.ioctl(s, h.SIOCGIFCONF, ifc)
        assert e.value.errno == h.EFAULT
        results.append(m[mmap.PAGESIZE - IFREQ:mmap.PAGESIZE])
        libc.mprotect(ctypes.c_void_p(base + mmap.PAGESIZE), mmap.PAGESIZE, 3)
        del ifc
    assert results[0] == results[1]
    assert results[0][:3] == b"le0"


def test_bad_argument_pointer_is_EFAULT(both):
    """An IOC_IN argument the client cannot read, and an IOC_OUT one it cannot write."""
    for sc in both:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        for cmd in (h.SIOCGIFFLAGS, h.SIOCGPGRP):
            with pytest.raises(SysError) as e:
                sc.ioctl(s, cmd, 8)
            assert e.value.errno == h.EFAULT, hex(cmd)


def test_unknown_interface_is_ENXIO_remotely(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        r = ffi.new("struct ifreq *")
        r.ifr_name = b"qe0"
        with pytest.raises(SysError) as e:
            sc.ioctl(s, h.SIOCGIFFLAGS, r)
        assert (e.value.errno, e.value.strerror) == (h.ENXIO, "No such device or address")


def test_address_passed_as_an_int_works(kname):
    """Pointers may be plain addresses, as in C; they go through the safe copy."""
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        r = ffi.new("struct ifreq *")
        r.ifr_name = b"lo0"
        sc.ioctl(s, h.SIOCGIFFLAGS, int(ffi.cast("uintptr_t", r)))
        assert r.ifr_ifru.ifru_flags & h.IFF_LOOPBACK


def test_root_client_is_the_kernels_root(kname):
    with connect(kname) as sc:
        assert (sc.uid, sc.getuid(), sc.geteuid()) == (0, 0, 0)


def _set_flags(sc):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    r = ffi.new("struct ifreq *")
    r.ifr_name = b"le0"
    sc.ioctl(s, h.SIOCGIFFLAGS, r)             # reading is for everyone
    r.ifr_ifru.ifru_flags |= h.IFF_UP
    sc.ioctl(s, h.SIOCSIFFLAGS, r)


def test_emulated_setuid_drops_privilege_EPERM(kname):
    with connect(kname) as sc:
        sc.setuid(1000)
        assert (sc.getuid(), sc.geteuid()) == (1000, 1000)
        with pytest.raises(SysError) as e:
            _set_flags(sc)
        assert (e.value.errno, e.value.strerror) == (h.EPERM, "Not owner")
        with pytest.raises(SysError) as e:
            sc.setuid(0)
        assert e.value.errno == h.EPERM


UNPRIVILEGED = """
import os, sys
from kern.sysproxy.client import connect
from kern.headers import native as h
from kern.syscalls import SysError
ffi = h.ffi
os.setgid(65534); os.setuid(65534)
sc = connect(sys.argv[1])
print("uid", sc.uid, sc.getuid())
s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
r = ffi.new("struct ifreq *"); r.ifr_name = b"le0"
sc.ioctl(s, h.SIOCGIFFLAGS, r)
print("get ok")
r.ifr_ifru.ifru_flags |= h.IFF_UP
try:
    sc.ioctl(s, h.SIOCSIFFLAGS, r)
    print("set ok")
except SysError as e:
    print("set", e.errno, e.strerror)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another uid")
def test_other_uid_is_an_ordinary_user_EPERM(kname):
    """A process of another user keeps its uid; set-ioctls meet suser()."""
    p = child(UNPRIVILEGED, kname)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out.splitlines() == ["uid 65534 65534", "get ok", f"set {h.EPERM} Not owner"]
