"""SIOCGIFCONF: the list of interfaces (ioctl reference, section 3.1).

Natively (4.3BSD-Tahoe if.c ifconf) one entry per address, or one with a
zeroed address for an interface without any; the loop runs only while
*more* than one struct ifreq of space is left; a negative length gives
nothing; the name is if_name plus one digit.  Under SVR4 (ip_main.c
ifconf) one entry per interface with its whole name and its address (or
AF_INET 0.0.0.0); a zero or negative length is EINVAL.
"""

import pytest

from ioctlkit import (BAD, IFREQ, KERNEL_CONFIG, abi, configure, dotted, fails, family,  # noqa: F401
                      s, s4, us, user_svr4_sc, uvs, vs)
from kern import config
from kern.headers import native as h

ffi = h.ffi
N = 3                                    # le0, lo0 and sl0, none configured


def getconf(sc, s, length: int, room: int = 16):
    """SIOCGIFCONF with ifc_len = length over a buffer of room entries.

    Returns the entries as (name, family, address) and the ifc_len the
    kernel gave back.
    """
    buf = ffi.new("struct ifreq[]", room)
    ifc = ffi.new("struct ifconf *")
    ifc.ifc_len = length
    ifc.ifc_ifcu.ifcu_buf = ffi.cast("caddr_t", buf)
    sc.ioctl(s, abi(sc).SIOCGIFCONF, ifc)
    n = max(ifc.ifc_len, 0) // IFREQ
    entries = [(ffi.string(buf[i].ifr_name, 16), family(ffi.addressof(buf[i].ifr_ifru, "ifru_addr")),
                dotted(ffi.addressof(buf[i].ifr_ifru, "ifru_addr"))) for i in range(n)]
    return entries, ifc.ifc_len


# -- native

def test_SIOCGIFCONF_lists_every_interface_in_attach_order(kernel, sc, s):
    """With room to spare every interface comes, in the order they attached."""
    entries, length = getconf(sc, s, 16 * IFREQ)
    assert [e[0] for e in entries] == [b"le0", b"lo0", b"sl0"]
    assert length == N * IFREQ


def test_SIOCGIFCONF_interface_without_address_has_zeroed_address(kernel, sc, s):
    """An interface with no address gets one entry whose address is all zero (family 0)."""
    entries, _ = getconf(sc, s, 16 * IFREQ)
    assert entries[0] == (b"le0", 0, "0.0.0.0")


def test_SIOCGIFCONF_entry_per_address(kernel, sc, s):
    """A configured interface's entry carries its address, family AF_INET."""
    configure(sc, b"lo0", "127.0.0.1")
    entries, _ = getconf(sc, s, 16 * IFREQ)
    assert entries[1] == (b"lo0", h.AF_INET, "127.0.0.1")


def test_SIOCGIFCONF_buffer_of_exactly_N_entries_returns_N_minus_1(kernel, sc, s):
    """The strict space > sizeof(ifreq) test: a buffer of exactly N entries gets N-1."""
    entries, length = getconf(sc, s, N * IFREQ)
    assert len(entries) == N - 1
    assert length == (N - 1) * IFREQ


def test_SIOCGIFCONF_buffer_one_byte_over_N_entries_returns_all(kernel, sc, s):
    """One byte more than N entries is room enough for all N."""
    entries, length = getconf(sc, s, N * IFREQ + 1)
    assert len(entries) == N and length == N * IFREQ


def test_SIOCGIFCONF_buffer_of_N_minus_1_entries_returns_N_minus_2(kernel, sc, s):
    """A buffer one entry short returns two fewer, by the same strict test."""
    entries, length = getconf(sc, s, (N - 1) * IFREQ)
    assert len(entries) == N - 2 and length == (N - 2) * IFREQ


def test_SIOCGIFCONF_buffer_of_one_entry_returns_none(kernel, sc, s):
    """Exactly one ifreq of space is not more than one: nothing is written."""
    entries, length = getconf(sc, s, IFREQ)
    assert entries == [] and length == 0


def test_SIOCGIFCONF_zero_length_returns_none(kernel, sc, s):
    """ifc_len 0 succeeds with nothing."""
    assert getconf(sc, s, 0) == ([], 0)


def test_SIOCGIFCONF_negative_length_returns_none_and_zero_length(kernel, sc, s):
    """The space test is signed (reference 5, Q1): a negative ifc_len copies nothing, returns 0."""
    assert getconf(sc, s, -IFREQ * 4) == ([], 0)


def test_SIOCGIFCONF_huge_length_stops_at_the_last_interface(kernel, sc, s):
    """A huge ifc_len is only an upper bound: N entries, ifc_len N entries."""
    entries, length = getconf(sc, s, 0x7FFFFFFF)
    assert len(entries) == N and length == N * IFREQ


