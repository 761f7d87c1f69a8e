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
from kern import uipc_mbuf as mb
from kern.kern_subr import uiomove
from kern.uipc_domain import pffindproto, pffindtype
from kern.kern_synch import tsleep
from kern.kern_time import cdiv
from kern.uipc_socket2 import (_addr, sbdroprecord, sbflush, sbfree, sbqueue, sbrelease,
                               sbreserve, sbspace, sblock, sbunlock, sbwait, socantrcvmore)

ffi = h.ffi
_SOCKBUF = ffi.sizeof("struct sockbuf")


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
    sbrelease(so, so.so_snd)
    sbrelease(so, so.so_rcv)
    kfree(so, h.M_SOCKET)


def soclose(so, p) -> int:
    """Close a socket on its last descriptor: disconnect, detach, free (uipc_socket.c soclose).

    A connected socket is disconnected first; with SO_LINGER the close
    waits (so_linger seconds at most) while the protocol still reports
    it connected, unless the socket is non-blocking and the disconnect
    is under way.  The protocol's detach error, if any, is returned.
    """
    from kern import kern_clock
    error = 0
    if so.so_pcb != ffi.NULL:
        if so.so_state & h.SS_ISCONNECTED:
            if not so.so_state & h.SS_ISDISCONNECTING:
                error = sodisconnect(so, p)
            if not error and so.so_options & h.SO_LINGER \
                    and not (so.so_state & h.SS_ISDISCONNECTING and so.so_state & h.SS_NBIO):
                while so.so_state & h.SS_ISCONNECTED:
                    error = tsleep(p, _addr(ffi.addressof(so, "so_timeo")), "netcls",
                                   so.so_linger * kern_clock.hz)
                    if error:
                        break
        if so.so_pcb != ffi.NULL:
            error2 = ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_DETACH, None, None, None, p)
            error = error or error2
    so.so_state |= h.SS_NOFDREF
    sofree(so)
    return error


def sobind(so, nam, p) -> int:
    """Give a socket its local address: the protocol's PRU_BIND (uipc_socket.c sobind)."""
    return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_BIND, None, nam, None, p)


def soconnect(so, nam, p) -> int:
    """Connect a socket to the address in nam (uipc_socket.c soconnect).

    A listening socket cannot connect (EOPNOTSUPP).  A connection
    protocol connects once (EISCONN); a datagram socket that is already
    connected is first disconnected, so connecting again, even to an
    address the protocol refuses, drops the old association.
    """
    if so.so_options & h.SO_ACCEPTCONN:
        return h.EOPNOTSUPP
    if so.so_state & (h.SS_ISCONNECTED | h.SS_ISCONNECTING) and \
            (so.so_proto.pr_flags & h.PR_CONNREQUIRED or sodisconnect(so, p)):
        return h.EISCONN
    return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_CONNECT, None, nam, None, p)


def sodisconnect(so, p) -> int:
    """Break a socket's association: ENOTCONN, EALREADY, or PRU_DISCONNECT (sodisconnect)."""
    if not so.so_state & h.SS_ISCONNECTED:
        return h.ENOTCONN
    if so.so_state & h.SS_ISDISCONNECTING:
        return h.EALREADY
    return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_DISCONNECT, None, None, None, p)


def soshutdown(so, how: int, p) -> int:
    """shutdown(2)'s work: how 0 stops receiving, 1 sending, 2 both (uipc_socket.c soshutdown).

    how + 1 is read as FREAD|FWRITE bits, as 4.3 does, so any other
    value does whatever its bits say, without an error.
    """
    how += 1
    if how & h.FREAD:
        sorflush(so, p)
    if how & h.FWRITE:
        return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_SHUTDOWN, None, None, None, p)
    return 0


def sorflush(so, p) -> None:
    """Stop receiving: mark the socket, drop what is queued, clear the buffer (sorflush).

    4.3BSD-Tahoe copies the sockbuf aside, zeroes it and releases the
    copy: the receive buffer's limits are gone too (sb_hiwat 0), so a
    datagram arriving later finds no room.
    """
    sb = so.so_rcv
    sb.sb_flags |= h.SB_NOINTR
    sblock(sb, p)
    socantrcvmore(so)
    sbunlock(sb)
    sbflush(so, sb)
    ffi.memmove(ffi.addressof(sb), bytes(_SOCKBUF), _SOCKBUF)
    sbqueue(sb)


