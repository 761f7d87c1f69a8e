"""python -m usr_sbin.route: the route command."""
from usr_sbin import libc
from usr_sbin.route.route import route

libc.command("route", route)
