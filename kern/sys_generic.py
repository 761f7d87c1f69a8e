"""Generic descriptor system calls: ioctl (and select, later).

``ioctl`` ports 4.3BSD-Tahoe kern/sys_generic.c ioctl: the command word
itself says how many bytes the argument has (IOCPARM_LEN) and which way
they travel, so the generic layer copies them in before the call and
out after a successful one; the object's ``fo_ioctl`` (for a socket,
kern/sys_socket.py soo_ioctl) only ever sees a kernel buffer.  A few
commands never reach the object (FIOCLEX, FIONCLEX) or reach it through
the file flags first (FIONBIO, FIOASYNC); FIOSETOWN/FIOGETOWN set and
read the owner directly, and, as in Tahoe, copy nothing back.
"""

from kern import ksyms
from kern.headers import native as h
from kern.kern_descrip import fgetown, fset, fsetown
from kern.kern_subr import copyin, copyout

ffi = h.ffi

IOC_IN, IOC_OUT, IOC_VOID = h.IOC_IN, h.IOC_OUT, h.IOC_VOID
IOCPARM_MASK, IOCPARM_MAX = h.IOCPARM_MASK, h.IOCPARM_MAX
FIOCLEX, FIONCLEX = h.FIOCLEX, h.FIONCLEX
FIONBIO, FIOASYNC = h.FIONBIO, h.FIOASYNC
FIOSETOWN, FIOGETOWN = h.FIOSETOWN, h.FIOGETOWN
FREAD_WRITE = h.FREAD | h.FWRITE
STK_PARAMS = 128
_ZEROS = bytes(STK_PARAMS)


def ioctl(p, fd: int, com: int, data: int) -> int:
    """The ioctl system call; data is the user address of the argument."""
    ofile = p.u_ofile
    fp = ofile[fd] if 0 <= fd < len(ofile) else None
    if fp is None or fp.f_flag & FREAD_WRITE == 0:
        return h.EBADF
    com &= 0xFFFFFFFF
    if com == FIOCLEX:
        p.u_pofile[fd] |= h.UF_EXCLOSE
        return 0
    if com == FIONCLEX:
        p.u_pofile[fd] &= ~h.UF_EXCLOSE
        return 0
    size = (com >> 16) & IOCPARM_MASK
    if size > IOCPARM_MAX:
        return h.EFAULT
    if size <= STK_PARAMS:
        # The process's kernel stack buffer (Tahoe's stkbuf): one call at
        # a time per process, so it is reused, cleared where it is read.
        buf = p.p_stkbuf
        if not com & IOC_IN:
            ffi.memmove(buf, _ZEROS, STK_PARAMS)
    else:
        buf = ffi.new("char[]", size)
    if com & IOC_IN:
        if size:
            error = copyin(p, data, buf, size)
            if error:
                return error
        else:
            ffi.cast("char **", buf)[0] = ffi.cast("char *", data)
    elif com & IOC_VOID:
        ffi.cast("char **", buf)[0] = ffi.cast("char *", data)
    # (an IOC_OUT-only buffer is already zeroed)
    if com == FIONBIO or com == FIOASYNC:
        bit = h.FNDELAY if com == FIONBIO else h.FASYNC
        return fset(p, fp, bit, ffi.cast("int *", buf)[0])
    if com == FIOSETOWN:
        return fsetown(fp, ffi.cast("int *", buf)[0])
    if com == FIOGETOWN:
        error, owner = fgetown(fp)
        ffi.cast("int *", buf)[0] = owner
        return error
    error = ksyms.call(fp.f_ops.fo_ioctl, fp, com, buf, p)
    if error == 0 and com & IOC_OUT and size:
        error = copyout(p, buf, data, size)
    return error
