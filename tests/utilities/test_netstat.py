"""netstat(8): every listing read from kernel memory, in both personalities, and every message."""

import io
import os
import shutil

import pytest

from kern import syscalls
from kern.headers import native as h
from usr_sbin.ifconfig.ifconfig import main as ifconfig
from usr_sbin.netstat.main import main as netstat

from usrsbin_helpers import TWO_ETHERNETS, kernel_global

pytestmark = pytest.mark.config(TWO_ETHERNETS)


def ns(run, *argv, **kw):
    return run(netstat, *argv, process=False, **kw)


def out(run, *argv, **kw):
    r = ns(run, *argv, **kw)
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


@pytest.fixture
def configured(run):
    for argv in (("le0", "10.0.0.1", "netmask", "255.255.255.0"), ("lo0", "127.0.0.1")):
        assert run(ifconfig, *argv).status == 0
    return run


# -- statistics


def fill(st, fields):
    for name, value in fields.items():
        setattr(st, name, value)


def test_ip_block_every_line_in_order_zeros_included_and_mislabelled(run):
    ip = kernel_global("ipstat", "struct ipstat")
    fill(ip, dict(ips_total=7, ips_badsum=1, ips_tooshort=2, ips_toosmall=3, ips_forward=1))
    assert out(run, "-p", "ip") == (
        "ip:\n"
        "\t7 total packets received\n"
        "\t1 bad header checksum\n"
        "\t2 with size smaller than minimum\n"      # ips_tooshort: the 4.3 label
        "\t3 with data size < data length\n"        # ips_toosmall
        "\t0 with header length < data size\n"
        "\t0 with data length < header length\n"
        "\t0 fragments received\n"
        "\t0 fragments dropped (dup or out of space)\n"
        "\t0 fragments dropped after timeout\n"
        "\t1 packet forwarded\n"
        "\t0 packets not forwardable\n"
        "\t0 redirects sent\n")


def test_icmp_block_with_histograms(run):
    icmp = kernel_global("icmpstat", "struct icmpstat")
    icmp.icps_outhist[0] = 2
    icmp.icps_inhist[8] = 2
    icmp.icps_inhist[17] = 1
    icmp.icps_reflect = 2
    assert out(run, "-p", "icmp") == (
        "icmp:\n"
        "\t0 calls to icmp_error\n"
        "\t0 errors not generated 'cuz old message was icmp\n"
        "\tOutput histogram:\n"
        "\t\techo reply: 2\n"
        "\t0 messages with bad code fields\n"
        "\t0 messages < minimum length\n"
        "\t0 bad checksums\n"
        "\t0 messages with bad length\n"
        "\tInput histogram:\n"
        "\t\techo: 2\n"
        "\t\taddress mask request: 1\n"
        "\t2 message responses generated\n")


def test_s_follows_the_protocols_file_and_skips_the_absent_tcp(run):
    kernel_global("ipstat", "struct ipstat")
    kernel_global("icmpstat", "struct icmpstat")
    udp = kernel_global("udpstat", "struct udpstat")
    udp.udps_hdrops = 1
    text = out(run, "-s")
    assert [line for line in text.splitlines() if not line.startswith("\t")] == ["ip:", "icmp:", "udp:"]
    assert text.endswith("udp:\n\t1 incomplete header\n\t0 bad data length fields\n\t0 bad checksums\n")
    # a protocols file of the kernel's own changes the order
    with open(os.path.join(run.rundir, "protocols"), "w") as f:
        f.write("udp 17 UDP\nip 0 IP\n")
    assert [ln for ln in out(run, "-s").splitlines() if not ln.startswith("\t")] == ["udp:", "ip:"]


def test_tahoe_prints_u_svr4_prints_d(run):
    udp = kernel_global("udpstat", "struct udpstat")
    udp.udps_badsum = 0xFFFFFFFF
    assert "\t4294967295 bad checksums\n" in out(run, "-p", "udp")
    assert "\t-1 bad checksums\n" in out(run, "-V", "svr4", "-s")


def test_statistics_missing_from_the_namelist_print_nothing(run, tmp_path):
    """A kernel without ip and udp counters (a namelist without them): -s and -p say nothing."""
    nl = run.namelist_without(tmp_path, "_ipstat", "_udpstat", "_icmpstat")
    assert out(run, "-s", nl, run.files[1]) == ""
    assert out(run, "-p", "udp", nl, run.files[1]) == ""


