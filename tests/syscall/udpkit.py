"""Helpers of the socket system-call tests: UDP sockets over lo0 on the in-process kernel.

``lo`` (a fixture) is the root process of a kernel whose lo0 is
127.0.0.1; ``sin`` builds a sockaddr_in, ``udp`` a socket (bound if a
port is given), ``recv`` reads one datagram without waiting, and
``fails`` runs a call that must fail with an errno.  A test that expects
a datagram never blocks: it reads with MSG_DONTWAIT.
"""

import socket
import threading
import time

import pytest

from tests.conftest import configure
from kern import kern_malloc
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import route
from kern.syscalls import SysError

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")
INT = ffi.sizeof("int")
NB = h.MSG_DONTWAIT
BAD = 8                      # an address no process has mapped


@pytest.fixture
def lo(sc):
    configure(sc, b"lo0", "127.0.0.1")
    return sc


def addr(dotted: str) -> int:
    return int.from_bytes(socket.inet_aton(dotted), "little")


def sin(dotted="127.0.0.1", port=0, family=h.AF_INET):
    s = ffi.new("struct sockaddr_in *")
    s.sin_family = family
    s.sin_addr.s_addr = addr(dotted)
    s.sin_port = socket.htons(port)
    return s


def udp(sc, port=None, dotted="0.0.0.0", reuse=False):
    """A UDP socket, with SO_REUSEADDR if asked, bound if a port is given."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    if reuse:
        setint(sc, s, h.SOL_SOCKET, h.SO_REUSEADDR, 1)
    if port is not None:
        sc.bind(s, sin(dotted, port), SIN)
    return s


def setint(sc, s, level, name, value):
    sc.setsockopt(s, level, name, ffi.new("int *", value), INT)


def getint(sc, s, level, name):
    v, n = ffi.new("int *"), ffi.new("int *", INT)
    sc.getsockopt(s, level, name, v, n)
    return v[0]


def sendto(sc, s, data: bytes, port: int, dotted="127.0.0.1", flags=0):
    return sc.sendto(s, ffi.from_buffer(data), len(data), flags, sin(dotted, port), SIN)


def recv(sc, s, n=2048, flags=0):
    """(data, (address, port)) of one datagram, without waiting."""
    buf, frm, fl = ffi.new("char[]", max(n, 1)), ffi.new("struct sockaddr_in *"), \
        ffi.new("int *", SIN)
    k = sc.recvfrom(s, buf, n, flags | NB, frm, fl)
    return ffi.buffer(buf, k)[:], (socket.inet_ntoa(frm.sin_addr.s_addr.to_bytes(4, "little")),
                                   socket.ntohs(frm.sin_port))


def name_of(sc, s, peer=False):
    """(address, port) of getsockname (or getpeername)."""
    a, n = ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
    (sc.getpeername if peer else sc.getsockname)(s, a, n)
    return socket.inet_ntoa(a.sin_addr.s_addr.to_bytes(4, "little")), socket.ntohs(a.sin_port)


def fails(errno: int, call, *args):
    """Run a call that must fail with errno; return the SysError."""
    with pytest.raises(SysError) as e:
        call(*args)
    assert e.value.errno == errno, f"errno {e.value.errno} ({e.value.strerror}), not {errno}"
    return e.value


def socket_of(sc, s):
    return ffi.cast("struct socket *", sc.p.u_ofile[s].f_data)


def kmem_in_use():
    return tuple(kern_malloc.kmemstats[t].ks_inuse for t in (h.M_SOCKET, h.M_PCB))


def audit_clean() -> bool:
    with kernel_lock:
        return route.rt_audit() == []


def in_thread(fn):
    """Run fn in a thread; return (thread, results list: the value or the exception)."""
    out = []

    def run():
        try:
            out.append(fn())
        except Exception as e:              # the test looks at it
            out.append(e)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def wait_asleep(wmesg: str, timeout: float = 5.0):
    """Wait until some process sleeps with this wmesg."""
    from kern import kern_proc
    deadline = time.monotonic() + timeout
    while not any(p.p_wchan is not None and p.p_wchan.wmesg == wmesg
                  for p in list(kern_proc.allproc.values())):
        assert time.monotonic() < deadline, f"no process went to sleep in {wmesg}"
        time.sleep(0.005)
