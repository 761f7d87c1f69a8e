"""Every system call with arbitrary arguments: an errno, never a Python exception.

Each example is a program of 100 calls drawn from the system-call table
(by a generator hypothesis seeds, so that a failure is reproduced), each
argument an arbitrary integer, one of a few plausible values (small
descriptors, the header's ioctl commands and socket options, sockaddrs
of several families and lengths), a pointer into the caller's buffers
or an address nothing is mapped at.  The kernel must answer each call
with a value or a BSD errno, in both personalities and for root and an
ordinary user, and leave its route references balanced (the kernel
fixture checks that at teardown).  No call may sleep: a receive's
descriptor is made non-blocking (FIONBIO) first, select and poll get a
zero timeout.

A pointer is never aimed past the end of a buffer of the caller's: in
one process that would overwrite the test's own memory, as a wild
pointer does in any program.
"""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kern import headers, kern_proc, syscalls
from kern.headers import native as h
from kern.init_sysent import sysent
from kern.kern_synch import kernel_lock
from kern.syscalls import SysError

ffi = h.ffi
BUFSIZE = 65536
NBUF = 3
UNMAPPED = [0, 1, 0xDEADBEEF000, 2**63 - 1]
CALLS = sorted((name, types) for name, _, types in sysent.values() if name != "setuid")

WORDS = [-1, 0, 1, 2, 3, 4, 5, 16, 28, 255, 256, 65535, 2**31 - 1, -2**31, 2**32 - 1]
DOTTED = ["127.0.0.1", "0.0.0.0", "255.255.255.255", "127.255.255.255", "224.0.0.1", "10.9.9.9"]


def word(rng):
    return rng.choice(WORDS) if rng.random() < 0.7 else rng.randrange(-2**31, 2**32)


def pointer(rng):
    """(buffer, offset) of one of the caller's buffers, or an unmapped address."""
    return (rng.randrange(NBUF), rng.choice([0, 8, 100])) if rng.random() < 0.8 \
        else rng.choice(UNMAPPED)


def call(rng, abi):
    """One call of the table with arguments: (name, args, (argument, bytes it points at) or None)."""
    name, types = rng.choice(CALLS)
    args = [pointer(rng) if t == "p" else word(rng) for t in types]
    if types[:1] == "i" and name != "socket" and rng.random() < 0.5:
        args[0] = rng.randrange(7)                    # most calls start with a descriptor
    fill = None
    biased = rng.random() < 0.5
    if name == "ioctl" and biased:
        args[1] = rng.choice(IOCTLS[abi])
        fill = 2, rng.choice([b"lo0\0", b"le0\0", b"le9\0", b"x" * 16])
    elif name == "fcntl" and biased:
        args[1] = rng.choice([h.F_DUPFD, h.F_GETFD, h.F_SETFD, h.F_GETFL, h.F_SETFL, h.F_GETOWN,
                              h.F_SETOWN])
    elif name == "socket" and biased:
        args[0] = rng.choice([h.AF_INET, h.AF_INET, h.AF_UNIX, 0])
        args[1] = rng.choice([1, 2, 3, 4, 5])
        args[2] = rng.choice([0, 1, 17, 255, 256, 256 + 17, -1])
    elif name in ("setsockopt", "getsockopt") and biased:
        args[1] = rng.choice([h.SOL_SOCKET, h.IPPROTO_IP, h.IPPROTO_UDP, -1])
        args[2] = rng.choice(OPTIONS)
    elif name in ("sendto", "connect", "bind") and biased:
        i = 4 if name == "sendto" else 1
        args[i + 1] = rng.choice([16, 16, 8, 0, 17, 255])
        fill = i, (rng.choice([h.AF_INET, h.AF_INET, h.AF_UNIX, 0, 255]).to_bytes(2, "little")
                   + rng.choice([0, 7, 53, 1024]).to_bytes(2, "big")
                   + bytes(int(x) for x in rng.choice(DOTTED).split(".")) + bytes(8))
    return name, args, fill


IOCTLS = {abi: sorted({getattr(m, n) & 0xFFFFFFFF for n in dir(m)
                       if n.startswith(("SIOC", "FIO")) and isinstance(getattr(m, n), int)})
          for abi, m in (("native", h), ("svr4", headers.load("svr4")))}
OPTIONS = sorted({getattr(h, n) for n in dir(h)
                  if n.startswith(("SO_", "IP_")) and isinstance(getattr(h, n), int)})


def run(sc, abi, bufs, program):
    """Make each call of the program; a kernel error is the test's failure."""
    addrs = [int(ffi.cast("uintptr_t", b)) for b in bufs]
    nbio = ffi.new("int *", 1)
    for name, args, fill in program:
        args = [addrs[a[0]] + a[1] if isinstance(a, tuple) else a for a in args]
        if fill is not None:
            i, data = fill
            ffi.memmove(bufs[0], data, len(data))
            args[i] = addrs[0]
        if name.startswith("recv"):
            try:
                sc.ioctl(args[0], abi.FIONBIO, nbio)
            except SysError:
                pass
        elif name == "select":
            args[4] = addrs[NBUF - 1] + BUFSIZE - 16    # a zeroed timeval: a poll
            ffi.memmove(bufs[NBUF - 1] + BUFSIZE - 16, bytes(16), 16)
        elif name == "poll":
            args[2] = 0
        try:
            sc._syscall(name, *args)
        except SysError:
            pass


@pytest.mark.parametrize("uid, personality", [(0, "native"), (1000, "native"), (0, "svr4")])
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=st.randoms(use_true_random=False))
def test_arbitrary_arguments_get_an_errno_never_an_exception(kernel, uid, personality, rng):
    sc = syscalls.attach(uid=uid, gid=uid, personality=personality, comm="fuzz")
    try:
        abi = headers.load(personality)
        bufs = [ffi.new("char[]", BUFSIZE) for _ in range(NBUF)]
        for _ in range(3):
            sc.socket(abi.AF_INET, abi.SOCK_DGRAM, 0)
        run(sc, abi, bufs, [call(rng, personality) for _ in range(100)])
    finally:
        with kernel_lock:
            kern_proc.exit1(sc.p)           # its descriptors close: the next example starts afresh
