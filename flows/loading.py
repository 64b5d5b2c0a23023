"""The one way any flow writes the warehouse: stage the batch, then load everything pending
under the one-writer lock, rebuild search, publish the read-only snapshot. Before the batches
load, stored story signatures an older akhbar made under another dedupe key are re-signed
(`_resign`, once after such an upgrade), so that every run matches against the current key. A
process checks that once per warehouse: once a check has run to its end, later loads (a streamed
run's chunk loads, the next runs of a long-lived worker) skip it (`_resign_checked`, keyed by the
warehouse, its file and SIG_VERSION), instead of opening a reader and counting rows per chunk."""

from __future__ import annotations

import logging
from pathlib import Path

from flows.locks import WarehouseWriteBusy, warehouse_write_lock
from flows.settings import Settings
from tasks import progress
from tasks.dedupe import SIG_VERSION
from tasks.shards import cluster_staged
from tasks.stories import resign_stored
from warehouse.db import WarehouseLocked
from warehouse.errors import error_line
from warehouse.lake import is_lake
from warehouse.load import LoadReport, StagingArea, load_pending, new_batch_id, stage_batch
from warehouse.paths import data_dir_for
from warehouse.search import rebuild_search_index
from warehouse.snapshot import publish_snapshot, snapshot_due

log = logging.getLogger("akhbar.flows")


def staging_area(db_path: Path) -> StagingArea:
    return StagingArea(data_dir_for(db_path) / "staging")


def load_all_pending(db_path: Path, settings: Settings, finalize: bool = True,
                     lock_timeout_s: float | None = None) -> LoadReport:
    """Load every pending batch; a busy warehouse defers the load, it never fails the run.

    finalize=False skips the search rebuild and the snapshot copy: long runs that load many
    batches (reprocess, WARC backfill) finalize once, with their last load.
    """
    area = staging_area(db_path)
    lake_search = finalize and is_lake(db_path)  # search reads a local index file: refreshed below
    if is_lake(db_path):  # no fts on lake tables and no file to copy: see warehouse/lake.py
        finalize = False
    lock_timeout_s = max(settings.lock_wait_s, 120.0) if lock_timeout_s is None else lock_timeout_s
    unmatched: list[str] = []  # a shard's batch whose story matching failed (loaded all the same)
    try:
        with warehouse_write_lock(db_path, timeout_s=lock_timeout_s, strict=is_lake(db_path)):
            checked = _resign_key(db_path)
            resigned, resign_error = _resign(db_path, checked, settings)
            report = load_pending(db_path, area, settings.lock_wait_s,
                                  after_commit=rebuild_search_index if finalize else None,
                                  prepare=lambda batch, meta: cluster_staged(batch, meta, db_path,
                                                                             settings.dedupe_window_hours, unmatched),
                                  memory_limit=settings.duckdb_memory or None)
            if checked in _resign_checked:  # and the file this load made (a new warehouse) or wrote
                _resign_checked.add(_resign_key(db_path))
    except WarehouseWriteBusy as exc:
        log.warning("another writer holds the warehouse; batches stay pending: %s", exc)
        return LoadReport(loaded=[], skipped=[], pending=[b.name for b in area.pending_batches()], rows={},
                          error=str(exc))
    report.resigned = resigned
    if resign_error:
        report.warnings.append(resign_error)
    if report.loaded:
        progress.event("loaded", list(report.loaded))
        report.warnings += unmatched
    if report.post_load_error:
        report.warnings.append(f"search index not updated: {report.post_load_error} "
                               "(the articles are loaded; the next load tries again; `akhbar search --reindex` "
                               "rebuilds the index)")
    if report.loaded and lake_search:
        from warehouse.lake_search import refresh_search_file

        try:  # incremental: the rows this load changed (warehouse/lake_search.py)
            refresh_search_file(db_path)
        except Exception as exc:  # a stale search file is better than a failed run
            log.warning("lake search index not refreshed: %s", exc)
            report.warnings.append(f"search index not refreshed: {error_line(exc)} "
                                   "(search shows the lake before this load; the next load tries again)")
    if report.loaded and finalize and settings.publish_snapshot and snapshot_due(
            db_path, settings.snapshot_small_mb, settings.snapshot_every_h):
        try:
            publish_snapshot(db_path, wait_s=settings.lock_wait_s)
        except Exception as exc:  # a stale snapshot is better than a failed run
            log.warning("snapshot not published: %s", exc)
            report.warnings.append(f"read-only snapshot not published: {error_line(exc)} "
                                   "(readers of the snapshot see the previous one)")
    return report


# Warehouses whose stored signatures this process has checked to the end (nothing of an older
# dedupe key left): (warehouse, its file, SIG_VERSION). Nothing writes an older key after that
# (this akhbar signs with SIG_VERSION); a new SIG_VERSION or another warehouse is checked again,
# and so is another file at the same path (a backup of before an upgrade moved back in place, a
# warehouse deleted and made anew, while a long-lived process runs run after run).
ResignKey = tuple[str, tuple[int, int] | None, int]
_resign_checked: set[ResignKey] = set()


def _resign_key(db_path: Path) -> ResignKey:
    if is_lake(db_path):
        return str(db_path), None, SIG_VERSION
    path = Path(db_path).resolve()
    try:
        st = path.stat()
        file = (st.st_dev, st.st_ino)
    except OSError:  # not made yet: the first load makes it (its key is added after that load)
        file = None
    return str(path), file, SIG_VERSION


def _resign(db_path: Path, key: ResignKey, settings: Settings) -> tuple[int, str | None]:
    """Stored signatures of an older dedupe key re-signed before the batches load and before
    the run matches anything against the window (`tasks.stories.resign_stored`: a one-time cost
    after an upgrade), once per process and warehouse (`_resign_checked`); a failure leaves them
    as they were, for the next load, and never fails the load. ``key`` is the warehouse's
    `_resign_key`, read by the caller before the load. Returns (re-signed, warning)."""
    if key in _resign_checked:
        return 0, None
    try:
        done = resign_stored(db_path, wait_s=settings.lock_wait_s, memory_limit=settings.duckdb_memory or None)
    except WarehouseLocked:  # held by a process outside the lock: the load meets it too and says so
        return 0, None
    except Exception as exc:
        log.warning("stored signatures not re-signed: %s", exc)
        return 0, (f"stored story signatures of an older version not re-signed: {error_line(exc)} "
                   "(copies spelt differently may miss their story; the next load tries again)")
    _resign_checked.add(key)
    return done, None


def stage_and_load(db_path: Path, run_id: str, tables: dict[str, list[dict]], settings: Settings,
                   finalize: bool = True, lock_timeout_s: float | None = None) -> LoadReport:
    stage_batch(staging_area(db_path), new_batch_id(run_id), tables)
    return load_all_pending(db_path, settings, finalize, lock_timeout_s)
