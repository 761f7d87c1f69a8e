"""pktrace: an echo request walks the receive chain, one line per function."""

import io
import re

from ethertest import ether_frame, icmp_message, ifconfig, ip_packet, lladdr, mac
from kern import pktrace
from kern.headers import native as h
from kern.net.if_le import le_capture, le_inject

PEER = mac("8:0:20:1:2:3")


def echo_trace(sc):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    frame = ether_frame(lladdr("le0"), PEER, h.ETHERTYPE_IP,
                        ip_packet("10.0.0.2", "10.0.0.1", h.IPPROTO_ICMP,
                                  icmp_message(h.ICMP_ECHO, 0, b"\0\1\0\1")))
    out = io.StringIO()
    with le_capture("le0"), pktrace.trace(out):
        le_inject("le0", frame)
    return out.getvalue().splitlines()


def test_echo_request_walks_the_bsd_chain_in_order(kernel, sc):
    names = [line.split()[0] for line in echo_trace(sc)]
    chain = ["ether_input", "ipintr", "ip_input", "icmp_input", "icmp_reflect", "ip_output"]
    positions = [names.index(n) for n in chain]
    assert positions == sorted(positions), names


def test_each_line_names_the_file_and_line_of_the_function(kernel, sc):
    for line in echo_trace(sc):
        m = re.fullmatch(r"( *)(\w+) +(kern/[\w/]+\.py):(\d+)", line)
        assert m, line
        with open(m.group(3)) as f:
            src = f.read().splitlines()
        assert src[int(m.group(4)) - 1].lstrip().startswith(f"def {m.group(2)}(")


def test_calls_made_inside_a_function_are_indented_under_it(kernel, sc):
    lines = echo_trace(sc)
    depth = {line.split()[0]: len(line) - len(line.lstrip()) for line in lines}
    assert depth["ip_input"] > depth["ipintr"]
    assert depth["icmp_input"] > depth["ip_input"]


def test_tracing_is_off_outside_the_block(kernel, sc):
    echo_trace(sc)
    assert not pktrace.active()
    import sys
    assert sys.getprofile() is None
