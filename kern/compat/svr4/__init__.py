"""The SVR4 personality: SVR4's system-call ABI in front of the native kernel.

Like NetBSD's sys/compat/svr4, this is a translation layer, not a second
kernel: an SVR4 process's ioctl numbers, argument layouts, privilege
rules and errno choices are mapped onto the 4.3BSD-Tahoe kernel's own
functions (svr4_sockio.py).  kern/init_sysent.py sends an SVR4 process's
ioctl here; kern/syscalls.py turns the native errno it returns into the
SVR4 number.  man/man4/netintro.4 documents what an SVR4 program sees.
"""
