/*
 * netkern: basic system data types.
 *
 * The 4.3BSD-Tahoe <sys/types.h> names (u_char, u_short, u_int, u_long,
 * caddr_t, daddr_t, ...) laid out for the host's LP64 ABI: u_long and
 * pointers are 8 bytes.  Sizes that must stay 32 bits on the wire or in
 * an in_addr use the fixed-width names below.
 */
#ifndef _SYS_TYPES_H_
#define	_SYS_TYPES_H_

typedef	unsigned char	u_char;
typedef	unsigned short	u_short;
typedef	unsigned int	u_int;
typedef	unsigned long	u_long;
typedef	unsigned short	ushort;		/* System V compatibility */

typedef	signed char	int8_t;
typedef	unsigned char	u_int8_t;
typedef	short		int16_t;
typedef	unsigned short	u_int16_t;
typedef	int		int32_t;
typedef	unsigned int	u_int32_t;
typedef	long		int64_t;
typedef	unsigned long	u_int64_t;

typedef	char *		caddr_t;	/* core address */
typedef	long		daddr_t;	/* disk address */
typedef	long		off_t;		/* file offset */
typedef	long		time_t;
typedef	unsigned long	size_t;
typedef	long		ssize_t;
typedef	int		pid_t;
typedef	unsigned int	uid_t;
typedef	unsigned int	gid_t;
typedef	unsigned short	dev_t;
typedef	unsigned long	ino_t;
typedef	struct	_quad { long val[2]; } quad;

#define	NBBY	8		/* number of bits in a byte */

/*
 * Descriptor sets for select(2), as in 4.3BSD <sys/types.h>.  The
 * array length is howmany(FD_SETSIZE, NFDBITS) = 256 / 64 on LP64,
 * written out because a declaration cannot hold a sizeof here.
 */
#define	FD_SETSIZE	256
typedef	long	fd_mask;
#define	NFDBITS	(sizeof(fd_mask) * NBBY)	/* bits per mask: 64 */
#ifndef howmany
#define	howmany(x, y)	(((x)+((y)-1))/(y))
#endif
typedef	struct fd_set {
	fd_mask	fds_bits[4];		/* howmany(FD_SETSIZE, NFDBITS) */
} fd_set;
#define	FD_SET(n, p)	((p)->fds_bits[(n)/NFDBITS] |= (1L << ((n) % NFDBITS)))
#define	FD_CLR(n, p)	((p)->fds_bits[(n)/NFDBITS] &= ~(1L << ((n) % NFDBITS)))
#define	FD_ISSET(n, p)	((p)->fds_bits[(n)/NFDBITS] & (1L << ((n) % NFDBITS)))

#endif /* !_SYS_TYPES_H_ */
