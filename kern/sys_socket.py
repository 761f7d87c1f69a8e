"""Socket descriptors: the file operations of DTYPE_SOCKET files.

4.3BSD-Tahoe kern/sys_socket.c.  ``soo_ioctl`` answers the socket-level
commands itself (FIONBIO, FIOASYNC, FIONREAD, SIOCSPGRP, SIOCGPGRP,
SIOCATMARK: no privilege needed, no error possible) and routes the rest
by the command's group letter: ``'i'`` to the interface layer
(kern/net/if.py ifioctl), ``'r'`` to the routing layer
(kern/net/route.py rtioctl), anything else to the protocol as a
PRU_CONTROL request (DESIGN.md section 5).
"""

from kern import ksyms
from kern.headers import native as h

ffi = h.ffi

socketops = None       # struct fileops *, in kernel memory
_GROUP_I, _GROUP_R = ord("i"), ord("r")
_if = None             # kern/net/if.py, bound by socketops_init


def soo_ioctl(fp, cmd: int, data, p) -> int:
    """fo_ioctl of a socket; data is the kernel copy of the argument."""
    so = ffi.cast("struct socket *", fp.f_data)
    group = (cmd >> 8) & 0xFF
    if group == _GROUP_I:
        return _if.ifioctl(so, cmd, data, p)
    iv = ffi.cast("int *", data)
    if cmd == h.FIONBIO:
        if iv[0]:
            so.so_state |= h.SS_NBIO
        else:
            so.so_state &= ~h.SS_NBIO
        return 0
    if cmd == h.FIOASYNC:
        if iv[0]:
            so.so_state |= h.SS_ASYNC
        else:
            so.so_state &= ~h.SS_ASYNC
        return 0
    if cmd == h.FIONREAD:
        iv[0] = so.so_rcv.sb_cc
        return 0
    if cmd == h.SIOCSPGRP:
        so.so_pgrp = iv[0]
        return 0
    if cmd == h.SIOCGPGRP:
        iv[0] = so.so_pgrp
        return 0
    if cmd == h.SIOCATMARK:
        iv[0] = 1 if so.so_state & h.SS_RCVATMARK else 0
        return 0
    if group == _GROUP_R:
        from kern.net.route import rtioctl
        return rtioctl(cmd, data, p)
    return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_CONTROL, cmd, data, None, p)


def soo_close(fp, p) -> int:
    """fo_close of a socket: soclose, then forget the socket."""
    from kern.uipc_socket import soclose
    error = 0
    if fp.f_data != ffi.NULL:
        error = soclose(ffi.cast("struct socket *", fp.f_data), p)
    fp.f_data = ffi.NULL
    return error


def soo_rw(fp, rw, uio, p) -> int:
    """fo_rw of a socket: read is soreceive, write is sosend."""
    from kern import uipc_socket
    so = ffi.cast("struct socket *", fp.f_data)
    if rw == 0:
        return uipc_socket.soreceive(so, p, uio)[0]
    return uipc_socket.sosend(so, p, None, uio, None, 0)


def soo_select(fp, which, p) -> int:
    """fo_select of a socket: 1 if ready for which, else record p as a selector.

    4.3BSD-Tahoe sys_socket.c soo_select: FREAD asks soreadable,
    FWRITE sowriteable, and 0 (the exceptional set) asks for urgent
    data; a socket that is not ready remembers the selecting process in
    the sockbuf that a later wakeup will name (uipc_socket2 sbselqueue).
    """
    from kern.uipc_socket2 import sbselqueue, soreadable, sowriteable
    so = ffi.cast("struct socket *", fp.f_data)
    if which == h.FREAD:
        if soreadable(so):
            return 1
        sbselqueue(so.so_rcv, p)
    elif which == h.FWRITE:
        if sowriteable(so):
            return 1
        sbselqueue(so.so_snd, p)
    else:
        if so.so_oobmark or so.so_state & h.SS_RCVATMARK:
            return 1
        sbselqueue(so.so_rcv, p)
    return 0


def socketops_init() -> None:
    """Place the socket fileops in kernel memory, pointing at the functions above."""
    global socketops, _if
    from kern.net import if_
    _if = if_
    socketops = ksyms.data("socketops", "struct fileops")
    socketops.fo_rw = ksyms.text(soo_rw)
    socketops.fo_ioctl = ksyms.text(soo_ioctl)
    socketops.fo_select = ksyms.text(soo_select)
    socketops.fo_close = ksyms.text(soo_close)
