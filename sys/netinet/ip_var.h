/*
 * netkern: IP kernel structures, 4.3BSD-Tahoe <netinet/ip_var.h> with
 * NetBSD's statistics.
 *
 *  - struct ipq and struct ipasfrag are Tahoe's: a reassembly queue
 *    per datagram, doubly linked, holding its fragments doubly linked;
 *  - struct ipovly is NetBSD's: Tahoe's has two pointers (ih_next,
 *    ih_prev) in the pseudo-header, which would make it 28 bytes on
 *    LP64 instead of the 20 bytes of the IP header it overlays;
 *  - struct ipstat is NetBSD 1.5's (noud/mouse-bsd ip_var.h 1.40),
 *    field for field in its order, which includes all of Tahoe's
 *    counters, with u_long counters (NetBSD: u_quad_t).
 */
#ifndef _NETINET_IP_VAR_H_
#define	_NETINET_IP_VAR_H_

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>

/* The IP header as seen by UDP and TCP while checksumming. */
struct ipovly {
	u_int8_t  ih_x1[9];		/* zeroed for the checksum */
	u_int8_t  ih_pr;		/* protocol */
	u_int16_t ih_len;		/* protocol length */
	struct	  in_addr ih_src;	/* source address */
	struct	  in_addr ih_dst;	/* destination address */
};

/*
 * One reassembly queue per datagram being put together, on the `ipq'
 * list; ipq_ttl counts down in slow ticks from IPFRAGTTL.
 */
struct ipq {
	struct	ipq *next, *prev;	/* the ipq list */
	u_char	ipq_ttl;		/* slow ticks left */
	u_char	ipq_p;			/* protocol */
	u_short	ipq_id;			/* ip_id of the datagram */
	struct	ipasfrag *ipq_next, *ipq_prev;	/* its fragments, by offset */
	struct	in_addr ipq_src, ipq_dst;
};

/*
 * A fragment's IP header, reused while it waits: ip_tos becomes
 * ipf_mff and the addresses give way to the queue links.
 */
struct	ipasfrag {
#if BYTE_ORDER == LITTLE_ENDIAN
	u_char	ip_hl:4,
		ip_v:4;
#else
	u_char	ip_v:4,
		ip_hl:4;
#endif
	u_char	ipf_mff;		/* IP_MF of this fragment */
	short	ip_len;
	u_short	ip_id;
	short	ip_off;
	u_char	ip_ttl;
	u_char	ip_p;
	u_short	ip_sum;
	struct	ipasfrag *ipf_next;	/* next fragment */
	struct	ipasfrag *ipf_prev;	/* previous fragment */
};

/*
 * IP options kept for a socket (IP_OPTIONS) or a source route: the
 * first hop, then the option bytes; the length is the mbuf's.
 */
#define	MAX_IPOPTLEN	40

struct ipoption {
	struct	in_addr ipopt_dst;	/* first hop, if source routed */
	char	ipopt_list[MAX_IPOPTLEN];	/* the options */
};

struct	ipstat {
	u_long	ips_total;		/* packets received */
	u_long	ips_badsum;		/* header checksum wrong */
	u_long	ips_tooshort;		/* shorter than ip_len */
	u_long	ips_toosmall;		/* shorter than a header */
	u_long	ips_badhlen;		/* ip_hl too small or too large */
	u_long	ips_badlen;		/* ip_len shorter than the header */
	u_long	ips_fragments;		/* fragments received */
	u_long	ips_fragdropped;	/* fragments dropped (duplicates, no room) */
	u_long	ips_fragtimeout;	/* fragments timed out */
	u_long	ips_forward;		/* packets forwarded */
	u_long	ips_fastforward;	/* forwarded by the flow cache */
	u_long	ips_cantforward;	/* not for us and not forwardable */
	u_long	ips_redirectsent;	/* forwarded with a redirect */
	u_long	ips_noproto;		/* for an unknown protocol */
	u_long	ips_delivered;		/* handed to a protocol */
	u_long	ips_localout;		/* packets sent from here */
	u_long	ips_odropped;		/* lost to ENOBUFS and the like */
	u_long	ips_reassembled;	/* datagrams reassembled */
	u_long	ips_fragmented;		/* datagrams fragmented */
	u_long	ips_ofragments;		/* fragments sent */
	u_long	ips_cantfrag;		/* needed fragmenting, had IP_DF */
	u_long	ips_badoptions;		/* option errors */
	u_long	ips_noroute;		/* no route to send on */
	u_long	ips_badvers;		/* ip_v not 4 */
	u_long	ips_rawout;		/* sent with a user header */
	u_long	ips_badfrags;		/* fragments of a bad length */
	u_long	ips_rcvmemdrop;		/* fragments dropped for memory */
	u_long	ips_toolong;		/* reassembled past IP_MAXPACKET */
	u_long	ips_nogif;		/* no gif tunnel matched */
};

/*
 * Flags to ip_output.  IP_ROUTETOIF and IP_ALLOWBROADCAST are the
 * socket options' values, so so_options can be passed straight in.
 */
#define	IP_FORWARDING		0x1		/* the header is complete */
#define	IP_RAWOUTPUT		0x2		/* the user built the header */
#define	IP_RETURNMTU		0x4		/* give back the MTU on EMSGSIZE (NetBSD) */
#define	IP_ROUTETOIF		SO_DONTROUTE	/* no routing table */
#define	IP_ALLOWBROADCAST	SO_BROADCAST	/* broadcast permitted */

/* Default of ipforwarding: on in a kernel built with options GATEWAY. */
#ifndef IPFORWARDING
#ifdef GATEWAY
#define	IPFORWARDING	1
#else
#define	IPFORWARDING	0
#endif
#endif
#ifndef IPSENDREDIRECTS
#define	IPSENDREDIRECTS	1
#endif

#endif /* !_NETINET_IP_VAR_H_ */
