"""ip_forward in a kernel built with options GATEWAY: TTL, routes, redirects, errors.

The router has le0 10.0.0.1/24 and le1 10.0.1.1/24; packets are
injected on an interface and captured where they leave (kernel-paths
reference, section 2.3).
"""

import socket

import pytest

from kern import param
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_, route
from kern.netinet import ip_input
from kern import uipc_mbuf as mb

import ipkt
from ipkt import delta, inject, ip
from ipkt import gw  # noqa: F401  (fixture)

ffi = h.ffi


def sent(ifname):
    return [(p, d) for n, p, d, _ in ipkt.captured if n == ifname]


def test_gateway_kernel_forwards_by_default(gw):
    """options GATEWAY makes IPFORWARDING 1 (the header's default)."""
    assert param.kconst.IPFORWARDING == 1 and ip_input.ipforwarding == 1


def test_forward_between_interfaces(gw):
    """A packet for the other network leaves on le1 with its TTL one less and a new
    header checksum; ips_forward counts it."""
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", payload=b"through", ttl=64))
    (pkt, dst), = sent("le1")
    hdr = ipkt.parse(pkt)
    assert hdr.ip_ttl == 63 and ipkt.cksum(pkt[:20]) == 0
    assert ipkt.dotted(dst) == "10.0.1.2" and pkt[20:] == b"through"
    assert delta() == {"ips_total": 1, "ips_forward": 1}
    assert sent("le0") == [] and ipkt.mbufs_back()


def test_route_cache_holds_one_reference(gw):
    """ipforward_rt keeps the last route with one reference; the audit balances."""
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2"))
    rt = ip_input.ipforward_rt.ro_rt
    assert rt != ffi.NULL and rt.rt_refcnt == 1
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.3"))
    assert route.rt_audit() == []


def test_ttl_exhausted_sends_time_exceeded(gw):
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", ttl=1))
    (pkt, dst), = sent("le0")
    assert pkt[20] == h.ICMP_TIMXCEED and pkt[21] == h.ICMP_TIMXCEED_INTRANS
    assert ipkt.dotted(ipkt.parse(pkt).ip_dst.s_addr) == "10.0.0.2"
    assert delta() == {"ips_total": 1, "ips_localout": 1}
    assert delta("icmp") == {"icps_error": 1, "icps_outhist[11]": 1}


def test_no_route_sends_host_unreachable(gw):
    inject(b"le0", ip(src="10.0.0.2", dst="192.168.4.4"))
    (pkt, _), = sent("le0")
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_HOST
    assert "ips_forward" not in delta() and "ips_cantforward" not in delta()


@pytest.mark.parametrize("dst", ["127.0.0.9", "0.1.2.3", "240.0.0.1"])
def test_unforwardable_destinations(gw, dst):
    """Net 127, net 0 and class E are never forwarded: ips_cantforward."""
    inject(b"le0", ip(src="10.0.0.2", dst=dst))
    assert delta() == {"ips_total": 1, "ips_cantforward": 1}
    assert ipkt.captured == []


def test_link_broadcast_is_not_forwarded(gw):
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2"), flags=mb.M_BCAST)
    assert delta() == {"ips_total": 1, "ips_cantforward": 1}


