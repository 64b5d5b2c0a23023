"""The warehouse writer slot (flows/locks.py `_writer_slot`) when the Prefect server is busy.

A Prefect server on SQLite answers 503 "Service Unavailable" when its database is locked for a
moment, which happens when a load task starts (the run's own task-state and log writes land at
the same time): seen on every no-change rerun of the 2,048-page benchmark web. Prefect's client
sleeps ~2 s (exponential back-off, even with its retries set to 0) before it gives the answer
back; the slot is asked for again after 0.05 s instead.

The server here is a real HTTP server on 127.0.0.1 that answers the four concurrency-limit calls
the slot makes the way Prefect's API does (tests/test_deployments.py runs the real
`prefect server start`; its database cannot be made busy on cue).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows import locks


class _BusyPrefect(BaseHTTPRequestHandler):
    busy_answers = 0  # how many increments get 503 before one is granted
    busy_releases = 0  # how many decrements get 503 before one is taken
    increment_delay_s = 0.0  # how long an increment takes to be answered
    no_limit = False  # grant a lease without a limit behind it (the limit missing or inactive)
    on_grant = None  # called once a lease is granted, before it is answered
    seen: list[tuple[float, str, int]] = []
    granted: list[str] = []  # lease ids, in order
    released: list[str] = []

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, code: int, body: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        type(self).seen.append((time.monotonic(), self.path, code))  # before the client can read it
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's names
        if self.path.endswith(f"/concurrency_limits/{locks.LIMIT_NAME}"):
            now = datetime.now(UTC).isoformat()
            return self._answer(200, {"id": str(uuid.uuid4()), "created": now, "updated": now,
                                      "name": locks.LIMIT_NAME, "limit": 1, "active": True, "active_slots": 0,
                                      "denied_slots": 0, "slot_decay_per_second": 0.0,
                                      "avg_slot_occupancy_seconds": 2.0})
        return self._answer(404, {"detail": "Not Found"})

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        cls = type(self)
        if self.path.endswith("/increment-with-lease"):
            if cls.busy_answers > 0:
                cls.busy_answers -= 1
                return self._answer(503, {"exception_message": "Service Unavailable"})
            lease = str(uuid.uuid4())
            cls.granted.append(lease)  # granted now, whenever the answer reaches the client
            if cls.on_grant is not None:
                cls.on_grant()
            time.sleep(cls.increment_delay_s)
            limits = [] if cls.no_limit else [{"id": str(uuid.uuid4()), "name": locks.LIMIT_NAME, "limit": 1}]
            return self._answer(200, {"lease_id": lease, "limits": limits})
        if self.path.endswith("/decrement-with-lease"):
            if cls.busy_releases > 0:
                cls.busy_releases -= 1
                return self._answer(503, {"exception_message": "Service Unavailable"})
            cls.released.append(body.get("lease_id"))
            return self._answer(204)
        return self._answer(404, {"detail": "Not Found"})


@pytest.fixture
def busy_prefect():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = ThreadingHTTPServer(("127.0.0.1", 0), _BusyPrefect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _BusyPrefect.seen, _BusyPrefect.granted, _BusyPrefect.released = [], [], []
    _BusyPrefect.busy_answers = _BusyPrefect.busy_releases = 0
    _BusyPrefect.increment_delay_s = 0.0
    _BusyPrefect.no_limit = False
    _BusyPrefect.on_grant = None
    url = f"http://127.0.0.1:{server.server_address[1]}/api"
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield _BusyPrefect
    finally:
        server.shutdown()
        server.server_close()
        locks._limit_ready.discard(url)


def test_a_busy_server_costs_the_writer_slot_a_moment_not_seconds(tmp_path, busy_prefect):
    busy_prefect.busy_answers = 2
    started = time.monotonic()
    with locks.warehouse_write_lock(tmp_path / "akhbar.duckdb", timeout_s=30):
        waited = time.monotonic() - started
    increments = [code for _, path, code in busy_prefect.seen if path.endswith("/increment-with-lease")]
    assert increments == [503, 503, 200]
    assert waited < 1.5, waited  # Prefect's client alone: >= 2 x ~2 s of back-off
    assert [code for _, path, code in busy_prefect.seen if path.endswith("/decrement-with-lease")] == [204]


def test_a_server_that_stays_busy_ends_in_writer_busy_at_the_deadline(tmp_path, busy_prefect):
    busy_prefect.busy_answers = 10**6
    started = time.monotonic()
    with pytest.raises(locks.WarehouseWriteBusy):
        with locks.warehouse_write_lock(tmp_path / "akhbar.duckdb", timeout_s=2):
            pass
    assert time.monotonic() - started < 10
    assert len([p for _, p, _ in busy_prefect.seen if p.endswith("/increment-with-lease")]) >= 3


class _Stopped(BaseException):
    """What Prefect raises in the main thread when a run is cancelled (TerminationSignal)."""


def test_a_run_stopped_while_it_asks_for_the_slot_gives_the_granted_slot_back(tmp_path, busy_prefect):
    """A cancel (SIGTERM: Prefect raises TerminationSignal in the main thread) that lands while
    the slot's request is out: the server grants the slot all the same. The grant is awaited and
    given back before the stop goes on; lost, it stayed taken until its lease expired (5 min:
    every later load waited; CI caught it after an API cancel that came as a load task started)."""
    import signal

    busy_prefect.increment_delay_s = 0.6

    def stop(signum, frame):
        raise _Stopped()

    previous = signal.signal(signal.SIGALRM, stop)
    # the stop lands while the granted answer is still on its way (not after a fixed time, which a
    # loaded machine can spend before the request is even sent)
    busy_prefect.on_grant = staticmethod(lambda: os.kill(os.getpid(), signal.SIGALRM))
    try:
        with pytest.raises(_Stopped):
            with locks.warehouse_write_lock(tmp_path / "akhbar.duckdb", timeout_s=30):
                pytest.fail("the slot was held although the run was stopped while asking for it")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert len(busy_prefect.granted) == 1
    assert busy_prefect.released == busy_prefect.granted


def test_a_busy_server_costs_the_release_a_moment_not_seconds(tmp_path, busy_prefect):
    """Giving the slot back meets the same 503s (a cancelled run's process is ended a few seconds
    after the signal: Prefect's ~2 s back-off per 503 could outlast it and leave the slot taken)."""
    busy_prefect.busy_releases = 2
    with locks.warehouse_write_lock(tmp_path / "akhbar.duckdb", timeout_s=30):
        entered = time.monotonic()
    released = time.monotonic() - entered
    assert [code for _, path, code in busy_prefect.seen if path.endswith("/decrement-with-lease")] == [503, 503, 204]
    assert busy_prefect.released == busy_prefect.granted
    assert released < 1.5, released  # Prefect's client alone: >= 2 x ~2 s


def test_a_strict_writer_refuses_a_slot_without_a_limit_and_gives_it_back(tmp_path, busy_prefect):
    """A shared DuckLake keeps one writer by the limit alone: a lease granted without an active
    limit behind it is refused (WarehouseWriteBusy) and given back."""
    busy_prefect.no_limit = True
    with pytest.raises(locks.WarehouseWriteBusy, match="missing or inactive"):
        with locks.warehouse_write_lock(tmp_path / "akhbar.duckdb", timeout_s=30, strict=True):
            pytest.fail("a strict writer went on without the limit")
    assert busy_prefect.released == busy_prefect.granted and len(busy_prefect.granted) == 1
