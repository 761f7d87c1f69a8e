"""The interface registry and the interface ioctls.

4.3BSD-Tahoe net/if.c (seed 002, "The Interface Register", "Flags and
Civic Status", "The Control Desk", "The Configuration Sweep").  Every
interface is a ``struct ifnet`` in kernel memory on the list that starts
at the global ``ifnet`` and continues through ``if_next``; each of its
addresses is an ``ifaddr`` (for the Internet, the ``ia_ifa`` at the head
of an ``in_ifaddr``) chained through ``ifa_next`` from ``if_addrlist``,
with ``ifa_ifp`` pointing back.  ``netstat -i`` walks the very same
chain through kvm.

``ifioctl`` answers SIOCGIFCONF, the flag and metric commands, and sends
everything else with the interface it named to the protocol
(``PRU_CONTROL``, which for UDP is netinet/in.c in_control).
"""

import re

from kern import ksyms
from kern.headers import native as h
from kern.kern_proc import suser
from kern.kern_subr import copyout

ffi = h.ffi

IFF_UP = h.IFF_UP
IFF_BROADCAST = h.IFF_BROADCAST
IFF_POINTOPOINT = h.IFF_POINTOPOINT
IFF_CANTCHANGE = h.IFF_CANTCHANGE
IFREQSIZE = ffi.sizeof("struct ifreq")
IFNAMSIZ = h.IFNAMSIZ

ifnet_p = None         # struct ifnet **: the global ``ifnet`` (list head)
ifqmaxlen = h.IFQ_MAXLEN
_if_hwmtu = {}         # kernel address of an ifnet -> the MTU it attached with


def ifinit() -> None:
    """Make the empty interface list and start the watchdog timer (if.c ifinit).

    Tahoe's ifinit ran after autoconfiguration and gave every interface
    without a send-queue limit the default one; netkern attaches drivers
    after ifinit (and may attach them at run time, as io-pkt does), so
    that default is given in if_attach instead.  The watchdog pass runs
    once now and then IFNET_SLOWHZ times a second, as in Tahoe.
    """
    global ifnet_p
    ifnet_p = ksyms.data("ifnet", "struct ifnet *")
    _ifq_packets.clear()
    _last[:] = None, None
    _if_hwmtu.clear()
    if_slowtimo(None)


def ifnet_list():
    """Every interface, in list order."""
    ifp = ifnet_p[0]
    while ifp != ffi.NULL:
        yield ifp
        ifp = ifp.if_next


def if_attach(ifp) -> None:
    """Put an interface at the end of the list (if.c if_attach).

    Tahoe appends, so interfaces appear in the order autoconfiguration
    found them; an empty send queue limit becomes IFQ_MAXLEN (Tahoe's
    ifinit did that, see above).  The MTU the driver attached with is
    remembered as the most the hardware carries: SVR4's SIOCSIFMTU may
    lower it but never raise it past that (kern/compat/svr4).
    """
    p = ifnet_p
    while p[0] != ffi.NULL:
        p = ffi.addressof(p[0], "if_next")
    p[0] = ifp
    ifp.if_next = ffi.NULL
    if ifp.if_snd.ifq_maxlen == 0:
        ifp.if_snd.ifq_maxlen = ifqmaxlen
    _if_hwmtu[_kaddr(ifp)] = ifp.if_mtu


def if_hwmtu(ifp) -> int:
    """The MTU the interface's driver attached with (see if_attach)."""
    return _if_hwmtu.get(_kaddr(ifp), ifp.if_mtu)


def _kaddr(p) -> int:
    return int(ffi.cast("uintptr_t", p))


def if_name(ifp) -> str:
    """The interface's name with its unit, e.g. ``le0``."""
    return ffi.string(ifp.if_name).decode() + str(ifp.if_unit)


_FIRST_DIGIT_OR_NUL = re.compile(rb"[\x000-9]")


