/*
 * netkern: Internet protocol control blocks.
 *
 * 4.3BSD-Tahoe <netinet/in_pcb.h>: the pcbs of a protocol are a doubly
 * linked list headed by a dummy pcb (udb for UDP), each holding the
 * local and foreign address and port.  After the 4.3 fields come four
 * of NetBSD 1.5's (noud/mouse-bsd in_pcb.h) that its UDP path needs:
 * inp_state (bound or connected, for the lookup order of seed 004's
 * udp4_realinput), inp_flags (INP_*), inp_ip (the header template
 * giving ip_ttl and ip_tos) and inp_moptions (always 0: no multicast).
 * NetBSD's hash chains are not here; lookups walk the list.
 */
#ifndef _NETINET_IN_PCB_H_
#define	_NETINET_IN_PCB_H_

#include <sys/types.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip.h>

struct inpcb {
	struct	inpcb *inp_next,*inp_prev;	/* the protocol's list */
	struct	inpcb *inp_head;	/* the list head (udb) */
	struct	in_addr inp_faddr;	/* foreign address */
	u_short	inp_fport;		/* foreign port */
	struct	in_addr inp_laddr;	/* local address */
	u_short	inp_lport;		/* local port */
	struct	socket *inp_socket;	/* our socket */
	caddr_t	inp_ppcb;		/* the protocol's own block */
	struct	route inp_route;	/* cached route to inp_faddr */
	struct	mbuf *inp_options;	/* IP options to send (IP_OPTIONS) */
/* NetBSD 1.5 additions */
	int	inp_state;		/* INP_ATTACHED, _BOUND, _CONNECTED */
	int	inp_flags;		/* INP_* below */
	struct	ip inp_ip;		/* template: ip_ttl, ip_tos */
	struct	ip_moptions *inp_moptions;	/* multicast options: 0 */
};

/* inp_state (NetBSD) */
#define	INP_ATTACHED		0
#define	INP_BOUND		1
#define	INP_CONNECTED		2

/* inp_flags (NetBSD) */
#define	INP_RECVOPTS		0x01	/* IP_RECVOPTS */
#define	INP_RECVRETOPTS		0x02	/* IP_RECVRETOPTS */
#define	INP_RECVDSTADDR		0x04	/* IP_RECVDSTADDR */
#define	INP_HDRINCL		0x08	/* IP_HDRINCL */
#define	INP_CONTROLOPTS		(INP_RECVOPTS|INP_RECVRETOPTS|INP_RECVDSTADDR)

/* in_pcblookup flags (4.3) */
#define	INPLOOKUP_WILDCARD	1	/* a wildcard address may match */
#define	INPLOOKUP_SETLOCAL	2	/* choose a local address */

#define	sotoinpcb(so)	((struct inpcb *)(so)->so_pcb)

#endif /* !_NETINET_IN_PCB_H_ */
