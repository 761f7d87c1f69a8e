"""SIOCDARP: delete an ARP table entry (ioctl reference section 3.7).

Root only (checked in ifioctl, before anything else); then the
families; then a missing entry is ENXIO.
"""

import pytest

from ethertest import ifconfig, arp_ioctl, arpreq, mac, svr4_abi
from kern.headers import native as h
from kern.syscalls import SysError

ETHER = mac("8:0:20:1:2:3")


@pytest.fixture
def lan(kernel, sc):
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    arp_ioctl(sc, h.SIOCSARP, arpreq("10.0.0.2", ETHER, flags=h.ATF_PERM))
    return sc


def errno_of(sc, cmd, ar):
    with pytest.raises(SysError) as e:
        arp_ioctl(sc, cmd, ar)
    return e.value.errno


def test_SIOCDARP_deletes_the_entry(lan):
    arp_ioctl(lan, h.SIOCDARP, arpreq("10.0.0.2"))
    assert errno_of(lan, h.SIOCGARP, arpreq("10.0.0.2")) == h.ENXIO


def test_SIOCDARP_deletes_a_permanent_entry_too(lan):
    arp_ioctl(lan, h.SIOCDARP, arpreq("10.0.0.2"))
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER))   # the slot is free again


def test_SIOCDARP_no_entry_is_ENXIO(lan):
    assert errno_of(lan, h.SIOCDARP, arpreq("10.0.0.9")) == h.ENXIO


def test_SIOCDARP_twice_is_ENXIO_the_second_time(lan):
    arp_ioctl(lan, h.SIOCDARP, arpreq("10.0.0.2"))
    assert errno_of(lan, h.SIOCDARP, arpreq("10.0.0.2")) == h.ENXIO


def test_SIOCDARP_not_root_is_EPERM(lan, user_sc):
    assert errno_of(user_sc, h.SIOCDARP, arpreq("10.0.0.2")) == h.EPERM
    arp_ioctl(lan, h.SIOCGARP, arpreq("10.0.0.2"))            # still there


def test_SIOCDARP_not_root_no_entry_is_EPERM_not_ENXIO(lan, user_sc):
    """4.3 checks root in ifioctl, before the lookup (SVR4 looks first)."""
    assert errno_of(user_sc, h.SIOCDARP, arpreq("10.0.0.9")) == h.EPERM


def test_SIOCDARP_protocol_family_not_inet_is_EAFNOSUPPORT(lan):
    assert errno_of(lan, h.SIOCDARP, arpreq("10.0.0.2", pa_family=h.AF_UNIX)) == h.EAFNOSUPPORT


def test_SIOCDARP_hardware_family_not_unspec_is_EAFNOSUPPORT(lan):
    assert errno_of(lan, h.SIOCDARP, arpreq("10.0.0.2", ha_family=h.AF_INET)) == h.EAFNOSUPPORT


def test_SIOCDARP_on_0_0_0_0_succeeds(lan):
    """ARPTAB_LOOK(0) finds a free slot, which 'deletes' without error."""
    arp_ioctl(lan, h.SIOCDARP, arpreq("0.0.0.0"))
    arp_ioctl(lan, h.SIOCGARP, arpreq("10.0.0.2"))


def test_SIOCDARP_svr4_not_root_is_EPERM(lan, kernel):
    from kern import syscalls
    s4 = svr4_abi()
    user = syscalls.attach(uid=1000, personality="svr4", comm="svr4user")
    with pytest.raises(SysError) as e:
        arp_ioctl(user, s4.SIOCDARP, arpreq("10.0.0.2", abi=s4))
    assert e.value.errno == s4.EPERM
