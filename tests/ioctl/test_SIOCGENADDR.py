"""SIOCGENADDR (SVR4 only, _IOWR('i', 85)): an Ethernet station address, in ifr_enaddr.

The address is the ac_enaddr of the interface's struct arpcom.  The
loopback acknowledges every command unchanged (SVR4's llcloop), so the
caller's bytes come back; an interface with no station address (sl0)
refuses it: EINVAL.
"""

import pytest

from ioctlkit import BAD, KERNEL_CONFIG, ask, fails, req, s4, user_svr4_sc, uvs, vs  # noqa: F401
from kern import config

LLADDR_CONFIG = config.GENERIC.replace('device          le0 at wire "lan0"',
                                       'device          le0 at wire "lan0" lladdr 08:00:20:01:02:03')


def enaddr(sc, s, name=b"le0", r=None) -> bytes:
    r = ask(sc, s, "SIOCGENADDR", name, r)
    return s4.ffi.buffer(r.ifr_ifru.ifru_enaddr)[:]


@pytest.mark.config(LLADDR_CONFIG)
def test_SIOCGENADDR_svr4_returns_the_station_address(kernel, svr4_sc, vs):
    assert enaddr(svr4_sc, vs) == bytes.fromhex("080020010203")


@pytest.mark.config(LLADDR_CONFIG)
def test_SIOCGENADDR_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert enaddr(user_svr4_sc, uvs) == bytes.fromhex("080020010203")


def test_SIOCGENADDR_svr4_loopback_acknowledges_unchanged(kernel, svr4_sc, vs):
    r = req(svr4_sc, b"lo0")
    r.ifr_ifru.ifru_enaddr = b"\x01\x02\x03\x04\x05\x06"
    assert enaddr(svr4_sc, vs, b"lo0", r) == b"\x01\x02\x03\x04\x05\x06"


def test_SIOCGENADDR_svr4_serial_line_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, enaddr, svr4_sc, vs, b"sl0")


def test_SIOCGENADDR_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, enaddr, svr4_sc, vs, b"qe0")


def test_SIOCGENADDR_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGENADDR, BAD)
