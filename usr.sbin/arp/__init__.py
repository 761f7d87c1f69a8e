"""arp(8): the address resolution table (usr.sbin/arp/arp.py)."""
