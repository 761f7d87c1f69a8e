"""Generic descriptor system calls: ioctl, select and poll.

``ioctl`` ports 4.3BSD-Tahoe kern/sys_generic.c ioctl: the command word
itself says how many bytes the argument has (IOCPARM_LEN) and which way
they travel, so the generic layer copies them in before the call and
out after a successful one; the object's ``fo_ioctl`` (for a socket,
kern/sys_socket.py soo_ioctl) only ever sees a kernel buffer.  A few
commands never reach the object (FIOCLEX, FIONCLEX) or reach it through
the file flags first (FIONBIO, FIOASYNC); FIOSETOWN/FIOGETOWN set and
read the owner directly, and, as in Tahoe, copy nothing back.

``select`` ports Tahoe's select/selscan/selwakeup, with 4.3BSD-Reno's
tsleep for the timed wait: each descriptor's ``fo_select`` either
answers "ready" or records the process in the object (a socket's
``sb_sel``); the process then sleeps on the one channel ``selwait``.
A wakeup names the recorded process and wakes it alone; when two
processes selected on the same object only one could be recorded, so
the wakeup counts a collision in ``nselcoll`` and wakes every selector,
and a select that saw the count move, or lost its SSEL flag to a
wakeup while it was still scanning, scans again rather than sleep.
``poll`` (NetBSD's, on the same machinery) asks the same questions per
pollfd.
"""

import sys

from kern import ksyms
from kern.headers import native as h
from kern.kern_descrip import fgetown, fset, fsetown
from kern.kern_subr import copyin, copyout
from kern.kern_time import cdiv as _cdiv

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


# -- select and poll ----------------------------------------------------

selwait = "selwait"    # the wait channel of every process in select or poll
nselcoll = 0           # collisions seen by selwakeup, ever
NFDBITS = h.NFDBITS
_WHICH = (h.FREAD, h.FWRITE, 0)        # the read, write and exceptional sets


def select(p, nd: int, uin: int, uou: int, uex: int, utv: int):
    """select(2): (error, number of ready descriptors).

    Ports 4.3BSD-Tahoe sys_generic.c select: nd above the process's
    table size is quietly lowered; each given set is copied in
    (howmany(nd, NFDBITS) words), the timeout checked by itimerfix
    (EINVAL) and made absolute.  The scan and the sleep repeat until a
    descriptor is ready, the time passes (0, sets cleared), or the
    sleep is interrupted (EINTR, sets left alone).  A closed
    descriptor in a set is EBADF.
    """
    nd = min(nd, len(p.u_ofile))
    ni = _cdiv(nd + NFDBITS - 1, NFDBITS) * ffi.sizeof("fd_mask")
    ibits, error = [], 0
    for uaddr in (uin, uou, uex):
        bits, error = _getbits(p, uaddr, ni)
        if error:
            return error, 0
        ibits.append(bits)
    atv = None
    if utv:
        error, atv = _gettimeout(p, utv)
        if error:
            return error, 0
    error, obits, n = _selectloop(p, "select", atv, lambda: selscan(p, ibits, nd))
    if error == 0:
        for uaddr, bits in zip((uin, uou, uex), obits):
            if uaddr:
                out = ffi.new("char[]", bits.to_bytes(max(ni, 1), sys.byteorder))
                error = copyout(p, out, uaddr, ni) or error
    return error, n


def _getbits(p, uaddr: int, ni: int):
    """One descriptor set copied in, as a Python int of bits: (bits, error)."""
    if not uaddr:
        return 0, 0
    if ni < 0:                    # a negative length is a huge unsigned one
        return 0, h.EFAULT
    buf = ffi.new("char[]", max(ni, 1))
    error = copyin(p, uaddr, buf, ni)
    return int.from_bytes(ffi.buffer(buf, ni), sys.byteorder), error


def _gettimeout(p, utv: int):
    """The user's struct timeval, checked and made a time of day: (error, (sec, usec))."""
    tv = ffi.new("struct timeval *")
    error = copyin(p, utv, tv, ffi.sizeof("struct timeval"))
    if error:
        return error, None
    return _abstime(tv.tv_sec, tv.tv_usec)


def _abstime(sec: int, usec: int):
    """A relative (sec, usec) checked by itimerfix and added to the time of day."""
    from kern.kern_clock import time_p
    from kern.kern_time import itimerfix, timevaladd
    error, sec, usec = itimerfix(sec, usec)
    if error:
        return error, None
    return 0, timevaladd(sec, usec, time_p.tv_sec, time_p.tv_usec)