# The SOL_SOCKET options kept as bits of so_options (Tahoe sosetopt).
_SO_FLAGS = frozenset((h.SO_DEBUG, h.SO_KEEPALIVE, h.SO_DONTROUTE, h.SO_USELOOPBACK,
                       h.SO_BROADCAST, h.SO_REUSEADDR, h.SO_OOBINLINE))
SHRT_MAX = 0x7FFF


def sosetopt(so, level: int, optname: int, m, p=None) -> int:
    """setsockopt(2)'s work; m is the value's MT_SOOPTS mbuf or None, consumed (sosetopt).

    4.3BSD-Tahoe uipc_socket.c sosetopt: a level other than SOL_SOCKET
    goes to the protocol's pr_ctloutput (ENOPROTOOPT without one).  At
    SOL_SOCKET: SO_LINGER takes a struct linger (exactly; else EINVAL)
    and sets so_linger and the SO_LINGER bit; the flag options take an
    int (at least; none is EINVAL), set when nonzero; SO_SNDBUF and
    SO_RCVBUF reserve the buffer (ENOBUFS above what SB_MAX allows);
    the low-water marks take an int.  SO_SNDTIMEO and SO_RCVTIMEO take
    a struct timeval, as in 4.3BSD-Reno, whose sbwait is the one that
    honours them (Tahoe stored an int of ticks that nothing read); one
    longer than SHRT_MAX ticks is EDOM.  Anything else is ENOPROTOOPT.
    """
    if level != h.SOL_SOCKET:
        pr = so.so_proto
        if pr.pr_ctloutput != ffi.NULL:
            return ksyms.call(pr.pr_ctloutput, h.PRCO_SETOPT, so, level, optname, [m])
        mb.m_freem(m)
        return h.ENOPROTOOPT
    error = _sosetopt_sol(so, optname, m)
    mb.m_freem(m)
    return error


def _sosetopt_sol(so, optname: int, m) -> int:
    """The SOL_SOCKET part of sosetopt; m stays the caller's."""
    if optname == h.SO_LINGER:
        if m is None or m.m_len != ffi.sizeof("struct linger"):
            return h.EINVAL
        so.so_linger = mb.mtod(m, "struct linger").l_linger
        optname = h.SO_LINGER
    elif optname == h.SO_SNDTIMEO or optname == h.SO_RCVTIMEO:
        from kern import kern_clock
        if m is None or m.m_len < ffi.sizeof("struct timeval"):
            return h.EINVAL
        tv = mb.mtod(m, "struct timeval")
        val = tv.tv_sec * kern_clock.hz + cdiv(tv.tv_usec, kern_clock.tick)
        if val > SHRT_MAX:
            return h.EDOM
        # (a large negative value is cut to a short, as C's assignment cuts it)
        (so.so_snd if optname == h.SO_SNDTIMEO else so.so_rcv).sb_timeo = \
            ((val + 0x8000) & 0xFFFF) - 0x8000
        return 0
    elif optname not in _SO_FLAGS and optname not in _SO_INTS:
        return h.ENOPROTOOPT
    if m is None or m.m_len < ffi.sizeof("int"):
        return h.EINVAL
    val = mb.mtod(m, "int")[0]
    if optname in _SO_INTS:
        return _SO_INTS[optname](so, val)
    if val:
        so.so_options |= optname
    else:
        so.so_options &= ~optname
    return 0


ULONG = (1 << 64) - 1           # an int converted to u_long, as C converts it


def _setbuf(sb, val: int) -> int:
    """SO_SNDBUF/SO_RCVBUF: sbreserve, ENOBUFS if it refuses (a negative size is huge)."""
    return 0 if sbreserve(sb, val & ULONG) else h.ENOBUFS


def _setlowat(sb, val: int) -> int:
    sb.sb_lowat = val & ULONG
    return 0


_SO_INTS = {
    h.SO_SNDBUF: lambda so, v: _setbuf(so.so_snd, v),
    h.SO_RCVBUF: lambda so, v: _setbuf(so.so_rcv, v),
    h.SO_SNDLOWAT: lambda so, v: _setlowat(so.so_snd, v),
    h.SO_RCVLOWAT: lambda so, v: _setlowat(so.so_rcv, v),
}


