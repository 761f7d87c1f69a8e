"""libkvm: read a kernel's memory from another process, read-only.

4.3BSD's netstat opened /vmunix for the symbol table and /dev/kmem for
the memory, and followed kernel pointers with lseek and read; 4.3BSD-Reno
wrapped that as kvm_openfiles/kvm_nlist/kvm_read.  Here the namelist is
the ``namelist`` file a booted kernel writes (kern/ksyms.py) and the
memory is its ``kmem`` arena file, mapped **read-only**: a tool can look
at every structure the kernel wrote but cannot change one (a write would
fault), as xok maps its interface table read-only into processes
(seed 000).  The same two files, saved by ``netkern savecore``, make a
crash dump that a tool reads the same way.

Kernel pointers are the kernel's own addresses; ``kvm_read`` translates
one into this process's mapping, so a tool walks ``if_next`` or
``rt_hash`` chains exactly as the kernel does.
"""

import mmap
import os

from kern.headers import native as h

ffi = h.ffi


class KvmError(Exception):
    """A kvm failure; str() is the message a tool prints."""


class kvm_t:
    """An open kernel image: its symbols and its read-only memory."""

    def __init__(self, namelist: str, corefile: str):
        self.namelist, self.corefile = namelist, corefile
        self.symbols = {}
        try:
            with open(namelist) as f:
                for line in f:
                    parts = line.split(None, 3)
                    if len(parts) >= 3:
                        self.symbols[parts[2]] = int(parts[0], 16)
        except OSError as e:
            raise KvmError(f"{namelist}: {e.strerror}") from None
        try:
            fd = os.open(corefile, os.O_RDONLY)
        except OSError as e:
            raise KvmError(f"{corefile}: {e.strerror}") from None
        try:
            self._mm = mmap.mmap(fd, 0, mmap.MAP_SHARED, mmap.PROT_READ)
        finally:
            os.close(fd)
        self.base = self.symbols.get("_kmembase", 0)
        self.size = len(self._mm)
        self._mem = ffi.from_buffer(self._mm)
        self._here = int(ffi.cast("uintptr_t", self._mem))

    def close(self) -> None:
        """kvm_close: release the mapping (outstanding views become invalid)."""
        self._mem = None
        self._mm.close()

    def _translate(self, kaddr, n: int) -> int:
        if isinstance(kaddr, ffi.CData):
            kaddr = int(ffi.cast("uintptr_t", kaddr))
        off = kaddr - self.base
        if kaddr == 0 or off < 0 or off + n > self.size:
            raise KvmError(f"kvm_read: bad address {kaddr:#x}")
        return self._here + off

    def nlist(self, name: str) -> int:
        """The address of a symbol (``_ifnet``), or 0 when it is not in the namelist."""
        return self.symbols.get(name, 0)

    def read(self, kaddr, ctype: str):
        """A read-only view of the object of C type ctype at kernel address kaddr.

        Returns a ``ctype *`` cdata pointing into the mapping; fields are
        read through it (``p.if_mtu``) and pointer fields hold kernel
        addresses to pass back to ``read``.
        """
        return ffi.cast(ctype + " *", self._translate(kaddr, ffi.sizeof(ctype)))

    def read_bytes(self, kaddr, n: int) -> bytes:
        """n bytes at kernel address kaddr."""
        return ffi.buffer(ffi.cast("char *", self._translate(kaddr, n)), n)[:]

    def read_string(self, kaddr, maxlen: int = 256) -> str:
        """The NUL-terminated string at kernel address kaddr (``if_name``)."""
        here = self._translate(kaddr, 1)
        n = min(maxlen, self.base + self.size - int(ffi.cast("uintptr_t", kaddr)))
        return ffi.string(ffi.cast("char *", here), n).decode("latin-1")

    def symbol(self, name: str, ctype: str):
        """read() of the kernel global called name; None if not in the namelist."""
        addr = self.nlist(name)
        return self.read(addr, ctype) if addr else None


def kvm_open(namelist: str, corefile: str) -> kvm_t:
    """Open a kernel's namelist and memory files (a running kernel or a saved core)."""
    return kvm_t(namelist, corefile)
