"""Reads the pipeline needs from the warehouse (all through short read-only connections)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

from warehouse.db import exists as warehouse_exists
from warehouse.db import reader


@cache
def sql_file(name: str) -> str:
    """The text of warehouse/sql/queries/<name>.sql."""
    return resources.files("warehouse").joinpath("sql", "queries", f"{name}.sql").read_text(encoding="utf-8")


def _rows(con, sql: str, params: list | dict | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def feed_states(db_path: Path) -> dict[str, dict]:
    if not warehouse_exists(db_path):
        return {}
    with reader(db_path, wait_s=60) as con:
        return {r["feed_id"]: r for r in _rows(con, "SELECT * FROM feeds")}


def known_articles(db_path: Path, article_ids: list[str]) -> dict[str, dict]:
    """Stored articles among these ids (and entries refused as not articles), with what a
    retry decision needs (tasks.select.is_settled)."""
    if not warehouse_exists(db_path) or not article_ids:
        return {}
    with reader(db_path, wait_s=60) as con:
        rows = _rows(
            con,
            "SELECT article_id, article_id AS real_id, fetch_outcome, fetch_attempts, http_status, fetch_error "
            "FROM articles WHERE article_id IN (SELECT unnest($ids)) "
            "UNION ALL "
            "SELECT u.alias_id AS article_id, a.article_id AS real_id, a.fetch_outcome, a.fetch_attempts, "
            "a.http_status, a.fetch_error "
            "FROM url_aliases u JOIN articles a USING (article_id) "
            "WHERE u.alias_id IN (SELECT unnest($ids)) "
            "UNION ALL "
            "SELECT q.article_id, q.article_id AS real_id, 'refused' AS fetch_outcome, 1 AS fetch_attempts, "
            "NULL AS http_status, q.reason AS fetch_error FROM entry_queue q "
            "WHERE q.state = 'refused' AND q.article_id IN (SELECT unnest($ids)) "
            "AND q.article_id NOT IN (SELECT article_id FROM articles)",
            {"ids": article_ids},
        )
    return {r["article_id"]: r for r in rows}


def content_hashes(db_path: Path, article_ids: list[str]) -> dict[str, str | None]:
    """content_hash of the stored articles among these ids."""
    if not warehouse_exists(db_path) or not article_ids:
        return {}
    with reader(db_path, wait_s=60) as con:
        return dict(con.execute("SELECT article_id, content_hash FROM articles WHERE article_id IN (SELECT unnest($ids))",
                                {"ids": article_ids}).fetchall())


def queued_entries(db_path: Path) -> list[dict]:
    """Entries waiting for a later run (deferred by the per-feed cap, or to retry), oldest first."""
    if not warehouse_exists(db_path):
        return []
    with reader(db_path, wait_s=60) as con:
        return _rows(con, "SELECT * FROM entry_queue WHERE state IN ('deferred', 'retry') "
                          "ORDER BY queued_at, article_id")


def recorded_runs(db_path: Path, run_ids: set[str]) -> set[str]:
    """Which of these run ids have a row in `runs` (their batch was loaded)."""
    if not db_path.exists() or not run_ids:
        return set()
    with reader(db_path, wait_s=60) as con:
        return {r[0] for r in con.execute("SELECT run_id FROM runs WHERE run_id IN (SELECT unnest($ids))",
                                          {"ids": sorted(run_ids)}).fetchall()}


def run_query(db_path: Path, sql: str, wait_s: float = 10.0) -> tuple[list[str], list[tuple]]:
    with reader(db_path, wait_s=wait_s) as con:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()


def table_rows(db_path: Path, sql: str, params: list | None = None) -> list[dict]:
    with reader(db_path, wait_s=60) as con:
        return _rows(con, sql, params)


def signatures_between(db_path: Path, start: datetime, end: datetime) -> list[dict]:
    """Dedupe signatures of articles published (or fetched) in [start, end]."""
    if not warehouse_exists(db_path):
        return []
    with reader(db_path, wait_s=60) as con:
        return _rows(
            con,
            "SELECT s.*, m.cluster_id AS member_cluster_id FROM article_signatures s "
            "LEFT JOIN cluster_members m USING (article_id) "
            "WHERE coalesce(s.published_at, s.fetched_at) BETWEEN ? AND ?",
            [start, end],
        )


def boilerplate_counts(db_path: Path, wanted: dict[str, set[str]]
                       ) -> tuple[dict[str, tuple[int, int]], dict[tuple[str, str], int]]:
    """Stored outlet-boilerplate statistics for these {source_id: line hashes} only:
    ({source_id: (n_docs, epoch)}, {(source_id, line_hash): count at that epoch})."""
    if not wanted or not warehouse_exists(db_path):
        return {}, {}
    sources = sorted(wanted)
    pairs = [(s, h) for s in sources for h in sorted(wanted[s])]
    import duckdb

    with reader(db_path, wait_s=60) as con:
        try:
            docs = {r[0]: (r[1], r[2]) for r in con.execute(sql_file("boilerplate_docs"), {"sources": sources}).fetchall()}
        except duckdb.CatalogException:  # a warehouse not migrated yet (dry run on an old file)
            return {}, {}
        lines = {}
        if pairs:
            cur = con.execute(sql_file("boilerplate_counts"),
                              {"sources": [p[0] for p in pairs], "hashes": [p[1] for p in pairs]})
            lines = {(r[0], r[1]): r[2] for r in cur.fetchall()}
    return docs, lines


def drifting_outlets(db_path: Path, wait_s: float = 10.0) -> list[dict]:
    """Outlets flagged by the `extraction_drift` view, as `RunSummary.drift` items
    ``{source_id, reason}`` (plus the view's row under ``detail``). Never raises: a missing
    warehouse or view, or a busy file, gives [] (the drift watch must not fail a run)."""
    import logging

    import duckdb

    from warehouse.db import WarehouseLocked

    if not warehouse_exists(db_path):
        return []
    try:
        with reader(db_path, wait_s=wait_s) as con:
            found = _rows(con, "SELECT * FROM extraction_drift ORDER BY source_id")
    except (duckdb.Error, WarehouseLocked) as exc:
        logging.getLogger("akhbar.warehouse").warning("drift watch skipped: %s", exc)
        return []
    return [dict(source_id=r["source_id"], reason=_drift_reason(r), detail=r) for r in found]


def _drift_reason(r: dict) -> str:
    def pct(x) -> str:
        return "?" if x is None else f"{100 * x:.0f}%"

    parts = []
    for flag in r.get("reasons") or []:
        if flag == "failure_rate":
            parts.append(f"failure rate {pct(r.get('recent_not_ok_share'))} vs {pct(r.get('base_not_ok_share'))}")
        elif flag in ("shorter_text", "longer_text"):
            parts.append(f"{flag.replace('_', ' ')}: median {_n(r.get('recent_median_words'))} vs "
                         f"{_n(r.get('base_median_words'))} words")
        elif flag == "silent":
            parts.append(f"silent: 0 articles in 7 days vs {r.get('base_articles')} in the 30 before")
        else:
            parts.append(str(flag))
    name = r.get("source_name")
    recent = r.get("recent_articles") or 0
    return ((f"({name}) " if name else "") + "; ".join(parts)
            + (f" — {recent} articles in the last 7 days" if recent else ""))


def _n(x) -> str:
    return "?" if x is None else f"{x:.0f}"
