"""Archive commands for the `akhbar` CLI: `reprocess` and `ingest-warc`.

flows/cli.py adds them with ``register(app)``.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB


def _host_map(pairs: list[str] | None) -> dict[str, str] | None:
    from flows.cli_errors import CliError

    out: dict[str, str] = {}
    for pair in pairs or []:
        host, sep, source_id = pair.partition("=")
        if not sep or not host.strip() or not source_id.strip():
            raise CliError(f"--outlet-host: expected HOST=SOURCE_ID, got {pair!r}")
        out[host.strip()] = source_id.strip()
    return out or None


def check_warc(path: Path) -> None:
    """Refuse a file that does not start with a WARC record (gzip-compressed or not)."""
    from flows.cli_errors import CliError

    try:
        with path.open("rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                try:
                    with gzip.GzipFile(fileobj=fh) as gz:
                        start = gz.read(8)
                except (OSError, EOFError, zlib.error):
                    start = b""
            else:
                start = fh.read(8)
    except OSError as exc:
        raise CliError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not start.startswith(b"WARC/"):
        raise CliError(f"{path} is not a WARC file (it does not start with a WARC/1.x record)")


def _check_catalog(catalog: Path | None) -> None:
    from flows.settings import load_settings
    from tasks.catalog import load_catalog

    path = catalog or load_settings().catalog
    load_catalog(Path(path) if path else None)


def register(app: typer.Typer) -> None:
    """Add `akhbar reprocess` and `akhbar ingest-warc` to the given typer app."""

    @app.command("reprocess")
    def reprocess_cmd(
        db: Annotated[Path, typer.Option("--db", metavar="FILE", help="DuckDB warehouse file")] = DEFAULT_DB,
        since: Annotated[str | None, typer.Option(metavar="TIME", help="Only articles published at/after this time (YYYY-MM-DD[THH:MM], UTC unless Z/±HH:MM)")] = None,
        until: Annotated[str | None, typer.Option(metavar="TIME", help="Only articles published before this time")] = None,
        outlets: Annotated[list[str] | None, typer.Option("--outlet", "-o", metavar="ID", help="Only this outlet id (repeatable)")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Re-extract and dedupe, write nothing")] = False,
        batch_size: Annotated[int, typer.Option(min=1, max=20_000, metavar="N", help="Articles per batch")] = 500,
        catalog: Annotated[Path | None, typer.Option("--catalog", metavar="FILE", help="Catalog TOML (agency outlets; default: bundled)")] = None,
        dask: Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", help="Extract on this Dask scheduler (tcp://host:8786)")] = None,
        workers: Annotated[int | None, typer.Option("--workers", min=1, metavar="N", help="Extract on a local Dask cluster of N workers")] = None,
    ) -> None:
        """Re-extract stored articles from the WARC archive (no network) and update them in place."""
        from flows.cli import _fail, quiet_prefect, require_warehouse
        from flows.cli_output import progress_bars, show_summary, warn
        from flows.cli_runs import interruptible, run_verdict
        from flows.params import parse_window

        start, end = parse_window(since, until, "--since", "--until")
        require_warehouse(db)
        _check_catalog(catalog)
        if outlets:
            from warehouse.queries import table_rows

            known = {r["source_id"] for r in table_rows(db, "SELECT source_id FROM sources")}
            unknown = sorted(set(outlets) - known)
            if unknown:
                _fail(f"--outlet: no outlet {', '.join(map(repr, unknown))} in {db} "
                      f"(it has {len(known)}; `akhbar sql \"SELECT source_id, name FROM sources\"` lists them)")
        quiet_prefect()
        with interruptible(db, "reprocess"), progress_bars():
            from flows.reprocess import reprocess

            result = reprocess(db=str(db), since=start, until=end, outlets=outlets, dry_run=dry_run,
                               batch_size=batch_size, catalog=str(catalog) if catalog else None,
                               dask=dask, dask_workers=workers)
        show_summary(result["summary"])
        if result["missing_record"] or result["regressed"]:
            warn(f"{result['missing_record']} archive record(s) unreadable, {result['regressed']} article(s) "
                 "kept because re-extraction got worse (see run_errors, stage 'reprocess')")
        code, line = run_verdict(result)
        if line:
            _fail(line, code)

    @app.command("ingest-warc")
    def ingest_warc_cmd(
        files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="WARC files (.warc.gz), e.g. CC-NEWS",
                                                    exists=True, dir_okay=False, readable=True)],
        db: Annotated[Path, typer.Option("--db", metavar="FILE", help="DuckDB warehouse file")] = DEFAULT_DB,
        outlet_host: Annotated[list[str] | None, typer.Option("--outlet-host", metavar="HOST=ID", help="HOST=SOURCE_ID (repeatable), on top of the catalog's hosts")] = None,
        catalog: Annotated[Path | None, typer.Option("--catalog", metavar="FILE", help="Catalog TOML for host matching (default: bundled)")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and extract, write nothing")] = False,
        batch_size: Annotated[int, typer.Option(min=1, max=10_000, metavar="N", help="Candidate records per batch")] = 200,
        wait: Annotated[float, typer.Option(min=0, metavar="SECONDS", help="If another ingest is running on this warehouse, wait up to this long for it")] = 0,
        dask: Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", help="Extract on this Dask scheduler (tcp://host:8786)")] = None,
        workers: Annotated[int | None, typer.Option("--workers", min=1, metavar="N", help="Extract on a local Dask cluster of N workers")] = None,
    ) -> None:
        """Backfill Arabic articles from WARC files through extract → dedupe → load."""
        from contextlib import nullcontext

        from flows.cli import EXIT_FAILED, _fail, busy_message, creatable_warehouse, quiet_prefect
        from flows.cli_output import byte_progress, show_summary, warn
        from flows.cli_runs import interruptible, run_verdict
        from flows.locks import RunBusy, run_lock

        for f in files:
            check_warc(f)
        hosts = _host_map(outlet_host)
        _check_catalog(catalog)
        creatable_warehouse(db)
        quiet_prefect()
        sizes = [f.stat().st_size for f in files]
        lock = nullcontext() if dry_run else run_lock(db, timeout_s=wait, kind="ingest-warc")
        try:
            with interruptible(db, "ingest-warc"), lock, byte_progress(sum(sizes), "WARC") as bar:
                from flows.backfill import ingest_warc, progress_sink

                def on_progress(event: dict) -> None:
                    if bar is None:
                        return
                    done = sum(sizes[: event["file_index"] - 1]) + event["bytes_done"]
                    c = event["counts"]
                    bar.update(bar.task_ids[0], completed=done, description=Path(event["file"]).name,
                               status=f"{c['records']} records, {c['stored']} stored")

                with progress_sink(on_progress):
                    result = ingest_warc(files=[str(f) for f in files], db=str(db), outlets_by_host=hosts,
                                         dry_run=dry_run, catalog=str(catalog) if catalog else None,
                                         batch_size=batch_size, dask=dask, dask_workers=workers)
        except RunBusy as exc:
            _fail(busy_message(exc, wait), EXIT_FAILED)
        show_summary(result["summary"])
        if not result.get("records"):
            warn("no response record in the file(s): nothing to ingest")
        code, line = run_verdict(result)
        if line:
            _fail(line, code)
