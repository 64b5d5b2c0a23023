"""An ingest stopped midway -- by its flow timeout or a cancellation (Prefect UI, `prefect
flow-run cancel`, a worker shutting down: SIGTERM) -- still records what it did.

Without this, a run stopped after hours of fetching left nothing: no `runs`, `feed_fetches`
or `feeds` rows, so no backoff applied and every scheduled run repeated the same hours. Now:

* the ingest flow keeps a Progress (the feeds due, each feed's answer and each page as it
  arrives, the selection), registered for the duration of the run;
* when the run is stopped, `records_interrupted_runs` stages one batch from it before letting
  the stop go on: a `runs` row (status `interrupted: ...`), a `feed_fetches` and `feeds` row per
  due feed (answered feeds with their outcome, so failures back off; unanswered ones
  `interrupted`, state unchanged), the pages fetched so far (archived to WARC as they arrived)
  as articles -- extracted within a short budget when the stop came during the page
  downloads, deferred otherwise -- and every page not fetched in `entry_queue` for the next runs;
* the batch is clustered by the load step (`cluster_at_load`, as a shard's batch is), and
  loaded at once if the warehouse is free; otherwise the next run loads it.

Ctrl-C at the terminal takes the same path: the CLI turns the first one into a SIGTERM to its
own process (flows/cli_runs.py; a second Ctrl-C exits at once, the same as a crash); a run
stopped twice (a second SIGTERM, SIGKILL after the grace period) loses at most the batch being
written, never a staged one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from prefect.exceptions import TerminationSignal

from flows import loading
from flows.runlog import flow_fn_wrapper
from flows.settings import Settings
from tasks import articles as articles_stage
from tasks import batch, canonical, poll, queue, rows, stories
from tasks.http import HostBook
from tasks.models import FetchResult
from tasks.pages import Page, decode_page
from tasks.select import Selection
from tasks.summary import RunSummary
from warehouse import queries
from warehouse.load import new_batch_id, stage_batch

log = logging.getLogger("akhbar.flows")

# Extraction of the pages fetched before a stop gets this long; the rest is fetched again by the
# next run (a cancelled flow run's process is killed 30 s after the SIGTERM).
SALVAGE_EXTRACT_S = 10.0
_CHUNK = 8


@dataclass
class Progress:
    """What an ingest run has done so far (filled by the flow as it goes)."""

    run_id: str
    now: datetime
    started: float  # time.monotonic() at the start of the run
    db_path: Path
    settings: Settings
    summary: RunSummary
    params: dict
    timeout_s: float | None  # the flow's timeout, to name the stop
    book: HostBook
    max_per_feed: int | None = None
    specs: list = field(default_factory=list)
    states: dict[str, dict] = field(default_factory=dict)
    due: list = field(default_factory=list)
    feeds_done: dict[int, FetchResult] = field(default_factory=dict)  # index in `due` -> answer
    picked: Selection | None = None
    known: dict[str, dict] = field(default_factory=dict)
    queued: list[dict] = field(default_factory=list)
    pages_done: dict[int, Page] = field(default_factory=dict)  # index in picked.to_fetch -> page
    boilerplate: object = None
    site_names: dict[str, str] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    agency_outlets: dict[str, str] = field(default_factory=dict)  # source_id -> agency (tasks.catalog.agency_outlets)
    stage: str = "feeds"  # feeds -> pages -> extract -> staged


_current: ContextVar[Progress | None] = ContextVar("akhbar_ingest_progress", default=None)


def track(progress: Progress) -> Progress:
    """Register the run's Progress: if the run is stopped, what it holds is recorded."""
    _current.set(progress)
    return progress


def records_interrupted_runs(fn: Callable) -> Callable:
    """Wraps a flow function: a stop (flow timeout, cancellation) records the tracked Progress,
    then goes on as it came (the run still ends TimedOut / Cancelled). Placed under @flow."""
    def wrapper(*args, **kwargs):
        token = _current.set(None)
        try:
            return fn(*args, **kwargs)
        except (asyncio.CancelledError, TerminationSignal) as exc:  # Prefect's timeout raises a CancelledError
            progress = _current.get()
            if progress is not None and progress.stage != "staged":
                record(progress, _why(progress, exc))
            raise
        finally:
            _current.reset(token)
    return flow_fn_wrapper(fn, wrapper)  # Prefect still sees fn's own (resolved) signature


def _why(progress: Progress, exc: BaseException) -> str:
    elapsed = time.monotonic() - progress.started
    if isinstance(exc, TerminationSignal):
        return f"cancelled after {elapsed:.0f} s (SIGTERM)"
    if progress.timeout_s and elapsed >= progress.timeout_s - 5:
        return f"stopped by the flow's timeout of {progress.timeout_s:.0f} s"
    return f"cancelled after {elapsed:.0f} s"


