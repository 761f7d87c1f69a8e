"""A scripted session, every output line compared with the text the originals print.

Boot with two Ethernet interfaces and lo0, configure all three, add a
host, a net and a default route, delete one, then read the tables and
counters.  Each expected line is written out from the reference's
format strings (utilities-reference sections 1.5, 2.4, 3.3, 3.5, 3.6,
3.9), e.g. Tahoe's route row ``"%-16.16s %-18.18s %-6.6s %6d %8d "``
then ``" %.15s%d\\n"``; a trailing blank the format leaves is part of
the line.
"""

import pytest

from usr_sbin.ifconfig.ifconfig import main as ifconfig
from usr_sbin.netstat.main import main as netstat
from usr_sbin.route.route import main as route

from usrsbin_helpers import TWO_ETHERNETS, svr4_ioctls_or_skip

pytestmark = pytest.mark.config(TWO_ETHERNETS)


def configure(run, personality="native"):
    steps = [
        ((ifconfig, "le0", "10.0.0.1", "netmask", "255.255.255.0"), ""),
        ((ifconfig, "le1", "192.168.1.1"), ""),
        ((ifconfig, "lo0", "127.0.0.1"), ""),
        ((route, "add", "10.0.5.7", "10.0.0.254", "1"), "add host 10.0.5.7: gateway 10.0.0.254\n"),
        ((route, "add", "net", "172.16", "10.0.0.253", "1"), "add net 172.16: gateway 10.0.0.253\n"),
        ((route, "add", "default", "192.168.1.254", "1"),
         "add net default: gateway 192.168.1.254\n"),
        ((route, "delete", "net", "172.16", "10.0.0.253"),
         "delete net 172.16: gateway 10.0.0.253\n"),
    ]
    for (main, *argv), expected in steps:
        r = run(main, *argv, personality=personality)
        assert (r.status, r.out, r.err) == (0, expected, ""), argv


STATUS = {
    "le0": "le0: flags=43<UP,BROADCAST,RUNNING>\n"
           "\tinet 10.0.0.1 netmask ffffff00 broadcast 10.0.0.255\n",
    "le1": "le1: flags=43<UP,BROADCAST,RUNNING>\n"
           "\tinet 192.168.1.1 netmask ffffff00 broadcast 192.168.1.255\n",
    "lo0": "lo0: flags=9<UP,LOOPBACK>\n"
           "\tinet 127.0.0.1 netmask ff000000 \n",
}

# SVR4's drivers never set RUNNING on Ethernet and always on the loopback
# (utilities-reference 1.5): the kernel's SVR4 layer answers so.
STATUS_SVR4 = dict(
    STATUS,
    le0=STATUS["le0"].replace("flags=43<UP,BROADCAST,RUNNING>", "flags=3<UP,BROADCAST>"),
    le1=STATUS["le1"].replace("flags=43<UP,BROADCAST,RUNNING>", "flags=3<UP,BROADCAST>"),
    lo0=STATUS["lo0"].replace("flags=9<UP,LOOPBACK>", "flags=49<UP,LOOPBACK,RUNNING>"))

ROUTES_TAHOE_N = (
    "Routing tables\n"
    "Destination      Gateway            Flags     Refs     Use  Interface\n"
    "127.0.0.1        127.0.0.1          UH          0        0  lo0\n"
    "10.0.5.7         10.0.0.254         UGH         0        0  le0\n"
    "default          192.168.1.254      UG          0        0  le1\n"
    "192.168.1        192.168.1.1        U           0        0  le1\n"
    "10               10.0.0.1           U           0        0  le0\n")

ROUTES_SVR4_N = (
    "Routing tables\n"
    "Destination          Gateway              Flags    Refcnt Use        Interface\n"
    "127.0.0.1            127.0.0.1            UH       0      0          lo0\n"
    "10.0.5.7             10.0.0.254           UGH      0      0          le0\n"
    "default              192.168.1.254        UG       0      0          le1\n"
    "192.168.1            192.168.1.1          U        0      0          le1\n"
    "10                   10.0.0.1             U        0      0          le0\n")

INTERFACES_TAHOE = (
    "Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll\n"
    "le0   1500  10          10.0.0.1               0     0        0     0     0\n"
    "le1   1500  192.168.1   192.168.1.1            0     0        0     0     0\n"
    "lo0   1536  loopback-ne localhost              0     0        0     0     0\n")

INTERFACES_SVR4 = (
    "Name   Mtu   Network     Address      Ipkts   Ierrs Opkts   Oerrs Collis\n"
    "le0    1500  10          10.0.0.1     0       0     0       0     0     \n"
    "le1    1500  192.168.1   192.168.1.1  0       0     0       0     0     \n"
    "lo0    1536  loopback-n  localhost    0       0     0       0     0     \n")

RTSTATS_ZERO = ("routing:\n"
                "\t0 bad routing redirects\n"
                "\t0 dynamically created routes\n"
                "\t0 new gateways due to redirects\n"
                "\t0 destinations found unreachable\n"
                "\t0 uses of a wildcard route\n")


def netstat_out(run, *argv):
    r = run(netstat, *argv, process=False)
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


def test_tahoe_session(run):
    configure(run)
    for name, text in STATUS.items():
        r = run(ifconfig, name)
        assert (r.status, r.out, r.err) == (0, text, "")
    assert netstat_out(run, "-rn") == ROUTES_TAHOE_N
    # Without -n the kernel's hosts file names 127.0.0.1.
    assert netstat_out(run, "-r") == ROUTES_TAHOE_N.replace(
        "127.0.0.1        127.0.0.1          UH",
        "localhost        localhost          UH")
    assert netstat_out(run, "-i") == INTERFACES_TAHOE
    assert netstat_out(run, "-rs") == RTSTATS_ZERO
    # -m: the kernel's mbstat in mbuf.c's lines; five routes, one MT_RTABLE mbuf each.
    from kern.uipc_mbuf import mbstat
    lines = netstat_out(run, "-m").splitlines()
    free = mbstat.m_mtypes[0]
    assert lines[0] == "%u/%u mbufs in use:" % (mbstat.m_mbufs - free, mbstat.m_mbufs)
    assert "\t5 mbufs allocated to routing table entries" in lines
    assert lines[-3:] == ["0 requests for memory denied", "0 requests for memory delayed",
                          "0 calls to protocol drain routines"]


def test_svr4_netstat_reads_the_same_kernel_in_svr4_columns(run):
    configure(run)
    assert netstat_out(run, "-V", "svr4", "-rn") == ROUTES_SVR4_N
    assert netstat_out(run, "-V", "svr4", "-i") == INTERFACES_SVR4
    assert netstat_out(run, "-V", "svr4", "-rs") == RTSTATS_ZERO
    r = run(netstat, "-V", "svr4", "-m", process=False)
    assert (r.status, r.out, r.err) == (1, "", "Memory information not currently supported\n")


def test_svr4_session(run):
    svr4_ioctls_or_skip()
    configure(run, "svr4")
    for name, text in STATUS_SVR4.items():
        r = run(ifconfig, name, personality="svr4")
        assert (r.status, r.out, r.err) == (0, text, "")
    assert netstat_out(run, "-V", "svr4", "-rn") == ROUTES_SVR4_N
