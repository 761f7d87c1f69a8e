/*
 * netkern: byte order of the host.
 *
 * The names are those of 4.3BSD-Tahoe <machine/endian.h>, which let
 * <netinet/ip.h> order the ip_hl/ip_v bitfields for the machine.  The
 * emulated kernel runs on a little-endian x86_64 host; the wire stays
 * big-endian, so header fields are converted with ntohs()/htons() in
 * Python as the C code does.
 */
#ifndef _MACHINE_ENDIAN_H_
#define	_MACHINE_ENDIAN_H_

#define	LITTLE_ENDIAN	1234	/* least significant byte first (vax, i386) */
#define	BIG_ENDIAN	4321	/* most significant byte first (tahoe, 68k) */
#define	PDP_ENDIAN	3412	/* the pdp-11's mixed order */

#define	BYTE_ORDER	LITTLE_ENDIAN	/* this host */

#endif /* !_MACHINE_ENDIAN_H_ */
