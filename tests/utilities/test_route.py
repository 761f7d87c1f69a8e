"""route(8): host or net, the result lines, the kernel's refusals, the retry loop, -f."""

import os

import pytest

from usr_sbin.ifconfig.ifconfig import main as ifconfig
from usr_sbin.netstat.main import main as netstat
from usr_sbin.route.route import main as route

from usrsbin_helpers import TWO_ETHERNETS, svr4_ioctls_or_skip

pytestmark = pytest.mark.config(TWO_ETHERNETS)


@pytest.fixture
def net(run):
    """le0 on 10.0.0.0/24, le1 on 192.168.1.0, lo0."""
    for argv in (("le0", "10.0.0.1", "netmask", "255.255.255.0"), ("le1", "192.168.1.1"),
                 ("lo0", "127.0.0.1")):
        assert run(ifconfig, *argv).status == 0
    return run


def routes(run, *flags):
    """The rows of netstat -rn (or with flags), without the two header lines."""
    r = run(netstat, "-rn", *flags, process=False)
    return r.out.splitlines()[2:]


@pytest.mark.parametrize("argv,line", [
    (("add", "10.0.5.7", "10.0.0.254", "1"), "add host 10.0.5.7: gateway 10.0.0.254\n"),
    (("add", "10.1.0.0", "10.0.0.254", "1"), "add host 10.1.0.0: gateway 10.0.0.254\n"),
    (("add", "net", "10.1", "10.0.0.254", "1"), "add net 10.1: gateway 10.0.0.254\n"),
    (("add", "net", "192.168.9", "10.0.0.254", "1"), "add net 192.168.9: gateway 10.0.0.254\n"),
    (("add", "10.1", "10.0.0.254", "1"), "add host 10.1: gateway 10.0.0.254\n"),
    (("add", "host", "172.16.0.0", "10.0.0.254", "1"), "add host 172.16.0.0: gateway 10.0.0.254\n"),
    (("add", "default", "10.0.0.254", "1"), "add net default: gateway 10.0.0.254\n"),
    (("-n", "add", "127.0.0.2", "localhost", "0"), "add host 127.0.0.2: gateway localhost\n"),
])
def test_result_line(net, argv, line):
    r = net(route, *argv)
    assert (r.status, r.out, r.err) == (0, line, "")


def test_what_the_kernel_was_given(net):
    """Host iff the classful host part is nonzero; 10.1 alone is inet_addr's 10.0.0.1."""
    net(route, "add", "10.1.0.0", "10.0.0.254", "1")
    net(route, "add", "net", "10.1", "10.0.0.253", "1")
    net(route, "add", "10.1", "10.0.0.252", "1")
    rows = routes(net)
    assert "10.1.0.0         10.0.0.254         UGH         0        0  le0" in rows
    assert "10.0.0.1         10.0.0.252         UGH         0        0  le0" in rows
    assert "10.1             10.0.0.253         UG          0        0  le0" in rows


def test_net_10_0_0_0_collapses_to_default(net):
    """Tahoe's three-case inet_makeaddr shifts 0x0a000000 out of the word (route.8, BUGS)."""
    r = net(route, "add", "net", "10.0.0.0", "10.0.0.254", "1")
    assert r.out == "add net 10.0.0.0: gateway 10.0.0.254\n"
    assert "default          10.0.0.254         UG          0        0  le0" in routes(net)


def test_svr4_takes_net_10_0_0_0_as_typed(net):
    svr4_ioctls_or_skip()
    net(route, "add", "net", "10.0.0.0", "10.0.0.254", "1", personality="svr4")
    assert not any(row.startswith("default") for row in routes(net))


@pytest.mark.parametrize("argv,out,err", [
    (("delete", "10.0.5.7", "10.0.0.254"), "delete host 10.0.5.7: gateway 10.0.0.254: ", "not in table\n"),
    (("add", "10.0.5.7", "99.0.0.1", "1"), "add host 10.0.5.7: gateway 99.0.0.1: ",
     "Network is unreachable\n"),
    (("add", "127.0.0.1", "127.0.0.1", "0"), "add host 127.0.0.1: gateway 127.0.0.1: ", "File exists\n"),
])
def test_the_kernels_refusal_follows_the_line_on_stderr(net, argv, out, err):
    """The line and ": " on stdout, the reason on stderr; the exit status stays 0."""
    r = net(route, *argv)
    assert (r.status, r.out, r.err) == (0, out, err)


def test_bad_value(net):
    r = net(route, "add", "nowhere", "10.0.0.254", "1")
    assert (r.status, r.out, r.err) == (1, "", "nowhere: bad value\n")


