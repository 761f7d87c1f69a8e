"""Internet protocol control blocks: binding, connecting, lookup, notification.

4.3BSD-Tahoe netinet/in_pcb.c, with the NetBSD 1.5 parts that seed
004's UDP path needs (noud/mouse-bsd in_pcb.c 1.63, "MB"; kernel-paths
reference sections 3 and 5.1).  Each UDP or raw-IP socket has a
``struct inpcb`` in kernel memory on a circular list whose head is the
protocol's global (``udb`` for UDP, ``rawcb`` for raw IP), the list
netstat walks for its socket table.  ``in_pcballoc`` puts a new pcb
right after the head, so the newest pcb comes first, as NetBSD's
CIRCLEQ_INSERT_HEAD does.

What is Tahoe's: the list itself (no hash chains: a lookup walks it),
``in_pcblookup`` with its wildcard count, the bind rules (a port below
IPPORT_RESERVED needs the super-user, SO_REUSEADDR asks for an exact
match only) and the ephemeral ports, handed out from IPPORT_RESERVED up
to IPPORT_USERRESERVED with the last one kept in the list head's
``inp_lport``.  What is NetBSD's: ``inp_state`` (attached, bound or
connected, which ``udp4_realinput``'s connect-then-bind lookup reads
through ``in_pcblookup_connect`` and ``in_pcblookup_bind``), the
0.0.0.0 and 255.255.255.255 rewrites of ``in_pcbconnect``, the source
address chosen through the pcb's own route cache (``in_selectsrc``),
EAGAIN when the ephemeral ports run out (Tahoe looped for ever), and
the 4-tuple ``in_pcbnotify`` of ICMP errors.

Every pcb's ``inp_route`` may hold a route (``rt_refcnt``); the pcb
lists are registered with the routing layer's refcount audit
(``route.rt_audit``), so a cached route that is not given back shows.
"""

from socket import htons, ntohs

from kern.headers import native as h
from kern.kern_malloc import kalloc, kfree
from kern.net import if_
from kern.net.route import RTFREE, register_holder, rtalloc, rtfree
from kern.netinet import in_
from kern.uipc_mbuf import mtod

ffi = h.ffi
NULL = ffi.NULL
SIN = ffi.sizeof("struct sockaddr_in")
SIN_P = ffi.typeof("struct sockaddr_in *")
SA_P = ffi.typeof("struct sockaddr *")
INADDR_ANY = 0
INADDR_BROADCAST = h.INADDR_BROADCAST & 0xFFFFFFFF
INP_ATTACHED, INP_BOUND, INP_CONNECTED = h.INP_ATTACHED, h.INP_BOUND, h.INP_CONNECTED
INPLOOKUP_WILDCARD = h.INPLOOKUP_WILDCARD
IPPORT_RESERVED, IPPORT_USERRESERVED = h.IPPORT_RESERVED, h.IPPORT_USERRESERVED


def insque(elem, head) -> None:
    """Insert elem after head in a circular inp_next/inp_prev list (VAX insque)."""
    elem.inp_next = head.inp_next
    elem.inp_prev = head
    head.inp_next.inp_prev = elem
    head.inp_next = elem


def remque(elem) -> None:
    """Unlink elem from its circular list (VAX remque)."""
    elem.inp_prev.inp_next = elem.inp_next
    elem.inp_next.inp_prev = elem.inp_prev


def in_pcbinit(head) -> None:
    """An empty list: the head points at itself; its route caches join the audit."""
    head.inp_next = head.inp_prev = head
    head.inp_lport = 0                  # the last ephemeral port handed out
    register_holder(in_pcbroutes)


def pcblist(head):
    """The pcbs of a list, newest first (a walk from the head)."""
    inp = head.inp_next
    while inp != head:
        nxt = inp.inp_next              # (the caller may detach inp)
        yield inp
        inp = nxt


