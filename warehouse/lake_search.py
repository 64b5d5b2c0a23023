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

Refreshed after every load into the lake (a plain `akhbar ingest` too, flows/loading.py), after
every sharded ingest (by the parent run) and by the daily maintenance; `akhbar lake
search-index` does it by hand. A refresh is incremental when the file exists: the rows that
changed between the file's lake version and the current one are read from DuckLake's change
feed (``ducklake_table_changes``: only the data files written since), applied to the copied
tables, and their articles re-indexed through the file's own ``search_queue`` — O(new rows),
in place (a reader waits while it runs, as readers of the plain warehouse wait for a load).
A full build (from scratch, into a new file renamed into place) happens when there is no file
yet, the index format or analyzer changed, the lake's tables gained columns, or the version the
file shows was expired from the lake (``keep_days`` of ``akhbar lake maintain``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse import lake as lakes
from warehouse.db import reader, sql_literal

log = logging.getLogger("akhbar.lake.search")

COPIED = ("articles", "sources", "story_clusters", "cluster_members")
KEYS = {"articles": "article_id", "sources": "source_id", "story_clusters": "cluster_id",
        "cluster_members": "article_id"}


def search_file(db: Path | str) -> Path:
    lake = lakes.parse(db)
    if lake is None:
        raise ValueError(f"{db} is not a DuckLake")
    return lake.side_dir / "search.duckdb"


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"SELECT id FROM {lakes.ALIAS}.current_snapshot()").fetchone()[0])


@contextmanager
def _refresh_lock(final: Path) -> Iterator[None]:
    """One refresher of a lake's search file at a time (per machine sharing the side directory)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.with_name(final.name + ".lock"), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def refresh_search_file(db: Path | str) -> dict:
    """Bring the lake's search file up to the current lake version: incrementally when it exists
    and can be (see the module docstring), else a full build."""
    final = search_file(db)
    with _refresh_lock(final):
        if final.exists():
            try:
                out = _update_in_place(db, final)
                if out is not None:
                    return out
            except duckdb.Error as exc:
                log.warning("incremental lake search refresh failed (%s): building the file again", exc)
        return _build(db, final, None)


def _file_version(final: Path) -> int | None:
    """The lake version the file shows, if its index is current (analyzer and format)."""
    from warehouse.search_index import index_exists

    con = duckdb.connect(str(final), read_only=True)
    try:
        if not index_exists(con):
            return None
        return int(con.execute("SELECT max(version) FROM search_source").fetchone()[0])
    except duckdb.Error:
        return None
    finally:
        con.close()


def _update_in_place(db: Path | str, final: Path) -> dict | None:
    """Apply the lake's changes since the file's version; None when only a full build can do."""
    from warehouse.search import sync_search_index

    started = time.monotonic()
    old = _file_version(final)
    if old is None:
        return None
    changed: list[str] = []
    with reader(Path(str(db)), wait_s=60) as con:
        new = current_version(con)
        if new == old:
            return {"file": str(final), "version": new, "incremental": True, "changed": 0,
                    "seconds": round(time.monotonic() - started, 2)}
        oldest = con.execute("SELECT min(snapshot_id) FROM ducklake_snapshots(?)", [lakes.ALIAS]).fetchone()[0]
        if oldest is not None and oldest > old:  # the file's version was expired: changes unknown
            return None
        con.execute(f"ATTACH {sql_literal(final.as_posix())} AS search_out")  # ATTACH cannot bind
        try:
            con.execute("BEGIN")
            for table in COPIED:
                key = KEYS[table]
                # the last change of each key wins; a row deleted last is not put back
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE _changed AS SELECT * EXCLUDE (snapshot_id, rowid, change_type, k), "
                    f"change_type FROM (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY snapshot_id DESC, "
                    "change_type IN ('insert', 'update_postimage') DESC) AS k "
                    "FROM ducklake_table_changes(?, 'main', ?, ?, ?)) WHERE k = 1", [lakes.ALIAS, table, old + 1, new])
                con.execute(f"DELETE FROM search_out.{table} WHERE {key} IN (SELECT {key} FROM _changed)")
                con.execute(f"INSERT INTO search_out.{table} BY NAME SELECT * EXCLUDE (change_type) FROM _changed "
                            "WHERE change_type IN ('insert', 'update_postimage')")
                if table == "articles":
                    changed = [r[0] for r in con.execute("SELECT article_id FROM _changed").fetchall()]
            con.execute("INSERT INTO search_out.search_source SELECT ?, ?, now()", [str(db), new])
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("DROP TABLE IF EXISTS _changed")
            con.execute("DETACH search_out")
    out_con = duckdb.connect(str(final))
    try:
        if changed:
            from warehouse.search import enqueue

            enqueue(out_con, changed)
        stats = sync_search_index(out_con)
    finally:
        out_con.close()
    info = {"file": str(final), "version": new, "incremental": True, "changed": len(changed),
            "articles": stats.get("indexed"), "seconds": round(time.monotonic() - started, 2)}
    log.info("lake search index updated: %s", info)
    return info


def build_search_file(db: Path | str, version: int | None = None) -> dict:
    """Bring the lake's search file up to date: incrementally when it can (``refresh_search_file``),
    else (or with an explicit ``version``) a full build of that snapshot into a new file."""
    if version is None:
        return refresh_search_file(db)
    final = search_file(db)
    with _refresh_lock(final):
        return _build(db, final, version)


def _build(db: Path | str, final: Path, version: int | None) -> dict:
    """Copy the searchable tables at one lake snapshot into a new file, index it, publish it."""
    from warehouse.search import sync_search_index

    started = time.monotonic()
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
