"""Helpers for the kernel server's tests (the fixtures are in conftest.py):
running netkern, reading a kernd's memory through kvm, child processes."""

import os
import signal
import subprocess
import sys
import time

import pytest

from kern import kvm, rundir
from tests.conftest import in_addr  # noqa: F401 (tests take it from here too)

PY = sys.executable


def netkern(*args, env=None, check=False, timeout=60):
    """Run the netkern command; return the CompletedProcess (text)."""
    return subprocess.run([PY, "-m", "kern.sysproxy.netkern", *args], capture_output=True,
                          text=True, env=env, check=check, timeout=timeout)


class Kernels:
    """The kernels a test booted, halted at its end."""

    def __init__(self, base):
        self.base = base
        self.names = []

    def boot(self, name: str, config: str | None = None) -> str:
        args = ["boot", name, "-n"]      # no rc: tests start from bare interfaces
        if config is not None:
            path = os.path.join(self.base, f"{name}.conf")
            with open(path, "w") as f:
                f.write(config)
            args += ["-c", path]
        r = netkern(*args)
        assert r.returncode == 0, r.stderr
        self.names.append(name)
        return name

    def pid(self, name: str) -> int:
        return rundir.running_pid(name)

    def kvm(self, name: str):
        return kvm.kvm_open(*rundir.files(name))

    def log(self, name: str) -> str:
        with open(os.path.join(rundir.path(name), "log")) as f:
            return f.read()

    def halt_all(self):
        """Halt every kernel booted here; kill any that will not go."""
        for name in self.names:
            pid = rundir.running_pid(name)
            if not pid:
                continue
            try:
                netkern("halt", name, timeout=30)
            except subprocess.TimeoutExpired:
                pass
            if not exited(pid):
                os.kill(pid, signal.SIGKILL)


def wait_for(cond, timeout: float = 10.0, what: str = "condition"):
    """Poll cond() until true; fail the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def exited(pid: int) -> bool:
    """True once process pid has exited (gone, or a zombie no one reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def kmemstats(kd):
    """(ks_inuse, ks_memuse) of every malloc type, read through kvm."""
    from kern.headers import native as h
    ks = kd.read(kd.nlist("_kmemstats"), "struct kmemstats")       # the first of M_LAST
    return [(ks[i].ks_inuse, ks[i].ks_memuse) for i in range(h.M_LAST)]


def open_files(kd) -> int:
    """How many entries of the kernel's file table are in use."""
    n = kd.symbol("_nfile", "int")[0]
    files = kd.read(kd.nlist("_file"), "struct file")               # the first of n
    return sum(1 for i in range(n) if files[i].f_count)


def syscalls_counted(kd) -> int:
    """cnt.v_syscall of the kernel, through kvm."""
    return kd.symbol("_cnt", "struct vmmeter").v_syscall


def child(code: str, *args, env=None, **kw):
    """Start a Python child running code (with args in sys.argv); text pipes."""
    return subprocess.Popen([PY, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def set_address(sc, name: bytes, dotted: str) -> None:
    """ifconfig NAME DOTTED, through any SysCalls (local or remote)."""
    from kern.headers import native as h
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    try:
        r = h.ffi.new("struct ifreq *")
        r.ifr_name = name
        sin = h.ffi.cast("struct sockaddr_in *", h.ffi.addressof(r.ifr_ifru, "ifru_addr"))
        sin.sin_family = h.AF_INET
        sin.sin_addr.s_addr = in_addr(dotted)
        sc.ioctl(s, h.SIOCSIFADDR, r)
    finally:
        sc.close(s)


def raw_connect(name: str):
    """A bare Unix-domain connection to kernd name's socket (no handshake)."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(os.path.join(rundir.path(name), "sock"))
    s.settimeout(10)
    return s


def raw_hello(s, pid: int | None = None, version: int | None = None) -> tuple:
    """Send a HELLO on a raw connection; return the answer's (type, aux, body)."""
    from kern.sysproxy import protocol as P
    s.sendall(P.hello(pid or os.getpid(), os.getpgrp(), "native", "raw",
                      version=P.VERSION if version is None else version))
    return raw_read(s)


def raw_read(s) -> tuple:
    """One message from a raw connection: (type, aux, body), or None at EOF."""
    from kern.sysproxy import protocol as P
    head = _recvn(s, P.HDRSIZE)
    if head is None:
        return None
    length, type_, aux = P.HDR.unpack(head)
    body = _recvn(s, length - P.HDRSIZE) if length > P.HDRSIZE else b""
    return type_, aux, body


def _recvn(s, n: int):
    data = b""
    while len(data) < n:
        part = s.recv(n - len(data))
        if not part:
            return None
        data += part
    return data


def raw_call(code: int, args, windows=()) -> bytes:
    """A CALL message: windows are (addr, len, flags, data or b"")."""
    from kern.sysproxy import protocol as P
    body = P.ARGS[len(args)].pack(*args)
    for addr, n, flags, data in windows:
        body += P.REGION.pack(addr, n, flags) + data
    return P.CALL.pack(P.CALL.size + len(body), P.T_CALL, code, len(args), len(windows)) + body
