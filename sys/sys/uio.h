/*
 * netkern: scatter/gather i/o, 4.3BSD <sys/uio.h>.
 *
 * A uio describes a transfer between the kernel and a process:
 * uiomove() (kern/kern_subr.py) walks its iovecs.  UIO_MAXIOV is
 * 4.3BSD-Reno's bound on readv/writev/sendmsg arrays.
 */
#ifndef _SYS_UIO_H_
#define	_SYS_UIO_H_

#include <sys/types.h>

struct iovec {
	caddr_t	iov_base;		/* start of the segment */
	int	iov_len;		/* its length */
};

struct uio {
	struct	iovec *uio_iov;		/* the segments */
	int	uio_iovcnt;		/* how many remain */
	off_t	uio_offset;		/* file offset */
	int	uio_segflg;		/* UIO_USERSPACE, ... */
	int	uio_resid;		/* bytes remaining */
};

enum	uio_rw { UIO_READ, UIO_WRITE };

/* Where the segments lie (uio_segflg). */
#define	UIO_USERSPACE	0		/* from user data space */
#define	UIO_SYSSPACE	1		/* from system space */
#define	UIO_USERISPACE	2		/* from user instruction space */

#define	UIO_MAXIOV	1024		/* max 1K of iov's (Reno) */
#define	UIO_SMALLIOV	8		/* 8 on stack, else malloc (Reno) */

#endif /* !_SYS_UIO_H_ */
