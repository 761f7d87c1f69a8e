"""The Internet checksum, the hot loop of the packet path: in_cksum against plain Python.

in_cksum (kern/netinet/in_cksum.py) sums a run of bytes as one integer
modulo 0xffff.  The references, measured in the same run on the same
mbuf chains, are the two obvious ways to write RFC 1071 in Python: a
loop over 16-bit words, and ``sum()`` over an ``array('H')``.  Chains
are a 20-byte header, an 84-byte packet in two mbufs, a 1500-byte frame
in a cluster, and 9000 bytes in five clusters split at odd offsets.

    python bench/in_cksum.py [--calls N]
"""

import argparse
import array
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kern import init_main  # noqa: E402
from kern.netinet.in_cksum import in_cksum  # noqa: E402
from kern.uipc_mbuf import m_copydata, m_devget, m_length  # noqa: E402
from ip_path import _cksum  # noqa: E402  (the plain RFC 1071 loop)


def word_loop(m, length):
    return _cksum(m_copydata(m, 0, length))


def array_sum(m, length):
    data = m_copydata(m, 0, length)
    if len(data) & 1:
        data += b"\0"
    s = sum(array.array("H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def per_call(f, m, n, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        f(m, n)
    return (time.perf_counter() - t0) / calls


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000)
    args = ap.parse_args(argv)
    init_main.boot(None, tempfile.mkdtemp(prefix="netkern-bench-"))
    chains = [("20-byte header", m_devget(bytes(range(20)), 20, 0, None))]
    for size in (84, 1500, 9000):
        data = bytes((i * 7 + 3) & 0xFF for i in range(size))
        chains.append((f"{size} bytes", m_devget(data, size, 0, None)))
    print(f"{'':16s} {'in_cksum':>10s} {'array sum':>16s} {'word loop':>16s}")
    for label, m in chains:
        n = m_length(m)
        assert in_cksum(m, n) == word_loop(m, n) == array_sum(m, n)
        calls = max(200, args.calls * 20 // max(n, 20))
        a = min(per_call(in_cksum, m, n, calls) for _ in range(3))
        b = min(per_call(array_sum, m, n, calls) for _ in range(3))
        c = min(per_call(word_loop, m, n, calls) for _ in range(3))
        print(f"{label:16s} {a * 1e6:8.2f}us {b * 1e6:8.2f}us {b / a:5.1f}x"
              f" {c * 1e6:8.2f}us {c / a:5.1f}x")
    init_main.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
