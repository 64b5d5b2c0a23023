"""Run summary: per-feed table and a markdown digest (for Prefect artifacts and the CLI)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FeedLine:
    source_id: str
    feed_url: str
    outcome: str
    http_status: int | None
    entries: int
    new_articles: int
    duplicates: int
    errors: int
    error: str | None


@dataclass
class RunSummary:
    run_id: str
    db_path: str
    status: str = "completed"
    feeds: list[FeedLine] = field(default_factory=list)
    feeds_skipped: int = 0
    feeds_backoff: int = 0           # of the skipped: in failure backoff
    feeds_disabled: int = 0          # of the skipped: disabled
    next_due: datetime | None = None  # earliest end of backoff among the skipped
    pages_fetched: int = 0
    pages_failed: int = 0
    articles_new: int = 0
    extracted_ok: int = 0
    fallback: int = 0
    extraction_failed: int = 0
    duplicates: int = 0
    new_clusters: int = 0
    top_clusters: list[dict] = field(default_factory=list)
    drift: list[dict] = field(default_factory=list)
    load: str = ""
    pending_batches: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    error: str | None = None  # why the run could not store its work (e.g. disk full): one line
    notes: list[str] = field(default_factory=list)  # one line each: leftovers cleaned, deferred entries...

    @property
    def feeds_ok(self) -> int:
        return sum(1 for f in self.feeds if f.outcome in ("ok", "not_modified", "unchanged"))

    @property
    def feeds_failed(self) -> int:
        return len(self.feeds) - self.feeds_ok

    @property
    def errors(self) -> int:
        return self.feeds_failed + self.pages_failed + self.extraction_failed

    def skipped_text(self) -> str:
        """'12 skipped: 10 in failure backoff (next due 12:45 UTC; --ignore-backoff polls them now), 2 disabled'"""
        parts = []
        if self.feeds_backoff:
            due = f"next due {self.next_due:%Y-%m-%d %H:%M} UTC; " if self.next_due else ""
            parts.append(f"{self.feeds_backoff} in failure backoff ({due}`--ignore-backoff` polls them now)")
        if self.feeds_disabled:
            parts.append(f"{self.feeds_disabled} disabled (`akhbar feeds enable` brings one back)")
        other = self.feeds_skipped - self.feeds_backoff - self.feeds_disabled
        if other > 0:
            parts.append(f"{other} not due")
        return f"{self.feeds_skipped} skipped: " + ", ".join(parts)

    def table(self) -> list[dict]:
        return [
            dict(outlet=f.source_id, feed=f.feed_url, outcome=f.outcome, http=f.http_status or "",
                 entries=f.entries, new=f.new_articles, duplicates=f.duplicates, errors=f.errors,
                 error=(f.error or "")[:160])
            for f in sorted(self.feeds, key=lambda f: (f.outcome in ("ok", "not_modified", "unchanged"),
                                                       f.source_id, f.feed_url))
        ]

    def markdown(self) -> str:
        lines = [
            f"# akhbar ingest {self.run_id}",
            "",
            f"- status: **{self.status}**{' (dry run: nothing written)' if self.dry_run else ''}",
            f"- warehouse: `{self.db_path}` — load: {self.load or 'n/a'}"
            + (f", {self.pending_batches} batch(es) still pending" if self.pending_batches else ""),
            f"- feeds: {len(self.feeds)} polled, {self.feeds_ok} ok, {self.feeds_failed} failed"
            + (f", {self.skipped_text()}" if self.feeds_skipped else ""),
            f"- pages: {self.pages_fetched} fetched, {self.pages_failed} failed",
            f"- articles: {self.articles_new} new — {self.extracted_ok} extracted, {self.fallback} from feed"
            f" summary, {self.extraction_failed} failed",
            f"- wire copies: {self.duplicates} duplicates, {self.new_clusters} new story clusters",
            f"- wall time: {self.seconds:.1f}s",
        ]
        lines += [f"- {note}" for note in self.notes]
        if self.error:
            lines.append(f"- error: {self.error}")
        if self.top_clusters:
            lines += ["", "## Top story clusters (by outlets)", "", "| outlets | articles | agency | title |",
                      "|---:|---:|---|---|"]
            lines += [f"| {c['n_sources']} | {c['n_articles']} | {c.get('agency') or ''} | {c.get('title') or ''} |"
                      for c in self.top_clusters]
        failing = [f for f in self.feeds if f.outcome not in ("ok", "not_modified", "unchanged")]
        if failing:
            lines += ["", "## Failing feeds", "", "| outlet | feed | outcome | error |", "|---|---|---|---|"]
            lines += [f"| {f.source_id} | {f.feed_url} | {f.outcome} | {(f.error or '')[:120]} |" for f in failing]
        if self.drift:
            lines += ["", "## Extraction drift", ""]
            lines += [f"- {d['source_id']}: {d['reason']}" for d in self.drift]
        return "\n".join(lines) + "\n"


@dataclass
class PageCounts:
    """What the summary counts about pages and articles, added up chunk by chunk (a streamed run
    never holds all its pages)."""

    dup_by_feed: Counter = field(default_factory=Counter)
    err_by_feed: Counter = field(default_factory=Counter)
    pages_fetched: int = 0
    pages_failed: int = 0
    articles: int = 0
    extracted_ok: int = 0
    fallback: int = 0
    extraction_failed: int = 0
    duplicates: int = 0
    new_clusters: int = 0
    clusters: dict[str, dict] = field(default_factory=dict)  # multi-article clusters touched, latest row

    def add(self, pages: list, arts: list, clustered) -> None:
        for page, art in zip(pages, arts, strict=True):
            if art.article_id in clustered.duplicate_ids:
                self.dup_by_feed[page.entry.feed_url] += 1
            if not page.fetch.ok or art.extraction.status != "ok":
                self.err_by_feed[page.entry.feed_url] += 1
        self.pages_fetched += sum(1 for p in pages if p.fetch.ok)
        self.pages_failed += sum(1 for p in pages if not p.fetch.ok)
        self.articles += len(arts)
        self.extracted_ok += sum(1 for a in arts if a.extraction.status == "ok")
        self.fallback += sum(1 for a in arts if a.extraction.status == "fallback_summary")
        self.extraction_failed += sum(1 for a in arts if a.extraction.status == "failed")
        self.duplicates += len(clustered.duplicate_ids) + clustered.duplicates_change
        self.new_clusters += clustered.new_clusters
        for row in clustered.tables.get("story_clusters", []):
            if row["n_articles"] >= 2:
                self.clusters[row["cluster_id"]] = row
            else:  # (a streamed run's last chunk may leave one of its chunks' clusters with one member)
                self.clusters.pop(row["cluster_id"], None)
        for row in clustered.tables.get("clusters_withdrawn", []):
            self.clusters.pop(row["cluster_id"], None)

    def top_clusters(self, n: int = 10) -> list[dict]:
        ranked = sorted(self.clusters.values(), key=lambda r: (-r["n_sources"], -r["n_articles"]))[:n]
        return [dict(n_sources=r["n_sources"], n_articles=r["n_articles"], agency=r["agency"], title=r["title"])
                for r in ranked]


def fill_ingest_summary(summary: RunSummary, outcomes, picked, pages, arts, clustered) -> None:
    """Counts for the summary from what the ingest stages returned (all pages at once)."""
    counts = PageCounts()
    counts.add(pages, arts, clustered)
    fill_ingest_counts(summary, outcomes, picked, counts)
    summary.top_clusters = clustered.top_clusters


def fill_ingest_counts(summary: RunSummary, outcomes, picked, counts: PageCounts) -> None:
    """Counts for the summary from the feed outcomes and the pages' counts."""
    for fo in outcomes:
        summary.feeds.append(FeedLine(
            source_id=fo.spec.source_id, feed_url=fo.spec.url, outcome=fo.outcome, http_status=fo.fetch.status,
            entries=fo.entries, new_articles=picked.new_per_feed.get(fo.spec.url, 0),
            duplicates=counts.dup_by_feed.get(fo.spec.url, 0),
            errors=counts.err_by_feed.get(fo.spec.url, 0)
            + (0 if fo.outcome in ("ok", "not_modified", "unchanged") else 1),
            error=fo.error))
    summary.pages_fetched = counts.pages_fetched
    summary.pages_failed = counts.pages_failed
    summary.articles_new = counts.articles
    summary.extracted_ok = counts.extracted_ok
    summary.fallback = counts.fallback
    summary.extraction_failed = counts.extraction_failed
    summary.duplicates = counts.duplicates
    summary.new_clusters = counts.new_clusters
    summary.top_clusters = counts.top_clusters()
