"""Benchmark the IP receive path and ICMP echo over lo0 against the host's UDP loopback.

Three figures, each measured in this run:

* **host**: the host kernel's own UDP loopback from Python, one
  ``sendto`` plus one ``recvfrom`` of a 64-byte datagram, per second.
  This is the reference.
* **inject -> delivery**: IP packets of 84 bytes (64 bytes of data for
  an experimental protocol, 253) handed to netkern as a driver does
  (``m_devget`` with rcvif = le0, ipintrq, NETISR_IP), run through
  ipintr, ip_input and rip_input into a raw socket's receive queue.
  The queue is emptied every batch outside the timed part; the figure
  with the reader's ``recv(2)`` included is printed beside it.
* **ping lo0**: ICMP echo round trips over lo0 from a raw ICMP socket:
  sendto (rip_output, ip_output, looutput), ipintr, ip_input,
  icmp_input, icmp_reflect, ip_output, looutput, ipintr, ip_input,
  icmp_input, rip_input, then recvfrom.

Each netkern figure is printed with its ratio to the host figure.  The
target of the packet-path issue is inject -> delivery >= 0.5x host.

The figures are measured in short alternating rounds; the ratio printed
is the median of the rounds' ratios (each round's figures were taken
under the same load) and the rate is each figure's best round.

    python bench/ip_path.py [--seconds S] [--rounds N] [--profile]
"""

import argparse
import cProfile
import os
import pstats
import socket
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kern import init_main, syscalls  # noqa: E402
from kern.headers import native as h  # noqa: E402
from kern.kern_synch import kernel_lock  # noqa: E402

ffi = h.ffi
PAYLOAD = 64
BATCH = 8             # datagrams a raw socket's 2048-byte buffer (4096 of mbufs) surely holds


def host_udp(seconds: float) -> float:
    """sendto+recvfrom pairs per second over the host's UDP loopback."""
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b.bind(("127.0.0.1", 0))
    dst, data = b.getsockname(), b"x" * PAYLOAD
    n, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while True:
        for _ in range(1000):
            a.sendto(data, dst)
            b.recvfrom(2048)
        n += 1000
        if time.perf_counter() >= end:
            break
    rate = n / (time.perf_counter() - t0)
    a.close()
    b.close()
    return rate


