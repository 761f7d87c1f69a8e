"""Random bind/connect/send/recv/close sequences on UDP sockets, against a small model.

Hypothesis plays a few sockets of one process over lo0.  The model
knows each socket's addresses from getsockname/getpeername (the kernel's
own answer to bind and connect), and from them predicts, by the lookup
rules of udp4_realinput (the connected 4-tuple first, then a bound
socket's exact address, then its wildcard), which socket each datagram
reaches.  Every datagram must then come out of exactly that socket, in
order, once -- or be accounted for by a counter: udps_noport when the
model has no receiver (and ECONNREFUSED on a connected sender),
udps_fullsock when the receiver's buffer had no room.  Closing drops
what a socket held.  After each sequence every socket is closed and the
pcbs, mbufs (mbstat), kmem (kmemstats) and route references
(rt_audit) are back where they started.
"""

import socket

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kern import kern_clock, kern_malloc, uipc_mbuf as mb
from kern.headers import native as h
from kern.kern_synch import kernel_lock
from kern.net import route
from kern.netinet import udp_usrreq
from kern.syscalls import SysError

from tests.conftest import configure

ffi = h.ffi
SIN = ffi.sizeof("struct sockaddr_in")
NSOCK = 3
PORTS = (0, 5000, 5001)
LOOP = int.from_bytes(socket.inet_aton("127.0.0.1"), "little")

sock_ix = st.integers(0, NSOCK - 1)
dport = st.sampled_from(PORTS[1:])
binds = st.tuples(st.just("bind"), sock_ix, st.sampled_from(PORTS), st.booleans(), st.booleans())
ops = st.one_of(
    binds,
    st.tuples(st.just("connect"), sock_ix, dport),
    st.tuples(st.just("sendto"), sock_ix, dport),
    st.tuples(st.just("burst"), sock_ix, dport),
    st.tuples(st.just("send"), sock_ix),
    st.tuples(st.just("recv"), sock_ix),
    st.tuples(st.just("drain"), sock_ix),
    st.tuples(st.just("close"), sock_ix),
    st.tuples(st.just("rcvbuf"), sock_ix, st.sampled_from([100, 41600])),
)
# A few bindings first, so that most sequences have someone to talk to.
programs = st.builds(lambda a, b: a + b, st.lists(binds, min_size=1, max_size=3),
                     st.lists(ops, min_size=5, max_size=40))


def sin(s_addr, port_):
    a = ffi.new("struct sockaddr_in *")
    a.sin_family, a.sin_addr.s_addr, a.sin_port = h.AF_INET, s_addr, socket.htons(port_)
    return a


class Sock:
    """The model of one socket: its descriptor, addresses, queue and pending error."""

    def __init__(self, sc):
        self.fd = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        self.queue = []          # (payload, source port), oldest first
        self.error = 0           # a pending so_error (ECONNREFUSED)
        self.sync(sc)

    def sync(self, sc):
        """The addresses as the kernel has them."""
        a, n = ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
        sc.getsockname(self.fd, a, n)
        self.laddr, self.lport = a.sin_addr.s_addr, socket.ntohs(a.sin_port)
        try:
            sc.getpeername(self.fd, a, n)
            self.peer = (a.sin_addr.s_addr, socket.ntohs(a.sin_port))
        except SysError:
            self.peer = None


def receiver(socks, sport, dport):
    """The socket a datagram 127.0.0.1:sport -> 127.0.0.1:dport reaches, or None."""
    for s in socks:
        if s.peer == (LOOP, sport) and s.lport == dport and s.laddr == LOOP:
            return s
    wild = None
    for s in socks:                        # (one exact binding at most; EADDRINUSE)
        if s.peer is None and s.lport == dport:
            if s.laddr == LOOP:
                return s
            if s.laddr == 0 and wild is None:
                wild = s
    return wild


def counters():
    st_ = udp_usrreq.udpstat
    return st_.udps_noport, st_.udps_fullsock


def in_use():
    used = {t: mb.mbstat.m_mtypes[t] for t in range(1, 32) if mb.mbstat.m_mtypes[t]}
    used["clusters"] = mb.mbstat.m_clusters - mb.mbstat.m_clfree
    return used, tuple(kern_malloc.kmemstats[t].ks_inuse for t in (h.M_SOCKET, h.M_PCB))


