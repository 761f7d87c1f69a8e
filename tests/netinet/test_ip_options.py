"""ip_dooptions: record route, timestamps, source routes, and bad options.

Options are checked before "for us?", so they apply to every packet.  A
bad option earns an ICMP parameter problem whose pointer is the offset
of the bad byte, and ips_badoptions (kernel-paths reference, 2.1).
"""

import socket

import pytest

from kern import kern_clock
from kern.headers import native as h

import ipkt
from ipkt import delta, inject, ip
from ipkt import gw, net  # noqa: F401  (fixtures)

ffi = h.ffi
NOP, EOL = h.IPOPT_NOP, h.IPOPT_EOL


def recv_raw(sc, s):
    buf = ffi.new("char[]", 512)
    n = sc.recv(s, buf, 512, h.MSG_DONTWAIT)
    return ffi.buffer(buf, n)[:]


def opt_packet(options: bytes, **kw):
    assert len(options) % 4 == 0
    return ip(hl=5 + len(options) // 4, options=options, **kw)


def only():
    (_, pkt, _, _), = ipkt.captured
    return pkt


def test_record_route_gets_our_address(net):
    """An RR option with room records the address the packet arrived for."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((NOP, h.IPOPT_RR, 11, 4)) + bytes(8)))
    data = recv_raw(net, s)
    assert data[23] == 8 and socket.inet_ntoa(data[24:28]) == "10.0.0.1"
    assert delta() == {"ips_total": 1, "ips_delivered": 1}


def test_record_route_full_is_ignored(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((NOP, h.IPOPT_RR, 7, 8)) + bytes(4)))
    data = recv_raw(net, s)
    assert data[23] == 8 and data[24:28] == bytes(4)


def test_record_route_pointer_too_small(net):
    """A pointer below 4: parameter problem pointing at the pointer byte."""
    inject(b"le0", opt_packet(bytes((h.IPOPT_RR, 7, 3)) + bytes(5), p=1,
                              payload=ipkt.icmp(h.ICMP_ECHO)))
    pkt = only()
    assert pkt[20] == h.ICMP_PARAMPROB and pkt[24] == 22
    assert delta()["ips_badoptions"] == 1


@pytest.mark.parametrize("options, pointer", [
    (bytes((h.IPOPT_RR, 0, 0, 0)), 21),                 # length 0
    (bytes((NOP, h.IPOPT_RR, 9, 4)), 22),               # longer than what is left
    (bytes((NOP, NOP, NOP, h.IPOPT_TS)) + bytes(4), 24),  # TS too short: its type byte
])
def test_malformed_options(net, options, pointer):
    inject(b"le0", opt_packet(options, p=1, payload=ipkt.icmp(h.ICMP_ECHO)))
    pkt = only()
    assert pkt[20] == h.ICMP_PARAMPROB and pkt[24] == pointer
    assert delta() == {"ips_total": 1, "ips_badoptions": 1, "ips_localout": 1}


def test_unknown_options_are_skipped(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((0x5E, 4, 1, 2))))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}
    recv_raw(net, s)


def test_timestamp_only(net):
    """A timestamp option gets iptime() in its next slot."""
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((h.IPOPT_TS, 12, 5, h.IPOPT_TS_TSONLY)) + bytes(8)))
    data = recv_raw(net, s)
    t = kern_clock.time_p
    assert data[22] == 9
    assert data[24:28] == ((t.tv_sec % 86400) * 1000 + t.tv_usec // 1000).to_bytes(4, "big")


def test_timestamp_with_address(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((h.IPOPT_TS, 12, 5, h.IPOPT_TS_TSANDADDR)) + bytes(8)))
    data = recv_raw(net, s)
    assert data[22] == 13 and socket.inet_ntoa(data[24:28]) == "10.0.0.1"


def test_timestamp_full_counts_overflow(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    inject(b"le0", opt_packet(bytes((h.IPOPT_TS, 8, 9, h.IPOPT_TS_TSONLY)) + bytes(4)))
    data = recv_raw(net, s)
    assert data[23] >> 4 == 1                 # ipt_oflw, the high nibble


def test_timestamp_overflow_wrapping_is_a_parameter_problem(net):
    inject(b"le0", opt_packet(bytes((h.IPOPT_TS, 8, 9, 0xF0 | h.IPOPT_TS_TSONLY)) + bytes(4),
                              p=1, payload=ipkt.icmp(h.ICMP_ECHO)))
    pkt = only()
    assert pkt[20] == h.ICMP_PARAMPROB and pkt[24] == 20


def test_timestamp_unknown_flag(net):
    inject(b"le0", opt_packet(bytes((h.IPOPT_TS, 12, 5, 2)) + bytes(8), p=1,
                              payload=ipkt.icmp(h.ICMP_ECHO)))
    assert only()[20] == h.ICMP_PARAMPROB


def test_strict_source_route_not_at_us_fails(gw):
    """SSRR whose current destination is not ours: source route failed."""
    opts = bytes((NOP, h.IPOPT_SSRR, 7, 4)) + socket.inet_aton("10.0.1.2")
    inject(b"le0", opt_packet(opts, src="10.0.0.2", dst="10.0.1.9"))
    (_, pkt, _, _), = ipkt.captured
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_SRCFAIL


def test_loose_source_route_is_followed(gw):
    """LSRR through us: the next hop becomes the destination, our address is recorded,
    and the packet is forwarded at once."""
    opts = bytes((NOP, h.IPOPT_LSRR, 7, 4)) + socket.inet_aton("10.0.1.2")
    inject(b"le0", opt_packet(opts, src="10.0.0.2", dst="10.0.0.1"))
    (name, pkt, dst, _), = ipkt.captured
    assert name == "le1" and ipkt.dotted(dst) == "10.0.1.2"
    assert pkt[23] == 8 and socket.inet_ntoa(pkt[24:28]) == "10.0.1.1"
    assert delta()["ips_forward"] == 1


def test_source_routing_refused_when_not_allowed(gw):
    from kern.netinet import ip_input
    ip_input.ip_allowsrcrt = 0
    opts = bytes((NOP, h.IPOPT_LSRR, 7, 4)) + socket.inet_aton("10.0.1.2")
    inject(b"le0", opt_packet(opts, src="10.0.0.2", dst="10.0.0.1"))
    (_, pkt, _, _), = ipkt.captured
    assert pkt[20] == h.ICMP_UNREACH and pkt[21] == h.ICMP_UNREACH_NET_PROHIB


def test_source_route_used_up_is_for_us(net):
    """At the end of its route a source-routed packet is ours; the route is saved and
    the reply goes back along it reversed: first hop the router that recorded itself,
    then the original source (save_rte, ip_srcroute, icmp_reflect)."""
    opts = bytes((NOP, h.IPOPT_LSRR, 7, 8)) + socket.inet_aton("10.0.0.254")
    inject(b"le0", opt_packet(opts, src="192.168.1.9", dst="10.0.0.1", p=1,
                              payload=ipkt.icmp(h.ICMP_ECHO)))
    pkt = only()
    hdr = ipkt.parse(pkt)
    assert hdr.ip_hl == 7 and ipkt.dotted(hdr.ip_dst.s_addr) == "10.0.0.254"
    assert pkt[20:24] == bytes((NOP, h.IPOPT_LSRR, 7, 4))
    assert socket.inet_ntoa(pkt[24:28]) == "192.168.1.9"
    assert pkt[28] == h.ICMP_ECHOREPLY and ipkt.cksum(pkt[:28]) == 0


def test_reply_keeps_record_route(net):
    """icmp_reflect copies a record-route option into the reply."""
    opts = bytes((h.IPOPT_RR, 7, 4)) + bytes(4) + bytes((EOL,))
    inject(b"le0", opt_packet(opts, p=1, payload=ipkt.icmp(h.ICMP_ECHO)))
    pkt = only()
    assert ipkt.parse(pkt).ip_hl == 7                # 4 + 7 bytes padded to 12, less ipopt_dst
    assert pkt[20] == h.IPOPT_RR and ipkt.cksum(pkt[:28]) == 0