def ifunit(name: bytes):
    """Find an interface by name, as 4.3 does (if.c ifunit); NULL if none.

    The unit is the single digit after the alphabetic prefix and only
    the prefix's own length is compared, so "l0" finds lo0, "le12"
    finds le1 and "0" finds the first unit 0: faithful to Tahoe
    (ioctl-reference section 3.0).  A NUL before any digit, or sixteen
    bytes without one, names nothing.
    """
    m = _FIRST_DIGIT_OR_NUL.search(name, 0, IFNAMSIZ)
    if m is None:
        return ffi.NULL
    i = m.start()
    if name[i] == 0:
        return ffi.NULL
    prefix, unit = name[:i], name[i] - 0x30
    for ifp in ifnet_list():
        if ffi.buffer(ifp.if_name, i)[:] == prefix and ifp.if_unit == unit:
            return ifp
    return ffi.NULL


def _ifaddrs(ifp):
    ifa = ifp.if_addrlist
    while ifa != ffi.NULL:
        yield ifa
        ifa = ifa.ifa_next


def _sa_equal(a, b) -> bool:
    """The 4.3 address comparison: family and all 14 bytes of sa_data."""
    return a.sa_family == b.sa_family and ffi.buffer(a.sa_data)[:] == ffi.buffer(b.sa_data)[:]


def ifa_ifwithaddr(addr):
    """The ifaddr whose address is addr (if.c ifa_ifwithaddr).

    On an IFF_BROADCAST interface its broadcast address matches too.
    Interfaces that are down are not skipped.
    """
    for ifp in ifnet_list():
        for ifa in _ifaddrs(ifp):
            if ifa.ifa_addr.sa_family != addr.sa_family:
                continue
            if _sa_equal(ifa.ifa_addr, addr):
                return ifa
            if ifp.if_flags & IFF_BROADCAST and _sa_equal(ifa.ifa_ifu.ifu_broadaddr, addr):
                return ifa
    return ffi.NULL


def ifa_ifwithdstaddr(addr):
    """The ifaddr of a point-to-point interface whose peer is addr (if.c ifa_ifwithdstaddr).

    Only IFF_POINTOPOINT interfaces are looked at, and, as in Tahoe, the
    family tested is that of the interface's own address.
    """
    for ifp in ifnet_list():
        if ifp.if_flags & IFF_POINTOPOINT:
            for ifa in _ifaddrs(ifp):
                if ifa.ifa_addr.sa_family != addr.sa_family:
                    continue
                if _sa_equal(ifa.ifa_ifu.ifu_dstaddr, addr):
                    return ifa
    return ffi.NULL


def ifa_ifwithnet(addr):
    """The ifaddr on the same network as addr, by the family's netmatch (if.c ifa_ifwithnet).

    For AF_INET that is ``in_netof`` equality, so configured subnets
    count (kern/net/af.py); a family past AF_MAX matches nothing.
    """
    from kern.net.af import afswitch
    af = addr.sa_family
    if af >= h.AF_MAX:
        return ffi.NULL
    netmatch = afswitch[af].af_netmatch
    for ifp in ifnet_list():
        for ifa in _ifaddrs(ifp):
            if ifa.ifa_addr.sa_family == af and netmatch(ffi.addressof(ifa, "ifa_addr"), addr):
                return ifa
    return ffi.NULL


def ifa_ifwithaf(af: int):
    """The first ifaddr of any interface with address family af (if.c ifa_ifwithaf).

    4.3BSD and Tahoe keep this one under ``#ifdef notdef``: nothing in
    the kernel calls it.  It is here because the issue asks for the
    whole family of lookups and a reader expects to find it.
    """
    for ifp in ifnet_list():
        for ifa in _ifaddrs(ifp):
            if ifa.ifa_addr.sa_family == af:
                return ifa
    return ffi.NULL


def if_down(ifp) -> None:
    """Mark an interface down: tell the protocols, flush its send queue (if.c if_down).

    Every protocol's ctlinput hears PRC_IFDOWN once for each address of
    the interface.  Routes through it stay in the tables; rtalloc skips
    them while the interface is down (seed 002, "Flags and Civic
    Status": the gate is closed, the map is kept).
    """
    from kern.uipc_domain import pfctlinput
    ifp.if_flags &= ~IFF_UP
    for ifa in _ifaddrs(ifp):
        pfctlinput(h.PRC_IFDOWN, ffi.addressof(ifa, "ifa_addr"))
    if_qflush(ifp.if_snd)


