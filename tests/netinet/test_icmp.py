"""ICMP: icmp_input's checks and answers, icmp_error's rules, redirects.

Messages are injected on le0 (10.0.0.1/24) from 10.0.0.2; answers are
captured where le0 would send them.  The counters are icmpstat's
(kernel-paths reference, section 4).
"""

import socket

import pytest

from kern import kern_clock
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import route
from kern.netinet import ip_icmp
from kern.uipc_mbuf import M_BCAST

import ipkt
from ipkt import delta, icmp, inject, ip
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi
ECHO_REST = (0x1234).to_bytes(2, "big") + (7).to_bytes(2, "big")


def only_packet():
    (ifname, pkt, dst, flags), = ipkt.captured
    ipkt.captured.clear()
    return pkt


def icmp_socket(sc):
    return sc.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)


def raw_recv(sc, s):
    buf = ffi.new("char[]", 2048)
    n = sc.recv(s, buf, 2048, h.MSG_DONTWAIT)
    return ffi.buffer(buf, n)[:]


def nonblocking(sc, s):
    sc.ioctl(s, h.FIONBIO, ffi.new("int *", 1))


def test_echo_is_answered(net):
    """An echo request gets an echo reply with the same identifier, sequence and data,
    from our address, with TTL 255; icps_reflect and both histograms count it."""
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_ECHO, 0, ECHO_REST, b"ping-data")))
    pkt = only_packet()
    hdr = ipkt.parse(pkt)
    assert ipkt.dotted(hdr.ip_src.s_addr) == "10.0.0.1"
    assert ipkt.dotted(hdr.ip_dst.s_addr) == "10.0.0.2"
    assert hdr.ip_ttl == h.MAXTTL and hdr.ip_p == h.IPPROTO_ICMP
    assert ipkt.cksum(pkt[:20]) == 0 and ipkt.cksum(pkt[20:]) == 0
    assert pkt[20] == h.ICMP_ECHOREPLY and pkt[24:] == ECHO_REST + b"ping-data"
    assert delta("icmp") == {"icps_inhist[8]": 1, "icps_outhist[0]": 1, "icps_reflect": 1}
    assert delta() == {"ips_total": 1, "ips_delivered": 1, "ips_localout": 1}
    assert ipkt.mbufs_back()


def test_echo_to_the_subnet_broadcast_is_answered_from_our_address(net):
    """NetBSD 1.5 does not suppress broadcast echo; the reply comes from the address
    whose broadcast it was sent to."""
    inject(b"le0", ip(dst="10.0.0.255", p=1, payload=icmp(h.ICMP_ECHO, 0, ECHO_REST)),
           flags=M_BCAST)
    hdr = ipkt.parse(only_packet())
    assert ipkt.dotted(hdr.ip_src.s_addr) == "10.0.0.1"


def test_echo_is_not_given_to_raw_sockets(net):
    """What the kernel answers goes no further."""
    s = icmp_socket(net)
    nonblocking(net, s)
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_ECHO, 0, ECHO_REST)))
    with pytest.raises(OSError) as e:
        raw_recv(net, s)
    assert e.value.errno == h.EWOULDBLOCK


def test_too_short(net):
    inject(b"le0", ip(p=1, payload=b"\x08\x00\x00"))
    assert delta("icmp") == {"icps_tooshort": 1}
    assert ipkt.captured == [] and ipkt.mbufs_back()


def test_bad_checksum(net):
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_ECHO, 0, ECHO_REST, sum=0x5555)))
    assert delta("icmp") == {"icps_checksum": 1}
    assert ipkt.captured == [] and ipkt.mbufs_back()


def test_unknown_type_goes_to_raw_without_history(net):
    """A type beyond ICMP_MAXTYPE is not counted in icps_inhist; raw sockets get it."""
    s = icmp_socket(net)
    inject(b"le0", ip(p=1, payload=icmp(40)))
    assert delta("icmp") == {}
    assert raw_recv(net, s)[20] == 40


def quoted(p=17, dst="10.0.0.2", src="10.0.0.1"):
    """The header and 8 bytes of a datagram we sent, as an error message quotes it."""
    return ip(src=src, dst=dst, p=p, payload=b"\x04\xd2\x00\x35\x00\x08\x00\x00")


def test_unreachable_goes_to_raw(net):
    """A destination unreachable about a datagram of ours counts in icps_inhist and is
    given to the raw ICMP sockets (the quoted protocol's pr_ctlinput too, if any)."""
    s = icmp_socket(net)
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_UNREACH, h.ICMP_UNREACH_PORT, data=quoted())))
    assert delta("icmp") == {"icps_inhist[3]": 1}
    assert raw_recv(net, s)[20:22] == bytes((3, 3))


def test_unreachable_with_bad_code(net):
    """An unreachable code past 13: icps_badcode, still given to raw sockets."""
    s = icmp_socket(net)
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_UNREACH, 20, data=quoted())))
    assert delta("icmp") == {"icps_inhist[3]": 1, "icps_badcode": 1}
    assert raw_recv(net, s)[21] == 20


