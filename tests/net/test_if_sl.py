"""sl: Tahoe's SLIP interfaces as configurable point-to-point links.

4.3BSD-Tahoe net/if_sl.c 7.9: slattach, slioctl and sloutput, with no
terminal line under any unit (kern/net/if_sl.py, man/man4/sl.4).
"""

import pytest

from kern import config, init_main, subr_prf
from kern.headers import native as h
from kern.net import if_, if_sl
from kern import uipc_mbuf
from kern.uipc_mbuf import m_get

ffi = h.ffi
KERNEL_CONFIG = config.GENERIC + "pseudo-device   sl 2\n"


def dst(family: int):
    p = ffi.new("struct sockaddr *")
    p.sa_family = family
    return p


def test_slattach_attaches_count_units_after_the_loopback(kernel):
    assert [if_.if_name(i) for i in if_.ifnet_list()] == ["le0", "lo0", "sl0", "sl1"]


def test_slattach_units_are_point_to_point_with_SLMTU(kernel):
    for unit in (b"sl0", b"sl1"):
        ifp = if_.ifunit(unit)
        assert ifp.if_flags == h.IFF_POINTOPOINT and ifp.if_mtu == h.SLMTU == 1006


def test_sloutput_without_a_line_drops_with_ENETDOWN(kernel):
    before = uipc_mbuf.mbstat.m_mbufs
    assert if_sl.sloutput(if_.ifunit(b"sl0"), m_get(h.M_DONTWAIT, h.MT_DATA), dst(h.AF_INET)) \
        == h.ENETDOWN
    assert uipc_mbuf.mbstat.m_mbufs == before


def test_sloutput_other_family_is_EAFNOSUPPORT_and_said(kernel):
    before = uipc_mbuf.mbstat.m_mbufs
    assert if_sl.sloutput(if_.ifunit(b"sl1"), m_get(h.M_DONTWAIT, h.MT_DATA), dst(h.AF_UNSPEC)) \
        == h.EAFNOSUPPORT
    assert uipc_mbuf.mbstat.m_mbufs == before
    mb = subr_prf.msgbuf
    assert b"sl1: af0 not supported\n" in ffi.buffer(mb.msg_bufc, mb.msg_bufx)[:]


@pytest.mark.parametrize("count", [0, if_sl.NSL_MAX + 1])
def test_slattach_count_out_of_range_is_a_configuration_error(tmp_path, count):
    try:
        with pytest.raises(config.ConfigError, match="pseudo-device sl"):
            init_main.boot(config.GENERIC + f"pseudo-device   sl {count}\n", str(tmp_path))
    finally:
        init_main.shutdown()
