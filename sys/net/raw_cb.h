/*
 * netkern: raw socket control blocks, 4.3BSD-Tahoe <net/raw_cb.h>.
 *
 * A raw socket (SOCK_RAW) has a rawcb on the `rawcb' list; raw_input()
 * hands each packet to every rawcb whose family, protocol and
 * addresses match.
 */
#ifndef _NET_RAW_CB_H_
#define	_NET_RAW_CB_H_

#include <sys/types.h>
#include <sys/socket.h>
#include <net/route.h>

struct rawcb {
	struct	rawcb *rcb_next;	/* the rawcb list, both ways */
	struct	rawcb *rcb_prev;
	struct	socket *rcb_socket;	/* our socket */
	struct	sockaddr rcb_faddr;	/* connected peer, with RAW_FADDR */
	struct	sockaddr rcb_laddr;	/* bound address, with RAW_LADDR */
	struct	sockproto rcb_proto;	/* family and protocol to match */
	caddr_t	rcb_pcb;		/* the protocol's own block */
	struct	mbuf *rcb_options;	/* options to send with */
	struct	route rcb_route;	/* cached route */
	short	rcb_flags;		/* RAW_* */
};

#define	RAW_LADDR	01		/* rcb_laddr is set */
#define	RAW_FADDR	02		/* rcb_faddr is set */
#define	RAW_DONTROUTE	04		/* send without routing */

#define	RAWSNDQ		2048		/* default send buffer */
#define	RAWRCVQ		2048		/* default receive buffer */

/* What raw_input() queues in front of a packet for the raw sockets. */
struct raw_header {
	struct	sockproto raw_proto;	/* family and protocol */
	struct	sockaddr raw_dst;	/* where it was going */
	struct	sockaddr raw_src;	/* where it came from */
};

#endif /* !_NET_RAW_CB_H_ */
