"""System parameters computed from the configuration at boot.

config(8) wrote conf/param.c with the values a kernel's configuration
implies (hz, maxusers, nfile ...) and passed its options to cc as -D
definitions.  netkern does the same at boot: ``setparams`` evaluates the
headers again with the options defined (kern/headers.py ``load(...,
defines)``), so that ``RTHASHSIZ`` or ``ARPTAB_NB`` come from the header
text under the configuration's options, and keeps the results here.
"""

from kern import headers

hz = 100
maxusers = 8
nfile = 64
kmemsize = 32 << 20
ident = "GENERIC"
options = {}
kconst = None         # the header constants under this kernel's options

KMEMSIZE_MIN = 1 << 20


def setparams(conf) -> None:
    """Take the parameters of a parsed configuration (kern/config.py)."""
    global hz, maxusers, nfile, kmemsize, ident, options, kconst
    options = dict(conf.options)
    kconst = headers.load("native", options)
    hz = conf.int_option("HZ", kconst.HZ)
    maxusers = conf.maxusers
    nproc = 20 + 8 * maxusers                     # 4.3BSD conf/param.c NPROC
    nfile = conf.int_option("NFILE", 16 * (nproc + 16 + maxusers) // 10 + 32)
    kmemsize = max(KMEMSIZE_MIN, conf.int_option("KMEMSIZE", 32 << 20))
    ident = conf.ident
