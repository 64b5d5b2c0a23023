"""Every schedule of akhbar, registered and served by `akhbar serve` (`python -m flows.deployments`).
Needs a real API server: `prefect server start`.

Deployments (names say what runs and when; `--cron` / `--report-cron` rename them to match):
- `ingest/every-15-min`    cron `*/15 * * * *` (UTC unless a timezone is given): poll the feeds.
- `report/daily-0600-utc`  cron `0 6 * * *`: write the daily HTML report.
- `reprocess/manual`       no schedule: re-extract stored articles from the archive, by hand.
They are defined once, as data, in `DEPLOYMENTS`; `deployment_options()` turns one definition
into the keyword arguments of `Flow.to_deployment` / `Flow.deploy`, so a work-pool variant of
the same deployments is a small addition.

Concurrency (deliberate):
- Each deployment has `concurrency_limit=1` with `collision_strategy=ENQUEUE`. A run that
  starts while another run of the same deployment is active (a UI "Run" while the cron run is
  going, or a cron tick during a long run) is not lost: the server moves it to
  `Scheduled/AwaitingConcurrencySlot` and serve retries it after
  `PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS` (30 s). CANCEL_NEW would drop
  manual runs silently, which is the wrong trade for a user who just clicked Run.
- Across deployments and CLI runs, the load step takes `flows.locks.warehouse_write_lock`
  (global limit `akhbar-warehouse-writer` + a file lock), so DuckDB only ever has one writer.
- Prefect's slots are not a queue: every waiting run retries on its own timer, so the first
  run to ask is not always the first to get the slot. `tidy_queue` (at start-up and every
  `QUEUE_TIDY_EVERY_S` while serving) keeps the waiting runs in order: of the scheduled runs
  that are due, only the newest is kept (the others are cancelled as superseded: an outage or
  a long run costs one catch-up run, not one per missed tick), and manual runs go before it,
  oldest first. It is re-applied every few seconds, so the order can still slip in the
  seconds after a slot frees; a manual run never waits behind more than one scheduled run.
- Stopping serve (Ctrl-C, SIGTERM) cancels its running flow runs (state Cancelled, message
  saying serve stopped), which releases their concurrency slots at once; the runs' staged
  batches stay for the next run. `pause_on_shutdown=False`: the schedules stay active, runs
  that come due meanwhile wait as Late (see above). A serve killed outright (SIGKILL, power
  loss) cannot do that: the next serve marks such orphans Crashed when it starts
  (`reap_orphans`).

Schedules live here (and in `--cron` / settings), not in the UI: a cron edited in the UI is
overwritten the next time serve starts, because serve re-applies these definitions.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import logging
import os
import re
import signal
import socket
import threading
import typing
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flows.meta import version
from flows.runlog import SERVED_ENV
from flows.settings import DEFAULT_DB, load_settings
from warehouse.lake import is_lake

DEFAULT_INGEST_CRON = "*/15 * * * *"
DEFAULT_REPORT_CRON = "0 6 * * *"
QUEUE_TIDY_EVERY_S = 10.0
TAGS = ["akhbar"]

log = logging.getLogger("akhbar.flows.deployments")

PORT_RECIPE = """\
Prefect on a port other than 4200: tell the UI where its API is BEFORE starting the server.
  export PREFECT_SERVER_UI_API_URL=http://127.0.0.1:4300/api
  prefect server start --port 4300
  export PREFECT_API_URL=http://127.0.0.1:4300/api
  akhbar serve"""


# --- names -----------------------------------------------------------------------------------

def schedule_slug(cron: str | None, timezone: str | None = None) -> str:
    """A deployment name that says the schedule: every-15-min, hourly, every-6-hours, daily-0600-utc.

    Crons that do not read as one of those get `custom-schedule` (the cron is in the description)."""
    if not cron:
        return "manual"
    tz = re.sub(r"[^a-z0-9]+", "-", (timezone or "UTC").lower()).strip("-")
    parts = cron.split()
    if len(parts) != 5 or parts[2:] != ["*", "*", "*"]:
        return "custom-schedule"
    minute, hour = parts[0], parts[1]
    if hour == "*" and (m := re.fullmatch(r"\*/(\d+)", minute)):
        return f"every-{int(m.group(1))}-min"
    if hour == "*" and minute == "*":
        return "every-minute"
    if hour == "*" and minute.isdigit():
        return "hourly"
    if minute.isdigit() and (m := re.fullmatch(r"\*/(\d+)", hour)):
        return f"every-{int(m.group(1))}-hours"
    if minute.isdigit() and hour.isdigit():
        return f"daily-{int(hour):02d}{int(minute):02d}-{tz}"
    return "custom-schedule"


# --- the deployments, as data ----------------------------------------------------------------

@dataclass(frozen=True)
class ServeConfig:
    """What `akhbar serve` was asked for (defaults from flows.settings)."""

    db: str
    catalog: str | None = None
    ingest_cron: str = DEFAULT_INGEST_CRON
    report_cron: str = DEFAULT_REPORT_CRON
    timezone: str | None = None
    allow_private_networks: bool = False

    @classmethod
    def from_settings(cls, *, cron: str | None = None, report_cron: str | None = None,
                      timezone: str | None = None, db: str | Path | None = None,
                      catalog: str | Path | None = None, allow_private_networks: bool = False) -> ServeConfig:
        settings = load_settings()
        catalog = catalog or settings.catalog
        db_value = str(db or DEFAULT_DB)  # a lake locator (ducklake:...) is kept as written
        if not is_lake(db_value):
            db_value = str(Path(db_value).expanduser().resolve())
        return cls(db=db_value,
                   catalog=str(Path(catalog).expanduser().resolve()) if catalog else None,
                   ingest_cron=cron or settings.ingest_cron or DEFAULT_INGEST_CRON,
                   report_cron=report_cron or settings.report_cron or DEFAULT_REPORT_CRON,
                   timezone=timezone or settings.schedule_timezone,
                   allow_private_networks=allow_private_networks)


@dataclass(frozen=True)
class DeploymentDef:
    """One deployment: which flow, which schedule (a ServeConfig field, or None: manual only),
    which of the serve settings become its default parameters, and what it does (one sentence)."""

    flow_module: str
    flow_attr: str
    does: str
    cron_field: str | None = None
    defaults: tuple[str, ...] = ("db",)
    required: bool = False  # False: skipped if its module is not there

    def cron(self, cfg: ServeConfig) -> str | None:
        return getattr(cfg, self.cron_field) if self.cron_field else None

    def name(self, cfg: ServeConfig) -> str:
        return schedule_slug(self.cron(cfg), cfg.timezone)

    def parameters(self, cfg: ServeConfig, flow) -> dict[str, Any]:
        accepted = inspect.signature(flow.fn).parameters
        values = {k: getattr(cfg, k) for k in self.defaults if k in accepted}
        # None would show in the UI form as "Property is type None"; a False flag is the default anyway
        return {k: v for k, v in values.items() if v not in (None, False)}


DEPLOYMENTS: tuple[DeploymentDef, ...] = (
    DeploymentDef("flows.ingest", "ingest", required=True, cron_field="ingest_cron",
                  defaults=("db", "catalog", "allow_private_networks"),
                  does="Poll every feed of the catalog, fetch and extract the new articles, cluster wire "
                       "stories and load them into the warehouse."),
    DeploymentDef("flows.report", "report", cron_field="report_cron",
                  does="Write the daily HTML report (volume per outlet, wire share, biggest stories) "
                       "next to the warehouse and attach its key figures to the run."),
    DeploymentDef("flows.reprocess", "reprocess",
                  does="Re-extract and re-cluster stored articles from the WARC archive (no network); "
                       "run it by hand after an extractor change."),
)


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


def concurrency_config():
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def describe(d: DeploymentDef, cfg: ServeConfig) -> str:
    cron = d.cron(cfg)
    when = (f"Schedule: `{cron}` ({cfg.timezone or 'UTC'}); one run at a time, extra runs wait their turn."
            if cron else "No schedule: start it from the UI (Run) or `prefect deployment run`.")
    return f"{d.does} Warehouse: `{cfg.db}`. {when}"


def deployment_options(d: DeploymentDef, cfg: ServeConfig, flow) -> dict[str, Any]:
    """Keyword arguments for `flow.to_deployment(**…)` (or `flow.deploy`) for one definition."""
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    cron = d.cron(cfg)
    return dict(
        name=d.name(cfg),
        schedules=[Cron(cron, timezone=cfg.timezone, slug=f"{flow.name}-schedule")] if cron else [],
        parameters=d.parameters(cfg, flow),
        description=describe(d, cfg),
        version=version(),
        tags=TAGS,
        concurrency_limit=concurrency_config(),
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def describe_parameters(deployment, flow) -> None:
    """Make the UI's custom-run form readable: a title and a description on every parameter, and
    no "value or None" type switch.

    Prefect 3.9 builds the schema from the signature and the docstring only: titles are the
    snake_case names and `Annotated[..., Field(title=, description=)]` texts are dropped. This
    copies them in (a humanised name when a flow gives no title), and turns `X | None = None`
    into a plain optional `X` field without a default (the description says what empty means):
    the form then leaves a blank field out of the run's parameters. A `format: date` /
    `date-time` field also gets the matching `pattern`: the server validates a run's parameters
    without a format checker, so only a pattern stops "yesterday" before the run is queued.
    Idempotent.
    """
    from pydantic.fields import FieldInfo

    from flows.params import FORMAT_PATTERNS

    hints = typing.get_type_hints(flow.fn, include_extras=True)
    props = deployment._parameter_openapi_schema.properties
    for name, prop in props.items():
        info = next((m for m in getattr(hints.get(name), "__metadata__", ()) if isinstance(m, FieldInfo)), None)
        prop["title"] = (info.title if info and info.title else None) or _title(name)
        if info and info.description and not prop.get("description"):
            prop["description"] = info.description
        for alt in [prop, *prop.get("anyOf", ())]:  # the server checks `pattern`, never `format`
            if alt.get("format") in FORMAT_PATTERNS and "pattern" not in alt:
                alt["pattern"] = FORMAT_PATTERNS[alt["format"]]
        if prop.get("default", "absent") is not None:
            continue
        # an optional field: no null default (the form would send null, which a plain type
        # rejects) and no "X or None" switch. Left empty, the form leaves it out: the flow's default.
        prop.pop("default")
        alternatives = prop.get("anyOf")
        kept = [a for a in alternatives or () if a.get("type") != "null"]
        if alternatives and len(kept) == 1:
            del prop["anyOf"]
            prop.update(kept[0])


def build_deployments(
    *,
    cron: str | None = None,
    report_cron: str | None = None,
    timezone: str | None = None,
    db: str | Path | None = None,
    catalog: str | Path | None = None,
    allow_private_networks: bool = False,
) -> list:
    """The RunnerDeployments to serve (those of DEPLOYMENTS whose module exists)."""
    cfg = ServeConfig.from_settings(cron=cron, report_cron=report_cron, timezone=timezone, db=db,
                                    catalog=catalog, allow_private_networks=allow_private_networks)
    out = []
    for d in DEPLOYMENTS:
        flow = optional_flow(d.flow_module, d.flow_attr)
        if flow is None:
            if d.required:
                raise RuntimeError(f"{d.flow_module}.{d.flow_attr} is not a flow")
            continue
        deployment = flow.to_deployment(**deployment_options(d, cfg, flow))
        describe_parameters(deployment, flow)
        out.append(deployment)
    return out


# --- housekeeping on the server --------------------------------------------------------------

def _deployments_by_name(client, full_names: list[str]) -> dict[str, Any]:
    from prefect.exceptions import ObjectNotFound

    found = {}
    for full_name in full_names:
        try:
            found[full_name] = client.read_deployment_by_name(full_name)
        except ObjectNotFound:
            continue
    return found


def _waiting_runs(client, deployment_id) -> list:
    """Runs of a deployment that have not started: Scheduled, Late, AwaitingConcurrencySlot."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    return client.read_flow_runs(
        flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        ),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        limit=200,
    )


