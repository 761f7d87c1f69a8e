"""The client stub starts fast: importing it and connecting loads no ply, pycparser or
cffi cdef machinery (only the cached ABI modules; kern/headers.py)."""

import pytest

from kern import headers

from nkhelp import child

PROBE = """
import sys
from kern.sysproxy.client import connect
sc = connect(sys.argv[1], personality=sys.argv[2])
sc.getpid()
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("ply", "pycparser", "cffi"))
kernel = sorted(m for m in sys.modules if m.startswith("kern.")
                and m not in ("kern.headers", "kern.machdep", "kern.rundir", "kern.syscalls",
                              "kern.sysproxy", "kern.sysproxy.client", "kern.sysproxy.protocol"))
print(heavy, kernel)
"""


@pytest.mark.parametrize("personality", ["native", "svr4"])
def test_client_imports_no_parser_and_no_kernel(kname, personality):
    headers.load(personality)       # the cache is built (a first build needs the parser)
    p = child(PROBE, kname, personality)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out == "[] []\n"
