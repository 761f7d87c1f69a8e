"""The socket system calls.

4.3BSD-Tahoe kern/uipc_syscalls.c, with 4.3BSD-Reno's sendmsg/recvmsg
header (``msg_control``, ``msg_flags``; <sys/socket.h>).  Each function
takes the calling process first and returns ``(error, value)``; the
system-call layer (kern/syscalls.py) turns that into a return value or
an errno for the caller.  Buffers, socket addresses and the nested
pointers of a ``struct msghdr`` (its iovec array, the buffers it names)
are user addresses, reached only through copyin/copyout
(kern/kern_subr.py), so a bad pointer is EFAULT.  The SVR4 personality
reaches ``sendit`` and ``recvit`` with its own 4.3-form msghdr
(kern/compat/svr4/svr4_socket.py).
"""

from kern.headers import native as h
from kern.kern_descrip import falloc, getf
from kern.kern_subr import UIO_READ, UIO_WRITE, copyin, copyout, uio
from kern.uipc_mbuf import M_WAIT, MLEN, m_free, m_freem, m_get, m_getclr, mtod
from kern.uipc_socket import (sobind, soconnect, socreate, sogetopt, soreceive, sosend,
                              sosetopt, soshutdown)

ffi = h.ffi
INT = ffi.sizeof("int")
MSGHDR = ffi.sizeof("struct msghdr")
IOVEC = ffi.sizeof("struct iovec")
CMSGHDR = ffi.sizeof("struct cmsghdr")
INT_MAX = 0x7FFFFFFF
SS_ISCONNECTING, SS_NBIO = h.SS_ISCONNECTING, h.SS_NBIO


def socket(p, domain: int, type: int, protocol: int):
    """socket(2): a new socket and a descriptor for it."""
    from kern import sys_socket
    error, fp, fd = falloc(p)
    if error:
        return error, -1
    fp.f_flag = h.FREAD | h.FWRITE
    fp.f_type = h.DTYPE_SOCKET
    fp.f_ops = sys_socket.socketops
    error, so = socreate(p, domain, type, protocol)
    if error:
        p.u_ofile[fd] = None
        fp.f_count = 0
        return error, -1
    fp.f_data = ffi.cast("char *", so)
    return 0, fd


def getsock(p, fdes: int):
    """The socket behind a descriptor: (error, so); EBADF or ENOTSOCK (uipc_syscalls.c getsock)."""
    fp = getf(p, fdes)
    if fp is None:
        return h.EBADF, None
    if fp.f_type != h.DTYPE_SOCKET:
        return h.ENOTSOCK, None
    return 0, ffi.cast("struct socket *", fp.f_data)


def sockargs(p, name: int, namelen: int, type: int):
    """Copy a user's sockaddr (or options) into an mbuf: (error, m) (uipc_syscalls.c sockargs).

    Longer than an mbuf holds (MLEN, or negative) is EINVAL; a bad
    pointer EFAULT.
    """
    if namelen < 0 or namelen > MLEN:
        return h.EINVAL, None
    m = m_get(M_WAIT, type)
    if m is None:
        return h.ENOBUFS, None
    m.m_len = namelen
    error = copyin(p, name, m.m_cbuf + m.m_data, namelen)
    if error:
        m_free(m)
        return error, None
    return 0, m


def bind(p, s: int, name: int, namelen: int):
    """bind(2): give socket s the local address at name (uipc_syscalls.c bind)."""
    error, so = getsock(p, s)
    if error:
        return error, -1
    error, nam = sockargs(p, name, namelen, h.MT_SONAME)
    if error:
        return error, -1
    error = sobind(so, nam, p)
    m_freem(nam)
    return error, 0


