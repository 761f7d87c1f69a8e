"""Socket buffers and socket state: the primitives of the socket layer.

4.3BSD-Tahoe kern/uipc_socket2.c, with the datagram details of NetBSD
(kernel-paths reference section 3, ``sbappendaddr``) and 4.3BSD-Reno's
``sballoc``/``sbfree`` for mbufs with clusters.  A ``struct sockbuf`` in
kernel memory carries the accounting that tools read (``sb_cc``,
``sb_hiwat``, ``sb_mbcnt``, ``sb_mbmax``, ``sb_flags``); the records it
holds are packet mbufs (kern/uipc_mbuf.py), kept in a Python deque per
sockbuf, each record a chain (for a datagram socket: the sender's
address in an MT_SONAME mbuf, then any MT_CONTROL mbufs, then the data),
the deque standing for the ``m_nextpkt`` list that starts at ``sb_mb``.
``sb_mb`` itself stays 0: a Python mbuf has no kernel address.

Sleeping and waking: a reader with nothing to read sleeps in ``sbwait``
on the sockbuf (``tsleep`` on the address of its ``sb_cc``, as 4.3
sleeps on ``&sb->sb_cc``); ``sowakeup`` wakes it, wakes select(2) and
sends SIGIO to the socket's owner when FIOASYNC asked for it.  A
process is not in kernel memory here, so ``sb_sel`` holds the pid of
the process selecting (as 4.4BSD's ``si_pid`` does) and ``pfind`` turns
it back into the process.
"""

import collections
import signal

from kern import kern_proc
from kern.headers import native as h
from kern.kern_synch import tsleep, wakeup
from kern.uipc_mbuf import M_DONTWAIT, MGET, m_free, m_freem

ffi = h.ffi
NULL = ffi.NULL
SB_MAX = h.SB_MAX
MSIZE = h.MSIZE
SOCKADDR = ffi.sizeof("struct sockaddr")
M_EXT, MT_SONAME = h.M_EXT, h.MT_SONAME
SB_SEL, SB_COLL, SB_WAIT, SS_ASYNC = h.SB_SEL, h.SB_COLL, h.SB_WAIT, h.SS_ASYNC
SB_LOCK, SB_WANT = h.SB_LOCK, h.SB_WANT

_sbq = {}              # struct sockbuf * -> deque of records


def _addr(p) -> int:
    return int(ffi.cast("uintptr_t", p))


def sbqueue(sb):
    """The records of a sockbuf, oldest first (the m_nextpkt list from sb_mb)."""
    # cdata pointers hash and compare by address, and so does a struct
    # cdata (so.so_rcv): looking sb up as it is spares an ffi.addressof
    # (~0.3 us) on every datagram queued and received.
    q = _sbq.get(sb)
    if q is None:
        q = _sbq[ffi.addressof(sb)] = collections.deque()
    return q


def sbspace(sb) -> int:
    """Room left in a sockbuf, by bytes and by mbuf memory, whichever is less."""
    return min(sb.sb_hiwat - sb.sb_cc, sb.sb_mbmax - sb.sb_mbcnt)


def sballoc(sb, m) -> None:
    """Charge an mbuf to a sockbuf (Reno sys/socketvar.h sballoc)."""
    sb.sb_cc += m.m_len
    sb.sb_mbcnt += MSIZE
    if m.m_flags & h.M_EXT:
        sb.sb_mbcnt += m.m_ext.ext_size


def sbfree(sb, m) -> None:
    """Give back what sballoc charged for an mbuf (Reno sbfree)."""
    sb.sb_cc -= m.m_len
    sb.sb_mbcnt -= MSIZE
    if m.m_flags & h.M_EXT:
        sb.sb_mbcnt -= m.m_ext.ext_size


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
    """Reserve both buffers of a socket; ENOBUFS if either is too big.

    A new socket starts with empty record queues.
    """
    _sbq[ffi.addressof(so.so_snd)] = collections.deque()
    _sbq[ffi.addressof(so.so_rcv)] = collections.deque()
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
    """Drop everything queued in a socket buffer (uipc_socket2.c sbflush)."""
    q = _sbq.pop(ffi.addressof(sb), None)
    while q:
        m_freem(q.popleft())
    sb.sb_cc = 0
    sb.sb_mbcnt = 0
    sb.sb_mb = ffi.NULL


def sbdroprecord(sb) -> None:
    """Drop the first record of a sockbuf (uipc_socket2.c sbdroprecord)."""
    q = sbqueue(sb)
    if q:
        m = q.popleft()
        while m is not None:
            sbfree(sb, m)
            m = m_free(m)


def sbappendaddr(sb, asa, m0, control) -> int:
    """Queue a datagram with its sender's address; 1, or 0 when there is no room.

    NetBSD/4.4BSD uipc_socket2.c sbappendaddr: the record is an
    MT_SONAME mbuf holding the address, then the control mbufs, then
    the data; every mbuf is charged to sb_cc and sb_mbcnt (sballoc).
    It does not fit when the address, data and control together exceed
    sbspace.  asa is a ``struct sockaddr *`` or its bytes.  On 0 the
    caller still owns m0 and control.  Seed 004, "UDP processing": the
    copy goes on the socket's receive queue (sorwakeup then notifies).
    """
    if asa.__class__ is not bytes:
        asa = ffi.buffer(asa, SOCKADDR)[:]
    space = len(asa)
    if m0 is not None:
        if not m0.m_flags & h.M_PKTHDR:
            from kern.subr_prf import panic
            panic("sbappendaddr")
        space += m0.m_pkthdr.len
    n = control
    while n is not None:
        space += n.m_len
        if n.m_next is None:
            break
        n = n.m_next
    cc, mbcnt = sb.sb_cc, sb.sb_mbcnt
    if space > sb.sb_hiwat - cc or space > sb.sb_mbmax - mbcnt:     # sbspace
        return 0
    m = MGET(M_DONTWAIT, MT_SONAME)
    if m is None:
        return 0
    m.m_len = len(asa)
    m.m_buf[m.m_data:m.m_data + len(asa)] = asa
    if n is not None:
        n.m_next = m0
    else:
        control = m0
    m.m_next = control
    n = m
    while n is not None:            # sballoc of each mbuf, summed
        cc += n.m_len
        mbcnt += MSIZE
        if n.m_flags & M_EXT:
            mbcnt += n.m_ext.ext_size
        n = n.m_next
    sb.sb_cc = cc
    sb.sb_mbcnt = mbcnt
    sbqueue(sb).append(m)
    return 1


