/*
 * netkern: STREAMS ioctls, SVR4.0 <sys/stropts.h>.
 *
 * SVR4's own ifconfig, route and arp do not call ioctl(s, SIOC...);
 * they send the SIOC command down /dev/ip or /dev/arp inside an I_STR
 * request, and the stream head copies ic_len bytes in and back out
 * (ioctl reference, section 2.3).  Only the SVR4 personality has this
 * file's contents.
 */
#ifndef _SYS_STROPTS_H_
#define	_SYS_STROPTS_H_

#ifdef SVR4
#include <sys/types.h>

/* The argument of I_STR. */
struct strioctl {
	int	ic_cmd;			/* the downstream command (SIOC*) */
	int	ic_timout;		/* seconds to wait; -1 forever, 0 default */
	int	ic_len;			/* bytes at ic_dp, in and out */
	char	*ic_dp;			/* the command's argument */
};

/* The buffers of getmsg/putmsg. */
struct strbuf {
	int	maxlen;			/* room at buf */
	int	len;			/* bytes used */
	char	*buf;
};

#define	INFTIM		-1		/* timeout meaning forever */

/* Stream ioctls: group 'S', not encoded with _IOW. */
#define	STR		('S'<<8)
#define	I_NREAD		(STR|01)
#define	I_PUSH		(STR|02)
#define	I_POP		(STR|03)
#define	I_LOOK		(STR|04)
#define	I_FLUSH		(STR|05)
#define	I_SRDOPT	(STR|06)
#define	I_GRDOPT	(STR|07)
#define	I_STR		(STR|010)	/* 0x5308: a command for the stream */
#define	I_SETSIG	(STR|011)
#define	I_GETSIG	(STR|012)
#define	I_FIND		(STR|013)
#define	I_LINK		(STR|014)
#define	I_UNLINK	(STR|015)
#define	I_RECVFD	(STR|016)	/* the user-level number */
#define	I_PEEK		(STR|017)
#define	I_FDINSERT	(STR|020)
#define	I_SENDFD	(STR|021)
#define	I_SWROPT	(STR|023)
#define	I_GWROPT	(STR|024)
#define	I_LIST		(STR|025)
#define	I_PLINK		(STR|026)
#define	I_PUNLINK	(STR|027)
#define	I_FLUSHBAND	(STR|034)
#define	I_CKBAND	(STR|035)
#define	I_GETBAND	(STR|036)
#define	I_ATMARK	(STR|037)
#define	I_SETCLTIME	(STR|040)
#define	I_GETCLTIME	(STR|041)
#define	I_CANPUT	(STR|042)

/* I_FLUSH */
#define	FLUSHR		0x01		/* the read side */
#define	FLUSHW		0x02		/* the write side */
#define	FLUSHRW		0x03		/* both */
#define	FLUSHBAND	0x04		/* one band only */

/* I_SETSIG events (libsocket uses these for SIGIO and SIGURG) */
#define	S_INPUT		0x0001		/* a message other than high priority */
#define	S_HIPRI		0x0002		/* a high-priority message */
#define	S_OUTPUT	0x0004		/* the write queue has room */
#define	S_MSG		0x0008		/* a signal message arrived */
#define	S_ERROR		0x0010		/* an M_ERROR arrived */
#define	S_HANGUP	0x0020		/* an M_HANGUP arrived */
#define	S_RDNORM	0x0040		/* a normal message to read */
#define	S_WRNORM	S_OUTPUT
#define	S_RDBAND	0x0080		/* a banded message to read */
#define	S_WRBAND	0x0100		/* a band can be written */
#define	S_BANDURG	0x0200		/* with S_RDBAND: SIGURG, not SIGPOLL */

/* getmsg/putmsg flags and results */
#define	RS_HIPRI	0x01		/* high-priority message */
#define	MSG_HIPRI	0x01		/* getpmsg/putpmsg: high priority */
#define	MSG_ANY		0x02		/* getpmsg: any message */
#define	MSG_BAND	0x04		/* getpmsg: the given band */
#define	MORECTL		1		/* control part not all returned */
#define	MOREDATA	2		/* data part not all returned */

#define	MUXID_ALL	(-1)		/* I_PUNLINK: every link */

/* I_ATMARK */
#define	ANYMARK		0x01
#define	LASTMARK	0x02
#endif /* SVR4 */

#endif /* !_SYS_STROPTS_H_ */
