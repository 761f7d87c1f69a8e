"""UDP: udp_input's checks and counters, udp4_realinput's lookups, udp4_sendup, udp_output.

Datagrams are injected on le0 (10.0.0.1/24) from 10.0.0.2, as the
driver would hand them in; what the kernel sends on le0 is captured.
The counters are udpstat's (kernel-paths reference, section 3; seed
004's last hops).  Sockets are made and read with the real system calls.
"""

import socket

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import route
from kern.netinet import udp_usrreq
from kern.syscalls import SysError
from kern.uipc_mbuf import M_BCAST

import ipkt
from ipkt import addr, cksum, inject, ip
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")


def udpstat() -> dict:
    st = udp_usrreq.udpstat
    return {f: getattr(st, f) for f, _ in ffi.typeof("struct udpstat").fields}


@pytest.fixture
def base(net):
    """The udpstat counters before the test; ``moved()`` gives what changed."""
    before = udpstat()

    def moved():
        return {k: v - before[k] for k, v in udpstat().items() if v != before[k]}
    return moved


def udp(sport, dport, payload=b"", *, src="10.0.0.2", dst="10.0.0.1", ulen=None, sum=None,
        extra=b"", **kw):
    """An IP datagram carrying UDP; checksum right (pseudo-header included) unless given."""
    ln = 8 + len(payload) if ulen is None else ulen
    hdr = sport.to_bytes(2, "big") + dport.to_bytes(2, "big") + ln.to_bytes(2, "big")
    if sum is None:
        phdr = socket.inet_aton(src) + socket.inet_aton(dst) + bytes((0, 17)) \
            + (8 + len(payload)).to_bytes(2, "big")
        sum = cksum(phdr + hdr + b"\0\0" + payload) or 0xFFFF
    body = hdr + sum.to_bytes(2, "little") + payload + extra
    return ip(src, dst, 17, body, **kw)


def sin(dotted="0.0.0.0", port=0):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = addr(dotted)
    s.sin_port = socket.htons(port)
    return s


def bound(sc, port, dotted="0.0.0.0", reuse=False):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    if reuse:
        sc.setsockopt(s, h.SOL_SOCKET, h.SO_REUSEADDR, ffi.new("int *", 1), 4)
    sc.bind(s, sin(dotted, port), SIN)
    return s


def recv(sc, s, n=2048):
    """(data, (address, port)) of one queued datagram, without waiting."""
    buf, frm, fl = ffi.new("char[]", n), ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
    k = sc.recvfrom(s, buf, n, h.MSG_DONTWAIT, frm, fl)
    return ffi.buffer(buf, k)[:], (ipkt.dotted(frm.sin_addr.s_addr), socket.ntohs(frm.sin_port))


def empty(sc, s) -> bool:
    with pytest.raises(SysError) as e:
        recv(sc, s)
    return e.value.errno == h.EWOULDBLOCK


def sent():
    out = [pkt for _, pkt, _, _ in ipkt.captured]
    ipkt.captured.clear()
    return out


# -- udp_input, in the reference's order --------------------------------------


def test_a_datagram_reaches_the_bound_socket(net, base):
    s = bound(net, 53)
    inject(b"le0", udp(1234, 53, b"question"))
    assert recv(net, s) == (b"question", ("10.0.0.2", 1234))
    assert base() == {"udps_ipackets": 1, "udps_pcbhashmiss": 1}
    assert empty(net, s)
    assert ipkt.mbufs_back()


def test_ip_options_are_stripped_before_delivery(net, base):
    s = bound(net, 53)
    opts = bytes((h.IPOPT_NOP,)) * 4
    inject(b"le0", udp(1234, 53, b"with options", hl=6, options=opts))
    assert recv(net, s) == (b"with options", ("10.0.0.2", 1234))
    assert base()["udps_ipackets"] == 1


