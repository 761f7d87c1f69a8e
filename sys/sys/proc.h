/*
 * netkern: process flags and states.
 *
 * Of 4.3BSD-Tahoe <sys/proc.h> only the p_flag bits and p_stat codes
 * the network kernel uses are here: netkern's process
 * (kern/kern_proc.py) is a Python object, not a struct proc in kernel
 * memory.  select(2) uses SSEL to notice a wakeup that came while it
 * was scanning (kern/sys_generic.py).
 */
#ifndef _SYS_PROC_H_
#define	_SYS_PROC_H_

/* p_stat */
#define	SSLEEP	1		/* asleep on a wait channel */
#define	SRUN	3		/* running or runnable */
#define	SZOMB	5		/* exiting */

/* p_flag */
#define	SWEXIT	0x0000400	/* working on exiting */
#define	SSEL	0x0400000	/* selecting: a wakeup may race the scan */

#endif /* !_SYS_PROC_H_ */
