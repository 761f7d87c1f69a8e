"""ip_output: header, route cache, errors, broadcast permission, fragmentation.

Datagrams go out through real raw sockets (rip_output -> ip_output) or,
for the flags a raw socket cannot give (IP_ROUTETOIF without SO_DONTROUTE,
no IP_ALLOWBROADCAST), through ip_output called as udp_output will call
it.  What le0 would send is captured at its if_output.
"""

import socket

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_, route
from kern.netinet import ip_input, ip_output
from kern import uipc_mbuf as mb

import ipkt
from ipkt import delta, inject
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi


def sin(dotted):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = ipkt.addr(dotted)
    return s


def sendto(sc, s, data, dst):
    buf = ffi.from_buffer(data) if data else ffi.new("char[1]")
    return sc.sendto(s, buf, len(data), 0, sin(dst), ffi.sizeof("struct sockaddr_in"))


def raw(sc, proto=253):
    return sc.socket(h.AF_INET, h.SOCK_RAW, proto)


def kernel_output(data, dst, flags=0, src="0.0.0.0", off=0, ro=None):
    """ip_output of a datagram made in the kernel: (error, captured packets)."""
    with kernel_lock:
        m = mb.m_gethdr(mb.M_DONTWAIT, h.MT_HEADER)
        mb.MH_ALIGN(m, 20)
        m.m_len = m.m_pkthdr.len = 20
        ip = mb.mtod(m, "struct ip")
        ip.ip_len = 20 + len(data)
        ip.ip_off = off
        ip.ip_ttl, ip.ip_p = 64, 253
        ip.ip_src.s_addr, ip.ip_dst.s_addr = ipkt.addr(src), ipkt.addr(dst)
        if data:
            mb.m_copyback(m, 20, len(data), data)
        return ip_output.ip_output(m, None, ro, flags, None)


def test_header_is_filled_in(net):
    """Version, header length, ip_id and the checksum are the kernel's; ips_localout."""
    s = raw(net)
    assert sendto(net, s, b"payload", "10.0.0.2") == 7
    (ifname, pkt, dst, _), = ipkt.captured
    hdr = ipkt.parse(pkt)
    assert ifname == "le0" and ipkt.dotted(dst) == "10.0.0.2"
    assert hdr.ip_v == 4 and hdr.ip_hl == 5 and hdr.ip_len == 27 and hdr.ip_p == 253
    assert ipkt.dotted(hdr.ip_src.s_addr) == "10.0.0.1" and hdr.ip_ttl == h.MAXTTL
    assert ipkt.cksum(pkt[:20]) == 0 and pkt[20:] == b"payload"
    assert delta() == {"ips_localout": 1}


def test_ip_id_increases(net):
    s = raw(net)
    sendto(net, s, b"a", "10.0.0.2")
    sendto(net, s, b"b", "10.0.0.2")
    ids = [socket.ntohs(ipkt.parse(p).ip_id) for _, p, _, _ in ipkt.captured]
    assert ids[1] == (ids[0] + 1) & 0xFFFF


def test_no_route_is_ehostunreach(net):
    s = raw(net)
    with pytest.raises(OSError) as e:
        sendto(net, s, b"x", "192.168.1.1")
    assert e.value.errno == h.EHOSTUNREACH
    assert delta() == {"ips_localout": 1, "ips_noroute": 1}
    assert ipkt.mbufs_back()