@pytest.mark.parametrize("argv,out,status", [
    ((), "usage: route [ -n ] [ -f ] [ cmd [ net | host ] args ]\n", 1),
    (("add", "10.0.0.5", "10.0.0.1"),
     "usage: add destination gateway metric\n(metric of 0 if gateway is this host)\n", 0),
    (("add",), "usage: add destination gateway metric\n(metric of 0 if gateway is this host)\n", 0),
    (("delete", "10.0.0.5"), "usage: delete destination gateway\n", 0),
    (("change", "a", "b"), "not supported\n", 0),
    (("flush",), "flush: huh?\n", 0),
    (("-x", "flush"), "flush: huh?\n", 0),       # unknown option letters are ignored
])
def test_usage_and_other_stdout_messages(net, argv, out, status):
    r = net(route, *argv)
    assert (r.status, r.out, r.err) == (status, out, "")


def test_unprivileged_user_cannot_open_the_raw_socket(net):
    r = net(route, "add", "default", "10.0.0.254", "1", uid=1000)
    assert (r.status, r.out, r.err) == (1, "", "route: socket: Permission denied\n")


def test_svr4_unprivileged_user_is_refused_by_the_kernel(net):
    """SVR4's /dev/ip was open to all; netkern keeps 4.3's root check (route.8)."""
    svr4_ioctls_or_skip()
    r = net(route, "add", "default", "10.0.0.254", "1", uid=1000, personality="svr4")
    assert (r.status, r.out, r.err) == (0, "add net default: gateway 10.0.0.254: ", "Not owner\n")


def test_svr4_usage_comes_before_the_keyword(net):
    svr4_ioctls_or_skip()
    r = net(route, "add", "host", personality="svr4")
    assert r.out == "usage: add destination gateway ...\n"


def test_a_gateway_name_with_two_addresses_is_retried(net):
    """ENETUNREACH on the first address: the next one of the hosts file is tried."""
    with open(os.path.join(net.rundir, "hosts"), "w") as f:
        f.write("99.0.0.1\tgw\n10.0.0.254\tgw\n")
    r = net(route, "add", "10.0.5.7", "gw", "1")
    assert (r.status, r.out, r.err) == (0, "add host 10.0.5.7: gateway gw (10.0.0.254)\n", "")


def test_flush_deletes_gateway_routes_in_table_order(net):
    for argv in (("add", "10.0.5.7", "10.0.0.254", "1"), ("add", "default", "192.168.1.254", "1"),
                 ("add", "net", "172.16", "10.0.0.253", "1")):
        net(route, *argv)
    r = net(route, "-f")
    assert (r.status, r.err) == (0, "")
    assert r.out == ("Flushing routing tables:\n"
                     "10.0.5.7             10.0.0.254           done\n"
                     # net bucket 0 holds both, the newer first
                     "172.16               10.0.0.253           done\n"
                     "default              192.168.1.254        done\n")
    assert routes(net) == [
        "127.0.0.1        127.0.0.1          UH          0        0  lo0",
        "192.168.1        192.168.1.1        U           0        0  le1",
        "10               10.0.0.1           U           0        0  le0"]
    assert net(route, "-f").out == "Flushing routing tables:\n"


def test_flush_then_a_command(net):
    net(route, "add", "default", "10.0.0.254", "1")
    r = net(route, "-fn", "add", "10.0.5.7", "10.0.0.254", "1")
    assert r.out == ("Flushing routing tables:\n"
                     "default              10.0.0.254           done\n"
                     "add host 10.0.5.7: gateway 10.0.0.254\n")


def test_flush_without_the_symbols(net, tmp_path):
    """route -f checks the namelist first: the message is on stdout, status 1."""
    nl = net.namelist_without(tmp_path, "_rthost")
    from usr_sbin.route.route import main
    import io
    from kern import syscalls
    out, err = io.StringIO(), io.StringIO()
    status = main(["-f"], sc=syscalls.attach(), files=(nl, net.files[1]), out=out, err=err)
    assert (status, out.getvalue(), err.getvalue()) == \
        (1, 'route: "rthost", symbol not in namelist\n', "")


def test_routing_table_overflow_when_the_kernel_has_no_memory(net):
    """ENOBUFS from SIOCADDRT: routes' malloc type is held at its use (Reno's ks_limit)."""
    from kern import kern_malloc
    from kern.headers import native as h
    stats = kern_malloc.kmemstats[h.M_RTABLE]
    limit, stats.ks_limit = stats.ks_limit, stats.ks_memuse
    try:
        r = net(route, "add", "10.0.5.7", "10.0.0.254", "1")
    finally:
        stats.ks_limit = limit
    assert (r.status, r.out, r.err) == \
        (0, "add host 10.0.5.7: gateway 10.0.0.254: ", "routing table overflow\n")


def test_flush_without_the_kernels_memory_file(net, tmp_path):
    from usr_sbin.route.route import main
    import io
    from kern import syscalls
    out, err = io.StringIO(), io.StringIO()
    status = main(["-f"], sc=syscalls.attach(), files=(net.files[0], str(tmp_path / "kmem")),
                  out=out, err=err)
    assert (status, out.getvalue(), err.getvalue()) == \
        (1, "", "route: /dev/kmem: No such file or directory\n")
