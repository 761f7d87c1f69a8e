"""The wire protocol's edges: the handshake, refusals, and fuzzed framing.

A malformed, truncated or oversized message from a client ends that
client's connection (and is logged); the kernel and its other clients
carry on.
"""

import socket
import struct

from hypothesis import HealthCheck, given, settings, strategies as st

from kern.headers import native as h
from kern.sysproxy import protocol as P
from kern.sysproxy.client import Refused, connect

import pytest

from nkhelp import raw_call, raw_connect, raw_hello, raw_read


def test_version_mismatch_is_refused_with_a_clear_message(kname, kernels):
    s = raw_connect(kname)
    type_, aux, body = raw_hello(s, version=P.VERSION + 1)
    assert type_ == P.T_REFUSE and aux == P.VERSION
    assert body.decode() == (f'netkern: kernel "{kname}" speaks sysproxy protocol {P.VERSION}, '
                             f'this program speaks {P.VERSION + 1}')
    assert raw_read(s) is None                 # and the connection is closed
    assert "refused" in kernels.log(kname)


def test_client_raises_Refused_with_the_servers_text(kname, monkeypatch):
    monkeypatch.setattr(P, "VERSION", P.VERSION + 7)
    with pytest.raises(Refused) as e:
        connect(kname)
    assert "speaks sysproxy protocol" in str(e.value)


def test_bad_magic_is_refused(kname):
    s = raw_connect(kname)
    hello = bytearray(P.hello(1, 1, "native", "x"))
    hello[8:12] = b"XXXX"
    s.sendall(hello)
    type_, _, body = raw_read(s)
    assert type_ == P.T_REFUSE and b"bad magic" in body


def test_unknown_personality_is_refused(kname):
    s = raw_connect(kname)
    hello = bytearray(P.hello(1, 1, "native", "x"))
    hello[20] = 9
    s.sendall(hello)
    type_, _, body = raw_read(s)
    assert type_ == P.T_REFUSE and b"personality" in body


def test_unknown_system_call_is_EINVAL_and_SIGSYS(kname):
    """4.3's nosys: SIGSYS to the caller (ignored here), and the call fails."""
    import signal
    old = signal.signal(signal.SIGSYS, signal.SIG_IGN)
    try:
        with connect(kname) as sc:
            with pytest.raises(OSError) as e:
                sc.call(400, ())
            assert e.value.errno == h.EINVAL
    finally:
        signal.signal(signal.SIGSYS, old)


def test_missing_argument_words_read_as_zero(kname):
    """Fewer words than the call takes: the rest are 0, as a C kernel reads sy_narg words."""
    s = raw_connect(kname)
    raw_hello(s)
    s.sendall(raw_call(h.SYS_socket, (h.AF_INET, h.SOCK_DGRAM)))
    type_, _, body = raw_read(s)
    errno, _, value = struct.unpack("=iIq", body)
    assert type_ == P.T_RETURN and (errno, value) == (0, 0)


def test_wide_int_argument_is_cut_to_32_bits(kname):
    with connect(kname) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        sc.close(s + (1 << 32))                   # the low 32 bits name s
        with pytest.raises(OSError) as e:
            sc.close(s)
        assert e.value.errno == h.EBADF


def test_oversized_message_disconnects_and_is_logged(kname, kernels):
    s = raw_connect(kname)
    raw_hello(s)
    s.sendall(P.HDR.pack(P.MAXMSG + 1, P.T_CALL, 0))
    assert raw_read(s) is None
    assert "protocol error: message length" in kernels.log(kname)
    with connect(kname) as sc:
        assert sc.getpid()


def test_truncated_message_is_logged(kname, kernels):
    s = raw_connect(kname)
    raw_hello(s)
    s.sendall(raw_call(h.SYS_getpid, ())[:10])
    s.close()
    from nkhelp import wait_for
    wait_for(lambda: "protocol error: truncated message (10 bytes)" in kernels.log(kname),
             what="the log line")
    with connect(kname) as sc:
        assert sc.getpid()


def test_message_during_a_sleep_other_than_INTR_disconnects(kname, kernels):
    s = raw_connect(kname)
    raw_hello(s)
    s.sendall(raw_call(h.SYS_socket, (h.AF_INET, h.SOCK_DGRAM, 0)))
    raw_read(s)
    fds = h.ffi.new("fd_set *")
    fds.fds_bits[0] = 1
    data = h.ffi.buffer(fds, 8)[:]
    s.sendall(raw_call(h.SYS_select, (1, 0x1000, 0, 0, 0), [(0x1000, 8, P.W_IN | P.W_OUT, data)]))
    s.sendall(raw_call(h.SYS_getpid, ()))
    assert raw_read(s) is None or raw_read(s) is None
    assert "during a call; disconnected" in kernels.log(kname)


