"""Operating a DuckLake warehouse: create it once, keep it small.

* `init_lake`: create the catalog, its tables, views and data path once, before any worker
  starts (two first-time ATTACHes of an empty catalog race and one fails). Idempotent.
* `maintain`: every commit writes its own small Parquet files (or inlines tiny ones into the
  catalog); daily, merge adjacent files, flush inlined rows, expire snapshots older than the
  time-travel horizon, and delete the files no remaining snapshot references. Run it under the
  writer slot: merging rewrites tables.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from warehouse import lake as lakes
from warehouse.db import writer

log = logging.getLogger("akhbar.lake")


def init_lake(db: Path | str) -> dict:
    """Create (or check) the lake: catalog, data path, migrations, views. Returns a summary."""
    lake = lakes.parse(db)
    if lake is None:
        raise ValueError(f"{db} is not a DuckLake (use ducklake:/path/meta.ducklake or ducklake:postgres:<dsn>)")
    with writer(Path(str(db))) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        data_path = _option(con, "data_path")
        tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?",
                             [lakes.ALIAS]).fetchone()[0]
    return {"lake": str(lake), "data_path": data_path, "migrations": versions, "tables": tables,
            "side_dir": str(lake.side_dir)}


def _option(con, name: str) -> str | None:
    try:
        rows = con.execute("SELECT value FROM ducklake_options(?) WHERE option_name = ?", [lakes.ALIAS, name]).fetchall()
    except Exception:  # older extension without ducklake_options
        return None
    return rows[0][0] if rows else None


def _count_files(con) -> int:
    total = 0
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                [lakes.ALIAS]).fetchall():
        total += con.execute("SELECT count(*) FROM ducklake_list_files(?, ?)", [lakes.ALIAS, table]).fetchone()[0]
    return total


def maintain(db: Path | str, keep_days: float = 7.0) -> dict:
    """Merge adjacent files, flush inlined data, expire snapshots older than `keep_days`, delete
    unreferenced files. Returns what it did (files before/after, snapshots expired, seconds)."""
    if lakes.parse(db) is None:
        raise ValueError(f"{db} is not a DuckLake")
    started = time.monotonic()
    with writer(Path(str(db))) as con:
        before = _count_files(con)
        alias = lakes.ALIAS
        con.execute("CALL ducklake_flush_inlined_data(?)", [alias])
        con.execute("CALL ducklake_merge_adjacent_files(?)", [alias])
        expired = con.execute(
            "CALL ducklake_expire_snapshots(?, older_than => now() - to_microseconds(CAST(? * 86400e6 AS BIGINT)))",
            [alias, keep_days]).fetchall()
        cleaned = con.execute("CALL ducklake_cleanup_old_files(?, cleanup_all => true)", [alias]).fetchall()
        after = _count_files(con)
        snapshots = con.execute("SELECT count(*) FROM ducklake_snapshots(?)", [alias]).fetchone()[0]
    out = {"files_before": before, "files_after": after, "snapshots_expired": len(expired),
           "files_deleted": len(cleaned), "snapshots_kept": snapshots,
           "seconds": round(time.monotonic() - started, 2)}
    log.info("lake maintenance: %s", out)
    return out
