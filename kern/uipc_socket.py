"""Sockets: creation and destruction (the data path comes with UDP).

4.3BSD-Tahoe kern/uipc_socket.c.  A socket is a ``struct socket`` in
kernel memory (4.3BSD-Reno allocates it with malloc type M_SOCKET);
``socreate`` finds its protocol through the domain tables and asks the
protocol to attach (PRU_ATTACH), ``soclose`` detaches it and frees it.
A socket made by the super-user carries SS_PRIV, which raw sockets
require.
"""

from kern import ksyms
from kern.headers import native as h
from kern.kern_malloc import kalloc, kfree
from kern.uipc_domain import pffindproto, pffindtype

ffi = h.ffi


def socreate(p, dom: int, type: int, proto: int):
    """Make a socket of domain, type and protocol: (error, so)."""
    if proto:
        prp = pffindproto(dom, proto, type)
    else:
        prp = pffindtype(dom, type)
    if prp == ffi.NULL:
        return h.EPROTONOSUPPORT, None
    if prp.pr_type != type:
        return h.EPROTOTYPE, None
    so = kalloc("struct socket", h.M_SOCKET, h.M_WAITOK)
    so.so_type = type
    if p.p_ucred.cr_uid == 0:
        so.so_state = h.SS_PRIV
    so.so_proto = prp
    error = ksyms.call(prp.pr_usrreq, so, h.PRU_ATTACH, None, proto, None, p)
    if error:
        so.so_state |= h.SS_NOFDREF
        sofree(so)
        return error, None
    return 0, so


def sofree(so) -> None:
    """Free a socket once neither a descriptor nor a protocol refers to it."""
    if so.so_pcb != ffi.NULL or not so.so_state & h.SS_NOFDREF:
        return
    from kern.uipc_socket2 import sbrelease
    sbrelease(so, so.so_snd)
    sbrelease(so, so.so_rcv)
    kfree(so, h.M_SOCKET)


def soclose(so, p) -> int:
    """Close a socket: detach the protocol and free it (uipc_socket.c soclose)."""
    error = 0
    if so.so_pcb != ffi.NULL:
        error = ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_DETACH, None, None, None, p)
    so.so_state |= h.SS_NOFDREF
    sofree(so)
    return error
