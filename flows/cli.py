"""`akhbar` — the command line. Every command takes --db so warehouses can live side by side.

A thin layer: each command checks what the person typed (times, catalog, selectors, paths, the
warehouse file) *before* a Prefect server is started or anything is written, then calls one flow
or warehouse function and prints its result (flows/cli_output.py). Every failure becomes one
`error:` line and a documented exit code (flows/cli_errors.py). Only `ingest`, `ingest-warc`
(and `reprocess`, on an existing file) write a warehouse; every other command needs one.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.cli_errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, AkhbarGroup, CliError
from flows.cli_output import note, out_console, print_line, print_table, progress_bars, show_summary, warn
from flows.settings import DEFAULT_DB

app = typer.Typer(help="akhbar: Arabic news ingestion into DuckDB (Prefect flows).", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=AkhbarGroup)
feeds_app = typer.Typer(help="The feed catalog and feed health.", no_args_is_help=True)
export_app = typer.Typer(help="Export warehouse data.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(export_app, name="export")
console = Console()  # kept for commands registered from other modules
_out = out_console    # (idem) stdout console: terminal width, or unwrapped when piped

DbOption = Annotated[Path, typer.Option("--db", metavar="FILE", help="DuckDB warehouse file (or $AKHBAR_DB)")]
CatalogOption = Annotated[Path | None, typer.Option("--catalog", metavar="FILE",
                                                     help="Catalog TOML (default: the bundled one)")]
FeedOption = Annotated[list[str] | None, typer.Option(
    "--feed", "-f", metavar="ID|COUNTRY|REGION",
    help="Only these outlets: outlet id, country code (EG) or region (gulf); repeatable or comma-separated")]


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    """Stop the command with one `error:` line (exit 2 unless told otherwise)."""
    raise CliError(message, code)


def quiet_prefect() -> None:
    """Commands show progress bars and a summary; Prefect's INFO lines would bury them
    (set PREFECT_LOGGING_LEVEL=INFO to get them back). Also the last check before a run:
    the AKHBAR_* settings must be readable."""
    from flows.settings import load_settings

    load_settings()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # A first run migrates a fresh Prefect database: on a busy machine that outlasts the 20 s default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # The temporary server shares the terminal: Ctrl-C reaches it too, and its shutdown logs
    # (cancelled event flushes) are not the user's business; the CLI says what happened.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    from flows.cli_output import bars_enabled
    from flows.cli_runs import quiet_engine_logs
    from flows.locks import api_url

    url = api_url()
    if url:
        check_prefect_server(url)
    else:
        if bars_enabled():  # a person at a terminal: say why nothing moves for a while
            note("starting Prefect's temporary server for this run (10–20 s; `prefect server start` keeps one)…")
        # in this process (flows/tempserver.py): ~150 MB instead of a ~230 MB child process
        from flows.tempserver import start

        start()
    quiet_engine_logs()  # after the server's app, which sets Prefect's logging up again


def check_prefect_server(url: str, timeout_s: float = 5.0) -> None:
    """PREFECT_API_URL must answer before a run starts: Prefect's client would retry a server
    that is down for 20-30 s and then stop the command with "Failed to reach API". One line
    instead, at once: exit 1 when nothing answers (start it, or try later), 2 for a URL that
    cannot be one (no http://, or not a Prefect API)."""
    import httpx

    fix = "start it (`prefect server start`), or unset PREFECT_API_URL to run on a temporary server"
    try:
        answer = httpx.get(url.rstrip("/") + "/health", timeout=timeout_s)
    except httpx.UnsupportedProtocol:
        _fail(f"PREFECT_API_URL={url!r} is not an http(s) URL; e.g. http://127.0.0.1:4200/api")
    except httpx.HTTPError as exc:
        _fail(f"cannot reach the Prefect server at {url} (PREFECT_API_URL): {exc or type(exc).__name__}; {fix}",
              EXIT_FAILED)
    else:
        if answer.status_code == 404:
            _fail(f"PREFECT_API_URL={url} is not a Prefect API ({url.rstrip('/')}/health answered 404)"
                  + ("; it usually ends in /api" if not url.rstrip("/").endswith("/api") else ""))


# ---------------------------------------------------------------- checks before anything runs


def require_warehouse(db: Path) -> Path:
    """The warehouse a reading command needs: it must exist and be a DuckDB warehouse."""
    from warehouse.db import exists
    from warehouse.lake import is_lake

    if is_lake(db):
        if not exists(db):
            _fail(f"no lake at {db}: run `akhbar lake init --db '{db}'` first, or pass the right --db")
        return db
    if db.is_dir():
        _fail(f"--db {db} is a folder; give the warehouse file, e.g. {db / 'akhbar.duckdb'}")
    if not db.exists():
        _fail(f"no warehouse at {db}: run `akhbar ingest --db {db}` first, or pass the right --db")
    check_warehouse_file(db)
    upgrade_schema(db)
    return db


def upgrade_schema(db: Path) -> None:
    """A warehouse written by an older akhbar lacks the newer tables and views (`feeds health`,
    `report`, `sql` on them failed with DuckDB's "Catalog Error: Table … does not exist"): the
    migrations every writer applies are applied here too, once, with a note. Only the schema
    changes; no row is touched."""
    from warehouse.db import schema_is_current, writer

    if schema_is_current(db):
        return
    with writer(db):
        pass
    note(f"{db}: schema upgraded to this version of akhbar (it was written by an older one)")


def check_warehouse_file(db: Path) -> None:
    """Refuse a file that is not a DuckDB warehouse (before a run would trip over it):
    warehouse.db raises WarehouseUnusable with one sentence (exit 2)."""
    from warehouse.db import check_warehouse

    check_warehouse(db)


def creatable_warehouse(db: Path) -> Path:
    """The warehouse a writing command may create: an existing warehouse, or a new path whose
    nearest existing folder is a writable folder (a lake locator is checked by its backend)."""
    from warehouse.lake import is_lake

    if is_lake(db):
        return db
    if db.is_dir():
        _fail(f"--db {db} is a folder; give the warehouse file, e.g. {db / 'akhbar.duckdb'}")
    if db.exists():
        check_warehouse_file(db)
        return db
    for parent in db.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                _fail(f"cannot create {db}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                _fail(f"cannot create {db}: {parent} is not writable")
            break
    return db


def load_feeds(catalog: Path | None, only: list[str] | None):
    from tasks.catalog import load_catalog, select_feeds

    specs = select_feeds(load_catalog(catalog), only)
    if not specs:
        _fail(f"the catalog {catalog or '(bundled)'} has no feeds")
    return specs


def parse_since(value: str | None, name: str = "--since") -> datetime | None:
    from flows.params import parse_time

    return parse_time(value, name)


# ---------------------------------------------------------------- ingest


@app.command()
def ingest(
    db: DbOption = DEFAULT_DB,
    catalog: CatalogOption = None,
    feeds: FeedOption = None,
    max_per_feed: Annotated[int, typer.Option(min=1, max=10_000, metavar="N",
                                              help="Cap on new articles fetched per feed")] = 100,
    since: Annotated[str | None, typer.Option(metavar="TIME", help="Skip entries published before this time: "
                                              "YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless it ends in Z or ±HH:MM)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fetch and extract, write nothing")] = False,
    allow_private_networks: Annotated[bool, typer.Option("--allow-private-networks", help="Allow loopback/private hosts (local mirrors, tests)")] = False,
    ignore_backoff: Annotated[bool, typer.Option("--ignore-backoff", help="Poll feeds in failure backoff too")] = False,
    wait: Annotated[float, typer.Option(min=0, metavar="SECONDS", help="If another ingest is running on this "
                                        "warehouse, wait up to this long for it (default: exit at once)")] = 0,
) -> None:
    """Poll the catalog's feeds once and load new articles into the warehouse."""
    from flows.cli_runs import interruptible, run_verdict
    from flows.locks import RunBusy, run_lock
    from flows.outcome import RunFailed

    since_utc = parse_since(since)
    specs = load_feeds(catalog, feeds)
    creatable_warehouse(db)
    quiet_prefect()
    try:
        with interruptible(db, "ingest"), _ingest_lock(db, wait, dry_run, run_lock):
            from flows.ingest import ingest as ingest_flow

            with progress_bars():
                try:
                    result = ingest_flow(catalog=str(catalog) if catalog else None, db=str(db), feeds=feeds,
                                         max_per_feed=max_per_feed, since=since_utc, dry_run=dry_run,
                                         allow_private_networks=allow_private_networks,
                                         ignore_backoff=ignore_backoff)
                except RunFailed as exc:  # the flow ended Failed (flows/outcome.py): same summary, exit 1
                    result = exc.result or {"summary": "", "status": "failed", "verdict": "failed",
                                            "message": str(exc)}
    except RunBusy as exc:
        _fail(busy_message(exc, wait), EXIT_FAILED)
    show_summary(result["summary"])
    code, line = run_verdict(result, n_feeds=len(specs))
    if line:
        warn(line) if code == EXIT_OK else _fail(line, code)


def busy_message(exc: Exception, wait: float) -> str:
    if wait:
        return f"{exc}; it is still running"
    return f"{exc}; try again when it ends, or pass --wait SECONDS to queue behind it"


def _ingest_lock(db: Path, wait: float, dry_run: bool, run_lock):
    """The run lock, taken before Prefect starts; says who holds it when it must wait."""
    from contextlib import nullcontext

    from flows.locks import describe_holder

    if dry_run:
        return nullcontext()

    def waiting(holder, waited):
        note(f"waiting for {describe_holder(holder)} to finish on {db} ({waited:.0f}s of {wait:.0f}s)…")

    return run_lock(db, timeout_s=wait, kind="ingest", on_wait=waiting)


# ---------------------------------------------------------------- feeds


@feeds_app.command("list")
def feeds_list(catalog: CatalogOption = None, only: FeedOption = None,
               db: Annotated[Path | None, typer.Option("--db", hidden=True)] = None) -> None:
    """List the catalog's outlets and feeds, with the feed ids `feeds enable/disable` take."""
    specs = load_feeds(catalog, only)
    rows = [(s.feed_id, s.source_id, s.source_name, s.country, s.region or "", s.section or "", s.url, s.origin)
            for s in specs]
    print_table(["id", "outlet", "name", "country", "region", "section", "url", "origin"], rows,
                title=f"{len({s.source_id for s in specs})} outlets, {len(specs)} feeds", max_width=70)


HEALTH_SQL = """
SELECT feed_id AS id, source_id AS outlet, health, last_outcome, last_status AS http, consecutive_failures AS failures,
       failure_score AS score, strftime(last_success_at, '%Y-%m-%d %H:%M') AS last_success,
       strftime(last_new_at, '%Y-%m-%d %H:%M') AS last_new, strftime(next_fetch_at, '%Y-%m-%d %H:%M') AS next_fetch,
       url, coalesce(disabled_reason, last_error) AS last_error
FROM feed_health {where}
ORDER BY CASE health WHEN 'disabled' THEN 0 WHEN 'failing' THEN 1 WHEN 'stale' THEN 2 ELSE 3 END,
         failure_score DESC, consecutive_failures DESC, last_success_at NULLS FIRST, url
"""


@feeds_app.command("health")
def feeds_health(
    db: DbOption = DEFAULT_DB,
    all_feeds: Annotated[bool, typer.Option("--all/--no-all", " /--problems", help="Every feed (default), or only feeds "
                                            "that are disabled, failing or stale")] = True,
) -> None:
    """Feed health, worst first: disabled, failing (by failure score), stale (no new item in 7 days), ok."""
    cols, rows = _query(require_warehouse(db), HEALTH_SQL.format(where="" if all_feeds else "WHERE health <> 'ok'"))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    title = "feed health, worst first: " + (", ".join(f"{n} {h}" for h, n in counts.items()) or "no feeds")
    print_table(cols, rows, title=title)


def _set_enabled(db: Path, feed: str, enabled: bool) -> None:
    from warehouse.admin import change_feeds_enabled

    changed = change_feeds_enabled(require_warehouse(db), feed, enabled=enabled)
    if not changed:
        _fail(f"no feed matches {feed!r} in {db}; give a feed id, feed URL or outlet id "
              "(`akhbar feeds health` lists them)")
    verb = "re-enabled" if enabled else "disabled"
    print_table(["id", "outlet", "url"], changed, title=f"{verb} {len(changed)} feed(s)")


@feeds_app.command("enable")
def feeds_enable(feed: Annotated[str, typer.Argument(metavar="FEED", help="Feed id, feed URL or outlet id")],
                 db: DbOption = DEFAULT_DB) -> None:
    """Re-enable a disabled feed and clear its failure score and backoff."""
    _set_enabled(db, feed, True)


@feeds_app.command("disable")
def feeds_disable(feed: Annotated[str, typer.Argument(metavar="FEED", help="Feed id, feed URL or outlet id")],
                  db: DbOption = DEFAULT_DB) -> None:
    """Stop polling a feed until it is re-enabled."""
    _set_enabled(db, feed, False)


# ---------------------------------------------------------------- sql


def _query(db: Path, sql_text: str) -> tuple[list[str], list[tuple]]:
    from warehouse.adhoc import run

    for result in run(db, sql_text):
        return result.columns, [row for batch in result.batches for row in batch]
    return [], []


SQL_FORMATS = ("table", "csv", "jsonl")


@app.command(context_settings={"ignore_unknown_options": True})
def sql(
    query: Annotated[list[str] | None, typer.Argument(metavar="QUERY", help="SQL to run, quoted as one argument "
                                                      "(may start with a -- comment)", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", metavar="PATH", help="Read the SQL from this file "
                                              "('-' = stdin)")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="table|csv|jsonl",
                                     help="table (default), csv (with header) or jsonl (one object per row)")] = "table",
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int | None, typer.Option(min=1, metavar="N", help="At most N rows (table default: 200)")] = None,
) -> None:
    """Run SQL on the warehouse, opened read-only, and print the rows (never writes files)."""
    from flows.cli_sql import read_sql_text, write_rows
    from warehouse.adhoc import check_statements, run

    if fmt not in SQL_FORMATS:
        _fail(f"--format {fmt!r}: use table, csv or jsonl")
    text = read_sql_text(query or [], file)
    check_statements(text)
    require_warehouse(db)
    for result in run(db, text):
        write_rows(result, fmt, limit)


