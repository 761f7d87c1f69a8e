"""Internet addresses: classes, subnets, and the address ioctls.

4.3BSD-Tahoe netinet/in.c (seed 002, "Broadcasts, Point-to-Point, and
Address Pairing"; "The Cartographer's Ledger").  An interface's Internet
address is a ``struct in_ifaddr`` in kernel memory, on the interface's
address chain and on the global ``in_ifaddr`` list; it keeps the classful
network (``ia_net``/``ia_netmask``) beside the subnet the administrator
configured (``ia_subnet``/``ia_subnetmask``), in host byte order.

Addresses passed between these functions are ``s_addr`` values as they
lie in a ``struct in_addr``, i.e. network byte order, as in the C code;
network numbers are host-order integers with the host bits zero.
"""

from socket import htonl, ntohl

from kern import ksyms
from kern.headers import native as h
from kern.kern_malloc import kalloc
from kern.kern_proc import suser

ffi = h.ffi

IN_CLASSA, IN_CLASSB, IN_CLASSC = h.IN_CLASSA, h.IN_CLASSB, h.IN_CLASSC
IN_CLASSA_NET, IN_CLASSB_NET, IN_CLASSC_NET = h.IN_CLASSA_NET, h.IN_CLASSB_NET, h.IN_CLASSC_NET
IN_CLASSA_HOST, IN_CLASSB_HOST, IN_CLASSC_HOST = h.IN_CLASSA_HOST, h.IN_CLASSB_HOST, h.IN_CLASSC_HOST
INADDR_ANY, INADDR_BROADCAST = h.INADDR_ANY, h.INADDR_BROADCAST
ALLONES = 0xFFFFFFFF
subnetsarelocal = 1    # in.c: other subnets of an attached net count as local

in_ifaddr_p = None     # struct in_ifaddr **: the global ``in_ifaddr`` list head
in_interfaces_p = None  # int *: addresses on interfaces other than the loopback


def in_init() -> None:
    """Place the in_ifaddr list head and in_interfaces in kernel memory."""
    global in_ifaddr_p, in_interfaces_p
    in_ifaddr_p = ksyms.data("in_ifaddr", "struct in_ifaddr *")
    in_interfaces_p = ksyms.data("in_interfaces", "int")


def in_ifaddr_list():
    """Every Internet address of every interface, in list order."""
    ia = in_ifaddr_p[0]
    while ia != ffi.NULL:
        yield ia
        ia = ia.ia_next


def sin(sa):
    """A sockaddr seen as a sockaddr_in (satosin)."""
    return ffi.cast("struct sockaddr_in *", sa)


def IA_SIN(ia):
    """The address of an in_ifaddr as a sockaddr_in."""
    return ffi.cast("struct sockaddr_in *", ffi.addressof(ia.ia_ifa, "ifa_addr"))


def _classmask(i: int) -> int:
    if IN_CLASSA(i):
        return IN_CLASSA_NET
    if IN_CLASSB(i):
        return IN_CLASSB_NET
    return IN_CLASSC_NET


def in_makeaddr(net: int, host: int) -> int:
    """The address made of a network number and a host part (in.c in_makeaddr).

    The host part is masked with the classful host mask, or with the
    subnet's when net belongs to a configured network.  Returns s_addr.
    """
    if IN_CLASSA(net):
        mask = IN_CLASSA_HOST
    elif IN_CLASSB(net):
        mask = IN_CLASSB_HOST
    else:
        mask = IN_CLASSC_HOST
    for ia in in_ifaddr_list():
        if ia.ia_netmask & net == ia.ia_net:
            mask = ~ia.ia_subnetmask & ALLONES
            break
    return htonl((net | (host & mask)) & ALLONES)


def in_netof(in_addr: int) -> int:
    """The network number of an address, honouring subnets (in.c in_netof).

    The classful split comes first; when that network is one of ours,
    its subnet mask applies (seed 002, "The Cartographer's Ledger": routes
    to networks are found by network number).  Class D and E give 0.
    """
    i = ntohl(in_addr)
    if IN_CLASSA(i):
        net = i & IN_CLASSA_NET
    elif IN_CLASSB(i):
        net = i & IN_CLASSB_NET
    elif IN_CLASSC(i):
        net = i & IN_CLASSC_NET
    else:
        return 0
    for ia in in_ifaddr_list():
        if net == ia.ia_net:
            return i & ia.ia_subnetmask
    return net


