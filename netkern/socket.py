"""netkern.socket: the standard library's socket interface, on the emulated kernel.

A script talks to a netkern kernel the way it would talk to the host's
through Python's ``socket`` module::

    from netkern import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 5000))
    data, addr = s.recvfrom(2048)

Every method is one or two system calls of the emulated kernel
(kern/syscalls.py ``SysCalls``): by default those of this process on
the kernel server named by $NETKERN (``kern.sysproxy.client.connect()``,
made once per process and again after a fork), or those of the
``SysCalls`` given with ``sc=`` (an in-process kernel:
``kern.syscalls.attach()``).  All sockets of one kernel process share
its descriptor table, so ``fileno()`` is the kernel's descriptor and
``select()`` below is the kernel's select(2).

Addresses are ``(host, port)`` pairs; host is a dotted quad, ``""``
(INADDR_ANY), ``"<broadcast>"`` (INADDR_BROADCAST) or ``"localhost"``.
No name service is consulted: other names raise ``gaierror``.

Errors are raised as the OSError subclass a Python programmer expects
(BlockingIOError, ConnectionRefusedError, PermissionError, ... see
``EXCEPTIONS``), each also a ``kern.syscalls.SysError``; ``errno`` is
the *kernel's* number (4.3BSD numbering: EWOULDBLOCK is 35, not the
host's), available as this module's ``E*`` constants, and ``strerror``
its 4.3BSD text.  A timeout set with ``settimeout`` raises
``TimeoutError("timed out")``, as the standard module does.
man/man3/netkern.socket.3 documents it all.
"""

import os as _os
import socket as _host
import sys as _sys

from kern import headers as _headers
from kern.syscalls import SysError

_h = _headers.native
_ffi = _h.ffi
_SIN = _ffi.sizeof("struct sockaddr_in")
_INT = _ffi.sizeof("int")

# -- constants: the kernel's own numbers (4.3BSD's) --------------------------

_PREFIXES = ("AF_", "PF_", "SOCK_", "SO_", "SOL_", "MSG_", "IPPROTO_", "IP_", "INADDR_",
             "IPPORT_", "SOMAXCONN", "SCM_", "FIO", "SIOC")
for _n in dir(_h):
    _v = getattr(_h, _n)
    if not isinstance(_v, int):
        continue
    if _n.startswith(_PREFIXES):
        globals()[_n] = _v
    elif _n[:1] == "E" and _n.isalnum() and _n.isupper() and "ETHER" not in _n \
            and _v in _h.ERRLIST:
        globals()[_n] = _v                  # the kernel's errno numbers
del _n, _v
INADDR_BROADCAST = _h.INADDR_BROADCAST & 0xFFFFFFFF
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2       # shutdown(2)'s how (4.3 has no names)

# Conversions that do not depend on the kernel: the host's are the same functions.
htons, ntohs, htonl, ntohl = _host.htons, _host.ntohs, _host.htonl, _host.ntohl
inet_aton, inet_ntoa = _host.inet_aton, _host.inet_ntoa

error = OSError
timeout = TimeoutError


class herror(OSError):
    """A host name error (as the standard module's)."""


class gaierror(OSError):
    """An address that is not a dotted quad or one of the names this module knows."""


# -- errors ----------------------------------------------------------------------------

# The kernel errno (by name) -> the builtin OSError subclass a Python program expects.
EXCEPTIONS = {
    "EWOULDBLOCK": BlockingIOError, "EAGAIN": BlockingIOError, "EALREADY": BlockingIOError,
    "EINPROGRESS": BlockingIOError, "EPIPE": BrokenPipeError, "ESHUTDOWN": BrokenPipeError,
    "ECONNABORTED": ConnectionAbortedError, "ECONNREFUSED": ConnectionRefusedError,
    "ECONNRESET": ConnectionResetError, "EINTR": InterruptedError,
    "EACCES": PermissionError, "EPERM": PermissionError, "ETIMEDOUT": TimeoutError,
    "EEXIST": FileExistsError, "ENOENT": FileNotFoundError,
}
_byerrno = {getattr(_h, n): c for n, c in reversed(EXCEPTIONS.items()) if hasattr(_h, n)}
_classes = {}        # builtin class -> a SysError subclass of it


