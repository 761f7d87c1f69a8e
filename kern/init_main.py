"""Booting the kernel.

4.3BSD-Tahoe sys/init_main.c main(), in its order: memory first (here the
kmem arena and the message buffer), then mbufs, the clock, the file
table, the network interfaces found by autoconfiguration, the protocol
domains, the routing tables, and last the pseudo-devices (the loopback
attaches after the real interfaces, so ``lo0`` is last in ``ifnet`` as on
Tahoe).  The kernel's symbols are then written to ``namelist`` beside
``kmem`` in the run directory, for kvm readers.

A program boots a kernel in-process with ``boot()``; the kernel server
(kern/sysproxy) does the same in its own process.  One kernel runs per
process: its state is the modules' globals, as a C kernel's is.
"""

import os
import time

from kern import config, kern_clock, kern_malloc, ksyms, param, subr_prf, vm_meter
from kern.subr_prf import printf

VERSION = "netkern 4.3BSD-Tahoe/SVR4 network kernel"

rundir = None
conf = None
booted = False


def boot(conf_or_text=None, run_dir: str | None = None, clock: str = "hand", console=None):
    """Boot a kernel; return its run directory.

    conf_or_text is a parsed Config, configuration text, or None for
    GENERIC.  clock is "hand" (tests advance it with kern_clock.tick_clock)
    or "real" (a thread ticks hz times a second).  console, if given, is
    called with every line the kernel prints.
    """
    global rundir, conf, booted
    if booted:
        shutdown()
    if conf_or_text is None:
        conf_or_text = config.GENERIC
    conf = conf_or_text if isinstance(conf_or_text, config.Config) else config.parse(conf_or_text)
    if run_dir is None:
        import tempfile
        run_dir = tempfile.mkdtemp(prefix="netkern-")
    os.makedirs(run_dir, exist_ok=True)
    rundir = run_dir
    param.setparams(conf)
    subr_prf.consoles[:] = [console] if console else []

    # Memory: the arena, then the message buffer in it.
    kern_malloc.kmeminit(os.path.join(rundir, "kmem"), param.kmemsize)
    subr_prf.msgbufinit()
    vm_meter.vmmeterinit()
    printf("%s (%s) #1: %s\n", VERSION, param.ident,
           time.strftime("%a %b %d %H:%M:%S %Z %Y"))
    printf("real mem  = %d\n", param.kmemsize)
    _mbinit()
    kern_clock.clockinit(param.hz)
    from kern import kern_descrip, sys_socket
    kern_descrip.finit(param.nfile)
    sys_socket.socketops_init()
    _ifinit()
    _domaininit()
    _rtinit()
    _pdevinit()
    printf("avail mem = %d\n", (kern_malloc.kmemlimit - kern_malloc.kmembase)
           - (kern_malloc._next_page << kern_malloc.PGSHIFT))
    ksyms.write_namelist(os.path.join(rundir, "namelist"))
    booted = True
    if clock == "real":
        kern_clock.startrtclock()
    return rundir


def _mbinit():
    """mbinit: the mbuf statistics and pools (kern/uipc_mbuf.py)."""
    from kern import uipc_mbuf
    uipc_mbuf.mbinit()


def _ifinit():
    """Autoconfiguration: attach each configured device, then start if_slowtimo."""
    from kern.net import bpf, if_
    from kern import conf as devconf
    if_.ifinit()
    bpf.bpfinit()
    for dev in conf.devices:
        devconf.attach(dev)


def _domaininit():
    """The protocol domains and their protocols (uipc_domain.c domaininit)."""
    from kern import uipc_domain
    from kern.net import netisr
    from kern.netinet import in_proto
    netisr.netisrinit()         # protocols register their software interrupts
    uipc_domain.domaininit([in_proto.in_proto_init()])


def _rtinit():
    """The routing tables (kern/net/route.py)."""
    from kern.net import route
    route.rtinit_tables()


def _pdevinit():
    """Pseudo-devices: the loopback last, as Tahoe's loattach ran after autoconf."""
    from kern import conf as devconf
    for name, count in conf.pseudo_devices.items():
        devconf.pseudo_attach(name, count)


def shutdown() -> None:
    """Halt: stop the clock, drop every process, unmap the arena."""
    global booted
    from kern import kern_proc
    kern_clock.stoprtclock()
    from kern import conf as devconf
    from kern.net import bpf
    devconf.shutdown()
    bpf.bpf_closeall()
    if booted:
        printf("halting\n")
    for p in list(kern_proc.allproc.values()):
        try:
            kern_proc.exit1(p)
        except subr_prf.Panic:
            pass
    kern_malloc.kmemshutdown()
    booted = False
