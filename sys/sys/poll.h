/*
 * netkern: poll(2), as NetBSD and SVR4 <sys/poll.h> define it.
 *
 * 4.3BSD had only select; poll came from System V's streams and was
 * taken into NetBSD with the same structure and bit values, which both
 * personalities therefore share.  netkern's poll is built on select's
 * machinery (kern/sys_generic.py).
 */
#ifndef _SYS_POLL_H_
#define	_SYS_POLL_H_

struct pollfd {
	int	fd;		/* descriptor to look at */
	short	events;		/* what to look for */
	short	revents;	/* what was found */
};

#define	POLLIN		0x0001	/* readable */
#define	POLLPRI		0x0002	/* urgent data readable */
#define	POLLOUT		0x0004	/* writable */
#define	POLLRDNORM	0x0040	/* ordinary data readable */
#define	POLLWRNORM	POLLOUT	/* ordinary data writable */
#define	POLLRDBAND	0x0080	/* out-of-band data readable */
#define	POLLWRBAND	0x0100	/* out-of-band data writable */
#define	POLLNORM	POLLRDNORM

/* returned only */
#define	POLLERR		0x0008	/* an error is pending */
#define	POLLHUP		0x0010	/* hung up */
#define	POLLNVAL	0x0020	/* not an open descriptor */

#define	INFTIM		(-1)	/* no time limit */

#endif /* !_SYS_POLL_H_ */
