"""socket(2): creation through the domain tables, and its errors."""

import pytest

from kern.headers import native as h
from kern.syscalls import SysError


def test_socket_returns_the_lowest_free_descriptor(sc):
    assert sc.socket(h.AF_INET, h.SOCK_DGRAM, 0) == 0
    assert sc.socket(h.AF_INET, h.SOCK_DGRAM, h.IPPROTO_UDP) == 1
    sc.close(0)
    assert sc.socket(h.AF_INET, h.SOCK_DGRAM, 0) == 0


def test_socket_of_an_unknown_domain_is_EPROTONOSUPPORT(sc):
    with pytest.raises(SysError) as e:
        sc.socket(h.AF_UNIX, h.SOCK_DGRAM, 0)
    assert e.value.errno == h.EPROTONOSUPPORT
    assert e.value.strerror == "Protocol not supported"


def test_socket_of_an_unknown_type_is_EPROTONOSUPPORT(sc):
    with pytest.raises(SysError) as e:
        sc.socket(h.AF_INET, h.SOCK_SEQPACKET, 0)
    assert e.value.errno == h.EPROTONOSUPPORT


def test_raw_socket_needs_the_super_user(user_sc):
    with pytest.raises(SysError) as e:
        user_sc.socket(h.AF_INET, h.SOCK_RAW, 0)
    assert e.value.errno == h.EACCES


def test_raw_socket_for_root(sc):
    assert sc.socket(h.AF_INET, h.SOCK_RAW, h.IPPROTO_ICMP) == 0


def test_running_out_of_descriptors_is_EMFILE(sc):
    for _ in range(h.NOFILE):
        sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert e.value.errno == h.EMFILE


@pytest.mark.config("options NFILE=3\npseudo-device loop\n")
def test_a_full_file_table_is_ENFILE(sc):
    for _ in range(3):
        sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    with pytest.raises(SysError) as e:
        sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert e.value.errno == h.ENFILE


def test_close_of_a_bad_descriptor_is_EBADF(sc):
    with pytest.raises(SysError) as e:
        sc.close(5)
    assert e.value.errno == h.EBADF


def test_close_frees_the_socket_and_its_pcb(sc):
    from kern import kern_malloc as km
    before = (km.kmemstats[h.M_SOCKET].ks_inuse, km.kmemstats[h.M_PCB].ks_inuse)
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert km.kmemstats[h.M_SOCKET].ks_inuse == before[0] + 1
    sc.close(s)
    assert (km.kmemstats[h.M_SOCKET].ks_inuse, km.kmemstats[h.M_PCB].ks_inuse) == before


def test_svr4_process_gets_svr4_errno_numbers(svr4_sc):
    from kern import headers
    s4 = headers.load("svr4")
    with pytest.raises(SysError) as e:
        svr4_sc.close(7)
    assert e.value.errno == s4.EBADF
    with pytest.raises(SysError) as e:
        svr4_sc.socket(h.AF_UNIX, s4.SOCK_DGRAM, 0)
    assert e.value.errno == s4.EPROTONOSUPPORT != h.EPROTONOSUPPORT
