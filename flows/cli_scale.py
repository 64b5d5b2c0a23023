"""Scale-out commands for the `akhbar` CLI: `deploy --pool` (work pools) and `lake init|maintain`.

flows/cli.py adds them with ``register(app)``. See README "When one machine is not enough".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB

LakeDb = Annotated[Path, typer.Option("--db", help="The DuckLake: ducklake:/path/meta.ducklake or ducklake:postgres:<dsn>")]


def deploy(
    pool: Annotated[str, typer.Option("--pool", help="Prefect process work pool (created if missing)")],
    db: Annotated[Path, typer.Option("--db", help="Warehouse of the deployments (a DuckLake for several machines)")] = DEFAULT_DB,
    catalog: Annotated[Path | None, typer.Option("--catalog", help="Catalog TOML (default: bundled)")] = None,
    shards: Annotated[int, typer.Option("--shards", min=1, help="Shards (child runs) per scheduled ingest")] = 4,
    cron: Annotated[str, typer.Option("--cron", help="Schedule of the sharded ingest")] = "*/15 * * * *",
    maintenance_cron: Annotated[str, typer.Option("--maintenance-cron", help="Schedule of the lake maintenance")] = "30 3 * * *",
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA timezone of the schedules (default UTC)")] = None,
    name: Annotated[str, typer.Option("--name", help="Deployment name")] = "akhbar",
    allow_private_networks: Annotated[bool, typer.Option("--allow-private-networks", help="Default allow_private_networks=true (local mirrors)")] = False,
) -> None:
    """Register the sharded ingest (and lake maintenance) on a work pool; start workers with
    `prefect worker start --pool NAME` on each machine. Needs a Prefect server (PREFECT_API_URL)."""
    from flows.cli import _fail, console
    from flows.workpool import deploy_to_pool

    if not Path(str(db)).is_absolute() and not str(db).startswith("ducklake:postgres:"):
        console.print(f"note: {db} is stored as {Path(str(db)).resolve()} (workers run elsewhere)")
    try:
        names = deploy_to_pool(pool, db=db, catalog=catalog, cron=cron, shards=shards,
                               maintenance_cron=maintenance_cron, timezone=timezone, name=name,
                               allow_private_networks=allow_private_networks)
    except ValueError as exc:
        _fail(str(exc))
        return
    for full in names:
        console.print(f"deployed {full} on work pool {pool!r}")
    console.print(f"start workers on each machine: prefect worker start --pool {pool}")


def lake_init(db: LakeDb = DEFAULT_DB) -> None:
    """Create the lake's catalog, tables and views once, before any worker starts."""
    from flows.cli import _fail, console
    from warehouse.lake_ops import init_lake

    try:
        info = init_lake(db)
    except Exception as exc:  # a wrong DSN or path: one line, not a traceback
        _fail(f"{str(exc).splitlines()[0]}")
        return
    console.print(f"lake ready: {info['lake']}\n  data: {info['data_path']}\n  side files: {info['side_dir']}\n"
                  f"  migrations: {info['migrations']}, {info['tables']} tables")


def lake_maintain(db: LakeDb = DEFAULT_DB,
                  keep_days: Annotated[float, typer.Option("--keep-days", min=0, help="Time-travel horizon kept")] = 7.0) -> None:
    """Merge small files, expire old snapshots, delete unreferenced files, rebuild the lake's
    search index (the daily lake-maintenance deployment does the same)."""
    from flows.cli import _fail, console
    from warehouse.lake_ops import maintain
    from warehouse.lake_search import build_search_file

    try:
        out = maintain(db, keep_days=keep_days)
        out["search"] = build_search_file(db)
    except Exception as exc:
        _fail(f"{str(exc).splitlines()[0]}")
        return
    console.print(out)


def register(app: typer.Typer) -> None:
    lake_app = typer.Typer(help="DuckLake warehouse operations (scale-out).", no_args_is_help=True)
    lake_app.command("init")(lake_init)
    lake_app.command("maintain")(lake_maintain)
    app.add_typer(lake_app, name="lake")
    app.command("deploy")(deploy)