def in_pcbroutes():
    """Every pcb's struct route, for route.rt_audit (the holders of routes)."""
    from kern.netinet import raw_ip, udp_usrreq
    for head in (udp_usrreq.udb, raw_ip.rawcb):
        if head is not None:
            for inp in pcblist(head):
                yield ffi.addressof(inp, "inp_route")


def in_pcballoc(so, head) -> int:
    """Attach a new pcb to a socket and put it first on head's list (in_pcballoc).

    Tahoe took an MT_PCB mbuf; the pcb is malloc'ed with type M_PCB here,
    as 4.3BSD-Reno does, so kmemstats counts it.
    """
    inp = kalloc("struct inpcb", h.M_PCB, h.M_NOWAIT)
    if inp == NULL:
        return h.ENOBUFS
    inp.inp_head = head
    inp.inp_socket = so
    inp.inp_state = INP_ATTACHED
    insque(inp, head)
    so.so_pcb = ffi.cast("caddr_t", inp)
    return 0


def in_pcbdetach(inp) -> None:
    """Take a pcb off its socket and list, give back its route and options, free it.

    in_pcb.c in_pcbdetach: the socket is freed if nothing else holds it
    (sofree), the IP options (Tahoe 6.9) and the cached route are released.
    """
    from kern.netinet.ip_output import ip_pcbopts
    from kern.uipc_socket import sofree
    so = inp.inp_socket
    so.so_pcb = NULL
    sofree(so)
    ip_pcbopts(inp, None)
    if inp.inp_route.ro_rt != NULL:
        rtfree(inp.inp_route.ro_rt)
        inp.inp_route.ro_rt = NULL
    inp.inp_state = INP_ATTACHED
    remque(inp)
    kfree(inp, h.M_PCB)


def _sin_of(nam):
    """The sockaddr_in an MT_SONAME mbuf holds, or None when its length is not one's."""
    if nam.m_len != SIN:
        return None
    return mtod(nam, "struct sockaddr_in")


def in_pcbbind(inp, nam, p=None) -> int:
    """Give a pcb its local address and port (in_pcb.c in_pcbbind).

    4.3BSD-Tahoe's rules: no Internet address configured yet is
    EADDRNOTAVAIL; a pcb already bound is EINVAL, and so is an address
    of the wrong length.  The family is not checked (old programs left
    it unset, as the source says).  A specific address must be one of
    ours (ifa_ifwithaddr, broadcast addresses included; a 4.3 address
    comparison takes sin_zero into account) or EADDRNOTAVAIL.  A port
    below IPPORT_RESERVED needs the super-user (EACCES).  A port in use
    is EADDRINUSE: without SO_REUSEADDR any overlap counts (the wildcard
    lookup), with it only the very same local address and port.  No
    port asks for an ephemeral one (``in_pcbbind_ephemeral``).
    """
    so = inp.inp_socket
    if in_.in_ifaddr_p[0] == NULL:
        return h.EADDRNOTAVAIL
    if inp.inp_lport or inp.inp_laddr.s_addr != INADDR_ANY:
        return h.EINVAL
    lport = 0
    if nam is not None:
        sin = _sin_of(nam)
        if sin is None:
            return h.EINVAL
        laddr = sin.sin_addr.s_addr
        lport = sin.sin_port
        if laddr != INADDR_ANY:
            sin.sin_port = 0                    # "yech...": ifa_ifwithaddr compares it
            found = if_.ifa_ifwithaddr(ffi.cast(SA_P, sin))
            sin.sin_port = lport
            if found == NULL:
                return h.EADDRNOTAVAIL
        if lport:
            if ntohs(lport) < IPPORT_RESERVED and (p is None or p.p_ucred.cr_uid != 0):
                return h.EACCES
            wild = 0 if so.so_options & h.SO_REUSEADDR else INPLOOKUP_WILDCARD
            if in_pcblookup(inp.inp_head, INADDR_ANY, 0, laddr, lport, wild) is not None:
                return h.EADDRINUSE
        inp.inp_laddr.s_addr = laddr
    if lport == 0:
        error, lport = in_pcbbind_ephemeral(inp)
        if error:
            return error
    inp.inp_lport = lport
    in_pcbstate(inp, INP_BOUND)
    return 0


