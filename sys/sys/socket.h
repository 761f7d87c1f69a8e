/*
 * netkern: sockets: types, options, address families, addresses.
 *
 * 4.3BSD-Tahoe <sys/socket.h> (SCCS 7.3): a 16-byte struct sockaddr
 * with a u_short family and no sa_len.  Under SVR4 the user-visible
 * numbers that SVR4.0 <sys/socket.h> changes (socket types, the extra
 * options and families, AF_MAX) take SVR4's values; the structures are
 * the same, except struct msghdr (see below).
 */
#ifndef _SYS_SOCKET_H_
#define	_SYS_SOCKET_H_

#include <sys/types.h>
#include <sys/uio.h>

/*
 * Socket types.  SVR4 numbers them after its transport provider types
 * (netconfig NC_TPI_*): datagram 1, stream 2, raw 4.
 */
#ifdef SVR4
#define	SOCK_DGRAM	1		/* connectionless (NC_TPI_CLTS) */
#define	SOCK_STREAM	2		/* connection-oriented (NC_TPI_COTS) */
#define	SOCK_RAW	4		/* raw protocol access (NC_TPI_RAW) */
#define	SOCK_RDM	5		/* reliable datagrams */
#define	SOCK_SEQPACKET	6		/* records over a connection */
#else
#define	SOCK_STREAM	1		/* byte stream over a connection */
#define	SOCK_DGRAM	2		/* connectionless datagrams */
#define	SOCK_RAW	3		/* raw protocol access */
#define	SOCK_RDM	4		/* reliable datagrams */
#define	SOCK_SEQPACKET	5		/* records over a connection */
#endif

/*
 * Per-socket option flags, kept in so_options.
 */
#define	SO_DEBUG	0x0001		/* protocol keeps a trace */
#define	SO_ACCEPTCONN	0x0002		/* set by listen() */
#define	SO_REUSEADDR	0x0004		/* bind() may reuse a local address */
#define	SO_KEEPALIVE	0x0008		/* probe idle connections */
#define	SO_DONTROUTE	0x0010		/* send to directly connected hosts only */
#define	SO_BROADCAST	0x0020		/* broadcast sends allowed */
#define	SO_USELOOPBACK	0x0040		/* loop own traffic back in software */
#define	SO_LINGER	0x0080		/* close() waits for queued data */
#define	SO_OOBINLINE	0x0100		/* urgent data stays in the stream */
#ifdef SVR4
#define	SO_ORDREL	0x0200		/* SVR4: T_ORDREL on close */
#define	SO_IMASOCKET	0x0400		/* SVR4: endpoint is a socket */
#endif

/*
 * Options not kept in so_options: values set and read by
 * getsockopt/setsockopt at SOL_SOCKET.
 */
#define	SO_SNDBUF	0x1001		/* so_snd.sb_hiwat */
#define	SO_RCVBUF	0x1002		/* so_rcv.sb_hiwat */
#define	SO_SNDLOWAT	0x1003		/* so_snd.sb_lowat */
#define	SO_RCVLOWAT	0x1004		/* so_rcv.sb_lowat */
#define	SO_SNDTIMEO	0x1005		/* so_snd.sb_timeo */
#define	SO_RCVTIMEO	0x1006		/* so_rcv.sb_timeo */
#define	SO_ERROR	0x1007		/* so_error, cleared by the read */
#define	SO_TYPE		0x1008		/* so_type */
#ifdef SVR4
#define	SO_PROTOTYPE	0x1009		/* SVR4: the protocol number */
#endif

/* The argument of SO_LINGER. */
struct	linger {
	int	l_onoff;		/* nonzero: linger */
	int	l_linger;		/* for this many seconds */
};

/* Level number for getsockopt/setsockopt on the socket itself. */
#define	SOL_SOCKET	0xffff

/*
 * Address families.  AF_MAX bounds the family test of rtrequest()
 * (EAFNOSUPPORT): 17 in 4.3BSD-Tahoe, 22 in SVR4.0.
 */
