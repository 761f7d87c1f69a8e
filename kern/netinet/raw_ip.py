"""Raw IP sockets: the user-request switch (input and output come later).

4.3BSD-Tahoe net/raw_usrreq.c and netinet/raw_ip.c.  Only the super-user
may make a raw socket: without SS_PRIV the attach fails with EACCES, so
a non-root ``route`` says ``route: socket: Permission denied``.  Raw
sockets take no interface ioctls of their own: PRU_CONTROL is
EOPNOTSUPP.
"""

from kern.headers import native as h
from kern.netinet.in_pcb import in_pcballoc, in_pcbdetach, in_pcbinit
from kern import ksyms
from kern.uipc_socket2 import soreserve

ffi = h.ffi

rawcb = None                   # struct inpcb *: head of the raw pcb list
rip_sendspace = 2048
rip_recvspace = 2048


def rip_init() -> None:
    """Make the empty raw pcb list."""
    global rawcb
    rawcb = ksyms.data("rawcb", "struct inpcb")
    in_pcbinit(rawcb)


def rip_usrreq(so, req: int, m, nam, rights, p=None) -> int:
    """Carry out a user request on a raw IP socket; return an errno."""
    if req == h.PRU_CONTROL:
        return h.EOPNOTSUPP
    inp = ffi.cast("struct inpcb *", so.so_pcb)
    if inp == ffi.NULL and req != h.PRU_ATTACH:
        return h.EINVAL
    if req == h.PRU_ATTACH:
        if not so.so_state & h.SS_PRIV:
            return h.EACCES
        if inp != ffi.NULL:
            return h.EINVAL
        error = soreserve(so, rip_sendspace, rip_recvspace)
        if error:
            return error
        error = in_pcballoc(so, rawcb)
        if error:
            return error
        ffi.cast("struct inpcb *", so.so_pcb).inp_ip.ip_p = nam if isinstance(nam, int) else 0
        return 0
    if req == h.PRU_DETACH:
        in_pcbdetach(inp)
        return 0
    return h.EOPNOTSUPP
