"""Leftovers of killed runs, and the liveness locks that tell them apart from live work.

A process killed at the wrong moment can leave behind:

* ``<data dir>/staging/tmp/<batch>-<rand>/``: a batch whose Parquet files were being written
  (never published to ``pending/``, so never loaded: its rows are re-derived by the next run);
* ``.<snapshot name>.<rand>.tmp`` (+ ``.wal``) and ``.snapshot.<rand>.tmp`` / ``.old`` folders
  next to the warehouse: half-written read-only snapshots;
* ``<data dir>/archive/akhbar-<run>-<n>.warc.gz``: pages archived by a run that never loaded
  (no ``runs`` row, no pending batch): nothing in the warehouse points at them, and the next run
  fetches those pages again;
* ``.<db name>.creating-<rand>``: a warehouse whose creation was interrupted (warehouse.db).

Each writer of such a file holds an OS lock (``flock``) on it (or, for WARC files, on its run's
``.<run>.lock``) while it works, and the OS drops the lock when the process dies. So "safe to
remove" is exact: the lock can be taken now *and* the file is older than ``MIN_AGE_S`` (which
covers the instant between creating a file and locking it). ``clean_leftovers`` removes what is
safe and reports what it removed, for the run summary.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.paths import data_dir_for

log = logging.getLogger("akhbar.leftovers")

MIN_AGE_S = 60.0
_WARC_RE = re.compile(r"^akhbar-(?P<run>.+)-(?P<n>\d+)\.warc\.gz$")
# .<name>.snapshot.duckdb.<8 hex>.tmp(.wal) beside the warehouse; .snapshot.<8 hex>.tmp / .old in the data dir
_SNAPSHOT_TMP_RE = re.compile(r"^(?P<main>\..*snapshot.*\.[0-9a-f]{8}\.(?:tmp|old))(?:\.wal)?$")


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on an existing file or folder for the duration of the block."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class RunLock:
    """Marks a run as alive for as long as the object lives (or until ``release``): its WARC
    files are never cleaned while it holds this lock. A shared lock, so several writers of one
    run (or a restarted writer in the same process) never wait for each other."""

    def __init__(self, folder: Path, run_id: str) -> None:
        self.path = run_lock_path(folder, run_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the last holder removes the file
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # another writer of the run still holds it
        finally:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:  # the lock must not outlive the writer object
        try:
            self.release()
        except Exception:
            pass


def run_lock_path(folder: Path, run_id: str) -> Path:
    return Path(folder) / f".{run_id}.lock"


def is_held(path: Path) -> bool:
    """True while another open file description holds an flock on ``path``."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: treat as live, never remove
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except FileNotFoundError:
        return 0.0


def abandoned(path: Path, min_age_s: float = MIN_AGE_S) -> bool:
    """Old enough and nobody holds it: its writer is gone."""
    return _age_s(path) >= min_age_s and not is_held(path)


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class CleanReport:
    staging_dirs: list[str] = field(default_factory=list)
    snapshot_files: list[str] = field(default_factory=list)
    warc_files: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    bytes: int = 0

    @property
    def count(self) -> int:
        return len(self.staging_dirs) + len(self.snapshot_files) + len(self.warc_files) + len(self.other)

    def line(self) -> str | None:
        """One line for the run summary, or None when nothing was removed."""
        if not self.count:
            return None
        parts = []
        for n, what in ((len(self.staging_dirs), "unfinished staging batch"),
                        (len(self.snapshot_files), "half-written snapshot file"),
                        (len(self.warc_files), "WARC file of a run that never loaded"),
                        (len(self.other), "interrupted warehouse creation")):
            if n:
                parts.append(f"{n} {what}{'es' if what.endswith('batch') and n > 1 else 's' if n > 1 else ''}")
        return f"removed leftovers of killed runs: {', '.join(parts)} ({self.bytes / 1e6:.1f} MB)"


def _remove(path: Path, bucket: list[str], report: CleanReport) -> None:
    size = _size(path)
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not remove leftover %s: %s", path, exc)
        return
    bucket.append(path.name)
    report.bytes += size
    log.info("removed leftover %s (%d bytes)", path, size)


def clean_leftovers(db_path: Path, loaded_runs: Callable[[Path, set[str]], set[str]],
                    min_age_s: float = MIN_AGE_S) -> CleanReport:
    """Remove what killed runs left behind, once it is safe (see the module docstring).

    ``loaded_runs(db_path, candidates)`` returns which of these run ids the warehouse has recorded (a
    WARC file of a recorded run is archive, never a leftover). Never raises for one file.
    """
    db_path = Path(db_path)
    report = CleanReport()
    data = data_dir_for(db_path)
    tmp_root = data / "staging" / "tmp"
    if tmp_root.is_dir():
        for d in sorted(tmp_root.iterdir()):
            if abandoned(d, min_age_s):
                _remove(d, report.staging_dirs, report)
    for folder in (db_path.parent, data):  # DuckDB copies sit beside the file, Parquet ones in the data dir
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            m = _SNAPSHOT_TMP_RE.match(p.name)
            if m:
                main = folder / m.group("main")  # a copy's WAL is guarded by the copy's own lock
                if abandoned(p, min_age_s) and not is_held(main):
                    _remove(p, report.snapshot_files, report)
            elif p.name.startswith(f".{db_path.name}.creating-") and abandoned(p, min_age_s):
                _remove(p, report.other, report)
    archive = data / "archive"
    if archive.is_dir():
        by_run: dict[str, list[Path]] = {}
        for p in archive.iterdir():
            m = _WARC_RE.match(p.name)
            if m:
                by_run.setdefault(m.group("run"), []).append(p)
        pending = data / "staging" / "pending"
        pending_names = [p.name for p in pending.iterdir()] if pending.is_dir() else []
        candidates = {run for run in by_run
                      if not is_held(run_lock_path(archive, run))
                      and not any(name.endswith(f"-{run}") for name in pending_names)
                      and all(_age_s(p) >= min_age_s for p in by_run[run])}
        if candidates:
            try:
                recorded = loaded_runs(db_path, candidates)
            except Exception as exc:  # cannot tell which runs loaded: keep every file this time
                log.warning("WARC leftovers not checked: %s", exc)
                return report
            for run in sorted(candidates - recorded):
                for p in sorted(by_run[run]):
                    _remove(p, report.warc_files, report)
                run_lock_path(archive, run).unlink(missing_ok=True)
    return report
