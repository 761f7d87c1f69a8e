"""ether_input and the le receive path against arbitrary and mutated frames.

Whatever bytes arrive, the kernel never raises; each frame the board
hears is counted exactly once by the driver (if_ipackets or
if_ierrors), each one ether_input passes to IP exactly once more
(ips_total), and once the reassembly queues and the ARP table are
emptied the mbufs in use are back where they started.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ethertest import ifconfig, arp_packet, ether_frame, icmp_message, ifnet, in_use_mbufs, ip_packet, lladdr, mac
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net.if_le import le_inject
from kern.netinet import if_ether, ip_input

PEER = mac("8:0:20:1:2:3")
BCAST = b"\xff" * 6


@pytest.fixture
def le0(kernel, sc):
    ifconfig(sc, "lo0", "127.0.0.1")
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    return lladdr("le0")


def valid_frames(me):
    """Frames a real host might send le0: ARP both ways, IP with ICMP, broadcast or not."""
    return [
        ether_frame(BCAST, PEER, h.ETHERTYPE_ARP,
                    arp_packet(h.ARPOP_REQUEST, PEER, "10.0.0.2", bytes(6), "10.0.0.1")),
        ether_frame(me, PEER, h.ETHERTYPE_ARP,
                    arp_packet(h.ARPOP_REPLY, PEER, "10.0.0.2", me, "10.0.0.1")),
        ether_frame(me, PEER, h.ETHERTYPE_IP,
                    ip_packet("10.0.0.2", "10.0.0.1", h.IPPROTO_ICMP,
                              icmp_message(h.ICMP_ECHO, 0, bytes(4) + b"data" * 8))),
        ether_frame(BCAST, PEER, h.ETHERTYPE_IP,
                    ip_packet("10.0.0.2", "10.255.255.255", h.IPPROTO_UDP, bytes(16))),
        ether_frame(me, PEER, h.ETHERTYPE_IP,
                    ip_packet("10.0.0.2", "10.0.0.1", h.IPPROTO_ICMP, bytes(1400))),
    ]


def _quiesce():
    """Empty what may legitimately hold mbufs between frames: reassembly, ARP's held packets."""
    with kernel_lock:
        ip_input.ip_drain()
        for i in range(if_ether.ARPTAB_SIZE):
            if if_ether.arptab[i].at_flags:
                if_ether.arptfree(if_ether.arptab + i)


def _check(frame, me):
    ifp = ifnet("le0")
    before = (ifp.if_ipackets, ifp.if_ierrors, ip_input.ipstat.ips_total, in_use_mbufs())
    le_inject("le0", frame)
    _quiesce()
    ipk = ifp.if_ipackets - before[0]
    ierr = ifp.if_ierrors - before[1]
    total = ip_input.ipstat.ips_total - before[2]
    heard = not (len(frame) >= 6 and not frame[0] & 1 and frame[:6] != me)
    assert ipk + ierr == (1 if heard else 0)
    is_ip = ipk and frame[12:14] == b"\x08\x00"
    assert total == (1 if is_ip else 0)
    assert in_use_mbufs() == before[3]


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.binary(max_size=1600), unicast=st.booleans())
def test_arbitrary_bytes(le0, data, unicast):
    frame = (le0 + data[6:]) if unicast and len(data) >= 6 else data
    _check(frame, le0)


@SETTINGS
@given(which=st.integers(0, 4), flips=st.lists(st.tuples(st.integers(6, 1500), st.integers(0, 255)),
                                               max_size=6), cut=st.integers(0, 1600))
def test_mutated_valid_frames(le0, which, flips, cut):
    frame = bytearray(valid_frames(le0)[which])
    for pos, val in flips:
        if pos < len(frame):
            frame[pos] = val
    _check(bytes(frame[:max(cut, 15)]), le0)
