/*
 * netkern: memory buffers.
 *
 * The 4.3BSD-Reno mbuf (<sys/mbuf.h>, 1990), not Tahoe's: the packet
 * path of seed 004 (ether_input -> ipintrq -> ip_input -> udp_input)
 * queues packets through m_nextpkt, keeps the receiving interface and
 * total length in a packet header, and hangs large data in external
 * clusters, none of which the Tahoe mbuf (m_off, m_act, fixed data
 * area) has.  Everything else in the kernel stays Tahoe's.
 *
 * Sizes on this LP64 host: struct m_hdr is 40 bytes and struct pkthdr
 * 16, so MLEN = 128 - 40 = 88 and MHLEN = 88 - 16 = 72.  They are
 * written as numbers because the array sizes below must be literals;
 * tests/test_headers_gcc.py checks them against the structures.
 */
#ifndef _SYS_MBUF_H_
#define	_SYS_MBUF_H_

#include <sys/param.h>

#define	MLEN		88		/* MSIZE - sizeof(struct m_hdr) */
#define	MHLEN		72		/* MLEN - sizeof(struct pkthdr) */
#define	MINCLSIZE	(MHLEN + MLEN)	/* from this size on, use a cluster */
#define	M_MAXCOMPRESS	(MHLEN / 2)	/* copy at most this much to compact */

/* Header at the start of every mbuf. */
struct m_hdr {
	struct	mbuf *mh_next;		/* next mbuf of this packet */
	struct	mbuf *mh_nextpkt;	/* first mbuf of the next packet */
	int	mh_len;			/* bytes of data here */
	caddr_t	mh_data;		/* where they start */
	short	mh_type;		/* MT_* */
	short	mh_flags;		/* M_* */
};

/* Packet header, in the first mbuf of a chain when M_PKTHDR is set. */
struct	pkthdr {
	int	len;			/* bytes in the whole chain */
	struct	ifnet *rcvif;		/* interface it came in on */
};

/* External storage (a cluster), when M_EXT is set. */
struct m_ext {
	caddr_t	ext_buf;		/* the cluster */
	void	(*ext_free)();		/* how to free it, if not a cluster */
	u_int	ext_size;		/* its size */
};

struct mbuf {
	struct	m_hdr m_hdr;
	union {
		struct {
			struct	pkthdr MH_pkthdr;	/* with M_PKTHDR */
			union {
				struct	m_ext MH_ext;	/* with M_EXT */
				char	MH_databuf[MHLEN];
			} MH_dat;
		} MH;
		char	M_databuf[MLEN];		/* plain mbuf */
	} M_dat;
};
#define	m_next		m_hdr.mh_next
#define	m_len		m_hdr.mh_len
#define	m_data		m_hdr.mh_data
#define	m_type		m_hdr.mh_type
#define	m_flags		m_hdr.mh_flags
#define	m_nextpkt	m_hdr.mh_nextpkt
#define	m_act		m_nextpkt	/* Tahoe's name */
#define	m_pkthdr	M_dat.MH.MH_pkthdr
#define	m_ext		M_dat.MH.MH_dat.MH_ext
#define	m_pktdat	M_dat.MH.MH_dat.MH_databuf
#define	m_dat		M_dat.M_databuf

/* m_flags */
#define	M_EXT		0x0001		/* data in a cluster */
#define	M_PKTHDR	0x0002		/* first mbuf of a packet */
#define	M_EOR		0x0004		/* last mbuf of a record */
#define	M_BCAST		0x0100		/* link-level broadcast */
#define	M_MCAST		0x0200		/* link-level multicast */

/* Flags copied with the packet header. */
#define	M_COPYFLAGS	(M_PKTHDR|M_EOR|M_BCAST|M_MCAST)

/*
 * mbuf types (m_type), the 4.3BSD numbering; CONTROL and OOBDATA are
 * Reno's.  mbstat.m_mtypes[] counts the mbufs of each type.
 */
#define	MT_FREE		0	/* free */
#define	MT_DATA		1	/* data */
#define	MT_HEADER	2	/* packet header */
#define	MT_SOCKET	3	/* a socket */
#define	MT_PCB		4	/* a pcb */
#define	MT_RTABLE	5	/* a route (rtentry) */
#define	MT_HTABLE	6	/* IMP host table */
#define	MT_ATABLE	7	/* ARP table */
#define	MT_SONAME	8	/* a socket address */
#define	MT_ZOMBIE	9	/* exit status */
#define	MT_SOOPTS	10	/* socket options */
#define	MT_FTABLE	11	/* reassembly queue header */
#define	MT_RIGHTS	12	/* passed descriptors */
#define	MT_IFADDR	13	/* interface address */
#define	MT_CONTROL	14	/* control data */
#define	MT_OOBDATA	15	/* urgent data */

/*
 * Whether m_get() may sleep.  Reno makes these malloc(9)'s flags, so
 * M_DONTWAIT is 1 and M_WAIT 0 (Tahoe had them the other way round).
 */
#define	M_DONTWAIT	M_NOWAIT
#define	M_WAIT		M_WAITOK

/* Length to m_copy to copy all. */
#define	M_COPYALL	1000000000

/*
 * Statistics, read by netstat -m.  The counters are u_long as in Reno;
 * m_mtypes[] stays u_short as in every 4.3 and Reno mbstat.
 */
struct mbstat {
	u_long	m_mbufs;	/* mbufs made */
	u_long	m_clusters;	/* clusters made */
	u_long	m_spare;	/* unused */
	u_long	m_clfree;	/* clusters on the free list */
	u_long	m_drops;	/* allocations that failed */
	u_long	m_wait;		/* allocations that slept */
	u_long	m_drain;	/* calls of the protocols' pr_drain */
	u_short	m_mtypes[256];	/* mbufs in use, by MT_* */
};

#include <sys/malloc.h>

#endif /* !_SYS_MBUF_H_ */
