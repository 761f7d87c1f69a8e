"""Load: 32 client processes at once, each making 10,000 ioctls; none fails, and the
kernel's system-call counter (cnt.v_syscall, ``_cnt`` through kvm) equals the sum.

On a 2-core machine the run takes about half a minute (it prints its
time with -s); NETKERN_LOAD_CALLS=n changes the number of calls per
client for a quicker or a longer run.
"""

import os
import time

from nkhelp import child, syscalls_counted

CLIENTS = 32

LOADER = """
import sys
from kern.sysproxy.client import connect
from kern.headers import native as h
sc = connect(sys.argv[1])
n = int(sys.argv[2])
s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
r = h.ffi.new("struct ifreq *")
r.ifr_name = b"lo0"
ok = 0
for _ in range(n):
    r.ifr_ifru.ifru_flags = 0
    sc.ioctl(s, h.SIOCGIFFLAGS, r)
    ok += r.ifr_ifru.ifru_flags == h.IFF_LOOPBACK
sc.close(s)
print(ok)
"""


def run_load(kname, kernels, calls: int):
    kd = kernels.kvm(kname)
    try:
        before = syscalls_counted(kd)
        t0 = time.monotonic()
        procs = [child(LOADER, kname, calls) for _ in range(CLIENTS)]
        results = [p.communicate(timeout=1800) for p in procs]
        elapsed = time.monotonic() - t0
        for p, (out, err) in zip(procs, results):
            assert p.returncode == 0, err
            assert out == f"{calls}\n"
        # socket and close besides the ioctls, for each client
        assert syscalls_counted(kd) - before == CLIENTS * (calls + 2)
    finally:
        kd.close()
    print(f"\n{CLIENTS} clients x {calls} ioctls: {elapsed:.1f} s, "
          f"{CLIENTS * calls / elapsed:,.0f} calls/s")


def test_load_32_clients_x_10000_ioctls(kname, kernels):
    run_load(kname, kernels, int(os.environ.get("NETKERN_LOAD_CALLS", "10000")))
