"""Address-family switch: the hashing and network matching of each family.

4.3BSD-Tahoe net/af.c 7.4 (seed 002, "The Route Vault").  The routing
code never looks inside an address itself: it asks ``afswitch[family]``
for two hashes, the host hash (for ``rthost``) and the net hash (for
``rtnet``), and whether two addresses are on one network.  AF_INET and
AF_IMPLINK use the Internet routines of netinet/in.c; every other family
below AF_MAX gets ``null_hash`` and ``null_netmatch``.  Tahoe also gave
AF_NS its own pair when the kernel was built with ``options NS``;
netkern has no NS, so AF_NS is null as in a Tahoe kernel without it.

``struct afswitch`` and ``struct afhash`` are in <net/af.h>; here an
entry is a small Python object with the two C field names, and an
``af_hash`` returns the afhash pair ``(afh_hosthash, afh_nethash)``
instead of filling one in.  The table is static, as af.c's initialised
array is: nothing in it changes from one boot to the next.
"""

from kern.headers import native as h
from kern.netinet import in_


class afswitch_entry:
    """One struct afswitch: af_hash(sa) -> (hosthash, nethash); af_netmatch(sa1, sa2)."""

    __slots__ = ("af_hash", "af_netmatch")

    def __init__(self, af_hash, af_netmatch):
        self.af_hash, self.af_netmatch = af_hash, af_netmatch


def null_hash(addr):
    """Both hashes 0 for a family the routing code does not know (af.c null_hash)."""
    return 0, 0


def null_netmatch(a1, a2) -> bool:
    """Never the same network (af.c null_netmatch)."""
    return False


_AFNULL = afswitch_entry(null_hash, null_netmatch)
_AFINET = afswitch_entry(in_.inet_hash, in_.inet_netmatch)

afswitch = [_AFNULL] * h.AF_MAX
afswitch[h.AF_INET] = afswitch[h.AF_IMPLINK] = _AFINET
