"""dmesg: print the kernel's recent messages from its message buffer.

A port of 4.3BSD-Tahoe etc/dmesg.c 5.5 (utilities-reference section 6.1):
it looks ``_msgbuf`` up in the kernel's namelist, reads the ring through
kvm, and prints what is new compared with a saved copy: in plain mode an
empty one, so everything since boot; with ``-`` the copy kept in the
kernel's run directory (``msgbuf``, Tahoe's /usr/adm/msgbuf), so only
what arrived since the last ``dmesg -``.  A date line comes first;
``<n>`` priorities at the start of a line and non-printing bytes are
dropped.  ``-k NAME`` (or $NETKERN) picks the kernel and ``-V``
the personality (SVR4 had no dmesg: its processes get this one):
netkern's additions, read before Tahoe's own arguments by the
utilities' common main (usr.sbin/libc.py).
"""

import os
import sys
import time


class _Done(Exception):
    pass


def _pdate(out, state):
    if not state["dated"]:
        state["dated"] = True
        out.write("\n%.12s\n" % time.ctime()[4:])


def _filtered(data: bytes) -> str:
    """Drop NULs, bytes with the 0200 bit, and ``<...>`` at a line start."""
    out, skip, bol = [], False, True
    for c in data:
        if c == 0 or c & 0o200:
            continue
        if skip:
            if c == ord(">"):
                skip = False
            continue
        if bol and c == ord("<"):
            skip = True
            continue
        out.append(c)
        bol = c == ord("\n")
    return bytes(out).decode("latin-1")


def dmesg(argv, out, err, kname=None, files=None) -> int:
    """Run dmesg with Tahoe's arguments; return the exit status."""
    from kern import kvm, rundir
    from kern.headers import native as h
    state = {"dated": False}

    def done(msg):
        _pdate(out, state)
        out.write(msg)
        raise _Done()

    incremental = bool(argv) and argv[0].startswith("-")
    if incremental:
        argv = argv[1:]
    if files is None:
        files = rundir.files(kname)
        if files is None and len(argv) < 2:
            err.write(rundir.not_running(kname) + "\n")
            return 1
    namelist, core = files if files else (None, None)
    if argv:
        core = argv[0]
    if len(argv) > 1:
        namelist = argv[1]
    savefile = os.path.join(os.path.dirname(core), "msgbuf")
    try:
        if incremental:
            try:
                fd = os.open(savefile, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                done(f"Can't open {savefile}\n")
            with os.fdopen(fd, "r+b") as f:
                saved = f.read()
        try:
            kd = kvm.kvm_open(namelist, core)
        except kvm.KvmError as e:
            done("Can't get kernel namelist\n" if "namelist" in str(e) or namelist in str(e)
                 else "Can't read kernel memory\n")
        addr = kd.nlist("_msgbuf")
        if not addr:
            done("Can't get kernel namelist\n")
        size = h.ffi.sizeof("struct msgbuf")
        try:
            raw = kd.read_bytes(addr, size)
        except kvm.KvmError:
            done("Can't read kernel memory\n")
        cur = h.ffi.new("struct msgbuf *")
        h.ffi.memmove(cur, raw, size)
        if cur.msg_magic != h.MSG_MAGIC:
            done("Magic number wrong (namelist mismatch?)\n")
        old = h.ffi.new("struct msgbuf *")
        if incremental and len(saved) == size:
            h.ffi.memmove(old, saved, size)
        bsize = h.MSG_BSIZE
        if not 0 <= cur.msg_bufx < bsize:
            cur.msg_bufx = 0
        if not 0 <= old.msg_bufx < bsize:
            old.msg_bufx = 0
        newb, oldb = bytes(h.ffi.buffer(cur.msg_bufc)), bytes(h.ffi.buffer(old.msg_bufc))
        i, differ = cur.msg_bufx, False
        while True:
            if newb[i] != oldb[i]:
                differ = True
                break
            i = (i + 1) % bsize
            if i == old.msg_bufx:
                break
        if not differ and cur.msg_bufx == old.msg_bufx:
            return 0
        _pdate(out, state)
        if differ:
            out.write("...\n")
            start = cur.msg_bufx
            text = newb[start:] + newb[:start]
        else:
            start, end = old.msg_bufx, cur.msg_bufx
            text = newb[start:end] if start <= end else newb[start:] + newb[:end]
        out.write(_filtered(text))
        if incremental:
            with open(savefile, "wb") as f:
                f.write(raw)
        return 0
    except _Done:
        return 1


def _dmesg(p, argv):
    """The program under the utilities' common main (usr.sbin/libc.py)."""
    return dmesg(argv, p.out, p.err, p.kname, p._files)


def main(argv=None, **kw) -> int:
    """The command: dmesg [-k name] [-V tahoe|svr4] [-] [core [system]]."""
    from usr_sbin import libc
    return libc.main("dmesg", _dmesg, argv, **kw)


if __name__ == "__main__":
    sys.exit(main())
