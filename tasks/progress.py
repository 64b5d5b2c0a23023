"""Progress of the long stages (feeds, pages, extraction).

Stages report here; nothing listens unless a front end (the CLI's rich progress bars) installs
a reporter, so scheduled runs pay nothing for it.
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, stage: str, n: int = 1) -> None: ...


_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def get_reporter() -> Reporter | None:
    """The reporter listening now (so another front end can chain to it and restore it)."""
    return _reporter


def start(stage: str, total: int) -> None:
    if _reporter is not None and total:
        _reporter.start(stage, total)


def advance(stage: str, n: int = 1) -> None:
    if _reporter is not None:
        _reporter.advance(stage, n)


# Events ("loaded", batch names) for listeners that are not progress bars, e.g. the CLI's
# Ctrl-C handler, which says whether the interrupted run's batch was loaded or kept.
_listeners: list = []


def add_listener(fn) -> None:
    """fn(name: str, detail) is called for every event() in this process."""
    _listeners.append(fn)


def remove_listener(fn) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


def event(name: str, detail: object = None) -> None:
    for fn in list(_listeners):
        try:
            fn(name, detail)
        except Exception:  # a listener must never break a run
            pass
