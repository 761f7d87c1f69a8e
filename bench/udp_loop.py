"""UDP over lo0 through the emulated kernel, in-process and through kernd, against the host.

Each figure is datagrams per second, each one sent and received: one
``sendto`` of 64 bytes plus one ``recvfrom``, as a Python program makes
them.  All measured in this run:

* **host**: the host kernel's own UDP loopback, through Python's
  ``socket`` module (the reference);
* **in-process**: the same program over ``netkern.socket`` on a kernel
  booted in this process (kern/syscalls.py Local), and the same calls
  made directly on ``SysCalls`` with cffi buffers (the module's cost
  shows as the difference);
* **remote**: the same program as a client of a ``kernd`` in its own
  process (kern/sysproxy), over ``netkern.socket`` and over ``SysCalls``.

Both sockets are bound to 127.0.0.1, as in the host measurement.  The
targets (issue "UDP and the socket layer"): in-process at least 0.25x
the host, remote at least 0.1x.  The rounds alternate and each figure
keeps its best round, so that load on the machine does not favour one.

    python bench/udp_loop.py [--seconds S] [--rounds N] [--profile local|remote]
"""

import argparse
import cProfile
import os
import pstats
import shutil
import socket as hostsocket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kern import init_main, syscalls  # noqa: E402
from kern.headers import native as h  # noqa: E402
from netkern import socket as nksocket  # noqa: E402

ffi = h.ffi
PAYLOAD = b"x" * 64
SIN = ffi.sizeof("struct sockaddr_in")


def rate(pair, seconds: float) -> float:
    """Calls of pair() (one datagram out and back in) per second, over about seconds."""
    n, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while True:
        for _ in range(200):
            pair()
        n += 200
        if time.perf_counter() >= end:
            return n / (time.perf_counter() - t0)


def module_pair(mod, **kw):
    """A sender and a receiver of a socket module (the host's or netkern's); the pair function."""
    a = mod.socket(mod.AF_INET, mod.SOCK_DGRAM, **kw)
    b = mod.socket(mod.AF_INET, mod.SOCK_DGRAM, **kw)
    a.bind(("127.0.0.1", 0))
    b.bind(("127.0.0.1", 0))
    dst = b.getsockname()
    sendto, recvfrom = a.sendto, b.recvfrom

    def pair():
        sendto(PAYLOAD, dst)
        recvfrom(2048)
    return pair, (a, b)


def syscalls_pair(sc):
    """The same exchange made with SysCalls and cffi buffers."""
    socks = [sc.socket(h.AF_INET, h.SOCK_DGRAM, 0) for _ in range(2)]
    for s in socks:
        sin = ffi.new("struct sockaddr_in *")
        sin.sin_family = h.AF_INET
        sin.sin_addr.s_addr = 0x0100007F
        sc.bind(s, sin, SIN)
    a, b = socks
    dst, n = ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
    sc.getsockname(b, dst, n)
    data = ffi.from_buffer(PAYLOAD)
    buf, frm, fl = ffi.new("char[2048]"), ffi.new("struct sockaddr_in *"), ffi.new("int *")
    sendto, recvfrom = sc.sendto, sc.recvfrom

    def pair():
        sendto(a, data, 64, 0, dst, SIN)
        fl[0] = SIN
        recvfrom(b, buf, 2048, 0, frm, fl)
    return pair, socks


def configure_lo0(sc) -> None:
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    r = ffi.new("struct ifreq *")
    r.ifr_name = b"lo0"
    sin = ffi.cast("struct sockaddr_in *", ffi.addressof(r.ifr_ifru, "ifru_addr"))
    sin.sin_family = h.AF_INET
    sin.sin_addr.s_addr = 0x0100007F
    sc.ioctl(s, h.SIOCSIFADDR, r)
    sc.close(s)


class Kernd:
    """A kernel server of our own, in a private run directory."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="nkbench-")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.dir)
        os.environ["XDG_RUNTIME_DIR"] = self.dir
        self.netkern("boot", "bench")

    def netkern(self, *args):
        subprocess.run([sys.executable, "-m", "kern.sysproxy.netkern", *args], env=self.env,
                       check=True, capture_output=True, timeout=60)

    def connect(self):
        from kern.sysproxy.client import connect
        return connect("bench", comm="udp_loop")

    def halt(self):
        self.netkern("halt", "bench")
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=0.5, help="time per measurement round")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of each measurement")
    ap.add_argument("--profile", choices=("local", "remote"), help="profile one path instead")
    args = ap.parse_args(argv)

    init_main.boot(None, tempfile.mkdtemp(prefix="netkern-bench-"), clock="real")
    local = syscalls.attach(uid=0, comm="udp_loop")
    configure_lo0(local)
    kd = Kernd()
    remote = kd.connect()
    configure_lo0(remote)
    try:
        pairs = {
            "host": module_pair(hostsocket)[0],
            "local module": module_pair(nksocket, sc=local)[0],
            "local syscalls": syscalls_pair(local)[0],
            "remote module": module_pair(nksocket, sc=remote)[0],
            "remote syscalls": syscalls_pair(remote)[0],
        }
        if args.profile:
            which = pairs[args.profile + " module"]
            cProfile.runctx("rate(which, 3.0)", globals(), locals(), "/tmp/udp_loop.prof")
            pstats.Stats("/tmp/udp_loop.prof").sort_stats("tottime").print_stats(30)
            return 0
        best = dict.fromkeys(pairs, 0.0)
        for _ in range(args.rounds):
            for name, pair in pairs.items():
                best[name] = max(best[name], rate(pair, args.seconds))
    finally:
        remote.close_connection()
        kd.halt()
        init_main.shutdown()
    ref = best["host"]
    print(f"UDP sendto+recvfrom of {len(PAYLOAD)} bytes over the loopback, datagrams per second "
          f"(best of {args.rounds} rounds of {args.seconds} s)")
    print(f"  host kernel (Python socket)      {ref:10,.0f}    (reference)")
    for name, target in (("local module", 0.25), ("local syscalls", None),
                         ("remote module", 0.1), ("remote syscalls", None)):
        where = "in-process" if name.startswith("local") else "kernd    "
        api = "netkern.socket" if name.endswith("module") else "SysCalls      "
        goal = f"   (target >= {target:.2f}x)" if target else ""
        print(f"  {where} {api}        {best[name]:10,.0f}    {best[name] / ref:5.3f}x host{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
