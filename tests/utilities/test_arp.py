"""arp(8): SIOCSARP/SIOCGARP/SIOCDARP through the kernel, -a through kvm, every message.

The kernel's ARP table comes with the packet-path issue (6b); the tests
that need it skip, saying so, until kern/netinet/if_ether.py is there.
"""

import pytest

from usr_sbin.arp.arp import main as arp
from usr_sbin.ifconfig.ifconfig import main as ifconfig

from usrsbin_helpers import TWO_ETHERNETS, arp_or_skip

pytestmark = pytest.mark.config(TWO_ETHERNETS)

USAGE = ("usage: arp hostname\n"
         "       arp -a [/vmunix] [/dev/kmem]\n"
         "       arp -d hostname\n"
         "       arp -s hostname ether_addr [temp] [pub] [trail]\n"
         "       arp -f filename\n")
USAGE_SVR4 = ("Usage: arp hostname\n"
              "       arp -a [/unix] [/dev/kmem]\n"
              "       arp -d hostname\n"
              "       arp -s hostname ether_addr [temp] [pub] [trail]\n"
              "       arp -f filename\n")


@pytest.fixture
def lan(run):
    assert run(ifconfig, "le0", "10.0.0.1", "netmask", "255.255.255.0").status == 0
    return run


def result(run, *argv, **kw):
    r = run(arp, *argv, **kw)
    return r.status, r.out, r.err


@pytest.mark.parametrize("argv", [(), ("a", "b"), ("-d",), ("-s", "h"), ("-f", "a", "b"),
                                  ("-a", "1", "2", "3")])
def test_usage_on_stdout(run, argv):
    assert result(run, *argv) == (1, USAGE, "")


def test_unknown_option_gets_getopts_line_then_the_usage(run):
    assert result(run, "-x") == (1, USAGE, "arp: illegal option -- x\n")


def test_svr4_tests_argument_counts_so_arp_d_alone_is_a_host(run):
    assert result(run, "-d", personality="svr4") == (1, "", "arp: -d: unknown host\n")
    assert result(run, personality="svr4") == (1, USAGE_SVR4, "")


def test_unknown_host_and_bad_ethernet_address(run):
    assert result(run, "nosuch") == (1, "", "arp: nosuch: unknown host\n")
    assert result(run, "-s", "nosuch", "8:0:20:1:2:3") == (1, "", "arp: nosuch: unknown host\n")
    assert result(run, "-s", "10.0.0.2", "8:0:20") == \
        (1, "", "arp: invalid Ethernet address '8:0:20'\n")


def test_file_errors(run, tmp_path):
    assert result(run, "-f", str(tmp_path / "none")) == (1, "", f"arp: cannot open {tmp_path}/none\n")
    f = tmp_path / "ethers"
    f.write_text("lonely\n\nnosuch 8:0:20:1:2:3\n")
    # a bad line keeps its newline, so an empty line follows the message
    assert result(run, "-f", str(f)) == (1, "", "arp: bad line: lonely\n\n"
                                                "arp: bad line: \n\n"
                                                "arp: nosuch: unknown host\n")


def test_a_needs_arptab_size_in_the_namelist(run, tmp_path):
    nl = run.namelist_without(tmp_path, "_arptab_size")
    assert result(run, "-a", nl, run.files[1]) == (1, "", f"arp: {nl}: bad namelist\n")
    assert result(run, "-a", str(tmp_path / "none")) == (1, "", f"arp: {tmp_path}/none: bad namelist\n")
    assert result(run, "-a", run.files[0], str(tmp_path / "mem")) == \
        (1, "", f"arp: cannot open {tmp_path}/mem\n")


# -- with the kernel's ARP table


def test_set_get_and_delete(lan):
    arp_or_skip()
    assert result(lan, "-s", "10.0.0.2", "8:0:20:1:2:3") == (0, "", "")
    assert result(lan, "10.0.0.2") == (0, "10.0.0.2 (10.0.0.2) at 8:0:20:1:2:3 permanent\n", "")
    assert result(lan, "-s", "10.0.0.3", "0:0:c:a:b:ff", "temp", "pub", "trail") == (0, "", "")
    assert result(lan, "10.0.0.3") == (0, "10.0.0.3 (10.0.0.3) at 0:0:c:a:b:ff published trailers\n", "")
    # table order: bucket 0x0200000a % 19 = 5 before 0x0300000a % 19 = 12
    assert result(lan, "-a") == (0, "? (10.0.0.2) at 8:0:20:1:2:3 permanent\n"
                                    "? (10.0.0.3) at 0:0:c:a:b:ff published trailers\n", "")
    assert result(lan, "-d", "10.0.0.2") == (0, "10.0.0.2 (10.0.0.2) deleted\n", "")
    assert result(lan, "10.0.0.2") == (1, "10.0.0.2 (10.0.0.2) -- no entry\n", "")
    assert result(lan, "-d", "10.0.0.2") == (1, "10.0.0.2 (10.0.0.2) -- no entry\n", "")


def test_names_come_from_the_kernels_hosts_file(lan):
    arp_or_skip()
    with open(lan.rundir + "/hosts", "w") as f:
        f.write("10.0.0.2\tvax\n")
    assert result(lan, "-s", "vax", "8:0:20:1:2:3") == (0, "", "")
    assert result(lan, "vax") == (0, "vax (10.0.0.2) at 8:0:20:1:2:3 permanent\n", "")
    assert result(lan, "-a") == (0, "vax (10.0.0.2) at 8:0:20:1:2:3 permanent\n", "")


def test_a_kernel_refusal_ends_a_file_at_once(lan, tmp_path):
    arp_or_skip()
    f = tmp_path / "ethers"
    f.write_text("10.9.9.9 8:0:20:1:2:3\n10.0.0.2 8:0:20:1:2:4\n")
    status, out, err = result(lan, "-f", str(f))
    assert (status, out) == (1, "") and err.startswith("10.9.9.9: ")
    assert result(lan, "10.0.0.2")[0] == 1                # the second line was never read


def test_unprivileged_user(lan):
    arp_or_skip()
    assert result(lan, "-s", "10.0.0.2", "8:0:20:1:2:3", uid=1000) == (1, "", "10.0.0.2: Not owner\n")
    assert result(lan, "-d", "10.0.0.2", uid=1000) == (1, "", "SIOCDARP: Not owner\n")
