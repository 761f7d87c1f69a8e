/*
 * netkern: per-family address operations, 4.3BSD-Tahoe <net/af.h>.
 *
 * The routing code is family-blind: afswitch[family] hashes an
 * address (host hash and net hash, for rthost[] and rtnet[]) and
 * decides whether two addresses are on one network.  AF_INET uses
 * inet_hash and inet_netmatch; most families get null ones
 * (ioctl reference, section 4.2).
 */
#ifndef _NET_AF_H_
#define	_NET_AF_H_

#include <sys/types.h>

struct afswitch {
	int	(*af_hash)();		/* (addr, struct afhash *) */
	int	(*af_netmatch)();	/* (addr1, addr2): same network? */
};

struct afhash {
	u_int	afh_hosthash;		/* whole address */
	u_int	afh_nethash;		/* network part */
};

#endif /* !_NET_AF_H_ */
