"""The network software interrupt: schednetisr and dosoftint at kernel exits."""

from kern import kern_clock
from kern.net import netisr


def test_dosoftint_runs_a_scheduled_handler_once(kernel):
    """A scheduled NETISR runs its handler once and clears its bit."""
    calls = []
    netisr.register_netisr(netisr.NETISR_NS, lambda: calls.append("ns"))
    netisr.schednetisr(netisr.NETISR_NS)
    netisr.dosoftint()
    netisr.dosoftint()
    assert calls == ["ns"] and netisr.netisr == 0


def test_arp_runs_before_ip(kernel):
    """Handlers run in NetBSD's dispatch order: ARP, then IP."""
    calls = []
    netisr.register_netisr(netisr.NETISR_IP, lambda: calls.append("ip"))
    netisr.register_netisr(netisr.NETISR_ARP, lambda: calls.append("arp"))
    netisr.schednetisr(netisr.NETISR_IP)
    netisr.schednetisr(netisr.NETISR_ARP)
    netisr.dosoftint()
    assert calls == ["arp", "ip"]


def test_handler_scheduling_another_runs_in_the_same_exit(kernel):
    """A handler that schedules another interrupt sees it run before dosoftint returns."""
    calls = []

    def ns():
        calls.append("ns")
        netisr.schednetisr(netisr.NETISR_IMP)
        netisr.dosoftint()              # nested: returns at once
        calls.append("ns done")
    netisr.register_netisr(netisr.NETISR_NS, ns)
    netisr.register_netisr(netisr.NETISR_IMP, lambda: calls.append("imp"))
    netisr.schednetisr(netisr.NETISR_NS)
    netisr.dosoftint()
    assert calls == ["ns", "ns done", "imp"]


def test_system_call_exit_runs_softints(kernel, sc):
    """Pending software interrupts run at the end of any system call."""
    calls = []
    netisr.register_netisr(netisr.NETISR_NS, lambda: calls.append(1))
    netisr.schednetisr(netisr.NETISR_NS)
    sc.getpid()
    assert calls == [1]


def test_clock_tick_runs_softints(kernel):
    """A clock tick runs pending software interrupts after the callouts."""
    calls = []
    netisr.register_netisr(netisr.NETISR_NS, lambda: calls.append(1))
    netisr.schednetisr(netisr.NETISR_NS)
    kern_clock.tick_clock(1)
    assert calls == [1]


def test_boot_forgets_handlers(kernel, tmp_path):
    """A new boot starts with no pending bits and only the protocols' handlers."""
    from kern import init_main
    netisr.register_netisr(netisr.NETISR_NS, lambda: None)
    netisr.schednetisr(netisr.NETISR_NS)
    init_main.boot(None, str(tmp_path / "again"))
    assert netisr.netisr == 0
    assert all(bit != 1 << netisr.NETISR_NS for bit, _ in netisr._handlers)
