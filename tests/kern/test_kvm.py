"""kvm: another process reads the kernel's memory, read-only, through the namelist."""

import os
import signal
import subprocess
import sys
import textwrap

from tests.conftest import configure

READER = textwrap.dedent("""
    import sys
    from kern import kvm
    kd = kvm.kvm_open(sys.argv[1], sys.argv[2])
    ifp = kd.read(kd.nlist("_ifnet"), "struct ifnet *")[0]
    while ifp:
        p = kd.read(ifp, "struct ifnet")
        print(kd.read_string(p.if_name) + str(p.if_unit), hex(p.if_flags), p.if_mtu)
        ifp = p.if_next
    if len(sys.argv) > 3:
        p = kd.read(kd.nlist("_ifnet"), "struct ifnet *")
        p[0] = kd.read(kd.nlist("_ifnet"), "struct ifnet *")[0]   # a write: must fault
""")


def run_reader(kernel, *extra):
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.run([sys.executable, "-c", READER, os.path.join(kernel, "namelist"),
                           os.path.join(kernel, "kmem"), *extra],
                          capture_output=True, text=True, env=env, timeout=60)


def test_second_process_walks_the_interface_list(kernel, sc):
    configure(sc, b"le0", "10.0.0.1")
    r = run_reader(kernel)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["le0 0x43 1500", "lo0 0x8 1536"]


def test_second_process_sees_changes_as_they_happen(kernel, sc):
    assert run_reader(kernel).stdout.splitlines()[0] == "le0 0x2 1500"
    configure(sc, b"le0", "10.0.0.1")
    assert run_reader(kernel).stdout.splitlines()[0] == "le0 0x43 1500"


def test_the_mapping_is_read_only(kernel):
    r = run_reader(kernel, "write")
    assert r.returncode == -signal.SIGSEGV


def test_namelist_lists_the_kernel_globals(kernel):
    with open(os.path.join(kernel, "namelist")) as f:
        names = {line.split()[2] for line in f}
    for sym in ("_ifnet", "_msgbuf", "_rthost", "_rtnet", "_rthashsize", "_rtstat",
                "_mbstat", "_kmemstats", "_file", "_nfile", "_udb", "_in_ifaddr", "_ticks"):
        assert sym in names


def test_kvm_read_refuses_an_address_outside_the_arena(kernel):
    import pytest
    from kern import kvm
    kd = kvm.kvm_open(os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem"))
    with pytest.raises(kvm.KvmError):
        kd.read(0x10, "int")
    with pytest.raises(kvm.KvmError):
        kd.read(kd.base + kd.size, "int")
    kd.close()
