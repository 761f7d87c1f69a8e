"""arp: show, set and delete entries of the kernel's ARP table.

A port of 4.3BSD-Tahoe etc/arp.c (SCCS 5.6, 88/06/30) and, in the SVR4
personality, of SVR4.0 cmd/cmd-inet/usr.sbin/arp.c
(utilities-reference section 4; seed 000, the ARP daemon).

``arp host`` asks the kernel with SIOCGARP, ``arp -d host`` deletes with
SIOCDARP, ``arp -s host ether_addr [temp] [pub] [trail]`` and ``arp -f
file`` set with SIOCSARP; ``arp -a [namelist] [kmem]`` reads the whole
table, ``_arptab`` of ``_arptab_size`` entries, through kvm.  Ethernet
addresses print as ``%x:%x:%x:%x:%x:%x``, without leading zeros.
"""

from usr_sbin import libc

USAGE = ("usage: arp hostname\n"
         "       arp -a [/vmunix] [/dev/kmem]\n"
         "       arp -d hostname\n"
         "       arp -s hostname ether_addr [temp] [pub] [trail]\n"
         "       arp -f filename\n")
USAGE_SVR4 = "Usage" + USAGE[5:].replace("/vmunix", "/unix")


def usage(p):
    """The usage lines, on stdout, then exit 1."""
    p.printf(USAGE_SVR4 if p.svr4 else USAGE)
    p.exit(1)


def arpioctl(p, cmd, ar) -> int:
    """One ARP ioctl on a fresh descriptor, closed after the call.

    Tahoe used a datagram socket (``arp: socket``); SVR4 opened
    /dev/arp for each request (``arp: open``; libc.Proc.open_ip).
    """
    h = p.h
    s = p.open_ip() if p.svr4 else p.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    if s < 0:
        p.perror("arp: open" if p.svr4 else "arp: socket")
        p.exit(1)
    ret = p.ioctl(s, cmd, ar)
    err = p.errno
    p.close(s)
    p.errno = err
    return ret


def _arpreq(p, host, quiet_fail):
    """An arpreq for host (a number, else a name in the hosts file).

    Returns (ar, sin); an unknown host is ``arp: HOST: unknown host``
    on stderr, then exit 1, or None when quiet_fail (set's ``return 1``).
    """
    ffi = p.ffi
    ar = ffi.new("struct arpreq *")
    sin = ffi.cast("struct sockaddr_in *", ffi.addressof(ar, "arp_pa"))
    sin.sin_family = p.h.AF_INET
    addr = libc.inet_addr(host)
    if addr == libc.INADDR_NONE:
        hp = libc.gethostbyname(p, host)
        if hp is None:
            p.eprintf("arp: %s: unknown host\n", host)
            if quiet_fail:
                return None
            p.exit(1)
        addr = hp.h_addr
    sin.sin_addr.s_addr = addr
    return ar, sin


def ether_print(ea) -> str:
    """An Ethernet address the way arp printed it: 8:0:20:1:2:3."""
    return "%x:%x:%x:%x:%x:%x" % tuple(ea[:6])


def ether_aton(p, a, n) -> int:
    """sscanf(a, "%x:%x:%x:%x:%x:%x") into the six bytes at n; 1 on failure."""
    values = _scan_hex6(a)
    if values is None:
        p.eprintf("arp: invalid Ethernet address '%s'\n", a)
        return 1
    for i, v in enumerate(values):
        n[i] = v & 0xFF
    return 0


def _scan_hex6(a):
    """Six colon-separated %x conversions, as sscanf reads them, or None."""
    out, i, n = [], 0, len(a)
    for k in range(6):
        if k:
            if i >= n or a[i] != ":":
                return None
            i += 1
        while i < n and a[i] in " \t\n\v\f\r":
            i += 1
        neg = False
        if i < n and a[i] in "+-":
            neg, i = a[i] == "-", i + 1
        if a[i:i + 2] in ("0x", "0X") and i + 2 < n and a[i + 2] in "0123456789abcdefABCDEF":
            i += 2
        start = i
        while i < n and a[i] in "0123456789abcdefABCDEF":
            i += 1
        if i == start:
            return None
        v = int(a[start:i], 16)
        out.append(-v if neg else v)
    return out


