"""The `ingest` flow: feeds → pages → clean text → wire-story clusters → DuckDB.

The flow only wires stages together; every stage is a plain function in tasks/ or warehouse/
wrapped as a Prefect task in a line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from flows import loading, locks, outcome, runlog, salvage, streaming, tuning
from flows.meta import run_name, version
from flows.params import OptionalUtcTime
from flows.reporting import new_run_id, publish_summary
from flows.settings import DEFAULT_DB, Settings, load_settings
from tasks import articles as articles_stage
from tasks import canonical, poll, pool, queue, rows, select, stories, stream
from tasks import pages as pages_stage
from tasks import progress as bars
from tasks.archive import WarcWriter
from tasks.catalog import agency_outlets, load_catalog, select_feeds
from tasks.health import is_due, skipped_feeds
from tasks.http import HostBook, HttpSettings
from tasks.stream import Limits
from tasks.summary import PageCounts, RunSummary, fill_ingest_counts
from warehouse import leftovers, queries
from warehouse.load import new_batch_id, stage_or_report
from warehouse.paths import data_dir_for

tuning.prepare_process()  # no wait for Prefect's heartbeat thread; imports frozen out of the GC's walks

# Thin task wrappers: retries only where a stage can fail transiently as a whole.
# Bulky arguments (pages, articles, staged tables) are passed as quote(x): the task still gets x,
# but Prefect does not walk every nested row looking for futures (measured: ~50 s of a 2,048-page
# run went to that walk for the staged tables alone; see bench/RESULTS.md, Pipeline).
read_feed_states = task(name="read-feed-states", retries=2, retry_delay_seconds=5)(queries.feed_states)
# the feeds' tasks take live arguments (the run's HostBook, the parses running): no cache key
fetch_feeds = task(name="fetch-feeds", cache_policy=NO_CACHE)(poll.fetch_feeds)
parse_feeds = task(name="parse-feeds", cache_policy=NO_CACHE)(poll.parse_fetched)
read_known = task(name="read-known-articles", retries=2, retry_delay_seconds=5)(queries.known_articles)
read_queue = task(name="read-entry-queue", retries=2, retry_delay_seconds=5)(queries.queued_entries)
read_host_waits = task(name="read-host-waits", retries=2, retry_delay_seconds=5)(queries.host_waits)
# no cache key: hashing the staged tables (the last chunk's rows with the run's) cost 50-70 ms at the run's end
stage_task = task(name="stage-batch", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)(stage_or_report)
clean_task = task(name="clean-leftovers")(leftovers.clean_leftovers)
read_drift = task(name="drift-watch")(queries.drifting_outlets)
load_task = task(name="load-warehouse", retries=1, retry_delay_seconds=5)(loading.load_all_pending)


# The flow's own time limit (AKHBAR_FLOW_TIMEOUT_S, default 3 h); the fetch stage ends well before
# it (fetch_deadline_at), so a run that meets slow hosts still extracts, records and loads what it
# fetched. Extraction, dedupe and load keep a sixth of it, at most 30 min.
FLOW_TIMEOUT_S = load_settings().flow_timeout_s


def fetch_deadline_at(settings: Settings) -> float:
    """Wall-clock end of the fetch stage starting now (feeds and pages share it)."""
    cap = FLOW_TIMEOUT_S - min(1800.0, FLOW_TIMEOUT_S / 6)
    return time.time() + max(0.0, min(settings.fetch_deadline_s, cap))


def http_settings(settings: Settings, allow_private_networks: bool, deadline_at: float | None = None) -> HttpSettings:
    return HttpSettings(
        user_agent=settings.user_agent,
        connect_timeout_s=settings.connect_timeout_s,
        read_timeout_s=settings.read_timeout_s,
        total_timeout_s=settings.total_timeout_s,
        max_feed_bytes=settings.max_feed_bytes,
        max_page_bytes=settings.max_page_bytes,
        max_retries=settings.max_retries,
        per_host_min_interval_s=settings.per_host_min_interval_s,
        per_host_concurrency=settings.per_host_concurrency,
        global_concurrency=settings.global_concurrency,
        allow_private_networks=allow_private_networks,
        stall_s=settings.stall_s,
        deadline_at=deadline_at,
    )


@flow(name="ingest", log_prints=True, timeout_seconds=FLOW_TIMEOUT_S, version=version(),
      flow_run_name=run_name("ingest"), task_runner=ThreadPoolTaskRunner(max_workers=4),
      description="Poll the catalog's news feeds once, fetch the new articles, extract their text, "
                  "cluster wire stories and load everything into the DuckDB warehouse.")
@runlog.in_run_scope
@outcome.checked_first(lambda catalog, feeds, **_: select_feeds(load_catalog(Path(catalog) if catalog else None), feeds))
@locks.one_run_at_a_time("ingest", lambda: load_settings().run_lock_wait_s)
@salvage.records_interrupted_runs
def ingest(
    catalog: Annotated[str | None, Field(
        title="Catalog file",
        description="Catalog TOML on the machine that runs the flow. Empty: the bundled catalog "
                    "(78 Arabic outlets, 97 feeds).")] = None,
    db: Annotated[str, Field(
        title="Warehouse",
        description="DuckDB file the articles are loaded into (created by the first run), or a lake: "
                    "ducklake:/path or ducklake:postgres:<dsn>.")] = str(DEFAULT_DB),
    feeds: Annotated[list[str] | None, Field(
        title="Only these outlets",
        description="Outlet ids (aljazeera), country codes (EG) or regions (gulf), any mix. "
                    "Empty: every feed of the catalog.")] = None,
    max_per_feed: Annotated[int, Field(
        ge=1, le=10_000, title="Max new articles per feed",
        description="At most this many new pages are fetched from one feed in this run (1 to 10000); "
                    "the rest wait for the next runs.")] = 100,
    since: Annotated[OptionalUtcTime, Field(
        title="Published since",
        description="Skip feed entries published before this time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], "
                    "UTC unless it ends in Z or ±HH:MM. Empty: no limit.")] = None,
    dry_run: Annotated[bool, Field(
        title="Dry run",
        description="Fetch and extract, but write nothing (no warehouse rows, no archive).")] = False,
    allow_private_networks: Annotated[bool, Field(
        title="Allow private networks",
        description="Let loopback hosts through (local mirrors, tests). Other private ranges stay refused.")] = False,
    ignore_backoff: Annotated[bool, Field(
        title="Ignore backoff",
        description="Poll every selected feed, also those waiting in failure backoff.")] = False,
    shard: Annotated[bool, Field(title="Shard of a sharded ingest", description="One shard of a sharded ingest (work pool): stage the batch unclustered; the serialized load step clusters it against the window")] = False,
) -> dict:
    started = time.monotonic()
    log = get_run_logger()
    settings = load_settings()
    db_path = Path(db)
    # checked_first (above) already refused a bad catalog or selector with one line, before the
    # run lock or any file; read here for good (plain calls: a task would add its own traceback).
    specs = select_feeds(load_catalog(Path(catalog) if catalog else None), feeds)
    area = loading.staging_area(db_path)
    run_id = new_run_id("ingest")
    summary = RunSummary(run_id=run_id, db_path=str(db_path), dry_run=dry_run)
    now = datetime.now(UTC)
    params = dict(catalog=catalog, db=db, feeds=feeds, max_per_feed=max_per_feed, since=since, dry_run=dry_run,
                  allow_private_networks=allow_private_networks, ignore_backoff=ignore_backoff, shard=shard)
    after_load: list[str] = []  # what failed without undoing the load (search index, snapshot, story matching)
    if not dry_run:  # earlier runs' batches first, so this run sees their articles
        earlier = load_task(db_path, settings)
        if earlier.loaded:
            log.info("loaded %d batch(es) left pending by earlier runs", len(earlier.loaded))
        if earlier.resigned:
            summary.notes.append(f"{earlier.resigned} stored story signature(s) of an earlier version re-signed "
                                 "with the current dedupe key (once, after an upgrade)")
        after_load += earlier.warnings
        if earlier.disk_full:  # fetching now would only lose the pages again: stop with one line
            return _stopped(summary, earlier.error, started)
        cleaned = clean_task(db_path, queries.recorded_runs).line()
        if cleaned:
            summary.notes.append(cleaned)

    states = read_feed_states(db_path, [s.feed_id for s in specs])
    due = [s for s in specs if ignore_backoff or is_due(states.get(s.feed_id), now)]
    summary.feeds_skipped = len(specs) - len(due)
    due_ids = {s.feed_id for s in due}
    summary.feeds_backoff, summary.feeds_disabled, summary.next_due = skipped_feeds(
        [s for s in specs if s.feed_id not in due_ids], states)
    # the run's hosts: timeouts in this run, Retry-After waits of this run and earlier ones
    book = HostBook(settings.host_max_timeouts, waits=read_host_waits(db_path))
    # What the run has done so far: recorded even if the run is stopped (timeout, cancellation).
    progress = salvage.Progress(run_id, now, started, db_path, settings, summary, params, ingest_timeout(), book,
                                max_per_feed, specs, states, due)
    if not dry_run:
        salvage.track(progress)
    http = http_settings(settings, allow_private_networks, fetch_deadline_at(settings))

    # Each feed is parsed as its answer arrives, while the others download.
    parsing: dict = {}
    fetched = fetch_feeds(due, states, http, quote(book), quote(progress.feeds_done), quote(parsing))
    outcomes = parse_feeds(due, quote(fetched), states, None, quote(parsing))
    parsed = [fo.parsed for fo in outcomes if fo.parsed]
    entries = [e for feed in parsed for e in feed.entries]
    queued = read_queue(db_path)  # deferred / to-retry entries of earlier runs, fetched whatever their feed did
    queued_entries = [select.entry_from_queue(r) for r in queued]
    legacy = select.legacy_ids(entries)  # keys older runs stored, where the URL rules changed since
    select.keep_queued_keys(entries, legacy, queued_entries)
    known = select.known_under_legacy_ids(
        read_known(db_path, sorted({e.article_id for e in entries + queued_entries} | set(legacy.values()))), legacy)
    settled = {aid for aid, row in known.items() if select.is_settled(row)}
    picked = select.select_new_entries(parsed, settled, max_per_feed, since, queued_entries,
                                       select.feed_url_keys([s.url for s in specs]))
    runlog.stage("feeds", polled=len(due), ok=sum(1 for fo in outcomes if fo.parsed and fo.outcome == "ok"),
                 unchanged=sum(1 for fo in outcomes if fo.outcome in ("not_modified", "unchanged")),
                 failed=sum(1 for fo in outcomes if fo.outcome not in ("ok", "not_modified", "unchanged")),
                 skipped_backoff=summary.feeds_skipped, queued_from_earlier_runs=len(queued_entries))
    log.info("%d feeds polled, %d entries, %d new pages to fetch", len(due), len(entries), len(picked.to_fetch))

    archive = None if dry_run else WarcWriter(data_dir_for(db_path) / "archive", run_id)
    shard_meta = None
    if shard and not dry_run:  # every shard names the whole catalog's agency outlets: clusters span shards
        whole = load_catalog(Path(catalog) if catalog else None)
        shard_meta = {"cluster_at_load": True, "agency_outlets": agency_outlets(whole)}
    chunks = _Chunks(run_id=run_id, now=now, db_path=db_path, area=area, settings=settings, picked=picked,
                     known=known, queued_at={r["article_id"]: r["queued_at"] for r in queued},
                     boilerplate=stories.load_boilerplate(db_path),
                     agency_outlets=agency_outlets(specs),
                     dry_run=dry_run, shard_meta=shard_meta)
    site_names = {s.source_id: s.source_name for s in specs}
    zones = {s.source_id: s.country for s in specs}
    limits = Limits(workers=settings.extract_workers, chunk=settings.chunk_size, ahead=settings.pages_ahead)

    def job_of(page):  # a feed, PDF or image is never an article; a page not requested waits in the queue
        return articles_stage.job_for(page, site_names, zones) if queue.is_article_page(page, known) else None

    def finish(page, ext):
        art = articles_stage.article_of(page, ext, run_id) if queue.is_article_page(page, known) else None
        if queue.keeps_stored_copy(page, art, known):  # a stored cut copy stays: not replaced by no article
            art = None
        return articles_stage.lighten(page), art

    # One stream: pages are extracted as they arrive, chunks deduped and loaded as they fill. The
    # extraction workers start (fork server: one import of trafilatura & co.) while pages download.
    to_fetch = stream.fetch_order(picked.to_fetch, lambda e: e.published_at)
    bars.start("extract", len(to_fetch))
    progress.known, progress.queued, progress.stage = known, queued, "pages"
    progress.boilerplate, progress.site_names, progress.zones = chunks.boilerplate, site_names, zones
    progress.agency_outlets = chunks.agency_outlets
    progress.picked = dataclasses.replace(picked, to_fetch=to_fetch)
    last_chunk = None
    try:
        with pool.warm_workers(settings.extract_workers, len(to_fetch)):
            last_chunk = streaming.run_stream(
                lambda stop: pages_stage.iter_pages(to_fetch, http, archive, window=limits.ahead, stop=stop,
                                                     book=book, arrived=chunks.note_fetched),
                job_of, articles_stage.run_job, finish, chunks, limits,
                names=("fetch-pages", "extract", "dedupe-and-load"))
    except _StopRun as stop:  # a chunk could not be staged (disk full): what was loaded stays
        summary.error = stop.error
    except (asyncio.CancelledError, TerminationSignal):
        # Stopped (flow timeout, cancellation): salvage (the decorator) records what no chunk stored
        # yet -- the pages fetched and not staged, and the entries not fetched -- with the feeds.
        chunks.hand_over(progress, to_fetch)
        raise
    chunks.hand_over(progress, to_fetch)  # what a stop from here on records: the last chunk's pages
    progress.stage = "extract"  # every page went through the stream; only the run's tables are left
    c = chunks.counts
    runlog.stage("pages", fetched=c.pages_fetched, failed=c.pages_failed, articles=c.articles)
    runlog.stage("extract", ok=c.extracted_ok, fallback_summary=c.fallback, failed=c.extraction_failed)
    if not shard:
        runlog.stage("dedupe", articles=c.articles, duplicates=c.duplicates, new_clusters=c.new_clusters)

    after_load += stories.failure_warning(chunks.went_wrong)
    later = queue.run_queue_rows(run_id, now, picked, max_per_feed, chunks.queued_at)
    if note := queue.queue_note(picked, later + chunks.queue_states):
        summary.notes.append(note)
    if book.skipped:
        summary.notes.append("hosts skipped for the rest of the run after repeated timeouts: "
                             + ", ".join(sorted(book.skipped)))
    fill_ingest_counts(summary, outcomes, picked, chunks.counts)
    summary.drift = read_drift(db_path)
    summary.seconds = time.monotonic() - started
    load_error = None
    if summary.error:
        stored = chunks.staged > 0
        summary.status = "failed (partly stored)" if stored else "failed (nothing stored)"
        summary.load = f"{chunks.staged} chunk(s) stored, then: {summary.error}" if stored else "not staged"
    elif not dry_run:
        # The run's feed state last: a feed's new ETag / body hash is stored only with (or after)
        # every page it listed, so a run stopped half-way polls the feed again next time.
        tables = rows.run_tables(run_id, now, specs, states, outcomes, picked, known, settings.disable_after_failures)
        tables["article_sightings"] = chunks.rest_sightings()
        tables["entry_queue"] = later
        tables["host_waits"] = book.wait_rows(run_id, now)  # Retry-After waits the next runs must keep
        tables.update(stories.boilerplate_tables(chunks.boilerplate))
        summary.status = outcome.judge_ingest(summary).status  # what the runs row says (before the load)
        tables["runs"] = [rows.ingest_run_row(run_id, now, summary, params)]
        # the last chunk goes with them: a run of one chunk writes one batch
        for name, chunk_rows in (last_chunk or {}).items():
            tables[name] = tables.get(name, []) + chunk_rows
        summary.error = stage_task(area, new_batch_id(run_id), quote(tables), shard_meta)
        progress.stage = "staged"  # from here on a stopped run's batch is already kept
        if summary.error:
            summary.status, summary.load = "failed (partly stored)", "run tables not staged"
        else:
            report = load_task(db_path, settings)
            after_load += report.warnings
            summary.pending_batches = len(report.pending)
            summary.load = "ok" if not report.error else f"deferred ({report.error[:80]})"
            load_error = report.error or chunks.deferred
            load_error = load_error and load_error[:160]
            if chunks.deferred and not report.error:
                summary.load = f"ok (earlier chunks deferred: {chunks.deferred[:80]})"
            runlog.stage("load", batches=len(report.loaded) + chunks.loaded, still_pending=len(report.pending),
                         **{f"rows_{t}": n for t, n in sorted(report.rows.items()) if n})
            if report.disk_full:
                summary.error = report.error
    if archive is not None:
        archive.close()
    if summary.error:  # nothing could be kept (e.g. a full disk): the run failed, its own one line
        return _finish(summary, started, outcome.Verdict("failed", (summary.error,)))
    verdict = outcome.judge_ingest(summary, load_error=load_error, part_of_a_run=shard, after_load=tuple(after_load))
    summary.status = verdict.status
    return _finish(summary, started, verdict)


def ingest_timeout() -> float | None:
    """The running flow's timeout (with_options may change it), for naming a stop."""
    try:
        from prefect.context import FlowRunContext

        ctx = FlowRunContext.get()
        return ctx.flow.timeout_seconds if ctx and ctx.flow else FLOW_TIMEOUT_S
    except Exception:  # outside a flow run (a direct call in a test)
        return FLOW_TIMEOUT_S


