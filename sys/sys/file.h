/*
 * netkern: the open file table, 4.3BSD-Tahoe <sys/file.h>.
 *
 * A descriptor points at a struct file; for a socket f_type is
 * DTYPE_SOCKET, f_data is the struct socket, and f_ops is socketops
 * (soo_rw, soo_ioctl, soo_select, soo_close in kern/sys_socket.py).
 */
#ifndef _SYS_FILE_H_
#define	_SYS_FILE_H_

#include <sys/types.h>
#include <sys/fcntl.h>

struct	file {
	int	f_flag;			/* F* bits below and in fcntl.h */
	short	f_type;			/* DTYPE_* */
	short	f_count;		/* descriptors that refer to it */
	short	f_msgcount;		/* copies in flight as passed rights */
	struct	fileops {
		int	(*fo_rw)();
		int	(*fo_ioctl)();
		int	(*fo_select)();
		int	(*fo_close)();
	} *f_ops;
	caddr_t	f_data;			/* the inode or socket */
	off_t	f_offset;		/* read/write position */
};

#define	FOPEN		(-1)
#define	FREAD		00001		/* open for reading */
#define	FWRITE		00002		/* open for writing */
#define	FMARK		00020		/* unp_gc: reachable */
#define	FDEFER		00040		/* unp_gc: look again */
#define	FSHLOCK		00200		/* flock() shared lock held */
#define	FEXLOCK		00400		/* flock() exclusive lock held */

/* bits kept after open, and bits fcntl(F_SETFL) may not change */
#define	FMASK		00113
#define	FCNTLCANT	(FREAD|FWRITE|FMARK|FDEFER|FSHLOCK|FEXLOCK)

/* access(2) */
#define	F_OK		0
#define	X_OK		1
#define	W_OK		2
#define	R_OK		4

/* lseek(2) whence */
#define	L_SET		0
#define	L_INCR		1
#define	L_XTND		2

/* f_type */
#define	DTYPE_INODE	1		/* a file */
#define	DTYPE_SOCKET	2		/* a socket */

#endif /* !_SYS_FILE_H_ */
