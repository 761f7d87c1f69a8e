"""ioctl command numbers, natively and under SVR4.

The expected values are test data from the ioctl reference, section 2.2
(the ILP32 table, AT&T SVR4.0 <sys/sockio.h> and 4.3BSD-Tahoe
<sys/ioctl.h> 7.6), with the three commands whose argument is larger on
LP64 recomputed: struct ifconf is 16 bytes (SIOCGIFCONF 0xc0106914) and
struct rtentry 64 (SIOCADDRT 0x8040720a, SIOCDELRT 0x8040720b).  Every
other argument (int, ifreq, arpreq, sockaddr, socksysreq, socknewproto)
has the same size on both.
"""

import pytest

from kern import headers

# The same number in 4.3BSD and SVR4.0.
COMMON = {
    "SIOCSHIWAT": 0x80047300,
    "SIOCGHIWAT": 0x40047301,
    "SIOCSLOWAT": 0x80047302,
    "SIOCGLOWAT": 0x40047303,
    "SIOCATMARK": 0x40047307,
    "SIOCSPGRP": 0x80047308,
    "SIOCGPGRP": 0x40047309,
    "SIOCADDRT": 0x8040720a,       # ILP32 0x8030720a
    "SIOCDELRT": 0x8040720b,       # ILP32 0x8030720b
    "SIOCSIFADDR": 0x8020690c,
    "SIOCGIFADDR": 0xc020690d,
    "SIOCSIFDSTADDR": 0x8020690e,
    "SIOCGIFDSTADDR": 0xc020690f,
    "SIOCSIFFLAGS": 0x80206910,
    "SIOCGIFFLAGS": 0xc0206911,
    "SIOCGIFCONF": 0xc0106914,     # ILP32 0xc0086914
    "SIOCSARP": 0x8024691e,
    "SIOCGARP": 0xc024691f,
    "SIOCDARP": 0x80246920,
    # group 'f', int argument
    "FIONREAD": 0x4004667f,
    "FIONBIO": 0x8004667e,
    "FIOASYNC": 0x8004667d,
    "FIOSETOWN": 0x8004667c,
    "FIOGETOWN": 0x4004667b,
    # _IO('f', 1) and _IO('f', 2) of 4.3 <sys/ioctl.h> (not tabled in the reference)
    "FIOCLEX": 0x20006601,
    "FIONCLEX": 0x20006602,
}

# Numbers 18-28: the clash table.
NATIVE_18_28 = {
    "SIOCGIFBRDADDR": 0xc0206912,
    "SIOCSIFBRDADDR": 0x80206913,
    "SIOCGIFNETMASK": 0xc0206915,
    "SIOCSIFNETMASK": 0x80206916,
    "SIOCGIFMETRIC": 0xc0206917,
    "SIOCSIFMETRIC": 0x80206918,
}
SVR4_18_28 = {
    "SIOCSIFMEM": 0x80206912,
    "SIOCGIFMEM": 0xc0206913,
    "SIOCSIFMTU": 0x80206915,
    "SIOCGIFMTU": 0xc0206916,
    "SIOCGIFBRDADDR": 0xc0206917,
    "SIOCSIFBRDADDR": 0x80206918,
    "SIOCGIFNETMASK": 0xc0206919,
    "SIOCSIFNETMASK": 0x8020691a,
    "SIOCGIFMETRIC": 0xc020691b,
    "SIOCSIFMETRIC": 0x8020691c,
}

# SVR4.0 only.
SVR4_ONLY = {
    "SIOCUPPER": 0x80206928,
    "SIOCLOWER": 0x80206929,
    "SIOCSETSYNC": 0x8020692c,
    "SIOCGETSYNC": 0xc020692d,
    "SIOCSSDSTATS": 0xc020692e,
    "SIOCSSESTATS": 0xc020692f,
    "SIOCSPROMISC": 0x80046930,    # int argument
    "SIOCADDMULTI": 0x80206931,
    "SIOCDELMULTI": 0x80206932,
    "SIOCIFDETACH": 0x80206938,
    "SIOCGENPSTATS": 0xc0206939,
    "SIOCX25XMT": 0xc020693b,
    "SIOCX25RCV": 0xc020693c,
    "SIOCX25TBL": 0xc020693d,
    "SIOCSLGETREQ": 0xc0206947,
    "SIOCSLSTAT": 0x80206948,
    "SIOCSIFNAME": 0x80206949,
    "SIOCGENADDR": 0xc0206955,
    "SIOCSOCKSYS": 0x801c6956,     # struct socksysreq, int[7]
    "SIOCPROTO": 0x80147333,       # struct socknewproto, 20 bytes
    "SIOCGETNAME": 0x40107334,     # struct sockaddr
    "SIOCGETPEER": 0x40107335,
    "IF_UNITSEL": 0x80047336,      # int argument
    "SIOCXPROTO": 0x20007337,      # _IO
    "I_STR": 0x5308,               # <sys/stropts.h>: ('S'<<8)|010
}


