"""SIOCSARP: add or change an ARP table entry (ioctl reference section 3.7).

Tahoe's order: root first (net/if.c ifioctl), then the address
families, then the lookup; a new entry needs an attached network and a
slot in its hash bucket.
"""

import pytest

from ethertest import ifconfig, arp_ioctl, arpreq, ha_bytes, in_addr, mac, same_bucket, svr4_abi
from kern import kvm
from kern.headers import native as h
from kern.netinet import if_ether
from kern.syscalls import SysError

ETHER = mac("8:0:20:1:2:3")


@pytest.fixture
def lan(kernel, sc):
    """le0 at 10.0.0.1 on network 10 (class A)."""
    ifconfig(sc, "le0", "10.0.0.1", "netmask", "255.0.0.0")
    return sc


def errno_of(sc, cmd, ar):
    with pytest.raises(SysError) as e:
        arp_ioctl(sc, cmd, ar)
    return e.value.errno


def get(sc, ip):
    ar = arpreq(ip)
    arp_ioctl(sc, h.SIOCGARP, ar)
    return ar


def test_SIOCSARP_adds_a_complete_entry(lan):
    """A new entry is complete and in use, with the given address, timer 0."""
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER))
    ar = get(lan, "10.0.0.2")
    assert ha_bytes(ar) == ETHER
    assert ar.arp_flags == h.ATF_INUSE | h.ATF_COM


def test_SIOCSARP_keeps_only_perm_publ_trailers_of_the_flags(lan):
    """arp_flags is masked to PERM|PUBL|USETRAILERS; INUSE|COM are the kernel's."""
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER, flags=0xFF))
    assert get(lan, "10.0.0.2").arp_flags == 0x1F
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.3", ETHER, flags=h.ATF_PUBL))
    assert get(lan, "10.0.0.3").arp_flags == h.ATF_INUSE | h.ATF_COM | h.ATF_PUBL


def test_SIOCSARP_changes_an_existing_entry(lan):
    """Setting an address again replaces its Ethernet address and flags."""
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER, flags=h.ATF_PERM))
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", mac("0:0:c0:4:5:6")))
    ar = get(lan, "10.0.0.2")
    assert ha_bytes(ar) == mac("0:0:c0:4:5:6")
    assert ar.arp_flags == h.ATF_INUSE | h.ATF_COM


def test_SIOCSARP_not_root_is_EPERM(lan, user_sc):
    assert errno_of(user_sc, h.SIOCSARP, arpreq("10.0.0.2", ETHER)) == h.EPERM


def test_SIOCSARP_not_root_is_EPERM_before_the_family_check(lan, user_sc):
    """ifioctl checks root before arpioctl looks at anything."""
    assert errno_of(user_sc, h.SIOCSARP, arpreq("10.0.0.2", ETHER, pa_family=h.AF_UNIX)) == h.EPERM


def test_SIOCSARP_protocol_family_not_inet_is_EAFNOSUPPORT(lan):
    assert errno_of(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER, pa_family=h.AF_UNIX)) == h.EAFNOSUPPORT


def test_SIOCSARP_hardware_family_not_unspec_is_EAFNOSUPPORT(lan):
    assert errno_of(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER, ha_family=h.AF_INET)) == h.EAFNOSUPPORT


def test_SIOCSARP_address_on_no_attached_network_is_ENETUNREACH(lan):
    assert errno_of(lan, h.SIOCSARP, arpreq("192.168.5.5", ETHER)) == h.ENETUNREACH


def test_SIOCSARP_with_no_interface_address_is_ENETUNREACH(kernel, sc):
    assert errno_of(sc, h.SIOCSARP, arpreq("10.0.0.2", ETHER)) == h.ENETUNREACH


def test_SIOCSARP_bucket_full_of_permanent_entries_is_EADDRNOTAVAIL(lan):
    """Re-setting entries as permanent skips the spare-slot test, so a bucket can fill up."""
    ips = same_bucket(if_ether.ARPTAB_BSIZ + 1)
    for ip in ips[:-1]:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER))
    for ip in ips[:-1]:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER, flags=h.ATF_PERM))
    assert errno_of(lan, h.SIOCSARP, arpreq(ips[-1], ETHER)) == h.EADDRNOTAVAIL
    with pytest.raises(SysError):
        get(lan, ips[-1])


def test_SIOCSARP_evicts_the_oldest_temporary_entry_of_a_full_bucket(lan):
    """With no free slot, the first entry of the highest age makes room."""
    ips = same_bucket(if_ether.ARPTAB_BSIZ + 1)
    for ip in ips[:-1]:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER))
    if_ether.ARPTAB_LOOK(in_addr(ips[3])).at_timer = 7     # the oldest
    if_ether.ARPTAB_LOOK(in_addr(ips[5])).at_timer = 7     # as old, but later
    arp_ioctl(lan, h.SIOCSARP, arpreq(ips[-1], ETHER))
    assert errno_of(lan, h.SIOCGARP, arpreq(ips[3])) == h.ENXIO
    assert get(lan, ips[5]).arp_flags & h.ATF_COM
    assert get(lan, ips[-1]).arp_flags & h.ATF_COM