@pytest.mark.parametrize("type, code", [(h.ICMP_TIMXCEED, 2), (h.ICMP_PARAMPROB, 2),
                                        (h.ICMP_SOURCEQUENCH, 1)])
def test_other_errors_with_bad_codes(net, type, code):
    inject(b"le0", ip(p=1, payload=icmp(type, code, data=quoted())))
    assert delta("icmp") == {f"icps_inhist[{type}]": 1, "icps_badcode": 1}


def test_unreachable_quote_too_short(net):
    """An error quoting less than a header and 8 bytes: icps_badlen, and dropped."""
    s = icmp_socket(net)
    nonblocking(net, s)
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_UNREACH, 1, data=quoted()[:24])))
    assert delta("icmp") == {"icps_inhist[3]": 1, "icps_badlen": 1}
    with pytest.raises(OSError):
        raw_recv(net, s)


def test_unreachable_about_a_multicast_destination_is_a_bad_code(net):
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_UNREACH, 1, data=quoted(dst="224.1.1.1"))))
    assert delta("icmp") == {"icps_inhist[3]": 1, "icps_badcode": 1}


def test_timestamp_is_answered_with_the_kernel_time(net):
    """A timestamp request gets its receive and transmit times set to iptime()."""
    rest = bytes(4)
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_TSTAMP, 0, rest, bytes(12))))
    pkt = only_packet()
    assert pkt[20] == h.ICMP_TSTAMPREPLY
    t = kern_clock.time_p
    want = ((t.tv_sec % 86400) * 1000 + t.tv_usec // 1000).to_bytes(4, "big")
    assert pkt[32:36] == want and pkt[36:40] == want
    assert delta("icmp")["icps_reflect"] == 1


def test_timestamp_too_short(net):
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_TSTAMP, 0, bytes(4), bytes(8))))
    assert delta("icmp") == {"icps_inhist[13]": 1, "icps_badlen": 1}
    assert ipkt.captured == []


def test_mask_request_ignored_by_default(net):
    """icmpmaskrepl is 0: the request goes to raw sockets only."""
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_MASKREQ, 0, bytes(4), bytes(4))))
    assert ipkt.captured == []
    assert delta("icmp") == {"icps_inhist[17]": 1}


def test_mask_request_answered_when_enabled(net):
    ip_icmp.icmpmaskrepl = 1
    inject(b"le0", ip(p=1, payload=icmp(h.ICMP_MASKREQ, 0, bytes(4), bytes(4))))
    pkt = only_packet()
    assert pkt[20] == h.ICMP_MASKREPLY and socket.inet_ntoa(pkt[28:32]) == "255.255.255.0"