def in_lnaof(in_addr: int) -> int:
    """The host part of an address, within its subnet if it has one (in.c in_lnaof)."""
    i = ntohl(in_addr)
    if IN_CLASSA(i):
        net, host = i & IN_CLASSA_NET, i & IN_CLASSA_HOST
    elif IN_CLASSB(i):
        net, host = i & IN_CLASSB_NET, i & IN_CLASSB_HOST
    elif IN_CLASSC(i):
        net, host = i & IN_CLASSC_NET, i & IN_CLASSC_HOST
    else:
        return i
    for ia in in_ifaddr_list():
        if net == ia.ia_net:
            return host & ~ia.ia_subnetmask & ALLONES
    return host


def in_localaddr(in_addr: int) -> int:
    """1 if the address is on a network we are attached to (in.c in_localaddr).

    With ``subnetsarelocal`` (Tahoe's default) any subnet of an attached
    classful network counts; without it only the attached subnets do.
    """
    i = ntohl(in_addr)
    for ia in in_ifaddr_list():
        if subnetsarelocal:
            if i & ia.ia_netmask == ia.ia_net:
                return 1
        elif i & ia.ia_subnetmask == ia.ia_subnet:
            return 1
    return 0


def in_canforward(in_addr: int) -> int:
    """1 if a datagram to this address may be forwarded (in.c in_canforward).

    Class D and E (IN_EXPERIMENTAL covers both), net 0 and the loopback
    net 127 may not be.  Tahoe in.c 7.9 compared the unshifted class A
    network with 127 and so never refused 127/8.  CSRG fixed that after
    Tahoe and NetBSD kept the fix; netkern's forwarding path is NetBSD's
    (DESIGN.md section 1), so it keeps the fix too.
    """
    i = ntohl(in_addr)
    if h.IN_EXPERIMENTAL(i):
        return 0
    if IN_CLASSA(i):
        net = i & IN_CLASSA_NET
        if net == 0 or net == h.IN_LOOPBACKNET << h.IN_CLASSA_NSHIFT:
            return 0
    return 1


def in_broadcast(in_addr: int) -> int:
    """1 if the address may be a broadcast address of ours (in.c in_broadcast).

    Seed 002, "Broadcasts, Point-to-Point, and Address Pairing".  For
    each address of a broadcast interface: its broadcast address, and
    the old host-0 forms, its subnet and its classful net number; then,
    for any interface, the limited broadcasts 255.255.255.255 and
    0.0.0.0.  Tahoe (in.c 7.3 onwards) is this liberal on purpose, so
    as not to answer most UDP broadcasts.  ia_netbroadcast is not looked
    at here: ip_input compares it itself.
    """
    t = ntohl(in_addr)
    for ia in in_ifaddr_list():
        if ia.ia_ifa.ifa_ifp.if_flags & h.IFF_BROADCAST:
            if sin(ffi.addressof(ia.ia_ifa.ifa_ifu, "ifu_broadaddr")).sin_addr.s_addr == in_addr:
                return 1
            if t == ia.ia_subnet or t == ia.ia_net:
                return 1
    if in_addr == INADDR_BROADCAST or in_addr == INADDR_ANY:
        return 1
    return 0


def inet_hash(sa):
    """The host and net hashes of an Internet address (in.c inet_hash).

    The host hash is the whole address in host order; the net hash is
    the network number with its trailing zero bytes shifted away, so
    128.32.0.0 hashes to 0x8020.
    """
    s_addr = sin(sa).sin_addr.s_addr
    n = in_netof(s_addr)
    if n:
        while n & 0xFF == 0:
            n >>= 8
    return ntohl(s_addr), n


def inet_netmatch(sa1, sa2) -> bool:
    """Two Internet addresses are on the same network: equal in_netof."""
    return in_netof(sin(sa1).sin_addr.s_addr) == in_netof(sin(sa2).sin_addr.s_addr)


