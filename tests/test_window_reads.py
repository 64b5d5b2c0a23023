"""Dedupe's window read scans only the window's rows of ``article_signatures``, however big the
warehouse (issue 13: memory bounded by the batch, not by the warehouse).

A warehouse of 600,000 signatures, one a minute over 14 months, in time order as loads write
them (five DuckDB row groups), and 64 new articles dated in its last days: every statement of
the window read (warehouse/sql/queries/dedupe/*.sql, run by ``queries.dedupe_pool_con``) is
profiled by DuckDB, and the rows it scanned from ``article_signatures`` are counted. The read
of the selected articles' full signatures once filtered the window as ``published_at BETWEEN
.. OR (published_at IS NULL AND fetched_at BETWEEN ..)``: DuckDB does not push that OR into the
scan, so it scanned every row of every column (5-gram lists too): +230 MB in the flow process at
100k articles, ten times that at 1M."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from tasks import stories
from tasks.dedupe import make_signature
from tasks.models import stable_id
from warehouse import queries
from warehouse.db import writer

ROWS = 600_000
END = datetime(2026, 12, 1, tzinfo=UTC)
GOLD = Path(__file__).parent / "fixtures" / "web" / "dev" / "gold.jsonl"


class Profiled:
    """A DuckDB connection that records, per statement, the rows its scans read from one table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str):
        self.con, self.table, self.scanned = con, table, []
        con.execute("SET enable_profiling = 'no_output'")
        con.execute("SET custom_profiling_settings = '"
                    '{"OPERATOR_ROWS_SCANNED": "true", "OPERATOR_TYPE": "true", "EXTRA_INFO": "true"}\'')

    def register(self, name, obj):
        return self.con.register(name, obj)

    def execute(self, sql, params=None):
        cur = self.con.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
        info = json.loads(self.con.get_profiling_information(format="json"))
        self.scanned.append((sql.split("\n", 1)[0][:60], self._rows_scanned(info), self._scans(info)))
        return _Result(rows, cur.description)

    def _rows_scanned(self, node: dict) -> int:
        own = node.get("operator_rows_scanned", 0) if str(node.get("extra_info", {}).get("Table", "")).endswith(
            f".{self.table}") else 0
        return own + sum(self._rows_scanned(c) for c in node.get("children", []))

    def _scans(self, node: dict) -> int:
        """How many scans of the table the statement's plan holds (3_candidates.sql: two range
        scans for the MinHash bands, two for the lead 5-grams)."""
        own = 1 if str(node.get("extra_info", {}).get("Table", "")).endswith(f".{self.table}") else 0
        return own + sum(self._scans(c) for c in node.get("children", []))


class _Result:
    def __init__(self, rows, description):
        self.rows, self.description = rows, description

    def fetchall(self):
        return self.rows


def test_window_read_scans_only_the_windows_rows(tmp_path):
    db = tmp_path / "akhbar.duckdb"
    # The real schema; history inserted in time order; ids are hashes as everywhere (a join's
    # min/max filter on them prunes nothing).
    with writer(db) as con:
        con.execute("""
            INSERT INTO article_signatures BY NAME
            SELECT md5(i::VARCHAR)[:16] AS article_id, 'old' || (i % 50) AS source_id,
                   $end - (($rows - i) * INTERVAL 1 MINUTE) AS published_at,
                   $end - (($rows - i) * INTERVAL 1 MINUTE) AS fetched_at,
                   printf('k%d', i) AS key_hash, 200 AS n_tokens, [i] AS para_hashes, [i] AS para_exact,
                   [0] AS para_offsets, [i, i + 1, i + 2] AS shingles, [i] AS lead,
                   list_transform(range(126), x -> i * 131 + x) AS minhash, 1 AS version
            FROM range($rows) r(i)""", {"rows": ROWS, "end": END})
    texts = [json.loads(line)["body_paragraphs"] for line in GOLD.read_text("utf-8").splitlines()]
    new = []
    for i, paras in enumerate(texts):
        s = make_signature(stable_id(f"new{i}"), "outlet", END - timedelta(hours=i % 20), "\n".join(paras))
        new.append({k: getattr(s, k) for k in ("article_id", "key_hash", "n_tokens", "minhash", "lead", "para_hashes",
                                                "para_exact")})
    params = stories.window_params()
    start, end = END - timedelta(hours=20 + 72), END + timedelta(hours=72)  # dates.windows of the new ones
    in_window = int((END - start) / timedelta(minutes=1))  # ~5,500 stored rows
    con = duckdb.connect(str(db), read_only=True)
    try:
        profiled = Profiled(con, "article_signatures")
        queries.dedupe_pool_con(profiled, start, end, new, params)
    finally:
        con.close()
    reads = [(stmt, n, scans) for stmt, n, scans in profiled.scanned if n]
    assert reads, "the window read did not read article_signatures at all"
    # A scan skips what its zone maps rule out (whole row groups of 122,880 rows, and vectors of
    # 2,048 inside one): each read stays within a row group of the window, never the table.
    for stmt, n, scans in reads:
        assert n <= scans * (in_window + 122_880), f"{stmt!r} scanned {n:,} of {ROWS:,} signature rows"