def _next_try(run) -> datetime:
    return run.next_scheduled_start_time or run.expected_start_time or run.created


@dataclass
class QueueReport:
    superseded: int = 0
    reordered: int = 0
    messages: list[str] = field(default_factory=list)


def tidy_queue(deployment_names: list[str], now: datetime | None = None, gap_s: float = 2.0) -> QueueReport:
    """Keep each deployment's waiting runs in a sane order (see the module doc):

    1. of the auto-scheduled runs that are due (expected start <= now), only the newest stays;
       the older ones are cancelled with a message naming the run that supersedes them;
    2. the runs still waiting start in this order: manual runs oldest first, then the scheduled
       one. Runs whose next attempt is out of order get their next attempt moved `gap_s`
       behind the run before them (their state and name stay; only the time moves).
    Runs that are not due yet (future ticks) are left alone. `now` is for tests.
    """
    from prefect import get_client
    from prefect.states import Cancelled, Scheduled

    now = now or datetime.now(UTC)
    report = QueueReport()
    with get_client(sync_client=True) as client:
        for full_name, dep in _deployments_by_name(client, deployment_names).items():
            due = [r for r in _waiting_runs(client, dep.id)
                   if (r.expected_start_time or r.created) <= now]
            scheduled = sorted((r for r in due if r.auto_scheduled), key=lambda r: r.expected_start_time)
            keep = scheduled[-1:] if scheduled else []
            for run in scheduled[:-1]:
                client.set_flow_run_state(run.id, Cancelled(message=(
                    f"superseded by the run due at {keep[0].expected_start_time:%Y-%m-%d %H:%M} UTC "
                    f"({keep[0].name}): only the newest missed run of a schedule runs")), force=True)
                report.superseded += 1
            if len(scheduled) > 1:
                report.messages.append(f"{full_name}: cancelled {len(scheduled) - 1} superseded scheduled run(s), "
                                       f"kept {keep[0].name}")
            manual = sorted((r for r in due if not r.auto_scheduled), key=lambda r: r.created)
            queue = manual + keep
            for before, run in zip(queue, queue[1:], strict=False):
                if _next_try(run) > _next_try(before):
                    continue
                when = _next_try(before) + timedelta(seconds=gap_s)
                client.set_flow_run_state(run.id, Scheduled(
                    scheduled_time=when, name=run.state.name, message=f"waits behind {before.name}"))
                run.next_scheduled_start_time = when
                report.reordered += 1
    for message in report.messages:
        log.warning("%s", message)
    return report