#define	AF_UNSPEC	0		/* none */
#define	AF_UNIX		1		/* this host's file system names */
#define	AF_INET		2		/* Internet: IP, UDP, TCP, ICMP */
#define	AF_IMPLINK	3		/* ARPANET IMP link */
#define	AF_PUP		4		/* Xerox PUP */
#define	AF_CHAOS	5		/* MIT Chaosnet */
#define	AF_NS		6		/* Xerox Network Systems */
#define	AF_NBS		7		/* NBS */
#define	AF_ECMA		8		/* ECMA */
#define	AF_DATAKIT	9		/* AT&T Datakit */
#define	AF_CCITT	10		/* CCITT (X.25 and others) */
#define	AF_SNA		11		/* SNA */
#define	AF_DECnet	12		/* DECnet */
#define	AF_DLI		13		/* DEC data link interface */
#define	AF_LAT		14		/* DEC LAT */
#define	AF_HYLINK	15		/* NSC HYPERchannel */
#define	AF_APPLETALK	16		/* AppleTalk */
#ifdef SVR4
#define	AF_NIT		17		/* SunOS NIT */
#define	AF_802		18		/* IEEE 802.2 */
#define	AF_OSI		19		/* OSI in general */
#define	AF_X25		20		/* X.25 */
#define	AF_OSINET	21		/* OSI over the Internet */
#define	AF_GOSIP	22		/* GOSIP */
#define	AF_MAX		22
#else
#define	AF_MAX		17
#endif

/*
 * The address the kernel stores for most families: 16 bytes, family
 * first, as in 4.3BSD and SVR4 (Reno's sa_len byte is not here).
 */
struct sockaddr {
	u_short	sa_family;		/* AF_* */
	char	sa_data[14];		/* the address, family-specific */
};

/* Family and protocol of a raw socket, for raw_input() matching. */
struct sockproto {
	u_short	sp_family;		/* AF_* */
	u_short	sp_protocol;		/* protocol number in the family */
};

/* Protocol families: the same numbers as the address families. */
#define	PF_UNSPEC	AF_UNSPEC
#define	PF_UNIX		AF_UNIX
#define	PF_INET		AF_INET
#define	PF_IMPLINK	AF_IMPLINK
#define	PF_PUP		AF_PUP
#define	PF_CHAOS	AF_CHAOS
#define	PF_NS		AF_NS
#define	PF_NBS		AF_NBS
#define	PF_ECMA		AF_ECMA
#define	PF_DATAKIT	AF_DATAKIT
#define	PF_CCITT	AF_CCITT
#define	PF_SNA		AF_SNA
#define	PF_DECnet	AF_DECnet
#define	PF_DLI		AF_DLI
#define	PF_LAT		AF_LAT
#define	PF_HYLINK	AF_HYLINK
#define	PF_APPLETALK	AF_APPLETALK
#ifdef SVR4
#define	PF_NIT		AF_NIT
#define	PF_802		AF_802
#define	PF_OSI		AF_OSI
#define	PF_X25		AF_X25
#define	PF_OSINET	AF_OSINET
#define	PF_GOSIP	AF_GOSIP
#endif
#define	PF_MAX		AF_MAX

/* Longest listen() queue. */
#define	SOMAXCONN	5

/*
 * The header of sendmsg/recvmsg.
 *
 * Natively it takes the 4.3BSD-Reno form (socket.h 7.x, 1990):
 * msg_control/msg_controllen replace 4.3's access-rights pair, and
 * msg_flags carries MSG_TRUNC, MSG_CTRUNC and MSG_EOR back from
 * recvmsg, which the NetBSD receive path of seed 004 reports.  Under
 * SVR4 it is the 4.3BSD/SVR4.0 form, which has no flags word; the
 * SVR4 personality translates.  Both are 48 bytes on LP64.
 */
