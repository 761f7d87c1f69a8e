"""Internet protocol control blocks.

4.3BSD-Tahoe netinet/in_pcb.c.  Each UDP or raw-IP socket has a
``struct inpcb`` in kernel memory, kept on a circular list whose head is
the protocol's global (``udb`` for UDP), the list netstat walks to print
its socket table.  Binding, connecting and lookup come with the UDP
layer.
"""

from kern.headers import native as h
from kern.kern_malloc import kalloc, kfree
from kern.net.route import register_holder

ffi = h.ffi


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
    """An empty list: the head points at itself."""
    head.inp_next = head.inp_prev = head


def in_pcballoc(so, head) -> int:
    """Attach a new pcb to a socket and put it on head's list (in_pcballoc)."""
    inp = kalloc("struct inpcb", h.M_PCB, h.M_NOWAIT)
    if inp == ffi.NULL:
        return h.ENOBUFS
    inp.inp_head = head
    inp.inp_socket = so
    insque(inp, head)
    so.so_pcb = ffi.cast("caddr_t", inp)
    return 0


def in_pcbdetach(inp) -> None:
    """Take a pcb off its socket and list, and free it (in_pcbdetach)."""
    from kern.uipc_socket import sofree
    so = inp.inp_socket
    so.so_pcb = ffi.NULL
    sofree(so)
    if inp.inp_route.ro_rt != ffi.NULL:
        from kern.net.route import rtfree
        rtfree(inp.inp_route.ro_rt)
    remque(inp)
    kfree(inp, h.M_PCB)


def in_pcbroutes():
    """Every route cache (inp_route) of every Internet pcb: udb's and rawcb's lists.

    A holder for the route refcount audit (kern/net/route.py rt_audit):
    each pcb's cached route holds one reference until in_pcbdetach or a
    route change lets it go.
    """
    from kern.netinet import raw_ip, udp_usrreq
    for head in (udp_usrreq.udb, raw_ip.rawcb):
        if head is None:
            continue
        inp = head.inp_next
        while inp != head:
            yield ffi.addressof(inp, "inp_route")
            inp = inp.inp_next


register_holder(in_pcbroutes)
