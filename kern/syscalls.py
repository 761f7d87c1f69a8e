"""System calls as a program sees them: the local and remote libc.

A program (a utility, a test, a notebook) talks to the kernel through a
``SysCalls`` object: ``s = sc.socket(AF_INET, SOCK_DGRAM, 0)``,
``sc.ioctl(s, SIOCGIFFLAGS, ifr)``, ``sc.close(s)``.  Failures raise
``SysError`` with the errno of the process's personality (4.3BSD or SVR4
numbering) and that system's perror text, the way a C program gets -1
and errno.

``Local`` runs the calls on a kernel booted in this very process
(kern/init_main.py); the kernel server's client stub
(kern/sysproxy/client.py) is the same class with another transport, so
a utility is written once and runs against either.

Pointer arguments are addresses in this process (an ``int``) or cffi
pointers, which are turned into their address: the kernel reaches user
memory only through copyin/copyout, so a bad pointer is EFAULT, not a
crash.
"""

from kern import headers


class SysError(OSError):
    """A failed system call: .errno in the caller's personality, .strerror its text."""


def errstr(errno: int, personality: str = "native") -> str:
    """strerror(3) of the personality's C library."""
    text = headers.load(personality).ERRLIST.get(errno)
    return text if text is not None else ("Unknown error" if personality == "native"
                                          else f"Error {errno}")


def _addr(arg) -> int:
    """A user pointer as an address: an int, None (NULL) or a cffi pointer."""
    if arg is None:
        return 0
    if isinstance(arg, int):
        return arg
    ffi = headers.native.ffi
    return int(ffi.cast("uintptr_t", arg))


class SysCalls:
    """The system calls of one process.  Subclasses provide _syscall.

    _syscall(name, *args) takes the call's arguments as the methods get
    them: integers, None, or cffi pointers and arrays (for the pointer
    arguments); turning those into addresses is the subclass's business.
    """

    personality = "native"

    def _syscall(self, name: str, *args) -> int:
        raise NotImplementedError

    def _raise(self, native_errno: int):
        raise SysError(native_errno, errstr(native_errno, self.personality))

    # -- descriptors and processes
    def close(self, fd: int) -> None:
        """close(2)."""
        self._syscall("close", fd)

    def ioctl(self, fd: int, cmd: int, arg=None) -> int:
        """ioctl(2); arg is the argument's address (or a cffi pointer)."""
        return self._syscall("ioctl", fd, cmd & 0xFFFFFFFF, arg)

    def fcntl(self, fd: int, cmd: int, arg: int = 0) -> int:
        """fcntl(2): F_DUPFD, F_GETFD/F_SETFD, F_GETFL/F_SETFL, F_GETOWN/F_SETOWN."""
        return self._syscall("fcntl", fd, cmd, arg)

    def getpid(self) -> int:
        """getpid(2): this process's pid in the kernel."""
        return self._syscall("getpid")

    def getuid(self) -> int:
        """getuid(2)."""
        return self._syscall("getuid")

    def geteuid(self) -> int:
        """geteuid(2)."""
        return self._syscall("geteuid")

    def setuid(self, uid: int) -> None:
        """setuid(2)."""
        self._syscall("setuid", uid)

    # -- descriptor multiplexing
    def select(self, nd: int, readfds=None, writefds=None, exceptfds=None, timeout=None) -> int:
        """select(2); the sets (``fd_set *``) and timeout (``struct timeval *``) are
        addresses or cffi pointers, None for NULL.  Returns the ready count."""
        return self._syscall("select", nd, readfds, writefds,
                             exceptfds, timeout)

    def poll(self, fds, nfds: int, timeout: int = -1) -> int:
        """poll(2) over ``struct pollfd[nfds]`` at fds; timeout in ms, -1 (INFTIM) for none."""
        return self._syscall("poll", fds, nfds, timeout)

    # -- sockets
    def socket(self, domain: int, type: int, protocol: int = 0) -> int:
        """socket(2): a new descriptor."""
        return self._syscall("socket", domain, type, protocol)

    def send(self, s: int, buf, length: int, flags: int = 0) -> int:
        """send(2); buf is the data's address (or a cffi pointer)."""
        return self._syscall("send", s, buf, length, flags)

    def sendto(self, s: int, buf, length: int, flags: int, to, tolen: int) -> int:
        """sendto(2); buf and to (a sockaddr) are addresses or cffi pointers."""
        return self._syscall("sendto", s, buf, length, flags, to, tolen)

    def recv(self, s: int, buf, length: int, flags: int = 0) -> int:
        """recv(2); returns the byte count, the data is at buf."""
        return self._syscall("recv", s, buf, length, flags)

    def recvfrom(self, s: int, buf, length: int, flags: int, frm, fromlenaddr) -> int:
        """recvfrom(2); the sender's sockaddr goes to frm, its length to *fromlenaddr."""
        return self._syscall("recvfrom", s, buf, length, flags, frm,
                             fromlenaddr)

    def bind(self, s: int, name, namelen: int) -> None:
        """bind(2); name is a sockaddr's address (or a cffi pointer)."""
        self._syscall("bind", s, name, namelen)

    def connect(self, s: int, name, namelen: int) -> None:
        """connect(2); name is a sockaddr's address (or a cffi pointer)."""
        self._syscall("connect", s, name, namelen)

    def getsockname(self, s: int, name, namelenaddr) -> None:
        """getsockname(2); *namelenaddr (an int) is the room at name, then the length."""
        self._syscall("getsockname", s, name, namelenaddr)

    def getpeername(self, s: int, name, namelenaddr) -> None:
        """getpeername(2); as getsockname, for the connected peer."""
        self._syscall("getpeername", s, name, namelenaddr)

    def shutdown(self, s: int, how: int) -> None:
        """shutdown(2): how is 0 (no more receives), 1 (sends) or 2 (both)."""
        self._syscall("shutdown", s, how)

    def sendmsg(self, s: int, msg, flags: int = 0) -> int:
        """sendmsg(2); msg is a ``struct msghdr`` (its address or a cffi pointer)."""
        return self._syscall("sendmsg", s, msg, flags)

    def recvmsg(self, s: int, msg, flags: int = 0) -> int:
        """recvmsg(2); the kernel fills the ``struct msghdr`` at msg and its buffers."""
        return self._syscall("recvmsg", s, msg, flags)

    def setsockopt(self, s: int, level: int, name: int, val, valsize: int) -> None:
        """setsockopt(2); val is the value's address (or a cffi pointer), None for none."""
        self._syscall("setsockopt", s, level, name, val, valsize)

    def getsockopt(self, s: int, level: int, name: int, val, valsizeaddr) -> None:
        """getsockopt(2); *valsizeaddr (an int) is the room at val, then the length."""
        self._syscall("getsockopt", s, level, name, val, valsizeaddr)