def test_redirect_to_a_better_gateway(gw):
    """Leaving by the interface it came in on, to a sender on that subnet, by a
    gateway route: forwarded to the gateway and a host redirect to the sender."""
    ipkt.add_route(gw, "192.168.5.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    ipkt.baseline()
    inject(b"le0", ip(src="10.0.0.2", dst="192.168.5.5"))
    (fwd, fdst), (red, rdst) = sent("le0")
    assert ipkt.dotted(fdst) == "10.0.0.254" and ipkt.parse(fwd).ip_ttl == 63
    assert red[20] == h.ICMP_REDIRECT and red[21] == h.ICMP_REDIRECT_HOST
    assert socket.inet_ntoa(red[24:28]) == "10.0.0.254"
    assert ipkt.dotted(ipkt.parse(red).ip_dst.s_addr) == "10.0.0.2"
    assert delta() == {"ips_total": 1, "ips_forward": 1, "ips_redirectsent": 1,
                       "ips_localout": 1}
    assert delta("icmp") == {"icps_outhist[5]": 1}      # a redirect is not an icps_error


def test_redirect_for_a_neighbour_names_it(gw):
    """Through an interface route the redirect's gateway is the destination itself."""
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.0.3"))
    (_, _), (red, _) = sent("le0")
    assert red[20] == h.ICMP_REDIRECT and socket.inet_ntoa(red[24:28]) == "10.0.0.3"


def test_no_redirect_to_an_off_subnet_sender(gw):
    ipkt.add_route(gw, "192.168.5.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    ipkt.baseline()
    inject(b"le0", ip(src="192.168.77.1", dst="192.168.5.5"))
    assert len(sent("le0")) == 1 and "ips_redirectsent" not in delta()


def test_no_redirect_by_the_default_route(gw):
    ipkt.add_route(gw, "0.0.0.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    ipkt.baseline()
    inject(b"le0", ip(src="10.0.0.2", dst="192.168.5.5"))
    assert len(sent("le0")) == 1 and "ips_redirectsent" not in delta()


def test_no_redirect_when_disabled(gw):
    ip_input.ipsendredirects = 0
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.0.3"))
    assert len(sent("le0")) == 1 and "ips_redirectsent" not in delta()


def test_no_redirect_by_a_route_a_redirect_made(gw):
    """A route made by a redirect (RTF_DYNAMIC) does not make the router redirect."""
    ipkt.add_route(gw, "0.0.0.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    quote = ip(src="10.0.0.1", dst="192.168.5.5", p=17, payload=bytes(8))
    msg = ipkt.icmp(h.ICMP_REDIRECT, 1, socket.inet_aton("10.0.0.253"), quote)
    inject(b"le0", ip(src="10.0.0.254", p=1, payload=msg))
    assert ipkt.route_to("192.168.5.5")[1] & h.RTF_DYNAMIC
    ipkt.captured.clear()
    ipkt.baseline()
    inject(b"le0", ip(src="10.0.0.2", dst="192.168.5.5"))
    (pkt, dst), = sent("le0")
    assert ipkt.dotted(dst) == "10.0.0.253" and "ips_redirectsent" not in delta()


def test_too_big_with_dont_fragment(gw):
    """A DF packet too big for the way out: need-fragment with the next hop's MTU,
    ips_cantforward, and ips_cantfrag twice: once in ip_output, once in ip_forward, as
    NetBSD 1.5 counts it."""
    if_.ifunit(b"le1").if_mtu = 576
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", payload=bytes(1000), off=h.IP_DF))
    (pkt, _), = sent("le0")
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_NEEDFRAG
    assert int.from_bytes(pkt[26:28], "big") == 576
    assert delta() == {"ips_total": 1, "ips_cantforward": 1, "ips_cantfrag": 2,
                       "ips_localout": 1}


def test_too_big_is_fragmented(gw):
    if_.ifunit(b"le1").if_mtu = 576
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", payload=bytes(1000)))
    assert len(sent("le1")) == 2
    assert delta() == {"ips_total": 1, "ips_forward": 1, "ips_fragmented": 1,
                       "ips_ofragments": 1}


def _fill_send_queue(ifp):
    with kernel_lock:
        for _ in range(ifp.if_snd.ifq_maxlen):
            if_.IF_ENQUEUE(ifp.if_snd, mb.m_get(mb.M_DONTWAIT, h.MT_DATA))


def test_full_send_queue_sends_source_quench(gw):
    """ENOBUFS from the way out becomes a source quench (NetBSD 1.5)."""
    ifp = if_.ifunit(b"le1")
    ifp.if_mtu = 68
    _fill_send_queue(ifp)
    try:
        inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", payload=bytes(100)))
        (pkt, _), = sent("le0")
        assert pkt[20] == h.ICMP_SOURCEQUENCH
        assert delta()["ips_cantforward"] == 1
    finally:
        with kernel_lock:
            if_.if_qflush(ifp.if_snd)
    assert ipkt.mbufs_back()


def test_quench_lost_when_the_header_is_in_a_cluster(gw):
    """BUGS (ip(4)): a packet big enough to arrive in a cluster shares its header with
    the copy ip_forward keeps; ip_output's changes to the header (MF, network order)
    then make icmp_error take it for a later fragment, and no quench is sent."""
    ifp = if_.ifunit(b"le1")
    ifp.if_mtu = 576
    _fill_send_queue(ifp)
    try:
        inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.2", payload=bytes(1000)))
        assert sent("le0") == []
        assert delta("icmp") == {"icps_error": 1}
    finally:
        with kernel_lock:
            if_.if_qflush(ifp.if_snd)
    assert ipkt.mbufs_back()


def test_our_address_on_a_down_interface_is_unreachable(gw):
    """A packet for an address whose interface is down is not forwarded round in a
    loop: host unreachable and ips_cantforward (the "downmatch")."""
    ipkt.set_down(gw, b"le1")
    ipkt.baseline()
    inject(b"le0", ip(src="10.0.0.2", dst="10.0.1.1"))
    (pkt, _), = sent("le0")
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_HOST
    assert delta()["ips_cantforward"] == 1
