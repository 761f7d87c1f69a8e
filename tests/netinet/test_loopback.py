"""lo0: looutput loops packets back through ipintrq.

Seed 003: OSKit's loopback never had its if_mtu set, so the first packet
sent to 127.0.0.1 divided by zero in ip_output.  Here lo0 has LOMTU from
attach time and works at once.
"""

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_, if_loop
from kern.netinet import ip_input
from kern import uipc_mbuf as mb

import ipkt
from ipkt import delta
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi
ECHO = bytes((h.ICMP_ECHO, 0, 0, 0, 0x12, 0x34, 0, 1)) + b"loopback"


def echo_request():
    msg = bytearray(ECHO)
    msg[2:4] = ipkt.cksum(bytes(msg)).to_bytes(2, "little")
    return bytes(msg)


def to(dotted):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = ipkt.addr(dotted)
    return s


def ping(sc, dst):
    s = sc.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)
    req = echo_request()
    sc.sendto(s, ffi.from_buffer(req), len(req), 0, to(dst), 16)
    buf = ffi.new("char[]", 512)
    frm = ffi.new("struct sockaddr_in *")
    flen = ffi.new("int *", 16)
    n = sc.recvfrom(s, buf, 512, h.MSG_DONTWAIT, frm, flen)
    sc.close(s)
    return ffi.buffer(buf, n)[:], frm


def test_ping_over_lo0_right_after_boot(kernel, sc):
    """Configure lo0 and ping 127.0.0.1 at once: the reply comes back (seed 003)."""
    from tests.conftest import configure
    configure(sc, b"lo0", "127.0.0.1")
    loif = if_loop.loif
    assert loif.if_mtu == h.LOMTU
    data, frm = ping(sc, "127.0.0.1")
    assert data[20] == h.ICMP_ECHOREPLY and data[28:] == b"loopback"
    assert ipkt.dotted(frm.sin_addr.s_addr) == "127.0.0.1"
    # Request and reply each went out and came in again on lo0.
    assert loif.if_opackets == 2 and loif.if_ipackets == 2


def test_loopback_traffic_never_reaches_le0(net):
    """127.0.0.1 is routed to lo0: nothing is handed to le0."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)
    req = echo_request()
    net.sendto(s, ffi.from_buffer(req), len(req), 0, to("127.0.0.1"), 16)
    assert ipkt.captured == []                   # 127.0.0.1 went by lo0
    net.close(s)


def test_lo0_mtu_fragments(net):
    """A datagram bigger than LOMTU is fragmented on the way through lo0 and
    reassembled on the way in."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    payload = bytes(range(256)) * 7                     # 1792 > 1536 - 20
    net.sendto(s, ffi.from_buffer(payload), len(payload), 0, to("127.0.0.1"), 16)
    buf = ffi.new("char[]", 4096)
    n = net.recv(s, buf, 4096, h.MSG_DONTWAIT)
    assert ffi.buffer(buf, n)[20:] == payload
    d = delta()
    assert d["ips_fragmented"] == 1 and d["ips_ofragments"] == 1
    assert d["ips_reassembled"] == 1 and d["ips_delivered"] == 1
    net.close(s)
    assert ipkt.mbufs_back()


def test_looutput_full_queue_is_enobufs(net):
    """With ipintrq full, looutput drops (ifq_drops) and returns ENOBUFS; if_opackets
    counted it, if_ipackets did not."""
    loif = if_loop.loif
    sin = to("127.0.0.1")
    dst = ffi.cast("struct sockaddr *", sin)
    data = ipkt.ip(dst="127.0.0.1")
    o0, i0 = loif.if_opackets, loif.if_ipackets
    with kernel_lock:
        errors = []
        for _ in range(ip_input.ipintrq.ifq_maxlen + 1):
            m = mb.m_devget(data, len(data), 0, None)
            errors.append(if_loop.looutput(loif, m, dst, ffi.NULL))
        assert errors[-1] == h.ENOBUFS and not any(errors[:-1])
        assert ip_input.ipintrq.ifq_drops == 1
        assert loif.if_opackets - o0 == 51 and loif.if_ipackets - i0 == 50
        from kern.net import netisr
        netisr.dosoftint()
    assert ipkt.mbufs_back()


def test_looutput_other_family(net):
    """A family other than AF_INET: EAFNOSUPPORT and a console message."""
    from kern import subr_prf
    sa = ffi.new("struct sockaddr *")
    sa.sa_family = h.AF_UNIX
    with kernel_lock:
        m = mb.m_devget(b"x", 1, 0, None)
        assert if_loop.looutput(if_loop.loif, m, sa, ffi.NULL) == h.EAFNOSUPPORT
    mb_ = subr_prf.msgbuf
    text = ffi.buffer(mb_.msg_bufc, mb_.msg_bufx)[:]
    assert b"lo0: can't handle af1\n" in text
    assert ipkt.mbufs_back()
