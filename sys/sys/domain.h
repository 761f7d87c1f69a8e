/*
 * netkern: communication domains, 4.3BSD <sys/domain.h>.
 *
 * Each address family that has protocols (AF_UNIX, AF_INET) is a
 * domain with an array of protosw; the domains are chained on
 * `domains' and searched by pffindtype()/pffindproto().
 */
#ifndef _SYS_DOMAIN_H_
#define	_SYS_DOMAIN_H_

#include <sys/types.h>

struct	domain {
	int	dom_family;		/* AF_* */
	char	*dom_name;		/* "internet", "unix" */
	int	(*dom_init)();		/* at boot */
	int	(*dom_externalize)();	/* turn passed rights into descriptors */
	int	(*dom_dispose)();	/* drop rights never received */
	struct	protosw *dom_protosw, *dom_protoswNPROTOSW;	/* its protocols, [first, end) */
	struct	domain *dom_next;	/* chain of all domains */
};

#endif /* !_SYS_DOMAIN_H_ */