CMSGHDR = ffi.sizeof("struct cmsghdr")


def sbcreatecontrol(data: bytes, type: int, level: int):
    """An MT_CONTROL mbuf holding one cmsghdr and data, or None (Reno uipc_socket2.c).

    Data longer than an mbuf holds gets None, as in the source.
    """
    size = len(data) + CMSGHDR
    if size > h.MLEN:
        return None
    m = MGET(M_DONTWAIT, h.MT_CONTROL)
    if m is None:
        return None
    cp = ffi.cast("struct cmsghdr *", m.m_cbuf + m.m_data)
    cp.cmsg_len = size
    cp.cmsg_level = level
    cp.cmsg_type = type
    m.m_buf[m.m_data + CMSGHDR:m.m_data + size] = data
    m.m_len = size
    return m


def _chan(sb, field: str) -> int:
    return _addr(ffi.addressof(sb, field))


def sbwait(sb, p) -> int:
    """Sleep until the sockbuf changes; 0, or EINTR/EWOULDBLOCK (Reno sbwait).

    Tahoe's sbwait sets SB_WAIT and sleeps on ``&sb->sb_cc``; the errno
    return and the SO_RCVTIMEO/SO_SNDTIMEO limit are 4.3BSD-Reno's.
    """
    sb.sb_flags |= h.SB_WAIT
    return tsleep(p, _chan(sb, "sb_cc"), "netio", sb.sb_timeo,
                  catch=not sb.sb_flags & h.SB_NOINTR)


def sblock(sb, p) -> int:
    """Take the sockbuf's lock, sleeping while another process holds it (sblock)."""
    flags = sb.sb_flags
    while flags & SB_LOCK:
        sb.sb_flags = flags | SB_WANT
        error = tsleep(p, _chan(sb, "sb_flags"), "sblock", 0)
        if error:
            return error
        flags = sb.sb_flags
    sb.sb_flags = flags | SB_LOCK
    return 0


def sbunlock(sb) -> None:
    """Release the sockbuf's lock and wake a process waiting for it (sbunlock)."""
    flags = sb.sb_flags
    if flags & SB_WANT:
        sb.sb_flags = flags & ~(SB_LOCK | SB_WANT)
        wakeup(_chan(sb, "sb_flags"))
    else:
        sb.sb_flags = flags & ~SB_LOCK


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


def sbwakeup(sb) -> None:
    """Wake the selector and the sleepers of a socket buffer (uipc_socket2.c sbwakeup)."""
    if sb.sb_sel != NULL:
        from kern.sys_generic import selwakeup
        selwakeup(_selpid(sb), sb.sb_flags & h.SB_COLL)
        sb.sb_sel = ffi.NULL
        sb.sb_flags &= ~h.SB_COLL
    if sb.sb_flags & SB_WAIT:
        sb.sb_flags &= ~SB_WAIT
        wakeup(_chan(sb, "sb_cc"))


def sowakeup(so, sb) -> None:
    """Wake a socket buffer's waiters and signal SIGIO to an FIOASYNC socket's owner.

    4.3BSD-Tahoe uipc_socket2.c sowakeup: so_pgrp below zero names a
    process group, above zero a process.
    """
    sbwakeup(sb)
    if so.so_state & SS_ASYNC:
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
    """Wake the writers of a socket (sys/socketvar.h sowwakeup)."""
    sowakeup(so, so.so_snd)


def soisconnected(so) -> None:
    """Mark a socket connected and wake everyone waiting on it (Tahoe soisconnected)."""
    so.so_state &= ~(h.SS_ISCONNECTING | h.SS_ISDISCONNECTING | h.SS_ISCONFIRMING)
    so.so_state |= h.SS_ISCONNECTED
    wakeup(_addr(ffi.addressof(so, "so_timeo")))
    sorwakeup(so)
    sowwakeup(so)


def soisdisconnected(so) -> None:
    """Mark a socket disconnected: no more sending or receiving (Tahoe soisdisconnected)."""
    so.so_state &= ~(h.SS_ISCONNECTING | h.SS_ISCONNECTED | h.SS_ISDISCONNECTING)
    so.so_state |= h.SS_CANTRCVMORE | h.SS_CANTSENDMORE
    wakeup(_addr(ffi.addressof(so, "so_timeo")))
    sowwakeup(so)
    sorwakeup(so)


def socantsendmore(so) -> None:
    """The socket will send no more (shutdown): wake its writers."""
    so.so_state |= h.SS_CANTSENDMORE
    sowwakeup(so)


def socantrcvmore(so) -> None:
    """The socket will receive no more: wake its readers."""
    so.so_state |= h.SS_CANTRCVMORE
    sorwakeup(so)
