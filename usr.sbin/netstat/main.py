"""netstat: show network status, read from the kernel's memory.

A port of 4.3BSD-Tahoe ucb/netstat (main.c 5.14, 88/06/29, and its
if.c, route.c, inet.c, mbuf.c, unix.c, host.c) and, in the SVR4
personality, of SVR4.0 cmd/cmd-inet/usr.bin/netstat
(utilities-reference section 3).  Like the originals it never makes a
system call: it looks the kernel's symbols up in the namelist and reads
kernel memory through kvm (kern/kvm.py), following the same pointers
the kernel follows.  The positional ``system`` and ``core`` arguments
name another namelist and memory image, such as a pair saved by
``netkern savecore``.

Protocols come in the order of the kernel's protocols file (a
getprotoent loop, as Tahoe and SVR4 do); a protocol whose control
blocks or statistics are not in the namelist prints nothing, which is
what this kernel's absent TCP (``_tcb``, ``_tcpstat``) gives.
"""

from usr_sbin import libc

USAGE = ("usage: netstat [-Aan] [-f address_family] [system] [core]\n"
         "               [-himnrs] [-f address_family] [system] [core]\n"
         "               [-n] [-I interface] interval [system] [core]\n")
USAGE_SVR4 = ("usage: %s [ -AaimnrsS ] [-f address_family] [-I interface]"
              " [ interval ] [ system ] [ core ]\n")

# Tahoe's nl[], in its index order; the first one must be there.
NL_TAHOE = ("_mbstat", "_ipstat", "_tcb", "_tcpstat", "_udb", "_udpstat", "_rawcb", "_Sysmap",
            "_Syssize", "_ifnet", "_imp_softc", "_rthost", "_rtnet", "_icmpstat", "_rtstat",
            "_nfile", "_file", "_unixsw", "_rthashsize", "_nspcb", "_idpstat", "_spp_istat",
            "_ns_errstat", "_nimp")


