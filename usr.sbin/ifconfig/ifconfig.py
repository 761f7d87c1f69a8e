"""ifconfig: configure a network interface, or show how it is configured.

A port of 4.3BSD-Tahoe etc/ifconfig.c (SCCS 4.21, 88/07/01) and, in the
SVR4 personality, of SVR4.0 cmd/cmd-inet/usr.sbin/ifconfig.c
(utilities-reference section 1; seed 002, "The Configuration Sweep").

``ifconfig interface [af] [address [dest_address]] [parameters]``.  The
first word after the name may be an address family (``inet``, or
``ns`` on Tahoe); the words that follow are keywords or addresses, the
first unknown word being the address and every later one a destination
address.  Flags change at once (SIOCGIFFLAGS then SIOCSIFFLAGS), a
destination address at once (SIOCSIFDSTADDR), and after the words are
read come SIOCSIFNETMASK (a zero mask when none was given, so the
kernel picks the classful one), SIOCSIFADDR and SIOCSIFBRDADDR.  With
no words the interface's status is shown.

netkern's one extension: ``ifconfig -a [af]`` shows every interface,
in the order SIOCGIFCONF lists them, each once.
"""

from usr_sbin import libc

# The %b bit names of the flags word: a base, then (bit number, name) pairs.
IFFBITS = "\020\1UP\2BROADCAST\3DEBUG\4LOOPBACK\5POINTOPOINT\6NOTRAILERS\7RUNNING\10NOARP"
IFFBITS_SVR4 = IFFBITS + "\011INTELLIGENT"     # SVR4's name for bit 9, 0x100

USAGE = ("usage: ifconfig interface\n"
         "\t[ af [ address [ dest_addr ] ] [ up ] [ down ]" "[ netmask mask ] ]\n"
         "\t[ metric n ]\n"
         "\t[ trailers | -trailers ]\n"
         "\t[ arp | -arp ]\n")
# SVR4 kept the format of 4.3, four %s for five strings: no arp line.
USAGE_SVR4 = USAGE[:USAGE.index("\t[ arp")]

NEXTARG = object()


def printb(s: str, v: int, bits: str) -> str:
    """A value as the kernel's %b prints it: ``flags=63<UP,BROADCAST,...>``.

    Ports ifconfig.c printb: octal when the bit string's base is 8, hex
    otherwise, of the value as an unsigned short; then the names of the
    set bits between angle brackets.
    """
    v &= 0xFFFF
    out = [("%s=%o" if ord(bits[0]) == 8 else "%s=%x") % (s, v), "<"]
    names = []
    i = 1
    while i < len(bits):
        bit = ord(bits[i])
        j = i + 1
        while j < len(bits) and ord(bits[j]) > 32:
            j += 1
        if v & (1 << (bit - 1)):
            names.append(bits[i + 1:j])
        i = j
    out.append(",".join(names))
    out.append(">")
    return "".join(out)


