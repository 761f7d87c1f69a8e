"""ARP on one board: requests, replies, learning, proxy entries, duplicates, ageing.

Frames are injected into le0 as if they came off the wire and the
frames le0 sends are captured (le_inject, le_capture in
kern/net/if_le.py); each test states what a host on the wire would see.
Behaviour is 4.3BSD-Tahoe if_ether.c 7.7 (kernel-paths reference 5.3).
"""

import pytest

from ethertest import (ifconfig, arp_ioctl, arp_packet, arpreq, ether_frame, ha_bytes, in_addr, in_use_mbufs,
                       mac, msgbuf_text, parse_arp, send_ip, set_flags, lladdr)
from kern import kern_clock, param
from kern.headers import native as h
from kern.net.if_le import le_capture, le_inject
from kern.netinet import if_ether
from kern.syscalls import SysError

ffi = h.ffi
BCAST = b"\xff" * 6
PEER = mac("8:0:20:1:2:3")
TRAIL = h.ETHERTYPE_TRAIL


@pytest.fixture
def le0(kernel, sc):
    """le0 at 10.0.0.1/8; returns its station address."""
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    return lladdr("le0")


def request(spa, tpa, sha=PEER, pro=h.ETHERTYPE_IP):
    return ether_frame(BCAST, sha, h.ETHERTYPE_ARP, arp_packet(h.ARPOP_REQUEST, sha, spa, bytes(6), tpa, pro=pro))


def reply(spa, tpa, tha, sha=PEER, pro=h.ETHERTYPE_IP):
    return ether_frame(tha, sha, h.ETHERTYPE_ARP, arp_packet(h.ARPOP_REPLY, sha, spa, tha, tpa, pro=pro))


def entry(sc, ip):
    """(flags, ether) of an ARP entry, or None."""
    ar = arpreq(ip)
    try:
        arp_ioctl(sc, h.SIOCGARP, ar)
    except SysError:
        return None
    return ar.arp_flags, ha_bytes(ar)


def arps(frames):
    out = []
    for f in frames:
        eh, ea = parse_arp(f)
        out.append(dict(dst=ffi.buffer(eh.ether_dhost)[:], type=int.from_bytes(f[12:14], "big"),
                        op=int.from_bytes(f[20:22], "big"), pro=int.from_bytes(f[16:18], "big"),
                        sha=ffi.buffer(ea.arp_sha)[:], spa=f[28:32], tha=ffi.buffer(ea.arp_tha)[:],
                        tpa=f[38:42]))
    return out


def ip(dotted):
    return in_addr(dotted).to_bytes(4, "little")


def test_request_for_our_address_is_answered_then_with_a_trailer_offer(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    r = arps(out)
    assert len(r) == 2
    assert r[0] == dict(dst=PEER, type=h.ETHERTYPE_ARP, op=h.ARPOP_REPLY, pro=h.ETHERTYPE_IP,
                        sha=le0, spa=ip("10.0.0.1"), tha=PEER, tpa=ip("10.0.0.2"))
    assert r[1] == dict(r[0], pro=TRAIL)


def test_request_for_our_address_teaches_us_the_sender(le0, sc):
    le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE | h.ATF_COM, PEER)


def test_notrailers_interface_sends_only_the_ip_reply(le0, sc):
    set_flags(sc, b"le0", on=h.IFF_NOTRAILERS)
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    assert [a["pro"] for a in arps(out)] == [h.ETHERTYPE_IP]


def test_request_for_another_host_is_neither_answered_nor_learnt(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.3"))
    assert out == []
    assert entry(sc, "10.0.0.2") is None


def test_request_from_a_known_host_refreshes_its_address(le0, sc):
    """Any ARP packet from a host in the table updates its Ethernet address."""
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", mac("0:0:0:0:0:1")))
    le_inject("le0", request("10.0.0.2", "10.0.0.3"))
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE | h.ATF_COM, PEER)


