"""The utilities as commands: real processes, their messages and exit codes, no traceback."""

import os
import signal
import subprocess
import sys

import pytest

from usr_sbin.ifconfig.ifconfig import main as ifconfig

UTILITIES = ("ifconfig", "route", "netstat", "arp", "dmesg")


def command(name, *argv, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "usr_sbin." + name, *argv], capture_output=True,
                          text=True, env=env, timeout=60, **kw)


@pytest.fixture
def nokernel(tmp_path):
    env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path))
    env.pop("NETKERN", None)
    return env


@pytest.mark.parametrize("name,argv", [("ifconfig", ["lo0"]), ("route", ["-f"]), ("netstat", ["-r"]),
                                       ("arp", ["-a"]), ("dmesg", [])])
def test_no_kernel_running(nokernel, name, argv):
    r = command(name, "-k", "nosuch", *argv, env=nokernel)
    assert (r.returncode, r.stdout, r.stderr) == \
        (1, "", 'netkern: kernel "nosuch" is not running (netkern boot)\n')


def test_netkern_environment_names_the_kernel(nokernel):
    r = command("netstat", "-rn", env=dict(nokernel, NETKERN="elsewhere"))
    assert r.stderr == 'netkern: kernel "elsewhere" is not running (netkern boot)\n'


@pytest.mark.parametrize("name", UTILITIES)
def test_bad_personality(nokernel, name):
    r = command(name, "-V", "vms", env=nokernel)
    assert (r.returncode, r.stderr) == (1, f"{name}: vms: unknown personality (tahoe or svr4)\n")


def test_netstat_reads_a_saved_image_without_any_kernel(kernel, run, nokernel):
    """netstat system core needs no running kernel: only the two files."""
    run(ifconfig, "lo0", "127.0.0.1")
    files = [os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem")]
    r = command("netstat", "-rn", *files, env=nokernel)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.splitlines()[2] == "127.0.0.1        127.0.0.1          UH          0        0  lo0"


def test_the_interval_display_runs_until_interrupted(kernel, nokernel):
    files = [os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem")]
    proc = subprocess.Popen([sys.executable, "-m", "usr_sbin.netstat", "1", *files], env=nokernel,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("   input    (le0)     output")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGINT          # killed by the signal, as a C program is
    assert proc.stderr.read() == ""                   # and no traceback


def test_output_into_a_closed_pipe_is_not_a_traceback(kernel, nokernel):
    files = [os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem")]
    proc = subprocess.Popen([sys.executable, "-m", "usr_sbin.netstat", "1", *files], env=nokernel,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGPIPE
    assert proc.stderr.read() == b""


def test_the_fast_launcher_runs_the_same_program(kernel, run, nokernel):
    """python -S usr.sbin/launch.py PROG: no site.py, same output."""
    import usr_sbin
    run(ifconfig, "lo0", "127.0.0.1")
    files = [os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem")]
    launch = os.path.join(os.path.dirname(usr_sbin.__file__), "launch.py")
    fast = subprocess.run([sys.executable, "-S", launch, "netstat", "-rn", *files], env=nokernel,
                          capture_output=True, text=True, timeout=60)
    assert (fast.returncode, fast.stderr) == (0, "")
    assert fast.stdout == command("netstat", "-rn", *files, env=nokernel).stdout
    bad = subprocess.run([sys.executable, "-S", launch, "nosuch"], env=nokernel,
                         capture_output=True, text=True, timeout=60)
    assert (bad.returncode, bad.stderr) == (1, "launch: nosuch: no such utility\n")
