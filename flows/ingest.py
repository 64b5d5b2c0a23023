"""The `ingest` flow: feeds → pages → clean text → wire-story clusters → DuckDB.

The flow only wires stages together; every stage is a plain function in tasks/ or warehouse/
wrapped as a Prefect task in a line.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from flows import loading
from flows.settings import DEFAULT_DB, Settings, data_dir_for, load_settings
from tasks import articles as articles_stage
from tasks import pages as pages_stage
from tasks import poll, rows, select, stories
from tasks.archive import WarcWriter
from tasks.catalog import load_catalog, select_feeds
from tasks.health import is_due, next_feed_state
from tasks.http import HttpSettings
from tasks.models import stable_id
from tasks.summary import FeedLine, RunSummary
from warehouse import queries
from warehouse.load import new_batch_id, stage_batch

# Thin task wrappers: retries only where a stage can fail transiently as a whole.
# Bulky arguments (pages, articles, staged tables) are passed as quote(x): the task still gets x,
# but Prefect does not walk every nested row looking for futures (measured: ~50 s of a 2,048-page
# run went to that walk for the staged tables alone; see bench/RESULTS.md, Pipeline).
load_catalog_task = task(name="load-catalog")(lambda path, only: select_feeds(load_catalog(path), only))
read_feed_states = task(name="read-feed-states", retries=2, retry_delay_seconds=5)(queries.feed_states)
fetch_feeds = task(name="fetch-feeds")(poll.fetch_feeds)
parse_feeds = task(name="parse-feeds")(poll.parse_fetched)
read_known = task(name="read-known-articles", retries=2, retry_delay_seconds=5)(queries.known_articles)
fetch_pages = task(name="fetch-pages")(pages_stage.fetch_pages)
extract_articles = task(name="extract")(articles_stage.build_articles)
dedupe_articles = task(name="dedupe", retries=1)(stories.cluster_articles)
stage_task = task(name="stage-batch", retries=2, retry_delay_seconds=2)(stage_batch)
read_drift = task(name="drift-watch")(queries.drifting_outlets)
load_task = task(name="load-warehouse", retries=1, retry_delay_seconds=5)(loading.load_all_pending)


def http_settings(settings: Settings, allow_private_networks: bool) -> HttpSettings:
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
    )


def _run_id() -> str:
    try:
        from prefect.runtime import flow_run

        if flow_run.id:
            return str(flow_run.id)[:8] + "-" + uuid.uuid4().hex[:4]
    except Exception:  # outside a flow run
        pass
    return uuid.uuid4().hex[:12]


@flow(name="ingest", log_prints=True, timeout_seconds=3 * 3600,
      task_runner=ThreadPoolTaskRunner(max_workers=4))
def ingest(
    catalog: Annotated[str | None, Field(description="Catalog TOML file; empty = the bundled catalog")] = None,
    db: Annotated[str, Field(description="DuckDB warehouse file")] = str(DEFAULT_DB),
    feeds: Annotated[list[str] | None, Field(description="Only these outlets: source ids, country codes (EG) or regions (gulf)")] = None,
    max_per_feed: Annotated[int | None, Field(ge=1, le=10_000, description="Cap on new articles fetched per feed")] = 100,
    since: Annotated[datetime | None, Field(description="Skip entries published before this time")] = None,
    dry_run: Annotated[bool, Field(description="Fetch and extract, but write nothing")] = False,
    allow_private_networks: Annotated[bool, Field(description="Allow loopback/private hosts (local mirrors, tests)")] = False,
    ignore_backoff: Annotated[bool, Field(description="Poll feeds even if they are in failure backoff")] = False,
) -> dict:
    started = time.monotonic()
    log = get_run_logger()
    settings = load_settings()
    db_path = Path(db)
    area = loading.staging_area(db_path)
    run_id = _run_id()
    summary = RunSummary(run_id=run_id, db_path=str(db_path), dry_run=dry_run)
    now = datetime.now(UTC)

    if not dry_run:  # earlier runs' batches first, so this run sees their articles
        leftovers = load_task(db_path, settings)
        if leftovers.loaded:
            log.info("loaded %d batch(es) left pending by earlier runs", len(leftovers.loaded))

    specs = load_catalog_task(Path(catalog) if catalog else None, feeds)
    states = read_feed_states(db_path)
    due = [s for s in specs if ignore_backoff or is_due(states.get(s.feed_id), now)]
    summary.feeds_skipped = len(specs) - len(due)
    http = http_settings(settings, allow_private_networks)

    fetched = fetch_feeds(due, states, http)
    outcomes = parse_feeds(due, quote(fetched), states, None)
    entries = [e for fo in outcomes if fo.parsed for e in fo.parsed.entries
               if since is None or e.published_at is None or e.published_at >= since]
    known = read_known(db_path, sorted({e.article_id for e in entries}))
    settled = {aid for aid, row in known.items() if queries.is_settled(row)}
    picked = select.select_new_entries([fo.parsed for fo in outcomes if fo.parsed], settled, max_per_feed)
    picked.to_fetch = [e for e in picked.to_fetch if since is None or e.published_at is None
                       or e.published_at >= since]
    log.info("%d feeds polled, %d entries, %d new pages to fetch", len(due), len(entries), len(picked.to_fetch))

    archive = None if dry_run else WarcWriter(data_dir_for(db_path) / "archive", run_id)
    pages = fetch_pages(quote(picked.to_fetch), http, archive)
    boilerplate = stories.load_boilerplate(db_path)
    site_names = {s.source_id: s.source_name for s in specs}
    arts = extract_articles(quote(pages), site_names, settings.extract_workers, boilerplate, run_id)
    article_of_entry = {p.entry.article_id: (p.entry.url, a.article_id) for p, a in zip(pages, arts, strict=True)}
    pages, arts = articles_stage.one_per_article(pages, arts)
    agency_outlets = frozenset(s.source_id for s in specs if s.agency)
    clustered = dedupe_articles(quote(arts), db_path, settings.dedupe_window_hours, agency_outlets)

    tables = _tables(run_id, now, specs, states, outcomes, picked, pages, arts, known, clustered,
                     article_of_entry, settings)
    tables["boilerplate_lines"] = stories.boilerplate_rows(boilerplate)
    _fill_summary(summary, outcomes, picked, pages, arts, clustered)
    summary.drift = read_drift(db_path)
    summary.seconds = time.monotonic() - started
    tables["runs"] = [_run_row(run_id, now, summary, locals_params(catalog, db, feeds, max_per_feed, since,
                                                                    dry_run, allow_private_networks))]
    if not dry_run:
        stage_task(area, new_batch_id(run_id), quote(tables))
        report = load_task(db_path, settings)
        summary.pending_batches = len(report.pending)
        summary.load = "ok" if not report.error else f"deferred ({report.error[:80]})"
        if report.error:
            summary.status = "completed (load deferred)"
    summary.seconds = time.monotonic() - started
    from flows.reporting import publish_summary

    publish_summary(summary)
    return {"run_id": run_id, "summary": summary.markdown(), "articles_new": summary.articles_new,
            "pages_fetched": summary.pages_fetched, "feeds_failed": summary.feeds_failed,
            "status": summary.status}


def locals_params(catalog, db, feeds, max_per_feed, since, dry_run, allow_private_networks) -> dict:
    return dict(catalog=catalog, db=db, feeds=feeds, max_per_feed=max_per_feed,
                since=since.isoformat() if since else None, dry_run=dry_run,
                allow_private_networks=allow_private_networks)


def _tables(run_id, now, specs, states, outcomes, picked, pages, arts, known, clustered, article_of_entry,
            settings) -> dict[str, list[dict]]:
    feed_rows, fetch_rows, errors = [], [], []
    for fo in outcomes:
        new = picked.new_per_feed.get(fo.spec.url, 0) if fo.parsed else 0
        prev = rows.feed_row_base(fo.spec, states.get(fo.spec.feed_id) or {})
        state = next_feed_state(prev, outcome=fo.outcome, status=fo.fetch.status, error=fo.error,
                                new_entries=new, now=now, disable_after=settings.disable_after_failures)
        if fo.outcome == "ok":
            state["etag"] = fo.fetch.headers.get("etag")
            state["last_modified"] = fo.fetch.headers.get("last-modified")
            state["body_hash"] = fo.body_hash
            state["final_url"] = fo.fetch.final_url
        feed_rows.append(state)
        fetch_rows.append(rows.feed_fetch_row(run_id, fo, new))
        if fo.outcome not in ("ok", "not_modified", "unchanged") or fo.error:
            errors.append(rows.error_row(run_id, "feed", feed_url=fo.spec.url, url=fo.fetch.final_url,
                                         outcome=fo.outcome, error=fo.error, at=now))
        if fo.parsed:
            for link, why in fo.parsed.skipped:
                errors.append(rows.error_row(run_id, "parse", feed_url=fo.spec.url, url=link,
                                             outcome="entry_skipped", error=why, at=now))
    article_rows, aliases = [], []
    for page, art in zip(pages, arts, strict=True):
        prior = known.get(page.entry.article_id) or {}
        attempts = (prior.get("fetch_attempts") or 0) + 1
        article_rows.append(rows.article_row(art, run_id, attempts))
        if not page.fetch.ok:
            errors.append(rows.error_row(run_id, "page", feed_url=page.entry.feed_url, url=page.entry.url,
                                         outcome=page.fetch.outcome, error=page.fetch.error, at=now))
        elif art.extraction.status != "ok":
            errors.append(rows.error_row(run_id, "extract", feed_url=page.entry.feed_url, url=page.entry.url,
                                         outcome=art.extraction.status, error=art.extraction.error, at=now))
    def real_id(entry_id: str) -> str:
        if entry_id in article_of_entry:
            return article_of_entry[entry_id][1]
        return (known.get(entry_id) or {}).get("real_id") or entry_id

    sightings = [rows.sighting_row(e, real_id(e.article_id), run_id, now) for e in picked.sightings]
    aliases = [dict(alias_id=eid, alias_url=url, article_id=aid) for eid, (url, aid) in article_of_entry.items()
               if eid != aid]
    tables = dict(sources=rows.source_rows(specs, now), feeds=feed_rows, feed_fetches=fetch_rows,
                  articles=article_rows, article_sightings=sightings, url_aliases=aliases,
                  run_errors=errors)
    tables.update(clustered.tables)
    return tables


def _fill_summary(summary: RunSummary, outcomes, picked, pages, arts, clustered) -> None:
    dup_by_feed: dict[str, int] = {}
    err_by_feed: dict[str, int] = {}
    for page, art in zip(pages, arts, strict=True):
        if art.article_id in clustered.duplicate_ids:
            dup_by_feed[page.entry.feed_url] = dup_by_feed.get(page.entry.feed_url, 0) + 1
        if not page.fetch.ok or art.extraction.status != "ok":
            err_by_feed[page.entry.feed_url] = err_by_feed.get(page.entry.feed_url, 0) + 1
    for fo in outcomes:
        summary.feeds.append(FeedLine(
            source_id=fo.spec.source_id, feed_url=fo.spec.url, outcome=fo.outcome, http_status=fo.fetch.status,
            entries=fo.entries, new_articles=picked.new_per_feed.get(fo.spec.url, 0),
            duplicates=dup_by_feed.get(fo.spec.url, 0),
            errors=err_by_feed.get(fo.spec.url, 0) + (0 if fo.outcome in ("ok", "not_modified", "unchanged") else 1),
            error=fo.error))
    summary.pages_fetched = sum(1 for p in pages if p.fetch.ok)
    summary.pages_failed = sum(1 for p in pages if not p.fetch.ok)
    summary.articles_new = len(arts)
    summary.extracted_ok = sum(1 for a in arts if a.extraction.status == "ok")
    summary.fallback = sum(1 for a in arts if a.extraction.status == "fallback_summary")
    summary.extraction_failed = sum(1 for a in arts if a.extraction.status == "failed")
    summary.duplicates = len(clustered.duplicate_ids)
    summary.new_clusters = clustered.new_clusters
    summary.top_clusters = clustered.top_clusters


def _run_row(run_id: str, started: datetime, s: RunSummary, params: dict) -> dict:
    import json

    return dict(run_id=run_id, flow_run_id=run_id.split("-")[0], kind="ingest", started_at=started,
                finished_at=started + timedelta(seconds=s.seconds), status=s.status,
                parameters=json.dumps(params, ensure_ascii=False), feeds_total=len(s.feeds),
                feeds_ok=s.feeds_ok, feeds_failed=s.feeds_failed,
                entries_seen=sum(f.entries for f in s.feeds), new_articles=s.articles_new,
                pages_fetched=s.pages_fetched, extracted_ok=s.extracted_ok, duplicates=s.duplicates,
                errors=s.errors, summary_md=s.markdown())


__all__ = ["ingest", "stable_id"]
