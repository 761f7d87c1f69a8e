"""Tracing a packet's walk through the kernel, one line per function.

DESIGN.md section 8: a reader holding TCP/IP Illustrated, or seed 004's
account of the NetBSD receive chain (ether_input -> ipintrq -> ipintr ->
ip_input -> udp_input -> udp4_realinput -> udp4_sendup), should be able
to watch a real packet take that path.  While tracing is on, every call
of a function of the network code (kern/net, kern/netinet and the
socket layer) prints one line: the function's name, indented by its
depth in the walk, and the file and line where it is defined::

    ether_input                         kern/net/if_ethersubr.py:175
    ipintr                              kern/netinet/ip_input.py:160
      ip_input                          kern/netinet/ip_input.py:185
        in_cksum                        kern/netinet/in_cksum.py:60
        udp_input                       kern/netinet/udp_usrreq.py:120

It works with Python's profiling hook, so the kernel's code carries no
tracing statements.  Each way into the kernel (the system-call trap,
the clock thread, the network interrupt thread) calls ``sync()``, which
puts the hook on that thread when tracing was turned on after the
thread started; while tracing is off that costs one comparison.  Small
helpers whose names start with an underscore, generators (list
walkers), and the functions that stand for C macros (``mtod``,
``IF_ENQUEUE``: upper-case names) are not shown.
"""

import os
import sys
import threading

# The modules whose functions make up the network path.
PREFIXES = ("kern/net/", "kern/netinet/", "kern/uipc_", "kern/sys_socket", "kern/sys_generic")

_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_state = threading.local()
_out = None
_lock = threading.Lock()


def _relative(filename: str):
    """The file's path under the tree if it is part of the network path, else None."""
    if not filename.startswith(_root):
        return None
    rel = filename[len(_root):]
    return rel if rel.startswith(PREFIXES) else None


_GENERATOR = 0x20       # CO_GENERATOR: each resumption would look like a new call


# Functions that stand for C macros (mtod, IF_ENQUEUE ...): a trace of
# the C kernel would not show them either.
# dosoftint runs at every exit from the kernel, mostly with nothing to
# do: the software interrupts it runs (ipintr) are shown, it is not.
_MACROS = {"mtod", "dtom", "sin", "satosin", "dosoftint"}


def _shown(code) -> bool:
    name = code.co_name
    return not (name.startswith(("_", "<")) or code.co_flags & _GENERATOR
                or name.isupper() or name in _MACROS)


def _profile(frame, event, arg):
    code = frame.f_code
    if event == "call":
        rel = _relative(code.co_filename)
        if rel is None or not _shown(code):
            return
        depth = getattr(_state, "depth", 0)
        line = f"{'  ' * depth}{code.co_name}"
        with _lock:
            if _out is not None:
                _out.write(f"{line:<34s}  {rel}:{code.co_firstlineno}\n")
        _state.depth = depth + 1
    elif event == "return":
        if _relative(code.co_filename) and _shown(code):
            _state.depth = max(0, getattr(_state, "depth", 1) - 1)


wanted = None          # the hook every kernel thread should have: _profile or None


def sync() -> None:
    """Give the calling thread the hook tracing wants (at each kernel entry).

    A profiler that is not ours (cProfile under bench --profile) is left
    alone while tracing is off."""
    hook = sys.getprofile()
    if hook is not wanted and (wanted is not None or hook is _profile):
        sys.setprofile(wanted)


def start(out=None) -> None:
    """Turn tracing on for every thread; lines go to out (default stdout)."""
    global _out, wanted
    _out = out or sys.stdout
    wanted = _profile
    threading.setprofile(_profile)
    sys.setprofile(_profile)


def stop() -> None:
    """Turn tracing off."""
    global _out, wanted
    wanted = None
    sys.setprofile(None)
    threading.setprofile(None)
    _out = None


class trace:
    """``with pktrace.trace(out): ...`` traces the calls made inside the block."""

    def __init__(self, out=None):
        self.out = out

    def __enter__(self):
        start(self.out)
        return self

    def __exit__(self, *exc):
        stop()
        return False


def active() -> bool:
    """Whether tracing is on."""
    return _out is not None
