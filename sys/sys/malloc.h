/*
 * netkern: kernel memory allocator, 4.3BSD-Reno malloc(9).
 *
 * kern/kern_malloc.py allocates power-of-two blocks (16 bytes up) from
 * buckets, keeping kmemstats per type as Reno's kern_malloc.c does;
 * netstat -m and vmstat -m read them.  Type numbers 0-14 are those of
 * Reno and Net/2 <sys/malloc.h>; the file-system and VM types that
 * follow in those systems are left out (netkern has none), keeping
 * M_TEMP 49 and M_LAST 50.  The comment on each type is the name
 * Reno's INITKMEMNAMES gives it.
 */
#ifndef _SYS_MALLOC_H_
#define	_SYS_MALLOC_H_

#include <sys/param.h>

/* flags to malloc */
#define	M_WAITOK	0x0000
#define	M_NOWAIT	0x0001

/* types of memory */
#define	M_FREE		0	/* "free" */
#define	M_MBUF		1	/* "mbuf" */
#define	M_DEVBUF	2	/* "devbuf": device driver memory */
#define	M_SOCKET	3	/* "socket" */
#define	M_PCB		4	/* "pcb": protocol control block */
#define	M_RTABLE	5	/* "routetbl" */
#define	M_HTABLE	6	/* "hosttbl": IMP host tables */
#define	M_FTABLE	7	/* "fragtbl": fragment reassembly header */
#define	M_ZOMBIE	8	/* "zombie": zombie proc status */
#define	M_IFADDR	9	/* "ifaddr" */
#define	M_SOOPTS	10	/* "soopts": socket options */
#define	M_SONAME	11	/* "soname": socket name */
#define	M_NAMEI		12	/* "namei": path name buffer */
#define	M_GPROF		13	/* "gprof": kernel profiling buffer */
#define	M_IOCTLOPS	14	/* "ioctlops": ioctl data buffer */
#define	M_TEMP		49	/* "temp": misc temporary data buffers */
#define	M_LAST		50	/* one more than the last type */

/* Per-type statistics, kmemstats[type]. */
struct kmemstats {
	long	ks_inuse;	/* blocks of this type held now */
	long	ks_calls;	/* malloc() calls for this type, ever */
	long	ks_memuse;	/* bytes held now */
	u_short	ks_limblocks;	/* sleeps because ks_limit was reached */
	u_short	ks_mapblocks;	/* sleeps because the arena was full */
	long	ks_maxused;	/* high-water mark of ks_memuse */
	long	ks_limit;	/* ceiling on ks_memuse */
};

/* One per page of the arena: which bucket it serves. */
struct kmemusage {
	short	ku_indx;	/* bucket that owns the page */
	union {
		u_short freecnt;	/* small blocks: how many are free */
		u_short pagecnt;	/* a large block: its length in pages */
	} ku_un;
};
#define	ku_freecnt	ku_un.freecnt
#define	ku_pagecnt	ku_un.pagecnt

/* One per block size: the free list and its counts. */
struct kmembuckets {
	caddr_t	kb_next;	/* first free block */
	long	kb_calls;	/* allocations of this size, ever */
	long	kb_total;	/* blocks carved for this bucket */
	long	kb_totalfree;	/* of those, how many are free */
	long	kb_elmpercl;	/* blocks per page-cluster */
	long	kb_highwat;	/* free blocks worth keeping */
	long	kb_couldfree;	/* frees that found the bucket above kb_highwat */
};

/*
 * Bucket i holds blocks of 1 << i bytes; the smallest is 16 bytes.
 * Blocks above MAXALLOCSAVE go back to the arena when freed.
 */
#define	MINBUCKET	4		/* smallest block: 1 << 4 = 16 bytes */
#define	MINALLOCSIZE	(1 << MINBUCKET)
#define	MAXALLOCSAVE	(2 * CLBYTES)
/* The bucket for a request of size bytes: the least power of two that holds it. */
#define	BUCKETINDX(size) \
	((size) <= (MINALLOCSIZE << 0) ? (MINBUCKET + 0) : \
	 (size) <= (MINALLOCSIZE << 1) ? (MINBUCKET + 1) : \
	 (size) <= (MINALLOCSIZE << 2) ? (MINBUCKET + 2) : \
	 (size) <= (MINALLOCSIZE << 3) ? (MINBUCKET + 3) : \
	 (size) <= (MINALLOCSIZE << 4) ? (MINBUCKET + 4) : \
	 (size) <= (MINALLOCSIZE << 5) ? (MINBUCKET + 5) : \
	 (size) <= (MINALLOCSIZE << 6) ? (MINBUCKET + 6) : \
	 (size) <= (MINALLOCSIZE << 7) ? (MINBUCKET + 7) : \
	 (size) <= (MINALLOCSIZE << 8) ? (MINBUCKET + 8) : \
	 (size) <= (MINALLOCSIZE << 9) ? (MINBUCKET + 9) : \
	 (size) <= (MINALLOCSIZE << 10) ? (MINBUCKET + 10) : \
	 (size) <= (MINALLOCSIZE << 11) ? (MINBUCKET + 11) : \
	 (size) <= (MINALLOCSIZE << 12) ? (MINBUCKET + 12) : \
	 (size) <= (MINALLOCSIZE << 13) ? (MINBUCKET + 13) : \
	 (size) <= (MINALLOCSIZE << 14) ? (MINBUCKET + 14) : \
	 (MINBUCKET + 15))

#endif /* !_SYS_MALLOC_H_ */
