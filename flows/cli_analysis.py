"""Analysis commands for the `akhbar` CLI: `search` (flows/cli_search.py) and `report`.

flows/cli.py adds them with ``register(app)`` so this file can grow without touching the core CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB


def register(app: typer.Typer) -> None:
    """Add `akhbar search` and `akhbar report` to the given typer app."""

    from flows.cli_search import register as register_search

    register_search(app)

    @app.command("report")
    def report_cmd(
        db: Annotated[Path, typer.Option("--db", metavar="FILE", help="DuckDB warehouse file")] = DEFAULT_DB,
        day: Annotated[str | None, typer.Option("--day", metavar="YYYY-MM-DD", help="Last day of the report's 14-day window (UTC; default today)")] = None,
        out_dir: Annotated[Path | None, typer.Option("--out-dir", metavar="DIR", help="Folder for the HTML file (default <db>.d/reports)")] = None,
        no_prefect: Annotated[bool, typer.Option("--no-prefect", help="Write the file only, no flow run or artifact")] = False,
    ) -> None:
        """Write the self-contained HTML report of the 14 days ending on --day (volume, wire share, biggest stories)."""
        from flows.cli import _fail, quiet_prefect, require_warehouse
        from flows.cli_output import print_line
        from flows.params import parse_day

        end = parse_day(day, "--day")
        require_warehouse(db)
        if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
            _fail(f"--out-dir {out_dir} is a file, not a folder")
        when = end.isoformat() if end else None
        if no_prefect:
            from flows.report import write_report

            path = write_report(db, when, out_dir)
        else:
            quiet_prefect()
            from flows.report import report

            path = report(db=str(db), day=when, out_dir=str(out_dir) if out_dir else None)
        print_line(f"report written to {path}")
