/*
 * netkern: UDP kernel structures.
 *
 * struct udpiphdr overlays the IP and UDP headers of a datagram (28
 * bytes) with the ipovly pseudo-header, as 4.3 and NetBSD do; its
 * member names are NetBSD's (ui_x1 rather than Tahoe's ui_next and
 * ui_prev, see <netinet/ip_var.h>).  struct udpstat is NetBSD 1.5's
 * (noud/mouse-bsd udp_var.h), in its order, u_long counters; there is
 * no udps_nosum in it (kernel-paths reference, section 3).
 */
#ifndef _NETINET_UDP_VAR_H_
#define	_NETINET_UDP_VAR_H_

#include <netinet/ip_var.h>
#include <netinet/udp.h>

struct	udpiphdr {
	struct	ipovly ui_i;		/* the IP header as pseudo-header */
	struct	udphdr ui_u;		/* the UDP header */
};
#define	ui_x1		ui_i.ih_x1
#define	ui_pr		ui_i.ih_pr
#define	ui_len		ui_i.ih_len
#define	ui_src		ui_i.ih_src
#define	ui_dst		ui_i.ih_dst
#define	ui_sport	ui_u.uh_sport
#define	ui_dport	ui_u.uh_dport
#define	ui_ulen		ui_u.uh_ulen
#define	ui_sum		ui_u.uh_sum

struct	udpstat {
	/* input */
	u_long	udps_ipackets;		/* datagrams received */
	u_long	udps_hdrops;		/* shorter than a header */
	u_long	udps_badsum;		/* checksum wrong */
	u_long	udps_badlen;		/* uh_ulen longer than the data */
	u_long	udps_noport;		/* no socket for the port */
	u_long	udps_noportbcast;	/* of those, link-level broadcast */
	u_long	udps_fullsock;		/* receive buffer full */
	u_long	udps_pcbhashmiss;	/* missed the connected-pcb lookup */
	/* output */
	u_long	udps_opackets;		/* datagrams sent */
};

#define	UDP_TTL		30		/* Tahoe's ip_ttl for UDP */

#endif /* !_NETINET_UDP_VAR_H_ */
