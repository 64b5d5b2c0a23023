"""An analyst's own SQL (`akhbar sql`): read-only, never writing files, rows streamed.

The warehouse is opened read-only, so statements that change it fail in DuckDB. Statements that
would write *files* even on a read-only connection (`COPY … TO`, `EXPORT DATABASE`, `ATTACH` of
a new file, `INSTALL`) are refused before anything runs: results leave through
`akhbar sql --format csv|jsonl > file` or `akhbar export`, which say what they write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.db import reader
from warehouse.search import install_session_macros

REFUSED = {
    duckdb.StatementType.COPY: "COPY … TO writes files",
    duckdb.StatementType.COPY_DATABASE: "COPY FROM DATABASE writes files",
    duckdb.StatementType.EXPORT: "EXPORT DATABASE writes files",
    duckdb.StatementType.ATTACH: "ATTACH can create database files",
    duckdb.StatementType.DETACH: "DETACH is not needed here",
    duckdb.StatementType.EXTENSION: "INSTALL downloads or copies extension files",
}


class QueryError(ValueError):
    """The query cannot run as given (empty, refused statement, or a DuckDB error in it)."""


@dataclass
class QueryResult:
    columns: list[str]
    batches: Iterator[list[tuple]]


def check_statements(sql: str) -> int:
    """How many statements `sql` holds; QueryError if none, or if one would write files."""
    con = duckdb.connect()
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryError(_clean(exc)) from None
    finally:
        con.close()
    if not statements:
        raise QueryError("the query is empty (only whitespace or comments)")
    for st in statements:
        why = REFUSED.get(st.type)
        if why:
            raise QueryError(f"akhbar sql does not write files ({why}): use `akhbar sql --format csv|jsonl "
                             "… > FILE` or `akhbar export`")
    return len(statements)


def _clean(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def run(db_path: Path, sql: str, batch_rows: int = 10_000, wait_s: float = 10.0) -> Iterator[QueryResult]:
    """Run `sql` (several statements: the last one's rows) on a read-only connection.

    A generator so the connection stays open while the caller streams the batches:
    ``for result in run(...): for rows in result.batches: ...``.
    """
    check_statements(sql)
    with reader(Path(db_path), wait_s=wait_s) as con:
        install_session_macros(con)  # this version's search_articles, not the one an older version stored
        try:
            cur = con.execute(sql)
        except duckdb.Error as exc:
            raise QueryError(_clean(exc)) from None
        if cur.description is None:
            yield QueryResult([], iter(()))
            return
        columns = [d[0] for d in cur.description]

        def batches() -> Iterator[list[tuple]]:
            while True:
                try:
                    rows = cur.fetchmany(batch_rows)
                except duckdb.Error as exc:
                    raise QueryError(_clean(exc)) from None
                if not rows:
                    return
                yield rows

        yield QueryResult(columns, batches())