def test_shorter_than_a_udp_header_is_udps_hdrops(net, base):
    bound(net, 53)
    inject(b"le0", ip("10.0.0.2", "10.0.0.1", 17, b"\0\x35\0"))
    assert base() == {"udps_ipackets": 1, "udps_hdrops": 1}


def test_destination_port_0_is_dropped_without_a_counter(net, base):
    inject(b"le0", udp(1234, 0, b"x"))
    assert base() == {"udps_ipackets": 1}
    assert sent() == []                         # no port unreachable either


@pytest.mark.parametrize("payload, fields, counter", [
    (b"abc", {"ulen": 20}, "udps_badlen"),              # ulen longer than the data
    # NB-1.84's test (MB 1.61 would trim the datagram below its own header)
    (b"abcdef", {"ulen": 6, "sum": 0}, "udps_badlen"),  # ulen below 8
    (b"corrupted", {"sum": 0x1234}, "udps_badsum"),
])
def test_a_bad_datagram_is_dropped_and_counted(net, base, payload, fields, counter):
    s = bound(net, 53)
    inject(b"le0", udp(1234, 53, payload, **fields))
    assert base() == {"udps_ipackets": 1, counter: 1}
    assert empty(net, s)


def test_surplus_ip_data_is_trimmed_off(net, base):
    s = bound(net, 53)
    inject(b"le0", udp(1234, 53, b"kept", extra=b"trailing junk"))
    assert recv(net, s)[0] == b"kept"
    assert "udps_badlen" not in base()


def test_no_checksum_is_accepted(net, base):
    s = bound(net, 53)
    inject(b"le0", udp(1234, 53, b"unsummed", sum=0))
    assert recv(net, s)[0] == b"unsummed"


def test_nobody_listening_is_udps_noport_and_a_port_unreachable(net, base):
    inject(b"le0", udp(1234, 999, b"anyone?"))
    assert base() == {"udps_ipackets": 1, "udps_noport": 1, "udps_pcbhashmiss": 1}
    pkt, = sent()
    hdr = ipkt.parse(pkt)
    assert hdr.ip_p == h.IPPROTO_ICMP and ipkt.dotted(hdr.ip_dst.s_addr) == "10.0.0.2"
    assert (pkt[20], pkt[21]) == (h.ICMP_UNREACH, h.ICMP_UNREACH_PORT)
    quoted = pkt[28:]
    assert quoted[20:22] == (1234).to_bytes(2, "big") and quoted[22:24] == (999).to_bytes(2, "big")
    assert ipkt.mbufs_back()


def test_link_level_broadcast_with_nobody_listening_is_udps_noportbcast(net, base):
    inject(b"le0", udp(1234, 999, b"anyone?", dst="10.0.0.255"), M_BCAST)
    assert base() == {"udps_ipackets": 1, "udps_noportbcast": 1}
    assert sent() == []
    assert ipkt.mbufs_back()


def test_ip_broadcast_in_a_unicast_frame_with_nobody_listening_is_udps_noport(net, base):
    """The delivery mode reads the IP address, the counter the link-level flags (section 3)."""
    inject(b"le0", udp(1234, 999, b"anyone?", dst="10.0.0.255"))
    assert base() == {"udps_ipackets": 1, "udps_noport": 1}
    # ... and icmp_error itself refuses to answer a broadcast destination
    ipkt.captured.clear()


# -- udp4_realinput: unicast -------------------------------------------------


def test_connected_pcb_gets_its_4_tuple_without_a_hash_miss(net, base):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.bind(s, sin("10.0.0.1", 53), SIN)
    net.connect(s, sin("10.0.0.2", 1234), SIN)
    inject(b"le0", udp(1234, 53, b"to the connected one"))
    assert recv(net, s)[0] == b"to the connected one"
    assert base() == {"udps_ipackets": 1}


