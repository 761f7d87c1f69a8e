"""Interface taps into pcap files (kern/net/bpf.py; DESIGN.md section 6).

lo0's tap carries each looped packet behind its address family
(DLT_NULL), an Ethernet board's whole frames both ways (DLT_EN10MB);
the file is libpcap's savefile, read here with the header's structs.
"""

import sys

import pytest

from ethertest import arp_packet, ether_frame, ifconfig, lladdr, mac
from kern import config, init_main, kern_clock
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import bpf, if_
from kern.net.if_le import le_capture, le_inject
from tests.conftest import read_pcap
from tests.syscall.udpkit import sin

ffi = h.ffi
PEER = mac("8:0:20:1:2:3")


def tap(name: bytes, path) -> int:
    with kernel_lock:
        return bpf.bpf_open(if_.ifunit(name), str(path))


def untap(name: bytes) -> int:
    with kernel_lock:
        return bpf.bpf_close(if_.ifunit(name))


def test_lo0_tap_holds_each_looped_datagram_behind_its_family(sc, tmp_path):
    ifconfig(sc, "lo0", "127.0.0.1")
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert tap(b"lo0", tmp_path / "lo0.pcap") == 0
    sc.sendto(s, ffi.from_buffer(b"hello"), 5, 0, sin("127.0.0.1", 9), 16)
    assert untap(b"lo0") == 0
    hdr, records = read_pcap(tmp_path / "lo0.pcap")
    assert (hdr.magic, hdr.version_major, hdr.version_minor) == (h.TCPDUMP_MAGIC, 2, 4)
    assert (hdr.snaplen, hdr.linktype) == (h.BPF_MAXSNAP, h.DLT_NULL)
    (rec, pkt), (_, refusal) = records          # the datagram, and port 9's answer
    assert rec.len == rec.caplen == 4 + 20 + 8 + 5
    assert int.from_bytes(pkt[:4], sys.byteorder) == h.AF_INET
    assert pkt[4 + 9] == h.IPPROTO_UDP and pkt.endswith(b"hello")
    assert rec.ts_sec == kern_clock.time_p.tv_sec
    assert refusal[4 + 9] == h.IPPROTO_ICMP
    assert (refusal[24], refusal[25]) == (h.ICMP_UNREACH, h.ICMP_UNREACH_PORT)


def test_an_ethernet_tap_holds_frames_sent_and_received(sc, tmp_path):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    path = tmp_path / "le0.pcap"
    assert tap(b"le0", path) == 0
    request = ether_frame(b"\xff" * 6, PEER, h.ETHERTYPE_ARP,
                          arp_packet(h.ARPOP_REQUEST, PEER, "10.0.0.3", bytes(6), "10.0.0.1"))
    with le_capture("le0") as sent:
        le_inject("le0", request)               # asks for us: the board answers
    assert untap(b"le0") == 0
    hdr, records = read_pcap(path)
    assert hdr.linktype == h.DLT_EN10MB
    assert [pkt for _, pkt in records] == [request] + sent
    assert sent[0][:6] == PEER and sent[0][6:12] == lladdr("le0")


def test_a_tap_on_a_closed_file_sees_nothing_more(sc, tmp_path):
    ifconfig(sc, "lo0", "127.0.0.1")
    assert tap(b"lo0", tmp_path / "a.pcap") == 0
    assert untap(b"lo0") == 0
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    sc.sendto(s, ffi.from_buffer(b"x"), 1, 0, sin("127.0.0.1", 9), 16)
    assert read_pcap(tmp_path / "a.pcap")[1] == []


def test_tap_errors(kernel, tmp_path):
    assert tap(b"lo0", tmp_path / "no" / "such" / "dir.pcap") == h.ENOENT
    assert tap(b"lo0", tmp_path / "a.pcap") == 0
    assert tap(b"lo0", tmp_path / "b.pcap") == h.EBUSY      # one tap an interface
    assert untap(b"lo0") == 0
    assert untap(b"lo0") == h.ENXIO                         # not tapped


@pytest.mark.config(config.GENERIC + "pseudo-device   sl 1\n")
def test_an_interface_without_a_link_type_cannot_be_tapped(kernel, tmp_path):
    assert tap(b"sl0", tmp_path / "sl0.pcap") == h.ENXIO


def test_a_new_boot_closes_the_taps_of_the_last(kernel, tmp_path):
    assert tap(b"lo0", tmp_path / "a.pcap") == 0
    init_main.boot(None, str(tmp_path / "run2"))
    assert bpf.taps == {}
