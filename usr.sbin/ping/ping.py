"""ping: send ICMP ECHO_REQUEST packets to a host and report the replies.

A port of 4.3BSD-Tahoe etc/ping.c 4.9 (Mike Muuss's program, 6/18/88)
and, in the SVR4 personality, of SVR4.0 cmd-inet/usr.sbin/ping.c
(utilities-reference sections 5.1 and 5.2).  Every output line and exit
status is the original's.  It works as the C program did: a raw socket
(SOCK_RAW, IPPROTO_ICMP) through the system calls, an echo request
every second carrying the time it was sent, and every reply read back
from the socket with recvfrom, the IP header in front.

netkern's additions, documented in man/man8/ping.8, are ``-c count``,
``-s packetsize`` (Tahoe personality) and ``-i wait``; the original
``ping host [datasize [npackets]]`` works as before.  Names are looked
up in the kernel's hosts file (usr.sbin/libc.py), never in the host's
DNS.  Where the C program slept in recvfrom until SIGALRM interrupted
it, this one polls its non-blocking socket every millisecond and keeps
its own alarm clock, so the kernel's clock (a test's hand clock, even)
has no say in the timing.
"""

import signal
import struct
import sys
import time

from kern.syscalls import SysError
from usr_sbin import libc

MAXWAIT = 10           # seconds to wait for a reply after the last request, none seen
MAXPACKET = 4096       # largest datasize, and the receive buffer
TIMEVAL = 8            # sizeof (struct timeval) on the VAX: two longs
POLL = 0.001           # seconds between two looks at the socket

USAGE = "Usage:  ping [-drv] host [data size] [npackets]\n"
USAGE_SVR4 = "Usage:\tping host [timeout]\n\tping -s[drvRl] host [data size] [npackets]\n"

TYPES = ("Echo Reply", "ICMP 1", "ICMP 2", "Dest Unreachable", "Source Quence", "Redirect",
         "ICMP 6", "ICMP 7", "Echo", "ICMP 9", "ICMP 10", "Time Exceeded", "Parameter Problem",
         "Timestamp", "Timestamp Reply", "Info Request", "Info Reply")
UNREACH = ("Net Unreachable", "Host Unreachable", "Protocol Unreachable",
           "Fragmentation needed and DF set", "Source Route Failed")
REDIRECT = ("Net", "Host", "TOS Net", "TOS Host")


class _Finish(Exception):
    """SIGINT, or the last alarm: print the statistics."""


