"""ip_input: the checks in NetBSD 1.5's order, each drop in its ipstat counter.

Every test injects real IP packets on le0 (10.0.0.1/24) and asserts the
exact change of the counters: a packet with two faults is counted for
the first check only (kernel-paths reference, section 2.1).
"""

import pytest

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_, netisr
from kern.netinet import ip_input
from kern import uipc_mbuf as mb

import ipkt
from ipkt import net  # noqa: F401  (fixture)
from ipkt import delta, inject, ip

ffi = h.ffi


def raw_socket(sc, proto=253):
    return sc.socket(h.AF_INET, h.SOCK_RAW, proto)


def recv(sc, s, n=2048):
    buf = ffi.new("char[]", n)
    frm = ffi.new("struct sockaddr_in *")
    flen = ffi.new("int *", ffi.sizeof("struct sockaddr_in"))
    got = sc.recvfrom(s, buf, n, h.MSG_DONTWAIT, frm, flen)
    return ffi.buffer(buf, got)[:], frm


def test_no_address_yet_drops_before_ips_total(kernel, sc):
    """Before any address is configured a packet is freed and counts nowhere."""
    ipkt.baseline()
    inject(b"le0", ip())
    assert delta() == {}
    assert ipkt.mbufs_back()


def test_good_packet_counts_total_and_delivered(net):
    """A correct packet for us: ips_total and ips_delivered, delivered to the raw socket."""
    s = raw_socket(net)
    inject(b"le0", ip(payload=b"hello"))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}
    data, frm = recv(net, s)
    assert data[20:] == b"hello" and frm.sin_addr.s_addr == ipkt.addr("10.0.0.2")
    hdr = ffi.cast("struct ip *", ffi.from_buffer(data))
    assert hdr.ip_len == 5          # raw IP sees ip_len in host order, without the header
    net.close(s)
    assert ipkt.mbufs_back()


def test_too_small(net):
    """Fewer than 20 bytes: ips_toosmall (m_pullup fails)."""
    inject(b"le0", ip()[:19])
    assert delta() == {"ips_total": 1, "ips_toosmall": 1}
    assert ipkt.mbufs_back()


def test_bad_version(net):
    inject(b"le0", ip(v=6))
    assert delta() == {"ips_total": 1, "ips_badvers": 1}


def test_header_length_below_20(net):
    inject(b"le0", ip(hl=4))
    assert delta() == {"ips_total": 1, "ips_badhlen": 1}


def test_header_length_beyond_the_packet(net):
    """ip_hl says 60 bytes, the packet has 40: the pullup fails, ips_badhlen."""
    inject(b"le0", ip(hl=15, payload=bytes(20)))
    assert delta() == {"ips_total": 1, "ips_badhlen": 1}
    assert ipkt.mbufs_back()


def test_multicast_source_is_dropped_without_a_counter(net):
    """RFC 1122: a class D source is dropped; MB 1.101 counts nothing ("XXX stat")."""
    inject(b"le0", ip(src="224.0.0.5"))
    assert delta() == {"ips_total": 1}
    assert ipkt.mbufs_back()


def test_bad_header_checksum(net):
    inject(b"le0", ip(sum=0x1234))
    assert delta() == {"ips_total": 1, "ips_badsum": 1}


def test_ip_len_below_header_length(net):
    inject(b"le0", ip(ln=19))
    assert delta() == {"ips_total": 1, "ips_badlen": 1}


def test_ip_len_beyond_the_data(net):
    inject(b"le0", ip(ln=100, payload=b"x" * 10))
    assert delta() == {"ips_total": 1, "ips_tooshort": 1}


def test_extra_data_is_trimmed(net):
    """More data than ip_len says is cut off silently; the rest is delivered."""
    s = raw_socket(net)
    inject(b"le0", ip(ln=25, payload=b"12345trailing-junk"))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}
    data, _ = recv(net, s)
    assert data[20:] == b"12345"
    net.close(s)


def test_extra_data_trimmed_across_mbufs(net):
    """The trim also works when the packet spans several mbufs (m_adj)."""
    s = raw_socket(net)
    payload = bytes(range(256)) * 2
    inject(b"le0", ip(ln=20 + 100, payload=payload))
    data, _ = recv(net, s)
    assert data[20:] == payload[:100]
    net.close(s)


@pytest.mark.parametrize("faults, counted", [
    (dict(v=6, sum=0x1111), "ips_badvers"),
    (dict(hl=4, sum=0x1111), "ips_badhlen"),
    (dict(v=5, hl=4), "ips_badvers"),
    (dict(sum=0x1111, ln=10), "ips_badsum"),
    (dict(ln=10, p=1), "ips_badlen"),
])
def test_two_faults_count_the_first_check_only(net, faults, counted):
    """A packet failing two checks is counted for the earlier one."""
    inject(b"le0", ip(**faults))
    assert delta() == {"ips_total": 1, counted: 1}


def test_multicast_source_with_bad_checksum_counts_nothing(net):
    """The multicast-source test comes before the checksum: nothing but ips_total."""
    inject(b"le0", ip(src="239.1.2.3", sum=0x1111))
    assert delta() == {"ips_total": 1}


