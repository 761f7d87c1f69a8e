"""Where a named kernel keeps its files.

Each running kernel has a run directory ``$XDG_RUNTIME_DIR/netkern/NAME/``
(or ``/tmp/netkern-UID/NAME/`` when XDG_RUNTIME_DIR is unset) holding
``sock`` (the kernel server's socket), ``kmem`` and ``namelist`` (its
memory and symbols, for kvm), ``pid`` and ``log``.  Several kernels run
side by side under different names, as several io-pkt stacks do under
different prefixes (seed 001).  The name comes from ``-k NAME``, else
the ``NETKERN`` environment variable, else ``default``.
"""

import os

DEFAULT = "default"


def base() -> str:
    """The folder that holds every kernel's run directory."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg) and os.access(xdg, os.W_OK):
        return os.path.join(xdg, "netkern")
    return os.path.join("/tmp", f"netkern-{os.getuid()}")


def name(explicit: str | None = None) -> str:
    """The kernel a command addresses: -k NAME, then $NETKERN, then default."""
    return explicit or os.environ.get("NETKERN") or DEFAULT


def path(kname: str | None = None) -> str:
    """The run directory of a kernel."""
    return os.path.join(base(), name(kname))


def not_running(kname: str | None = None) -> str:
    """The message every command prints when its kernel is not running."""
    return f'netkern: kernel "{name(kname)}" is not running (netkern boot)'


def running_pid(kname: str | None = None) -> int:
    """The pid of the kernel server of this name, or 0 if it is not running."""
    try:
        with open(os.path.join(path(kname), "pid")) as f:
            pid = int(f.read().split()[0])
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError, IndexError):
        return 0


def files(kname: str | None = None):
    """(namelist, kmem) of a running kernel, or None when it is not running."""
    d = path(kname)
    nl, km = os.path.join(d, "namelist"), os.path.join(d, "kmem")
    if running_pid(kname) and os.path.exists(nl) and os.path.exists(km):
        return nl, km
    return None
