"""Helpers for the Ethernet, ARP and ping tests: requests and frames built from the headers.

Every frame a test injects is made by filling the C structures of
sys/netinet/if_ether.h and sys/net/if_arp.h (``struct ether_header``,
``struct ether_arp``), never by hand-packed byte strings, so a test
states a frame the way a C program would.
"""

import socket

from kern import headers
from kern.headers import native as h
from tests.conftest import in_addr  # noqa: F401 (tests take it from here too)

ffi = h.ffi


def ifconfig(sc, *argv) -> None:
    """Run the real ifconfig(8) as the process sc; it must succeed.

    The tests configure interfaces with the utility rather than with
    tests/conftest.py's ``configure``: a folder's own conftest.py (as
    tests/utilities has) shadows the root one for ``from conftest
    import``, depending on which tests run.
    """
    import io
    from usr_sbin.ifconfig import ifconfig as prog
    out, err = io.StringIO(), io.StringIO()
    assert prog.main(list(argv), sc=sc, out=out, err=err) == 0, err.getvalue()


def ntoa(s_addr: int) -> str:
    """The dotted quad of an s_addr."""
    return socket.inet_ntoa(s_addr.to_bytes(4, "little"))


def mac(text: str) -> bytes:
    """Six bytes from ``8:0:20:1:2:3``."""
    return bytes(int(x, 16) for x in text.split(":"))


def arpreq(ip: str, ether: bytes = bytes(6), flags: int = 0,
           pa_family: int = h.AF_INET, ha_family: int = h.AF_UNSPEC, abi=h):
    """A struct arpreq as arp(8) fills it."""
    ar = abi.ffi.new("struct arpreq *")
    sin = abi.ffi.cast("struct sockaddr_in *", abi.ffi.addressof(ar, "arp_pa"))
    sin.sin_family = pa_family
    sin.sin_addr.s_addr = in_addr(ip)
    ar.arp_ha.sa_family = ha_family
    abi.ffi.memmove(abi.ffi.cast("char *", ar.arp_ha.sa_data), ether, len(ether))
    ar.arp_flags = flags
    return ar


def arp_ioctl(sc, cmd: int, ar):
    """Issue one ARP ioctl on a fresh datagram socket, as arp(8) does.

    The socket is asked for in the process's own numbering (SVR4's
    SOCK_DGRAM is 1), which the kernel's SVR4 layer translates.
    """
    abi = headers.load(sc.personality)
    s = sc.socket(abi.AF_INET, abi.SOCK_DGRAM, 0)
    try:
        return sc.ioctl(s, cmd, ar)
    finally:
        sc.close(s)


def ha_bytes(ar) -> bytes:
    """The six hardware-address bytes of an arpreq."""
    return ffi.buffer(ar.arp_ha.sa_data, 6)[:]


def same_bucket(n: int, prefix: str = "10.0", nb: int = 19, bucket: int | None = None) -> list:
    """n addresses under prefix that hash to one ARP bucket (s_addr % nb)."""
    out = []
    for c in range(256):
        for d in range(1, 255):
            ip = f"{prefix}.{c}.{d}"
            b = in_addr(ip) % nb
            if bucket is None:
                bucket = b
            if b == bucket:
                out.append(ip)
                if len(out) == n:
                    return out
    raise ValueError("not enough addresses")


def ether_frame(dst: bytes, src: bytes, etype: int, payload: bytes = b"") -> bytes:
    """An Ethernet frame: a struct ether_header (type in network order), then payload."""
    eh = ffi.new("struct ether_header *")
    ffi.memmove(eh.ether_dhost, dst, 6)
    ffi.memmove(eh.ether_shost, src, 6)
    eh.ether_type = socket.htons(etype)
    return ffi.buffer(eh)[:] + payload


def arp_packet(op: int, sha: bytes, spa: str, tha: bytes, tpa: str,
               pro: int = h.ETHERTYPE_IP, hrd: int = h.ARPHRD_ETHER) -> bytes:
    """A struct ether_arp (RFC 826 for IP over Ethernet), fields in network order."""
    ea = ffi.new("struct ether_arp *")
    ea.ea_hdr.ar_hrd = socket.htons(hrd)
    ea.ea_hdr.ar_pro = socket.htons(pro)
    ea.ea_hdr.ar_hln = 6
    ea.ea_hdr.ar_pln = 4
    ea.ea_hdr.ar_op = socket.htons(op)
    ffi.memmove(ea.arp_sha, sha, 6)
    ffi.memmove(ea.arp_spa, socket.inet_aton(spa), 4)
    ffi.memmove(ea.arp_tha, tha, 6)
    ffi.memmove(ea.arp_tpa, socket.inet_aton(tpa), 4)
    return ffi.buffer(ea)[:]


