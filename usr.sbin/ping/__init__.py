"""ping(8): ICMP echo to a host (usr.sbin/ping/ping.py)."""