def test_SIOCGIFCONF_bad_buffer_is_EFAULT(kernel, sc, s):
    """Entries go to ifc_buf with copyout: an unmapped buffer is EFAULT."""
    ifc = ffi.new("struct ifconf *", {"ifc_len": 4 * IFREQ})
    ifc.ifc_ifcu.ifcu_buf = ffi.cast("caddr_t", BAD)
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFCONF, ifc)
    assert ifc.ifc_len == 4 * IFREQ        # nothing copied back on error


def test_SIOCGIFCONF_bad_ifconf_pointer_is_EFAULT(kernel, sc, s):
    """The struct ifconf itself at an unmapped address: EFAULT from the copyin."""
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFCONF, BAD)


def test_SIOCGIFCONF_needs_no_privilege(kernel, user_sc, us):
    """An ordinary user may list the interfaces."""
    entries, _ = getconf(user_sc, us, 16 * IFREQ)
    assert len(entries) == N


def test_SIOCGIFCONF_works_on_a_raw_socket(kernel, sc):
    """It is answered by ifioctl, before any protocol: a raw socket gets it too."""
    raw = sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    assert len(getconf(sc, raw, 16 * IFREQ)[0]) == N


@pytest.mark.config(config.GENERIC + "device le12 at wire \"lan1\"\n")
def test_SIOCGIFCONF_unit_12_is_named_with_one_character(kernel, sc, s):
    """The name is if_name and '0'+unit: unit 12 prints as 'le<' (units over 9 print wrongly)."""
    entries, _ = getconf(sc, s, 16 * IFREQ)
    assert entries[1][0] == b"le<"


# -- SVR4

def test_SIOCGIFCONF_svr4_one_entry_per_interface_with_AF_INET(kernel, svr4_sc, vs):
    """SVR4 lists each interface once; before an address it is AF_INET 0.0.0.0."""
    entries, length = getconf(svr4_sc, vs, 16 * IFREQ)
    assert entries == [(b"le0", h.AF_INET, "0.0.0.0"), (b"lo0", h.AF_INET, "0.0.0.0"),
                       (b"sl0", h.AF_INET, "0.0.0.0")]
    assert length == N * IFREQ


def test_SIOCGIFCONF_svr4_entry_carries_the_address(kernel, sc, svr4_sc, vs):
    """A configured interface's SVR4 entry has its address."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    assert getconf(svr4_sc, vs, 16 * IFREQ)[0][0] == (b"le0", h.AF_INET, "10.0.0.1")


def test_SIOCGIFCONF_svr4_buffer_of_exactly_N_entries_returns_N_minus_1(kernel, svr4_sc, vs):
    """SVR4's loop has the same strict space test."""
    entries, length = getconf(svr4_sc, vs, N * IFREQ)
    assert len(entries) == N - 1 and length == (N - 1) * IFREQ


def test_SIOCGIFCONF_svr4_huge_length_stops_at_the_last_interface(kernel, svr4_sc, vs):
    """No strmsgsz limit by default (reference 5, Q6): a huge ic_len is only a bound."""
    entries, length = getconf(svr4_sc, vs, 0x7FFFFFFF)
    assert len(entries) == N and length == N * IFREQ


def test_SIOCGIFCONF_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert len(getconf(user_svr4_sc, uvs, 16 * IFREQ)[0]) == N


def test_SIOCGIFCONF_svr4_zero_length_is_EINVAL(kernel, svr4_sc, vs):
    """ic_len 0 reaches IP without a data block: EINVAL."""
    fails(s4.EINVAL, getconf, svr4_sc, vs, 0)


def test_SIOCGIFCONF_svr4_negative_length_is_EINVAL(kernel, svr4_sc, vs):
    """The stream head refuses a negative ic_len: EINVAL."""
    fails(s4.EINVAL, getconf, svr4_sc, vs, -1)


def test_SIOCGIFCONF_svr4_bad_buffer_is_EFAULT(kernel, svr4_sc, vs):
    """An unmapped ifc_buf is EFAULT under SVR4 too."""
    ifc = ffi.new("struct ifconf *", {"ifc_len": 4 * IFREQ})
    ifc.ifc_ifcu.ifcu_buf = ffi.cast("caddr_t", BAD)
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFCONF, ifc)


@pytest.mark.config(config.GENERIC + "device le12 at wire \"lan1\"\n")
def test_SIOCGIFCONF_svr4_unit_12_has_its_whole_name(kernel, svr4_sc, vs):
    """SVR4 copies the provider's whole name: le12 is le12."""
    assert getconf(svr4_sc, vs, 16 * IFREQ)[0][1][0] == b"le12"
