/*
 * netkern: per-process descriptor flags.
 *
 * Of 4.3BSD's <sys/user.h> only the flags of u.u_pofile[] are here:
 * netkern's process (kern/kern_proc.py) is a Python object, not a
 * struct user.  FIOCLEX and FIONCLEX set and clear UF_EXCLOSE.
 */
#ifndef _SYS_USER_H_
#define	_SYS_USER_H_

#define	UF_EXCLOSE	0x1		/* close this descriptor on exec */
#define	UF_MAPPED	0x2		/* it is mapped from a device */

#endif /* !_SYS_USER_H_ */
