/*
 * netkern: system activity counters, 4.3BSD-Tahoe <sys/vmmeter.h>.
 *
 * The kernel keeps one struct vmmeter, `cnt', in its memory arena
 * (kern/vm_meter.py); vmstat(8) reads it through kvm.  netkern counts
 * what it does, system calls (v_syscall) and software interrupts
 * (v_soft) above all; the paging counters stay zero, since netkern has
 * no virtual memory of its own.  The Tahoe-only v_fpe and v_align are
 * left out.  Every counter is an unsigned int, as in 4.3.
 */
#ifndef _SYS_VMMETER_H_
#define	_SYS_VMMETER_H_

struct vmmeter {
	unsigned v_swtch;	/* context switches */
	unsigned v_trap;	/* traps */
	unsigned v_syscall;	/* system calls */
	unsigned v_intr;	/* device interrupts */
	unsigned v_soft;	/* software interrupts */
	unsigned v_pdma;	/* pseudo-DMA interrupts */
	unsigned v_pswpin;	/* pages swapped in */
	unsigned v_pswpout;	/* pages swapped out */
	unsigned v_pgin;	/* page-ins */
	unsigned v_pgout;	/* page-outs */
	unsigned v_pgpgin;	/* pages paged in */
	unsigned v_pgpgout;	/* pages paged out */
	unsigned v_intrans;	/* faults blocked on a page in transit */
	unsigned v_pgrec;	/* page reclaims */
	unsigned v_xsfrec;	/* reclaimed from the free list, not swap */
	unsigned v_xifrec;	/* reclaimed from the free list, not a file */
	unsigned v_exfod;	/* pages filled from executables */
	unsigned v_zfod;	/* pages zero-filled on demand */
	unsigned v_vrfod;	/* fills of pages mapped by vread() */
	unsigned v_nexfod;	/* exfod pages created */
	unsigned v_nzfod;	/* zfod pages created */
	unsigned v_nvrfod;	/* vrfod pages created */
	unsigned v_pgfrec;	/* reclaims from the free list */
	unsigned v_faults;	/* faults taken */
	unsigned v_scan;	/* page daemon scans */
	unsigned v_rev;		/* turns of the page daemon's clock hand */
	unsigned v_seqfree;	/* pages taken from sequential programs */
	unsigned v_dfree;	/* pages freed by the page daemon */
	unsigned v_fastpgrec;	/* fast reclaims in locore */
	unsigned v_swpin;	/* swap-ins */
	unsigned v_swpout;	/* swap-outs */
};
#define	v_first	v_swtch
#define	v_last	v_fastpgrec

#endif /* !_SYS_VMMETER_H_ */
