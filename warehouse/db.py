"""The only module that opens DuckDB.

DuckDB allows one read-write process per file and, while it is open, no reader in another
process. So writers open late and close early, and both sides retry briefly on a lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.migrate import migrate

log = logging.getLogger("akhbar.warehouse")


class WarehouseLocked(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


class WarehouseMissing(FileNotFoundError):
    """A read was asked of a warehouse file that does not exist yet."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _connect_with_retry(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise WarehouseLocked(
                        f"{path} is held by another process (waited {wait_s:.0f}s): {exc}"
                    ) from exc
                raise
            log.info("warehouse %s is locked by another process; retrying in %.2fs", path, delay)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


@contextmanager
def writer(path: Path, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-write connection with the schema up to date; closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_retry(path, read_only=False, wait_s=wait_s)
    try:
        ensure_schema(con)
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: Path, wait_s: float = 5.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection (many may coexist; none while a writer holds the file)."""
    if not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}: run `akhbar ingest --db {path}` first")
    con = _connect_with_retry(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply pending migrations, then (re)create every view from sql/views/."""
    migrate(con)
    for name, sql in view_sql():
        try:
            con.execute(sql)
        except duckdb.Error as exc:  # a broken view must not block ingestion
            log.warning("view %s not created: %s", name, exc)


def view_sql() -> list[tuple[str, str]]:
    folder = resources.files("warehouse").joinpath("sql", "views")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the fts extension from the duckdb-extension-fts wheel (no download offline)."""
    try:
        con.execute("LOAD fts")
        return
    except duckdb.Error:
        pass
    import duckdb_extension_fts  # the wheel only ships the binary

    version = duckdb.__version__
    ext = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{version}" / "fts.duckdb_extension"
    con.execute(f"INSTALL '{ext.as_posix()}'")
    con.execute("LOAD fts")
