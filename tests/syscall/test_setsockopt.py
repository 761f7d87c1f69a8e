"""setsockopt(2): each SOL_SOCKET option (sosetopt) and the IP ones (ip_ctloutput)."""

import pytest

from kern.headers import native as h
from kern.netinet import udp_usrreq

from udpkit import (BAD, INT, SIN, fails, getint, lo, recv, sendto, setint, sin,  # noqa: F401
                    socket_of, udp)

ffi = h.ffi
FLAGS = ["SO_DEBUG", "SO_KEEPALIVE", "SO_DONTROUTE", "SO_USELOOPBACK", "SO_BROADCAST",
         "SO_REUSEADDR", "SO_OOBINLINE"]


@pytest.mark.parametrize("name", FLAGS)
def test_flag_option_on_and_off(lo, name):
    s, opt = udp(lo), getattr(h, name)
    setint(lo, s, h.SOL_SOCKET, opt, 1)
    assert socket_of(lo, s).so_options & opt
    setint(lo, s, h.SOL_SOCKET, opt, 0)
    assert not socket_of(lo, s).so_options & opt


@pytest.mark.parametrize("name", FLAGS)
def test_flag_option_without_a_value_is_EINVAL(lo, name):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, getattr(h, name), None, 0)


def test_flag_option_value_shorter_than_an_int_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_BROADCAST,
          ffi.new("char[]", b"\1"), 1)


def test_SO_RCVBUF_sets_how_much_may_wait(lo):
    rx = udp(lo, 5000)
    setint(lo, rx, h.SOL_SOCKET, h.SO_RCVBUF, 1000)
    assert getint(lo, rx, h.SOL_SOCKET, h.SO_RCVBUF) == 1000
    tx = udp(lo)
    before = udp_usrreq.udpstat.udps_fullsock
    for _ in range(20):
        sendto(lo, tx, b"x" * 100, 5000)
    dropped = udp_usrreq.udpstat.udps_fullsock - before
    sb = socket_of(lo, rx).so_rcv
    assert dropped > 0 and sb.sb_cc == (20 - dropped) * (100 + SIN) <= 1000


def test_SO_SNDBUF_bounds_the_datagram(lo):
    s = udp(lo)
    setint(lo, s, h.SOL_SOCKET, h.SO_SNDBUF, 100)
    sendto(lo, s, b"x" * 100, 9)
    fails(h.EMSGSIZE, sendto, lo, s, b"x" * 101, 9)


def test_SO_RCVBUF_beyond_what_SB_MAX_allows_is_ENOBUFS(lo):
    fails(h.ENOBUFS, setint, lo, udp(lo), h.SOL_SOCKET, h.SO_RCVBUF, 10 * h.SB_MAX)


def test_negative_buffer_size_is_ENOBUFS(lo):
    """The int is taken as an unsigned long, too big for sbreserve."""
    fails(h.ENOBUFS, setint, lo, udp(lo), h.SOL_SOCKET, h.SO_SNDBUF, -1)


def test_SO_RCVLOWAT_and_SO_SNDLOWAT_are_stored(lo):
    s = udp(lo)
    setint(lo, s, h.SOL_SOCKET, h.SO_RCVLOWAT, 10)
    setint(lo, s, h.SOL_SOCKET, h.SO_SNDLOWAT, 20)
    assert (getint(lo, s, h.SOL_SOCKET, h.SO_RCVLOWAT),
            getint(lo, s, h.SOL_SOCKET, h.SO_SNDLOWAT)) == (10, 20)


def test_SO_LINGER_sets_the_time_and_the_flag(lo):
    s = udp(lo)
    lg = ffi.new("struct linger *", [1, 9])
    lo.setsockopt(s, h.SOL_SOCKET, h.SO_LINGER, lg, 8)
    so = socket_of(lo, s)
    assert so.so_linger == 9 and so.so_options & h.SO_LINGER


def test_SO_LINGER_of_the_wrong_size_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_LINGER, ffi.new("int[3]"), 12)


def test_SO_RCVTIMEO_in_ticks(lo):
    s = udp(lo)
    tv = ffi.new("struct timeval *", [1, 250000])
    lo.setsockopt(s, h.SOL_SOCKET, h.SO_RCVTIMEO, tv, ffi.sizeof(tv[0]))
    assert socket_of(lo, s).so_rcv.sb_timeo == 125          # hz 100


