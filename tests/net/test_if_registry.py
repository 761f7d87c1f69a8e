"""Property: no sequence of interface ioctls can leave the registry inconsistent.

Hypothesis draws sequences of address, peer, broadcast, netmask, flag,
detach and rename commands, from root and ordinary processes of both
personalities, on every interface and on names that do not exist, with
odd families and odd flag words.  After every call, whatever its errno,
the registry must hold together:

* every ifaddr on an interface's if_addrlist points back to it (ifa_ifp);
* the in_ifaddr list is exactly the union of the interfaces' address
  lists (and 4.3 keeps at most one Internet address per interface);
* kmemstats[M_IFADDR] counts exactly the in_ifaddr records: none leaks;
* in_interfaces counts the non-loopback records (less SVR4 detaches);
* every route points at a listed interface and the refcount audit
  (route.rt_audit) is clean.

And at the end, once the processes' sockets are closed, socket and pcb
memory is back where it was after boot.
"""

import shutil
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kern import config, headers, init_main, kern_malloc, ksyms, syscalls
from kern.headers import native as h
from kern.net import if_, route
from kern.netinet import in_

s4 = headers.load("svr4")
ffi = h.ffi
CONFIG = config.GENERIC + "pseudo-device   sl 1\n"

NAMES = st.sampled_from([b"le0", b"lo0", b"sl0", b"qe0", b"l0"])
ADDRS = st.sampled_from(["10.0.0.1", "10.0.0.2", "10.1.0.2", "128.32.1.1", "192.168.1.1",
                         "127.0.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1"])
MASKS = st.sampled_from(["0.0.0.0", "255.0.0.0", "255.255.0.0", "255.255.255.0", "255.255.255.255"])
FAMILIES = st.sampled_from([h.AF_INET, h.AF_INET, h.AF_INET, h.AF_UNSPEC, 99])
PROCS = st.sampled_from(["root", "root", "svr4", "user"])

OPS = st.one_of(
    st.tuples(st.just("SIOCSIFADDR"), PROCS, NAMES, ADDRS, FAMILIES),
    st.tuples(st.just("SIOCSIFDSTADDR"), PROCS, NAMES, ADDRS, FAMILIES),
    st.tuples(st.just("SIOCSIFBRDADDR"), PROCS, NAMES, ADDRS, FAMILIES),
    st.tuples(st.just("SIOCSIFNETMASK"), PROCS, NAMES, MASKS, st.just(h.AF_INET)),
    st.tuples(st.just("SIOCSIFFLAGS"), PROCS, NAMES, st.integers(0, 0xFFFF), st.just(0)),
    st.tuples(st.just("SIOCIFDETACH"), st.just("svr4"), NAMES, st.just("0.0.0.0"), st.just(0)),
    st.tuples(st.just("SIOCSIFNAME"), st.just("svr4"), NAMES,
              st.sampled_from([b"le0", b"qe0", b"emd12", b"x", b""]), st.just(0)),
)


class World:
    """A freshly booted kernel and the processes that poke at it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="netkern-prop-")
        init_main.boot(CONFIG, self.dir)
        self.base = {t: kern_malloc.kmemstats[t].ks_inuse for t in (h.M_SOCKET, h.M_PCB)}
        self.procs = {"root": syscalls.attach(uid=0),
                      "svr4": syscalls.attach(uid=0, personality="svr4"),
                      "user": syscalls.attach(uid=1000)}
        self.socks = {k: sc.socket(h.AF_INET, h.SOCK_DGRAM, 0) for k, sc in self.procs.items()}
        self.detached = 0

    def run(self, op):
        cmd, who, name, value, fam = op
        sc, s = self.procs[who], self.socks[who]
        abi = s4 if who == "svr4" else h
        r = abi.ffi.new("struct ifreq *")
        r.ifr_name = name
        if cmd == "SIOCSIFFLAGS":
            r.ifr_ifru.ifru_flags = value - 0x10000 if value & 0x8000 else value
        elif cmd == "SIOCSIFNAME":
            r.ifr_name, r.ifr_ifru.ifru_oname = value, name
        else:
            sin = ffi.cast("struct sockaddr_in *", ffi.addressof(r.ifr_ifru, "ifru_addr"))
            sin.sin_family = fam
            sin.sin_addr.s_addr = int.from_bytes(bytes(int(x) for x in value.split(".")), "little")
        counted = cmd == "SIOCIFDETACH" and self._counted(name)
        try:
            sc.ioctl(s, getattr(abi, cmd), r)
        except syscalls.SysError:
            return
        if counted:
            self.detached += 1

    def _counted(self, name: bytes) -> bool:
        """Would an SVR4 detach of this name lower in_interfaces (a non-loopback interface)?"""
        for ifp in if_.ifnet_list():
            if if_.if_name(ifp).encode() == name:
                return int(ffi.cast("uintptr_t", ifp)) != ksyms.lookup("_loif")
        return False

    def check(self):
        ifps = list(if_.ifnet_list())
        on_interfaces = []
        for ifp in ifps:
            ifa = ifp.if_addrlist
            while ifa != ffi.NULL:
                assert ifa.ifa_ifp == ifp
                on_interfaces.append(int(ffi.cast("uintptr_t", ifa)))
                ifa = ifa.ifa_next
        records = [int(ffi.cast("uintptr_t", ia)) for ia in in_.in_ifaddr_list()]
        assert sorted(records) == sorted(on_interfaces)
        assert len(set(records)) == len(records)
        per_if = [ia.ia_ifa.ifa_ifp for ia in in_.in_ifaddr_list()]
        assert all(per_if.count(i) == 1 for i in per_if)
        assert kern_malloc.kmemstats[h.M_IFADDR].ks_inuse == len(records)
        loif = ksyms.lookup("_loif")
        external = sum(1 for i in per_if if int(ffi.cast("uintptr_t", i)) != loif)
        assert in_.in_interfaces_p[0] == external - self.detached
        for rt in route.routes():
            assert rt.rt_ifp in ifps
        assert route.rt_audit() == []

    def close(self):
        """Close every socket: socket and pcb memory must be back to its boot level."""
        for who, sc in self.procs.items():
            sc.close(self.socks[who])
        for t, n in self.base.items():
            assert kern_malloc.kmemstats[t].ks_inuse == n

    def shutdown(self):
        init_main.shutdown()
        shutil.rmtree(self.dir, ignore_errors=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, max_size=30))
def test_interface_ioctls_keep_the_registry_consistent(ops):
    world = World()
    try:
        world.check()
        for op in ops:
            world.run(op)
            world.check()
        world.close()
    finally:
        world.shutdown()