def test_gateway_route_sends_to_the_gateway(net, sc):
    """Through a gateway the link-level destination is the gateway; rt_use counts."""
    ipkt.add_route(sc, "192.168.1.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    s = raw(net)
    sendto(net, s, b"x", "192.168.1.9")
    (_, pkt, dst, _), = ipkt.captured
    assert ipkt.dotted(dst) == "10.0.0.254"
    assert ipkt.dotted(ipkt.parse(pkt).ip_dst.s_addr) == "192.168.1.9"


def test_route_cache_holds_one_reference(net):
    """The socket's route cache holds its route (rt_refcnt 1) until the destination
    changes or the socket closes; the audit balances all along."""
    s = raw(net)
    sendto(net, s, b"x", "10.0.0.2")
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    rt = inp.inp_route.ro_rt
    assert rt != ffi.NULL and rt.rt_refcnt == 1
    sendto(net, s, b"x", "10.0.0.3")            # same route, another destination
    assert inp.inp_route.ro_rt == rt and rt.rt_refcnt == 1
    sendto(net, s, b"x", "127.0.0.1")           # a different route
    assert rt.rt_refcnt == 0 and inp.inp_route.ro_rt.rt_refcnt == 1
    net.close(s)
    assert all(r.rt_refcnt == 0 for r in route.routes())


def test_temporary_route_is_released(net):
    """Without a caller's route cache ip_output uses and frees its own."""
    assert kernel_output(b"x", "10.0.0.2") == 0
    assert all(r.rt_refcnt == 0 for r in route.routes())


def test_broadcast_needs_permission(net):
    """A broadcast without IP_ALLOWBROADCAST is EACCES (the SO_BROADCAST check)."""
    assert kernel_output(b"x", "10.0.0.255") == h.EACCES
    assert ipkt.captured == [] and ipkt.mbufs_back()


def test_broadcast_with_permission_is_marked(net):
    assert kernel_output(b"x", "10.0.0.255", h.IP_ALLOWBROADCAST) == 0
    (_, _, _, flags), = ipkt.captured
    assert flags & mb.M_BCAST


def test_raw_socket_may_always_broadcast(net):
    s = raw(net)
    assert sendto(net, s, b"x", "10.0.0.255") == 1


def test_broadcast_too_big_is_emsgsize(net):
    """Broadcasts are never fragmented."""
    assert kernel_output(bytes(1600), "10.0.0.255", h.IP_ALLOWBROADCAST) == h.EMSGSIZE


def test_limited_broadcast_gets_ttl_1_and_needs_no_permission(net):
    """255.255.255.255 takes the multicast path of ip_output: TTL 1, no SO_BROADCAST
    check, source filled in from the interface."""
    ipkt.add_route(net, "0.0.0.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    assert kernel_output(b"x", "255.255.255.255") == 0
    (_, pkt, dst, flags), = ipkt.captured
    hdr = ipkt.parse(pkt)
    assert hdr.ip_ttl == 1 and flags & mb.M_BCAST and ipkt.dotted(dst) == "255.255.255.255"
    assert ipkt.dotted(hdr.ip_src.s_addr) == "10.0.0.1"


def test_multicast_source_is_eaddrnotavail(net):
    assert kernel_output(b"x", "10.0.0.2", src="224.0.0.9") == h.EADDRNOTAVAIL
    assert delta()["ips_odropped"] == 1


def test_routetoif_without_a_route(net):
    """IP_ROUTETOIF ignores the table: an attached network is enough; TTL 1."""
    assert kernel_output(b"x", "10.0.0.77", h.IP_ROUTETOIF) == 0
    (_, pkt, _, _), = ipkt.captured
    assert ipkt.parse(pkt).ip_ttl == 1


def test_routetoif_off_net_is_enetunreach(net):
    assert kernel_output(b"x", "192.168.3.3", h.IP_ROUTETOIF) == h.ENETUNREACH
    assert delta() == {"ips_localout": 1, "ips_noroute": 1}


def test_fragmentation(net):
    """A datagram larger than le0's MTU leaves in fragments that reassemble to it."""
    payload = bytes((i * 7) & 0xFF for i in range(3000))
    assert kernel_output(payload, "10.0.0.2") == 0
    frags = [p for _, p, _, _ in ipkt.captured]
    assert len(frags) == 3
    assert delta() == {"ips_localout": 1, "ips_fragmented": 1, "ips_ofragments": 2}
    offs = [ipkt.parse(p).ip_off for p in frags]
    assert offs == [h.IP_MF, h.IP_MF | 1480 // 8, 2960 // 8]
    for p in frags:
        assert ipkt.cksum(p[:20]) == 0 and len(p) <= h.ETHERMTU
    assert b"".join(p[20:] for p in frags) == payload
    # The fragments, turned round, reassemble into the datagram (too big for a raw
    # socket's 2048-byte buffer, so it is counted, not read).
    ipkt.baseline()
    for p in frags:
        back = bytearray(p)
        back[12:16], back[16:20] = p[16:20], p[12:16]
        inject(b"le0", bytes(back))
    assert delta() == {"ips_total": 3, "ips_fragments": 3, "ips_reassembled": 1,
                       "ips_noproto": 1, "ips_localout": 1}


def test_raw_socket_datagram_is_fragmented(net):
    """sendto of 2000 bytes on a raw socket: two fragments on le0."""
    s = raw(net)
    assert sendto(net, s, bytes(2000), "10.0.0.2") == 2000
    assert [len(p) for _, p, _, _ in ipkt.captured] == [1500, 540]
    assert delta() == {"ips_localout": 1, "ips_fragmented": 1, "ips_ofragments": 1}


def test_raw_datagram_beyond_the_send_buffer(net):
    """A raw socket's send buffer is 2048 bytes (Tahoe's RAWSNDQ): more is EMSGSIZE."""
    s = raw(net)
    with pytest.raises(OSError) as e:
        sendto(net, s, bytes(2049), "10.0.0.2")
    assert e.value.errno == h.EMSGSIZE


def test_dont_fragment_is_emsgsize(net):
    assert kernel_output(bytes(2000), "10.0.0.2", off=h.IP_DF) == h.EMSGSIZE
    assert delta() == {"ips_localout": 1, "ips_cantfrag": 1}
    assert ipkt.captured == [] and ipkt.mbufs_back()


def test_fragments_need_room_on_the_send_queue(net):
    """With fewer free slots on if_snd than extra fragments, none is sent (ENOBUFS)."""
    ifp = if_.ifunit(b"le0")
    held = []
    with kernel_lock:
        for _ in range(ifp.if_snd.ifq_maxlen - 1):
            m = mb.m_get(mb.M_DONTWAIT, h.MT_DATA)
            held.append(m)
            if_.IF_ENQUEUE(ifp.if_snd, m)
    try:
        assert kernel_output(bytes(3000), "10.0.0.2") == h.ENOBUFS
        assert ipkt.captured == []
        assert delta() == {"ips_localout": 1, "ips_ofragments": 2}
    finally:
        with kernel_lock:
            if_.if_qflush(ifp.if_snd)
    assert ipkt.mbufs_back()


def test_options_are_inserted(net):
    """IP_OPTIONS of a socket go after the header of every datagram it sends."""
    s = raw(net)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    opt = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
    rr = bytes((h.IPOPT_NOP, h.IPOPT_RR, 7, 4)) + bytes(4)
    opt.m_buf[opt.m_data:opt.m_data + len(rr)] = rr
    opt.m_len = len(rr)
    from kern.netinet.raw_ip import rip_ctloutput
    with kernel_lock:
        assert rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, h.IP_OPTIONS, [opt]) == 0
    sendto(net, s, b"data", "10.0.0.2")
    (_, pkt, _, _), = ipkt.captured
    hdr = ipkt.parse(pkt)
    assert hdr.ip_hl == 7 and pkt[20:28] == rr and pkt[28:] == b"data"
    assert hdr.ip_len == 32 and ipkt.cksum(pkt[:28]) == 0
    net.close(s)
    assert ipkt.mbufs_back()


def test_ip_optcopy_keeps_only_copied_options(net):
    """Fragments after the first carry only the options with the copy bit."""
    s = raw(net)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    opt = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
    # Record route (not copied) and a security option (copied), padded.
    opts = bytes((h.IPOPT_RR, 7, 4)) + bytes(4) + bytes((h.IPOPT_SECURITY, 4, 0, 0)) + bytes(1)
    opt.m_buf[opt.m_data:opt.m_data + 12] = opts
    opt.m_len = 12
    from kern.netinet.raw_ip import rip_ctloutput
    with kernel_lock:
        rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, h.IP_OPTIONS, [opt])
    sendto(net, s, bytes(1900), "10.0.0.2")
    first, second = [p for _, p, _, _ in ipkt.captured]
    assert ipkt.parse(first).ip_hl == 8 and ipkt.parse(second).ip_hl == 6
    assert second[20:24] == bytes((h.IPOPT_SECURITY, 4, 0, 0))
    net.close(s)