def test_p_takes_aliases_and_refuses_the_unknown(run):
    kernel_global("udpstat", "struct udpstat")
    assert out(run, "-p", "UDP").startswith("udp:\n")
    assert out(run, "-p", "tcp") == ""                 # no TCP in this kernel: nothing
    r = ns(run, "-p", "xtp")
    assert (r.status, r.out, r.err) == (10, "", "xtp: unknown or uninstrumented protocol\n")


def test_rs_and_m(configured):
    assert out(configured, "-rs").startswith("routing:\n\t0 bad routing redirects\n")
    assert "\t2 mbufs allocated to routing table entries\n" in out(configured, "-m")


def test_m_on_an_empty_pool_does_not_divide_by_zero(run, tmp_path):
    """A core whose mbstat is all zeros: Tahoe divided by zero, netstat says 0%."""
    from kern import ksyms
    from kern.headers import native as h
    core = tmp_path / "kmem"
    shutil.copy(run.files[1], core)
    off = ksyms.lookup("_mbstat") - ksyms.lookup("_kmembase")
    with open(core, "r+b") as f:
        f.seek(off)
        f.write(bytes(h.ffi.sizeof("struct mbstat")))
    assert out(run, "-m", run.files[0], str(core)) == (
        "0/0 mbufs in use:\n"
        "0/0 mapped pages in use\n"
        "0 Kbytes allocated to network (0% in use)\n"
        "0 requests for memory denied\n"
        "0 requests for memory delayed\n"
        "0 calls to protocol drain routines\n")


# -- interfaces


def test_i_unconfigured_interfaces_show_none(run):
    assert out(run, "-i") == (
        "Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll\n"
        "le0*  1500  none        none                   0     0        0     0     0\n"
        "le1*  1500  none        none                   0     0        0     0     0\n"
        "lo0*  1536  none        none                   0     0        0     0     0\n")


def test_I_and_t_and_d_columns(configured):
    assert out(configured, "-I", "lo0", "-t", "-d") == (
        "Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll Time Drop\n"
        "lo0   1536  loopback-ne localhost              0     0        0     0     0   0   0\n")
    assert out(configured, "-Ile7").count("\n") == 1        # no such interface: the header alone


def test_svr4_I_prints_the_unit_in_hex(configured):
    assert out(configured, "-V", "svr4", "-Ilo0") == (
        "Name   Mtu   Network     Address      Ipkts   Ierrs Opkts   Oerrs Collis\n"
        "lo0    1536  loopback-n  localhost    0       0     0       0     0     \n")


def test_interval_display(configured):
    """The first line is cumulative, the next ones per interval (if.c sidewaysintpr)."""
    from kern.net import if_
    le0 = next(ifp for ifp in if_.ifnet_list() if if_.if_name(ifp) == "le0")
    le0.if_ipackets, le0.if_opackets = 10, 5

    def sleep(seconds):
        assert seconds == 2
        le0.if_ipackets += 3

    assert out(configured, "-I", "le0", "2", count=3, sleep=sleep) == (
        "   input    (le0)     output            input   (Total)    output\n"
        " packets  errs  packets  errs colls   packets  errs  packets  errs colls\n"
        "      10     0        5     0     0        10     0        5     0     0\n"
        "       3     0        0     0     0         3     0        0     0     0\n"
        "       3     0        0     0     0         3     0        0     0     0\n")


def test_interval_banner_comes_back_after_21_lines_and_restarts_the_count(configured):
    text = out(configured, "1", count=22, sleep=lambda s: None)
    lines = text.splitlines()
    assert lines[23] == lines[0] and len(lines) == 26


def test_svr4_interval_display(configured):
    assert out(configured, "-V", "svr4", "1", count=1, sleep=lambda s: None) == (
        "    input  (le0)      output          input  (Total)    output       \n"
        "packets errs  packets errs  colls packets errs  packets errs  colls \n"
        "0       0     0       0     0     0       0     0       0     0    \n")


# -- routes: see test_golden_session.py and test_traffic.py


# -- sockets


def test_a_lists_wildcard_sockets_and_A_their_pcb(configured):
    sc = syscalls.attach()
    sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    assert out(configured) == ""                  # a wildcard socket is a server
    header = ("Active Internet connections (including servers)\n"
              "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\n")
    row = "udp        0      0  *.*                    *.*" + " " * 19 + "\n"
    assert out(configured, "-a") == header + row
    from kern.netinet import udp_usrreq
    pcb = int(h.ffi.cast("uintptr_t", udp_usrreq.udb.inp_next))
    assert out(configured, "-aA") == (
        "Active Internet connections (including servers)\n"
        "PCB      Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)\n"
        "%8x udp        0      0  *.*                *.*               \n" % pcb)


