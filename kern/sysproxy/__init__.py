"""Remote system calls: the kernel server and its client stub.

* ``kernd`` -- the server: one booted kernel per process, one thread
  per client connection (kernd.py);
* ``protocol`` -- the messages both ends exchange (protocol.py,
  documented in man/man8/kernd.8);
* ``client`` -- ``connect()`` and ``Remote``, the system calls of a
  program on a kernel served by kernd (client.py);
* ``netkern`` -- the command that boots, halts, lists and uses named
  kernels (netkern.py, man/man8/netkern.8).
"""