def test_SIOCSARP_permanent_entry_in_the_last_free_slot_lands_at_0_0_0_0(lan):
    """The spare-slot test of a permanent entry can pick the new entry itself.

    With every other slot of the bucket permanent, the second arptnew
    evicts the entry just made and frees it, and the address and flags
    are then written into the emptied slot: the call succeeds but the
    entry sits under address 0.0.0.0, invisible to ``arp -a`` (arp(4)
    BUGS).  Faithful to Tahoe if_ether.c arpioctl.
    """
    ips = same_bucket(if_ether.ARPTAB_BSIZ)
    for ip in ips[:-1]:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER))
    for ip in ips[:-1]:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER, flags=h.ATF_PERM))
    arp_ioctl(lan, h.SIOCSARP, arpreq(ips[-1], ETHER, flags=h.ATF_PERM))
    assert errno_of(lan, h.SIOCGARP, arpreq(ips[-1])) == h.ENXIO
    bucket = in_addr(ips[-1]) % if_ether.ARPTAB_NB
    ghost = [if_ether.arptab[bucket * if_ether.ARPTAB_BSIZ + i] for i in range(if_ether.ARPTAB_BSIZ)]
    assert [(e.at_iaddr.s_addr, e.at_flags) for e in ghost].count(
        (0, h.ATF_INUSE | h.ATF_COM | h.ATF_PERM)) == 1


def test_SIOCSARP_on_0_0_0_0_fills_a_free_slot_without_a_network(kernel, sc):
    """ARPTAB_LOOK(0) finds a free slot, so no network test and no error.

    The slot keeps address 0, so the next lookup of 0.0.0.0 finds it
    again, complete; arp -a skips it (its address is 0).
    """
    arp_ioctl(sc, h.SIOCSARP, arpreq("0.0.0.0", ETHER))
    ar = get(sc, "0.0.0.0")
    assert ar.arp_flags == h.ATF_INUSE | h.ATF_COM
    assert ha_bytes(ar) == ETHER


def test_SIOCSARP_entry_is_visible_through_kvm(lan, kernel):
    """arp -a reads _arptab and _arptab_size from kernel memory."""
    arp_ioctl(lan, h.SIOCSARP, arpreq("10.0.0.2", ETHER, flags=h.ATF_PUBL))
    k = kvm.kvm_open(f"{kernel}/namelist", f"{kernel}/kmem")
    try:
        n = k.symbol("_arptab_size", "int")[0]
        assert n == 9 * 19
        size = h.ffi.sizeof("struct arptab")
        table = [k.read(k.nlist("_arptab") + i * size, "struct arptab") for i in range(n)]
        found = [e for e in table if e.at_iaddr.s_addr == in_addr("10.0.0.2")]
        assert len(found) == 1
        assert h.ffi.buffer(found[0].at_enaddr)[:] == ETHER
        assert found[0].at_flags == h.ATF_INUSE | h.ATF_COM | h.ATF_PUBL
    finally:
        k.close()


@pytest.mark.config("options INET, GATEWAY\npseudo-device loop\npseudo-device ether\n"
                    "device le0 at wire \"lan0\"\n")
def test_SIOCSARP_gateway_kernel_has_the_16_by_37_table(lan, kernel):
    k = kvm.kvm_open(f"{kernel}/namelist", f"{kernel}/kmem")
    try:
        assert k.symbol("_arptab_size", "int")[0] == 16 * 37
    finally:
        k.close()
    ips = same_bucket(16, nb=37)
    for ip in ips:
        arp_ioctl(lan, h.SIOCSARP, arpreq(ip, ETHER))
    assert all(get(lan, ip).arp_flags & h.ATF_COM for ip in ips)


# The SVR4 personality: the same table through SVR4's numbering.

def test_SIOCSARP_svr4_adds_an_entry(lan, svr4_sc):
    s4 = svr4_abi()
    arp_ioctl(svr4_sc, s4.SIOCSARP, arpreq("10.0.0.2", ETHER, abi=s4))
    assert get(lan, "10.0.0.2").arp_flags == h.ATF_INUSE | h.ATF_COM


def test_SIOCSARP_svr4_errno_numbers_are_svr4s(lan, svr4_sc):
    s4 = svr4_abi()
    with pytest.raises(SysError) as e:
        arp_ioctl(svr4_sc, s4.SIOCSARP, arpreq("192.168.5.5", ETHER, abi=s4))
    assert e.value.errno == s4.ENETUNREACH == 128
    with pytest.raises(SysError) as e:
        arp_ioctl(svr4_sc, s4.SIOCSARP, arpreq("10.0.0.2", ETHER, pa_family=7, abi=s4))
    assert e.value.errno == s4.EAFNOSUPPORT == 124