def test_published_entry_is_answered_with_its_address(le0, sc):
    """Proxy ARP: a request for a 'pub' address gets the entry's address."""
    proxied = mac("0:0:c0:de:ad:1")
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.7", proxied, flags=h.ATF_PUBL))
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.7"))
    r = arps(out)
    assert len(r) == 2
    assert r[0]["sha"] == proxied and r[0]["spa"] == ip("10.0.0.7")
    assert r[0]["dst"] == PEER and r[0]["tpa"] == ip("10.0.0.2")
    assert entry(sc, "10.0.0.2") is None      # not for us: the sender is not learnt


def test_unpublished_entry_is_not_answered(le0, sc):
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.7", PEER))
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.7"))
    assert out == []


def test_request_claiming_our_address_is_logged_and_answered(le0, sc):
    """A duplicate address: logged, the claimant told our address, the table untouched."""
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.1", "10.0.0.9"))
    assert "duplicate IP address!! sent from ethernet address: 08:00:20:01:02:03\n" in msgbuf_text()
    r = arps(out)
    assert r[0]["dst"] == PEER and r[0]["sha"] == le0 and r[0]["spa"] == ip("10.0.0.1")
    assert r[0]["op"] == h.ARPOP_REPLY
    assert entry(sc, "10.0.0.1") is None


