"""Helpers for the utilities' tests: run a program as a process of the test kernel.

``run(main, *argv)`` runs one command, as a fresh process of the
in-process kernel booted by the ``kernel`` fixture (root unless
``uid`` is given, in the personality asked for), and returns its exit
status and what it wrote on stdout and stderr.  netstat takes no
process (it makes no system call): ``run(netstat.main, ...)`` reads the
kernel's namelist and kmem through kvm like the command does.
"""

import io
import os
from dataclasses import dataclass

import pytest

from kern import kern_proc, ksyms, syscalls

TWO_ETHERNETS = """\
machine         "netkern"
ident           TWOETHER
options         INET
pseudo-device   loop
pseudo-device   ether
device          le0 at wire "lan0" lladdr 08:00:20:00:00:01
device          le1 at wire "lan1" lladdr 08:00:20:00:00:02
"""


@dataclass
class Result:
    status: int
    out: str
    err: str


class Runner:
    def __init__(self, rundir):
        self.rundir = rundir
        self.files = (os.path.join(rundir, "namelist"), os.path.join(rundir, "kmem"))

    def namelist_without(self, tmp_path, *symbols) -> str:
        """A copy of the kernel's namelist without the named symbols (as a stripped /vmunix)."""
        path = tmp_path / "namelist.stripped"
        with open(self.files[0]) as f:
            path.write_text("".join(ln for ln in f if ln.split()[2] not in symbols))
        return str(path)

    def __call__(self, main, *argv, uid=0, personality="native", process=True, **kw):
        out, err = io.StringIO(), io.StringIO()
        sc = syscalls.attach(uid=uid, gid=uid, personality=personality) if process else None
        try:
            status = main(list(argv), sc=sc, files=self.files, out=out, err=err, **kw)
        finally:
            if sc is not None:
                kern_proc.exit1(sc.p)
        return Result(status, out.getvalue(), err.getvalue())


def svr4_ioctls_or_skip():
    """Skip a test that needs the SVR4 personality's ioctls until that layer exists."""
    try:
        import kern.compat.svr4.svr4_sockio  # noqa: F401
    except ImportError:
        pytest.skip("the SVR4 ioctl translation (kern/compat/svr4, issue 4) is not merged yet")


def arp_or_skip():
    """Skip a test that needs the kernel's ARP (issue 6b) until it is merged."""
    try:
        import kern.netinet.if_ether  # noqa: F401
    except ImportError:
        pytest.skip("the kernel's ARP table (kern/netinet/if_ether.py, issue 6b) is not merged yet")


def kernel_global(name, ctype):
    """The kernel global ``_name``, placed in kernel memory if this kernel lacks it.

    Counters the packet path (issues 6 and 7) will own: until it lands,
    a test places the structure where the kernel will, at ``_name`` in
    the namelist, so netstat's reading of it is tested through kvm.
    """
    from kern import init_main
    from kern.headers import native as h
    addr = ksyms.lookup("_" + name)
    if addr:
        return h.ffi.cast(ctype + " *", addr)
    ptr = ksyms.data(name, ctype)
    ksyms.write_namelist(os.path.join(init_main.rundir, "namelist"))
    return ptr
