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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.paths import data_dir_for

LIMIT_NAME = "akhbar-warehouse-writer"
DEFAULT_TIMEOUT_S = 900.0
LEASE_S = 300.0
BUSY_RETRY_S = 0.01  # first wait after a 503 from the Prefect server (see _writer_slot); doubles
BUSY_CODES = (502, 503)  # the server (or a proxy before it) busy for a moment
RELEASE_WAIT_S = 5.0  # giving a writer slot back, a busy server included (see _release)

log = logging.getLogger("akhbar.flows.locks")
_limit_ready: set[str] = set()  # API URLs on which the limit is known to exist


class WarehouseWriteBusy(TimeoutError):
    """Another writer held the warehouse for longer than the caller was willing to wait."""


def api_url() -> str | None:
    """The configured Prefect API, or None when runs use the ephemeral (throw-away) server
    (Prefect's child process, or the one this command serves itself: flows/tempserver.py)."""
    from prefect.settings import get_current_settings

    from flows.tempserver import is_temporary

    url = get_current_settings().api.url or None
    return None if is_temporary(url) else url


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


def _try_flock(fd: int, mode: int = fcntl.LOCK_EX) -> bool:
    """Take an flock without blocking: True if taken, False if another process holds it."""
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise
        return False


@contextmanager
def _file_lock(path: Path, timeout_s: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        delay = 0.05
        while not _try_flock(fd):
            if time.monotonic() >= deadline:
                raise WarehouseWriteBusy(f"{path} is held by another writer (waited {timeout_s:.0f}s)") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        try:  # the pid is for people reading the file; a full disk must not stop the (deferred) load
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _writer_slot(timeout_s: float, strict: bool = False) -> Iterator[float]:
    """One slot of the global limit, as a lease this process renews and always gives back.

    Plain sync-client calls, not `prefect.concurrency.sync.concurrency`: that helper releases
    through Prefect's event-loop thread, and when a flow run is cancelled (the engine cancels its
    pending work and exits) the release is dropped, leaving the slot taken until the lease
    expires (5 min). Here the release is one HTTP call in this thread's `finally`, which runs on
    cancel, on Ctrl-C and on errors alike. Yields the seconds spent waiting.

    strict: the limit must exist and be active (the server grants no slot otherwise) and a lease
    that cannot be renewed is an error, not a warning (a shared DuckLake relies on it alone).

    A server on SQLite answers 503 when its database is busy for a moment ("database is locked":
    the run's own task-state and log writes land at the same time, typically as a load task
    starts), and Prefect's client sleeps ~2 s before it retries (even with its retries set to 0):
    measured, 2.3 s of a 2,048-page first run and 4.6 s of a 7 s no-change rerun went to that.
    The request is sent once (`_increment_once`) and a 503 is retried here after BUSY_RETRY_S,
    doubling up to 2 s (the first increment of a load met a 503 in most no-change runs; the
    lock is held for a few ms: 0.01 s instead of 0.05 s cut that load's wait from ~0.07 to ~0.03 s)."""
    import httpx
    from prefect import get_client

    started = time.monotonic()
    deadline = started + timeout_s
    busy = BUSY_RETRY_S
    held: dict = {}  # the granted lease id, put here by the asking thread as soon as it has it
    stop = threading.Event()
    with get_client(sync_client=True) as client:
        try:
            while True:
                try:
                    granted = _increment_guarded(client, held)
                    if strict and not granted.get("limits"):  # (the slot is given back below)
                        raise WarehouseWriteBusy(f"global concurrency limit {LIMIT_NAME!r} is missing or inactive; "
                                                 "a shared warehouse needs it to keep one writer")
                    break
                except httpx.HTTPStatusError as exc:
                    if exc.response.status_code in BUSY_CODES:  # the server busy for a moment (see above)
                        retry, busy = busy, min(busy * 2, 2.0)
                    elif exc.response.status_code != 423:  # 423 Locked: the slot is taken, try again
                        raise
                    else:
                        retry = float(exc.response.headers.get("Retry-After") or 1.0)
                now = time.monotonic()
                if now >= deadline:
                    raise WarehouseWriteBusy(f"global concurrency limit {LIMIT_NAME!r} busy for {timeout_s:.0f}s")
                time.sleep(max(0.01, min(retry, 2.0, deadline - now)))
            lease_id = held["lease_id"]

            def renew() -> None:
                while not stop.wait(LEASE_S / 3):
                    try:
                        with get_client(sync_client=True) as renewer:
                            renewer.renew_concurrency_lease(lease_id, LEASE_S)
                    except Exception as exc:  # the file lock still keeps one writer per host
                        (log.error if strict else log.warning)("could not renew the warehouse writer lease: %s", exc)

            threading.Thread(target=renew, name="akhbar-writer-lease", daemon=True).start()
            yield time.monotonic() - started
        finally:  # also when the run is stopped at any point after the server granted the slot
            stop.set()
            if "lease_id" in held:
                _release(client, held.pop("lease_id"))


def _increment_guarded(client, held: dict) -> dict:
    """`_increment_once` in a helper thread; returns the granted answer, whose lease id the
    helper has put in `held` the moment it had it. When a run is cancelled (or gets SIGTERM),
    Prefect raises TerminationSignal in the main thread; raised while the request was out, the
    slot the server grants was lost with the answer and stayed taken until its lease expired
    (LEASE_S: every later load waited 5 minutes; CI caught a cancel that arrived as a load task
    started). On such an interruption the answer is awaited a little longer, so that `held` has
    the lease for the caller's `finally` to give back."""
    answer: dict = {}
    answered = threading.Event()  # (not Thread.join: a join interrupted by a signal can return early later)

    def ask() -> None:
        try:
            response = _increment_once(client)
            answer["granted"] = response.json()
            held["lease_id"] = answer["granted"]["lease_id"]
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            answer["error"] = exc
        finally:
            answered.set()

    threading.Thread(target=ask, name="akhbar-writer-slot", daemon=True).start()
    try:
        while not answered.wait(0.05):
            pass
    except BaseException:
        answered.wait(RELEASE_WAIT_S)
        raise
    if "error" in answer:
        raise answer["error"]
    return answer["granted"]


def _release(client, lease_id) -> None:
    """Give the slot back: one request at a time, a busy server (502/503) asked again after
    BUSY_RETRY_S doubling, for at most RELEASE_WAIT_S (Prefect's own call sleeps ~2 s per 503, and a
    cancelled run's process is ended by its runner a few seconds after the signal). If it cannot
    be given back, the lease expires on its own (LEASE_S)."""
    import httpx

    deadline, busy = time.monotonic() + RELEASE_WAIT_S, BUSY_RETRY_S
    while True:
        try:
            response = _post_once(client, "/v2/concurrency_limits/decrement-with-lease", {"lease_id": str(lease_id)})
            if response is not None and response.status_code in BUSY_CODES:
                problem: object = f"HTTP {response.status_code}"
            else:
                if response is None or response.is_error:  # e.g. a CSRF token to fetch: Prefect's own call, once
                    client.release_concurrency_slots_with_lease(lease_id)
                return
        except Exception as exc:  # noqa: BLE001 - the lease expires on its own
            if not isinstance(exc, httpx.TransportError):  # refused for good: asking again will not help
                log.warning("could not release the warehouse writer slot (it expires in %.0fs): %s", LEASE_S, exc)
                return
            problem = exc
        if time.monotonic() + busy > deadline:
            log.warning("could not release the warehouse writer slot (it expires in %.0fs): %s", LEASE_S, problem)
            return
        time.sleep(busy)
        busy = min(busy * 2, 1.0)


def _increment_once(client):
    """Ask for one slot of the limit, one HTTP request: the Prefect client's own HTTP client
    (its base URL, auth and headers) without its retrying `send`. Anything but a granted slot, a
    423 (taken) or a 502/503 (busy) goes through the client's public call instead (e.g. a 403
    for a CSRF token, which that call fetches), as do clients without that attribute."""
    body = {"names": [LIMIT_NAME], "slots": 1, "mode": "concurrency", "lease_duration": LEASE_S}
    response = _post_once(client, "/v2/concurrency_limits/increment-with-lease", body)
    if response is not None and response.status_code in (200, 423, *BUSY_CODES):
        response.raise_for_status()
        return response
    return client.increment_concurrency_slots_with_lease(names=[LIMIT_NAME], slots=1, mode="concurrency",
                                                         lease_duration=LEASE_S)


def _post_once(client, path: str, body: dict):
    """One POST through the Prefect client's own HTTP client (its base URL, auth and headers)
    without its retrying `send` (which sleeps ~2 s on a 503); None for a client without one."""
    import httpx

    http = getattr(client, "_client", None)
    if not isinstance(http, httpx.Client):
        return None
    return httpx.Client.send(http, http.build_request("POST", path, json=body))


@contextmanager
def warehouse_write_lock(db_path: Path | str, timeout_s: float | None = None,
                         strict: bool = False) -> Iterator[None]:
    """Hold the warehouse's single writer slot for the duration of the block.

    Raises `WarehouseWriteBusy` if the slot is not free within `timeout_s` (default 15 min).
    strict=True (a shared DuckLake: nothing else keeps its keys unique) fails instead of going
    on when the server cannot grant the slot.
    """
    timeout_s = DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s
    if ensure_writer_limit():
        with _writer_slot(timeout_s, strict) as waited:
            if waited > 1:
                log.info("waited %.1fs for the warehouse writer slot", waited)
            with _file_lock(lock_file_for(db_path), max(1.0, timeout_s - waited)):
                yield
    else:
        with _file_lock(lock_file_for(db_path), timeout_s):
            yield


# ---------------------------------------------------------------- one ingest run per warehouse
#
# The write lock above covers the load only. Two ingests on one warehouse would both read the
# same state, fetch the same pages (double traffic to the sites) and both report the same "new"
# articles. `run_lock` is held for a whole run instead, taken before anything is read or fetched:
# a second run waits for it (logging who holds it) or gives up with `RunBusy`. It is an OS file
# lock on `<db>.d/run.lock` (released by the OS if the holder dies) holding a line of JSON that
# says who holds it. Re-entrant within a process: the CLI takes it before starting Prefect, and
# the flow's own acquisition in the same process is then a no-op.

RUN_LOCK_LOG_EVERY_S = 30.0
_run_locks_held: dict[str, int] = {}  # resolved lock path → depth, in this process


class RunBusy(WarehouseWriteBusy):
    """Another run holds the warehouse's run lock; `holder` says who (pid, kind, started_at)."""

    def __init__(self, message: str, holder: dict | None = None):
        super().__init__(message)
        self.holder = holder


def run_lock_file(db_path: Path | str) -> Path:
    return data_dir_for(db_path) / "run.lock"


def _read_holder(path: Path) -> dict | None:
    import json

    try:
        text = path.read_text(encoding="utf-8").strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def describe_holder(holder: dict | None) -> str:
    """'an ingest (pid 4242, started 2026-11-28 12:03 UTC)' — or 'another run' when unknown."""
    if not holder:
        return "another run"
    bits = [f"pid {holder.get('pid')}"] if holder.get("pid") else []
    if holder.get("host"):
        bits.append(f"on {holder['host']}")
    if holder.get("started_at"):
        bits.append(f"started {str(holder['started_at'])[:16].replace('T', ' ')} UTC")
    kind = holder.get("kind") or "run"
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}" + (f" ({', '.join(bits)})" if bits else "")


