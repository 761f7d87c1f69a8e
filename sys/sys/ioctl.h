/*
 * netkern: ioctl commands.
 *
 * 4.3BSD-Tahoe <sys/ioctl.h> (SCCS 7.6) held the encoding, the file
 * commands and the socket commands in one file; here they are split as
 * 4.4BSD split them, and this file gathers them again.  Terminal ioctls
 * are left out: netkern has no ttys.
 */
#ifndef _SYS_IOCTL_H_
#define	_SYS_IOCTL_H_

#include <sys/ioccom.h>
#include <sys/filio.h>
#include <sys/sockio.h>

#endif /* !_SYS_IOCTL_H_ */
