/*
 * netkern: the kernel's socket and socket buffer.
 *
 * 4.3BSD-Tahoe <sys/socketvar.h> (SCCS 7.4): the socket holds the
 * protocol handle, the accept queues and two sockbufs whose byte counts
 * are u_long (Tahoe 7.2).  Changes, for the NetBSD receive path of
 * seed 004 and the SIGIO delivery of FIOASYNC:
 *  - so_pgrp is a pid_t (an int) rather than a short;
 *  - SB_ASYNC, SB_NOTIFY and SB_NOINTR and SS_ISCONFIRMING are
 *    4.3BSD-Reno's, and SB_COLL takes Reno's value 0x20 (Tahoe: 0x10).
 */
#ifndef _SYS_SOCKETVAR_H_
#define	_SYS_SOCKETVAR_H_

#include <sys/param.h>

struct socket {
	short	so_type;		/* SOCK_* */
	short	so_options;		/* SO_* flags */
	short	so_linger;		/* SO_LINGER seconds */
	short	so_state;		/* SS_* below */
	caddr_t	so_pcb;			/* the protocol's pcb */
	struct	protosw *so_proto;	/* the protocol */
/*
 * Connection queueing: a listening socket keeps half-made connections
 * on so_q0 and complete ones on so_q; each queued socket points back
 * with so_head.
 */
	struct	socket *so_head;	/* listener this one is queued on */
	struct	socket *so_q0;		/* half-made connections */
	struct	socket *so_q;		/* connections ready for accept */
	short	so_q0len;		/* length of so_q0 */
	short	so_qlen;		/* length of so_q */
	short	so_qlimit;		/* listen() backlog */
	short	so_timeo;		/* connect timeout */
	u_short	so_error;		/* pending error for the user */
	pid_t	so_pgrp;		/* pgrp (< 0) or pid for SIGIO/SIGURG */
	u_long	so_oobmark;		/* bytes before the urgent mark */
/*
 * Socket buffers: sb_cc counts the bytes queued (for a datagram socket
 * including each sender's sockaddr, as sbappendaddr charges it).
 */
	struct	sockbuf {
		u_long	sb_cc;		/* bytes queued */
		u_long	sb_hiwat;	/* limit on sb_cc */
		u_long	sb_mbcnt;	/* mbuf memory held, bytes */
		u_long	sb_mbmax;	/* limit on sb_mbcnt */
		u_long	sb_lowat;	/* wake readers/writers at this much */
		struct	mbuf *sb_mb;	/* queued records */
		struct	proc *sb_sel;	/* a process in select() on it */
		short	sb_timeo;	/* SO_RCVTIMEO/SO_SNDTIMEO, ticks */
		short	sb_flags;	/* SB_* below */
	} so_rcv, so_snd;
};

#define	SB_MAX		(64*1024)	/* largest sb_hiwat allowed */
#define	SB_LOCK		0x01		/* a process owns the buffer */
#define	SB_WANT		0x02		/* and another waits for it */
#define	SB_WAIT		0x04		/* a process sleeps for data or room */
#define	SB_SEL		0x08		/* a process selects on it */
#define	SB_ASYNC	0x10		/* send SIGIO on change (Reno) */
#define	SB_NOTIFY	(SB_WAIT|SB_SEL|SB_ASYNC)	/* anything for sowakeup() (Reno) */
#define	SB_COLL		0x20		/* two processes select on it */
#define	SB_NOINTR	0x40		/* signals do not break sleeps (Reno) */

/* Socket state bits (so_state). */
#define	SS_NOFDREF		0x001	/* no descriptor refers to it */
#define	SS_ISCONNECTED		0x002	/* connected */
#define	SS_ISCONNECTING		0x004	/* connecting */
#define	SS_ISDISCONNECTING	0x008	/* disconnecting */
#define	SS_CANTSENDMORE		0x010	/* shut down for sending */
#define	SS_CANTRCVMORE		0x020	/* shut down for receiving */
#define	SS_RCVATMARK		0x040	/* read pointer is at the urgent mark */
#define	SS_PRIV			0x080	/* opened by the super-user */
#define	SS_NBIO			0x100	/* FIONBIO: do not block */
#define	SS_ASYNC		0x200	/* FIOASYNC: SIGIO wanted */
#define	SS_ISCONFIRMING		0x400	/* accept decision pending (Reno) */

/* Space left in a sockbuf, by bytes and by mbuf memory, whichever is less. */
#define	sbspace(sb) \
    (MIN((long)((sb)->sb_hiwat - (sb)->sb_cc), \
	 (long)((sb)->sb_mbmax - (sb)->sb_mbcnt)))

/* Must a send go down in one piece? */
#define	sosendallatonce(so) \
    ((so)->so_proto->pr_flags & PR_ATOMIC)

#endif /* !_SYS_SOCKETVAR_H_ */
