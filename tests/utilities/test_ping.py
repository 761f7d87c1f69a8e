"""ping(8) against an in-process kernel: output, options, errors and exit codes.

The expected lines are 4.3BSD-Tahoe etc/ping.c 4.9's formats
(utilities-reference section 5.1); SVR4's (section 5.2) where the
personality says so.  The cross-wire cases are in
tests/net/test_two_kernels.py.
"""

import io
import os
import re

import pytest

from ethertest import ifconfig, ifnet, svr4_abi
from kern.headers import native as h
from usr_sbin.ping import ping

LOCAL = re.compile(r"64 bytes from 127\.0\.0\.1: icmp_seq=(\d+)\. time=(\d+)\. ms")


@pytest.fixture
def net(kernel, sc):
    ifconfig(sc, "lo0", "127.0.0.1")
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    with open(os.path.join(kernel, "hosts"), "w") as f:
        f.write("127.0.0.1\tlocalhost loghost\n10.0.0.1\tmyself\n10.0.0.9\tnobody\n")
    return sc


def run(sc, *argv, kernel=None):
    out, err = io.StringIO(), io.StringIO()
    etc = None if kernel is None else kernel
    status = ping.main(list(argv), sc=sc, out=out, err=err, etc=etc)
    return status, out.getvalue(), err.getvalue()


def test_three_echoes_and_the_summary(net):
    status, out, err = run(net, "-c", "3", "-i", "0", "127.0.0.1")
    lines = out.split("\n")
    assert status == 0 and err == ""
    assert lines[0] == "PING 127.0.0.1: 56 data bytes"
    assert [int(LOCAL.fullmatch(x).group(1)) for x in lines[1:4]] == [0, 1, 2]
    assert lines[4] == ""
    assert lines[5] == "----127.0.0.1 PING Statistics----"
    assert lines[6] == "3 packets transmitted, 3 packets received, 0% packet loss"
    assert re.fullmatch(r"round-trip \(ms\)  min/avg/max = \d+/\d+/\d+", lines[7])
    assert lines[8:] == [""]


def test_a_name_shows_its_address_in_the_ping_line(net, kernel):
    status, out, _ = run(net, "-c", "1", "loghost", kernel=kernel)
    assert out.startswith("PING localhost (127.0.0.1): 56 data bytes\n")
    assert "----localhost PING Statistics----" in out


def test_our_own_ethernet_address_answers_through_the_loopback(net):
    before = ifnet("lo0").if_opackets
    status, out, _ = run(net, "-c", "2", "-i", "0", "10.0.0.1")
    assert status == 0 and "2 packets received" in out
    assert ifnet("lo0").if_opackets - before == 4          # the echoes and the replies
    assert ifnet("le0").if_opackets == 0


def test_datasize_and_npackets_as_tahoe_gave_them(net):
    status, out, _ = run(net, "-i", "0", "127.0.0.1", "100", "2")
    assert out.startswith("PING 127.0.0.1: 100 data bytes\n108 bytes from 127.0.0.1: icmp_seq=0. time=")
    assert "2 packets transmitted, 2 packets received" in out


def test_s_option_sets_the_datasize(net):
    status, out, _ = run(net, "-s", "200", "-c", "1", "127.0.0.1")
    assert "208 bytes from 127.0.0.1: icmp_seq=0." in out


def test_short_datasize_means_no_timing(net):
    """Below 8 data bytes there is no room for the time: no time=, no round-trip line."""
    status, out, _ = run(net, "-c", "1", "127.0.0.1", "4")
    assert "12 bytes from 127.0.0.1: icmp_seq=0. \n" in out
    assert "round-trip" not in out


def test_letters_tahoe_does_not_know_are_ignored(net):
    status, out, _ = run(net, "-xyz", "-c", "1", "127.0.0.1")
    assert status == 0 and "1 packets received" in out


def test_no_host_is_the_usage_on_stdout(net):
    status, out, err = run(net)
    assert (status, out, err) == (1, "Usage:  ping [-drv] host [data size] [npackets]\n", "")


def test_option_without_its_value_is_the_usage(net):
    status, out, _ = run(net, "-c")
    assert status == 1 and out.startswith("Usage:")


def test_unknown_host(net, kernel):
    status, out, err = run(net, "nowhere", kernel=kernel)
    assert (status, out, err) == (1, "ping: unknown host nowhere\n", "")


def test_packet_size_too_large(net):
    status, out, err = run(net, "127.0.0.1", "4097")
    assert (status, out, err) == (1, "", "ping: packet size too large\n")


