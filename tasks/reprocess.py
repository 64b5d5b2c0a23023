"""Re-extraction from the WARC archive: no network, same article ids, rows updated in place.

Selection: stored articles whose page was fetched and archived (`fetch_outcome = 'ok'`,
`warc_file`/`warc_offset` set), restricted to `coalesce(published_at, fetched_at)` in
[since, until) and/or `source_id` in outlets. Rows outside the archive are counted, not touched.

Per article the archived response is read back (`tasks.archive.read_record`), decoded like a
fresh fetch (`decode_html` with the archived Content-Type) and extracted by the same code as
ingest (`tasks.articles.build_articles`, i.e. `ExtractJob`/`run_job` in the process pool). The
feed hints given to the extractor are the immutable ones of the first sighting (feed title and
date); the stored text stands in for the feed summary only for rows that were a summary fallback
already. Outlet boilerplate is stripped with the stored model *without learning* from these
pages: they were counted when first ingested, and counting them again would shift the model on
every run (reprocess would not be idempotent). Identity and fetch fields come from the stored
row (article_id, url, canonical_url, source_id, feed_url, fetched_at, http/fetch fields, WARC
pointer, run_id = the run that fetched the page, fetch_attempts), so the row is replaced in place.

A re-extraction that is worse than what is stored (stored `ok`, now `fallback_summary`/`failed`)
is not applied: the stored row stays and the case is reported (`regressed`), since the archive
did not change and losing good text to an extractor regression is never wanted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tasks import rows as rows_mod
from tasks.archive import read_record
from tasks.articles import build_articles
from tasks.boilerplate import BoilerplateModel
from tasks.encoding import decode_html
from tasks.models import Article, FeedEntry, FetchResult
from tasks.pages import Page
from warehouse import queries

# Columns a re-extraction may change (the rest of an articles row is identity / fetch data).
EXTRACTED_COLUMNS = ("title", "author", "published_at", "published_at_source", "language", "text", "word_count", "image", "section",
                     "categories", "extraction_status", "extraction_error", "content_hash")


@dataclass
class ReprocessCounts:
    selected: int = 0
    reextracted: int = 0  # rows rewritten from the archive
    changed: int = 0  # ... whose extracted columns differ from what was stored
    not_archived: int = 0  # no WARC pointer (fetched before archiving, or fetch failed)
    missing_record: int = 0  # WARC file/record not readable
    regressed: int = 0  # re-extraction worse than stored: stored row kept
    ok: int = 0
    fallback: int = 0
    failed: int = 0
    duplicates: int = 0
    clusters_rescored: int = 0
    extractor_versions: dict[str, int] = field(default_factory=dict)

    def add(self, other: ReprocessCounts) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        for version, n in other.extractor_versions.items():
            self.extractor_versions[version] = self.extractor_versions.get(version, 0) + n

    def markdown(self, run_id: str, db: str, dry_run: bool, seconds: float, load: str) -> str:
        versions = ", ".join(f"`{v}` {n}" for v, n in sorted(self.extractor_versions.items())) or "n/a"
        return "\n".join([
            f"# akhbar reprocess {run_id}",
            "",
            f"- warehouse: `{db}` — load: {load}{' (dry run: nothing written)' if dry_run else ''}",
            f"- selected: {self.selected} — re-extracted {self.reextracted} ({self.changed} changed),"
            f" {self.not_archived} not archived, {self.missing_record} archive record unreadable,"
            f" {self.regressed} kept (re-extraction worse than stored)",
            f"- extraction: {self.ok} ok, {self.fallback} feed summary, {self.failed} failed",
            f"- extractor: {versions}",
            f"- dedupe: {self.duplicates} wire copies, {self.clusters_rescored} clusters re-measured",
            f"- wall time: {seconds:.1f}s",
        ]) + "\n"


def select_article_ids(db_path: Path, since: datetime | None = None, until: datetime | None = None,
                       outlets: list[str] | None = None) -> list[str]:
    """Ids of stored articles with `coalesce(published_at, fetched_at)` in [since, until) and
    `source_id` in outlets (each filter only when given), in id order."""
    return queries.reprocess_ids(db_path, _aware(since) if since else None, _aware(until) if until else None,
                                 outlets)


def stored_rows(db_path: Path, article_ids: list[str]) -> list[dict]:
    """Full stored rows of these articles (id order) plus the first sighting's feed title and date."""
    if not article_ids:
        return []
    return queries.reprocess_rows(db_path, article_ids)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), max(1, size)):
        yield items[i:i + max(1, size)]


