/*
 * netkern: ICMP statistics, NetBSD 1.5 <netinet/icmp_var.h>
 * (noud/mouse-bsd), in its order, u_long counters (NetBSD: u_quad_t).
 * The histograms are indexed by ICMP type, 0 to ICMP_MAXTYPE.
 */
#ifndef _NETINET_ICMP_VAR_H_
#define	_NETINET_ICMP_VAR_H_

#include <sys/types.h>
#include <netinet/ip_icmp.h>

struct	icmpstat {
/* messages generated */
	u_long	icps_error;		/* icmp_error() calls */
	u_long	icps_oldshort;		/* old datagram too short to quote */
	u_long	icps_oldicmp;		/* no error about an ICMP error */
	u_long	icps_outhist[ICMP_MAXTYPE + 1];	/* sent, by type */
/* messages received */
	u_long	icps_badcode;		/* code out of range */
	u_long	icps_tooshort;		/* shorter than ICMP_MINLEN */
	u_long	icps_checksum;		/* checksum wrong */
	u_long	icps_badlen;		/* too short for its type */
	u_long	icps_reflect;		/* replies sent */
	u_long	icps_inhist[ICMP_MAXTYPE + 1];	/* received, by type */
};

#endif /* !_NETINET_ICMP_VAR_H_ */
