"""netkern(8): boot, halt, list and use named kernels.

``netkern boot NAME`` starts a kernel server (kern/sysproxy/kernd.py)
in the background and waits until it answers; ``netkern halt NAME``
stops it; ``netkern list`` shows the kernels; ``netkern sh NAME`` and
``netkern run NAME CMD`` give a shell or a command an environment whose
PATH finds netkern's utilities (usr.sbin) first and whose ``NETKERN``
names the kernel; ``netkern savecore NAME DIR`` saves a kernel's memory
and namelist for later study, as savecore(8) saved a crash dump.
Several kernels run side by side under different names, as several
io-pkt stacks do under different prefixes (seed 001).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

from kern import rundir

USAGE = """usage: netkern boot [name] [-c config] [-r rc | -n] [-f]
       netkern halt [name]
       netkern list
       netkern sh [name]
       netkern run [-k name | name] command [argument ...]
       netkern savecore [name] [directory]
       netkern trace [name] on|off
       netkern tap [name] interface file|off
"""

BOOT_WAIT = 30.0          # seconds boot waits for the kernel to answer
HALT_WAIT = 10.0          # seconds halt waits for it to stop
TAP_WAIT = 5.0            # seconds tap waits for the kernel's answer


class Usage(Exception):
    pass


def err(msg: str) -> int:
    """Print a message on stderr; return exit status 1."""
    sys.stderr.write(msg.rstrip("\n") + "\n")
    return 1


# ---------------------------------------------------------------------------
# boot


# What a kernel runs once it answers, unless told otherwise: the part of
# 4.3BSD's /etc/rc.local that gives the loopback its address, so that a
# freshly booted kernel answers `ifconfig -a` with lo0 at 127.0.0.1.
NETSTART = "ifconfig lo0 127.0.0.1\n"


def boot(args) -> int:
    """netkern boot [name] [-c config] [-r rc | -n] [-f]."""
    import getopt
    try:
        opts, rest = getopt.gnu_getopt(args, "c:fr:n")
    except getopt.GetoptError:
        raise Usage() from None
    if len(rest) > 1:
        raise Usage()
    opts = dict(opts)
    name = rundir.name(rest[0] if rest else None)
    config = os.path.abspath(opts["-c"]) if "-c" in opts else None
    pid = rundir.running_pid(name)
    if pid:
        return err(f'netkern: kernel "{name}" is already running (pid {pid})')
    kargs = [name] + (["-c", config] if config else [])
    if "-f" in opts:
        from kern.sysproxy import kernd
        return kernd.main(kargs + ["-f"])
    proc = subprocess.Popen([sys.executable, "-m", "kern.sysproxy.kernd"] + kargs,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    if not _wait_answer(name, proc):
        return 1
    proc.stderr.close()
    from usr_sbin.dmesg.dmesg import dmesg
    status = dmesg([], sys.stdout, sys.stderr, name)
    if "-n" in opts:
        return status
    return _rc(name, opts.get("-r")) or status


def _rc(name: str, script: str | None) -> int:
    """Run the start-up script with the kernel's utilities (rc.local's role).

    script is a shell script of the user's; without one, NETSTART.
    Returns the script's exit status.
    """
    cmd = ["/bin/sh", os.path.abspath(script)] if script else ["/bin/sh", "-c", NETSTART]
    return subprocess.run(cmd, env=environment(name)).returncode


def _wait_answer(name: str, proc) -> bool:
    """Wait until the new kernel answers a connection, or its server exits."""
    from kern.sysproxy.client import NotRunning, connect
    deadline = time.monotonic() + BOOT_WAIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = proc.stderr.read().decode("utf-8", "replace").strip()
            err(msg or f'netkern: kernel "{name}" did not boot (status {proc.returncode})')
            return False
        try:
            connect(name, comm="netkern").close_connection()
            return True
        except NotRunning:
            time.sleep(0.02)
    err(f'netkern: kernel "{name}" did not answer in {BOOT_WAIT:g} s; see '
        f'{os.path.join(rundir.path(name), "log")}')
    return False


# ---------------------------------------------------------------------------
# halt


def halt(args) -> int:
    """netkern halt [name]: SIGTERM to the server, then wait for it to finish."""
    if len(args) > 1:
        raise Usage()
    name = rundir.name(args[0] if args else None)
    pid = rundir.running_pid(name)
    if not pid:
        return err(rundir.not_running(name))
    try:
        os.kill(pid, signal.SIGTERM)
    except PermissionError:
        return err(f'netkern: kernel "{name}": Not owner')
    except ProcessLookupError:
        return 0
    deadline = time.monotonic() + HALT_WAIT
    while rundir.running_pid(name) and time.monotonic() < deadline:
        time.sleep(0.02)
    if rundir.running_pid(name):
        os.kill(pid, signal.SIGKILL)
        return err(f'netkern: kernel "{name}" did not halt in {HALT_WAIT:g} s; killed')
    return 0


# ---------------------------------------------------------------------------
# list


def klist(args) -> int:
    """netkern list: name, pid, uptime and interfaces of every kernel."""
    if args:
        raise Usage()
    print(f"{'NAME':<16} {'PID':>7}  {'UPTIME':>10}  INTERFACES")
    for name in rundir.kernels():
        pid = rundir.running_pid(name)
        if not pid:
            print(f"{name:<16} {'-':>7}  {'-':>10}  (not running)")
            continue
        up, ifs = _kernel_facts(name)
        print(f"{name:<16} {pid:>7}  {up:>10}  {' '.join(ifs)}")
    return 0


def _kernel_facts(name: str):
    """(uptime text, interface names) of a running kernel, read through kvm."""
    from kern import kvm
    files = rundir.files(name)
    try:
        kd = kvm.kvm_open(*files)
    except (TypeError, kvm.KvmError):
        return "?", []
    try:
        now, boot_ = kd.symbol("_time", "struct timeval"), kd.symbol("_boottime", "struct timeval")
        up = _uptime(now.tv_sec - boot_.tv_sec) if now and boot_ else "?"
        ifs, addr = [], kd.read(kd.nlist("_ifnet"), "struct ifnet *")[0]
        while addr and len(ifs) < 256:
            ifp = kd.read(addr, "struct ifnet")
            ifs.append(kd.read_string(ifp.if_name) + str(ifp.if_unit))
            addr = ifp.if_next
        return up, ifs
    except kvm.KvmError:
        return "?", []
    finally:
        kd.close()


def _uptime(secs: int) -> str:
    days, secs = divmod(max(secs, 0), 86400)
    h, secs = divmod(secs, 3600)
    m, s = divmod(secs, 60)
    return (f"{days}+" if days else "") + f"{h}:{m:02}:{s:02}"


# ---------------------------------------------------------------------------
# sh and run


def utilities():
    """The utilities netkern has (each usr.sbin folder with a __main__.py), sorted."""
    import usr_sbin
    here = os.path.dirname(os.path.abspath(usr_sbin.__file__))
    return sorted(d for d in os.listdir(here)
                  if os.path.isfile(os.path.join(here, d, "__main__.py")))


def make_bin(name: str) -> str:
    """A bin folder in the kernel's run directory with a shim per utility; its path."""
    bindir = os.path.join(rundir.path(name), "bin")
    os.makedirs(bindir, exist_ok=True)
    import usr_sbin
    # python -S and usr.sbin/launch.py: the utility without site.py, whose
    # editable-install finder alone costs more than the program itself.
    launch = os.path.join(os.path.dirname(os.path.abspath(usr_sbin.__file__)), "launch.py")
    for util in utilities():
        text = (f"#!/bin/sh\n# netkern's {util}(8), for the kernel in $NETKERN\n"
                f"exec '{sys.executable}' -S '{launch}' {util} \"$@\"\n")
        path = os.path.join(bindir, util)
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o755)
        os.replace(tmp, path)
    return bindir


