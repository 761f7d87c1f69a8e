"""netkern: a runnable, faithful emulation of the 4.3BSD / SVR4 network kernel.

The package mirrors a BSD kernel source tree: ``kern/net`` is sys/net,
``kern/netinet`` is sys/netinet, and each module carries the name of the C
file it ports.  DESIGN.md (beside the project) is the map.
"""
