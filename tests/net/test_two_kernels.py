"""Kernels in separate processes on shared wires: ping, ARP both ways, a router.

Every kernel here is a child process (tests/kernelproc.py) configured
and questioned with the real utilities (ifconfig, route, arp, netstat,
ping); the wires are the real folders of datagram sockets beside their
run directories, and the test process itself joins a wire as a station
to watch the frames go by.
"""

import os
import re
import signal

import pytest

from ethertest import wait_frames
from kernelproc import KernelProc
from kern.headers import native as h
from kern.net import wire

ffi = h.ffi
HOST = 'options INET\npseudo-device loop\npseudo-device ether\ndevice le0 at wire "lan0"\n'
PING_LINE = re.compile(r"64 bytes from 10\.0\.0\.2: icmp_seq=(\d+)\. time=\d+\. ms")


def ifconfig(k, *args):
    k.ok("ifconfig", *args)


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    """Two kernels, k1 (10.0.0.1) and k2 (10.0.0.2), on wire lan0."""
    d = tmp_path_factory.mktemp("lan")
    k1, k2 = KernelProc(str(d / "k1"), HOST), KernelProc(str(d / "k2"), HOST)
    try:
        for k, addr in ((k1, "10.0.0.1"), (k2, "10.0.0.2")):
            ifconfig(k, "lo0", "127.0.0.1")
            ifconfig(k, "le0", addr, "netmask", "255.0.0.0")
        k1.write("hosts", "127.0.0.1\tlocalhost\n10.0.0.2\tk2 two\n")
        yield d, k1, k2
    finally:
        k1.close()
        k2.close()


def test_ping_across_the_wire(lan):
    _, k1, _ = lan
    out = k1.ok("ping", "-c", "3", "-i", "0.1", "10.0.0.2")
    lines = out.splitlines()
    assert lines[0] == "PING 10.0.0.2: 56 data bytes"
    assert [int(PING_LINE.fullmatch(x).group(1)) for x in lines[1:4]] == [0, 1, 2]
    assert lines[4:7] == ["", "----10.0.0.2 PING Statistics----",
                          "3 packets transmitted, 3 packets received, 0% packet loss"]
    assert re.fullmatch(r"round-trip \(ms\)  min/avg/max = \d+/\d+/\d+", lines[7])


def test_arp_learns_both_ways(lan):
    _, k1, k2 = lan
    k1.ok("ping", "-c", "1", "10.0.0.2")
    mac1 = k2.ok("arp", "10.0.0.1")
    assert re.fullmatch(r"10\.0\.0\.1 \(10\.0\.0\.1\) at [0-9a-f:]+ trailers\n", mac1)
    assert re.fullmatch(r"k2 \(10\.0\.0\.2\) at [0-9a-f:]+ trailers\n", k1.ok("arp", "-a"))
    assert re.fullmatch(r"\? \(10\.0\.0\.1\) at [0-9a-f:]+ trailers\n", k2.ok("arp", "-a"))


def test_ping_by_a_name_of_the_kernels_hosts_file(lan):
    _, k1, _ = lan
    out = k1.ok("ping", "-c", "1", "two")
    assert out.startswith("PING k2 (10.0.0.2): 56 data bytes\n64 bytes from 10.0.0.2: icmp_seq=0. ")


def test_counters_of_both_boards_agree(lan):
    """What one board sends, the other receives; nothing is lost or in error."""
    _, k1, k2 = lan
    before1, before2 = k1.ifnet("le0"), k2.ifnet("le0")
    k1.ok("ping", "-c", "4", "-i", "0.05", "10.0.0.2")
    after1, after2 = k1.ifnet("le0"), k2.ifnet("le0")
    sent1 = after1["opackets"] - before1["opackets"]
    assert sent1 == 4 == after2["ipackets"] - before2["ipackets"]
    assert after2["opackets"] - before2["opackets"] == 4 == after1["ipackets"] - before1["ipackets"]
    assert after1["ierrors"] == after1["oerrors"] == after2["ierrors"] == after2["oerrors"] == 0


def test_a_station_on_the_wire_sees_the_exchange(lan):
    """A third station hears both directions (each sender's frames in order,
    but two senders' frames in whatever order they reached it)."""
    d, k1, _ = lan
    k1.ok("ping", "-c", "1", "10.0.0.2")            # ARP is settled from here on
    tap = wire.Station(str(d / "wires"), "lan0", "tap")
    try:
        k1.ok("ping", "-c", "1", "10.0.0.2")
        frames = wait_frames(tap, 2)
    finally:
        tap.close()
    seen = sorted((f[12:14], f[14 + 9], f[14 + 20], f[14 + 12:14 + 20]) for f in frames)
    assert seen == [(b"\x08\x00", h.IPPROTO_ICMP, h.ICMP_ECHOREPLY, bytes([10, 0, 0, 2, 10, 0, 0, 1])),
                    (b"\x08\x00", h.IPPROTO_ICMP, h.ICMP_ECHO, bytes([10, 0, 0, 1, 10, 0, 0, 2]))]


