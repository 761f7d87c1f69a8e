"""What the interface-ioctl conformance files share.

Each file under tests/ioctl/ imports from here.  The kernel the files
boot (``KERNEL_CONFIG``) is GENERIC with one serial line: ``le0`` (an
Ethernet, IFF_BROADCAST), ``lo0`` (the loopback) and ``sl0`` (a
point-to-point link, IFF_POINTOPOINT), in that order.

Every test talks to the kernel only through system calls (``sc`` and
its siblings from tests/conftest.py) and reads kernel memory only
through kvm, as netstat does, so the same test bodies can later run
against a kernel server.  User buffers are cffi objects of this
process; ``BAD`` is an address no process has mapped, for EFAULT.
"""

import socket

import pytest

from tests.conftest import configure, ifaddr_of, ifreq, in_addr, set_sin  # noqa: F401
from kern import config, headers, kvm, syscalls
from kern.headers import native as h

s4 = headers.load("svr4")
ffi = h.ffi
KERNEL_CONFIG = config.GENERIC + "pseudo-device   sl 1\n"
BAD = 0x10                      # never mapped: copyin/copyout fail with EFAULT
IFREQ = ffi.sizeof("struct ifreq")


# -- processes and their sockets

@pytest.fixture
def user_svr4_sc(kernel):
    """An SVR4 process of an ordinary user (uid 1000)."""
    return syscalls.attach(uid=1000, gid=1000, personality="svr4", comm="svr4user")


@pytest.fixture
def s(sc):
    """A UDP socket of the root process."""
    return sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)


@pytest.fixture
def us(user_sc):
    """A UDP socket of the ordinary user."""
    return user_sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)


@pytest.fixture
def vs(svr4_sc):
    """A UDP socket of the SVR4 root process (SVR4's SOCK_DGRAM)."""
    return svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)


@pytest.fixture
def uvs(user_svr4_sc):
    """A UDP socket of the SVR4 ordinary user (SVR4's SOCK_DGRAM)."""
    return user_svr4_sc.socket(s4.AF_INET, s4.SOCK_DGRAM, 0)


# -- calls and their answers

def fails(errno: int, call, *args) -> None:
    """Run a system call that must fail with errno (in the caller's numbering)."""
    with pytest.raises(syscalls.SysError) as info:
        call(*args)
    assert info.value.errno == errno, f"errno {info.value.errno} ({info.value.strerror})"


def req(sc, name: bytes = b"le0"):
    """A zeroed struct ifreq in the caller's personality, named."""
    return ifreq(name, s4 if sc.personality == "svr4" else h)


def abi(sc):
    """The header module of the caller's personality (numbers, errno)."""
    return s4 if sc.personality == "svr4" else h


def ask(sc, s, cmd_name: str, name: bytes = b"le0", r=None):
    """ioctl(s, CMD, &ifr) with the caller's number for CMD; return the ifreq."""
    r = r if r is not None else req(sc, name)
    sc.ioctl(s, getattr(abi(sc), cmd_name), r)
    return r


def flags(sc, s, name: bytes = b"le0") -> int:
    """SIOCGIFFLAGS, as an unsigned 16-bit value."""
    return ask(sc, s, "SIOCGIFFLAGS", name).ifr_ifru.ifru_flags & 0xFFFF


def dotted(sap) -> str:
    """The address of the sockaddr at sap as a dotted quad."""
    s_addr = ffi.cast("struct sockaddr_in *", sap).sin_addr.s_addr
    return socket.inet_ntoa(s_addr.to_bytes(4, "little"))


def family(sap) -> int:
    return ffi.cast("struct sockaddr *", sap).sa_family


def with_addr(sc, name: bytes, dotted_addr: str, fam: int = h.AF_INET):
    """An ifreq naming name whose ifr_addr is dotted_addr."""
    r = req(sc, name)
    set_sin(ifaddr_of(r), dotted_addr, fam)
    return r


def peer(sc, name: bytes = b"sl0", local: str = "10.1.0.1", remote: str = "10.1.0.2"):
    """ifconfig sl0 LOCAL REMOTE, as Tahoe's ifconfig does it: peer first, then address."""
    s = sc.socket(h.AF_INET, abi(sc).SOCK_DGRAM, 0)
    try:
        sc.ioctl(s, abi(sc).SIOCSIFDSTADDR, with_addr(sc, name, remote))
        sc.ioctl(s, abi(sc).SIOCSIFADDR, with_addr(sc, name, local))
    finally:
        sc.close(s)


