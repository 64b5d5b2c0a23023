"""What a flow run says while it runs: akhbar's own log lines in the run's Prefect log, stage
counts and progress lines for the long stages.

`run_logging()` is entered by every flow for the length of its run:

- every record of the project's loggers (`akhbar`, `akhbar.*`: the load's "warehouse busy, batch
  left pending", a pool that fell back to in-process work, a skipped snapshot, …) is also sent
  to the run's log in the Prefect UI. The records are stamped with the run's id, so lines logged
  from helper threads arrive too. (Prefect's `PREFECT_LOGGING_EXTRA_LOGGERS` does the same for
  loggers named before `import prefect`, but it attaches its handler for the life of the process
  and warns about every line logged outside a run, e.g. by `akhbar serve` itself.)
- the level of the `akhbar` logger follows Prefect's (`PREFECT_LOGGING_LEVEL`, INFO by default):
  scheduled runs show akhbar's INFO lines; `akhbar ingest` keeps its terminal quiet (WARNING).
- the long stages (feeds, pages, extraction) report progress through `tasks.progress`; unless a
  front end (the CLI's progress bars) already listens, a line like
  `pages: 120/480 (25%) after 31s` is logged at most every 15 s (AKHBAR_PROGRESS_EVERY_S).

Outside a flow run (plain function calls in tests) it does nothing.

`in_run_scope` wraps a flow function (put it under `@flow`) with `run_logging()` plus two things
every run needs when it is stopped half-way:
- in a run started by `akhbar serve` (marked by `AKHBAR_SERVED=1` in its environment), Ctrl-C
  in serve's terminal is ignored by the run's process (and by the extraction workers it starts):
  serve owns the run and stops it properly (cancel intent, SIGTERM, state Cancelled with the
  reason) instead of the run dying of a KeyboardInterrupt with its state left Running;
- a run that is interrupted (cancelled, serve stopped, Ctrl-C) says in its log what that means
  for the warehouse: it only changes in a load's single transaction, and staged batches wait
  for the next run.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import signal
import socket
import threading
import time
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tasks import progress

F = TypeVar("F", bound=Callable)

PROJECT_LOGGER = "akhbar"
SERVED_ENV = "AKHBAR_SERVED"  # set by `akhbar serve` for the runs it starts
PROGRESS_EVERY_S = 15.0

log = logging.getLogger("akhbar.flows.run")


class _StampRun(logging.Filter):
    """Tag records with the flow run they belong to, whatever thread logged them."""

    def __init__(self, flow_run_id):
        super().__init__()
        self.flow_run_id = flow_run_id

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "flow_run_id", None) is None:
            record.flow_run_id = self.flow_run_id
        return True


def _current_flow_run_id():
    try:
        from prefect.context import FlowRunContext

        ctx = FlowRunContext.get()
    except Exception:  # no Prefect context machinery: not in a run
        return None
    return ctx.flow_run.id if ctx and ctx.flow_run else None


def _prefect_level() -> int:
    """The level Prefect gives its own run loggers (PREFECT_LOGGING_LEVEL)."""
    level = logging.getLogger("prefect.flow_runs").getEffectiveLevel()
    return level if level != logging.NOTSET else logging.INFO


@dataclass
class _ProgressLines:
    """A `tasks.progress` reporter that logs a throttled progress line per long stage."""

    every_s: float = PROGRESS_EVERY_S
    inner: progress.Reporter | None = None
    totals: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)
    started: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    def start(self, stage: str, total: int) -> None:
        now = time.monotonic()
        self.totals[stage], self.done[stage], self.started[stage], self.last[stage] = total, 0, now, now
        log.info("%s: %d to do", stage, total)
        if self.inner is not None:
            self.inner.start(stage, total)

    def advance(self, stage: str, n: int = 1) -> None:
        if self.inner is not None:
            self.inner.advance(stage, n)
        if stage not in self.totals:
            return
        self.done[stage] += n
        now = time.monotonic()
        if now - self.last[stage] >= self.every_s and self.done[stage] < self.totals[stage]:
            self.last[stage] = now
            total = self.totals[stage]
            log.info("%s: %d/%d (%d%%) after %.0fs", stage, self.done[stage], total,
                     100 * self.done[stage] // max(total, 1), now - self.started[stage])


@contextmanager
def run_logging(every_s: float | None = None) -> Iterator[None]:
    """Route akhbar's loggers into the current flow run's log and log stage progress (see module
    doc). every_s: at most one progress line per stage this often (AKHBAR_PROGRESS_EVERY_S)."""
    run_id = _current_flow_run_id()
    if run_id is None:
        yield
        return
    if every_s is None:
        from flows.settings import load_settings

        every_s = load_settings().progress_every_s
    from prefect.logging.handlers import APILogHandler

    project = logging.getLogger(PROJECT_LOGGER)
    handler = APILogHandler()
    handler.addFilter(_StampRun(run_id))
    handler.setLevel(_prefect_level())
    old_level = project.level
    project.setLevel(min(_prefect_level(), old_level) if old_level else _prefect_level())
    project.addHandler(handler)
    previous = progress.get_reporter()
    progress.set_reporter(_ProgressLines(every_s=every_s, inner=previous))
    try:
        yield
    finally:
        progress.set_reporter(previous)
        project.removeHandler(handler)
        project.setLevel(old_level)


def count_by(values) -> dict[str, int]:
    """{"ok": 60, "fallback_summary": 2}: how many of each value, for `stage()`."""
    counts: dict[str, int] = {}
    for v in values:
        counts[str(v)] = counts.get(str(v), 0) + 1
    return counts


def stage(name: str, **counts: object) -> None:
    """One line of per-stage counts: `pages: fetched=64 failed=2 seconds=31`."""
    log.info("%s: %s", name, " ".join(f"{k}={v}" for k, v in counts.items()))


EXPECTED = "_akhbar_expected_failure"


def expected_failure(exc: BaseException) -> BaseException:
    """Mark an exception a flow returns as the data of its own Failed state (a bad parameter,
    "no feed could be fetched"): the run's log already says it in one line, so Prefect's engine must
    not add "Engine execution exited with unexpected exception" and a traceback after it."""
    setattr(exc, EXPECTED, True)
    return exc


class _OneLineForPeoplesMistakes(logging.Filter):
    """On Prefect's "Engine execution exited with unexpected exception" record (it carries a
    traceback): drop it for our own Failed states (already said in one line), and turn a
    parameter our validators refused (`ParameterTypeError`, raised before the flow function
    runs: a month 13 in `since`) into one `bad parameter: since: …` line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not str(record.msg).startswith("Engine execution"):
            return True
        if getattr(exc, EXPECTED, False):
            return False
        if type(exc).__name__ == "ParameterTypeError":
            lines = [ln.strip(" -") for ln in str(exc).splitlines()[1:] if ln.strip()]
            record.msg, record.args = "bad parameter: %s", ("; ".join(lines).replace("Value error, ", ""),)
            record.exc_info, record.exc_text = None, None
        return True


