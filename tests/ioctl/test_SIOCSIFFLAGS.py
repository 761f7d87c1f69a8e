"""SIOCSIFFLAGS: set an interface's flags (ioctl reference, section 3.5).

Natively: name (ENXIO), then root (EPERM); an up interface losing
IFF_UP goes through if_down (protocols told, send queue flushed, routes
kept); the new flags are (old & IFF_CANTCHANGE) | (new & ~IFF_CANTCHANGE)
with IFF_CANTCHANGE = BROADCAST|POINTOPOINT|RUNNING; the driver is told.
Under SVR4: EPERM before the name (EINVAL), IFF_PROMISC cannot change
either, and the resulting flags come back to the caller.
"""

from ioctlkit import (BAD, KERNEL_CONFIG, ask, configure, fails, flags, kernel_routes, req,  # noqa: F401
                      s, s4, us, uvs, user_svr4_sc, vs)
from kern.headers import native as h

UP, BROADCAST, LOOPBACK, POINTOPOINT = h.IFF_UP, h.IFF_BROADCAST, h.IFF_LOOPBACK, h.IFF_POINTOPOINT
RUNNING, NOTRAILERS, DEBUG, PROMISC = h.IFF_RUNNING, h.IFF_NOTRAILERS, h.IFF_DEBUG, h.IFF_PROMISC


def setflags(sc, s, name: bytes, value: int):
    """SIOCSIFFLAGS with ifr_flags = value; return the ifreq (SVR4 writes back into it)."""
    r = req(sc, name)
    r.ifr_ifru.ifru_flags = value - 0x10000 if value & 0x8000 else value
    ask(sc, s, "SIOCSIFFLAGS", r=r)
    return r


# -- native

def test_SIOCSIFFLAGS_down_clears_up_and_leaves_running(kernel, sc, s):
    """ifconfig le0 down: flags=42, as de0 after down (the board is reset, RUNNING stays)."""
    configure(sc, b"le0", "10.0.0.1")
    setflags(sc, s, b"le0", BROADCAST | RUNNING)
    assert flags(sc, s, b"le0") == BROADCAST | RUNNING


def test_SIOCSIFFLAGS_down_keeps_the_routes(kernel, sc, s):
    """if_down deletes no route; rtalloc skips them while the interface is down."""
    configure(sc, b"le0", "10.0.0.1", "255.255.255.0")
    before = kernel_routes(kernel)
    setflags(sc, s, b"le0", BROADCAST)
    assert kernel_routes(kernel) == before
    assert ("10.0.0.0", "10.0.0.1", h.RTF_UP, "le0") in before


def test_SIOCSIFFLAGS_up_again_after_down(kernel, sc, s):
    """Setting IFF_UP back brings the interface up: 43 again."""
    configure(sc, b"le0", "10.0.0.1")
    setflags(sc, s, b"le0", BROADCAST)
    setflags(sc, s, b"le0", UP | BROADCAST)
    assert flags(sc, s, b"le0") == UP | BROADCAST | RUNNING


def test_SIOCSIFFLAGS_cannot_set_broadcast_or_pointopoint(kernel, sc, s):
    """BROADCAST and POINTOPOINT are the driver's: lo0 keeps neither."""
    setflags(sc, s, b"lo0", LOOPBACK | BROADCAST | POINTOPOINT)
    assert flags(sc, s, b"lo0") == LOOPBACK


def test_SIOCSIFFLAGS_cannot_clear_broadcast(kernel, sc, s):
    setflags(sc, s, b"le0", 0)
    assert flags(sc, s, b"le0") == BROADCAST


def test_SIOCSIFFLAGS_cannot_set_running(kernel, sc, s):
    setflags(sc, s, b"sl0", POINTOPOINT | RUNNING)
    assert flags(sc, s, b"sl0") == POINTOPOINT


