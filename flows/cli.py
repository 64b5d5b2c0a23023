"""`akhbar` — the command line. Every command takes --db so warehouses can live side by side."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.settings import DEFAULT_DB

app = typer.Typer(help="akhbar: Arabic news ingestion into DuckDB (Prefect flows).", no_args_is_help=True,
                  pretty_exceptions_enable=False)
feeds_app = typer.Typer(help="The feed catalog and feed health.", no_args_is_help=True)
export_app = typer.Typer(help="Export warehouse data.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(export_app, name="export")
console = Console()

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")]
CatalogOption = Annotated[Path | None, typer.Option("--catalog", help="Catalog TOML (default: bundled)")]


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _out() -> Console:
    """A console for tables: the terminal's width, or wide when piped (so rows stay whole)."""
    return Console() if sys.stdout.isatty() else Console(width=400)


def print_table(columns: list[str], rows: list[tuple], title: str | None = None, max_width: int = 60) -> None:
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(str(col), overflow="fold", max_width=max_width)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    _out().print(table)


def quiet_prefect() -> None:
    """Hand-started runs show progress bars and a summary; Prefect's per-task INFO lines would
    bury them (set PREFECT_LOGGING_LEVEL=INFO to get them back)."""
    import os

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


class _RichReporter:
    """Stage progress as rich bars (feeds, pages, extraction) for runs started by hand."""

    LABELS = {"feeds": "feeds  ", "pages": "pages  ", "extract": "extract"}

    def __init__(self, bars: Progress):
        self.bars = bars
        self.ids: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        if stage in self.ids:
            self.bars.update(self.ids[stage], total=total, completed=0)
        else:
            self.ids[stage] = self.bars.add_task(self.LABELS.get(stage, stage), total=total)

    def advance(self, stage: str, n: int = 1) -> None:
        if stage in self.ids:
            self.bars.advance(self.ids[stage], n)


@contextmanager
def progress_bars():
    from tasks import progress

    if not sys.stderr.isatty():  # logs and pipes get the summary only
        yield
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=False) as bars:
        progress.set_reporter(_RichReporter(bars))
        try:
            yield
        finally:
            progress.set_reporter(None)


