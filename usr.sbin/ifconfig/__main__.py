"""python -m usr_sbin.ifconfig: the ifconfig command."""
from usr_sbin import libc
from usr_sbin.ifconfig.ifconfig import ifconfig

libc.command("ifconfig", ifconfig)
