/*
 * netkern: the protocol switch.
 *
 * 4.3BSD-Tahoe <sys/protosw.h>: one protosw per protocol, reached from
 * its domain; the socket layer calls pr_usrreq with a PRU_* request,
 * the layer below calls pr_input and pr_ctlinput (with a PRC_* code),
 * and the clock calls pr_fasttimo (PR_FASTHZ a second) and
 * pr_slowtimo (PR_SLOWHZ a second).
 */
#ifndef _SYS_PROTOSW_H_
#define	_SYS_PROTOSW_H_

#include <sys/types.h>

struct protosw {
	short	pr_type;		/* SOCK_* it serves */
	struct	domain *pr_domain;	/* its domain */
	short	pr_protocol;		/* IPPROTO_* or 0 */
	short	pr_flags;		/* PR_* */
/* protocol-protocol hooks */
	int	(*pr_input)();		/* a packet from below */
	int	(*pr_output)();		/* a packet from above */
	int	(*pr_ctlinput)();	/* PRC_* notice from below */
	int	(*pr_ctloutput)();	/* get/setsockopt */
/* user-protocol hook */
	int	(*pr_usrreq)();		/* requests from the socket layer */
/* utility hooks */
	int	(*pr_init)();		/* at boot */
	int	(*pr_fasttimo)();	/* every 200 ms */
	int	(*pr_slowtimo)();	/* every 500 ms */
	int	(*pr_drain)();		/* give back memory when short */
};

#define	PR_SLOWHZ	2		/* pr_slowtimo calls a second */
#define	PR_FASTHZ	5		/* pr_fasttimo calls a second */

/* pr_flags */
#define	PR_ATOMIC	0x01		/* each send is one record */
#define	PR_ADDR		0x02		/* records carry the sender's address */
#define	PR_CONNREQUIRED	0x04		/* must connect before sending */
#define	PR_WANTRCVD	0x08		/* tell the protocol when data is read */
#define	PR_RIGHTS	0x10		/* can pass descriptors */

/*
 * Requests to pr_usrreq(so, req, m, nam, rights).  A nonzero return is
 * an errno for the system call.
 */
#define	PRU_ATTACH		0	/* socket() */
#define	PRU_DETACH		1	/* last close */
#define	PRU_BIND		2	/* bind() */
#define	PRU_LISTEN		3	/* listen() */
#define	PRU_CONNECT		4	/* connect() */
#define	PRU_ACCEPT		5	/* accept() */
#define	PRU_DISCONNECT		6	/* break the connection */
#define	PRU_SHUTDOWN		7	/* shutdown() for sending */
#define	PRU_RCVD		8	/* the user read; room again */
#define	PRU_SEND		9	/* send()/sendto() */
#define	PRU_ABORT		10	/* drop at once */
#define	PRU_CONTROL		11	/* an ioctl the socket layer passed on */
#define	PRU_SENSE		12	/* fstat() */
#define	PRU_RCVOOB		13	/* recv(MSG_OOB) */
#define	PRU_SENDOOB		14	/* send(MSG_OOB) */
#define	PRU_SOCKADDR		15	/* getsockname() */
#define	PRU_PEERADDR		16	/* getpeername() */
#define	PRU_CONNECT2		17	/* socketpair() */
/* requests a protocol makes of itself */
#define	PRU_FASTTIMO		18	/* internal: fast timer */
#define	PRU_SLOWTIMO		19	/* internal: slow timer */
#define	PRU_PROTORCV		20	/* internal: input */
#define	PRU_PROTOSEND		21	/* internal: output */

#define	PRU_NREQ		21

/*
 * Commands to pr_ctlinput(cmd, arg), mostly from ICMP errors.  Values
 * 2 and 3 are unused.
 */
#define	PRC_IFDOWN		0	/* an interface went down */
#define	PRC_ROUTEDEAD		1	/* route failed; find another */
#define	PRC_QUENCH		4	/* ICMP source quench */
#define	PRC_MSGSIZE		5	/* too big, dropped */
#define	PRC_HOSTDEAD		6	/* host down (IMP) */
#define	PRC_HOSTUNREACH		7	/* host unreachable (IMP) */
#define	PRC_UNREACH_NET		8	/* ICMP net unreachable */
#define	PRC_UNREACH_HOST	9	/* ICMP host unreachable */
#define	PRC_UNREACH_PROTOCOL	10	/* ICMP protocol unreachable */
#define	PRC_UNREACH_PORT	11	/* ICMP port unreachable */
#define	PRC_UNREACH_NEEDFRAG	12	/* ICMP fragmentation needed */
#define	PRC_UNREACH_SRCFAIL	13	/* ICMP source route failed */
#define	PRC_REDIRECT_NET	14	/* ICMP redirect, network */
#define	PRC_REDIRECT_HOST	15	/* ICMP redirect, host */
#define	PRC_REDIRECT_TOSNET	16	/* ICMP redirect, TOS and network */
#define	PRC_REDIRECT_TOSHOST	17	/* ICMP redirect, TOS and host */
#define	PRC_TIMXCEED_INTRANS	18	/* ICMP TTL exceeded in transit */
#define	PRC_TIMXCEED_REASS	19	/* ICMP reassembly time exceeded */
#define	PRC_PARAMPROB		20	/* ICMP parameter problem */

#define	PRC_NCMDS		21

/* Requests to pr_ctloutput(req, so, level, optname, optval). */
#define	PRCO_GETOPT	0
#define	PRCO_SETOPT	1

#define	PRCO_NCMDS	2

#endif /* !_SYS_PROTOSW_H_ */