def reap_orphans(deployment_names: list[str]) -> int:
    """Runs of these deployments left Running/Pending/Cancelling by a serve that was killed
    outright: their process (recorded by the run as `host:pid`) is gone from this host. Marked
    Crashed (Cancelled if a cancel was pending), which also frees their concurrency slots."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Cancelled, Crashed

    host = socket.gethostname()
    reaped = 0
    with get_client(sync_client=True) as client:
        deps = _deployments_by_name(client, deployment_names)
        if not deps:
            return 0
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[d.id for d in deps.values()]),
            state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]))), limit=200)
        for run in runs:
            owner_host, _, pid = (run.infrastructure_pid or "").rpartition(":")
            if owner_host != host or not pid.isdigit() or _alive(int(pid)):
                continue
            reason = f"its process ({run.infrastructure_pid}) is gone: the akhbar serve that ran it was killed"
            state = (Cancelled(message=f"cancelled; {reason}") if run.state.type == StateType.CANCELLING
                     else Crashed(message=f"{reason}; marked crashed by the next serve. Its staged batch, "
                                          "if any, is loaded by the next run."))
            client.set_flow_run_state(run.id, state, force=True)
            log.warning("%s: %s", run.name, reason)
            reaped += 1
    return reaped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def retire_superseded(deployments: list, cfg_db: str) -> list[str]:
    """Pause the schedules of this warehouse's served deployments that these ones replace (e.g.
    `ingest/akhbar` from before the names said the schedule, or `ingest/every-15-min` after
    `--cron` changed): same flow, same `db`, tag akhbar, no work pool, another name. Work-pool
    deployments and other warehouses' deployments are left alone."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterTags,
        FlowFilter,
        FlowFilterName,
    )

    current = {(d.flow_name, d.name) for d in deployments}
    flow_names = sorted({d.flow_name for d in deployments})
    retired = []
    with get_client(sync_client=True) as client:
        for dep in client.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=flow_names)),
                                           deployment_filter=DeploymentFilter(tags=DeploymentFilterTags(all_=TAGS))):
            flow = client.read_flow(dep.flow_id)
            if (flow.name, dep.name) in current or dep.work_pool_name or dep.paused:
                continue
            if (dep.parameters or {}).get("db") not in (cfg_db, None):
                continue
            client.pause_deployment(dep.id)
            retired.append(f"{flow.name}/{dep.name}")
            log.warning("paused %s/%s: replaced by %s (delete it in the UI once its history is not needed)",
                        flow.name, dep.name, ", ".join(f"{f}/{n}" for f, n in sorted(current) if f == flow.name))
    return retired


