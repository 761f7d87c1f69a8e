"""Kernel memory: one arena in a mapped file, and malloc(9) over it.

The arena is the kernel's whole address space for data that user tools
may read: a file ``kmem`` in the kernel's run directory, mapped shared,
so that ``netstat`` in another process maps the same bytes read-only
(kern/kvm.py) and follows the same pointers, as 4.3BSD's netstat read
/dev/kmem.

Pages come from a simple page allocator (the part of 4.3BSD-Reno's
vm_kern.c that malloc needs); ``malloc``/``free`` are 4.3BSD-Reno's
kern_malloc.c design: power-of-two buckets from 16 bytes to
MAXALLOCSAVE, a free list threaded through the free elements, one
``kmemusage`` record per page telling which bucket the page was cut for,
and per-type ``kmemstats`` a tool can read.  Freed memory is poisoned
with 0xdeadbeef so that a use after free shows, and a second free of the
same element panics instead of corrupting the list.
"""

import sys

from kern.headers import native as h

ffi = h.ffi

NBPG = h.NBPG
PGSHIFT = NBPG.bit_length() - 1
MINBUCKET = h.MINBUCKET
MINALLOCSIZE = 1 << MINBUCKET
MAXALLOCSAVE = h.MAXALLOCSAVE
M_NOWAIT = h.M_NOWAIT
WEIRD_ADDR = 0xDEADBEEF
_POISON = WEIRD_ADDR.to_bytes(4, sys.byteorder) * (MAXALLOCSAVE // 4)

# Kernel state, set by kmeminit at boot.
kmembase = 0          # kernel address of the first byte of the arena
kmemlimit = 0         # one past the last byte
kmemstats = None      # struct kmemstats[M_LAST], in the arena
bucket = None         # struct kmembuckets[MINBUCKET + 16]
kmemusage = None      # struct kmemusage per page
_mem = None           # char * at kmembase
_inuse = None         # one byte per MINALLOCSIZE unit: 1 while allocated
_next_page = 0        # page allocator: first never-used page
_free_runs = {}       # npages -> [first page, ...] of freed runs
_fd = -1


def kmeminit(path: str, size: int) -> None:
    """Create the arena file, map it, and set up the allocator's tables.

    Ports the start of 4.3BSD-Reno kern_malloc.c kmeminit: each type may
    use at most 60% of kernel memory, and the bucket element counts per
    page are fixed here.  The tables themselves are kernel globals
    (``_kmemstats``, ``_bucket``, ``_kmemusage``) so a tool can read them.
    """
    global kmembase, kmemlimit, _mem, _inuse, _next_page, _free_runs, _fd
    global kmemstats, bucket, kmemusage
    import os
    from kern import ksyms, machdep
    size = (size + NBPG - 1) & ~(NBPG - 1)
    _fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    os.ftruncate(_fd, size)
    kmembase = machdep.map_arena(_fd, size)
    kmemlimit = kmembase + size
    _mem = ffi.cast("char *", kmembase)
    _inuse = bytearray(size >> MINBUCKET)
    _next_page, _free_runs = 0, {}
    ksyms.init(kmem_alloc_pages)
    npages = size >> PGSHIFT
    kmemstats = ksyms.data("kmemstats", "struct kmemstats", h.M_LAST)
    bucket = ksyms.data("bucket", "struct kmembuckets", MINBUCKET + 16)
    kmemusage = ksyms.data("kmemusage", "struct kmemusage", npages)
    limit = size * 6 // 10
    for i in range(h.M_LAST):
        kmemstats[i].ks_limit = limit
    for indx in range(MINBUCKET, MINBUCKET + 16):
        bsize = 1 << indx
        bucket[indx].kb_elmpercl = NBPG // bsize if bsize <= NBPG else 1
        bucket[indx].kb_highwat = 5 * bucket[indx].kb_elmpercl


def kmemshutdown() -> None:
    """Unmap the arena (the file stays, for savecore and post-mortems)."""
    global _fd, _mem
    import os
    from kern import machdep
    if _fd >= 0:
        machdep.unmap(kmembase, kmemlimit - kmembase)
        os.close(_fd)
        _fd, _mem = -1, None


def kmem_alloc_pages(npages: int) -> int:
    """Take npages contiguous pages; return their kernel address or 0.

    The page-level allocator under malloc (4.3BSD-Reno vm_kern.c
    kmem_malloc): freed runs of the same length are reused first.
    """
    global _next_page
    runs = _free_runs.get(npages)
    if runs:
        return kmembase + (runs.pop() << PGSHIFT)
    if kmembase + ((_next_page + npages) << PGSHIFT) > kmemlimit:
        return 0
    page = _next_page
    _next_page += npages
    return kmembase + (page << PGSHIFT)


def kmem_free_pages(addr: int, npages: int) -> None:
    """Give back a run of pages from kmem_alloc_pages."""
    _free_runs.setdefault(npages, []).append((addr - kmembase) >> PGSHIFT)


def BUCKETINDX(size: int) -> int:
    """The bucket index of an allocation: log2 of its rounded-up size.

    A function of our own for Reno's BUCKETINDX macro (a chain of
    comparisons there), never below MINBUCKET.
    """
    return max(MINBUCKET, (size - 1).bit_length())


def malloc(size: int, type: int, flags: int) -> int:
    """Allocate size bytes of kernel memory of malloc type; return its address.

    Ports 4.3BSD-Reno kern/kern_malloc.c malloc.  With M_NOWAIT a type
    over its limit, or an arena without pages, gives 0 (the caller
    answers ENOBUFS); without it the kernel panics, as Reno did when
    kmem_map was too small, because a sleeping allocation that can never
    be satisfied would hang the system.
    """
    from kern.subr_prf import panic
    indx = BUCKETINDX(size)
    kbp = bucket[indx]
    ksp = kmemstats[type]
    if ksp.ks_memuse >= ksp.ks_limit:
        ksp.ks_limblocks += 1
        if flags & M_NOWAIT:
            return 0
        panic(f"malloc: type {type} over its limit")
    if kbp.kb_next == ffi.NULL:
        if size > MAXALLOCSAVE:
            allocsize = (size + NBPG - 1) & ~(NBPG - 1)
        else:
            allocsize = 1 << indx
        npg = max(1, allocsize >> PGSHIFT)
        va = kmem_alloc_pages(npg)
        if va == 0:
            ksp.ks_mapblocks += 1
            if flags & M_NOWAIT:
                return 0
            panic("malloc: out of space in kmem_map")
        kbp.kb_total += kbp.kb_elmpercl
        kup = kmemusage[(va - kmembase) >> PGSHIFT]
        kup.ku_indx = indx
        if allocsize > MAXALLOCSAVE:
            kup.ku_un.pagecnt = npg
            ksp.ks_memuse += allocsize
            _account(va, allocsize, kbp, ksp)
            return va
        kup.ku_un.freecnt = kbp.kb_elmpercl
        kbp.kb_totalfree += kbp.kb_elmpercl
        # Cut the new page into elements, each pointing to the next.
        step = 1 << indx
        nxt = ffi.NULL
        for cp in range(va + (npg << PGSHIFT) - step, va - 1, -step):
            _poison(cp, step)
            ffi.cast("char **", cp)[0] = nxt
            nxt = ffi.cast("char *", cp)
        kbp.kb_next = nxt
    va = kbp.kb_next
    addr = int(ffi.cast("uintptr_t", va))
    kbp.kb_next = ffi.cast("char **", va)[0]
    if _check_poison(addr, 1 << indx):
        from kern.subr_prf import printf
        printf("Data modified on freelist: element %x, type %d\n", addr, type)
    kmemusage[(addr - kmembase) >> PGSHIFT].ku_un.freecnt -= 1
    kbp.kb_totalfree -= 1
    ksp.ks_memuse += 1 << indx
    _account(addr, 1 << indx, kbp, ksp)
    return addr


def _account(addr, allocsize, kbp, ksp):
    """The statistics every successful malloc updates, and the in-use map."""
    _inuse[(addr - kmembase) >> MINBUCKET] = 1
    kbp.kb_calls += 1
    ksp.ks_inuse += 1
    ksp.ks_calls += 1
    if ksp.ks_memuse > ksp.ks_maxused:
        ksp.ks_maxused = ksp.ks_memuse


def free(addr: int, type: int) -> None:
    """Return memory from malloc to its bucket (4.3BSD-Reno kern_malloc.c free).

    A free of memory that is not allocated (a second free, or a pointer
    malloc never returned) panics: silently accepting it would put the
    element on its free list twice and hand it to two owners later.
    """
    from kern.subr_prf import panic
    if isinstance(addr, ffi.CData):
        addr = int(ffi.cast("uintptr_t", addr))
    unit = (addr - kmembase) >> MINBUCKET
    if not (kmembase <= addr < kmemlimit) or addr & (MINALLOCSIZE - 1) or not _inuse[unit]:
        panic(f"free: multiple frees or bad address {addr:#x}")
    _inuse[unit] = 0
    kup = kmemusage[(addr - kmembase) >> PGSHIFT]
    size = 1 << kup.ku_indx
    kbp = bucket[kup.ku_indx]
    ksp = kmemstats[type]
    if size > MAXALLOCSAVE:
        npg = kup.ku_un.pagecnt
        kmem_free_pages(addr, npg)
        ksp.ks_memuse -= npg << PGSHIFT
        kup.ku_indx = 0
        kup.ku_un.pagecnt = 0
        ksp.ks_inuse -= 1
        kbp.kb_total -= 1
        return
    _poison(addr, size)
    kup.ku_un.freecnt += 1
    if kup.ku_un.freecnt >= kbp.kb_elmpercl:
        if kup.ku_un.freecnt > kbp.kb_elmpercl:
            panic("free: multiple frees")
        elif kbp.kb_totalfree > kbp.kb_highwat:
            kbp.kb_couldfree += 1
    kbp.kb_totalfree += 1
    ksp.ks_memuse -= size
    ksp.ks_inuse -= 1
    ffi.cast("char **", addr)[0] = kbp.kb_next
    kbp.kb_next = ffi.cast("char *", addr)


def _poison(addr, size):
    ffi.memmove(ffi.cast("char *", addr), _POISON, min(size, len(_POISON)))


def _check_poison(addr, size):
    """True if a free element was written after its free (its link word aside)."""
    word = ffi.sizeof("char *")
    n = min(size, len(_POISON)) - word
    return ffi.buffer(ffi.cast("char *", addr + word), n)[:] != _POISON[word:word + n]


def kalloc(ctype: str, type: int, flags: int = 0, count: int = 1):
    """malloc + bzero of count objects of a C type; a typed pointer or NULL.

    The BSD idiom ``p = malloc(sizeof *p, M_X, flags); bzero(p, sizeof *p)``
    written once.
    """
    n = ffi.sizeof(ctype) * count
    addr = malloc(n, type, flags)
    if addr == 0:
        return ffi.NULL
    ffi.memmove(ffi.cast("char *", addr), bytes(n), n)
    return ffi.cast(ctype + " *", addr)


def kfree(ptr, type: int) -> None:
    """free() of a typed pointer from kalloc."""
    free(int(ffi.cast("uintptr_t", ptr)), type)


def kaddr(ptr) -> int:
    """The kernel address a cdata pointer holds."""
    return int(ffi.cast("uintptr_t", ptr))
