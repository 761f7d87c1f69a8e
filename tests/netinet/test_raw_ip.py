"""Raw IP sockets: fan-out on input, IP_HDRINCL output, options."""

import socket

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.netinet import ip_input
from kern.netinet.raw_ip import rip_ctloutput
from kern import uipc_mbuf as mb

import ipkt
from ipkt import delta, inject, ip
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")


def sockopt(sc, s, name, value):
    """setsockopt at IPPROTO_IP through the protocol's pr_ctloutput (as the socket layer
    will call it): an int option in an MT_SOOPTS mbuf."""
    so = ffi.cast("struct socket *", sc.p.u_ofile[s].f_data)
    m = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
    m.m_len = ffi.sizeof("int")
    mb.mtod(m, "int")[0] = value
    with kernel_lock:
        return rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, name, [m])


def to(dotted):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = h.AF_INET
    s.sin_addr.s_addr = ipkt.addr(dotted)
    return s


def pending(sc, s) -> int:
    so = ffi.cast("struct socket *", sc.p.u_ofile[s].f_data)
    return so.so_rcv.sb_cc


def test_every_matching_socket_gets_a_copy(net):
    a = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    b = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    other = net.socket(h.AF_INET, h.SOCK_RAW, 254)
    inject(b"le0", ip(p=253, payload=b"xyz"))
    assert pending(net, a) == pending(net, b) == SIN + 23
    assert pending(net, other) == 0
    assert delta() == {"ips_total": 1, "ips_delivered": 1}


def test_protocol_zero_takes_the_unknown_protocols(net):
    """A socket for protocol 0 takes every protocol the kernel does not take itself;
    ICMP goes to it too (after the kernel has answered what it answers)."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 0)
    inject(b"le0", ip(p=99))
    inject(b"le0", ip(p=1, payload=ipkt.icmp(h.ICMP_ECHOREPLY)))
    assert pending(net, s) == 2 * SIN + 20 + 28


def test_a_protocol_number_past_255_keeps_its_low_byte(net):
    """socket(2)'s protocol lands in the pcb's u_char ip_p: 256 + 253 is 253."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 256 + 253)
    inject(b"le0", ip(p=253, payload=b"xyz"))
    assert pending(net, s) == SIN + 23


def test_header_included(net):
    """IP_HDRINCL: the user's header is sent as it is, ip_id 0 filled in; ips_rawout."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    assert sockopt(net, s, h.IP_HDRINCL, 1) == 0
    hdr = ffi.new("struct ip *")
    hdr.ip_v, hdr.ip_hl, hdr.ip_ttl, hdr.ip_p = 4, 5, 7, 200
    hdr.ip_len = 24                                        # host order, as raw IP has it
    hdr.ip_src.s_addr, hdr.ip_dst.s_addr = ipkt.addr("10.0.0.1"), ipkt.addr("10.0.0.9")
    pkt = bytes(ffi.buffer(hdr)) + b"data"
    assert net.sendto(s, ffi.from_buffer(pkt), len(pkt), 0, to("10.0.0.9"), SIN) == 24
    (_, out, _, _), = ipkt.captured
    sent = ipkt.parse(out)
    assert sent.ip_ttl == 7 and sent.ip_p == 200 and sent.ip_len == 24
    assert sent.ip_id != 0 and ipkt.cksum(out[:20]) == 0 and out[20:] == b"data"
    assert delta() == {"ips_rawout": 1}


def test_header_included_with_a_wrong_length(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    sockopt(net, s, h.IP_HDRINCL, 1)
    hdr = ffi.new("struct ip *")
    hdr.ip_v, hdr.ip_hl, hdr.ip_len = 4, 5, 99
    with pytest.raises(OSError) as e:
        net.sendto(s, hdr, 20, 0, to("10.0.0.9"), SIN)
    assert e.value.errno == h.EINVAL
    assert ipkt.mbufs_back()


def test_options_other_than_ip_level(net):
    """A level other than IPPROTO_IP is EINVAL, as MB rip_ctloutput answers."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    with kernel_lock:
        assert rip_ctloutput(h.PRCO_SETOPT, so, h.SOL_SOCKET, 1, [None]) == h.EINVAL


def test_bad_ip_options_are_einval(net):
    """IP_OPTIONS are checked as ip_pcbopts does: a length that is not a multiple of
    4, or an option running past the end, is EINVAL."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    for opts in (bytes((h.IPOPT_NOP,)) * 3, bytes((h.IPOPT_RR, 9, 4, 0))):
        m = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
        m.m_buf[m.m_data:m.m_data + len(opts)] = opts
        m.m_len = len(opts)
        with kernel_lock:
            assert rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, h.IP_OPTIONS, [m]) == h.EINVAL
    assert ipkt.mbufs_back()


def test_source_route_option_sends_to_the_first_hop(net):
    """A loose source route A->B set with IP_OPTIONS: the datagram goes to A first,
    with B left in the option (ip_pcbopts keeps the first hop apart)."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    opts = bytes((h.IPOPT_NOP, h.IPOPT_LSRR, 11, 4)) + socket.inet_aton("10.0.0.8") + \
        socket.inet_aton("192.168.3.3")
    m = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
    m.m_buf[m.m_data:m.m_data + 12] = opts
    m.m_len = 12
    with kernel_lock:
        assert rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, h.IP_OPTIONS, [m]) == 0
    net.sendto(s, ffi.new("char[]", b"sr"), 2, 0, to("192.168.3.3"), SIN)
    (_, out, dst, _), = ipkt.captured
    assert ipkt.dotted(dst) == "10.0.0.8"
    assert out[20:24] == bytes((h.IPOPT_NOP, h.IPOPT_LSRR, 7, 4))
    assert socket.inet_ntoa(out[24:28]) == "192.168.3.3"
    net.close(s)
    assert ipkt.mbufs_back()


def test_close_frees_options_and_route(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    so = ffi.cast("struct socket *", net.p.u_ofile[s].f_data)
    m = mb.m_get(mb.M_WAIT, h.MT_SOOPTS)
    m.m_buf[m.m_data:m.m_data + 4] = bytes((h.IPOPT_NOP,)) * 4
    m.m_len = 4
    with kernel_lock:
        rip_ctloutput(h.PRCO_SETOPT, so, h.IPPROTO_IP, h.IP_OPTIONS, [m])
    net.sendto(s, ffi.new("char[]", 1), 1, 0, to("10.0.0.9"), SIN)
    net.close(s)
    assert ipkt.mbufs_back()
    assert ip_input.ipstat.ips_localout == 1
