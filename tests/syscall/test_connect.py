"""connect(2) on UDP sockets: soconnect and in_pcbconnect (kernel-paths reference, section 5.1)."""

from kern.headers import native as h
from kern.netinet import in_pcb

from udpkit import (BAD, SIN, audit_clean, fails, lo, name_of, recv, sendto, sin,  # noqa: F401
                    udp)

ffi = h.ffi


def test_connect_fixes_the_peer_and_picks_a_local_address_and_port(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    assert name_of(lo, s, peer=True) == ("127.0.0.1", 7)
    assert name_of(lo, s) == ("127.0.0.1", h.IPPORT_RESERVED)
    assert audit_clean()


def test_connected_socket_sends_with_send_and_hears_only_its_peer(lo):
    rx = udp(lo, 6000)
    peer = udp(lo, 7000)
    lo.connect(rx, sin("127.0.0.1", 7000), SIN)
    sendto(lo, peer, b"from the peer", 6000)
    sendto(lo, udp(lo), b"from a stranger", 6000)
    assert recv(lo, rx) == (b"from the peer", ("127.0.0.1", 7000))
    fails(h.EWOULDBLOCK, recv, lo, rx)


def test_connect_0_0_0_0_means_the_first_interface_address(lo):
    s = udp(lo)
    lo.connect(s, sin("0.0.0.0", 9), SIN)
    assert name_of(lo, s, peer=True) == ("127.0.0.1", 9)


def test_connect_255_255_255_255_means_the_broadcast_address_of_a_broadcast_interface(sc):
    from tests.conftest import configure
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    s = udp(sc)
    sc.connect(s, sin("255.255.255.255", 520), SIN)
    assert name_of(sc, s, peer=True) == ("10.0.0.255", 520)
    assert name_of(sc, s)[0] == "10.0.0.1"


def test_source_address_comes_from_the_routes_interface(sc):
    from tests.conftest import configure
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    s = udp(sc)
    sc.connect(s, sin("10.0.0.77", 53), SIN)
    assert name_of(sc, s)[0] == "10.0.0.1"


def test_connect_again_replaces_the_peer(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    lo.connect(s, sin("127.0.0.1", 9), SIN)
    assert name_of(lo, s, peer=True) == ("127.0.0.1", 9)
    assert name_of(lo, s)[1] == h.IPPORT_RESERVED     # the port stays


def test_connect_to_another_family_is_EAFNOSUPPORT_and_disconnects(lo):
    """soconnect disconnects first: connecting to AF_UNSPEC is how to dissolve."""
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    fails(h.EAFNOSUPPORT, lo.connect, s, sin("0.0.0.0", 0, family=h.AF_UNSPEC), SIN)
    fails(h.ENOTCONN, name_of, lo, s, True)
    assert name_of(lo, s) == ("0.0.0.0", h.IPPORT_RESERVED)


def test_connect_port_0_is_EADDRNOTAVAIL(lo):
    fails(h.EADDRNOTAVAIL, lo.connect, udp(lo), sin("127.0.0.1", 0), SIN)


def test_connect_with_no_address_configured_is_EADDRNOTAVAIL(sc):
    fails(h.EADDRNOTAVAIL, sc.connect, udp(sc), sin("127.0.0.1", 7), SIN)


def test_connect_the_same_4_tuple_twice_is_EADDRINUSE(lo):
    a = udp(lo, 5000, "127.0.0.1")
    lo.connect(a, sin("127.0.0.1", 6000), SIN)
    b = udp(lo, 5000, "127.0.0.1", reuse=True)
    fails(h.EADDRINUSE, lo.connect, b, sin("127.0.0.1", 6000), SIN)
    lo.connect(b, sin("127.0.0.1", 6001), SIN)


def test_connect_wrong_length_is_EINVAL(lo):
    fails(h.EINVAL, lo.connect, udp(lo), sin("127.0.0.1", 7), 8)


def test_connect_longer_than_an_mbuf_is_EINVAL(lo):
    fails(h.EINVAL, lo.connect, udp(lo), ffi.new("char[]", 200), h.MLEN + 1)


def test_connect_bad_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.connect, udp(lo), BAD, SIN)


def test_connect_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.connect, 5, sin("127.0.0.1", 7), SIN)


def test_connect_with_no_ephemeral_port_left_is_EAGAIN(lo, monkeypatch):
    monkeypatch.setattr(in_pcb, "IPPORT_USERRESERVED", h.IPPORT_RESERVED)
    udp(lo, 0)
    fails(h.EAGAIN, lo.connect, udp(lo), sin("127.0.0.1", 7), SIN)


def test_connect_keeps_one_route_reference_until_close(lo):
    s = udp(lo)
    lo.connect(s, sin("127.0.0.1", 7), SIN)
    assert audit_clean()
    lo.close(s)
    assert audit_clean()