# -- kernel memory, as netstat reads it

def kmem(rundir):
    """kvm_open on a booted kernel's run directory."""
    return kvm.kvm_open(f"{rundir}/namelist", f"{rundir}/kmem")


def kernel_routes(rundir):
    """Every route as (destination, gateway, flags, interface name), as netstat -r walks them."""
    k = kmem(rundir)
    try:
        n = k.symbol("_rthashsize", "int")[0]
        out = []
        ptr = ffi.sizeof("struct mbuf *")
        for table in ("_rthost", "_rtnet"):
            for i in range(n):
                m = k.read(k.nlist(table) + i * ptr, "struct mbuf *")[0]
                while m != ffi.NULL:
                    mb = k.read(m, "struct mbuf")
                    rt = k.read(mb.m_hdr.mh_data, "struct rtentry")
                    ifp = k.read(rt.rt_ifp, "struct ifnet")
                    name = k.read_string(ifp.if_name) + str(ifp.if_unit)
                    out.append((dotted(ffi.addressof(rt, "rt_dst")),
                                dotted(ffi.addressof(rt, "rt_gateway")), rt.rt_flags, name))
                    m = mb.m_hdr.mh_next
        return sorted(out)
    finally:
        k.close()


def in_interfaces(rundir) -> int:
    """The kernel's count of addresses on interfaces other than the loopback."""
    k = kmem(rundir)
    try:
        return k.symbol("_in_interfaces", "int")[0]
    finally:
        k.close()


def kmemuse(rundir, type_: int) -> int:
    """kmemstats[type].ks_inuse: blocks of one malloc type held now."""
    k = kmem(rundir)
    try:
        return k.read(k.nlist("_kmemstats") + type_ * ffi.sizeof("struct kmemstats"),
                      "struct kmemstats").ks_inuse
    finally:
        k.close()


def ifnet_field(rundir, name: str, field: str):
    """A field of the named interface's struct ifnet, read through kvm."""
    k = kmem(rundir)
    try:
        ifp = k.symbol("_ifnet", "struct ifnet *")[0]
        while ifp != ffi.NULL:
            i = k.read(ifp, "struct ifnet")
            if k.read_string(i.if_name) + str(i.if_unit) == name:
                return getattr(i, field)
            ifp = i.if_next
        raise KeyError(name)
    finally:
        k.close()


def in_ifaddr(rundir, name: str):
    """A copy of the named interface's struct in_ifaddr (the first one), or None."""
    k = kmem(rundir)
    try:
        ia = k.symbol("_in_ifaddr", "struct in_ifaddr *")[0]
        while ia != ffi.NULL:
            a = k.read(ia, "struct in_ifaddr")
            i = k.read(a.ia_ifa.ifa_ifp, "struct ifnet")
            if k.read_string(i.if_name) + str(i.if_unit) == name:
                return ffi.new("struct in_ifaddr *", a[0])
            ia = a.ia_next
        return None
    finally:
        k.close()


# -- the address commands

def getaddr(sc, s, cmd_name: str, name: bytes = b"le0"):
    """A get-address command: (family, dotted address) of the answer."""
    sap = ifaddr_of(ask(sc, s, cmd_name, name))
    return family(sap), dotted(sap)


def setaddr(sc, s, cmd_name: str, name: bytes, dotted_addr: str, fam: int = h.AF_INET):
    """A set-address command with ifr_addr = dotted_addr of family fam."""
    sc.ioctl(s, getattr(abi(sc), cmd_name), with_addr(sc, name, dotted_addr, fam))


def getint(sc, s, cmd_name: str, name: bytes = b"le0") -> int:
    """A command answering in ifr_metric (the metric; SVR4's ifr_mtu)."""
    return ask(sc, s, cmd_name, name).ifr_ifru.ifru_metric


def setint(sc, s, cmd_name: str, value: int, name: bytes = b"le0"):
    """A command taking ifr_metric (the metric; SVR4's ifr_mtu)."""
    r = req(sc, name)
    r.ifr_ifru.ifru_metric = value
    ask(sc, s, cmd_name, r=r)
