"""The Internet domain and its protocol switch.

4.3BSD-Tahoe netinet/in_proto.c: ``inetsw`` lists IP itself (no socket
type: it supplies ip_output, the slow timeout and the drain), UDP for
SOCK_DGRAM, ICMP and a wildcard entry for SOCK_RAW; ``inetdomain`` ties
them to AF_INET.  Both tables live in kernel memory, their function
fields pointing into the kernel's text (kern/ksyms.py).  A protocol
module that is not there yet leaves its fields NULL.
"""

from kern import ksyms
from kern.headers import native as h

ffi = h.ffi

inetdomain = None
inetsw = None


def _entry(pr, type, proto, flags, **funcs):
    pr.pr_type = type
    pr.pr_domain = inetdomain
    pr.pr_protocol = proto
    pr.pr_flags = flags
    for field, func in funcs.items():
        if func is not None:
            setattr(pr, "pr_" + field, ksyms.text(func))


def _f(module: str, name: str):
    """The function name of kern.netinet.module, or None if not yet ported."""
    import importlib
    try:
        mod = importlib.import_module("kern.netinet." + module)
    except ModuleNotFoundError as e:
        if e.name != "kern.netinet." + module:
            raise
        return None
    return getattr(mod, name, None)


def in_proto_init():
    """Build inetdomain and inetsw in kernel memory; return the domain."""
    global inetdomain, inetsw
    from kern.netinet import in_
    in_.in_init()
    table = [
        # type, protocol, flags, functions
        (0, 0, 0, dict(output=_f("ip_output", "ip_output"), init=_f("ip_input", "ip_init"),
                       slowtimo=_f("ip_input", "ip_slowtimo"), drain=_f("ip_input", "ip_drain"))),
        (h.SOCK_DGRAM, h.IPPROTO_UDP, h.PR_ATOMIC | h.PR_ADDR,
         dict(input=_f("udp_usrreq", "udp_input"), ctlinput=_f("udp_usrreq", "udp_ctlinput"),
              ctloutput=_f("ip_output", "ip_ctloutput"), usrreq=_f("udp_usrreq", "udp_usrreq"),
              init=_f("udp_usrreq", "udp_init"))),
        (h.SOCK_RAW, h.IPPROTO_RAW, h.PR_ATOMIC | h.PR_ADDR,
         dict(input=_f("raw_ip", "rip_input"), output=_f("raw_ip", "rip_output"),
              ctloutput=_f("raw_ip", "rip_ctloutput"), usrreq=_f("raw_ip", "rip_usrreq"),
              init=_f("raw_ip", "rip_init"))),
        (h.SOCK_RAW, h.IPPROTO_ICMP, h.PR_ATOMIC | h.PR_ADDR,
         dict(input=_f("ip_icmp", "icmp_input"), output=_f("raw_ip", "rip_output"),
              ctloutput=_f("raw_ip", "rip_ctloutput"), usrreq=_f("raw_ip", "rip_usrreq"))),
        # The wildcard raw entry: any other protocol number (pffindproto).
        (h.SOCK_RAW, 0, h.PR_ATOMIC | h.PR_ADDR,
         dict(input=_f("raw_ip", "rip_input"), output=_f("raw_ip", "rip_output"),
              ctloutput=_f("raw_ip", "rip_ctloutput"), usrreq=_f("raw_ip", "rip_usrreq"))),
    ]
    inetdomain = ksyms.data("inetdomain", "struct domain")
    inetsw = ksyms.data("inetsw", "struct protosw", len(table))
    for i, (type, proto, flags, funcs) in enumerate(table):
        _entry(inetsw[i], type, proto, flags, **funcs)
    inetdomain.dom_family = h.AF_INET
    inetdomain.dom_name = ksyms.string("inetdomain_name", "internet")
    inetdomain.dom_protosw = inetsw
    inetdomain.dom_protoswNPROTOSW = inetsw + len(table)
    return inetdomain
