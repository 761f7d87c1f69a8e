"""ifconfig(8): the status display, the keywords, the ioctl order and every message."""

import pytest

from usr_sbin.ifconfig.ifconfig import main as ifconfig, printb, IFFBITS

from usrsbin_helpers import TWO_ETHERNETS, svr4_ioctls_or_skip

pytestmark = pytest.mark.config(TWO_ETHERNETS)

USAGE = ("usage: ifconfig interface\n"
         "\t[ af [ address [ dest_addr ] ] [ up ] [ down ][ netmask mask ] ]\n"
         "\t[ metric n ]\n"
         "\t[ trailers | -trailers ]\n"
         "\t[ arp | -arp ]\n")


def ok(run, *argv, **kw):
    r = run(ifconfig, *argv, **kw)
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


def fails(run, *argv, **kw):
    r = run(ifconfig, *argv, **kw)
    assert r.status == 1 and r.out == ""
    return r.err


def test_printb_is_the_kernels_percent_b():
    assert printb("flags", 0x63, IFFBITS) == "flags=63<UP,BROADCAST,NOTRAILERS,RUNNING>"
    assert printb("flags", 0, IFFBITS) == "flags=0<>"
    assert printb("flags", 0x10000 | 0x80, IFFBITS) == "flags=80<NOARP>"   # an unsigned short


def test_an_interface_without_an_address_shows_only_its_flags(run):
    assert ok(run, "le0") == "le0: flags=2<BROADCAST>\n"


def test_naming_the_family_forces_the_inet_line(run):
    assert ok(run, "le0", "inet") == "le0: flags=2<BROADCAST>\n\tinet 0.0.0.0 netmask 0 \n"


def test_setting_an_address_marks_the_interface_up_and_running(run):
    assert ok(run, "le0", "10.0.0.1") == ""
    assert ok(run, "le0") == ("le0: flags=43<UP,BROADCAST,RUNNING>\n"
                              "\tinet 10.0.0.1 netmask ff000000 broadcast 10.255.255.255\n")


def test_loopback_line_ends_in_the_blank_after_the_netmask(run):
    ok(run, "lo0", "127.0.0.1")
    assert ok(run, "lo0") == "lo0: flags=9<UP,LOOPBACK>\n\tinet 127.0.0.1 netmask ff000000 \n"


@pytest.mark.parametrize("mask", ["255.255.255.0", "0xffffff00", "twentyfour"])
def test_netmask_dotted_hex_or_a_networks_name(run, mask):
    # networks(5) "twentyfour 255.255.255": inet_makeaddr makes 255.255.255.0 of it
    with open(run.rundir + "/networks", "w") as f:
        f.write("twentyfour\t255.255.255\n")
    ok(run, "le0", "10.0.0.1", "netmask", mask)
    assert "\tinet 10.0.0.1 netmask ffffff00 broadcast 10.0.0.255\n" in ok(run, "le0")


def test_flag_keywords_and_metric(run):
    ok(run, "le0", "10.0.0.1")
    ok(run, "le0", "-trailers", "-arp", "debug", "metric", "3")
    assert ok(run, "le0").splitlines()[0] == \
        "le0: flags=e7<UP,BROADCAST,DEBUG,NOTRAILERS,RUNNING,NOARP> metric 3"
    ok(run, "le0", "trailers", "arp", "-debug", "down", "metric", "0")
    assert ok(run, "le0").splitlines()[0] == "le0: flags=42<BROADCAST,RUNNING>"
    ok(run, "le0", "up")
    assert ok(run, "le0").splitlines()[0] == "le0: flags=43<UP,BROADCAST,RUNNING>"


def test_broadcast_keyword_comes_after_the_address(run):
    ok(run, "le0", "broadcast", "10.0.0.127", "10.0.0.1", "netmask", "255.255.255.0")
    assert "broadcast 10.0.0.127\n" in ok(run, "le0")


def test_without_a_netmask_the_kernel_restores_the_classful_one(run):
    ok(run, "le0", "10.0.0.1", "netmask", "255.255.255.0")
    ok(run, "le0", "10.0.0.2")
    assert "\tinet 10.0.0.2 netmask ff000000 " in ok(run, "le0")


def test_dest_address_goes_first_so_a_broadcast_interface_refuses_it(run):
    """SIOCSIFDSTADDR is issued at once, before the address: EINVAL, and no address is set."""
    assert fails(run, "le0", "10.0.0.1", "10.0.0.2") == "ifconfig: ioctl (SIOCSIFDSTADDR): Invalid argument\n"
    assert ok(run, "le0") == "le0: flags=2<BROADCAST>\n\tinet 0.0.0.0 netmask 0 \n"


