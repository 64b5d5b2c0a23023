"""The only module that opens DuckDB.

DuckDB allows one read-write process per file and, while it is open, no reader in another
process. So writers open late and close early, and both sides retry briefly on a lock.

The same `writer` / `reader` open a DuckLake when the `--db` value says so (`warehouse/lake.py`:
``ducklake:/path/meta.ducklake`` or ``ducklake:postgres:<dsn>``): an in-memory DuckDB with the
lake ATTACHed as ``lake`` and made the default catalog, so every query, view and load statement
is the same SQL on all three. Extensions come from the PyPI wheels (``duckdb-extension-<name>``),
never downloaded.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from warehouse import lake as lakes
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


_lakes_seen: set[str] = set()  # lake catalogs known to exist (a catalog is never deleted by us)


def exists(path: Path | str) -> bool:
    """Whether the warehouse a `--db` value names has been created (file or lake catalog).

    A PostgreSQL catalog is probed once per process with a read-only ATTACH."""
    lake = lakes.parse(path)
    if lake is None:
        return Path(path).exists()
    if not lake.on_postgres or str(lake) in _lakes_seen:
        return lake.exists()
    try:
        _connect_lake(lake, read_only=True, wait_s=5.0).close()
    except WarehouseMissing:
        return False
    _lakes_seen.add(str(lake))
    return True


def _connect_lake(lake: lakes.Lake, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` and USEd. The embedded catalog is a
    DuckDB file (one process at a time: retried like a plain file); PostgreSQL takes many."""
    deadline = time.monotonic() + wait_s
    delay = 0.05
    options = ["READ_ONLY"] if read_only else []
    if not read_only and lake.data_path:
        options.append(f"DATA_PATH {sql_literal(lake.data_path)}")
    attach = f"ATTACH {sql_literal(lake.attach_target)} AS {lakes.ALIAS}"  # ATTACH cannot bind
    if options:
        attach += f" ({', '.join(options)})"
    while True:
        con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                     "autoload_known_extensions": False})
        try:
            load_extension(con, "ducklake")
            if lake.on_postgres:
                load_extension(con, "postgres_scanner")
            if (lake.data_path or "").startswith(("s3://", "http://", "https://", "gs://", "r2://")):
                load_extension(con, "httpfs")
            con.execute(attach)
            con.execute(f"USE {lakes.ALIAS}")
            return con
        except duckdb.Error as exc:
            con.close()
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise WarehouseLocked(f"{lake} is held by another process (waited {wait_s:.0f}s): {exc}") from exc
                if read_only and ("does not exist" in str(exc) or "not initialized" in str(exc).lower()):
                    raise WarehouseMissing(f"no lake at {lake}: run `akhbar lake init --db '{lake}'` first") from exc
                raise
            log.info("lake catalog %s is locked by another process; retrying in %.2fs", lake, delay)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


@contextmanager
def writer(path: Path, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-write connection with the schema up to date; closed on exit."""
    lake = lakes.parse(path)
    if lake is not None:
        if lake.catalog_file is not None:
            lake.catalog_file.parent.mkdir(parents=True, exist_ok=True)
        con = _connect_lake(lake, read_only=False, wait_s=wait_s)
        try:
            ensure_schema(con, lake=True)
            yield con
        finally:
            con.close()
        return
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
    lake = lakes.parse(path)
    if lake is not None:
        if not exists(path):
            raise WarehouseMissing(f"no lake at {lake}: run `akhbar lake init --db '{lake}'` first")
        con = _connect_lake(lake, read_only=True, wait_s=wait_s)
        try:
            yield con
        finally:
            con.close()
        return
    if not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}: run `akhbar ingest --db {path}` first")
    con = _connect_with_retry(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection, lake: bool = False) -> None:
    """Apply pending migrations, then (re)create every view from sql/views/.

    On a lake every DDL statement is a new snapshot that concurrent writers must reconcile, so
    views are only re-created when their SQL changed (a hash kept in `schema_views`)."""
    migrate(con, lake=lake)
    views = view_sql()
    if lake:
        digest = hashlib.sha256("\n".join(f"{n}\n{s}" for n, s in views).encode()).hexdigest()
        con.execute("CREATE TABLE IF NOT EXISTS schema_views (digest VARCHAR, updated_at TIMESTAMPTZ)")
        if con.execute("SELECT count(*) FROM schema_views WHERE digest = ?", [digest]).fetchone()[0]:
            return
    for name, sql in views:
        try:
            con.execute(sql)
        except duckdb.Error as exc:  # a broken view must not block ingestion
            log.warning("view %s not created: %s", name, exc)
    if lake:
        con.execute("BEGIN")
        con.execute("DELETE FROM schema_views")
        con.execute("INSERT INTO schema_views VALUES (?, now())", [digest])
        con.execute("COMMIT")


def view_sql() -> list[tuple[str, str]]:
    folder = resources.files("warehouse").joinpath("sql", "views")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )


def sql_literal(text: str) -> str:
    """A SQL string literal, for the few statements DuckDB cannot bind a parameter in (INSTALL,
    ATTACH, PRAGMA arguments). Everything else binds its values."""
    return "'" + str(text).replace("'", "''") + "'"


# extension name -> (wheel module, file name inside the wheel). The lake ones come with the
# `[lake]` extra; fts is a core dependency.
_EXTENSION_WHEELS = {
    "fts": ("duckdb_extension_fts", "fts"),
    "ducklake": ("duckdb_extension_ducklake", "ducklake"),
    "postgres_scanner": ("duckdb_extension_postgres", "postgres"),
    "httpfs": ("duckdb_extension_httpfs", "httpfs"),
}


class ExtensionMissing(RuntimeError):
    """A DuckDB extension is needed whose wheel is not installed (e.g. the `[lake]` extra)."""


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD a DuckDB extension, installing it first from its PyPI wheel (no download offline)."""
    try:
        con.execute(f"LOAD {name}")
        return
    except duckdb.Error:
        pass
    module_name, file_stem = _EXTENSION_WHEELS[name]
    try:
        module = importlib.import_module(module_name)  # the wheel only ships the binary
    except ImportError:
        extra = "" if name == "fts" else " (pip install 'akhbar[lake]')"
        raise ExtensionMissing(f"the DuckDB extension {name} is not installed: "
                               f"{module_name.replace('_', '-')}=={duckdb.__version__}{extra}") from None
    ext = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{file_stem}.duckdb_extension"
    con.execute(f"INSTALL {sql_literal(ext.as_posix())}")  # INSTALL cannot bind a parameter
    con.execute(f"LOAD {name}")


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the fts extension from the duckdb-extension-fts wheel (no download offline)."""
    load_extension(con, "fts")