# ---------------------------------------------------------------- export


@export_app.command("articles")
def export_articles(
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="Output file (jsonl) or folder (parquet)")],
    fmt: Annotated[str, typer.Option("--format", metavar="jsonl|parquet", help="jsonl or parquet")] = "jsonl",
    db: DbOption = DEFAULT_DB,
    where: Annotated[str | None, typer.Option(metavar="CONDITION", help="SQL condition on the export's fields, "
                                              "e.g. \"wire_agency = 'reuters'\"")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing file, or a folder "
                                            "holding an earlier Parquet export")] = False,
) -> None:
    """Export articles (one record each) as JSONL or date/outlet-partitioned Parquet."""
    from warehouse.export import check_target
    from warehouse.export import export_articles as do_export

    check_target(out, fmt, overwrite)
    n = do_export(require_warehouse(db), out, fmt, where, overwrite=overwrite)
    print_line(f"exported {n} article(s) to {out}")
    if n == 0:
        warn("no article matched" + (f" --where {where!r}" if where else ": the warehouse has no articles yet"))


def _register_extensions() -> None:
    from flows import cli_analysis, cli_backfill, cli_scale, cli_serve, cli_snapshot

    cli_serve.register(app)
    cli_analysis.register(app)
    cli_backfill.register(app)
    cli_scale.register(app)
    cli_snapshot.register(app)


_register_extensions()


def main() -> None:
    from flows import tuning

    tuning.tune_malloc()  # before any other thread allocates (flows/tuning.py)
    app(prog_name="akhbar")


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["app", "console", "_out", "print_table", "_fail", "EXIT_FAILED", "EXIT_OK", "main"]