def sogetopt(so, level: int, optname: int, p=None):
    """getsockopt(2)'s work: (error, MT_SOOPTS mbuf with the value) (uipc_socket.c sogetopt).

    Other levels go to the protocol's pr_ctloutput.  At SOL_SOCKET:
    SO_LINGER gives a struct linger (l_onoff the SO_LINGER bit); the
    flag options give their bit of so_options (nonzero, not 1, when
    set); SO_TYPE the socket type; SO_ERROR the pending error, which
    reading clears; the buffer sizes and low-water marks their values;
    the timeouts a struct timeval.  Anything else is ENOPROTOOPT.
    """
    if level != h.SOL_SOCKET:
        pr = so.so_proto
        if pr.pr_ctloutput == ffi.NULL:
            return h.ENOPROTOOPT, None
        mp = [None]
        error = ksyms.call(pr.pr_ctloutput, h.PRCO_GETOPT, so, level, optname, mp)
        return error, mp[0]
    m = mb.m_get(h.M_WAIT, h.MT_SOOPTS)
    if m is None:
        return h.ENOBUFS, None
    m.m_len = ffi.sizeof("int")
    iv = mb.mtod(m, "int")
    if optname == h.SO_LINGER:
        m.m_len = ffi.sizeof("struct linger")
        lg = mb.mtod(m, "struct linger")
        lg.l_onoff = so.so_options & h.SO_LINGER
        lg.l_linger = so.so_linger
    elif optname in _SO_FLAGS:
        iv[0] = so.so_options & optname
    elif optname == h.SO_TYPE:
        iv[0] = so.so_type
    elif optname == h.SO_ERROR:
        iv[0] = so.so_error
        so.so_error = 0
    elif optname in _SO_GETINTS:
        iv[0] = ((_SO_GETINTS[optname](so) + 0x80000000) & 0xFFFFFFFF) - 0x80000000
    elif optname == h.SO_SNDTIMEO or optname == h.SO_RCVTIMEO:
        from kern import kern_clock
        val = (so.so_snd if optname == h.SO_SNDTIMEO else so.so_rcv).sb_timeo
        m.m_len = ffi.sizeof("struct timeval")
        tv = mb.mtod(m, "struct timeval")
        tv.tv_sec = val // kern_clock.hz
        tv.tv_usec = (val % kern_clock.hz) * kern_clock.tick
    else:
        mb.m_free(m)
        return h.ENOPROTOOPT, None
    return 0, m


_SO_GETINTS = {
    h.SO_SNDBUF: lambda so: so.so_snd.sb_hiwat,
    h.SO_RCVBUF: lambda so: so.so_rcv.sb_hiwat,
    h.SO_SNDLOWAT: lambda so: so.so_snd.sb_lowat,
    h.SO_RCVLOWAT: lambda so: so.so_rcv.sb_lowat,
}


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
    sb = so.so_snd
    resid = uio.uio_resid if uio is not None else top.m_pkthdr.len
    if resid < 0:
        return h.EINVAL
    prflags = so.so_proto.pr_flags         # (the protosw is constant: read it once)
    atomic = bool(prflags & h.PR_ATOMIC) or top is not None
    dontroute = (flags & h.MSG_DONTROUTE and not so.so_options & h.SO_DONTROUTE
                 and prflags & h.PR_ATOMIC)
    clen = control.m_len if control is not None else 0
    error = 0
    while True:                                         # restart:
        error = sblock(sb, p)
        if error:
            break
        state = so.so_state                 # (as sblock left it: nothing below sleeps)
        if state & h.SS_CANTSENDMORE:
            error = h.EPIPE
        elif so.so_error:
            error = so.so_error
            so.so_error = 0
        elif not state & h.SS_ISCONNECTED:
            if prflags & h.PR_CONNREQUIRED:
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
            if state & h.SS_NBIO:
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


