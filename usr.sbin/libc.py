"""The C library the classic utilities share, and their common main.

The utilities are ports of C programs, so they are written against a C
library: ``perror``, ``atoi``, ``getopt``, the Internet address routines
``inet_addr``/``inet_network``/``inet_makeaddr``/``inet_ntoa``/
``inet_lnaof``/``inet_netof``, and the netdb look-ups ``gethostbyname``,
``gethostbyaddr``, ``getnetbyname``, ``getnetbyaddr``, ``getprotoent``
and ``getservbyport``.  Each routine here has its C name and follows the
4.3BSD-Tahoe libc (the SVR4 libsocket has the same algorithms; where
the two differ, the difference is named).

The netdb files are the *kernel's*, not the host's: ``hosts``,
``networks``, ``protocols`` and ``services`` in the kernel's run
directory (man/man8/ifconfig.8, FILES).  A file that does not exist
there reads as the stock file of this module (``STOCK``), which has what
a freshly installed Tahoe system had for the loopback (``localhost``,
``loopback-net 127``) and the stock protocol order ``ip icmp ... udp``.
There is no name server: these files stand in for it.

Every program runs through ``main``: netkern's own options ``-k NAME``
(which kernel) and ``-V tahoe|svr4`` (which personality) come first,
then the program's own arguments as the original parsed them.  A
program calls ``p.exit(n)`` where C called ``exit(n)``; nothing a user
types produces a Python traceback.  Which kernel a program talks to is
decided in one place, ``kernel_open``: the kernel server of the named
kernel (kern/sysproxy), unless the caller passes the system calls and
the kvm files of a kernel itself (the tests do, with an in-process
kernel).
"""

import os
import sys

PERSONALITIES = {"tahoe": "native", "native": "native", "4.3bsd": "native", "svr4": "svr4"}
INADDR_NONE = 0xFFFFFFFF
MAXHOSTNAMELEN = 64