def in_control(so, cmd: int, data, ifp, p) -> int:
    """Internet address ioctls for an interface (in.c in_control).

    Reached through the protocol's PRU_CONTROL (seed 002, "The Control
    Desk"); ifp is the interface ifioctl found, or None for a command
    outside the 'i' group.  Order of checks as in Tahoe:

    * SIOCSIFADDR, SIOCSIFNETMASK and SIOCSIFDSTADDR need root, then
      create the interface's in_ifaddr if it has none, *before* looking
      any further, so a failing SIOCSIFDSTADDR (EINVAL on an interface
      that is not point-to-point) still leaves an empty address
      (0.0.0.0, family AF_INET) behind, and so does a mask set first;
    * SIOCSIFBRDADDR needs root, then an existing address;
    * every other command needs an existing address (EADDRNOTAVAIL);
      that includes any command this switch does not know, which then
      goes to the driver's if_ioctl (EOPNOTSUPP without one).

    SIOCSIFBRDADDR only stores the address: ia_netbroadcast is left
    alone (4.3BSD 7.1 recomputed it; Tahoe stopped) and the next
    SIOCSIFADDR overwrites both.
    """
    ifr = ffi.cast("struct ifreq *", data)
    ia = ffi.NULL
    if ifp is not None and ifp != ffi.NULL:
        for a in in_ifaddr_list():
            if a.ia_ifa.ifa_ifp == ifp:
                ia = a
                break
    else:
        ifp = ffi.NULL

    if cmd in (h.SIOCSIFADDR, h.SIOCSIFNETMASK, h.SIOCSIFDSTADDR):
        error = suser(p)
        if error:
            return error
        if ifp == ffi.NULL:
            from kern.subr_prf import panic
            panic("in_control")
        if ia == ffi.NULL:
            ia = _in_ifaddr_new(ifp)
            if ia == ffi.NULL:
                return h.ENOBUFS
    elif cmd == h.SIOCSIFBRDADDR:
        error = suser(p)
        if error:
            return error
        if ia == ffi.NULL:
            return h.EADDRNOTAVAIL
    elif ia == ffi.NULL:
        return h.EADDRNOTAVAIL

    ifru = ifr.ifr_ifru
    ifa = ia.ia_ifa
    if cmd == h.SIOCGIFADDR:
        ifru.ifru_addr = ifa.ifa_addr
    elif cmd == h.SIOCGIFBRDADDR:
        if not ifp.if_flags & h.IFF_BROADCAST:
            return h.EINVAL
        ifru.ifru_dstaddr = ifa.ifa_ifu.ifu_broadaddr
    elif cmd == h.SIOCGIFDSTADDR:
        if not ifp.if_flags & h.IFF_POINTOPOINT:
            return h.EINVAL
        ifru.ifru_dstaddr = ifa.ifa_ifu.ifu_dstaddr
    elif cmd == h.SIOCGIFNETMASK:
        s = sin(ffi.addressof(ifru, "ifru_addr"))
        s.sin_family = h.AF_INET
        s.sin_addr.s_addr = htonl(ia.ia_subnetmask)
    elif cmd == h.SIOCSIFDSTADDR:
        if not ifp.if_flags & h.IFF_POINTOPOINT:
            return h.EINVAL
        oldaddr = ffi.new("struct sockaddr *", ifa.ifa_ifu.ifu_dstaddr)
        ifa.ifa_ifu.ifu_dstaddr = ifru.ifru_dstaddr
        if ifp.if_ioctl != ffi.NULL:
            error = ksyms.call(ifp.if_ioctl, ifp, h.SIOCSIFDSTADDR, ffi.cast("char *", ia))
            if error:
                ifa.ifa_ifu.ifu_dstaddr = oldaddr[0]
                return error
        if ia.ia_flags & h.IFA_ROUTE:
            from kern.net.route import rtinit
            rtinit(oldaddr, ffi.addressof(ifa, "ifa_addr"), h.SIOCDELRT, h.RTF_HOST)
            rtinit(ffi.addressof(ifa.ifa_ifu, "ifu_dstaddr"), ffi.addressof(ifa, "ifa_addr"),
                   h.SIOCADDRT, h.RTF_HOST | h.RTF_UP)
    elif cmd == h.SIOCSIFBRDADDR:
        if not ifp.if_flags & h.IFF_BROADCAST:
            return h.EINVAL
        ifa.ifa_ifu.ifu_broadaddr = ifru.ifru_broadaddr
    elif cmd == h.SIOCSIFADDR:
        return in_ifinit(ifp, ia, sin(ffi.addressof(ifru, "ifru_addr")))
    elif cmd == h.SIOCSIFNETMASK:
        ia.ia_subnetmask = ntohl(sin(ffi.addressof(ifru, "ifru_addr")).sin_addr.s_addr)
    else:
        if ifp == ffi.NULL or ifp.if_ioctl == ffi.NULL:
            return h.EOPNOTSUPP
        return ksyms.call(ifp.if_ioctl, ifp, cmd, data)
    return 0