def connect(p, s: int, name: int, namelen: int):
    """connect(2): associate socket s with the address at name (uipc_syscalls.c connect).

    A non-blocking socket still connecting is EALREADY, and one whose
    connection has only begun EINPROGRESS; otherwise the call sleeps
    while the protocol connects and returns the socket's error.  A
    datagram protocol connects at once.
    """
    from kern.kern_synch import tsleep
    from kern.uipc_socket2 import _addr
    error, so = getsock(p, s)
    if error:
        return error, -1
    if so.so_state & SS_NBIO and so.so_state & SS_ISCONNECTING:
        return h.EALREADY, -1
    error, nam = sockargs(p, name, namelen, h.MT_SONAME)
    if error:
        return error, -1
    error = soconnect(so, nam, p)
    if not error:
        if so.so_state & SS_NBIO and so.so_state & SS_ISCONNECTING:
            m_freem(nam)
            return h.EINPROGRESS, -1
        while so.so_state & SS_ISCONNECTING and so.so_error == 0:
            error = tsleep(p, _addr(ffi.addressof(so, "so_timeo")), "netcon", 0)
            if error:
                break
        if not error:
            error = so.so_error
            so.so_error = 0
    so.so_state &= ~SS_ISCONNECTING
    m_freem(nam)
    return error, 0


def shutdown(p, s: int, how: int):
    """shutdown(2): stop receiving (0), sending (1) or both (2) on socket s (soshutdown)."""
    error, so = getsock(p, s)
    if error:
        return error, -1
    return soshutdown(so, how, p), 0


def _getname(p, s: int, asa: int, alen: int, req: int, needconn: bool):
    """getsockname/getpeername: PRU_SOCKADDR or PRU_PEERADDR into the user's buffer.

    The int at alen is the buffer's size; as much of the address as fits
    is copied out and alen set to that length (a negative size is a huge
    unsigned one, EFAULT).
    """
    from kern import ksyms
    error, so = getsock(p, s)
    if error:
        return error, -1
    if needconn and not so.so_state & h.SS_ISCONNECTED:
        return h.ENOTCONN, -1
    lenbuf = ffi.new("int *")
    error = copyin(p, alen, lenbuf, INT)
    if error:
        return error, -1
    m = m_getclr(M_WAIT, h.MT_SONAME)
    if m is None:
        return h.ENOBUFS, -1
    error = ksyms.call(so.so_proto.pr_usrreq, so, req, None, m, None, p)
    if not error:
        error = _copyout_len(p, m, asa, alen, lenbuf)
    m_freem(m)
    return error, 0


def _copyout_len(p, m, uaddr: int, ulen: int, lenbuf) -> int:
    """At most lenbuf[0] bytes of m out to uaddr, then the count copied to ulen.

    The length is an int the caller read from ulen; a negative one is a
    huge unsigned count, which cannot be copied: EFAULT.
    """
    n = min(lenbuf[0], m.m_len)
    if n < 0:
        return h.EFAULT
    error = copyout(p, m.m_cbuf + m.m_data, uaddr, n)
    if not error:
        lenbuf[0] = n
        error = copyout(p, lenbuf, ulen, INT)
    return error


def getsockname(p, fdes: int, asa: int, alen: int):
    """getsockname(2): the socket's local address (uipc_syscalls.c getsockname)."""
    return _getname(p, fdes, asa, alen, h.PRU_SOCKADDR, False)


def getpeername(p, fdes: int, asa: int, alen: int):
    """getpeername(2): the address the socket is connected to; ENOTCONN if none."""
    return _getname(p, fdes, asa, alen, h.PRU_PEERADDR, True)


def setsockopt(p, s: int, level: int, name: int, val: int, valsize: int):
    """setsockopt(2): set option name at level from valsize bytes at val (uipc_syscalls.c).

    More than an mbuf holds is EINVAL (valsize taken unsigned, as 4.4BSD
    does, so a negative one too); a null val passes no value.
    """
    error, so = getsock(p, s)
    if error:
        return error, -1
    if valsize & 0xFFFFFFFF > MLEN:
        return h.EINVAL, -1
    m = None
    if val:
        m = m_get(M_WAIT, h.MT_SOOPTS)
        if m is None:
            return h.ENOBUFS, -1
        error = copyin(p, val, m.m_cbuf + m.m_data, valsize)
        if error:
            m_free(m)
            return error, -1
        m.m_len = valsize
    return sosetopt(so, level, name, m, p), 0


