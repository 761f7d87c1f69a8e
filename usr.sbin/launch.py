"""Start a utility without site.py: ``python -S .../usr.sbin/launch.py PROG [ARG ...]``.

Half of a Python utility's start-up is site.py (and, in a development
install, the editable-install finder it loads), which the utilities
never need: they import netkern's own modules and cffi's backend.  A
shim (netkern sh's PATH) may run this file with ``python -S`` instead
of ``python -m usr_sbin.PROG``: it puts the project (or site-packages)
and cffi on sys.path by hand, maps the source folder usr.sbin to the
package usr_sbin as pyproject.toml does, and runs the utility's
``__main__``.  Same program, same output; only faster to start
(bench/utility_startup.py measures both ways).
"""

import sys


def _setup():
    import posix
    here = __file__.rpartition("/")[0] or "."
    # Without site.py sys.prefix is the base interpreter's, not the
    # virtual environment's: find the environment from the executable.
    prefix = sys.executable.rpartition("/")[0].rpartition("/")[0]
    try:
        posix.stat(prefix + "/pyvenv.cfg")
    except OSError:
        prefix = sys.prefix
    lib = "%s/lib/python%d.%d/site-packages" % (prefix, *sys.version_info[:2])
    del sys.path[0]                          # this folder: not a package root
    if here.endswith("/usr.sbin"):           # a source tree (or an editable install)
        sys.path[:0] = [here.rpartition("/")[0], lib]
        from _frozen_importlib import module_from_spec
        from _frozen_importlib_external import spec_from_file_location
        spec = spec_from_file_location("usr_sbin", here + "/__init__.py",
                                       submodule_search_locations=[here])
        pkg = module_from_spec(spec)
        sys.modules["usr_sbin"] = pkg
        spec.loader.exec_module(pkg)
    else:                                    # installed: usr_sbin is in site-packages
        sys.path[:0] = [here.rpartition("/")[0], lib]


def main():
    if len(sys.argv) < 2 or not sys.argv[1].isidentifier():
        sys.stderr.write("usage: python -S launch.py utility [argument ...]\n")
        sys.exit(1)
    _setup()
    prog = sys.argv[1]
    sys.argv = [prog] + sys.argv[2:]
    try:
        __import__("usr_sbin.%s.__main__" % prog)
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("usr_sbin.%s" % prog):
            sys.stderr.write("launch: %s: no such utility\n" % prog)
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