def _in_ifaddr_new(ifp):
    """Allocate an in_ifaddr and chain it on in_ifaddr and on the interface.

    Tahoe took an mbuf (MT_IFADDR); an LP64 in_ifaddr no longer fits one,
    so it comes from malloc type M_IFADDR as in 4.3BSD-Reno.
    """
    ia = kalloc("struct in_ifaddr", h.M_IFADDR, h.M_NOWAIT)
    if ia == ffi.NULL:
        return ia
    tail = in_ifaddr_p
    while tail[0] != ffi.NULL:
        tail = ffi.addressof(tail[0], "ia_next")
    tail[0] = ia
    link = ffi.addressof(ifp, "if_addrlist")
    while link[0] != ffi.NULL:
        link = ffi.addressof(link[0], "ifa_next")
    link[0] = ffi.addressof(ia, "ia_ifa")
    ia.ia_ifa.ifa_ifp = ifp
    ia.ia_ifa.ifa_addr.sa_family = h.AF_INET
    if int(ffi.cast("uintptr_t", ifp)) != ksyms.lookup("_loif"):   # ifp != &loif
        in_interfaces_p[0] += 1
    return ia


def in_ifinit(ifp, ia, sin_) -> int:
    """Give an interface an address: masks, broadcast, interface route (in.c in_ifinit).

    The driver may refuse the address (its SIOCSIFADDR), which restores
    the old one.  The classful mask widens a shorter subnet mask; a
    broadcast interface gets the all-ones host broadcast of its subnet
    (overwriting any SIOCSIFBRDADDR) and the classful net broadcast; the
    old interface route goes and the new one comes through rtinit,
    whose failures are ignored as in Tahoe.
    """
    from kern.net.route import rtinit
    i = ntohl(sin_.sin_addr.s_addr)
    ifa = ia.ia_ifa
    addr = ffi.addressof(ifa, "ifa_addr")
    oldaddr = ffi.new("struct sockaddr *", ifa.ifa_addr)
    ifa.ifa_addr = ffi.cast("struct sockaddr *", sin_)[0]
    if ifp.if_ioctl != ffi.NULL:
        error = ksyms.call(ifp.if_ioctl, ifp, h.SIOCSIFADDR, ffi.cast("char *", ia))
        if error:
            ifa.ifa_addr = oldaddr[0]
            return error
    netaddr = ffi.new("struct sockaddr_in *")
    netaddr.sin_family = h.AF_INET
    netsa = ffi.cast("struct sockaddr *", netaddr)
    dstaddr = ffi.addressof(ifa.ifa_ifu, "ifu_dstaddr")
    if ia.ia_flags & h.IFA_ROUTE:
        # The old route is found by the old address and the old subnet,
        # which are still in place.
        if ifp.if_flags & h.IFF_LOOPBACK:
            rtinit(oldaddr, oldaddr, h.SIOCDELRT, h.RTF_HOST)
        elif ifp.if_flags & h.IFF_POINTOPOINT:
            rtinit(dstaddr, oldaddr, h.SIOCDELRT, h.RTF_HOST)
        else:
            netaddr.sin_addr.s_addr = in_makeaddr(ia.ia_subnet, INADDR_ANY)
            rtinit(netsa, oldaddr, h.SIOCDELRT, 0)
        ia.ia_flags &= ~h.IFA_ROUTE
    ia.ia_netmask = _classmask(i)
    ia.ia_net = i & ia.ia_netmask
    ia.ia_subnetmask |= ia.ia_netmask
    ia.ia_subnet = i & ia.ia_subnetmask
    if ifp.if_flags & h.IFF_BROADCAST:
        brd = ffi.addressof(ifa.ifa_ifu, "ifu_broadaddr")
        brd.sa_family = h.AF_INET
        sin(brd).sin_addr.s_addr = in_makeaddr(ia.ia_subnet, INADDR_BROADCAST)
        ia.ia_netbroadcast.s_addr = htonl(ia.ia_net | (INADDR_BROADCAST & ~ia.ia_netmask & ALLONES))
    if ifp.if_flags & h.IFF_LOOPBACK:
        rtinit(addr, addr, h.SIOCADDRT, h.RTF_HOST | h.RTF_UP)
    elif ifp.if_flags & h.IFF_POINTOPOINT:
        # Whatever the peer is, even one never set (family 0): Tahoe
        # does not look, which is why ifconfig sets the peer first.
        rtinit(dstaddr, addr, h.SIOCADDRT, h.RTF_HOST | h.RTF_UP)
    else:
        netaddr.sin_addr.s_addr = in_makeaddr(ia.ia_subnet, INADDR_ANY)
        rtinit(netsa, addr, h.SIOCADDRT, h.RTF_UP)
    ia.ia_flags |= h.IFA_ROUTE
    return 0


def in_iaonnetof(net: int):
    """The in_ifaddr whose subnet is net, or NULL (in.c in_iaonnetof)."""
    for ia in in_ifaddr_list():
        if ia.ia_subnet == net:
            return ia
    return ffi.NULL
