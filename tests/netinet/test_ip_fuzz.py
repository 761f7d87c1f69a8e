"""Fuzzing ip_input: arbitrary bytes and mutated valid packets.

For every packet: the kernel never raises; ips_total counts it; exactly
one outcome counter accounts for it (a drop reason, ips_cantforward,
ips_forward, ips_fragments, ips_delivered or ips_noproto), except for
the two silent cases NetBSD 1.5 has -- a multicast source ("XXX stat")
and a source-routed packet that ip_forward answers with an ICMP error
(counted in icps_error); and the mbufs in use return to what they were
once the reassembly queues are drained.
"""

import socket

from hypothesis import HealthCheck, given, settings, strategies as st

from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.netinet import ip_input

import ipkt
from ipkt import icmp, inject, ip
from ipkt import net  # noqa: F401  (fixture)

OUTCOMES = ("ips_toosmall", "ips_badvers", "ips_badhlen", "ips_badsum", "ips_badlen",
            "ips_tooshort", "ips_badoptions", "ips_cantforward", "ips_forward",
            "ips_badfrags", "ips_fragments", "ips_delivered", "ips_noproto")

ECHO = icmp(h.ICMP_ECHO, 0, b"\x00\x01\x00\x02", b"abcdefgh")
QUOTE = ip(src="10.0.0.1", dst="10.0.0.9", p=17, payload=bytes(8))
BASES = [
    ip(payload=b"payload!"),
    ip(p=1, payload=ECHO),
    ip(p=1, payload=icmp(h.ICMP_UNREACH, 3, data=QUOTE)),
    ip(p=1, payload=icmp(h.ICMP_REDIRECT, 1, socket.inet_aton("10.0.0.77"), QUOTE)),
    ip(p=1, payload=icmp(h.ICMP_TSTAMP, 0, bytes(4), bytes(12))),
    ip(payload=bytes(40), off=h.IP_MF),
    ip(payload=bytes(16), off=5),
    ip(hl=7, options=bytes((h.IPOPT_RR, 7, 4)) + bytes(5)),
    ip(hl=8, options=bytes((h.IPOPT_TS, 12, 5, 1)) + bytes(8)),
    ip(hl=7, options=bytes((1, h.IPOPT_LSRR, 7, 4)) + socket.inet_aton("10.0.0.9")),
    ip(dst="10.0.0.255", p=1, payload=ECHO),
    ip(dst="10.0.0.7"),
]


def mutate(base: bytes, edits, cut, extra) -> bytes:
    data = bytearray(base)
    for pos, val in edits:
        if data:
            data[pos % len(data)] = val
    data = data[:cut] if cut is not None else data
    return bytes(data) + extra


packets = st.one_of(
    st.binary(max_size=120),
    st.builds(mutate, st.sampled_from(BASES),
              st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=4),
              st.one_of(st.none(), st.integers(0, 80)),
              st.binary(max_size=16)),
)


def multicast_source(data: bytes) -> bool:
    return len(data) >= 16 and 224 <= data[12] <= 239


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=packets)
def test_every_packet_is_accounted_for(net, data):
    ipkt.baseline()
    before_icmp_errors = ip_icmp_errors()
    inject(b"le0", data)
    d = ipkt.delta()
    assert d.get("ips_total") == 1
    n = sum(d.get(k, 0) for k in OUTCOMES) - d.get("ips_reassembled", 0)
    if n == 0:
        assert multicast_source(data) or ip_icmp_errors() > before_icmp_errors, (data, d)
    else:
        assert n == 1, (data, d)
    with kernel_lock:
        ip_input.ip_drain()
    ipkt.captured.clear()
    assert ipkt.mbufs_back(), (data, ipkt.mbufs_in_use())


def ip_icmp_errors() -> int:
    from kern.netinet import ip_icmp
    return ip_icmp.icmpstat.icps_error
