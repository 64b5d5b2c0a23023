"""`akhbar serve`: register the deployments (schedules) and run them until interrupted.

Wired into the CLI with `register(app)` so flows/cli.py stays free of Prefect server concerns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.deployments import PORT_RECIPE
from flows.settings import DEFAULT_DB

HELP = f"""Serve the scheduled deployments until Ctrl-C: ingest/every-15-min, report/daily-0600-utc
and reprocess/manual (names follow --cron / --report-cron). Needs `prefect server start` and
PREFECT_API_URL pointing at it. Ctrl-C or SIGTERM cancels the runs in progress (state Cancelled,
slots released, staged batches kept) and leaves the schedules active.

\b
{PORT_RECIPE}
"""


def serve(
    db: Annotated[Path, typer.Option("--db", help="Default warehouse file of the deployments")] = DEFAULT_DB,
    catalog: Annotated[Path | None, typer.Option("--catalog", help="Default catalog TOML (default: bundled)")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help="Ingest schedule, e.g. '*/15 * * * *' (default: AKHBAR_INGEST_CRON or every 15 min)")] = None,
    report_cron: Annotated[str | None, typer.Option("--report-cron", help="Report schedule (default: AKHBAR_REPORT_CRON or '0 6 * * *')")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA timezone of the cron schedules (default UTC)")] = None,
    allow_private_networks: Annotated[bool, typer.Option("--allow-private-networks", help="Default allow_private_networks=true (local mirrors)")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Max runs executing at once in this process")] = None,
) -> None:
    from flows.deployments import serve_deployments

    serve_deployments(cron=cron, report_cron=report_cron, timezone=timezone, db=db, catalog=catalog,
                      allow_private_networks=allow_private_networks, limit=limit)


def register(app: typer.Typer) -> None:
    app.command("serve", help=HELP)(serve)
