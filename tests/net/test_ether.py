"""The le driver and ether_input/ether_output: what a frame does to the counters.

Frames are built from struct ether_header and injected into a board as
if they came off its wire (le_inject); what a board puts on the wire is
captured (le_capture).  The receive checks are lance_read's and the
input dispatch NetBSD's ether_input (kernel-paths reference section 1);
the output path is ether_output (section 5.3).
"""

import pytest

from ethertest import (ifconfig, arp_ioctl, arp_packet, arpreq, ether_frame, ifnet, in_use_mbufs, lladdr, mac,
                       msgbuf_text, send_ip, set_flags)
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import if_le
from kern.net.if_le import le_capture, le_inject
from kern.netinet import if_ether

ffi = h.ffi
BCAST = b"\xff" * 6
PEER = mac("8:0:20:1:2:3")


@pytest.fixture
def le0(kernel, sc):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    return lladdr("le0")


def counters(name="le0"):
    ifp = ifnet(name)
    return dict(ipackets=ifp.if_ipackets, ierrors=ifp.if_ierrors, opackets=ifp.if_opackets,
                oerrors=ifp.if_oerrors, collisions=ifp.if_collisions)


def request(tpa="10.0.0.9", dst=BCAST, spa="10.0.0.3"):
    return ether_frame(dst, PEER, h.ETHERTYPE_ARP,
                       arp_packet(h.ARPOP_REQUEST, PEER, spa, bytes(6), tpa))


ZERO = dict(ipackets=0, ierrors=0, opackets=0, oerrors=0, collisions=0)


def test_good_frame_counts_one_input_packet(le0):
    le_inject("le0", request())
    assert counters() == dict(ZERO, ipackets=1)


def test_frame_of_only_a_header_is_an_input_error(le0):
    le_inject("le0", ether_frame(BCAST, PEER, h.ETHERTYPE_ARP))
    assert counters() == dict(ZERO, ierrors=1)


def test_frame_shorter_than_a_header_is_an_input_error(le0):
    le_inject("le0", b"\xff" * 5)
    assert counters() == dict(ZERO, ierrors=1)


def test_frame_of_ethermtu_is_received(le0):
    base = in_use_mbufs()
    le_inject("le0", ether_frame(BCAST, PEER, 0x9000, bytes(h.ETHERMTU)))
    assert counters() == dict(ZERO, ipackets=1)
    assert in_use_mbufs() == base


def test_frame_longer_than_ethermtu_is_an_input_error(le0):
    le_inject("le0", ether_frame(BCAST, PEER, h.ETHERTYPE_ARP, bytes(h.ETHERMTU + 1)))
    assert counters() == dict(ZERO, ierrors=1)


def test_unicast_for_another_station_is_not_heard(le0):
    le_inject("le0", request(dst=mac("8:0:20:9:9:9")))
    assert counters() == ZERO


def test_unicast_for_us_is_heard(le0):
    le_inject("le0", request(dst=le0))
    assert counters() == dict(ZERO, ipackets=1)


def test_promiscuous_board_counts_other_stations_frames_and_drops_them(le0, sc):
    with kernel_lock:
        ifnet("le0").if_flags |= h.IFF_PROMISC
    base = in_use_mbufs()
    with le_capture("le0") as out:
        le_inject("le0", request(tpa="10.0.0.1", dst=mac("8:0:20:9:9:9")))
    assert counters() == dict(ZERO, ipackets=1)
    assert out == [] and in_use_mbufs() == base


def test_multicast_frames_pass_the_filter(le0):
    le_inject("le0", request(dst=mac("1:0:5e:0:0:1")))
    assert counters() == dict(ZERO, ipackets=1)


@pytest.mark.parametrize("etype", [h.ETHERTYPE_PUP, h.ETHERTYPE_REVARP, h.ETHERTYPE_TRAIL + 1, 0x9000, 0])
def test_unknown_types_are_freed_without_a_counter(le0, etype):
    """Trailers, reverse ARP and the rest: received (ipackets) and dropped, nothing else."""
    base = in_use_mbufs()
    le_inject("le0", ether_frame(BCAST, PEER, etype, bytes(46)))
    assert counters() == dict(ZERO, ipackets=1)
    assert in_use_mbufs() == base


def test_unconfigured_board_hears_nothing(kernel):
    le_inject("le0", request())
    assert counters() == ZERO


def test_board_marked_down_hears_nothing(le0, sc):
    assert set_flags(sc, b"le0", off=h.IFF_UP) & 0xFFFF == h.IFF_BROADCAST | h.IFF_RUNNING
    le_inject("le0", request())
    assert counters() == ZERO


def test_interface_not_up_drops_in_ether_input(le0):
    """The board still runs but the interface is down: counted, then freed uncounted."""
    with kernel_lock:
        ifnet("le0").if_flags &= ~h.IFF_UP
    with le_capture("le0") as out:
        le_inject("le0", request(tpa="10.0.0.1"))
    assert counters() == dict(ZERO, ipackets=1)
    assert out == []


def _queued_flags(frame):
    """The m_flags of the packet ether_input queues on arpintrq for this frame."""
    from kern.net import if_
    from kern.net.netisr import dosoftint
    with kernel_lock:
        if_le._units[0].hear(frame)
        if_le.leintr(0)
        m = if_.IF_DEQUEUE(if_ether.arpintrq)
        flags = m.m_flags
        if_.IF_PREPEND(if_ether.arpintrq, m)
        dosoftint()
    return flags


