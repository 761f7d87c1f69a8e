"""The system-call table: numbers, names and handlers.

4.3BSD sys/init_sysent.c numbers its system calls; netkern keeps those
numbers (socket is 97, ioctl 54 ...) for the calls it implements, and
the kernel server's protocol carries them (man/man8/kernd.8).  Every
handler takes the calling process first and returns ``(error, value)``.
Calls that 4.3BSD did not have (poll) get numbers above 4.3's table.
"""

from kern import kern_descrip, kern_proc, sys_generic, uipc_syscalls


def _close(p, fd):
    return kern_descrip.close(p, fd), 0


def _ioctl(p, fd, cmd, data):
    if p.p_personality == "svr4":
        from kern.compat.svr4 import svr4_sockio
        return svr4_sockio.svr4_ioctl(p, fd, cmd, data), 0
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


# number: (name, handler, number of integer arguments)
sysent = {
    6: ("close", _close),
    20: ("getpid", _getpid),
    23: ("setuid", _setuid),
    24: ("getuid", _getuid),
    25: ("geteuid", _geteuid),
    54: ("ioctl", _ioctl),
    92: ("fcntl", kern_descrip.fcntl),
    97: ("socket", uipc_syscalls.socket),
    101: ("send", uipc_syscalls.send),
    102: ("recv", uipc_syscalls.recv),
    125: ("recvfrom", uipc_syscalls.recvfrom),
    133: ("sendto", uipc_syscalls.sendto),
}

SYS = {name: num for num, (name, _) in sysent.items()}
