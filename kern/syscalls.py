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
    """The system calls of one process.  Subclasses provide _syscall."""

    personality = "native"

    def _syscall(self, name: str, *args) -> int:
        raise NotImplementedError

    def _raise(self, native_errno: int):
        raise SysError(native_errno, errstr(native_errno, self.personality))

    # -- descriptors and processes
    def close(self, fd: int) -> None:
        self._syscall("close", fd)

    def ioctl(self, fd: int, cmd: int, arg=None) -> int:
        """ioctl(2); arg is the argument's address (or a cffi pointer)."""
        return self._syscall("ioctl", fd, cmd & 0xFFFFFFFF, _addr(arg))

    def fcntl(self, fd: int, cmd: int, arg: int = 0) -> int:
        return self._syscall("fcntl", fd, cmd, arg)

    def getpid(self) -> int:
        return self._syscall("getpid")

    def getuid(self) -> int:
        return self._syscall("getuid")

    def geteuid(self) -> int:
        return self._syscall("geteuid")

    def setuid(self, uid: int) -> None:
        self._syscall("setuid", uid)

    # -- descriptor multiplexing
    def select(self, nd: int, readfds=None, writefds=None, exceptfds=None, timeout=None) -> int:
        """select(2); the sets (``fd_set *``) and timeout (``struct timeval *``) are
        addresses or cffi pointers, None for NULL.  Returns the ready count."""
        return self._syscall("select", nd, _addr(readfds), _addr(writefds),
                             _addr(exceptfds), _addr(timeout))

    def poll(self, fds, nfds: int, timeout: int = -1) -> int:
        """poll(2) over ``struct pollfd[nfds]`` at fds; timeout in ms, -1 (INFTIM) for none."""
        return self._syscall("poll", _addr(fds), nfds, timeout)

    # -- sockets
    def socket(self, domain: int, type: int, protocol: int = 0) -> int:
        return self._syscall("socket", domain, type, protocol)

    def send(self, s: int, buf, length: int, flags: int = 0) -> int:
        """send(2); buf is the data's address (or a cffi pointer)."""
        return self._syscall("send", s, _addr(buf), length, flags)

    def sendto(self, s: int, buf, length: int, flags: int, to, tolen: int) -> int:
        """sendto(2); buf and to (a sockaddr) are addresses or cffi pointers."""
        return self._syscall("sendto", s, _addr(buf), length, flags, _addr(to), tolen)

    def recv(self, s: int, buf, length: int, flags: int = 0) -> int:
        """recv(2); returns the byte count, the data is at buf."""
        return self._syscall("recv", s, _addr(buf), length, flags)

    def recvfrom(self, s: int, buf, length: int, flags: int, frm, fromlenaddr) -> int:
        """recvfrom(2); the sender's sockaddr goes to frm, its length to *fromlenaddr."""
        return self._syscall("recvfrom", s, _addr(buf), length, flags, _addr(frm),
                             _addr(fromlenaddr))


class Local(SysCalls):
    """System calls into the kernel booted in this process, as process p."""

    def __init__(self, p):
        from kern.init_sysent import SYS, syscall
        from kern.kern_synch import kernel_lock
        self.p = p
        self.personality = p.p_personality
        self._codes = SYS
        self._trap = syscall
        self._errmap = errno_map(p.p_personality)
        self._lock = kernel_lock
        self._warg = self._window = None   # the last owned argument and its extent

    def _syscall(self, name, *args):
        with self._lock:
            error, value = self._trap(self.p, self._codes[name], args)
        if error:
            e = self._errmap.get(error, error)
            raise SysError(e, errstr(e, self.personality))
        return value

    def ioctl(self, fd: int, cmd: int, arg=None) -> int:
        """ioctl(2), trusting the argument object itself when the caller owns it."""
        if type(arg) is _OWNED:
            if arg is not self._warg:
                t = _ffi.typeof(arg)
                size = _ffi.sizeof(arg) if t.kind == "array" else _ffi.sizeof(t.item)
                base = _ffi.cast("char *", arg)
                self._warg, self._window = arg, (int(_ffi.cast("uintptr_t", base)), size, base)
            vm = self.p.p_vm
            vm.set_window(*self._window)
            try:
                return self._syscall("ioctl", fd, cmd & 0xFFFFFFFF, vm.wlo)
            finally:
                vm.clear_window()
        return self._syscall("ioctl", fd, cmd & 0xFFFFFFFF, _addr(arg))


_ffi = headers.native.ffi
_OWNED = type(_ffi.new("char[1]"))   # cffi's class of memory owned by a cdata


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
