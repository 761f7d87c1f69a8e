"""sys/netinet: the Internet protocols (IP, ICMP, UDP, ARP, raw IP).

``in`` is a Python keyword, so the port of netinet/in.c,
kern/netinet/in.py, is reached as ``in_``::

    from kern.netinet import in_
    in_.in_netof(addr)
"""

import importlib


def __getattr__(name):
    if name == "in_":
        mod = importlib.import_module("kern.netinet.in")
        globals()["in_"] = mod
        return mod
    raise AttributeError(name)