def _lookup(p, host, cmd, name):
    """SIOCGARP or SIOCDARP for host; on failure ``-- no entry`` or perror, exit 1.

    Returns the arpreq and the host's address as printed.
    """
    ar, sin = _arpreq(p, host, False)
    addr = libc.inet_ntoa(sin.sin_addr.s_addr)
    if arpioctl(p, cmd, ar) < 0:
        if p.errno == p.h.ENXIO:
            p.printf("%s (%s) -- no entry\n", host, addr)
        else:
            p.perror(name)
        p.exit(1)
    return ar, addr


def get(p, host):
    """arp host: the kernel's entry for host (arp.c get)."""
    ar, addr = _lookup(p, host, p.h.SIOCGARP, "SIOCGARP")
    p.printf("%s (%s) at ", host, addr)
    _rest(p, ar.arp_flags, bytes(p.ffi.buffer(ar.arp_ha.sa_data, 6)))


def _rest(p, flags, ea):
    """The end of an entry's line: address or (incomplete), then its flags."""
    h = p.h
    p.printf(ether_print(ea) if flags & h.ATF_COM else "(incomplete)")
    if flags & h.ATF_PERM:
        p.printf(" permanent")
    if flags & h.ATF_PUBL:
        p.printf(" published")
    if flags & h.ATF_USETRAILERS:
        p.printf(" trailers")
    p.printf("\n")


def delete(p, host):
    """arp -d host (arp.c delete)."""
    _, addr = _lookup(p, host, p.h.SIOCDARP, "SIOCDARP")
    p.printf("%s (%s) deleted\n", host, addr)


def set_(p, argv) -> int:
    """arp -s: one entry; 1 for a bad host or address, exit 1 if the kernel refuses."""
    h = p.h
    host, eaddr, words = argv[0], argv[1], argv[2:]
    got = _arpreq(p, host, True)
    if got is None:
        return 1
    ar, _ = got
    if ether_aton(p, eaddr, p.ffi.cast("unsigned char *", p.ffi.addressof(ar.arp_ha, "sa_data"))):
        return 1
    ar.arp_flags = h.ATF_PERM
    for w in words:
        # Tahoe tests with else-if, SVR4 with three independent ifs.
        if w[:4] == "temp":
            ar.arp_flags &= ~h.ATF_PERM
            if not p.svr4:
                continue
        if w[:3] == "pub":
            ar.arp_flags |= h.ATF_PUBL
            if not p.svr4:
                continue
        if w[:5] == "trail":
            ar.arp_flags |= h.ATF_USETRAILERS
    if arpioctl(p, h.SIOCSARP, ar) < 0:
        p.perror(host)
        p.exit(1)
    return 0


def file(p, name) -> int:
    """arp -f: one ``host ether_addr [temp] [pub] [trail]`` per line (arp.c file)."""
    try:
        f = open(name, encoding="latin-1", newline="")
    except OSError:
        p.eprintf("arp: cannot open %s\n", name)
        p.exit(1)
    retval = 0
    with f:
        for line in _fgets(f, 100):
            words = line.split()[:5]
            if len(words) < 2:
                p.eprintf("arp: bad line: %s\n", line)
                retval = 1
                continue
            if set_(p, words):
                retval = 1
    return retval


def _fgets(f, size):
    """The lines fgets(line, size, fp) returns: at most size-1 bytes each."""
    data = f.read()
    i = 0
    while i < len(data):
        j = data.find("\n", i, i + size - 1)
        end = j + 1 if j >= 0 else min(i + size - 1, len(data))
        yield data[i:end]
        i = end