def warc_path(archive_dir: Path, warc_file: str) -> Path:
    """Ingest stores the file name inside the archive dir; the WARC backfill an absolute path."""
    p = Path(warc_file)
    return p if p.is_absolute() else archive_dir / p


@dataclass
class ArchivedBatch:
    pages: list[Page] = field(default_factory=list)
    stored: list[dict] = field(default_factory=list)  # the stored row of each page, same order
    skipped: list[tuple[dict, str, str]] = field(default_factory=list)  # (row, outcome, error)


@dataclass
class Archived:
    """One selected article on its way through a (streamed) reprocess run: its stored row, and
    its page rebuilt from the archive, or why there is none."""

    row: dict
    page: Page | None = None
    outcome: str | None = None  # not_archived | missing_record when page is None
    error: str | None = None


def archived(row: dict, archive_dir: Path) -> Archived:
    """The page of one stored row rebuilt from the archive (decoded like a fresh fetch)."""
    if row.get("fetch_outcome") != "ok" or not row.get("warc_file") or row.get("warc_offset") is None:
        return Archived(row, None, "not_archived", "no archived page for this article")
    try:
        url, status, headers, body = read_record(warc_path(archive_dir, row["warc_file"]), int(row["warc_offset"]))
    except (OSError, ValueError, EOFError) as exc:
        return Archived(row, None, "missing_record", f"{type(exc).__name__}: {exc}"[:300])
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    decoded = decode_html(body, ctype)
    entry = FeedEntry(feed_url=row.get("feed_url") or "", source_id=row["source_id"], url=row["canonical_url"],
                      raw_link=row["url"], title=row.get("_feed_title"), published_at=row.get("_feed_published"),
                      summary=row.get("text") if row.get("extraction_status") == "fallback_summary" else None)
    fetch = FetchResult(url=row["url"], final_url=url or row["url"], outcome="ok", status=status,
                        headers=headers, fetched_at=row.get("fetched_at"))
    return Archived(row, Page(entry=entry, fetch=fetch, html=decoded.text, encoding=decoded.encoding,
                              warc_file=row["warc_file"], warc_offset=row["warc_offset"]))


def iter_archived(db_path: Path, ids: list[str], archive_dir: Path, group: int = 256) -> Iterator[Archived]:
    """Every selected article with its archived page, in id order, reading `group` stored rows at
    a time (a streamed run holds a group, never the whole selection)."""
    for batch_ids in chunks(ids, group):
        for row in stored_rows(db_path, batch_ids):
            yield archived(row, archive_dir)


def batch_of(items: list[Archived]) -> ArchivedBatch:
    """A chunk of a streamed run as the batch form `count_batch` and `error_rows` read."""
    out = ArchivedBatch()
    for it in items:
        if it.page is None:
            out.skipped.append((it.row, it.outcome, it.error))
        else:
            out.pages.append(it.page)
            out.stored.append(it.row)
    return out


def read_archived(stored_rows: list[dict], archive_dir: Path) -> ArchivedBatch:
    """Pages rebuilt from the archive for the rows that have one; the others are listed as skipped."""
    return batch_of([archived(row, archive_dir) for row in stored_rows])


def keep_identity(art: Article, row: dict) -> Article:
    """A re-extracted Article keeps its stored identity and fetch fields."""
    art.article_id, art.url, art.canonical_url = row["article_id"], row["url"], row["canonical_url"]
    art.source_id, art.feed_url, art.fetched_at = row["source_id"], row["feed_url"], row["fetched_at"]
    art.http_status, art.fetch_outcome, art.fetch_error = row["http_status"], row["fetch_outcome"], row["fetch_error"]
    art.warc_file, art.warc_offset = row["warc_file"], row["warc_offset"]
    return art


