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

from prefect import flow, get_run_logger
from pydantic import Field

from flows import loading, streaming, tuning
from flows.reporting import new_run_id, publish_markdown
from flows.settings import DEFAULT_DB, load_settings
from flows.streaming import _logger
from tasks import articles as articles_stage
from tasks import backfill as bf
from tasks import dask_exec, pool, rows, select, stories
from tasks.catalog import agency_outlets, load_catalog
from tasks.stream import Limits
from warehouse import queries
from warehouse.db import exists as warehouse_exists

tuning.prepare_process()  # no wait for Prefect's heartbeat thread; imports frozen out of the GC's walks

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

    warnings: list[str] = []  # what failed after a load without undoing it (search index, snapshot)
    if not dry_run:
        warnings += loading.load_all_pending(db_path, settings).warnings
    catalog = catalog or settings.catalog
    specs = load_catalog(Path(catalog) if catalog else None)
    own_services = agency_outlets(specs)
    matcher = bf.OutletMatcher({**bf.hosts_from_catalog(specs), **(outlets_by_host or {})})
    site_names = {s.source_id: s.source_name for s in specs}
    known_sources = ({r["source_id"] for r in queries.table_rows(db_path, "SELECT source_id FROM sources")}
                     if warehouse_exists(db_path) else set())
    read_counts: Counter = Counter()  # counted by the reading stage
    chunks = _Chunks(run_id=run_id, db_path=db_path, settings=settings, dry_run=dry_run, specs=specs,
                     known_sources=known_sources, boilerplate=stories.load_boilerplate(db_path),
                     agency_outlets=own_services, paths=paths, read_counts=read_counts)
    limits = Limits(workers=settings.extract_workers, chunk=batch_size, ahead=settings.pages_ahead)
    zones = {s.source_id: s.country for s in specs}
    for i, path in enumerate(paths, 1):
        log.info("reading %s (%d/%d, %.1f MB)", path, i, len(paths), path.stat().st_size / 1e6)

    def job_of(page):
        return articles_stage.job_for(page, site_names, zones)

    def finish(page, ext):
        return articles_stage.lighten(page), articles_stage.article_of(page, ext, run_id)

    # One stream: records are read and extracted while earlier chunks are deduped and loaded.
    def source(_stop):
        return bf.iter_pages(paths, matcher, read_counts, lambda ids: _settled(db_path, ids), chunks.seen)

    with dask_exec.executor(dask, dask_workers), pool.warm_workers(settings.extract_workers, 10 ** 6, keep_server=False):
        streaming.run_stream(source, job_of, articles_stage.run_job, finish, chunks, limits,
                             names=("read-warc", "extract", "dedupe-and-load"))
    counts = chunks.counts()
    for i, path in enumerate(paths, 1):
        size = path.stat().st_size
        _emit(dict(file=str(path), file_index=i, n_files=len(paths), bytes_done=size, file_bytes=size, counts=counts))
    load_state = chunks.loader.state()
    warnings += stories.failure_warning(chunks.went_wrong)

    seconds = time.monotonic() - started_mono
    markdown = _markdown(run_id, str(db_path), files, counts, dry_run, seconds, load_state)
    status = "completed (load deferred)" if chunks.loader.deferred else "completed"
    if not dry_run:
        params = dict(files=files, db=db, outlets_by_host=outlets_by_host, catalog=catalog, batch_size=batch_size)
        row = rows.run_row(run_id, "ingest-warc", started, seconds, status, params, new_articles=counts["stored"],
                      extracted_ok=counts["extracted_ok"], duplicates=counts["duplicates"], errors=counts["errors"],
                      summary_md=markdown)
        report = loading.stage_and_load(db_path, run_id, {"runs": [row]}, settings)
        warnings += report.warnings
    markdown += "".join(f"\n- warning: {w}" for w in warnings)
    publish_markdown(markdown, "akhbar-ingest-warc-summary")
    return {"run_id": run_id, "summary": markdown, "status": status, "warnings": warnings,
            **{k: int(v) for k, v in counts.items()}}


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
        *([f"- errors: {counts['errors']} (table run_errors)"] if counts["errors"] else []),
        f"- wall time: {seconds:.1f}s",
    ]) + "\n"