class Ifconfig:
    """The program's globals (ifr, sin, netmask ...) and its functions."""

    def __init__(self, p):
        self.p = p
        h, ffi = p.h, p.ffi
        self.h, self.ffi = h, ffi
        self.ifr = ffi.new("struct ifreq *")
        self.sin = self._sockaddr_in()
        self.broadaddr = ffi.new("struct sockaddr_in *")
        self.netmask = self._sockaddr_in()
        self.ipdst = self._sockaddr_in()
        self.name = b""
        self.flags = self.metric = 0
        self.setaddr = self.setmask = self.setbroadaddr = self.setipdst = 0
        self.s = -1
        self.afp = None
        # Tahoe knows inet and ns; SVR4 only inet (on /dev/ip).
        self.afs = [("inet", h.AF_INET, self.in_status, self.in_getaddr)]
        if not p.svr4:
            self.afs.append(("ns", h.AF_NS, self.xns_status, None))
        self.cmds = {
            "up": (h.IFF_UP, self.setifflags),
            "down": (-h.IFF_UP, self.setifflags),
            "trailers": (-h.IFF_NOTRAILERS, self.setifflags),
            "-trailers": (h.IFF_NOTRAILERS, self.setifflags),
            "arp": (-h.IFF_NOARP, self.setifflags),
            "-arp": (h.IFF_NOARP, self.setifflags),
            "debug": (h.IFF_DEBUG, self.setifflags),
            "-debug": (-h.IFF_DEBUG, self.setifflags),
            "netmask": (NEXTARG, self.setifnetmask),
            "metric": (NEXTARG, self.setifmetric),
            "broadcast": (NEXTARG, self.setifbroadaddr),
            "ipdst": (NEXTARG, self.setifipdst),
        }
        if p.svr4:
            self.cmds["detach"] = (0, lambda word, param: None)   # #ifdef NOTDEF in SVR4

    def _sockaddr_in(self):
        sin = self.ffi.new("struct sockaddr_in *")
        sin.sin_family = self.h.AF_INET
        return sin

    # -- the ifreq, as the C program's one global struct
    def ifr_addr(self):
        return self.ffi.cast("struct sockaddr_in *", self.ffi.addressof(self.ifr.ifr_ifru, "ifru_addr"))

    def set_ifr_addr(self, sin):
        self.ffi.memmove(self.ifr_addr(), sin, self.ffi.sizeof("struct sockaddr"))

    def bzero_ifr_addr(self):
        self.ffi.memmove(self.ifr_addr(), bytes(self.ffi.sizeof("struct sockaddr")),
                         self.ffi.sizeof("struct sockaddr"))

    def strncpy_name(self):
        n = self.ffi.sizeof(self.ifr.ifr_name)
        raw = self.name[:n]
        self.ffi.memmove(self.ifr.ifr_name, raw + bytes(n - len(raw)), n)

    def ioctl(self, cmd) -> int:
        return self.p.ioctl(self.s, cmd, self.ifr)

    # -- errors
    def Perror(self, cmd):
        """The message for a failed ioctl, then exit 1 (ifconfig.c Perror)."""
        p, e = self.p, self.p.errno
        p.eprintf("ifconfig: ")
        if e == p.h.ENXIO:
            p.eprintf("%s: no such interface\n", cmd)
        elif e == p.h.EPERM:
            p.eprintf("%s: permission denied\n", cmd)
        elif p.svr4 and e == p.h.ENODEV:
            p.eprintf("%s: family not loaded\n", cmd)
        else:
            p.perror(cmd)
        p.exit(1)

    def usage(self):
        self.p.eprintf(USAGE_SVR4 if self.p.svr4 else USAGE)
        self.p.exit(1)

    def missing(self, word):
        """A keyword without its value: C passed NULL on (man page, BUGS)."""
        p = self.p
        if p.svr4 and word != "metric":
            p.eprintf("ifconfig: address argument required\n")
            self.usage()
        p.eprintf("ifconfig: '%s' requires argument\n", word)
        p.exit(1)

    # -- the command
    def main(self, argv):
        """ifconfig.c main: open, read the flags and metric, then show or set."""
        p, h = self.p, self.h
        if not argv:
            self.usage()
        self.name = libc.os_encode(argv[0])[:30]
        argv = argv[1:]
        self.strncpy_name()
        af = h.AF_INET
        if argv:
            self.afp = self.afs[0]
            for entry in self.afs:
                if entry[0] == argv[0]:
                    self.afp = entry
                    argv = argv[1:]
                    break
            af = self.afp[1]
            self.ifr.ifr_ifru.ifru_addr.sa_family = af
        elif p.svr4:
            self.afp = self.afs[0]
        self.s = p.open_ip() if p.svr4 else p.socket(af, h.SOCK_DGRAM, 0)
        if self.s < 0:
            p.perror("ifconfig: open" if p.svr4 else "ifconfig: socket")
            p.exit(1)
        if self.ioctl(h.SIOCGIFFLAGS) < 0:
            self.Perror("ioctl (SIOCGIFFLAGS)")
        if not p.svr4:
            self.strncpy_name()
        self.flags = self.ifr.ifr_ifru.ifru_flags
        if self.ioctl(h.SIOCGIFMETRIC) < 0:
            p.perror("ioctl (SIOCGIFMETRIC)")
        else:
            self.metric = self.ifr.ifr_ifru.ifru_metric
        if not argv:
            self.status()
            p.exit(0)
        i = 0
        while i < len(argv):
            word = argv[i]
            entry = self.cmds.get(word)
            if entry is None:
                # the first unknown word is the address, the next ones destinations
                entry = (0, self.setifdstaddr if self.setaddr else self.setifaddr)
            param, func = entry
            if param is NEXTARG:
                if i + 1 >= len(argv):
                    self.missing(word)
                func(argv[i + 1])
                i += 1
            else:
                func(word, param)
            i += 1
        if (self.setmask or self.setaddr) and af == h.AF_INET:
            # No mask given: a zero mask, so the kernel assigns the default.
            self.set_ifr_addr(self.netmask)
            if self.ioctl(h.SIOCSIFNETMASK) < 0:
                self.Perror("ioctl (SIOCSIFNETMASK)")
        if self.setaddr:
            self.set_ifr_addr(self.sin)
            if self.ioctl(h.SIOCSIFADDR) < 0:
                self.Perror("ioctl (SIOCSIFADDR)")
        if self.setbroadaddr:
            self.set_ifr_addr(self.broadaddr)
            if self.ioctl(h.SIOCSIFBRDADDR) < 0:
                self.Perror("ioctl (SIOCSIFBRDADDR)")
        p.exit(0)

    # -- the keywords
    def setifaddr(self, addr, param):
        """The address: kept until the flags are set (ifconfig.c setifaddr)."""
        self.setaddr += 1
        self.afp[3](addr, self.sin)

    def setifnetmask(self, addr):
        self.in_getaddr(addr, self.netmask)
        self.setmask += 1

    def setifbroadaddr(self, addr):
        self.afp[3](addr, self.broadaddr)
        self.setbroadaddr += 1

    def setifipdst(self, addr):
        self.in_getaddr(addr, self.ipdst)
        self.setipdst += 1

    def setifdstaddr(self, addr, param):
        """A destination address goes to the kernel at once (SIOCSIFDSTADDR)."""
        self.afp[3](addr, self.ifr_addr())
        if self.ioctl(self.h.SIOCSIFDSTADDR) < 0:
            self.Perror("ioctl (SIOCSIFDSTADDR)")

    def setifflags(self, vname, value):
        """Read the flags afresh, change one bit, write them (ifconfig.c setifflags)."""
        h = self.h
        if self.ioctl(h.SIOCGIFFLAGS) < 0:
            self.Perror("ioctl (SIOCGIFFLAGS)")
        if not self.p.svr4:
            self.strncpy_name()
        self.flags = self.ifr.ifr_ifru.ifru_flags
        if value < 0:
            self.flags &= ~-value
        else:
            self.flags |= value
        self.ifr.ifr_ifru.ifru_flags = libc.i16(self.flags)
        if self.ioctl(h.SIOCSIFFLAGS) < 0:
            self.Perror(vname)

    def setifmetric(self, val):
        if not self.p.svr4:
            self.strncpy_name()
        self.ifr.ifr_ifru.ifru_metric = libc.atoi(val)
        if self.ioctl(self.h.SIOCSIFMETRIC) < 0:
            self.p.perror("ioctl (set metric)")

    def in_getaddr(self, s, sin):
        """An address, a host name or a network name (ifconfig.c in_getaddr)."""
        p = self.p
        sin.sin_family = p.h.AF_INET
        val = libc.inet_addr(s)
        if val != libc.INADDR_NONE:
            sin.sin_addr.s_addr = val
            return
        hp = libc.gethostbyname(p, s)
        if hp:
            sin.sin_family = hp.h_addrtype
            sin.sin_addr.s_addr = hp.h_addr
            return
        np = libc.getnetbyname(p, s)
        if np:
            sin.sin_family = np.n_addrtype
            sin.sin_addr.s_addr = libc.inet_makeaddr(np.n_net, 0)
            return
        p.eprintf("ifconfig: %s: bad value\n" if p.svr4 else "%s: bad value\n", s)
        p.exit(1)

    # -- the display
    def status(self):
        """The flags line, then each family's line (ifconfig.c status)."""
        p = self.p
        p.printf("%s: ", self.name.decode("latin-1"))
        p.printf("%s", printb("flags", self.flags, IFFBITS_SVR4 if p.svr4 else IFFBITS))
        if self.metric:
            p.printf(" metric %d", self.metric)
        p.printf("\n")
        if self.afp is not None:
            self.afp[2](1)
            return
        for _, af, status, _ in self.afs:
            self.ifr.ifr_ifru.ifru_addr.sa_family = af
            status(0)

    def in_status(self, force):
        """The inet line: address, peer, netmask in hex, broadcast (in_status)."""
        p, h = self.p, self.h
        svr4 = p.svr4
        if self.ioctl(h.SIOCGIFADDR) < 0:
            quiet = (h.EADDRNOTAVAIL, h.EPROTONOSUPPORT if svr4 else h.EAFNOSUPPORT)
            if p.errno in quiet:
                if not force:
                    return
                self.bzero_ifr_addr()
            else:
                p.perror("ioctl (SIOCGIFADDR)")
        p.printf("\tinet %s ", libc.inet_ntoa(self.ifr_addr().sin_addr.s_addr))
        if not svr4:
            self.strncpy_name()
        if self.ioctl(h.SIOCGIFNETMASK) < 0:
            if p.errno != h.EADDRNOTAVAIL:
                p.perror("ioctl (SIOCGIFNETMASK)")
            self.bzero_ifr_addr()
        else:
            self.netmask.sin_addr.s_addr = self.ifr_addr().sin_addr.s_addr
        if self.flags & h.IFF_POINTOPOINT:
            if self.ioctl(h.SIOCGIFDSTADDR) < 0:
                if p.errno == h.EADDRNOTAVAIL:
                    self.bzero_ifr_addr()
                else:
                    p.perror("ioctl (SIOCGIFDSTADDR)")
            if not svr4:
                self.strncpy_name()
            p.printf("--> %s ", libc.inet_ntoa(self.ifr_addr().sin_addr.s_addr))
        p.printf("netmask %x ", libc.ntohl(self.netmask.sin_addr.s_addr))
        if self.flags & h.IFF_BROADCAST:
            if self.ioctl(h.SIOCGIFBRDADDR) < 0:
                if p.errno == h.EADDRNOTAVAIL:
                    self.bzero_ifr_addr()
                else:
                    p.perror("ioctl (SIOCGIFADDR)")     # sic: the original's message
            if not svr4:
                self.strncpy_name()
            addr = self.ifr_addr().sin_addr.s_addr
            if addr != 0:
                p.printf("broadcast %s", libc.inet_ntoa(addr))
        p.printf("\n")

    def xns_status(self, force):
        """The ns line: silent when the kernel has no NS domain (xns_status)."""
        p, h = self.p, self.h
        p.close(self.s)
        self.s = p.socket(h.AF_NS, h.SOCK_DGRAM, 0)
        if self.s < 0:
            if p.errno == h.EPROTONOSUPPORT:
                return
            p.perror("ifconfig: socket")
            p.exit(1)
        # A kernel with an NS domain would be asked SIOCGIFADDR here;
        # netkern's has none (no XNS addresses to print).


