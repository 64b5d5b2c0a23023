"""The stages of a streamed run as Prefect tasks running side by side (tasks/stream.py has the
machinery): one task reads or fetches pages, one extracts them in the worker processes, one
takes the extracted articles chunk by chunk (attribution and signatures, dedupe, staging, load).

Each stage is one task run for the whole run (a task run costs ~30 ms; one per chunk or per
article would not be), so the UI shows the three stages running at once, each with its progress
lines. Bulky or live arguments (the source iterator, the pipes) are passed through quote(): the
task receives them as they are and Prefect does not walk them.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import loading, tuning
from flows.settings import Settings
from tasks import progress, stories, stream
from tasks.models import Article
from tasks.stream import Limits, Pipe, Stream
from warehouse.load import LoadReport

_log = logging.getLogger("akhbar.stream")


def _logger():
    try:
        return get_run_logger()
    except Exception:  # noqa: BLE001 - outside a run (plain calls in tests)
        return _log


def _quiet_when_stopped(fn: Callable) -> Callable:
    """A stage stopped because another stage (or the run) stopped ends quietly: the cause is
    raised once, by run_stream, not as a traceback per stage task."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stream.Stopped:
            _logger().info("stage stopped: the run is stopping")
            return None
    return wrapper


def settle(inp: Pipe, st: Stream, handle: Callable[[list, bool], Any], label: str = "chunk") -> Any:
    """Stage 3: `handle(chunk, last)` for every chunk of `Limits.chunk` items, in order; returns
    what the last call returned (the last chunk, possibly empty, is handed over with last=True: a
    flow can store it together with its run tables, so a run of one chunk writes one batch)."""
    n = done = 0
    try:
        for chunk, last in stream.chunks(inp, st.limits.chunk):
            result = handle(chunk, last)
            tuning.release_memory()  # what the chunk's dedupe and load freed, back to the system
            n += 1
            done += len(chunk)
            if chunk:
                _logger().info("%s %d done: %d pages so far", label, n, done)
        return result
    except BaseException as exc:
        st.abort(exc)
        raise


def _feed(items: Iterable, out: Pipe, st: Stream, label: str) -> int:
    tick = stream.Ticker(lambda n: _logger().info("%s: %d pages so far", label, n))
    return stream.feed(_counted(items, tick), out, st)


def _counted(items: Iterable, tick: stream.Ticker):
    for item in items:
        yield item
        tick()


def _extract(inp: Pipe, out: Pipe, st: Stream, job_of, fn, finish, label: str) -> int:
    tick = stream.Ticker(lambda n: _logger().info("%s: %d pages extracted", label, n))

    def on_item() -> None:
        tick()
        progress.advance("extract")  # the CLI's progress bar

    return stream.extract(inp, out, st, job_of, fn, finish, on_item)


# Stage tasks: no retries (a stream cannot be replayed) and no caching (the inputs are live).
read_stage = task(name="read-pages", cache_policy=NO_CACHE)(_quiet_when_stopped(_feed))
extract_stage = task(name="extract", cache_policy=NO_CACHE)(_quiet_when_stopped(_extract))
settle_stage = task(name="dedupe-and-load", cache_policy=NO_CACHE)(_quiet_when_stopped(settle))


def run_stream(source: Callable[[threading.Event], Iterable], job_of: Callable, fn: Callable, finish: Callable,
               handle: Callable[[list, bool], Any], limits: Limits,
               names: tuple[str, str, str] = ("fetch-pages", "extract", "dedupe-and-load")) -> Any:
    """Run the three stages side by side as Prefect tasks of the current flow; returns what
    `handle` returned for the last chunk. `source(stop)` gives the items (it should end early once
    `stop` is set). The first stage to fail stops the others; its error is raised here."""
    st = Stream(limits)
    futures = []
    try:
        futures.append(read_stage.with_options(name=names[0]).submit(quote(source(st.stop)), quote(st.pages),
                                                                     quote(st), names[0]))
        futures.append(extract_stage.with_options(name=names[1]).submit(
            quote(st.pages), quote(st.extracted), quote(st), quote(job_of), quote(fn), quote(finish), names[1]))
        futures.append(settle_stage.with_options(name=names[2]).submit(quote(st.extracted), quote(st), quote(handle)))
        for f in futures:
            f.wait()
    except BaseException as exc:  # Ctrl-C or a failure here: stop the stages before leaving
        st.abort(exc)
        for f in futures:
            f.wait()
        raise
    if st.error is not None:
        raise st.error
    return futures[2].result()


def load_batch(db_path: Path, run_id: str, tables: dict[str, list[dict]], settings: Settings,
               lock_timeout_s: float | None = None) -> LoadReport:
    """One batch of a long run, loaded without the search rebuild and snapshot copy (a full-file
    copy per batch would dominate a big backfill); the run's final load finalizes once."""
    return loading.stage_and_load(db_path, run_id, tables, settings, finalize=False,
                                  lock_timeout_s=lock_timeout_s)


class ChunkLoader:
    """The load step of a streamed run's chunks (ingest-warc, reprocess): each chunk's tables are
    staged and loaded at once. A chunk that is not in the warehouse afterwards is kept in
    `unloaded`, so the dedupe of the next chunks sees it as if it were stored: a dry run, a chunk
    with nothing to write, or a load deferred because another process holds the warehouse. A
    deferred load's reason is kept in `deferred` (the run's summary says "load: deferred (...)");
    its batch stays staged and the next chunk's load (or the next run) loads it, and a load that
    succeeds empties `unloaded` (everything staged so far is in the warehouse then)."""

    def __init__(self, db_path: Path, run_id: str, settings: Settings, dry_run: bool = False,
                 lock_timeout_s: float | None = None) -> None:
        self.db_path, self.run_id, self.settings, self.dry_run = db_path, run_id, settings, dry_run
        self.lock_timeout_s = lock_timeout_s  # None: loading's default wait for the writer slot
        self.unloaded = stories.Unloaded()
        self.deferred: str | None = None  # why the last deferred load was deferred

    def load(self, tables: dict[str, list[dict]], clustered: stories.StoriesResult, arts: list[Article],
             write: bool = True) -> LoadReport | None:
        """Load one chunk's `tables` (write=False or a dry run: keep it unloaded without writing)."""
        if self.dry_run or not write:
            self.unloaded.add(clustered, arts)
            return None
        report = load_batch(self.db_path, self.run_id, tables, self.settings, self.lock_timeout_s)
        if report.error:
            self.deferred = report.error
            self.unloaded.add(clustered, arts)
        else:
            self.unloaded.clear()
        return report

    def state(self) -> str:
        """The run summary's "load:" value: n/a (dry run), ok, or deferred (the last reason)."""
        if self.dry_run:
            return "n/a"
        return f"deferred ({self.deferred[:80]})" if self.deferred else "ok"
