/*
 * netkern: error numbers, with the text perror(3) prints for each.
 *
 * Natively the numbers are 4.3BSD-Tahoe's <sys/errno.h>; under SVR4
 * they are SVR4.0's <sys/errno.h>.  The comment on each line is the
 * message of that system's C library (Tahoe lib/libc/gen/errlst.c 5.2;
 * SVR4 lib/libc/port/gen/errlist, where a number without a text prints
 * as "Error n").  The loader reads these comments back as sys_errlist,
 * so every line keeps the form
 *	#define<TAB>Ename<TAB>number<TAB><TAB>(comment holding the text)
 * and nothing else is conditional in this file.  Left out: SVR4's
 * EIORESID (500, Pyramid raw-disk AIO), which lies far past the table.
 */
#ifndef _SYS_ERRNO_H_
#define	_SYS_ERRNO_H_

#ifdef SVR4
#define	EPERM	1		/* Not owner */
#define	ENOENT	2		/* No such file or directory */
#define	ESRCH	3		/* No such process */
#define	EINTR	4		/* Interrupted system call */
#define	EIO	5		/* I/O error */
#define	ENXIO	6		/* No such device or address */
#define	E2BIG	7		/* Arg list too long */
#define	ENOEXEC	8		/* Exec format error */
#define	EBADF	9		/* Bad file number */
#define	ECHILD	10		/* No child processes */
#define	EAGAIN	11		/* No more processes */
#define	ENOMEM	12		/* Not enough space */
#define	EACCES	13		/* Permission denied */
#define	EFAULT	14		/* Bad address */
#define	ENOTBLK	15		/* Block device required */
#define	EBUSY	16		/* Device busy */
#define	EEXIST	17		/* File exists */
#define	EXDEV	18		/* Cross-device link */
#define	ENODEV	19		/* No such device */
#define	ENOTDIR	20		/* Not a directory */
#define	EISDIR	21		/* Is a directory */
#define	EINVAL	22		/* Invalid argument */
#define	ENFILE	23		/* File table overflow */
#define	EMFILE	24		/* Too many open files */
#define	ENOTTY	25		/* Not a typewriter */
#define	ETXTBSY	26		/* Text file busy */
#define	EFBIG	27		/* File too large */
#define	ENOSPC	28		/* No space left on device */
#define	ESPIPE	29		/* Illegal seek */
#define	EROFS	30		/* Read-only file system */
#define	EMLINK	31		/* Too many links */
#define	EPIPE	32		/* Broken pipe */
#define	EDOM	33		/* Argument out of domain */
#define	ERANGE	34		/* Result too large */
#define	ENOMSG	35		/* No message of desired type */
#define	EIDRM	36		/* Identifier removed */
#define	ECHRNG	37		/* Channel number out of range */
#define	EL2NSYNC	38		/* Level 2 not synchronized */
#define	EL3HLT	39		/* Level 3 halted */
#define	EL3RST	40		/* Level 3 reset */
#define	ELNRNG	41		/* Link number out of range */
#define	EUNATCH	42		/* Protocol driver not attached */
#define	ENOCSI	43		/* No CSI structure available */
#define	EL2HLT	44		/* Level 2 halted */
#define	EDEADLK	45		/* Deadlock situation detected/avoided */
#define	ENOLCK	46		/* No record locks available */

/* Convergent error returns */
#define	EBADE	50		/* Bad exchange descriptor */
#define	EBADR	51		/* Bad request descriptor */
#define	EXFULL	52		/* Message tables full */
#define	ENOANO	53		/* Anode table overflow */
#define	EBADRQC	54		/* Bad request code */
#define	EBADSLT	55		/* Invalid slot */
#define	EDEADLOCK	56		/* File locking deadlock */
#define	EBFONT	57		/* Bad font file format */