def test_connected_socket_does_not_hear_another_peer(net, base):
    """A connected pcb is found only by its exact 4-tuple: another sender gets a port
    unreachable unless some socket is bound to the port without a peer."""
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.bind(s, sin("10.0.0.1", 53), SIN)
    net.connect(s, sin("10.0.0.2", 1234), SIN)
    inject(b"le0", udp(4321, 53, b"stranger"))
    assert base() == {"udps_ipackets": 1, "udps_pcbhashmiss": 1, "udps_noport": 1}
    assert empty(net, s)


def test_exact_local_address_wins_over_the_wildcard(net, base):
    wild = bound(net, 53, reuse=True)
    exact = bound(net, 53, "10.0.0.1", reuse=True)
    inject(b"le0", udp(1234, 53, b"for the exact one"))
    assert recv(net, exact)[0] == b"for the exact one"
    assert empty(net, wild)


def test_wildcard_socket_gets_what_no_exact_one_takes(net, base):
    wild = bound(net, 53)
    inject(b"le0", udp(1234, 53, b"any address", dst="10.0.0.1"))
    assert recv(net, wild)[0] == b"any address"


# -- udp4_realinput: broadcast fan-out ---------------------------------------


def test_broadcast_goes_to_every_matching_socket_with_SO_REUSEADDR(net, base):
    wild = bound(net, 520, reuse=True)
    bcast = bound(net, 520, "10.0.0.255", reuse=True)
    other = bound(net, 521, reuse=True)
    inject(b"le0", udp(520, 520, b"rip update", dst="10.0.0.255"), M_BCAST)
    assert recv(net, wild)[0] == b"rip update"
    assert recv(net, bcast)[0] == b"rip update"
    assert empty(net, other)
    assert "udps_pcbhashmiss" not in base()         # the broadcast path never counts it
    assert ipkt.mbufs_back()


def test_broadcast_stops_at_the_newest_socket_without_SO_REUSEADDR(net, base):
    older = bound(net, 520, reuse=True)
    newest = bound(net, 520, "10.0.0.255", reuse=True)
    net.setsockopt(newest, h.SOL_SOCKET, h.SO_REUSEADDR, ffi.new("int *", 0), 4)
    inject(b"le0", udp(520, 520, b"once", dst="10.0.0.255"), M_BCAST)
    assert recv(net, newest)[0] == b"once"
    assert empty(net, older)


def test_limited_broadcast_reaches_the_wildcard_socket(net, base):
    s = bound(net, 67)
    inject(b"le0", udp(68, 67, b"dhcp-ish", src="0.0.0.0", dst="255.255.255.255"), M_BCAST)
    assert recv(net, s) == (b"dhcp-ish", ("0.0.0.0", 68))


def test_broadcast_skips_a_socket_bound_to_another_address(net, base):
    s = bound(net, 520, "10.0.0.1")
    inject(b"le0", udp(520, 520, b"x", dst="10.0.0.255"), M_BCAST)
    assert empty(net, s)
    assert base()["udps_noportbcast"] == 1


# -- udp4_sendup -------------------------------------------------------------


def test_a_full_receive_buffer_counts_udps_fullsock(net, base):
    s = bound(net, 53)
    hiwat = udp_usrreq.udp_recvspace
    payload = b"z" * 1024
    n = 0
    while "udps_fullsock" not in base():
        inject(b"le0", udp(1234, 53, payload))
        n += 1
        assert n < 100
    # Each record charges the sender's 16-byte address and the data to
    # sb_cc, and its mbufs and cluster to sb_mbcnt: whichever limit comes
    # first stops it (sbspace).
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    sb = so.so_rcv
    assert sb.sb_cc == (n - 1) * (1024 + SIN) <= hiwat
    assert sb.sb_hiwat - sb.sb_cc < 1024 + SIN or sb.sb_mbmax - sb.sb_mbcnt < 2 * h.MCLBYTES
    for _ in range(n - 1):
        assert recv(net, s)[0] == payload
    assert empty(net, s)
    assert base()["udps_fullsock"] == 1
    assert ipkt.mbufs_back()


