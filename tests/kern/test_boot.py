"""Booting: the BSD order, the boot messages, and rebooting leaves nothing behind."""

import io
import os

from kern import init_main
from usr_sbin.dmesg.dmesg import dmesg


def messages(kernel):
    out, err = io.StringIO(), io.StringIO()
    files = (os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem"))
    assert dmesg([], out, err, files=files) == 0, err.getvalue()
    return out.getvalue().split("\n")


def test_dmesg_prints_the_boot_messages_in_boot_order(kernel):
    lines = messages(kernel)
    assert lines[0] == ""                        # the date line comes after an empty line
    assert len(lines[1]) == 12                   # "Mmm dd hh:mm"
    body = lines[2:]
    assert body[0].startswith("netkern 4.3BSD-Tahoe/SVR4 network kernel (GENERIC) #1: ")
    assert body[1].startswith("real mem  = ")
    # interfaces found by autoconfiguration, then the loopback pseudo-device last
    assert body[2] == "le0 at wire lan0"
    assert body[3].startswith("le0: hardware address ")
    assert body[4] == "lo0: software loopback, mtu 1536"
    assert body[5].startswith("avail mem = ")


def test_lo0_is_last_in_the_interface_list_as_on_tahoe(kernel):
    from kern.net import if_
    assert [if_.if_name(ifp) for ifp in if_.ifnet_list()] == ["le0", "lo0"]


def test_log_priorities_are_hidden_by_dmesg(kernel):
    from kern import subr_prf
    subr_prf.log(3, "le0: something %s\n", "odd")
    assert "le0: something odd" in messages(kernel)


def test_rebooting_starts_from_empty_tables(tmp_path):
    from kern import kern_proc, syscalls
    from kern.headers import native as h
    init_main.boot(None, str(tmp_path / "a"))
    sc = syscalls.attach()
    sc.socket(h.AF_INET, h.SOCK_DGRAM, 0)
    init_main.boot(None, str(tmp_path / "b"))
    assert kern_proc.allproc == {}
    sc2 = syscalls.attach()
    assert sc2.socket(h.AF_INET, h.SOCK_DGRAM, 0) == 0
    init_main.shutdown()


def test_dmesg_without_a_kernel_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    assert dmesg([], out, err, kname="nosuch") == 1
    assert err.getvalue() == 'netkern: kernel "nosuch" is not running (netkern boot)\n'


def test_dmesg_incremental_prints_only_what_is_new(kernel):
    from kern import subr_prf
    files = (os.path.join(kernel, "namelist"), os.path.join(kernel, "kmem"))
    out = io.StringIO()
    dmesg(["-"], out, io.StringIO(), files=files)
    assert "real mem" in out.getvalue()
    out = io.StringIO()
    assert dmesg(["-"], out, io.StringIO(), files=files) == 0
    assert out.getvalue() == ""
    subr_prf.printf("later\n")
    out = io.StringIO()
    dmesg(["-"], out, io.StringIO(), files=files)
    assert out.getvalue().split("\n")[2:] == ["later", ""]


def test_dmesg_on_a_file_that_is_not_a_kernel(kernel, tmp_path):
    bogus = tmp_path / "core"
    bogus.write_bytes(bytes(1 << 20))
    out = io.StringIO()
    files = (os.path.join(kernel, "namelist"), str(bogus))
    assert dmesg([], out, io.StringIO(), files=files) == 1
    assert out.getvalue().endswith("Magic number wrong (namelist mismatch?)\n")