class _StopRun(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class _Chunks:
    """What an ingest run does with each chunk of extracted pages, in the dedupe-and-load stage:
    boilerplate and content hashes, canonical folds, one row per article, attribution and
    signatures, dedupe against the warehouse (which holds the earlier chunks), then the chunk's
    tables staged and loaded. Keeps only counts and ids between chunks."""

    def __init__(self, *, run_id, now, db_path, area, settings, picked, known, queued_at, boilerplate,
                 agency_outlets, dry_run, shard_meta) -> None:
        self.run_id, self.now, self.db_path, self.area, self.settings = run_id, now, db_path, area, settings
        self.picked, self.known, self.queued_at, self.boilerplate = picked, known, queued_at, boilerplate
        self.agency_outlets, self.dry_run, self.shard_meta = agency_outlets, dry_run, shard_meta
        self.counts = PageCounts()
        self.unloaded = stories.Unloaded()  # chunks staged but not loaded (deferred load, dry run)
        self.went_wrong: list[stories.StoriesResult] = []  # chunks whose matching, attribution or signatures failed
        self.seen: set[str] = set()  # article ids stored by this run
        # the clusters the run's chunks gave their articles: the last chunk places them all again,
        # in publication order, so the run's clusters do not depend on arrival order or chunk size
        self.placement = stories.RunPlacement()
        self.refused: set[str] = set()  # entry ids of links that are not articles
        self.handled: set[str] = set()  # entry ids whose sightings went with their chunk
        self.queue_states: list[dict] = []  # entry_queue states of the pages (for the summary note)
        # Pages fetched and not yet staged (entry id -> page), for a stopped run's salvage; a dry
        # run keeps none (nothing is recorded).
        self.fetched: dict[str, object] = {}
        self.staged_ids: set[str] = set()
        self._lock = threading.Lock()
        self.staged = 0  # chunk batches staged before the run's last one
        self.loaded = 0  # ... and loaded at once
        self.deferred: str | None = None
        self.sightings: dict[str, list] = {}
        for e in picked.sightings:
            self.sightings.setdefault(e.article_id, []).append(e)

    def __call__(self, chunk: list[tuple], last: bool) -> dict[str, list[dict]] | None:
        """Handle one chunk; the last one's tables are returned to be staged with the run's."""
        if not chunk:
            return self._settle_only() if last else None
        all_pages = [p for p, _ in chunk]
        self.refused.update(p.entry.article_id for p, _ in chunk if queue.is_refused(p, self.known))
        pages = [p for p, a in chunk if a is not None]
        arts = [a for _, a in chunk if a is not None]
        articles_stage.finish_articles(arts, self.boilerplate, learn=True)
        conflicts = canonical.settle(pages, arts, queue.hashes_to_settle(
            queries.content_hashes(self.db_path, canonical.canonical_ids(arts, pages)), pages, self.known))
        article_of_entry = {p.entry.article_id: (p.entry.url, a.article_id) for p, a in zip(pages, arts, strict=True)}
        pages, arts = articles_stage.one_per_article(pages, arts)
        # the same article from two pages in two chunks (an AMP twin): stored once, by the first
        kept = [i for i, a in enumerate(arts) if a.article_id not in self.seen]
        pages, arts = [pages[i] for i in kept], [arts[i] for i in kept]
        self.seen.update(a.article_id for a in arts)
        if self.shard_meta is not None:  # dedupe against the window happens in the serialized load step
            signed = stories.attribute_and_sign(arts, self.settings.extract_workers, last, self.agency_outlets)
            clustered = stories.StoriesResult(tables={"article_signatures": stories.signed_rows(arts, signed.sigs)},
                                              problems=signed.problems)
        else:
            clustered = stories.cluster_articles(arts, self.db_path, self.settings.dedupe_window_hours,
                                                 self.agency_outlets, workers=self.settings.extract_workers,
                                                 unloaded=self.unloaded, last=last, alone_on_error=True,
                                                 run=self.placement)
        if clustered.went_wrong:
            self.went_wrong.append(clustered)
        ids = [p.entry.article_id for p in all_pages if p.entry.article_id not in self.refused]
        self.handled.update(ids)
        sightings = [e for aid in ids for e in self.sightings.get(aid, ())]
        tables = rows.chunk_tables(self.run_id, self.now, pages, arts, self.known, clustered, article_of_entry,
                                   sightings)
        tables.update(stories.boilerplate_tables(self.boilerplate))
        tables["entry_queue"] = queue.page_queue_rows(self.run_id, self.now, self.picked, all_pages, self.known,
                                                      self.queued_at)
        self.queue_states += [{"state": r["state"], "reason": r["reason"]} for r in tables["entry_queue"]]
        tables["article_attempts"] = queue.attempt_rows(all_pages, self.known)
        tables["run_errors"] += (queue.not_article_errors(self.run_id, self.now, all_pages, self.known)
                                 + canonical.conflict_rows(self.run_id, self.now, conflicts)
                                 + stories.failure_rows(self.run_id, self.now, arts, clustered))
        self.counts.add(pages, arts, clustered)
        if self.dry_run:
            self.unloaded.add(clustered, arts)
            return None
        if last:
            return tables
        error = stage_or_report(self.area, new_batch_id(self.run_id), tables, self.shard_meta)
        if error:
            raise _StopRun(error)
        self.staged += 1
        with self._lock:
            for page in all_pages:
                self.fetched.pop(page.entry.article_id, None)
                self.staged_ids.add(page.entry.article_id)
        if self.shard_meta is not None:
            return None  # a shard's batches are loaded (and clustered) by the serialized load step
        report = loading.load_all_pending(self.db_path, self.settings, finalize=False)
        if report.error:  # another process holds the warehouse: the next chunks see this one anyway
            self.deferred = report.error
            self.unloaded.add(clustered, arts)
        else:
            self.loaded += len(report.loaded)
            self.unloaded.clear()
        return None

    def _settle_only(self) -> dict[str, list[dict]] | None:
        """An empty last chunk: the run's articles are placed again all the same (`RunPlacement`)."""
        if self.shard_meta is not None or not self.placement.clusters:
            return None
        clustered = stories.cluster_articles([], self.db_path, self.settings.dedupe_window_hours, self.agency_outlets,
                                             unloaded=self.unloaded, last=True, alone_on_error=True,
                                             run=self.placement)
        if clustered.went_wrong:
            self.went_wrong.append(clustered)
        self.counts.add([], [], clustered)
        if self.dry_run:
            self.unloaded.add(clustered, [])
            return None
        return clustered.tables

    def note_fetched(self, page) -> None:
        """A page's answer arrived (archived): kept until its chunk is staged (see hand_over)."""
        if not self.dry_run:
            with self._lock:
                if page.entry.article_id not in self.staged_ids:
                    self.fetched[page.entry.article_id] = page

    def hand_over(self, progress: salvage.Progress, to_fetch: list) -> None:
        """Tell a stopped run's salvage what no chunk has stored: the entries of unstaged chunks
        (to_fetch) and, among them, the pages already fetched (pages_done)."""
        with self._lock:
            remaining = [e for e in to_fetch if e.article_id not in self.staged_ids]
            progress.picked = dataclasses.replace(progress.picked or self.picked, to_fetch=remaining)
            progress.pages_done = {i: self.fetched[e.article_id] for i, e in enumerate(remaining)
                                   if e.article_id in self.fetched}

    def rest_sightings(self) -> list[dict]:
        """Sightings of entries that were not fetched in a chunk (stored articles seen again,
        deferred entries), as the run stages them at its end."""
        refused = self.refused | {aid for aid, row in self.known.items() if row.get("fetch_outcome") == "refused"}
        rest = [e for aid, es in self.sightings.items() if aid not in self.handled and aid not in refused
                for e in es]
        return rows.chunk_tables(self.run_id, self.now, [], [], self.known, stories.StoriesResult(), {},
                                 rest)["article_sightings"]


def _stopped(summary: RunSummary, error: str | None, started: float):
    summary.error, summary.status, summary.load = error, "failed (nothing fetched)", "not attempted"
    return _finish(summary, started, outcome.Verdict("failed", (error or summary.status,)))


def _finish(summary: RunSummary, started: float, verdict: outcome.Verdict):
    """Publish the summary; the flow returns the result with its verdict (flows/outcome.py)."""
    summary.seconds = time.monotonic() - started
    publish_summary(summary, warnings=verdict.reasons if verdict.level == "warning" else ())
    result = {"run_id": summary.run_id, "summary": summary.markdown(), "articles_new": summary.articles_new,
              "pages_fetched": summary.pages_fetched, "feeds_failed": summary.feeds_failed,
              "feeds_polled": len(summary.feeds), "feeds_ok": summary.feeds_ok,
              "feeds_skipped": summary.feeds_skipped, "status": summary.status, "error": summary.error}
    return outcome.finish(result, verdict, get_run_logger())