def test_reply_claiming_our_address_is_only_logged(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", reply("10.0.0.1", "10.0.0.1", le0))
    assert "duplicate IP address!!" in msgbuf_text()
    assert out == []


def test_broadcast_sender_address_is_logged_and_ignored(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.1", sha=BCAST))
    assert "arp: ether address is broadcast for IP address a000002!" in msgbuf_text()
    assert out == [] and entry(sc, "10.0.0.2") is None


def test_our_own_request_heard_back_is_ignored(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.1", "10.0.0.1", sha=le0))
    assert out == [] and "duplicate" not in msgbuf_text()


@pytest.mark.parametrize("mutate", [
    lambda p: p[:0] + (2).to_bytes(2, "big") + p[2:],          # hardware type not Ethernet
    lambda p: p[:2] + (0x0801).to_bytes(2, "big") + p[4:],     # protocol not IP
    lambda p: p[:4] + bytes([16, 4]) + p[6:],                  # announces more than it holds
    lambda p: p[:7],                                           # shorter than struct arphdr
    lambda p: (p[:4] + bytes([1, 1]) + p[6:])[:12],            # consistent, but too short for IP
])
def test_malformed_arp_packets_are_dropped(le0, sc, mutate):
    base = in_use_mbufs()
    pkt = mutate(arp_packet(h.ARPOP_REQUEST, PEER, "10.0.0.2", bytes(6), "10.0.0.1"))
    with le_capture("le0") as out:
        le_inject("le0", ether_frame(BCAST, PEER, h.ETHERTYPE_ARP, pkt))
    assert out == [] and entry(sc, "10.0.0.2") is None
    assert in_use_mbufs() == base


def test_address_lengths_are_not_checked_against_the_layout(le0, sc):
    """Tahoe reads the IP-over-Ethernet layout whatever ar_hln and ar_pln say."""
    pkt = arp_packet(h.ARPOP_REQUEST, PEER, "10.0.0.2", bytes(6), "10.0.0.1")
    with le_capture("le0") as out:
        le_inject("le0", ether_frame(BCAST, PEER, h.ETHERTYPE_ARP, pkt[:4] + bytes([1, 1]) + pkt[6:]))
    assert arps(out)[0]["op"] == h.ARPOP_REPLY


def test_noarp_interface_ignores_arp(le0, sc):
    set_flags(sc, b"le0", on=h.IFF_NOARP)
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    assert out == []


def test_trailer_request_marks_the_sender_for_trailers(le0, sc):
    with le_capture("le0") as out:
        le_inject("le0", request("10.0.0.2", "10.0.0.1", pro=TRAIL))
    assert entry(sc, "10.0.0.2")[0] == h.ATF_INUSE | h.ATF_COM | h.ATF_USETRAILERS
    assert [a["pro"] for a in arps(out)] == [TRAIL]   # answered in kind, once


def test_resolve_broadcasts_a_request_and_holds_the_packet(le0, sc):
    with le_capture("le0") as out:
        assert send_ip("le0", "10.0.0.2") == 0          # held: the caller sees success
    r = arps(out)
    assert r == [dict(dst=BCAST, type=h.ETHERTYPE_ARP, op=h.ARPOP_REQUEST, pro=h.ETHERTYPE_IP,
                      sha=le0, spa=ip("10.0.0.1"), tha=bytes(6), tpa=ip("10.0.0.2"))]
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE, bytes(6))


def test_reply_completes_the_entry_and_sends_the_held_packet(le0, sc):
    send_ip("le0", "10.0.0.2", payload=b"held packet data" * 2)
    with le_capture("le0") as out:
        le_inject("le0", reply("10.0.0.2", "10.0.0.1", le0))
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE | h.ATF_COM, PEER)
    assert out[0] == ether_frame(PEER, le0, h.ETHERTYPE_IP, b"held packet data" * 2)
    # The reply that completed the entry is answered with a trailer offer.
    r = arps(out[1:])
    assert len(r) == 1 and r[0]["pro"] == TRAIL and r[0]["dst"] == PEER


def test_only_the_last_packet_is_held_and_each_send_asks_again(le0, sc):
    base = in_use_mbufs()
    with le_capture("le0") as out:
        send_ip("le0", "10.0.0.2", payload=b"first" * 8)
        send_ip("le0", "10.0.0.2", payload=b"second" * 8)
    assert [a["op"] for a in arps(out)] == [h.ARPOP_REQUEST, h.ARPOP_REQUEST]
    assert in_use_mbufs() == base + 1               # only the second is held
    with le_capture("le0") as out:
        le_inject("le0", reply("10.0.0.2", "10.0.0.1", le0))
    assert out[0][14:] == b"second" * 8
    assert in_use_mbufs() == base


def test_resolved_address_is_used_without_asking(le0, sc):
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", PEER))
    with le_capture("le0") as out:
        send_ip("le0", "10.0.0.2", payload=b"p" * 30)
    assert out == [ether_frame(PEER, le0, h.ETHERTYPE_IP, b"p" * 30)]


def test_broadcast_destination_needs_no_arp(le0, sc):
    with le_capture("le0") as out:
        send_ip("le0", "10.255.255.255", payload=b"b" * 30)
    assert out[0][:6] == BCAST and out[0][12:14] == b"\x08\x00"


def test_noarp_interface_makes_the_address_from_the_host_part(le0, sc):
    set_flags(sc, b"le0", on=h.IFF_NOARP)
    with le_capture("le0") as out:
        send_ip("le0", "10.1.2.3", payload=b"n" * 30)
    assert out[0][:6] == le0[:3] + bytes([1, 2, 3])


def minutes(n):
    kern_clock.tick_clock(n * 60 * param.hz)


# arptimer first runs one second after the first entry is made, then
# every ARPT_AGE seconds; each run ages every entry by one, so an entry
# dies at the ARPT_KILLI-th (incomplete) or ARPT_KILLC-th (complete)
# run after it was made or last used.

def test_incomplete_entry_dies_at_the_third_ageing_with_its_packet(le0, sc):
    base = in_use_mbufs()
    send_ip("le0", "10.0.0.2")
    kern_clock.tick_clock(param.hz)                 # run 1
    minutes(1)                                      # run 2
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE, bytes(6))
    minutes(1)                                      # run 3
    assert entry(sc, "10.0.0.2") is None
    assert in_use_mbufs() == base