def rebuild_articles(batch: ArchivedBatch, site_names: dict[str, str], workers: int,
                     boilerplate: BoilerplateModel | None, run_id: str,
                     source_zones: dict[str, str] | None = None) -> list[Article]:
    """Extract the archived pages again; every Article keeps its stored identity and fetch fields.
    `source_zones` (source_id -> country) as in ingest: naive page times are the outlet's local time."""
    arts = build_articles(batch.pages, site_names, workers, boilerplate, run_id, learn_boilerplate=False,
                          zones=source_zones)
    return [keep_identity(art, row) for art, row in zip(arts, batch.stored, strict=True)]


def split_regressed(arts: list[Article], stored: list[dict]) -> tuple[list[Article], list[dict], list[dict]]:
    """(articles to apply, their stored rows, stored rows kept because re-extraction got worse)."""
    keep, keep_rows, regressed = [], [], []
    for art, row in zip(arts, stored, strict=True):
        if row.get("extraction_status") == "ok" and art.extraction.status != "ok":
            regressed.append({**row, "_new_status": art.extraction.status, "_new_error": art.extraction.error})
        else:
            keep.append(art)
            keep_rows.append(row)
    return keep, keep_rows, regressed


def article_rows(arts: list[Article], stored: list[dict]) -> list[dict]:
    """articles rows for the re-extracted articles: run_id and fetch_attempts stay the fetch's own."""
    return [rows_mod.article_row(a, row.get("run_id") or "", row.get("fetch_attempts") or 1)
            for a, row in zip(arts, stored, strict=True)]


def changed(new_row: dict, stored: dict) -> bool:
    def norm(v):
        if isinstance(v, datetime):
            return _aware(v).timestamp()
        return list(v) if isinstance(v, (list, tuple)) else v

    return any(norm(new_row.get(c)) != norm(stored.get(c)) for c in EXTRACTED_COLUMNS)


def error_rows(run_id: str, batch: ArchivedBatch, regressed: list[dict], now: datetime) -> list[dict]:
    out = [rows_mod.error_row(run_id, "reprocess", feed_url=row.get("feed_url"), url=row["url"],
                              outcome=outcome, error=error, at=now)
           for row, outcome, error in batch.skipped if outcome != "not_archived"]
    out += [rows_mod.error_row(run_id, "reprocess", feed_url=row.get("feed_url"), url=row["url"],
                               outcome="regressed",
                               error=f"re-extraction {row['_new_status']}: {row['_new_error'] or ''}; stored row kept"[:500],
                               at=now)
            for row in regressed]
    return out


def count_batch(batch: ArchivedBatch, arts: list[Article], new_rows: list[dict], stored: list[dict],
                regressed: list[dict], duplicates: int, clusters: int) -> ReprocessCounts:
    c = ReprocessCounts(selected=len(batch.pages) + len(batch.skipped), reextracted=len(arts),
                        regressed=len(regressed), duplicates=duplicates, clusters_rescored=clusters)
    c.not_archived = sum(1 for _, outcome, _ in batch.skipped if outcome == "not_archived")
    c.missing_record = sum(1 for _, outcome, _ in batch.skipped if outcome == "missing_record")
    c.changed = sum(1 for r, s in zip(new_rows, stored, strict=True) if changed(r, s))
    for a in arts:
        s = a.extraction.status
        c.ok += s == "ok"
        c.fallback += s == "fallback_summary"
        c.failed += s == "failed"
        v = a.extraction.extractor_version or "?"
        c.extractor_versions[v] = c.extractor_versions.get(v, 0) + 1
    return c


def source_names(db_path: Path) -> dict[str, str]:
    return {r["source_id"]: r["name"] for r in queries.table_rows(db_path, "SELECT source_id, name FROM sources")}


def source_countries(db_path: Path) -> dict[str, str]:
    """source_id -> catalog country (the outlet's zone for naive page times)."""
    rows = queries.table_rows(db_path, "SELECT source_id, country FROM sources WHERE country IS NOT NULL")
    return {r["source_id"]: r["country"] for r in rows}
