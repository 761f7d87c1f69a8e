"""Wires: stations in a folder of datagram sockets, within and across processes.

The tests use real stations (kern/net/wire.py), real child processes
that join the same wire, and real signals; nothing is simulated.
"""

import os
import signal
import subprocess
import sys

import pytest

from ethertest import ECHO_STATION as ECHO, wait_frames
from kern.net import wire

# A child that joins and then never reads.
DEAF = r"""
import sys, time
from kern.net import wire
st = wire.Station(sys.argv[1], sys.argv[2], "deaf")
print("ready", flush=True)
time.sleep(60)
"""


def child(code, wdir, name="lan0"):
    p = subprocess.Popen([sys.executable, "-c", code, str(wdir), name], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline() == "ready\n"
    return p


def test_wire_folder_is_beside_the_run_directory(tmp_path):
    assert wire.wires_dir(str(tmp_path / "k1")) == str(tmp_path / "wires")


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "-x", "x" * 65, "lan 0"])
def test_bad_wire_names_are_refused(name):
    assert wire.check_name(name)


def test_stations_of_one_process_deliver_by_direct_call(tmp_path):
    got = []
    a = wire.Station(str(tmp_path), "lan0", "a")
    b = wire.Station(str(tmp_path), "lan0", "b", input=got.append)
    try:
        assert a.send(b"frame") == (0, 0)
        assert got == [b"frame"]
        assert b.send(b"back") == (0, 0)         # a has no input routine: not delivered
    finally:
        a.close()
        b.close()


def test_a_station_does_not_hear_itself(tmp_path):
    got = []
    a = wire.Station(str(tmp_path), "lan0", "a", input=got.append)
    try:
        a.send(b"x")
        assert got == [] and a.recv() == []
    finally:
        a.close()


def test_stations_on_different_wires_do_not_hear_each_other(tmp_path):
    got = []
    a = wire.Station(str(tmp_path), "lan0", "a")
    b = wire.Station(str(tmp_path), "lan1", "b", input=got.append)
    try:
        a.send(b"x")
        assert got == []
    finally:
        a.close()
        b.close()


def test_frames_cross_processes(tmp_path):
    p = child(ECHO, tmp_path)
    a = wire.Station(str(tmp_path), "lan0", "a")
    try:
        a.send(b"hello")
        assert wait_frames(a, 1) == [b"echo:hello"]
        a.send(b"quit")
        assert p.wait(5) == 0
    finally:
        p.kill()
        a.close()


def test_leaving_removes_the_socket_and_the_empty_folder(tmp_path):
    a = wire.Station(str(tmp_path), "lan0", "a")
    assert os.listdir(tmp_path / "lan0") == [f"{os.getpid()}.a"]
    a.close()
    assert not (tmp_path / "lan0").exists()


def test_the_folder_stays_while_a_station_remains(tmp_path):
    a = wire.Station(str(tmp_path), "lan0", "a")
    b = wire.Station(str(tmp_path), "lan0", "b")
    a.close()
    assert os.listdir(tmp_path / "lan0") == [f"{os.getpid()}.b"]
    b.close()


def test_joining_reaps_the_sockets_of_dead_processes(tmp_path):
    p = child(DEAF, tmp_path)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert f"{p.pid}.deaf" in os.listdir(tmp_path / "lan0")
    a = wire.Station(str(tmp_path), "lan0", "a")
    assert os.listdir(tmp_path / "lan0") == [f"{os.getpid()}.a"]
    a.close()


def test_a_dead_station_found_while_sending_is_unlinked(tmp_path):
    a = wire.Station(str(tmp_path), "lan0", "a")
    p = child(DEAF, tmp_path)
    try:
        assert f"{p.pid}.deaf" in os.listdir(tmp_path / "lan0")
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert a.send(b"x") == (0, 0)            # ECONNREFUSED: tidied, not an error
        assert os.listdir(tmp_path / "lan0") == [f"{os.getpid()}.a"]
    finally:
        a.close()


def test_a_station_that_does_not_read_costs_collisions_then_an_error(tmp_path):
    """Its queue fills (the medium is busy): 16 attempts, then the frame is given up."""
    p = child(DEAF, tmp_path)
    a = wire.Station(str(tmp_path), "lan0", "a")
    try:
        results = [a.send(b"y" * 100) for _ in range(40)]
        assert results[0] == (0, 0)
        assert (wire.MAXATTEMPTS - 1, 1) in results
    finally:
        p.kill()
        p.wait()
        a.close()


def test_deep_folders_work_despite_the_socket_path_limit(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    got = []
    a = wire.Station(str(deep), "lan0", "a")
    b = wire.Station(str(deep), "lan0", "b", input=got.append)
    p = child(ECHO, deep)
    try:
        a.send(b"z")
        assert got == [b"z"]
        assert wait_frames(a, 1) == [b"echo:z"]
    finally:
        p.kill()
        p.wait()
        a.close()
        b.close()


def test_exit_leaves_the_wire(tmp_path):
    code = ("import sys\nfrom kern.net import wire\n"
            "wire.Station(sys.argv[1], sys.argv[2], 'x')\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), "lan0"], check=True)
    assert not (tmp_path / "lan0").exists()


def test_tap_bridge_usage():
    r = subprocess.run([sys.executable, "-m", "kern.net.wire", "tap", "bad/name", "nk0"],
                       capture_output=True, text=True)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "usage: python -m kern.net.wire tap wire tapname [folder]\n")
