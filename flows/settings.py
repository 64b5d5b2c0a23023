"""The one place that reads configuration (environment variables with embedded defaults).

Everything else receives plain values from here, so a run's behaviour is fully described by
its parameters plus this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tasks.http import DEFAULT_USER_AGENT
from warehouse import lake

# Telemetry off before Prefect is imported anywhere (it phones home otherwise).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

DEFAULT_DB = Path(os.environ.get("AKHBAR_DB", "data/akhbar.duckdb"))
# A DuckLake on PostgreSQL (AKHBAR_DB=ducklake:postgres:<dsn>) keeps its staged batches, WARC
# archive and search index in a directory every machine mounts, and its Parquet data under
# AKHBAR_LAKE_DATA (default <shared dir>/lake/; may be s3://bucket/prefix/). See warehouse/lake.py.
lake.configure(shared_dir=os.environ.get("AKHBAR_SHARED_DIR") or None,
               lake_data=os.environ.get("AKHBAR_LAKE_DATA") or None)


class SettingsError(ValueError):
    """An AKHBAR_* environment variable holds a value that cannot be used."""


def _number(name: str, default, cast, kind: str):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return cast(default)
    try:
        return cast(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not {kind} (default {default})") from None


def _float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def _int(name: str, default: int) -> int:
    return _number(name, default, int, "a whole number")


@dataclass(frozen=True)
class Settings:
    """Tunables with the defaults a polite crawler of real news sites wants."""

    user_agent: str = os.environ.get("AKHBAR_USER_AGENT", DEFAULT_USER_AGENT)
    per_host_min_interval_s: float = field(default_factory=lambda: _float("AKHBAR_HOST_INTERVAL_S", 1.0))
    per_host_concurrency: int = field(default_factory=lambda: _int("AKHBAR_HOST_CONCURRENCY", 2))
    global_concurrency: int = field(default_factory=lambda: _int("AKHBAR_CONCURRENCY", 16))
    connect_timeout_s: float = field(default_factory=lambda: _float("AKHBAR_CONNECT_TIMEOUT_S", 10.0))
    read_timeout_s: float = field(default_factory=lambda: _float("AKHBAR_READ_TIMEOUT_S", 20.0))
    total_timeout_s: float = field(default_factory=lambda: _float("AKHBAR_TOTAL_TIMEOUT_S", 60.0))
    max_feed_bytes: int = field(default_factory=lambda: _int("AKHBAR_MAX_FEED_BYTES", 10_000_000))
    max_page_bytes: int = field(default_factory=lambda: _int("AKHBAR_MAX_PAGE_BYTES", 5_000_000))
    max_retries: int = field(default_factory=lambda: _int("AKHBAR_MAX_RETRIES", 2))
    # A response body delivering less than 1 KiB in this many seconds is abandoned as stalled.
    stall_s: float = field(default_factory=lambda: _float("AKHBAR_STALL_S", 10.0))
    # The fetch stage of one run (feeds, then pages) ends this long after it starts: what is not
    # fetched by then is queued for the next run. Capped below the flow's timeout (flows/ingest.py).
    fetch_deadline_s: float = field(default_factory=lambda: _float("AKHBAR_FETCH_DEADLINE_S", 2700.0))
    # The ingest flow's own time limit (read when the flow module is imported). A run stopped by it
    # still records what it fetched (flows/salvage.py).
    flow_timeout_s: float = field(default_factory=lambda: _float("AKHBAR_FLOW_TIMEOUT_S", 3 * 3600.0))
    # A host (name and port) that timed out this many times is skipped for the rest of the run (0: never).
    host_max_timeouts: int = field(default_factory=lambda: _int("AKHBAR_HOST_MAX_TIMEOUTS", 2))
    extract_workers: int = field(default_factory=lambda: _int("AKHBAR_EXTRACT_WORKERS", os.cpu_count() or 1))
    dedupe_window_hours: int = field(default_factory=lambda: _int("AKHBAR_DEDUPE_WINDOW_H", 72))
    # A run is a stream: pages are extracted as they arrive, articles deduped and loaded in chunks
    # of this many; a run holds one chunk plus the pages in flight (AKHBAR_PAGES_AHEAD).
    chunk_size: int = field(default_factory=lambda: _int("AKHBAR_CHUNK_SIZE", 256))
    pages_ahead: int = field(default_factory=lambda: _int("AKHBAR_PAGES_AHEAD", 64))
    # DuckDB's memory on the connection a run loads through (search-index sync included): beyond
    # it DuckDB spills sorts and joins to its temp directory, so a run's memory does not grow with
    # the warehouse. "" = DuckDB's default (80 % of the machine's memory). 96MB: below it a load
    # spills more (64MB: slower); above it DuckDB keeps more of the blocks it read (256MB: +90 MB at
    # a run's peak; bench/RESULTS.md "Stream memory"). A run on a 1M-article warehouse loads at the
    # same speed under it (bench/RESULTS.md "One run as a stream", session 8), and rebuilds its
    # search index about as fast as under the 2 GB of `akhbar search --reindex` (bench/RESULTS.md
    # "Search index: a full rebuild under a run's DuckDB limit").
    duckdb_memory: str = field(default_factory=lambda: os.environ.get("AKHBAR_DUCKDB_MEMORY", "96MB").strip())
    disable_after_failures: int = field(default_factory=lambda: _int("AKHBAR_DISABLE_AFTER", 20))
    lock_wait_s: float = field(default_factory=lambda: _float("AKHBAR_LOCK_WAIT_S", 30.0))
    # A flow run (deployment, UI) waits this long for another ingest on the same warehouse;
    # `akhbar ingest` exits at once instead unless given --wait.
    run_lock_wait_s: float = field(default_factory=lambda: _float("AKHBAR_RUN_WAIT_S", 900.0))
    # The read-only snapshot (a full copy of the warehouse file; 0 = never) is republished ...
    publish_snapshot: bool = field(default_factory=lambda: os.environ.get("AKHBAR_SNAPSHOT", "1") != "0")
    # ... after every load while the file is at most this big (the copy takes about a second) ...
    snapshot_small_mb: float = field(default_factory=lambda: _float("AKHBAR_SNAPSHOT_SMALL_MB", 512))
    # ... and beyond that only when the published snapshot is older than this (hours).
    snapshot_every_h: float = field(default_factory=lambda: _float("AKHBAR_SNAPSHOT_EVERY_H", 6))
    # A progress line in a flow run's log during a long stage, at most this often (seconds).
    progress_every_s: float = field(default_factory=lambda: _float("AKHBAR_PROGRESS_EVERY_S", 15.0))
    # Schedules (used by flows/deployments.py; `akhbar serve --cron` overrides).
    ingest_cron: str = field(default_factory=lambda: os.environ.get("AKHBAR_INGEST_CRON", "*/15 * * * *"))
    report_cron: str = field(default_factory=lambda: os.environ.get("AKHBAR_REPORT_CRON", "0 6 * * *"))
    schedule_timezone: str | None = field(default_factory=lambda: os.environ.get("AKHBAR_TIMEZONE") or None)
    catalog: str | None = field(default_factory=lambda: os.environ.get("AKHBAR_CATALOG") or None)


def load_settings() -> Settings:
    return Settings()
