"""Reads the pipeline needs from the warehouse (all through short read-only connections)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


def feed_states(db_path: Path, feed_ids: list[str] | None = None) -> dict[str, dict]:
    """Stored fetch state of these feeds (all feeds when None)."""
    if not warehouse_exists(db_path) or feed_ids == []:
        return {}
    with reader(db_path, wait_s=60) as con:
        if feed_ids is None:
            return {r["feed_id"]: r for r in _rows(con, "SELECT * FROM feeds")}
        return {r["feed_id"]: r for r in _rows(con, sql_file("feed_states"), {"ids": sorted(set(feed_ids))})}


@contextmanager
def registered(con, name: str, columns: dict[str, list[str]]) -> Iterator[None]:
    """These string columns as the table `name` on this connection for the block: an Arrow
    table, not list parameters, because DuckDB's binding looks for pandas once per list value
    (with pandas not installed, a failing search of sys.path each, holding the GIL: 4,100 of
    them for the 2,048 candidate ids of one run's known-article read). Nested on one connection
    (cluster_copies or search.enqueue inside a caller's own `name`), the inner block's table
    stands for it and the outer one's is registered again after it, not dropped."""
    import pyarrow as pa

    table = pa.table({c: pa.array(v, pa.string()) for c, v in columns.items()})
    con.register(name, table)
    outer = _REGISTERED.setdefault((id(con), name), [])
    outer.append(table)
    try:
        yield
    finally:
        outer.pop()
        if outer:
            con.register(name, outer[-1])
        else:
            del _REGISTERED[(id(con), name)]
            con.unregister(name)


# (id of a connection, name) -> the tables `registered` holds there, innermost last
_REGISTERED: dict[tuple[int, str], list] = {}


def known_articles(db_path: Path, article_ids: list[str]) -> dict[str, dict]:
    """Stored articles among these ids (and entries refused as not articles), with what a
    retry decision needs (tasks.select.is_settled)."""
    if not warehouse_exists(db_path) or not article_ids:
        return {}
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(article_ids)}):
        rows = _rows(con, sql_file("known_articles"))
    return {r["article_id"]: r for r in rows}


def content_hashes(db_path: Path, article_ids: list[str]) -> dict[str, str | None]:
    """content_hash of the stored articles among these ids."""
    if not warehouse_exists(db_path) or not article_ids:
        return {}
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(article_ids)}):
        return dict(con.execute("SELECT article_id, content_hash FROM articles "
                                "WHERE article_id IN (SELECT id FROM akhbar_ids)").fetchall())


def queued_entries(db_path: Path) -> list[dict]:
    """Entries waiting for a later run (deferred by the per-feed cap or never requested, or to
    retry), oldest first; not those whose server asked not to be asked before a later time."""
    import duckdb

    if not warehouse_exists(db_path):
        return []
    with reader(db_path, wait_s=60) as con:
        try:
            return _rows(con, "SELECT * FROM entry_queue WHERE state IN ('deferred', 'retry') "
                              "AND (not_before IS NULL OR not_before <= now()) ORDER BY queued_at, article_id")
        except duckdb.BinderException:  # a warehouse not migrated yet (dry run on an old file): no waits
            return _rows(con, "SELECT * FROM entry_queue WHERE state IN ('deferred', 'retry') "
                              "ORDER BY queued_at, article_id")


def host_waits(db_path: Path) -> dict[str, tuple[datetime, str]]:
    """Servers (host:port) that asked, with a Retry-After, not to be contacted before a time
    still to come: {host: (not before, why)}."""
    import duckdb

    if not warehouse_exists(db_path):
        return {}
    with reader(db_path, wait_s=60) as con:
        try:
            rows = con.execute("SELECT host, not_before, reason FROM host_waits WHERE not_before > now()").fetchall()
        except duckdb.CatalogException:  # a warehouse not migrated yet (dry run on an old file): no waits
            return {}
    return {host: (until, reason or "") for host, until, reason in rows}


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


def older_signatures(db_path: Path, version: int, wait_s: float = 60.0) -> int:
    """How many stored dedupe signatures are of a version older than `version` (0 without a
    warehouse)."""
    if not warehouse_exists(db_path):
        return 0
    import duckdb

    with reader(db_path, wait_s=wait_s) as con:
        try:
            return int(con.execute(sql_file("signatures_older"), {"version": version}).fetchone()[0])
        except duckdb.CatalogException:  # a file its writer has not migrated that far yet: nothing stored
            return 0


def member_articles(db_path: Path, ids: list[str]) -> list[dict]:
    """Title, outlet and agency of these stored articles (the ids as a registered table)."""
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(ids)}):
        return _rows(con, sql_file("member_articles"))


