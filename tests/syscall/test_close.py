"""close(2) of sockets: soclose, the pcb and everything queued are freed."""

from kern.headers import native as h
from kern.netinet import udp_usrreq

from udpkit import SIN, audit_clean, fails, kmem_in_use, lo, sendto, sin, udp  # noqa: F401

ffi = h.ffi


def _pcbs():
    head = udp_usrreq.udb
    n, inp = 0, head.inp_next
    while inp != head:
        n, inp = n + 1, inp.inp_next
    return n


def test_close_frees_the_socket_the_pcb_and_queued_datagrams(lo):
    from kern import uipc_mbuf as mb
    tx = udp(lo)
    sendto(lo, tx, b"warm", 9)                       # (the route cache is filled)
    base, free = kmem_in_use(), mb.mbstat.m_mtypes[h.MT_FREE]
    s = udp(lo, 5000)
    for _ in range(3):
        sendto(lo, tx, b"x" * 100, 5000)
    assert mb.mbstat.m_mtypes[h.MT_FREE] < free
    lo.close(s)
    assert kmem_in_use() == base and _pcbs() == 1
    assert mb.mbstat.m_mtypes[h.MT_FREE] == free
    assert audit_clean()


def test_close_of_a_connected_socket_disconnects_and_frees_the_route(lo):
    base = kmem_in_use()
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    lo.close(s)
    assert kmem_in_use() == base and audit_clean()


def test_close_twice_is_EBADF(lo):
    s = udp(lo)
    lo.close(s)
    fails(h.EBADF, lo.close, s)


def test_close_frees_the_port(lo):
    lo.close(udp(lo, 5000))
    udp(lo, 5000)


def test_close_with_SO_LINGER_of_a_datagram_socket_does_not_wait(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    lg = ffi.new("struct linger *")
    lg.l_onoff, lg.l_linger = 1, 30
    lo.setsockopt(s, h.SOL_SOCKET, h.SO_LINGER, lg, ffi.sizeof(lg[0]))
    lo.close(s)
