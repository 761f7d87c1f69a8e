"""Socket buffers: reservation and release (the queues come with UDP).

4.3BSD-Tahoe kern/uipc_socket2.c.  A ``struct sockbuf`` in kernel memory
carries the accounting tools read (``sb_cc``, ``sb_hiwat``, ``sb_mbcnt``,
``sb_mbmax``); the mbufs it holds are reached through ``sb_mb``.
"""

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
