"""shutdown(2) on UDP sockets (uipc_socket.c soshutdown, sorflush)."""

import pytest

from kern.headers import native as h
from kern.netinet import udp_usrreq

from udpkit import NB, SIN, fails, lo, recv, sendto, sin, socket_of, udp  # noqa: F401

ffi = h.ffi


def test_shutdown_0_makes_reads_end_of_file_and_drops_what_was_queued(lo):
    s = udp(lo, 5000)
    sendto(lo, udp(lo), b"queued", 5000)
    lo.shutdown(s, 0)
    buf = ffi.new("char[16]")
    assert lo.recv(s, buf, 16, 0) == 0              # end of file, even blocking
    assert socket_of(lo, s).so_rcv.sb_cc == 0


def test_after_shutdown_0_arrivals_find_no_room(lo):
    """sorflush zeroes the receive buffer, limits included (sb_hiwat 0)."""
    s = udp(lo, 5000)
    lo.shutdown(s, 0)
    before = udp_usrreq.udpstat.udps_fullsock
    sendto(lo, udp(lo), b"too late", 5000)
    assert udp_usrreq.udpstat.udps_fullsock == before + 1
    assert socket_of(lo, s).so_rcv.sb_hiwat == 0


def test_shutdown_1_makes_sends_EPIPE(lo):
    s = udp(lo)
    lo.shutdown(s, 1)
    fails(h.EPIPE, sendto, lo, s, b"x", 9)


def test_shutdown_1_still_receives(lo):
    s = udp(lo, 5000)
    lo.shutdown(s, 1)
    sendto(lo, udp(lo), b"still here", 5000)
    assert recv(lo, s)[0] == b"still here"


def test_shutdown_2_stops_both(lo):
    s = udp(lo, 5000)
    lo.shutdown(s, 2)
    fails(h.EPIPE, sendto, lo, s, b"x", 9)
    assert lo.recv(s, ffi.new("char[4]"), 4, 0) == 0


@pytest.mark.parametrize("how", [3, -1, 99])
def test_other_values_of_how_are_taken_bit_by_bit_without_an_error(lo, how):
    """how + 1 is read as FREAD|FWRITE, as 4.3 does: 3 (4) and -1 (0) do nothing,
    99 (100: FREAD) shuts down receiving."""
    s = udp(lo, 5000)
    lo.shutdown(s, how)
    state = socket_of(lo, s).so_state
    assert bool(state & h.SS_CANTRCVMORE) == bool((how + 1) & h.FREAD)
    assert not state & h.SS_CANTSENDMORE


def test_shutdown_bad_descriptor_is_EBADF(lo):
    fails(h.EBADF, lo.shutdown, 9, 2)
