"""The client stub: a program's system calls, sent to a kernel server.

A utility opens its kernel with ``connect`` and then calls the same
methods as on the in-process kernel (kern/syscalls.py ``SysCalls``)::

    from kern.sysproxy.client import connect
    sc = connect(kname)                 # -k NAME, else $NETKERN, else "default"
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    sc.ioctl(s, h.SIOCGIFFLAGS, ifr)    # ifr: a cffi struct ifreq *, or an address
    sc.close(s)

Each call is one CALL message to kernd (kern/sysproxy/kernd.py, the
protocol in kern/sysproxy/protocol.py and man/man8/kernd.8).  Pointers
are addresses in this process, as in C.  The bytes the kernel will
surely read travel with the call (an ioctl's IOCPARM_LEN argument when
IOC_IN, select's descriptor sets ...), read with the same safe copy
the local kernel uses, so an unreadable pointer is EFAULT from the
kernel at the point where it copies in; anything else the kernel asks
for while the call runs (COPYIN) or hands back (COPYOUT), and this stub
answers from or into its own memory.

One connection is one process of the kernel: open it once per process
(not shared across fork) and use it from one thread at a time (a lock
serialises callers).  The stub imports no kernel code, only the cached
header ABI, so a utility starts fast.
"""

import _signal
import _socket
import _thread
import os
import struct
from _weakrefset import WeakSet

from kern import machdep, rundir
from kern.syscalls import SysCalls, SysError, _addr, errstr
from kern.sysproxy import protocol as P


class NotRunning(SystemExit):
    """No kernel answers (or it went away): a SystemExit carrying the message.

    Left uncaught it prints ``netkern: kernel "NAME" is not running
    (netkern boot)`` on stderr and exits with status 1, with no traceback.
    """


class Refused(SystemExit):
    """The kernel refused the connection (protocol version, personality)."""


HANDSHAKE_TIMEOUT = 10.0


def connect(name: str | None = None, personality: str | None = None,
            comm: str | None = None) -> "Remote":
    """Open the kernel called name; return its system calls as a ``Remote``.

    name: the kernel's name (a utility passes its ``-k NAME``); None
    means $NETKERN, else "default".  personality: "native" (4.3BSD) or
    "svr4"; None means $NETKERN_PERSONALITY, else "native".  comm: the
    program name the kernel records (default: this program's).

    Raises ``NotRunning`` when no kernel of that name answers and
    ``Refused`` when it will not take this client; both are SystemExit,
    so a utility that does not catch them prints the message and exits
    with status 1.
    """
    kname = rundir.name(name)
    personality = personality or os.environ.get("NETKERN_PERSONALITY") or "native"
    if personality not in P.PERSONALITIES:
        raise Refused(f"netkern: unknown personality {personality!r} (native or svr4)")
    # _socket, _signal, _thread and _weakrefset rather than their wrapper
    # modules: those import enum and functools, a third of a utility's
    # start-up, for nothing a client uses.
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM | _socket.SOCK_CLOEXEC)
    try:
        sock.connect(os.path.join(rundir.path(kname), "sock"))
    except OSError:
        sock.close()
        raise NotRunning(rundir.not_running(kname)) from None
    if comm is None:
        import sys
        comm = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    return Remote(sock, kname, personality, comm)


