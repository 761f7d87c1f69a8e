/*
 * netkern: socket, routing and interface ioctls.
 *
 * Natively the 4.3BSD-Tahoe numbering (<sys/ioctl.h> 7.6); under SVR4
 * the numbering of SVR4.0 <sys/sockio.h>, which follows SunOS and gives
 * numbers 18-28 to other commands (ioctl reference, section 2.2, and
 * seed 002, "The Control Desk: ifreq and ifconf").  The kernel speaks
 * the native numbers; kern/compat/svr4 translates an SVR4 caller's.
 *
 * Groups: 's' socket, 'r' routing (rtioctl), 'i' interface (ifioctl).
 * The argument sizes come from the structures, so SIOCGIFCONF and the
 * route commands differ from their ILP32 values on this LP64 host.
 */
#ifndef _SYS_SOCKIO_H_
#define	_SYS_SOCKIO_H_

#include <sys/ioccom.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>

/* Socket commands, the same in both systems. */
#define	SIOCSHIWAT	_IOW('s',  0, int)	/* 4.3: defined, not implemented */
#define	SIOCGHIWAT	_IOR('s',  1, int)	/* 4.3: defined, not implemented */
#define	SIOCSLOWAT	_IOW('s',  2, int)	/* 4.3: defined, not implemented */
#define	SIOCGLOWAT	_IOR('s',  3, int)	/* 4.3: defined, not implemented */
#define	SIOCATMARK	_IOR('s',  7, int)	/* 1 if SS_RCVATMARK */
#define	SIOCSPGRP	_IOW('s',  8, int)	/* so_pgrp = arg */
#define	SIOCGPGRP	_IOR('s',  9, int)	/* arg = so_pgrp */

/* Routing table, the same in both systems. */
#define	SIOCADDRT	_IOW('r', 10, struct rtentry)	/* rtioctl: add a route */
#define	SIOCDELRT	_IOW('r', 11, struct rtentry)	/* rtioctl: delete a route */

/* Interface commands 12-17 and 20, the same in both systems. */
#define	SIOCSIFADDR	_IOW('i', 12, struct ifreq)	/* in_control: address */
#define	SIOCGIFADDR	_IOWR('i', 13, struct ifreq)	/* in_control: address */
#define	SIOCSIFDSTADDR	_IOW('i', 14, struct ifreq)	/* in_control: point-to-point peer */
#define	SIOCGIFDSTADDR	_IOWR('i', 15, struct ifreq)	/* in_control: point-to-point peer */
#define	SIOCSIFFLAGS	_IOW('i', 16, struct ifreq)	/* ifioctl: if_flags */
#define	SIOCGIFFLAGS	_IOWR('i', 17, struct ifreq)	/* ifioctl: if_flags */
#define	SIOCGIFCONF	_IOWR('i', 20, struct ifconf)	/* ifconf(): one ifreq per address */

#ifdef SVR4
/* SVR4.0: 18, 19, 21 and 22 are new commands; 23-28 hold 4.3's 18-24. */
#define	SIOCSIFMEM	_IOW('i', 18, struct ifreq)	/* driver memory */
#define	SIOCGIFMEM	_IOWR('i', 19, struct ifreq)	/* driver memory */
#define	SIOCSIFMTU	_IOW('i', 21, struct ifreq)	/* MTU, passed in ifr_metric */
#define	SIOCGIFMTU	_IOWR('i', 22, struct ifreq)	/* MTU, returned in ifr_metric */
#define	SIOCGIFBRDADDR	_IOWR('i', 23, struct ifreq)	/* in_control: broadcast address */
#define	SIOCSIFBRDADDR	_IOW('i', 24, struct ifreq)	/* in_control: broadcast address */
#define	SIOCGIFNETMASK	_IOWR('i', 25, struct ifreq)	/* in_control: subnet mask */
#define	SIOCSIFNETMASK	_IOW('i', 26, struct ifreq)	/* in_control: subnet mask */
#define	SIOCGIFMETRIC	_IOWR('i', 27, struct ifreq)	/* ifioctl: if_metric */
#define	SIOCSIFMETRIC	_IOW('i', 28, struct ifreq)	/* ifioctl: if_metric */
#else
/* 4.3BSD-Tahoe. */
#define	SIOCGIFBRDADDR	_IOWR('i', 18, struct ifreq)	/* in_control: broadcast address */
#define	SIOCSIFBRDADDR	_IOW('i', 19, struct ifreq)	/* in_control: broadcast address */
#define	SIOCGIFNETMASK	_IOWR('i', 21, struct ifreq)	/* in_control: subnet mask */
#define	SIOCSIFNETMASK	_IOW('i', 22, struct ifreq)	/* in_control: subnet mask */
#define	SIOCGIFMETRIC	_IOWR('i', 23, struct ifreq)	/* ifioctl: if_metric */
#define	SIOCSIFMETRIC	_IOW('i', 24, struct ifreq)	/* ifioctl: if_metric */
#endif

