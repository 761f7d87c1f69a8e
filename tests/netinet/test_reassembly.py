"""Reassembly: ip_reass, ip_freef, ip_slowtimo and ip_drain.

Fragments of a datagram are injected on le0 in various orders; the
reassembled datagram must reach a raw socket byte for byte, the
counters must move as NetBSD 1.5 moves them (kernel-paths reference,
section 2.4), and every mbuf -- including the MT_FTABLE mbuf holding
the reassembly header -- must be back when it is over.
"""

import pytest

from kern import kern_clock
from kern.headers import native as h
from kern.netinet import ip_input

import ipkt
from ipkt import delta, fragment, inject, ip
from ipkt import net  # noqa: F401  (fixture)

ffi = h.ffi
PAYLOAD = bytes((i * 13 + 7) & 0xFF for i in range(200))


def datagram(id=0x4321, payload=PAYLOAD):
    return ip(p=253, payload=payload, id=id)


def receive(sc, s):
    buf = ffi.new("char[]", 4096)
    n = sc.recv(s, buf, 4096, h.MSG_DONTWAIT)
    return ffi.buffer(buf, n)[:]


def queues() -> int:
    """Reassembly headers on the kernel's ipq list."""
    n, fp = 0, ip_input.ipq.next
    while fp != ip_input.ipq:
        n, fp = n + 1, fp.next
    return n


@pytest.fixture
def sock(net):
    s = net.socket(h.AF_INET, h.SOCK_RAW, 253)
    yield s
    net.close(s)


def check_whole(net, sock, payload=PAYLOAD):
    data = receive(net, sock)
    hdr = ffi.cast("struct ip *", ffi.from_buffer(data))
    assert data[20:] == payload
    assert hdr.ip_len == len(payload) and hdr.ip_off == 0


def test_in_order(net, sock):
    """Three fragments in order: ips_fragments 3, one datagram reassembled and delivered."""
    for f in fragment(datagram(), [(0, 80), (80, 80), (160, 40)]):
        inject(b"le0", f)
    assert delta() == {"ips_total": 3, "ips_fragments": 3, "ips_reassembled": 1,
                       "ips_delivered": 1}
    check_whole(net, sock)
    assert queues() == 0 and ipkt.mbufs_back()


def test_reverse_order(net, sock):
    frags = fragment(datagram(), [(0, 80), (80, 80), (160, 40)])
    for f in reversed(frags):
        inject(b"le0", f)
    assert delta()["ips_reassembled"] == 1
    check_whole(net, sock)
    assert queues() == 0 and ipkt.mbufs_back()


def test_first_fragment_holds_a_reassembly_header(net, sock):
    """The first fragment makes a struct ipq in an MT_FTABLE mbuf on the ipq list."""
    (first,) = fragment(datagram(), [(0, 80)])
    before = ipkt.mbufs_in_use().get(h.MT_FTABLE, 0)
    inject(b"le0", first)
    assert queues() == 1
    assert ipkt.mbufs_in_use()[h.MT_FTABLE] == before + 1
    fp = ip_input.ipq.next
    assert fp.ipq_ttl == h.IPFRAGTTL and fp.ipq_p == 253
    assert fp.ipq_src.s_addr == ipkt.addr("10.0.0.2")


def test_overlap_lower_offset_keeps_its_bytes(net, sock):
    """Two overlapping fragments: the one at the lower offset keeps the shared bytes,
    whichever arrives first (the queued one's tail is not overwritten)."""
    good = datagram()
    a, = fragment(good, [(0, 96)])
    bogus = bytearray(good)
    bogus[20 + 80:20 + 96] = b"X" * 16              # bytes 80..95 differ in the second
    b, = fragment(bytes(bogus), [(80, 120)])
    inject(b"le0", b)
    inject(b"le0", a)
    check_whole(net, sock)
    assert delta()["ips_reassembled"] == 1 and "ips_fragdropped" not in delta()
    assert ipkt.mbufs_back()


def test_overlap_new_fragment_trims_the_next(net, sock):
    """A new fragment's data wins over the head of a queued one after it."""
    good = datagram()
    bogus = bytearray(good)
    bogus[20 + 80:20 + 96] = b"Y" * 16
    late, = fragment(bytes(bogus), [(80, 120)])
    early, = fragment(good, [(0, 96)])
    inject(b"le0", late)
    inject(b"le0", early)          # its bytes 80..95 trim the queued fragment's head
    check_whole(net, sock)


def test_covered_fragment_is_freed(net, sock):
    """A new fragment covering a queued one entirely frees it (no counter)."""
    frags = fragment(datagram(), [(80, 40), (0, 160), (160, 40)])
    for f in frags:
        inject(b"le0", f)
    assert delta() == {"ips_total": 3, "ips_fragments": 3, "ips_reassembled": 1,
                       "ips_delivered": 1}
    check_whole(net, sock)
    assert ipkt.mbufs_back()


