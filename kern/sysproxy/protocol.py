"""The sysproxy wire protocol: message layouts and framing.

One Unix-domain stream connection carries one process's system calls to
the kernel server (kern/sysproxy/kernd.py) and their answers back, in
the manner of NetBSD's rump sysproxy: the client sends a request per
system call, and while the kernel serves it the kernel may ask the
client for user memory (COPYIN) or give it some (COPYOUT) before the
final RETURN.  man/man8/kernd.8 documents every layout below; this
module is the one place they are written, for both ends.

Every message starts with the same 8-byte header, in the host's byte
order (both ends are on one host)::

    uint32 length     of the whole message, this header included
    uint16 type       T_* below
    uint16 aux        a small per-type value (version, syscall number, ok)

A *region* names user memory: ``uint64 addr, uint32 len, uint32 flags``
(16 bytes), followed by ``len`` bytes of data when the message carries
them.  Nothing here imports the kernel, so a client that only speaks
the protocol starts fast.
"""

import _socket
import struct
import time

VERSION = 1
MAGIC = b"NKSP"

HDRSIZE = 8
MAXMSG = 1 << 18          # the largest message either end accepts
MAXCHUNK = 1 << 16        # COPYIN/COPYOUT move user memory in pieces this big
MAXARGS = 8               # system-call argument words in a CALL
MAXWIN = 8                # argument windows in a CALL
MAXCOMM = 16              # bytes of program name in a HELLO (MAXCOMLEN)

# Message types.
T_HELLO = 1               # client: who I am          aux = protocol version
T_WELCOME = 2             # server: you are in        aux = protocol version
T_REFUSE = 3              # server: you are not       aux = protocol version; text follows
T_CALL = 4                # client: a system call     aux = syscall number
T_RETURN = 5              # server: its result
T_COPYIN = 6              # server: send me user memory
T_DATA = 7                # client: here it is        aux = 1, or 0 for a fault
T_COPYOUT = 8             # server: store this in user memory
T_ACK = 9                 # client: stored            aux = 1, or 0 for a fault
T_INTR = 10               # client: a signal interrupts the call in progress

TYPENAMES = {v: k for k, v in globals().items() if k.startswith("T_")}

# Window flags (a CALL's regions).
W_IN = 0x1                # the kernel may read it: its bytes follow
W_OUT = 0x2               # the kernel's writes into it come back in RETURN
W_FAULT = 0x4             # the client could not read it: copyin is EFAULT

PERSONALITIES = ("native", "svr4")

HDR = struct.Struct("=IHH")
HELLO = struct.Struct("=IHH4siiB3x")          # + comm
WELCOME = struct.Struct("=IHHiiII")           # kernd pid, p_pid, uid, gid
CALL = struct.Struct("=IHHHH")                # + nargs x int64 + windows
RETURN = struct.Struct("=IHHiIq")             # errno, nwrite, value + writes
REGION = struct.Struct("=QII")
REQ = struct.Struct("=IHHQII")                # COPYIN/COPYOUT header + region
ARG = struct.Struct("=q")
ARGS = [struct.Struct("=%dq" % n) for n in range(MAXARGS + 1)]


class ProtocolError(Exception):
    """A message that breaks the protocol; the connection ends."""


def hello(pid: int, pgrp: int, personality: str, comm: str, version: int | None = None) -> bytes:
    """The client's first message."""
    name = comm.encode("utf-8", "replace")[:MAXCOMM]
    return HELLO.pack(HELLO.size + len(name), T_HELLO, VERSION if version is None else version,
                      MAGIC, pid, pgrp,
                      PERSONALITIES.index(personality)) + name


def welcome(kpid: int, pid: int, uid: int, gid: int) -> bytes:
    """The server's answer to an acceptable HELLO."""
    return WELCOME.pack(WELCOME.size, T_WELCOME, VERSION, kpid, pid, uid, gid)


def refuse(text: str) -> bytes:
    """The server's answer to an unacceptable HELLO."""
    body = text.encode("utf-8", "replace")[:MAXMSG - HDRSIZE]
    return HDR.pack(HDRSIZE + len(body), T_REFUSE, VERSION) + body


def simple(type_: int, aux: int = 0, body: bytes = b"") -> bytes:
    """A message that is a header and an optional body (DATA, ACK, INTR)."""
    return HDR.pack(HDRSIZE + len(body), type_, aux) + body


# How long a reader polls before it sleeps in recv.  A sleeping reader
# is woken by the scheduler, and across two CPUs (a virtual machine's
# above all) that wake-up is most of a round trip: polling briefly keeps
# the answer on a running CPU.  The client polls through a typical system
# call's kernel time; kernd polls through the short gap in which a client
# prepares its next call, then sleeps so that idle connections cost
# nothing.  (Linux's SO_BUSY_POLL does this inside the kernel, for
# network devices only.)
CLIENT_SPIN = 200e-6
SERVER_SPIN = 50e-6

_now = time.perf_counter
_DONTWAIT = _socket.MSG_DONTWAIT


class Reader:
    """Whole messages from a stream socket, through one reused buffer.

    ``read()`` returns (type, aux, offset, length) of the next message,
    which lies at ``buf[offset:offset + length]`` until the next read.
    A length outside HDRSIZE..MAXMSG, or the end of the stream in the
    middle of a message, is a ProtocolError; the end of the stream
    between messages is EOFError.
    """

    __slots__ = ("sock", "buf", "view", "start", "end", "spin")

    def __init__(self, sock, spin: float = 0.0):
        self.sock = sock
        self.buf = bytearray(2 * MAXMSG)
        self.view = memoryview(self.buf)
        self.start = self.end = 0
        self.spin = spin

    def read(self):
        """The next whole message: (type, aux, offset, length) into buf, reading the socket as needed."""
        buf = self.buf
        while True:
            have = self.end - self.start
            if have >= HDRSIZE:
                length, type_, aux = HDR.unpack_from(buf, self.start)
                if length < HDRSIZE or length > MAXMSG:
                    raise ProtocolError(f"message length {length}")
                if have >= length:
                    off = self.start
                    self.start += length
                    if self.start == self.end:
                        self.start = self.end = 0
                    return type_, aux, off, length
            if self.end + MAXMSG > len(buf):       # make room: move the part read
                buf[:have] = buf[self.start:self.end]
                self.start, self.end = 0, have
            n = self.recv(self.view[self.end:])
            if n == 0:
                if self.end > self.start:
                    raise ProtocolError(f"truncated message ({self.end - self.start} bytes)")
                raise EOFError("connection closed")
            self.end += n

    def recv(self, into) -> int:
        """The socket's recv_into, polling for up to self.spin seconds before it sleeps."""
        if self.spin:
            sock, deadline = self.sock, _now() + self.spin
            while True:
                try:
                    return sock.recv_into(into, 0, _DONTWAIT)
                except BlockingIOError:
                    if _now() >= deadline:
                        break
        return self.sock.recv_into(into)

    def pending(self) -> bool:
        """True if bytes of a further message are already buffered."""
        return self.end > self.start
