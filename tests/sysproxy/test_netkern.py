"""The netkern command: boot, halt, list, sh/run, savecore, and named kernels side by side."""

import os
import signal
import socket
import subprocess
import sys

from kern import rundir
from kern.headers import native as h
from kern.sysproxy.client import NotRunning, connect

from nkhelp import PY, exited, netkern, set_address, wait_for
from tests.conftest import read_pcap

ffi = h.ffi

TWO_LE = """\
machine         "netkern"
ident           TWOLE
maxusers        8
options         INET
pseudo-device   loop
pseudo-device   ether
device          le0 at wire "lan0"
device          le1 at wire "lan1"
"""


def ifconf_names(sc) -> list:
    """Interface names in SIOCGIFCONF order, through the remote kernel."""
    s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    buf = ffi.new("struct ifreq[16]")
    ifc = ffi.new("struct ifconf *")
    ifc.ifc_len = ffi.sizeof(buf)
    ifc.ifc_ifcu.ifcu_buf = ffi.cast("char *", buf)
    sc.ioctl(s, h.SIOCGIFCONF, ifc)
    sc.close(s)
    n = ifc.ifc_len // ffi.sizeof("struct ifreq")
    return [ffi.string(buf[i].ifr_name).decode() for i in range(n)]


def test_boot_prints_the_boot_messages_and_answers(kernels):
    """netkern boot returns once the kernel answers, printing its msgbuf."""
    r = netkern("boot", "k1")
    kernels.names.append("k1")
    assert r.returncode == 0, r.stderr
    assert "netkern 4.3BSD-Tahoe/SVR4 network kernel (GENERIC)" in r.stdout
    assert "lo0: software loopback" in r.stdout
    with connect("k1") as sc:
        assert sc.getpid() == os.getpid()


def _lo0(name):
    with connect(name) as sc:
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        r = ffi.new("struct ifreq *")
        r.ifr_name = b"lo0"
        sc.ioctl(s, h.SIOCGIFFLAGS, r)
        flags = r.ifr_ifru.ifru_flags
        try:
            sc.ioctl(s, h.SIOCGIFADDR, r)
            addr = bytes(ffi.buffer(ffi.addressof(r.ifr_ifru, "ifru_addr"), 8))[4:]
        except Exception:
            addr = None
        return flags, addr


def test_boot_gives_the_loopback_its_address_as_rc_local_did(kernels):
    assert netkern("boot", "rc1").returncode == 0
    kernels.names.append("rc1")
    assert _lo0("rc1") == (h.IFF_UP | h.IFF_LOOPBACK, bytes([127, 0, 0, 1]))


def test_boot_n_runs_nothing(kernels):
    assert netkern("boot", "rc2", "-n").returncode == 0
    kernels.names.append("rc2")
    assert _lo0("rc2") == (h.IFF_LOOPBACK, None)


def test_boot_r_runs_the_given_script_with_the_kernel_utilities(kernels, tmp_path):
    script = tmp_path / "rc"
    script.write_text("ifconfig lo0 127.0.0.2\n")
    assert netkern("boot", "rc3", "-r", str(script)).returncode == 0
    kernels.names.append("rc3")
    assert _lo0("rc3")[1] == bytes([127, 0, 0, 2])


def test_two_named_kernels_each_client_sees_its_own(kernels):
    """Kernels configured differently answer each for itself."""
    kernels.boot("one")
    kernels.boot("two", TWO_LE)
    with connect("one") as a, connect("two") as b:
        assert ifconf_names(a) == ["le0", "lo0"]
        assert ifconf_names(b) == ["le0", "le1", "lo0"]
        r = ffi.new("struct ifreq *")
        r.ifr_name = b"le0"
        s = a.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        r.ifr_ifru.ifru_flags = h.IFF_UP
        a.ioctl(s, h.SIOCSIFFLAGS, r)
        t = b.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        b.ioctl(t, h.SIOCGIFFLAGS, r)
        assert not r.ifr_ifru.ifru_flags & h.IFF_UP
        a.ioctl(s, h.SIOCGIFFLAGS, r)
        assert r.ifr_ifru.ifru_flags & h.IFF_UP


