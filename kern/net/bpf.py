"""Packet capture: each interface's tap, written to a pcap file (DESIGN.md section 6).

4.3BSD-Reno net/bpf.c gave every interface a tap: the driver declared
its data-link type when it attached (``bpfattach``) and passed every
packet it sent or received through ``bpf_tap`` (a buffer) or
``bpf_mtap`` (an mbuf chain) to the readers of /dev/bpf, each with its
filter.  netkern has no device files and no filter machine: a tap is
opened on an interface with ``bpf_open`` (``netkern tap``, or directly
in-process) and copies each packet, with its time stamp, into a file in
libpcap's savefile format (<net/bpf.h>), which tcpdump and Wireshark
read.  A driver's call costs one dictionary test while no tap is open.
"""

import errno

from kern import kern_clock
from kern.headers import native as h
from kern.kern_malloc import kaddr
from kern.uipc_mbuf import m_copydata, m_length

ffi = h.ffi
_FILEHDR = ffi.sizeof("struct pcap_file_header")
_PKTHDR = ffi.sizeof("struct pcap_sf_pkthdr")

_dlt = {}       # interface address -> its DLT_*, from bpfattach
taps = {}       # interface address -> the open pcap file (drivers test this)


def bpfinit() -> None:
    """Forget the interfaces of an earlier boot and close its taps."""
    bpf_closeall()
    _dlt.clear()


def bpfattach(ifp, dlt: int) -> None:
    """Declare an interface's data-link type, so that it can be tapped (Reno bpfattach)."""
    _dlt[kaddr(ifp)] = dlt


def bpf_open(ifp, path: str) -> int:
    """Start writing what passes ifp to the pcap file at path; an errno or 0.

    An interface whose driver declared no data-link type is ENXIO; one
    already tapped is EBUSY; a file that cannot be made is its errno.
    """
    key = kaddr(ifp)
    if key not in _dlt:
        return h.ENXIO
    if key in taps:
        return h.EBUSY
    try:
        f = open(path, "wb")
    except OSError as e:        # the host's errno, by name in the kernel's numbering
        return getattr(h, errno.errorcode.get(e.errno, "EIO"), h.EIO)
    hdr = ffi.new("struct pcap_file_header *")
    hdr.magic = h.TCPDUMP_MAGIC
    hdr.version_major, hdr.version_minor = h.PCAP_VERSION_MAJOR, h.PCAP_VERSION_MINOR
    hdr.snaplen, hdr.linktype = h.BPF_MAXSNAP, _dlt[key]
    f.write(ffi.buffer(hdr, _FILEHDR))
    f.flush()
    taps[key] = f
    return 0


def bpf_close(ifp) -> int:
    """Stop tapping ifp: 0, or ENXIO if it was not tapped."""
    f = taps.pop(kaddr(ifp), None)
    if f is None:
        return h.ENXIO
    f.close()
    return 0


def bpf_closeall() -> None:
    """Close every tap (at shutdown)."""
    for f in taps.values():
        f.close()
    taps.clear()


def bpf_tap(ifp, pkt: bytes) -> None:
    """Copy a packet given as bytes to ifp's tap, if it has one (Reno bpf_tap)."""
    f = taps.get(kaddr(ifp))
    if f is not None:
        _record(f, pkt)


def bpf_mtap(ifp, m, prefix: bytes = b"") -> None:
    """Copy an mbuf chain (after prefix, a link header the driver adds) to ifp's tap (Reno bpf_mtap)."""
    f = taps.get(kaddr(ifp))
    if f is not None:
        _record(f, prefix + m_copydata(m, 0, m_length(m)))


def _record(f, pkt: bytes) -> None:
    """One packet: its record header (the kernel's time) and at most BPF_MAXSNAP bytes."""
    rec = ffi.new("struct pcap_sf_pkthdr *")
    tv = kern_clock.time_p
    rec.ts_sec, rec.ts_usec = tv.tv_sec, tv.tv_usec
    rec.len = len(pkt)
    rec.caplen = min(len(pkt), h.BPF_MAXSNAP)
    f.write(ffi.buffer(rec, _PKTHDR))
    f.write(pkt[:rec.caplen])
    f.flush()
