/*
 * netkern: network software interrupts, 4.3BSD-Tahoe <net/netisr.h>.
 *
 * A driver queues a packet on its protocol's input queue and calls
 * schednetisr(NETISR_x), which sets bit x of `netisr'; the kernel's
 * event loop then runs ipintr() (or arpintr()) the way the VAX's
 * software interrupt did (seed 004: ether_input -> ipintrq -> ipintr).
 * NETISR_ARP is NetBSD's (sys/net/netisr.h); 4.3 called arpinput()
 * straight from the driver.
 */
#ifndef _NET_NETISR_H_
#define	_NET_NETISR_H_

#define	NETISR_RAW	0		/* AF_UNSPEC's number */
#define	NETISR_IP	2		/* AF_INET's number */
#define	NETISR_IMP	3		/* AF_IMPLINK's number */
#define	NETISR_NS	6		/* AF_NS's number */
#define	NETISR_ARP	18		/* NetBSD: ARP input (arpintrq) */

#endif /* !_NET_NETISR_H_ */
