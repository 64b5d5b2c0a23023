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
from prefect.utilities.annotations import quote
from pydantic import Field

from flows import loading, runlog
from flows.meta import run_name, version
from flows.params import OptionalUtcTime, parse_window
from flows.reporting import new_run_id, publish_markdown
from flows.settings import DEFAULT_DB, Settings, load_settings
from tasks import dask_exec, rows, stories
from tasks import reprocess as rp
from tasks.catalog import load_catalog
from warehouse.db import WarehouseMissing
from warehouse.db import exists as warehouse_exists
from warehouse.load import LoadReport
from warehouse.paths import data_dir_for

select_ids = task(name="select-articles", retries=2, retry_delay_seconds=5)(rp.select_article_ids)
read_rows = task(name="read-stored-rows", retries=2, retry_delay_seconds=5)(rp.stored_rows)
read_archive = task(name="read-archive")(rp.read_archived)
extract_articles = task(name="re-extract")(rp.rebuild_articles)
dedupe_articles = task(name="dedupe", retries=1)(stories.cluster_articles)


def load_batch(db_path: Path, run_id: str, tables: dict[str, list[dict]], settings: Settings) -> LoadReport:
    """One batch of a long run, loaded without the search rebuild and snapshot copy (a full-file
    copy per batch would dominate a big backfill); the run's final load finalizes once."""
    return loading.stage_and_load(db_path, run_id, tables, settings, finalize=False)


load_task = task(name="load-batch", retries=1, retry_delay_seconds=5)(load_batch)


def agency_outlets_of(catalog: str | None) -> frozenset[str]:
    """Source ids the catalog marks as a wire agency's own service (as ingest passes to dedupe)."""
    return frozenset(s.source_id for s in load_catalog(Path(catalog) if catalog else None) if s.agency)


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
    catalog: Annotated[str | None, Field(title="Catalog file", description="Catalog TOML naming the wire agencies' own outlets (canonical copies). Empty: AKHBAR_CATALOG or the bundled one")] = None,
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
    agency_outlets = agency_outlets_of(catalog or settings.catalog)

    if not dry_run:  # pending batches first: their articles may be in the range
        loading.load_all_pending(db_path, settings)
    ids = select_ids(db_path, since, until, outlets)
    log.info("%d article(s) selected for re-extraction from %s", len(ids), archive_dir)
    boilerplate = stories.load_boilerplate(db_path)
    site_names = rp.source_names(db_path)
    total = rp.ReprocessCounts()
    load_state = "n/a" if dry_run else "ok"
    with dask_exec.executor(dask, dask_workers):  # where extraction runs: local processes or Dask
        for n, batch_ids in enumerate(rp.chunks(ids, batch_size), 1):
            now = datetime.now(UTC)
            batch = read_archive(quote(read_rows(db_path, batch_ids)), archive_dir)
            arts = extract_articles(quote(batch), site_names, settings.extract_workers, boilerplate, run_id,
                                    rp.source_countries(db_path))
            arts, stored, regressed = rp.split_regressed(arts, batch.stored)
            clustered = dedupe_articles(quote(arts), db_path, settings.dedupe_window_hours, agency_outlets,
                                        rescore_existing=True)
            new_rows = rp.article_rows(arts, stored)
            counts = rp.count_batch(batch, arts, new_rows, stored, regressed, len(clustered.duplicate_ids),
                                    len(clustered.tables.get("story_clusters", [])))
            total.add(counts)
            tables = dict(articles=new_rows, run_errors=rp.error_rows(run_id, batch, regressed, now))
            tables.update(clustered.tables)
            if not dry_run and (new_rows or tables["run_errors"]):
                report = load_task(db_path, run_id, quote(tables), settings)
                if report.error:
                    load_state = f"deferred ({report.error[:80]})"
            log.info("batch %d: %d/%d articles done — %d re-extracted (%d changed), %d kept, %d not archived",
                     n, min(n * batch_size, len(ids)), len(ids), counts.reextracted, counts.changed,
                     counts.regressed, counts.not_archived + counts.missing_record)

    seconds = time.monotonic() - started_mono
    markdown = total.markdown(run_id, str(db_path), dry_run, seconds, load_state)
    status = "completed" if load_state in ("ok", "n/a") else "completed (load deferred)"
    if not dry_run:
        row = rows.run_row(run_id, "reprocess", started, seconds, status, params, new_articles=0,
                      extracted_ok=total.ok, duplicates=total.duplicates,
                      errors=total.regressed + total.missing_record, summary_md=markdown)
        loading.stage_and_load(db_path, run_id, {"runs": [row]}, settings)
    publish_markdown(markdown, "akhbar-reprocess-summary")
    return {"run_id": run_id, "summary": markdown, "status": status, "selected": total.selected,
            "reextracted": total.reextracted, "changed": total.changed, "regressed": total.regressed,
            "not_archived": total.not_archived, "missing_record": total.missing_record,
            "extractor_versions": dict(total.extractor_versions)}