def check_ui_api_url(api_url: str) -> str | None:
    """A warning if the server's UI talks to another API address than ours (the UI would be blank)."""
    base = api_url.rstrip("/").removesuffix("/api")
    try:
        with urllib.request.urlopen(f"{base}/ui-settings", timeout=5) as r:
            ui_api = json.loads(r.read()).get("api_url") or ""
    except Exception:  # old server, auth in front of it: nothing to say
        return None
    from urllib.parse import urlsplit

    ours, theirs = urlsplit(api_url), urlsplit(ui_api)
    if ui_api and (ours.port, ours.path.rstrip("/")) != (theirs.port, theirs.path.rstrip("/")):
        return (f"the Prefect UI at {base} calls its API at {ui_api}, not {api_url}: the UI will stay empty. "
                f"Restart the server with PREFECT_SERVER_UI_API_URL={api_url} set.\n{PORT_RECIPE}")
    return None


# --- serving ---------------------------------------------------------------------------------

def _runner_class():
    from prefect.runner import Runner

    class AkhbarRunner(Runner):
        """Prefect's Runner with one stop path for SIGTERM and SIGINT (Ctrl-C).

        Prefect 3.9 cancels the runs on SIGTERM, but Ctrl-C ends `serve` at once and leaves its
        runs Running with their slots taken. Here both signals stop the runner the SIGTERM way:
        each running flow run gets the cancel intent and SIGTERM, ends Cancelled with a message
        saying why, and its slot is released."""

        stop_reason = "akhbar serve was stopped"

        def handle_sigterm(self, signum: int = signal.SIGTERM, *args: Any) -> None:
            name = signal.Signals(signum).name if signum else "signal"
            if not self.started or self._loop is None:
                raise KeyboardInterrupt  # before serving: nothing to clean up
            if self.stopping:
                log.warning("%s: already stopping (cancelling the running flow runs)", name)
                return
            running = len(self._process_manager.flow_run_ids()) if hasattr(self, "_process_manager") else 0
            log.warning("%s: stopping serve; cancelling %d running flow run(s)", name, running)
            self.stop_reason = f"akhbar serve was stopped ({name})"
            self.stopping = True
            self.execute_in_background(self.astop)

        async def cancel_all(self) -> None:
            await self._cancellation_manager.cancel_all(state_msg=(
                f"{self.stop_reason} while this run was going; the warehouse only changes in a "
                "load's single transaction, and a staged batch is loaded by the next run"))

    return AkhbarRunner


