"""Internet address arithmetic: netinet/in.c on a booted kernel.

in_netof, in_lnaof, in_makeaddr, in_localaddr, in_broadcast, inet_hash,
inet_netmatch, in_canforward and in_iaonnetof, each against the
interfaces configured through the real ioctl path (4.3BSD-Tahoe in.c
7.9; ioctl reference, section 4.2).
"""

import socket

import pytest

from tests.conftest import configure, in_addr
from tests.rtutil import sockaddr_in as sa
from kern.headers import native as h
from kern.netinet import in_

ffi = h.ffi


def a(dotted: str) -> int:
    return in_addr(dotted)


def host(dotted: str) -> int:
    """A host-order integer (network numbers are kept so)."""
    return int.from_bytes(socket.inet_aton(dotted), "big")


@pytest.fixture
def subnetted(kernel, sc):
    """le0 10.0.0.1/24 and lo0 127.0.0.1."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    configure(sc, b"lo0", "127.0.0.1")


@pytest.mark.parametrize("addr, net", [("128.32.1.2", "128.32.0.0"), ("192.168.7.9", "192.168.7.0"),
                                       ("18.26.0.1", "18.0.0.0"), ("224.0.0.1", "0.0.0.0"),
                                       ("240.0.0.1", "0.0.0.0")])
def test_in_netof_classful(kernel, addr, net):
    assert in_.in_netof(a(addr)) == host(net)


def test_in_netof_uses_the_subnet_of_an_attached_net(subnetted):
    assert in_.in_netof(a("10.0.7.9")) == host("10.0.7.0")


def test_in_lnaof_within_the_subnet(subnetted):
    assert in_.in_lnaof(a("10.0.7.9")) == 9
    assert in_.in_lnaof(a("128.32.1.2")) == 0x0102
    assert in_.in_lnaof(a("224.1.2.3")) == host("224.1.2.3")


def test_in_makeaddr_with_the_subnet_mask(subnetted):
    assert in_.in_makeaddr(host("10.0.7.0"), 9) == a("10.0.7.9")
    assert in_.in_makeaddr(host("10.0.7.0"), h.INADDR_BROADCAST) == a("10.0.7.255")


def test_in_makeaddr_classful_for_a_foreign_net(subnetted):
    assert in_.in_makeaddr(host("128.32.0.0"), h.INADDR_BROADCAST) == a("128.32.255.255")


def test_in_localaddr_counts_other_subnets_of_an_attached_net(subnetted):
    """subnetsarelocal (Tahoe's default): 10.9.9.9 is local, 11.0.0.1 is not."""
    assert in_.in_localaddr(a("10.9.9.9")) == 1
    assert in_.in_localaddr(a("11.0.0.1")) == 0


@pytest.mark.parametrize("addr, yes", [
    ("10.0.0.255", 1),            # the subnet broadcast
    ("10.0.0.0", 1),              # old-style host 0 of the subnet
    ("255.255.255.255", 1),       # the limited broadcast
    ("0.0.0.0", 1),               # old-style limited broadcast
    ("10.255.255.255", 0),        # the classful net broadcast: ip_input's, not in_broadcast's
    ("10.0.0.1", 0),
    ("127.0.0.0", 0),             # the loopback is no broadcast interface
])
def test_in_broadcast(subnetted, addr, yes):
    assert in_.in_broadcast(a(addr)) == yes


def test_inet_hash_strips_trailing_zero_bytes_of_the_net(kernel):
    assert in_.inet_hash(sa("128.32.1.2")) == (host("128.32.1.2"), 0x8020)
    assert in_.inet_hash(sa("10.1.2.3")) == (host("10.1.2.3"), 0x0A)
    assert in_.inet_hash(sa("0.0.0.0")) == (0, 0)


def test_inet_netmatch_is_equal_in_netof(subnetted):
    assert in_.inet_netmatch(sa("10.0.0.7"), sa("10.0.0.200"))
    assert not in_.inet_netmatch(sa("10.0.0.7"), sa("10.0.1.7"))


@pytest.mark.parametrize("addr, yes", [("10.0.0.1", 1), ("128.32.1.1", 1), ("0.1.2.3", 0),
                                       ("127.0.0.1", 0), ("224.0.0.1", 0), ("250.1.1.1", 0)])
def test_in_canforward(kernel, addr, yes):
    """Net 0, the loopback net and classes D and E are never forwarded."""
    assert in_.in_canforward(a(addr)) == yes


def test_in_iaonnetof_finds_the_subnet(subnetted):
    ia = in_.in_iaonnetof(host("10.0.0.0"))
    assert ia != ffi.NULL and ia.ia_ifa.ifa_ifp.if_unit == 0
    assert in_.in_iaonnetof(host("10.0.1.0")) == ffi.NULL