def test_NETKERN_selects_the_kernel(kernels, monkeypatch):
    kernels.boot("viaenv", TWO_LE)
    monkeypatch.setenv("NETKERN", "viaenv")
    with connect() as sc:
        assert sc.name == "viaenv"
        assert ifconf_names(sc) == ["le0", "le1", "lo0"]


def test_second_boot_of_a_running_name_says_so(kname):
    r = netkern("boot", kname)
    assert r.returncode == 1
    assert r.stderr == f'netkern: kernel "{kname}" is already running (pid {rundir.running_pid(kname)})\n'


def test_halt_stops_the_kernel_cleanly(kernels):
    name = kernels.boot("k2")
    pid = rundir.running_pid(name)
    r = netkern("halt", name)
    assert r.returncode == 0, r.stderr
    assert rundir.running_pid(name) == 0
    wait_for(lambda: exited(pid), what="kernd to exit")
    assert not os.path.exists(os.path.join(rundir.path(name), "sock"))
    assert 'kernd: kernel "k2" halted' in kernels.log(name)


def test_halt_disconnects_clients(kernels):
    name = kernels.boot("k3")
    sc = connect(name)
    netkern("halt", name)
    try:
        sc.getpid()
    except NotRunning as e:
        assert "went away" in str(e)
    else:
        raise AssertionError("a call after halt succeeded")


def test_not_running_message_and_status(xdg):
    """A utility (here dmesg) and netkern itself give the one message, status 1."""
    for argv in (["-m", "kern.sysproxy.netkern", "halt", "nosuch"],
                 ["-m", "usr_sbin.dmesg", "-k", "nosuch"],
                 ["-c", "from kern.sysproxy.client import connect; connect('nosuch')"]):
        r = subprocess.run([PY, *argv], capture_output=True, text=True)
        assert r.returncode == 1, argv
        assert r.stderr == 'netkern: kernel "nosuch" is not running (netkern boot)\n', argv


def test_stale_run_directory_is_reused(kernels):
    """A kernel killed outright leaves its run directory; the next boot takes it over."""
    name = kernels.boot("k4")
    pid = rundir.running_pid(name)
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: rundir.running_pid(name) == 0, what="the lock to go")
    assert os.path.exists(os.path.join(rundir.path(name), "sock"))    # stale
    r = netkern("list")
    assert f"{name}" in r.stdout and "(not running)" in r.stdout
    with pytest_raises_not_running():
        connect(name)
    kernels.boot(name)
    assert rundir.running_pid(name) not in (0, pid)
    with connect(name) as sc:
        assert sc.getuid() == 0


def pytest_raises_not_running():
    import pytest
    return pytest.raises(NotRunning)


def test_bad_configuration_fails_boot_with_its_message(kernels):
    path = os.path.join(kernels.base, "bad.conf")
    with open(path, "w") as f:
        f.write('machine "netkern"\nident X\nfoo bar\n')
    r = netkern("boot", "bad", "-c", path)
    assert r.returncode == 1
    assert r.stderr.startswith(f"netkern: {path}:3:")
    assert rundir.running_pid("bad") == 0
    assert not os.path.exists(rundir.path("bad"))


