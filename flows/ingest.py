"""The `ingest` flow: feeds → pages → clean text → wire-story clusters → DuckDB.

The flow only wires stages together; every stage is a plain function in tasks/ or warehouse/
wrapped as a Prefect task in a line.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from flows import loading, locks, outcome, runlog, salvage
from flows.meta import run_name, version
from flows.params import OptionalUtcTime
from flows.reporting import new_run_id, publish_summary
from flows.settings import DEFAULT_DB, Settings, load_settings
from tasks import articles as articles_stage
from tasks import batch, canonical, poll, pool, queue, rows, select, stories
from tasks import pages as pages_stage
from tasks.archive import WarcWriter
from tasks.catalog import load_catalog, select_feeds
from tasks.health import is_due, skipped_feeds
from tasks.http import HostBook, HttpSettings
from tasks.summary import RunSummary
from warehouse import leftovers, queries
from warehouse.load import new_batch_id, stage_or_report
from warehouse.paths import data_dir_for

# Thin task wrappers: retries only where a stage can fail transiently as a whole.
# Bulky arguments (pages, articles, staged tables) are passed as quote(x): the task still gets x,
# but Prefect does not walk every nested row looking for futures (measured: ~50 s of a 2,048-page
# run went to that walk for the staged tables alone; see bench/RESULTS.md, Pipeline).
read_feed_states = task(name="read-feed-states", retries=2, retry_delay_seconds=5)(queries.feed_states)
fetch_feeds = task(name="fetch-feeds")(poll.fetch_feeds)
parse_feeds = task(name="parse-feeds")(poll.parse_fetched)
read_known = task(name="read-known-articles", retries=2, retry_delay_seconds=5)(queries.known_articles)
read_hashes = task(name="read-content-hashes", retries=2, retry_delay_seconds=5)(queries.content_hashes)
read_queue = task(name="read-entry-queue", retries=2, retry_delay_seconds=5)(queries.queued_entries)
read_host_waits = task(name="read-host-waits", retries=2, retry_delay_seconds=5)(queries.host_waits)
fetch_pages = task(name="fetch-pages")(pages_stage.fetch_pages)
extract_articles = task(name="extract")(articles_stage.build_articles)
dedupe_articles = task(name="dedupe", retries=1)(stories.cluster_articles)
sign_articles = task(name="attribute-and-sign")(stories.attribute_and_sign)
stage_task = task(name="stage-batch", retries=2, retry_delay_seconds=2)(stage_or_report)
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
    if not dry_run:  # earlier runs' batches first, so this run sees their articles
        earlier = load_task(db_path, settings)
        if earlier.loaded:
            log.info("loaded %d batch(es) left pending by earlier runs", len(earlier.loaded))
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

    fetched = fetch_feeds(due, states, http, quote(book), quote(progress.feeds_done))
    outcomes = parse_feeds(due, quote(fetched), states, None)
    parsed = [fo.parsed for fo in outcomes if fo.parsed]
    entries = [e for feed in parsed for e in feed.entries]
    queued = read_queue(db_path)  # deferred / to-retry entries of earlier runs, fetched whatever their feed did
    queued_entries = [select.entry_from_queue(r) for r in queued]
    known = read_known(db_path, sorted({e.article_id for e in entries + queued_entries}))
    settled = {aid for aid, row in known.items() if select.is_settled(row)}
    picked = select.select_new_entries(parsed, settled, max_per_feed, since, queued_entries,
                                       select.feed_url_keys([s.url for s in specs]))
    runlog.stage("feeds", polled=len(due), ok=sum(1 for fo in outcomes if fo.parsed and fo.outcome == "ok"),
                 unchanged=sum(1 for fo in outcomes if fo.outcome in ("not_modified", "unchanged")),
                 failed=sum(1 for fo in outcomes if fo.outcome not in ("ok", "not_modified", "unchanged")),
                 skipped_backoff=summary.feeds_skipped, queued_from_earlier_runs=len(queued_entries))
    log.info("%d feeds polled, %d entries, %d new pages to fetch", len(due), len(entries), len(picked.to_fetch))

    archive = None if dry_run else WarcWriter(data_dir_for(db_path) / "archive", run_id)
    boilerplate = stories.load_boilerplate(db_path)
    site_names = {s.source_id: s.source_name for s in specs}
    # Extraction workers start (and import trafilatura) while the pages download.
    agency_outlets = frozenset(s.source_id for s in specs if s.agency)
    zones = {s.source_id: s.country for s in specs}
    progress.picked, progress.known, progress.queued, progress.stage = picked, known, queued, "pages"
    progress.boilerplate, progress.site_names, progress.zones = boilerplate, site_names, zones
    progress.agency_outlets = sorted(agency_outlets)
    with pool.warm_workers(settings.extract_workers, len(picked.to_fetch),
                           preload=("tasks.extract", "tasks.stories")):
        fetched_pages = fetch_pages(quote(picked.to_fetch), http, archive, quote(book), quote(progress.pages_done))
        progress.stage = "extract"
        pages = queue.articles_only(fetched_pages, picked, known)  # a feed, PDF or image is never an article
        runlog.stage("pages", fetched=sum(1 for p in fetched_pages if p.fetch.ok),
                     failed=sum(1 for p in fetched_pages if not p.fetch.ok), articles=len(pages))
        arts = extract_articles(quote(pages), site_names, settings.extract_workers, quote(boilerplate), run_id,
                                zones=zones)
        runlog.stage("extract", **runlog.count_by(a.extraction.status for a in arts))
        conflicts = canonical.settle(pages, arts, read_hashes(db_path, canonical.canonical_ids(arts, pages)))
        article_of_entry = {p.entry.article_id: (p.entry.url, a.article_id) for p, a in zip(pages, arts, strict=True)}
        pages, arts = articles_stage.one_per_article(pages, arts)
        if shard:  # dedupe against the window happens in the one serialized load step (tasks/shards.py)
            _attributions, sigs = sign_articles(quote(arts), settings.extract_workers)
            clustered = stories.StoriesResult(tables={"article_signatures": stories.signed_rows(arts, sigs)})
        else:
            clustered = dedupe_articles(quote(arts), db_path, settings.dedupe_window_hours, agency_outlets,
                                        workers=settings.extract_workers)
            runlog.stage("dedupe", articles=len(arts), duplicates=len(clustered.duplicate_ids),
                         new_clusters=clustered.new_clusters)

    tables = batch.ingest_batch(run_id, now, specs, states, outcomes, picked, fetched_pages, pages, arts, known,
                                clustered, article_of_entry, conflicts, boilerplate, queued, max_per_feed,
                                settings.disable_after_failures, book, summary)
    summary.drift = read_drift(db_path)
    summary.seconds = time.monotonic() - started
    summary.status = outcome.judge_ingest(summary).status  # what the runs row says (before the load)
    tables["runs"] = [rows.ingest_run_row(run_id, now, summary, params)]
    load_error = None
    if not dry_run:
        meta = None
        if shard:  # every shard names the whole catalog's agency outlets: clusters span shards
            whole = load_catalog(Path(catalog) if catalog else None)
            meta = {"cluster_at_load": True, "agency_outlets": sorted({s.source_id for s in whole if s.agency})}
        summary.error = stage_task(area, new_batch_id(run_id), quote(tables), meta)
        progress.stage = "staged"  # from here on a stopped run's batch is already kept
        if summary.error:
            summary.status, summary.load = "failed (nothing stored)", "not staged"
        else:
            report = load_task(db_path, settings)
            summary.pending_batches = len(report.pending)
            summary.load = "ok" if not report.error else f"deferred ({report.error[:80]})"
            load_error = report.error and report.error[:160]
            runlog.stage("load", batches=len(report.loaded), still_pending=len(report.pending),
                         **{f"rows_{t}": n for t, n in sorted(report.rows.items()) if n})
            if report.disk_full:
                summary.error = report.error
        archive.close()
    if summary.error:  # nothing could be kept (e.g. a full disk): the run failed, its own one line
        return _finish(summary, started, outcome.Verdict("failed", (summary.error,)))
    verdict = outcome.judge_ingest(summary, load_error=load_error, part_of_a_run=shard)
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