def test_without_the_file_table_the_unix_pass_says_so(run, tmp_path):
    nl = run.namelist_without(tmp_path, "_nfile")
    r = ns(run, nl, run.files[1])
    assert (r.status, r.out) == (0, "nfile or file not in namelist.\n")


# -- a saved kernel image


def test_system_and_core_read_a_saved_image(configured, tmp_path):
    """netkern savecore's pair (a namelist and a kmem file) is read as it was saved."""
    shutil.copy(configured.files[0], tmp_path / "namelist.0")
    shutil.copy(configured.files[1], tmp_path / "kmem.0")
    before = out(configured, "-rn")
    configured(ifconfig, "le1", "192.168.1.1")
    assert out(configured, "-rn") != before
    assert out(configured, "-rn", str(tmp_path / "namelist.0"), str(tmp_path / "kmem.0")) == before


# -- messages


@pytest.mark.parametrize("argv,status,err", [
    (("-f", "appletalk"), 10, "appletalk: unknown address family\n"),
    (("-x",), 1, "netstat: illegal option -- x\n"),
    (("-I",), 1, "netstat: option requires an argument -- I\n"),
    (("0",), 1, ""),
])
def test_tahoe_option_errors(run, argv, status, err):
    usage = ("usage: netstat [-Aan] [-f address_family] [system] [core]\n"
             "               [-himnrs] [-f address_family] [system] [core]\n"
             "               [-n] [-I interface] interval [system] [core]\n")
    r = ns(run, *argv)
    assert (r.status, r.out, r.err) == (status, "", err + (usage if status == 1 else ""))


def test_svr4_usage_goes_to_stdout(run):
    r = ns(run, "-V", "svr4", "-p", "udp")
    assert (r.status, r.err) == (1, "")
    assert r.out == ("usage: netstat [ -AaimnrsS ] [-f address_family] [-I interface]"
                     " [ interval ] [ system ] [ core ]\n")
    r = ns(run, "-V", "svr4", "-S")
    assert (r.status, r.err) == (1, "Serial line configuration not currently supported\n")


def test_no_namelist_and_no_core(run, tmp_path):
    r = ns(run, str(tmp_path / "vmunix"))
    assert (r.status, r.err) == (1, f"{tmp_path}/vmunix: no namelist\n")
    r = ns(run, run.files[0], str(tmp_path / "core"))
    assert (r.status, r.err) == (1, f"{tmp_path}/core: No such file or directory\n")
    r = ns(run, "-V", "svr4", run.files[0], str(tmp_path / "core"))
    assert (r.status, r.err) == (1, f"netstat: can't open {tmp_path}/core\n")


def test_m_without_mbstat_and_a_namelist_without_its_first_symbol(run, tmp_path):
    """-m says mbstat is missing; but nl[0] is _mbstat, so Tahoe refuses the namelist first."""
    nl = run.namelist_without(tmp_path, "_mbstat")
    r = ns(run, "-m", nl, run.files[1])
    assert (r.status, r.out, r.err) == (1, "", f"{nl}: no namelist\n")
    assert out(run, "-V", "svr4", "-rs", nl, run.files[1]).startswith("routing:\n")


def test_h_without_an_imp(run):
    assert out(run, "-h") == "imp_softc: symbol not in namelist\n"


def test_r_and_i_without_their_symbols(run, tmp_path):
    nl = run.namelist_without(tmp_path, "_rthost", "_ifnet", "_rtstat")
    core = run.files[1]
    assert out(run, "-r", nl, core) == "rthost: symbol not in namelist\n"
    assert out(run, "-rs", nl, core) == "rtstat: symbol not in namelist\n"
    assert out(run, "-i", nl, core) == "ifnet: symbol not defined\n"
    assert out(run, "-V", "svr4", "-i", nl, core) == "ifstats: symbol not defined\n"


def test_without_a_kernel_netstat_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    err = io.StringIO()
    assert netstat(["-k", "nosuch", "-r"], out=io.StringIO(), err=err) == 1
    assert err.getvalue() == 'netkern: kernel "nosuch" is not running (netkern boot)\n'
