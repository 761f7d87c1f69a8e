"""UDP: the user-request switch (the datagram paths come later).

4.3BSD-Tahoe netinet/udp_usrreq.c udp_usrreq, with the requests a socket
needs before it can carry data: attach (a pcb on ``udb`` and the buffer
reservations), detach, and PRU_CONTROL, which hands an interface ioctl
to ``in_control``.
"""

from kern.headers import native as h
from kern.netinet.in_pcb import in_pcballoc, in_pcbdetach, in_pcbinit
from kern import ksyms
from kern.uipc_socket2 import soreserve

ffi = h.ffi

udb = None                     # struct inpcb *: head of the UDP pcb list
udp_sendspace = 9216           # NetBSD udp_usrreq.c defaults
udp_recvspace = 40 * (1024 + 16)


def udp_init() -> None:
    """Make the empty pcb list (udp_usrreq.c udp_init)."""
    global udb
    udb = ksyms.data("udb", "struct inpcb")
    in_pcbinit(udb)


def udp_usrreq(so, req: int, m, nam, rights, p=None) -> int:
    """Carry out a user request on a UDP socket; return an errno."""
    if req == h.PRU_CONTROL:
        from kern.netinet import in_
        return in_.in_control(so, m, nam, rights, p)
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    if inp == ffi.NULL and req != h.PRU_ATTACH:
        return h.EINVAL
    if req == h.PRU_ATTACH:
        if inp != ffi.NULL:
            return h.EINVAL
        error = in_pcballoc(so, udb)
        if error:
            return error
        return soreserve(so, udp_sendspace, udp_recvspace)
    if req == h.PRU_DETACH:
        in_pcbdetach(inp)
        return 0
    return h.EOPNOTSUPP