def signatures_of(db_path: Path, ids: list[str]) -> list[dict]:
    """Dedupe signatures of these articles."""
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(ids)}):
        return _rows(con, sql_file("signatures_of"))


def reprocess_ids(db_path: Path, since: datetime | None, until: datetime | None, outlets: list[str] | None) -> list[str]:
    """Ids of stored articles with `coalesce(published_at, fetched_at)` in [since, until) and
    `source_id` in outlets (each filter only when given), in id order."""
    params = {"since": since, "until": until, "by_outlet": bool(outlets)}
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(outlets or ())}):
        return [r[0] for r in con.execute(sql_file("reprocess_ids"), params).fetchall()]


def reprocess_rows(db_path: Path, ids: list[str]) -> list[dict]:
    """Full stored rows of these articles (id order) plus the first sighting's feed title and date."""
    with reader(db_path, wait_s=60) as con, registered(con, "akhbar_ids", {"id": list(ids)}):
        return _rows(con, sql_file("reprocess_rows"))


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


def _statements(name: str) -> list[tuple[str, list[str]]]:
    """The statements of warehouse/sql/queries/<name>.sql, each with the $parameters it uses."""
    import re

    out = []
    for stmt in sql_file(name).split(";\n"):
        body = "\n".join(line for line in stmt.splitlines() if not line.lstrip().startswith("--")).strip()
        if body:
            out.append((body, sorted(set(re.findall(r"\$(\w+)", body)))))
    return out


def _run(con, name: str, params: dict) -> list:
    """Run every statement of a .sql file; the last one's result rows."""
    rows: list = []
    for sql, names in _statements(name):
        rows = con.execute(sql, {k: params[k] for k in names}).fetchall()
    return rows


def dedupe_pool(db_path: Path, start: datetime, end: datetime, new: list[dict], params: dict[str, int]
                ) -> tuple[list[dict], list[dict]]:
    """What dedupe needs from the window [start, end] for these new signatures, without
    reading the whole window (warehouse/sql/queries/dedupe/*.sql):

    * full signature rows (with ``member_cluster_id``) of the window articles whose 5-grams can
      matter: candidates of a new article, every member of their clusters, and (closed under
      repetition) the first ``max_holders`` holders by article id of a frequent non-numbered
      paragraph of those, whose overlap decides whether that paragraph is a template
      (``tasks.dedupe.find_templates`` reads no more of them);
    * ``light`` rows (article_id, member_cluster_id, para_hashes, para_exact) of the other
      holders of frequent paragraphs (template counting needs no more of them), plus the cluster
      of every selected article (para_hashes NULL).

    `new`: dicts with article_id, key_hash, n_tokens, minhash, lead, para_hashes, para_exact.
    `params`: bands, min_tokens, lead_min, min_docs, min_stories, max_holders (tasks.stories.window_params)."""
    if not new or not warehouse_exists(db_path):
        return [], []
    with reader(db_path, wait_s=60) as con:
        return dedupe_pool_con(con, start, end, new, params)


def dedupe_pool_con(con, start: datetime, end: datetime, new: list[dict], params: dict[str, int]
                    ) -> tuple[list[dict], list[dict]]:
    """`dedupe_pool` on an open read connection (tests/test_window_reads.py profiles it)."""
    import pyarrow as pa

    types = dict(article_id=pa.string(), key_hash=pa.string(), n_tokens=pa.int64(), minhash=pa.list_(pa.int64()),
                 lead=pa.list_(pa.int64()), para_hashes=pa.list_(pa.int64()), para_exact=pa.list_(pa.int64()))
    rows = pa.table({c: pa.array([n[c] for n in new], t) for c, t in types.items()})
    p = {**params, "start": start, "end": end}
    con.register("dedupe_new_rows", rows)  # Arrow: binding nested lists as parameters is slow
    for step in ("1_window", "2_new", "3_candidates", "4_selected"):
        _run(con, f"dedupe/{step}", p)
    while _run(con, "dedupe/5_closure", p)[0][0]:
        pass
    full = _rows(con, *_one(con, "dedupe/6_full", p))
    light = _rows(con, *_one(con, "dedupe/7_light", p))
    return full, light


def _one(con, name: str, params: dict) -> tuple[str, dict]:
    ((sql, names),) = _statements(name)
    return sql, {k: params[k] for k in names}


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
            wanted_rows = {"source_id": [p[0] for p in pairs], "line_hash": [p[1] for p in pairs]}
            with registered(con, "boilerplate_wanted", wanted_rows):
                lines = {(r[0], r[1]): r[2] for r in con.execute(sql_file("boilerplate_counts")).fetchall()}
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
