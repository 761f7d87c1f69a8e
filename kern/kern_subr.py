"""Moving bytes between user and kernel: copyin, copyout, uiomove.

In a BSD kernel copyin/copyout are a few machine instructions guarded by
a fault handler; here they ask the process's address space object
(``p.p_vm``, kern/kern_proc.py and kern/sysproxy) to do the copy, and a
refusal (an address the process does not own) is EFAULT, the errno the
BSD routines return.  ``uiomove`` is 4.3BSD-Tahoe's, over ``struct uio``
descriptions kept in Python (an iovec list is a list of (base, len)).
"""

from kern.headers import native as h

ffi = h.ffi
EFAULT = h.EFAULT


def copyin(p, uaddr: int, kbuf, n: int) -> int:
    """Copy n bytes from user address uaddr into kernel buffer kbuf; 0 or EFAULT.

    kbuf is a cdata pointer (or array) into kernel or kernel-stack memory.
    """
    if n == 0:
        return 0
    return 0 if p.p_vm.copyin(uaddr, kbuf, n) else EFAULT


def copyout(p, kbuf, uaddr: int, n: int) -> int:
    """Copy n bytes from kernel buffer kbuf to user address uaddr; 0 or EFAULT."""
    if n == 0:
        return 0
    return 0 if p.p_vm.copyout(kbuf, uaddr, n) else EFAULT


def copyinstr(p, uaddr: int, maxlen: int):
    """(error, bytes) of a NUL-terminated user string of at most maxlen bytes."""
    buf = ffi.new("char[]", maxlen)
    for n in range(1, maxlen + 1):
        if copyin(p, uaddr + n - 1, buf + n - 1, 1):
            return EFAULT, b""
        if buf[n - 1] == b"\0":
            return 0, ffi.string(buf)
    return h.ENAMETOOLONG, b""


class uio:
    """struct uio: a list of user (base, len) pieces and what is left to move."""

    __slots__ = ("uio_iov", "uio_resid", "uio_offset", "uio_rw")

    def __init__(self, iov, rw):
        self.uio_iov = [list(v) for v in iov]
        resid = 0
        for _, n in iov:            # (a loop: a sum over a generator costs more for one iovec)
            resid += n
        self.uio_resid = resid
        self.uio_offset = 0
        self.uio_rw = rw  # UIO_READ: kernel to user; UIO_WRITE: user to kernel


UIO_READ, UIO_WRITE = 0, 1


def uiomove(p, kbuf, n: int, uio_: uio) -> int:
    """Move up to n bytes between kbuf and the user pieces of uio (kern_subr.c)."""
    off = 0
    while n > 0 and uio_.uio_resid:
        iov = uio_.uio_iov[0]
        cnt = min(iov[1], n)
        if cnt == 0:
            uio_.uio_iov.pop(0)
            continue
        if uio_.uio_rw == UIO_READ:
            error = copyout(p, kbuf + off, iov[0], cnt)
        else:
            error = copyin(p, iov[0], kbuf + off, cnt)
        if error:
            return error
        iov[0] += cnt
        iov[1] -= cnt
        uio_.uio_resid -= cnt
        uio_.uio_offset += cnt
        off += cnt
        n -= cnt
    return 0