class Exit(Exception):
    """exit(3): unwinds a program to ``main`` with its status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class NotRunning(Exception):
    """The kernel a program asked for is not running."""


# ---------------------------------------------------------------------------
# The kernel: one small function decides where the system calls go.

def kernel_open(kname=None, personality="native", prog=None):
    """The system calls of the named kernel's server, for a program's process.

    Imports the kernel server's client stub only when a program needs
    system calls (netstat never does), and reports a kernel that is not
    running (or a netkern without the server) as NotRunning, whose text
    is kern.rundir.not_running(); a refusal by the server (its own
    message) likewise ends the program with status 1.
    """
    from kern import rundir
    try:
        from kern.sysproxy import client
    except ImportError:
        raise NotRunning(rundir.not_running(kname)) from None
    try:
        return client.connect(name=kname, personality=personality, comm=prog)
    except (OSError, ConnectionError):
        raise NotRunning(rundir.not_running(kname)) from None
    except SystemExit as e:            # the stub's NotRunning and Refused
        raise NotRunning(str(e.code if e.code is not None else e)) from None


def kernel_files(kname=None):
    """(namelist, kmem) of the named running kernel, for kvm readers."""
    from kern import rundir
    files = rundir.files(kname)
    if files is None:
        raise NotRunning(rundir.not_running(kname))
    return files


class Proc:
    """One run of a utility: its name, personality, streams and kernel.

    ``sc`` and ``files`` may be given (an in-process kernel); otherwise
    they are found from ``kname`` the first time the program needs them.
    The descriptors a program opens are closed when it ends, as exit(2)
    closes them.
    """

    def __init__(self, prog, personality="native", out=None, err=None, sc=None, files=None,
                 kname=None, etc=None):
        from kern import headers
        self.prog = prog                  # argv[0] as getopt and usage print it
        self.personality = personality
        self.svr4 = personality == "svr4"
        self.h = headers.load(personality)
        self.ffi = self.h.ffi
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.kname = kname
        self._sc, self._files, self._etc = sc, files, etc
        self._fds = []
        self.errno = 0

    # -- the kernel
    @property
    def sc(self):
        if self._sc is None:
            self._sc = kernel_open(self.kname, self.personality, self.prog)
        return self._sc

    @property
    def files(self):
        if self._files is None:
            self._files = kernel_files(self.kname)
        return self._files

    def etc(self, name: str) -> str:
        """The text of the kernel's netdb file ``name`` (hosts, networks ...)."""
        folder = self._etc
        if folder is None and self._files is not None:
            folder = os.path.dirname(self._files[1])
        if folder is None:
            from kern import rundir
            folder = rundir.path(self.kname)
        try:
            with open(os.path.join(folder, name), encoding="latin-1") as f:
                return f.read()
        except OSError:
            return STOCK[name]

    # -- system calls, C style: -1 and errno on failure
    def socket(self, domain, type, protocol=0) -> int:
        from kern.syscalls import SysError
        try:
            fd = self.sc.socket(domain, type, protocol)
        except SysError as e:
            self.errno = e.errno
            return -1
        self._fds.append(fd)
        return fd

    def open_ip(self) -> int:
        """open("/dev/ip") (or /dev/arp) of an SVR4 program.

        netkern has no STREAMS devices: the stream to IP is a datagram
        socket, to which the kernel's SVR4 layer gives the I_STR
        treatment of the ioctls SVR4's tools sent down /dev/ip
        (kern/compat/svr4).  It is asked for in the personality's own
        numbers, which the SVR4 layer translates.
        """
        return self.socket(self.h.AF_INET, self.h.SOCK_DGRAM, 0)

    def ioctl(self, fd, cmd, arg) -> int:
        from kern.syscalls import SysError
        try:
            return self.sc.ioctl(fd, cmd, arg)
        except SysError as e:
            self.errno = e.errno
            return -1

    def close(self, fd) -> None:
        if fd in self._fds:
            self._fds.remove(fd)
            self.sc.close(fd)

    def exit_process(self) -> None:
        """What exit(2) does for the kernel: close the program's descriptors.

        A kernel server closes them itself when the connection ends; an
        in-process kernel is told one by one.
        """
        from kern.syscalls import SysError
        closer = getattr(self._sc, "close_connection", None)
        if closer is not None:
            closer()
        else:
            for fd in self._fds:
                try:
                    self._sc.close(fd)
                except SysError:
                    pass
        self._fds = []

    # -- stdio
    def printf(self, fmt, *args) -> None:
        self.out.write(fmt % args if args else fmt)

    def eprintf(self, fmt, *args) -> None:
        """fprintf(stderr, ...): stdout is flushed first, so a terminal shows them in order."""
        self.out.flush()
        self.err.write(fmt % args if args else fmt)

    def exit(self, status: int):
        raise Exit(status)

    # -- errors
    def strerror(self, errno=None) -> str:
        from kern.syscalls import errstr
        return errstr(self.errno if errno is None else errno, self.personality)

    def perror(self, s=None, errno=None) -> None:
        """perror(3): ``s: text`` on stderr, only the text when s is NULL or empty."""
        text = self.strerror(errno)
        self.eprintf("%s: %s\n" % (s, text) if s else "%s\n" % text)

    def oserror(self, e: OSError) -> int:
        """Set errno from a host OSError, in this personality's numbering."""
        import errno as host
        name = host.errorcode.get(e.errno, "")
        self.errno = getattr(self.h, name, e.errno) if name else e.errno
        return self.errno


# ---------------------------------------------------------------------------
# The utility skeleton.