def test_duplicate_is_dropped(net, sock):
    """A fragment whose data is all there already: ips_fragdropped."""
    frags = fragment(datagram(), [(0, 80), (80, 80), (160, 40)])
    inject(b"le0", frags[0])
    inject(b"le0", frags[0])
    assert delta()["ips_fragdropped"] == 1
    inject(b"le0", frags[1])
    inject(b"le0", frags[2])
    check_whole(net, sock)
    assert queues() == 0 and ipkt.mbufs_back()


def test_missing_piece_times_out_after_30_seconds(net, sock):
    """Without its middle piece the datagram waits IPFRAGTTL slow ticks (30 s on the
    hand clock) and is freed: ips_fragtimeout once for the datagram."""
    frags = fragment(datagram(), [(0, 80), (80, 80), (160, 40)])
    inject(b"le0", frags[0])
    inject(b"le0", frags[2])
    ticks = h.IPFRAGTTL * kern_clock.hz // h.PR_SLOWHZ        # 30 s
    kern_clock.tick_clock(ticks - kern_clock.hz)
    assert queues() == 1
    kern_clock.tick_clock(kern_clock.hz)
    assert queues() == 0
    assert delta() == {"ips_total": 2, "ips_fragments": 2, "ips_fragtimeout": 1}
    assert ipkt.mbufs_back()


def test_bad_fragment_length(net, sock):
    """A fragment with more to come must carry a non-zero multiple of 8: ips_badfrags."""
    inject(b"le0", ip(p=253, payload=bytes(20), off=h.IP_MF))
    assert delta() == {"ips_total": 1, "ips_badfrags": 1}
    assert ipkt.mbufs_back()


def test_too_long_datagram(net, sock):
    """Fragments adding up past IP_MAXPACKET: ips_toolong, the queue freed."""
    step = 1456
    for off in range(0, 45 * step, step):
        inject(b"le0", ip(p=253, payload=bytes(step), off=(off >> 3) | h.IP_MF))
    inject(b"le0", ip(p=253, payload=bytes(16), off=(45 * step) >> 3))
    assert delta() == {"ips_total": 46, "ips_fragments": 46, "ips_toolong": 1}
    assert queues() == 0 and ipkt.mbufs_back()


def test_separate_datagrams_do_not_mix(net, sock):
    """Fragments are matched on id, source, destination and protocol."""
    a = fragment(datagram(id=1), [(0, 80), (80, 120)])
    b = fragment(datagram(id=2, payload=PAYLOAD[::-1]), [(0, 80), (80, 120)])
    inject(b"le0", a[0])
    inject(b"le0", b[0])
    assert queues() == 2
    inject(b"le0", b[1])
    inject(b"le0", a[1])
    check_whole(net, sock, PAYLOAD[::-1])
    check_whole(net, sock, PAYLOAD)
    assert queues() == 0 and ipkt.mbufs_back()


def test_unfragmented_datagram_leaves_a_matching_queue_alone(net, sock):
    """The "flush the queue" branch is unreachable in NetBSD: a whole datagram with the
    same id passes and the queued fragment stays until it times out."""
    inject(b"le0", fragment(datagram(), [(0, 80)])[0])
    inject(b"le0", datagram())
    assert queues() == 1
    check_whole(net, sock)


def test_reserved_flag_alone_is_not_a_fragment(net, sock):
    """IP_RF is ignored by the reassembly test."""
    inject(b"le0", ip(p=253, payload=b"rf", off=h.IP_RF))
    assert delta() == {"ips_total": 1, "ips_delivered": 1}


def test_drain_frees_queues(net, sock):
    """ip_drain (called when mbufs run short) frees every queue: ips_fragdropped each."""
    from kern.kern_synch import kernel_lock
    inject(b"le0", fragment(datagram(id=1), [(0, 80)])[0])
    inject(b"le0", fragment(datagram(id=2), [(0, 80)])[0])
    with kernel_lock:
        ip_input.ip_drain()
    assert delta()["ips_fragdropped"] == 2
    assert queues() == 0 and ipkt.mbufs_back()


SMALL_MAP = """\
options         INET, NMBCLUSTERS=3
pseudo-device   loop
pseudo-device   ether
device          le0 at wire "lan0"
"""


@pytest.mark.config(SMALL_MAP)
def test_running_out_of_mbufs_drains_the_queues(net, sock):
    """When the mbuf map is full, m_reclaim calls ip_drain through IP's pr_drain: the
    waiting fragments are freed (ips_fragdropped), m_drain counts it, and the
    allocation that asked gets one of the freed mbufs (m_wait)."""
    from kern import uipc_mbuf as mb
    from kern.kern_synch import kernel_lock
    inject(b"le0", fragment(datagram(), [(0, 80)])[0])
    assert queues() == 1
    s = mb.mbstat
    held = []
    with kernel_lock:
        while True:
            m = mb.m_get(mb.M_DONTWAIT, h.MT_DATA)
            if m is None:
                break
            held.append(m)
        assert s.m_wait == 1 and s.m_drops == 1 and s.m_drain == 2
        for m in held:
            mb.m_free(m)
    assert queues() == 0 and delta()["ips_fragdropped"] == 1
    assert ipkt.mbufs_back()
