/*
 * netkern: the kernel message buffer, 4.3BSD <sys/msgbuf.h>.
 *
 * printf() and log() in the kernel write into a ring of MSG_BSIZE
 * bytes at msg_bufx; dmesg(8) reads it from kernel memory starting at
 * msg_bufx (the oldest byte) and checks msg_magic first.  The buffer
 * fills the rest of one 4096-byte page: 4096 - 3 * sizeof(long) =
 * 4072 on LP64, written as a number because it sizes an array.
 */
#ifndef _SYS_MSGBUF_H_
#define	_SYS_MSGBUF_H_

#define	MSG_MAGIC	0x063061
#define	MSG_BSIZE	4072		/* 4096 - 3 * sizeof(long) */

struct	msgbuf {
	long	msg_magic;		/* MSG_MAGIC once initialised */
	long	msg_bufx;		/* where the next byte goes */
	long	msg_bufr;		/* where /dev/klog reads next */
	char	msg_bufc[MSG_BSIZE];	/* the ring */
};

#endif /* !_SYS_MSGBUF_H_ */
