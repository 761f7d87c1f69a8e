"""kernd: the kernel server.

One kernd process runs one booted kernel (kern/init_main.py, with the
real clock) and serves its system calls to any number of client
processes over a Unix-domain stream socket, ``sock`` in the kernel's run
directory (kern/rundir.py).  It is QNX io-pkt's resource manager and
NetBSD's rump sysproxy at once (seed 001, "Network manager"): programs
link a small stub (kern/sysproxy/client.py) and their system calls
travel as messages (kern/sysproxy/protocol.py, man/man8/kernd.8).

Each connection is one process of the kernel (``RemoteProc``), served
by one thread: the thread is that process's kernel stack.  It reads a
CALL, takes ``kernel_lock``, runs the call, releases the lock and sends
the RETURN.  A call that must wait sleeps in tsleep, which releases the
lock, so other processes' calls, the clock and the network go on; the
sleeping thread also watches its connection, so a client that goes away
or is interrupted by a signal ends the sleep with EINTR.  User memory
is the client's: the arguments the kernel will surely read come with
the CALL (its windows), and anything else is pulled or pushed while
the call runs (COPYIN, COPYOUT), during which the lock is released as
for a page fault.

The process's credentials come from the socket (SO_PEERCRED): the user
who booted the kernel, and root, are the kernel's root; anyone else
keeps their own uid and meets ``suser()``.  When a client goes, its
process exits (kern_proc.exit1): its descriptors are closed and its
sockets freed.

Start it with ``netkern boot`` (kern/sysproxy/netkern.py); run directly
it is ``python -m kern.sysproxy.kernd NAME [-c CONFIG] [-f]``.
"""

import errno
import fcntl
import os
import select
import shutil
import signal
import socket
import struct
import sys
import threading
import time
import traceback

from kern import rundir
from kern.sysproxy import protocol as P

HALT_WAIT = 5.0            # seconds halt waits for connection threads


class Halt(Exception):
    """Raised in the main thread to stop the server."""


# ---------------------------------------------------------------------------
# Processes of remote clients


def remote_proc_class():
    """The proc subclass of the kernel server's processes (defined after boot imports)."""
    from kern import kern_proc

    class RemoteProc(kern_proc.proc):
        """A process whose program is a client at the other end of a connection."""

        def __init__(self, pid, uid, gid, conn=None, **kw):
            super().__init__(pid, uid, gid, vm=RemoteVM(conn), **kw)
            self.p_conn = conn

        def p_block(self, sleep, catch):
            """tsleep's wait: on the connection, which also watches for the client's INTR."""
            return self.p_conn.block(sleep, catch)

        def p_unblock(self, sleep):
            """wakeup's half of p_block."""
            self.p_conn.unblock()

    return RemoteProc


class RemoteVM:
    """The user address space of a remote process, seen from the kernel.

    copyin and copyout are served from the CALL's windows when they
    cover the range (a copyout into an OUT window is kept and sent with
    the RETURN, since the kernel's last act of such a call is that
    copyout); anything else is a round trip to the client, which uses
    its own safe copy, so a bad address is a fault the client reports.
    """

    __slots__ = ("conn", "wins", "writes", "wbytes")

    def __init__(self, conn):
        self.conn = conn
        self.wins = ()          # [addr, end, flags, base pointer] per window
        self.writes = []        # deferred copyouts: (uaddr, bytes)
        self.wbytes = 0         # their total size

    def copyin(self, uaddr: int, kbuf, n: int) -> bool:
        """copyin for the kernel: from the CALL's windows, else a COPYIN round trip."""
        for lo, hi, flags, base in self.wins:
            if lo <= uaddr and uaddr + n <= hi:
                if base is not None:            # W_IN, and its bytes came
                    ffi.memmove(kbuf, base + (uaddr - lo), n)
                    return True
                if flags & P.W_FAULT:
                    return False
        return self.conn.pull(uaddr, kbuf, n)

    def copyout(self, kbuf, uaddr: int, n: int) -> bool:
        """copyout for the kernel: kept for the RETURN when an OUT window covers it, else a COPYOUT round trip."""
        wins = self.wins
        for lo, hi, flags, _ in wins:
            if flags & P.W_OUT and lo <= uaddr and uaddr + n <= hi \
                    and self.wbytes + n <= P.MAXMSG // 2:
                self.writes.append((uaddr, ffi.buffer(kbuf, n)[:]))
                self.wbytes += n
                for v in wins:                  # later copyins see what was written
                    if v[3] is not None and v[0] <= uaddr and uaddr + n <= v[1]:
                        ffi.memmove(v[3] + (uaddr - v[0]), kbuf, n)
                return True
        return self.conn.push(kbuf, uaddr, n)