def test_broadcast_frame_is_marked_M_BCAST(le0):
    assert _queued_flags(request()) & (h.M_BCAST | h.M_MCAST) == h.M_BCAST


def test_multicast_frame_is_marked_M_MCAST(le0):
    assert _queued_flags(request(dst=mac("1:0:5e:0:0:1"))) & (h.M_BCAST | h.M_MCAST) == h.M_MCAST


def test_unicast_frame_is_not_marked(le0):
    assert _queued_flags(request(dst=le0)) & (h.M_BCAST | h.M_MCAST) == 0


def test_receive_ring_overflow_counts_input_errors(le0):
    """More frames than receive descriptors before the interrupt: the rest are missed."""
    with kernel_lock:
        for _ in range(if_le.LERXRING + 3):
            if_le._units[0].hear(request())
        if_le.le_settle()
    assert counters() == dict(ZERO, ipackets=if_le.LERXRING, ierrors=3)


def test_output_puts_the_header_in_front(le0, sc):
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", PEER))
    with le_capture("le0") as out:
        assert send_ip("le0", "10.0.0.2", payload=b"abc" * 20) == 0
    assert out == [ether_frame(PEER, le0, h.ETHERTYPE_IP, b"abc" * 20)]
    assert counters() == dict(ZERO, opackets=1)


def test_output_on_a_down_interface_is_ENETDOWN(le0, sc):
    base = in_use_mbufs()
    set_flags(sc, b"le0", off=h.IFF_UP)
    assert send_ip("le0", "10.0.0.2") == h.ENETDOWN
    assert in_use_mbufs() == base


def test_output_of_an_unknown_family_is_EAFNOSUPPORT(le0):
    from kern import ksyms
    from kern.uipc_mbuf import m_devget
    sa = ffi.new("struct sockaddr *")
    sa.sa_family = h.AF_NS
    base = in_use_mbufs()
    with kernel_lock:
        ifp = ifnet("le0")
        assert ksyms.call(ifp.if_output, ifp, m_devget(b"x" * 20, 20), sa) == h.EAFNOSUPPORT
    assert "le0: can't handle af6\n" in msgbuf_text()
    assert in_use_mbufs() == base


def test_full_send_queue_is_ENOBUFS_and_counted_in_ifq_drops(le0, sc):
    """With the board stopped under an interface left up, if_snd fills to ifq_maxlen."""
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", PEER))
    with kernel_lock:
        if_le._units[0].running = False
    for _ in range(50):
        assert send_ip("le0", "10.0.0.2") == 0
    assert send_ip("le0", "10.0.0.2") == h.ENOBUFS
    snd = ifnet("le0").if_snd
    assert snd.ifq_len == 50 and snd.ifq_drops == 1
    with kernel_lock:
        if_le._units[0].running = True
        if_le.lestart(ifnet("le0"))
    assert snd.ifq_len == 0 and counters()["opackets"] == 50


def test_multicast_destination_maps_to_a_group_address(le0):
    with le_capture("le0") as out:
        send_ip("le0", "224.1.2.3")
    assert out[0][:6] == mac("1:0:5e:1:2:3")


# Two boards of one kernel on one wire.

TWO = """
options INET
pseudo-device loop
pseudo-device ether
device le0 at wire "lan0"
device le1 at wire "lan0"
"""


@pytest.fixture
def two(kernel, sc):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    ifconfig(sc, "le1", "10.0.0.2", "netmask", "255.0.0.0")
    return sc


@pytest.mark.config(TWO)
def test_two_boards_on_one_wire_hear_each_other(two):
    from kern.net import if_
    from kern.uipc_mbuf import m_devget
    frame = request(tpa="10.0.0.9")
    with le_capture("le0") as out0:
        with kernel_lock:
            if_.IF_ENQUEUE(ifnet("le0").if_snd, m_devget(frame, len(frame)))
            if_le.lestart(ifnet("le0"))
            if_le.le_settle()
    assert out0 == [frame]
    assert counters("le0") == dict(ZERO, opackets=1)
    assert counters("le1") == dict(ZERO, ipackets=1)


@pytest.mark.config(TWO)
def test_two_boards_resolve_each_other(two):
    """le0 asks for 10.0.0.2; le1 answers; le0 learns le1's address."""
    with le_capture("le1") as out1:
        send_ip("le0", "10.0.0.2")     # the reply and its packet come back asynchronously
        with kernel_lock:
            if_le.le_settle()
    ar = arpreq("10.0.0.2")
    arp_ioctl(two, h.SIOCGARP, ar)
    assert ffi.buffer(ar.arp_ha.sa_data, 6)[:] == lladdr("le1")
    assert out1[0][:6] == lladdr("le0")          # le1 answered le0 directly


def test_a_board_that_cannot_join_its_wire_says_so_and_stays_stopped(kernel, sc):
    """The wires folder is a file: no socket can be made there."""
    import os
    from ethertest import ifconfig
    with open(os.path.join(os.path.dirname(kernel), "wires"), "w"):
        pass
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    assert "le0: can't join wire lan0: " in msgbuf_text()
    assert not ifnet("le0").if_flags & h.IFF_RUNNING
    le_inject("le0", request())
    assert counters() == ZERO
