"""Sharded ingest: split the catalog into shards of whole outlets, and cluster a shard's staged
batch in the one serialized load step.

A shard fetches, parses, extracts, attributes and signs its outlets' pages and stages the batch
with ``cluster_at_load`` in its manifest, without matching it against anything: shards run at
the same time on several machines, so none of them can see the others' articles. Matching
against the stored window (dedupe), the MERGE, post-load and the `load_batches` row happen in
one step, one batch at a time, under the single-writer lock (`flows.loading`), so each batch is
clustered against everything loaded before it — exactly as one machine loading the batches one
after another.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from tasks import stories
from tasks.attribution import Attribution
from tasks.dedupe import Signature
from tasks.models import Article, Extracted, FeedSpec


def split_outlets(specs: list[FeedSpec], n_shards: int) -> list[list[str]]:
    """Outlet ids in `n_shards` groups of about equal feed count; an outlet is never split (its
    host's politeness is kept by one process). Deterministic; empty shards dropped."""
    feeds_per_outlet: dict[str, int] = {}
    for spec in specs:
        feeds_per_outlet[spec.source_id] = feeds_per_outlet.get(spec.source_id, 0) + 1
    n = max(1, min(n_shards, len(feeds_per_outlet)))
    shards: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for outlet, count in sorted(feeds_per_outlet.items(), key=lambda kv: (-kv[1], kv[0])):
        i = min(range(n), key=lambda k: (load[k], k))
        shards[i].append(outlet)
        load[i] += count
    return [sorted(s) for s in shards if s]


def _rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist() if path.exists() else []


def _article(row: dict) -> Article:
    """What clustering reads of an article (outlet, title, times, attribution)."""
    ext = Extracted(status=row.get("extraction_status") or "ok", text=row.get("text") or "",
                    title=row.get("title"), published_at=row.get("published_at"))
    return Article(article_id=row["article_id"], url=row.get("url") or "", canonical_url=row.get("canonical_url") or "",
                   source_id=row["source_id"], feed_url=row.get("feed_url") or "",
                   fetched_at=row.get("fetched_at") or datetime.min, extraction=ext,
                   wire_agency=row.get("wire_agency"), agency_evidence=row.get("agency_evidence"),
                   cited_agencies=list(row.get("cited_agencies") or []))


def manifest_agency_outlets(meta: dict) -> dict[str, str]:
    """The manifest's agency outlets (source_id -> agency; `tasks.catalog.agency_outlets`). A
    batch staged before they carried their agency lists the ids only: they still get the
    canonical copies (their copies were attributed when the batch was staged)."""
    value = meta.get("agency_outlets") or {}
    if isinstance(value, dict):
        return {str(k): str(v or "") for k, v in value.items()}
    return {str(sid): "" for sid in value}


def cluster_staged(batch: Path, meta: dict, db_path: Path, window_hours: int,
                   warnings: list[str] | None = None) -> dict[str, list[dict]]:
    """The tables a shard's batch loads with: its articles clustered against the stored window
    (and each other), plus the cluster rows. Reads the warehouse; the caller holds the lock.
    warnings: gets the run's warning line if the matching failed (the batch still loads)."""
    article_rows = _rows(batch / "articles.parquet")
    sig_rows = _rows(batch / "article_signatures.parquet")
    arts = [_article(r) for r in article_rows]
    attributions = {a.article_id: Attribution(agency=a.wire_agency, evidence=a.agency_evidence,
                                              cited=list(a.cited_agencies)) for a in arts}
    sigs = stories.current_signatures([Signature.from_row(r) for r in sig_rows], arts)
    result = stories.match_or_alone(arts, attributions, sigs, db_path, window_hours, manifest_agency_outlets(meta))
    by_id = {a.article_id: a for a in arts}
    for row in article_rows:
        art = by_id[row["article_id"]]
        row["cluster_id"], row["is_canonical"] = art.cluster_id, art.is_canonical
    tables = {"articles": article_rows, **result.tables}
    if not result.tables:  # nothing matchable: keep the staged signatures (none) as they are
        tables["article_signatures"] = sig_rows
    if result.failed:  # the batch's own run_errors rows, and one per article stored alone
        run_id = batch.name.split("-", 1)[-1]
        tables["run_errors"] = _rows(batch / "run_errors.parquet") + stories.failure_rows(
            run_id, datetime.now(UTC), arts, result)
        if warnings is not None:
            warnings += stories.failure_warning([result])
    return tables
