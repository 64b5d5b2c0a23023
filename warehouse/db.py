"""The only module that opens DuckDB.

DuckDB allows one read-write process per file and, while it is open, no reader in another
process. So writers open late and close early, and both sides retry briefly on a lock.

The same `writer` / `reader` open a DuckLake when the `--db` value says so (`warehouse/lake.py`:
``ducklake:/path/meta.ducklake`` or ``ducklake:postgres:<dsn>``): an in-memory DuckDB with the
lake ATTACHed as ``lake`` and made the default catalog, so every query, view and load statement
is the same SQL on all three. Extensions come from the PyPI wheels (``duckdb-extension-<name>``),
never downloaded.

Opening is also where a bad ``--db`` is caught: a path that is not a usable DuckDB file
(zero-length, truncated, random bytes, a directory, another program's database) raises
``WarehouseUnusable`` with one readable sentence, never a DuckDB traceback. A new warehouse file is
created under a temporary name and linked into place once its schema is complete, so a process
killed while creating one never leaves a half-made file at the real path; a schema-less or
half-migrated akhbar file (an older crash) is repaired by the migrations, which run every time a
warehouse is opened for writing.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import logging
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from warehouse import lake as lakes
from warehouse.migrate import available_migrations, migrate

log = logging.getLogger("akhbar.warehouse")


class WarehouseLocked(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


class WarehouseMissing(FileNotFoundError):
    """A read was asked of a warehouse file that does not exist yet."""


class WarehouseUnusable(RuntimeError):
    """The path given as the warehouse cannot be used as one (not a DuckDB file, truncated, a
    directory, another program's database, unwritable folder). A person's mistake or a damaged
    file: the CLI prints the message as one ``error:`` line and exits 2."""


class DiskFull(OSError):
    """No space (or quota) left while writing the warehouse or its side files."""


def is_disk_full(exc: BaseException) -> bool:
    """True for ENOSPC/EDQUOT, raised by Python or reported inside a DuckDB error message."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk quota exceeded" in text


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _is_open_here(exc: Exception) -> bool:
    return "different configuration" in str(exc).lower()


def _unusable(path: Path, exc: BaseException) -> WarehouseUnusable | DiskFull:
    """One readable sentence for a file DuckDB refused to open."""
    if is_disk_full(exc):
        return DiskFull(errno.ENOSPC, f"no space left on the device of {path}")
    text = str(exc)
    low = text.lower()
    if path.is_dir():
        why = "is a directory, not a DuckDB file"
    elif path.exists() and path.stat().st_size == 0:
        why = "is an empty (zero-length) file, not a DuckDB database"
    elif "not a valid duckdb database file" in low:
        why = "is not a DuckDB database file"
    elif "read enough bytes" in low or "corrupt" in low or "checksum" in low:
        why = "is a damaged (truncated or corrupt) DuckDB file"
    elif "newer version" in low or "older version" in low or "storage version" in low:
        why = f"was written by an incompatible DuckDB version ({text.splitlines()[0][:160]})"
    elif "permission denied" in low:
        why = "cannot be opened: permission denied"
    else:
        why = f"cannot be opened as a DuckDB warehouse ({type(exc).__name__}: {text.splitlines()[0][:160]})"
    return WarehouseUnusable(f"{path} {why}; move it away or pass another --db")


READER_YIELD_S = 2.0  # how long a new reader holds off for a writer that says it is waiting


def _waiting_marker(path: Path) -> Path:
    """Where a writer that found the file held says so (its pid), until it gets in or gives up."""
    return path.with_name(path.name + ".writer-waiting")


def _writer_is_waiting(path: Path) -> bool:
    try:
        pid = int(_waiting_marker(path).read_text())
        if pid == os.getpid():
            return False
        os.kill(pid, 0)  # a marker left by a killed writer is ignored
        return True
    except (OSError, ValueError):
        return False


def _say_waiting(path: Path, waiting: bool) -> None:
    marker = _waiting_marker(path)
    try:
        if waiting:
            marker.write_text(str(os.getpid()))
        elif marker.read_text() == str(os.getpid()):
            marker.unlink()
    except OSError:
        pass  # best effort: without it the writer still retries, only without priority


def _connect_with_retry(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """Readers that open the file back to back (analysts' loops) would leave a writer no gap: a
    writer that found the file held says so (`_waiting_marker`) and retries often; a new reader
    holds off for up to READER_YIELD_S while it does, then opens anyway (readers never wait long)."""
    started = time.monotonic()
    deadline = started + wait_s
    delay = 0.05
    said = False
    announced = False
    try:
        while read_only and time.monotonic() - started < READER_YIELD_S and _writer_is_waiting(path):
            time.sleep(0.02)
        while True:
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.ConnectionException as exc:
                # this process has the file open the other way (a read-only connection while a stage
                # of the same run loads, or the reverse): DuckDB refuses at once; wait as for a lock
                if not _is_open_here(exc) or time.monotonic() >= deadline:
                    raise _unusable(path, exc) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            except duckdb.IOException as exc:
                if not _is_lock_error(exc) or time.monotonic() >= deadline:
                    if _is_lock_error(exc):
                        raise WarehouseLocked(
                            f"{path} is held by another process (waited {wait_s:.0f}s): {exc}"
                        ) from exc
                    raise _unusable(path, exc) from exc
                if not said and time.monotonic() - started >= 1.0:  # say it once a wait is noticeable
                    holder = re.search(r"\(PID (\d+)\)", str(exc))
                    log.warning("waiting up to %.0fs for %s: another process%s has it open for writing",
                                wait_s, path, f" (pid {holder.group(1)})" if holder else "")
                    said = True
                if not read_only and not announced:
                    _say_waiting(path, True)
                    announced = True
                log.info("warehouse %s is locked by another process; retrying in %.2fs", path, delay)
                time.sleep(delay)
                delay = min(delay * 2, 0.25 if announced else 2.0)
            except duckdb.Error as exc:  # corrupt metadata surfaces as Serialization/Internal errors
                raise _unusable(path, exc) from exc
    finally:
        if announced:
            _say_waiting(path, False)


def _prepare_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(exc.errno, f"no space left to create {path.parent}") from exc
        raise WarehouseUnusable(f"cannot create the folder of {path}: {exc.strerror or exc}; "
                                "pass another --db") from exc
    if path.is_dir():
        raise _unusable(path, IsADirectoryError(str(path)))


_CREATING = ".creating-"
_STALE_CREATION_S = 600.0


def _create_atomically(path: Path) -> None:
    """Create a new warehouse file with its full schema under a temporary name, then link it
    into place (never replacing a file another process created meanwhile). A crash leaves only
    the temporary file, which warehouse.leftovers removes once stale."""
    tmp = path.with_name(f".{path.name}{_CREATING}{uuid.uuid4().hex[:8]}")
    try:
        con = duckdb.connect(str(tmp))
        try:
            ensure_schema(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic, and fails if the path appeared meanwhile
        except FileExistsError:
            pass
    except (OSError, duckdb.Error) as exc:
        if is_disk_full(exc):
            raise DiskFull(errno.ENOSPC, f"no space left to create {path}") from exc
        raise
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass


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
    # No inlining of small writes into the catalog: a cluster row updated by MERGE and by the
    # post-load UPDATE in one transaction, over inlined rows of earlier snapshots, went missing
    # (DuckLake 1.5.5; tests/test_shards.py caught it); every write goes to Parquet files.
    options = ["READ_ONLY"] if read_only else ["DATA_INLINING_ROW_LIMIT 0"]
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
def writer(path: Path, wait_s: float = 30.0, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-write connection with the schema up to date; closed on exit. memory_limit (e.g.
    "96MB"): DuckDB's memory limit on this connection's database (it spills beyond it)."""
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
    path = Path(path)
    _prepare_folder(path)
    if not path.exists():
        _create_atomically(path)
    con = _connect_with_retry(path, read_only=False, wait_s=wait_s)
    try:
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        try:
            _check_is_ours(con, path)
            ensure_schema(con)  # migrations on every open: a half-created file is repaired here
        except duckdb.Error as exc:
            if is_disk_full(exc):
                raise DiskFull(errno.ENOSPC, f"no space left on the device of {path}") from exc
            raise
        yield con
    finally:
        con.close()


def _check_is_ours(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse to migrate into another program's DuckDB file: tables but no schema_migrations."""
    names = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal"
    ).fetchall()}
    if names and "schema_migrations" not in names:
        raise WarehouseUnusable(
            f"{path} is a DuckDB file of another program (tables {', '.join(sorted(names)[:3])}"
            f"{', …' if len(names) > 3 else ''}; no akhbar schema); pass another --db")


def schema_is_current(path: Path | str, wait_s: float = 30.0) -> bool:
    """Whether every migration is applied, read through a read-only connection (a lake is
    migrated by its writer and `akhbar lake init`: True). Raises WarehouseUnusable for a file
    that is not a warehouse. Cheap: callers use it to decide whether a writer must open just to
    migrate or repair."""
    if lakes.parse(path) is not None:
        return True
    path = Path(path)
    with reader(path, wait_s=wait_s) as con:
        has_table = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' "
            "AND database_name = current_database()").fetchone()[0]
        if not has_table:
            _check_is_ours(con, path)
            return False
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    return {v for v, _, _ in available_migrations()} <= done


def check_warehouse(path: Path | str) -> None:
    """Raise WarehouseUnusable (one readable sentence) unless ``path`` is absent or opens as a
    DuckDB file that is, or can become, an akhbar warehouse. Used before a run starts."""
    if lakes.parse(path) is not None:
        return
    path = Path(path)
    if path.is_dir():
        raise _unusable(path, IsADirectoryError(str(path)))
    if path.exists():
        try:
            schema_is_current(path, wait_s=5.0)
        except WarehouseLocked:
            pass  # held by a writer right now: a DuckDB file in use; the run will wait its turn


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
    if path.is_dir():
        raise _unusable(path, IsADirectoryError(str(path)))
    con = _connect_with_retry(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection, lake: bool = False) -> None:
    """Apply pending migrations, then (re)create the views of sql/views/ whose SQL changed.

    On a lake every DDL statement is a new snapshot that concurrent writers must reconcile, so
    views are only re-created when their SQL changed (a hash kept in `schema_views`). In a DuckDB
    file each view carries the hash of the SQL file that made it as its comment: a view that is
    missing, was made from other SQL (another version of akhbar) or failed is made again, every
    view after a migration; the others are left as they are. (Re-creating all of them on every
    writer open cost ~0.2 s of catalog writes and their checkpoint at close, for each chunk a run
    loads.)"""
    applied = migrate(con, lake=lake)
    views = view_sql()
    if lake:
        digest = hashlib.sha256("\n".join(f"{n}\n{s}" for n, s in views).encode()).hexdigest()
        con.execute("CREATE TABLE IF NOT EXISTS schema_views (digest VARCHAR, updated_at TIMESTAMPTZ)")
        if con.execute("SELECT count(*) FROM schema_views WHERE digest = ?", [digest]).fetchone()[0]:
            return
    made = {} if lake or applied else dict(con.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal").fetchall())
    for name, sql in views:
        names = _VIEW_NAME_RE.findall(sql)
        stamp = f"akhbar sql/views/{name} sha256:{hashlib.sha256(sql.encode()).hexdigest()[:32]}"
        if names and all(made.get(n) == stamp for n in names):
            continue
        try:
            con.execute(sql)
            if not lake:
                for view in names:
                    con.execute(f"COMMENT ON VIEW {view} IS {sql_literal(stamp)}")
        except duckdb.Error as exc:  # a broken view must not block ingestion (a full disk must stop it)
            if is_disk_full(exc):
                raise
            log.warning("view %s not created: %s", name, exc)
    if lake:
        con.execute("BEGIN")
        con.execute("DELETE FROM schema_views")
        con.execute("INSERT INTO schema_views VALUES (?, now())", [digest])
        con.execute("COMMIT")


_VIEW_NAME_RE = re.compile(r"\bCREATE\s+OR\s+REPLACE\s+VIEW\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


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


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier (a table name read from the catalog, never user text)."""
    return '"' + str(name).replace('"', '""') + '"'


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