# ---------------------------------------------------------------------------
# One connection


class Conn:
    """One client connection: its process, its reader, and its thread's loop."""

    def __init__(self, server, sock):
        self.server = server
        self.sock = sock
        self.fd = sock.fileno()
        self.reader = P.Reader(sock, P.SERVER_SPIN)
        self.rbase = ffi.from_buffer(self.reader.buf)
        self.evfd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self.poller = select.poll()
        self.poller.register(self.fd, select.POLLIN)
        self.poller.register(self.evfd, select.POLLIN)
        self.p = None
        self.vm = None
        self.decoders, self.nosys = server.decoders, server.nosys
        self.gone = False       # the client went away or broke the protocol
        self.unpolled = False   # its socket is no longer polled in sleeps
        self.sigpending = False  # an INTR arrived: the next sleep ends in EINTR
        self.errmap = {}

    # -- the thread
    def serve(self) -> None:
        """Handshake, then serve calls until the client goes; then exit1 its process."""
        try:
            if self.handshake():
                self.loop()
        except (EOFError, ConnectionError):
            pass
        except P.ProtocolError as e:
            self.server.log(f"kernd: {self.who()}: protocol error: {e}; disconnected")
        except OSError as e:
            if not self.server.halting:
                self.server.log(f"kernd: {self.who()}: {e.strerror}; disconnected")
        finally:
            self.cleanup()

    def who(self) -> str:
        """The connection's process, for log messages."""
        return f"pid {self.p.p_pid} ({self.p.p_comm})" if self.p else f"fd {self.fd}"

    def loop(self) -> None:
        """Serve the client's CALLs until it goes away."""
        read = self.reader.read
        while not self.gone:
            type_, aux, off, length = read()
            if type_ == P.T_CALL:
                self.call(aux, off, length)
            elif type_ != P.T_INTR:     # an INTR after its call ended is moot
                raise P.ProtocolError(f"unexpected {P.TYPENAMES.get(type_, type_)}")

    def handshake(self) -> bool:
        """Check the client's HELLO and make its process; False if refused."""
        type_, version, off, length = self.reader.read()
        buf = self.reader.buf
        if type_ != P.T_HELLO or length < P.HELLO.size:
            raise P.ProtocolError("expected HELLO")
        _, _, _, magic, pid, pgrp, pers = P.HELLO.unpack_from(buf, off)
        comm = bytes(buf[off + P.HELLO.size:off + length])[:P.MAXCOMM].decode("utf-8", "replace")
        if magic != P.MAGIC:
            return self.refuse("netkern: not a sysproxy client (bad magic)")
        if version != P.VERSION:
            return self.refuse(f'netkern: kernel "{self.server.name}" speaks sysproxy '
                               f'protocol {P.VERSION}, this program speaks {version}')
        if pers >= len(P.PERSONALITIES):
            return self.refuse(f"netkern: unknown personality {pers}")
        cpid, cuid, cgid = struct.unpack("3i", self.sock.getsockopt(
            socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        uid, gid = (0, 0) if cuid in (0, self.server.owner) else (cuid, cgid)
        personality = P.PERSONALITIES[pers]
        from kern import kern_proc
        from kern.syscalls import errno_map
        with kernel_lock:
            self.p = kern_proc.newproc(pid if pid > 0 else cpid, uid, gid, cls=self.server.procclass,
                                       conn=self, pgrp=pgrp if pgrp > 0 else None,
                                       personality=personality, comm=comm or "?",
                                       hostpid=cpid)
        self.vm = self.p.p_vm
        self.errmap = errno_map(personality)
        self.sock.sendall(P.welcome(os.getpid(), self.p.p_pid, uid, gid))
        return True

    def refuse(self, text: str) -> bool:
        """Log and send a REFUSE; the connection ends."""
        self.server.log(f"kernd: fd {self.fd}: refused: {text}")
        try:
            self.sock.sendall(P.refuse(text))
        except OSError:
            pass
        return False

    def cleanup(self) -> None:
        """The client is gone: its process exits, the connection closes."""
        from kern import kern_proc
        self.gone = True
        if self.p is not None and not self.server.halted:
            with kernel_lock:
                if not self.server.halted:
                    kern_proc.exit1(self.p)
        self.server.forget(self)
        self.sock.close()
        os.close(self.evfd)

    # -- one system call
    def call(self, code: int, off: int, length: int) -> None:
        """Decode a CALL, run it under the kernel lock, send the RETURN.

        This is the path every remote system call takes, so it is kept
        to one decode, the call, and one send.
        """
        buf = self.reader.buf
        end = off + length
        nargs, nwin = _NARGS.unpack_from(buf, off + P.HDRSIZE)
        pos = off + P.CALL.size
        argend = pos + 8 * nargs
        if nargs > P.MAXARGS or nwin > P.MAXWIN or argend > end:
            raise P.ProtocolError(f"CALL of {length} bytes with {nargs} arguments, "
                                  f"{nwin} windows")
        decode, want = self.decoders.get(code, self.nosys)
        if nargs >= want:
            args = decode.unpack_from(buf, pos)
        else:                                   # missing words read as zero
            args = decode.unpack(bytes(buf[pos:argend]) + bytes(8 * (want - nargs)))
        vm = self.vm
        if nwin:
            vm.wins = self.windows(buf, argend, end, nwin)
        elif argend != end:
            raise P.ProtocolError("CALL longer than its arguments")
        else:
            vm.wins = ()
        try:
            with kernel_lock:
                error, value = syscall(self.p, code, args)
        except Panic:
            self.server.panicked()
            raise EOFError("panic") from None
        except Exception:
            # A kernel bug: logged with its traceback, and the call fails
            # rather than take every other process down with it.
            self.server.log(f"kernd: {self.who()}: system call {code}: internal error\n"
                            f"{traceback.format_exc()}")
            error, value = EIO, 0
        self.sigpending = False
        if error:
            error = self.errmap.get(error, error)
        writes = vm.writes
        if not writes:
            self.sock.sendall(_RETURN.pack(_RETURN.size, P.T_RETURN, 0, error, 0, value))
        elif len(writes) == 1:                  # an ioctl's argument coming back
            uaddr, data = writes[0]
            vm.writes, vm.wbytes = [], 0
            self.sock.sendall(_RETURN1.pack(_RETURN1.size + len(data), P.T_RETURN, 0, error, 1,
                                            value, uaddr, len(data), 0) + data)
        else:
            self.reply(error, value, writes)

    def windows(self, buf, pos: int, end: int, nwin: int):
        """The CALL's windows: [lo, hi, flags, pointer to their bytes or None] each."""
        wins = []
        for _ in range(nwin):
            if pos + _REGION.size > end:
                raise P.ProtocolError("CALL shorter than its windows")
            addr, wlen, flags = _REGION.unpack_from(buf, pos)
            pos += _REGION.size
            if flags & P.W_IN and not flags & P.W_FAULT:
                wins.append([addr, addr + wlen, flags, self.rbase + pos])
                pos += wlen
            else:
                wins.append([addr, addr + wlen, flags if flags & P.W_IN else flags & ~P.W_FAULT,
                             None])
        if pos != end:
            raise P.ProtocolError("CALL length does not match its windows")
        return wins

    def reply(self, error: int, value: int, writes) -> None:
        """A RETURN carrying the copyouts kept for the call's OUT windows."""
        vm = self.vm
        vm.writes, vm.wbytes = [], 0
        parts = [b""]
        for uaddr, data in writes:
            parts.append(P.REGION.pack(uaddr, len(data), 0))
            parts.append(data)
        body = b"".join(parts)
        self.sock.sendall(_RETURN.pack(_RETURN.size + len(body), P.T_RETURN, 0, error,
                                       len(writes), value) + body)

    # -- user memory beyond the windows (the lock is released meanwhile)
    def pull(self, uaddr: int, kbuf, n: int) -> bool:
        """COPYIN round trips: n bytes of the client's memory at uaddr into kbuf."""
        dst = ffi.cast("char *", kbuf)
        return self.roundtrip(lambda done, cnt: self._pull1(uaddr + done, dst + done, cnt), n)

    def push(self, kbuf, uaddr: int, n: int) -> bool:
        """COPYOUT round trips: n bytes at kbuf into the client's memory at uaddr."""
        src = ffi.cast("char *", kbuf)
        return self.roundtrip(lambda done, cnt: self._push1(src + done, uaddr + done, cnt), n)

    def roundtrip(self, piece, n: int) -> bool:
        """Move n bytes in MAXCHUNK pieces with the kernel lock released; False on a fault or hang-up."""
        if self.gone:
            return False
        kernel_lock.release()
        try:
            self.detach()
            done = 0
            while done < n:
                cnt = min(n - done, P.MAXCHUNK)
                if not piece(done, cnt):
                    return False
                done += cnt
            return True
        except (EOFError, OSError, P.ProtocolError) as e:
            if isinstance(e, P.ProtocolError):
                self.server.log(f"kernd: {self.who()}: protocol error: {e}; disconnected")
            self.gone = True
            return False
        finally:
            kernel_lock.acquire()

    def _pull1(self, uaddr, dst, cnt) -> bool:
        self.sock.sendall(P.REQ.pack(P.REQ.size, P.T_COPYIN, 0, uaddr, cnt, 0))
        aux, off, length = self.answer(P.T_DATA)
        if not aux:
            return False
        if length != P.HDRSIZE + cnt:
            raise P.ProtocolError(f"DATA of {length - P.HDRSIZE} bytes for {cnt}")
        ffi.memmove(dst, self.rbase + (off + P.HDRSIZE), cnt)
        return True

    def _push1(self, src, uaddr, cnt) -> bool:
        self.sock.sendall(P.REQ.pack(P.REQ.size + cnt, P.T_COPYOUT, 0, uaddr, cnt, 0)
                          + ffi.buffer(src, cnt)[:])
        aux, _, _ = self.answer(P.T_ACK)
        return bool(aux)

    def answer(self, want: int):
        """The client's answer to a COPYIN/COPYOUT; an INTR on the way is remembered."""
        while True:
            type_, aux, off, length = self.reader.read()
            if type_ == want:
                return aux, off, length
            if type_ != P.T_INTR:
                raise P.ProtocolError(f"{P.TYPENAMES.get(type_, type_)} instead of "
                                      f"{P.TYPENAMES[want]}")
            self.sigpending = True

    def own_windows(self) -> None:
        """Copy the windows' bytes out of the reader's buffer, before it is reused."""
        for w in self.vm.wins:
            if w[3] is not None and not isinstance(w[3], _Owned):
                w[3] = _Owned(bytearray(ffi.buffer(w[3], w[1] - w[0])))

    def detach(self) -> None:
        """Before a round trip: own the windows' bytes, and send the copyouts kept so
        far, so that the client's memory is current."""
        vm = self.vm
        self.own_windows()
        writes, vm.writes, vm.wbytes = vm.writes, [], 0
        for uaddr, data in writes:
            if not self._push1(ffi.from_buffer(data), uaddr, len(data)):
                self.server.log(f"kernd: {self.who()}: late fault at {uaddr:#x}")

    # -- sleeping (tsleep's p_block/p_unblock for this process)
    def block(self, sleep, catch: bool) -> bool:
        """Wait for the end of this sleep; True if a signal or the client's end interrupts it."""
        while not sleep.done:
            if not self.gone and self.reader.pending():
                self.incoming()             # read along with the CALL: no poll will see it
            if catch and (self.sigpending or self.gone):
                return True
            events = self.poller.poll()
            for fd, ev in events:
                if fd == self.evfd:
                    try:
                        os.eventfd_read(self.evfd)
                    except BlockingIOError:
                        pass
                elif not self.gone:
                    self.incoming()
            if self.gone and not self.unpolled:
                self.poller.unregister(self.fd)     # stop polling a dead socket
                self.unpolled = True
        return False

    def incoming(self) -> None:
        """A message while the call sleeps: only INTR is allowed."""
        self.own_windows()
        try:
            type_, _, _, _ = self.reader.read()
        except (EOFError, OSError):
            self.gone = True
            return
        except P.ProtocolError as e:
            self.server.log(f"kernd: {self.who()}: protocol error: {e}; disconnected")
            self.gone = True
            return
        if type_ == P.T_INTR:
            self.sigpending = True
        else:
            self.server.log(f"kernd: {self.who()}: {P.TYPENAMES.get(type_, type_)} during a "
                            f"call; disconnected")
            self.gone = True

    def unblock(self) -> None:
        """Wake this connection's sleeping call (its eventfd)."""
        os.eventfd_write(self.evfd, 1)


class _Owned:
    """A window's bytes copied out of the reader's buffer, with a pointer to them."""

    __slots__ = ("data", "ptr")

    def __init__(self, data: bytearray):
        self.data = data
        self.ptr = ffi.from_buffer(data)

    def __add__(self, n: int):
        return self.ptr + n


_NARGS = struct.Struct("=HH")
_RETURN = P.RETURN
_REGION = P.REGION
_RETURN1 = struct.Struct(P.RETURN.format + P.REGION.format.lstrip("="))    # with one write
EIO = errno.EIO
# The kernel's names, bound by Server.boot (importing them is booting's business).
ffi = kernel_lock = syscall = Panic = None


# ---------------------------------------------------------------------------
# The server


class Server:
    """A booted kernel and the socket it serves on."""

    def __init__(self, name: str, config_path: str | None, foreground: bool):
        self.name = rundir.name(name)
        self.config_path = config_path
        self.config = None
        self.foreground = foreground
        self.dir = rundir.path(self.name)
        self.owner = os.getuid()
        self.conns = set()
        self.lock = threading.Lock()
        self.halting = self.halted = False
        self.status = 0
        self.taps = {}          # interface name -> the pcap file its tap writes (netkern tap)
        self.logf = None
        self.pidf = None
        self.listener = None

    # -- logging
    def console(self, text: str) -> None:
        """The kernel's console: the log file, and the terminal with -f."""
        self.logf.write(text)
        self.logf.flush()
        if self.foreground:
            sys.stderr.write(text)
            sys.stderr.flush()

    def log(self, line: str) -> None:
        """A message of the server's own (not the kernel's): the log only."""
        self.console(line if line.endswith("\n") else line + "\n")

    # -- start
    def lock_rundir(self) -> None:
        """Take the run directory: create it, and hold a lock on ``pid`` for life.

        The lock is how a running kernel is told from a stale run
        directory left by a killed one (kern/rundir.py running_pid).
        """
        if self.config_path:
            try:
                with open(self.config_path) as f:
                    self.config = f.read()
            except OSError as e:
                raise SystemExit(f"netkern: {self.config_path}: {e.strerror}") from None
        self.created = not os.path.isdir(self.dir)
        try:
            os.makedirs(self.dir, mode=0o755, exist_ok=True)
            fd = os.open(os.path.join(self.dir, "pid"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                         0o644)
        except OSError as e:
            raise SystemExit(f"netkern: {e.filename}: {e.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SystemExit(f'netkern: kernel "{self.name}" is already running '
                             f'(pid {rundir.running_pid(self.name)})') from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.pidf = fd

    def boot(self) -> None:
        """Boot the kernel in this process, its console on the log."""
        global ffi, kernel_lock, syscall, Panic
        from kern import init_main, init_sysent, kern_synch, subr_prf
        from kern.headers import native as h
        ffi, kernel_lock = h.ffi, kern_synch.kernel_lock
        syscall, Panic = init_sysent.syscall, subr_prf.Panic
        self.logf = open(os.path.join(self.dir, "log"), "w", buffering=1)
        if os.environ.get("NETKERN_TEST_HOOKS") == "1":
            init_sysent.enable_test_hooks()
        from kern import config
        source = self.config_path or "GENERIC"
        try:
            conf = config.parse(self.config, source) if self.config is not None else None
            init_main.boot(conf, self.dir, clock="real", console=self.console)
        except config.ConfigError as e:
            if self.created:            # nothing worth keeping: a kernel never ran here
                shutil.rmtree(self.dir, ignore_errors=True)
            msg = str(e)
            raise SystemExit(f"netkern: {msg if msg.startswith(source) else f'{source}: {msg}'}") \
                from None
        self.procclass = remote_proc_class()
        self.decoders = {code: (_decoder(types), len(types))
                         for code, (_, _, types) in init_sysent.sysent.items()}
        self.nosys = (_decoder(""), 0)

    def listen(self) -> None:
        """Make the run directory's socket, open to every user (credentials decide)."""
        path = os.path.join(self.dir, "sock")
        try:
            os.unlink(path)             # stale: we hold the run directory's lock
        except FileNotFoundError:
            pass
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        os.chmod(path, 0o666)           # anyone may call; credentials decide what
        s.listen(128)
        self.listener = s

    # -- run
    def serve(self) -> int:
        """Accept connections until halted; return the exit status."""
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._halt_signal)
        signal.signal(signal.SIGIO, signal.SIG_IGN)       # BSD's default: ignore
        signal.signal(signal.SIGURG, signal.SIG_IGN)
        signal.signal(signal.SIGUSR1, self._trace_signal)  # netkern trace NAME on
        signal.signal(signal.SIGUSR2, self._trace_signal)  # ... off
        signal.signal(signal.SIGWINCH, self._tap_signal)   # netkern tap: the file taps changed
        try:
            while True:
                self.accept()
        except Halt:
            pass
        self.halt()
        return self.status

    def accept(self) -> None:
        """Take one connection and give it a thread; running out of either is logged."""
        try:
            sock, _ = self.listener.accept()
        except OSError as e:            # EMFILE and the like: try again shortly
            self.log(f"kernd: accept: {e.strerror}")
            time.sleep(0.1)
            return
        conn = None
        try:
            conn = Conn(self, sock)
            with self.lock:
                self.conns.add(conn)
            threading.Thread(target=conn.serve, name=f"kernd-{conn.fd}", daemon=True).start()
        except (OSError, RuntimeError) as e:
            self.log(f"kernd: no room for another process: {e}")
            if conn is not None:
                conn.cleanup()
            else:
                sock.close()

    def _trace_signal(self, signum, frame):
        """Start (SIGUSR1) or stop (SIGUSR2) the packet trace into the file ``trace``."""
        from kern import pktrace
        if pktrace.active():
            pktrace.stop()
            self._tracefile.close()
        if signum == signal.SIGUSR1:
            self._tracefile = open(os.path.join(self.dir, "trace"), "a", buffering=1)
            pktrace.start(self._tracefile)

    def _tap_signal(self, signum, frame):
        """Make the open taps those the file ``taps`` lists; say how in ``taps.status``.

        Each line of taps is an interface and the pcap file its tap
        writes (netkern tap); a tap not listed is closed.  taps.status
        gets a line per listed tap: the interface and 0 or an errno.
        """
        from kern.headers import native as h
        from kern.net import bpf, if_
        want = rundir.read_table(os.path.join(self.dir, "taps"))
        status = {}
        with kernel_lock:
            for name, path in list(self.taps.items()):
                if want.get(name) != path:
                    bpf.bpf_close(if_.ifunit(name.encode()))
                    del self.taps[name]
            for name, path in want.items():
                error = 0
                if name not in self.taps:
                    ifp = if_.ifunit(name.encode())
                    error = bpf.bpf_open(ifp, path) if ifp != ffi.NULL else h.ENXIO
                    if not error:
                        self.taps[name] = path
                status[name] = error
        rundir.write_table(os.path.join(self.dir, "taps.status"), status)

    def _halt_signal(self, signum, frame):
        if not self.halting:
            raise Halt()

    def forget(self, conn) -> None:
        """A connection has ended: drop it from the server's set."""
        with self.lock:
            self.conns.discard(conn)

    def panicked(self) -> None:
        """A system call panicked the kernel: stop the whole server."""
        self.status = 2
        os.kill(os.getpid(), signal.SIGTERM)

    def halt(self) -> None:
        """Stop cleanly: no new clients, disconnect the others, shut the kernel down."""
        from kern import init_main
        self.halting = True
        self.listener.close()
        for name in ("sock",):
            try:
                os.unlink(os.path.join(self.dir, name))
            except FileNotFoundError:
                pass
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + HALT_WAIT
        while self.conns and time.monotonic() < deadline:
            time.sleep(0.01)
        if kernel_lock.acquire(timeout=HALT_WAIT):
            self.halted = True          # held to the end: no thread runs kernel code again
            init_main.shutdown()
        else:
            self.log("kernd: a system call would not finish; halting without shutdown")
            self.halted = True
        self.log(f"kernd: kernel \"{self.name}\" halted")
        os.ftruncate(self.pidf, 0)


def _decoder(types: str) -> struct.Struct:
    """A Struct taking each 8-byte argument word as its C type.

    An int is the low four bytes of its word (the word is in host
    order), so a value too wide for it is cut as C would cut it.
    """
    little = sys.byteorder == "little"
    fmt = {"i": "i4x" if little else "4xi", "I": "I4x" if little else "4xI", "p": "Q"}
    return struct.Struct("=" + "".join(fmt[t] for t in types))


USAGE = "usage: kernd name [-c config] [-f]\n"


def main(argv=None) -> int:
    """kernd NAME [-c CONFIG] [-f]: boot the kernel NAME and serve it."""
    import getopt
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        opts, args = getopt.gnu_getopt(argv, "c:f")
    except getopt.GetoptError:
        sys.stderr.write(USAGE)
        return 1
    if len(args) > 1:
        sys.stderr.write(USAGE)
        return 1
    opts = dict(opts)
    server = Server(args[0] if args else None, opts.get("-c"), "-f" in opts)
    server.lock_rundir()
    server.boot()
    server.listen()
    if not server.foreground:
        # Daemon: the terminal that started us may be gone soon.
        null = os.open(os.devnull, os.O_RDWR)
        logfd = server.logf.fileno()
        os.dup2(null, 0)
        os.dup2(logfd, 1)
        os.dup2(logfd, 2)
        os.close(null)
    return server.serve()


if __name__ == "__main__":
    sys.exit(main())
