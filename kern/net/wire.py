"""Wires: virtual Ethernet hubs between the interfaces of one or more kernels.

A wire is a named hub.  Every station on it hears every frame another
station sends, as on a coaxial Ethernet; which frames a board keeps is
its own address filter's business (kern/net/if_le.py).  A station is a
running Ethernet board of some kernel, or a tool (a test, a capture)
that joins the wire directly.

There is no wire daemon.  A wire is a folder, and each station is a Unix
datagram socket in it::

    <dir of the kernel's run directory>/wires/<wire>/<pid>.<station>

so the wires of the named kernels of kern/rundir.py are in
``$XDG_RUNTIME_DIR/netkern/wires/`` (or ``/tmp/netkern-UID/wires/``),
shared by every kernel of the user, and a kernel booted in a private
folder (a test's) has private wires beside it.  Sending a frame is one
``sendto`` per other station in the folder; a station of this very
process gets the frame by a direct call instead (two boards of one
kernel on one wire), still asynchronously: it lands in that board's
receive ring and is taken at its next interrupt.

Cleaning up: a station unlinks its socket when it leaves the wire, and
every station of a process leaves at interpreter exit.  A kernel that
dies without leaving (SIGKILL) leaves a socket nobody reads; the first
station that sends to it gets ECONNREFUSED and unlinks it, and a station
joining a wire removes the sockets of processes that no longer exist.
The folder of a wire is removed when its last station leaves.

A receiver that does not keep up (its socket queue is full) makes the
medium look busy: the sender backs off and tries again, as CSMA/CD
does, counting a collision per retry, and gives the frame up for that
station after 16 attempts (an "excessive collisions" error).

Paths of sockets are limited to 108 bytes; a station therefore binds and
sends through ``/proc/self/fd/N/<name>``, N being a descriptor open on
the wire's folder, so deep folders work too.
"""

import atexit
import errno
import os
import random
import re
import socket
import time

MAXFRAME = 65536           # largest datagram a station reads (oversized frames arrive whole)
MAXATTEMPTS = 16           # tries per frame and station before giving up (lance RTRY)
SLOT = 51.2e-6             # the 10 Mb/s slot time, for the backoff
BACKOFF_LIMIT = 4          # at most 2**4 - 1 slots between two attempts
RCVBUF = 1 << 20
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_STATION = re.compile(r"(\d+)\.([A-Za-z0-9._-]+)")

_local = {}                # socket path -> Station, for the stations of this process


def check_name(wire: str) -> str | None:
    """An error message if wire is not a usable wire name, else None."""
    if not _NAME.fullmatch(wire) or wire in (".", ".."):
        return (f'bad wire name "{wire}" (1 to 64 letters, digits, ".", "_" or "-", '
                "starting with a letter or digit)")
    return None