_TRACEBACK_FILTER = _OneLineForPeoplesMistakes()


def _quiet_expected_failures() -> None:
    """Installed for the life of the process (the engine logs after the flow function returned,
    or without calling it at all when a parameter is refused): at import and at every run."""
    engine_logger = logging.getLogger("prefect.flow_runs")
    if _TRACEBACK_FILTER not in engine_logger.filters:
        engine_logger.addFilter(_TRACEBACK_FILTER)


def _record_served_process() -> None:
    """Note `host:pid` on a served flow run, so the next serve can tell an orphan (its process is
    gone: serve was killed outright) from a run a live serve is still running."""
    try:
        from prefect import get_client

        run_id = _current_flow_run_id()
        if run_id is None:
            return
        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, infrastructure_pid=f"{socket.gethostname()}:{os.getpid()}")
    except Exception as exc:  # bookkeeping only
        log.debug("could not record the run's process: %s", exc)


@contextmanager
def _serve_owns_interrupts() -> Iterator[None]:
    """In a served run: ignore SIGINT and record the process (see module doc). Elsewhere: nothing."""
    if os.environ.get(SERVED_ENV) != "1" or threading.current_thread() is not threading.main_thread():
        yield
        return
    _record_served_process()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _pending_batches(db: object) -> int | None:
    if not db:
        return None
    try:
        from flows.loading import staging_area

        return len(staging_area(Path(str(db))).pending_batches())
    except Exception:  # a note in a log must never mask the interruption itself
        return None


def flow_fn_wrapper(fn: Callable, wrapper: Callable) -> Callable:
    """Finish a wrapper placed under `@flow`: Prefect builds the run's parameter model from the
    signature, and with `from __future__ import annotations` the annotations are strings that must
    be resolved in *fn's* module, not the wrapper's. So: fn's name, doc and resolved signature."""
    functools.update_wrapper(wrapper, fn)
    wrapper.__signature__ = inspect.signature(fn, eval_str=True)  # type: ignore[attr-defined]
    wrapper.__annotations__ = typing.get_type_hints(fn, include_extras=True)
    return wrapper


def in_run_scope(fn: F) -> F:
    """Decorate a flow function (under `@flow`): run logging, served-run signals, interruption note."""
    signature = inspect.signature(fn)

    def wrapper(*args, **kwargs):
        _quiet_expected_failures()
        with _serve_owns_interrupts(), run_logging():
            try:
                return fn(*args, **kwargs)
            except (Exception, GeneratorExit):
                raise
            except BaseException as exc:  # cancelled (TerminationSignal), Ctrl-C, SystemExit
                try:
                    db = signature.bind_partial(*args, **kwargs).arguments.get("db")
                except TypeError:
                    db = None
                pending = _pending_batches(db)
                log.warning("run stopped before it finished (%s): the warehouse only changes in a load's single "
                            "transaction, so nothing of this run is half-written%s", type(exc).__name__,
                            f"; {pending} staged batch(es) wait for the next run" if pending else "")
                raise

    return flow_fn_wrapper(fn, wrapper)  # type: ignore[return-value]


_quiet_expected_failures()  # a flow module imports this before any of its runs starts
