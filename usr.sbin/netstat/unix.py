"""netstat's UNIX-domain pass: the sockets of the file table.

Ports 4.3BSD-Tahoe ucb/netstat/unix.c (SCCS 5.6): it checks that the
file table (``_nfile``, ``_file``) is in the namelist and readable, then
shows the sockets whose protocol is one of ``_unixsw``.  netkern's
kernel has no UNIX domain, so ``_unixsw`` is never in its namelist and
no socket is shown, as on a 4.3 kernel built without it.  (The kernel's
``_file`` is the table itself, not a pointer to it as in 4.3.)  The
SVR4 program read ``so_ux_list`` and said nothing when it was absent.
"""


def unixpr(ns):
    """Check the file table; there are no UNIX-domain sockets to list."""
    p = ns.p
    if p.svr4:
        return
    nfileaddr, fileaddr = ns.nl("_nfile"), ns.nl("_file")
    if nfileaddr == 0 or fileaddr == 0:
        p.printf("nfile or file not in namelist.\n")
        return
    nfile = ns.read(nfileaddr, "int")
    if nfile is None:
        p.printf("nfile: bad read.\n")
        return
    from kern import kvm
    try:
        ns.kd.read_bytes(fileaddr, max(nfile[0], 0) * kvm.ffi.sizeof("struct file"))
    except kvm.KvmError:
        p.printf("File table read error.\n")
        return
    if ns.nl("_unixsw") == 0:
        return