def netkern_options(prog, argv, err=None, env=os.environ):
    """Take netkern's ``-k NAME`` and ``-V PERSONALITY`` off the front of argv.

    Returns (kname, personality, rest).  They may come in either order,
    as ``-k NAME`` or ``-kNAME``; $NETKERN and $NETKERN_PERSONALITY are
    the defaults.  A bad value raises Exit after a one-line message.
    """
    kname = None
    pers = env.get("NETKERN_PERSONALITY") or "tahoe"
    argv = list(argv)
    while argv and argv[0][:2] in ("-k", "-V"):
        opt, val = argv[0][:2], argv[0][2:]
        argv = argv[1:]
        if not val:
            if not argv:
                (err or sys.stderr).write(f"{prog}: option requires an argument -- {opt[1]}\n")
                raise Exit(1)
            val, argv = argv[0], argv[1:]
        if opt == "-k":
            kname = val
        else:
            pers = val
    if pers.lower() not in PERSONALITIES:
        (err or sys.stderr).write(f"{prog}: {pers}: unknown personality (tahoe or svr4)\n")
        raise Exit(1)
    return kname, PERSONALITIES[pers.lower()], argv


def main(prog, body, argv=None, sc=None, files=None, out=None, err=None, etc=None) -> int:
    """Run a utility: netkern's options, then ``body(p, argv)``; return the exit status.

    With sc (a kern.syscalls SysCalls) the program runs as that process
    of an in-process kernel, in its personality, and files gives the
    kernel's (namelist, kmem).  A Python exception from a bug becomes a
    one-line message and status 1, never a traceback.
    """
    cli = argv is None
    if cli:
        # Interrupts and closed pipes end the program as they end a C one.
        # (_signal: the signal module would import enum, a tenth of start-up.)
        import _signal
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
        _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
        argv = sys.argv[1:]
    p = None
    status = 0
    try:
        kname, personality, rest = netkern_options(prog, argv, err)
        if sc is not None:
            personality = sc.personality
        p = Proc(prog, personality, out, err, sc, files, kname, etc)
        status = body(p, rest) or 0
    except Exit as e:
        status = e.status
    except NotRunning as e:
        (err or sys.stderr).write(f"{e}\n")
        status = 1
    except Exception as e:                 # a bug: say it in one line
        (err or sys.stderr).write(f"{prog}: internal error: {type(e).__name__}: {e}\n")
        status = 1
    finally:
        if p is not None:
            try:
                p.exit_process()
            except Exception:
                pass
            p.out.flush()
    return status


def command(prog, body):
    """The console entry point of a utility (``python -m usr_sbin.PROG``)."""
    sys.exit(main(prog, body))


# ---------------------------------------------------------------------------
# Numbers and strings as C reads them.

def atoi(s) -> int:
    """atoi(3): optional blanks and sign, then decimal digits; 0 for none."""
    if s is None:
        return 0
    i, n = 0, len(s)
    while i < n and s[i] in " \t\n\v\f\r":
        i += 1
    neg = False
    if i < n and s[i] in "+-":
        neg, i = s[i] == "-", i + 1
    v = 0
    while i < n and "0" <= s[i] <= "9":
        v = v * 10 + ord(s[i]) - 48
        i += 1
    v = -v if neg else v
    return (v + 2**31) % 2**32 - 2**31         # a 32-bit int, as on the VAX


def i32(v: int) -> int:
    """A value as C's 32-bit int prints it with %d."""
    return (v + 2**31) % 2**32 - 2**31


def i16(v: int) -> int:
    """A value stored into a C short."""
    return (v + 2**15) % 2**16 - 2**15


def u32(v: int) -> int:
    """A value as C's 32-bit unsigned prints it with %u or %x."""
    return v & 0xFFFFFFFF


def plural(n: int) -> str:
    """netstat's plural(): "s" unless the count is exactly one."""
    return "" if n == 1 else "s"


def os_encode(s: str) -> bytes:
    """An argument as the bytes the C program received in argv."""
    return os.fsencode(s)


def cstr(b) -> str:
    """The C string in a char array or bytes (up to the first NUL)."""
    b = bytes(b)
    i = b.find(b"\0")
    return (b if i < 0 else b[:i]).decode("latin-1")


# ---------------------------------------------------------------------------
# Internet addresses.  An address is an s_addr int, the four bytes of a
# struct in_addr as they lie in memory (network order), read as this
# host reads an int: the kernel's convention (HACKING.md).

_BIG = sys.byteorder == "big"


