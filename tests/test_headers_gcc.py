"""The headers mean the same to a C compiler as to the Python loader.

kern.headers lays out every structure with cffi and evaluates every
#define with its own constant-expression compiler.  These tests build a
C program from what the loader produced (every struct and union size,
alignment and field offset; every typedef size; every integer constant),
compile it with gcc against the same headers, run it, and require each
number to match.  A second group checks the reference model's fixed
sizes and offsets (ioctl reference, sections 1.9 and 1.12), which the
literal array sizes in the headers depend on.
"""

import os
import shutil
import subprocess

import pytest

from kern import headers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYS = os.path.join(ROOT, "sys")
PERSONALITIES = ("native", "svr4")


def _header_files():
    """Every header under sys/, sorted, as the loader includes them."""
    out = []
    for d, _, names in os.walk(SYS):
        out += [os.path.relpath(os.path.join(d, n), SYS) for n in names if n.endswith(".h")]
    return sorted(out)


def _sizeof(ffi, t):
    """sizeof t, or None for an opaque struct (cffi's ABI mode asserts
    if .fields is read before the struct is known to be complete)."""
    try:
        return ffi.sizeof(t)
    except ffi.error:
        return None


def _checks(h):
    """(label, value the loader computed, C expression) for every number.

    Constants come first.  The layout checks follow an #undef of every
    member-path macro (ALIASES): Reno's `#define m_ext M_dat...` hides
    the tag of `struct m_ext` from any code after <sys/mbuf.h>, ours
    included, as it did in Reno.
    """
    ffi = h.ffi
    consts, layout = [], []
    for name in sorted(dir(h)):
        value = getattr(h, name)
        if isinstance(value, int) and not isinstance(value, bool) and not name.startswith("_"):
            consts.append((name, value, f"({name})"))
    typedefs, structs, unions = ffi.list_types()
    for name in typedefs:
        size = _sizeof(ffi, ffi.typeof(name))
        if size is not None:
            layout.append((f"sizeof({name})", size, f"sizeof({name})"))
    for kind, names in (("struct", structs), ("union", unions)):
        for tag in names:
            t = ffi.typeof(f"{kind} {tag}")
            size = _sizeof(ffi, t)
            if size is None:  # declared only, as a pointer target
                continue
            ctype = f"{kind} {tag}"
            layout.append((f"sizeof({ctype})", size, f"sizeof({ctype})"))
            layout.append((f"alignof({ctype})", ffi.alignof(t), f"__alignof__({ctype})"))
            for fname, field in t.fields:
                if field.bitsize != -1:  # a bitfield has no offsetof
                    continue
                layout.append((f"offsetof({ctype}, {fname})", field.offset,
                               f"__builtin_offsetof({ctype}, {fname})"))
    return consts, layout


def _c_program(h, consts, layout):
    lines = ["int printf(const char *, ...);"]
    lines += [f"#include <{f}>" for f in _header_files()]
    lines.append("static void constants(void) {")
    lines += [f'\tprintf("%llu\\n", (unsigned long long)({e}));' for _, _, e in consts]
    lines.append("}")
    lines += [f"#undef {name}" for name in sorted(h.ALIASES)]
    lines.append("static void layout(void) {")
    lines += [f'\tprintf("%llu\\n", (unsigned long long)({e}));' for _, _, e in layout]
    lines.append("}")
    lines.append("int main(void) { constants(); layout(); return 0; }")
    return "\n".join(lines) + "\n"


needs_gcc = pytest.mark.skipif(
    shutil.which("gcc") is None,
    reason="gcc is not installed, so the headers cannot be cross-checked with a C compiler")


@needs_gcc
@pytest.mark.parametrize("personality", PERSONALITIES)
def test_gcc_agrees_with_the_loader(personality, tmp_path):
    """Every size, offset and constant the loader computed is what gcc computes."""
    h = headers.load(personality)
    consts, layout = _checks(h)
    checks = consts + layout
    assert len(consts) > 500 and len(layout) > 300
    src = tmp_path / "abi.c"
    exe = tmp_path / "abi"
    src.write_text(_c_program(h, consts, layout))
    cmd = ["gcc", "-std=gnu99", "-nostdinc", "-I", SYS, "-D__LP64__", "-w",
           "-o", str(exe), str(src)]
    if personality == "svr4":
        cmd.insert(1, "-DSVR4")
    build = subprocess.run(cmd, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    got = [int(x) for x in run.stdout.split()]
    assert len(got) == len(checks)
    wrong = [(label, value % 2**64, c) for (label, value, _), c in zip(checks, got)
             if value % 2**64 != c]
    assert not wrong, wrong


@needs_gcc
def test_gcc_sees_the_option_overrides(tmp_path):
    """Kernel options arrive as -D defines and change only constants."""
    h = headers.load("native", {"GATEWAY": "1"})
    assert (h.RTHASHSIZ, h.ARPTAB_BSIZ, h.ARPTAB_NB, h.IPFORWARDING) == (64, 16, 37, 1)
    h = headers.load("native", {"RTHASHSIZ": "7", "HZ": "60"})
    assert (h.RTHASHSIZ, h.HZ, h.RTHASHMOD(15)) == (7, 60, 1)  # 7 is not a power of two


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_reference_sizes(personality):
    """The LP64 sizes of the ioctl reference, section 1.12, and rtentry's offsets."""
    h = headers.load(personality)
    ffi = h.ffi
    sizes = {"sockaddr": 16, "sockaddr_in": 16, "ifreq": 32, "ifconf": 16,
             "rtentry": 64, "arpreq": 36, "rtstat": 10, "ifnet": 136}
    for tag, size in sizes.items():
        assert ffi.sizeof(f"struct {tag}") == size, tag
    offsets = {name: f.offset for name, f in ffi.typeof("struct rtentry").fields}
    assert offsets == {"rt_hash": 0, "rt_dst": 8, "rt_gateway": 24, "rt_flags": 40,
                       "rt_refcnt": 42, "rt_use": 48, "rt_ifp": 56}
    assert ffi.offsetof("struct ifreq", "ifr_ifru") == 16


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_literal_array_sizes(personality):
    """The array lengths written as numbers equal the sizeof expressions they stand for."""
    h = headers.load(personality)
    ffi = h.ffi
    assert h.MLEN == h.MSIZE - ffi.sizeof("struct m_hdr")
    assert h.MHLEN == h.MLEN - ffi.sizeof("struct pkthdr")
    assert ffi.sizeof("struct mbuf") == h.MSIZE
    assert h.MSG_BSIZE == 4096 - 3 * ffi.sizeof("long")
    assert ffi.sizeof("struct msgbuf") == 4096
    assert ffi.sizeof("fd_set") * 8 == h.FD_SETSIZE
    assert ffi.sizeof("struct ip") == 20
    assert ffi.sizeof("struct udpiphdr") == 28
    assert ffi.sizeof("struct icmp") == 28
    assert ffi.sizeof("struct ether_header") == 14
    assert ffi.sizeof("struct ether_arp") == 28


def test_ip_bitfields_follow_the_host_byte_order():
    """On a little-endian host ip_hl is the low nibble of the first byte."""
    h = headers.load("native")
    ip = h.ffi.new("struct ip *")
    h.ffi.buffer(ip)[0:1] = b"\x45"
    assert (ip.ip_v, ip.ip_hl) == (4, 5)