@pytest.fixture(scope="module")
def native():
    return headers.load("native")


@pytest.fixture(scope="module")
def svr4():
    return headers.load("svr4")


@pytest.mark.parametrize("name", sorted(COMMON))
def test_common_numbers_native(native, name):
    assert getattr(native, name) == COMMON[name]


@pytest.mark.parametrize("name", sorted(COMMON))
def test_common_numbers_svr4(svr4, name):
    assert getattr(svr4, name) == COMMON[name]


@pytest.mark.parametrize("name", sorted(NATIVE_18_28))
def test_43bsd_numbering_of_18_to_28(native, name):
    assert getattr(native, name) == NATIVE_18_28[name]


@pytest.mark.parametrize("name", sorted(SVR4_18_28))
def test_svr4_numbering_of_18_to_28(svr4, name):
    assert getattr(svr4, name) == SVR4_18_28[name]


@pytest.mark.parametrize("name", sorted(SVR4_ONLY))
def test_svr4_only_commands(svr4, name):
    assert getattr(svr4, name) == SVR4_ONLY[name]


@pytest.mark.parametrize("name", sorted(SVR4_ONLY) + ["SIOCSIFMEM", "SIOCGIFMEM",
                                                        "SIOCSIFMTU", "SIOCGIFMTU"])
def test_svr4_only_commands_are_absent_natively(native, name):
    assert not hasattr(native, name)


def test_svr4_names_its_18_to_28_differently(native, svr4):
    """The same name is a different command: a caller must be translated."""
    for name in NATIVE_18_28:
        assert getattr(native, name) != getattr(svr4, name)
    assert native.SIOCGIFBRDADDR == svr4.SIOCSIFMEM | 0x40000000  # 18 on both sides


def test_argument_lengths(native, svr4):
    """IOCPARM_LEN gives the copyin/copyout length of each command."""
    for h in (native, svr4):
        assert h.IOCPARM_LEN(h.SIOCGIFCONF) == h.ffi.sizeof("struct ifconf") == 16
        assert h.IOCPARM_LEN(h.SIOCADDRT) == h.ffi.sizeof("struct rtentry") == 64
        assert h.IOCPARM_LEN(h.SIOCSIFFLAGS) == h.ffi.sizeof("struct ifreq") == 32
        assert h.IOCPARM_LEN(h.SIOCSARP) == h.ffi.sizeof("struct arpreq") == 36
        assert h.IOCPARM_LEN(h.FIONREAD) == h.ffi.sizeof("int") == 4
    assert svr4.IOCPARM_LEN(svr4.SIOCSOCKSYS) == svr4.ffi.sizeof("struct socksysreq") == 28
    assert svr4.IOCPARM_LEN(svr4.SIOCPROTO) == svr4.ffi.sizeof("struct socknewproto") == 20
    assert (native.IOCPARM_MASK, svr4.IOCPARM_MASK) == (0x1fff, 0xff)


def test_groups_route_the_commands(native, svr4):
    """soo_ioctl dispatches on the group byte: 'i' ifioctl, 'r' rtioctl."""
    for h in (native, svr4):
        assert chr(h.IOCGROUP(h.SIOCGIFCONF)) == "i"
        assert chr(h.IOCGROUP(h.SIOCADDRT)) == "r"
        assert chr(h.IOCGROUP(h.SIOCATMARK)) == "s"
        assert chr(h.IOCGROUP(h.FIONBIO)) == "f"


def test_strioctl_is_svr4_only(native, svr4):
    assert svr4.ffi.sizeof("struct strioctl") == 24  # three ints and a pointer, LP64
    assert not hasattr(native, "I_STR")
