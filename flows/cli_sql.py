"""`akhbar sql` input and output: the query text (argument, --file or stdin) and rows as a
table, CSV or JSON lines on stdout."""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from flows.cli_errors import CliError
from flows.cli_output import note, print_table

TABLE_LIMIT = 200
_OPTION_LIKE = re.compile(r"^--?[A-Za-z][\w-]*(=\S*)?$")


def read_sql_text(parts: list[str], file: Path | None) -> str:
    """The SQL to run. The query argument may start with a `--` comment (example files do);
    a single word that looks like an option is a mistyped option, not SQL."""
    options = [p for p in parts if _OPTION_LIKE.match(p)]
    if options:
        raise CliError(f"no such option: {options[0]} (see 'akhbar sql --help')")
    if file is not None and parts:
        raise CliError("give the SQL either as an argument or with --file, not both")
    if file is not None:
        if str(file) == "-":
            return sys.stdin.read()
        if file.is_dir():
            raise CliError(f"--file {file} is a folder, not a SQL file")
        try:
            return file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CliError(f"--file {file}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"--file {file}: cannot read it ({exc})") from None
    if not parts:
        raise CliError("no query: give one, e.g. akhbar sql \"SELECT count(*) FROM articles\", or --file PATH")
    if len(parts) > 1:
        raise CliError(f"the query must be one argument: put it in quotes (got {len(parts)} words)")
    if not parts[0].strip():
        raise CliError("the query is empty")
    return parts[0]


def _jsonable(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def write_rows(result, fmt: str, limit: int | None) -> None:
    """Rows of one query result on stdout in `fmt` (table, csv, jsonl); counts on stderr."""
    if not result.columns:
        note("done (the statement returns no rows)")
        return
    if fmt == "table":
        cap = limit or TABLE_LIMIT
        rows, total = [], 0
        for batch in result.batches:
            total += len(batch)
            rows.extend(batch[: max(0, cap - len(rows))])
        print_table(result.columns, rows)
        shown = f", first {len(rows)} shown ({'--limit' if limit else 'default limit'}; "\
                "--format csv|jsonl prints all)" if total > len(rows) else ""
        note(f"{total} row(s){shown}")
        return
    out = sys.stdout
    written = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
    for batch in result.batches:
        if limit is not None:
            batch = batch[: max(0, limit - written)]
        for row in batch:
            if fmt == "csv":
                writer.writerow([_csv_cell(v) for v in row])
            else:
                out.write(json.dumps({c: _jsonable(v) for c, v in zip(result.columns, row, strict=True)},
                                     ensure_ascii=False) + "\n")
        written += len(batch)
        if limit is not None and written >= limit:
            break
    out.flush()