# ---------------------------------------------------------------------------
# Fuzzing: whatever a client sends, the kernel survives and serves others.

CALLS = [h.SYS_close, h.SYS_getpid, h.SYS_getuid, h.SYS_ioctl, h.SYS_fcntl, h.SYS_select,
         h.SYS_socket, h.SYS_poll, 0, 999]
word = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1)
small = st.integers(min_value=-2, max_value=70)
region = st.tuples(st.integers(min_value=0, max_value=(1 << 64) - 1),
                   st.integers(min_value=0, max_value=64), st.integers(min_value=0, max_value=7))


@st.composite
def call_message(draw):
    """A CALL with plausible or hostile fields, possibly lying about its sizes."""
    args = draw(st.lists(st.one_of(small, word), max_size=P.MAXARGS + 2))
    wins = draw(st.lists(region, max_size=P.MAXWIN + 1))
    body = P.ARGS[0].pack() + b"".join(struct.pack("=q", a) for a in args)
    for addr, n, flags in wins:
        body += P.REGION.pack(addr, n, flags)
        if flags & P.W_IN and not flags & P.W_FAULT:
            body += draw(st.binary(min_size=n, max_size=n))
    msg = P.CALL.pack(P.CALL.size + len(body), P.T_CALL, draw(st.sampled_from(CALLS)),
                      draw(st.sampled_from([len(args), 0, 255, P.MAXARGS + 1])),
                      draw(st.sampled_from([len(wins), 0, 255])))
    msg += body
    cut = draw(st.sampled_from([None, None, 0, 4, 7, len(msg) - 1]))
    return msg if cut is None else msg[:cut]


garbage = st.one_of(
    st.binary(max_size=64),
    st.builds(lambda t, a, b: P.HDR.pack(len(b) + P.HDRSIZE, t, a) + b,
              st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=65535),
              st.binary(max_size=40)),
    st.builds(lambda n: P.HDR.pack(n, P.T_CALL, 0), st.sampled_from([0, 1, 7, P.MAXMSG + 1,
                                                                   0xFFFFFFFF])),
    call_message(),
)


def _exchange(name, handshake, payloads):
    """Connect, maybe shake hands, send payloads, then leave; the kernel must not care."""
    s = raw_connect(name)
    s.settimeout(2)
    try:
        if handshake:
            raw_hello(s)
        for p in payloads:
            s.sendall(p)
        s.shutdown(socket.SHUT_WR)
        while raw_read(s) is not None:         # drain whatever it says, until it closes
            pass
    except (OSError, socket.timeout):
        pass
    finally:
        s.close()


@pytest.fixture(scope="module")
def fuzz_kernel(tmp_path_factory):
    """One kernel for the whole fuzz run, and a well-behaved client of it."""
    import os
    import tempfile
    from nkhelp import Kernels
    d = tempfile.mkdtemp(prefix="nkxdg-")
    old = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = d
    os.environ["NETKERN_TEST_HOOKS"] = "1"
    k = Kernels(d)
    k.boot("fuzz")
    sc = connect("fuzz")
    yield k, sc
    sc.close_connection()
    k.halt_all()
    if old is None:
        os.environ.pop("XDG_RUNTIME_DIR")
    else:
        os.environ["XDG_RUNTIME_DIR"] = old
    os.environ.pop("NETKERN_TEST_HOOKS", None)
    import shutil
    shutil.rmtree(d, ignore_errors=True)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(handshake=st.booleans(), payloads=st.lists(garbage, min_size=1, max_size=3))
def test_fuzzed_framing_never_stops_the_kernel(fuzz_kernel, handshake, payloads):
    kernels, sc = fuzz_kernel
    _exchange("fuzz", handshake, payloads)
    assert sc.getpid() > 0                      # the kernel still serves its clients
    assert kernels.pid("fuzz")


def test_fuzz_left_no_internal_errors(fuzz_kernel):
    """Nothing the fuzzer sent reached a kernel bug (no traceback in the log)."""
    kernels, _ = fuzz_kernel
    log = kernels.log("fuzz")
    assert "protocol error" in log              # the fuzzer did break the protocol
    assert "internal error" not in log and "Traceback" not in log and "panic" not in log