/* STREAMS */
#define	ENOSTR	60		/* Not a stream device */
#define	ENODATA	61		/* No data available */
#define	ETIME	62		/* Timer expired */
#define	ENOSR	63		/* Out of stream resources */
#define	ENONET	64		/* Machine is not on the network */
#define	ENOPKG	65		/* Package not installed */
#define	EREMOTE	66		/* Object is remote */
#define	ENOLINK	67		/* Link has been severed */
#define	EADV	68		/* Advertise error */
#define	ESRMNT	69		/* Srmount error */
#define	ECOMM	70		/* Communication error on send */
#define	EPROTO	71		/* Protocol error */
#define	EMULTIHOP	74		/* Multihop attempted */
#define	EBADMSG	77		/* Not a data message */
#define	ENAMETOOLONG	78		/* File name too long */
#define	EOVERFLOW	79		/* Value too large for defined data type */
#define	ENOTUNIQ	80		/* Name not unique on network */
#define	EBADFD	81		/* File descriptor in bad state */
#define	EREMCHG	82		/* Remote address changed */

/* shared libraries */
#define	ELIBACC	83		/* Can not access a needed shared library */
#define	ELIBBAD	84		/* Accessing a corrupted shared library */
#define	ELIBSCN	85		/* .lib section in a.out corrupted */
#define	ELIBMAX	86		/* Attempting to link in more shared libraries than system limit */
#define	ELIBEXEC	87		/* Can not exec a shared library directly */

/* 88, 91, 92: no text in errlist, so libc prints "Error n" */
#define	EILSEQ	88		/* Error 88 */
#define	ENOSYS	89		/* Operation not applicable */
#define	ELOOP	90		/* Number of symbolic links encountered during path name traversal exceeds MAXSYMLINKS */
#define	ERESTART	91		/* Error 91 */
#define	ESTRPIPE	92		/* Error 92 */
#define	ENOTEMPTY	93		/* Directory not empty */
#define	EUSERS	94		/* Too many users */

/* BSD networking software: argument errors */
#define	ENOTSOCK	95		/* Socket operation on non-socket */
#define	EDESTADDRREQ	96		/* Destination address required */
#define	EMSGSIZE	97		/* Message too long */
#define	EPROTOTYPE	98		/* Protocol wrong type for socket */
#define	ENOPROTOOPT	99		/* Option not supported by protocol */
#define	EPROTONOSUPPORT	120		/* Protocol not supported */
#define	ESOCKTNOSUPPORT	121		/* Socket type not supported */
#define	EOPNOTSUPP	122		/* Operation not supported on transport endpoint */
#define	EPFNOSUPPORT	123		/* Protocol family not supported */
#define	EAFNOSUPPORT	124		/* Address family not supported by protocol family */
#define	EADDRINUSE	125		/* Address already in use */
#define	EADDRNOTAVAIL	126		/* Cannot assign requested address */

/* BSD networking software: operational errors */
#define	ENETDOWN	127		/* Network is down */
#define	ENETUNREACH	128		/* Network is unreachable */
#define	ENETRESET	129		/* Network dropped connection because of reset */
#define	ECONNABORTED	130		/* Software caused connection abort */
#define	ECONNRESET	131		/* Connection reset by peer */
#define	ENOBUFS	132		/* No buffer space available */
#define	EISCONN	133		/* Transport endpoint is already connected */
#define	ENOTCONN	134		/* Transport endpoint is not connected */

/* XENIX numbers 135-142 */
#define	EUCLEAN	135		/* Structure needs cleaning */
#define	ENOTNAM	137		/* Not a name file */
#define	ENAVAIL	138		/* Not available */
#define	EISNAM	139		/* Is a name file */
#define	EREMOTEIO	140		/* Remote I/O error */
#define	EINIT	141		/* Reserved for future use */
#define	EREMDEV	142		/* Error 142 */

/* BSD networking software, continued */
#define	ESHUTDOWN	143		/* Cannot send after socket shutdown */
#define	ETOOMANYREFS	144		/* Too many references: cannot splice */
#define	ETIMEDOUT	145		/* Connection timed out */
#define	ECONNREFUSED	146		/* Connection refused */
#define	EHOSTDOWN	147		/* Host is down */
#define	EHOSTUNREACH	148		/* No route to host */

/* SVR4 makes EWOULDBLOCK another name for EAGAIN */
#define	EWOULDBLOCK	11		/* No more processes */
#define	EALREADY	149		/* Operation already in progress */
#define	EINPROGRESS	150		/* Operation now in progress */
#define	ESTALE	151		/* Stale NFS file handle */

