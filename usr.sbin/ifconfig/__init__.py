"""ifconfig(8): configure network interfaces (usr.sbin/ifconfig/ifconfig.py)."""
