/*
 * netkern: file status flags and fcntl(2) requests.
 *
 * 4.3BSD-Tahoe shares these between <fcntl.h> and <sys/file.h>; the
 * F* flag bits live in the file's f_flag.  O_NONBLOCK and FNONBLOCK
 * are the POSIX names 4.3BSD-Reno gave the FNDELAY bit, so the
 * three mean one thing here.  SVR4's own fcntl numbering is not
 * emulated: the SVR4 personality only changes the ioctl ABI.
 */
#ifndef _SYS_FCNTL_H_
#define	_SYS_FCNTL_H_

/* fcntl(2) requests */
#define	F_DUPFD		0		/* copy the descriptor */
#define	F_GETFD		1		/* close-on-exec flag */
#define	F_SETFD		2
#define	F_GETFL		3		/* file status flags */
#define	F_SETFL		4
#define	F_GETOWN	5		/* SIGIO/SIGURG recipient */
#define	F_SETOWN	6

/* f_flag bits a process may see or set */
#define	FNDELAY		00004		/* do not block */
#define	FAPPEND		00010		/* writes go to the end */
#define	FASYNC		00100		/* SIGIO when i/o is possible */
#define	FNONBLOCK	FNDELAY		/* POSIX name (Reno) */

/* open(2) modes */
#define	FCREAT		01000		/* create if absent */
#define	FTRUNC		02000		/* truncate to length 0 */
#define	FEXCL		04000		/* fail if it exists */

#define	O_RDONLY	000
#define	O_WRONLY	001
#define	O_RDWR		002
#define	O_NDELAY	FNDELAY
#define	O_NONBLOCK	FNDELAY		/* POSIX name (Reno) */
#define	O_APPEND	FAPPEND
#define	O_CREAT		FCREAT
#define	O_TRUNC		FTRUNC
#define	O_EXCL		FEXCL

#endif /* !_SYS_FCNTL_H_ */
