"""The `reprocess` flow: re-extract stored articles from the WARC archive (no network), re-run
dedupe for them and update their rows in place (same article_id).

Idempotent: the archive, the stored boilerplate model (read, never updated here) and the stored
feed hints are the only inputs, so a second run writes the same rows (timestamps aside).

Dedupe behaviour — cluster assignments are sticky. A re-extracted article that already belongs
to a cluster stays in it (cluster ids are stable identities that other rows and users point at;
re-placing a member would orphan or split a cluster whose other members are not being
reprocessed). What changes is everything measured from the text: its signature is replaced, and
each of its clusters is re-measured as a whole (`rescore_existing`): canonical copy, agency vote,
title, and every member's similarity / containment / is_canonical. A member whose new text no
longer matches its cluster therefore shows it in `cluster_members.containment`, where it can be
reviewed. Articles without a cluster (e.g. their first extraction failed) are placed like new
ones. Re-clustering from scratch is a separate job: delete the range's cluster rows, then run
this flow.

The work is plain functions in tasks/reprocess.py; batches of `batch_size` articles are read,
extracted, deduped and loaded one after the other, so memory stays bounded and every batch's
dedupe sees the earlier batches' new signatures.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from pydantic import Field

from flows import loading, runlog, streaming, tuning
from flows.meta import run_name, version
from flows.params import OptionalUtcTime, parse_window
from flows.reporting import new_run_id, publish_markdown
from flows.settings import DEFAULT_DB, load_settings
from flows.streaming import _logger
from tasks import articles as articles_stage
from tasks import dask_exec, pool, rows, stories
from tasks import reprocess as rp
from tasks.catalog import agency_outlets, load_catalog
from tasks.stream import Limits
from warehouse.db import WarehouseMissing
from warehouse.db import exists as warehouse_exists
from warehouse.paths import data_dir_for

tuning.prepare_process()  # no wait for Prefect's heartbeat thread; imports frozen out of the GC's walks

select_ids = task(name="select-articles", retries=2, retry_delay_seconds=5)(rp.select_article_ids)


def agency_outlets_of(catalog: str | None) -> dict[str, str]:
    """The outlets the catalog marks as a wire agency's own service, source_id -> agency (as
    ingest passes to dedupe)."""
    return agency_outlets(load_catalog(Path(catalog) if catalog else None))


@flow(name="reprocess", log_prints=True, timeout_seconds=6 * 3600, version=version(),
      flow_run_name=run_name("reprocess"),
      description="Re-extract and re-cluster stored articles from the WARC archive (no network), "
                  "updating their rows in place.")
@runlog.in_run_scope
def reprocess(
    db: Annotated[str, Field(title="Warehouse", description="DuckDB warehouse file (its WARC archive is <db stem>.d/archive/)")] = str(DEFAULT_DB),
    since: Annotated[OptionalUtcTime, Field(title="Published since", description="Only articles published (or, undated, fetched) at or after this time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], UTC unless it ends in Z or ±HH:MM. Empty: from the first article")] = None,
    until: Annotated[OptionalUtcTime, Field(title="Published before", description="Only articles published (or, undated, fetched) before this time (same forms). Empty: up to now")] = None,
    outlets: Annotated[list[str] | None, Field(title="Only these outlets", description="Only these outlets (source ids). Empty: every outlet")] = None,
    dry_run: Annotated[bool, Field(title="Dry run", description="Re-extract and dedupe, but write nothing")] = False,
    batch_size: Annotated[int, Field(ge=1, le=20_000, title="Batch size", description="Articles per extract/dedupe/load batch (1 to 20000)")] = 500,
    catalog: Annotated[str | None, Field(title="Catalog file", description="Catalog TOML naming the wire agencies' own outlets (canonical copies; the agency of their uncredited copies). Empty: AKHBAR_CATALOG or the bundled one")] = None,
    dask: Annotated[str | None, Field(title="Dask scheduler", description="Run extraction on this Dask scheduler (tcp://host:8786). Empty: this machine")] = None,
    dask_workers: Annotated[int | None, Field(ge=1, le=1024, title="Local Dask workers", description="Run extraction on a local Dask cluster of this many workers. Empty: no Dask (a process pool)")] = None,
) -> dict:
    started_mono = time.monotonic()
    started = datetime.now(UTC)
    log = get_run_logger()
    settings = load_settings()
    db_path = Path(db)
    since, until = parse_window(since, until)
    if not warehouse_exists(db_path):
        raise WarehouseMissing(f"no warehouse at {db_path}")
    archive_dir = data_dir_for(db_path) / "archive"
    run_id = new_run_id("reprocess")
    params = dict(db=db, since=since, until=until, outlets=outlets, dry_run=dry_run, batch_size=batch_size,
                  catalog=catalog)
    # the same agency outlets as ingest, or re-measuring a cluster would move its canonical copy
    # (and re-attribution would drop the agency of its own service's uncredited copies)
    own_services = agency_outlets_of(catalog or settings.catalog)

    warnings: list[str] = []  # what failed after a load without undoing it (search index, snapshot)
    if not dry_run:  # pending batches first: their articles may be in the range
        warnings += loading.load_all_pending(db_path, settings).warnings
    ids = select_ids(db_path, since, until, outlets)
    log.info("%d article(s) selected for re-extraction from %s", len(ids), archive_dir)
    site_names = rp.source_names(db_path)
    zones = rp.source_countries(db_path)
    chunks = _Chunks(run_id=run_id, db_path=db_path, settings=settings, dry_run=dry_run,
                     boilerplate=stories.load_boilerplate(db_path), agency_outlets=own_services, total=len(ids))
    limits = Limits(workers=settings.extract_workers, chunk=batch_size, ahead=settings.pages_ahead)

    def job_of(item: rp.Archived):
        return None if item.page is None else articles_stage.job_for(item.page, site_names, zones)

    def finish(item: rp.Archived, ext):
        if item.page is None:
            return item, None
        art = rp.keep_identity(articles_stage.article_of(item.page, ext, run_id), item.row)
        return rp.Archived(item.row, articles_stage.lighten(item.page)), art

    # One stream: archived pages are read and re-extracted while earlier chunks are deduped and
    # loaded; each chunk's dedupe sees the chunks loaded before it.
    with dask_exec.executor(dask, dask_workers), pool.warm_workers(settings.extract_workers, len(ids), keep_server=False):
        streaming.run_stream(lambda _stop: rp.iter_archived(db_path, ids, archive_dir), job_of, articles_stage.run_job, finish,
                             chunks, limits, names=("read-archive", "re-extract", "dedupe-and-load"))
    total = chunks.total_counts
    load_state = chunks.loader.state()
    warnings += stories.failure_warning(chunks.went_wrong)  # each also a run_errors row

    seconds = time.monotonic() - started_mono
    markdown = total.markdown(run_id, str(db_path), dry_run, seconds, load_state)
    status = "completed (load deferred)" if chunks.loader.deferred else "completed"
    if not dry_run:
        row = rows.run_row(run_id, "reprocess", started, seconds, status, params, new_articles=0,
                      extracted_ok=total.ok, duplicates=total.duplicates,
                      errors=total.regressed + total.missing_record + chunks.failure_rows, summary_md=markdown)
        report = loading.stage_and_load(db_path, run_id, {"runs": [row]}, settings)
        warnings += report.warnings
    markdown += "".join(f"\n- warning: {w}" for w in warnings)
    publish_markdown(markdown, "akhbar-reprocess-summary")
    return {"run_id": run_id, "summary": markdown, "status": status, "selected": total.selected,
            "reextracted": total.reextracted, "changed": total.changed, "regressed": total.regressed,
            "not_archived": total.not_archived, "missing_record": total.missing_record,
            "extractor_versions": dict(total.extractor_versions), "warnings": warnings}


class _Chunks:
    """What a reprocess run does with each chunk of re-extracted articles (dedupe-and-load stage):
    the stored boilerplate model applied (never learned from again), worse re-extractions kept
    out, clusters re-measured, rows replaced in place."""

    def __init__(self, *, run_id, db_path, settings, dry_run, boilerplate, agency_outlets, total) -> None:
        self.run_id, self.db_path, self.settings, self.dry_run = run_id, db_path, settings, dry_run
        self.boilerplate, self.agency_outlets, self.total = boilerplate, agency_outlets, total
        self.total_counts = rp.ReprocessCounts()
        self.loader = streaming.ChunkLoader(db_path, run_id, settings, dry_run)
        self.done = 0
        self.went_wrong: list[stories.StoriesResult] = []  # chunks whose matching, attribution or signatures failed
        self.failure_rows = 0

    def __call__(self, chunk: list[tuple], last: bool = False) -> None:
        if not chunk:
            return
        now = datetime.now(UTC)
        batch = rp.batch_of([item for item, _ in chunk])
        arts = [art for _, art in chunk if art is not None]
        articles_stage.finish_articles(arts, self.boilerplate, learn=False)
        arts, stored, regressed = rp.split_regressed(arts, batch.stored)
        clustered = stories.cluster_articles(arts, self.db_path, self.settings.dedupe_window_hours,
                                             self.agency_outlets, rescore_existing=True,
                                             workers=self.settings.extract_workers, unloaded=self.loader.unloaded,
                                             last=last)
        new_rows = rp.article_rows(arts, stored)
        counts = rp.count_batch(batch, arts, new_rows, stored, regressed, len(clustered.duplicate_ids),
                                len(clustered.tables.get("story_clusters", [])))
        self.total_counts.add(counts)
        self.done += len(chunk)
        failures = stories.failure_rows(self.run_id, now, arts, clustered)  # matching/attribution/signature
        if clustered.went_wrong:
            self.went_wrong.append(clustered)
            self.failure_rows += len(failures)
        tables = dict(articles=new_rows, run_errors=rp.error_rows(self.run_id, batch, regressed, now) + failures)
        tables.update(clustered.tables)
        self.loader.load(tables, clustered, arts, write=bool(new_rows or tables["run_errors"]))
        _logger().info("%d/%d articles done — %d re-extracted (%d changed), %d kept, %d not archived",
                       self.done, self.total, counts.reextracted, counts.changed, counts.regressed,
                       counts.not_archived + counts.missing_record)
