"""SIOCGARP: look up an ARP table entry (ioctl reference section 3.7).

Any user may look; the families are checked first, then a missing
entry is ENXIO.  The hardware family is left as the caller gave it.
"""

import pytest

from ethertest import ifconfig, arp_ioctl, arpreq, ha_bytes, mac, svr4_abi
from kern.headers import native as h
from kern.syscalls import SysError

ETHER = mac("8:0:20:1:2:3")


@pytest.fixture
def lan(kernel, sc):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", ETHER, flags=h.ATF_PERM | h.ATF_PUBL))
    return sc


def errno_of(sc, ar):
    with pytest.raises(SysError) as e:
        arp_ioctl(sc, h.SIOCGARP, ar)
    return e.value.errno


def test_SIOCGARP_returns_address_and_flags(lan):
    ar = arpreq("10.0.0.2")
    arp_ioctl(lan, h.SIOCGARP, ar)
    assert ha_bytes(ar) == ETHER
    assert ar.arp_flags == h.ATF_INUSE | h.ATF_COM | h.ATF_PERM | h.ATF_PUBL
    assert ar.arp_ha.sa_family == h.AF_UNSPEC


def test_SIOCGARP_works_for_an_ordinary_user(lan, user_sc):
    ar = arpreq("10.0.0.2")
    arp_ioctl(user_sc, h.SIOCGARP, ar)
    assert ha_bytes(ar) == ETHER


def test_SIOCGARP_no_entry_is_ENXIO(lan):
    assert errno_of(lan, arpreq("10.0.0.9")) == h.ENXIO


def test_SIOCGARP_no_entry_off_net_is_ENXIO_not_ENETUNREACH(lan):
    """Only SIOCSARP asks whether the network is attached."""
    assert errno_of(lan, arpreq("192.168.5.5")) == h.ENXIO


def test_SIOCGARP_protocol_family_not_inet_is_EAFNOSUPPORT(lan, user_sc):
    assert errno_of(user_sc, arpreq("10.0.0.2", pa_family=h.AF_UNSPEC)) == h.EAFNOSUPPORT


def test_SIOCGARP_hardware_family_not_unspec_is_EAFNOSUPPORT(lan):
    assert errno_of(lan, arpreq("10.0.0.2", ha_family=h.AF_INET)) == h.EAFNOSUPPORT


def test_SIOCGARP_on_0_0_0_0_answers_an_empty_entry(lan):
    """ARPTAB_LOOK(0) finds a free slot of bucket 0: zeros and flags 0, not ENXIO."""
    ar = arpreq("0.0.0.0", ether=b"\x11" * 6, flags=0x55)
    arp_ioctl(lan, h.SIOCGARP, ar)
    assert ha_bytes(ar) == bytes(6)
    assert ar.arp_flags == 0


def test_SIOCGARP_on_a_raw_socket_works(lan):
    """The ARP commands are handled by ifioctl for any socket."""
    s = lan.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP)
    try:
        ar = arpreq("10.0.0.2")
        lan.ioctl(s, h.SIOCGARP, ar)
        assert ha_bytes(ar) == ETHER
    finally:
        lan.close(s)


def test_SIOCGARP_svr4_numbering(lan, svr4_sc):
    s4 = svr4_abi()
    ar = arpreq("10.0.0.2", abi=s4)
    arp_ioctl(svr4_sc, s4.SIOCGARP, ar)
    assert s4.ffi.buffer(ar.arp_ha.sa_data, 6)[:] == ETHER
    with pytest.raises(SysError) as e:
        arp_ioctl(svr4_sc, s4.SIOCGARP, arpreq("10.0.0.9", abi=s4))
    assert e.value.errno == s4.ENXIO
