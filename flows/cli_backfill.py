"""Archive commands for the `akhbar` CLI: `reprocess` and `ingest-warc`.

flows/cli.py adds them with ``register(app)``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB


def _host_map(pairs: list[str] | None) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for pair in pairs or []:
        host, sep, source_id = pair.partition("=")
        if not sep or not host.strip() or not source_id.strip():
            raise typer.BadParameter(f"expected HOST=SOURCE_ID, got {pair!r}", param_hint="--outlet-host")
        out[host.strip()] = source_id.strip()
    return out or None


def register(app: typer.Typer) -> None:
    """Add `akhbar reprocess` and `akhbar ingest-warc` to the given typer app."""

    @app.command("reprocess")
    def reprocess_cmd(
        db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")] = DEFAULT_DB,
        since: Annotated[datetime | None, typer.Option(help="Only articles published at/after this time")] = None,
        until: Annotated[datetime | None, typer.Option(help="Only articles published before this time")] = None,
        outlets: Annotated[list[str] | None, typer.Option("--outlet", "-o", help="Only this outlet id (repeatable)")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Re-extract and dedupe, write nothing")] = False,
        batch_size: Annotated[int, typer.Option(help="Articles per batch")] = 500,
        catalog: Annotated[Path | None, typer.Option("--catalog", help="Catalog TOML (agency outlets; default: bundled)")] = None,
    ) -> None:
        """Re-extract stored articles from the WARC archive (no network) and update them in place."""
        from flows.cli import _fail, console
        from flows.reprocess import reprocess
        from tasks.catalog import CatalogError
        from warehouse.db import WarehouseLocked, WarehouseMissing
        from warehouse.db import exists as warehouse_exists

        if not warehouse_exists(db):
            _fail(f"no warehouse at {db}: run `akhbar ingest --db {db}` first")
            return
        try:
            result = reprocess(db=str(db), since=since, until=until, outlets=outlets, dry_run=dry_run,
                               batch_size=batch_size, catalog=str(catalog) if catalog else None)
        except (WarehouseMissing, WarehouseLocked, CatalogError) as exc:
            _fail(str(exc))
            return
        if result["missing_record"] or result["regressed"]:
            console.print(f"[yellow]{result['missing_record']} archive record(s) unreadable, "
                          f"{result['regressed']} article(s) kept because re-extraction got worse "
                          f"(see run_errors, stage 'reprocess')[/yellow]")

    @app.command("ingest-warc")
    def ingest_warc_cmd(
        files: Annotated[list[Path], typer.Argument(help="WARC files (.warc.gz), e.g. CC-NEWS", exists=True,
                                                    dir_okay=False, readable=True)],
        db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")] = DEFAULT_DB,
        outlet_host: Annotated[list[str] | None, typer.Option("--outlet-host", help="HOST=SOURCE_ID (repeatable), on top of the catalog's hosts")] = None,
        catalog: Annotated[Path | None, typer.Option("--catalog", help="Catalog TOML for host matching (default: bundled)")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and extract, write nothing")] = False,
        batch_size: Annotated[int, typer.Option(help="Candidate records per batch")] = 200,
    ) -> None:
        """Backfill Arabic articles from WARC files through extract → dedupe → load."""
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        from flows.backfill import ingest_warc, progress_sink
        from flows.cli import _fail, console
        from tasks.catalog import CatalogError
        from warehouse.db import WarehouseLocked

        sizes = [f.stat().st_size for f in files]
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                   TextColumn("{task.fields[status]}"))
        with Progress(*columns, console=console, transient=False) as bar:
            tid = bar.add_task("WARC", total=sum(sizes), status="")

            def on_progress(event: dict) -> None:
                done = sum(sizes[: event["file_index"] - 1]) + event["bytes_done"]
                c = event["counts"]
                bar.update(tid, completed=done, description=Path(event["file"]).name,
                           status=f"{c['records']} records, {c['stored']} stored")

            try:
                with progress_sink(on_progress):
                    ingest_warc(files=[str(f) for f in files], db=str(db), outlets_by_host=_host_map(outlet_host),
                                dry_run=dry_run, catalog=str(catalog) if catalog else None, batch_size=batch_size)
            except (CatalogError, WarehouseLocked) as exc:
                _fail(str(exc))
