"""Processes: credentials, descriptors, personality, and the process table.

A process of the emulated kernel is a client program: the kernel server
makes one for each connection (its pid is the client's own pid, its
credentials come from the socket's peer credentials), and a program that
runs the kernel in-process makes them directly.  The fields keep 4.3BSD's
names (``p_pid``, ``p_pgrp``, the user structure's ``u_ofile`` and the
credentials of 4.3BSD-Reno's ``struct ucred``).

``p_personality`` selects the ABI the process speaks: 'native' (4.3BSD
numbering) or 'svr4'.  ``p_vm`` is its address space as the kernel sees
it: an object with ``copyin``/``copyout`` (kern/kern_subr.py), local
(this very process) or remote (the client, reached over the kernel
server's connection).
"""

import os
import signal
import threading

from kern import machdep
from kern.headers import native as h

NOFILE = h.NOFILE
_ffi = h.ffi

allproc = {}          # pid -> proc


class ucred:
    """Credentials: effective and real user and group ids (Reno struct ucred)."""

    __slots__ = ("cr_uid", "cr_gid", "cr_ruid", "cr_rgid")

    def __init__(self, uid: int, gid: int):
        self.cr_uid = self.cr_ruid = uid
        self.cr_gid = self.cr_rgid = gid


class LocalVM:
    """The user address space of a process running in this Python process.

    User pointers are plain addresses of this process; the copy goes
    through machdep's safe copy, so an unmapped address is EFAULT, never
    a crash.  The system-call stub may name *windows*: cffi objects the
    caller passed and owns (``ffi.new``), whose bytes are certainly
    mapped while the call runs; copies inside one are a plain memmove.
    """

    __slots__ = ("wins",)

    def __init__(self):
        self.wins = ()              # (lo, hi, char * at lo) per window

    def set_window(self, lo: int, size: int, base) -> None:
        """Trust [lo, lo+size) for this call; base is a char * at lo."""
        self.wins = ((lo, lo + size, base),)

    def set_windows(self, wins) -> None:
        """Trust each (lo, hi, base) of wins for this call."""
        self.wins = wins

    def clear_window(self) -> None:
        """Drop the windows of the call that has ended."""
        self.wins = ()

    def copyin(self, uaddr: int, kbuf, n: int) -> bool:
        """Copy n bytes from user address uaddr; False if it is bad.

        A window of the current call that holds them is a plain memmove;
        anything else is read from the process's memory."""
        for lo, hi, base in self.wins:
            if lo <= uaddr and uaddr + n <= hi:
                machdep.ffi.memmove(kbuf, base + (uaddr - lo), n)
                return True
        return machdep.user_read(uaddr, machdep.kaddr(kbuf), n)

    def copyout(self, kbuf, uaddr: int, n: int) -> bool:
        """Copy n bytes to user address uaddr, as copyin does the other way."""
        for lo, hi, base in self.wins:
            if lo <= uaddr and uaddr + n <= hi:
                machdep.ffi.memmove(base + (uaddr - lo), kbuf, n)
                return True
        return machdep.user_write(uaddr, machdep.kaddr(kbuf), n)


class proc:
    """A process known to the kernel."""

    def __init__(self, pid: int, uid: int = 0, gid: int = 0, pgrp: int | None = None,
                 personality: str = "native", vm=None, comm: str = "?", hostpid: int = 0):
        self.p_pid = pid
        self.p_hostpid = hostpid or pid     # the host process that signals reach
        self.p_pgrp = pgrp if pgrp is not None else pid
        self.p_ucred = ucred(uid, gid)
        self.p_personality = personality
        self.p_vm = vm or LocalVM()
        self.p_comm = comm
        self.u_ofile = [None] * NOFILE      # struct file * per descriptor
        self.u_pofile = bytearray(NOFILE)   # per-descriptor flags (UF_EXCLOSE)
        self.p_wchan = None                 # the sleep in progress, if any
        self.p_stkbuf = _ffi.new("char[]", 128)  # ioctl's argument buffer (sys_generic)
        self.p_flag = 0                     # SSEL, SWEXIT (<sys/proc.h>)
        self._ev = threading.Event()

    def __repr__(self):
        return f"<proc {self.p_pid} {self.p_comm} uid {self.p_ucred.cr_uid}>"

    # How a local process waits in tsleep: a thread event.  The kernel
    # server's processes override both to watch their connection too
    # (kern/sysproxy/kernd.py).  A wakeup meant for an earlier sleep may
    # leave the event set, so the wait is for this sleep's end.
    def p_block(self, sleep, catch: bool) -> bool:
        """Wait until p_unblock ends this sleep; True if it was interrupted instead."""
        while not sleep.done:
            self._ev.wait()
            self._ev.clear()
        return False

    def p_unblock(self, sleep) -> None:
        """End a p_block: set the process's event."""
        self._ev.set()


def newproc(pid: int | None = None, uid: int = 0, gid: int = 0, cls=None, **kw) -> proc:
    """Enter a process in the process table (fork and exec in one step).

    A kernel server's process has its client's pid; should that pid be
    in the table already (a second connection from one program), the
    next free pid above it is used.  Processes made in the kernel's own
    host process share that host pid for signals and get the next free
    pid above it.  cls is the proc class (the kernel server's processes
    are a subclass that waits on their connection).
    """
    if pid is None:
        kw.setdefault("hostpid", os.getpid())
        pid = os.getpid()
    while pid in allproc:
        pid += 1
    p = (cls or proc)(pid, uid, gid, **kw)
    allproc[p.p_pid] = p
    return p


def pfind(pid: int):
    """The process with this pid, or None (4.3BSD kern_proc.c pfind)."""
    return allproc.get(pid)


def exit1(p: proc) -> None:
    """A process ends: close its descriptors and leave the table.

    4.3BSD kern_exit.c exit, reduced to what a network kernel holds for a
    process: its open files (and through them its sockets).
    """
    from kern.kern_descrip import closef
    p.p_flag |= h.SWEXIT
    for fd, fp in enumerate(p.u_ofile):
        if fp is not None:
            p.u_ofile[fd] = None
            closef(p, fp)
    allproc.pop(p.p_pid, None)


def suser(p: proc) -> int:
    """0 if the process is the super-user, else EPERM (4.3BSD suser)."""
    return 0 if p.p_ucred.cr_uid == 0 else h.EPERM


def psignal(p: proc, sig: int = signal.SIGIO) -> None:
    """Send a real signal to a process (kern_sig.c psignal).

    The kernel emulates the network stack, not the process model: its
    processes are host processes, so the signal is the host's.  Only
    processes of this kernel can be signalled, never any host pid.
    """
    try:
        os.kill(p.p_hostpid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def gsignal(pgrp: int, sig: int = signal.SIGIO) -> None:
    """Signal every process of this kernel in process group pgrp (kern_sig.c gsignal)."""
    if pgrp == 0:
        return
    for p in list(allproc.values()):
        if p.p_pgrp == pgrp:
            psignal(p, sig)
