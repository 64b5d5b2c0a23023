"""Every schedule of akhbar, registered and served with `prefect.serve` (`akhbar serve`,
`python -m flows.deployments`). Needs a real API server: `prefect server start`.

Deployments
- `ingest/akhbar`    cron (default `*/15 * * * *`, UTC unless a timezone is given), one run at a time.
- `reprocess/akhbar` manual only (if `flows.reprocess` is importable).
- `report/akhbar`    daily (default `0 6 * * *`, if `flows.report` is importable).

Concurrency (deliberate):
- Each deployment has `concurrency_limit=1` with `collision_strategy=ENQUEUE`. A run that
  starts while another run of the same deployment is active (a UI "Run" while the cron run is
  going, or a cron tick during a long run) is not lost: the server moves it to
  `Scheduled/AwaitingConcurrencySlot` and the serve process retries it after
  `PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS` (30 s). CANCEL_NEW would drop
  manual runs silently, which is the wrong trade for a user who just clicked Run.
- Across deployments and CLI runs, the load step takes `flows.locks.warehouse_write_lock`
  (global limit `akhbar-warehouse-writer` + a file lock), so DuckDB only ever has one writer.
- Pile-ups: the server's scheduler pre-creates future runs (up to 100 or 100 days ahead, at
  least 1 hour), but while serve is down the runs that came due are left as "Late" and would all
  be submitted, one after another, when serve comes back. On start-up `serve_deployments`
  cancels the auto-scheduled runs that are more than `late_grace_s` late except the newest one,
  so an outage costs one catch-up run, not one per missed tick. Manual runs are never touched.
- `pause_on_shutdown=False`: stopping serve (Ctrl-C, SIGTERM, a container restart) leaves the
  schedules active; runs that come due meanwhile wait as Late (see above).

Schedules live here (and in `--cron` / settings), not in the UI: a cron edited in the UI is
overwritten the next time serve starts, because serve re-applies these definitions.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flows.settings import DEFAULT_DB, load_settings
from warehouse.lake import is_lake

DEPLOYMENT_NAME = "akhbar"
DEFAULT_INGEST_CRON = "*/15 * * * *"
DEFAULT_REPORT_CRON = "0 6 * * *"
DEFAULT_LATE_GRACE_S = 15 * 60
TAGS = ["akhbar"]

log = logging.getLogger("akhbar.flows.deployments")


def _setting(name: str, default: Any) -> Any:
    """Deployment knobs from flows.settings when it defines them (AKHBAR_INGEST_CRON, ...)."""
    value = getattr(load_settings(), name, None)
    return default if value in (None, "") else value


def concurrency_config():
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def optional_flow(module: str, attr: str):
    """The flow object `module.attr`, or None if that module is not there (yet)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            return None
        raise  # the module exists but one of its own imports is broken: say so
    from prefect import Flow

    obj = getattr(mod, attr, None)
    return obj if isinstance(obj, Flow) else None


def fill_param_descriptions(deployment, flow) -> None:
    """Copy `Annotated[..., Field(description=...)]` texts into the deployment's parameter schema.

    Prefect 3.9 builds the schema from the signature plus the docstring's Args section and
    drops descriptions given in `Annotated` metadata, so the UI's custom-run form would show
    bare names. Idempotent; a docstring description (if any) wins.
    """
    from pydantic.fields import FieldInfo

    hints = typing.get_type_hints(flow.fn, include_extras=True)
    props = deployment._parameter_openapi_schema.properties
    for name, hint in hints.items():
        if name not in props or props[name].get("description"):
            continue
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, FieldInfo) and meta.description:
                props[name]["description"] = meta.description
                break


def _params_for(flow, wanted: dict[str, Any]) -> dict[str, Any]:
    import inspect

    accepted = inspect.signature(flow.fn).parameters
    return {k: v for k, v in wanted.items() if k in accepted}