@pytest.mark.parametrize("dst", ["10.0.0.1", "127.0.0.1", "10.0.0.255", "10.255.255.255",
                                 "10.0.0.0", "255.255.255.255", "0.0.0.0"])
def test_for_us(net, dst):
    """Our addresses on any interface, the broadcast forms of rcvif, and the limited
    broadcasts are ours."""
    s = raw_socket(net)
    inject(b"le0", ip(dst=dst))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}
    net.close(s)


@pytest.mark.parametrize("dst", ["10.0.0.7", "192.168.1.1", "224.0.0.1"])
def test_not_for_us_without_forwarding(net, dst):
    """Another host's packet, or a group we did not join: ips_cantforward."""
    inject(b"le0", ip(dst=dst))
    assert delta() == {"ips_total": 1, "ips_cantforward": 1}
    assert ipkt.mbufs_back()


def test_address_on_a_down_interface_is_not_ours(net, sc):
    """An address whose interface is down does not take packets (a "downmatch")."""
    ipkt.set_down(sc, b"lo0")
    ipkt.baseline()
    inject(b"le0", ip(dst="127.0.0.1"))
    assert delta() == {"ips_total": 1, "ips_cantforward": 1}


def test_ipintrq_overflow_counts_ifq_drops(net):
    """A full ipintrq drops (ifq_drops) and frees; the queued ones are processed later."""
    s = raw_socket(net)
    ifp = if_.ifunit(b"le0")
    q = ip_input.ipintrq
    assert q.ifq_maxlen == h.IFQ_MAXLEN
    data = ip()
    with kernel_lock:
        for _ in range(q.ifq_maxlen + 3):
            ip_input.ipintrq_enqueue(mb.m_devget(data, len(data), 0, ifp))
        assert q.ifq_len == q.ifq_maxlen and q.ifq_drops == 3
        netisr.dosoftint()
    assert q.ifq_len == 0
    assert delta() == {"ips_total": h.IFQ_MAXLEN, "ips_delivered": h.IFQ_MAXLEN}
    net.close(s)
    assert ipkt.mbufs_back()


def test_unknown_protocol_gets_protocol_unreachable(net):
    """No raw listener and no kernel handler: ICMP protocol unreachable, ips_noproto,
    and ips_delivered taken back."""
    inject(b"le0", ip(p=253, payload=b"x" * 30))
    assert delta() == {"ips_total": 1, "ips_noproto": 1, "ips_localout": 1}
    (ifname, pkt, dst, _), = ipkt.captured
    hdr = ipkt.parse(pkt)
    assert ifname == "le0" and ipkt.dotted(hdr.ip_dst.s_addr) == "10.0.0.2"
    assert hdr.ip_p == h.IPPROTO_ICMP
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_PROTOCOL
    assert ipkt.cksum(pkt[20:]) == 0 and ipkt.cksum(pkt[:20]) == 0
    assert ipkt.mbufs_back()


@pytest.mark.parametrize("payload, quoted", [(30, 8), (27, 7), (21, 1), (20, 0), (5, 5)])
def test_protocol_unreachable_quote_uses_the_reduced_ip_len(net, payload, quoted):
    """rip_input has already taken the header length off ip_len, so icmp_error quotes
    payload - 20 bytes of data when that is 0..7, and 8 when the unsigned difference
    wraps -- never more than the packet has (kernel-paths reference, section 2.5)."""
    inject(b"le0", ip(p=253, payload=bytes(payload)))
    (_, pkt, _, _), = ipkt.captured
    assert len(pkt) - 20 - 8 - 20 == quoted


def test_raw_listener_gets_the_unknown_protocol(net):
    """With a raw socket for the protocol there is no ICMP error."""
    s = raw_socket(net, 200)
    inject(b"le0", ip(p=200))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}
    assert ipkt.captured == []
    net.close(s)


def test_bytes_on_the_wire_are_network_order_after_trip(net):
    """ip_input turns ip_len/ip_off to host order; a raw reader sees ip_off in host order."""
    s = raw_socket(net)
    inject(b"le0", ip(off=h.IP_DF, payload=b"abc"))
    data, _ = recv(net, s)
    assert ipkt.parse(data).ip_off != h.IP_DF    # parse swaps: the kernel already did
    hdr = ffi.cast("struct ip *", ffi.from_buffer(data))
    assert hdr.ip_off == h.IP_DF and hdr.ip_len == 3
    net.close(s)


def test_ip_stripoptions(net):
    """ip_stripoptions (for UDP) removes the options: the data moves up, and m_len,
    m_pkthdr.len, ip_len and ip_hl shrink to match."""
    opts = bytes((h.IPOPT_NOP,)) * 3 + bytes((h.IPOPT_EOL,))
    data = ip(hl=6, options=opts, payload=b"datagram")
    with kernel_lock:
        m = mb.m_devget(data, len(data), 0, None)
        hdr = mb.mtod(m, "struct ip")
        hdr.ip_len = len(data)                 # host order, as ip_input leaves it
        ip_input.ip_stripoptions(m)
        assert hdr.ip_hl == 5 and hdr.ip_len == 28
        assert m.m_len == m.m_pkthdr.len == 28
        assert mb.m_copydata(m, 20, 8) == b"datagram"
        mb.m_freem(m)
