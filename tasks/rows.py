"""Records → warehouse rows (plain dicts keyed by column name, staged as Parquet)."""

from __future__ import annotations

from datetime import datetime

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
