"""mbufs: the allocator, mbstat at every moment, and the chain utilities."""

import pytest

from kern import uipc_mbuf as mb
from kern.headers import native as h
from kern.uipc_mbuf import (M_DONTWAIT, M_PREPEND, MCLGET, m_adj, m_cat, m_copy, m_copyback,
                            m_copydata, m_devget, m_free, m_freem, m_get, m_gethdr, m_length,
                            m_pullup, mtod)

ffi = h.ffi


def chain_bytes(m) -> bytes:
    return m_copydata(m, 0, m_length(m))


def inuse(t=None) -> int:
    """mbufs in use (of one type, or of all)."""
    s = mb.mbstat
    if t is not None:
        return s.m_mtypes[t]
    return s.m_mbufs - s.m_mtypes[h.MT_FREE]


def assert_consistent():
    s = mb.mbstat
    assert sum(s.m_mtypes[i] for i in range(256)) == s.m_mbufs
    assert s.m_mtypes[h.MT_FREE] == len(mb.mfree)
    assert s.m_clfree == len(mb.mclfree)


def test_mbinit_carves_one_page_of_each(kernel):
    """Boot carves a page of mbufs and a page of clusters, all free."""
    s = mb.mbstat
    assert s.m_mtypes[h.MT_FREE] >= h.CLBYTES // h.MSIZE
    assert s.m_clusters == h.CLBYTES // h.MCLBYTES == s.m_clfree
    assert_consistent()


def test_m_get_and_free_count_types(kernel):
    """m_get moves one mbuf from MT_FREE to its type; m_free moves it back."""
    before = inuse(h.MT_DATA)
    m = m_get(M_DONTWAIT, h.MT_DATA)
    assert inuse(h.MT_DATA) == before + 1
    assert_consistent()
    assert m_free(m) is None
    assert inuse(h.MT_DATA) == before
    assert_consistent()