/* ARP table, the same in both systems. */
#define	SIOCSARP	_IOW('i', 30, struct arpreq)	/* arpioctl: add or change */
#define	SIOCGARP	_IOWR('i', 31, struct arpreq)	/* arpioctl: look up */
#define	SIOCDARP	_IOW('i', 32, struct arpreq)	/* arpioctl: remove */

#ifdef SVR4
/*
 * SVR4.0 only.  The argument is a struct ifreq unless noted.  SIOCSNIT
 * and SIOCGNIT ('p' 0 and 1) are left out: their struct nit_ioc is not
 * defined anywhere in the SVR4.0 tree.
 */
#define	SIOCUPPER	_IOW('i', 40, struct ifreq)	/* link an upper ifnet */
#define	SIOCLOWER	_IOW('i', 41, struct ifreq)	/* link a lower ifnet */
#define	SIOCSETSYNC	_IOW('i', 44, struct ifreq)	/* synchronous line mode */
#define	SIOCGETSYNC	_IOWR('i', 45, struct ifreq)	/* synchronous line mode */
#define	SIOCSSDSTATS	_IOWR('i', 46, struct ifreq)	/* synchronous line data counts */
#define	SIOCSSESTATS	_IOWR('i', 47, struct ifreq)	/* synchronous line error counts */
#define	SIOCSPROMISC	_IOW('i', 48, int)		/* int: promiscuous receive */
#define	SIOCADDMULTI	_IOW('i', 49, struct ifreq)	/* join a link multicast address */
#define	SIOCDELMULTI	_IOW('i', 50, struct ifreq)	/* leave it */

/* The STREAMS socket emulation (sockmod, libsocket). */
#define	SIOCPROTO	_IOW('s', 51, struct socknewproto)	/* add to sockmod's protocol table */
#define	SIOCGETNAME	_IOR('s', 52, struct sockaddr)	/* getsockname */
#define	SIOCGETPEER	_IOR('s', 53, struct sockaddr)	/* getpeername */
#define	IF_UNITSEL	_IOW('s', 54, int)		/* int: unit number for the driver */
#define	SIOCXPROTO	_IO('s', 55)			/* clear sockmod's protocol table */

#define	SIOCIFDETACH	_IOW('i', 56, struct ifreq)	/* drop the provider's routes */
#define	SIOCGENPSTATS	_IOWR('i', 57, struct ifreq)	/* ENP board counters */
#define	SIOCX25XMT	_IOWR('i', 59, struct ifreq)	/* X.25 transmit process */
#define	SIOCX25RCV	_IOWR('i', 60, struct ifreq)	/* X.25 receive process */
#define	SIOCX25TBL	_IOWR('i', 61, struct ifreq)	/* X.25 LUN table */
#define	SIOCSLGETREQ	_IOWR('i', 71, struct ifreq)	/* switched SLIP: next dial request */
#define	SIOCSLSTAT	_IOW('i', 72, struct ifreq)	/* switched SLIP: line state */
#define	SIOCSIFNAME	_IOW('i', 73, struct ifreq)	/* name a provider (ifr_metric = mux id) */
#define	SIOCGENADDR	_IOWR('i', 85, struct ifreq)	/* get Ethernet address (ifr_enaddr) */
#define	SIOCSOCKSYS	_IOW('i', 86, struct socksysreq)	/* libsocket's system call gate */
#endif /* SVR4 */

#endif /* !_SYS_SOCKIO_H_ */
