"""The extraction pool's processes as the OS sees them, for the tests of tasks/pool.py's
workers (started, kept, released)."""

from __future__ import annotations


def forked_by_the_server() -> int:
    """This process's fork server and the extraction workers it forked (all of them carry the
    fork server's command line)."""
    import psutil

    n = 0
    for p in psutil.Process().children(recursive=True):
        try:
            n += "forkserver" in " ".join(p.cmdline())
        except psutil.Error:  # ended meanwhile
            pass
    return n


def has_module(name: str) -> bool:
    """Whether `name` is imported in this process (mapped to the workers by tests/pool_main_probe.py)."""
    import sys

    return name in sys.modules