def test_ifconfig_a_lists_each_interface_once_in_ifconf_order(run):
    ok(run, "le1", "192.168.1.1")
    ok(run, "lo0", "127.0.0.1")
    assert ok(run, "-a") == (
        "le0: flags=2<BROADCAST>\n"
        "le1: flags=43<UP,BROADCAST,RUNNING>\n"
        "\tinet 192.168.1.1 netmask ffffff00 broadcast 192.168.1.255\n"
        "lo0: flags=9<UP,LOOPBACK>\n"
        "\tinet 127.0.0.1 netmask ff000000 \n")


# -- every message of the reference


def test_usage(run):
    assert fails(run) == USAGE


def test_unknown_interface(run):
    assert fails(run, "le9") == "ifconfig: ioctl (SIOCGIFFLAGS): no such interface\n"
    assert fails(run, "le9", "up") == "ifconfig: ioctl (SIOCGIFFLAGS): no such interface\n"


@pytest.mark.parametrize("word", ["mtu", "nosuchhost", "255.255.255.255"])
def test_bad_address(run, word):
    """No mtu keyword in Tahoe: mtu is an address, and not a good one."""
    assert fails(run, "le0", word, "1500") == f"{word}: bad value\n"


def test_an_address_part_too_big_for_its_field_keeps_its_low_bits(run):
    """Tahoe's inet_addr checks no range: 999 is 0x3e7, and only 0xe7 fits the first byte."""
    assert ok(run, "le0", "999.1.1.1") == ""
    assert "\tinet 231.1.1.1 " in ok(run, "le0")


def test_bad_netmask(run):
    assert fails(run, "le0", "10.0.0.1", "netmask", "bogus") == "bogus: bad value\n"


def test_keyword_without_its_value(run):
    assert fails(run, "le0", "10.0.0.1", "netmask") == "ifconfig: 'netmask' requires argument\n"
    assert fails(run, "le0", "metric") == "ifconfig: 'metric' requires argument\n"


def test_no_ns_domain_in_this_kernel(run):
    assert fails(run, "le0", "ns") == "ifconfig: socket: Protocol not supported\n"


def test_unprivileged_user(run):
    assert fails(run, "le0", "up", uid=1000) == "ifconfig: up: permission denied\n"
    # the netmask is the first set-ioctl for an address
    assert fails(run, "le0", "10.0.0.1", uid=1000) == \
        "ifconfig: ioctl (SIOCSIFNETMASK): permission denied\n"
    # a refused metric is only reported; the program goes on
    r = run(ifconfig, "le0", "metric", "2", uid=1000)
    assert (r.status, r.out, r.err) == (0, "", "ioctl (set metric): Not owner\n")
    # looking is allowed
    assert ok(run, "le0", uid=1000) == "le0: flags=2<BROADCAST>\n"


# -- the SVR4 program


def svr4(run, *argv):
    return run(ifconfig, *argv, personality="svr4")


def test_svr4_status_always_prints_the_inet_line(run):
    svr4_ioctls_or_skip()
    r = svr4(run, "le0")
    assert (r.status, r.out) == (0, "le0: flags=2<BROADCAST>\n\tinet 0.0.0.0 netmask 0 \n")


def test_svr4_messages(run):
    svr4_ioctls_or_skip()
    usage = USAGE[:USAGE.index("\t[ arp")]
    assert svr4(run).err == usage
    assert svr4(run, "le9").err == "ifconfig: ioctl (SIOCGIFFLAGS): Invalid argument\n"
    assert svr4(run, "le0", "bogus").err == "ifconfig: bogus: bad value\n"
    assert svr4(run, "le0", "1.2.3.4", "netmask").err == "ifconfig: address argument required\n" + usage


SLIP = """\
machine         "netkern"
ident           SLIP
options         INET
pseudo-device   loop
pseudo-device   sl
"""


@pytest.mark.config(SLIP)
def test_point_to_point_line_shows_the_far_end(run):
    """Tahoe's SLIP never sets RUNNING: flags=11 (utilities-reference 1.5)."""
    assert ok(run, "sl0") == "sl0: flags=10<POINTOPOINT>\n"
    assert ok(run, "sl0", "10.1.0.1", "10.1.0.2") == ""
    assert ok(run, "sl0") == ("sl0: flags=11<UP,POINTOPOINT>\n"
                              "\tinet 10.1.0.1 --> 10.1.0.2 netmask ff000000 \n")