def test_a_kernel_killed_on_the_wire_harms_nobody(tmp_path):
    k1 = KernelProc(str(tmp_path / "k1"), HOST)
    k3 = KernelProc(str(tmp_path / "k3"), HOST)
    try:
        ifconfig(k1, "le0", "10.0.0.1", "netmask", "255.0.0.0")
        ifconfig(k3, "le0", "10.0.0.3", "netmask", "255.0.0.0")
        k3.proc.send_signal(signal.SIGKILL)
        k3.proc.wait()
        stale = f"{k3.proc.pid}.le0"
        assert stale in os.listdir(tmp_path / "wires" / "lan0")
        # A broadcast goes to every station and comes back to k1 itself.
        out = k1.ok("ping", "-c", "1", "10.255.255.255")
        assert "1 packets received" in out
        assert os.listdir(tmp_path / "wires" / "lan0") == [f"{k1.proc.pid}.le0"]
        assert k1.ifnet("le0")["oerrors"] == 0
    finally:
        k1.close()
        k3.close()
    assert not (tmp_path / "wires" / "lan0").exists()


# A router between two wires, and a redirect.
#
#   k1 10.0.0.1 --- lan0 --- 10.0.0.254 router 192.168.1.254 --- lan1 --- k2 192.168.1.1
#                     |
#                     +----- k3 10.0.0.3
#
# k1 reaches lan1 through the router; it is also told, wrongly, that
# k3 is behind the router, which the router corrects with a redirect.

ROUTER = ('options INET, GATEWAY\npseudo-device loop\npseudo-device ether\n'
          'device le0 at wire "lan0"\ndevice le1 at wire "lan1"\n')


@pytest.fixture(scope="module")
def routed(tmp_path_factory):
    d = tmp_path_factory.mktemp("routed")
    ks = {}
    try:
        ks["r"] = KernelProc(str(d / "r"), ROUTER)
        ks["k1"] = KernelProc(str(d / "k1"), HOST)
        ks["k2"] = KernelProc(str(d / "k2"), HOST.replace("lan0", "lan1"))
        ks["k3"] = KernelProc(str(d / "k3"), HOST)
        ifconfig(ks["r"], "le0", "10.0.0.254", "netmask", "255.0.0.0")
        ifconfig(ks["r"], "le1", "192.168.1.254")
        ifconfig(ks["k1"], "le0", "10.0.0.1", "netmask", "255.0.0.0")
        ifconfig(ks["k3"], "le0", "10.0.0.3", "netmask", "255.0.0.0")
        ifconfig(ks["k2"], "le0", "192.168.1.1")
        # Tahoe's route wants a metric, and a network by its number
        # ("192.168.1"; "192.168.1.0" would hit inet_makeaddr's old bug).
        ks["k1"].ok("route", "add", "net", "192.168.1", "10.0.0.254", "1")
        ks["k1"].ok("route", "add", "host", "10.0.0.3", "10.0.0.254", "1")
        ks["k2"].ok("route", "add", "net", "10", "192.168.1.254", "1")
        yield d, ks
    finally:
        for k in ks.values():
            k.close()


def _stat(out: str, pattern: str) -> int:
    """A counter of netstat -s (or -rs) output, found by the words after it."""
    m = re.search(r"(\d+) " + pattern, out)
    return int(m.group(1)) if m else 0


FORWARDED, REDIRECTS = r"packets? forwarded", r"redirects? sent"


def test_router_forwards_between_two_wires(routed):
    _, ks = routed
    before = _stat(ks["r"].ok("netstat", "-s"), FORWARDED)
    out = ks["k1"].ok("ping", "-c", "2", "-i", "0.1", "192.168.1.1")
    assert "2 packets transmitted, 2 packets received, 0% packet loss" in out
    assert _stat(ks["r"].ok("netstat", "-s"), FORWARDED) - before == 4


def test_router_decrements_the_ttl(routed):
    d, ks = routed
    lan0 = wire.Station(str(d / "wires"), "lan0", "tap")
    lan1 = wire.Station(str(d / "wires"), "lan1", "tap")
    try:
        ks["k1"].ok("ping", "-c", "1", "192.168.1.1")
        on0 = [f for f in wait_frames(lan0, 2) if f[12:14] == b"\x08\x00" and f[14 + 20] == h.ICMP_ECHO]
        on1 = [f for f in wait_frames(lan1, 2) if f[12:14] == b"\x08\x00" and f[14 + 20] == h.ICMP_ECHO]
    finally:
        lan0.close()
        lan1.close()
    assert on0 and on1
    assert on0[0][14 + 8] == h.MAXTTL               # as k1 sent it
    assert on1[0][14 + 8] == h.MAXTTL - 1           # as the router passed it on


def test_router_redirects_a_host_on_the_same_wire(routed):
    """k1 sends k3's packets to the router, which forwards them back out the
    same board and tells k1, with a host redirect, to go to k3 directly;
    k1's route changes and rtstat counts it."""
    _, ks = routed
    routes = ks["k1"].ok("netstat", "-rn")
    assert re.search(r"10\.0\.0\.3\s+10\.0\.0\.254\s+UGH\s", routes)
    sent_before = _stat(ks["r"].ok("netstat", "-s"), REDIRECTS)
    out = ks["k1"].ok("ping", "-c", "1", "10.0.0.3")
    assert "1 packets received" in out
    assert _stat(ks["r"].ok("netstat", "-s"), REDIRECTS) - sent_before == 1
    routes = ks["k1"].ok("netstat", "-rn")
    assert re.search(r"10\.0\.0\.3\s+10\.0\.0\.3\s+UGHM\s", routes), routes
    assert _stat(ks["k1"].ok("netstat", "-rs"), r"new gateways? due to redirects") == 1
    # The next packet goes straight to k3: the router forwards nothing more.
    fwd = _stat(ks["r"].ok("netstat", "-s"), FORWARDED)
    ks["k1"].ok("ping", "-c", "1", "10.0.0.3")
    assert _stat(ks["r"].ok("netstat", "-s"), FORWARDED) == fwd