class Local(SysCalls):
    """System calls into the kernel booted in this process, as process p."""

    def __init__(self, p):
        from kern.init_sysent import SYS, syscall, sysent
        from kern.kern_synch import kernel_lock
        self.p = p
        self.personality = p.p_personality
        self._entry = {name: (code, sysent[code][2]) for name, code in SYS.items()}
        self._trap = syscall
        self._errmap = errno_map(p.p_personality)
        self._lock = kernel_lock
        self._owned = {}        # id -> (object, window) of the owned arguments seen lately

    def _syscall(self, name, *args):
        """Trap into the kernel; cffi arguments become addresses, owned ones windows.

        The arguments reach the kernel as kernd decodes a remote call's:
        each of its entry's C type (an int keeps its low 32 bits, signed),
        missing ones zero, extra ones dropped.  Small non-negative ints,
        the common case, are the same in every type and go straight in.
        """
        code, types = self._entry[name]
        if len(args) == len(types):
            for a in args:
                if a.__class__ is not int or not 0 <= a <= 0x7FFFFFFF:
                    break
            else:
                with self._lock:
                    error, value = self._trap(self.p, code, args)
                if error:
                    self._raise_native(error)
                return value
        return self._windowed(code, types, args)

    def _windowed(self, code, types, args):
        """_syscall's general path: arguments to their C types, and memory
        the caller owns (ffi.new, ffi.from_buffer) mapped while the call
        runs, so the kernel's copies there are a plain memmove (LocalVM
        windows)."""
        out, wins = [], []
        owned = self._owned
        if len(args) != len(types):
            args = (tuple(args) + (0,) * len(types))[:len(types)]
        for a in args:
            c = a.__class__
            if c is int:
                out.append(a if 0 <= a <= 0x7FFFFFFF else _word(a, types[len(out)]))
            elif c in _OWNING:
                hit = owned.get(id(a))
                if hit is None or hit[0] is not a:
                    if len(owned) > 64:         # (the cache holds its objects alive)
                        owned.clear()
                    hit = owned[id(a)] = (a, _window(a))
                w = hit[1]
                wins.append(w)
                out.append(w[0])
            else:
                out.append(_word(_addr(a), types[len(out)]))
        vm = self.p.p_vm
        vm.wins = wins
        try:
            with self._lock:
                error, value = self._trap(self.p, code, tuple(out))
        finally:
            vm.wins = ()
        if error:
            self._raise_native(error)
        return value

    def _raise_native(self, error: int):
        e = self._errmap.get(error, error)
        raise SysError(e, errstr(e, self.personality))


def _word(a: int, t: str) -> int:
    """An int as the kernel receives an argument of type t: int, u_int or a pointer."""
    if t == "i":
        return ((a + 0x80000000) & 0xFFFFFFFF) - 0x80000000
    if t == "I":
        return a & 0xFFFFFFFF
    return a & 0xFFFFFFFFFFFFFFFF


def _window(obj):
    """(address, end, char *) of the bytes a cffi object owns."""
    base = _ffi.cast("char *", obj)
    lo = int(_ffi.cast("uintptr_t", base))
    return lo, lo + len(_ffi.buffer(obj)), base


_ffi = headers.native.ffi
# cffi's classes of memory a cdata owns: ffi.new's and ffi.from_buffer's
_OWNING = (type(_ffi.new("char[1]")), type(_ffi.from_buffer(bytearray(1))))


def errno_map(personality: str) -> dict:
    """Native errno -> the personality's number (identity for native)."""
    if personality == "native":
        return {}
    native, other = headers.load("native"), headers.load(personality)
    out = {}
    for name in dir(native):
        if name.startswith("E") and name.isupper() and isinstance(getattr(native, name), int):
            if hasattr(other, name):
                out[getattr(native, name)] = getattr(other, name)
    return out


def attach(uid: int = 0, gid: int = 0, personality: str = "native", pid: int | None = None,
           comm: str = "local") -> Local:
    """Enter a new process into the local kernel and return its system calls."""
    from kern import kern_proc
    p = kern_proc.newproc(pid, uid, gid, personality=personality, comm=comm)
    return Local(p)
