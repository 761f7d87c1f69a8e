/*
 * netkern: Internet interface addresses, 4.3BSD-Tahoe <netinet/in_var.h>
 * (SCCS 7.3; SVR4.0's is the same).
 *
 * One in_ifaddr per address, on the `in_ifaddr' list and on its
 * interface's if_addrlist (it begins with the struct ifaddr).  The
 * network, classful mask and subnet values are host-order integers;
 * ia_netbroadcast is in network order.  LP64: 96 bytes.
 */
#ifndef _NETINET_IN_VAR_H_
#define	_NETINET_IN_VAR_H_

#include <sys/types.h>
#include <net/if.h>
#include <netinet/in.h>

struct in_ifaddr {
	struct	ifaddr ia_ifa;		/* the generic address */
	u_long	ia_net;			/* classful network number */
	u_long	ia_netmask;		/* its classful mask */
	u_long	ia_subnet;		/* subnet number */
	u_long	ia_subnetmask;		/* subnet mask (SIOCSIFNETMASK) */
	struct	in_addr ia_netbroadcast; /* the classful net's broadcast */
	int	ia_flags;		/* IFA_* */
	struct	in_ifaddr *ia_next;	/* the in_ifaddr list */
};
#define	ia_addr		ia_ifa.ifa_addr
#define	ia_broadaddr	ia_ifa.ifa_broadaddr
#define	ia_dstaddr	ia_ifa.ifa_dstaddr
#define	ia_ifp		ia_ifa.ifa_ifp

#define	IFA_ROUTE	0x01		/* the interface route is installed */

#endif /* !_NETINET_IN_VAR_H_ */
