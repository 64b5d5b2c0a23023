"""Export articles in the documented, stable contract (see README "Export contract").

Targets are checked before anything is read, and written atomically: the records go to a
temporary name next to the target, which is renamed into place when complete, so a failed or
interrupted export never leaves a half-written file or a folder mixing two exports.

* JSONL: `out` is a file. An existing file is replaced only with ``overwrite=True``.
* Parquet: `out` is a folder partitioned ``date=YYYY-MM-DD/source_id=…/``. A folder that is not
  empty is replaced only with ``overwrite=True``, and only if it holds nothing but an earlier
  export's ``date=…`` partitions (we never delete files we did not write).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import duckdb

from warehouse.db import reader

EXPORT_SQL = (Path(__file__).parent / "sql" / "queries" / "export_articles.sql")
FORMATS = ("jsonl", "parquet")


class ExportError(ValueError):
    """The export cannot run as asked (target path, --where condition); nothing was written."""


def _is_previous_export(folder: Path) -> bool:
    return all(p.is_dir() and p.name.startswith("date=") for p in folder.iterdir())


def check_target(out: Path, fmt: str, overwrite: bool = False) -> None:
    """Raise ExportError unless `out` can receive a `fmt` export (see the module docstring)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use jsonl or parquet")
    out = Path(out)
    for parent in out.parents:  # the nearest existing ancestor must be a folder
        if parent.exists():
            if not parent.is_dir():
                raise ExportError(f"cannot write {out}: {parent} is a file, not a folder")
            break
    if fmt == "jsonl":
        if out.is_dir():
            raise ExportError(f"--out {out} is a folder; JSONL goes to a file, e.g. {out / 'articles.jsonl'}")
        if out.exists() and not overwrite:
            raise ExportError(f"{out} already exists; pass --overwrite to replace it")
        return
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out} is a file; Parquet goes to a folder (partitioned by date and outlet)")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise ExportError(f"{out} is not empty; pass --overwrite to replace the earlier export, "
                              "or choose a new folder")
        if not _is_previous_export(out):
            raise ExportError(f"{out} holds files that are not an akhbar Parquet export; "
                              "refusing to replace it: choose an empty or new folder")


def export_query(where: str | None = None) -> str:
    """The contract's SELECT, optionally filtered by a SQL condition on its columns."""
    query = EXPORT_SQL.read_text(encoding="utf-8").rstrip().rstrip(";")
    if where and where.strip():
        # its own lines, so a `--` comment in the condition cannot swallow the rest
        query = f"SELECT * FROM (\n{query}\n) WHERE (\n{where}\n)"
    return query


def _check_where(con: duckdb.DuckDBPyConnection, query: str, where: str | None) -> int:
    """Count the records; a bad condition becomes one readable ExportError."""
    if where is not None and not where.strip():
        raise ExportError("--where is empty; give a SQL condition, e.g. --where \"wire_agency = 'reuters'\"")
    sql = f"SELECT count(*) FROM (\n{query}\n)"
    try:
        if len(con.extract_statements(sql)) != 1:
            raise ExportError(f"--where {where!r} must be one condition, not several statements")
        return con.execute(sql).fetchone()[0]
    except duckdb.Error as exc:
        raise ExportError(f"--where {where!r}: {' '.join(str(exc).split())}") from None


def _temp_sibling(out: Path, tag: str) -> Path:
    return out.with_name(f".{out.name}.{tag}-{uuid.uuid4().hex[:8]}")


def export_articles(db_path: Path, out: Path, fmt: str, where: str | None = None,
                    overwrite: bool = False) -> int:
    """Write every article (optionally filtered by a SQL condition) as JSONL or Parquet;
    returns the number of records written."""
    out = Path(out)
    check_target(out, fmt, overwrite)
    query = export_query(where)
    with reader(Path(db_path)) as con:
        n = _check_where(con, query, where)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_sibling(out, "tmp")
        try:
            if fmt == "jsonl":
                con.execute(f"COPY (\n{query}\n) TO ? (FORMAT json)", [tmp.as_posix()])
            else:
                tmp.mkdir()
                con.execute(
                    f"COPY (SELECT *, coalesce(strftime(published_at, '%Y-%m-%d'), 'undated') AS date FROM (\n"
                    f"{query}\n)) TO ? (FORMAT parquet, PARTITION_BY (date, source_id), OVERWRITE_OR_IGNORE)",
                    [tmp.as_posix()])
            _publish(tmp, out)
        except BaseException:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()
            raise
    return n


def _publish(tmp: Path, out: Path) -> None:
    if tmp.is_file():
        os.replace(tmp, out)
    else:
        _replace_dir(tmp, out)


def _replace_dir(tmp: Path, out: Path) -> None:
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        os.rename(tmp, out)
        return
    old = _temp_sibling(out, "old")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