def in_pcbbind_ephemeral(inp):
    """An unused port for inp's local address: (error, port in network order).

    Tahoe's "noname" loop: the list head's inp_lport remembers the last
    port handed out; the next is one more, wrapping from
    IPPORT_USERRESERVED back to IPPORT_RESERVED, until a port no pcb
    uses exactly is found.  Tahoe would loop for ever once every port
    is taken; here, as in NetBSD, that is EAGAIN (and a local address
    just set is given up).
    """
    head = inp.inp_head
    laddr = inp.inp_laddr.s_addr
    for _ in range(IPPORT_USERRESERVED - IPPORT_RESERVED + 1):
        port = head.inp_lport + 1
        if port - 1 < IPPORT_RESERVED or port > IPPORT_USERRESERVED:
            port = IPPORT_RESERVED
        head.inp_lport = port
        lport = htons(port)
        if in_pcblookup(head, INADDR_ANY, 0, laddr, lport, 0) is None:
            return 0, lport
    inp.inp_laddr.s_addr = INADDR_ANY
    return h.EAGAIN, 0


def in_pcblookup(head, faddr: int, fport: int, laddr: int, lport: int, flags: int):
    """The pcb of head's list that best matches the addresses, or None (Tahoe in_pcblookup).

    The local port must be equal.  Each address that is a wildcard on
    one side only (in the pcb or in the question) counts one
    "wildcard"; a pcb with a specific address that differs does not
    match.  Without INPLOOKUP_WILDCARD only an exact match (no wildcard)
    is taken; with it, the pcb with the fewest wildcards wins, the
    newest first among equals.
    """
    match, matchwild = None, 3
    for inp in pcblist(head):
        if inp.inp_lport != lport:
            continue
        wildcard = 0
        a = inp.inp_laddr.s_addr
        if a != INADDR_ANY:
            if laddr == INADDR_ANY:
                wildcard += 1
            elif a != laddr:
                continue
        elif laddr != INADDR_ANY:
            wildcard += 1
        a = inp.inp_faddr.s_addr
        if a != INADDR_ANY:
            if faddr == INADDR_ANY:
                wildcard += 1
            elif a != faddr or inp.inp_fport != fport:
                continue
        elif faddr != INADDR_ANY:
            wildcard += 1
        if wildcard and not flags & INPLOOKUP_WILDCARD:
            continue
        if wildcard < matchwild:
            match, matchwild = inp, wildcard
            if wildcard == 0:
                break
    return match


def in_pcblookup_connect(head, faddr: int, fport: int, laddr: int, lport: int):
    """The connected pcb with exactly this 4-tuple, or None (MB in_pcblookup_connect).

    NetBSD searches its connect hash chain; only pcbs in state
    INP_CONNECTED are on it.  A hit would move to the front of its chain
    there; the list here has no chains to reorder.
    """
    for inp in pcblist(head):
        if inp.inp_state == INP_CONNECTED and inp.inp_lport == lport \
                and inp.inp_fport == fport and inp.inp_faddr.s_addr == faddr \
                and inp.inp_laddr.s_addr == laddr:
            return inp
    return None


def in_pcblookup_bind(head, laddr: int, lport: int):
    """The bound (unconnected) pcb for a local address and port, or None (MB in_pcblookup_bind).

    The exact local address is tried first, then the wildcard 0.0.0.0;
    only pcbs in state INP_BOUND are on NetBSD's bind hash chains.
    """
    wild = None
    for inp in pcblist(head):
        if inp.inp_state == INP_BOUND and inp.inp_lport == lport:
            a = inp.inp_laddr.s_addr
            if a == laddr:
                return inp
            if a == INADDR_ANY and wild is None:
                wild = inp
    return wild


