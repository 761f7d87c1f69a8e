"""The kernel's symbols: its text and data segments, and the namelist.

A BSD kernel's globals (``ifnet``, ``rthost``, ``ipstat`` ...) sit at
link-time addresses that ``nlist(3)`` finds in /vmunix; netstat looks a
symbol up there and reads kernel memory at that address.  netkern keeps
the same arrangement inside the arena (kern/kern_malloc.py):

* the **text segment** is the arena's first page: every kernel function
  whose address is stored in kernel memory (``if_output``, ``pr_input``,
  ``fo_ioctl`` ...) gets a 16-byte slot there holding its name, and the
  slot's address is the function pointer.  ``call(fp, ...)`` turns such a
  pointer back into the Python function and calls it.
* the **data segment** follows: ``data(name, ctype, n)`` places a global
  and records it as ``_name``.
* ``write_namelist`` writes both as an nm(1)-style listing in the run
  directory, which kern/kvm.py reads.
"""

from kern.headers import native as h

ffi = h.ffi

TEXTSLOT = 16                 # bytes per function in the text segment
_alloc_pages = None           # the page allocator of kern_malloc
_text = {}                    # text address (a void * cdata) -> Python function
_textnext = 0
_textbase = 0
_textend = 0
_data_cur = 0                 # data segment: next free byte ...
_data_end = 0                 # ... and the end of its current pages
symbols = {}                  # "_name" -> (address, kind letter, C type)


def init(alloc_pages) -> None:
    """Start empty segments over a fresh arena (called by kmeminit)."""
    global _alloc_pages, _text, _textnext, _textbase, _textend, _data_cur, _data_end, symbols
    _alloc_pages = alloc_pages
    _text, symbols = {}, {}
    _textbase = _textnext = alloc_pages(1)
    _textend = _textbase + h.NBPG
    _data_cur = _data_end = 0
    symbols["_kmembase"] = (_textbase, "A", "char")


def data(name: str, ctype: str, count: int | None = None):
    """Allocate a zeroed kernel global; return a pointer to it.

    ``data("ipstat", "struct ipstat")`` is C's ``struct ipstat ipstat;``
    and returns ``struct ipstat *``; with count it is an array and the
    pointer is to its first element.
    """
    global _data_cur, _data_end
    size = ffi.sizeof(ctype) * (count or 1)
    align = 16 if size >= 16 else 8
    start = (_data_cur + align - 1) & ~(align - 1)
    if start + size > _data_end:
        npages = (size + h.NBPG - 1) // h.NBPG
        start = _alloc_pages(npages)
        if not start:
            from kern.subr_prf import panic
            panic(f"ksyms: no memory for {name}")
        _data_end = start + npages * h.NBPG
    _data_cur = start + size
    ffi.memmove(ffi.cast("char *", start), bytes(size), size)
    decl = f"{ctype}[{count}]" if count else ctype
    symbols["_" + name] = (start, "D", decl)
    return ffi.cast(ctype + " *", start)


def string(name: str, value: str):
    """A NUL-terminated string constant in the data segment (``char *``)."""
    raw = value.encode() + b"\0"
    p = data(name, "char", len(raw))
    ffi.memmove(p, raw, len(raw))
    return p


def text(func, name: str | None = None):
    """Give a kernel function an address; return it as ``void *``.

    Registering the same function twice returns the same address.
    """
    global _textnext
    name = name or func.__name__
    sym = "_" + name
    if sym in symbols and symbols[sym][1] == "T":
        return ffi.cast("void *", symbols[sym][0])
    if _textnext + TEXTSLOT > _textend:
        from kern.subr_prf import panic
        panic("ksyms: text segment full")
    addr = _textnext
    _textnext += TEXTSLOT
    raw = name.encode()[:TEXTSLOT - 1]
    ffi.memmove(ffi.cast("char *", addr), raw + b"\0", len(raw) + 1)
    fp = ffi.cast("void *", addr)
    _text[fp] = func
    symbols[sym] = (addr, "T", "")
    return fp


def func(fp):
    """The Python function at a text address (a function pointer field).

    cffi pointers hash and compare by address whatever their type, so
    the field itself (``int (*)()``) is the key.
    """
    return _text[fp]


def call(fp, *args):
    """Call through a kernel function pointer: C's ``(*fp)(args)``."""
    return _text[fp](*args)


def lookup(name: str) -> int:
    """The address of a symbol (with its leading underscore), or 0."""
    return symbols.get(name, (0,))[0]


def write_namelist(path: str) -> None:
    """Write the symbols as ``address kind name type`` lines, sorted by address."""
    import os
    lines = [f"{addr:016x} {kind} {name} {ctype}\n"
             for name, (addr, kind, ctype) in sorted(symbols.items(), key=lambda kv: kv[1][0])]
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.replace(tmp, path)
