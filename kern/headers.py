"""The headers in sys/ are the ABI: load them once, cache the result.

Every structure layout and every constant the kernel and the utilities use
comes from the C header text under ``sys/``, never from Python.  Loading
works the way a C compiler sees the headers:

1. ply's C preprocessor (``ply.cpp``) expands includes, conditionals and
   macros over one translation unit that includes every header, with
   ``SVR4`` defined for the SVR4 personality;
2. cffi's ``cdef`` takes the resulting declarations (structs, unions,
   typedefs), and cffi lays them out for this host's LP64 ABI;
3. every object-like ``#define`` is expanded and evaluated as a C constant
   expression (``sizeof`` answered by cffi, C's integer types and their
   unsigned wrap-around respected), so ``SIOCGIFCONF`` is computed from
   ``_IOWR('i', 20, struct ifconf)`` exactly as cc would;
4. every function-like ``#define`` that is an integer expression of its
   arguments (``IN_CLASSA(i)``, ``IOCPARM_LEN(x)``) becomes a Python
   function with the same name.

Step 1-4 cost about a second (pycparser and ply build their tables), so
the result is written once as an ordinary Python module, keyed by a hash
of the headers and of this file, in cffi's out-of-line ABI mode
(``set_source(name, None)``): importing it later takes a few
milliseconds, which keeps utility start-up short.

Use::

    from kern.headers import native as h      # 4.3BSD numbering
    from kern.headers import svr4             # the SVR4 personality
    h.ffi.sizeof("struct ifreq"), h.SIOCGIFFLAGS, h.IN_CLASSA(addr)
"""

import os
import sys

import marshal

try:
    from _sha256 import sha256
except ImportError:  # pragma: no cover - other Python builds
    from hashlib import sha256

HERE = os.path.dirname(os.path.abspath(__file__))

PERSONALITIES = ("native", "svr4")

def header_root() -> str:
    """Return the folder that holds the sys/, net/ and netinet/ headers.

    In a source checkout (or an editable install) that is ``sys/`` beside
    ``kern/``; an installed wheel carries the same files as the package
    ``kern.include``.
    """
    for cand in (os.path.join(os.path.dirname(HERE), "sys"), os.path.join(HERE, "include")):
        if os.path.isfile(os.path.join(cand, "sys", "types.h")):
            return cand
    raise ImportError("netkern: the sys/ headers are missing from the installation")


def _header_files(root: str):
    """Relative paths of every header under root, sorted."""
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith(".h")]
    return sorted(out)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _cache_dir() -> str:
    base = os.environ.get("NETKERN_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "netkern")
    for path in (os.path.join(base, "abi"), f"/tmp/netkern-abi-{os.getuid()}"):
        try:
            os.makedirs(path, exist_ok=True)
            if os.access(path, os.W_OK):
                return path
        except OSError:
            pass
    raise OSError(f"netkern: no writable cache folder ({base})")


_sources = {}          # root -> (its header files, their digest with the builder's), once per process


def _headers(root: str):
    """The header files under root and a digest of their text, the builder and cffi."""
    got = _sources.get(root)
    if got is None:
        files = _header_files(root)
        h = sha256()
        h.update(_read(__file__) + _read(os.path.join(HERE, "cexpr.py")) + _backend_version())
        for f in files:
            h.update(f.encode() + b"\0" + _read(os.path.join(root, f)) + b"\0")
        got = _sources[root] = files, h.digest()
    return got


def _key(digest: bytes, extra: str = "") -> str:
    """The cache key of an ABI module: the headers' digest and the -D macros."""
    return sha256(digest + extra.encode()).hexdigest()[:16]


def _import_cached(modname, path, build):
    """Import the module cached at path, writing it first with build().

    The source is kept for reading; beside it the compiled code object
    (``.code``, marshal format) is what gets loaded, so start-up never
    compiles, whatever PYTHONDONTWRITEBYTECODE says.
    """
    if modname in sys.modules:
        return sys.modules[modname]
    codepath = path[:-3] + ".code"
    try:
        with open(codepath, "rb") as f:
            code = marshal.loads(f.read())
    except (OSError, EOFError, ValueError, TypeError):
        source = build()
        code = compile(source, path, "exec")
        for target, data, mode in ((path, source, "w"), (codepath, marshal.dumps(code), "wb")):
            tmp = f"{target}.tmp{os.getpid()}"
            with open(tmp, mode) as f:
                f.write(data)
            os.replace(tmp, target)  # atomic: concurrent builders agree
    mod = type(sys)(modname)
    mod.__file__ = path
    sys.modules[modname] = mod
    exec(code, mod.__dict__)
    return mod


def load(personality: str = "native", defines: dict | None = None):
    """Return the ABI module of one personality, building it if needed.

    defines are extra -D macros, the way config(8) passes a kernel's
    options to cc: ``load("native", {"GATEWAY": "1"})`` gives the
    GATEWAY sizes of RTHASHSIZ and ARPTAB_*.  Layouts never depend on
    them; only constants do.
    """
    if personality not in PERSONALITIES:
        raise ValueError(f"unknown personality {personality!r}")
    defines = dict(sorted((defines or {}).items()))
    root = header_root()
    files, digest = _headers(root)
    key = _key(digest, repr(defines))
    modname = f"_netkern_abi_{personality}" + (f"_{key}" if defines else "")

    def build():
        """Preprocess and compile this personality's ABI module (on a cache miss)."""
        from kern import cexpr  # the builder: ply and pycparser load only here
        return cexpr.build_module(root, files, modname, personality, defines)

    return _import_cached(modname, os.path.join(_cache_dir(), f"{modname}_{key}.py"), build)


def host_ffi(name: str, cdef: str):
    """An out-of-line cffi module for host (libc) declarations, cached.

    machdep uses it so that talking to libc costs an import, not a
    pycparser run, in every utility process.
    """
    key = sha256(cdef.encode() + _backend_version()).hexdigest()[:16]
    modname = f"_netkern_host_{name}"

    def build():
        """Compile the host-side helper module (on a cache miss)."""
        import contextlib
        import io
        import cffi
        builder = cffi.FFI()
        builder.cdef(cdef)
        builder.set_source(modname, None)
        out = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()):
            builder.emit_python_code(out)
        return out.getvalue()

    path = os.path.join(_cache_dir(), f"{modname}_{key}.py")
    return _import_cached(modname, path, build).ffi


def _backend_version() -> bytes:
    import _cffi_backend
    return _cffi_backend.__version__.encode() + sys.version.encode()


def __getattr__(name):
    # ``from kern.headers import native`` loads on first use only.
    if name in PERSONALITIES:
        mod = load(name)
        globals()[name] = mod
        return mod
    raise AttributeError(name)