def test_SO_SNDTIMEO_too_long_is_EDOM(lo):
    tv = ffi.new("struct timeval *", [400, 0])              # 40000 ticks > SHRT_MAX
    fails(h.EDOM, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_SNDTIMEO, tv, ffi.sizeof(tv[0]))


def test_SO_RCVTIMEO_shorter_than_a_timeval_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_RCVTIMEO, ffi.new("int *"), 4)


@pytest.mark.parametrize("name", ["SO_TYPE", "SO_ERROR", "SO_ACCEPTCONN"])
def test_read_only_or_unknown_option_is_ENOPROTOOPT(lo, name):
    fails(h.ENOPROTOOPT, setint, lo, udp(lo), h.SOL_SOCKET, getattr(h, name), 1)


def test_value_longer_than_an_mbuf_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_DEBUG,
          ffi.new("char[]", 200), h.MLEN + 1)


def test_negative_value_size_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_DEBUG, ffi.new("int *"), -1)


def test_bad_value_pointer_is_EFAULT(lo):
    fails(h.EFAULT, lo.setsockopt, udp(lo), h.SOL_SOCKET, h.SO_DEBUG, BAD, INT)


def test_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, setint, lo, 9, h.SOL_SOCKET, h.SO_DEBUG, 1)


def test_SO_DONTROUTE_keeps_datagrams_on_attached_networks(sc):
    from tests.conftest import configure
    configure(sc, b"lo0", "127.0.0.1")
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    s = udp(sc)
    setint(sc, s, h.SOL_SOCKET, h.SO_DONTROUTE, 1)
    fails(h.ENETUNREACH, sendto, sc, s, b"x", 9, "192.168.1.1")


# -- IPPROTO_IP ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["IP_TTL", "IP_TOS"])
def test_ip_header_options_read_back(lo, name):
    s = udp(lo)
    setint(lo, s, h.IPPROTO_IP, getattr(h, name), 33)
    assert getint(lo, s, h.IPPROTO_IP, getattr(h, name)) == 33


@pytest.mark.parametrize("name", ["IP_RECVDSTADDR", "IP_RECVOPTS", "IP_RECVRETOPTS"])
def test_ip_receive_options_read_back_as_0_or_1(lo, name):
    s = udp(lo)
    setint(lo, s, h.IPPROTO_IP, getattr(h, name), 5)
    assert getint(lo, s, h.IPPROTO_IP, getattr(h, name)) == 1
    setint(lo, s, h.IPPROTO_IP, getattr(h, name), 0)
    assert getint(lo, s, h.IPPROTO_IP, getattr(h, name)) == 0


def test_ip_int_option_not_exactly_an_int_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.IPPROTO_IP, h.IP_TTL, ffi.new("char[8]"), 8)


def test_IP_OPTIONS_malformed_is_EINVAL(lo):
    fails(h.EINVAL, lo.setsockopt, udp(lo), h.IPPROTO_IP, h.IP_OPTIONS,
          ffi.new("char[]", b"\x07\x02\x04"), 3)


def test_IP_OPTIONS_go_out_with_every_datagram(lo):
    rx = udp(lo, 5000)
    s = udp(lo)
    nops = b"\x01\x01\x01\x00"
    lo.setsockopt(s, h.IPPROTO_IP, h.IP_OPTIONS, ffi.from_buffer(bytearray(nops)), 4)
    v, n = ffi.new("char[40]"), ffi.new("int *", 40)
    lo.getsockopt(s, h.IPPROTO_IP, h.IP_OPTIONS, v, n)
    assert ffi.buffer(v, n[0])[:] == nops
    sendto(lo, s, b"with options", 5000)
    assert recv(lo, rx)[0] == b"with options"        # udp_input stripped them


def test_unknown_ip_option_is_EINVAL(lo):
    fails(h.EINVAL, setint, lo, udp(lo), h.IPPROTO_IP, 99, 1)


def test_another_protocol_level_is_EINVAL(lo):
    fails(h.EINVAL, setint, lo, udp(lo), h.IPPROTO_TCP, 1, 1)
