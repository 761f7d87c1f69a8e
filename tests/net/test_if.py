"""The interface registry: the ifnet list, name lookup, address lookups, up and down.

4.3BSD-Tahoe net/if.c, called directly on a booted kernel (the ioctl
files in tests/ioctl/ cover the same code through system calls).
"""

import pytest

from tests.conftest import configure, in_addr
from kern import config, kern_clock, ksyms
from kern.headers import native as h
from kern.net import if_, route
from kern import uipc_mbuf
from kern.uipc_mbuf import m_freem, m_get

ffi = h.ffi
KERNEL_CONFIG = config.GENERIC + "pseudo-device   sl 1\n"


def name(ifp) -> str:
    return if_.if_name(ifp) if ifp != ffi.NULL else None


def sa(dotted: str, family: int = h.AF_INET):
    """A struct sockaddr * (owning its memory) holding an Internet address."""
    p = ffi.new("struct sockaddr *")
    s = ffi.cast("struct sockaddr_in *", p)
    s.sin_family = family
    s.sin_addr.s_addr = in_addr(dotted)
    return p


def ifa_name(ifa) -> str:
    return name(ifa.ifa_ifp) if ifa != ffi.NULL else None


def set_peer(sc, local: str, remote: str):
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    r = ffi.new("struct ifreq *", {"ifr_name": b"sl0"})
    for cmd, dotted in ((h.SIOCSIFDSTADDR, remote), (h.SIOCSIFADDR, local)):
        sin = ffi.cast("struct sockaddr_in *", ffi.addressof(r.ifr_ifru, "ifru_addr"))
        sin.sin_family = h.AF_INET
        sin.sin_addr.s_addr = in_addr(dotted)
        sc.ioctl(s, cmd, r)
    sc.close(s)


# -- the list

def test_interfaces_are_listed_in_attach_order(kernel):
    assert [name(i) for i in if_.ifnet_list()] == ["le0", "lo0", "sl0"]


def test_if_attach_gives_the_default_send_queue_limit(kernel):
    assert all(i.if_snd.ifq_maxlen == h.IFQ_MAXLEN for i in if_.ifnet_list())


def test_ifnet_is_a_kernel_global_in_the_namelist(kernel):
    assert ffi.cast("struct ifnet **", ksyms.lookup("_ifnet"))[0] == next(if_.ifnet_list())


# -- ifunit

@pytest.mark.parametrize("text, found", [
    (b"lo0", "lo0"), (b"sl0", "sl0"), (b"l0", "le0"), (b"lo0x", "lo0"), (b"0", "le0"),
    (b"lo", None), (b"lo\x000", None), (b"x" * 16, None), (b"lo1", None), (b"", None),
])
def test_ifunit(kernel, text, found):
    """Tahoe's lookup: prefix compared over its own length, one digit of unit."""
    assert name(if_.ifunit(text.ljust(16, b"\0"))) == found


# -- address lookups

