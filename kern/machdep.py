"""The host seen as the machine: the few libc calls the emulator needs.

A real kernel's machdep.c talks to the hardware; netkern's hardware is the
host's C library, reached through cffi's ABI mode (no compiler needed):

* ``map_arena`` maps kernel memory, asking for the address 0x80000000,
  where the VAX kept its system space, so that kernel addresses print in
  eight hex digits as they did (``netstat -A``); any other address works
  too, the hint only makes output look familiar.
* ``user_read``/``user_write`` copy from or to an address of this process
  without trusting it: ``process_vm_readv``/``writev`` on our own pid
  fail with EFAULT instead of crashing on an unmapped address, which is
  exactly what copyin and copyout must do with a bad user pointer.
"""

import mmap
import os

from kern import headers

ffi = headers.host_ffi("libc", """
struct host_iovec { void *iov_base; size_t iov_len; };
void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
int munmap(void *addr, size_t length);
long process_vm_readv(int pid, const struct host_iovec *local, unsigned long liovcnt,
                      const struct host_iovec *remote, unsigned long riovcnt,
                      unsigned long flags);
long process_vm_writev(int pid, const struct host_iovec *local, unsigned long liovcnt,
                       const struct host_iovec *remote, unsigned long riovcnt,
                       unsigned long flags);
""")
libc = ffi.dlopen(None)

KERNBASE_HINT = 0x80000000
MAP_FIXED_NOREPLACE = 0x100000
_MAP_FAILED = ffi.cast("void *", -1)


def map_arena(fd: int, size: int, writable: bool = True) -> int:
    """Map size bytes of the open file fd shared; return the address."""
    prot = mmap.PROT_READ | (mmap.PROT_WRITE if writable else 0)
    for addr, extra in ((KERNBASE_HINT, MAP_FIXED_NOREPLACE), (0, 0)):
        p = libc.mmap(ffi.cast("void *", addr), size, prot, mmap.MAP_SHARED | extra, fd, 0)
        if p != _MAP_FAILED:
            return int(ffi.cast("uintptr_t", p))
    raise OSError(ffi.errno, os.strerror(ffi.errno))


def unmap(addr: int, size: int) -> None:
    """Undo map_arena."""
    libc.munmap(ffi.cast("void *", addr), size)


_here = ffi.new("struct host_iovec *")
_there = ffi.new("struct host_iovec *")


def _vm(call, local: int, remote: int, n: int) -> bool:
    # One pair of iovecs, reused: callers are serialised (the kernel lock
    # in the kernel, a single thread of calls in a client).
    _here.iov_base, _here.iov_len = ffi.cast("void *", local), n
    _there.iov_base, _there.iov_len = ffi.cast("void *", remote), n
    return call(os.getpid(), _here, 1, _there, 1, 0) == n


def user_read(uaddr: int, kaddr: int, n: int) -> bool:
    """Copy n bytes from uaddr to kaddr in this process; False if uaddr is bad."""
    if n <= 0:
        return n == 0
    return _vm(libc.process_vm_readv, kaddr, uaddr, n)


def user_write(uaddr: int, kaddr: int, n: int) -> bool:
    """Copy n bytes from kaddr to uaddr in this process; False if uaddr is bad."""
    if n <= 0:
        return n == 0
    return _vm(libc.process_vm_writev, kaddr, uaddr, n)


def kaddr(ptr) -> int:
    """The address held by a cdata pointer or array, of any FFI."""
    return int(ffi.cast("uintptr_t", ptr))