def environment(name: str) -> dict:
    """The environment of netkern sh/run: NETKERN=name, netkern's utilities first on PATH."""
    env = dict(os.environ)
    env["NETKERN"] = name
    env["PATH"] = make_bin(name) + os.pathsep + env.get("PATH", os.defpath)
    return env


def sh(args) -> int:
    """netkern sh [name]: a shell using the kernel called name."""
    if len(args) > 1:
        raise Usage()
    name = rundir.name(args[0] if args else None)
    if not rundir.running_pid(name):
        return err(rundir.not_running(name))
    shell = os.environ.get("SHELL") or "/bin/sh"
    return _exec([shell], environment(name))


def run(args) -> int:
    """netkern run [-k name | name] command ...: run one command against the kernel."""
    name = None
    if args[:1] == ["-k"]:
        if len(args) < 3:
            raise Usage()
        name, args = args[1], args[2:]
    elif len(args) >= 2 and rundir.running_pid(args[0]):
        name, args = args[0], args[1:]       # a running kernel's name comes first
    if not args:
        raise Usage()
    name = rundir.name(name)
    if not rundir.running_pid(name):
        return err(rundir.not_running(name))
    return _exec(args, environment(name))


def _exec(argv, env) -> int:
    sys.stdout.flush()
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as e:
        err(f"netkern: {argv[0]}: {'command not found' if e.errno == 2 else e.strerror}")
        return 127


