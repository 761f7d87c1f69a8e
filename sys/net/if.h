/*
 * netkern: network interfaces.
 *
 * 4.3BSD-Tahoe <net/if.h> (SCCS 7.3; the later Quasijarus additions
 * IFF_NOFCS, ifru_mtu and IF_MINMTU are not here).  Seed 002, "The
 * Interface Register: Names, Units, and Addresses", "Flags and Civic
 * Status" and "The Control Desk: ifreq and ifconf".
 *
 * struct ifnet, ifqueue and ifaddr are kernel structures and keep the
 * 4.3 layout in both personalities (SVR4's if_promisc, if_upper, ...
 * are not added).  What an SVR4 program sees differently is the
 * struct ifreq union, the IFF_* additions and IFF_CANTCHANGE.
 *
 * LP64 sizes: ifnet 136, ifaddr 48, ifreq 32, ifconf 16.
 */
#ifndef _NET_IF_H_
#define	_NET_IF_H_

#include <sys/types.h>
#include <sys/socket.h>

/*
 * An interface queue: the send queue of each ifnet, and the input
 * queues (ipintrq) between a driver and its protocol.  Packets are
 * linked through m_nextpkt.
 */
struct	ifqueue {
	struct	mbuf *ifq_head;		/* first packet */
	struct	mbuf *ifq_tail;		/* last packet */
	int	ifq_len;		/* packets queued */
	int	ifq_maxlen;		/* IF_QFULL beyond this */
	int	ifq_drops;		/* packets refused when full */
};

/*
 * One per interface, chained from `ifnet' by if_next.  The name is
 * if_name plus the decimal if_unit ("lo" 0, "en" 1).
 */
struct ifnet {
	char	*if_name;		/* driver name, without the unit */
	short	if_unit;		/* unit number */
	short	if_mtu;			/* largest datagram it will send */
	short	if_flags;		/* IFF_* */
	short	if_timer;		/* seconds until if_watchdog is called */
	int	if_metric;		/* routing metric, for routed only */
	struct	ifaddr *if_addrlist;	/* its addresses, one per family */
	struct	ifqueue if_snd;		/* packets waiting to go out */
/* entry points into the driver */
	int	(*if_init)();
	int	(*if_output)();		/* (ifp, m, dst): encapsulate and queue */
	int	(*if_ioctl)();		/* (ifp, cmd, data) */
	int	(*if_reset)();		/* after a bus reset */
	int	(*if_watchdog)();	/* when if_timer runs out */
/* counters shown by netstat -i */
	int	if_ipackets;		/* packets received */
	int	if_ierrors;		/* receive errors */
	int	if_opackets;		/* packets sent */
	int	if_oerrors;		/* send errors */
	int	if_collisions;		/* collisions seen (CSMA) */
	struct	ifnet *if_next;		/* next interface */
};

#define	IFF_UP		0x1		/* administratively up */
#define	IFF_BROADCAST	0x2		/* has a broadcast address */
#define	IFF_DEBUG	0x4		/* driver traces */
#define	IFF_LOOPBACK	0x8		/* the loopback interface */
#define	IFF_POINTOPOINT	0x10		/* has a peer, not a network */
#define	IFF_NOTRAILERS	0x20		/* do not send trailer packets */
#define	IFF_RUNNING	0x40		/* driver resources allocated */
#define	IFF_NOARP	0x80		/* no ARP: map addresses directly */
#define	IFF_PROMISC	0x100		/* receive every packet */
#define	IFF_ALLMULTI	0x200		/* receive every multicast packet */
#ifdef SVR4
#define	IFF_INTELLIGENT	0x400		/* SVR4: protocols run on the board */
#define	IFF_PRIVATE	0x8000		/* SVR4: not advertised (routed) */
#endif

/*
 * Flags SIOCSIFFLAGS leaves alone: the new flags are
 * (old & IFF_CANTCHANGE) | (new & ~IFF_CANTCHANGE).
 */
#ifdef SVR4
#define	IFF_CANTCHANGE \
	(IFF_BROADCAST | IFF_POINTOPOINT | IFF_RUNNING | IFF_PROMISC)
#else
#define	IFF_CANTCHANGE	(IFF_BROADCAST | IFF_POINTOPOINT | IFF_RUNNING)
#endif

/*
 * Queue operations.  IF_ENQUEUE appends at ifq_tail, IF_PREPEND puts a
 * packet back at the head and IF_DEQUEUE takes the head, each keeping
 * ifq_len; the C kernel runs them at splimp().  They link packets
 * through m_nextpkt (Tahoe's m_act) and live in kern/net/if.py.
 */
