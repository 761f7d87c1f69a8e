"""Where a named kernel keeps its files.

Each running kernel has a run directory ``$XDG_RUNTIME_DIR/netkern/NAME/``
(or ``/tmp/netkern-UID/NAME/`` when XDG_RUNTIME_DIR is unset) holding
``sock`` (the kernel server's socket), ``kmem`` and ``namelist`` (its
memory and symbols, for kvm), ``pid`` and ``log``.  Several kernels run
side by side under different names, as several io-pkt stacks do under
different prefixes (seed 001).  The name comes from ``-k NAME``, else
the ``NETKERN`` environment variable, else ``default``.

A running kernel server holds an exclusive lock (flock) on its ``pid``
file for as long as it lives; the kernel of a run directory whose pid
file nobody locks was killed, and the directory is stale: the next
``netkern boot`` of that name reuses it.
"""

import fcntl
import os

DEFAULT = "default"


def base() -> str:
    """The folder that holds every kernel's run directory."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    # Searchable is enough: a client of another user's kernel only
    # needs to reach its socket (the kernel server, which must create
    # the run directory, says so if it cannot).
    if xdg and os.path.isdir(xdg) and os.access(xdg, os.X_OK):
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
        fd = os.open(os.path.join(path(kname), "pid"), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return 0
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:         # locked: a kernel server holds it
            return int(os.read(fd, 32).split()[0])
        fcntl.flock(fd, fcntl.LOCK_UN)  # nobody holds it: stale
        return 0
    except (OSError, ValueError, IndexError):
        return 0
    finally:
        os.close(fd)


def kernels():
    """The names of the run directories under base(), running or stale, sorted."""
    try:
        names = os.listdir(base())
    except OSError:
        return []
    return sorted(n for n in names if os.path.isfile(os.path.join(base(), n, "pid")))


def files(kname: str | None = None):
    """(namelist, kmem) of a running kernel, or None when it is not running."""
    d = path(kname)
    nl, km = os.path.join(d, "namelist"), os.path.join(d, "kmem")
    if running_pid(kname) and os.path.exists(nl) and os.path.exists(km):
        return nl, km
    return None


def read_table(path: str) -> dict:
    """The lines ``key<TAB>value`` of a run-directory file (``taps``, ``taps.status``)
    as a dict; no file is an empty one."""
    try:
        with open(path) as f:
            return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)
    except FileNotFoundError:
        return {}


def write_table(path: str, table: dict) -> None:
    """Replace such a file at once (its reader never sees half of it)."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.writelines(f"{k}\t{v}\n" for k, v in table.items())
    os.replace(tmp, path)
