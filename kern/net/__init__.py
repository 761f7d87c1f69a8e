"""sys/net: interfaces, routing, the loopback and Ethernet layers.

``if`` is a Python keyword, so the port of net/if.c, kern/net/if.py,
cannot be named in an import statement; it is reached as ``if_``::

    from kern.net import if_
    if_.ifunit("le0")
"""

import importlib


def __getattr__(name):
    if name == "if_":
        mod = importlib.import_module("kern.net.if")
        globals()["if_"] = mod
        return mod
    raise AttributeError(name)
