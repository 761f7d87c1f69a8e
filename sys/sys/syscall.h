/*
 * netkern: system call numbers.
 *
 * 4.3BSD-Tahoe <sys/syscall.h> numbers the system calls; the kernel's
 * table (kern/init_sysent.py) and the kernel server's protocol
 * (kernd(8)) use these numbers.  Only the calls a network kernel serves
 * are listed.  Two numbers that 4.3 marks as old, 23 and 25, carry
 * setuid and geteuid here as they do again in 4.4BSD (4.3 reached them
 * through setreuid and the second value of getuid).  4.3 had no poll;
 * it takes NetBSD's number, above 4.3's table.
 */
#ifndef _SYS_SYSCALL_H_
#define	_SYS_SYSCALL_H_

#define	SYS_read	3
#define	SYS_write	4
#define	SYS_close	6
#define	SYS_getpid	20
#define	SYS_setuid	23		/* 4.4BSD's number */
#define	SYS_getuid	24
#define	SYS_geteuid	25		/* 4.4BSD's number */
#define	SYS_dup		41
#define	SYS_getgid	47
#define	SYS_ioctl	54
#define	SYS_getpgrp	81
#define	SYS_getdtablesize 89
#define	SYS_dup2	90
#define	SYS_fcntl	92
#define	SYS_select	93
#define	SYS_socket	97
#define	SYS_connect	98
#define	SYS_accept	99
#define	SYS_send	101
#define	SYS_recv	102
#define	SYS_bind	104
#define	SYS_setsockopt	105
#define	SYS_listen	106
#define	SYS_recvmsg	113
#define	SYS_sendmsg	114
#define	SYS_gettimeofday 116
#define	SYS_getsockopt	118
#define	SYS_readv	120
#define	SYS_writev	121
#define	SYS_recvfrom	125
#define	SYS_setreuid	126
#define	SYS_sendto	133
#define	SYS_shutdown	134
#define	SYS_socketpair	135
#define	SYS_getpeername	141
#define	SYS_getsockname	150
#define	SYS_poll	209		/* NetBSD's number */

#endif /* !_SYS_SYSCALL_H_ */