def _exception(e: SysError) -> OSError:
    """The SysError e as the right OSError subclass, keeping its errno and text."""
    base = _byerrno.get(e.errno)
    if base is None:
        return e
    cls = _classes.get(base)
    if cls is None:
        cls = _classes[base] = type(base.__name__, (SysError, base), {"__module__": __name__})
    return cls(e.errno, e.strerror)


# -- the kernel of this process ---------------------------------------------------------

_kernel = None       # (pid, SysCalls): the default kernel connection of this process


def kernel(sc=None):
    """The SysCalls sockets use when none is given: sc if given (it becomes the
    default), else this process's connection to the kernel named by $NETKERN,
    made at first use (and again in a forked child)."""
    global _kernel
    if sc is not None:
        _kernel = (_os.getpid(), sc)
        return sc
    if _kernel is None or _kernel[0] != _os.getpid():
        from kern.sysproxy.client import connect
        _kernel = (_os.getpid(), connect(comm="python"))
    return _kernel[1]


def _call(fn, *args):
    try:
        return fn(*args)
    except SysError as e:
        raise _exception(e) from None


# -- addresses -----------------------------------------------------------------------------


def _s_addr(host: str) -> int:
    if host == "":
        return 0
    if host == "<broadcast>":
        return INADDR_BROADCAST
    if host == "localhost":
        host = "127.0.0.1"
    try:
        return int.from_bytes(_host.inet_aton(host), _sys.byteorder)
    except (OSError, TypeError):
        raise gaierror(-2, f"Name or service not known: {host!r}") from None


def _fill(sa, address) -> None:
    """Put a (host, port) pair into a struct sockaddr_in."""
    try:
        host, port = address
    except (TypeError, ValueError):
        raise TypeError("AF_INET address must be a pair (host, port)") from None
    if not isinstance(port, int) or not 0 <= port <= 0xFFFF:
        raise OverflowError("port must be 0-65535.")
    sa.sin_family = AF_INET
    sa.sin_port = _host.htons(port)
    sa.sin_addr.s_addr = _s_addr(host)


def _pair(sa, n: int):
    """A received sockaddr_in as (host, port); a short one reads as zeros beyond n."""
    if n < _SIN:
        _ffi.memmove(_ffi.cast("char *", sa) + max(n, 0), bytes(_SIN - max(n, 0)),
                     _SIN - max(n, 0))
    return (_host.inet_ntoa(sa.sin_addr.s_addr.to_bytes(4, _sys.byteorder)),
            _host.ntohs(sa.sin_port))


# -- sockets -------------------------------------------------------------------------------


