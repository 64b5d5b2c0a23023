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
        db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")] = DEFAULT_DB,
        day: Annotated[str | None, typer.Option("--day", help="Last day of the report, YYYY-MM-DD (UTC; default today)")] = None,
        out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Folder for the HTML file (default <db>.d/reports)")] = None,
        no_prefect: Annotated[bool, typer.Option("--no-prefect", help="Write the file only, no flow run or artifact")] = False,
    ) -> None:
        """Write the self-contained HTML report (volume, wire share, biggest stories)."""
        from flows.cli import _fail, console
        from warehouse.db import WarehouseLocked, WarehouseMissing

        try:
            if no_prefect:
                from flows.report import write_report

                path = write_report(db, day, out_dir)
            else:
                from flows.report import report

                path = report(db=str(db), day=day, out_dir=str(out_dir) if out_dir else None)
        except (WarehouseMissing, WarehouseLocked, ValueError) as exc:
            _fail(str(exc))
            return
        console.print(f"report: {path}")