def test_IP_RECVDSTADDR_gives_the_destination_as_control_data(net):
    s = bound(net, 520, reuse=True)
    net.setsockopt(s, h.IPPROTO_IP, h.IP_RECVDSTADDR, ffi.new("int *", 1), 4)
    inject(b"le0", udp(520, 520, b"where to?", dst="10.0.0.255"), M_BCAST)
    buf, ctl = ffi.new("char[64]"), ffi.new("char[64]")
    iov = ffi.new("struct iovec *")
    iov.iov_base, iov.iov_len = buf, 64
    msg = ffi.new("struct msghdr *")
    msg.msg_iov, msg.msg_iovlen = iov, 1
    msg.msg_control, msg.msg_controllen = ctl, 64
    assert net.recvmsg(s, msg, 0) == 9
    cm = ffi.cast("struct cmsghdr *", ctl)
    assert (cm.cmsg_level, cm.cmsg_type, cm.cmsg_len) == (h.IPPROTO_IP, h.IP_RECVDSTADDR, 16)
    assert ffi.buffer(ctl, 16)[12:16] == socket.inet_aton("10.0.0.255")
    assert msg.msg_controllen == 16 and msg.msg_flags == 0


# -- udp_output ---------------------------------------------------------------


def test_udp_output_builds_the_headers_and_the_checksum(net, base):
    s = bound(net, 5353, "10.0.0.1")
    net.sendto(s, ffi.new("char[]", b"payload!"), 8, 0, sin("10.0.0.9", 53), SIN)
    pkt, = sent()
    hdr = ipkt.parse(pkt)
    assert (ipkt.dotted(hdr.ip_src.s_addr), ipkt.dotted(hdr.ip_dst.s_addr)) == ("10.0.0.1",
                                                                                  "10.0.0.9")
    assert hdr.ip_p == 17 and hdr.ip_len == 36 and hdr.ip_ttl == h.IPDEFTTL
    assert pkt[20:26] == (5353).to_bytes(2, "big") + (53).to_bytes(2, "big") + (16).to_bytes(2, "big")
    phdr = pkt[12:20] + bytes((0, 17)) + (16).to_bytes(2, "big")
    assert cksum(phdr + pkt[20:]) == 0
    assert pkt[28:] == b"payload!"
    assert base() == {"udps_opackets": 1}


def test_udpcksum_off_sends_no_checksum(net):
    udp_usrreq.udpcksum = 0
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("10.0.0.9", 53), SIN)
    pkt, = sent()
    assert pkt[26:28] == b"\0\0"


def test_IP_TTL_and_IP_TOS_are_what_the_datagram_carries(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.setsockopt(s, h.IPPROTO_IP, h.IP_TTL, ffi.new("int *", 7), 4)
    net.setsockopt(s, h.IPPROTO_IP, h.IP_TOS, ffi.new("int *", 0x10), 4)
    net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("10.0.0.9", 53), SIN)
    hdr = ipkt.parse(sent()[0])
    assert (hdr.ip_ttl, hdr.ip_tos) == (7, 0x10)


def test_sendto_binds_an_ephemeral_port_and_keeps_it(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    for _ in range(2):
        net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("10.0.0.9", 53), SIN)
    p1, p2 = sent()
    assert p1[20:22] == p2[20:22] == h.IPPORT_RESERVED.to_bytes(2, "big")
    name, ln = ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
    net.getsockname(s, name, ln)
    assert (name.sin_addr.s_addr, socket.ntohs(name.sin_port)) == (0, h.IPPORT_RESERVED)


def test_broadcast_needs_SO_BROADCAST(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("10.0.0.255", 520), SIN)
    assert e.value.errno == h.EACCES
    net.setsockopt(s, h.SOL_SOCKET, h.SO_BROADCAST, ffi.new("int *", 1), 4)
    net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("10.0.0.255", 520), SIN)
    assert len(sent()) == 1


