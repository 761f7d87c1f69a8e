"""The utilities' libc: address parsing, netdb over the kernel's files, getopt, perror, options."""

import io
import socket

import pytest

from usr_sbin import libc


def s_addr(dotted):
    return int.from_bytes(socket.inet_aton(dotted), "little")


@pytest.mark.parametrize("text,dotted", [
    ("10.0.0.1", "10.0.0.1"),
    ("10.1", "10.0.0.1"),                 # a.b: b fills 24 bits
    ("128.32.1", "128.32.0.1"),           # a.b.c: c fills 16 bits
    ("167772161", "10.0.0.1"),            # one number: all 32 bits
    ("0x0a000001", "10.0.0.1"),
    ("012.0.0.1", "10.0.0.1"),            # leading 0: octal
    ("08.0.0.1", "8.0.0.1"),              # ... where Tahoe still took 8 and 9
    ("10.0.0.1 trailing", "10.0.0.1"),    # white space ends the address
    ("", "0.0.0.0"),
])
def test_inet_addr_accepts_the_tahoe_forms(text, dotted):
    assert libc.inet_addr(text) == s_addr(dotted)


@pytest.mark.parametrize("text", ["1.2.3.4.5", "10.0.0.1x", "host", "255.255.255.255",
                                  "0xffffffff"])
def test_inet_addr_gives_inaddr_none(text):
    """255.255.255.255 is INADDR_NONE too: the callers cannot tell it from an error."""
    assert libc.inet_addr(text) == libc.INADDR_NONE


@pytest.mark.parametrize("text,value", [("10", 0xA), ("10.1", 0xA01), ("192.168.1", 0xC0A801),
                                        ("x10", 0x10), ("010", 8), ("1.2.3.4.5", libc.INADDR_NONE),
                                        ("10.0.0.0", 0x0A000000)])
def test_inet_network_packs_parts_without_trailing_zeros(text, value):
    assert libc.inet_network(text) == value


@pytest.mark.parametrize("net,dotted", [(10, "10.0.0.0"), (0xA01, "10.1.0.0"),
                                        (0xC0A801, "192.168.1.0"), (0, "0.0.0.0"),
                                        (0x0A000000, "0.0.0.0")])
def test_inet_makeaddr_is_the_three_case_form(net, dotted):
    """A whole address such as 10.0.0.0 is shifted out of 32 bits: route's net bug."""
    assert libc.inet_makeaddr(net, 0) == s_addr(dotted)


def test_inet_lnaof_and_netof_are_classful():
    assert libc.inet_lnaof(s_addr("10.1.0.0")) == 0x10000
    assert libc.inet_lnaof(s_addr("192.168.1.0")) == 0
    assert libc.inet_netof(s_addr("172.16.5.4")) == 0xAC10
    assert libc.inet_ntoa(s_addr("192.168.1.7")) == "192.168.1.7"


def proc(tmp_path=None, personality="native"):
    return libc.Proc("prog", personality, io.StringIO(), io.StringIO(), etc=str(tmp_path or "/nonexistent"))


def test_netdb_reads_the_stock_files_when_the_kernel_has_none():
    p = proc()
    assert libc.gethostbyname(p, "localhost").h_addr == s_addr("127.0.0.1")
    assert libc.gethostbyaddr(p, s_addr("127.0.0.1")).h_name == "localhost"
    assert libc.getnetbyaddr(p, 127).n_name == "loopback-net"
    assert [name for name, _, _ in libc.getprotoent(p)][:4] == ["ip", "icmp", "ggp", "tcp"]
    assert libc.getservbyport(p, 520, "udp") == "route"


def test_netdb_reads_the_kernels_own_files(tmp_path):
    (tmp_path / "hosts").write_text("10.0.0.9 gw gateway # comment\n10.0.0.254 gw\n")
    (tmp_path / "networks").write_text("lab 10.1 labnet\n")
    p = proc(tmp_path)
    hp = libc.gethostbyname(p, "GW")
    assert (hp.h_name, hp.h_addr_list) == ("gw", [s_addr("10.0.0.9"), s_addr("10.0.0.254")])
    assert libc.gethostbyname(p, "gateway").h_addr_list == [s_addr("10.0.0.9")]
    assert libc.getnetbyname(p, "labnet").n_net == 0xA01
    assert libc.getnetbyaddr(p, 0xA01).n_name == "lab"
    assert libc.gethostbyname(p, "localhost") is None     # the kernel's file replaces the stock one


def test_getopt_prints_tahoes_two_messages():
    p = proc()
    g = libc.getopt(p, ["-ax", "-I"], "aI:")
    assert [g.next(), g.next(), g.next(), g.next()] == ["a", "?", "?", None]
    assert p.err.getvalue() == ("prog: illegal option -- x\n"
                                "prog: option requires an argument -- I\n")


def test_getopt_takes_attached_and_separate_arguments_and_stops_at_dashdash():
    p = proc()
    g = libc.getopt(p, ["-Ile0", "-f", "inet", "--", "-a"], "aI:f:")
    assert (g.next(), g.optarg) == ("I", "le0")
    assert (g.next(), g.optarg) == ("f", "inet")
    assert g.next() is None and g.optind == 4


@pytest.mark.parametrize("personality,text", [("native", "Can't assign requested address"),
                                              ("svr4", "Cannot assign requested address")])
def test_perror_speaks_the_personalitys_libc(personality, text):
    p = proc(personality=personality)
    p.perror("x", p.h.EADDRNOTAVAIL)
    p.perror(None, p.h.EADDRNOTAVAIL)
    assert p.err.getvalue() == f"x: {text}\n{text}\n"


def test_netkern_options_come_first_in_either_form():
    env = {}
    assert libc.netkern_options("p", ["-k", "k1", "-Vsvr4", "-a"], env=env) == ("k1", "svr4", ["-a"])
    assert libc.netkern_options("p", ["-kk2", "x"], env=env) == ("k2", "native", ["x"])
    assert libc.netkern_options("p", ["x", "-k", "k"], env=env) == (None, "native", ["x", "-k", "k"])
    assert libc.netkern_options("p", [], env={"NETKERN_PERSONALITY": "svr4"})[1] == "svr4"


@pytest.mark.parametrize("argv,message", [(["-k"], "p: option requires an argument -- k\n"),
                                          (["-V", "vms"], "p: vms: unknown personality (tahoe or svr4)\n")])
def test_netkern_options_errors(argv, message):
    err = io.StringIO()
    with pytest.raises(libc.Exit) as e:
        libc.netkern_options("p", argv, err, env={})
    assert (e.value.status, err.getvalue()) == (1, message)


def test_atoi_is_cs():
    assert [libc.atoi(s) for s in ("12x", " -3", "", None, "x1", "4294967297")] == [12, -3, 0, 0, 0, 1]


def test_a_bug_is_one_line_and_status_1():
    err = io.StringIO()

    def body(p, argv):
        raise ZeroDivisionError("boom")
    assert libc.main("prog", body, [], out=io.StringIO(), err=err, files=("n", "k")) == 1
    assert err.getvalue() == "prog: internal error: ZeroDivisionError: boom\n"
