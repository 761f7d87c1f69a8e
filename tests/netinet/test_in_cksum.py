"""in_cksum over mbuf chains: equal to the plain RFC 1071 sum, whatever the split."""

import socket

from hypothesis import HealthCheck, given, settings, strategies as st

from kern.headers import native as h
from kern.netinet.in_cksum import in4_cksum, in_cksum, in_cksum_phdr
from kern import uipc_mbuf as mb

import ipkt

ffi = h.ffi
FIXTURE = [HealthCheck.function_scoped_fixture]   # one kernel serves every example


def chain(data: bytes, cuts):
    """A packet-header chain holding data, split at the given offsets (with odd splits)."""
    pieces, last = [], 0
    for c in sorted(set(c for c in cuts if 0 < c < len(data))) + [len(data)]:
        pieces.append(data[last:c])
        last = c
    head = prev = None
    for i, piece in enumerate(pieces):
        m = mb.m_gethdr(mb.M_DONTWAIT, h.MT_DATA) if i == 0 else mb.m_get(mb.M_DONTWAIT, h.MT_DATA)
        if len(piece) > mb.MHLEN:
            mb.MCLGET(m, mb.M_DONTWAIT)
        m.m_data += (i * 3) % 5                  # odd alignments inside the storage
        m.m_buf[m.m_data:m.m_data + len(piece)] = piece
        m.m_len = len(piece)
        if prev is None:
            head = m
        else:
            prev.m_next = m
        prev = m
    head.m_pkthdr.len = len(data)
    return head


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE)
@given(data=st.binary(min_size=1, max_size=3000),
       cuts=st.lists(st.integers(0, 3000), max_size=6))
def test_in_cksum_equals_rfc1071(kernel, data, cuts):
    m = chain(data, cuts)
    try:
        assert in_cksum(m, len(data)) == ipkt.cksum(data)
        if len(data) > 3:
            assert in_cksum(m, len(data) - 3) == ipkt.cksum(data[:-3])
    finally:
        mb.m_freem(m)


def test_verifying_a_correct_header_gives_zero(kernel):
    m = chain(ipkt.ip(payload=b"xyz"), [7])
    assert in_cksum(m, 20) == 0
    mb.m_freem(m)


def test_all_zero_data_sums_to_ffff(kernel):
    m = chain(bytes(20), [])
    assert in_cksum(m, 20) == 0xFFFF
    mb.m_freem(m)


def test_chain_shorter_than_asked_prints_out_of_data(kernel):
    from kern import subr_prf
    m = chain(b"\x01\x02\x03", [])
    assert in_cksum(m, 10) == ipkt.cksum(b"\x01\x02\x03")
    buf = subr_prf.msgbuf
    assert b"cksum: out of data" in ffi.buffer(buf.msg_bufc, buf.msg_bufx)[:]
    mb.m_freem(m)


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE)
@given(payload=st.binary(max_size=600), cut=st.integers(0, 620))
def test_in4_cksum_covers_the_pseudo_header(kernel, payload, cut):
    """UDP's checksum: source, destination, zero, protocol, length, then the data."""
    pkt = ipkt.ip(src="10.1.2.3", dst="192.168.9.1", p=17, payload=payload)
    pseudo = socket.inet_aton("10.1.2.3") + socket.inet_aton("192.168.9.1") + \
        bytes((0, 17)) + len(payload).to_bytes(2, "big")
    m = chain(pkt, [max(cut, 20)])
    assert in4_cksum(m, 17, 20, len(payload)) == ipkt.cksum(pseudo + payload)
    assert in4_cksum(m, 0, 20, len(payload)) == ipkt.cksum(payload)
    mb.m_freem(m)


def test_in_cksum_phdr_is_the_uncomplemented_pseudo_sum(kernel):
    src, dst = ipkt.addr("10.1.2.3"), ipkt.addr("192.168.9.1")
    lenproto = socket.htons(8 + 17)
    pseudo = socket.inet_aton("10.1.2.3") + socket.inet_aton("192.168.9.1") + \
        (8 + 17).to_bytes(2, "big")
    assert in_cksum_phdr(src, dst, lenproto) == (~ipkt.cksum(pseudo)) & 0xFFFF
