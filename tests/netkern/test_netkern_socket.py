"""netkern.socket: the standard socket interface over a kernel in this process.

The kernel here runs the real clock (timeouts are waited for in the
kernel's poll); the remote use, by client processes of kernd, is in
tests/sysproxy/test_udp_remote.py.
"""

import pytest

from kern import init_main, syscalls
from kern.syscalls import SysError
from netkern import socket

from tests.conftest import configure


@pytest.fixture
def sc(tmp_path):
    init_main.boot(None, str(tmp_path / "run"), clock="real")
    sc = syscalls.attach(uid=0, comm="nksock")
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    yield sc
    init_main.shutdown()


def pair(sc):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, sc=sc)
    b = socket.socket(sc=sc)
    b.bind(("127.0.0.1", 0))
    return a, b


def test_constants_are_the_kernels():
    assert (socket.AF_INET, socket.SOCK_DGRAM, socket.SOCK_RAW) == (2, 2, 3)
    assert socket.EWOULDBLOCK == 35 and socket.ECONNREFUSED == 61
    assert socket.SOL_SOCKET == 0xFFFF and socket.IPPROTO_UDP == 17
    assert socket.INADDR_BROADCAST == 0xFFFFFFFF


def test_a_datagram_there_and_back(sc):
    a, b = pair(sc)
    assert a.sendto(b"ping", b.getsockname()) == 4
    data, peer = b.recvfrom(64)
    assert data == b"ping" and peer == ("127.0.0.1", a.getsockname()[1])
    b.sendto(b"pong", peer)
    assert a.recv(64) == b"pong"


def test_addresses_in_every_form(sc):
    s = socket.socket(sc=sc)
    s.bind(("", 5000))
    assert s.getsockname() == ("0.0.0.0", 5000)
    t = socket.socket(sc=sc)
    t.connect(("localhost", 5000))
    assert t.getpeername() == ("127.0.0.1", 5000)
    u = socket.socket(sc=sc)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    u.connect(("<broadcast>", 520))
    assert u.getpeername() == ("10.0.0.255", 520)


def test_bad_addresses(sc):
    s = socket.socket(sc=sc)
    with pytest.raises(socket.gaierror):
        s.bind(("no.such.host", 1))
    with pytest.raises(OverflowError):
        s.bind(("", 70000))
    with pytest.raises(TypeError):
        s.bind("127.0.0.1")


def test_errors_are_the_expected_classes_with_the_kernels_errno(sc, tmp_path):
    s = socket.socket(sc=sc)
    s.setblocking(False)
    s.bind(("127.0.0.1", 5000))
    with pytest.raises(BlockingIOError) as e:
        s.recv(10)
    assert e.value.errno == socket.EWOULDBLOCK and isinstance(e.value, SysError)
    assert e.value.strerror == "Operation would block"
    with pytest.raises(OSError) as e:
        socket.socket(sc=sc).bind(("127.0.0.1", 5000))
    assert e.value.errno == socket.EADDRINUSE and type(e.value) is SysError
    user = syscalls.attach(uid=1000, comm="user")
    with pytest.raises(PermissionError) as e:
        socket.socket(sc=user).bind(("127.0.0.1", 53))
    assert e.value.errno == socket.EACCES


def test_a_refused_peer_is_ConnectionRefusedError(sc):
    s = socket.socket(sc=sc)
    s.connect(("127.0.0.1", 9))
    s.send(b"anyone?")
    with pytest.raises(ConnectionRefusedError):
        s.recv(10)
    assert s.connect_ex(("127.0.0.1", 0)) == socket.EADDRNOTAVAIL


def test_timeouts(sc):
    a, b = pair(sc)
    assert b.gettimeout() is None and b.getblocking()
    b.settimeout(0.05)
    with pytest.raises(TimeoutError) as e:
        b.recvfrom(10)
    assert str(e.value) == "timed out" and e.value.errno is None
    a.sendto(b"in time", b.getsockname())
    assert b.recv(64) == b"in time"
    b.settimeout(0)
    assert not b.getblocking()
    with pytest.raises(ValueError):
        b.settimeout(-1)


def test_select_over_the_kernels_descriptors(sc):
    a, b = pair(sc)
    assert socket.select([b], [a], [], 0) == ([], [a], [])
    a.sendto(b"x", b.getsockname())
    assert socket.select([b, a], [], [], 0.5) == ([b], [], [])
    assert socket.select([b.fileno()], [], [], 0, sc=sc) == ([b.fileno()], [], [])


def test_select_refuses_sockets_of_two_processes(sc):
    other = syscalls.attach(uid=0)
    with pytest.raises(ValueError):
        socket.select([socket.socket(sc=sc), socket.socket(sc=other)], [], [], 0)


def test_recv_into_and_recvfrom_into(sc):
    a, b = pair(sc)
    a.sendto(b"abcdef", b.getsockname())
    buf = bytearray(10)
    n, peer = b.recvfrom_into(buf, 4)
    assert (n, bytes(buf[:4])) == (4, b"abcd") and peer[1] == a.getsockname()[1]
    a.sendto(b"xyz", b.getsockname())
    assert b.recv_into(buf) == 3 and buf[:3] == b"xyz"
    with pytest.raises(ValueError):
        b.recvfrom_into(buf, 11)


def test_sendmsg_and_recvmsg_with_control_data(sc):
    a, b = pair(sc)
    b.setsockopt(socket.IPPROTO_IP, socket.IP_RECVDSTADDR, 1)
    assert a.sendmsg([b"gat", b"her"], [], 0, b.getsockname()) == 6
    data, anc, flags, peer = b.recvmsg(4, 64)
    assert data == b"gath" and flags == socket.MSG_TRUNC
    assert anc == [(socket.IPPROTO_IP, socket.IP_RECVDSTADDR, socket.inet_aton("127.0.0.1"))]
    with pytest.raises(OSError) as e:                # UDP takes no control data
        a.sendmsg([b"x"], [(0, 1, b"abcd")], 0, b.getsockname())
    assert e.value.errno == socket.EINVAL


def test_socket_options(sc):
    s = socket.socket(sc=sc)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_DGRAM
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == 4096
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 9)
    assert s.getsockopt(socket.IPPROTO_IP, socket.IP_TTL, 4) == (9).to_bytes(4, "little")
    lg = (1).to_bytes(4, "little") + (5).to_bytes(4, "little")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, lg)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)[4:] == (5).to_bytes(4, "little")


def test_shutdown_and_close(sc):
    a, b = pair(sc)
    b.shutdown(socket.SHUT_RD)
    assert b.recv(10) == b""
    with b:
        pass
    assert b.fileno() == -1
    with pytest.raises(OSError) as e:
        b.recv(10)
    assert e.value.errno == socket.EBADF
    fd = a.detach()
    assert a.fileno() == -1 and socket.socket(fileno=fd, sc=sc).getsockname()[1] == 0


def test_an_svr4_process_is_refused(sc):
    with pytest.raises(ValueError):
        socket.socket(sc=syscalls.attach(uid=0, personality="svr4"))