#else /* 4.3BSD-Tahoe */
#define	EPERM	1		/* Not owner */
#define	ENOENT	2		/* No such file or directory */
#define	ESRCH	3		/* No such process */
#define	EINTR	4		/* Interrupted system call */
#define	EIO	5		/* I/O error */
#define	ENXIO	6		/* No such device or address */
#define	E2BIG	7		/* Arg list too long */
#define	ENOEXEC	8		/* Exec format error */
#define	EBADF	9		/* Bad file number */
#define	ECHILD	10		/* No children */
#define	EAGAIN	11		/* No more processes */
#define	ENOMEM	12		/* Not enough memory */
#define	EACCES	13		/* Permission denied */
#define	EFAULT	14		/* Bad address */
#define	ENOTBLK	15		/* Block device required */
#define	EBUSY	16		/* Device busy */
#define	EEXIST	17		/* File exists */
#define	EXDEV	18		/* Cross-device link */
#define	ENODEV	19		/* No such device */
#define	ENOTDIR	20		/* Not a directory */
#define	EISDIR	21		/* Is a directory */
#define	EINVAL	22		/* Invalid argument */
#define	ENFILE	23		/* File table overflow */
#define	EMFILE	24		/* Too many open files */
#define	ENOTTY	25		/* Inappropriate ioctl for device */
#define	ETXTBSY	26		/* Text file busy */
#define	EFBIG	27		/* File too large */
#define	ENOSPC	28		/* No space left on device */
#define	ESPIPE	29		/* Illegal seek */
#define	EROFS	30		/* Read-only file system */
#define	EMLINK	31		/* Too many links */
#define	EPIPE	32		/* Broken pipe */

/* math software */
#define	EDOM	33		/* Argument too large */
#define	ERANGE	34		/* Result too large */

/* non-blocking and interrupt i/o; 4.3 makes EDEADLK another name for EWOULDBLOCK */
#define	EWOULDBLOCK	35		/* Operation would block */
#define	EDEADLK	35		/* Operation would block */
#define	EINPROGRESS	36		/* Operation now in progress */
#define	EALREADY	37		/* Operation already in progress */

/* ipc/network software: argument errors */
#define	ENOTSOCK	38		/* Socket operation on non-socket */
#define	EDESTADDRREQ	39		/* Destination address required */
#define	EMSGSIZE	40		/* Message too long */
#define	EPROTOTYPE	41		/* Protocol wrong type for socket */
#define	ENOPROTOOPT	42		/* Option not supported by protocol */
#define	EPROTONOSUPPORT	43		/* Protocol not supported */
#define	ESOCKTNOSUPPORT	44		/* Socket type not supported */
#define	EOPNOTSUPP	45		/* Operation not supported on socket */
#define	EPFNOSUPPORT	46		/* Protocol family not supported */
#define	EAFNOSUPPORT	47		/* Address family not supported by protocol family */
#define	EADDRINUSE	48		/* Address already in use */
#define	EADDRNOTAVAIL	49		/* Can't assign requested address */

/* ipc/network software: operational errors */
#define	ENETDOWN	50		/* Network is down */
#define	ENETUNREACH	51		/* Network is unreachable */
#define	ENETRESET	52		/* Network dropped connection on reset */
#define	ECONNABORTED	53		/* Software caused connection abort */
#define	ECONNRESET	54		/* Connection reset by peer */
#define	ENOBUFS	55		/* No buffer space available */
#define	EISCONN	56		/* Socket is already connected */
#define	ENOTCONN	57		/* Socket is not connected */
#define	ESHUTDOWN	58		/* Can't send after socket shutdown */
#define	ETOOMANYREFS	59		/* Too many references: can't splice */
#define	ETIMEDOUT	60		/* Connection timed out */
#define	ECONNREFUSED	61		/* Connection refused */
#define	ELOOP	62		/* Too many levels of symbolic links */
#define	ENAMETOOLONG	63		/* File name too long */
#define	EHOSTDOWN	64		/* Host is down */
#define	EHOSTUNREACH	65		/* Host is unreachable */
#define	ENOTEMPTY	66		/* Directory not empty */

/* quotas and limits */
#define	EPROCLIM	67		/* Too many processes */
#define	EUSERS	68		/* Too many users */
#define	EDQUOT	69		/* Disc quota exceeded */

#endif /* SVR4 */

#endif /* !_SYS_ERRNO_H_ */
