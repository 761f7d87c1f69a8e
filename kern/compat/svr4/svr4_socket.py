"""SVR4 socket calls, translated to the native kernel.

NetBSD's sys/compat/svr4/svr4_socket.c and svr4_stream.c do this for
NetBSD; here it is the same idea over 4.3BSD-Tahoe's socket calls
(kern/uipc_syscalls.py).  An SVR4 process speaks SVR4.0's socket ABI
(<sys/socket.h> under SVR4):

* socket types are numbered after SVR4's transport provider types
  (SOCK_DGRAM 1, SOCK_STREAM 2, SOCK_RAW 4, SOCK_RDM 5,
  SOCK_SEQPACKET 6 against the native 2, 1, 3, 4, 5); a number SVR4
  does not have is EINVAL, as NetBSD's svr4_sys_socket answers;
* ``struct msghdr`` is the 4.3BSD form, with access rights
  (``msg_accrights``, ``msg_accrightslen``) and no flags word, so
  recvmsg reports no MSG_TRUNC; at most MSG_MAXIOVLEN - 1 iovecs, as
  4.3 allowed; the rights length is written back after a receive;
* getsockopt knows SVR4's SO_PROTOTYPE (the socket's protocol number)
  and SO_IMASOCKET (always true here: every endpoint is a socket).

Everything else (the option numbers both systems share, MSG_OOB,
MSG_PEEK, MSG_DONTROUTE) passes through unchanged; errno numbers are
translated on the way out by the system-call layer.  Functions take
the process first and return ``(native errno, value)``.
"""

from kern import headers
from kern.headers import native as h
from kern.kern_subr import copyin, copyout
from kern import uipc_syscalls as sys
from kern.uipc_mbuf import M_WAIT, m_get, mtod
from kern.uipc_socket import sogetopt

s4 = headers.load("svr4")
ffi = h.ffi
s4ffi = s4.ffi
MSGHDR4 = s4ffi.sizeof("struct msghdr")
INT = ffi.sizeof("int")

# SVR4 socket type -> native (SVR4.0 <sys/socket.h>; the headers' values).
SOCKTYPES = {getattr(s4, n): getattr(h, n)
             for n in ("SOCK_DGRAM", "SOCK_STREAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET")}


def svr4_socket(p, domain: int, type: int, protocol: int):
    """socket(2) of an SVR4 process: its socket type numbered the native way."""
    native = SOCKTYPES.get(type)
    if native is None:
        return h.EINVAL, -1
    return sys.socket(p, domain, native, protocol)


def _copyinmsg4(p, umsg: int):
    """An SVR4 (4.3-form) msghdr and its iovecs: (error, msg, iov)."""
    msg = s4ffi.new("struct msghdr *")
    error = copyin(p, umsg, msg, MSGHDR4)
    if error:
        return error, None, None
    error, iov = sys.copyiniov(p, _uaddr(msg.msg_iov), msg.msg_iovlen, h.MSG_MAXIOVLEN)
    return error, msg, iov


def _uaddr(ptr) -> int:
    return int(s4ffi.cast("uintptr_t", ptr))


def svr4_sendmsg(p, s: int, umsg: int, flags: int):
    """sendmsg(2) with a 4.3-form msghdr: its access rights go down as MT_RIGHTS.

    4.3BSD-Tahoe uipc_syscalls.c sendmsg; a protocol that passes no
    rights (UDP, raw IP) refuses them with EINVAL.
    """
    error, msg, iov = _copyinmsg4(p, umsg)
    if error:
        return error, -1
    return sys.sendit(p, s, _uaddr(msg.msg_name), msg.msg_namelen, iov, flags,
                      _uaddr(msg.msg_accrights), msg.msg_accrightslen, h.MT_RIGHTS)


def svr4_recvmsg(p, s: int, umsg: int, flags: int):
    """recvmsg(2) with a 4.3-form msghdr (4.3BSD-Tahoe uipc_syscalls.c recvmsg).

    The sender's address length goes back into the user's msg_namelen
    and the rights length (0: no protocol here passes rights) into
    msg_accrightslen, each copied out by itself, as Tahoe did.
    """
    error, msg, iov = _copyinmsg4(p, umsg)
    if error:
        return error, -1
    off = s4ffi.offsetof("struct msghdr", "msg_namelen")
    error, r = sys.recvit(p, s, iov, flags, _uaddr(msg.msg_name), msg.msg_namelen,
                          umsg + off)
    if error:
        return error, -1
    if _uaddr(msg.msg_accrights):
        copyout(p, ffi.new("int *", 0), umsg + s4ffi.offsetof("struct msghdr",
                                                                "msg_accrightslen"), INT)
    return 0, r[0]


def svr4_sogetopt(so, level: int, name: int, p=None):
    """sogetopt with SVR4's SO_PROTOTYPE and SO_IMASOCKET: (error, MT_SOOPTS mbuf)."""
    if level != s4.SOL_SOCKET or name not in (s4.SO_PROTOTYPE, s4.SO_IMASOCKET):
        return sogetopt(so, level, name, p)
    if name == s4.SO_IMASOCKET:
        value = 1
    else:
        value = so.so_proto.pr_protocol
        if value == 0 and so.so_pcb != ffi.NULL:        # the wildcard raw entry
            value = ffi.cast("struct inpcb *", so.so_pcb).inp_ip.ip_p
    m = m_get(M_WAIT, h.MT_SOOPTS)
    if m is None:
        return h.ENOBUFS, None
    m.m_len = INT
    mtod(m, "int")[0] = value
    return 0, m


def svr4_getsockopt(p, s: int, level: int, name: int, val: int, avalsize: int):
    """getsockopt(2) of an SVR4 process: the native call over svr4_sogetopt."""
    return sys.getsockopt(p, s, level, name, val, avalsize, getopt=svr4_sogetopt)