def dump(p, kernel, mem):
    """arp -a: every entry in use, in table order (arp.c dump)."""
    h = p.h
    kd = libc.kvm_open(p, kernel, mem)
    if isinstance(kd, tuple) and kd[0] == "namelist":
        if p.svr4:
            p.perror("nlist")
        else:
            p.eprintf("arp: %s: bad namelist\n", kernel)
        p.exit(1)
    if isinstance(kd, tuple):
        p.eprintf("arp: cannot open %s\n", mem)
        p.exit(1)
    try:
        sizeaddr = libc.nlist(kd, "arptab_size")
        if not sizeaddr and not p.svr4:
            p.eprintf("arp: %s: bad namelist\n", kernel)
            p.exit(1)
        size = libc.kread(kd, sizeaddr, "int") if sizeaddr else None
        arptab_size = size[0] if size is not None else 0
        if arptab_size <= 0 or arptab_size > 1000:
            p.eprintf("arp: %s: namelist wrong\n", kernel)
            p.exit(1)
        try:
            raw = kd.read_bytes(libc.nlist(kd, "arptab"), arptab_size * p.ffi.sizeof("struct arptab"))
        except Exception:
            p.errno = h.EFAULT
            p.perror("arp: error reading arptab")
            p.exit(1)
    finally:
        kd.close()
    at = p.ffi.from_buffer("struct arptab[]", bytearray(raw))
    for i in range(arptab_size):
        e = at[i]
        if e.at_iaddr.s_addr == 0 or e.at_flags == 0:
            continue
        hp = libc.gethostbyaddr(p, e.at_iaddr.s_addr)
        p.printf("%s (%s) at ", hp.h_name if hp else "?", libc.inet_ntoa(e.at_iaddr.s_addr))
        _rest(p, e.at_flags, bytes(e.at_enaddr))


def arp(p, argv):
    """The program: Tahoe's getopt("adsf") dispatch, or SVR4's argument tests."""
    if p.svr4:
        return arp_svr4(p, argv)
    argc = len(argv) + 1
    g = libc.getopt(p, argv, "adsf")
    c = g.next()
    if c == "a":
        if argc > 4:
            usage(p)
        files = _kernel_files(p, argv[1] if argc >= 3 else None, argv[2] if argc == 4 else None)
        dump(p, *files)
        p.exit(0)
    if c == "d":
        if argc != 3:
            usage(p)
        delete(p, argv[1])
        p.exit(0)
    if c == "s":
        if argc < 4 or argc > 7:
            usage(p)
        p.exit(1 if set_(p, argv[1:]) else 0)
    if c == "f":
        if argc != 3:
            usage(p)
        p.exit(1 if file(p, argv[1]) else 0)
    if c is not None:
        usage(p)
    if argc != 2:
        usage(p)
    get(p, argv[0])
    p.exit(0)


def arp_svr4(p, argv):
    """SVR4 main: -a, then a lone word, then -s, -d, -f by argument count."""
    argc = len(argv) + 1
    if argv[:1] == ["-a"]:
        files = _kernel_files(p, argv[1] if argc >= 3 else None, argv[2] if argc >= 4 else None)
        dump(p, *files)
        p.exit(0)
    if argc == 2:
        get(p, argv[0])
        p.exit(0)
    if argc >= 4 and argv[0] == "-s":
        p.exit(1 if set_(p, argv[1:]) else 0)
    if argc == 3 and argv[0] == "-d":
        delete(p, argv[1])
        p.exit(0)
    if argc == 3 and argv[0] == "-f":
        p.exit(1 if file(p, argv[1]) else 0)
    usage(p)


def _kernel_files(p, kernel, mem):
    """The namelist and memory files: those given, else the running kernel's."""
    if kernel is None or mem is None:
        nl, km = p.files
        return kernel or nl, mem or km
    return kernel, mem


def main(argv=None, **kw) -> int:
    """arp [-k name] [-V tahoe|svr4] host | -a [namelist [kmem]] | -d host | -s ... | -f file."""
    return libc.main("arp", arp, argv, **kw)
