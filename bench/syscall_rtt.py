"""How fast is a system call: local, remote, host, and the transport floor.

Four figures for ioctl(SIOCGIFFLAGS) measured in one run:

* local:  the kernel booted in this process (kern/syscalls.py Local);
* remote: a kernd in another process, through the client stub
  (kern/sysproxy/client.py), SIOCGIFFLAGS on lo0;
* host:   the host kernel's own ``fcntl.ioctl(SIOCGIFFLAGS)`` on a host
  UDP socket, from Python;
* floor:  a bare request and reply of the same sizes as the remote
  call's messages between this process and a Python echo process over
  a Unix-domain stream socket: what any Python kernel server must pay;
* polled floor: the same exchange with each side polling its socket
  for as long as the sysproxy peers do (protocol.CLIENT_SPIN and
  SERVER_SPIN) before it sleeps, so that the remote call can also be
  compared like with like.

The targets (issue "Kernel server"): local no slower than 2x the host
ioctl, remote at least 0.5x the floor's rate.  The machine may be busy
with other work, so the remote and floor figures are taken in short
alternating rounds: the ratio printed is the median of the rounds'
ratios (each round's two figures were measured under the same load),
and the rates printed are each figure's best round.  Run::

    .venv/bin/python bench/syscall_rtt.py [--rounds N] [--seconds S]
"""

import argparse
import fcntl
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HOST_SIOCGIFFLAGS = 0x8913          # Linux <linux/sockios.h>


def rate(fn, seconds: float) -> float:
    """Calls of fn per second, over about the given time."""
    n, batch = 0, 1000
    t0 = time.perf_counter()
    while True:
        for _ in range(batch):
            fn()
        n += batch
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return n / dt


def local_rate(seconds: float) -> float:
    from kern import init_main, syscalls
    from kern.headers import native as h
    run = tempfile.mkdtemp(prefix="nkbench-")
    init_main.boot(None, run)
    try:
        sc = syscalls.attach(uid=0)
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        ifr = h.ffi.new("struct ifreq *")
        ifr.ifr_name = b"lo0"
        return rate(lambda: sc.ioctl(s, h.SIOCGIFFLAGS, ifr), seconds)
    finally:
        init_main.shutdown()
        shutil.rmtree(run, ignore_errors=True)


def host_rate(seconds: float) -> float:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    buf = bytearray(struct.pack("16s16x", b"lo"))
    try:
        return rate(lambda: fcntl.ioctl(s, HOST_SIOCGIFFLAGS, buf), seconds)
    finally:
        s.close()


def message_sizes():
    """Sizes of the remote SIOCGIFFLAGS CALL and RETURN messages."""
    from kern.headers import native as h
    from kern.sysproxy import protocol as P
    n = h.ffi.sizeof("struct ifreq")
    return (P.CALL.size + 3 * 8 + P.REGION.size + n, P.RETURN.size + P.REGION.size + n)


ECHO = """
import socket, sys
from kern.sysproxy.protocol import Reader
s = socket.socket(fileno=int(sys.argv[1]))
reply = b"r" * int(sys.argv[2])
into = memoryview(bytearray(65536))
recv = Reader(s, float(sys.argv[3])).recv
while recv(into):
    s.sendall(reply)
"""


class Floor:
    """A Python echo process at the other end of a Unix-domain socket."""

    def __init__(self, polled: bool = False):
        from kern.sysproxy import protocol as P
        self.req, rep = message_sizes()
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        spin = P.SERVER_SPIN if polled else 0.0
        self.proc = subprocess.Popen([sys.executable, "-c", ECHO, str(b.fileno()), str(rep),
                                      repr(spin)], pass_fds=(b.fileno(),))
        b.close()
        self.sock = a
        self.reader = P.Reader(a, P.CLIENT_SPIN if polled else 0.0)
        self.view = memoryview(bytearray(65536))
        self.msg = b"q" * self.req

    def once(self):
        self.sock.sendall(self.msg)
        self.reader.recv(self.view)

    def close(self):
        self.sock.close()
        self.proc.wait()


class Remote:
    """A kernd of its own, in a private run directory, and a client of it."""

    def __init__(self):
        from kern.headers import native as h
        self.tmp = tempfile.mkdtemp(prefix="nkbench-xdg-")
        os.environ["XDG_RUNTIME_DIR"] = self.tmp
        self.name = f"bench{os.getpid()}"
        subprocess.run([sys.executable, "-m", "kern.sysproxy.netkern", "boot", self.name],
                       check=True, stdout=subprocess.DEVNULL)
        from kern.sysproxy.client import connect
        self.sc = connect(self.name)
        self.s = self.sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        self.ifr = h.ffi.new("struct ifreq *")
        self.ifr.ifr_name = b"lo0"
        self.cmd = h.SIOCGIFFLAGS

    def once(self):
        self.sc.ioctl(self.s, self.cmd, self.ifr)

    def close(self):
        self.sc.close_connection()
        subprocess.run([sys.executable, "-m", "kern.sysproxy.netkern", "halt", self.name],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=0.25, help="per round and figure")
    args = ap.parse_args(argv)

    host = max(host_rate(args.seconds) for _ in range(5))
    local = max(local_rate(args.seconds) for _ in range(5))
    floor, polled, remote = Floor(), Floor(polled=True), Remote()
    floors, polleds, remotes = [], [], []
    try:
        for _ in range(args.rounds):
            floors.append(rate(floor.once, args.seconds))
            polleds.append(rate(polled.once, args.seconds))
            remotes.append(rate(remote.once, args.seconds))
    finally:
        floor.close()
        polled.close()
        remote.close()
    best_floor, best_polled, best_remote = max(floors), max(polleds), max(remotes)
    ratio = statistics.median(r / f for r, f in zip(remotes, floors))
    pratio = statistics.median(r / f for r, f in zip(remotes, polleds))

    req, rep = message_sizes()
    print(f"ioctl(SIOCGIFFLAGS) per second (best of {args.rounds} alternating rounds "
          f"of {args.seconds:g} s; remote messages {req} and {rep} bytes)")
    print(f"  host fcntl.ioctl      {host:12,.0f}   {1e6 / host:8.2f} us")
    print(f"  local (in-process)    {local:12,.0f}   {1e6 / local:8.2f} us")
    print(f"  transport floor       {best_floor:12,.0f}   {1e6 / best_floor:8.2f} us")
    print(f"  polled floor          {best_polled:12,.0f}   {1e6 / best_polled:8.2f} us")
    print(f"  remote (kernd)        {best_remote:12,.0f}   {1e6 / best_remote:8.2f} us")
    print(f"local time / host time    {host / local:6.2f}x   (target: at most 2x)")
    print(f"remote rate / floor rate  {ratio:6.2f}x   (median of the rounds; target: at least "
          f"0.5x; best against best {best_remote / best_floor:.2f}x)")
    print(f"remote rate / polled floor  {pratio:4.2f}x   (median of the rounds; like with like)")
    print(f"remote rate / local rate  {best_remote / local:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