def test_SIOCSIFFLAGS_sets_notrailers_debug_and_promisc(kernel, sc, s):
    """The other bits are the user's; natively PROMISC is one of them."""
    setflags(sc, s, b"le0", BROADCAST | NOTRAILERS | DEBUG | PROMISC)
    assert flags(sc, s, b"le0") == BROADCAST | NOTRAILERS | DEBUG | PROMISC


def test_SIOCSIFFLAGS_can_clear_loopback_on_lo0(kernel, sc, s):
    """IFF_LOOPBACK is not in Tahoe's IFF_CANTCHANGE: root may clear it (faithful)."""
    setflags(sc, s, b"lo0", 0)
    assert flags(sc, s, b"lo0") == 0


def test_SIOCSIFFLAGS_sets_up_without_an_address(kernel, sc, s):
    """Marking an interface up needs no address; le0 starts its board."""
    setflags(sc, s, b"le0", UP | BROADCAST)
    assert flags(sc, s, b"le0") == UP | BROADCAST | RUNNING


def test_SIOCSIFFLAGS_not_root_is_EPERM(kernel, user_sc, us):
    fails(h.EPERM, setflags, user_sc, us, b"le0", UP)


def test_SIOCSIFFLAGS_unknown_interface_is_ENXIO_even_for_an_ordinary_user(kernel, user_sc, us):
    """4.3 looks the name up before it checks privilege."""
    fails(h.ENXIO, setflags, user_sc, us, b"qe0", UP)


def test_SIOCSIFFLAGS_bad_pointer_is_EFAULT(kernel, sc, s):
    fails(h.EFAULT, sc.ioctl, s, h.SIOCSIFFLAGS, BAD)


# -- SVR4

def test_SIOCSIFFLAGS_svr4_promisc_cannot_change(kernel, svr4_sc, vs):
    """SVR4's IFF_CANTCHANGE includes IFF_PROMISC."""
    setflags(svr4_sc, vs, b"le0", BROADCAST | PROMISC)
    assert flags(svr4_sc, vs, b"le0") == BROADCAST


def test_SIOCSIFFLAGS_svr4_returns_the_resulting_flags(kernel, svr4_sc, vs):
    """The I_STR acknowledgement comes back: ifr_flags holds the merged flags."""
    r = setflags(svr4_sc, vs, b"lo0", UP | BROADCAST | NOTRAILERS)
    assert r.ifr_ifru.ifru_flags == UP | LOOPBACK | RUNNING | NOTRAILERS


def test_SIOCSIFFLAGS_svr4_down_takes_the_interface_down(kernel, sc, svr4_sc, vs):
    """The native kernel underneath runs if_down; the native flags show it."""
    configure(sc, b"le0", "10.0.0.1")
    setflags(svr4_sc, vs, b"le0", BROADCAST)
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert flags(sc, s, b"le0") == BROADCAST | RUNNING
    assert flags(svr4_sc, vs, b"le0") == BROADCAST


def test_SIOCSIFFLAGS_svr4_not_root_is_EPERM(kernel, user_svr4_sc, uvs):
    fails(s4.EPERM, setflags, user_svr4_sc, uvs, b"le0", UP)


def test_SIOCSIFFLAGS_svr4_not_root_with_unknown_interface_is_EPERM(kernel, user_svr4_sc, uvs):
    """SVR4 checks privilege before the name: the reverse of 4.3."""
    fails(s4.EPERM, setflags, user_svr4_sc, uvs, b"qe0", UP)


def test_SIOCSIFFLAGS_svr4_unknown_interface_is_EINVAL(kernel, svr4_sc, vs):
    fails(s4.EINVAL, setflags, svr4_sc, vs, b"qe0", UP)


def test_SIOCSIFFLAGS_svr4_bad_pointer_is_EFAULT(kernel, svr4_sc, vs):
    fails(s4.EFAULT, svr4_sc.ioctl, vs, s4.SIOCSIFFLAGS, BAD)
