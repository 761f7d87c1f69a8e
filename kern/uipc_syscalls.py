"""The socket system calls.

4.3BSD-Tahoe kern/uipc_syscalls.c.  Each function takes the calling
process first and returns ``(error, value)``; the system-call layer
(kern/syscalls.py) turns that into a return value or an errno for the
caller.
"""

from kern.headers import native as h
from kern.kern_descrip import falloc
from kern.uipc_socket import socreate

ffi = h.ffi


def socket(p, domain: int, type: int, protocol: int):
    """socket(2): a new socket and a descriptor for it."""
    from kern import sys_socket
    error, fp, fd = falloc(p)
    if error:
        return error, -1
    fp.f_flag = h.FREAD | h.FWRITE
    fp.f_type = h.DTYPE_SOCKET
    fp.f_ops = sys_socket.socketops
    error, so = socreate(p, domain, type, protocol)
    if error:
        p.u_ofile[fd] = None
        fp.f_count = 0
        return error, -1
    fp.f_data = ffi.cast("char *", so)
    return 0, fd

