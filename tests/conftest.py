"""Shared fixtures: a freshly booted local kernel and processes on it.

Every test that uses ``kernel`` gets a kernel booted in this process
from its own configuration (GENERIC unless the test module sets
``KERNEL_CONFIG``, or the test is marked ``@pytest.mark.config(text)``),
with a hand clock, in a temporary run directory; it is shut down after
the test.  ``sc`` is the system-call interface of a root process on it,
``user_sc`` that of an ordinary user (uid 1000), ``svr4_sc`` a root
process in the SVR4 personality.
"""

import os

import pytest

from kern import init_main, syscalls
from kern.headers import native as h

ffi = h.ffi


def pytest_configure(config):
    config.addinivalue_line("markers", "config(text): kernel configuration for the kernel fixture")


@pytest.fixture
def kernel(request, tmp_path):
    marker = request.node.get_closest_marker("config")
    text = marker.args[0] if marker else getattr(request.module, "KERNEL_CONFIG", None)
    rundir = init_main.boot(text, str(tmp_path / "run"))
    yield rundir
    # Every test leaves route references balanced (DESIGN.md section 9).
    from kern.net import route
    bad = route.rt_audit() if init_main.booted else []
    init_main.shutdown()
    assert bad == [], f"route refcounts do not balance: {bad}"


@pytest.fixture
def sc(kernel):
    return syscalls.attach(uid=0, comm="root")


@pytest.fixture
def user_sc(kernel):
    return syscalls.attach(uid=1000, gid=1000, comm="user")


@pytest.fixture
def svr4_sc(kernel):
    return syscalls.attach(uid=0, personality="svr4", comm="svr4")


def in_addr(dotted: str) -> int:
    """The s_addr (network byte order, as it lies in memory) of a dotted quad."""
    import socket
    return int.from_bytes(socket.inet_aton(dotted), "little")


def fdset(*fds):
    """A struct fd_set holding the descriptors fds (FD_SET)."""
    s = ffi.new("fd_set *")
    for fd in fds:
        s.fds_bits[fd // h.NFDBITS] |= 1 << (fd % h.NFDBITS)
    return s


def isset(s, fd) -> bool:
    """FD_ISSET."""
    return bool(s.fds_bits[fd // h.NFDBITS] & (1 << (fd % h.NFDBITS)))


def timeval(sec, usec=0):
    """A struct timeval."""
    tv = ffi.new("struct timeval *")
    tv.tv_sec, tv.tv_usec = sec, usec
    return tv


def read_pcap(path):
    """A pcap file as (its struct pcap_file_header, [(record header, packet bytes), ...])."""
    with open(path, "rb") as f:
        data = f.read()
    n = ffi.sizeof("struct pcap_file_header")
    hdr = ffi.new("struct pcap_file_header *")
    ffi.memmove(hdr, data[:n], n)
    records, off, m = [], n, ffi.sizeof("struct pcap_sf_pkthdr")
    while off < len(data):
        rec = ffi.new("struct pcap_sf_pkthdr *")
        ffi.memmove(rec, data[off:off + m], m)
        records.append((rec, data[off + m:off + m + rec.caplen]))
        off += m + rec.caplen
    return hdr, records


def ifreq(name: bytes = b"le0", abi=h):
    """A zeroed struct ifreq of the given ABI with its name set."""
    r = abi.ffi.new("struct ifreq *")
    r.ifr_name = name
    return r


def set_sin(sap, dotted: str, family: int = h.AF_INET):
    """Fill the struct sockaddr at pointer sap as an AF_INET sockaddr_in."""
    s = ffi.cast("struct sockaddr_in *", sap)
    s.sin_family = family
    s.sin_addr.s_addr = in_addr(dotted)
    return s


def ifaddr_of(r):
    """Pointer to ifr_addr of an ifreq (the union member all address commands use)."""
    return ffi.addressof(r.ifr_ifru, "ifru_addr")


def configure(sc, name: bytes, addr: str, mask: str | None = None):
    """ifconfig NAME ADDR [netmask MASK]: SIOCSIFNETMASK then SIOCSIFADDR, as ifconfig does."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        r = ifreq(name)
        set_sin(ifaddr_of(r), mask or "0.0.0.0")
        sc.ioctl(s, h.SIOCSIFNETMASK, r)
        r = ifreq(name)
        set_sin(ifaddr_of(r), addr)
        sc.ioctl(s, h.SIOCSIFADDR, r)
    finally:
        sc.close(s)
