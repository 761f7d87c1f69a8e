/*
 * netkern: the IP header (RFC 791), 4.3BSD-Tahoe <netinet/ip.h>.
 *
 * Changes from Tahoe, for the NetBSD input path of seed 004:
 *  - ip_len and ip_off are u_short (Tahoe: short, "we don't expect any
 *    > 32767 byte packets"); the layout is the same;
 *  - IP_RF, IP_OFFMASK, the IPTOS_* values and IPDEFTTL are NetBSD's;
 *  - IPOPT_TS_PRESPEC is 3 as RFC 791 and NetBSD have it (Tahoe: 2).
 * ip_input converts ip_len and ip_off to host order after the header
 * checksum, as NetBSD 1.5 does (kernel-paths reference, section 0).
 */
#ifndef _NETINET_IP_H_
#define	_NETINET_IP_H_

#include <sys/types.h>
#include <machine/endian.h>
#include <netinet/in.h>
#include <netinet/in_systm.h>

#define	IPVERSION	4

/* The header without options: 20 bytes. */
struct ip {
#if BYTE_ORDER == LITTLE_ENDIAN
	u_char	ip_hl:4,		/* header length, 32-bit words */
		ip_v:4;			/* version */
#else
	u_char	ip_v:4,
		ip_hl:4;
#endif
	u_char	ip_tos;			/* type of service */
	u_short	ip_len;			/* total length */
	u_short	ip_id;			/* identification */
	u_short	ip_off;			/* flags and fragment offset */
	u_char	ip_ttl;			/* time to live */
	u_char	ip_p;			/* protocol (IPPROTO_*) */
	u_short	ip_sum;			/* header checksum */
	struct	in_addr ip_src, ip_dst;	/* addresses */
};
#define	IP_RF		0x8000		/* reserved flag (NetBSD) */
#define	IP_DF		0x4000		/* do not fragment */
#define	IP_MF		0x2000		/* more fragments follow */
#define	IP_OFFMASK	0x1fff		/* offset, in 8-byte units (NetBSD) */

#define	IP_MAXPACKET	65535		/* largest datagram */

/* ip_tos: type of service (RFC 1349 names, NetBSD) */
#define	IPTOS_LOWDELAY		0x10
#define	IPTOS_THROUGHPUT	0x08
#define	IPTOS_RELIABILITY	0x04

/* ip_tos: precedence */
#define	IPTOS_PREC_NETCONTROL		0xe0
#define	IPTOS_PREC_INTERNETCONTROL	0xc0
#define	IPTOS_PREC_CRITIC_ECP		0xa0
#define	IPTOS_PREC_FLASHOVERRIDE	0x80
#define	IPTOS_PREC_FLASH		0x60
#define	IPTOS_PREC_IMMEDIATE		0x40
#define	IPTOS_PREC_PRIORITY		0x20
#define	IPTOS_PREC_ROUTINE		0x00

/* Options: the type byte holds copy flag, class and number. */
#define	IPOPT_COPIED(o)		((o)&0x80)
#define	IPOPT_CLASS(o)		((o)&0x60)
#define	IPOPT_NUMBER(o)		((o)&0x1f)

#define	IPOPT_CONTROL		0x00
#define	IPOPT_RESERVED1		0x20
#define	IPOPT_DEBMEAS		0x40
#define	IPOPT_RESERVED2		0x60

#define	IPOPT_EOL		0		/* end of options */
#define	IPOPT_NOP		1		/* padding */
#define	IPOPT_RR		7		/* record route */
#define	IPOPT_TS		68		/* timestamp */
#define	IPOPT_SECURITY		130		/* security (RFC 1108) */
#define	IPOPT_LSRR		131		/* loose source route */
#define	IPOPT_SATID		136		/* SATNET stream id */
#define	IPOPT_SSRR		137		/* strict source route */

/* Byte offsets inside an option other than EOL and NOP. */
#define	IPOPT_OPTVAL		0		/* type */
#define	IPOPT_OLEN		1		/* length */
#define	IPOPT_OFFSET		2		/* pointer */
#define	IPOPT_MINOFF		4		/* smallest valid pointer */

/* The timestamp option. */
struct	ip_timestamp {
	u_char	ipt_code;		/* IPOPT_TS */
	u_char	ipt_len;		/* option length */
	u_char	ipt_ptr;		/* next free entry (1-based) */
#if BYTE_ORDER == LITTLE_ENDIAN
	u_char	ipt_flg:4,		/* IPOPT_TS_* */
		ipt_oflw:4;		/* hops that found no room */
#else
	u_char	ipt_oflw:4,
		ipt_flg:4;
#endif
	union ipt_timestamp {
		n_time	ipt_time[1];	/* timestamps only */
		struct	ipt_ta {	/* address, timestamp pairs */
			struct in_addr ipt_addr;
			n_time ipt_time;
		} ipt_ta[1];
	} ipt_timestamp;
};

/* ipt_flg */
#define	IPOPT_TS_TSONLY		0		/* timestamps */
#define	IPOPT_TS_TSANDADDR	1		/* address and timestamp */
#define	IPOPT_TS_PRESPEC	3		/* listed addresses only (Tahoe: 2) */

/* IPOPT_SECURITY levels, as sent */
#define	IPOPT_SECUR_UNCLASS	0x0000
#define	IPOPT_SECUR_CONFID	0xf135
#define	IPOPT_SECUR_EFTO	0x789a
#define	IPOPT_SECUR_MMMM	0xbc4d
#define	IPOPT_SECUR_RESTR	0xaf13
#define	IPOPT_SECUR_SECRET	0xd788
#define	IPOPT_SECUR_TOPSECRET	0x6bc5

/* Implementation parameters */
#define	MAXTTL		255		/* largest ip_ttl */
#define	IPDEFTTL	64		/* default ip_ttl (RFC 1340; NetBSD) */
#define	IPFRAGTTL	60		/* reassembly lifetime, slow ticks (30 s) */
#define	IPTTLDEC	1		/* ip_ttl lost per forwarding hop */
#define	IP_MSS		576		/* default datagram size limit */

#endif /* !_NETINET_IP_H_ */
