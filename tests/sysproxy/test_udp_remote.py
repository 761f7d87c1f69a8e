"""UDP through the kernel server: client processes exchange datagrams over real kernd kernels.

Every kernel is a real ``kernd`` (``netkern boot``), every program a
real process: the test itself, or Python children that use
``netkern.socket`` (the standard socket interface over the client stub).
Two kernels share a wire (``device le0 at wire``), each in the test's
private run directory.  Counters are read from the kernel's memory
through kvm, as netstat reads them.
"""

import os
import signal
import threading
import time

import pytest

from kern.headers import native as h
from kern.syscalls import SysError
from kern.sysproxy.client import connect
from netkern import socket

from nkhelp import child, set_address, wait_for

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")


def lo0(name):
    with connect(name) as sc:
        set_address(sc, b"lo0", "127.0.0.1")


def env(name):
    return dict(os.environ, NETKERN=name)


def udpstat(kernels, name) -> dict:
    kd = kernels.kvm(name)
    st = kd.symbol("_udpstat", "struct udpstat")
    return {f: getattr(st, f) for f, _ in ffi.typeof("struct udpstat").fields}


def sock(sc, port=None, host="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, sc=sc)
    if port is not None:
        s.bind((host, port))
    return s


ECHO = """
import sys
from netkern import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
data, peer = s.recvfrom(2048)
s.sendto(data.upper(), peer)
print(data.decode(), peer[0], flush=True)
"""

ASK = """
import sys
from netkern import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(20)
s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
data, peer = s.recvfrom(2048)
print(data.decode(), peer[0], peer[1], flush=True)
"""


def exchange(server_kernel, asker_kernel, host, text):
    """An echo server process and an asking process: (what the asker printed, the server)."""
    server = child(ECHO, host, 5000, env=env(server_kernel))
    assert server.stdout.readline() == "ready\n"
    asker = child(ASK, host, 5000, text, env=env(asker_kernel))
    out, err = asker.communicate(timeout=60)
    assert asker.returncode == 0, err
    sout, serr = server.communicate(timeout=60)
    assert server.returncode == 0, serr
    return out, sout


def test_two_client_processes_exchange_datagrams_over_lo0(kname):
    lo0(kname)
    out, sout = exchange(kname, kname, "127.0.0.1", "hello over lo0")
    assert out == "HELLO OVER LO0 127.0.0.1 5000\n"
    assert sout == "hello over lo0 127.0.0.1\n"


def two_kernels(kernels):
    """Kernels k1 (10.0.0.1) and k2 (10.0.0.2) on a wire of their own."""
    conf = ("options INET\npseudo-device loop\npseudo-device ether\n"
            f'device le0 at wire "udp{os.getpid()}"\n')
    for name, a in (("k1", "10.0.0.1"), ("k2", "10.0.0.2")):
        kernels.boot(name, conf)
        with connect(name) as sc:
            set_address(sc, b"lo0", "127.0.0.1")
            set_address(sc, b"le0", a)
    return "k1", "k2"


def test_two_clients_of_two_kernels_exchange_datagrams_across_a_wire(kernels):
    k1, k2 = two_kernels(kernels)
    out, sout = exchange(k1, k2, "10.0.0.1", "across the wire")
    assert out == "ACROSS THE WIRE 10.0.0.1 5000\n"
    assert sout == "across the wire 10.0.0.2\n"
    assert udpstat(kernels, k1)["udps_ipackets"] == 1
    assert udpstat(kernels, k2)["udps_opackets"] == 1


BCAST_LISTENER = """
import sys
from netkern import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 520))
s.settimeout(20)
print("ready", flush=True)
data, peer = s.recvfrom(2048)
print(data.decode(), peer[0], flush=True)
"""


def test_a_broadcast_reaches_every_bound_socket_in_several_processes(kernels):
    k1, k2 = two_kernels(kernels)
    listeners = [child(BCAST_LISTENER, host, env=env(k1)) for host in ("", "10.255.255.255")]
    for p in listeners:
        assert p.stdout.readline() == "ready\n"
    with connect(k2) as sc:
        s = sock(sc)
        with pytest.raises(PermissionError):           # EACCES without SO_BROADCAST
            s.sendto(b"to all", ("10.255.255.255", 520))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.sendto(b"to all", ("10.255.255.255", 520))
    for p in listeners:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert out == "to all 10.0.0.2\n"
    assert udpstat(kernels, k1)["udps_ipackets"] == 1


def test_MSG_PEEK_then_read(kname):
    lo0(kname)
    with connect(kname) as sc:
        rx, tx = sock(sc, 5000), sock(sc)
        tx.sendto(b"look, don't take", ("127.0.0.1", 5000))
        assert rx.recv(4, socket.MSG_PEEK) == b"look"
        assert rx.recvfrom(64, socket.MSG_PEEK)[0] == b"look, don't take"
        assert rx.recv(64) == b"look, don't take"
        rx.setblocking(False)
        with pytest.raises(BlockingIOError) as e:
            rx.recv(64)
        assert e.value.errno == socket.EWOULDBLOCK == 35


def test_recvmsg_with_a_short_buffer_sets_MSG_TRUNC(kname):
    """The iovecs are nested pointers: the kernel fills them with COPYOUT requests."""
    lo0(kname)
    with connect(kname) as sc:
        rx, tx = sock(sc, 5000), sock(sc)
        tx.sendto(b"0123456789", ("127.0.0.1", 5000))
        bufs = [ffi.new("char[3]"), ffi.new("char[4]")]
        iov = ffi.new("struct iovec[2]")
        for v, b in zip(iov, bufs):
            v.iov_base, v.iov_len = b, len(b)
        name = ffi.new("struct sockaddr_in *")
        msg = ffi.new("struct msghdr *")
        msg.msg_iov, msg.msg_iovlen = iov, 2
        msg.msg_name, msg.msg_namelen = ffi.cast("caddr_t", name), SIN
        assert sc.recvmsg(rx.fileno(), msg, 0) == 7
        assert ffi.buffer(bufs[0])[:] + ffi.buffer(bufs[1])[:] == b"0123456"
        assert msg.msg_flags == h.MSG_TRUNC and msg.msg_namelen == SIN
        assert socket.ntohs(name.sin_port) == tx.getsockname()[1]


def test_a_full_socket_buffer_counts_udps_fullsock(kname, kernels):
    lo0(kname)
    with connect(kname) as sc:
        rx, tx = sock(sc, 5000), sock(sc)
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        for _ in range(10):
            tx.sendto(b"x" * 1000, ("127.0.0.1", 5000))
        dropped = udpstat(kernels, kname)["udps_fullsock"]
        assert dropped > 0
        rx.setblocking(False)
        got = 0
        with pytest.raises(BlockingIOError):
            while True:
                rx.recv(2048)
                got += 1
        assert got + dropped == 10


def test_port_unreachable_gives_ECONNREFUSED_on_a_connected_socket(kname):
    lo0(kname)
    with connect(kname) as sc:
        s = sock(sc)
        s.connect(("127.0.0.1", 9))
        s.send(b"anyone?")
        with pytest.raises(ConnectionRefusedError) as e:
            s.recv(64)
        assert e.value.errno == socket.ECONNREFUSED == 61
        assert isinstance(e.value, SysError)


SIGIO_CLIENT = """
import os, signal, time
from kern.headers import native as h
from netkern import socket
got = []
signal.signal(signal.SIGIO, lambda *a: got.append(1))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
sc = socket.kernel()
sc.fcntl(s.fileno(), h.F_SETOWN, os.getpid())
sc.ioctl(s.fileno(), h.FIOASYNC, h.ffi.new("int *", 1))
print("ready", flush=True)
deadline = time.monotonic() + 20
while not got and time.monotonic() < deadline:
    time.sleep(0.01)
print("SIGIO" if got else "no signal", s.recv(64).decode(), flush=True)
"""


def test_FIOASYNC_delivers_a_real_SIGIO_to_the_client_process(kname):
    lo0(kname)
    p = child(SIGIO_CLIENT, env=env(kname))
    assert p.stdout.readline() == "ready\n"
    with connect(kname) as sc:
        sock(sc).sendto(b"wake up", ("127.0.0.1", 5000))
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out == "SIGIO wake up\n"


def test_select_wakes_on_arrival_and_on_timeout(kname):
    lo0(kname)
    with connect(kname) as sc, connect(kname) as other:
        rx = sock(sc, 5000)
        t0 = time.monotonic()
        assert socket.select([rx], [], [], 0.3) == ([], [], [])
        assert 0.28 <= time.monotonic() - t0 < 5
        result = []
        t = threading.Thread(target=lambda: result.append(socket.select([rx], [], [], 30)))
        t.start()
        time.sleep(0.2)
        assert t.is_alive()
        sock(other).sendto(b"arrived", ("127.0.0.1", 5000))
        t.join(10)
        assert result == [([rx], [], [])]
        assert rx.recv(64) == b"arrived"


def test_a_sleeping_recvfrom_does_not_block_another_clients_calls(kname):
    lo0(kname)
    a, b = connect(kname), connect(kname)
    try:
        rx = sock(a, 5000)
        got = []
        t = threading.Thread(target=lambda: got.append(rx.recvfrom(64)))
        t.start()
        time.sleep(0.2)
        tx = sock(b)
        t0 = time.monotonic()
        for _ in range(200):
            tx.getsockname()
        assert time.monotonic() - t0 < 10
        assert t.is_alive() and not got
        tx.sendto(b"now", ("127.0.0.1", 5000))
        t.join(10)
        assert got == [(b"now", ("127.0.0.1", tx.getsockname()[1]))]
    finally:
        a.close_connection()
        b.close_connection()


def test_a_client_that_exits_leaves_no_socket_behind(kname, kernels):
    from nkhelp import kmemstats, open_files
    lo0(kname)
    kd = kernels.kvm(kname)
    base = (kmemstats(kd)[h.M_SOCKET], kmemstats(kd)[h.M_PCB], open_files(kd))
    p = child("""
from netkern import socket
a = socket.socket(); a.bind(("127.0.0.1", 5000))
b = socket.socket(); b.connect(("127.0.0.1", 5000)); b.send(b"queued")
print("done", flush=True)
""", env=env(kname))
    out, err = p.communicate(timeout=60)
    assert out == "done\n", err
    wait_for(lambda: (kmemstats(kd)[h.M_SOCKET], kmemstats(kd)[h.M_PCB], open_files(kd)) == base,
             what="the client's sockets to be freed")


def test_recvfrom_with_a_bad_address_buffer_still_returns_the_datagram(kname):
    """As in-process (4.3's recvit): the kernel does not report the address's copyout."""
    lo0(kname)
    with connect(kname) as sc:
        rx, tx = sock(sc, 5000), sock(sc)
        tx.sendto(b"taken", ("127.0.0.1", 5000))
        buf, fl = ffi.new("char[16]"), ffi.new("int *", 16)
        assert sc.recvfrom(rx.fileno(), buf, 16, 0, 8, fl) == 5
        assert ffi.buffer(buf, 5)[:] == b"taken"