def wires_dir(rundir: str) -> str:
    """The folder holding the wires of the kernel whose run directory is rundir."""
    return os.path.join(os.path.dirname(os.path.abspath(rundir)), "wires")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Station:
    """One attachment to a wire: a datagram socket in the wire's folder.

    ``input(frame)``, when given, receives the frames other stations of
    this process send (direct delivery); frames from other processes
    are read from the socket with ``recv``.
    """

    def __init__(self, wdir: str, wire: str, name: str, input=None):
        self.wire = wire
        self.dir = os.path.join(wdir, wire)
        self.name = f"{os.getpid()}.{name}"
        self.path = os.path.join(self.dir, self.name)
        self.input = input
        self._names, self._stamp = [], None
        for _ in range(3):            # a leaving station may remove the folder meanwhile
            os.makedirs(self.dir, mode=0o700, exist_ok=True)
            try:
                self._dirfd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
                break
            except FileNotFoundError:
                continue
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setblocking(False)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        except OSError:
            pass
        self._reap()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        self.sock.bind(self._via(self.name))
        _local[self.path] = self

    def _via(self, name: str) -> str:
        """A short path to a station's socket, through the folder's descriptor."""
        return f"/proc/self/fd/{self._dirfd}/{name}"

    def fileno(self) -> int:
        """The socket's descriptor, for select and poll."""
        return self.sock.fileno()

    def _reap(self) -> None:
        """Remove the sockets of processes that died without leaving the wire."""
        for name in os.listdir(self.dir):
            m = _STATION.fullmatch(name)
            if m and not _alive(int(m.group(1))):
                self._unlink(name)

    def _unlink(self, name: str) -> None:
        try:
            os.unlink(os.path.join(self.dir, name))
        except OSError:
            pass

    def stations(self) -> list:
        """The names of the other stations on the wire (cached until the folder changes)."""
        return [name for name, _, _ in self._peers()]

    def _peers(self) -> list:
        """(name, socket path, station of this process or None) of each other station.

        Read again only when the folder's modification time moves, that
        is, when a station joins or leaves.
        """
        try:
            stamp = os.stat(self._dirfd).st_mtime_ns
        except OSError:
            return []
        if stamp != self._stamp:
            self._stamp = stamp
            self._names = [(n, self._via(n), _local.get(os.path.join(self.dir, n)))
                           for n in os.listdir(self.dir) if n != self.name and _STATION.fullmatch(n)]
        return self._names

    def send(self, frame: bytes) -> tuple:
        """Put a frame on the wire; return (collisions, stations that missed it)."""
        collisions = lost = 0
        for name, via, peer in self._peers():
            if peer is not None:
                if peer.input is not None:
                    peer.input(frame)
                continue
            c, ok = self._sendto(name, via, frame)
            collisions += c
            lost += not ok
        return collisions, lost

    def _sendto(self, name: str, via: str, frame: bytes) -> tuple:
        """Deliver to one station of another process: (collisions, delivered)."""
        for attempt in range(MAXATTEMPTS):
            try:
                self.sock.sendto(frame, via)
                return attempt, True
            except BlockingIOError:
                # The station's queue is full: the medium is busy.  Back
                # off a random number of slot times, as Ethernet does.
                k = min(attempt + 1, BACKOFF_LIMIT)
                time.sleep(random.randrange(1 << k) * SLOT)
            except ConnectionRefusedError:
                self._unlink(name)           # its kernel died: tidy the wire
                self._stamp = None
                return 0, True
            except FileNotFoundError:
                self._stamp = None           # it left meanwhile
                return 0, True
            except OSError as e:
                if e.errno == errno.EMSGSIZE:
                    return 0, False
                raise
        return MAXATTEMPTS - 1, False

    def recv(self, limit: int = 64) -> list:
        """The frames waiting on the socket (from other processes), at most limit."""
        out = []
        while len(out) < limit:
            try:
                out.append(self.sock.recv(MAXFRAME))
            except (BlockingIOError, InterruptedError):
                break
        return out

    def close(self) -> None:
        """Leave the wire: unlink the socket; remove the folder if it is now empty."""
        if _local.pop(self.path, None) is None:
            return
        self.sock.close()
        self._unlink(self.name)
        os.close(self._dirfd)
        try:
            os.rmdir(self.dir)
        except OSError:
            pass


@atexit.register
def _leave_all() -> None:
    """At exit, every station of this process leaves its wire."""
    for st in list(_local.values()):
        try:
            st.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------
# The host on a wire: a Linux TAP device bridged to it.

TUNSETIFF = 0x400454CA          # <linux/if_tun.h>: _IOW('T', 202, int)
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def tap_open(name: str) -> int:
    """Open the Linux TAP device name (made if need be); its descriptor.

    Raises OSError when the host does not allow it (no /dev/net/tun, or
    not root / CAP_NET_ADMIN).
    """
    import fcntl
    import struct
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    return fd


def tap_bridge(wdir: str, wire: str, tapname: str, ready=None, stop=None) -> None:
    """Join the host's TAP device tapname to a wire, until stop() is true.

    Every frame the host sends on the TAP device goes on the wire, and
    every frame on the wire goes to the host, which filters by address
    as any board does.  The station is named ``tap.<tapname>``.
    """
    import select
    fd = tap_open(tapname)
    st = Station(wdir, wire, "tap." + tapname)
    try:
        if ready is not None:
            ready()
        while stop is None or not stop():
            readable, _, _ = select.select([fd, st], [], [], 0.2)
            if fd in readable:
                st.send(os.read(fd, MAXFRAME))
            if st in readable:
                for frame in st.recv():
                    try:
                        os.write(fd, frame)
                    except OSError:
                        pass            # the host refused it (down, too long): lost
    finally:
        st.close()
        os.close(fd)


def main(argv=None) -> int:
    """``python -m kern.net.wire tap WIRE TAPNAME [FOLDER]``: bridge the host to a wire.

    FOLDER is the wires folder, by default the one the named kernels of
    kern/rundir.py share.  Runs until interrupted or killed.
    """
    import sys
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (3, 4) or argv[0] != "tap" or check_name(argv[1]):
        sys.stderr.write("usage: python -m kern.net.wire tap wire tapname [folder]\n")
        return 1
    from kern import rundir
    wdir = argv[3] if len(argv) == 4 else wires_dir(rundir.path())
    try:
        tap_bridge(wdir, argv[1], argv[2], ready=lambda: print("ready", flush=True))
    except OSError as e:
        sys.stderr.write(f"wire: {argv[2]}: {e.strerror}\n")
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
