"""route: add or delete a route by hand, or flush the gateway routes.

A port of 4.3BSD-Tahoe etc/route.c (SCCS 5.9, 87/12/26) and, in the SVR4
personality, of SVR4.0 cmd/cmd-inet/usr.sbin/route.c
(utilities-reference section 2; seed 002, "The Cartographer's Ledger",
"Gate Permissions", "The Route Vault").

``route [-n] [-f] [add|delete [host|net] destination gateway [metric]]``.
A destination is a host when its classful host part is not zero
(``inet_lnaof``), a network otherwise, unless ``host`` or ``net`` says
so; ``default`` is the network 0.0.0.0.  A metric above 0 makes the
route go through a gateway (RTF_GATEWAY).  The route is handed to the
kernel with SIOCADDRT or SIOCDELRT; a gateway name with several
addresses is retried with the next while the kernel answers
ENETUNREACH or ESRCH.  ``-f`` first walks the kernel's routing tables
through kvm and deletes every route through a gateway.
"""

from usr_sbin import libc

USAGE = "usage: route [ -n ] [ -f ] [ cmd [ net | host ] args ]\n"


class Route:
    """The program's globals (the rtentry, the socket, the flags) and functions."""

    def __init__(self, p):
        self.p = p
        self.h, self.ffi = p.h, p.ffi
        self.route = self.ffi.new("struct rtentry *")
        self.s = -1
        self.forcehost = self.forcenet = self.doflush = self.nflag = 0

    def main(self, argv):
        """route.c main: open the socket, scan the flags, flush, then the command."""
        p, h = self.p, self.h
        if not argv:
            p.printf(USAGE)
            p.exit(1)
        if p.svr4:
            # SVR4 opened /dev/ip, open to every user: the privilege
            # check is the kernel's, on the ioctl (route.8).
            self.s = p.open_ip()
            if self.s < 0:
                p.perror("route: open /dev/ip")
                p.exit(1)
        else:
            self.s = p.socket(h.AF_INET, h.SOCK_RAW, 0)
            if self.s < 0:
                p.perror("route: socket")
                p.exit(1)
        while argv and argv[0][:1] == "-":
            for c in argv[0][1:]:
                if c == "f":
                    self.doflush += 1
                elif c == "n":
                    self.nflag += 1
                # any other letter is ignored, as it was
            argv = argv[1:]
        if self.doflush:
            self.flushroutes()
        if argv:
            if argv[0] in ("add", "delete"):
                self.newroute(argv)
            elif argv[0] == "change":
                p.printf("not supported\n")
            else:
                p.printf("%s: huh?\n", argv[0])
        # Tahoe's main fell off its end with no exit(): netkern says 0,
        # as SVR4's exit(0) does (man/man8/route.8, EXIT STATUS).
        p.exit(0)

    # -- flushing
    def flushroutes(self):
        """Delete every route through a gateway, walking the tables through kvm.

        Ports route.c flushroutes: host buckets, then net buckets, each
        chain read from the kernel and followed by the copy's m_next,
        printing the destination and gateway, then ``done`` or the
        error (route.c error).
        """
        p = self.p
        syms = ("rthost", "rtnet", "rthashsize")
        kd = libc.kvm_open(p, *p.files)
        if isinstance(kd, tuple):
            p.perror("route: /dev/kmem")
            p.exit(1)
        addrs = {}
        for sym in syms:
            addrs[sym] = libc.nlist(kd, ("" if p.svr4 else "_") + sym)
            if not addrs[sym]:
                p.printf('route: "%s", symbol not in namelist\n', sym)
                p.exit(1)
        hashsize = libc.kread(kd, addrs["rthashsize"], "int")[0]
        p.printf("Flushing routing tables:\n")
        for doinghost, table in ((1, addrs["rthost"]), (0, addrs["rtnet"])):
            for m in self._buckets(kd, table, hashsize):
                while m:
                    mb = libc.kread(kd, m, "struct mbuf")
                    if mb is None:
                        break
                    rt = libc.kread(kd, mb.m_hdr.mh_data, "struct rtentry")
                    if rt is not None and rt.rt_flags & self.h.RTF_GATEWAY:
                        dst = self.ffi.addressof(rt, "rt_dst")
                        p.printf("%-20.20s ", self.routename(dst) if doinghost else self.netname(dst))
                        p.printf("%-20.20s ", self.routename(self.ffi.addressof(rt, "rt_gateway")))
                        if p.ioctl(self.s, self.h.SIOCDELRT, rt) < 0:
                            self.error("delete")
                        else:
                            p.printf("done\n")
                    m = libc.kaddr(mb.m_hdr.mh_next)
        kd.close()

    @staticmethod
    def _buckets(kd, table, hashsize):
        """The chain heads of one table, read all at once as route.c did."""
        return libc.kread_ptrs(kd, table, max(hashsize, 0))

    # -- names
    def routename(self, sa) -> str:
        """A gateway or host for display (route.c routename).

        0.0.0.0 is ``default`` even with -n; otherwise the kernel's hosts
        file unless -n, else the number.
        """
        p = self.p
        if sa.sa_family == self.h.AF_INET:
            s_addr = self.ffi.cast("struct sockaddr_in *", sa).sin_addr.s_addr
            return "default" if s_addr == 0 else libc.routename(p, s_addr, self.nflag)
        return _af_words(self.ffi, sa)

    def netname(self, sa) -> str:
        """A network for display (route.c netname): guess the subnet mask, then name it."""
        if sa.sa_family != self.h.AF_INET:
            return _af_words(self.ffi, sa)
        i = libc.ntohl(self.ffi.cast("struct sockaddr_in *", sa).sin_addr.s_addr)
        return libc.netname(self.p, i, 0, self.nflag) if i else "default"

    # -- adding and deleting
    def newroute(self, argv):
        """route.c newroute: parse, ask the kernel, retry, and report."""
        p, h, ffi = self.p, self.h, self.ffi
        cmd = argv[0]
        if p.svr4 and len(argv) < 3:
            p.printf("usage: %s destination gateway ...\n", cmd)
            return
        # (Tahoe compared argv[1] with "host" even when it was NULL.)
        if argv[1:2] == ["host"]:
            self.forcehost += 1
            argv = argv[:1] + argv[2:]
        elif argv[1:2] == ["net"]:
            self.forcenet += 1
            argv = argv[:1] + argv[2:]
        metric = 0
        if cmd[0] == "a":
            if len(argv) != 4:
                p.printf("usage: %s destination gateway metric\n", cmd)
                p.printf("(metric of 0 if gateway is this host)\n")
                return
            metric = libc.atoi(argv[3])
        elif len(argv) < 3:
            p.printf("usage: %s destination gateway\n", cmd)
            return
        rt = self.route
        dst = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_dst"))
        ishost, dest, _ = self.getaddr(argv[1], dst, self.forcenet)
        if self.forcehost:
            ishost = 1
        if self.forcenet:
            ishost = 0
        gw = ffi.cast("struct sockaddr_in *", ffi.addressof(rt, "rt_gateway"))
        _, gateway, hp = self.getaddr(argv[2], gw, 0)
        rt.rt_flags = h.RTF_UP
        if ishost:
            rt.rt_flags |= h.RTF_HOST
        if metric > 0:
            rt.rt_flags |= h.RTF_GATEWAY
        cmdno = h.SIOCADDRT if cmd[0] == "a" else h.SIOCDELRT
        attempts, nextaddr = 1, 1
        while True:
            p.errno = 0
            ret = p.ioctl(self.s, cmdno, rt)
            if ret == 0:
                break
            if p.errno not in (h.ENETUNREACH, h.ESRCH):
                break
            if hp and nextaddr < len(hp.h_addr_list):
                gw.sin_addr.s_addr = hp.h_addr_list[nextaddr]
                nextaddr += 1
                attempts += 1
            else:
                break
        p.printf("%s %s %s: gateway %s", cmd, "host" if ishost else "net", dest, gateway)
        if attempts > 1 and ret == 0:
            p.printf(" (%s)", libc.inet_ntoa(gw.sin_addr.s_addr))
        if ret == 0:
            p.printf("\n")
        else:
            p.printf(": ")
            self.error(None)

    def error(self, cmd):
        """The kernel's refusal in words (route.c error), on stderr."""
        p, h = self.p, self.h
        if p.errno == h.ESRCH:
            p.eprintf("not in table\n")
        elif p.errno == h.EBUSY:
            p.eprintf("entry in use\n")
        elif p.errno == h.ENOBUFS:
            p.eprintf("routing table overflow\n")
        else:
            p.perror(cmd)

    def getaddr(self, s, sin, isnet):
        """A destination or gateway: (is a host, name to print, hostent).

        Ports route.c getaddr: ``default``; then inet_addr (Tahoe skips
        it when ``net`` was given; SVR4 tries it first whatever was
        given), a host iff its classful host part is not zero; then
        inet_network with the three-case inet_makeaddr; then the
        networks file; then the hosts file; else ``bad value``.
        """
        p = self.p
        if s == "default":
            sin.sin_family = p.h.AF_INET
            sin.sin_addr.s_addr = libc.inet_makeaddr(0, 0)
            return 0, "default", None
        sin.sin_family = p.h.AF_INET
        if not isnet or p.svr4:
            val = libc.inet_addr(s)
            if val != libc.INADDR_NONE:
                sin.sin_addr.s_addr = val
                return int(libc.inet_lnaof(val) != 0), s, None
        val = libc.inet_network(s)
        if val != libc.INADDR_NONE:
            sin.sin_addr.s_addr = libc.inet_makeaddr(val, 0)
            return 0, s, None
        np = libc.getnetbyname(p, s)
        if np:
            sin.sin_family = np.n_addrtype
            sin.sin_addr.s_addr = libc.inet_makeaddr(np.n_net, 0)
            return 0, np.n_name, None
        hp = libc.gethostbyname(p, s)
        if hp:
            sin.sin_family = hp.h_addrtype
            sin.sin_addr.s_addr = hp.h_addr
            return 1, hp.h_name, hp
        p.eprintf("%s: bad value\n", s)
        p.exit(1)


def _af_words(ffi, sa) -> str:
    """A sockaddr of another family: ``af N:`` and its data as seven shorts."""
    s = ffi.cast("unsigned short *", ffi.addressof(sa, "sa_data"))
    return "af %d: %x %x %x %x %x %x %x" % ((sa.sa_family,) + tuple(s[i] for i in range(7)))


def route(p, argv):
    """The program."""
    return Route(p).main(argv)


def main(argv=None, **kw) -> int:
    """route [-k name] [-V tahoe|svr4] [-n] [-f] [add|delete [host|net] destination gateway [metric]]."""
    return libc.main("route", route, argv, **kw)