def run_lock_holder(db_path: Path | str) -> dict | None:
    """Who holds the run lock now ({} if held by an unknown process), or None if it is free."""
    path = run_lock_file(db_path)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        if not _try_flock(fd, fcntl.LOCK_SH):
            return _read_holder(path) or {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@contextmanager
def run_lock(db_path: Path | str, timeout_s: float = 0.0, kind: str = "ingest",
             on_wait=None) -> Iterator[None]:
    """Hold the warehouse's run lock for the block; wait up to `timeout_s` for it.

    `on_wait(holder: dict | None, waited_s: float)` is called when the wait starts and then every
    RUN_LOCK_LOG_EVERY_S seconds (default: a log line). Raises `RunBusy` past the timeout.
    """
    import json
    import socket
    from datetime import UTC, datetime

    path = run_lock_file(db_path)
    key = str(path.resolve())
    if _run_locks_held.get(key):
        _run_locks_held[key] += 1
        try:
            yield
        finally:
            _run_locks_held[key] -= 1
        return
    if on_wait is None:
        def on_wait(holder: dict | None, waited: float) -> None:
            log.warning("waiting for %s to finish on %s (%.0fs so far)", describe_holder(holder), db_path, waited)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        next_note = 0.0
        while not _try_flock(fd):
            waited = time.monotonic() - started
            holder = _read_holder(path)
            if waited >= timeout_s:
                raise RunBusy(f"{describe_holder(holder)} is running on {db_path}"
                              + (f" (waited {waited:.0f}s)" if timeout_s > 0 else ""), holder)
            if waited >= next_note:
                on_wait(holder, waited)
                next_note = waited + RUN_LOCK_LOG_EVERY_S
            time.sleep(min(0.5, max(0.05, timeout_s - waited)))
        try:  # who holds it, for people and waiting runs; a full disk must not stop the run
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(dict(pid=os.getpid(), host=socket.gethostname(), kind=kind,
                                           started_at=datetime.now(UTC).isoformat(timespec="seconds")))
                           + "\n").encode(), 0)
        except OSError:
            pass
        _run_locks_held[key] = 1
        try:
            yield
        finally:
            _run_locks_held.pop(key, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def one_run_at_a_time(kind: str, wait_s):
    """Decorator for a flow function with `db` (and optionally `dry_run`) parameters: the body
    runs under `run_lock(db)`, waiting up to `wait_s()` seconds. Dry runs write nothing and take
    no lock. Placed under @flow, so Prefect still sees the function's own signature."""
    import inspect

    from flows.runlog import flow_fn_wrapper

    def decorate(fn):
        sig = inspect.signature(fn)

        def wrapper(*args, **kwargs):  # noqa: ANN202
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            if bound.arguments.get("dry_run"):
                return fn(*args, **kwargs)
            with run_lock(bound.arguments["db"], timeout_s=wait_s(), kind=kind, on_wait=_log_wait):
                return fn(*args, **kwargs)

        return flow_fn_wrapper(fn, wrapper)  # Prefect still sees fn's own (resolved) signature

    return decorate


def _log_wait(holder: dict | None, waited: float) -> None:
    message = f"waiting for {describe_holder(holder)} to finish ({waited:.0f}s so far)"
    try:
        from prefect import get_run_logger

        get_run_logger().warning(message)
    except Exception:  # outside a flow run
        log.warning(message)
