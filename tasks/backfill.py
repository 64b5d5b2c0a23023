"""WARC backfill: response records of external archives (Common Crawl CC-NEWS style) through the
same extract → dedupe → load path as ingest. Plain functions; flows/backfill.py wires them.

* Records: only HTTP 200 responses with an HTML Content-Type; everything else is counted and
  skipped. `fetched_at` is the record's WARC-Date (so old crawls do not look like today's
  extraction in the drift views).
* Outlet: the record host matched against a host → source_id map (the catalog's feed hosts plus
  explicit `outlets_by_host`), trying the host and then its parent domains (`m.example.com` →
  `example.com`), `www.` ignored; no match → the host name itself (without `www.`) is the source id.
* Kept: articles whose extracted text is Arabic (`language == "ar"`), not already stored
  (settled, same rule as ingest), one per article id (AMP twins fold via rel=canonical).
* `warc_file` is the absolute path of the external WARC, so `reprocess` can re-read it later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tasks.archive import is_html_response, iter_response_records
from tasks.encoding import decode_html
from tasks.models import Article, FeedEntry, FeedSpec, FetchResult
from tasks.pages import Page
from tasks.select import legacy_ids
from tasks.urls import canonicalize, site_key

DEFAULT_BATCH = 200


@dataclass
class Record:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    offset: int
    warc_date: str | None
    path: Path


def host_key(host: str | None) -> str:
    return site_key(host)  # one notion of "the same host" (tasks/urls.py): case, dot, IDN, www.


def hosts_from_catalog(specs: Iterable[FeedSpec]) -> dict[str, str]:
    """Feed host → source_id; a host shared by several outlets (aggregators, feed services) is dropped."""
    seen: dict[str, set[str]] = {}
    for spec in specs:
        host = host_key(urlsplit(spec.url).hostname)
        if host:
            seen.setdefault(host, set()).add(spec.source_id)
    return {h: next(iter(ids)) for h, ids in seen.items() if len(ids) == 1}


class OutletMatcher:
    def __init__(self, by_host: dict[str, str]) -> None:
        self.by_host = {host_key(h): s for h, s in by_host.items() if host_key(h)}

    def source_for(self, url: str) -> tuple[str, bool]:
        """(source_id, matched): the host or its nearest listed parent domain, else the host itself."""
        host = host_key(urlsplit(url).hostname)
        labels = host.split(".")
        for i in range(len(labels) - 1):
            sid = self.by_host.get(".".join(labels[i:]))
            if sid:
                return sid, True
        return host, False


def iter_batches(path: Path, size: int, counts: Counter) -> Iterator[list[Record]]:
    """Batches of candidate records (HTML, status 200) of one WARC file; counts every record."""
    batch: list[Record] = []
    for url, status, headers, body, offset, warc_date in iter_response_records(path):
        counts["records"] += 1
        if status != 200:
            counts["skipped_status"] += 1
            continue
        if not is_html_response(headers):
            counts["skipped_not_html"] += 1
            continue
        batch.append(Record(url, status, headers, body, offset, warc_date, path))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def entry_for(record: Record, matcher: OutletMatcher) -> FeedEntry | None:
    url = canonicalize(record.url, record.url)
    if not url:
        return None
    source_id, _ = matcher.source_for(url)
    return FeedEntry(feed_url="", source_id=source_id, url=url, raw_link=record.url)


def pages_for(records: list[Record], entries: list[FeedEntry | None], skip_ids: set[str],
              counts: Counter) -> list[Page]:
    """Decoded pages for the records worth extracting (usable URL, article not yet stored)."""
    pages = []
    for rec, entry in zip(records, entries, strict=True):
        if entry is None:
            counts["skipped_bad_url"] += 1
            continue
        if entry.article_id in skip_ids:
            counts["skipped_known"] += 1
            continue
        ctype = next((v for k, v in rec.headers.items() if k.lower() == "content-type"), None)
        decoded = decode_html(rec.body, ctype)
        fetch = FetchResult(url=rec.url, final_url=rec.url, outcome="ok", status=rec.status, headers=rec.headers,
                            fetched_at=parse_warc_date(rec.warc_date) or datetime.now(UTC))
        pages.append(Page(entry=entry, fetch=fetch, html=decoded.text, encoding=decoded.encoding,
                          warc_file=str(rec.path.resolve()), warc_offset=rec.offset))
    return pages


def keep_arabic(pages: list[Page], arts: list[Article], skip_ids: set[str],
                counts: Counter) -> tuple[list[Page], list[Article]]:
    """Pages whose extraction is Arabic text and whose (canonical) article is not stored yet."""
    kept_pages, kept = [], []
    for page, art in zip(pages, arts, strict=True):
        if art.extraction.status not in ("ok", "fallback_summary") or not art.extraction.text.strip():
            counts["skipped_no_text"] += 1
        elif art.extraction.language != "ar":
            counts["skipped_not_arabic"] += 1
        elif art.article_id in skip_ids:
            counts["skipped_known"] += 1
        else:
            art.feed_url = None  # type: ignore[assignment]  # no feed: found in an archive
            kept_pages.append(page)
            kept.append(art)
    return kept_pages, kept


def source_rows(source_ids: Iterable[str], specs: list[FeedSpec], known: set[str], now: datetime) -> list[dict]:
    """sources rows for outlets not stored yet: catalog data when matched, else the bare host."""
    by_id = {s.source_id: s for s in specs}
    out = []
    for sid in sorted(set(source_ids) - known):
        spec = by_id.get(sid)
        out.append(dict(source_id=sid, name=spec.source_name if spec else sid,
                        country=spec.country if spec else None, region=spec.region if spec else None,
                        language="ar", updated_at=now))
    return out


def iter_pages(paths: list[Path], matcher: OutletMatcher, counts: Counter,
               settled: Callable[[list[str]], set[str]], taken: set[str], group: int = 256) -> Iterator[Page]:
    """The pages worth extracting in WARC files, record by record: candidate records `group` at a
    time, those whose article is stored (`settled(ids)`) or already taken by this run (`taken`,
    filled by the caller as it stores) left out and counted. A streamed run holds one group."""
    for path in paths:
        for batch in iter_batches(path, group, counts):
            entries = [entry_for(r, matcher) for r in batch]
            legacy = legacy_ids([e for e in entries if e])  # keys older runs stored, where the URL rules changed
            stored = settled([e.article_id for e in entries if e] + sorted(set(legacy.values())))
            skip = set(taken) | stored | {new for new, old in legacy.items() if old in stored}
            yield from pages_for(batch, entries, skip, counts)
