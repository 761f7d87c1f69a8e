"""bind(2) on UDP sockets: the address and port rules of in_pcbbind (4.3BSD-Tahoe in_pcb.c)."""

import pytest

from kern.headers import native as h
from kern.netinet import in_pcb

from udpkit import BAD, SIN, fails, lo, name_of, recv, sendto, sin, udp  # noqa: F401

ffi = h.ffi


def test_bind_sets_the_local_address_and_port(lo):
    s = udp(lo, 5000, "127.0.0.1")
    assert name_of(lo, s) == ("127.0.0.1", 5000)


def test_bind_to_the_wildcard_address(lo):
    s = udp(lo, 5000)
    assert name_of(lo, s) == ("0.0.0.0", 5000)


def test_bind_port_0_takes_an_ephemeral_port_from_IPPORT_RESERVED_up(lo):
    a, b = udp(lo, 0), udp(lo, 0)
    assert name_of(lo, a)[1] == h.IPPORT_RESERVED
    assert name_of(lo, b)[1] == h.IPPORT_RESERVED + 1


def test_ephemeral_ports_skip_one_in_use(lo):
    udp(lo, h.IPPORT_RESERVED)
    assert name_of(lo, udp(lo, 0))[1] == h.IPPORT_RESERVED + 1


def test_ephemeral_ports_wrap_at_IPPORT_USERRESERVED(lo, monkeypatch):
    """A kernel with three ephemeral ports: after the last comes the first again."""
    monkeypatch.setattr(in_pcb, "IPPORT_USERRESERVED", h.IPPORT_RESERVED + 2)
    ports = [name_of(lo, udp(lo, 0))[1] for _ in range(3)]
    assert ports == [1024, 1025, 1026]


def test_no_ephemeral_port_left_is_EAGAIN(lo, monkeypatch):
    """Tahoe looped for ever; NetBSD's answer is EAGAIN, and the socket stays unbound."""
    monkeypatch.setattr(in_pcb, "IPPORT_USERRESERVED", h.IPPORT_RESERVED + 1)
    udp(lo, 0)
    udp(lo, 0)
    s = udp(lo)
    fails(h.EAGAIN, lo.bind, s, sin("0.0.0.0", 0), SIN)
    assert name_of(lo, s) == ("0.0.0.0", 0)


def test_ephemeral_port_search_looks_for_an_exact_match_only(lo, monkeypatch):
    """Tahoe's search asks for the very local address being bound: a port held by a
    wildcard socket is still free for a specific address."""
    monkeypatch.setattr(in_pcb, "IPPORT_USERRESERVED", h.IPPORT_RESERVED)
    udp(lo, 0)
    assert name_of(lo, udp(lo, 0, "127.0.0.1")) == ("127.0.0.1", h.IPPORT_RESERVED)


def test_bind_the_broadcast_address_of_an_interface(sc):
    from tests.conftest import configure
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    s = udp(sc, 520, "10.0.0.255")
    assert name_of(sc, s) == ("10.0.0.255", 520)


def test_bind_before_any_address_is_configured_is_EADDRNOTAVAIL(sc):
    s = udp(sc)
    fails(h.EADDRNOTAVAIL, sc.bind, s, sin("0.0.0.0", 5000), SIN)


def test_bind_an_address_that_is_not_ours_is_EADDRNOTAVAIL(lo):
    fails(h.EADDRNOTAVAIL, lo.bind, udp(lo), sin("10.9.9.9", 5000), SIN)


def test_bind_with_garbage_in_sin_zero_is_EADDRNOTAVAIL(lo):
    """4.3 compares all of sa_data, sin_zero included."""
    a = sin("127.0.0.1", 5000)
    a.sin_zero[3] = b"x"
    fails(h.EADDRNOTAVAIL, lo.bind, udp(lo), a, SIN)


def test_bind_does_not_check_the_family_of_a_wildcard_address(lo):
    """Tahoe does not check it: old programs left it unset (in_pcb.c)."""
    s = udp(lo)
    lo.bind(s, sin("0.0.0.0", 5000, family=0), SIN)
    assert name_of(lo, s) == ("0.0.0.0", 5000)


def test_bind_a_specific_address_of_another_family_is_EADDRNOTAVAIL(lo):
    """ifa_ifwithaddr compares the family with the address."""
    fails(h.EADDRNOTAVAIL, lo.bind, udp(lo), sin("127.0.0.1", 5000, family=0), SIN)


def test_bind_twice_is_EINVAL(lo):
    s = udp(lo, 5000)
    fails(h.EINVAL, lo.bind, s, sin("127.0.0.1", 5001), SIN)


def test_bind_after_sendto_bound_it_is_EINVAL(lo):
    s = udp(lo)
    sendto(lo, s, b"x", 9)
    fails(h.EINVAL, lo.bind, s, sin("127.0.0.1", 5001), SIN)


def test_bind_wrong_address_length_is_EINVAL(lo):
    fails(h.EINVAL, lo.bind, udp(lo), sin("127.0.0.1", 5000), SIN - 1)


def test_bind_address_longer_than_an_mbuf_is_EINVAL(lo):
    fails(h.EINVAL, lo.bind, udp(lo), ffi.new("char[]", 200), h.MLEN + 1)


def test_bind_negative_length_is_EINVAL(lo):
    fails(h.EINVAL, lo.bind, udp(lo), sin(), -1)


def test_bind_bad_address_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.bind, udp(lo), BAD, SIN)


def test_bind_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.bind, 9, sin(), SIN)


def test_reserved_port_needs_the_super_user(kernel, lo, user_sc):
    s = udp(user_sc)
    fails(h.EACCES, user_sc.bind, s, sin("127.0.0.1", 53), SIN)
    user_sc.bind(s, sin("127.0.0.1", h.IPPORT_RESERVED), SIN)


def test_root_may_bind_a_reserved_port(lo):
    assert name_of(lo, udp(lo, 53))[1] == 53


def test_same_port_same_address_is_EADDRINUSE(lo):
    udp(lo, 5000, "127.0.0.1")
    fails(h.EADDRINUSE, lo.bind, udp(lo), sin("127.0.0.1", 5000), SIN)


def test_same_port_same_address_is_EADDRINUSE_even_with_SO_REUSEADDR(lo):
    udp(lo, 5000, "127.0.0.1", reuse=True)
    fails(h.EADDRINUSE, lo.bind, udp(lo, reuse=True), sin("127.0.0.1", 5000), SIN)


def test_wildcard_overlap_is_EADDRINUSE_without_SO_REUSEADDR(lo):
    udp(lo, 5000)
    fails(h.EADDRINUSE, lo.bind, udp(lo), sin("127.0.0.1", 5000), SIN)


def test_SO_REUSEADDR_lets_a_specific_address_share_a_wildcard_port(lo):
    wild = udp(lo, 5000, reuse=True)
    exact = udp(lo, 5000, "127.0.0.1", reuse=True)
    sendto(lo, udp(lo), b"to 127.0.0.1", 5000)
    assert recv(lo, exact)[0] == b"to 127.0.0.1"
    fails(h.EWOULDBLOCK, recv, lo, wild)


def test_a_connected_socket_does_not_hold_its_port_against_SO_REUSEADDR(lo):
    a = udp(lo, 5000, "127.0.0.1")
    lo.connect(a, sin("127.0.0.1", 6000), SIN)
    b = udp(lo, 5000, "127.0.0.1", reuse=True)
    assert name_of(lo, b) == ("127.0.0.1", 5000)


def test_closing_frees_the_port(lo):
    s = udp(lo, 5000)
    lo.close(s)
    udp(lo, 5000)
