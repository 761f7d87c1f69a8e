"""Communication domains and their protocol switch tables.

4.3BSD-Tahoe kern/uipc_domain.c.  Each domain (here: the Internet) is a
``struct domain`` in kernel memory whose ``dom_protosw`` array lists its
protocols; ``socket(2)`` finds a protocol by type (``pffindtype``) or by
number (``pffindproto``), and the protocol timers of every domain run
from two callouts, ``pffasttimo`` five times and ``pfslowtimo`` twice a
second (PR_FASTHZ, PR_SLOWHZ).
"""

from kern import ksyms
from kern.headers import native as h
from kern.kern_clock import timeout
from kern import kern_clock

ffi = h.ffi

domains = ffi.NULL     # struct domain *: the list, by dom_next
_domain_list = []      # the same, in attach order, for Python loops


def _protos(dp):
    """The struct protosw entries of a domain."""
    p = dp.dom_protosw
    while p != dp.dom_protoswNPROTOSW:
        yield p
        p += 1


def domaininit(doms) -> None:
    """Link the configured domains and initialise every protocol, then start the timers."""
    global domains, _domain_list
    domains = ffi.NULL
    _domain_list = list(doms)
    for dp in reversed(_domain_list):
        dp.dom_next = domains
        domains = dp
    ksyms.data("domains", "struct domain *")[0] = domains
    for dp in _domain_list:
        if dp.dom_init != ffi.NULL:
            ksyms.call(dp.dom_init)
        for pr in _protos(dp):
            if pr.pr_init != ffi.NULL:
                ksyms.call(pr.pr_init)
    timeout(pffasttimo, None, 1)
    timeout(pfslowtimo, None, 1)


def pffindtype(family: int, type: int):
    """The first protocol of a domain with this socket type, or NULL."""
    for dp in _domain_list:
        if dp.dom_family == family:
            for pr in _protos(dp):
                if pr.pr_type and pr.pr_type == type:
                    return pr
            return ffi.NULL
    return ffi.NULL


def pffindproto(family: int, protocol: int, type: int):
    """The protocol of a domain with this number (and type), or NULL.

    A raw socket asking for an unknown protocol number gets the domain's
    wildcard raw entry (protocol 0), as 4.3 allows for SOCK_RAW.
    """
    if family == 0:
        return ffi.NULL
    for dp in _domain_list:
        if dp.dom_family == family:
            maybe = ffi.NULL
            for pr in _protos(dp):
                if pr.pr_protocol == protocol and pr.pr_type == type:
                    return pr
                if type == h.SOCK_RAW and pr.pr_type == h.SOCK_RAW and pr.pr_protocol == 0 \
                        and maybe == ffi.NULL:
                    maybe = pr
            return maybe
    return ffi.NULL


def pfctlinput(cmd: int, sa) -> None:
    """Tell every protocol's ctlinput of an event (interface down, redirect...)."""
    for dp in _domain_list:
        for pr in _protos(dp):
            if pr.pr_ctlinput != ffi.NULL:
                ksyms.call(pr.pr_ctlinput, cmd, sa)


def pfslowtimo(arg) -> None:
    """Run every protocol's slow timeout, PR_SLOWHZ times a second."""
    for dp in _domain_list:
        for pr in _protos(dp):
            if pr.pr_slowtimo != ffi.NULL:
                ksyms.call(pr.pr_slowtimo)
    timeout(pfslowtimo, None, kern_clock.hz // h.PR_SLOWHZ)


def pffasttimo(arg) -> None:
    """Run every protocol's fast timeout, PR_FASTHZ times a second."""
    for dp in _domain_list:
        for pr in _protos(dp):
            if pr.pr_fasttimo != ffi.NULL:
                ksyms.call(pr.pr_fasttimo)
    timeout(pffasttimo, None, kern_clock.hz // h.PR_FASTHZ)
