/*
 * netkern: the routing table.
 *
 * 4.3BSD-Tahoe <net/route.h> (SCCS 7.4); seed 002, "Gate Permissions:
 * Route Flags and References" and "The Route Vault: Hash Buckets and
 * Statistics".  Routes are rtentry structures kept one to an MT_RTABLE
 * mbuf, chained through m_next from the rthost[] and rtnet[] buckets.
 * The same struct rtentry is the argument of SIOCADDRT and SIOCDELRT,
 * in 4.3BSD and in SVR4.0 (64 bytes on LP64: rt_dst at 8, rt_gateway
 * at 24, rt_flags at 40, rt_refcnt at 42, rt_use at 48, rt_ifp at 56).
 */
#ifndef _NET_ROUTE_H_
#define	_NET_ROUTE_H_

#include <sys/types.h>
#include <sys/socket.h>

/*
 * A route held by a protocol (in an inpcb, or ip_forward's cache): the
 * destination it was looked up for and the entry found, which holds a
 * reference (rt_refcnt) until RTFREE.
 */
struct route {
	struct	rtentry *ro_rt;		/* the entry, or 0 */
	struct	sockaddr ro_dst;	/* the destination looked up */
};

struct rtentry {
	u_long	rt_hash;		/* host or net hash of rt_dst */
	struct	sockaddr rt_dst;	/* the destination (key) */
	struct	sockaddr rt_gateway;	/* next hop, or our own address */
	short	rt_flags;		/* RTF_* */
	short	rt_refcnt;		/* holders (struct route) */
	u_long	rt_use;			/* packets sent by it */
	struct	ifnet *rt_ifp;		/* the interface to send on */
};

#define	RTF_UP		0x1		/* usable */
#define	RTF_GATEWAY	0x2		/* next hop is a gateway */
#define	RTF_HOST	0x4		/* host route (else network) */
#ifdef SVR4
#define	RTF_REINSTATE	0x8		/* SVR4: restore after timeout */
#endif
#define	RTF_DYNAMIC	0x10		/* made by an ICMP redirect */
#define	RTF_MODIFIED	0x20		/* changed by an ICMP redirect */
#ifdef SVR4
/* SVR4.0: switched (dial-up) SLIP routes */
#define	RTF_SWITCHED	0x40		/* must be switched */
#define	RTF_SLAVE	0x80		/* slave switched route */
#define	RTF_REMOTE	0x100		/* used for forwarded packets */
#define	RTF_TOSWITCH	0x200		/* gateway is a switched route */
#define	RTF_USERMASK	(RTF_GATEWAY|RTF_HOST|RTF_SWITCHED)	/* user-settable */

/* state of a switched route, in the RTF_SSSTATE bits */
#define	RTF_SSSTATE	0x700
#define	SSS_NOCONN	0x000		/* not connected */
#define	SSS_DIALING	0x100		/* dialing */
#define	SSS_OPENWAIT	0x200		/* short delay */
#define	SSS_INUSE	0x300		/* in use */
#define	SSS_CLEARWAIT	0x400		/* waiting to hang up */
#define	SSS_CALLFAIL	0x500		/* the last call failed */
#endif /* SVR4 */

/*
 * A holder releases its reference with RTFREE(rt): rtfree() when it is
 * the last one (which frees a route already deleted, i.e. without
 * RTF_UP), else rt_refcnt-- (kern/net/route.py).
 */

/* Redirect and lookup counters, netstat -rs. */
struct	rtstat {
	short	rts_badredirect;	/* redirects ignored as bogus */
	short	rts_dynamic;		/* routes made by redirects */
	short	rts_newgateway;		/* routes changed by redirects */
	short	rts_unreach;		/* lookups that found nothing */
	short	rts_wildcard;		/* lookups answered by the default */
};

/*
 * Hash buckets: 8, or 64 in a kernel built with options GATEWAY; an
 * option RTHASHSIZ=n overrides either.  RTHASHMOD masks for a power of
 * two and divides otherwise.  netstat reads `rthashsize'.
 */
#ifndef RTHASHSIZ
#ifdef GATEWAY
#define	RTHASHSIZ	64
#else
#define	RTHASHSIZ	8
#endif
#endif
#if (RTHASHSIZ & (RTHASHSIZ - 1)) == 0
#define	RTHASHMOD(h)	((h) & (RTHASHSIZ - 1))
#else
#define	RTHASHMOD(h)	((h) % RTHASHSIZ)
#endif

#endif /* !_NET_ROUTE_H_ */