def test_list_shows_name_pid_uptime_interfaces(kernels):
    kernels.boot("one")
    kernels.boot("two", TWO_LE)
    r = netkern("list")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["NAME", "PID", "UPTIME", "INTERFACES"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["one"][1] == str(rundir.running_pid("one"))
    assert rows["one"][3:] == ["le0", "lo0"]
    assert rows["two"][3:] == ["le0", "le1", "lo0"]
    assert rows["one"][2].count(":") == 2


def test_run_puts_netkern_utilities_first(kname):
    r = netkern("run", kname, "sh", "-c", 'command -v dmesg; echo "$NETKERN"')
    assert r.returncode == 0, r.stderr
    where, name = r.stdout.split()
    assert where == os.path.join(rundir.path(kname), "bin", "dmesg")
    assert name == kname
    r = netkern("run", kname, "dmesg")
    assert "lo0: software loopback" in r.stdout


def test_run_with_k_and_the_default_name(kernels):
    kernels.boot("default")
    r = netkern("run", "sh", "-c", 'echo "$NETKERN"')
    assert r.stdout == "default\n"
    r = netkern("run", "-k", "default", "sh", "-c", 'echo "$NETKERN"')
    assert r.stdout == "default\n"


def test_run_missing_command_is_127(kname):
    r = netkern("run", kname, "no-such-command-here")
    assert r.returncode == 127
    assert r.stderr == "netkern: no-such-command-here: command not found\n"


def test_sh_runs_a_shell_with_the_kernel_selected(kname, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/sh")
    r = subprocess.run([PY, "-m", "kern.sysproxy.netkern", "sh", kname], input='echo "$NETKERN"; dmesg | tail -1\n',
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == kname
    assert r.stdout.splitlines()[1].startswith("avail mem")


def test_savecore_saves_a_core_dmesg_can_read(kname, tmp_path):
    r = netkern("savecore", kname, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "vmcore.0").exists() and (tmp_path / "vmunix.0").exists()
    assert (tmp_path / "bounds").read_text() == "1\n"
    r = subprocess.run([PY, "-m", "usr_sbin.dmesg", str(tmp_path / "vmcore.0"),
                        str(tmp_path / "vmunix.0")], capture_output=True, text=True)
    assert "lo0: software loopback" in r.stdout
    netkern("savecore", kname, str(tmp_path))
    assert (tmp_path / "vmcore.1").exists()
    assert rundir.running_pid(kname)          # still running, not left stopped
    with connect(kname) as sc:
        sc.getpid()


def test_usage(xdg):
    for args in ([], ["nosuch"], ["halt", "a", "b"], ["list", "x"], ["run"], ["boot", "-z"]):
        r = netkern(*args)
        assert r.returncode == 1
        assert r.stderr.startswith("usage: netkern boot")


def test_trace_on_writes_the_walk_of_each_call_to_the_trace_file(kernels):
    name = kernels.boot("tr")
    path = os.path.join(rundir.path(name), "trace")
    r = netkern("trace", name, "on")
    assert r.returncode == 0 and r.stdout == path + "\n"
    wait_for(lambda: os.path.exists(path), what="the trace file")
    with connect(name) as sc:
        sc.close(sc.socket(h.AF_INET, h.SOCK_DGRAM, 0))
    assert netkern("trace", name, "off").returncode == 0
    with open(path) as f:
        names = [line.split()[0] for line in f]
    assert names[:2] == ["socket", "socreate"] and "soclose" in names
    size = os.path.getsize(path)
    with connect(name) as sc:
        sc.getpid()
    assert os.path.getsize(path) == size          # off: nothing more


def test_trace_needs_on_or_off(kname):
    assert netkern("trace", kname).returncode == 1


def test_tap_writes_an_interfaces_packets_to_a_pcap_file(kernels, tmp_path):
    name = kernels.boot("tp")
    path = tmp_path / "lo0.pcap"
    assert netkern("tap", name, "lo0", str(path)).returncode == 0
    with connect(name) as sc:
        set_address(sc, b"lo0", "127.0.0.1")
        s = sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
        to = h.ffi.new("struct sockaddr_in *")
        to.sin_family, to.sin_port = h.AF_INET, socket.htons(9)
        to.sin_addr.s_addr = int.from_bytes(socket.inet_aton("127.0.0.1"), sys.byteorder)
        sc.sendto(s, h.ffi.from_buffer(b"tapped"), 6, 0, to, 16)
    r = netkern("tap", name, "lo0", "off")
    assert (r.returncode, r.stderr) == (0, "")
    hdr, records = read_pcap(path)
    assert hdr.linktype == h.DLT_NULL
    assert records[0][1].endswith(b"tapped")
    assert len(records) == 2                    # and the port unreachable
    assert netkern("tap", name, "lo0", "off").stderr == "netkern: lo0: not tapped\n"


def test_tap_of_an_unknown_interface_or_an_unwritable_file(kname, tmp_path):
    r = netkern("tap", kname, "le9", str(tmp_path / "x.pcap"))
    assert (r.returncode, r.stderr) == (1, "netkern: le9: No such device or address\n")
    r = netkern("tap", kname, "lo0", str(tmp_path / "no" / "x.pcap"))
    assert (r.returncode, r.stderr) == (1, "netkern: lo0: No such file or directory\n")
    assert netkern("tap", kname, "lo0").returncode == 1                # usage
