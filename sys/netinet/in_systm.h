/*
 * netkern: network-order integer types, 4.3BSD <netinet/in_systm.h>.
 *
 * The n_ types mark values kept in network byte order.  4.3 made
 * n_long and n_time u_long, which is 32 bits only on ILP32; here they
 * are u_int32_t (as in NetBSD) so that the wire structures of ip.h and
 * ip_icmp.h keep their sizes.
 */
#ifndef _NETINET_IN_SYSTM_H_
#define	_NETINET_IN_SYSTM_H_

#include <sys/types.h>

typedef	u_short	n_short;		/* short as received from the net */
typedef	u_int32_t n_long;		/* long as received from the net */
typedef	u_int32_t n_time;		/* ms since 00:00 UTC, byte-swapped */

#endif /* !_NETINET_IN_SYSTM_H_ */
