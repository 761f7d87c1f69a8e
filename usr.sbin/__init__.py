"""The classic utilities, one folder each (usr.sbin/ifconfig, route, netstat, arp, dmesg, ping).

The folder keeps the name of the BSD source tree; ``usr.sbin`` is not a
valid Python package name, so pyproject.toml maps it to the package
``usr_sbin`` (its only package-dir entry), and the utilities are
imported as ``usr_sbin.ifconfig.ifconfig`` and so on.
"""