def test_datasize_the_raw_socket_buffers_take(net):
    """Raw sockets have 2048-byte buffers, as in 4.3: 2000 data bytes go and come back."""
    status, out, _ = run(net, "-c", "1", "127.0.0.1", "2000")
    assert "2008 bytes from 127.0.0.1: icmp_seq=0." in out


def test_bad_wait_time(net):
    status, out, err = run(net, "-i", "soon", "127.0.0.1")
    assert (status, err) == (1, "ping: bad wait time soon\n")


def test_not_root_cannot_open_the_raw_socket(net, user_sc):
    status, out, err = run(user_sc, "127.0.0.1")
    assert (status, out, err) == (5, "", "ping: socket: Permission denied\n")


def test_no_icmp_in_the_protocols_file(net, kernel):
    with open(os.path.join(kernel, "protocols"), "w") as f:
        f.write("ip\t0\tIP\nudp\t17\tUDP\n")
    status, out, err = run(net, "127.0.0.1", kernel=kernel)
    assert (status, out, err) == (10, "", "icmp: unknown protocol\n")


def test_failed_sends_are_reported_and_the_last_wait_is_maxwait(net):
    """sendto fails: perror, then the 'wrote' line; ping carries on, and with
    no reply at all it waits MAXWAIT (10 s) after the last request before
    the summary.  Three runs at once: no route to the host, a datagram
    bigger than the raw socket's 2048-byte send buffer, and a negative
    datasize, sent as a 3-byte message that icmp_input counts too short."""
    import time
    from kern.netinet import ip_icmp
    tooshort = ip_icmp.icmpstat.icps_tooshort
    start = time.monotonic()
    t1, r1 = _ping_in_thread(net, "-c", "2", "-i", "0", "192.168.9.9")
    t2, r2 = _ping_in_thread(net, "-c", "1", "127.0.0.1", "2041")
    t3, r3 = _ping_in_thread(net, "-c", "1", "127.0.0.1", "-5")
    for t in (t1, t2, t3):
        t.join(30)
    assert time.monotonic() - start >= ping.MAXWAIT
    status, out, err = r1["r"]
    assert status == 0
    assert err == "sendto: Host is unreachable\n" * 2
    assert out.count("ping: wrote 192.168.9.9 64 chars, ret=-1\n") == 2
    assert "2 packets transmitted, 0 packets received, 100% packet loss\n" in out
    status, out, err = r2["r"]
    assert err == "sendto: Message too long\n"
    assert "ping: wrote 127.0.0.1 2049 chars, ret=-1\n" in out
    status, out, err = r3["r"]
    assert (status, err) == (0, "")
    assert out.startswith("PING 127.0.0.1: -5 data bytes\n")
    assert "1 packets transmitted, 0 packets received, 100% packet loss\n" in out
    assert ip_icmp.icmpstat.icps_tooshort == tooshort + 1


def _ping_in_thread(sc, *argv, kernel=None):
    import threading
    result = {}
    t = threading.Thread(target=lambda: result.update(r=run(sc, *argv, kernel=kernel)))
    t.start()
    return t, result


def _wait_for(frames, n=1, timeout=5.0):
    import time
    end = time.monotonic() + timeout
    while len(frames) < n and time.monotonic() < end:
        time.sleep(0.001)
    assert len(frames) >= n


