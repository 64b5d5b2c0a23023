"""One writer at a time for the DuckDB warehouse, across processes and across Prefect runs.

`warehouse_write_lock(db_path)` is held around the load step (the only place that opens the
warehouse read-write). It stacks two locks, always taken in the same order:

1. A Prefect **global concurrency limit** `akhbar-warehouse-writer` (limit 1), only when a real
   Prefect server is configured (`PREFECT_API_URL` set, e.g. `prefect server start`). A scheduled
   deployment run, a run started from the UI and a CLI run pointed at the same server then
   queue for one slot, and the holder is visible in the UI (Concurrency → Global). The limit is
   created on first use if it is missing. Slots are leases the client renews; the server takes
   back the slot of a process that died.
2. An OS file lock (`flock`) on `<db>.d/write.lock`, always. It is what serialises plain CLI
   runs on the ephemeral server, and the OS releases it when a process dies, so a crash can
   never leave the warehouse locked.

The global limit is skipped on the ephemeral server on purpose: every CLI process starts its own
throw-away API server, the ephemeral server does not run the lease "repossessor", and its leases
live in that process's memory. A run killed while holding a slot would leave the slot taken for
good in the shared SQLite database and the next run would wait forever.

Waiting is bounded: past `timeout_s` the lock raises `WarehouseWriteBusy`, and
`flows.loading.load_all_pending` turns that into a deferred load (the batch stays staged and the next run
loads it), the same outcome as the DuckDB-level lock timeout in `warehouse.load`.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.paths import data_dir_for

LIMIT_NAME = "akhbar-warehouse-writer"
DEFAULT_TIMEOUT_S = 900.0
LEASE_S = 300.0

log = logging.getLogger("akhbar.flows.locks")
_limit_ready: set[str] = set()  # API URLs on which the limit is known to exist


class WarehouseWriteBusy(TimeoutError):
    """Another writer held the warehouse for longer than the caller was willing to wait."""


def api_url() -> str | None:
    """The configured Prefect API, or None when runs use the ephemeral (throw-away) server."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def ensure_writer_limit(limit: int = 1) -> bool:
    """Create the global limit if it is missing. True if it exists (or was created) and is active."""
    url = api_url()
    if not url:
        return False
    if url in _limit_ready:
        return True
    from prefect import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            existing = client.read_global_concurrency_limit_by_name(LIMIT_NAME)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=LIMIT_NAME, limit=limit))
                log.info("created global concurrency limit %r (limit %d)", LIMIT_NAME, limit)
            except ObjectAlreadyExists:  # another process created it first
                pass
        else:
            if not existing.active or existing.limit != limit:
                # An operator changed it in the UI: respect that, but say what it means.
                log.warning("global concurrency limit %r is %s with limit %d; the file lock still "
                            "keeps one writer per host", LIMIT_NAME,
                            "active" if existing.active else "INACTIVE", existing.limit)
    _limit_ready.add(url)
    return True


def lock_file_for(db_path: Path | str) -> Path:
    return data_dir_for(Path(db_path)) / "write.lock"


@contextmanager
def _file_lock(path: Path, timeout_s: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        delay = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseWriteBusy(f"{path} is held by another writer (waited {timeout_s:.0f}s)") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def warehouse_write_lock(db_path: Path | str, timeout_s: float | None = None) -> Iterator[None]:
    """Hold the warehouse's single writer slot for the duration of the block.

    Raises `WarehouseWriteBusy` if the slot is not free within `timeout_s` (default 15 min).
    """
    timeout_s = DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s
    started = time.monotonic()
    if ensure_writer_limit():
        from prefect.concurrency.sync import concurrency

        acquired = False
        try:
            with concurrency(LIMIT_NAME, occupy=1, timeout_seconds=timeout_s, lease_duration=LEASE_S,
                             strict=False):
                acquired = True
                waited = time.monotonic() - started
                if waited > 1:
                    log.info("waited %.1fs for the warehouse writer slot", waited)
                with _file_lock(lock_file_for(db_path), max(1.0, timeout_s - waited)):
                    yield
        except TimeoutError as exc:
            if acquired:  # raised by the block itself (or the file lock): not ours to rename
                raise
            raise WarehouseWriteBusy(f"global concurrency limit {LIMIT_NAME!r} busy for {timeout_s:.0f}s") from exc
    else:
        with _file_lock(lock_file_for(db_path), timeout_s):
            yield
