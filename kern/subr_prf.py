"""Kernel printf, log and panic, into the message buffer.

4.3BSD-Tahoe kern/subr_prf.c: every character the kernel prints goes into
``msgbuf``, a ring in kernel memory that dmesg(8) reads through kvm, and
to the console.  ``log()`` writes its priority as ``<n>`` in front of the
message, which dmesg filters out.  ``panic`` prints the reason and stops
the kernel: here that raises ``Panic``, which the kernel server turns
into a halt, never a silent continuation.

The console is whatever the host attached (kernd: its log file, and the
terminal when run in the foreground); a kernel with no console still
keeps every message in msgbuf.
"""

import re

from kern.headers import native as h

ffi = h.ffi
MSG_BSIZE = h.MSG_BSIZE
MSG_MAGIC = h.MSG_MAGIC

msgbuf = None         # struct msgbuf *, in the arena
consoles = []         # callables taking a str: where printed text also goes
panicstr = None


class Panic(Exception):
    """The kernel panicked; the message is the panic string."""


def msgbufinit() -> None:
    """Place msgbuf in kernel memory and mark it valid (Tahoe machdep startup)."""
    global msgbuf, panicstr
    from kern import ksyms
    msgbuf = ksyms.data("msgbuf", "struct msgbuf")
    msgbuf.msg_magic = MSG_MAGIC
    panicstr = None


def _putbuf(data: bytes) -> None:
    """Append bytes to the ring, wrapping at MSG_BSIZE (subr_prf.c putchar)."""
    mb = msgbuf
    if mb is None:
        return
    x = mb.msg_bufx
    if x >= MSG_BSIZE or x < 0:
        x = 0
    while data:
        n = min(len(data), MSG_BSIZE - x)
        ffi.memmove(mb.msg_bufc + x, data[:n], n)
        data = data[n:]
        x = (x + n) % MSG_BSIZE
    mb.msg_bufx = x


_BFMT = re.compile(r"%b")


def _bits(value: int, spec: str) -> str:
    """The kernel's %b: a value and a bit-name string (first char: the base)."""
    base = ord(spec[0])
    out = ("%o" if base == 8 else "%x") % value
    names, i = [], 1
    while i < len(spec):
        bit = ord(spec[i])
        j = i + 1
        while j < len(spec) and ord(spec[j]) > 32:
            j += 1
        if value & (1 << (bit - 1)):
            names.append(spec[i + 1:j])
        i = j
    return out + ("<" + ",".join(names) + ">" if names else "")


def format(fmt: str, *args) -> str:
    """Format like the kernel's printf: C conversions plus %b."""
    if "%b" not in fmt:
        return fmt % args if args else fmt
    out, args, pos = [], list(args), 0
    for piece in re.split(r"(%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%])", fmt):
        if not piece.startswith("%") or piece == "%%":
            out.append(piece.replace("%%", "%"))
        elif piece == "%b":
            value, spec = args[pos], args[pos + 1]
            pos += 2
            out.append(_bits(value, spec))
        else:
            out.append(piece % args[pos])
            pos += 1
    return "".join(out)


def printf(fmt: str, *args) -> None:
    """Print to the message buffer and the console (subr_prf.c printf)."""
    text = format(fmt, *args)
    _putbuf(text.encode("latin-1", "replace"))
    for cons in consoles:
        cons(text)


def log(level: int, fmt: str, *args) -> None:
    """Log a message with a syslog priority (subr_prf.c log).

    The ``<level>`` prefix goes into msgbuf only, so dmesg and the
    kernel's log reader see the priority and the console does not.
    """
    text = format(fmt, *args)
    _putbuf(f"<{level}>".encode() + text.encode("latin-1", "replace"))
    for cons in consoles:
        cons(text)


def panic(msg: str):
    """Print ``panic: msg`` and stop the kernel (subr_prf.c panic)."""
    global panicstr
    if panicstr is None:
        panicstr = msg
    printf("panic: %s\n", msg)
    raise Panic(msg)
