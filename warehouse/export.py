"""Export articles in the documented, stable contract (see README "Export contract")."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import reader

EXPORT_SQL = (Path(__file__).parent / "sql" / "queries" / "export_articles.sql")


def export_articles(db_path: Path, out: Path, fmt: str, where: str | None = None) -> int:
    """Write every article (optionally filtered by a SQL condition) as JSONL or Parquet.

    Parquet output is a directory partitioned by publication date and outlet
    (date=YYYY-MM-DD/source_id=…/), which BI tools and DuckDB read as one dataset.
    """
    query = EXPORT_SQL.read_text(encoding="utf-8").rstrip().rstrip(";")
    if where:
        query = f"SELECT * FROM ({query}) WHERE {where}"
    with reader(db_path) as con:
        n = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        if fmt == "jsonl":
            out.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY ({query}) TO '{_q(out)}' (FORMAT json)")
        elif fmt == "parquet":
            out.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"COPY (SELECT *, coalesce(strftime(published_at, '%Y-%m-%d'), 'undated') AS date FROM ({query})) "
                f"TO '{_q(out)}' (FORMAT parquet, PARTITION_BY (date, source_id), OVERWRITE_OR_IGNORE)"
            )
        else:
            raise ValueError(f"unknown export format {fmt!r} (jsonl or parquet)")
    return n


def _q(path: Path) -> str:
    return path.as_posix().replace("'", "''")
