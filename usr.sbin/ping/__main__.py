"""python -m usr_sbin.ping: the ping command."""
from usr_sbin import libc
from usr_sbin.ping.ping import ping

libc.command("ping", ping)
