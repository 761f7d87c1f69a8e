"""Address-family switch: the hashing and network matching of each family.

4.3BSD-Tahoe net/af.c.  The routing code never looks inside an address
itself: it asks ``afswitch[family]`` for two hashes (host and network)
and whether two addresses are on the same network.  AF_INET and
AF_IMPLINK use the Internet routines of netinet/in.c; every other family
gets hashes of 0 and never matches a network.
"""

from kern.headers import native as h


class afswitch_entry:
    """struct afswitch: af_hash(sa) -> (hosthash, nethash); af_netmatch(a, b)."""

    __slots__ = ("af_hash", "af_netmatch")

    def __init__(self, af_hash, af_netmatch):
        self.af_hash, self.af_netmatch = af_hash, af_netmatch


def null_hash(addr):
    """Both hashes 0 for a family without routing support."""
    return 0, 0


def null_netmatch(a1, a2) -> bool:
    """Never the same network."""
    return False


def _build():
    from kern.netinet import in_
    table = [afswitch_entry(null_hash, null_netmatch) for _ in range(h.AF_MAX)]
    table[h.AF_INET] = afswitch_entry(in_.inet_hash, in_.inet_netmatch)
    table[h.AF_IMPLINK] = afswitch_entry(in_.inet_hash, in_.inet_netmatch)
    return table


class _Lazy(list):
    """afswitch, filled on first use (netinet imports this module)."""

    def __getitem__(self, i):
        if not len(self):
            self.extend(_build())
        return list.__getitem__(self, i)


afswitch = _Lazy()
