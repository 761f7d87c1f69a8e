/*
 * netkern: Ethernet and the ARP table, 4.3BSD-Tahoe
 * <netinet/if_ether.h> (SCCS 7.3), with the table sizes and timers
 * that Tahoe keeps in if_ether.c 7.7 (ioctl reference, section 3.7;
 * kernel-paths reference, section 5.3).
 */
#ifndef _NETINET_IF_ETHER_H_
#define	_NETINET_IF_ETHER_H_

#include <sys/types.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>

/* The 14-byte Ethernet header. */
struct	ether_header {
	u_char	ether_dhost[6];		/* destination */
	u_char	ether_shost[6];		/* source */
	u_short	ether_type;		/* ETHERTYPE_*, network order */
};

#define	ETHERTYPE_PUP		0x0200	/* PUP */
#define	ETHERTYPE_IP		0x0800	/* IP */
#define	ETHERTYPE_ARP		0x0806	/* ARP */
#define	ETHERTYPE_REVARP	0x8035	/* reverse ARP (NetBSD) */

/*
 * Trailer encapsulation: type ETHERTYPE_TRAIL + n carries n * 512
 * bytes of data, then the real type and the (moved) header.
 */
#define	ETHERTYPE_TRAIL		0x1000
#define	ETHERTYPE_NTRAILER	16

#define	ETHERMTU	1500		/* largest payload */
#define	ETHERMIN	(60-14)		/* smallest payload: 46 */

/* An ARP packet for IP over Ethernet (28 bytes). */
struct	ether_arp {
	struct	arphdr ea_hdr;		/* the fixed part */
	u_char	arp_sha[6];		/* sender hardware address */
	u_char	arp_spa[4];		/* sender IP address */
	u_char	arp_tha[6];		/* target hardware address */
	u_char	arp_tpa[4];		/* target IP address */
};
#define	arp_hrd	ea_hdr.ar_hrd
#define	arp_pro	ea_hdr.ar_pro
#define	arp_hln	ea_hdr.ar_hln
#define	arp_pln	ea_hdr.ar_pln
#define	arp_op	ea_hdr.ar_op

/*
 * The start of every Ethernet driver's softc: the ifnet, the station
 * address, and a copy of the IP address for ARP.
 */
struct	arpcom {
	struct	ifnet ac_if;		/* the interface */
	u_char	ac_enaddr[6];		/* our Ethernet address */
	struct	in_addr ac_ipaddr;	/* our IP address */
};

/* One entry of the IP-to-Ethernet table (24 bytes on LP64). */
struct	arptab {
	struct	in_addr at_iaddr;	/* IP address; 0 if free */
	u_char	at_enaddr[6];		/* its Ethernet address */
	u_char	at_timer;		/* minutes since last used */
	u_char	at_flags;		/* ATF_* */
	struct	mbuf *at_hold;		/* one packet waiting for the reply */
};

/*
 * The table: ARPTAB_NB buckets of ARPTAB_BSIZ entries, hashed by the
 * address as an integer in memory (network order read by the host).
 * 16 x 37 in a kernel built with options GATEWAY, else 9 x 19; an
 * option ARPTAB_BSIZ=n or ARPTAB_NB=n overrides.
 */
#ifndef ARPTAB_BSIZ
#ifdef GATEWAY
#define	ARPTAB_BSIZ	16		/* entries per bucket */
#else
#define	ARPTAB_BSIZ	9
#endif
#endif
#ifndef ARPTAB_NB
#ifdef GATEWAY
#define	ARPTAB_NB	37		/* buckets */
#else
#define	ARPTAB_NB	19
#endif
#endif
#define	ARPTAB_SIZE	(ARPTAB_BSIZ * ARPTAB_NB)
#define	ARPTAB_HASH(a)	((u_long)(a) % ARPTAB_NB)

/* Timers: arptimer runs every ARPT_AGE seconds and ages entries by one. */
#define	ARPT_AGE	(60*1)		/* seconds between runs */
#define	ARPT_KILLC	20		/* runs (minutes) a complete entry lives */
#define	ARPT_KILLI	3		/* runs (minutes) an incomplete one lives */

#endif /* !_NETINET_IF_ETHER_H_ */