def test_ifa_ifwithaddr_finds_the_address(kernel, sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert ifa_name(if_.ifa_ifwithaddr(sa("10.0.0.1"))) == "le0"


def test_ifa_ifwithaddr_finds_a_broadcast_address(kernel, sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert ifa_name(if_.ifa_ifwithaddr(sa("10.0.0.255"))) == "le0"


def test_ifa_ifwithaddr_compares_the_family(kernel, sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert if_.ifa_ifwithaddr(sa("10.0.0.1", h.AF_UNSPEC)) == ffi.NULL


def test_ifa_ifwithaddr_does_not_skip_an_interface_that_is_down(kernel, sc):
    configure(sc, b"le0", "10.0.0.1")
    if_.if_down(if_.ifunit(b"le0"))
    assert ifa_name(if_.ifa_ifwithaddr(sa("10.0.0.1"))) == "le0"


def test_ifa_ifwithdstaddr_finds_the_peer_of_a_point_to_point_link(kernel, sc):
    set_peer(sc, "10.1.0.1", "10.1.0.2")
    assert ifa_name(if_.ifa_ifwithdstaddr(sa("10.1.0.2"))) == "sl0"


def test_ifa_ifwithdstaddr_ignores_broadcast_interfaces(kernel, sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert if_.ifa_ifwithdstaddr(sa("10.0.0.255")) == ffi.NULL


def test_ifa_ifwithdstaddr_compares_the_family(kernel, sc):
    set_peer(sc, "10.1.0.1", "10.1.0.2")
    assert if_.ifa_ifwithdstaddr(sa("10.1.0.2", h.AF_UNSPEC)) == ffi.NULL


def test_ifa_ifwithnet_finds_the_interface_on_the_subnet(kernel, sc):
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert ifa_name(if_.ifa_ifwithnet(sa("10.0.0.77"))) == "le0"


def test_ifa_ifwithnet_honours_the_subnet(kernel, sc):
    """10.0.1.5 is on another subnet of the same class A net: no interface."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert if_.ifa_ifwithnet(sa("10.0.1.5")) == ffi.NULL


def test_ifa_ifwithnet_family_past_AF_MAX_is_NULL(kernel, sc):
    configure(sc, b"le0", "10.0.0.1")
    assert if_.ifa_ifwithnet(sa("10.0.0.2", h.AF_MAX)) == ffi.NULL


def test_ifa_ifwithaf_finds_the_first_of_the_family(kernel, sc):
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1")
    assert ifa_name(if_.ifa_ifwithaf(h.AF_INET)) == "le0"
    assert if_.ifa_ifwithaf(h.AF_UNSPEC) == ffi.NULL


# -- up, down and the send queue

def test_if_down_clears_up_and_flushes_the_send_queue(kernel, sc):
    configure(sc, b"le0", "10.0.0.1")
    ifp = if_.ifunit(b"le0")
    before = uipc_mbuf.mbstat.m_mbufs
    for _ in range(3):
        if_.IF_ENQUEUE(ifp.if_snd, m_get(h.M_DONTWAIT, h.MT_DATA))
    assert ifp.if_snd.ifq_len == 3
    if_.if_down(ifp)
    assert not ifp.if_flags & h.IFF_UP
    assert ifp.if_snd.ifq_len == 0 and uipc_mbuf.mbstat.m_mbufs == before


def test_if_down_keeps_the_routes(kernel, sc):
    configure(sc, b"le0", "10.0.0.1")
    n = len(list(route.routes()))
    if_.if_down(if_.ifunit(b"le0"))
    assert len(list(route.routes())) == n == 1


def test_if_up_sets_up(kernel):
    ifp = if_.ifunit(b"sl0")
    if_.if_up(ifp)
    assert ifp.if_flags & h.IFF_UP


def test_interface_queue_is_first_in_first_out_with_prepend(kernel):
    q = if_.ifunit(b"lo0").if_snd
    a, b, c = (m_get(h.M_DONTWAIT, h.MT_DATA) for _ in range(3))
    if_.IF_ENQUEUE(q, a)
    if_.IF_ENQUEUE(q, b)
    if_.IF_PREPEND(q, c)
    assert [if_.IF_DEQUEUE(q) for _ in range(4)] == [c, a, b, None]
    assert q.ifq_len == 0
    for m in (a, b, c):
        m_freem(m)


def test_interface_queue_full_and_drop_count(kernel):
    q = if_.ifunit(b"lo0").if_snd
    q.ifq_maxlen = 1
    if_.IF_ENQUEUE(q, m_get(h.M_DONTWAIT, h.MT_DATA))
    assert if_.IF_QFULL(q)
    if_.IF_DROP(q)
    assert q.ifq_drops == 1
    if_.if_qflush(q)


# -- the watchdog

def test_if_slowtimo_runs_the_watchdog_when_the_timer_runs_out(kernel):
    fired = []

    def slwatchdog(unit):
        fired.append(unit)

    ifp = if_.ifunit(b"sl0")
    ifp.if_watchdog = ksyms.text(slwatchdog)
    ifp.if_timer = 2
    kern_clock.tick_clock(kern_clock.hz)
    assert fired == [] and ifp.if_timer == 1
    kern_clock.tick_clock(kern_clock.hz)
    assert fired == [0] and ifp.if_timer == 0
