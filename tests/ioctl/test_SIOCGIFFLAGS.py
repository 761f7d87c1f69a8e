"""SIOCGIFFLAGS: an interface's flags (ioctl reference, sections 3.0 and 3.2).

Natively ifioctl finds the interface with Tahoe's ifunit (one digit of
unit, the prefix compared over its own length) and answers if_flags;
ENXIO for no interface, for anyone.  Under SVR4 the name must match
whole (EINVAL otherwise) and the flags are those SVR4's drivers showed:
no RUNNING on an Ethernet, RUNNING on the loopback.
"""

import pytest

from ioctlkit import (BAD, KERNEL_CONFIG, configure, fails, flags, peer, req, s, s4,  # noqa: F401
                      us, uvs, user_svr4_sc, vs)
from kern import config
from kern.headers import native as h

UP, BROADCAST, LOOPBACK = h.IFF_UP, h.IFF_BROADCAST, h.IFF_LOOPBACK
POINTOPOINT, RUNNING = h.IFF_POINTOPOINT, h.IFF_RUNNING


# -- native

def test_SIOCGIFFLAGS_ethernet_before_address_is_broadcast_only(kernel, sc, s):
    """le0 attaches with IFF_BROADCAST and nothing else."""
    assert flags(sc, s, b"le0") == BROADCAST


def test_SIOCGIFFLAGS_ethernet_with_address_is_up_running(kernel, sc, s):
    """An address starts the board: flags=43<UP,BROADCAST,RUNNING>, as de0 on Tahoe."""
    configure(sc, b"le0", "10.0.0.1")
    assert flags(sc, s, b"le0") == UP | BROADCAST | RUNNING


def test_SIOCGIFFLAGS_loopback_with_address_is_up_loopback_not_running(kernel, sc, s):
    """Tahoe's loopback never sets RUNNING: flags=9<UP,LOOPBACK>."""
    configure(sc, b"lo0", "127.0.0.1")
    assert flags(sc, s, b"lo0") == UP | LOOPBACK


def test_SIOCGIFFLAGS_serial_line_is_pointopoint_never_running(kernel, sc, s):
    """sl0 with addresses: flags=11<UP,POINTOPOINT> (Tahoe SLIP never sets RUNNING)."""
    peer(sc)
    assert flags(sc, s, b"sl0") == UP | POINTOPOINT


def test_SIOCGIFFLAGS_needs_no_privilege(kernel, user_sc, us):
    """Any user may read the flags."""
    assert flags(user_sc, us, b"lo0") == LOOPBACK


def test_SIOCGIFFLAGS_unknown_interface_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, flags, sc, s, b"qe0")


def test_SIOCGIFFLAGS_unknown_interface_is_ENXIO_for_an_ordinary_user(kernel, user_sc, us):
    fails(h.ENXIO, flags, user_sc, us, b"qe0")


def test_SIOCGIFFLAGS_name_without_digit_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, flags, sc, s, b"lo")


def test_SIOCGIFFLAGS_name_with_NUL_before_the_unit_is_ENXIO(kernel, sc, s):
    """ifunit stops at the first NUL: 'lo' NUL '0' names nothing."""
    fails(h.ENXIO, flags, sc, s, b"lo\x000")


def test_SIOCGIFFLAGS_sixteen_bytes_without_NUL_or_digit_is_ENXIO(kernel, sc, s):
    fails(h.ENXIO, flags, sc, s, b"x" * 16)


def test_SIOCGIFFLAGS_too_long_name_is_ENXIO(kernel, sc, s):
    """A long prefix compares unequal with 'le', 'lo' or 'sl'."""
    fails(h.ENXIO, flags, sc, s, b"loopbackdevice0")


def test_SIOCGIFFLAGS_truncated_prefix_finds_the_interface(kernel, sc, s):
    """Only the prefix's own length is compared: 'l0' finds lo0 (reference 3.0)."""
    assert flags(sc, s, b"l0") == BROADCAST          # le0 is first with unit 0


def test_SIOCGIFFLAGS_text_after_the_unit_digit_is_ignored(kernel, sc, s):
    """'lo0x' and 'lo01' are lo0: one digit of unit, the rest unread."""
    assert flags(sc, s, b"lo0x") == LOOPBACK
    assert flags(sc, s, b"lo01") == LOOPBACK


def test_SIOCGIFFLAGS_name_of_just_a_digit_finds_the_first_unit_0(kernel, sc, s):
    """An empty prefix matches every interface: '0' is the first with unit 0, le0."""
    assert flags(sc, s, b"0") == BROADCAST


def test_SIOCGIFFLAGS_sixteen_byte_name_with_unit_digit_last(kernel, sc, s):
    """A name that fills all 16 bytes, digit last, is still looked at (not NUL-terminated)."""
    fails(h.ENXIO, flags, sc, s, b"abcdefghijklmno0")


@pytest.mark.config(config.GENERIC + "device le1 at wire \"lan1\"\n")
def test_SIOCGIFFLAGS_two_digit_unit_finds_the_one_digit_unit(kernel, sc, s):
    """'le12' is le1: the unit is one digit."""
    configure(sc, b"le1", "10.1.0.1")
    assert flags(sc, s, b"le12") == UP | BROADCAST | RUNNING


def test_SIOCGIFFLAGS_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCGIFFLAGS, BAD)


def test_SIOCGIFFLAGS_works_on_a_raw_socket(kernel, sc):
    """Answered by ifioctl itself, so any socket will do."""
    raw = sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    assert flags(sc, raw, b"lo0") == LOOPBACK


# -- SVR4

def test_SIOCGIFFLAGS_svr4_ethernet_shows_up_broadcast_never_running(kernel, sc, svr4_sc, vs):
    """SVR4's Ethernet modules never set RUNNING: flags=3<UP,BROADCAST>."""
    configure(sc, b"le0", "10.0.0.1")
    assert flags(svr4_sc, vs, b"le0") == UP | BROADCAST


def test_SIOCGIFFLAGS_svr4_loopback_shows_running(kernel, sc, svr4_sc, vs):
    """SVR4's loopback driver adds LOOPBACK|RUNNING: flags=49<UP,LOOPBACK,RUNNING>."""
    configure(sc, b"lo0", "127.0.0.1")
    assert flags(svr4_sc, vs, b"lo0") == UP | LOOPBACK | RUNNING


def test_SIOCGIFFLAGS_svr4_needs_no_privilege(kernel, user_svr4_sc, uvs):
    assert flags(user_svr4_sc, uvs, b"sl0") == POINTOPOINT


def test_SIOCGIFFLAGS_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, flags, svr4_sc, vs, b"qe0")


def test_SIOCGIFFLAGS_svr4_truncated_prefix_is_EINVAL(kernel, svr4_sc, vs):
    """SVR4 compares the whole name: 'l0' is no interface."""
    fails(s4.EINVAL, flags, svr4_sc, vs, b"l0")


def test_SIOCGIFFLAGS_svr4_text_after_the_unit_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, flags, svr4_sc, vs, b"lo0x")


def test_SIOCGIFFLAGS_svr4_name_without_NUL_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, flags, svr4_sc, vs, b"lo0" + b"x" * 13)


def test_SIOCGIFFLAGS_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCGIFFLAGS, BAD)
