/*
 * netkern: the Address Resolution Protocol, 4.3BSD-Tahoe <net/if_arp.h>.
 *
 * struct arphdr is the fixed part of an ARP packet (RFC 826); the
 * addresses follow it, their lengths given by ar_hln and ar_pln.
 * struct arpreq is the argument of SIOCSARP, SIOCGARP and SIOCDARP
 * (36 bytes), identical in 4.3BSD and SVR4.0.
 */
#ifndef _NET_IF_ARP_H_
#define	_NET_IF_ARP_H_

#include <sys/types.h>
#include <sys/socket.h>

struct	arphdr {
	u_short	ar_hrd;		/* hardware address space */
	u_short	ar_pro;		/* protocol address space (an ether type) */
	u_char	ar_hln;		/* bytes of hardware address */
	u_char	ar_pln;		/* bytes of protocol address */
	u_short	ar_op;		/* ARPOP_* */
};
#define	ARPHRD_ETHER	1	/* ar_hrd: Ethernet */
#define	ARPOP_REQUEST	1	/* who has this address? */
#define	ARPOP_REPLY	2	/* I have it */

struct arpreq {
	struct	sockaddr arp_pa;	/* the IP address (AF_INET) */
	struct	sockaddr arp_ha;	/* the hardware address (AF_UNSPEC) */
	int	arp_flags;		/* ATF_* */
};

/* arp_flags, and at_flags of the kernel's arptab */
#define	ATF_INUSE	0x01	/* slot taken */
#define	ATF_COM		0x02	/* hardware address known */
#define	ATF_PERM	0x04	/* never times out */
#define	ATF_PUBL	0x08	/* answer for this address (proxy ARP) */
#define	ATF_USETRAILERS	0x10	/* the host accepts trailer packets */

#endif /* !_NET_IF_ARP_H_ */