class Remote(SysCalls):
    """The system calls of this process on a kernel served by kernd.

    After connect: ``pid`` is this process's pid in the kernel, ``uid``
    and ``gid`` its credentials as the kernel sees them (0 for the user
    who booted it, and root), ``kernd_pid`` the server's pid.
    ``close()`` ends the process in the kernel (its descriptors close).
    """

    def __init__(self, sock, name: str, personality: str, comm: str):
        self.sock = sock
        self.name = name
        self.personality = personality
        self._hostpid = os.getpid()
        self._lock = _thread.allocate_lock()
        self._reader = P.Reader(sock, P.CLIENT_SPIN)
        self._mem = _UserMem(self._hostpid)
        self._rbase = self._mem.ffi.from_buffer(self._reader.buf)
        self._abi = None
        self._owned_now = _NOTHING          # the caller's cffi arguments, by address
        h = self.abi()
        self._ioc = (h.IOCPARM_MASK, h.IOC_IN, h.IOC_OUT, h.IOCPARM_MAX)
        sock.settimeout(HANDSHAKE_TIMEOUT)
        try:
            sock.sendall(P.hello(self._hostpid, os.getpgrp(), personality, comm))
            type_, aux, off, length = self._reader.read()
        except (OSError, EOFError, P.ProtocolError):
            sock.close()
            raise NotRunning(rundir.not_running(name)) from None
        buf = self._reader.buf
        if type_ == P.T_REFUSE:
            sock.close()
            raise Refused(bytes(buf[off + P.HDRSIZE:off + length]).decode("utf-8", "replace"))
        if type_ != P.T_WELCOME or length != P.WELCOME.size:
            sock.close()
            raise Refused(f'netkern: kernel "{name}" answered in a foreign protocol')
        _, _, _, self.kernd_pid, self.pid, self.uid, self.gid = P.WELCOME.unpack_from(buf, off)
        sock.settimeout(None)
        _remotes.add(self)
        _bsd_sigio_default()

    def __repr__(self):
        return f"<Remote kernel {self.name!r} pid {self.pid} {self.personality}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close_connection()

    def close_connection(self) -> None:
        """Disconnect: the kernel's process for this connection exits."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    # -- the system calls
    def _syscall(self, name: str, *args) -> int:
        code, windows = _CALLS[name]
        owned = None
        for a in args:
            if type(a) is not int:
                args, owned = _convert(args)
                break
        if not windows:
            return self.call(code, args)
        self._owned_now = owned or _NOTHING
        wins = windows(self, *args)
        if owned:
            # A window over memory the caller owns is copied directly.
            wins = [(a, n, f, _owned(owned[a], n) if a in owned else None)
                    for a, n, f, _ in wins]
        return self.call(code, args, wins)

    def ioctl(self, fd: int, cmd: int, arg=None) -> int:
        """ioctl(2), as SysCalls.ioctl; a cffi object passed as arg is read and
        written directly (its memory is known good), an address safely."""
        cmd &= 0xFFFFFFFF
        addr = _addr(arg)
        return self.call(_SYS_ioctl, (fd, cmd, addr), _ioctl_windows(self, fd, cmd, addr, arg))

    def call(self, code: int, args, windows=()) -> int:
        """System call number code with integer args and windows.

        A window is (addr, len, W_* flags, obj): user memory the call
        surely reads (W_IN) or writes (W_OUT), sent with the CALL or
        stored from the RETURN; obj is None, or a cffi object that owns
        those bytes (then they are copied directly, not with the safe copy).

        Returns the call's value or raises SysError with the errno of
        this process's personality.
        """
        with self._lock:
            if self.sock is None:
                raise RuntimeError(f'netkern: connection to kernel "{self.name}" is closed'
                                   + (" (inherited across fork; connect again)"
                                      if self._hostpid != os.getpid() else ""))
            try:
                self.sock.sendall(self._callmsg(code, args, windows))
                try:
                    return self._wait(code, windows)
                except (OSError, NotRunning):
                    raise
                except BaseException:
                    # A signal handler raised (KeyboardInterrupt ...): tell the
                    # kernel, which ends a sleeping call with EINTR, collect
                    # the answer to keep the connection in step, and let the
                    # exception go on.
                    self.sock.sendall(P.simple(P.T_INTR))
                    try:
                        self._wait(code, windows)
                    except SysError:
                        pass
                    raise
            except ConnectionError:
                self.close_connection()
                raise NotRunning(f'netkern: kernel "{self.name}" went away '
                                 f'during system call {code}') from None

    def _callmsg(self, code: int, args, windows):
        """The CALL message: header, argument words, windows with the bytes read."""
        nargs = len(args)
        try:
            words = P.ARGS[nargs].pack(*args)
        except struct.error:              # an unsigned 64-bit value, or out of range
            words = P.ARGS[nargs].pack(*[_word(a) for a in args])
        if not windows:
            return P.CALL.pack(P.CALL.size + 8 * nargs, P.T_CALL, code, nargs, 0) + words
        parts = [words]
        for addr, n, flags, obj in windows:
            data = None
            if flags & P.W_IN:
                if obj is not None:
                    data = _ffi.buffer(obj, n)[:]
                else:
                    data = self._mem.read(addr, n)
                    if data is None:
                        flags |= P.W_FAULT    # the kernel's copyin will say EFAULT
            parts.append(P.REGION.pack(addr, n, flags))
            if data:
                parts.append(data)
        body = b"".join(parts)
        return P.CALL.pack(P.CALL.size + len(body), P.T_CALL, code, nargs, len(windows)) + body

    def _wait(self, code: int, windows) -> int:
        """Serve the kernel's COPYIN/COPYOUT requests until the RETURN comes."""
        read, buf = self._reader.read, self._reader.buf
        while True:
            try:
                type_, aux, off, length = read()
            except (EOFError, ConnectionError, P.ProtocolError):
                self.close_connection()
                raise NotRunning(f'netkern: kernel "{self.name}" went away '
                                 f'during system call {code}') from None
            if type_ == P.T_RETURN:
                _, _, _, error, nwrite, value = P.RETURN.unpack_from(buf, off)
                if nwrite and self._apply(buf, off + P.RETURN.size, off + length, nwrite,
                                          windows) and not error:
                    error = self._efault()
                if error:
                    raise SysError(error, errstr(error, self.personality))
                return value
            if type_ == P.T_COPYIN:
                _, _, _, addr, n, _ = P.REQ.unpack_from(buf, off)
                data = bytearray(P.HDRSIZE + min(n, P.MAXMSG - P.HDRSIZE))
                ok = len(data) == P.HDRSIZE + n and self._mem.read_into(
                    addr, self._mem.ffi.from_buffer(data) + P.HDRSIZE, n)
                if not ok:
                    del data[P.HDRSIZE:]
                P.HDR.pack_into(data, 0, len(data), P.T_DATA, 1 if ok else 0)
                self.sock.sendall(data)
            elif type_ == P.T_COPYOUT:
                _, _, _, addr, n, _ = P.REQ.unpack_from(buf, off)
                ok = n == length - P.REQ.size and self._mem.write_from(
                    addr, self._rbase + (off + P.REQ.size), n)
                self.sock.sendall(P.simple(P.T_ACK, 1 if ok else 0))
            else:
                self.close_connection()
                raise NotRunning(f'netkern: kernel "{self.name}" sent '
                                 f'{P.TYPENAMES.get(type_, type_)} during system call {code}')

    def _apply(self, buf, pos: int, end: int, nwrite: int, windows) -> bool:
        """Store the copyouts a RETURN carries; True if one faulted."""
        fault = False
        for _ in range(nwrite):
            addr, n, _ = P.REGION.unpack_from(buf, pos)
            pos += P.REGION.size
            if pos + n > end:
                return True
            for waddr, wlen, _, obj in windows:
                if obj is not None and waddr <= addr and addr + n <= waddr + wlen:
                    dst = obj if addr == waddr else _ffi.cast("char *", obj) + (addr - waddr)
                    _ffi.memmove(dst, self._rbase + pos, n)
                    break
            else:
                if not self._mem.write_from(addr, self._rbase + pos, n):
                    fault = True
            pos += n
        return fault

    def _efault(self) -> int:
        return self.abi().EFAULT

    def abi(self):
        """The header ABI of this process's personality (kern.headers)."""
        if self._abi is None:
            from kern import headers
            self._abi = headers.load(self.personality)
        return self._abi


