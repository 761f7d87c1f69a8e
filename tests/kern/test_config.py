"""The kernel configuration grammar: good files, and bad ones with exact positions."""

import pytest

from kern import config
from kern.config import ConfigError


def test_generic_parses():
    c = config.parse(config.GENERIC, "GENERIC")
    assert c.ident == "GENERIC" and c.machine == "netkern" and c.maxusers == 8
    assert c.options == {"INET": "1"}
    assert c.pseudo_devices == {"loop": 1, "ether": 1}
    assert [(d.name, d.unit, d.bus, d.target) for d in c.devices] == [("le", 0, "wire", "lan0")]


def test_options_with_values_lists_and_quotes():
    c = config.parse('options GATEWAY, RTHASHSIZ=65536\noptions "HZ=60", KMEMSIZE=0x4000000\n')
    assert c.options == {"GATEWAY": "1", "RTHASHSIZ": "65536", "HZ": "60", "KMEMSIZE": "67108864"}
    assert c.int_option("KMEMSIZE", 0) == 64 << 20


def test_comments_blank_lines_and_a_missing_final_newline():
    c = config.parse("# a kernel\n\nident   TEST   # comment\n\npseudo-device loop")
    assert c.ident == "TEST" and c.pseudo_devices == {"loop": 1}


def test_device_with_station_address():
    c = config.parse('device le1 at wire "lan1" lladdr 08:00:20:01:02:03\n')
    (d,) = c.devices
    assert (d.name, d.unit, d.target, d.lladdr) == ("le", 1, "lan1", bytes([8, 0, 0x20, 1, 2, 3]))


@pytest.mark.parametrize("text, where", [
    ("ident\n", "F:1:6: syntax error at end of line"),
    ("options GATEWAY RTHASHSIZ=8\n", "F:1:17: syntax error at 'RTHASHSIZ'"),
    ("maxusers eight\n", "F:1:10: syntax error at 'eight'"),
    ("ident X\nmachine\n", "F:2:8: syntax error at end of line"),
    ("device le0 at bus \"x\"\n", "F:1:15: unknown attachment 'bus' (expected: wire)"),
    ("device le at wire \"x\"\n", "F:1:8: device name 'le' must be a name and a unit number"),
    ("options HZ=fast\n", "F:1:9: option HZ needs a number, not 'fast'"),
    ("ident X\n  @\n", "F:2:3: illegal character '@'"),
    ('device le0 at wire "a"\ndevice le0 at wire "b"\n', "F:2:8: device le0 configured twice"),
])
def test_errors_name_file_line_and_column(text, where):
    with pytest.raises(ConfigError) as e:
        config.parse(text, "F")
    assert str(e.value) == where


def test_unknown_device_refuses_to_boot(tmp_path):
    from kern import init_main
    with pytest.raises(ConfigError, match="xx0: no such device"):
        init_main.boot('device xx0 at wire "a"\n', str(tmp_path))
    init_main.shutdown()


@pytest.mark.config("options GATEWAY\npseudo-device loop\n")
def test_gateway_option_reaches_the_header_constants(kernel):
    from kern import param
    from kern.net import route
    assert param.kconst.RTHASHSIZ == 64 and route.rthashsize == 64


@pytest.mark.config("options RTHASHSIZ=100\npseudo-device loop\n")
def test_rthashsiz_option_overrides_and_a_non_power_of_two_uses_remainder(kernel):
    from kern import param
    assert param.kconst.RTHASHSIZ == 100
    assert param.kconst.RTHASHMOD(250) == 50
