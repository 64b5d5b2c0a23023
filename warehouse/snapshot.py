"""Read-only snapshots of the warehouse for BI tools and the DuckDB CLI.

DuckDB locks the whole file: while ingest holds it read-write nobody else can open it, not even
read-only. So after each load we publish a copy that readers open instead:

* ``publish_snapshot(db)`` copies ``<stem>.duckdb`` to ``<stem>.snapshot.duckdb`` next to it. The
  copy is taken under a read-only connection (its shared lock keeps writers out for the few
  milliseconds the copy takes), written to a temp file, fsynced, then renamed over the previous
  snapshot. Readers that already have the old snapshot open keep reading the old file (POSIX
  rename semantics); new readers get the new one. Nobody ever sees a half-written snapshot.
  Open it with ``duckdb.connect(path, read_only=True)`` or ``duckdb -readonly <path>``: every
  table, view, macro and the search index are there (``LOAD fts`` for search_articles).
* ``publish_parquet_snapshot(db)`` additionally writes one Parquet file per table under
  ``<data dir>/snapshot/`` (for tools that read Parquet, not DuckDB files), swapped in as a whole
  directory.

Call right after the writer has closed (``flows/loading.py`` after ``load_pending``), when
``snapshot_due`` says so: a copy costs time and disk writes in proportion to the whole file, so
a large warehouse is copied on a schedule (``AKHBAR_SNAPSHOT_EVERY_H``) or on demand
(``akhbar snapshot``), not after every load (bench/RESULTS.md, "Growth").
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path

from warehouse.db import WarehouseLocked, reader, sql_identifier
from warehouse.leftovers import held
from warehouse.load import fsync_dir
from warehouse.paths import data_dir_for

log = logging.getLogger("akhbar.snapshot")


def snapshot_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.snapshot{db_path.suffix or '.duckdb'}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _copy_fsync(src: Path, dst: Path) -> None:
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        shutil.copyfileobj(fi, fo, length=8 * 1024 * 1024)
        fo.flush()
        os.fsync(fo.fileno())


def snapshot_due(db_path: Path, small_mb: float, every_h: float, now: float | None = None) -> bool:
    """Whether a load should republish the snapshot now.

    While the warehouse file is at most `small_mb` MB every load republishes it (the copy costs
    about a second). A larger file is copied only when the published snapshot is missing or older
    than `every_h` hours: a year of news (tens of GB) would otherwise be rewritten after every
    15-minute run."""
    db_path = Path(db_path)
    try:
        size = db_path.stat().st_size + (_wal(db_path).stat().st_size if _wal(db_path).exists() else 0)
    except FileNotFoundError:
        return False
    if size <= small_mb * 2**20:
        return True
    try:
        age_s = (time.time() if now is None else now) - snapshot_path(db_path).stat().st_mtime
    except FileNotFoundError:
        return True
    return age_s >= every_h * 3600


def publish_snapshot(db_path: Path, wait_s: float = 30.0) -> Path | None:
    """Atomically replace ``<stem>.snapshot.duckdb`` with a copy of the warehouse.

    Returns the snapshot path, or None when the warehouse does not exist or stayed locked by a
    writer for `wait_s` (the previous snapshot is then left in place; the next load retries)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    final = snapshot_path(db_path)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    started = time.monotonic()
    try:
        # The read-only connection holds a shared lock: no writer can change the file mid-copy.
        # The temp file is flock-ed while it is written (warehouse.leftovers: a killed copy is
        # recognised and removed by a later run, a live one never is).
        tmp.touch()
        with held(tmp), reader(db_path, wait_s=wait_s):
            _copy_fsync(db_path, tmp)
            wal = _wal(db_path)
            # A clean close checkpoints and removes the WAL; after a crash it may remain, and the
            # snapshot then needs it too (DuckDB replays it when opening the copy).
            if wal.exists():
                _copy_fsync(wal, _wal(tmp))
    except WarehouseLocked as exc:
        log.warning("snapshot skipped, warehouse busy: %s", exc)
        tmp.unlink(missing_ok=True)
        _wal(tmp).unlink(missing_ok=True)
        return None
    except BaseException:
        tmp.unlink(missing_ok=True)
        _wal(tmp).unlink(missing_ok=True)
        raise
    if _wal(tmp).exists():
        os.replace(_wal(tmp), _wal(final))
    else:
        _wal(final).unlink(missing_ok=True)
    os.replace(tmp, final)
    fsync_dir(final.parent)
    log.info("snapshot %s published in %.2fs", final, time.monotonic() - started)
    return final


def publish_parquet_snapshot(db_path: Path, out_dir: Path | None = None, wait_s: float = 30.0) -> Path | None:
    """One Parquet file per base table under ``out_dir`` (default ``<data dir>/snapshot``)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    out_dir = Path(out_dir) if out_dir else data_dir_for(db_path) / "snapshot"
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.mkdir()
    try:
        with held(tmp), reader(db_path, wait_s=wait_s) as con:
            tables = [r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
                "ORDER BY table_name").fetchall()]
            for table in tables:
                con.execute(f"COPY (SELECT * FROM {sql_identifier(table)}) TO ? (FORMAT parquet, COMPRESSION zstd)",
                            [f"{(tmp / table).as_posix()}.parquet"])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:8]}.old")
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return out_dir