def ntohl(x: int) -> int:
    """byteorder(3): a 32-bit value from network to host order."""
    return x if _BIG else int.from_bytes((x & 0xFFFFFFFF).to_bytes(4, "little"), "big")


def ntohs(x: int) -> int:
    """A 16-bit value from network to host order."""
    return x if _BIG else int.from_bytes((x & 0xFFFF).to_bytes(2, "little"), "big")


htonl = ntohl
IN_CLASSA_NET, IN_CLASSB_NET, IN_CLASSC_NET = 0xFF000000, 0xFFFF0000, 0xFFFFFF00


def IN_CLASSA(i):
    return i & 0x80000000 == 0


def IN_CLASSB(i):
    return i & 0xC0000000 == 0x80000000


def _parts(cp: str, strict_octal_prefix: bool):
    """Split an address into numeric parts, C style; None if it is not one."""
    parts = []
    i, n = 0, len(cp)
    while True:
        val, base = 0, 10
        if strict_octal_prefix:                      # inet_addr 5.6
            if i < n and cp[i] == "0":
                i += 1
                if i < n and cp[i] in "xX":
                    base, i = 16, i + 1
                else:
                    base = 8
        else:                                        # inet_network 5.5
            if i < n and cp[i] == "0":
                base, i = 8, i + 1
            if i < n and cp[i] in "xX":
                base, i = 16, i + 1
        while i < n:
            c = cp[i]
            if "0" <= c <= "9":
                val = (val * base + ord(c) - 48) & 0xFFFFFFFF
            elif base == 16 and c in "abcdefABCDEF":
                val = ((val << 4) + int(c, 16)) & 0xFFFFFFFF
            else:
                break
            i += 1
        if i < n and cp[i] == ".":
            if len(parts) >= 4:
                return None
            parts.append(val)
            i += 1
            continue
        if i < n and cp[i] not in " \t\n\v\f\r":
            return None
        parts.append(val)
        return parts


def inet_addr(cp: str) -> int:
    """An address in dot notation to s_addr; INADDR_NONE if it is not one.

    Ports 4.3BSD-Tahoe lib/libc/inet/inet_addr.c (SCCS 5.6): each part
    is decimal, 0-prefixed octal (where 8 and 9 are still accepted) or
    0x hex; a.b.c puts c in 16 bits, a.b puts b in 24, a lone number is
    all 32; trailing blanks end it, anything else fails.  255.255.255.255
    is INADDR_NONE too, so callers cannot tell it from an error.
    """
    parts = _parts(cp, True)
    if parts is None or len(parts) > 4:
        return INADDR_NONE
    p = parts
    if len(p) == 1:
        val = p[0]
    elif len(p) == 2:
        val = (p[0] << 24) | (p[1] & 0xFFFFFF)
    elif len(p) == 3:
        val = (p[0] << 24) | ((p[1] & 0xFF) << 16) | (p[2] & 0xFFFF)
    else:
        val = (p[0] << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF)
    return htonl(val & 0xFFFFFFFF)


def inet_network(cp: str) -> int:
    """A network number in dot notation, in host order; INADDR_NONE if none.

    Ports 4.3BSD-Tahoe lib/libc/inet/inet_network.c (SCCS 5.5): up to
    four parts, each masked to a byte and packed from the right, so
    ``10`` is 0xa and ``10.1`` is 0xa01 (no trailing zeros added).
    """
    parts = _parts(cp, False)
    if parts is None or len(parts) > 4:
        return INADDR_NONE
    val = 0
    for part in parts:
        val = (val << 8) | (part & 0xFF)
    return val


def inet_makeaddr(net: int, host: int) -> int:
    """An address (s_addr) from a network number and a host part.

    Ports the three-case 4.3BSD-Tahoe lib/libc/inet/inet_makeaddr.c
    (SCCS 5.3, as SVR4's libsocket): a net below 128 is class A, below
    65536 class B, anything else is shifted as a class C net, in 32
    bits.  So a whole address such as 0x0a000000 (what inet_network
    makes of ``10.0.0.0``) is shifted out of the word and gives 0.0.0.0:
    route's historical ``net 10.0.0.0`` bug (man/man8/route.8, BUGS).
    """
    net &= 0xFFFFFFFF
    if net < 128:
        addr = (net << 24) | (host & 0x00FFFFFF)
    elif net < 65536:
        addr = (net << 16) | (host & 0x0000FFFF)
    else:
        addr = (net << 8) | (host & 0x000000FF)
    return htonl(addr & 0xFFFFFFFF)