def ifconf_names(p) -> list:
    """Every interface name, once each, in SIOCGIFCONF order (``ifconfig -a``).

    A 4.3 kernel lists an interface once per address, and fills one
    entry fewer than the buffer holds; the buffer grows until the
    answer leaves room to spare.
    """
    h, ffi = p.h, p.ffi
    s = p.open_ip() if p.svr4 else p.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    if s < 0:
        p.perror("ifconfig: open" if p.svr4 else "ifconfig: socket")
        p.exit(1)
    size = ffi.sizeof("struct ifreq")
    n = 32
    while True:
        buf = ffi.new("char[]", n * size)
        ifc = ffi.new("struct ifconf *")
        ifc.ifc_len = n * size
        ifc.ifc_ifcu.ifcu_buf = buf
        if p.ioctl(s, h.SIOCGIFCONF, ifc) < 0:
            p.perror("ioctl (SIOCGIFCONF)")
            p.exit(1)
        if ifc.ifc_len < (n - 1) * size:
            break
        n *= 2
    p.close(s)
    names = []
    reqs = ffi.cast("struct ifreq *", buf)
    for i in range(ifc.ifc_len // size):
        name = libc.cstr(ffi.buffer(reqs[i].ifr_name))
        if name not in names:
            names.append(name)
    return names


def ifconfig(p, argv):
    """The program: ``ifconfig -a [af]`` or the classic command line."""
    if argv[:1] == ["-a"]:
        if len(argv) > 2:
            Ifconfig(p).usage()
        for name in ifconf_names(p):
            one = Ifconfig(p)
            try:
                one.main([name] + argv[1:])
            except libc.Exit as e:
                if e.status:
                    raise
            finally:
                p.close(one.s)
        return 0
    return Ifconfig(p).main(argv)


def main(argv=None, **kw) -> int:
    """ifconfig [-k name] [-V tahoe|svr4] interface [af] [address [dest_address]] [parameters]."""
    return libc.main("ifconfig", ifconfig, argv, **kw)