@app.command()
def ingest(
    db: DbOption = DEFAULT_DB,
    catalog: CatalogOption = None,
    feeds: Annotated[list[str] | None, typer.Option("--feed", "-f", help="Only this outlet id / country / region (repeatable)")] = None,
    max_per_feed: Annotated[int, typer.Option(help="Cap on new articles per feed")] = 100,
    since: Annotated[datetime | None, typer.Option(help="Skip entries published before this time")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fetch and extract, write nothing")] = False,
    allow_private_networks: Annotated[bool, typer.Option("--allow-private-networks", help="Allow loopback/private hosts (local mirrors, tests)")] = False,
    ignore_backoff: Annotated[bool, typer.Option("--ignore-backoff", help="Poll feeds in failure backoff too")] = False,
) -> None:
    """Poll the catalog's feeds once and load new articles into the warehouse."""
    from tasks.catalog import CatalogError

    quiet_prefect()
    try:
        from flows.ingest import ingest as ingest_flow

        with progress_bars():
            result = ingest_flow(catalog=str(catalog) if catalog else None, db=str(db), feeds=feeds,
                                 max_per_feed=max_per_feed, since=since, dry_run=dry_run,
                                 allow_private_networks=allow_private_networks, ignore_backoff=ignore_backoff)
    except CatalogError as exc:
        _fail(str(exc))
        return
    console.print(result["summary"])
    if result.get("feeds_failed") and not result.get("articles_new"):
        console.print("[yellow]no feed could be fetched: are you offline? See `akhbar feeds health`.[/yellow]")


@feeds_app.command("list")
def feeds_list(catalog: CatalogOption = None, db: DbOption = DEFAULT_DB,
               only: Annotated[list[str] | None, typer.Option("--feed", "-f")] = None) -> None:
    """List the catalog's outlets and feeds."""
    from tasks.catalog import CatalogError, load_catalog, select_feeds

    try:
        specs = select_feeds(load_catalog(catalog), only)
    except CatalogError as exc:
        _fail(str(exc))
        return
    rows = [(s.source_id, s.source_name, s.country, s.region or "", s.section or "", s.url, s.origin) for s in specs]
    print_table(["outlet", "name", "country", "region", "section", "url", "origin"], rows,
                title=f"{len({s.source_id for s in specs})} outlets, {len(specs)} feeds", max_width=70)


@feeds_app.command("health")
def feeds_health(db: DbOption = DEFAULT_DB,
                 all_feeds: Annotated[bool, typer.Option("--all", help="Include healthy feeds")] = True) -> None:
    """Feed health, worst first (the `feed_health` view)."""
    from warehouse.queries import run_query

    where = "" if all_feeds else "WHERE health <> 'ok'"
    cols, rows = _query_or_fail(db, f"SELECT source_id, url, health, last_outcome, last_status, consecutive_failures, "
                                    f"failure_score, last_success_at, next_fetch_at, last_error FROM feed_health {where}",
                                run_query)
    print_table(cols, rows, title="feed health (worst first)")


@feeds_app.command("enable")
def feeds_enable(feed: Annotated[str, typer.Argument(help="Feed URL, feed id or outlet id")],
                 db: DbOption = DEFAULT_DB) -> None:
    """Re-enable an auto-disabled feed and clear its failure score."""
    from warehouse.admin import set_feed_enabled

    n = set_feed_enabled(db, feed, enabled=True)
    console.print(f"re-enabled {n} feed(s)" if n else f"[yellow]no feed matches {feed!r}[/yellow]")


@feeds_app.command("disable")
def feeds_disable(feed: Annotated[str, typer.Argument(help="Feed URL, feed id or outlet id")],
                  db: DbOption = DEFAULT_DB) -> None:
    """Stop polling a feed until it is re-enabled."""
    from warehouse.admin import set_feed_enabled

    n = set_feed_enabled(db, feed, enabled=False)
    console.print(f"disabled {n} feed(s)" if n else f"[yellow]no feed matches {feed!r}[/yellow]")


def _query_or_fail(db: Path, sql: str, run_query):
    from warehouse.db import WarehouseLocked, WarehouseMissing

    try:
        return run_query(db, sql)
    except (WarehouseMissing, WarehouseLocked) as exc:
        _fail(str(exc))
    except Exception as exc:  # SQL errors are the user's to fix: show them plainly
        _fail(f"{type(exc).__name__}: {exc}")


@app.command()
def sql(query: Annotated[str, typer.Argument(help="SQL to run (read-only)")], db: DbOption = DEFAULT_DB,
        limit: Annotated[int, typer.Option(help="Print at most this many rows")] = 200) -> None:
    """Run a query against the warehouse, opened read-only, and print a table."""
    from warehouse.queries import run_query

    cols, rows = _query_or_fail(db, query, run_query)
    print_table(cols, rows[:limit], title=f"{len(rows)} row(s)" + (f", first {limit} shown" if len(rows) > limit else ""))


@export_app.command("articles")
def export_articles(
    out: Annotated[Path, typer.Option("--out", help="Output file (jsonl) or directory (parquet)")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl or parquet")] = "jsonl",
    db: DbOption = DEFAULT_DB,
    where: Annotated[str | None, typer.Option(help="SQL condition on export columns")] = None,
) -> None:
    """Export articles (one record each) as JSONL or date/outlet-partitioned Parquet."""
    from warehouse.db import WarehouseMissing
    from warehouse.export import export_articles as do_export

    if fmt not in ("jsonl", "parquet"):
        _fail("--format must be jsonl or parquet")
    try:
        n = do_export(db, out, fmt, where)
    except WarehouseMissing as exc:
        _fail(str(exc))
        return
    console.print(f"exported {n} article(s) to {out}")


def _register_extensions() -> None:
    from flows import cli_analysis, cli_backfill, cli_serve

    cli_serve.register(app)
    cli_analysis.register(app)
    cli_backfill.register(app)


_register_extensions()


def main() -> None:
    app(prog_name="akhbar")


if __name__ == "__main__":
    sys.exit(main())