def test_free_list_grows_a_page_at_a_time(kernel):
    """An empty free list carves a new map page: m_mbufs grows by CLBYTES/MSIZE."""
    s = mb.mbstat
    n0 = s.m_mbufs
    got = [m_get(M_DONTWAIT, h.MT_DATA) for _ in range(n0 + 1)]
    assert s.m_mbufs > n0 and (s.m_mbufs - n0) % (h.CLBYTES // h.MSIZE) == 0
    assert_consistent()
    for m in got:
        m_free(m)
    assert inuse() == inuse(h.MT_RTABLE)
    assert_consistent()


def test_kernel_memory_types_stay_cffi_structs(kernel):
    """An MT_RTABLE mbuf is a struct mbuf in the arena, counted in the same mbstat."""
    before = inuse(h.MT_RTABLE)
    m = m_get(M_DONTWAIT, h.MT_RTABLE)
    assert isinstance(m, ffi.CData)
    assert inuse(h.MT_RTABLE) == before + 1
    assert_consistent()
    rt = mtod(m, "struct rtentry")
    rt.rt_flags = 5
    assert mtod(m, "struct rtentry").rt_flags == 5
    m_freem(m)
    assert inuse(h.MT_RTABLE) == before


@pytest.mark.config("options INET, NMBCLUSTERS=2\npseudo-device loop\n")
def test_exhaustion_drains_then_drops(kernel):
    """With the map full, allocation calls m_reclaim (m_drain) and then counts m_drops."""
    s = mb.mbstat
    held = []
    while True:
        m = m_get(M_DONTWAIT, h.MT_DATA)
        if m is None:
            break
        held.append(m)
    assert len(held) == s.m_mbufs            # every carved mbuf is in use
    assert s.m_drain == 1 and s.m_drops == 1
    assert_consistent()
    for m in held:
        m_free(m)
    assert inuse() == 0


@pytest.mark.config("options INET, NMBCLUSTERS=2\npseudo-device loop\n")
def test_cluster_exhaustion_counts_drop(kernel):
    """MCLGET on an empty map leaves M_EXT clear and counts m_drops."""
    s = mb.mbstat
    ms = []
    for _ in range(s.m_clusters):
        m = m_get(M_DONTWAIT, h.MT_DATA)
        MCLGET(m, M_DONTWAIT)
        assert m.m_flags & h.M_EXT
        ms.append(m)
    m = m_get(M_DONTWAIT, h.MT_DATA)
    MCLGET(m, M_DONTWAIT)
    assert not m.m_flags & h.M_EXT
    assert s.m_drops == 1
    m_freem(m)
    for m in ms:
        m_freem(m)
    assert s.m_clfree == s.m_clusters


@pytest.mark.parametrize("size", [0, 1, 20, 72, 73, 84, 159, 160, 1500, 2048, 2049, 5000])
def test_m_devget_keeps_the_bytes(kernel, size):
    """m_devget copies a frame of any size into a chain with a packet header."""
    data = bytes((i * 7) & 0xFF for i in range(size))
    m = m_devget(data, size, 0, None)
    assert m.m_flags & h.M_PKTHDR
    assert m.m_pkthdr.len == size == m_length(m)
    assert chain_bytes(m) == data
    m_freem(m)
    assert inuse() == inuse(h.MT_RTABLE)
    assert mb.mbstat.m_clfree == mb.mbstat.m_clusters


def test_m_devget_short_frame_leaves_room_for_a_link_header(kernel):
    """A small frame starts max_linkhdr into its mbuf, so M_PREPEND needs no new mbuf."""
    m = m_devget(b"x" * 40, 40, 0, None)
    assert mb.M_LEADINGSPACE(m) == mb.max_linkhdr
    n = M_PREPEND(m, 14, M_DONTWAIT)
    assert n is m and m.m_pkthdr.len == 54 and m.m_next is None
    m_freem(m)


def test_M_PREPEND_allocates_when_no_room(kernel):
    """Without leading space M_PREPEND puts a new mbuf in front, moving the header."""
    data = bytes(range(200))
    m = m_devget(data, 200, 0, None)      # a cluster: no leading space
    n = M_PREPEND(m, 20, M_DONTWAIT)
    assert n is not m and n.m_flags & h.M_PKTHDR and not m.m_flags & h.M_PKTHDR
    assert n.m_pkthdr.len == 220 and n.m_len == 20
    assert chain_bytes(n)[20:] == data
    m_freem(n)


def test_m_adj_head_and_tail(kernel):
    """m_adj trims from the front (positive) and the back (negative) across mbufs."""
    data = bytes(range(100))
    m = m_devget(data, 100, 0, None)
    m_adj(m, 30)
    assert chain_bytes(m) == data[30:] and m.m_pkthdr.len == 70
    m_adj(m, -50)
    assert chain_bytes(m) == data[30:50] and m.m_pkthdr.len == 20
    m_adj(m, -1000)
    assert m_length(m) == 0 and m.m_pkthdr.len == 0
    m_freem(m)


def test_m_pullup_makes_header_contiguous(kernel):
    """m_pullup gathers the first bytes of a chain into one mbuf."""
    data = bytes(range(100))
    m = m_devget(data, 100, 0, None)
    m_adj(m, 60)                                   # first mbuf now has 12 bytes
    assert m.m_len == 12
    m = m_pullup(m, 30)
    assert m.m_len >= 30 and chain_bytes(m) == data[60:] and m.m_pkthdr.len == 40
    m_freem(m)


def test_m_pullup_too_long_frees_the_chain(kernel):
    """Asking for more than the chain holds frees it and returns None."""
    before = inuse()
    m = m_devget(b"a" * 10, 10, 0, None)
    assert m_pullup(m, 40) is None
    assert inuse() == before


def test_m_copy_shares_clusters(kernel):
    """m_copy of cluster data shares the cluster; the last free returns it."""
    s = mb.mbstat
    data = bytes(range(256)) * 4
    m = m_devget(data, len(data), 0, None)
    assert m.m_flags & h.M_EXT
    free_before = s.m_clfree
    n = m_copy(m, 10, 100)
    assert n.m_ext is m.m_ext and m.m_ext.refcnt == 2
    assert chain_bytes(n) == data[10:110]
    m_freem(m)
    assert s.m_clfree == free_before
    m_freem(n)
    assert s.m_clfree == free_before + 1


def test_m_copy_all_copies_the_header(kernel):
    """M_COPYALL from 0 copies the packet header and every byte."""
    data = bytes(range(90))
    m = m_devget(data, 90, 0, None)
    n = m_copy(m, 0, h.M_COPYALL)
    assert n.m_flags & h.M_PKTHDR and n.m_pkthdr.len == 90 and chain_bytes(n) == data
    m_freem(m)
    m_freem(n)


def test_m_cat_and_copyback(kernel):
    """m_cat appends chains; m_copyback overwrites in place."""
    a = m_devget(b"abc", 3, 0, None)
    b = m_get(M_DONTWAIT, h.MT_DATA)
    b.m_buf[b.m_data:b.m_data + 3] = b"def"
    b.m_len = 3
    m_cat(a, b)
    assert a.m_len == 6 and a.m_next is None           # copied into the first mbuf
    m_copyback(a, 1, 2, b"XY")
    assert chain_bytes(a) == b"aXYdef"
    m_freem(a)


def test_mtod_gives_a_struct_view(kernel):
    """mtod(m, "struct ip") reads and writes the packet bytes in place."""
    m = m_devget(bytes(20), 20, 0, None)
    ip = mtod(m, "struct ip")
    ip.ip_ttl = 64
    assert chain_bytes(m)[8] == 64
    m_freem(m)


def test_double_free_panics(kernel):
    """Freeing a free mbuf is a kernel bug: it panics."""
    from kern.subr_prf import Panic
    m = m_get(M_DONTWAIT, h.MT_DATA)
    m_free(m)
    with pytest.raises(Panic):
        m_free(m)
