"""The system-call table: numbers, names, argument types and handlers.

4.3BSD sys/init_sysent.c numbers its system calls; netkern keeps those
numbers (<sys/syscall.h>: socket is 97, ioctl 54 ...) for the calls it
implements, and the kernel server's protocol carries them
(man/man8/kernd.8).  Every handler takes the calling process first and
returns ``(error, value)``.

Each entry also gives its arguments' C types, one letter each, as
NetBSD's syscalls.master does: ``i`` an int, ``I`` an unsigned int,
``p`` a pointer or long.  A caller from another process sends every
argument as a 64-bit word; the kernel takes of each only what its type
holds (an int is the low 32 bits, sign-extended), as a 32-bit kernel
reading a 64-bit register would.

``syscall`` is the entry every system call goes through, local or
remote: 4.3BSD's machine-dependent trap.c syscall(), less the trap
frame.  It counts ``cnt.v_syscall`` and sends an unknown number to
``nosys``.
"""

import signal
import sys

from kern import kern_descrip, kern_proc, pktrace, sys_generic, uipc_syscalls, vm_meter
from kern.headers import native as h
from kern.net.netisr import dosoftint


def _close(p, fd):
    return kern_descrip.close(p, fd), 0


def _ioctl(p, fd, cmd, data):
    return sys_generic.ioctl(p, fd, cmd, data), 0


def _getpid(p):
    return 0, p.p_pid


def _getuid(p):
    return 0, p.p_ucred.cr_ruid


def _geteuid(p):
    return 0, p.p_ucred.cr_uid


def _setuid(p, uid):
    """setuid(2): root may become anyone; others only their real uid (4.3 kern_prot.c)."""
    cr = p.p_ucred
    if uid != cr.cr_ruid and kern_proc.suser(p):
        return kern_proc.suser(p), 0
    cr.cr_uid = uid
    if cr.cr_ruid == 0 or uid == cr.cr_ruid:
        cr.cr_ruid = uid
    return 0, 0


def nosys(p, *args):
    """An unknown system call number: SIGSYS to the caller, and EINVAL.

    4.3BSD trap.c nosys posts SIGSYS, and fails the call with EINVAL
    only when the process ignores that signal; the kernel cannot see a
    remote process's dispositions, so the call always fails.
    """
    kern_proc.psignal(p, signal.SIGSYS)
    return h.EINVAL, 0


# number: (name, handler, argument types)
sysent = {
    h.SYS_close: ("close", _close, "i"),
    h.SYS_getpid: ("getpid", _getpid, ""),
    h.SYS_setuid: ("setuid", _setuid, "I"),
    h.SYS_getuid: ("getuid", _getuid, ""),
    h.SYS_geteuid: ("geteuid", _geteuid, ""),
    h.SYS_ioctl: ("ioctl", _ioctl, "iIp"),
    h.SYS_fcntl: ("fcntl", kern_descrip.fcntl, "iii"),
    h.SYS_select: ("select", sys_generic.select, "ipppp"),
    h.SYS_socket: ("socket", uipc_syscalls.socket, "iii"),
    h.SYS_connect: ("connect", uipc_syscalls.connect, "ipi"),
    h.SYS_poll: ("poll", sys_generic.poll, "pIi"),
    h.SYS_send: ("send", uipc_syscalls.send, "ipii"),
    h.SYS_recv: ("recv", uipc_syscalls.recv, "ipii"),
    h.SYS_bind: ("bind", uipc_syscalls.bind, "ipi"),
    h.SYS_setsockopt: ("setsockopt", uipc_syscalls.setsockopt, "iiipi"),
    h.SYS_recvmsg: ("recvmsg", uipc_syscalls.recvmsg, "ipi"),
    h.SYS_sendmsg: ("sendmsg", uipc_syscalls.sendmsg, "ipi"),
    h.SYS_getsockopt: ("getsockopt", uipc_syscalls.getsockopt, "iiipp"),
    h.SYS_recvfrom: ("recvfrom", uipc_syscalls.recvfrom, "ipiipp"),
    h.SYS_sendto: ("sendto", uipc_syscalls.sendto, "ipiipi"),
    h.SYS_shutdown: ("shutdown", uipc_syscalls.shutdown, "ii"),
    h.SYS_getpeername: ("getpeername", uipc_syscalls.getpeername, "ipp"),
    h.SYS_getsockname: ("getsockname", uipc_syscalls.getsockname, "ipp"),
}

SYS = {name: num for num, (name, _, _) in sysent.items()}
NOSYS = ("nosys", nosys, "")


def svr4_sysent() -> dict:
    """The SVR4 personality's table: the native one with SVR4's own entries.

    As NetBSD's struct emul gives each emulation its e_sysent, an SVR4
    process's calls go through this table (kern/compat/svr4): ioctl to
    svr4_ioctl, socket, getsockopt, sendmsg and recvmsg to their
    translations.  The numbers and argument types are the native ones.
    """
    from kern.compat.svr4 import svr4_socket, svr4_sockio

    def ioctl(p, fd, cmd, data):
        """ioctl(2) through the SVR4 command translation (svr4_sockio)."""
        return svr4_sockio.svr4_ioctl(p, fd, cmd, data), 0

    table = dict(sysent)
    for code, func in ((h.SYS_ioctl, ioctl), (h.SYS_socket, svr4_socket.svr4_socket),
                       (h.SYS_getsockopt, svr4_socket.svr4_getsockopt),
                       (h.SYS_sendmsg, svr4_socket.svr4_sendmsg),
                       (h.SYS_recvmsg, svr4_socket.svr4_recvmsg)):
        name, _, types = sysent[code]
        table[code] = (name, func, types)
    return table


_emul = {}            # personality -> its table, made at its first call


def syscall(p, code: int, args):
    """Run system call number code for process p: (native errno, value).

    The caller holds kernel_lock.  args are already of the entry's
    types (kern/sysproxy/kernd.py decodes them so).
    """
    if pktrace.wanted is not sys.getprofile():
        pktrace.sync()
    cnt = vm_meter.cnt
    cnt.v_syscall = (cnt.v_syscall + 1) & 0xFFFFFFFF     # an unsigned int wraps, as in C
    table = sysent
    if p.p_personality != "native":
        table = _emul.get(p.p_personality)
        if table is None:
            table = _emul[p.p_personality] = svr4_sysent()
    try:
        return table.get(code, NOSYS)[1](p, *args)
    finally:
        dosoftint()     # the software interrupts the call scheduled, before leaving the kernel


# A way for tests to make a socket event before the datagram path
# exists: socantrcvmore on descriptor fd of process pid, which wakes
# its readers and selectors and sends SIGIO to an FIOASYNC owner, as
# the arrival of data or shutdown(2) will.  kernd enters it in the
# table only when started with NETKERN_TEST_HOOKS=1; it needs root.
SYS_TEST_SOCANTRCVMORE = 511


def _test_socantrcvmore(p, pid, fd):
    error = kern_proc.suser(p)
    if error:
        return error, 0
    target = kern_proc.pfind(pid)
    fp = kern_descrip.getf(target, fd) if target is not None else None
    if fp is None or fp.f_type != h.DTYPE_SOCKET:
        return h.EBADF, 0
    from kern.uipc_socket2 import socantrcvmore
    socantrcvmore(h.ffi.cast("struct socket *", fp.f_data))
    return 0, 0


def enable_test_hooks() -> None:
    """Enter the test-only calls in the table (kernd with NETKERN_TEST_HOOKS=1)."""
    sysent[SYS_TEST_SOCANTRCVMORE] = ("_test_socantrcvmore", _test_socantrcvmore, "ii")
