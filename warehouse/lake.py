"""Which warehouse a `--db` value names, and what differs on a DuckLake.

One setting picks the warehouse (`--db` / `AKHBAR_DB`):

* a DuckDB file (``data/akhbar.duckdb``): the default, one machine;
* ``ducklake:/path/meta.ducklake``: a DuckLake whose catalog is a local DuckDB file and whose data
  is Parquet beside it (``meta.ducklake.files/``, or ``AKHBAR_LAKE_DATA``). One process at a
  time, like the plain file, but the same SQL as the shared lake: CI tests the lake code with it;
* ``ducklake:postgres:<libpq dsn>`` (e.g. ``ducklake:postgres:dbname=akhbar host=db1 user=akhbar``):
  the catalog in PostgreSQL, the data as Parquet under ``AKHBAR_LAKE_DATA`` (a shared directory or
  ``s3://bucket/prefix/``). Many machines read and write it at once.

Side files (staged batches, WARC archive, search index, locks) live in a directory next to a
file warehouse (``<stem>.d``). For a PostgreSQL lake they live in the shared directory
``AKHBAR_SHARED_DIR`` that every machine mounts (default ``data/akhbar.d``); the lake's data
defaults to ``<shared dir>/lake/``. `flows/settings.py` reads those variables and calls
`configure`; nothing here reads the environment.

What a lake does not have: PRIMARY KEY / UNIQUE constraints, indexes, sequences, the fts
extension. So migrations are applied with their key constraints stripped (`lake_ddl`), keys are
kept unique by the single writer of the dedupe-and-load step (flows/locks.py), and search reads
a local index file built from a fixed lake snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PREFIX = "ducklake:"
PG_PREFIX = "ducklake:postgres:"
ALIAS = "lake"  # the name the lake is attached under; every connection USEs it

_shared_dir: Path = Path("data/akhbar.d")
_lake_data: str | None = None


def configure(shared_dir: str | Path | None = None, lake_data: str | None = None) -> None:
    """Set where a PostgreSQL lake keeps its side files and (for `lake init`) its data."""
    global _shared_dir, _lake_data
    if shared_dir:
        _shared_dir = Path(shared_dir)
    _lake_data = lake_data or None


@dataclass(frozen=True)
class Lake:
    locator: str            # what the user wrote, e.g. "ducklake:postgres:dbname=akhbar host=db1"
    catalog_file: Path | None  # the local catalog (embedded lake); None on PostgreSQL
    dsn: str | None         # libpq DSN of the PostgreSQL catalog

    @property
    def on_postgres(self) -> bool:
        return self.dsn is not None

    @property
    def side_dir(self) -> Path:
        if self.catalog_file is not None:
            return self.catalog_file.parent / f"{self.catalog_file.stem}.d"
        return _shared_dir

    @property
    def data_path(self) -> str | None:
        """DATA_PATH for the first ATTACH (later ones read it from the catalog)."""
        if _lake_data:
            return _lake_data
        if self.on_postgres:
            return (_shared_dir / "lake").as_posix() + "/"
        return None  # DuckLake's default: <catalog file>.files/

    @property
    def attach_target(self) -> str:
        if self.on_postgres:
            return f"{PG_PREFIX}{self.dsn}"
        return f"{PREFIX}{self.catalog_file.as_posix()}"

    def exists(self) -> bool:
        """Whether the catalog was created (PostgreSQL: always assumed; an empty one is set up on
        first write)."""
        return True if self.on_postgres else self.catalog_file.exists()

    def __str__(self) -> str:
        return self.locator


def parse(locator: str | Path) -> Lake | None:
    """The lake a `--db` value names, or None for a plain DuckDB file."""
    text = str(locator)
    if not text.startswith(PREFIX):
        return None
    if text.startswith(PG_PREFIX):
        dsn = text[len(PG_PREFIX):].strip()
        if not dsn:
            raise ValueError("ducklake:postgres: needs a connection string, e.g. "
                             "ducklake:postgres:dbname=akhbar host=db1 user=akhbar")
        return Lake(locator=text, catalog_file=None, dsn=dsn)
    rest = text[len(PREFIX):]
    if not rest:
        raise ValueError("ducklake: needs a catalog file, e.g. ducklake:data/akhbar.ducklake")
    return Lake(locator=text, catalog_file=Path(rest), dsn=None)


def is_lake(locator: str | Path) -> bool:
    return str(locator).startswith(PREFIX)


_INLINE_KEY = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.IGNORECASE)
_TABLE_KEY = re.compile(r",\s*(PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.IGNORECASE)
_INDEX = re.compile(r"CREATE\s+(UNIQUE\s+)?INDEX\b[^;]*;", re.IGNORECASE)
_UNSUPPORTED = re.compile(r"\b(CREATE\s+SEQUENCE|nextval\s*\(|REFERENCES\b)", re.IGNORECASE)


# First line of a migration that only concerns the DuckDB file (e.g. dropping its keys): a lake
# records it as applied and runs nothing.
FILE_ONLY = "-- file only:"


def lake_ddl(sql: str) -> str:
    """A migration as DuckLake accepts it: key constraints and indexes dropped (uniqueness is the
    single writer's job there). Raises on what has no lake equivalent, so a new migration that
    needs one fails loudly in the lake tests instead of half-applying. A migration whose first
    line starts with FILE_ONLY becomes a no-op."""
    if sql.lstrip().lower().startswith(FILE_ONLY):
        return "SELECT 1"
    body = re.sub(r"--[^\n]*", "", sql)
    bad = _UNSUPPORTED.search(body)
    if bad:
        raise ValueError(f"migration uses {bad.group(1)!r}, which DuckLake does not support")
    body = _TABLE_KEY.sub("", body)
    body = _INDEX.sub("", body)
    return _INLINE_KEY.sub("", body)