def build_deployments(
    *,
    cron: str | None = None,
    report_cron: str | None = None,
    timezone: str | None = None,
    db: str | Path | None = None,
    catalog: str | Path | None = None,
    allow_private_networks: bool = False,
    name: str = DEPLOYMENT_NAME,
) -> list:
    """The RunnerDeployments to serve (ingest always; reprocess/report when their modules exist)."""
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from flows.ingest import ingest

    cron = cron or _setting("ingest_cron", DEFAULT_INGEST_CRON)
    report_cron = report_cron or _setting("report_cron", DEFAULT_REPORT_CRON)
    timezone = timezone or _setting("schedule_timezone", None)
    db_path = str(db or DEFAULT_DB)  # a lake locator (ducklake:...) is kept as written
    if not is_lake(db_path):
        db_path = str(Path(db_path).expanduser().resolve())
    catalog = catalog or _setting("catalog", None)
    catalog_path = str(Path(catalog).expanduser().resolve()) if catalog else None
    common = dict(concurrency_limit=concurrency_config(), tags=TAGS, entrypoint_type=EntrypointType.MODULE_PATH)

    ingest_params: dict[str, Any] = {"db": db_path, "catalog": catalog_path}
    if allow_private_networks:
        ingest_params["allow_private_networks"] = True
    deployments = [
        ingest.to_deployment(
            name,
            schedules=[Cron(cron, timezone=timezone, slug="ingest-cron")],
            parameters=ingest_params,
            description=(f"Poll every feed of the catalog and load new articles into {db_path}. "
                         f"Schedule: `{cron}`{f' ({timezone})' if timezone else ' (UTC)'}. "
                         "One run at a time; extra runs queue (AwaitingConcurrencySlot)."),
            **common,
        )
    ]
    fill_param_descriptions(deployments[0], ingest)

    reprocess = optional_flow("flows.reprocess", "reprocess")
    if reprocess is not None:
        deployments.append(reprocess.to_deployment(
            name, parameters=_params_for(reprocess, {"db": db_path}),
            description="Re-extract and re-cluster stored articles (manual runs only).", **common))
        fill_param_descriptions(deployments[-1], reprocess)
    report = optional_flow("flows.report", "report")
    if report is not None:
        deployments.append(report.to_deployment(
            name, schedules=[Cron(report_cron, timezone=timezone, slug="report-daily")],
            parameters=_params_for(report, {"db": db_path}),
            description=f"Daily report from {db_path}. Schedule: `{report_cron}`.", **common))
        fill_param_descriptions(deployments[-1], report)
    return deployments


def cancel_stale_runs(deployment_names: list[str], late_grace_s: float = DEFAULT_LATE_GRACE_S) -> int:
    """Cancel auto-scheduled runs more than `late_grace_s` late, keeping the newest per deployment.

    Returns how many runs were cancelled. Deployments that do not exist yet are skipped.
    """
    from prefect import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Cancelled

    cutoff = datetime.now(UTC) - timedelta(seconds=late_grace_s)
    cancelled = 0
    with get_client(sync_client=True) as client:
        for full_name in deployment_names:
            try:
                dep = client.read_deployment_by_name(full_name)
            except ObjectNotFound:
                continue
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(
                    deployment_id=FlowRunFilterDeploymentId(any_=[dep.id]),
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
                    expected_start_time=FlowRunFilterExpectedStartTime(before_=cutoff),
                ),
                sort=FlowRunSort.EXPECTED_START_TIME_DESC,
                limit=200,
            )
            stale = [r for r in runs if r.auto_scheduled][1:]  # keep the newest: one catch-up run
            for run in stale:
                client.set_flow_run_state(run.id, Cancelled(
                    message="missed while `akhbar serve` was down; superseded by a later run"), force=True)
                cancelled += 1
            if stale:
                log.warning("%s: cancelled %d missed scheduled run(s), kept the newest", full_name, len(stale))
    return cancelled


def serve_deployments(
    *,
    cron: str | None = None,
    timezone: str | None = None,
    db: str | Path | None = None,
    catalog: str | Path | None = None,
    allow_private_networks: bool = False,
    late_grace_s: float = DEFAULT_LATE_GRACE_S,
    limit: int | None = None,
) -> None:
    """Register the deployments and serve them until interrupted (Ctrl-C / SIGTERM)."""
    from prefect import serve
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        raise SystemExit(
            "akhbar serve needs a Prefect server: run `prefect server start` and "
            "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` (the ephemeral "
            "server has no scheduler)."
        )
    deployments = build_deployments(cron=cron, timezone=timezone, db=db, catalog=catalog,
                                    allow_private_networks=allow_private_networks)
    try:
        cancel_stale_runs([f"{d.flow_name}/{d.name}" for d in deployments], late_grace_s)
    except Exception as exc:  # housekeeping must never stop the schedule from being served
        log.warning("could not sweep missed runs: %s", exc)
    serve(*deployments, pause_on_shutdown=False, limit=limit)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m flows.deployments", description=__doc__.split("\n\n")[0])
    p.add_argument("--cron", help=f"ingest schedule (default {DEFAULT_INGEST_CRON}, or AKHBAR_INGEST_CRON)")
    p.add_argument("--timezone", help="IANA timezone for the cron schedules (default UTC)")
    p.add_argument("--db", help="default warehouse file of the deployments")
    p.add_argument("--catalog", help="default catalog TOML (default: bundled)")
    p.add_argument("--allow-private-networks", action="store_true",
                   help="default allow_private_networks=true (local mirrors, tests)")
    p.add_argument("--late-grace", type=float, default=DEFAULT_LATE_GRACE_S,
                   help="cancel scheduled runs missed by more than this many seconds (keep the newest)")
    p.add_argument("--limit", type=int, default=None, help="max runs executing at once in this process")
    a = p.parse_args(argv)
    serve_deployments(cron=a.cron, timezone=a.timezone, db=a.db, catalog=a.catalog,
                      allow_private_networks=a.allow_private_networks, late_grace_s=a.late_grace, limit=a.limit)


if __name__ == "__main__":
    main()
