"""Sharded ingest on a Prefect work pool, and the lake's daily maintenance.

`akhbar deploy --pool NAME` registers three deployments on a Prefect *process* work pool; every
machine that runs `prefect worker start --pool NAME` (with akhbar installed, same version) picks
up their runs:

- `ingest-sharded/<name>` (cron): splits the catalog into shards of whole outlets
  (`tasks.shards.split_outlets`: an outlet is never split, so per-host politeness holds) and starts
  one `ingest/<name>` child run per shard with `run_deployment`, then waits for them.
  Parameters stay tiny (outlet ids, never page content: runs' parameters must be < 512 KB).
- `ingest/<name>` with `shard=True`: fetch, parse, extract, attribute and sign the shard's
  outlets, stage the batch on shared storage (`<shared dir>/staging`), then run the one serialized
  step — dedupe against the window + MERGE + post-load + `load_batches` row per batch, under the
  strict global concurrency limit `akhbar-warehouse-writer` — which loads *every* published
  batch, so whichever shard finishes last leaves nothing behind, and a batch left by a killed
  shard is loaded by the next run.
- `lake-maintenance/<name>` (daily): merge adjacent small Parquet files, expire old snapshots,
  delete files no snapshot needs (`warehouse.lake_ops.maintain`).

Entry points are module paths (`flows.workpool:ingest_sharded`), so workers import the installed
package: no image, no code storage; `db`/`catalog` are stored as absolute paths or lake locators.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

from prefect import flow, get_run_logger
from pydantic import Field

from flows import loading, tuning
from flows.settings import DEFAULT_DB, load_settings
from tasks.catalog import load_catalog
from tasks.shards import split_outlets
from warehouse import lake_ops, lake_search
from warehouse.errors import error_line
from warehouse.lake import is_lake

tuning.prepare_process()  # no wait for Prefect's heartbeat thread; imports frozen out of the GC's walks

DEFAULT_MAINTENANCE_CRON = "30 3 * * *"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@flow(name="ingest-sharded", log_prints=True, timeout_seconds=4 * 3600)
def ingest_sharded(
    catalog: Annotated[str | None, Field(description="Catalog TOML file; empty = the bundled catalog")] = None,
    db: Annotated[str, Field(description="Warehouse: DuckDB file, ducklake:/path or ducklake:postgres:<dsn>")] = str(DEFAULT_DB),
    shards: Annotated[int, Field(ge=1, le=1000, description="Number of shards (child runs); outlets are never split")] = 4,
    max_per_feed: Annotated[int | None, Field(ge=1, le=10_000, description="Cap on new articles fetched per feed")] = 100,
    allow_private_networks: Annotated[bool, Field(description="Allow loopback/private hosts (local mirrors, tests)")] = False,
    shard_deployment: Annotated[str, Field(description="Deployment that runs one shard")] = "ingest/akhbar",
    max_wait_s: Annotated[float, Field(description="How long to wait for the shard runs")] = 3 * 3600,
) -> dict:
    """Split the catalog into shards of whole outlets and run one child ingest per shard."""
    from prefect.deployments import run_deployment

    log = get_run_logger()
    groups = split_outlets(load_catalog(Path(catalog) if catalog else None), shards)
    runs = []
    for i, outlets in enumerate(groups):
        params: dict[str, Any] = dict(catalog=catalog, db=db, feeds=outlets, max_per_feed=max_per_feed,
                                      allow_private_networks=allow_private_networks, shard=True)
        run = run_deployment(shard_deployment, parameters=params, timeout=0, as_subflow=True,
                             flow_run_name=f"shard-{i + 1}-of-{len(groups)}")
        runs.append(run)
        log.info("shard %d/%d: %d outlets -> flow run %s", i + 1, len(groups), len(outlets), run.name)
    states = wait_for_runs([r.id for r in runs], max_wait_s)
    # Every shard loads all published batches; one more pass picks up a batch whose shard
    # died after staging it (the load is idempotent: a loaded batch is never applied twice).
    report = loading.load_all_pending(Path(db), load_settings())
    failed = [s for s in states.values() if s != "COMPLETED"]
    summary = {"shards": len(groups), "states": states, "loaded_after": report.loaded,
               "pending": report.pending, "failed": len(failed),
               "warnings": list(report.warnings)}  # what failed after that load (search index, snapshot)
    if is_lake(db):  # search reads a local index built from one lake snapshot
        try:
            summary["search"] = lake_search.build_search_file(db)
        except Exception as exc:  # a stale index is better than a failed run
            log.warning("lake search index not rebuilt: %s", exc)
            summary["warnings"].append(f"search index not rebuilt: {error_line(exc)}")
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(groups)} shard runs did not complete: {states}")
    return summary


def wait_for_runs(run_ids: list, max_wait_s: float, poll_s: float = 2.0) -> dict[str, str]:
    """Final state type of each flow run (or its current one at the deadline)."""
    from prefect import get_client

    deadline = time.monotonic() + max_wait_s
    states: dict[str, str] = {}
    with get_client(sync_client=True) as client:
        while True:
            for rid in run_ids:
                run = client.read_flow_run(rid)
                states[str(rid)] = run.state.type.value if run.state else "PENDING"
            if all(s in FINAL for s in states.values()) or time.monotonic() >= deadline:
                return states
            time.sleep(poll_s)


@flow(name="lake-maintenance", log_prints=True, timeout_seconds=6 * 3600)
def lake_maintenance(
    db: Annotated[str, Field(description="The DuckLake: ducklake:/path or ducklake:postgres:<dsn>")] = str(DEFAULT_DB),
    keep_days: Annotated[float, Field(ge=0, description="Expire snapshots older than this (time travel horizon)")] = 7,
) -> dict:
    """Daily: merge small Parquet files, expire old snapshots, delete unreferenced files."""
    if not is_lake(db):
        return {"skipped": "not a DuckLake warehouse"}
    from flows.locks import warehouse_write_lock

    # Under the writer slot: merging files rewrites tables, which would conflict with a load.
    with warehouse_write_lock(db, strict=True):
        done = lake_ops.maintain(Path(db), keep_days=keep_days)
    done["search"] = lake_search.build_search_file(db)
    return done


def _stored(value: str | Path | None) -> str | None:
    """A path as workers will see it (absolute); lake locators as written."""
    if value is None:
        return None
    text = str(value)
    return text if is_lake(text) else str(Path(text).expanduser().resolve())


def ensure_pool(pool: str) -> None:
    """Create the process work pool if it does not exist."""
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            try:
                client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
            except ObjectAlreadyExists:
                pass


def pool_deployments(*, db: str | Path | None, catalog: str | Path | None, cron: str, shards: int,
                     maintenance_cron: str = DEFAULT_MAINTENANCE_CRON, timezone: str | None = None,
                     name: str = "akhbar", allow_private_networks: bool = False) -> list:
    """The RunnerDeployments of the work-pool variant (data: which flow, schedule, parameters)."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from flows.ingest import ingest

    db_value, catalog_value = _stored(db or DEFAULT_DB), _stored(catalog)
    one_at_a_time = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    private = {"allow_private_networks": True} if allow_private_networks else {}
    specs = [
        (ingest, {"db": db_value, "catalog": catalog_value, "shard": True, **private}, None, None,
         "One shard of the sharded ingest (started by ingest-sharded; outlets in `feeds`)."),
        (ingest_sharded, {"db": db_value, "catalog": catalog_value, "shards": shards,
                          "shard_deployment": f"{ingest.name}/{name}", **private},
         Cron(cron, timezone=timezone, slug="ingest-sharded-cron"), one_at_a_time,
         f"Split the catalog into {shards} shards of whole outlets; one {ingest.name}/{name} run each. "
         f"Schedule `{cron}`."),
    ]
    if is_lake(db_value):
        specs.append((lake_maintenance, {"db": db_value}, Cron(maintenance_cron, timezone=timezone,
                                                               slug="lake-maintenance-daily"), one_at_a_time,
                      f"Merge small files, expire snapshots, clean old files. Schedule `{maintenance_cron}`."))
    out = []
    for flow_obj, params, schedule, limit, description in specs:
        out.append(flow_obj.to_deployment(
            name, parameters={k: v for k, v in params.items() if v is not None},
            schedules=[schedule] if schedule else None, concurrency_limit=limit, description=description,
            tags=["akhbar", "work-pool"], entrypoint_type=EntrypointType.MODULE_PATH))
    return out


def deploy_to_pool(pool: str, **kwargs) -> list[str]:
    """Register the work-pool deployments on `pool` (created as a process pool if missing).
    Returns the deployment names. Needs a Prefect server (PREFECT_API_URL)."""
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        raise SystemExit("akhbar deploy needs a Prefect server: set PREFECT_API_URL (see README, scale-out)")
    ensure_pool(pool)
    names = []
    for dep in pool_deployments(**kwargs):
        dep.apply(work_pool_name=pool)
        names.append(f"{dep.flow_name}/{dep.name}")
    from flows.locks import ensure_writer_limit

    ensure_writer_limit()  # exists before the first shard needs it (strict on a lake)
    return names
