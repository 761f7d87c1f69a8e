/*
 * netkern: system parameters.
 *
 * The parts of a 4.3BSD-Tahoe <sys/param.h> (with its <machine/param.h>)
 * that the network kernel uses: page and cluster sizes, the clock rate,
 * sleep priorities and name limits.  The mbuf sizes follow
 * 4.3BSD-Reno's <machine/param.h>, where they moved when the mbuf grew
 * packet headers (see <sys/mbuf.h>).
 */
#ifndef _SYS_PARAM_H_
#define	_SYS_PARAM_H_

#include <sys/types.h>

#define	BSD	43		/* 4.3BSD-Tahoe, with Reno's mbufs */
#define	BSD4_3	1

#define	NOFILE	64		/* descriptors per process */
#define	NGROUPS	16		/* groups per process */
#define	MAXPATHLEN	1024	/* longest path name, with its NUL */
#define	MAXHOSTNAMELEN	64	/* longest host name */

/*
 * Memory: one "page" is the host's 4096 bytes (the VAX had 512, the
 * Tahoe 1024); a cluster is one page.  IOCPARM_MAX in <sys/ioccom.h>
 * is NBPG, as in Tahoe.
 */
#define	NBPG	4096		/* bytes per page */
#define	PGOFSET	(NBPG-1)	/* byte offset into page */
#define	PGSHIFT	12		/* log2(NBPG) */
#define	CLSIZE	1		/* pages per cluster */
#define	CLSIZELOG2	0
#define	CLBYTES	(CLSIZE*NBPG)
#define	CLOFSET	(CLSIZE*NBPG-1)	/* for clusters, like PGOFSET */
#define	CLSHIFT	(PGSHIFT+CLSIZELOG2)

/*
 * Mbufs and mbuf clusters.  MSIZE is 128 as on every 4.3/Reno port;
 * clusters are 2048 bytes (MCLSHIFT 11, as on Reno's hp300 and in
 * NetBSD) rather than the VAX's 1024, so that a whole Ethernet frame
 * fits in one cluster.
 */
#define	MSIZE	128		/* size of an mbuf */
#define	MCLSHIFT	11
#define	MCLBYTES	(1 << MCLSHIFT)	/* size of an mbuf cluster */
#define	MCLOFSET	(MCLBYTES - 1)
#ifndef NMBCLUSTERS
#ifdef GATEWAY
#define	NMBCLUSTERS	512	/* map size, max cluster allocation */
#else
#define	NMBCLUSTERS	256
#endif
#endif

/*
 * The clock: hz ticks a second.  An option HZ=n overrides it.
 */
#ifndef HZ
#define	HZ	100
#endif

/*
 * Sleep priorities (4.3): at or below PZERO a sleep cannot be broken
 * by a signal.  PCATCH (Reno) asks tsleep() to return EINTR instead.
 */
#define	PSWP	0
#define	PINOD	10
#define	PRIBIO	20
#define	PRIUBA	24
#define	PZERO	25
#define	PPIPE	26
#define	PWAIT	30
#define	PLOCK	35
#define	PSLEP	40
#define	PUSER	50
#define	PRIMASK	0x0ff
#define	PCATCH	0x100		/* OR'd with pri for tsleep to check signals */

#define	MIN(a,b)	(((a)<(b))?(a):(b))
#define	MAX(a,b)	(((a)>(b))?(a):(b))
#define	roundup(x, y)	((((x)+((y)-1))/(y))*(y))

#endif /* !_SYS_PARAM_H_ */
