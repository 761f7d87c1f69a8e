"""netstat(8): network status from kernel memory (usr.sbin/netstat/main.py).

``if`` is a Python keyword, so the port of netstat's if.c, if.py, is
reached as ``from usr_sbin.netstat import if_``.
"""

import importlib


def __getattr__(name):
    if name == "if_":
        mod = importlib.import_module("usr_sbin.netstat.if")
        globals()["if_"] = mod
        return mod
    raise AttributeError(name)