def test_limited_broadcast_becomes_the_interfaces_broadcast_address(net):
    """in_pcbconnect: 255.255.255.255 means the first broadcast interface's address."""
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.setsockopt(s, h.SOL_SOCKET, h.SO_BROADCAST, ffi.new("int *", 1), 4)
    net.sendto(s, ffi.new("char[]", b"x"), 1, 0, sin("255.255.255.255", 520), SIN)
    hdr = ipkt.parse(sent()[0])
    assert ipkt.dotted(hdr.ip_dst.s_addr) == "10.0.0.255"


def test_the_pcb_route_cache_holds_one_reference_and_gives_it_back(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.connect(s, sin("10.0.0.9", 53), SIN)
    net.send(s, ffi.new("char[]", b"x"), 1, 0)
    with kernel_lock:
        assert route.rt_audit() == []
    rt, = [r for r in route.routes() if r.rt_refcnt]
    assert rt.rt_refcnt == 1
    net.close(s)
    with kernel_lock:
        assert route.rt_audit() == []
    assert rt.rt_refcnt == 0


def test_a_route_deleted_under_a_connected_socket_stays_in_rttrash_until_close(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.connect(s, sin("10.0.0.9", 53), SIN)
    net.send(s, ffi.new("char[]", b"x"), 1, 0)
    net.ioctl(s, h.SIOCDELRT, _net_route("10.0.0.0", "10.0.0.1"))
    assert route.rttrash_p[0] == 1
    with kernel_lock:
        assert route.rt_audit() == []
    net.close(s)
    assert route.rttrash_p[0] == 0


def _net_route(dst, gw):
    rt = ffi.new("struct rtentry *")
    for field, a in (("rt_dst", dst), ("rt_gateway", gw)):
        x = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, field))
        x.sin_family, x.sin_addr.s_addr = h.AF_INET, addr(a)
    rt.rt_flags = h.RTF_UP
    return rt


# -- udp_ctlinput ---------------------------------------------------------


def test_port_unreachable_sets_ECONNREFUSED_on_the_connected_socket(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.connect(s, sin("10.0.0.2", 53), SIN)
    net.send(s, ffi.new("char[]", b"hello?"), 6, 0)
    out, = sent()
    # 10.0.0.2 answers with a port unreachable quoting our datagram
    from ipkt import icmp
    inject(b"le0", ip("10.0.0.2", "10.0.0.1", 1, icmp(h.ICMP_UNREACH, h.ICMP_UNREACH_PORT,
                                                     data=out[:28])))
    with pytest.raises(SysError) as e:
        recv(net, s)
    assert e.value.errno == h.ECONNREFUSED
    assert empty(net, s)                            # reported once


def test_port_unreachable_leaves_an_unconnected_socket_alone(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.sendto(s, ffi.new("char[]", b"hello?"), 6, 0, sin("10.0.0.2", 53), SIN)
    out, = sent()
    from ipkt import icmp
    inject(b"le0", ip("10.0.0.2", "10.0.0.1", 1, icmp(h.ICMP_UNREACH, h.ICMP_UNREACH_PORT,
                                                     data=out[:28])))
    assert empty(net, s)


def test_a_redirect_makes_connected_sockets_drop_their_cached_route(net):
    s = net.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    net.connect(s, sin("10.0.0.9", 53), SIN)
    net.send(s, ffi.new("char[]", b"x"), 1, 0)
    sent()
    inp = _pcb_of(net, s)
    assert inp.inp_route.ro_rt != ffi.NULL
    with kernel_lock:
        udp_usrreq.udp_ctlinput(h.PRC_REDIRECT_HOST, ffi.cast("struct sockaddr *",
                                                            sin("10.0.0.9")))
        assert inp.inp_route.ro_rt == ffi.NULL
        assert route.rt_audit() == []


def _pcb_of(sc, s):
    so = ffi.cast("struct socket *", sc.p.u_ofile[s].f_data)
    return ffi.cast("struct inpcb *", so.so_pcb)