# ---------------------------------------------------------------------------
# savecore


def savecore(args) -> int:
    """netkern savecore [name] [dir]: save kmem and namelist as vmcore.N and vmunix.N."""
    if len(args) > 2:
        raise Usage()
    name = rundir.name(args[0] if args else None)
    dirname = args[1] if len(args) > 1 else "."
    src = rundir.path(name)
    kmem, namelist = os.path.join(src, "kmem"), os.path.join(src, "namelist")
    if not (os.path.isfile(kmem) and os.path.isfile(namelist)):
        return err(rundir.not_running(name))
    bounds = os.path.join(dirname, "bounds")
    try:
        with open(bounds) as f:
            n = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        n = 0
    core, system = os.path.join(dirname, f"vmcore.{n}"), os.path.join(dirname, f"vmunix.{n}")
    pid = rundir.running_pid(name)
    stopped = _signal(pid, signal.SIGSTOP)     # a still picture of a running kernel
    try:
        shutil.copyfile(namelist, system)
        shutil.copyfile(kmem, core)
    except OSError as e:
        return err(f"netkern: savecore: {e.filename}: {e.strerror}")
    finally:
        if stopped:
            _signal(pid, signal.SIGCONT)
    with open(bounds, "w") as f:
        f.write(f"{n + 1}\n")
    print(f"netkern: kernel \"{name}\" saved in {system} and {core}")
    return 0


def trace(args) -> int:
    """netkern trace [name] on|off: the kernel writes its packet trace to its file ``trace``."""
    if not args or args[-1] not in ("on", "off") or len(args) > 2:
        raise Usage()
    name = rundir.name(args[0] if len(args) == 2 else None)
    pid = rundir.running_pid(name)
    if not pid:
        return err(rundir.not_running(name))
    _signal(pid, signal.SIGUSR1 if args[-1] == "on" else signal.SIGUSR2)
    if args[-1] == "on":
        print(os.path.join(rundir.path(name), "trace"))
    return 0


def tap(args) -> int:
    """netkern tap [name] interface file|off: the interface's packets go to a pcap file.

    The run directory's file ``taps`` lists the open taps; kernd reads it
    on SIGWINCH and answers in ``taps.status`` with 0 or an errno for each.
    """
    if len(args) not in (2, 3):
        raise Usage()
    name = rundir.name(args[0] if len(args) == 3 else None)
    iface, target = args[-2:]
    pid = rundir.running_pid(name)
    if not pid:
        return err(rundir.not_running(name))
    run = rundir.path(name)
    taps = rundir.read_table(os.path.join(run, "taps"))
    if target == "off":
        if taps.pop(iface, None) is None:
            return err(f"netkern: {iface}: not tapped")
    else:
        taps[iface] = os.path.abspath(target)
    rundir.write_table(os.path.join(run, "taps"), taps)
    status = os.path.join(run, "taps.status")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(status)
    _signal(pid, signal.SIGWINCH)
    deadline = time.monotonic() + TAP_WAIT
    while not os.path.exists(status):
        if time.monotonic() > deadline:
            return err(f'netkern: kernel "{name}" did not answer')
        time.sleep(0.01)
    error = int(rundir.read_table(status).get(iface, "0"))
    if error:
        from kern.syscalls import errstr
        del taps[iface]
        rundir.write_table(os.path.join(run, "taps"), taps)
        return err(f"netkern: {iface}: {errstr(error, 'native')}")
    return 0


def _signal(pid: int, sig: int) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, sig)
        return True
    except OSError:
        return False


COMMANDS = {"boot": boot, "halt": halt, "list": klist, "sh": sh, "run": run,
            "savecore": savecore, "trace": trace, "tap": tap}


def main(argv=None) -> int:
    """The netkern command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        sys.stderr.write(USAGE)
        return 1
    try:
        return COMMANDS[argv[0]](argv[1:])
    except Usage:
        sys.stderr.write(USAGE)
        return 1


if __name__ == "__main__":
    sys.exit(main())