def _cksum(b: bytes) -> int:
    s = sum(int.from_bytes(b[i:i + 2], "little") for i in range(0, len(b) - 1, 2))
    if len(b) & 1:
        s += b[-1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _in_addr(dotted: str) -> int:
    return int.from_bytes(socket.inet_aton(dotted), "little")


def ip_packet(src: str, dst: str, proto: int, payload: bytes) -> bytes:
    """An IP datagram built from struct ip, with its header checksum."""
    ip = ffi.new("struct ip *")
    ip.ip_v, ip.ip_hl = 4, 5
    ip.ip_len = socket.htons(20 + len(payload))
    ip.ip_ttl, ip.ip_p = 64, proto
    ip.ip_src.s_addr, ip.ip_dst.s_addr = _in_addr(src), _in_addr(dst)
    ip.ip_sum = _cksum(bytes(ffi.buffer(ip)))
    return bytes(ffi.buffer(ip)) + payload


def boot():
    """A GENERIC kernel with lo0 127.0.0.1 and le0 10.0.0.1/24; a root process."""
    init_main.boot(None, tempfile.mkdtemp(prefix="netkern-bench-"))
    sc = syscalls.attach(uid=0, comm="bench")
    for name, addr, mask in ((b"lo0", "127.0.0.1", None), (b"le0", "10.0.0.1", "255.255.255.0")):
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        for cmd, a in ((h.SIOCSIFNETMASK, mask or "0.0.0.0"), (h.SIOCSIFADDR, addr)):
            r = ffi.new("struct ifreq *")
            r.ifr_name = name
            sin = ffi.cast("struct sockaddr_in *", ffi.addressof(r.ifr_ifru, "ifru_addr"))
            sin.sin_family = h.AF_INET
            sin.sin_addr.s_addr = _in_addr(a)
            sc.ioctl(s, cmd, r)
        sc.close(s)
    return sc


def inject_delivery(sc, seconds: float, with_recv: bool) -> float:
    """Packets per second from m_devget to a raw socket's receive queue."""
    from kern.net import if_, netisr
    from kern.netinet import ip_input
    from kern.uipc_mbuf import m_devget
    from kern.uipc_socket2 import sbflush
    s = sc.socket(h.AF_INET, h.SOCK_RAW, 253)
    so = ffi.cast("struct socket *", sc.p.u_ofile[s].f_data)
    ifp = if_.ifunit(b"le0")
    pkt = ip_packet("10.0.0.2", "10.0.0.1", 253, b"x" * PAYLOAD)
    plen = len(pkt)
    buf = ffi.new("char[]", 2048)
    enqueue, dosoftint = ip_input.ipintrq_enqueue, netisr.dosoftint
    record = plen + ffi.sizeof("struct sockaddr_in")       # what sb_cc charges a datagram
    n, busy = 0, 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        for _ in range(BATCH):
            with kernel_lock:
                enqueue(m_devget(pkt, plen, 0, ifp))
                dosoftint()
            if with_recv:
                sc.recv(s, buf, 2048, 0)
        busy += time.perf_counter() - t0
        n += BATCH
        if not with_recv:
            with kernel_lock:
                assert so.so_rcv.sb_cc == BATCH * record, "datagrams were lost"
                sbflush(so, so.so_rcv)
    sc.close(s)
    return n / busy


def ping_lo0(sc, seconds: float) -> float:
    """ICMP echo round trips per second over lo0 through a raw ICMP socket."""
    s = sc.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)
    icp = ffi.new("char[]", 8 + PAYLOAD)
    hdr = ffi.cast("struct icmp *", icp)
    hdr.icmp_type = h.ICMP_ECHO
    hdr.icmp_hun.ih_idseq.icd_id = 0x4242
    hdr.icmp_cksum = _cksum(bytes(ffi.buffer(icp)))
    to = ffi.new("struct sockaddr_in *")
    to.sin_family = h.AF_INET
    to.sin_addr.s_addr = _in_addr("127.0.0.1")
    rbuf = ffi.new("char[]", 2048)
    frm = ffi.new("struct sockaddr_in *")
    flen = ffi.new("int *")
    n, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while True:
        for _ in range(100):
            sc.sendto(s, icp, 8 + PAYLOAD, 0, to, ffi.sizeof("struct sockaddr_in"))
            flen[0] = ffi.sizeof("struct sockaddr_in")
            sc.recvfrom(s, rbuf, 2048, 0, frm, flen)
        n += 100
        if time.perf_counter() >= end:
            break
    rate = n / (time.perf_counter() - t0)
    sc.close(s)
    return rate


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=0.25, help="time per measurement round")
    ap.add_argument("--rounds", type=int, default=10, help="rounds of each measurement")
    ap.add_argument("--profile", action="store_true", help="profile inject -> delivery")
    args = ap.parse_args(argv)
    sc = boot()
    if args.profile:
        prof = os.path.join(tempfile.gettempdir(), "ip_path.prof")
        cProfile.runctx("inject_delivery(sc, 2.0, False)", globals(), locals(), prof)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0
    # The measurements alternate in short rounds; each round's ratios
    # compare figures taken under the same load, and the median round
    # is reported (with each figure's best rate beside it).
    keys = ("inj", "injr", "ping")
    best = dict.fromkeys(("host",) + keys, 0.0)
    ratios = {k: [] for k in keys}
    for _ in range(args.rounds):
        host = host_udp(args.seconds)
        got = {"inj": inject_delivery(sc, args.seconds, False),
               "injr": inject_delivery(sc, args.seconds, True),
               "ping": ping_lo0(sc, args.seconds)}
        best["host"] = max(best["host"], host)
        for k in keys:
            best[k] = max(best[k], got[k])
            ratios[k].append(got[k] / host)
    print(f"host UDP loopback send+recv      {best['host']:10.0f} /s   (reference, best round)")
    for key, label, note in (("inj", "inject -> delivery (raw queue)", "   (target >= 0.50x)"),
                             ("injr", "inject -> delivery + recv(2)", ""),
                             ("ping", "ICMP echo round trips over lo0", "")):
        print(f"{label:32s} {best[key]:10.0f} /s   "
              f"{statistics.median(ratios[key]):5.2f}x host{note}")
    init_main.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