def in_pcbstate(inp, state: int) -> None:
    """Move a pcb to state INP_ATTACHED, INP_BOUND or INP_CONNECTED (MB in_pcbstate).

    NetBSD moves the pcb between its bind and connect hash chains here;
    the state is what the lookups above read.
    """
    inp.inp_state = state


def in_pcbconnect(inp, nam) -> int:
    """Fix a pcb's foreign address and port, choosing a local address (MB in_pcbconnect).

    Kernel-paths reference section 5.1.  A wrong length is EINVAL,
    another family EAFNOSUPPORT, port 0 EADDRNOTAVAIL.  With an address
    configured, 0.0.0.0 means the first interface address and
    255.255.255.255 the broadcast address of the first interface that
    can broadcast.  A pcb without a local address gets the one
    ``in_selectsrc`` chooses; if that 4-tuple is already connected it is
    EADDRINUSE; an unbound pcb gets an ephemeral port (EAGAIN when none
    is left).  The pcb ends in state INP_CONNECTED.
    """
    sin = _sin_of(nam)
    if sin is None:
        return h.EINVAL
    if sin.sin_family != h.AF_INET:
        return h.EAFNOSUPPORT
    if sin.sin_port == 0:
        return h.EADDRNOTAVAIL
    first = in_.in_ifaddr_p[0]
    if first != NULL:
        if sin.sin_addr.s_addr == INADDR_ANY:
            sin.sin_addr = in_.IA_SIN(first).sin_addr
        elif sin.sin_addr.s_addr == INADDR_BROADCAST:
            for ia in in_.in_ifaddr_list():
                if ia.ia_ifa.ifa_ifp.if_flags & h.IFF_BROADCAST:
                    sin.sin_addr = in_.sin(ffi.addressof(ia.ia_ifa.ifa_ifu,
                                                         "ifu_broadaddr")).sin_addr
                    break
    laddr = inp.inp_laddr.s_addr
    if laddr == INADDR_ANY:
        error, laddr = in_selectsrc(sin, ffi.addressof(inp, "inp_route"),
                                    inp.inp_socket.so_options)
        if error:
            return error
    faddr, fport = sin.sin_addr.s_addr, sin.sin_port
    if in_pcblookup_connect(inp.inp_head, faddr, fport, laddr, inp.inp_lport) is not None:
        return h.EADDRINUSE
    if inp.inp_laddr.s_addr == INADDR_ANY:
        if inp.inp_lport == 0:
            error, lport = in_pcbbind_ephemeral(inp)
            if error:
                return error
            inp.inp_lport = lport
        inp.inp_laddr.s_addr = laddr
    inp.inp_faddr.s_addr = faddr
    inp.inp_fport = fport
    in_pcbstate(inp, INP_CONNECTED)
    return 0


def in_selectsrc(sin, ro, soopts: int):
    """The local address to send to sin from: (error, s_addr) (MB in_selectsrc).

    The pcb's route cache ro is used and kept: a cached route to another
    destination (or any, with SO_DONTROUTE) is given back first, then
    one is looked up unless SO_DONTROUTE.  The source is the address of
    the route's interface unless that is the loopback (a route to one of
    our addresses on another net goes there); else an address on the
    destination's own network (ifa_ifwithladdr); else the first address
    not on a loopback; else EADDRNOTAVAIL.  4.3 routes have no rt_ifa:
    an interface's address is its first in_ifaddr (ifptoia).
    """
    from kern.netinet.ip_icmp import ifptoia
    from kern.netinet.ip_output import _ifa_ifwithladdr
    dst = ffi.cast(SIN_P, ffi.addressof(ro, "ro_dst"))
    rt = ro.ro_rt
    if rt != NULL and (dst.sin_addr.s_addr != sin.sin_addr.s_addr
                       or soopts & h.SO_DONTROUTE):
        RTFREE(rt)
        ro.ro_rt = NULL
    if not soopts & h.SO_DONTROUTE and (ro.ro_rt == NULL or ro.ro_rt.rt_ifp == NULL):
        ffi.memmove(dst, bytes(SIN), SIN)
        dst.sin_family = h.AF_INET
        dst.sin_addr = sin.sin_addr
        rtalloc(ro)
    ia = NULL
    rt = ro.ro_rt
    if rt != NULL and not rt.rt_ifp.if_flags & h.IFF_LOOPBACK:
        ia = ifptoia(rt.rt_ifp)
    if ia == NULL:
        fport = sin.sin_port
        sin.sin_port = 0
        ifa = _ifa_ifwithladdr(ffi.cast(SA_P, sin))
        sin.sin_port = fport
        if ifa != NULL:
            ia = ffi.cast("struct in_ifaddr *", ifa)
        else:
            for a in in_.in_ifaddr_list():
                if not a.ia_ifa.ifa_ifp.if_flags & h.IFF_LOOPBACK:
                    ia = a
                    break
        if ia == NULL:
            return h.EADDRNOTAVAIL, 0
    return 0, in_.IA_SIN(ia).sin_addr.s_addr


