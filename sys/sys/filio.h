/*
 * netkern: generic file ioctls (group 'f').
 *
 * 4.3BSD-Tahoe kept these in <sys/ioctl.h>; 4.4BSD and SVR4 moved them
 * to <sys/filio.h>.  The numbers are the same in all three (ioctl
 * reference, section 2.2).  ioctl() itself handles FIOCLEX/FIONCLEX,
 * sets FNDELAY/FASYNC in f_flag for FIONBIO/FIOASYNC, and reads or
 * writes so_pgrp for FIOGETOWN/FIOSETOWN (kern/sys_generic.py).
 */
#ifndef _SYS_FILIO_H_
#define	_SYS_FILIO_H_

#include <sys/ioccom.h>

#define	FIOCLEX		_IO('f', 1)		/* set close-on-exec */
#define	FIONCLEX	_IO('f', 2)		/* clear close-on-exec */
#define	FIONREAD	_IOR('f', 127, int)	/* bytes waiting to be read */
#define	FIONBIO		_IOW('f', 126, int)	/* non-blocking i/o on/off */
#define	FIOASYNC	_IOW('f', 125, int)	/* SIGIO on i/o on/off */
#define	FIOSETOWN	_IOW('f', 124, int)	/* set owner (pgrp) */
#define	FIOGETOWN	_IOR('f', 123, int)	/* get owner */

#endif /* !_SYS_FILIO_H_ */
