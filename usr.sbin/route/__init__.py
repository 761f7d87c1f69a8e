"""route(8): manipulate the routing tables by hand (usr.sbin/route/route.py)."""
