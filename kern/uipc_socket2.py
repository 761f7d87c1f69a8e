"""Socket buffers: reservation and release, readiness and wakeups.

4.3BSD-Tahoe kern/uipc_socket2.c.  A ``struct sockbuf`` in kernel memory
carries the accounting tools read (``sb_cc``, ``sb_hiwat``, ``sb_mbcnt``,
``sb_mbmax``); the mbufs it holds are reached through ``sb_mb``.

The wakeup half (``sbselqueue``, ``sbwait``, ``sbwakeup``,
``sowakeup``) is what a process waiting for a socket meets: select
records itself in ``sb_sel``, a sleeping receive sets SB_WAIT and
sleeps on ``&sb_cc``, and an arrival (``sorwakeup``) wakes both and,
for an FIOASYNC socket, sends SIGIO to its owner (seed 004, the last
hop of the receive chain).  A process is not in kernel memory here, so
``sb_sel`` holds the selecting process's pid (as 4.4BSD's
``si_pid`` does) and ``pfind`` turns it back into the process.
``soreadable``, ``sowriteable`` and ``sbspace`` are <sys/socketvar.h>
macros in C.
"""

import signal

from kern.headers import native as h

ffi = h.ffi
SB_MAX = h.SB_MAX


def sbreserve(sb, cc: int) -> int:
    """Allow cc bytes in a socket buffer; 0 if over the system limit."""
    if cc > SB_MAX * h.MCLBYTES // (2 * h.MSIZE + h.MCLBYTES):
        return 0
    sb.sb_hiwat = cc
    sb.sb_mbmax = min(cc * 2, SB_MAX)
    if sb.sb_lowat > sb.sb_hiwat:
        sb.sb_lowat = sb.sb_hiwat
    return 1


def soreserve(so, sndcc: int, rcvcc: int) -> int:
    """Reserve both buffers of a socket; ENOBUFS if either is too big."""
    if sbreserve(so.so_snd, sndcc) == 0:
        return h.ENOBUFS
    if sbreserve(so.so_rcv, rcvcc) == 0:
        sbrelease(so, so.so_snd)
        return h.ENOBUFS
    if so.so_rcv.sb_lowat == 0:
        so.so_rcv.sb_lowat = 1
    if so.so_snd.sb_lowat == 0:
        so.so_snd.sb_lowat = h.MCLBYTES
    if so.so_snd.sb_lowat > so.so_snd.sb_hiwat:
        so.so_snd.sb_lowat = so.so_snd.sb_hiwat
    return 0


def sbrelease(so, sb) -> None:
    """Free a socket buffer's contents and its reservation."""
    sbflush(so, sb)
    sb.sb_hiwat = sb.sb_mbmax = 0


def sbflush(so, sb) -> None:
    """Drop everything queued in a socket buffer."""
    sb.sb_cc = 0
    sb.sb_mbcnt = 0
    sb.sb_mb = ffi.NULL


def sbspace(sb) -> int:
    """Room left in a socket buffer, by bytes or by mbuf memory, whichever is less."""
    return min(sb.sb_hiwat - sb.sb_cc, sb.sb_mbmax - sb.sb_mbcnt)


def soreadable(so) -> bool:
    """Would a read find something: data, end of file, a connection or an error?"""
    return bool(so.so_rcv.sb_cc or so.so_state & h.SS_CANTRCVMORE
                or so.so_qlen or so.so_error)


def sowriteable(so) -> bool:
    """Would a write make progress (Tahoe's test: any room at all), or fail at once?"""
    connected = so.so_state & h.SS_ISCONNECTED or not so.so_proto.pr_flags & h.PR_CONNREQUIRED
    return bool((sbspace(so.so_snd) > 0 and connected)
                or so.so_state & h.SS_CANTSENDMORE or so.so_error)


def sbselqueue(sb, p) -> None:
    """Record that p selects on sb; a second selector makes it a collision.

    4.3BSD-Tahoe uipc_socket2.c sbselqueue: if the process already
    recorded is itself asleep in select, both cannot be remembered, so
    SB_COLL asks the wakeup to wake every selector.
    """
    from kern.kern_proc import pfind
    from kern.sys_generic import selwait
    other = pfind(_selpid(sb))
    if other is not None and other.p_wchan is not None \
            and other.p_wchan.chan is selwait:
        sb.sb_flags |= h.SB_COLL
    else:
        sb.sb_sel = ffi.cast("struct proc *", p.p_pid)


def _selpid(sb) -> int:
    return int(ffi.cast("intptr_t", sb.sb_sel))


def sbwait(p, sb) -> int:
    """Sleep until the buffer changes; 0, or EINTR / EWOULDBLOCK (sb_timeo).

    Tahoe's sbwait sets SB_WAIT and sleeps on ``&sb->sb_cc``; the errno
    return and the SO_RCVTIMEO/SO_SNDTIMEO limit are 4.3BSD-Reno's.
    """
    from kern.kern_synch import tsleep
    sb.sb_flags |= h.SB_WAIT
    return tsleep(p, sbchan(sb), "netio", sb.sb_timeo)


def sbchan(sb) -> int:
    """The wait channel of a socket buffer: the address of its sb_cc."""
    return int(ffi.cast("uintptr_t", ffi.addressof(sb, "sb_cc")))


def sbwakeup(sb) -> None:
    """Wake the selector and the sleepers of a socket buffer (uipc_socket2.c sbwakeup)."""
    if sb.sb_sel != ffi.NULL:
        from kern.sys_generic import selwakeup
        selwakeup(_selpid(sb), sb.sb_flags & h.SB_COLL)
        sb.sb_sel = ffi.NULL
        sb.sb_flags &= ~h.SB_COLL
    if sb.sb_flags & h.SB_WAIT:
        from kern.kern_synch import wakeup
        sb.sb_flags &= ~h.SB_WAIT
        wakeup(sbchan(sb))


def sowakeup(so, sb) -> None:
    """Wake a socket buffer's waiters and signal SIGIO to an FIOASYNC socket's owner.

    4.3BSD-Tahoe uipc_socket2.c sowakeup: so_pgrp below zero names a
    process group, above zero a process.
    """
    from kern import kern_proc
    sbwakeup(sb)
    if so.so_state & h.SS_ASYNC:
        if so.so_pgrp < 0:
            kern_proc.gsignal(-so.so_pgrp, signal.SIGIO)
        elif so.so_pgrp > 0:
            p = kern_proc.pfind(so.so_pgrp)
            if p is not None:
                kern_proc.psignal(p, signal.SIGIO)


def sorwakeup(so) -> None:
    """Something arrived for reading (<sys/socketvar.h> sorwakeup)."""
    sowakeup(so, so.so_rcv)


def sowwakeup(so) -> None:
    """Room appeared for writing (<sys/socketvar.h> sowwakeup)."""
    sowakeup(so, so.so_snd)


def socantrcvmore(so) -> None:
    """No more data will arrive: mark it and wake the readers (uipc_socket2.c)."""
    so.so_state |= h.SS_CANTRCVMORE
    sorwakeup(so)


def socantsendmore(so) -> None:
    """No more data may be sent: mark it and wake the writers (uipc_socket2.c)."""
    so.so_state |= h.SS_CANTSENDMORE
    sowwakeup(so)
