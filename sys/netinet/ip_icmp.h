/*
 * netkern: ICMP (RFC 792), 4.3BSD-Tahoe <netinet/ip_icmp.h> with the
 * NetBSD 1.5 additions the packet path of seed 004 uses: the path-MTU
 * field (icmp_nextmtu), router advertisement, and unreachable codes
 * 6-13.  id_mask is u_int32_t (4.3: u_long) so that struct icmp keeps
 * its wire size, 28 bytes, on LP64.
 */
#ifndef _NETINET_IP_ICMP_H_
#define	_NETINET_IP_ICMP_H_

#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>

/* One address of a router advertisement. */
struct icmp_ra_addr {
	u_int32_t ira_addr;
	u_int32_t ira_preference;
};

struct icmp {
	u_char	icmp_type;		/* ICMP_* */
	u_char	icmp_code;		/* subtype */
	u_short	icmp_cksum;		/* over the whole message */
	union {
		u_char	ih_pptr;		/* PARAMPROB: offset of the error */
		struct	in_addr ih_gwaddr;	/* REDIRECT: the better gateway */
		struct	ih_idseq {		/* ECHO and friends */
			n_short	icd_id;
			n_short	icd_seq;
		} ih_idseq;
		int	ih_void;		/* unused, zero */
		struct	ih_pmtu {		/* UNREACH_NEEDFRAG (RFC 1191) */
			n_short	ipm_void;
			n_short	ipm_nextmtu;
		} ih_pmtu;
		struct	ih_rtradv {		/* ROUTERADVERT */
			u_char	irt_num_addrs;
			u_char	irt_wpa;
			u_short	irt_lifetime;
		} ih_rtradv;
	} icmp_hun;
	union {
		struct	id_ts {			/* TSTAMP, TSTAMPREPLY */
			n_time	its_otime;
			n_time	its_rtime;
			n_time	its_ttime;
		} id_ts;
		struct	id_ip {			/* errors: the offending header */
			struct	ip idi_ip;	/* then its options and 8 bytes */
		} id_ip;
		struct	icmp_ra_addr id_radv;	/* ROUTERADVERT entries */
		u_int32_t id_mask;		/* MASKREQ, MASKREPLY */
		char	id_data[1];		/* ECHO data */
	} icmp_dun;
};
#define	icmp_pptr	icmp_hun.ih_pptr
#define	icmp_gwaddr	icmp_hun.ih_gwaddr
#define	icmp_id		icmp_hun.ih_idseq.icd_id
#define	icmp_seq	icmp_hun.ih_idseq.icd_seq
#define	icmp_void	icmp_hun.ih_void
#define	icmp_pmvoid	icmp_hun.ih_pmtu.ipm_void
#define	icmp_nextmtu	icmp_hun.ih_pmtu.ipm_nextmtu
#define	icmp_num_addrs	icmp_hun.ih_rtradv.irt_num_addrs
#define	icmp_wpa	icmp_hun.ih_rtradv.irt_wpa
#define	icmp_lifetime	icmp_hun.ih_rtradv.irt_lifetime
#define	icmp_otime	icmp_dun.id_ts.its_otime
#define	icmp_rtime	icmp_dun.id_ts.its_rtime
#define	icmp_ttime	icmp_dun.id_ts.its_ttime
#define	icmp_ip		icmp_dun.id_ip.idi_ip
#define	icmp_radv	icmp_dun.id_radv
#define	icmp_mask	icmp_dun.id_mask
#define	icmp_data	icmp_dun.id_data

/*
 * Smallest valid lengths.  An error message must hold the quoted IP
 * header, and then 8 bytes past that header's own length.
 */
#define	ICMP_MINLEN	8				/* any message */
#define	ICMP_TSLEN	(8 + 3 * sizeof (n_time))	/* timestamps */
#define	ICMP_MASKLEN	12				/* address mask */
#define	ICMP_ADVLENMIN	(8 + sizeof (struct ip) + 8)	/* error, no options */
#define	ICMP_ADVLEN(p)	(8 + ((p)->icmp_ip.ip_hl << 2) + 8)	/* error */

/* Types, and the codes of each */
#define	ICMP_ECHOREPLY		0		/* echo reply */
#define	ICMP_UNREACH		3		/* destination unreachable: */
#define		ICMP_UNREACH_NET	0		/* network */
#define		ICMP_UNREACH_HOST	1		/* host */
#define		ICMP_UNREACH_PROTOCOL	2		/* protocol */
#define		ICMP_UNREACH_PORT	3		/* port */
#define		ICMP_UNREACH_NEEDFRAG	4		/* needs fragmenting, had DF */
#define		ICMP_UNREACH_SRCFAIL	5		/* source route failed */
#define		ICMP_UNREACH_NET_UNKNOWN 6		/* network unknown */
#define		ICMP_UNREACH_HOST_UNKNOWN 7		/* host unknown */
#define		ICMP_UNREACH_ISOLATED	8		/* source isolated */
#define		ICMP_UNREACH_NET_PROHIB	9		/* network prohibited */
#define		ICMP_UNREACH_HOST_PROHIB 10		/* host prohibited */
#define		ICMP_UNREACH_TOSNET	11		/* network, for this TOS */
#define		ICMP_UNREACH_TOSHOST	12		/* host, for this TOS */
#define		ICMP_UNREACH_ADMIN_PROHIBIT 13		/* filtered */
#define	ICMP_SOURCEQUENCH	4		/* slow down */
#define	ICMP_REDIRECT		5		/* use another gateway for: */
#define		ICMP_REDIRECT_NET	0		/* the network */
#define		ICMP_REDIRECT_HOST	1		/* the host */
#define		ICMP_REDIRECT_TOSNET	2		/* the network and TOS */
#define		ICMP_REDIRECT_TOSHOST	3		/* the host and TOS */
#define	ICMP_ECHO		8		/* echo request */
#define	ICMP_ROUTERADVERT	9		/* router advertisement (NetBSD) */
#define	ICMP_ROUTERSOLICIT	10		/* router solicitation (NetBSD) */
#define	ICMP_TIMXCEED		11		/* time exceeded: */
#define		ICMP_TIMXCEED_INTRANS	0		/* ip_ttl reached 0 */
#define		ICMP_TIMXCEED_REASS	1		/* reassembly timed out */
#define	ICMP_PARAMPROB		12		/* bad header: */
#define		ICMP_PARAMPROB_OPTABSENT 1		/* a required option is missing */
#define	ICMP_TSTAMP		13		/* timestamp request */
#define	ICMP_TSTAMPREPLY	14		/* timestamp reply */
#define	ICMP_IREQ		15		/* information request */
#define	ICMP_IREQREPLY		16		/* information reply */
#define	ICMP_MASKREQ		17		/* address mask request */
#define	ICMP_MASKREPLY		18		/* address mask reply */

#define	ICMP_MAXTYPE		18

/* Is the type a query or reply rather than an error report? */
#define	ICMP_INFOTYPE(type) \
	((type) == ICMP_ECHOREPLY || (type) == ICMP_ECHO || \
	 (type) == ICMP_ROUTERADVERT || (type) == ICMP_ROUTERSOLICIT || \
	 (type) == ICMP_TSTAMP || (type) == ICMP_TSTAMPREPLY || \
	 (type) == ICMP_IREQ || (type) == ICMP_IREQREPLY || \
	 (type) == ICMP_MASKREQ || (type) == ICMP_MASKREPLY)

#endif /* !_NETINET_IP_ICMP_H_ */
