"""Benchmark the Ethernet board and the wires against the host's own sockets.

Figures measured in this run, each with its ratio to a host reference
measured in the same run:

* **le echo**: an ICMP echo request frame handed to le0 as if it came
  off the wire (le_inject: address filter, receive ring, leread,
  ether_input, ipintrq, ip_input, icmp_input, icmp_reflect, ip_output,
  ether_output, arpresolve of a known host, lestart) until the echo
  reply frame is on the wire, per second; against the host's UDP
  loopback send+recv pairs (bench/ip_path.py's reference).
* **wire round trip**: a frame from a station to a station in another
  process and back (kern/net/wire.py), per second; against the same
  round trip over plain Unix datagram sockets between two processes,
  the primitive a wire is made of.

    python bench/le_path.py [--seconds S] [--rounds N]
"""

import argparse
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))

from ethertest import ECHO_STATION  # noqa: E402
from ip_path import host_udp  # noqa: E402

ECHO_UNIX = r"""
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(2048)
    if data == b"quit":
        sys.exit(0)
    s.sendto(data, peer)
"""


def rate(fn, seconds):
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(200):
            fn()
        n += 200
        if time.perf_counter() - t0 >= seconds:
            return n / (time.perf_counter() - t0)


def le_echo(seconds):
    from ethertest import (arp_ioctl, arpreq, ether_frame, icmp_message, ifconfig, ip_packet, lladdr,
                           mac)
    from kern import init_main, syscalls
    from kern.headers import native as h
    from kern.net.if_le import le_capture, le_inject
    init_main.boot(None, tempfile.mkdtemp(prefix="le_path-") + "/run")
    try:
        sc = syscalls.attach(uid=0, comm="bench")
        ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
        peer = mac("8:0:20:1:2:3")
        arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", peer))
        frame = ether_frame(lladdr("le0"), peer, h.ETHERTYPE_IP, ip_packet(
            "10.0.0.2", "10.0.0.1", h.IPPROTO_ICMP, icmp_message(h.ICMP_ECHO, 0, bytes(4) + b"x" * 56)))
        with le_capture("le0") as out:
            r = rate(lambda: le_inject("le0", frame), seconds)
            assert out and out[-1][14 + 20] == h.ICMP_ECHOREPLY
        return r
    finally:
        init_main.shutdown()


def wire_round_trip(seconds):
    from kern.net import wire
    d = tempfile.mkdtemp(prefix="le_path-")
    child = subprocess.Popen([sys.executable, "-c", ECHO_STATION, d, "lan0"], stdout=subprocess.PIPE, text=True)
    child.stdout.readline()
    st = wire.Station(d, "lan0", "bench")
    frame = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x00" + bytes(84)

    def once():
        st.send(frame)
        while not st.recv(1):
            select.select([st], [], [], 1)
    try:
        return rate(once, seconds)
    finally:
        st.send(b"quit")
        child.wait()
        st.close()


def unix_round_trip(seconds):
    d = tempfile.mkdtemp(prefix="le_path-")
    path = os.path.join(d, "echo")
    child = subprocess.Popen([sys.executable, "-c", ECHO_UNIX, path], stdout=subprocess.PIPE, text=True)
    child.stdout.readline()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(os.path.join(d, "me"))
    frame = bytes(98)

    def once():
        s.sendto(frame, path)
        s.recv(2048)
    try:
        return rate(once, seconds)
    finally:
        s.sendto(b"quit", path)
        child.wait()
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    best = {}
    for _ in range(a.rounds):
        for name, fn in (("host udp", host_udp), ("le echo", le_echo),
                         ("unix round trip", unix_round_trip), ("wire round trip", wire_round_trip)):
            best[name] = max(best.get(name, 0), fn(a.seconds))
    print(f"host UDP loopback send+recv:   {best['host udp']:10.0f} /s")
    print(f"le echo (frame in, reply out): {best['le echo']:10.0f} /s  "
          f"{best['le echo'] / best['host udp']:.2f}x host UDP")
    print(f"host Unix dgram round trip:    {best['unix round trip']:10.0f} /s")
    print(f"wire round trip:               {best['wire round trip']:10.0f} /s  "
          f"{best['wire round trip'] / best['unix round trip']:.2f}x host Unix dgram")


if __name__ == "__main__":
    main()