def test_complete_entry_dies_at_the_twentieth_ageing(le0, sc):
    le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    kern_clock.tick_clock(param.hz)
    minutes(18)                                     # run 19
    assert entry(sc, "10.0.0.2") is not None
    minutes(1)                                      # run 20
    assert entry(sc, "10.0.0.2") is None


def test_ageing_runs_once_a_minute(le0, sc):
    le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    kern_clock.tick_clock(param.hz)
    assert if_ether.ARPTAB_LOOK(in_addr("10.0.0.2")).at_timer == 1
    kern_clock.tick_clock(60 * param.hz - 1)
    assert if_ether.ARPTAB_LOOK(in_addr("10.0.0.2")).at_timer == 1
    kern_clock.tick_clock(1)
    assert if_ether.ARPTAB_LOOK(in_addr("10.0.0.2")).at_timer == 2


def test_use_restarts_the_age_of_an_entry(le0, sc):
    le_inject("le0", request("10.0.0.2", "10.0.0.1"))
    kern_clock.tick_clock(param.hz)
    minutes(15)
    send_ip("le0", "10.0.0.2")
    minutes(15)
    assert entry(sc, "10.0.0.2") is not None


def test_permanent_entry_never_ages(le0, sc):
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", PEER, flags=h.ATF_PERM))
    kern_clock.tick_clock(param.hz)
    minutes(100)
    assert entry(sc, "10.0.0.2") == (h.ATF_INUSE | h.ATF_COM | h.ATF_PERM, PEER)


def test_deleting_an_incomplete_entry_frees_its_packet(le0, sc):
    base = in_use_mbufs()
    send_ip("le0", "10.0.0.2")
    arp_ioctl(sc, h.SIOCDARP, arpreq("10.0.0.2"))
    assert in_use_mbufs() == base


def test_arpintrq_overflow_is_counted_in_its_drops(le0, sc):
    """ether_input queues on arpintrq (50 packets) and counts IF_DROP beyond."""
    from kern.kern_synch import kernel_lock
    from kern.net import if_le
    with kernel_lock:
        for _ in range(55):
            if_le._units[0].hear(request("10.0.0.2", "10.0.0.9"))
            if_le.leintr(0)
        assert if_ether.arpintrq.ifq_len == 50
        assert if_ether.arpintrq.ifq_drops == 5
        if_le.le_settle()
        from kern.net.netisr import dosoftint
        dosoftint()
    assert if_ether.arpintrq.ifq_len == 0


def test_bucket_of_permanent_entries_panics_arpresolve(le0, sc):
    """Tahoe panics when arptnew finds no slot for a packet to send (arp(4) BUGS)."""
    from ethertest import same_bucket
    from kern.subr_prf import Panic
    ips = same_bucket(if_ether.ARPTAB_BSIZ + 1)
    for a in ips[:-1]:
        arp_ioctl(sc, h.SIOCSARP, arpreq(a, PEER))
        arp_ioctl(sc, h.SIOCSARP, arpreq(a, PEER, flags=h.ATF_PERM))
    with pytest.raises(Panic, match="arpresolve: no free entry"):
        send_ip("le0", ips[-1])
    assert "panic: arpresolve: no free entry" in msgbuf_text()


def test_traffic_for_our_own_address_goes_through_the_loopback(le0, sc):
    from ethertest import ifnet
    ifconfig(sc, "lo0", "127.0.0.1")
    with le_capture("le0") as out:
        send_ip("le0", "10.0.0.1")
    assert out == [] and ifnet("lo0").if_opackets == 1


def test_without_useloopback_it_goes_to_our_own_station_address(le0, sc):
    """Clearing Tahoe's patchable useloopback forces such traffic onto the board."""
    from kern.kern_synch import kernel_lock
    with kernel_lock:
        if_ether.useloopback[0] = 0
    with le_capture("le0") as out:
        send_ip("le0", "10.0.0.1", payload=b"self" * 8)
    assert out == [ether_frame(le0, le0, h.ETHERTYPE_IP, b"self" * 8)]