class Ping:
    """The state of one run: what ping.c kept in its globals."""

    def __init__(self, p):
        self.p = p
        self.h = p.h
        self.ffi = p.ffi
        self.options = 0
        self.verbose = 0
        self.stats = not p.svr4      # SVR4: statistics mode only with -s
        self.record = self.loose = False
        self.npackets = 0
        self.datalen = 64 - 8
        self.interval = 1.0
        self.timeout = 20            # SVR4 without -s: requests before "no answer"
        self.ntransmitted = self.nreceived = 0
        self.timing = False
        self.tmin, self.tmax, self.tsum = 999999999, 0, 0
        self.hostname = None
        self.whereto = 0             # the destination's s_addr
        self.s = -1
        self.ident = 0
        self.packet = bytearray(MAXPACKET)   # the receive buffer, reused as ping.c's static one
        self.alarm_at = None
        self.on_alarm = None

    # -- output, line-buffered as setlinebuf(stdout) makes it
    def printf(self, fmt, *args):
        self.p.printf(fmt, *args)
        if fmt.endswith("\n"):
            self.p.out.flush()

    # -- the clock: alarm(2) in this process
    def alarm(self, seconds, handler):
        self.alarm_at = time.monotonic() + seconds
        self.on_alarm = handler

    def catcher(self):
        """Send a request; ask for the next one, or for the end after the last."""
        self.pinger()
        if self.npackets == 0 or self.ntransmitted < self.npackets:
            self.alarm(self.interval, self.catcher)
        else:
            if self.nreceived:
                waittime = 2 * self.tmax // 1000 or 1
            else:
                waittime = MAXWAIT
            self.alarm(waittime, self.finish)

    def pinger(self):
        """Compose an ICMP ECHO request and send it (ping.c pinger).

        The id is the process id, the sequence number counts from 0, both
        in the host's byte order as the VAX program stored them; the
        first 8 data bytes hold the send time as a VAX timeval, the rest
        the values 8, 9, 10 ...
        """
        h, ffi = self.h, self.ffi
        cc = self.datalen + 8
        out = bytearray(max(cc, 8))
        icp = ffi.from_buffer("struct icmp *", out)
        icp.icmp_type = h.ICMP_ECHOREPLY if self.loose else h.ICMP_ECHO
        icp.icmp_hun.ih_idseq.icd_seq = self.ntransmitted & 0xFFFF
        icp.icmp_hun.ih_idseq.icd_id = self.ident
        self.ntransmitted += 1
        if self.timing:
            now = time.time()
            out[8:16] = struct.pack("<ii", libc.i32(int(now)), int(now % 1 * 1000000))
        for i in range(8, self.datalen):
            out[8 + i] = i & 0xFF
        icp.icmp_cksum = in_cksum(out[:max(cc, 0)])
        to = self.sockaddr(self.whereto)
        try:
            i = self.p.sc.sendto(self.s, ffi.from_buffer(out), cc, 0, to, ffi.sizeof("struct sockaddr"))
        except SysError as e:
            self.p.errno = e.errno
            i = -1
        if i < 0 or i != cc:
            if i < 0:
                self.p.perror("sendto")
                if not self.stats:
                    self.p.exit(1)
            self.printf("ping: wrote %s %d chars, ret=%d\n", self.hostname, cc, i)

    def sockaddr(self, s_addr):
        sin = self.ffi.new("struct sockaddr_in *")
        sin.sin_family = self.h.AF_INET
        sin.sin_addr.s_addr = s_addr
        return sin

    def pr_name(self, s_addr):
        """SVR4's name for an address: ``name (a.b.c.d)``, or the number alone."""
        hp = libc.gethostbyaddr(self.p, s_addr)
        if hp is None:
            return libc.inet_ntoa(s_addr)
        return "%s (%s)" % (hp.h_name, libc.inet_ntoa(s_addr))

    def source(self, s_addr):
        return self.pr_name(s_addr) if self.p.svr4 else libc.inet_ntoa(s_addr)

    def hexdump(self):
        """Twelve 32-bit words of the receive buffer, IP header first, in host order."""
        for i in range(12):
            (w,) = struct.unpack_from("<I", self.packet, 4 * i)
            self.printf("x%2.2x: x%8.8x\n", 4 * i, w)

    def pr_pack(self, cc, frm):
        """Make sense of one packet read from the socket (ping.c pr_pack)."""
        h, ffi = self.h, self.ffi
        buf = self.packet
        hlen = (buf[0] & 0x0F) << 2
        if cc < hlen + h.ICMP_MINLEN:
            if self.verbose:
                self.printf("packet too short (%d bytes) from %s\n", cc, self.source(frm))
            return
        cc -= hlen
        icp = ffi.from_buffer("struct icmp *", memoryview(buf)[hlen:])
        if self.p.svr4:
            self.pr_pack_svr4(icp, cc, frm, hlen)
            return
        if icp.icmp_type != h.ICMP_ECHOREPLY:
            if self.verbose:
                self.printf("%d bytes from %s: ", cc, libc.inet_ntoa(frm))
                self.printf("icmp_type=%d (%s)\n", icp.icmp_type, pr_type(icp.icmp_type))
                self.hexdump()
                self.printf("icmp_code=%d\n", icp.icmp_code)
            return
        if icp.icmp_hun.ih_idseq.icd_id != self.ident:
            return                              # another ping's reply
        self.echo_reply(icp, cc, frm, hlen)

    def echo_reply(self, icp, cc, frm, hlen):
        """Print one of our replies, with its round trip, and count it."""
        self.printf("%d bytes from %s: ", cc, self.source(frm))
        self.printf("icmp_seq=%d. ", icp.icmp_hun.ih_idseq.icd_seq)
        if self.timing:
            sec, usec = struct.unpack_from("<ii", self.packet, hlen + 8)
            now = time.time()
            dsec, dusec = libc.i32(int(now)) - sec, int(now % 1 * 1000000) - usec
            if dusec < 0:
                dsec, dusec = dsec - 1, dusec + 1000000
            triptime = dsec * 1000 + dusec // 1000
            self.printf("time=%d. ms\n", triptime)
            self.tsum += triptime
            self.tmin = min(self.tmin, triptime)
            self.tmax = max(self.tmax, triptime)
        else:
            self.printf("\n")
        self.nreceived += 1

    def pr_pack_svr4(self, icp, cc, frm, hlen):
        """SVR4's pr_pack: errors about our destination, and ``is alive``."""
        h = self.h
        t = icp.icmp_type
        if t == h.ICMP_UNREACH:
            ip = icp.icmp_dun.id_ip.idi_ip
            if ip.ip_dst.s_addr == self.whereto or self.verbose:
                self.printf("ICMP %s from gateway %s\n", _name(UNREACH, icp.icmp_code), self.pr_name(frm))
        elif t == h.ICMP_REDIRECT:
            ip = icp.icmp_dun.id_ip.idi_ip
            if ip.ip_dst.s_addr == self.whereto or self.verbose:
                self.printf("ICMP %s redirect from gateway %s\n", _name(REDIRECT, icp.icmp_code),
                            self.pr_name(frm))
                self.printf(" to %s", self.pr_name(icp.icmp_hun.ih_gwaddr.s_addr))
                self.printf(" for %s\n", self.pr_name(ip.ip_dst.s_addr))
        elif t == h.ICMP_ECHOREPLY:
            if icp.icmp_hun.ih_idseq.icd_id != self.ident:
                return
            if not self.stats:
                self.printf("%s is alive\n", self.hostname)
                self.p.exit(0)
            self.echo_reply(icp, cc, frm, hlen)
        elif self.verbose:
            self.printf("%d bytes from %s:\n", cc, self.pr_name(frm))
            self.printf("icmp_type=%d (%s) ", t, pr_type(t))
            self.printf("icmp_code=%d\n", icp.icmp_code)
            self.hexdump()
        if self.verbose and hlen > 20:
            self.pr_options(bytes(self.packet[20:hlen]))

    def pr_options(self, opt):
        """SVR4's list of the IP options of a reply (with -v)."""
        h = self.h
        out = "  IP options: "
        while opt:
            code = opt[0]
            if code == h.IPOPT_EOL:
                break
            if code == h.IPOPT_NOP:
                opt = opt[1:]
                continue
            length = opt[1] if len(opt) > 1 else 0
            if code in (h.IPOPT_RR, h.IPOPT_LSRR, h.IPOPT_SSRR):
                what = {h.IPOPT_RR: "record route", h.IPOPT_LSRR: "loose source route",
                        h.IPOPT_SSRR: "strict source route"}[code]
                out += " <%s> " % what + self.rrprint(opt[:length])
            elif code == h.IPOPT_TS:
                out += " <time stamp>"
            elif code == h.IPOPT_SECURITY:
                out += " <security>"
            elif code == h.IPOPT_SATID:
                out += " <stream id>"
            else:
                out += " <option %d, len %d>" % (code, length)
            if length <= 0:
                break                       # (the C loop would spin on a zero length)
            opt = opt[length:]
        self.printf("%s\n", out)

    def rrprint(self, opt):
        """The addresses of a route option, the one the pointer is at marked (Current)."""
        pointer = (opt[2] if len(opt) > 2 else 0) - self.h.IPOPT_MINOFF
        words = []
        for off in range(3, len(opt) - 3, 4):
            s_addr = int.from_bytes(opt[off:off + 4], sys.byteorder)
            words.append(self.pr_name(s_addr) + ("(Current)" if pointer == off - 3 else ""))
        return ", ".join(words)

    def finish(self):
        raise _Finish()

    def statistics(self):
        """The summary, and exit 0 whatever the loss (ping.c finish)."""
        self.printf("\n----%s PING Statistics----\n", self.hostname)
        self.printf("%d packets transmitted, ", self.ntransmitted)
        self.printf("%d packets received, ", self.nreceived)
        if self.ntransmitted:
            self.printf("%d%% packet loss",
                        (self.ntransmitted - self.nreceived) * 100 // self.ntransmitted)
        self.printf("\n")
        if self.nreceived and self.timing:
            self.printf("round-trip (ms)  min/avg/max = %d/%d/%d\n",
                        self.tmin, self.tsum // self.nreceived, self.tmax)
        self.p.out.flush()
        self.p.exit(0)

    # -- the main loop
    def recv(self):
        """One packet from the socket: (cc, source s_addr), or None when there is none."""
        ffi, h = self.ffi, self.h
        frm = ffi.new("struct sockaddr_in *")
        fromlen = ffi.new("int *", ffi.sizeof("struct sockaddr_in"))
        try:
            cc = self.p.sc.recvfrom(self.s, ffi.from_buffer(self.packet), MAXPACKET, 0, frm, fromlen)
        except SysError as e:
            if e.errno in (h.EWOULDBLOCK, h.EINTR):
                return None
            self.p.errno = e.errno
            self.p.perror("ping: recvfrom")
            return None
        return cc, frm.sin_addr.s_addr

    def run(self):
        self.catcher()
        while True:
            if self.p.svr4 and not self.stats and self.ntransmitted > self.timeout:
                self.printf("no answer from %s\n", self.hostname)
                self.p.exit(1)
            got = self.recv()
            if got is not None:
                self.pr_pack(*got)
                if self.npackets and self.nreceived >= self.npackets:
                    self.finish()
                continue
            now = time.monotonic()
            if now >= self.alarm_at:
                self.on_alarm()
            else:
                time.sleep(min(POLL, self.alarm_at - now))


def _name(table, code):
    """An entry of SVR4's message tables; C indexed past the end for other codes."""
    return table[code] if code < len(table) else "(null)"


def pr_type(t: int) -> str:
    """The name of an ICMP type, as ping.c prints it."""
    return TYPES[t] if 0 <= t < len(TYPES) else "OUT-OF-RANGE"


def in_cksum(data) -> int:
    """The Internet checksum of data, ping.c's own in_cksum (user code, 16-bit words)."""
    if len(data) & 1:
        data = bytes(data) + b"\0"
    total = sum(struct.unpack("<%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def parse(pg, argv):
    """The command line: option words, then host [datasize [npackets]] (or [timeout])."""
    p = pg.p
    letters = "drvsRl" if p.svr4 else "drv"
    i = 0
    while i < len(argv) and argv[i][:1] == "-":
        word = argv[i]
        i += 1
        j = 1
        while j < len(word):
            c = word[j]
            j += 1
            if c in "cis" and not (c == "s" and p.svr4):
                # netkern's -c count, -i wait and -s packetsize take a value:
                # the rest of the word, or the next word.
                val = word[j:]
                if not val:
                    if i >= len(argv):
                        usage(p)
                    val, i = argv[i], i + 1
                j = len(word)
                extension(pg, c, val)
            elif c in letters:
                if c == "d":
                    pg.options |= pg.h.SO_DEBUG
                elif c == "r":
                    pg.options |= pg.h.SO_DONTROUTE
                elif c == "v":
                    pg.verbose += 1
                elif c == "s":
                    pg.stats = True
                elif c == "R":
                    pg.record = True
                elif c == "l":
                    pg.loose = True
    return argv[i:]


def extension(pg, c, val):
    if c == "c":
        pg.npackets = libc.atoi(val)
    elif c == "s":
        pg.datalen = libc.atoi(val)
    else:
        try:
            pg.interval = float(val)
        except ValueError:
            pg.interval = -1
        if not 0 <= pg.interval < 1e6:
            pg.p.eprintf("ping: bad wait time %s\n", val)
            pg.p.exit(1)


def usage(p):
    p.printf(USAGE_SVR4 if p.svr4 else USAGE)
    p.exit(1)


def ping(p, argv):
    """The program: see the module docstring and man/man8/ping.8."""
    pg = Ping(p)
    av = parse(pg, argv)
    if not av:
        usage(p)
    toaddr = None
    pg.whereto = libc.inet_addr(av[0])
    if pg.whereto != libc.INADDR_NONE:
        pg.hostname = av[0]
    else:
        hp = libc.gethostbyname(p, av[0])
        if hp is None:
            p.printf("%s: unknown host %s\n", p.prog, av[0])
            p.exit(1)
        pg.whereto, pg.hostname = hp.h_addr, hp.h_name
        toaddr = libc.inet_ntoa(pg.whereto)
    if len(av) >= 2:
        pg.datalen = libc.atoi(av[1])
    if len(av) > 2:
        pg.npackets = libc.atoi(av[2])
    if p.svr4 and not pg.stats and len(av) >= 2:
        pg.npackets = 0
        pg.timeout = libc.atoi(av[1])
        pg.datalen = 64 - 8
    if pg.datalen > MAXPACKET:
        p.eprintf("ping: packet size too large\n")
        p.exit(1)
    pg.timing = pg.datalen >= TIMEVAL
    pg.ident = p.sc.getpid() & 0xFFFF
    open_socket(pg)
    if p.svr4:
        if pg.stats:
            pg.printf("PING %s: %d data bytes\n", pg.hostname, pg.datalen)
    else:
        pg.printf("PING %s", pg.hostname)
        if toaddr:
            pg.printf(" (%s)", toaddr)
        pg.printf(": %d data bytes\n", pg.datalen)
    previous = _catch_sigint() if pg.stats else None
    try:
        pg.run()
    except (_Finish, KeyboardInterrupt):
        pg.statistics()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def open_socket(pg):
    """The raw ICMP socket, with the options asked for, made non-blocking."""
    p, h, ffi = pg.p, pg.h, pg.ffi
    proto = h.IPPROTO_ICMP
    if not p.svr4:
        protos = {name: num for name, num, _ in libc.getprotoent(p)}
        if "icmp" not in protos:
            p.eprintf("icmp: unknown protocol\n")
            p.exit(10)
        proto = protos["icmp"]
    pg.s = p.socket(h.AF_INET, h.SOCK_RAW, proto)
    if pg.s < 0:
        p.perror("ping: socket")
        p.exit(5)
    on = ffi.new("int *", 1)
    for flag in (h.SO_DEBUG, h.SO_DONTROUTE):
        if pg.options & flag:
            setsockopt(p, pg.s, h.SOL_SOCKET, flag, on, ffi.sizeof("int"))
    if pg.record or pg.loose:
        route_options(pg)
    p.ioctl(pg.s, h.FIONBIO, on)


def route_options(pg):
    """SVR4's -R (record route) and -l (loose source route through the host and back)."""
    p, h, ffi = pg.p, pg.h, pg.ffi
    route_size = h.IPOPT_OLEN + h.IPOPT_OFFSET + 9 * 4
    srr = bytearray(route_size + 1)
    optsize = len(srr)
    srr[0:3] = bytes([h.IPOPT_RR, route_size, h.IPOPT_MINOFF])
    if pg.loose:
        srr[0:2] = bytes([h.IPOPT_LSRR, 11])
        srr[3:7] = pg.whereto.to_bytes(4, sys.byteorder)
        srr[7:11] = get_myaddress(pg).to_bytes(4, sys.byteorder)
        if pg.record:
            srr[11:14] = bytes([h.IPOPT_RR, route_size - 11, h.IPOPT_MINOFF])
        else:
            optsize = 12
    if setsockopt(p, pg.s, h.IPPROTO_IP, h.IP_OPTIONS, ffi.from_buffer(srr), optsize) < 0:
        p.perror("IP Options")


def get_myaddress(pg) -> int:
    """The address of the first interface that is up (SVR4 ping.c get_myaddress)."""
    p, h, ffi = pg.p, pg.h, pg.ffi
    soc = p.open_ip() if p.svr4 else p.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    if soc < 0:
        p.perror("ping: open /dev/ip" if p.svr4 else "ping: socket(AF_INET, SOCK_DGRAM, 0)")
        p.exit(1)
    buf = ffi.new("char[1024]")
    ifc = ffi.new("struct ifconf *")
    ifc.ifc_len = 1024
    ifc.ifc_ifcu.ifcu_buf = buf
    if p.ioctl(soc, h.SIOCGIFCONF, ifc) < 0:
        p.perror("ping: ioctl (SIOCGIFCONF)")
        p.exit(1)
    reqs = ffi.cast("struct ifreq *", buf)
    addr = 0
    for k in range(ifc.ifc_len // ffi.sizeof("struct ifreq")):
        ifreq = ffi.new("struct ifreq *", reqs[k])
        if p.ioctl(soc, h.SIOCGIFFLAGS, ifreq) < 0:
            p.perror("ping: ioctl (SIOCGIFFLAGS)")
            p.exit(1)
        sa = reqs[k].ifr_ifru.ifru_addr
        if ifreq.ifr_ifru.ifru_flags & h.IFF_UP and sa.sa_family == h.AF_INET:
            addr = ffi.cast("struct sockaddr_in *", ffi.addressof(reqs[k].ifr_ifru, "ifru_addr")).sin_addr.s_addr
            break
    p.close(soc)
    return addr


def setsockopt(p, s, level, name, val, size) -> int:
    """setsockopt(2), C style: -1 and errno on failure.

    A kernel built without the call answers ENOPROTOOPT, as an option
    the protocol does not know would.
    """
    call = getattr(p.sc, "setsockopt", None)
    if call is None:
        p.errno = p.h.ENOPROTOOPT
        return -1
    try:
        call(s, level, name, val, size)
    except SysError as e:
        p.errno = e.errno
        return -1
    return 0


def _catch_sigint():
    """SIGINT ends the run with the statistics, as signal(SIGINT, finish) did.

    Returns the handler to put back afterwards (None off the main
    thread, where there are no signals to catch).
    """
    try:
        return signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:
        return None


def main(argv=None, **kw) -> int:
    """ping [-k name] [-V tahoe|svr4] [-drv] [-c count] [-i wait] [-s size] host [datasize [npackets]]."""
    return libc.main("ping", ping, argv, **kw)
