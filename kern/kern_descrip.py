"""Descriptors and the file table.

4.3BSD-Tahoe kern/kern_descrip.c.  The system file table ``file[nfile]``
lives in kernel memory (``_file``, ``_nfile`` in the namelist, which
netstat's socket pass walks); each process's descriptors index its own
``u_ofile`` array of pointers into that table.  A socket descriptor's
``struct file`` has ``f_type`` DTYPE_SOCKET, ``f_data`` pointing at the
``struct socket``, and ``f_ops`` at the socket operations (kern/sys_socket.py).
"""

from kern import ksyms
from kern.headers import native as h
from kern.subr_prf import printf

ffi = h.ffi

file = None            # struct file[nfile]
nfile = 0
FREAD, FWRITE = h.FREAD, h.FWRITE
FNDELAY, FASYNC = h.FNDELAY, h.FASYNC
UF_EXCLOSE = h.UF_EXCLOSE


def finit(n: int) -> None:
    """Allocate the file table in kernel memory (4.3 binit/main)."""
    global file, nfile
    nfile = n
    file = ksyms.data("file", "struct file", n)
    ksyms.data("nfile", "int")[0] = n


def ufalloc(p, i: int = 0) -> int:
    """The lowest free descriptor of p at or above i, or -1 (then EMFILE)."""
    for fd in range(i, len(p.u_ofile)):
        if p.u_ofile[fd] is None:
            p.u_pofile[fd] = 0
            return fd
    return -1


def falloc(p):
    """A new file-table entry and a descriptor for it: (error, fp, fd).

    EMFILE when the process has no free descriptor, ENFILE when the
    system file table is full (with the ``file: table is full`` message
    of 4.3's tablefull()).
    """
    fd = ufalloc(p)
    if fd < 0:
        return h.EMFILE, None, -1
    for i in range(nfile):
        fp = file + i
        if fp.f_count == 0:
            ffi.memmove(fp, bytes(ffi.sizeof("struct file")), ffi.sizeof("struct file"))
            fp.f_count = 1
            p.u_ofile[fd] = fp
            return 0, fp, fd
    printf("file: table is full\n")
    return h.ENFILE, None, -1


def getf(p, fd: int):
    """The file behind descriptor fd of p, or None (then EBADF)."""
    if 0 <= fd < len(p.u_ofile):
        return p.u_ofile[fd]
    return None


def closef(p, fp) -> int:
    """Drop one reference to a file; the last one closes it (kern_descrip.c closef)."""
    if fp is None or fp.f_count <= 0:
        return 0
    if fp.f_count > 1:
        fp.f_count -= 1
        return 0
    error = ksyms.call(fp.f_ops.fo_close, fp, p)
    fp.f_count = 0
    return error


def close(p, fd: int) -> int:
    """The close system call."""
    fp = getf(p, fd)
    if fp is None:
        return h.EBADF
    p.u_ofile[fd] = None
    p.u_pofile[fd] = 0
    return closef(p, fp)


def fset(p, fp, bit: int, value: int) -> int:
    """Set or clear a file flag and tell the object (kern_descrip.c fset)."""
    if value:
        fp.f_flag |= bit
    else:
        fp.f_flag &= ~bit
    arg = ffi.new("int *", value)
    com = h.FIONBIO if bit == FNDELAY else h.FIOASYNC
    return ksyms.call(fp.f_ops.fo_ioctl, fp, com, ffi.cast("char *", arg), p)


def fsetown(fp, value: int) -> int:
    """F_SETOWN / FIOSETOWN: a socket's owner is its so_pgrp."""
    if fp.f_type == h.DTYPE_SOCKET:
        ffi.cast("struct socket *", fp.f_data).so_pgrp = value
        return 0
    return h.ENOTTY


def fgetown(fp):
    """F_GETOWN / FIOGETOWN: (error, owner)."""
    if fp.f_type == h.DTYPE_SOCKET:
        return 0, ffi.cast("struct socket *", fp.f_data).so_pgrp
    return h.ENOTTY, 0


def fcntl(p, fd: int, cmd: int, arg: int):
    """The fcntl system call: (error, value) (kern_descrip.c fcntl)."""
    fp = getf(p, fd)
    if fp is None:
        return h.EBADF, 0
    if cmd == h.F_DUPFD:
        if arg < 0 or arg >= len(p.u_ofile):
            return h.EINVAL, 0
        new = ufalloc(p, arg)
        if new < 0:
            return h.EMFILE, 0
        p.u_ofile[new] = fp
        fp.f_count += 1
        return 0, new
    if cmd == h.F_GETFD:
        return 0, p.u_pofile[fd] & 1
    if cmd == h.F_SETFD:
        p.u_pofile[fd] = (p.u_pofile[fd] & ~1) | (arg & 1)
        return 0, 0
    if cmd == h.F_GETFL:
        return 0, fp.f_flag + h.FOPEN
    if cmd == h.F_SETFL:
        fp.f_flag &= h.FCNTLCANT
        fp.f_flag |= int(ffi.cast("int", (arg - h.FOPEN) & ~h.FCNTLCANT))   # wraps, as C's int does
        error = fset(p, fp, FNDELAY, fp.f_flag & FNDELAY)
        if error:
            return error, 0
        error = fset(p, fp, FASYNC, fp.f_flag & FASYNC)
        if error:
            fset(p, fp, FNDELAY, 0)
        return error, 0
    if cmd == h.F_GETOWN:
        return fgetown(fp)
    if cmd == h.F_SETOWN:
        return fsetown(fp, arg), 0
    return h.EINVAL, 0
