/*
 * netkern: the Internet family: protocols, addresses, sockaddr_in.
 *
 * 4.3BSD-Tahoe <netinet/in.h> (SCCS 7.6): classful address tests,
 * struct in_addr as a single 32-bit s_addr, and a 16-byte sockaddr_in
 * with a short family.  SVR4.0's additions (INADDR_LOOPBACK, IGMP and
 * two more protocol numbers, the address length bounds) appear under
 * SVR4; SVR4 has no INADDR_NONE.  htons() and friends are functions
 * in kern/netinet/in.py, not macros.
 */
#ifndef _NETINET_IN_H_
#define	_NETINET_IN_H_

#include <sys/types.h>

/* Protocol numbers (RFC 790) */
#define	IPPROTO_IP		0		/* for IP-level socket options */
#define	IPPROTO_ICMP		1		/* ICMP */
#ifdef SVR4
#define	IPPROTO_IGMP		2		/* SVR4: IGMP */
#endif
#define	IPPROTO_GGP		3		/* gateway-gateway (obsolete) */
#define	IPPROTO_TCP		6		/* TCP */
#define	IPPROTO_EGP		8		/* EGP */
#define	IPPROTO_PUP		12		/* PUP */
#define	IPPROTO_UDP		17		/* UDP */
#define	IPPROTO_IDP		22		/* XNS IDP */
#ifdef SVR4
#define	IPPROTO_HELLO		63		/* SVR4: HELLO routing */
#define	IPPROTO_ND		77		/* SVR4: Sun network disk */
#endif
#define	IPPROTO_RAW		255		/* raw IP */
#define	IPPROTO_MAX		256

/*
 * Ports below IPPORT_RESERVED need the super-user; automatic port
 * assignment stays below IPPORT_USERRESERVED.
 */
#define	IPPORT_RESERVED		1024
#define	IPPORT_USERRESERVED	5000

/* IMP link numbers */
#define	IMPLINK_IP		155
#define	IMPLINK_LOWEXPER	156
#define	IMPLINK_HIGHEXPER	158

/* An Internet address, in network byte order. */
struct in_addr {
	u_int32_t s_addr;
};

/*
 * Classful address tests, on a host-order address.  Subnetting is
 * done by the configured masks (in_ifaddr), not by these.
 */
#define	IN_CLASSA(i)		(((long)(i) & 0x80000000) == 0)
#define	IN_CLASSA_NET		0xff000000
#define	IN_CLASSA_NSHIFT	24
#define	IN_CLASSA_HOST		0x00ffffff
#define	IN_CLASSA_MAX		128

#define	IN_CLASSB(i)		(((long)(i) & 0xc0000000) == 0x80000000)
#define	IN_CLASSB_NET		0xffff0000
#define	IN_CLASSB_NSHIFT	16
#define	IN_CLASSB_HOST		0x0000ffff
#define	IN_CLASSB_MAX		65536

#define	IN_CLASSC(i)		(((long)(i) & 0xe0000000) == 0xc0000000)
#define	IN_CLASSC_NET		0xffffff00
#define	IN_CLASSC_NSHIFT	8
#define	IN_CLASSC_HOST		0x000000ff

#define	IN_CLASSD(i)		(((long)(i) & 0xf0000000) == 0xe0000000)
#define	IN_MULTICAST(i)		IN_CLASSD(i)

#define	IN_EXPERIMENTAL(i)	(((long)(i) & 0xe0000000) == 0xe0000000)
#define	IN_BADCLASS(i)		(((long)(i) & 0xf0000000) == 0xf0000000)

#define	INADDR_ANY		(u_long)0x00000000
#ifdef SVR4
#define	INADDR_LOOPBACK		(u_long)0x7F000001
#endif
#define	INADDR_BROADCAST	(u_long)0xffffffff	/* all ones */
#ifndef SVR4
#define	INADDR_NONE		0xffffffff		/* inet_addr() error */
#endif

#define	IN_LOOPBACKNET		127			/* net 127 is loopback */

/* An Internet socket address (16 bytes). */
struct sockaddr_in {
	short	sin_family;		/* AF_INET */
	u_short	sin_port;		/* port, network order */
	struct	in_addr sin_addr;	/* address, network order */
	char	sin_zero[8];		/* must be zero */
};

#ifdef SVR4
/* SVR4 transports accept addresses from 8 to 16 bytes long. */
#define	IN_MINADDRLEN	(sizeof(struct sockaddr_in) - 8)
#define	IN_MAXADDRLEN	(sizeof(struct sockaddr_in))
#endif

/*
 * Options for getsockopt/setsockopt at level IPPROTO_IP.  Tahoe and
 * SVR4.0 have only IP_OPTIONS; 2 to 8 are 4.3BSD-Reno's, for the
 * NetBSD UDP path (inp_flags INP_RECVOPTS and friends, inp_ip).
 */
#define	IP_OPTIONS	1		/* IP options sent with each packet */
#ifndef SVR4
#define	IP_HDRINCL	2		/* raw: the user supplies the header */
#define	IP_TOS		3		/* ip_tos of sent packets */
#define	IP_TTL		4		/* ip_ttl of sent packets */
#define	IP_RECVOPTS	5		/* receive the options as control data */
#define	IP_RECVRETOPTS	6		/* receive the reversed options */
#define	IP_RECVDSTADDR	7		/* receive the destination address */
#define	IP_RETOPTS	8		/* options for the reply */
#endif

/*
 * The TTL of a multicast, and (NetBSD ip_output) of a datagram to
 * 255.255.255.255, when the sender set none: one hop.
 */
#define	IP_DEFAULT_MULTICAST_TTL	1	/* NetBSD <netinet/in.h> */

#endif /* !_NETINET_IN_H_ */
