"""`akhbar serve`: register the deployments (schedules) and run them until interrupted.

Wired into the CLI with `register(app)` so flows/cli.py stays free of Prefect server concerns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB


def serve(
    db: Annotated[Path, typer.Option("--db", help="Default warehouse file of the deployments")] = DEFAULT_DB,
    catalog: Annotated[Path | None, typer.Option("--catalog", help="Default catalog TOML (default: bundled)")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help="Ingest schedule, e.g. '*/15 * * * *' (default: AKHBAR_INGEST_CRON or every 15 min)")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA timezone of the cron schedules (default UTC)")] = None,
    allow_private_networks: Annotated[bool, typer.Option("--allow-private-networks", help="Default allow_private_networks=true (local mirrors)")] = False,
    late_grace: Annotated[float, typer.Option("--late-grace", help="Cancel scheduled runs missed by more than this many seconds while serve was down (the newest is kept)")] = 900.0,
    limit: Annotated[int | None, typer.Option("--limit", help="Max runs executing at once in this process")] = None,
) -> None:
    """Serve the ingest (cron), reprocess and report deployments. Needs `prefect server start`."""
    from flows.deployments import serve_deployments

    serve_deployments(cron=cron, timezone=timezone, db=db, catalog=catalog,
                      allow_private_networks=allow_private_networks, late_grace_s=late_grace, limit=limit)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
