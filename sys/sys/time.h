/*
 * netkern: time of day and interval timers, 4.3BSD <sys/time.h>.
 *
 * The kernel keeps `time' and `boottime' as timevals in its memory
 * arena (kern/kern_clock.py); netstat and dmesg read them there.
 */
#ifndef _SYS_TIME_H_
#define	_SYS_TIME_H_

#include <sys/types.h>

struct timeval {
	long	tv_sec;		/* seconds */
	long	tv_usec;	/* and microseconds */
};

struct timezone {
	int	tz_minuteswest;	/* offset from UTC, minutes west */
	int	tz_dsttime;	/* DST_* */
};
#define	DST_NONE	0	/* no daylight saving */
#define	DST_USA		1	/* United States rules */
#define	DST_AUST	2	/* Australian rules */
#define	DST_WET		3	/* Western Europe */
#define	DST_MET		4	/* Central Europe */
#define	DST_EET		5	/* Eastern Europe */
#define	DST_CAN		6	/* Canadian rules */

/* The three interval timers of a process. */
#define	ITIMER_REAL	0
#define	ITIMER_VIRTUAL	1
#define	ITIMER_PROF	2

struct itimerval {
	struct	timeval it_interval;	/* period; 0 for one shot */
	struct	timeval it_value;	/* time to the next expiry */
};

#define	timerisset(tvp)		((tvp)->tv_sec || (tvp)->tv_usec)
#define	timerclear(tvp)		(tvp)->tv_sec = (tvp)->tv_usec = 0

#endif /* !_SYS_TIME_H_ */