#define	IF_QFULL(ifq)		((ifq)->ifq_len >= (ifq)->ifq_maxlen)
#define	IF_DROP(ifq)		((ifq)->ifq_drops++)

#define	IFQ_MAXLEN	50		/* default ifq_maxlen */
#define	IFNET_SLOWHZ	1		/* if_slowtimo calls a second */

/*
 * One address of an interface, chained from if_addrlist.  A protocol
 * extends it (struct in_ifaddr begins with one).
 */
struct ifaddr {
	struct	sockaddr ifa_addr;	/* the address */
	union {
		struct	sockaddr ifu_broadaddr;
		struct	sockaddr ifu_dstaddr;
	} ifa_ifu;
	struct	ifnet *ifa_ifp;		/* its interface */
	struct	ifaddr *ifa_next;	/* the interface's next address */
};
#define	ifa_broadaddr	ifa_ifu.ifu_broadaddr	/* with IFF_BROADCAST */
#define	ifa_dstaddr	ifa_ifu.ifu_dstaddr	/* with IFF_POINTOPOINT */

/*
 * The argument of the interface ioctls: a name, then one value.
 *
 * The union differs by system.  4.3BSD: three sockaddrs, flags, metric
 * and a data pointer.  SVR4.0 adds ifru_oname (SIOCSIFNAME), makes
 * ifru_data an array, and adds ifru_enaddr (SIOCGENADDR).  Both are
 * 32 bytes, the union at offset 16.
 *
 * SVR4.0 has no ifr_mtu: SIOCGIFMTU and SIOCSIFMTU carry the MTU in
 * ifru_metric (the only int of the union; no handler in the SVR4.0
 * tree says otherwise, and Solaris, its descendant, documents it so),
 * and SIOCSIFNAME takes the mux id in ifr_metric too.  ifr_mtu below
 * names that field for the SVR4 personality.
 */
#define	IFNAMSIZ	16

struct	ifreq {
	char	ifr_name[IFNAMSIZ];	/* "lo0", "en1" */
	union {
		struct	sockaddr ifru_addr;
		struct	sockaddr ifru_dstaddr;
#ifdef SVR4
		char	ifru_oname[IFNAMSIZ];
#endif
		struct	sockaddr ifru_broadaddr;
		short	ifru_flags;
		int	ifru_metric;
#ifdef SVR4
		char	ifru_data[1];
		char	ifru_enaddr[6];
#else
		caddr_t	ifru_data;
#endif
	} ifr_ifru;
};
#define	ifr_addr	ifr_ifru.ifru_addr	/* address */
#define	ifr_dstaddr	ifr_ifru.ifru_dstaddr	/* point-to-point peer */
#define	ifr_broadaddr	ifr_ifru.ifru_broadaddr	/* broadcast address */
#define	ifr_flags	ifr_ifru.ifru_flags	/* IFF_* */
#define	ifr_metric	ifr_ifru.ifru_metric	/* metric */
#define	ifr_data	ifr_ifru.ifru_data	/* driver-specific */
#ifdef SVR4
#define	ifr_oname	ifr_ifru.ifru_oname	/* SIOCSIFNAME: the new name */
#define	ifr_enaddr	ifr_ifru.ifru_enaddr	/* SIOCGENADDR: Ethernet address */
#define	ifr_mtu		ifr_ifru.ifru_metric	/* SIOC[GS]IFMTU: the MTU */
#endif

/*
 * The argument of SIOCGIFCONF: a user buffer that ifconf() fills with
 * struct ifreq, one per interface address.
 */
struct	ifconf {
	int	ifc_len;		/* buffer length in, bytes used out */
	union {
		caddr_t	ifcu_buf;
		struct	ifreq *ifcu_req;
	} ifc_ifcu;
};
#define	ifc_buf	ifc_ifcu.ifcu_buf	/* the buffer */
#define	ifc_req	ifc_ifcu.ifcu_req	/* the same, as ifreqs */

/*
 * The loopback interface's MTU.  4.3BSD-Tahoe defines it in
 * net/if_loop.c; it is here so that kern/net/if_loop.py reads it from
 * the headers like every other constant.
 */
#define	LOMTU	(1024+512)

/*
 * The serial line interface's MTU, from 4.3BSD-Tahoe net/if_sl.c 7.9,
 * here for the same reason (kern/net/if_sl.py).
 */
#define	SLMTU	1006

/*
 * netkern: the smallest MTU the SVR4 SIOCSIFMTU accepts: the 68 octets
 * every Internet module must pass unfragmented (RFC 791).  Neither
 * Tahoe nor SVR4.0 has a settable MTU; their successors chose 72.
 */
#define	IF_MINMTU	68

#endif /* !_NET_IF_H_ */