def test_redirect_changes_the_route(net, sc):
    """A redirect from our router for a destination makes a dynamic host route through
    the new gateway (rtredirect, rts_dynamic); traffic then goes there."""
    ipkt.add_route(sc, "0.0.0.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    assert ipkt.route_to("192.168.7.7")[0] == "10.0.0.254"
    before = route.rtstat.rts_dynamic
    msg = icmp(h.ICMP_REDIRECT, h.ICMP_REDIRECT_HOST, socket.inet_aton("10.0.0.253"),
               quoted(dst="192.168.7.7"))
    inject(b"le0", ip(src="10.0.0.254", p=1, payload=msg))
    assert route.rtstat.rts_dynamic == before + 1
    gw, flags = ipkt.route_to("192.168.7.7")
    assert gw == "10.0.0.253" and flags & h.RTF_DYNAMIC and flags & h.RTF_HOST
    assert delta("icmp") == {"icps_inhist[5]": 1}
    assert route.rt_audit() == []


def test_redirect_from_a_stranger_is_bad(net, sc):
    """A redirect not from the route's current gateway: rts_badredirect, no change."""
    ipkt.add_route(sc, "0.0.0.0", "10.0.0.254", h.RTF_GATEWAY | h.RTF_UP)
    before = route.rtstat.rts_badredirect
    msg = icmp(h.ICMP_REDIRECT, 1, socket.inet_aton("10.0.0.253"), quoted(dst="192.168.7.7"))
    inject(b"le0", ip(src="10.0.0.9", p=1, payload=msg))
    assert route.rtstat.rts_badredirect == before + 1
    assert ipkt.route_to("192.168.7.7")[0] == "10.0.0.254"


def test_redirect_with_bad_code(net):
    msg = icmp(h.ICMP_REDIRECT, 4, socket.inet_aton("10.0.0.253"), quoted())
    inject(b"le0", ip(p=1, payload=msg))
    assert delta("icmp") == {"icps_inhist[5]": 1, "icps_badcode": 1}


# -- icmp_error

def test_error_counts_icps_error_and_quotes_the_datagram(net):
    """A protocol unreachable: icps_error, icps_outhist[3], the old header (with ip_len
    and ip_off back in network order) and 8 bytes quoted."""
    orig = ip(p=253, payload=b"ABCDEFGHIJKL", off=h.IP_DF)
    inject(b"le0", orig)
    pkt = only_packet()
    assert delta("icmp") == {"icps_error": 1, "icps_outhist[3]": 1}
    quote = pkt[28:]
    # rip_input took the header length off ip_len before the quote was made.
    assert quote[:2] == orig[:2] and quote[2:4] == (12).to_bytes(2, "big")
    assert quote[6:8] == orig[6:8] and quote[12:20] == orig[12:20]
    assert quote[20:] == b"ABCDEFGH"


def test_no_error_about_an_icmp_error(net):
    """An ICMP error with a bad option earns no parameter problem: icps_oldicmp."""
    msg = icmp(h.ICMP_UNREACH, 1, data=quoted())
    inject(b"le0", ip(p=1, payload=msg, hl=6, options=bytes((h.IPOPT_RR, 0, 0, 0))))
    assert delta("icmp") == {"icps_error": 1, "icps_oldicmp": 1}
    assert delta()["ips_badoptions"] == 1 and ipkt.captured == []


def test_error_about_an_echo_is_sent(net):
    """Queries are not errors: a bad option in an echo request gets its parameter problem,
    pointing at the option's length byte."""
    msg = icmp(h.ICMP_ECHO, 0, ECHO_REST)
    inject(b"le0", ip(p=1, payload=msg, hl=6, options=bytes((h.IPOPT_RR, 0, 0, 0))))
    pkt = only_packet()
    assert pkt[20] == h.ICMP_PARAMPROB and pkt[21] == 0 and pkt[24] == 21


def test_no_error_about_a_later_fragment(net):
    """A fragment other than the first gets no error (icps_error still counts)."""
    inject(b"le0", ip(p=1, payload=bytes(8), off=2, hl=6,
                      options=bytes((h.IPOPT_RR, 0, 0, 0))))
    assert delta("icmp") == {"icps_error": 1}
    assert ipkt.captured == []


def test_no_error_about_a_link_level_broadcast(net):
    inject(b"le0", ip(p=253, payload=bytes(30)), flags=M_BCAST)
    assert delta("icmp") == {"icps_error": 1}
    assert ipkt.captured == [] and ipkt.mbufs_back()


def test_errors_are_rate_limited(net):
    """At most one error a millisecond of kernel time; the next tick allows another."""
    inject(b"le0", ip(p=253, payload=bytes(30)))
    inject(b"le0", ip(p=253, payload=bytes(30)))
    assert len(ipkt.captured) == 1
    assert delta("icmp") == {"icps_error": 2, "icps_outhist[3]": 1}
    kern_clock.tick_clock(1)
    inject(b"le0", ip(p=253, payload=bytes(30)))
    assert len(ipkt.captured) == 2


def test_reflect_ignores_a_bad_source(net):
    """An echo from an address that cannot be answered (class E) is not answered."""
    inject(b"le0", ip(src="240.0.0.1", p=1, payload=icmp(h.ICMP_ECHO, 0, ECHO_REST)))
    assert ipkt.captured == []
    assert delta("icmp")["icps_reflect"] == 1 and ipkt.mbufs_back()


def test_long_quote_takes_a_cluster(net):
    """A quote of a 60-byte header does not fit a header mbuf here; it still goes out."""
    opts = bytes((h.IPOPT_NOP,)) * 39 + bytes((h.IPOPT_EOL,))
    inject(b"le0", ip(p=253, payload=bytes(30), hl=15, options=opts))
    pkt = only_packet()
    assert len(pkt) == 20 + 8 + 60 + 8
    assert ipkt.mbufs_back()


def test_errors_reach_the_quoted_protocols_ctlinput(net):
    """An unreachable about a datagram of protocol p calls inetsw[ip_protox[p]]'s
    pr_ctlinput with the PRC_ code, the quoted destination, and the quoted header
    (its ip_len back in host order)."""
    from kern import ksyms
    from kern.netinet import ip_input
    calls = []

    def ctlinput(cmd, sa, qip):
        sin = ffi.cast("struct sockaddr_in *", sa)
        calls.append((cmd, ipkt.dotted(sin.sin_addr.s_addr), qip.ip_len, qip.ip_p))
    pr = ip_input.inetsw[ip_input.ip_protox[253]]
    saved = pr.pr_ctlinput
    pr.pr_ctlinput = ksyms.text(ctlinput, "test_ctlinput")
    try:
        q = quoted(p=253, dst="10.0.0.9")
        inject(b"le0", ip(p=1, payload=icmp(h.ICMP_UNREACH, h.ICMP_UNREACH_PORT, data=q)))
        inject(b"le0", ip(p=1, payload=icmp(h.ICMP_TIMXCEED, 1, data=q)))
    finally:
        pr.pr_ctlinput = saved
    assert calls == [(h.PRC_UNREACH_PORT, "10.0.0.9", 28, 253),
                     (h.PRC_TIMXCEED_REASS, "10.0.0.9", 28, 253)]
