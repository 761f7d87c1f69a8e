"""System activity counters: the kernel's ``struct vmmeter cnt``.

4.3BSD keeps its event counters in one ``struct vmmeter`` called
``cnt`` (<sys/vmmeter.h>), which vmstat(8) reads from /dev/kmem
through the namelist symbol ``_cnt``; the counting itself happens where
the events do (``v_syscall`` in the machine's trap.c syscall(), here
kern/init_sysent.py ``syscall``).  netkern places ``cnt`` in the kernel
arena at boot so that kvm readers see the same counters.
"""

from kern import ksyms

cnt = None            # struct vmmeter *, in the arena (``_cnt``)


def vmmeterinit() -> None:
    """Place a zeroed ``cnt`` in kernel memory (4.3's bss holds it from power-on)."""
    global cnt
    cnt = ksyms.data("cnt", "struct vmmeter")