def test_reply_from_a_host_on_the_wire_and_other_icmp_with_v(net):
    """ping -v to a host on le0, played by the test: a time-exceeded message
    comes first, shown with its hex dump as Tahoe did, then the echo reply,
    built from the request the board sent."""
    from ethertest import arp_ioctl, arpreq, ether_frame, icmp_message, ip_packet, lladdr, mac
    from kern.net.if_le import le_capture, le_inject
    peer = mac("8:0:20:1:2:3")
    arp_ioctl(net, h.SIOCSARP, arpreq("10.0.0.9", peer))
    with le_capture("le0") as sent:
        t, result = _ping_in_thread(net, "-v", "-c", "1", "10.0.0.9")
        _wait_for(sent)
        request = sent[0][14:]
        quoted = request[:28]
        le_inject("le0", ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.9", "10.0.0.1", h.IPPROTO_ICMP, icmp_message(h.ICMP_TIMXCEED, 0, bytes(4) + quoted))))
        echo = request[20:]
        le_inject("le0", ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.9", "10.0.0.1", h.IPPROTO_ICMP, icmp_message(h.ICMP_ECHOREPLY, 0, echo[4:]))))
        t.join(10)
    status, out, _ = result["r"]
    lines = out.split("\n")
    assert lines[0] == "PING 10.0.0.9: 56 data bytes"
    assert lines[1] == "36 bytes from 10.0.0.9: icmp_type=11 (Time Exceeded)"
    assert [x[:4] for x in lines[2:14]] == ["x%2.2x:" % (4 * i) for i in range(12)]
    # The raw socket hands the IP header back as ip_input left it: ip_len
    # in host order and without the header (36), as 4.3's did.
    assert lines[2] == "x00: x00240045"
    assert lines[14] == "icmp_code=0"
    assert re.fullmatch(r"64 bytes from 10\.0\.0\.9: icmp_seq=0\. time=\d+\. ms", lines[15])
    assert "1 packets transmitted, 1 packets received, 0% packet loss" in out


def test_other_icmp_is_not_shown_without_v(net):
    from ethertest import arp_ioctl, arpreq, ether_frame, icmp_message, ip_packet, lladdr, mac
    from kern.net.if_le import le_capture, le_inject
    peer = mac("8:0:20:1:2:3")
    arp_ioctl(net, h.SIOCSARP, arpreq("10.0.0.9", peer))
    with le_capture("le0") as sent:
        t, result = _ping_in_thread(net, "-c", "1", "10.0.0.9")
        _wait_for(sent)
        request = sent[0][14:]
        le_inject("le0", ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.9", "10.0.0.1", h.IPPROTO_ICMP, icmp_message(h.ICMP_TIMXCEED, 0, bytes(4) + request[:28]))))
        le_inject("le0", ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.9", "10.0.0.1", h.IPPROTO_ICMP, icmp_message(h.ICMP_ECHOREPLY, 0, request[24:]))))
        t.join(10)
    status, out, _ = result["r"]
    assert "icmp_type" not in out and "64 bytes from 10.0.0.9: icmp_seq=0." in out


def test_svr4_is_alive(net, svr4_sc):
    svr4_abi()
    status, out, err = run(svr4_sc, "127.0.0.1")
    assert (status, out, err) == (0, "127.0.0.1 is alive\n", "")


def test_svr4_statistics_mode(net, svr4_sc):
    svr4_abi()
    status, out, _ = run(svr4_sc, "-s", "127.0.0.1", "56", "1")
    assert out.startswith("PING 127.0.0.1: 56 data bytes\n64 bytes from localhost (127.0.0.1): icmp_seq=0.")


def test_svr4_usage(net, svr4_sc):
    status, out, err = run(svr4_sc)
    assert (status, out) == (1, "Usage:\tping host [timeout]\n\tping -s[drvRl] host [data size] [npackets]\n")


def test_svr4_no_answer_after_timeout_requests(net, svr4_sc):
    """Without -s: one request a second; more than timeout unanswered is 'no answer', 1."""
    import time
    from ethertest import arp_ioctl, arpreq, mac
    svr4_abi()
    arp_ioctl(net, h.SIOCSARP, arpreq("10.0.0.9", mac("8:0:20:1:2:3")))
    start = time.monotonic()
    status, out, err = run(svr4_sc, "10.0.0.9", "1")
    assert (status, out, err) == (1, "no answer from 10.0.0.9\n", "")
    assert 1 <= time.monotonic() - start < 3


def test_svr4_reports_unreachable_from_a_gateway(net, svr4_sc, kernel):
    """An ICMP unreachable about our destination is named, with the gateway's name."""
    from ethertest import arp_ioctl, arpreq, ether_frame, icmp_message, ip_packet, lladdr, mac
    from kern.net.if_le import le_capture, le_inject
    svr4_abi()
    peer = mac("8:0:20:1:2:3")
    arp_ioctl(net, h.SIOCSARP, arpreq("10.0.0.9", peer))
    with open(os.path.join(kernel, "hosts"), "a") as f:
        f.write("10.0.0.254\tgw\n")
    with le_capture("le0") as sent:
        t, result = _ping_in_thread(svr4_sc, "10.0.0.9", "1", kernel=kernel)
        _wait_for(sent)
        le_inject("le0", ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.254", "10.0.0.1", h.IPPROTO_ICMP,
            icmp_message(h.ICMP_UNREACH, h.ICMP_UNREACH_HOST, bytes(4) + sent[0][14:14 + 28]))))
        t.join(10)
    status, out, _ = result["r"]
    assert out == "ICMP Host Unreachable from gateway gw (10.0.0.254)\nno answer from 10.0.0.9\n"
    assert status == 1
