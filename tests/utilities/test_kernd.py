"""The golden session again, as a user runs it: real kernd processes, the commands as processes.

``netkern boot`` starts a kernel server under a private run directory;
every command is ``python -m usr_sbin.PROG -k NAME ...``, its system
calls going over the kernel server's socket and netstat reading the
server's memory through kvm.  Skipped, saying so, while the kernel
server (kern/sysproxy, issue 9) is not in the tree.
"""

import os
import subprocess
import sys

import pytest

from test_golden_session import (INTERFACES_SVR4, INTERFACES_TAHOE, ROUTES_SVR4_N, ROUTES_TAHOE_N,
                                 RTSTATS_ZERO, STATUS, STATUS_SVR4)
from usrsbin_helpers import TWO_ETHERNETS

try:
    import kern.sysproxy.kernd  # noqa: F401
    HAVE_KERND = True
except ImportError:
    HAVE_KERND = False

pytestmark = pytest.mark.skipif(not HAVE_KERND,
                                reason="the kernel server (kern/sysproxy, issue 9) is not merged yet")


class Kernd:
    """A named kernel server and the commands that talk to it."""

    def __init__(self, tmp_path, name):
        self.name = name
        self.env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path))
        for var in ("NETKERN", "NETKERN_PERSONALITY"):
            self.env.pop(var, None)
        config = tmp_path / "TWOETHER"
        config.write_text(TWO_ETHERNETS)
        self.netkern("boot", name, "-n", "-c", str(config))

    def netkern(self, *argv):
        r = subprocess.run([sys.executable, "-m", "kern.sysproxy.netkern", *argv], env=self.env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r

    def __call__(self, prog, *argv, personality=None, user=None):
        pers = ["-V", personality] if personality else []
        return subprocess.run([sys.executable, "-m", "usr_sbin." + prog, "-k", self.name, *pers,
                               *argv], env=self.env, capture_output=True, text=True, timeout=60,
                              user=user)

    def halt(self):
        self.netkern("halt", self.name)


@pytest.fixture
def kernd(tmp_path):
    k = Kernd(tmp_path, "golden")
    yield k
    k.halt()


def session(k, personality=None):
    steps = [
        (("ifconfig", "le0", "10.0.0.1", "netmask", "255.255.255.0"), ""),
        (("ifconfig", "le1", "192.168.1.1"), ""),
        (("ifconfig", "lo0", "127.0.0.1"), ""),
        (("route", "add", "10.0.5.7", "10.0.0.254", "1"), "add host 10.0.5.7: gateway 10.0.0.254\n"),
        (("route", "add", "net", "172.16", "10.0.0.253", "1"), "add net 172.16: gateway 10.0.0.253\n"),
        (("route", "add", "default", "192.168.1.254", "1"),
         "add net default: gateway 192.168.1.254\n"),
        (("route", "delete", "net", "172.16", "10.0.0.253"),
         "delete net 172.16: gateway 10.0.0.253\n"),
    ]
    for (prog, *argv), expected in steps:
        r = k(prog, *argv, personality=personality)
        assert (r.returncode, r.stdout, r.stderr) == (0, expected, ""), argv


def test_tahoe_session_through_kernd(kernd):
    session(kernd)
    for name, text in STATUS.items():
        r = kernd("ifconfig", name)
        assert (r.returncode, r.stdout, r.stderr) == (0, text, "")
    assert kernd("netstat", "-rn").stdout == ROUTES_TAHOE_N
    assert kernd("netstat", "-i").stdout == INTERFACES_TAHOE
    assert kernd("netstat", "-rs").stdout == RTSTATS_ZERO


def test_svr4_session_through_kernd(kernd):
    session(kernd, "svr4")
    for name, text in STATUS_SVR4.items():
        r = kernd("ifconfig", name, personality="svr4")
        assert (r.returncode, r.stdout, r.stderr) == (0, text, "")
    assert kernd("netstat", "-rn", personality="svr4").stdout == ROUTES_SVR4_N
    assert kernd("netstat", "-i", personality="svr4").stdout == INTERFACES_SVR4


def test_errors_through_kernd(kernd):
    r = kernd("ifconfig", "le9")
    assert (r.returncode, r.stderr) == (1, "ifconfig: ioctl (SIOCGIFFLAGS): no such interface\n")
    r = kernd("ifconfig", "le9", personality="svr4")
    assert (r.returncode, r.stderr) == (1, "ifconfig: ioctl (SIOCGIFFLAGS): Invalid argument\n")
    r = kernd("route", "delete", "10.0.5.7", "10.0.0.254")
    assert (r.returncode, r.stdout, r.stderr) == \
        (0, "delete host 10.0.5.7: gateway 10.0.0.254: ", "not in table\n")


def test_an_ordinary_user_is_refused_through_kernd(kernd, monkeypatch):
    """A client that dropped privilege with setuid(2) is no emulated root."""
    import io
    from kern.sysproxy import client
    from usr_sbin.ifconfig.ifconfig import main as ifconfig
    from usr_sbin.route.route import main as route
    monkeypatch.setenv("XDG_RUNTIME_DIR", kernd.env["XDG_RUNTIME_DIR"])
    for main, argv, personality, expected in (
            (ifconfig, ["le0", "up"], "native", (1, "", "ifconfig: up: permission denied\n")),
            (route, ["add", "default", "10.0.0.254", "1"], "svr4",
             (0, "add net default: gateway 10.0.0.254: ", "Not owner\n"))):
        sc = client.connect(kernd.name, personality)
        sc.setuid(1000)
        out, err = io.StringIO(), io.StringIO()
        assert (main(argv, sc=sc, out=out, err=err), out.getvalue(), err.getvalue()) == expected


def test_netstat_reads_what_savecore_saved(kernd, tmp_path):
    """netkern savecore writes vmunix.N and vmcore.N; netstat system core reads them later."""
    session(kernd)
    saved = tmp_path / "crash"
    saved.mkdir()
    kernd.netkern("savecore", kernd.name, str(saved))
    kernd("route", "delete", "10.0.5.7", "10.0.0.254")
    assert kernd("netstat", "-rn").stdout != ROUTES_TAHOE_N
    r = subprocess.run([sys.executable, "-m", "usr_sbin.netstat", "-rn", str(saved / "vmunix.0"),
                        str(saved / "vmcore.0")], env=kernd.env, capture_output=True, text=True,
                       timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, ROUTES_TAHOE_N, "")
