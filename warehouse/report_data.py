"""The daily report's queries: plain functions over a read-only connection, returning dicts.

Everything reads the analysis views (daily_volume, wire_share, story_spread, story_copies,
extraction_drift), so the report shows exactly what an analyst gets from SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from warehouse.db import reader
from warehouse.queries import registered, sql_file


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


@dataclass
class ReportData:
    day: date                        # the report's last day (UTC)
    days: int                        # length of the window ending on `day`
    volume: list[dict] = field(default_factory=list)        # day, source_id, source_name, articles
    wire: list[dict] = field(default_factory=list)          # day, agency, articles, share, clusters
    clusters: list[dict] = field(default_factory=list)      # story_spread rows, widest first
    copies: list[dict] = field(default_factory=list)        # story_copies of those clusters
    drift: list[dict] = field(default_factory=list)         # extraction_drift rows
    totals: dict = field(default_factory=dict)

    @property
    def start(self) -> date:
        return self.day - timedelta(days=self.days - 1)


def parse_day(day: str | date | None) -> date:
    if day is None:
        return datetime.now(UTC).date()
    if isinstance(day, date):
        return day
    return date.fromisoformat(day)


def volume_by_outlet(con, start: date, end: date) -> list[dict]:
    return _rows(con, "SELECT day, source_id, coalesce(source_name, source_id) AS source_name, country, articles "
                      "FROM daily_volume WHERE day BETWEEN ? AND ? ORDER BY day, source_id", [start, end])


def wire_share(con, start: date, end: date) -> list[dict]:
    return _rows(con, "SELECT day, agency, articles, day_articles, share, clusters FROM wire_share "
                      "WHERE day BETWEEN ? AND ? ORDER BY day, agency", [start, end])


def biggest_clusters(con, start: date, end: date, limit: int = 10, min_outlets: int = 2) -> list[dict]:
    """Clusters first seen in the window, by number of outlets, then articles."""
    return _rows(con, "SELECT * FROM story_spread "
                      "WHERE CAST(timezone('UTC', first_seen_at) AS DATE) BETWEEN ? AND ? AND n_outlets >= ? "
                      "ORDER BY n_outlets DESC, n_articles DESC, first_seen_at, cluster_id LIMIT ?",
                 [start, end, min_outlets, limit])


def cluster_copies(con, cluster_ids: list[str]) -> list[dict]:
    if not cluster_ids:
        return []
    with registered(con, "akhbar_ids", {"id": list(cluster_ids)}):
        return _rows(con, sql_file("cluster_copies"))


def report_data(db_path: Path, day: str | date | None = None, days: int = 14, top: int = 10) -> ReportData:
    end = parse_day(day)
    data = ReportData(day=end, days=days)
    with reader(Path(db_path), wait_s=60) as con:
        data.volume = volume_by_outlet(con, data.start, end)
        data.wire = wire_share(con, data.start, end)
        data.clusters = biggest_clusters(con, data.start, end, top)
        data.copies = cluster_copies(con, [c["cluster_id"] for c in data.clusters])
        data.drift = _rows(con, "SELECT * FROM extraction_drift")
        data.totals = _rows(con, "SELECT count(*) AS articles, count(DISTINCT source_id) AS outlets, "
                                 "count(*) FILTER (WHERE CAST(timezone('UTC', coalesce(published_at, fetched_at)) AS DATE) = ?) "
                                 "AS articles_on_day FROM articles", [end])[0]
    return data