class socket:
    """A socket of the emulated kernel, with the standard module's methods."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None, *, sc=None):
        self._sc = sc if sc is not None else kernel()
        if self._sc.personality != "native":
            raise ValueError("netkern.socket speaks the native (4.3BSD) ABI")
        self.family = AF_INET if family == -1 else family
        self.type = SOCK_DGRAM if type == -1 else type
        self.proto = 0 if proto == -1 else proto
        if fileno is None:
            fileno = _call(self._sc.socket, self.family, self.type, self.proto)
        self._fd = fileno
        self._timeout = None
        self._nbio = False
        self._to = _ffi.new("struct sockaddr_in *")       # sendto's, reused
        self._toaddr = None
        self._from = _ffi.new("struct sockaddr_in *")     # recvfrom's, reused
        self._fromlen = _ffi.new("int *")
        self._buf = _ffi.new("char[]", 2048)              # recv's, grown on demand

    def __repr__(self):
        closed = " [closed]" if self._fd < 0 else ""
        return f"<netkern.socket.socket{closed} fd={self._fd}, family={self.family}, " \
               f"type={self.type}, proto={self.proto}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fileno(self) -> int:
        return self._fd

    def detach(self) -> int:
        """Forget the descriptor without closing it; return it."""
        fd, self._fd = self._fd, -1
        return fd

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            _call(self._sc.close, fd)

    def _sys(self, fn, *args):
        if self._fd < 0:
            raise OSError(EBADF, "Bad file descriptor")
        return _call(fn, self._fd, *args)

    # -- addresses
    def bind(self, address) -> None:
        sa = _ffi.new("struct sockaddr_in *")
        _fill(sa, address)
        self._sys(self._sc.bind, sa, _SIN)

    def connect(self, address) -> None:
        sa = _ffi.new("struct sockaddr_in *")
        _fill(sa, address)
        self._sys(self._sc.connect, sa, _SIN)

    def connect_ex(self, address) -> int:
        try:
            self.connect(address)
        except SysError as e:
            return e.errno
        return 0

    def getsockname(self):
        return self._name(self._sc.getsockname)

    def getpeername(self):
        return self._name(self._sc.getpeername)

    def _name(self, fn):
        sa, n = _ffi.new("struct sockaddr_in *"), _ffi.new("int *", _SIN)
        self._sys(fn, sa, n)
        return _pair(sa, n[0])

    # -- sending
    def send(self, data, flags: int = 0) -> int:
        buf = _ffi.from_buffer(data)
        return self._io(True, self._sc.send, buf, len(buf), flags)

    def sendall(self, data, flags: int = 0) -> None:
        view = memoryview(data).cast("B")
        while len(view):
            view = view[self.send(view, flags):]

    def sendto(self, data, flags_or_address, address=None) -> int:
        if address is None:
            flags, address = 0, flags_or_address
        else:
            flags = flags_or_address
        if address != self._toaddr:
            _fill(self._to, address)
            self._toaddr = address
        buf = _ffi.from_buffer(data)
        return self._io(True, self._sc.sendto, buf, len(buf), flags, self._to, _SIN)

    def sendmsg(self, buffers, ancdata=(), flags: int = 0, address=None) -> int:
        """sendmsg(2): the buffers gathered into one datagram; ancdata is a list of
        (level, type, data) control messages (UDP refuses any: EINVAL)."""
        bufs = [_ffi.from_buffer(b) for b in buffers]
        iov = _ffi.new("struct iovec[]", max(len(bufs), 1))
        for v, b in zip(iov, bufs):
            v.iov_base, v.iov_len = _ffi.cast("caddr_t", b), len(b)
        msg = _ffi.new("struct msghdr *")
        msg.msg_iov, msg.msg_iovlen = iov, len(bufs)
        sa = ctl = None
        if address is not None:
            sa = _ffi.new("struct sockaddr_in *")
            _fill(sa, address)
            msg.msg_name, msg.msg_namelen = _ffi.cast("caddr_t", sa), _SIN
        if ancdata:
            ctl = _ffi.from_buffer(bytearray(b"".join(_cmsg(*a) for a in ancdata)))
            msg.msg_control, msg.msg_controllen = _ffi.cast("caddr_t", ctl), len(ctl)
        return self._io(True, self._sc.sendmsg, msg, flags)

    # -- receiving
    def _rbuf(self, n: int):
        if n < 0:
            raise ValueError("negative buffersize in recv")
        if len(self._buf) < n:
            self._buf = _ffi.new("char[]", n)
        return self._buf

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        buf = self._rbuf(bufsize)
        n = self._io(False, self._sc.recv, buf, bufsize, flags)
        return _ffi.buffer(buf, n)[:]

    def recvfrom(self, bufsize: int, flags: int = 0):
        buf = self._rbuf(bufsize)
        self._fromlen[0] = _SIN
        n = self._io(False, self._sc.recvfrom, buf, bufsize, flags, self._from, self._fromlen)
        return _ffi.buffer(buf, n)[:], _pair(self._from, self._fromlen[0])

    def recv_into(self, buffer, nbytes: int = 0, flags: int = 0) -> int:
        return self.recvfrom_into(buffer, nbytes, flags)[0]

    def recvfrom_into(self, buffer, nbytes: int = 0, flags: int = 0):
        buf = _ffi.from_buffer(buffer, require_writable=True)
        if nbytes == 0:
            nbytes = len(buf)
        elif nbytes < 0 or nbytes > len(buf):
            raise ValueError("nbytes is greater than the length of the buffer")
        self._fromlen[0] = _SIN
        n = self._io(False, self._sc.recvfrom, buf, nbytes, flags, self._from, self._fromlen)
        return n, _pair(self._from, self._fromlen[0])

    def recvmsg(self, bufsize: int, ancbufsize: int = 0, flags: int = 0):
        """recvmsg(2): (data, [(level, type, data)...], msg_flags, address)."""
        buf = _ffi.new("char[]", max(bufsize, 1))
        iov = _ffi.new("struct iovec *")
        iov.iov_base, iov.iov_len = buf, bufsize
        sa = _ffi.new("struct sockaddr_in *")
        msg = _ffi.new("struct msghdr *")
        msg.msg_iov, msg.msg_iovlen = iov, 1
        msg.msg_name, msg.msg_namelen = _ffi.cast("caddr_t", sa), _SIN
        ctl = None
        if ancbufsize:
            ctl = _ffi.new("char[]", ancbufsize)
            msg.msg_control, msg.msg_controllen = ctl, ancbufsize
        n = self._io(False, self._sc.recvmsg, msg, flags)
        anc = _cmsgs(_ffi.buffer(ctl, msg.msg_controllen)[:]) if ctl is not None else []
        return _ffi.buffer(buf, n)[:], anc, msg.msg_flags, _pair(sa, msg.msg_namelen)

    # -- options and modes
    def setsockopt(self, level: int, optname: int, value, optlen=None) -> None:
        """value is an int (passed as a C int) or a bytes-like object; with value None,
        optlen bytes of nothing (a null pointer), as the standard module allows."""
        if value is None:
            return self._sys(self._sc.setsockopt, level, optname, None, optlen or 0)
        if isinstance(value, int):
            v = _ffi.new("int *", value)
            return self._sys(self._sc.setsockopt, level, optname, v, _INT)
        buf = _ffi.from_buffer(bytes(value))
        return self._sys(self._sc.setsockopt, level, optname, buf, len(buf))

    def getsockopt(self, level: int, optname: int, buflen=None):
        """An int, or with buflen the option's bytes (as many as the kernel gives)."""
        n = _ffi.new("int *", buflen if buflen is not None else _INT)
        v = _ffi.new("char[]", max(n[0], _INT))
        self._sys(self._sc.getsockopt, level, optname, v, n)
        if buflen is None:
            return _ffi.cast("int *", v)[0]
        return _ffi.buffer(v, n[0])[:]

    def shutdown(self, how: int) -> None:
        self._sys(self._sc.shutdown, how)

    def setblocking(self, flag: bool) -> None:
        self.settimeout(None if flag else 0.0)

    def getblocking(self) -> bool:
        return self._timeout != 0.0

    def gettimeout(self):
        return self._timeout

    def settimeout(self, value) -> None:
        """None: block; 0: never block (BlockingIOError); t > 0: TimeoutError after t s.

        Like the standard module, a timeout keeps the kernel's socket
        non-blocking (FIONBIO) and waits in poll(2) when it would block.
        """
        if value is not None:
            value = float(value)
            if value < 0:
                raise ValueError("Timeout value out of range")
        nbio = value is not None
        if nbio != self._nbio:
            self._sys(self._sc.ioctl, FIONBIO, _ffi.new("int *", int(nbio)))
            self._nbio = nbio
        self._timeout = value

    def _io(self, writing: bool, fn, *args):
        """One system call; with a timeout, wait in poll(2) while it would block."""
        if self._fd < 0:
            raise OSError(EBADF, "Bad file descriptor")
        t = self._timeout
        if not t:
            return _call(fn, self._fd, *args)
        import time
        deadline = time.monotonic() + t
        while True:
            try:
                return fn(self._fd, *args)
            except SysError as e:
                if e.errno != EWOULDBLOCK:
                    raise _exception(e) from None
            left = deadline - time.monotonic()
            if left <= 0 or not self._poll(writing, left):
                raise TimeoutError("timed out")

    def _poll(self, writing: bool, seconds: float) -> int:
        fds = _ffi.new("struct pollfd *")
        fds.fd, fds.events = self._fd, POLLOUT if writing else POLLIN
        return _call(self._sc.poll, fds, 1, max(1, int(seconds * 1000)))