class _Chunks:
    """What a WARC backfill does with each chunk of extracted pages (dedupe-and-load stage): only
    Arabic articles not stored yet are kept, each once; outlet boilerplate learned and stripped;
    deduped against the warehouse (which holds the earlier chunks); staged and loaded."""

    def __init__(self, *, run_id, db_path, settings, dry_run, specs, known_sources, boilerplate, agency_outlets,
                 paths, read_counts) -> None:
        self.run_id, self.db_path, self.settings, self.dry_run = run_id, db_path, settings, dry_run
        self.specs, self.known_sources, self.boilerplate = specs, known_sources, boilerplate
        self.agency_outlets, self.paths, self.read_counts = agency_outlets, paths, read_counts
        self.own: Counter = Counter(stored=0, duplicates=0, extracted_ok=0, errors=0)  # (the reader: read_counts)
        self.seen: set[str] = set()  # article ids taken by this run (covers deferred loads and dry runs)
        self.loader = streaming.ChunkLoader(db_path, run_id, settings, dry_run)
        self.went_wrong: list[stories.StoriesResult] = []  # chunks whose matching, attribution or signatures failed
        # the clusters the run's chunks gave their articles: the last chunk places them all again,
        # in publication order, so the run's clusters do not depend on arrival order or chunk size
        self.placement = stories.RunPlacement()

    def counts(self) -> Counter:
        total = Counter(self.read_counts)
        total.update(self.own)  # (not `+`: it drops the zero counts)
        return total

    def __call__(self, chunk: list[tuple], last: bool = False) -> None:
        if not chunk:
            if last and self.placement.clusters:  # the run's articles are placed again all the same
                self.own["duplicates"] += self._dedupe([], last).duplicates_change
            return
        now = datetime.now(UTC)
        pages = [p for p, _ in chunk]
        arts = [a for _, a in chunk]
        canon_ids = [a.article_id for p, a in zip(pages, arts, strict=True) if a.article_id != p.entry.article_id]
        skip = self.seen | (_settled(self.db_path, canon_ids) if canon_ids else set())
        pages, arts = bf.keep_arabic(pages, arts, skip, self.own)
        pages, arts = articles_stage.one_per_article(pages, arts)
        articles_stage.finish_articles(arts, self.boilerplate, learn=True)
        clustered = self._dedupe(arts, last, load=False)
        errors = stories.failure_rows(self.run_id, now, arts, clustered)
        self.own["errors"] += len(errors)
        self.own["stored"] += len(arts)
        self.own["duplicates"] += len(clustered.duplicate_ids) + clustered.duplicates_change
        self.own["extracted_ok"] += sum(1 for a in arts if a.extraction.status == "ok")
        self.seen.update(a.article_id for a in arts)
        if (arts or clustered.tables) and not self.dry_run:  # (the last chunk's may place earlier ones again)
            touched = {a.source_id for a in arts}
            new_sources = bf.source_rows(touched, self.specs, self.known_sources, now)
            self.known_sources |= touched
            tables = dict(
                sources=new_sources,
                articles=[rows.article_row(a, self.run_id, 1) for a in arts],
                url_aliases=[dict(alias_id=p.entry.article_id, alias_url=p.entry.url, article_id=a.article_id)
                             for p, a in zip(pages, arts, strict=True) if p.entry.article_id != a.article_id],
                **stories.boilerplate_tables(self.boilerplate),
                run_errors=errors,
            )
            tables.update(clustered.tables)
            self.loader.load(tables, clustered, arts)
        elif arts or clustered.tables:
            self.loader.load({}, clustered, arts, write=False)
        last = chunk[-1][0]
        path = Path(last.warc_file) if last.warc_file else self.paths[-1]
        i = next((k for k, p in enumerate(self.paths, 1) if p.resolve() == path), len(self.paths))
        size = path.stat().st_size
        counts = self.counts()
        _logger().info("%s: %.0f%% — %d records, %d Arabic articles stored, %d wire copies, skipped: %s", path.name,
                       100 * (last.warc_offset or 0) / max(size, 1), counts["records"], counts["stored"],
                       counts["duplicates"], _skips(counts))
        _emit(dict(file=str(self.paths[i - 1]), file_index=i, n_files=len(self.paths),
                   bytes_done=last.warc_offset or 0, file_bytes=size, counts=counts))

    def _dedupe(self, arts: list, last: bool, load: bool = True) -> stories.StoriesResult:
        """Dedupe a chunk's articles (`stories.cluster_articles`, the run's placement kept in
        `placement`); load: an empty last chunk's tables (the run's articles placed again)."""
        clustered = stories.cluster_articles(arts, self.db_path, self.settings.dedupe_window_hours,
                                             self.agency_outlets, workers=self.settings.extract_workers,
                                             unloaded=self.loader.unloaded, last=last, alone_on_error=True,
                                             run=self.placement)
        if clustered.went_wrong:
            self.went_wrong.append(clustered)
        if load and clustered.tables:
            self.loader.load(dict(clustered.tables), clustered, arts, write=not self.dry_run)
        return clustered
