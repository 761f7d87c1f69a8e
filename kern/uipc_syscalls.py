"""The socket system calls.

4.3BSD-Tahoe kern/uipc_syscalls.c.  Each function takes the calling
process first and returns ``(error, value)``; the system-call layer
(kern/syscalls.py) turns that into a return value or an errno for the
caller.  Buffers and socket addresses are user addresses, reached only
through copyin/copyout (kern/kern_subr.py), so a bad pointer is EFAULT.
"""

from kern.headers import native as h
from kern.kern_descrip import falloc, getf
from kern.kern_subr import UIO_READ, UIO_WRITE, copyin, copyout, uio
from kern.uipc_socket import socreate, soreceive, sosend

ffi = h.ffi


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

    Longer than an mbuf holds (MLEN) is EINVAL; a bad pointer EFAULT.
    """
    from kern.uipc_mbuf import M_WAIT, MLEN, m_free, m_get
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


def sendit(p, s: int, to: int, tolen: int, iov, flags: int):
    """The common part of send and sendto: (error, bytes sent) (uipc_syscalls.c sendit)."""
    from kern.uipc_mbuf import m_freem
    error, so = getsock(p, s)
    if error:
        return error, -1
    for _, ln in iov:
        if ln < 0:
            return h.EINVAL, -1
    auio = uio(iov, UIO_WRITE)
    nam = None
    if to:
        error, nam = sockargs(p, to, tolen, h.MT_SONAME)
        if error:
            return error, -1
    length = auio.uio_resid
    error = sosend(so, p, nam, auio, None, flags)
    if nam is not None:
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


def recvit(p, s: int, iov, flags: int, name: int, namelenp: int):
    """The common part of recv and recvfrom: (error, bytes received) (uipc_syscalls.c recvit).

    When the caller asked for the sender's address, as much of it as
    its buffer holds is copied out and the length actually copied is
    written back to namelenp.  As in Tahoe, a failure to copy the
    address out is not reported: the data has been received.
    """
    from kern.uipc_mbuf import m_freem
    error, so = getsock(p, s)
    if error:
        return error, -1
    for _, ln in iov:
        if ln < 0:
            return h.EINVAL, -1
    namelen = 0
    if namelenp:
        lenbuf = ffi.new("int *")
        error = copyin(p, namelenp, lenbuf, ffi.sizeof("int"))
        if error:
            return error, -1
        namelen = lenbuf[0]
    auio = uio(iov, UIO_READ)
    length = auio.uio_resid
    error, frm = soreceive(so, p, auio, flags, wantname=bool(name))
    if error:
        m_freem(frm)
        return error, -1
    if name:
        n = namelen
        if n <= 0 or frm is None:
            n = 0
        else:
            n = min(n, frm.m_len)
            copyout(p, frm.m_cbuf + frm.m_data, name, n)
        copyout(p, ffi.new("int *", n), namelenp, ffi.sizeof("int"))
    m_freem(frm)
    return 0, length - auio.uio_resid


def recv(p, s: int, buf: int, length: int, flags: int):
    """recv(2): recvfrom without the sender's address."""
    return recvit(p, s, [(buf, length)], flags, 0, 0)


def recvfrom(p, s: int, buf: int, length: int, flags: int, frm: int, fromlenaddr: int):
    """recvfrom(2): receive into buf and put the sender's sockaddr at frm.

    fromlenaddr points to an int holding frm's size; it is replaced by
    the size of the address copied out.  A null frm asks for no address.
    """
    if not fromlenaddr:
        frm = 0
    return recvit(p, s, [(buf, length)], flags, frm, fromlenaddr)