class Run:
    def __init__(self, sc):
        self.sc = sc
        self.socks = [Sock(sc) for _ in range(NSOCK)]
        self.serial = 0

    def expect_error(self, s):
        """A pending error is returned, and cleared, by the next send or empty receive."""
        e = s.error
        s.error = 0
        return e

    def do(self, op):
        sc, s = self.sc, self.socks[op[1]]
        kind = op[0]
        if kind == "bind":
            _, _, p, wildcard, reuse = op
            sc.setsockopt(s.fd, h.SOL_SOCKET, h.SO_REUSEADDR, ffi.new("int *", reuse), 4)
            try:
                sc.bind(s.fd, sin(0 if wildcard else LOOP, p), SIN)
            except SysError as e:
                assert e.errno in (h.EINVAL, h.EADDRINUSE)
            s.sync(sc)
        elif kind == "connect":
            # connect(2) returns (and clears) a pending error once it has connected,
            # as 4.3's connect reads so_error after soconnect.
            try:
                sc.connect(s.fd, sin(LOOP, op[2]), SIN)
                assert not s.error, "connect did not report the pending error"
            except SysError as e:
                if e.errno != h.EADDRINUSE:
                    assert e.errno == self.expect_error(s) != 0
            s.sync(sc)
        elif kind in ("sendto", "send"):
            self.send(s, kind, op[2] if kind == "sendto" else None)
        elif kind == "burst":                   # three at once: a small buffer fills
            for _ in range(3):
                self.send(s, "sendto", op[2])
        elif kind == "recv":
            self.recv(s)
        elif kind == "drain":                   # read every socket until it is empty
            for x in self.socks:
                for _ in range(len(x.queue) + 1):
                    self.recv(x)
        elif kind == "close":
            sc.close(s.fd)
            self.socks[op[1]] = Sock(sc)
        elif kind == "rcvbuf":
            sc.setsockopt(s.fd, h.SOL_SOCKET, h.SO_RCVBUF, ffi.new("int *", op[2]), 4)

    def send(self, s, kind, dport):
        sc = self.sc
        self.serial += 1
        payload = b"dgram %d" % self.serial
        buf = ffi.from_buffer(payload)
        before = counters()
        try:
            if kind == "sendto":
                sc.sendto(s.fd, buf, len(buf), 0, sin(LOOP, dport), SIN)
            else:
                sc.send(s.fd, buf, len(buf), 0)
        except SysError as e:
            pending = self.expect_error(s)
            if pending:
                assert e.errno == pending
            elif kind == "send":
                assert e.errno == h.EDESTADDRREQ and s.peer is None
            elif s.peer is not None:
                assert e.errno == h.EISCONN
            else:
                # sendto connects for the datagram: a connected socket may hold that 4-tuple
                assert e.errno == h.EADDRINUSE and self.taken(s, dport)
            return
        assert not self.expect_error(s), "a pending error was not reported"
        s.sync(sc)                          # (sendto may have bound an ephemeral port)
        if kind == "send":
            dport = s.peer[1]
        r = receiver(self.socks, s.lport, dport)
        noport, full = (a - b for a, b in zip(counters(), before))
        if r is None:
            assert (noport, full) == (1, 0), "no receiver, yet not counted as udps_noport"
            event("udps_noport")
            if s.peer is not None and s.peer[1] == dport:
                s.error = h.ECONNREFUSED
                event("ECONNREFUSED pending")
        elif full:
            assert (noport, full) == (0, 1)
            event("udps_fullsock")
        else:
            assert (noport, full) == (0, 0), "a datagram for a receiver went uncounted"
            r.queue.append((payload, s.lport))

    def taken(self, s, dport) -> bool:
        """Is (our local address, our port, 127.0.0.1, dport) some connected socket's?"""
        return any(x.peer == (LOOP, dport) and x.lport == s.lport
                   and x.laddr == (s.laddr or LOOP) for x in self.socks if x is not s)

    def recv(self, s):
        sc = self.sc
        buf, frm, fl = ffi.new("char[64]"), ffi.new("struct sockaddr_in *"), ffi.new("int *", SIN)
        try:
            n = sc.recvfrom(s.fd, buf, 64, h.MSG_DONTWAIT, frm, fl)
        except SysError as e:
            if s.queue:
                raise AssertionError(f"errno {e.errno} with {len(s.queue)} datagrams queued")
            pending = self.expect_error(s)
            assert e.errno == (pending or h.EWOULDBLOCK)
            return
        assert s.queue, "a datagram the model did not expect"
        event("received")
        assert (ffi.buffer(buf, n)[:], socket.ntohs(frm.sin_port)) == s.queue.pop(0)

    def finish(self):
        for s in self.socks:
            self.sc.close(s.fd)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(program=programs)
def test_no_datagram_is_lost_or_duplicated_unless_a_counter_says_why(sc, program):
    if not getattr(sc, "_configured", False):
        configure(sc, b"lo0", "127.0.0.1")
        sc._configured = True
    base = in_use()
    run = Run(sc)
    for op in program:
        run.do(op)
        kern_clock.tick_clock(1)            # (ICMP errors are rate-limited per millisecond)
    run.finish()
    head = udp_usrreq.udb
    assert head.inp_next == head and head.inp_prev == head
    assert in_use() == base
    with kernel_lock:
        assert route.rt_audit() == []
