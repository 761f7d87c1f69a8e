/*
 * netkern: packet capture, after 4.3BSD-Reno <net/bpf.h>.
 *
 * Reno's Berkeley Packet Filter gave every interface a tap through which
 * its driver passes each packet, tagged with the interface's data-link
 * type (DLT_*).  netkern has no /dev/bpf: a tap writes what it sees to
 * a file in libpcap's savefile format, whose headers are below (the file
 * header, then a record header before each packet, all in host order).
 * tcpdump and Wireshark read such a file.
 */
#ifndef _NET_BPF_H_
#define	_NET_BPF_H_

#include <sys/types.h>

/* Data-link types (Reno's numbering, which libpcap kept). */
#define	DLT_NULL	0	/* no link layer: a 4-byte address family first */
#define	DLT_EN10MB	1	/* Ethernet (10Mb) */
#define	DLT_SLIP	8	/* Serial Line IP */

/* libpcap's savefile. */
#define	TCPDUMP_MAGIC		0xa1b2c3d4	/* microsecond time stamps */
#define	PCAP_VERSION_MAJOR	2
#define	PCAP_VERSION_MINOR	4

struct pcap_file_header {
	u_int	magic;		/* TCPDUMP_MAGIC */
	u_short	version_major;
	u_short	version_minor;
	int	thiszone;	/* GMT to local correction: 0 */
	u_int	sigfigs;	/* accuracy of time stamps: 0 */
	u_int	snaplen;	/* the most of a packet kept */
	u_int	linktype;	/* DLT_* */
};

struct pcap_sf_pkthdr {		/* before each packet */
	int	ts_sec;		/* when it passed the tap */
	int	ts_usec;
	u_int	caplen;		/* bytes kept */
	u_int	len;		/* bytes the packet had */
};

#define	BPF_MAXSNAP	65535	/* the snapshot length of a netkern tap */

#endif /* !_NET_BPF_H_ */