def _queue_tidier(names: list[str], every_s: float, stop: threading.Event) -> threading.Thread:
    def loop():
        while not stop.wait(every_s):
            try:
                tidy_queue(names)
            except Exception as exc:  # housekeeping never stops serving
                log.debug("queue tidy failed: %s", exc)

    thread = threading.Thread(target=loop, name="akhbar-queue-tidy", daemon=True)
    thread.start()
    return thread


def _print_start(deployments, api_url: str) -> None:
    ui = api_url.rstrip("/").removesuffix("/api")
    lines = ["akhbar serve: serving these deployments (Ctrl-C stops serve and cancels running runs):"]
    for d in deployments:
        cron = d.schedules[0].schedule.cron if d.schedules else None
        lines.append(f"  {d.flow_name + '/' + d.name:<32} {f'cron {cron}' if cron else 'manual'}")
    lines.append(f"UI: {ui}/deployments   version {version()}")
    print("\n".join(lines), flush=True)


def serve_deployments(
    *,
    cron: str | None = None,
    report_cron: str | None = None,
    timezone: str | None = None,
    db: str | Path | None = None,
    catalog: str | Path | None = None,
    allow_private_networks: bool = False,
    limit: int | None = None,
    tidy_every_s: float = QUEUE_TIDY_EVERY_S,
) -> None:
    """Register the deployments and serve them until interrupted (Ctrl-C / SIGTERM)."""
    from prefect.settings import get_current_settings

    api_url = get_current_settings().api.url
    if not api_url:
        raise SystemExit("akhbar serve needs a Prefect server: run `prefect server start`, then "
                         "`export PREFECT_API_URL=http://127.0.0.1:4200/api` (the throw-away server of a plain "
                         f"`akhbar ingest` has no scheduler and no UI).\n{PORT_RECIPE}")
    if warning := check_ui_api_url(api_url):
        log.warning("%s", warning)
    cfg = ServeConfig.from_settings(cron=cron, report_cron=report_cron, timezone=timezone, db=db,
                                    catalog=catalog, allow_private_networks=allow_private_networks)
    deployments = build_deployments(cron=cfg.ingest_cron, report_cron=cfg.report_cron, timezone=cfg.timezone,
                                    db=cfg.db, catalog=cfg.catalog, allow_private_networks=allow_private_networks)
    names = [f"{d.flow_name}/{d.name}" for d in deployments]
    os.environ[SERVED_ENV] = "1"  # the runs this process starts (see flows.runlog)

    runner = _runner_class()(pause_on_shutdown=False, limit=limit)
    for deployment in deployments:
        runner.add_deployment(deployment)
    for step, call in (("retire superseded deployments", lambda: retire_superseded(deployments, cfg.db)),
                       ("mark orphaned runs", lambda: reap_orphans(names)),
                       ("tidy the run queue", lambda: tidy_queue(names))):
        try:
            call()
        except Exception as exc:  # housekeeping must never stop the schedule from being served
            log.warning("could not %s: %s", step, exc)
    _print_start(deployments, api_url)
    stop = threading.Event()
    _queue_tidier(names, tidy_every_s, stop)
    previous = signal.signal(signal.SIGINT, lambda signum, frame: runner.handle_sigterm(signum))
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        signal.signal(signal.SIGINT, previous)
    log.warning("akhbar serve stopped")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m flows.deployments", description=__doc__.split("\n\n")[0],
                                epilog=PORT_RECIPE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cron", help=f"ingest schedule (default {DEFAULT_INGEST_CRON}, or AKHBAR_INGEST_CRON)")
    p.add_argument("--report-cron", help=f"report schedule (default {DEFAULT_REPORT_CRON}, or AKHBAR_REPORT_CRON)")
    p.add_argument("--timezone", help="IANA timezone for the cron schedules (default UTC)")
    p.add_argument("--db", help="default warehouse file of the deployments")
    p.add_argument("--catalog", help="default catalog TOML (default: bundled)")
    p.add_argument("--allow-private-networks", action="store_true",
                   help="default allow_private_networks=true (local mirrors, tests)")
    p.add_argument("--limit", type=int, default=None, help="max runs executing at once in this process")
    a = p.parse_args(argv)
    serve_deployments(cron=a.cron, report_cron=a.report_cron, timezone=a.timezone, db=a.db, catalog=a.catalog,
                      allow_private_networks=a.allow_private_networks, limit=a.limit)


if __name__ == "__main__":
    main()