def parse_arp(frame: bytes):
    """(ether_header, ether_arp) views of a captured ARP frame."""
    eh = ffi.new("struct ether_header *")
    ffi.memmove(eh, frame[:14], 14)
    ea = ffi.new("struct ether_arp *")
    ffi.memmove(ea, frame[14:14 + ffi.sizeof("struct ether_arp")], ffi.sizeof("struct ether_arp"))
    return eh, ea


def msgbuf_text() -> str:
    """What the kernel has printed and logged so far (the ring, from its start)."""
    from kern import subr_prf
    mb = subr_prf.msgbuf
    return ffi.string(mb.msg_bufc, h.MSG_BSIZE).decode("latin-1")


def set_flags(sc, name: bytes, on: int = 0, off: int = 0) -> int:
    """SIOCGIFFLAGS, then SIOCSIFFLAGS with bits on and off, as ifconfig does; the new flags."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        r = ffi.new("struct ifreq *")
        r.ifr_name = name
        sc.ioctl(s, h.SIOCGIFFLAGS, r)
        r.ifr_ifru.ifru_flags = (r.ifr_ifru.ifru_flags | on) & ~off
        sc.ioctl(s, h.SIOCSIFFLAGS, r)
        return r.ifr_ifru.ifru_flags
    finally:
        sc.close(s)


def ifnet(name: str):
    """The struct ifnet * of an interface of the local kernel."""
    from kern.net import if_
    return if_.ifunit(name.encode())


def lladdr(name: str) -> bytes:
    """The station address of an le board of the local kernel."""
    from kern.net import if_le
    return if_le._units[int(name[2:])].lladdr


def in_use_mbufs() -> int:
    """Packet mbufs in use (mbstat: made minus free)."""
    from kern import uipc_mbuf
    return uipc_mbuf.mbstat.m_mbufs - uipc_mbuf.mbstat.m_mtypes[h.MT_FREE]


def send_ip(ifname: str, dst: str, payload: bytes = b"x" * 20, flags: int = 0) -> int:
    """Hand a packet to an interface's if_output for dst, as ip_output would; its errno."""
    from kern import ksyms
    from kern.kern_synch import kernel_lock
    from kern.net.netisr import dosoftint
    from kern.uipc_mbuf import m_devget
    ifp = ifnet(ifname)
    sin = ffi.new("struct sockaddr_in *")
    sin.sin_family = h.AF_INET
    sin.sin_addr.s_addr = in_addr(dst)
    with kernel_lock:
        m = m_devget(payload, len(payload), 0, None)
        m.m_flags |= flags
        try:
            return ksyms.call(ifp.if_output, ifp, m, ffi.cast("struct sockaddr *", sin))
        finally:
            dosoftint()


def ip_packet(src: str, dst: str, proto: int, payload: bytes, ttl: int = 64) -> bytes:
    """A struct ip header (no options, checksum set) followed by payload."""
    from usr_sbin.ping.ping import in_cksum
    ip = ffi.new("struct ip *")
    ip.ip_hl, ip.ip_v = 5, 4
    ip.ip_len = socket.htons(20 + len(payload))
    ip.ip_ttl, ip.ip_p = ttl, proto
    ip.ip_src.s_addr, ip.ip_dst.s_addr = in_addr(src), in_addr(dst)
    ip.ip_sum = in_cksum(ffi.buffer(ip)[:])
    return ffi.buffer(ip)[:] + payload


def icmp_message(type: int, code: int, rest: bytes) -> bytes:
    """An ICMP message: type, code, checksum, then the rest (id/seq or unused, data)."""
    from usr_sbin.ping.ping import in_cksum
    body = bytes([type, code, 0, 0]) + rest
    s = in_cksum(body)
    return body[:2] + s.to_bytes(2, "little") + body[4:]


def wait_frames(station, n: int, timeout: float = 5.0) -> list:
    """Up to n frames read by a wire station (kern.net.wire.Station), waiting at most timeout."""
    import select
    import time
    got, end = [], time.monotonic() + timeout
    while len(got) < n and time.monotonic() < end:
        select.select([station], [], [], 0.05)
        got += station.recv()
    return got


def svr4_abi():
    """The SVR4 headers, or skip: the SVR4 ioctl layer is built by the interfaces work."""
    import pytest
    try:
        from kern.compat.svr4 import svr4_sockio  # noqa: F401
    except ImportError:
        pytest.skip("the SVR4 personality (kern.compat.svr4.svr4_sockio) is not built yet")
    from kern import headers
    return headers.load("svr4")


# A program that joins a wire (folder argv[1], wire argv[2]) as station
# "echo" and puts every frame it hears back on the wire with "echo:" in
# front, until it hears "quit".
ECHO_STATION = r"""
import select, sys
from kern.net import wire
st = wire.Station(sys.argv[1], sys.argv[2], "echo")
print("ready", flush=True)
while True:
    select.select([st], [], [])
    for f in st.recv():
        if f == b"quit":
            st.close(); sys.exit(0)
        st.send(b"echo:" + f)
"""
