"""Deployments on a real `prefect server start`: serve, custom runs, one writer, restart keeps schedules.

Everything runs against subprocesses this module starts (a Prefect server with its own
PREFECT_HOME, and `python -m flows.deployments`), the way an operator would run them, and the
runs are triggered through the same API call as the UI's Run button.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.locks import LIMIT_NAME, WarehouseWriteBusy, warehouse_write_lock

ROOT = Path(__file__).resolve().parents[1]
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
DEPLOYMENT = "ingest/akhbar"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, wait_s: float = 30) -> int | None:
    """Signal the process group this test started; escalate to SIGKILL if it hangs."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        except ProcessLookupError:
            pass
    return proc.returncode


def _tail(path: Path, n: int = 4000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else ""


@contextmanager
def api(url: str):
    """A sync Prefect client bound to this module's server, whatever else the session set up."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}):
        with get_client(sync_client=True) as client:
            yield client


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect_home")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(QUIET, PREFECT_HOME=str(home), PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS="1",
               PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS="1",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5",
               # the UI's API address: defaults to port 4200 whatever `--port` says (tests/test_ui.py)
               PREFECT_SERVER_UI_API_URL=url,
               # the README's recommendation: leases survive a server restart (no leaked slots)
               PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE="prefect.server.concurrency.lease_storage.filesystem")
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=home)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, f"prefect server exited:\n{_tail(log)}"
            assert time.monotonic() < deadline, f"prefect server not healthy in 120s:\n{_tail(log)}"
            time.sleep(0.5)
        yield {"url": url, "home": home, "env": env}
    finally:
        _stop(proc)


class Serve:
    """`python -m flows.deployments` as a background process (its own process group)."""

    def __init__(self, server: dict, args: list[str], workdir: Path):
        self.env = dict(server["env"], PREFECT_API_URL=server["url"], PREFECT_RUNNER_POLL_FREQUENCY="1",
                        PREFECT_LOGGING_LEVEL="INFO", AKHBAR_HOST_INTERVAL_S="0", AKHBAR_EXTRACT_WORKERS="2",
                        PYTHONPATH=str(ROOT))
        self.args = args
        self.log = workdir / "serve.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Serve:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "flows.deployments", *self.args], env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, cwd=ROOT)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        return _stop(self.proc, sig) if self.proc else None

    def tail(self) -> str:
        return _tail(self.log)


def _never_now_cron() -> str:
    """A daily cron 12 h away: registered, scheduled ahead, but never due during the test."""
    t = datetime.now(UTC) + timedelta(hours=12)
    return f"{t.minute} {t.hour} * * *"


def _wait_for_deployment(url: str, serve: Serve, after: datetime | None = None, timeout: float = 90):
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        assert serve.proc.poll() is None, f"serve exited:\n{serve.tail()}"
        try:
            with api(url) as client:
                dep = client.read_deployment_by_name(DEPLOYMENT)
            if after is None or dep.updated >= after:
                return dep
        except ObjectNotFound:
            pass
        assert time.monotonic() < deadline, f"deployment not registered:\n{serve.tail()}"
        time.sleep(0.5)


def _wait_final(url: str, run_ids: list, serve: Serve, timeout: float = 150) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        with api(url) as client:
            runs = {rid: client.read_flow_run(rid) for rid in run_ids}
        if all(r.state and r.state.is_final() for r in runs.values()):
            return runs
        assert serve.proc.poll() is None, f"serve exited:\n{serve.tail()}"
        assert time.monotonic() < deadline, (
            f"runs not finished: {[(r.name, r.state.name if r.state else None) for r in runs.values()]}\n{serve.tail()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def serving(server, fixture_web, dev_catalog, tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    db = work / "wh" / "akhbar.duckdb"
    db.parent.mkdir()
    cron = _never_now_cron()
    serve = Serve(server, ["--cron", cron, "--db", str(db), "--catalog", str(dev_catalog),
                           "--allow-private-networks"], work).start()
    try:
        dep = _wait_for_deployment(server["url"], serve)
        yield {"serve": serve, "db": db, "cron": cron, "deployment": dep, "url": server["url"], "work": work}
    finally:
        serve.stop()


def test_deployment_is_registered_with_typed_parameters_schedule_and_limit(serving):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    dep = serving["deployment"]
    props = dep.parameter_openapi_schema["properties"]
    assert set(props) >= {"catalog", "db", "feeds", "max_per_feed", "since", "dry_run",
                          "allow_private_networks", "ignore_backoff"}
    missing = [name for name, p in props.items() if not p.get("description")]
    assert not missing, f"parameters without a description in the UI form: {missing}"
    assert props["dry_run"]["type"] == "boolean" and props["dry_run"]["default"] is False
    assert {"type": "integer", "minimum": 1, "maximum": 10000} in [
        {k: v for k, v in alt.items() if k in ("type", "minimum", "maximum")} for alt in props["max_per_feed"]["anyOf"]]
    assert {"type": "string", "format": "date-time"} in props["since"]["anyOf"]
    assert {"type": "array", "items": {"type": "string"}} in props["feeds"]["anyOf"]
    assert dep.parameters["db"] == str(serving["db"]) and dep.parameters["catalog"]
    assert dep.enforce_parameter_schema
    assert dep.global_concurrency_limit and dep.global_concurrency_limit.limit == 1
    assert dep.concurrency_options.collision_strategy.value == "ENQUEUE"
    assert "akhbar" in dep.tags and dep.description
    assert not dep.paused
    assert [(s.schedule.cron, s.active) for s in dep.schedules] == [(serving["cron"], True)]
    # the server's scheduler really picked the schedule up (future runs exist)
    deadline = time.monotonic() + 30
    while True:
        with api(serving["url"]) as client:
            runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
                deployment_id=FlowRunFilterDeploymentId(any_=[dep.id])))
        if any(r.auto_scheduled for r in runs):
            break
        assert time.monotonic() < deadline, "the scheduler created no runs for the cron schedule"
        time.sleep(1)


def test_bad_parameter_is_rejected_with_a_clear_message(serving):
    with api(serving["url"]) as client, pytest.raises(Exception) as err:
        client.create_flow_run_from_deployment(serving["deployment"].id, parameters={"max_per_feed": -3})
    text = str(err.value) + str(getattr(getattr(err.value, "response", None), "text", ""))
    assert "max_per_feed" in text and ("minimum" in text.lower() or "greater" in text.lower()), text


def _artifacts(url: str, run_id) -> dict[str, str]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with api(url) as client:
        arts = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
    return {a.key: a.type for a in arts if a.key}


def test_custom_run_with_parameters_completes_and_loads_the_warehouse(serving, fixture_web):
    fixture_web.log.clear()
    with api(serving["url"]) as client:
        run = client.create_flow_run_from_deployment(
            serving["deployment"].id, parameters={"max_per_feed": 3, "ignore_backoff": True})
    final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    assert final.state.is_completed(), f"{final.state}\n{serving['serve'].tail()}"
    assert final.parameters["max_per_feed"] == 3 and final.parameters["db"] == str(serving["db"])
    assert fixture_web.log.count() > 0, "the run did not fetch from the fixture web"
    con = duckdb.connect(str(serving["db"]), read_only=True)
    try:
        n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        params = con.execute("SELECT parameters FROM runs WHERE flow_run_id = ?", [str(run.id)[:8]]).fetchone()
    finally:
        con.close()
    assert n_articles > 0
    assert params is not None, "the run is missing from the warehouse's runs table"
    assert json.loads(params[0])["max_per_feed"] == 3  # the custom parameter reached the flow
    assert _artifacts(serving["url"], run.id) == {"akhbar-ingest-feeds": "table", "akhbar-ingest-summary": "markdown"}


def test_two_runs_at_once_are_queued_not_lost_and_never_overlap(serving):
    with api(serving["url"]) as client:
        ids = [client.create_flow_run_from_deployment(serving["deployment"].id,
                                                      parameters={"max_per_feed": 2, "ignore_backoff": True}).id
               for _ in range(2)]
    runs = _wait_final(serving["url"], ids, serving["serve"])
    assert all(r.state.is_completed() for r in runs.values()), {str(k): str(r.state) for k, r in runs.items()}
    first, second = sorted(runs.values(), key=lambda r: r.start_time)
    assert first.end_time <= second.start_time, "two runs of the deployment executed at the same time"
    with api(serving["url"]) as client:
        names = {rid: [s.name for s in client.read_flow_run_states(rid)] for rid in ids}
    assert any("AwaitingConcurrencySlot" in n for n in names.values()), names
    con = duckdb.connect(str(serving["db"]), read_only=True)
    try:
        rows = con.execute("SELECT flow_run_id, started_at, finished_at FROM runs").fetchall()
    finally:
        con.close()
    ours = sorted((r for r in rows if r[0] in {str(i)[:8] for i in ids}), key=lambda r: r[1])
    assert len(ours) == 2, rows  # both runs were recorded: neither was lost
    assert ours[0][2] <= ours[1][1]


def test_stopping_and_restarting_serve_keeps_the_schedule_active(serving, server):
    serve = serving["serve"]
    code = serve.stop(signal.SIGTERM)
    assert code is not None
    with api(server["url"]) as client:
        dep = client.read_deployment_by_name(DEPLOYMENT)
    assert not dep.paused and all(s.active for s in dep.schedules), "stopping serve paused the schedule"
    restarted_at = datetime.now(UTC)
    serve.start()
    dep = _wait_for_deployment(server["url"], serve, after=restarted_at)
    assert not dep.paused and [(s.schedule.cron, s.active) for s in dep.schedules] == [(serving["cron"], True)]
    # the restarted process picks up work: a quick dry run completes
    with api(server["url"]) as client:
        run = client.create_flow_run_from_deployment(dep.id, parameters={"dry_run": True, "max_per_feed": 1,
                                                                         "feeds": [_one_source(serving["db"])]})
    final = _wait_final(server["url"], [run.id], serve)[run.id]
    assert final.state.is_completed(), f"{final.state}\n{serve.tail()}"


def test_startup_sweep_cancels_missed_scheduled_runs_but_keeps_the_newest_and_manual_ones(serving):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId
    from prefect.states import Scheduled

    from flows.deployments import cancel_stale_runs

    url, dep_id = serving["url"], serving["deployment"].id
    with api(url) as client:
        manual = client.create_flow_run_from_deployment(
            dep_id, state=Scheduled(scheduled_time=datetime.now(UTC) + timedelta(days=2)))
    # pretend every pre-created cron run is late: a cutoff three days in the future
    with api(url):
        n = cancel_stale_runs([DEPLOYMENT], late_grace_s=-3 * 86400)
    with api(url) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[dep_id])))
    auto = [r for r in runs if r.auto_scheduled]
    assert len(auto) >= 2 and n == len(auto) - 1
    assert sorted(r.state.type.value for r in auto).count("SCHEDULED") == 1
    newest = max(auto, key=lambda r: r.expected_start_time)
    assert newest.state.is_scheduled()
    assert next(r for r in runs if r.id == manual.id).state.is_scheduled()  # manual runs are never swept


def _one_source(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source_id FROM sources ORDER BY source_id LIMIT 1").fetchone()[0]
    finally:
        con.close()


# --- the warehouse writer lock ---------------------------------------------------------------

def _hold_in_threads(db: Path, n: int = 3, hold_s: float = 0.4, url: str | None = None) -> list[tuple[float, float]]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    spans: list[tuple[float, float]] = []
    errors: list[BaseException] = []

    def worker():
        try:
            with temporary_settings(updates={PREFECT_API_URL: url}):
                with warehouse_write_lock(db, timeout_s=60):
                    t0 = time.monotonic()
                    time.sleep(hold_s)
                    spans.append((t0, time.monotonic()))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return sorted(spans)


def _no_overlap(spans):
    return all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


_HOLDER = (
    "import sys, time, json; from pathlib import Path; from flows.locks import warehouse_write_lock\n"
    "with warehouse_write_lock(Path(sys.argv[1]), timeout_s=90):\n"
    "    t0 = time.time(); time.sleep(float(sys.argv[2])); print(json.dumps([t0, time.time()]))"
)


def _hold_in_processes(db: Path, url: str, n: int = 3, hold_s: float = 0.5) -> list[tuple[float, float]]:
    """n writer processes (how writers really meet: CLI runs and deployment runs)."""
    env = {**os.environ, "PREFECT_API_URL": url}
    procs = [subprocess.Popen([sys.executable, "-c", _HOLDER, str(db), str(hold_s)], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    spans = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        spans.append(tuple(json.loads(out.strip().splitlines()[-1])))
    return sorted(spans)


def test_write_lock_uses_the_global_limit_on_a_real_server(server, tmp_path):
    spans = _hold_in_processes(tmp_path / "w.duckdb", url=server["url"])
    assert len(spans) == 3 and _no_overlap(spans), spans
    with api(server["url"]) as client:
        limit = client.read_global_concurrency_limit_by_name(LIMIT_NAME)
    assert limit.limit == 1 and limit.active and limit.active_slots == 0


def test_write_lock_without_a_server_uses_the_file_lock_and_never_hangs(tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    db = tmp_path / "w.duckdb"
    t0 = time.monotonic()
    spans = _hold_in_threads(db, url=None)
    assert _no_overlap(spans) and time.monotonic() - t0 < 10
    with temporary_settings(updates={PREFECT_API_URL: None}):
        with warehouse_write_lock(db, timeout_s=5):
            holder = subprocess.run([sys.executable, "-c", (
                "import sys; from pathlib import Path; from flows.locks import warehouse_write_lock, WarehouseWriteBusy\n"
                "try:\n    with warehouse_write_lock(Path(sys.argv[1]), timeout_s=0.5): sys.exit(0)\n"
                "except WarehouseWriteBusy: sys.exit(3)"), str(db)],
                env={k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}, cwd=ROOT, timeout=60)
            assert holder.returncode == 3  # another process waits, then gives up cleanly
            from flows.loading import load_all_pending
            from flows.settings import Settings

            report = load_all_pending(db, Settings(lock_wait_s=0.1), lock_timeout_s=0.3)
            assert report.error and not report.loaded  # deferred, not failed
        with warehouse_write_lock(db, timeout_s=1):  # released on exit
            pass
    with pytest.raises(WarehouseWriteBusy):
        with temporary_settings(updates={PREFECT_API_URL: None}):
            with warehouse_write_lock(db, timeout_s=5), warehouse_write_lock(db, timeout_s=0.2):
                pass
