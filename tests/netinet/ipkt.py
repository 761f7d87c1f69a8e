"""Packets for the IP tests: built from the header structs, injected, captured.

Every packet is laid out by cffi from the structs of <netinet/ip.h> and
<netinet/ip_icmp.h>; multi-byte fields are written in network order as
they travel.  The checksum here is the plain RFC 1071 loop, written
independently of the kernel's in_cksum so that a fault in either shows.

``inject(ifname, data)`` is what a driver does with a received frame's
IP packet: m_devget with rcvif set, ipintrq, NETISR_IP, and the software
interrupt run before the "interrupt" returns, under the kernel lock.
``captured`` collects what interfaces send (their if_output is replaced
by capture_output).

The fixtures (a test module imports them): ``net`` boots the kernel of
the ``kernel`` fixture and configures lo0 as 127.0.0.1 and le0 as
10.0.0.1/24 with the real ioctls; packets sent on le0 are captured at
``if_output`` (the Ethernet driver's own output comes with the wire
work).  ``gw`` is a kernel built with ``options GATEWAY`` and two
Ethernet interfaces, le0 10.0.0.1/24 and le1 10.0.1.1/24.
"""

import socket

import pytest

from tests.conftest import configure
from kern import ksyms, uipc_mbuf as mb
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_, netisr
from kern.netinet import ip_icmp, ip_input

ffi = h.ffi
IPHDR = ffi.sizeof("struct ip")

captured = []          # (interface name, packet bytes, destination s_addr, flags)
_base = {}


def addr(dotted: str) -> int:
    """s_addr of a dotted quad (network order as it lies in memory)."""
    return int.from_bytes(socket.inet_aton(dotted), "little")


def dotted(s_addr: int) -> str:
    return socket.inet_ntoa(s_addr.to_bytes(4, "little"))


def cksum(data: bytes) -> int:
    """RFC 1071, one 16-bit word at a time, as a host-order u_short to store."""
    if len(data) & 1:
        data += b"\0"
    s = 0
    for i in range(0, len(data), 2):
        s += data[i] | data[i + 1] << 8
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip(src="10.0.0.2", dst="10.0.0.1", p=253, payload=b"", *, v=4, hl=5, tos=0, ln=None,
       id=0x1234, off=0, ttl=64, sum=None, options=b""):
    """An IP datagram: header fields as given (ln and off in host order), checksum right
    unless sum is given."""
    hdr = ffi.new("struct ip *")
    hdr.ip_v, hdr.ip_hl, hdr.ip_tos = v, hl, tos
    total = IPHDR + len(options) + len(payload) if ln is None else ln
    hdr.ip_len = socket.htons(total & 0xFFFF)
    hdr.ip_id = socket.htons(id)
    hdr.ip_off = socket.htons(off)
    hdr.ip_ttl, hdr.ip_p = ttl, p
    hdr.ip_src.s_addr, hdr.ip_dst.s_addr = addr(src), addr(dst)
    raw = bytes(ffi.buffer(hdr)) + options
    hdr.ip_sum = cksum(raw) if sum is None else sum
    return bytes(ffi.buffer(hdr)) + options + payload


def icmp(type, code=0, rest=b"\0\0\0\0", data=b"", *, sum=None):
    """An ICMP message: type, code, checksum, the 4 bytes after it, then data."""
    msg = bytearray(bytes((type, code)) + b"\0\0" + rest + data)
    c = cksum(bytes(msg)) if sum is None else sum
    msg[2:4] = c.to_bytes(2, "little")
    return bytes(msg)


def fragment(datagram: bytes, pieces):
    """Fragments of an IP datagram: pieces is a list of (offset, length) in bytes,
    offsets multiples of 8; MF is set on all but the one that reaches the end."""
    hdr = ffi.new("struct ip *")
    ffi.memmove(hdr, datagram[:IPHDR], IPHDR)
    body = datagram[IPHDR:]
    out = []
    for o, n in pieces:
        last = o + n >= len(body)
        out.append(ip(dotted(hdr.ip_src.s_addr), dotted(hdr.ip_dst.s_addr), hdr.ip_p,
                      body[o:o + n], id=socket.ntohs(hdr.ip_id),
                      off=(o >> 3) | (0 if last else h.IP_MF), ttl=hdr.ip_ttl))
    return out


def inject(ifname: bytes, data: bytes, flags: int = 0):
    """Hand a received IP packet to the kernel as le0's driver would; run the softint."""
    ifp = if_.ifunit(ifname)
    with kernel_lock:
        m = mb.m_devget(data, len(data), 0, ifp)
        m.m_flags |= flags
        ip_input.ipintrq_enqueue(m)
        netisr.dosoftint()


def capture(ifp, m, dst, rt) -> int:
    """The test interfaces' if_output: record the packet, free the mbufs."""
    data = mb.m_copydata(m, 0, mb.m_length(m))
    sin = ffi.cast("struct sockaddr_in *", dst)
    captured.append((if_.if_name(ifp), data, sin.sin_addr.s_addr, m.m_flags))
    mb.m_freem(m)
    ifp.if_opackets += 1
    return 0


