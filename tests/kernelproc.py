"""A kernel in a process of its own, driven by a test: for the multi-kernel tests.

Run as a program, this module boots a netkern kernel in-process, with the
real clock, from a configuration file, and then obeys one JSON command
per line on stdin, answering one JSON line on stdout:

* ``["run", PROG, ARGV]``: run the utility usr_sbin.PROG (ifconfig,
  route, arp, netstat, ping ...) as a root process of this kernel, with
  the kernel's namelist and memory for kvm and its run directory for
  the hosts file; the answer is ``{"status": n, "out": ..., "err": ...}``;
* ``["ifnet", NAME]``: the interface's counters;
* ``["quit"]``: halt and exit.

``KernelProc`` is the test's side.  The kernel server (kern/sysproxy,
``kernd``) will do the same job for real; until then this keeps the
tests to real processes, real wires and the real utilities.
"""

import importlib
import io
import json
import os
import subprocess
import sys


MODULES = {"netstat": "usr_sbin.netstat.main"}


class KernelProc:
    """A child process running one kernel; ``run`` a utility there."""

    def __init__(self, rundir: str, config: str):
        self.rundir = rundir
        os.makedirs(rundir, exist_ok=True)
        self.conf = os.path.join(rundir + ".conf")
        with open(self.conf, "w") as f:
            f.write(config)
        self.proc = subprocess.Popen([sys.executable, __file__, rundir, self.conf],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.proc.stdout.readline()
        if ready != "ready\n":
            self.proc.kill()
            raise RuntimeError(f"kernel in {rundir} did not boot: {ready!r}")

    def call(self, *cmd):
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"kernel in {self.rundir} died")
        return json.loads(line)

    def run(self, prog: str, *argv):
        """(status, stdout, stderr) of a utility run on this kernel."""
        r = self.call("run", prog, list(argv))
        return r["status"], r["out"], r["err"]

    def ok(self, prog: str, *argv) -> str:
        """A utility's stdout; it must succeed."""
        status, out, err = self.run(prog, *argv)
        assert status == 0, f"{prog} {' '.join(argv)}: {status} {out!r} {err!r}"
        return out

    def ifnet(self, name: str) -> dict:
        return self.call("ifnet", name)

    def write(self, name: str, text: str) -> None:
        """A file in the kernel's run directory (its hosts file, say)."""
        with open(os.path.join(self.rundir, name), "w") as f:
            f.write(text)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.call("quit")
            except (RuntimeError, BrokenPipeError, ValueError):
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _serve(rundir: str, conf_path: str) -> None:
    from kern import init_main, syscalls
    from kern.net import if_
    with open(conf_path) as f:
        init_main.boot(f.read(), rundir, clock="real")
    sc = syscalls.attach(uid=0, comm="root")
    files = (os.path.join(rundir, "namelist"), os.path.join(rundir, "kmem"))
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd[0] == "quit":
            break
        if cmd[0] == "run":
            mod = importlib.import_module(MODULES.get(cmd[1], f"usr_sbin.{cmd[1]}.{cmd[1]}"))
            out, err = io.StringIO(), io.StringIO()
            status = mod.main(cmd[2], sc=sc, files=files, out=out, err=err, etc=rundir)
            reply = {"status": status, "out": out.getvalue(), "err": err.getvalue()}
        elif cmd[0] == "ifnet":
            ifp = if_.ifunit(cmd[1].encode())
            reply = {k: getattr(ifp, "if_" + k) for k in
                     ("ipackets", "ierrors", "opackets", "oerrors", "collisions", "flags")}
        else:
            reply = {"error": f"unknown command {cmd[0]!r}"}
        print(json.dumps(reply), flush=True)
    init_main.shutdown()


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2])