def if_up(ifp) -> None:
    """Mark an interface up (4.4BSD-Lite2 net/if.c if_up).

    Tahoe has no if_up: SIOCSIFFLAGS and the drivers' SIOCSIFADDR set
    IFF_UP themselves.  4.4 added this counterpart of if_down (there it
    also sends a routing-socket message, which 4.3 has no socket for).
    """
    ifp.if_flags |= IFF_UP


# Interface queues.  struct ifqueue in kernel memory keeps the counts a
# tool reads (ifq_len, ifq_maxlen, ifq_drops); the packets themselves are
# Python mbufs (kern/uipc_mbuf.py), held in a deque per queue, keyed by
# the queue's kernel address.  These are net/if.h's IF_* macros.
_ifq_packets = {}
_last = [None, None]    # the last queue looked up and its deque: ipintrq, mostly


def _q(ifq):
    if ifq is _last[0]:
        return _last[1]
    key = ffi.addressof(ifq)        # cdata pointers hash and compare by address
    q = _ifq_packets.get(key)
    if q is None:
        import collections
        q = _ifq_packets[key] = collections.deque()
    _last[:] = ifq, q
    return q


def IF_QFULL(ifq) -> bool:
    """True when the queue holds ifq_maxlen packets or more."""
    return ifq.ifq_len >= ifq.ifq_maxlen


def IF_DROP(ifq) -> None:
    """Count a packet dropped for a full queue."""
    ifq.ifq_drops += 1


def IF_ENQUEUE(ifq, m) -> None:
    """Append a packet to the queue."""
    _q(ifq).append(m)
    ifq.ifq_len += 1


def IF_PREPEND(ifq, m) -> None:
    """Put a packet back at the head of the queue."""
    _q(ifq).appendleft(m)
    ifq.ifq_len += 1


def IF_DEQUEUE(ifq):
    """Take the first packet off the queue, or None."""
    q = _q(ifq)
    if not q:
        return None
    ifq.ifq_len -= 1
    return q.popleft()


def if_qflush(ifq) -> None:
    """Free every packet waiting on an interface queue (if.c if_qflush)."""
    from kern.uipc_mbuf import m_freem
    q = _q(ifq)
    while q:
        m_freem(q.popleft())
    ifq.ifq_head = ifq.ifq_tail = ffi.NULL
    ifq.ifq_len = 0


