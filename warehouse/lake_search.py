"""Search on a DuckLake: a local index file built from one fixed lake snapshot.

The lake is shared by many writers and every write is a snapshot; keeping search postings
inside it would turn each load into many small commits. So `build_search_file` reads the
tables search needs (`articles`, `sources`, `story_clusters`, `cluster_members`) as of one
snapshot (``AT (VERSION => n)``: a consistent view however many shards load meanwhile) into a
new DuckDB file, builds the search index there with the same code as the plain warehouse
(`warehouse.search.sync_search_index`), and publishes it with an atomic rename as
``<side dir>/search.duckdb``. `akhbar search` on a lake reads that file; readers that have the
old one open keep it until they close it. The file records the lake version it shows
(`search_source`).

Rebuilt after every sharded ingest (by the parent run) and by the daily maintenance; `akhbar
lake search-index` does it by hand.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

import duckdb

from warehouse import lake as lakes
from warehouse.db import reader, sql_literal

log = logging.getLogger("akhbar.lake.search")

COPIED = ("articles", "sources", "story_clusters", "cluster_members")


def search_file(db: Path | str) -> Path:
    lake = lakes.parse(db)
    if lake is None:
        raise ValueError(f"{db} is not a DuckLake")
    return lake.side_dir / "search.duckdb"


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"SELECT id FROM {lakes.ALIAS}.current_snapshot()").fetchone()[0])


def build_search_file(db: Path | str, version: int | None = None) -> dict:
    """Copy the searchable tables at one lake snapshot into a new file, index it, publish it."""
    from warehouse.search import sync_search_index

    started = time.monotonic()
    final = search_file(db)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with reader(Path(str(db)), wait_s=60) as con:
            version = current_version(con) if version is None else int(version)
            con.execute(f"ATTACH {sql_literal(tmp.as_posix())} AS search_out")  # ATTACH cannot bind
            for table in COPIED:
                con.execute(f"CREATE TABLE search_out.{table} AS "
                            f"SELECT * FROM {lakes.ALIAS}.{table} AT (VERSION => {version:d})")
            con.execute("CREATE TABLE search_out.search_source AS SELECT ? AS lake, ? AS version, now() AS built_at",
                        [str(db), version])
            con.execute("DETACH search_out")
        copied = time.monotonic() - started
        out = duckdb.connect(str(tmp))
        try:
            stats = sync_search_index(out, full=True)
            out.execute("CHECKPOINT")
        finally:
            out.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    info = {"file": str(final), "version": version, "articles": stats.get("indexed"),
            "copy_seconds": round(copied, 2), "seconds": round(time.monotonic() - started, 2)}
    log.info("lake search index published: %s", info)
    return info
