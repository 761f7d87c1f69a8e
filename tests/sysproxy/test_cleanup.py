"""A client that dies, or leaves, mid-call: its process exits in the kernel.

Whatever the moment (asleep in select, between calls, waiting for the
answer to a COPYOUT), the kernel closes the process's descriptors, frees
its sockets, and kernel memory returns to what it was: the kmemstats
read through kvm (``_kmemstats``) and the file table (``_file``).
"""

import signal

from kern.headers import native as h
from kern.sysproxy import protocol as P
from kern.sysproxy.client import connect

from nkhelp import child, kmemstats, open_files, raw_call, raw_connect, raw_hello, raw_read, \
    wait_for

ffi = h.ffi

SLEEPER = """
import sys
from kern.sysproxy.client import connect
from kern.headers import native as h
sc = connect(sys.argv[1])
fds = [sc.socket(h.AF_INET, h.SOCK_DGRAM, 0) for _ in range(3)]
rd = h.ffi.new("fd_set *")
rd.fds_bits[0] = 1 << fds[0]
print("selecting", flush=True)
sc.select(fds[-1] + 1, rd)
print("woke?!", flush=True)
"""


def test_sigkill_while_asleep_in_select_frees_everything(kname, kernels):
    kd = kernels.kvm(kname)
    try:
        base, files = kmemstats(kd), open_files(kd)
        p = child(SLEEPER, kname)
        assert p.stdout.readline() == "selecting\n"
        wait_for(lambda: kmemstats(kd)[h.M_SOCKET][0] == base[h.M_SOCKET][0] + 3,
                 what="the child's three sockets")
        assert open_files(kd) == files + 3
        p.send_signal(signal.SIGKILL)
        p.wait()
        wait_for(lambda: kmemstats(kd) == base, what="kmemstats back to baseline")
        assert open_files(kd) == files
    finally:
        kd.close()
    with connect(kname) as sc:                    # and the kernel carries on
        assert sc.getpid()


def test_disconnect_between_calls_closes_the_descriptors(kname, kernels):
    kd = kernels.kvm(kname)
    try:
        base = kmemstats(kd)
        sc = connect(kname)
        for _ in range(5):
            sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        assert kmemstats(kd)[h.M_SOCKET][0] == base[h.M_SOCKET][0] + 5
        sc.close_connection()
        wait_for(lambda: kmemstats(kd) == base, what="kmemstats back to baseline")
    finally:
        kd.close()


def test_client_gone_while_kernel_waits_for_COPYOUT_answer(kname, kernels):
    """SIOCGIFCONF's first COPYOUT is never answered: the client closes instead."""
    kd = kernels.kvm(kname)
    try:
        base = kmemstats(kd)
        s = raw_connect(kname)
        assert raw_hello(s)[0] == P.T_WELCOME
        s.sendall(raw_call(h.SYS_socket, (h.AF_INET, h.SOCK_DGRAM, 0)))
        type_, _, body = raw_read(s)
        assert type_ == P.T_RETURN
        fd = P.RETURN.unpack(P.HDR.pack(P.RETURN.size, type_, 0) + body)[5]
        ifc = ffi.new("struct ifconf *")
        ifc.ifc_len = 4096
        ifc.ifc_ifcu.ifcu_buf = ffi.cast("char *", 0x10000)
        data = ffi.buffer(ifc)[:]
        s.sendall(raw_call(h.SYS_ioctl, (fd, h.SIOCGIFCONF, 0x5000),
                           [(0x5000, len(data), P.W_IN | P.W_OUT, data)]))
        type_, _, body = raw_read(s)
        assert type_ == P.T_COPYOUT
        assert P.REGION.unpack_from(body)[:2] == (0x10000, ffi.sizeof("struct ifreq"))
        s.close()
        wait_for(lambda: kmemstats(kd) == base, what="kmemstats back to baseline")
    finally:
        kd.close()
    assert "protocol error" not in kernels.log(kname)
