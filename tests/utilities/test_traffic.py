"""netstat -r and -i show exactly the kernel's counts after traffic sent through the system calls.

The traffic is ICMP echo requests to 127.0.0.1 on a raw socket: out
through lo0, in again, answered by the kernel.  sendto(2) and the IP
path come with the packet-path issue (6); until then the test skips,
saying so.
"""

import socket

import pytest

from kern import syscalls
from kern.headers import native as h
from usr_sbin.ifconfig.ifconfig import main as ifconfig
from usr_sbin.netstat.main import main as netstat

from usrsbin_helpers import TWO_ETHERNETS

pytestmark = pytest.mark.config(TWO_ETHERNETS)


def need_datagrams():
    if not hasattr(syscalls.SysCalls, "sendto"):
        pytest.skip("sendto(2) and the IP path come with the packet-path issue (6); not merged yet")


def echo_request(seq: int) -> bytes:
    """An ICMP echo request with its checksum (RFC 792)."""
    body = bytes([8, 0, 0, 0, 0x12, 0x34, 0, seq]) + b"netkern!"
    total = sum(int.from_bytes(body[i:i + 2], "big") for i in range(0, len(body), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    csum = ~total & 0xFFFF
    return body[:2] + csum.to_bytes(2, "big") + body[4:]


def sockaddr(dotted, port):
    sin = h.ffi.new("struct sockaddr_in *")
    sin.sin_family = h.AF_INET
    sin.sin_port = socket.htons(port)
    sin.sin_addr.s_addr = int.from_bytes(socket.inet_aton(dotted), "little")
    return sin


def test_refs_use_and_packet_counts_are_the_kernels(run):
    need_datagrams()
    from kern.net import if_, route
    assert run(ifconfig, "lo0", "127.0.0.1").status == 0
    sc = syscalls.attach()
    s = sc.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)
    for seq in range(3):
        packet = echo_request(seq)
        buf = h.ffi.new("char[]", packet)
        sc.sendto(s, buf, len(packet), 0, sockaddr("127.0.0.1", 0), h.ffi.sizeof("struct sockaddr_in"))

    rows = run(netstat, "-rn", process=False).out.splitlines()[2:]
    lo = [r for r in rows if r.startswith("127.0.0.1 ")]
    rt = next(r for r in route.routes() if r.rt_flags & h.RTF_HOST)
    refs, use = (int(w) for w in lo[0].split()[3:5])
    assert (refs, use) == (rt.rt_refcnt, rt.rt_use)
    assert use >= 3

    rows = run(netstat, "-in", process=False).out.splitlines()[1:]
    lo0 = next(ifp for ifp in if_.ifnet_list() if if_.if_name(ifp) == "lo0")
    ipkts, _, opkts = (int(w) for w in rows[-1].split()[4:7])
    assert (ipkts, opkts) == (lo0.if_ipackets, lo0.if_opackets)
    assert opkts >= 3