def inet_ntoa(s_addr: int) -> str:
    """An s_addr in dot notation, byte by byte as it lies in memory."""
    return "%d.%d.%d.%d" % tuple(s_addr.to_bytes(4, sys.byteorder))


def inet_lnaof(s_addr: int) -> int:
    """The classful host part of an address (libc inet_lnaof; no subnets)."""
    i = ntohl(s_addr)
    if IN_CLASSA(i):
        return i & 0x00FFFFFF
    if IN_CLASSB(i):
        return i & 0x0000FFFF
    return i & 0x000000FF


def inet_netof(s_addr: int) -> int:
    """The classful network number of an address, shifted down (libc inet_netof)."""
    i = ntohl(s_addr)
    if IN_CLASSA(i):
        return (i & IN_CLASSA_NET) >> 24
    if IN_CLASSB(i):
        return (i & IN_CLASSB_NET) >> 16
    return (i & IN_CLASSC_NET) >> 8


def dotted(i: int) -> str:
    """A host-order address as ``%u.%u.%u.%u`` (the tools' numeric fallback)."""
    return "%u.%u.%u.%u" % ((i >> 24) & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)


def routename(p, s_addr: int, nflag) -> str:
    """A host for display: its name in the kernel's hosts file unless -n, else its number.

    The routename() of route.c and netstat route.c.  A name ending in
    the local domain loses it; netkern's kernels have no domain name,
    so no name is shortened.
    """
    if not nflag:
        hp = gethostbyaddr(p, s_addr)
        if hp:
            return hp.h_name[:MAXHOSTNAMELEN]
    return dotted(ntohl(s_addr))


def netname(p, i: int, mask: int, nflag) -> str:
    """The name of a network (host order, its bits in place), or its number.

    Ports netname() of Tahoe route.c and netstat route.c.  With no mask
    the classful one is widened (8 bits at a time for class A and B, 4
    for C, by an arithmetic shift; SVR4's copies or in the shifted mask,
    which gives the same masks) while host bits remain; the network
    number found is looked up in the networks file unless -n.  The
    number is printed with its trailing zero bytes dropped: 10.0.0.0 is
    ``10`` and 192.168.1.0 is ``192.168.1``.
    """
    if not nflag and i:
        if mask == 0:
            if IN_CLASSA(i):
                mask, shift = IN_CLASSA_NET, 8
            elif IN_CLASSB(i):
                mask, shift = IN_CLASSB_NET, 8
            else:
                mask, shift = IN_CLASSC_NET, 4
            while i & ~mask & 0xFFFFFFFF:
                mask = (i32(mask) >> shift) & 0xFFFFFFFF
        net = i & mask
        while mask and not mask & 1:
            mask >>= 1
            net >>= 1
        np = getnetbyaddr(p, net)
        if np:
            return np.n_name
    if i & 0xFFFFFF == 0:
        return "%u" % (i >> 24)
    if i & 0xFFFF == 0:
        return "%u.%u" % (i >> 24, (i >> 16) & 0xFF)
    if i & 0xFF == 0:
        return "%u.%u.%u" % (i >> 24, (i >> 16) & 0xFF, (i >> 8) & 0xFF)
    return dotted(i)


# ---------------------------------------------------------------------------
# netdb: the kernel's hosts, networks, protocols and services files.

