from usr_sbin import libc
from usr_sbin.dmesg.dmesg import _dmesg

libc.command("dmesg", _dmesg)