# ---------------------------------------------------------------------------
# Windows: the argument bytes each call surely reads (or writes), sent with it.


def _ioctl_windows(rc, fd, cmd, arg=None, obj=None):
    """ioctl: IOCPARM_LEN(cmd) bytes at the argument, in and/or out by IOC_IN/IOC_OUT."""
    mask, ioc_in, ioc_out, maxlen = rc._ioc
    size = (cmd >> 16) & mask
    flags = (P.W_IN if cmd & ioc_in else 0) | (P.W_OUT if cmd & ioc_out else 0)
    if size == 0 or size > maxlen or not flags:
        return ()
    return ((arg, size, flags, _owned(obj, size)),)


def _convert(args):
    """(addresses, {address: object}) for arguments that are cffi objects or None."""
    out, owned = [], {}
    for a in args:
        if type(a) is int:
            out.append(a)
            continue
        addr = _addr(a)
        if type(a) in _OWNING:
            owned[addr] = a
        out.append(addr)
    return tuple(out), owned


def _owned(obj, size: int):
    """obj if it is a cffi object owning at least size bytes at its address, else None.

    Memory that ffi.new or ffi.from_buffer handed out is valid while the
    object lives (the call holds it), so it needs no safe copy; a cast
    pointer may point anywhere, and gets one.
    """
    if type(obj) in _OWNING and len(machdep.ffi.buffer(obj)) >= size:
        return obj
    return None