POLLIN, POLLOUT = _h.POLLIN, _h.POLLOUT
_CMSGHDR = _ffi.sizeof("struct cmsghdr")


def _cmsg(level: int, type: int, data: bytes) -> bytes:
    hdr = _ffi.new("struct cmsghdr *", [_CMSGHDR + len(data), level, type])
    return _ffi.buffer(hdr)[:] + bytes(data)


def _cmsgs(raw: bytes):
    """The (level, type, data) control messages of a received control buffer."""
    out, i = [], 0
    while i + _CMSGHDR <= len(raw):
        hdr = _ffi.cast("struct cmsghdr *", _ffi.from_buffer(raw[i:i + _CMSGHDR]))
        ln = hdr.cmsg_len
        if ln < _CMSGHDR:
            break
        out.append((hdr.cmsg_level, hdr.cmsg_type, raw[i + _CMSGHDR:i + ln]))
        i += (ln + 3) & ~3
    return out


def select(rlist, wlist, xlist, timeout=None, *, sc=None):
    """select(2) of the kernel over objects with fileno() (or descriptors), as
    select.select: (ready to read, ready to write, exceptional).  All must be of
    one kernel process: the sockets' own, else sc's, else the default kernel's."""
    objs = list(rlist) + list(wlist) + list(xlist)
    scs = {id(o._sc): o._sc for o in objs if isinstance(o, socket)}
    if sc is not None:
        scs.setdefault(id(sc), sc)
    if len(scs) > 1:
        raise ValueError("select() over sockets of different kernel processes")
    sc = next(iter(scs.values())) if scs else kernel()
    fd = [o if isinstance(o, int) else o.fileno() for o in objs]
    if any(f < 0 for f in fd):
        raise ValueError("file descriptor cannot be a negative integer")
    nd = max(fd) + 1 if fd else 0
    sets = []
    for group in (rlist, wlist, xlist):
        s = _ffi.new("fd_set *")
        for o in group:
            f = o if isinstance(o, int) else o.fileno()
            s.fds_bits[f // _h.NFDBITS] |= 1 << (f % _h.NFDBITS)
        sets.append(s)
    tv = None
    if timeout is not None:
        if timeout < 0:
            raise ValueError("timeout must be non-negative")
        tv = _ffi.new("struct timeval *")
        tv.tv_sec = int(timeout)
        tv.tv_usec = int((timeout - int(timeout)) * 1000000)
    _call(sc.select, nd, *sets, tv)
    out = []
    for s, group in zip(sets, (rlist, wlist, xlist)):
        out.append([o for o in group
                    if s.fds_bits[(f := o if isinstance(o, int) else o.fileno()) // _h.NFDBITS]
                    & (1 << (f % _h.NFDBITS))])
    return tuple(out)
