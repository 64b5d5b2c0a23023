"""Records → warehouse rows (plain dicts keyed by column name, staged as Parquet)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from tasks.health import next_feed_state
from tasks.models import Article, FeedEntry, FeedSpec, stable_id
from tasks.poll import FeedOutcome


def source_rows(specs: list[FeedSpec], now: datetime) -> list[dict]:
    seen: dict[str, dict] = {}
    for s in specs:
        seen.setdefault(s.source_id, dict(source_id=s.source_id, name=s.source_name, country=s.country,
                                          region=s.region, language=s.language, updated_at=now))
    return list(seen.values())


def feed_fetch_row(run_id: str, fo: FeedOutcome, new_entries: int) -> dict:
    f = fo.fetch
    return dict(
        fetch_id=stable_id(f"{run_id}|{fo.spec.feed_id}"), run_id=run_id, feed_id=fo.spec.feed_id,
        url=fo.spec.url, final_url=f.final_url, attempted_at=f.fetched_at, outcome=fo.outcome,
        http_status=f.status, error=fo.error, bytes=len(f.body), elapsed_ms=f.elapsed_ms,
        attempts=f.attempts, entries=fo.entries, new_entries=new_entries,
        bozo=bool(fo.parsed and fo.parsed.bozo), bozo_reason=fo.parsed.bozo_reason if fo.parsed else None,
    )


def feed_row_base(spec: FeedSpec, state: dict) -> dict:
    row = dict(state)
    row.update(feed_id=spec.feed_id, url=spec.url, source_id=spec.source_id, section=spec.section,
               origin=spec.origin)
    return row


def article_row(a: Article, run_id: str, attempts: int) -> dict:
    e = a.extraction
    return dict(
        article_id=a.article_id, url=a.url, canonical_url=a.canonical_url, source_id=a.source_id,
        feed_url=a.feed_url, title=e.title, author=e.author, published_at=e.published_at,
        published_at_source=e.published_at_source, cited_agencies=list(a.cited_agencies),
        fetched_at=a.fetched_at, language=e.language, text=e.text, word_count=e.word_count,
        image=e.image, section=e.section, categories=list(e.categories),
        extraction_status=e.status, extraction_error=e.error, extractor_version=e.extractor_version,
        http_status=a.http_status, fetch_outcome=a.fetch_outcome, fetch_error=a.fetch_error,
        fetch_attempts=attempts, content_hash=a.content_hash, warc_file=a.warc_file,
        warc_offset=a.warc_offset, cluster_id=a.cluster_id, is_canonical=a.is_canonical,
        wire_agency=a.wire_agency, agency_evidence=a.agency_evidence, run_id=run_id,
    )


def sighting_row(entry: FeedEntry, article_id: str, run_id: str, now: datetime) -> dict:
    return dict(article_id=article_id, feed_url=entry.feed_url, source_id=entry.source_id,
                raw_link=entry.raw_link, guid=entry.guid, feed_title=entry.title,
                feed_published_at=entry.published_at, first_seen_at=now, run_id=run_id)


def error_row(run_id: str, stage: str, *, feed_url: str | None, url: str | None, outcome: str,
              error: str | None, at: datetime) -> dict:
    return dict(error_id=stable_id(f"{run_id}|{stage}|{feed_url}|{url}"), run_id=run_id, stage=stage,
                feed_url=feed_url, url=url, outcome=outcome, error=error, occurred_at=at)


def run_row(run_id: str, kind: str, started: datetime, seconds: float, status: str, params: dict, *,
            summary_md: str, feeds_total: int = 0, feeds_ok: int = 0, feeds_failed: int = 0,
            entries_seen: int = 0, new_articles: int = 0, pages_fetched: int = 0, extracted_ok: int = 0,
            duplicates: int = 0, errors: int = 0) -> dict:
    """One row of the runs table (every flow records itself the same way)."""
    return dict(run_id=run_id, flow_run_id=run_id.split("-")[1] if run_id.count("-") >= 2 else None,
                kind=kind, started_at=started, finished_at=started + timedelta(seconds=seconds), status=status,
                parameters=json.dumps(params, ensure_ascii=False, default=str), feeds_total=feeds_total,
                feeds_ok=feeds_ok, feeds_failed=feeds_failed, entries_seen=entries_seen,
                new_articles=new_articles, pages_fetched=pages_fetched, extracted_ok=extracted_ok,
                duplicates=duplicates, errors=errors, summary_md=summary_md)


def ingest_tables(run_id: str, now: datetime, specs: list[FeedSpec], states: dict[str, dict], outcomes: list,
                  picked, pages: list, arts: list[Article], known: dict[str, dict], clustered,
                  article_of_entry: dict[str, tuple[str, str]], disable_after: float) -> dict[str, list[dict]]:
    """Every table an ingest run stages, from what its stages returned (all pages at once)."""
    tables = run_tables(run_id, now, specs, states, outcomes, picked, known, disable_after)
    chunk = chunk_tables(run_id, now, pages, arts, known, clustered, article_of_entry, picked.sightings)
    chunk["run_errors"] = tables.pop("run_errors") + chunk["run_errors"]
    return {**tables, **chunk}


def run_tables(run_id: str, now: datetime, specs: list[FeedSpec], states: dict[str, dict], outcomes: list,
               picked, known: dict[str, dict], disable_after: float) -> dict[str, list[dict]]:
    """The tables of an ingest run that are about its feeds, not its pages: sources, feed state,
    feed fetches, feed and parse errors. Staged last: a feed's new state (ETag, body hash) must
    not be stored before the pages it listed are."""
    feed_rows, fetch_rows, errors = [], [], []
    for fo in outcomes:
        new = picked.new_per_feed.get(fo.spec.url, 0) if fo.parsed else 0
        # A feed is alive when it lists items the warehouse did not have before this run, even if
        # a sibling feed listed (and fetched) them first: that is what `last_new_at` (the
        # feed_health view's "stale") measures, not which feed got to fetch the page.
        fresh = sum(1 for e in fo.parsed.entries if e.article_id not in known) if fo.parsed else 0
        prev = feed_row_base(fo.spec, states.get(fo.spec.feed_id) or {})
        state = next_feed_state(prev, outcome=fo.outcome, status=fo.fetch.status, error=fo.error,
                                new_entries=fresh, now=now, disable_after=disable_after,
                                not_before=fo.fetch.retry_at)
        if fo.outcome == "ok" and not fo.cut:
            # (a feed cut short keeps the validators of its last whole copy: with the cut copy's,
            # the next run's conditional GET got a 304, or its body hash "unchanged", and the
            # items after the cut were never read)
            state["etag"] = fo.fetch.headers.get("etag")
            state["last_modified"] = fo.fetch.headers.get("last-modified")
            state["body_hash"] = fo.body_hash
        if fo.outcome == "ok":
            state["final_url"] = fo.fetch.final_url
        feed_rows.append(state)
        fetch_rows.append(feed_fetch_row(run_id, fo, new))
        if fo.outcome not in ("ok", "not_modified", "unchanged") or fo.error:
            errors.append(error_row(run_id, "feed", feed_url=fo.spec.url, url=fo.fetch.final_url,
                                         outcome=fo.outcome, error=fo.error, at=now))
        if fo.parsed:
            for link, why in fo.parsed.skipped:
                errors.append(error_row(run_id, "parse", feed_url=fo.spec.url, url=link,
                                             outcome="entry_skipped", error=why, at=now))
    return dict(sources=source_rows(specs, now), feeds=feed_rows, feed_fetches=fetch_rows, run_errors=errors)


def chunk_tables(run_id: str, now: datetime, pages: list, arts: list[Article], known: dict[str, dict], clustered,
                 article_of_entry: dict[str, tuple[str, str]], sightings: list[FeedEntry]) -> dict[str, list[dict]]:
    """The tables of fetched pages and their articles: articles, page and extraction errors, the
    sightings given (entries of these pages, or of stored articles), URL aliases, and the dedupe
    tables. A streamed run stages one set per chunk of pages."""
    article_rows, errors = [], []
    for page, art in zip(pages, arts, strict=True):
        prior = known.get(page.entry.article_id) or {}
        attempts = (prior.get("fetch_attempts") or 0) + 1
        article_rows.append(article_row(art, run_id, attempts))
        if not page.fetch.ok:
            errors.append(error_row(run_id, "page", feed_url=page.entry.feed_url, url=page.entry.url,
                                         outcome=page.fetch.outcome, error=page.fetch.error, at=now))
        elif art.extraction.status != "ok" or art.extraction.error:
            # A usable page can still carry a warning (e.g. a paywall teaser): record it too.
            outcome = art.extraction.status if art.extraction.status != "ok" else "warning"
            errors.append(error_row(run_id, "extract", feed_url=page.entry.feed_url, url=page.entry.url,
                                    outcome=outcome, error=art.extraction.error, at=now))

    def real_id(entry_id: str) -> str:
        if entry_id in article_of_entry:
            return article_of_entry[entry_id][1]
        return (known.get(entry_id) or {}).get("real_id") or entry_id

    aliases = [dict(alias_id=eid, alias_url=url, article_id=aid) for eid, (url, aid) in article_of_entry.items()
               if eid != aid]
    tables = dict(articles=article_rows, article_sightings=[sighting_row(e, real_id(e.article_id), run_id, now)
                                                            for e in sightings],
                  url_aliases=aliases, run_errors=errors)
    tables.update(clustered.tables)
    return tables


def ingest_run_row(run_id: str, started: datetime, s, params: dict) -> dict:
    return run_row(run_id, "ingest", started, s.seconds, s.status, params, summary_md=s.markdown(),
                   feeds_total=len(s.feeds), feeds_ok=s.feeds_ok, feeds_failed=s.feeds_failed,
                   entries_seen=sum(f.entries for f in s.feeds), new_articles=s.articles_new,
                   pages_fetched=s.pages_fetched, extracted_ok=s.extracted_ok, duplicates=s.duplicates,
                   errors=s.errors)