#ifdef SVR4
struct msghdr {
	caddr_t	msg_name;		/* peer's sockaddr, or 0 */
	int	msg_namelen;		/* its length in bytes */
	struct	iovec *msg_iov;		/* the data segments */
	int	msg_iovlen;		/* how many segments */
	caddr_t	msg_accrights;		/* descriptors passed, or 0 */
	int	msg_accrightslen;	/* their length in bytes */
};
#else
struct msghdr {
	caddr_t	msg_name;		/* peer's sockaddr, or 0 */
	u_int	msg_namelen;		/* its length in bytes */
	struct	iovec *msg_iov;		/* the data segments */
	u_int	msg_iovlen;		/* how many segments */
	caddr_t	msg_control;		/* cmsghdr records, or 0 */
	u_int	msg_controllen;		/* their total length */
	int	msg_flags;		/* MSG_* set by recvmsg */
};

/*
 * Reno: ancillary data is a sequence of cmsghdr, each followed by its
 * data; SCM_RIGHTS passes descriptors.
 */
struct cmsghdr {
	u_int	cmsg_len;		/* bytes, this header included */
	int	cmsg_level;		/* level, as for setsockopt */
	int	cmsg_type;		/* what the data is */
};
#define	SCM_RIGHTS	0x01		/* data: descriptors (ints) */
#endif

/*
 * Flags to send and recv.  OOB, PEEK and DONTROUTE are 4.3BSD's and
 * SVR4's; EOR, TRUNC, CTRUNC and WAITALL come from 4.3BSD-Reno, and
 * DONTWAIT from 4.4BSD.
 */
#define	MSG_OOB		0x1		/* urgent data */
#define	MSG_PEEK	0x2		/* read without dequeuing */
#define	MSG_DONTROUTE	0x4		/* no routing: local net only */
#ifndef SVR4
#define	MSG_EOR		0x8		/* end of record (Reno) */
#define	MSG_TRUNC	0x10		/* datagram cut to fit (Reno) */
#define	MSG_CTRUNC	0x20		/* control data cut to fit (Reno) */
#define	MSG_WAITALL	0x40		/* block until all arrives (Reno) */
#define	MSG_DONTWAIT	0x80		/* this call does not block (4.4) */
#endif

#define	MSG_MAXIOVLEN	16		/* longest iovec array for sendmsg */

#ifdef SVR4
/*
 * SVR4's socket library talks to sockmod through these (SIOCSOCKSYS,
 * SIOCPROTO in <sys/sockio.h>).  SVR4's dev_t is 32 bits on i386,
 * written here as u_int32_t since <sys/types.h> carries 4.3's dev_t.
 */
struct socksysreq {
	int	args[7];		/* SO_* call number, then arguments */
};

struct socknewproto {
	int	family;			/* AF_* */
	int	type;			/* SOCK_* */
	int	proto;			/* protocol number */
	u_int32_t dev;			/* clone device to open */
	int	flags;			/* PR_* */
};

/* The option header of SVR4 transport options buffers. */
struct opthdr {
	long	level;			/* SOL_SOCKET or a protocol */
	long	name;			/* option name */
	long	len;			/* bytes of value that follow */
};

/* Call numbers in socksysreq.args[0]. */
#define	SO_ACCEPT	1
#define	SO_BIND		2
#define	SO_CONNECT	3
#define	SO_GETPEERNAME	4
#define	SO_GETSOCKNAME	5
#define	SO_GETSOCKOPT	6
#define	SO_LISTEN	7
#define	SO_RECV		8
#define	SO_RECVFROM	9
#define	SO_SEND		10
#define	SO_SENDTO	11
#define	SO_SETSOCKOPT	12
#define	SO_SHUTDOWN	13
#define	SO_SOCKET	14
#define	SO_SOCKPOLL	15
#define	SO_GETIPDOMAIN	16
#define	SO_SETIPDOMAIN	17
#define	SO_ADJTIME	18
#endif /* SVR4 */

#endif /* !_SYS_SOCKET_H_ */
