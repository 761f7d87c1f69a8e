/*
 * netkern: the UDP header (RFC 768), 4.3BSD <netinet/udp.h>.
 *
 * uh_ulen is u_short here (4.3: short), as NetBSD has it; the layout
 * is the same.
 */
#ifndef _NETINET_UDP_H_
#define	_NETINET_UDP_H_

#include <sys/types.h>

struct udphdr {
	u_short	uh_sport;		/* source port */
	u_short	uh_dport;		/* destination port */
	u_short	uh_ulen;		/* length, header included */
	u_short	uh_sum;			/* checksum, 0 if none */
};

#endif /* !_NETINET_UDP_H_ */