def getsockopt(p, s: int, level: int, name: int, val: int, avalsize: int, getopt=sogetopt):
    """getsockopt(2): option name at level into val, its length into *avalsize.

    4.3BSD-Tahoe uipc_syscalls.c getsockopt: *avalsize is read only when
    val is given; at most that many bytes are copied out, and the length
    copied is written back.  A null val asks for nothing (the option is
    still looked up, so its errors show).  getopt is sogetopt, or a
    personality's own (kern/compat/svr4).
    """
    error, so = getsock(p, s)
    if error:
        return error, -1
    lenbuf = ffi.new("int *")
    if val:
        error = copyin(p, avalsize, lenbuf, INT)
        if error:
            return error, -1
    error, m = getopt(so, level, name, p)
    if not error and val and lenbuf[0] and m is not None:
        error = _copyout_len(p, m, val, avalsize, lenbuf)
    m_freem(m)
    return error, 0


# -- sending and receiving ------------------------------------------------


def _checkiov(iov) -> int:
    """EINVAL for a negative length, or a total that does not fit an int (sendit/recvit)."""
    total = 0
    for _, ln in iov:
        if ln < 0:
            return h.EINVAL
        total += ln
        if total > INT_MAX:
            return h.EINVAL
    return 0


def sendit(p, s: int, to: int, tolen: int, iov, flags: int, control: int = 0,
           controllen: int = 0, ctltype: int = h.MT_CONTROL):
    """The common part of send, sendto and sendmsg: (error, bytes sent) (uipc_syscalls.c sendit).

    iov is a list of user (base, length) pieces.  The destination (to)
    and the control data (Reno's msg_control; the SVR4 personality
    passes its access rights with ctltype MT_RIGHTS) are copied into
    mbufs by sockargs.  Native control data shorter than a cmsghdr is
    EINVAL, as in 4.3BSD-Reno.
    """
    error, so = getsock(p, s)
    if error:
        return error, -1
    error = _checkiov(iov)
    if error:
        return error, -1
    nam = ctl = None
    if to:
        error, nam = sockargs(p, to, tolen, h.MT_SONAME)
        if error:
            return error, -1
    if control:
        if ctltype == h.MT_CONTROL and controllen < CMSGHDR:
            error = h.EINVAL
        else:
            error, ctl = sockargs(p, control, controllen, ctltype)
        if error:
            m_freem(nam)
            return error, -1
    auio = uio(iov, UIO_WRITE)
    length = auio.uio_resid
    error = sosend(so, p, nam, auio, ctl, flags)
    m_freem(nam)
    if error:
        return error, -1
    return 0, length - auio.uio_resid


def send(p, s: int, buf: int, length: int, flags: int):
    """send(2): sendto without an address."""
    return sendit(p, s, 0, 0, [(buf, length)], flags)


def sendto(p, s: int, buf: int, length: int, flags: int, to: int, tolen: int):
    """sendto(2): send length bytes at buf to the sockaddr at to (tolen bytes)."""
    return sendit(p, s, to, tolen, [(buf, length)], flags)


def recvit(p, s: int, iov, flags: int, name: int, namelen: int, namelenp: int = 0,
           control: int = 0, controllen: int = 0):
    """The common part of the receive calls: (error, (count, namelen, controllen, flags)).

    4.3BSD-Tahoe uipc_syscalls.c recvit.  When a name buffer is given,
    as much of the sender's address as its namelen holds is copied out
    and the length copied is written to namelenp (if given); as in
    Tahoe, failing to copy the address or its length out is not
    reported: the data has been received.  Control data (Reno) is
    copied out as far as controllen allows; what does not fit sets
    MSG_CTRUNC.  The flags returned are the caller's with what
    soreceive adds (MSG_TRUNC), as Reno's msg_flags.
    """
    error, so = getsock(p, s)
    if error:
        return error, None
    error = _checkiov(iov)
    if error:
        return error, None
    auio = uio(iov, UIO_READ)
    length = auio.uio_resid
    error, frm, ctl, outflags = soreceive(so, p, auio, flags, wantname=bool(name),
                                          wantcontrol=bool(control))
    if error:
        m_freem(frm)
        m_freem(ctl)
        return error, None
    flags |= outflags
    if name:
        if namelen <= 0 or frm is None:
            namelen = 0
        else:
            namelen = min(namelen, frm.m_len)
            copyout(p, frm.m_cbuf + frm.m_data, name, namelen)
        if namelenp:
            copyout(p, ffi.new("int *", namelen), namelenp, INT)
    m_freem(frm)
    if control:
        error, controllen, ctlflags = _copyout_control(p, ctl, control, controllen)
        flags |= ctlflags
    m_freem(ctl)
    return error, (length - auio.uio_resid, namelen, controllen, flags)