def record(progress: Progress, why: str) -> None:
    """Stage (and try to load) one batch holding what the stopped run got done. Never raises:
    a failure here must not hide the stop itself."""
    try:
        tables, meta = salvage_tables(progress, why)
        batch_dir = stage_batch(loading.staging_area(progress.db_path), new_batch_id(progress.run_id), tables, meta)
        log.warning("run %s %s: what it fetched is staged (%s)", progress.run_id, why, batch_dir.name)
    except BaseException as exc:  # noqa: BLE001 - never mask the stop with our own error
        log.error("run %s %s, and its work could not be staged: %r", progress.run_id, why, exc)
        return
    try:
        loading.load_all_pending(progress.db_path, progress.settings, finalize=False,
                                 lock_timeout_s=min(progress.settings.lock_wait_s, 10.0))
    except BaseException as exc:  # noqa: BLE001 - staged: the next run loads it
        log.warning("stopped run's batch not loaded now (%r); the next run loads it", exc)


def salvage_tables(p: Progress, why: str) -> tuple[dict[str, list[dict]], dict]:
    """The batch of a stopped run, and its manifest keys."""
    results = [p.feeds_done.get(i) or poll.interrupted_result(spec, f"no answer before the run was {why}")
               for i, spec in enumerate(p.due)]
    outcomes = poll.parse_fetched(p.due, results, p.states)
    picked = p.picked or Selection()
    fetched_pages = [p.pages_done.get(i) or Page(entry=e, fetch=_unsent(e.url, f"not fetched before the run was {why}"))
                     for i, e in enumerate(picked.to_fetch)]
    pages = queue.articles_only(fetched_pages, picked, p.known)
    arts: list = []
    if p.stage == "pages" and pages:  # a stop during extraction may be extraction hanging: not again
        pages, arts = _extract_some(p, pages, why)
    else:
        for page in pages:
            page.fetch = _unsent(page.fetch.url, f"fetched, but the run was {why} before extraction", page.fetch)
        pages = []
    conflicts = canonical.settle(pages, arts, queue.hashes_to_settle(
        queries.content_hashes(p.db_path, canonical.canonical_ids(arts, pages)), pages, p.known)) \
        if arts else []
    article_of_entry = {pg.entry.article_id: (pg.entry.url, a.article_id) for pg, a in zip(pages, arts, strict=True)}
    pages, arts = articles_stage.one_per_article(pages, arts)
    signed = stories.attribute_and_sign(arts, 1, agency_outlets=p.agency_outlets)
    clustered = stories.StoriesResult(tables={"article_signatures": stories.signed_rows(arts, signed.sigs)},
                                      problems=signed.problems)
    summary = p.summary
    summary.status = f"interrupted: {why}"
    tables = batch.ingest_batch(p.run_id, p.now, p.specs, p.states, outcomes, picked, fetched_pages, pages, arts,
                                p.known, clustered, article_of_entry, conflicts, p.boilerplate, p.queued,
                                p.max_per_feed, p.settings.disable_after_failures, p.book, summary)
    summary.notes.append(f"run {why}: {sum(1 for r in results if r.outcome != 'interrupted')} of {len(p.due)} "
                         f"feeds answered, {len(arts)} articles kept; the rest is fetched by the next runs")
    summary.seconds = time.monotonic() - p.started
    tables["runs"] = [rows.ingest_run_row(p.run_id, p.now, summary, p.params)]
    if p.picked is None:  # stopped before the entries were looked at: the next run must parse them again
        for row in tables["feeds"]:
            prev = p.states.get(row["feed_id"]) or {}
            for key in ("etag", "last_modified", "body_hash"):
                row[key] = prev.get(key)
    return tables, {"cluster_at_load": True, "agency_outlets": p.agency_outlets}


def _unsent(url: str, why: str, fetched: FetchResult | None = None) -> FetchResult:
    return FetchResult(url=url, final_url=fetched.final_url if fetched else url, outcome="interrupted", error=why,
                       attempts=0, fetched_at=datetime.now(UTC))


def _extract_some(p: Progress, pages: list[Page], why: str) -> tuple[list[Page], list]:
    """Extract the fetched pages in this process for up to SALVAGE_EXTRACT_S; pages left over
    are marked not fetched (queued for the next run; their responses are in the WARC)."""
    deadline = time.monotonic() + SALVAGE_EXTRACT_S
    done_pages: list[Page] = []
    arts: list = []
    for start in range(0, len(pages), _CHUNK):
        chunk = pages[start:start + _CHUNK]
        if time.monotonic() >= deadline:
            for page in chunk:
                page.fetch = _unsent(page.fetch.url, f"fetched, but the run was {why} before extraction", page.fetch)
            continue
        chunk = [decode_page(page) for page in chunk]
        for page, art in zip(chunk, articles_stage.build_articles(chunk, p.site_names, 1, p.boilerplate, p.run_id,
                                                                  zones=p.zones), strict=True):
            if not queue.keeps_stored_copy(page, art, p.known):  # a stored cut copy stays (see flows.ingest)
                done_pages.append(page)
                arts.append(art)
    return done_pages, arts
