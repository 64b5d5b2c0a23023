"""The `ingest-warc` flow: backfill the warehouse from external WARC files (CC-NEWS style) through
the same extract → dedupe → load path as `ingest`, keeping Arabic articles only.

Files are read record by record in batches of `batch_size` candidate records; each batch is
extracted, deduped (against the warehouse, which holds the earlier batches) and loaded before
the next is read, so memory stays bounded by the batch whatever the file size. Re-running on the
same files adds nothing: stored articles are skipped before extraction.

Progress: a log line per batch (Prefect UI / logs); callers in the same process (the CLI) can also
subscribe with `progress_sink(fn)` to draw a progress bar. Plain work is in tasks/backfill.py.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.utilities.annotations import quote
from pydantic import Field

from flows import loading
from flows.reporting import new_run_id, publish_markdown
from flows.reprocess import load_batch
from flows.settings import DEFAULT_DB, load_settings
from tasks import articles as articles_stage
from tasks import backfill as bf
from tasks import dask_exec, rows, select, stories
from tasks.catalog import load_catalog
from warehouse import queries
from warehouse.db import exists as warehouse_exists

extract_articles = task(name="extract")(articles_stage.build_articles)
dedupe_articles = task(name="dedupe", retries=1)(stories.cluster_articles)
load_task = task(name="load-batch", retries=1, retry_delay_seconds=5)(load_batch)

ProgressEvent = dict  # file, file_index, n_files, bytes_done, file_bytes, counts (Counter)
_sinks: list[Callable[[ProgressEvent], None]] = []


@contextmanager
def progress_sink(fn: Callable[[ProgressEvent], None]) -> Iterator[None]:
    """Receive a progress event after every batch (and at the end of every file) of runs in this process."""
    _sinks.append(fn)
    try:
        yield
    finally:
        _sinks.remove(fn)


def _emit(event: ProgressEvent) -> None:
    for fn in list(_sinks):
        try:
            fn(event)
        except Exception:  # a broken progress display must not break the run
            pass


def _settled(db_path: Path, ids: list[str]) -> set[str]:
    known = queries.known_articles(db_path, sorted(set(ids)))
    return {aid for aid, row in known.items() if select.is_settled(row)}


@flow(name="ingest-warc", log_prints=True, timeout_seconds=24 * 3600)
def ingest_warc(
    files: Annotated[list[str], Field(min_length=1, description="WARC files (.warc / .warc.gz) to read")],
    db: Annotated[str, Field(description="DuckDB warehouse file")] = str(DEFAULT_DB),
    outlets_by_host: Annotated[dict[str, str] | None, Field(description="host → source_id, on top of the catalog's feed hosts")] = None,
    dry_run: Annotated[bool, Field(description="Read and extract, but write nothing")] = False,
    catalog: Annotated[str | None, Field(description="Catalog TOML for host matching and agency outlets; empty = AKHBAR_CATALOG or the bundled one")] = None,
    batch_size: Annotated[int, Field(ge=1, le=10_000, description="Candidate records per extract/dedupe/load batch")] = bf.DEFAULT_BATCH,
    dask: Annotated[str | None, Field(description="Run extraction on this Dask scheduler (tcp://host:8786); empty = this machine")] = None,
    dask_workers: Annotated[int | None, Field(ge=1, le=1024, description="Run extraction on a local Dask cluster of this many workers")] = None,
) -> dict:
    started_mono = time.monotonic()
    started = datetime.now(UTC)
    log = get_run_logger()
    settings = load_settings()
    db_path = Path(db)
    run_id = new_run_id("warc")
    paths = [Path(f) for f in files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such WARC file(s): {', '.join(missing)}")

    if not dry_run:
        loading.load_all_pending(db_path, settings)
    catalog = catalog or settings.catalog
    specs = load_catalog(Path(catalog) if catalog else None)
    agency_outlets = frozenset(s.source_id for s in specs if s.agency)
    matcher = bf.OutletMatcher({**bf.hosts_from_catalog(specs), **(outlets_by_host or {})})
    site_names = {s.source_id: s.source_name for s in specs}
    known_sources = ({r["source_id"] for r in queries.table_rows(db_path, "SELECT source_id FROM sources")}
                     if warehouse_exists(db_path) else set())
    boilerplate = stories.load_boilerplate(db_path)
    counts: Counter = Counter()
    seen: set[str] = set()  # article ids taken by this run (covers deferred loads and dry runs)
    load_state = "n/a" if dry_run else "ok"

    with dask_exec.executor(dask, dask_workers):  # where extraction runs: local processes or Dask
        for i, path in enumerate(paths, 1):
            size = path.stat().st_size
            log.info("reading %s (%d/%d, %.1f MB)", path, i, len(paths), size / 1e6)
            for batch in bf.iter_batches(path, batch_size, counts):
                now = datetime.now(UTC)
                entries = [bf.entry_for(r, matcher) for r in batch]
                skip = seen | _settled(db_path, [e.article_id for e in entries if e])
                pages = bf.pages_for(batch, entries, skip, counts)
                arts = extract_articles(quote(pages), site_names, settings.extract_workers, None, run_id,
                                        zones={s.source_id: s.country for s in specs})
                canon_ids = [a.article_id for p, a in zip(pages, arts, strict=True) if a.article_id != p.entry.article_id]
                skip |= _settled(db_path, canon_ids) if canon_ids else set()
                pages, arts = bf.keep_arabic(pages, arts, skip, counts)
                pages, arts = articles_stage.one_per_article(pages, arts)
                articles_stage.finish_articles(arts, boilerplate, learn=True)
                clustered = dedupe_articles(quote(arts), db_path, settings.dedupe_window_hours, agency_outlets)
                counts["stored"] += len(arts)
                counts["duplicates"] += len(clustered.duplicate_ids)
                counts["extracted_ok"] += sum(1 for a in arts if a.extraction.status == "ok")
                seen.update(a.article_id for a in arts)
                if arts and not dry_run:
                    touched = {a.source_id for a in arts}
                    new_sources = bf.source_rows(touched, specs, known_sources, now)
                    known_sources |= touched
                    tables = dict(
                        sources=new_sources,
                        articles=[rows.article_row(a, run_id, 1) for a in arts],
                        url_aliases=[dict(alias_id=p.entry.article_id, alias_url=p.entry.url, article_id=a.article_id)
                                     for p, a in zip(pages, arts, strict=True) if p.entry.article_id != a.article_id],
                        **stories.boilerplate_tables(boilerplate),
                    )
                    tables.update(clustered.tables)
                    report = load_task(db_path, run_id, quote(tables), settings)
                    if report.error:
                        load_state = f"deferred ({report.error[:80]})"
                done = batch[-1].offset
                log.info("%s: %.0f%% — %d records, %d Arabic articles stored, %d wire copies, skipped: %s",
                         path.name, 100 * done / max(size, 1), counts["records"], counts["stored"],
                         counts["duplicates"], _skips(counts))
                _emit(dict(file=str(path), file_index=i, n_files=len(paths), bytes_done=done, file_bytes=size,
                           counts=counts))
            _emit(dict(file=str(path), file_index=i, n_files=len(paths), bytes_done=size, file_bytes=size,
                       counts=counts))

    seconds = time.monotonic() - started_mono
    markdown = _markdown(run_id, str(db_path), files, counts, dry_run, seconds, load_state)
    status = "completed" if load_state in ("ok", "n/a") else "completed (load deferred)"
    if not dry_run:
        params = dict(files=files, db=db, outlets_by_host=outlets_by_host, catalog=catalog, batch_size=batch_size)
        row = rows.run_row(run_id, "ingest-warc", started, seconds, status, params, new_articles=counts["stored"],
                      extracted_ok=counts["extracted_ok"], duplicates=counts["duplicates"], errors=0,
                      summary_md=markdown)
        loading.stage_and_load(db_path, run_id, {"runs": [row]}, settings)
    publish_markdown(markdown, "akhbar-ingest-warc-summary")
    return {"run_id": run_id, "summary": markdown, "status": status, **{k: int(v) for k, v in counts.items()}}


def _skips(counts: Counter) -> str:
    parts = [f"{k.removeprefix('skipped_')} {v}" for k, v in sorted(counts.items()) if k.startswith("skipped_") and v]
    return ", ".join(parts) or "none"


def _markdown(run_id: str, db: str, files: list[str], counts: Counter, dry_run: bool, seconds: float,
              load: str) -> str:
    return "\n".join([
        f"# akhbar ingest-warc {run_id}",
        "",
        f"- warehouse: `{db}` — load: {load}{' (dry run: nothing written)' if dry_run else ''}",
        f"- files: {len(files)}, response records: {counts['records']}",
        f"- stored: {counts['stored']} Arabic articles ({counts['extracted_ok']} extracted ok),"
        f" {counts['duplicates']} wire copies",
        f"- skipped: {_skips(counts)}",
        f"- wall time: {seconds:.1f}s",
    ]) + "\n"
