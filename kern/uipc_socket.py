"""Sockets: creation, destruction, and the data path (sosend, soreceive).

4.3BSD-Tahoe kern/uipc_socket.c.  A socket is a ``struct socket`` in
kernel memory (4.3BSD-Reno allocates it with malloc type M_SOCKET);
``socreate`` finds its protocol through the domain tables and asks the
protocol to attach (PRU_ATTACH), ``soclose`` detaches it and frees it.
A socket made by the super-user carries SS_PRIV, which raw sockets
require.  ``sosend`` copies a user's data into mbufs and gives them to
the protocol (PRU_SEND); ``soreceive`` takes a record off the receive
buffer and copies it out, sleeping while there is none.  They cover
the record (datagram) protocols; stream details (out-of-band data,
rights) come with the protocols that need them.
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


def sosend(so, p, addr, uio, control=None, flags: int = 0, top=None) -> int:
    """Send data on a socket: copy it into mbufs and give it to the protocol.

    4.3BSD-Tahoe uipc_socket.c sosend in the 4.4BSD-Lite2 form, which
    builds packet-header mbufs for the Reno mbufs the protocols expect.
    addr is the destination as an MT_SONAME mbuf (sendto), or None;
    uio describes the user's data (or top is a ready chain).  For an
    atomic (datagram) protocol the whole message goes down in one
    PRU_SEND: more than the send buffer's sb_hiwat is EMSGSIZE, and
    while it does not fit the sender sleeps (EWOULDBLOCK with FIONBIO).
    A socket that cannot send is EPIPE (and SIGPIPE); a pending
    so_error is returned; an unconnected socket without an address is
    EDESTADDRREQ, or ENOTCONN when the protocol needs a connection.
    Mbufs that cannot be had are ENOBUFS (netkern never sleeps for one).
    """
    from kern import uipc_mbuf as mb
    from kern.uipc_socket2 import sbspace, sbunlock, sbwait, sblock
    sb = so.so_snd
    resid = uio.uio_resid if uio is not None else top.m_pkthdr.len
    if resid < 0:
        return h.EINVAL
    atomic = bool(so.so_proto.pr_flags & h.PR_ATOMIC) or top is not None
    dontroute = (flags & h.MSG_DONTROUTE and not so.so_options & h.SO_DONTROUTE
                 and so.so_proto.pr_flags & h.PR_ATOMIC)
    clen = control.m_len if control is not None else 0
    error = 0
    while True:                                         # restart:
        error = sblock(sb, p)
        if error:
            break
        if so.so_state & h.SS_CANTSENDMORE:
            error = h.EPIPE
        elif so.so_error:
            error = so.so_error
            so.so_error = 0
        elif not so.so_state & h.SS_ISCONNECTED:
            if so.so_proto.pr_flags & h.PR_CONNREQUIRED:
                error = h.ENOTCONN
            elif addr is None:
                error = h.EDESTADDRREQ
        if error:
            sbunlock(sb)
            break
        space = sbspace(sb)
        if flags & h.MSG_OOB:
            space += 1024
        if (atomic and resid > sb.sb_hiwat) or clen > sb.sb_hiwat:
            error = h.EMSGSIZE
            sbunlock(sb)
            break
        if space < resid + clen and uio is not None and \
                (atomic or space < sb.sb_lowat or space < clen):
            if so.so_state & h.SS_NBIO:
                error = h.EWOULDBLOCK
                sbunlock(sb)
                break
            sbunlock(sb)
            error = sbwait(sb, p)
            if error:
                break
            continue
        space -= clen
        error, resid, top = _sosend_chunks(so, p, addr, uio, control, flags, top, space,
                                           atomic, dontroute)
        control = None
        sbunlock(sb)
        if error or not resid:
            break
    if top is not None:
        mb.m_freem(top)
    if control is not None:
        mb.m_freem(control)
    if error == h.EPIPE:
        from kern.kern_proc import psignal
        import signal
        psignal(p, signal.SIGPIPE)
    return error


def _sosend_chunks(so, p, addr, uio, control, flags, top, space, atomic, dontroute):
    """The copy-and-send loop of sosend: (error, resid left, unsent chain)."""
    from kern.kern_subr import uiomove
    from kern import uipc_mbuf as mb
    resid = uio.uio_resid if uio is not None else 0
    while True:
        if uio is not None:
            last = None
            while True:
                if top is None:
                    m = mb.m_gethdr(h.M_WAIT, h.MT_DATA)
                    mlen = mb.MHLEN
                else:
                    m = mb.m_get(h.M_WAIT, h.MT_DATA)
                    mlen = mb.MLEN
                if m is None:
                    return h.ENOBUFS, resid, top
                if resid >= mb.MINCLSIZE and space >= mb.MCLBYTES:
                    mb.MCLGET(m, h.M_WAIT)
                    if m.m_flags & h.M_EXT:
                        mlen = mb.MCLBYTES
                length = min(mlen, resid, space)
                if atomic and top is None and length < mlen and not m.m_flags & h.M_EXT:
                    mb.MH_ALIGN(m, length)     # room in front for the protocol headers
                space -= length
                error = uiomove(p, m.m_cbuf + m.m_data, length, uio)
                resid = uio.uio_resid
                m.m_len = length
                if top is None:
                    top = m
                else:
                    last.m_next = m
                last = m
                top.m_pkthdr.len += length
                if error:
                    return error, resid, top
                if resid <= 0:
                    if flags & h.MSG_EOR:
                        top.m_flags |= h.M_EOR
                    break
                if not (space > 0 and atomic):
                    break
        elif flags & h.MSG_EOR:
            top.m_flags |= h.M_EOR
        if dontroute:
            so.so_options |= h.SO_DONTROUTE
        req = h.PRU_SENDOOB if flags & h.MSG_OOB else h.PRU_SEND
        error = ksyms.call(so.so_proto.pr_usrreq, so, req, top, addr, control, p)
        if dontroute:
            so.so_options &= ~h.SO_DONTROUTE
        control = None
        top = None
        if error or not resid or space <= 0:
            return error, resid, None


def soreceive(so, p, uio, flags: int = 0, wantname: bool = False):
    """Receive data from a socket into uio: (error, sender's address mbuf or None).

    4.3BSD-Tahoe uipc_socket.c soreceive for the record protocols: with
    nothing queued it returns a pending so_error, or 0 (end of file)
    when the socket can receive no more, or EWOULDBLOCK with FIONBIO,
    and otherwise sleeps in sbwait until something arrives.  The first
    record's address (MT_SONAME) is returned when wantname is set, and
    freed otherwise; its data is copied out as far as uio has room, and
    with an atomic protocol the rest of the record is dropped.
    MSG_PEEK leaves the record queued.
    """
    from kern import uipc_mbuf as mb
    from kern.kern_subr import uiomove
    from kern.uipc_socket2 import sbdroprecord, sbfree, sbqueue, sbunlock, sbwait, sblock
    sb = so.so_rcv
    pr = so.so_proto
    if flags & h.MSG_OOB:
        return h.EOPNOTSUPP, None
    while True:                                         # restart:
        error = sblock(sb, p)
        if error:
            return error, None
        if sb.sb_cc == 0:
            if so.so_error:
                error = so.so_error
                so.so_error = 0
            elif so.so_state & h.SS_CANTRCVMORE:
                pass
            elif not so.so_state & h.SS_ISCONNECTED and pr.pr_flags & h.PR_CONNREQUIRED:
                error = h.ENOTCONN
            elif uio.uio_resid == 0:
                pass
            elif so.so_state & h.SS_NBIO or flags & h.MSG_DONTWAIT:
                error = h.EWOULDBLOCK
            else:
                sbunlock(sb)
                error = sbwait(sb, p)
                if error:
                    return error, None
                continue
            sbunlock(sb)
            return error, None
        break
    q = sbqueue(sb)
    m = q[0]
    name = None
    peek = flags & h.MSG_PEEK
    if pr.pr_flags & h.PR_ADDR:
        if m.m_type != h.MT_SONAME:
            from kern.subr_prf import panic
            panic("receive 1a")
        if peek:
            if wantname:
                name = mb.m_copy(m, 0, m.m_len)
            m = m.m_next
        else:
            sbfree(sb, m)
            nxt = m.m_next
            if wantname:
                name = m
                m.m_next = None
            else:
                mb.m_free(m)
            m = nxt
            if m is None:
                q.popleft()
            else:
                q[0] = m
    moff = 0
    while m is not None and m.m_type == h.MT_CONTROL:
        m = m.m_next if peek else _drop_head(sb, q, m)
    while m is not None and uio.uio_resid > 0 and not error:
        length = min(uio.uio_resid, m.m_len - moff)
        so.so_state &= ~h.SS_RCVATMARK
        error = uiomove(p, m.m_cbuf + m.m_data + moff, length, uio)
        if length == m.m_len - moff:
            if peek:
                m = m.m_next
                moff = 0
            else:
                m = _drop_head(sb, q, m)
        elif peek:
            moff += length
        else:
            m.m_data += length
            m.m_len -= length
            sb.sb_cc -= length
    if not peek:
        if m is not None and pr.pr_flags & h.PR_ATOMIC:
            sbdroprecord(sb)                # the rest of a datagram is lost
        if pr.pr_flags & h.PR_WANTRCVD and so.so_pcb != ffi.NULL:
            ksyms.call(pr.pr_usrreq, so, h.PRU_RCVD, None, None, None, p)
    sbunlock(sb)
    return error, name


def _drop_head(sb, q, m):
    """Free the first mbuf of the first record; return the next mbuf of the record."""
    from kern import uipc_mbuf as mb
    from kern.uipc_socket2 import sbfree
    sbfree(sb, m)
    nxt = mb.m_free(m)
    if nxt is None:
        q.popleft()
    else:
        q[0] = nxt
    return nxt
