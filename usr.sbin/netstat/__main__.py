"""python -m usr_sbin.netstat: the netstat command."""
from usr_sbin import libc
from usr_sbin.netstat.main import netstat

libc.command("netstat", netstat)