STOCK = {
    "hosts": (
        "# hosts(5) of a netkern kernel: address, official name, aliases.\n"
        "127.0.0.1\tlocalhost\n"),
    "networks": (
        "# networks(5) of a netkern kernel: name, network number, aliases.\n"
        "loopback-net\t127\n"),
    "protocols": (
        "# protocols(5) of a netkern kernel, in the stock 4.3BSD order.\n"
        "ip\t0\tIP\n"
        "icmp\t1\tICMP\n"
        "ggp\t3\tGGP\n"
        "tcp\t6\tTCP\n"
        "egp\t8\tEGP\n"
        "pup\t12\tPUP\n"
        "udp\t17\tUDP\n"),
    "services": (
        "# services(5) of a netkern kernel: the UDP services of 4.3BSD.\n"
        "echo\t\t7/udp\n"
        "discard\t\t9/udp\t\tsink null\n"
        "daytime\t\t13/udp\n"
        "time\t\t37/udp\t\ttimserver\n"
        "domain\t\t53/udp\t\tnameserver\n"
        "tftp\t\t69/udp\n"
        "biff\t\t512/udp\t\tcomsat\n"
        "who\t\t513/udp\t\twhod\n"
        "syslog\t\t514/udp\n"
        "talk\t\t517/udp\n"
        "ntalk\t\t518/udp\n"
        "route\t\t520/udp\t\trouter routed\n"
        "timed\t\t525/udp\t\ttimeserver\n"),
}


def _entries(p, name):
    """The lines of a netdb file as word lists, comments and blanks dropped."""
    for line in p.etc(name).splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            yield words


class hostent:
    """struct hostent: h_name, h_aliases, h_addrtype, h_length, h_addr_list."""

    def __init__(self, name, aliases, addrs, addrtype):
        self.h_name, self.h_aliases = name, aliases
        self.h_addrtype, self.h_length = addrtype, 4
        self.h_addr_list = addrs

    @property
    def h_addr(self):
        return self.h_addr_list[0]


class netent:
    """struct netent: n_name, n_aliases, n_addrtype, n_net (host order)."""

    def __init__(self, name, aliases, net, addrtype):
        self.n_name, self.n_aliases = name, aliases
        self.n_addrtype, self.n_net = addrtype, net


def gethostbyname(p, name: str):
    """The host called name (or an alias of it) in the kernel's hosts file.

    The hosts file stands in for the name server of 1988: like a
    resolver answer, the hostent lists the addresses of every line
    naming the host, in file order (route's retry loop walks them).
    """
    found = None
    key = name.lower()
    for w in _entries(p, "hosts"):
        if key in (x.lower() for x in w[1:]):
            addr = inet_addr(w[0])
            if addr == INADDR_NONE:
                continue
            if found is None:
                found = hostent(w[1], w[2:], [addr], p.h.AF_INET)
            else:
                found.h_addr_list.append(addr)
    return found


def gethostbyaddr(p, s_addr: int):
    """The first host of the kernel's hosts file with this address."""
    for w in _entries(p, "hosts"):
        if len(w) > 1 and inet_addr(w[0]) == s_addr:
            return hostent(w[1], w[2:], [s_addr], p.h.AF_INET)
    return None


def getnetbyname(p, name: str):
    """The network called name (or an alias) in the kernel's networks file."""
    for w in _entries(p, "networks"):
        if len(w) > 1 and name in [w[0]] + w[2:]:
            return netent(w[0], w[2:], inet_network(w[1]), p.h.AF_INET)
    return None


def getnetbyaddr(p, net: int):
    """The first network of the kernel's networks file with this number."""
    for w in _entries(p, "networks"):
        if len(w) > 1 and inet_network(w[1]) == net:
            return netent(w[0], w[2:], net, p.h.AF_INET)
    return None


def getprotoent(p):
    """Every protocol of the kernel's protocols file, in file order: (name, number)."""
    for w in _entries(p, "protocols"):
        if len(w) > 1:
            yield w[0], atoi(w[1]), w[2:]


def getservbyport(p, port: int, proto: str):
    """The name of the service on port (host order) for proto, or None."""
    for w in _entries(p, "services"):
        if len(w) > 1 and "/" in w[1]:
            num, pr = w[1].split("/", 1)
            if pr == proto and atoi(num) == port:
                return w[0]
    return None