def if_slowtimo(arg) -> None:
    """Run the interfaces' watchdogs, IFNET_SLOWHZ times a second (if.c if_slowtimo).

    A non-zero if_timer counts down; the driver's if_watchdog runs when
    it reaches zero.
    """
    from kern.kern_clock import timeout, hz
    for ifp in ifnet_list():
        if ifp.if_timer == 0:
            continue
        ifp.if_timer -= 1
        if ifp.if_timer == 0 and ifp.if_watchdog != ffi.NULL:
            ksyms.call(ifp.if_watchdog, ifp.if_unit)
    timeout(if_slowtimo, None, hz // h.IFNET_SLOWHZ)


def ifioctl(so, cmd: int, data, p, ifp=None) -> int:
    """Interface ioctls on a socket (if.c ifioctl); data is the kernel copy.

    SIOCGIFCONF and the ARP commands need no interface.  For the rest
    the checks come in Tahoe's order: the interface name first (ENXIO,
    even for a caller who is not root), then privilege (EPERM) inside
    each command.  The flag and metric commands are answered here; any
    other command goes, with the interface, to the socket's protocol as
    PRU_CONTROL (for UDP that is netinet/in.c in_control; a raw socket
    answers EOPNOTSUPP).  The SVR4 layer, which finds interfaces by its
    own rules, passes the interface it found as ifp.
    """
    if cmd == h.SIOCGIFCONF:
        return ifconf(cmd, data, p)
    if cmd in (h.SIOCSARP, h.SIOCDARP, h.SIOCGARP):
        if cmd != h.SIOCGARP:
            error = suser(p)
            if error:
                return error
        from kern.netinet.if_ether import arpioctl
        return arpioctl(cmd, data, p)
    ifr = ffi.cast("struct ifreq *", data)
    if ifp is None:
        ifp = ifunit(ffi.buffer(ifr.ifr_name)[:])
        if ifp == ffi.NULL:
            return h.ENXIO
    if cmd == h.SIOCGIFFLAGS:
        ifr.ifr_ifru.ifru_flags = ifp.if_flags
    elif cmd == h.SIOCGIFMETRIC:
        ifr.ifr_ifru.ifru_metric = ifp.if_metric
    elif cmd == h.SIOCSIFFLAGS:
        error = suser(p)
        if error:
            return error
        flags = ifr.ifr_ifru.ifru_flags
        if ifp.if_flags & IFF_UP and not flags & IFF_UP:
            if_down(ifp)
        ifp.if_flags = (ifp.if_flags & IFF_CANTCHANGE) | (flags & ~IFF_CANTCHANGE)
        if ifp.if_ioctl != ffi.NULL:
            ksyms.call(ifp.if_ioctl, ifp, cmd, data)   # its answer is ignored, as in Tahoe
    elif cmd == h.SIOCSIFMETRIC:
        error = suser(p)
        if error:
            return error
        ifp.if_metric = ifr.ifr_ifru.ifru_metric
    else:
        if so.so_proto == ffi.NULL:
            return h.EOPNOTSUPP
        return ksyms.call(so.so_proto.pr_usrreq, so, h.PRU_CONTROL, cmd, data, ifp, p)
    return 0


def ifconf(cmd: int, data, p) -> int:
    """SIOCGIFCONF: one ifreq per address of every interface (if.c ifconf).

    Seed 002, "The Configuration Sweep".  Faithful to Tahoe in the ways
    a reader may trip on:

    * the loops go on only while *more* than one ifreq of space is left,
      so a buffer of exactly N entries receives N-1;
    * the space test is signed, so a negative ifc_len copies nothing and
      returns ifc_len 0;
    * the name is 14 bytes copied from ``if_name`` (whatever follows the
      driver's string in kernel memory comes along after its NUL) and
      then one digit, so units of 10 and more print wrongly;
    * an interface without addresses gets one entry with a zeroed
      address;
    * each entry goes straight to the user buffer with copyout; a
      failing copyout ends the interface's entries and the call returns
      EFAULT (the next interface retries the same place, which fails
      again, as the C loops do), leaving ifc_len unchanged.
    """
    ifc = ffi.cast("struct ifconf *", data)
    ifrp = int(ffi.cast("uintptr_t", ifc.ifc_ifcu.ifcu_buf))
    space = ifc.ifc_len
    ifr = ffi.new("struct ifreq *")
    error = 0
    for ifp in ifnet_list():
        if space <= IFREQSIZE:
            break
        _ifconf_name(ifr.ifr_name, ifp)
        ifa = ifp.if_addrlist
        if ifa == ffi.NULL:
            ffi.memmove(ffi.addressof(ifr.ifr_ifru, "ifru_addr"), bytes(16), 16)
            error = copyout(p, ifr, ifrp, IFREQSIZE)
            if error:
                break
            space -= IFREQSIZE
            ifrp += IFREQSIZE
            continue
        while space > IFREQSIZE and ifa != ffi.NULL:
            ifr.ifr_ifru.ifru_addr = ifa.ifa_addr
            error = copyout(p, ifr, ifrp, IFREQSIZE)
            if error:
                break
            space -= IFREQSIZE
            ifrp += IFREQSIZE
            ifa = ifa.ifa_next
    ifc.ifc_len -= space
    return error


def _ifconf_name(name, ifp) -> None:
    """Tahoe's name for SIOCGIFCONF: 14 bytes of if_name, then '0' + unit."""
    ffi.memmove(name, ifp.if_name, IFNAMSIZ - 2)
    n = 0
    while n < IFNAMSIZ - 2 and name[n] != b"\0":
        n += 1
    name[n] = bytes([(0x30 + ifp.if_unit) & 0xFF])
    name[n + 1] = b"\0"
