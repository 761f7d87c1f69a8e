"""Kernel memory: malloc(9) buckets, kmemstats, poison, and the panics."""

import pytest

from kern import kern_malloc as km
from kern.headers import native as h
from kern.subr_prf import Panic

ffi = h.ffi


def stats(type_):
    ks = km.kmemstats[type_]
    return ks.ks_inuse, ks.ks_memuse, ks.ks_calls


def test_malloc_rounds_up_to_a_power_of_two_bucket(kernel):
    before = stats(h.M_TEMP)
    a = km.malloc(100, h.M_TEMP, h.M_WAITOK)
    assert a % 128 == 0
    assert km.kmemusage[(a - km.kmembase) >> km.PGSHIFT].ku_indx == 7
    inuse, memuse, calls = stats(h.M_TEMP)
    assert (inuse, memuse, calls) == (before[0] + 1, before[1] + 128, before[2] + 1)
    km.free(a, h.M_TEMP)
    assert stats(h.M_TEMP)[:2] == before[:2]


def test_free_element_is_reused_first(kernel):
    a = km.malloc(40, h.M_TEMP, h.M_WAITOK)
    km.free(a, h.M_TEMP)
    b = km.malloc(60, h.M_TEMP, h.M_WAITOK)
    assert b == a
    km.free(b, h.M_TEMP)


def test_allocations_of_one_bucket_share_a_page(kernel):
    addrs = [km.malloc(16, h.M_TEMP, h.M_WAITOK) for _ in range(8)]
    pages = {a >> km.PGSHIFT for a in addrs}
    assert len(pages) == 1
    bucket = km.bucket[km.BUCKETINDX(16)]
    assert bucket.kb_total >= bucket.kb_elmpercl == km.NBPG // 16
    for a in addrs:
        km.free(a, h.M_TEMP)


def test_freed_memory_is_poisoned_with_deadbeef(kernel):
    a = km.malloc(64, h.M_TEMP, h.M_WAITOK)
    ffi.memmove(ffi.cast("char *", a), b"x" * 64, 64)
    km.free(a, h.M_TEMP)
    word = ffi.sizeof("char *")
    raw = ffi.buffer(ffi.cast("char *", a + word), 64 - word)[:]
    assert raw == (0xDEADBEEF).to_bytes(4, "little") * ((64 - word) // 4)


def test_large_allocation_takes_whole_pages_and_gives_them_back(kernel):
    n = km.MAXALLOCSAVE + 1
    before = stats(h.M_TEMP)
    a = km.malloc(n, h.M_TEMP, h.M_WAITOK)
    assert a % km.NBPG == 0
    assert stats(h.M_TEMP)[1] - before[1] == (n + km.NBPG - 1) // km.NBPG * km.NBPG
    km.free(a, h.M_TEMP)
    assert stats(h.M_TEMP)[:2] == before[:2]
    assert km.malloc(n, h.M_TEMP, h.M_WAITOK) == a      # the run is reused


def test_double_free_panics(kernel):
    a = km.malloc(32, h.M_TEMP, h.M_WAITOK)
    km.free(a, h.M_TEMP)
    with pytest.raises(Panic, match="multiple frees"):
        km.free(a, h.M_TEMP)


def test_free_of_an_address_malloc_never_returned_panics(kernel):
    a = km.malloc(32, h.M_TEMP, h.M_WAITOK)
    with pytest.raises(Panic):
        km.free(a + 16, h.M_TEMP)
    km.free(a, h.M_TEMP)


@pytest.mark.config("options KMEMSIZE=1048576\npseudo-device loop\n")
def test_exhaustion_returns_null_with_nowait(kernel):
    got = []
    while True:
        a = km.malloc(km.NBPG * 4, h.M_TEMP, h.M_NOWAIT)
        if a == 0:
            break
        got.append(a)
    assert got
    ks = km.kmemstats[h.M_TEMP]
    assert ks.ks_mapblocks + ks.ks_limblocks >= 1
    for a in got:
        km.free(a, h.M_TEMP)


@pytest.mark.config("options KMEMSIZE=1048576\npseudo-device loop\n")
def test_exhaustion_panics_when_the_caller_would_wait(kernel):
    with pytest.raises(Panic, match="malloc"):
        while True:
            km.malloc(km.NBPG * 4, h.M_TEMP, h.M_WAITOK)


def test_kalloc_zeroes_a_structure(kernel):
    p = km.kalloc("struct ifnet", h.M_TEMP)
    assert bytes(ffi.buffer(p)) == bytes(ffi.sizeof("struct ifnet"))
    km.kfree(p, h.M_TEMP)


def test_panic_is_logged_in_the_message_buffer(kernel):
    from kern import subr_prf
    with pytest.raises(Panic):
        subr_prf.panic("test panic")
    mb = subr_prf.msgbuf
    text = ffi.buffer(mb.msg_bufc, mb.msg_bufx)[:]
    assert b"panic: test panic\n" in text
