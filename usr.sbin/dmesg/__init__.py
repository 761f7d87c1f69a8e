"""dmesg(8): the kernel message buffer."""