def in_pcbdisconnect(inp) -> None:
    """Forget a pcb's foreign address; free it if its socket is gone (in_pcb.c in_pcbdisconnect)."""
    inp.inp_faddr.s_addr = INADDR_ANY
    inp.inp_fport = 0
    in_pcbstate(inp, INP_BOUND)
    if inp.inp_socket.so_state & h.SS_NOFDREF:
        in_pcbdetach(inp)


def _setaddr(nam, port: int, s_addr: int) -> None:
    """Fill an MT_SONAME mbuf with a sockaddr_in, the rest zero."""
    nam.m_len = SIN
    sin = mtod(nam, "struct sockaddr_in")
    ffi.memmove(sin, bytes(SIN), SIN)
    sin.sin_family = h.AF_INET
    sin.sin_port = port
    sin.sin_addr.s_addr = s_addr


def in_setsockaddr(inp, nam) -> None:
    """The pcb's local address and port as a sockaddr_in in nam (in_pcb.c in_setsockaddr)."""
    _setaddr(nam, inp.inp_lport, inp.inp_laddr.s_addr)


def in_setpeeraddr(inp, nam) -> None:
    """The pcb's foreign address and port as a sockaddr_in in nam (in_pcb.c in_setpeeraddr)."""
    _setaddr(nam, inp.inp_fport, inp.inp_faddr.s_addr)


def in_pcbnotify(head, faddr: int, fport: int, laddr: int, lport: int, errno: int,
                 notify) -> int:
    """Call notify(inp, errno) for the connected pcb of this 4-tuple; how many (MB in_pcbnotify).

    An ICMP error quotes the datagram it answers: its destination and
    ports name the one connected socket that sent it.  Nothing is done
    for a null faddr or notify.
    """
    if faddr == INADDR_ANY or notify is None:
        return 0
    nmatch = 0
    for inp in pcblist(head):
        if inp.inp_state == INP_CONNECTED and inp.inp_faddr.s_addr == faddr \
                and inp.inp_fport == fport and inp.inp_lport == lport \
                and inp.inp_laddr.s_addr == laddr:
            notify(inp, errno)
            nmatch += 1
    return nmatch


def in_pcbnotifyall(head, faddr: int, errno: int, notify) -> None:
    """Call notify(inp, errno) for every pcb whose foreign address is faddr (MB in_pcbnotifyall)."""
    if faddr == INADDR_ANY or notify is None:
        return
    for inp in pcblist(head):
        if inp.inp_faddr.s_addr == faddr:
            notify(inp, errno)


def in_rtchange(inp, errno: int = 0) -> None:
    """The routes changed: drop the pcb's cached route; the next send finds a new one.

    in_pcb.c in_rtchange, the notify function of a redirect.
    """
    if inp.inp_route.ro_rt != NULL:
        rtfree(inp.inp_route.ro_rt)
        inp.inp_route.ro_rt = NULL