class Netstat:
    """The program's flags and its open kernel image."""

    def __init__(self, p, count=None, sleep=None):
        self.p = p
        self.Aflag = self.aflag = self.dflag = self.hflag = self.iflag = 0
        self.mflag = self.nflag = self.pflag = self.rflag = self.sflag = 0
        self.tflag = self.Sflag = 0
        self.af = 0                     # AF_UNSPEC
        self.interval = 0
        self.interface, self.unit = None, 0
        self.kd = None
        self.printed_header = False     # protopr's static first
        self.count = count              # interval lines before returning (tests)
        self.sleep = sleep

    def nl(self, sym: str) -> int:
        """nl[N].n_value: a symbol's address, 0 when the namelist lacks it."""
        return libc.nlist(self.kd, sym)

    def read(self, addr, ctype):
        return libc.kread(self.kd, addr, ctype)

    # -- Tahoe
    def usage(self):
        p = self.p
        if p.svr4:
            p.printf(USAGE_SVR4, p.prog)
        else:
            p.eprintf(USAGE)
        p.exit(1)

    def set_interface(self, word):
        """-I name: the alphabetic prefix, then atoi of the rest (le0 -> le, 0)."""
        i = 0
        while i < len(word) and word[i].isalpha() and word[i].isascii():
            i += 1
        self.interface, self.unit = word[:i], libc.atoi(word[i:])
        self.iflag += 1

    def set_family(self, word):
        p = self.p
        fam = {"ns": p.h.AF_NS, "inet": p.h.AF_INET, "unix": p.h.AF_UNIX}.get(word)
        if fam is None:
            p.eprintf("%s: unknown address family\n", word)
            p.exit(10)
        self.af = fam

    def options_tahoe(self, argv):
        """main.c 5.14: getopt("AI:af:himnp:drstu"), then interval, system, core."""
        from usr_sbin.netstat import inet
        p = self.p
        g = libc.getopt(p, argv, "AI:af:himnp:drstu")
        while True:
            c = g.next()
            if c is None:
                break
            if c == "I":
                self.set_interface(g.optarg)
            elif c == "f":
                self.set_family(g.optarg)
            elif c == "p":
                self.proto = inet.name2protox(self, g.optarg)
                if self.proto is None:
                    p.eprintf("%s: unknown or uninstrumented protocol\n", g.optarg)
                    p.exit(10)
                self.pflag += 1
            elif c == "u":
                self.af = p.h.AF_UNIX
            elif c in "Aadhimnrst":
                setattr(self, c + "flag", getattr(self, c + "flag") + 1)
            else:
                self.usage()
        return argv[g.optind:]

    def options_svr4(self, argv):
        """SVR4 main.c: a hand scan of "AaimnrsSuIf", -f and -I taking words."""
        p = self.p
        while argv and argv[0][:1] == "-":
            word, argv = argv[0], argv[1:]
            i = 1
            while i < len(word):
                c = word[i]
                if c == "f":
                    if not argv:
                        self.usage()     # SVR4 passed NULL to strcmp (man page, BUGS)
                    self.set_family(argv[0])
                    argv = argv[1:]
                elif c == "I":
                    rest = word[i + 1:]
                    if not rest:
                        if not argv:
                            self.usage()
                        rest, argv = argv[0], argv[1:]
                    self.set_interface(rest)
                    break
                elif c == "u":
                    self.af = p.h.AF_UNIX
                elif c in "AaimnrsS":
                    setattr(self, c + "flag", getattr(self, c + "flag") + 1)
                else:
                    self.usage()
                i += 1
        return argv

    def main(self, argv):
        p = self.p
        argv = self.options_svr4(argv) if p.svr4 else self.options_tahoe(argv)
        system = kmemf = None
        if argv and argv[0][:1].isdigit():
            self.interval = libc.atoi(argv[0])
            if self.interval <= 0:
                self.usage()
            argv = argv[1:]
            self.iflag += 1
        if argv:
            system, argv = argv[0], argv[1:]
            if argv:
                kmemf = argv[0]
        if system is None or kmemf is None:
            nl, km = p.files
            system = system or nl
            kmemf = kmemf or km
        kd = libc.kvm_open(p, system, kmemf)
        if isinstance(kd, tuple):
            if kd[0] == "namelist":
                p.eprintf("%s: no namelist\n", system)
                p.exit(1)
            if p.svr4:
                p.eprintf("netstat: can't open %s\n", kmemf)
            else:
                p.perror(kmemf)
            p.exit(1)
        self.kd = kd
        if not p.svr4 and not self.nl("_mbstat"):
            p.eprintf("%s: no namelist\n", system)
            p.exit(1)
        try:
            self.dispatch()
        finally:
            kd.close()
        p.exit(0)

    def dispatch(self):
        """The listings, in the original's order of precedence."""
        from usr_sbin.netstat import host, inet, mbuf, route, unix
        from usr_sbin.netstat import if_
        p = self.p
        if p.svr4:
            if self.mflag:
                p.eprintf("Memory information not currently supported\n")
                p.exit(1)
            if self.Sflag:
                p.eprintf("Serial line configuration not currently supported\n")
                p.exit(1)
        elif self.mflag:
            mbuf.mbpr(self, self.nl("_mbstat"))
            return
        if not p.svr4 and self.pflag:
            stats = self.proto[3]
            if stats:
                stats(self, self.nl(self.proto[1]), self.proto[0])
            else:
                p.printf("%s: no stats routine\n", self.proto[0])
            return
        if not p.svr4 and self.hflag:
            host.hostpr(self, self.nl("_imp_softc"), self.nl("_nimp"))
            return
        if self.iflag:
            if_.intpr(self, self.interval, self.nl("_ifnet"))
            return
        if self.rflag:
            if self.sflag:
                route.rt_stats(self, self.nl("_rtstat"))
            else:
                route.routepr(self, self.nl("_rthost"), self.nl("_rtnet"), self.nl("_rthashsize"))
            return
        h = p.h
        if self.af in (h.AF_INET, 0):
            for name, _, _ in libc.getprotoent(p):
                tp = inet.protox(self, name)
                if tp is None:
                    continue
                if self.sflag:
                    if tp[3]:
                        tp[3](self, self.nl(tp[1]), name)
                elif tp[2]:
                    tp[2](self, self.nl(tp[4]), name)
        # The NS tables: this kernel has no NS domain, so their symbols
        # are absent and each routine returns at once.
        if self.af in (h.AF_UNIX, 0) and not self.sflag:
            unix.unixpr(self)
        if not p.svr4 and self.af == 0 and self.sflag:
            host.impstats(self, self.nl("_imp_softc"), self.nl("_nimp"))


def netstat(p, argv, count=None, sleep=None):
    """The program."""
    return Netstat(p, count, sleep).main(argv)


def main(argv=None, count=None, sleep=None, **kw) -> int:
    """netstat [-k name] [-V tahoe|svr4] [options] [interval] [system] [core].

    count and sleep are for tests: the interval display stops after
    count lines, and waits with sleep(seconds) instead of time.sleep.
    """
    return libc.main("netstat", lambda p, a: netstat(p, a, count, sleep), argv, **kw)
