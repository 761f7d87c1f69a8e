"""The device table: which drivers exist and how a configuration line attaches one.

In a BSD kernel config(8) generated ioconf.c, tying each ``device`` line
to its driver's attach routine, and the pseudo-devices to theirs; here
the table is written by hand and read at boot by kern/init_main.py.
"""

from kern.config import ConfigError


def attach(dev) -> None:
    """Attach one ``device`` line of the configuration."""
    from kern.net import if_le
    if dev.name == "le":
        if dev.unit >= if_le.NLE_MAX:
            raise ConfigError(f"line {dev.line}: le{dev.unit}: unit out of range (max {if_le.NLE_MAX - 1})")
        if_le.leattach(dev.unit, dev.target, dev.lladdr)
        # An Ethernet board needs ARP (if_ether.c): the ether
        # pseudo-device comes with it, as the linker demanded of 4.3.
        from kern import init_main
        init_main.conf.pseudo_devices.setdefault("ether", 1)
        return
    raise ConfigError(f"line {dev.line}: {dev.name}{dev.unit}: no such device (known: le)")


def pseudo_attach(name: str, count: int) -> None:
    """Attach a pseudo-device line."""
    if name == "loop":
        from kern.net import if_loop
        if_loop.loattach(count)
    elif name == "sl":
        from kern.net import if_sl
        if not 1 <= count <= if_sl.NSL_MAX:
            raise ConfigError(f"pseudo-device sl {count}: count out of range (1 to {if_sl.NSL_MAX})")
        if_sl.slattach(count)
    elif name == "ether":
        from kern.netinet import if_ether
        if_ether.arpinit()              # ARP comes with ether
    elif name in ("bpfilter", "pty"):
        pass  # bpf and ptys have no driver yet
    else:
        raise ConfigError(f"pseudo-device {name}: no such pseudo-device (known: loop, ether, sl)")


def shutdown() -> None:
    """Halt the devices: their interrupts stop before kernel memory goes away."""
    from kern.net import if_le
    if_le.leshutdown()
