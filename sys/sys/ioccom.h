/*
 * netkern: ioctl command encoding.
 *
 * A command word carries the direction of the argument copy, the
 * argument's size, a group letter and a number:
 *
 *	dir (3 bits) | size (13 bits native, 8 under SVR4) | group | number
 *
 * 4.3BSD-Tahoe <sys/ioctl.h> (SCCS 7.6) and 4.4BSD <sys/ioccom.h> use a
 * 13-bit size field; SVR4 <sys/ioccom.h> keeps "parameters under 256
 * bytes".  The kernel's ioctl() copies IOCPARM_LEN(cmd) bytes in when
 * IOC_IN is set and out when IOC_OUT is set (kern/sys_generic.py).
 */
#ifndef _SYS_IOCCOM_H_
#define	_SYS_IOCCOM_H_

#ifdef SVR4
#define	IOCPARM_MASK	0xff		/* parameters must be < 256 bytes */
#else
#define	IOCPARM_MASK	0x1fff		/* parameter length, at most 13 bits */
#endif
#define	IOCPARM_LEN(x)	(((x) >> 16) & IOCPARM_MASK)
#define	IOCBASECMD(x)	((x) & ~(IOCPARM_MASK << 16))
#define	IOCGROUP(x)	(((x) >> 8) & 0xff)
#define	IOCPARM_MAX	4096		/* NBPG: max size of ioctl argument */

#define	IOC_VOID	0x20000000	/* no parameters */
#define	IOC_OUT		0x40000000	/* copy out parameters */
#define	IOC_IN		0x80000000	/* copy in parameters */
#define	IOC_INOUT	(IOC_IN|IOC_OUT)
#define	IOC_DIRMASK	0xe0000000	/* mask for IN/OUT/VOID */

#define	_IOC(inout, group, num, len) \
	((inout) | (((len) & IOCPARM_MASK) << 16) | ((group) << 8) | (num))
#define	_IO(g, n)	_IOC(IOC_VOID, (g), (n), 0)
#define	_IOR(g, n, t)	_IOC(IOC_OUT, (g), (n), sizeof(t))
#define	_IOW(g, n, t)	_IOC(IOC_IN, (g), (n), sizeof(t))
#define	_IOWR(g, n, t)	_IOC(IOC_INOUT, (g), (n), sizeof(t))
#ifdef SVR4
/* SVR4 also encodes commands whose length is given explicitly. */
#define	_IORN(g, n, len)	_IOC(IOC_OUT, (g), (n), (len))
#define	_IOWN(g, n, len)	_IOC(IOC_IN, (g), (n), (len))
#endif

#endif /* !_SYS_IOCCOM_H_ */
