"""Random sequences of ifconfig and route commands (hypothesis).

Whatever the sequence, each command ends with status 0 or 1 and says
nothing but a documented message, and ``netstat -rn`` shows exactly the
routes the kernel holds, read here independently through kvm.
"""

import os
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st

from kern import init_main, kvm
from kern.headers import native as h
from usr_sbin.ifconfig.ifconfig import main as ifconfig
from usr_sbin.netstat.main import main as netstat
from usr_sbin.route.route import main as route

from usrsbin_helpers import TWO_ETHERNETS, Runner

ADDRS = ["10.0.0.1", "10.0.0.2", "192.168.1.1", "172.16.3.4", "127.0.0.1"]
MASKS = ["255.255.255.0", "255.255.0.0", "0xffffff00"]
DESTS = ["10.0.5.7", "10.2", "192.168.7.0", "default", "172.16.0.0", "10.0.0.0", "127.0.0.1"]
GATES = ["10.0.0.254", "192.168.1.254", "10.0.0.1", "99.0.0.1", "127.0.0.1"]
FLAGS = ["up", "down", "-arp", "arp", "trailers", "-trailers", "debug", "-debug"]
IFACES = ["le0", "le1", "lo0", "le9"]

ifconfig_cmd = st.one_of(
    st.tuples(st.sampled_from(IFACES)),
    st.builds(lambda i, a, m: (i, a) + (("netmask", m) if m else ()),
              st.sampled_from(IFACES), st.sampled_from(ADDRS), st.sampled_from(MASKS + [None])),
    st.builds(lambda i, f: (i, f), st.sampled_from(IFACES), st.sampled_from(FLAGS)),
).map(lambda argv: (ifconfig, argv))

route_cmd = st.one_of(
    st.builds(lambda kw, d, g, m: ("add",) + kw + (d, g, m), st.sampled_from([(), ("net",), ("host",)]),
              st.sampled_from(DESTS), st.sampled_from(GATES), st.sampled_from(["0", "1"])),
    st.builds(lambda kw, d, g: ("delete",) + kw + (d, g), st.sampled_from([(), ("net",), ("host",)]),
              st.sampled_from(DESTS), st.sampled_from(GATES)),
    st.just(("-f",)),
).map(lambda argv: (route, argv))

DOCUMENTED = {"not in table", "entry in use", "routing table overflow"} | set(h.ERRLIST.values())


def documented(line: str) -> bool:
    """A message of ifconfig(8) or route(8), DIAGNOSTICS."""
    if line.endswith(": bad value"):
        return True
    if line.startswith("ifconfig: "):
        text = line.rsplit(": ", 1)[-1]
        return text in ("no such interface", "permission denied") or text in DOCUMENTED
    return line in DOCUMENTED


def kernel_routes(files) -> list:
    """The kernel's routes, as netstat -rn must print them, from a kvm walk of our own."""
    kd = kvm.kvm_open(*files)
    ffi = kvm.ffi
    size = kd.read(kd.nlist("_rthashsize"), "int")[0]
    rows = []
    for table in ("_rthost", "_rtnet"):
        heads = ffi.cast("struct mbuf **", kd.read(kd.nlist(table), "struct mbuf *"))
        for i in range(size):
            m = heads[i]
            while m != ffi.NULL:
                mb = kd.read(m, "struct mbuf")
                rt = kd.read(mb.m_hdr.mh_data, "struct rtentry")
                dst = bytes(ffi.buffer(rt.rt_dst.sa_data))[2:6]
                gw = bytes(ffi.buffer(rt.rt_gateway.sa_data))[2:6]
                if dst == bytes(4):
                    d = "default"
                elif rt.rt_flags & h.RTF_HOST:
                    d = ".".join(map(str, dst))
                else:
                    d = ".".join(map(str, dst.rstrip(b"\0") or b"\0"))
                flags = "".join(c for bit, c in ((1, "U"), (2, "G"), (4, "H"), (16, "D"), (32, "M"))
                                if rt.rt_flags & bit)
                ifp = kd.read(rt.rt_ifp, "struct ifnet")
                name = kd.read_string(ifp.if_name) + str(ifp.if_unit)
                rows.append("%-16s %-18s %-6s %6d %8d  %s" % (d, ".".join(map(str, gw)), flags,
                                                              rt.rt_refcnt, rt.rt_use, name))
                m = mb.m_hdr.mh_next
    kd.close()
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(ifconfig_cmd, route_cmd), min_size=1, max_size=12))
def test_random_commands_keep_netstat_and_the_kernel_in_step(commands):
    with tempfile.TemporaryDirectory() as tmp:
        rundir = init_main.boot(TWO_ETHERNETS, os.path.join(tmp, "run"))
        try:
            run = Runner(rundir)
            for main, argv in commands:
                r = run(main, *argv)
                assert r.status in (0, 1), (argv, r)
                assert all(documented(line) for line in r.err.splitlines()), (argv, r.err)
                ns = run(netstat, "-rn", process=False)
                assert (ns.status, ns.err) == (0, "")
                assert ns.out.splitlines()[2:] == kernel_routes(run.files), argv
        finally:
            init_main.shutdown()
