"""netstat -h and the IMP statistics: the ARPANET host tables.

Ports 4.3BSD-Tahoe ucb/netstat/host.c (SCCS 5.8).  netkern's kernel has
no IMP (``_imp_softc``, ``_nimp`` are never in its namelist), so -h
says so and -s prints no IMP block, as a Tahoe kernel without an IMP
did.
"""


def hostpr(ns, impsoftcaddr, nimpaddr):
    """netstat -h: the IMP host table, or why there is none."""
    if impsoftcaddr == 0:
        ns.p.printf("imp_softc: symbol not in namelist\n")
        return
    if nimpaddr == 0:
        ns.p.printf("nimp: symbol not in namelist\n")
        return


def impstats(ns, impsoftcaddr, nimpaddr):
    """The imp blocks of netstat -s: silent without an IMP."""
    return
