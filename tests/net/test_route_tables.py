"""The route vault as a tool sees it: rthost/rtnet chains of MT_RTABLE mbufs, read through kvm.

Seed 002, "The Route Vault: Hash Buckets and Statistics".  RTHASHSIZ is
8, 64 with ``options GATEWAY``, or ``options RTHASHSIZ=n`` (RTHASHMOD
masks for a power of two and takes the remainder otherwise); netstat
learns it from ``rthashsize``.
"""

import os

import pytest

from kern import config, kvm
from kern.headers import native as h
from kern.net import route
from tests.conftest import configure
from tests.rtutil import assert_routes_balanced, rtentry

ffi = h.ffi
HOST_GW = h.RTF_HOST | h.RTF_GATEWAY


def open_kvm(kernel):
    return kvm.kvm_open(os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem"))


def chains(kd, table: str):
    """{bucket: [(rt_hash, dst s_addr, m_type), ...]} walked as netstat walks them."""
    n = kd.symbol("_rthashsize", "int")[0]
    base, size = kd.nlist("_" + table), ffi.sizeof("struct mbuf *")
    out = {}
    for i in range(n):
        m = kd.read(base + i * size, "struct mbuf *")[0]
        while m:
            mb = kd.read(m, "struct mbuf")
            rt = kd.read(mb.m_hdr.mh_data, "struct rtentry")
            sin = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_dst"))
            out.setdefault(i, []).append((rt.rt_hash, sin.sin_addr.s_addr, mb.m_hdr.mh_type))
            m = mb.m_hdr.mh_next
    return out


def add_hosts(sc, addrs):
    configure(sc, b"le0", "10.0.0.1")
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    for a in addrs:
        sc.ioctl(s, h.SIOCADDRT, rtentry(a, "10.0.0.2", HOST_GW))
    return s


HOSTS = [f"192.168.5.{i}" for i in range(1, 21)]


def test_generic_kernel_has_8_buckets(kernel, sc):
    add_hosts(sc, HOSTS)
    kd = open_kvm(kernel)
    assert kd.symbol("_rthashsize", "int")[0] == 8
    got = chains(kd, "rthost")
    assert set(got) <= set(range(8))
    for bucket, entries in got.items():
        for rt_hash, _, mtype in entries:
            assert rt_hash & 7 == bucket and mtype == h.MT_RTABLE
    assert sum(map(len, got.values())) == len(HOSTS)


@pytest.mark.config(config.GENERIC + "options GATEWAY\n")
def test_a_gateway_kernel_has_64_buckets(kernel, sc):
    add_hosts(sc, HOSTS)
    kd = open_kvm(kernel)
    assert kd.symbol("_rthashsize", "int")[0] == 64
    for bucket, entries in chains(kd, "rthost").items():
        assert all(rt_hash & 63 == bucket for rt_hash, _, _ in entries)


@pytest.mark.config(config.GENERIC + "options RTHASHSIZ=7\n")
def test_a_size_that_is_no_power_of_two_takes_the_remainder(kernel, sc):
    add_hosts(sc, HOSTS)
    kd = open_kvm(kernel)
    assert kd.symbol("_rthashsize", "int")[0] == 7
    got = chains(kd, "rthost")
    assert len(got) == 7                                 # 20 consecutive hosts fill them all
    for bucket, entries in got.items():
        assert all(rt_hash % 7 == bucket for rt_hash, _, _ in entries)


def test_a_chain_holds_the_newest_route_first(kernel, sc):
    same_bucket = ["192.168.5.1", "192.168.5.9", "192.168.5.17"]    # hashes equal mod 8
    add_hosts(sc, same_bucket)
    kd = open_kvm(kernel)
    from tests.conftest import in_addr
    assert [a for _, a, _ in chains(kd, "rthost")[1]] == [in_addr(a) for a in reversed(same_bucket)]


def test_net_routes_hang_on_rtnet_by_net_hash(kernel, sc):
    s = add_hosts(sc, [])
    sc.ioctl(s, h.SIOCADDRT, rtentry("172.16.0.0", "10.0.0.2", h.RTF_GATEWAY))
    sc.ioctl(s, h.SIOCADDRT, rtentry("0.0.0.0", "10.0.0.2", h.RTF_GATEWAY))
    got = chains(open_kvm(kernel), "rtnet")
    assert {(b, rt_hash) for b, es in got.items() for rt_hash, _, _ in es} == {
        (0xAC10 & 7, 0xAC10),      # 172.16.0.0
        (0x0A & 7, 0x0A),          # le0's own route, 10.0.0.0
        (0, 0),                    # the default route
    }


def test_rtstat_and_rttrash_are_in_the_namelist(kernel, sc):
    kd = open_kvm(kernel)
    for name in ("_rthost", "_rtnet", "_rthashsize", "_rtstat", "_rttrash", "_wildcard"):
        assert kd.nlist(name), name
    route.rtstat.rts_unreach = 7
    assert kd.symbol("_rtstat", "struct rtstat").rts_unreach == 7


def test_a_route_is_one_MSIZE_mbuf_of_M_RTABLE(kernel, sc):
    from tests.rtutil import rtable_memory
    base = rtable_memory()
    add_hosts(sc, HOSTS)
    inuse, memuse, mtypes = rtable_memory()
    n = len(HOSTS) + 1                                   # and le0's own route
    assert (inuse - base[0], memuse - base[1], mtypes - base[2]) == (n, n * h.MSIZE, n)
    assert_routes_balanced()


def test_the_index_answers_what_the_chain_walk_would(kernel, sc):
    """The host index holds exactly the host chains' routes, in chain order."""
    s = add_hosts(sc, HOSTS)
    sc.ioctl(s, h.SIOCADDRT, rtentry("192.168.5.1", "10.0.0.3", HOST_GW))
    sc.ioctl(s, h.SIOCDELRT, rtentry("192.168.5.2", "10.0.0.2", HOST_GW))
    walked = {}
    for i in range(route.rthashsize):
        for _, rt in route._chain(route.rthost[i]):
            walked.setdefault(route._sabytes(ffi.addressof(rt, "rt_dst")), []).append(rt)
    assert {k: tuple(v) for k, v in walked.items()} == route._hostindex