def _select_windows(rc, nd, readfds=None, writefds=None, exceptfds=None, timeout=None):
    """select: the descriptor sets it copies in and out, and the timeout."""
    h = rc.abi()
    nd = min(nd, h.NOFILE)
    ni = -(-nd // h.NFDBITS) * h.ffi.sizeof("fd_mask") if nd > 0 else 0
    wins = [(_addr(a), ni, P.W_IN | P.W_OUT, None) for a in (readfds, writefds, exceptfds)
            if a and ni]
    if timeout:
        wins.append((_addr(timeout), h.ffi.sizeof("struct timeval"), P.W_IN, None))
    return wins


def _poll_windows(rc, fds, nfds, timeout=-1):
    """poll: the pollfd array, in and out."""
    h = rc.abi()
    n = min(nfds & 0xFFFFFFFF, h.NOFILE) * h.ffi.sizeof("struct pollfd")
    return ((_addr(fds), n, P.W_IN | P.W_OUT, None),) if n else ()


def _win(addr: int, n: int, flags: int):
    """A window of n bytes at addr, or None when there is nothing worth sending.

    A window read by the kernel travels in the CALL, so one larger than
    P.MAXCHUNK is left out: the kernel then pulls what it really reads
    (its copyin of a too-long datagram never happens, EMSGSIZE comes
    first).  A null pointer or a length that is not positive gets no
    window: the kernel's own copy says EFAULT or nothing.
    """
    if not addr or n <= 0 or (flags & P.W_IN and n > P.MAXCHUNK):
        return None
    return (addr, n, flags, None)


def _wins(*wins):
    return tuple(w for w in wins if w is not None)


def _intat(rc, addr: int):
    """The int at addr in this process, or None if it cannot be read."""
    obj = rc._owned_now.get(addr)
    if obj is not None and _owned(obj, 4) is not None:
        data = _ffi.buffer(obj, 4)[:]
    else:
        data = rc._mem.read(addr, 4) if addr else None
    return int.from_bytes(data, "little" if _LITTLE else "big", signed=True) if data else None


def _lenwins(rc, buf: int, lenaddr: int):
    """A buffer whose room is the int at lenaddr, written back: the int in and out, the buffer out."""
    n = _intat(rc, lenaddr)
    return _wins(_win(lenaddr, 4, P.W_IN | P.W_OUT), _win(buf, n or 0, P.W_OUT))


def _name_windows(rc, s, name=0, namelen=0):
    """bind, connect: the sockaddr the kernel reads."""
    return _wins(_win(name, namelen, P.W_IN))


def _send_windows(rc, s, buf=0, length=0, flags=0, to=0, tolen=0):
    """send, sendto: the data, and sendto's destination."""
    return _wins(_win(buf, length, P.W_IN), _win(to, tolen, P.W_IN))


def _recvfrom_windows(rc, s, buf=0, length=0, flags=0, frm=0, fromlenaddr=0):
    """recv, recvfrom: the data out; recvfrom's address and its length.

    The kernel does not report a failure to copy the address out (the
    datagram has been taken, 4.3's recvit), while a window that faults
    in the client fails the call: so the address and its length get
    windows only when the caller owns their memory (a cffi object)."""
    wins = _wins(_win(buf, length, P.W_OUT))
    owned = rc._owned_now
    if fromlenaddr in owned and frm in owned:
        return wins + _lenwins(rc, frm, fromlenaddr)
    return wins


def _getname_windows(rc, s, name=0, namelenaddr=0):
    """getsockname, getpeername: the address out, its length in and out."""
    return _lenwins(rc, name, namelenaddr)


def _setsockopt_windows(rc, s, level=0, name=0, val=0, valsize=0):
    return _wins(_win(val, valsize, P.W_IN))


def _getsockopt_windows(rc, s, level=0, name=0, val=0, avalsize=0):
    return _lenwins(rc, val, avalsize)


def _msg_windows(rc, s, msg=0, flags=0):
    """sendmsg, recvmsg: the msghdr itself (recvmsg writes it back); what it points
    to (the iovecs, their buffers, the name, the control data) the kernel pulls
    and pushes with COPYIN and COPYOUT while the call runs."""
    return _wins(_win(msg, rc.abi().ffi.sizeof("struct msghdr"), P.W_IN | P.W_OUT))


_LITTLE = __import__("sys").byteorder == "little"
_NOTHING = {}
_WINDOWS = {"ioctl": _ioctl_windows, "select": _select_windows, "poll": _poll_windows,
            "bind": _name_windows, "connect": _name_windows,
            "send": _send_windows, "sendto": _send_windows,
            "recv": _recvfrom_windows, "recvfrom": _recvfrom_windows,
            "getsockname": _getname_windows, "getpeername": _getname_windows,
            "setsockopt": _setsockopt_windows, "getsockopt": _getsockopt_windows,
            "sendmsg": _msg_windows, "recvmsg": _msg_windows}


def _word(a: int) -> int:
    """An argument as a signed 64-bit word (C's conversion of an unsigned one)."""
    a &= 0xFFFFFFFFFFFFFFFF
    return a - (1 << 64) if a >> 63 else a


def _calls():
    """Each system call's number (<sys/syscall.h>) and window function, by name."""
    from kern.headers import native as h
    return {n[4:]: (getattr(h, n), _WINDOWS.get(n[4:]))
            for n in dir(h) if n.startswith("SYS_")}


_CALLS = _calls()
_SYS_ioctl = _CALLS["ioctl"][0]
_ffi = machdep.ffi
_OWNING = (type(_ffi.new("char[1]")), type(_ffi.from_buffer(bytearray(1))))


# ---------------------------------------------------------------------------
# This process's memory, read and written without trusting the address.


class _UserMem:
    """Safe copies from and to this process (kern.machdep's process_vm_readv/writev).

    The iovecs are kept between calls: the stub does a copy or two per
    system call and allocating them each time showed in profiles.
    """

    __slots__ = ("pid", "liov", "riov", "libc", "ffi")

    def __init__(self, pid: int):
        self.pid = pid
        self.ffi = machdep.ffi
        self.libc = machdep.libc
        self.liov = self.ffi.new("struct host_iovec *")
        self.riov = self.ffi.new("struct host_iovec *")

    def read(self, addr: int, n: int):
        """n bytes at addr as a bytearray, or None if any is not readable."""
        out = bytearray(n)
        return out if self.read_into(addr, self.ffi.from_buffer(out), n) else None

    def read_into(self, addr: int, dst, n: int) -> bool:
        """Copy n bytes at addr to the cdata pointer dst; False if any is not readable."""
        return self._copy(self.libc.process_vm_readv, addr, dst, n)

    def write_from(self, addr: int, src, n: int) -> bool:
        """Copy n bytes from the cdata pointer src to addr; False if any is not writable."""
        return self._copy(self.libc.process_vm_writev, addr, src, n)

    def _copy(self, fn, addr: int, local, n: int) -> bool:
        if n == 0:
            return True
        self.liov.iov_base = local
        self.liov.iov_len = self.riov.iov_len = n
        self.riov.iov_base = self.ffi.cast("void *", addr)
        return fn(self.pid, self.liov, 1, self.riov, 1, 0) == n


# ---------------------------------------------------------------------------
# Process-wide matters: fork, and SIGIO's disposition.

_remotes = WeakSet()


def _after_fork_in_child():
    """A child inherits its parent's connections but is not that process: drop them."""
    for rc in list(_remotes):
        rc.close_connection()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _bsd_sigio_default():
    """Give SIGIO BSD's default disposition, ignore, unless the program chose one.

    On the host (Linux) an unhandled SIGIO kills the process; on 4.3BSD
    it is ignored, and a program that sets FIOASYNC without a handler
    expects to live.  Only the main thread may set dispositions.
    """
    if _signal.getsignal(_signal.SIGIO) == _signal.SIG_DFL:
        try:
            _signal.signal(_signal.SIGIO, _signal.SIG_IGN)
        except ValueError:          # not the main thread
            pass