def parse(data: bytes):
    """A captured packet's header as a struct ip (a copy), with ip_len/ip_off in host order."""
    hdr = ffi.new("struct ip *")
    ffi.memmove(hdr, data[:IPHDR], IPHDR)
    hdr.ip_len = socket.ntohs(hdr.ip_len)
    hdr.ip_off = socket.ntohs(hdr.ip_off)
    return hdr


def ipstat() -> dict:
    """Every ipstat counter by name."""
    st = ip_input.ipstat
    return {f: getattr(st, f) for f, _ in ffi.typeof("struct ipstat").fields}


def icmpstat() -> dict:
    st = ip_icmp.icmpstat
    out = {}
    for f, _ in ffi.typeof("struct icmpstat").fields:
        v = getattr(st, f)
        out[f] = list(v) if f.endswith("hist") else v
    return out


def baseline() -> None:
    """Remember the counters and the mbufs in use, for delta() and mbufs_back()."""
    _base["ip"] = ipstat()
    _base["icmp"] = icmpstat()
    _base["mbufs"] = mbufs_in_use()


def delta(which: str = "ip") -> dict:
    """The counters that moved since baseline(), as {name: change}."""
    now = ipstat() if which == "ip" else icmpstat()
    out = {}
    for k, v in now.items():
        b = _base[which][k]
        if isinstance(v, list):
            for i, (x, y) in enumerate(zip(v, b)):
                if x != y:
                    out[f"{k}[{i}]"] = x - y
        elif v != b:
            out[k] = v - b
    return out


def mbufs_in_use() -> dict:
    """Packet and kernel mbufs in use, by type, and clusters in use."""
    s = mb.mbstat
    used = {t: s.m_mtypes[t] for t in range(1, 256) if s.m_mtypes[t]}
    used["clusters"] = s.m_clusters - s.m_clfree
    return used


def mbufs_back() -> bool:
    """True when the mbufs in use are what they were at baseline()."""
    return mbufs_in_use() == _base["mbufs"]


GATEWAY_CONFIG = """\
machine         "netkern"
ident           ROUTER
options         INET, GATEWAY
pseudo-device   loop
pseudo-device   ether
device          le0 at wire "lan0"
device          le1 at wire "lan1"
"""


def _capture_on(names):
    captured.clear()
    fp = ksyms.text(capture, "test_capture_output")
    for name in names:
        ifp = if_.ifunit(name)
        ifp.if_output = fp


@pytest.fixture
def net(kernel, sc):
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    _capture_on([b"le0"])
    baseline()
    yield sc
    captured.clear()


@pytest.fixture
def gw(request, tmp_path):
    from kern import init_main, syscalls
    init_main.boot(GATEWAY_CONFIG, str(tmp_path / "gw"))
    sc = syscalls.attach(uid=0, comm="root")
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    configure(sc, b"le1", "10.0.1.1", "255.255.255.0")
    _capture_on([b"le0", b"le1"])
    baseline()
    yield sc
    captured.clear()
    init_main.shutdown()


def add_route(sc, dst: str, gateway: str, flags: int) -> None:
    """route add: SIOCADDRT with a struct rtentry, as route(8) does."""
    rt = ffi.new("struct rtentry *")
    for field, a in (("rt_dst", dst), ("rt_gateway", gateway)):
        sin = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, field))
        sin.sin_family = h.AF_INET
        sin.sin_addr.s_addr = addr(a)
    rt.rt_flags = flags
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        sc.ioctl(s, h.SIOCADDRT, rt)
    finally:
        sc.close(s)


def set_down(sc, name: bytes) -> None:
    """ifconfig NAME down: SIOCGIFFLAGS, clear IFF_UP, SIOCSIFFLAGS."""
    r = ffi.new("struct ifreq *")
    r.ifr_name = name
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        sc.ioctl(s, h.SIOCGIFFLAGS, r)
        r.ifr_ifru.ifru_flags &= ~h.IFF_UP
        sc.ioctl(s, h.SIOCSIFFLAGS, r)
    finally:
        sc.close(s)


def route_to(dst: str):
    """(gateway, flags) of the route rtalloc finds for dst, or None; the reference is
    given back at once."""
    from kern.net.route import RTFREE, rtalloc
    ro = ffi.new("struct route *")
    sin = ffi.cast("struct sockaddr_in *", ffi.addressof(ro, "ro_dst"))
    sin.sin_family = h.AF_INET
    sin.sin_addr.s_addr = addr(dst)
    with kernel_lock:
        rtalloc(ro)
        if ro.ro_rt == ffi.NULL:
            return None
        rt = ro.ro_rt
        gw = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_gateway")).sin_addr.s_addr
        out = (dotted(gw), rt.rt_flags)
        RTFREE(rt)
    return out