def _copyout_control(p, m, uaddr: int, space: int):
    """Control mbufs out to the user: (error, bytes copied, MSG_CTRUNC or 0) (Reno recvit)."""
    done, flags = 0, 0
    while m is not None and space > 0:
        n = m.m_len
        if space < n:
            flags |= h.MSG_CTRUNC
            n = space
        error = copyout(p, m.m_cbuf + m.m_data, uaddr + done, n)
        if error:
            return error, done, flags
        done += n
        space -= n
        m = m.m_next
    return 0, done, flags


def recv(p, s: int, buf: int, length: int, flags: int):
    """recv(2): recvfrom without the sender's address."""
    error, r = recvit(p, s, [(buf, length)], flags, 0, 0)
    return error, r[0] if r else -1


def recvfrom(p, s: int, buf: int, length: int, flags: int, frm: int, fromlenaddr: int):
    """recvfrom(2): receive into buf and put the sender's sockaddr at frm.

    fromlenaddr points to an int holding frm's size; it is replaced by
    the size of the address copied out.  A null fromlenaddr asks for no
    address.
    """
    namelen = 0
    if fromlenaddr:
        lenbuf = ffi.new("int *")
        error = copyin(p, fromlenaddr, lenbuf, INT)
        if error:
            return error, -1
        namelen = lenbuf[0]
    else:
        frm = 0
    error, r = recvit(p, s, [(buf, length)], flags, frm, namelen, fromlenaddr)
    return error, r[0] if r else -1


def copyiniov(p, uiov: int, iovlen: int, limit: int):
    """The user's iovec array as (base, length) pairs: (error, list) (sendmsg, recvmsg).

    iovlen is taken unsigned; limit or more iovecs are EMSGSIZE, as in
    4.3 (``>=`` the array size).
    """
    if iovlen & 0xFFFFFFFF >= limit:
        return h.EMSGSIZE, None
    if iovlen == 0:
        return 0, []
    aiov = ffi.new("struct iovec[]", iovlen)
    error = copyin(p, uiov, aiov, iovlen * IOVEC)
    if error:
        return error, None
    return 0, [(int(ffi.cast("uintptr_t", v.iov_base)), v.iov_len) for v in aiov]


def _copyinmsg(p, umsg: int):
    """The user's struct msghdr and its iovecs: (error, msg, iov) (Reno sendmsg/recvmsg)."""
    msg = ffi.new("struct msghdr *")
    error = copyin(p, umsg, msg, MSGHDR)
    if error:
        return error, None, None
    error, iov = copyiniov(p, _uaddr(msg.msg_iov), msg.msg_iovlen, h.UIO_MAXIOV)
    return error, msg, iov


def _uaddr(ptr) -> int:
    return int(ffi.cast("uintptr_t", ptr))


def sendmsg(p, s: int, umsg: int, flags: int):
    """sendmsg(2): send the gathered iovecs of a struct msghdr (4.3BSD-Reno form).

    More than UIO_MAXIOV - 1 iovecs is EMSGSIZE; msg_name is the
    destination, msg_control the control data.
    """
    error, msg, iov = _copyinmsg(p, umsg)
    if error:
        return error, -1
    return sendit(p, s, _uaddr(msg.msg_name), msg.msg_namelen, iov, flags,
                  _uaddr(msg.msg_control), msg.msg_controllen)


def recvmsg(p, s: int, umsg: int, flags: int):
    """recvmsg(2): receive into the scattered iovecs of a struct msghdr (4.3BSD-Reno form).

    On success the header is copied back with msg_namelen, msg_controllen
    and msg_flags filled in: MSG_TRUNC when the datagram did not fit,
    MSG_CTRUNC when its control data did not.
    """
    error, msg, iov = _copyinmsg(p, umsg)
    if error:
        return error, -1
    error, r = recvit(p, s, iov, flags, _uaddr(msg.msg_name), msg.msg_namelen, 0,
                      _uaddr(msg.msg_control), msg.msg_controllen)
    if error:
        return error, -1
    count, msg.msg_namelen, msg.msg_controllen, msg.msg_flags = r
    error = copyout(p, msg, umsg, MSGHDR)
    return error, count if not error else -1