def soreceive(so, p, uio, flags: int = 0, wantname: bool = False, wantcontrol: bool = False):
    """Receive a record from a socket into uio: (error, name, control, flags).

    4.3BSD-Tahoe uipc_socket.c soreceive for the record protocols, with
    4.3BSD-Reno's control data and returned flags.  MSG_OOB asks the
    protocol for urgent data (PRU_RCVOOB; UDP and raw IP refuse it with
    EOPNOTSUPP).  With nothing queued it returns a pending so_error
    (cleared, unless MSG_PEEK), or 0 (end of file) when the socket can
    receive no more, or EWOULDBLOCK with FIONBIO or MSG_DONTWAIT, and
    otherwise sleeps in sbwait until something arrives.  The first
    record's address (MT_SONAME) is returned as name when wantname is
    set, its MT_CONTROL mbufs as control when wantcontrol is set (both
    are freed otherwise); its data is copied out as far as uio has
    room.  With an atomic protocol the rest of the record is dropped
    and MSG_TRUNC set in the returned flags.  MSG_PEEK leaves the record
    queued and hands back copies.
    """
    sb = so.so_rcv
    pr = so.so_proto
    prflags = pr.pr_flags                   # (the protosw is constant: read it once)
    if flags & h.MSG_OOB:
        return _soreceive_oob(so, p, uio, flags)
    while True:                                         # restart:
        error = sblock(sb, p)
        if error:
            return error, None, None, 0
        if sb.sb_cc == 0:
            if so.so_error:
                error = so.so_error
                if not flags & h.MSG_PEEK:
                    so.so_error = 0
            elif so.so_state & h.SS_CANTRCVMORE:
                pass
            elif not so.so_state & h.SS_ISCONNECTED and prflags & h.PR_CONNREQUIRED:
                error = h.ENOTCONN
            elif uio.uio_resid == 0:
                pass
            elif so.so_state & h.SS_NBIO or flags & h.MSG_DONTWAIT:
                error = h.EWOULDBLOCK
            else:
                sbunlock(sb)
                error = sbwait(sb, p)
                if error:
                    return error, None, None, 0
                continue
            sbunlock(sb)
            return error, None, None, 0
        break
    q = sbqueue(sb)
    m = q[0]
    name = control = None
    peek = flags & h.MSG_PEEK
    if prflags & h.PR_ADDR:
        if m.m_type != h.MT_SONAME:
            from kern.subr_prf import panic
            panic("receive 1a")
        if peek:
            if wantname:
                name = mb.m_copy(m, 0, m.m_len)
            m = m.m_next
        else:
            m, name = _take_head(sb, q, m, wantname)
    controls = []
    while m is not None and m.m_type == h.MT_CONTROL:
        if peek:
            if wantcontrol:
                controls.append(mb.m_copy(m, 0, m.m_len))
            m = m.m_next
        else:
            m, c = _take_head(sb, q, m, wantcontrol)
            if c is not None:
                controls.append(c)
    for a, b in zip(controls, controls[1:]):
        a.m_next = b
    control = controls[0] if controls else None
    moff = 0
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
    outflags = 0
    if m is not None and prflags & h.PR_ATOMIC:
        outflags |= h.MSG_TRUNC
        if not peek:
            sbdroprecord(sb)                # the rest of a datagram is lost
    if not peek and prflags & h.PR_WANTRCVD and so.so_pcb != ffi.NULL:
        ksyms.call(pr.pr_usrreq, so, h.PRU_RCVD, None, None, None, p)
    sbunlock(sb)
    return error, name, control, outflags


def _soreceive_oob(so, p, uio, flags: int):
    """soreceive of MSG_OOB: the protocol's urgent data, or its refusal (PRU_RCVOOB)."""
    m = mb.m_get(h.M_WAIT, h.MT_DATA)
    if m is None:
        return h.ENOBUFS, None, None, 0
    error = ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_RCVOOB, m, flags & h.MSG_PEEK, None, p)
    while not error and m is not None and uio.uio_resid:
        error = uiomove(p, m.m_cbuf + m.m_data, min(uio.uio_resid, m.m_len), uio)
        m = mb.m_free(m)
    mb.m_freem(m)
    return error, None, None, 0


def _take_head(sb, q, m, keep: bool):
    """Take the first mbuf off the first record: (next mbuf, the mbuf if kept else None)."""
    sbfree(sb, m)
    nxt = m.m_next
    if keep:
        m.m_next = None
    else:
        mb.m_free(m)
        m = None
    if nxt is None:
        q.popleft()
    else:
        q[0] = nxt
    return nxt, m


def _drop_head(sb, q, m):
    """Free the first mbuf of the first record; return the next mbuf of the record."""
    sbfree(sb, m)
    nxt = mb.m_free(m)
    if nxt is None:
        q.popleft()
    else:
        q[0] = nxt
    return nxt