# ---------------------------------------------------------------------------
# getopt(3)

class getopt:
    """4.3BSD-Tahoe's getopt(3) (lib/libc/compat-sys5/getopt.c 4.7).

    Call ``next()`` until it returns None (EOF); ``optarg`` and
    ``optind`` are as in C.  An unknown letter, or a missing argument,
    writes ``argv0: illegal option -- c`` or ``argv0: option requires
    an argument -- c`` on stderr and returns '?'.  A lone ``-`` ends the
    options and stays; ``--`` ends them and is skipped.
    """

    def __init__(self, p, argv, opts):
        self.p, self.argv, self.opts = p, argv, opts
        self.optind, self.optarg, self._sp = 0, None, 1

    def next(self):
        argv, sp = self.argv, self._sp
        if sp == 1:
            if self.optind >= len(argv) or argv[self.optind][:1] != "-" or argv[self.optind] == "-":
                return None
            if argv[self.optind] == "--":
                self.optind += 1
                return None
        word = argv[self.optind]
        c = word[sp]
        i = self.opts.find(c)
        if c == ":" or i < 0:
            self.p.eprintf("%s: illegal option -- %s\n", self.p.prog, c)
            self._advance(word)
            return "?"
        if self.opts[i + 1:i + 2] == ":":
            if sp + 1 < len(word):
                self.optarg = word[sp + 1:]
                self.optind += 1
            else:
                self.optind += 1
                if self.optind >= len(argv):
                    self.p.eprintf("%s: option requires an argument -- %s\n", self.p.prog, c)
                    self._sp = 1
                    return "?"
                self.optarg = argv[self.optind]
                self.optind += 1
            self._sp = 1
        else:
            self._advance(word)
            self.optarg = None
        return c

    def _advance(self, word):
        self._sp += 1
        if self._sp >= len(word):
            self._sp = 1
            self.optind += 1


# ---------------------------------------------------------------------------
# Kernel memory, read the way the tools read /dev/kmem.

def kread(kd, addr, ctype: str):
    """A copy of the ctype at a kernel address, as read(kmem, &x, sizeof x) gives.

    The copy matters: a tool keeps reading a chain from its copies
    while the kernel (or the tool itself, as ``route -f`` does) changes
    the originals.  None when the address is outside the kernel image.
    """
    from kern import kvm
    try:
        return kvm.ffi.new(ctype + " *", kd.read(addr, ctype)[0])
    except kvm.KvmError:
        return None


def kread_ptrs(kd, addr, n: int) -> list:
    """n kernel pointers at a kernel address, as integers ([] if unreadable)."""
    import struct
    from kern import kvm
    size = struct.calcsize("P")
    try:
        raw = kd.read_bytes(addr, size * n)
    except kvm.KvmError:
        return []
    return list(struct.unpack("%dP" % n, raw))


def nlist(kd, sym: str) -> int:
    """A kernel symbol's address, 0 if it is not in the namelist.

    The namelist is written in a.out style, every name with its leading
    underscore; the SVR4 programs ask for COFF names without it
    (``rthost``), which are looked up with the underscore added.
    """
    return kd.nlist(sym if sym.startswith("_") else "_" + sym)


def kaddr(ptr) -> int:
    """A kernel pointer field as an integer address."""
    from kern.kvm import ffi
    return int(ffi.cast("uintptr_t", ptr))


def kvm_open(p, namelist, core):
    """Open a kernel image for reading, or say why not.

    Returns the kvm descriptor, or (which, errno) with which "namelist"
    or "core" when that file cannot be opened: each tool words the
    failure in its own way.
    """
    from kern import kvm
    for which, path in (("namelist", namelist), ("core", core)):
        try:
            os.close(os.open(path, os.O_RDONLY))
        except OSError as e:
            return which, p.oserror(e)
    try:
        return kvm.kvm_open(namelist, core)
    except (kvm.KvmError, ValueError, OSError):
        p.errno = p.h.EINVAL
        return "core", p.errno
