"""python -m usr_sbin.arp: the arp command."""
from usr_sbin import libc
from usr_sbin.arp.arp import arp

libc.command("arp", arp)