def _selectloop(p, wmesg: str, atv, scan):
    """The scan-and-sleep loop shared by select and poll: (error, result, n).

    scan() returns (error, result, n).  Before each scan SSEL is set and
    the collision count noted; a wakeup that arrives during the scan
    clears SSEL (selwakeup), so the loop scans again instead of sleeping
    through it.  The sleep is timed to atv; its timeout ends the call
    with no error.
    """
    from kern.kern_synch import tsleep
    from kern.kern_time import hzto, timepassed
    while True:
        ncoll = nselcoll
        p.p_flag |= h.SSEL
        error, result, n = scan()
        if error or n:
            break
        if atv is not None and timepassed(*atv):
            break
        if not p.p_flag & h.SSEL or nselcoll != ncoll:
            continue
        p.p_flag &= ~h.SSEL
        timo = max(1, hzto(*atv)) if atv is not None else 0
        error = tsleep(p, selwait, wmesg, timo)
        if error:
            break
    p.p_flag &= ~h.SSEL
    if error == h.EWOULDBLOCK:
        error = 0
    return error, result, n


def selscan(p, ibits, nfd: int):
    """Ask each descriptor of the three sets whether it is ready: (error, obits, n).

    4.3BSD-Tahoe sys_generic.c selscan: the set's index chooses the
    question (FREAD, FWRITE, or 0 for exceptional conditions) put to
    the file's fo_select.
    """
    obits, n = [], 0
    mask = (1 << max(nfd, 0)) - 1
    for which, bits in zip(_WHICH, ibits):
        out = 0
        bits &= mask
        while bits:
            fd = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            fp = p.u_ofile[fd]
            if fp is None:
                return h.EBADF, obits, n
            if ksyms.call(fp.f_ops.fo_select, fp, which, p):
                out |= 1 << fd
                n += 1
        obits.append(out)
    return 0, obits, n


def selwakeup(pid: int, coll: int) -> None:
    """Wake the process recorded as selecting, and on a collision every selector.

    4.3BSD-Tahoe sys_generic.c selwakeup.  A process that is still
    scanning (not yet asleep) loses its SSEL flag instead, so that it
    scans again before it sleeps.
    """
    global nselcoll
    from kern.kern_proc import pfind
    from kern.kern_synch import setrun, wakeup
    if coll:
        nselcoll += 1
        wakeup(selwait)
    p = pfind(pid) if pid else None
    if p is not None:
        if p.p_wchan is not None and p.p_wchan.chan is selwait:
            setrun(p)
        elif p.p_flag & h.SSEL:
            p.p_flag &= ~h.SSEL


POLLNVAL = h.POLLNVAL
_POLLCLASS = ((h.FREAD, h.POLLIN | h.POLLRDNORM),
              (h.FWRITE, h.POLLOUT | h.POLLWRNORM),
              (0, h.POLLPRI | h.POLLRDBAND))


def poll(p, ufds: int, nfds: int, timeout: int):
    """poll(2): (error, number of pollfds with events).

    NetBSD kern/sys_generic.c sys_poll: nfds above the table size is
    lowered ("forgiving; slightly wrong", as the source says), the
    array is copied in, a timeout other than INFTIM is milliseconds
    checked by itimerfix, and the loop is select's.  The array, with
    revents filled, is copied back unless the call failed.
    """
    nfds = min(nfds & 0xFFFFFFFF, len(p.u_ofile))
    ni = nfds * ffi.sizeof("struct pollfd")
    fds = ffi.new("struct pollfd[]", max(nfds, 1))
    error = copyin(p, ufds, fds, ni)
    if error:
        return error, 0
    atv = None
    if timeout != h.INFTIM:
        sec = _cdiv(timeout, 1000)
        error, atv = _abstime(sec, (timeout - sec * 1000) * 1000)
        if error:
            return error, 0
    error, _, n = _selectloop(p, "poll", atv, lambda: pollscan(p, fds, nfds))
    if error == 0:
        error = copyout(p, fds, ufds, ni)
    return error, n


def pollscan(p, fds, nfd: int):
    """Fill each pollfd's revents: (0, None, how many have some).

    NetBSD sys_generic.c pollscan: a descriptor beyond the table or not
    open is POLLNVAL, a negative one is skipped; otherwise each class of
    events asked for is put to the file's fo_select.
    """
    n = 0
    for i in range(nfd):
        pfd = fds[i]
        revents = 0
        if pfd.fd >= len(p.u_ofile):
            revents = POLLNVAL
        elif pfd.fd >= 0:
            fp = p.u_ofile[pfd.fd]
            if fp is None:
                revents = POLLNVAL
            else:
                for which, bits in _POLLCLASS:
                    if pfd.events & bits and ksyms.call(fp.f_ops.fo_select, fp, which, p):
                        revents |= pfd.events & bits
        pfd.revents = revents
        if revents:
            n += 1
    return 0, None, n
