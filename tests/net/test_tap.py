"""The host itself on a wire, through a Linux TAP device (kern/net/wire.py tap_bridge).

The emulated kernel pings the host and the host pings the emulated
kernel, each with its own ping: netkern's ping(8) on one side, a raw
ICMP socket of the host's on the other.  Needs root (CAP_NET_ADMIN),
/dev/net/tun and ip(8); skipped otherwise.  The TAP device and its
address live only as long as the test.
"""

import os
import shutil
import socket
import struct
import subprocess
import sys

import pytest

from kernelproc import KernelProc
from usr_sbin.ping.ping import in_cksum

HOST = 'options INET\npseudo-device loop\npseudo-device ether\ndevice le0 at wire "lan0"\n'


def _why_not():
    if os.geteuid() != 0:
        return "a TAP device needs root"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun on this host"
    if shutil.which("ip") is None:
        return "no ip(8) to configure the TAP device"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=str(_why_not()))


@pytest.fixture
def tapnet(tmp_path):
    """A kernel on lan0 at 198.18.N.1 and the host's TAP device on lan0 at 198.18.N.2."""
    n = 20 + os.getpid() % 200
    tap = f"nk{os.getpid() % 100000}"
    k = KernelProc(str(tmp_path / "k"), HOST)
    br = subprocess.Popen([sys.executable, "-m", "kern.net.wire", "tap", "lan0", tap, str(tmp_path / "wires")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = br.stdout.readline()
        if line != "ready\n":
            pytest.skip(f"the TAP bridge did not start: {br.stderr.read().strip()}")
        k.ok("ifconfig", "le0", f"198.18.{n}.1")
        subprocess.run(["ip", "addr", "add", f"198.18.{n}.2/24", "dev", tap], check=True)
        subprocess.run(["ip", "link", "set", tap, "up"], check=True)
        yield k, f"198.18.{n}.1", f"198.18.{n}.2"
    finally:
        br.terminate()
        br.wait()
        k.close()


def test_the_kernel_pings_the_host(tapnet):
    k, _, host = tapnet
    out = k.ok("ping", "-c", "2", "-i", "0.1", host)
    assert "2 packets transmitted, 2 packets received, 0% packet loss" in out
    assert k.ok("arp", "-a").startswith(f"? ({host}) at ")


def test_the_host_pings_the_kernel(tapnet):
    _, kernel, _ = tapnet
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.settimeout(5)
    try:
        body = struct.pack("<BBHHH", 8, 0, 0, 0x4e4b, 1) + b"from the host"
        body = body[:2] + struct.pack("<H", in_cksum(body)) + body[4:]
        s.sendto(body, (kernel, 0))
        while True:
            data, (src, _) = s.recvfrom(2048)
            hlen = (data[0] & 0x0F) * 4
            if src == kernel and data[hlen] == 0:
                break
    finally:
        s.close()
    assert data[hlen + 4:hlen + 6] == body[4:6]            # our identifier came back
    assert data[hlen + 8:] == b"from the host"
