"""Deployments on a real `prefect server start`: serve, custom runs, one writer, restart keeps schedules,
runs that end in honest states, clean shutdowns and cancels, akhbar's warnings in the run logs.

Everything runs against subprocesses this module starts (a Prefect server with its own
PREFECT_HOME, and `python -m flows.deployments`), the way an operator would run them, and the
runs are triggered and cancelled through the same API calls as the UI's buttons. Long runs come
from a slow copy of the fixture web (every article page answers late), never from sleeps here.
"""

from __future__ import annotations

import json
import os
import re
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

from flows.deployments import schedule_slug
from flows.locks import LIMIT_NAME, WarehouseWriteBusy, lock_file_for, warehouse_write_lock
from tests.conftest import DEV_WEB
from tests.webserver import FixtureWeb

ROOT = Path(__file__).resolve().parents[1]
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}

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
        # AKHBAR_LOCK_WAIT_S: a load facing a DuckDB file held by another process defers after 2 s;
        # AKHBAR_PROGRESS_EVERY_S: a progress line every 2 s during a long stage
        self.env = dict(server["env"], PREFECT_API_URL=server["url"], PREFECT_RUNNER_POLL_FREQUENCY="1",
                        PREFECT_LOGGING_LEVEL="INFO", AKHBAR_HOST_INTERVAL_S="0", AKHBAR_EXTRACT_WORKERS="2",
                        AKHBAR_HOST_CONCURRENCY="8", AKHBAR_LOCK_WAIT_S="2", AKHBAR_PROGRESS_EVERY_S="2",
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

    def stop(self, sig: int = signal.SIGTERM, wait_s: float = 30) -> int | None:
        return _stop(self.proc, sig, wait_s) if self.proc else None

    def tail(self) -> str:
        return _tail(self.log)


def _never_now_cron() -> str:
    """A daily cron 12 h away: registered, scheduled ahead, but never due during the test."""
    t = datetime.now(UTC) + timedelta(hours=12)
    return f"{t.minute} {t.hour} * * *"


CRON = _never_now_cron()
DEPLOYMENT = f"ingest/{schedule_slug(CRON)}"  # daily-HHMM-utc: the name says the schedule


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
    cron = CRON
    serve = Serve(server, ["--cron", cron, "--db", str(db), "--catalog", str(dev_catalog),
                           "--allow-private-networks"], work).start()
    try:
        dep = _wait_for_deployment(server["url"], serve)
        yield {"serve": serve, "db": db, "cron": cron, "deployment": dep, "url": server["url"], "work": work}
    finally:
        serve.stop()


def test_deployments_are_registered_named_for_what_they_do_typed_scheduled_and_limited(serving):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    from flows.meta import version

    dep = serving["deployment"]
    props = dep.parameter_openapi_schema["properties"]
    assert set(props) >= {"catalog", "db", "feeds", "max_per_feed", "since", "dry_run",
                          "allow_private_networks", "ignore_backoff"}
    # the custom-run form: a readable title and a description on every field, no snake_case,
    # no "value or None" switch (anyOf with null), every optional field says what empty means
    for name, p in props.items():
        assert p.get("description"), f"parameter {name} has no description"
        assert p.get("title") and "_" not in p["title"], f"parameter {name} has the title {p.get('title')!r}"
        assert "anyOf" not in p and p.get("type") != "null", f"parameter {name}: {p}"
    assert props["max_per_feed"]["title"] == "Max new articles per feed"
    assert "Empty: the bundled catalog" in props["catalog"]["description"]
    assert "Empty: every feed" in props["feeds"]["description"]
    assert props["dry_run"]["type"] == "boolean" and props["dry_run"]["default"] is False
    assert {k: props["max_per_feed"][k] for k in ("type", "minimum", "maximum", "default")} == {
        "type": "integer", "minimum": 1, "maximum": 10000, "default": 100}
    assert props["feeds"]["type"] == "array" and props["feeds"]["items"] == {"type": "string"}
    assert props["since"]["type"] == "string"
    assert dep.parameters == {"db": str(serving["db"]), "catalog": dep.parameters["catalog"],
                              "allow_private_networks": True}  # no None values (the UI shows "type None")
    assert dep.enforce_parameter_schema
    assert dep.global_concurrency_limit and dep.global_concurrency_limit.limit == 1
    assert dep.concurrency_options.collision_strategy.value == "ENQUEUE"
    assert "akhbar" in dep.tags and serving["cron"] in dep.description and str(serving["db"]) in dep.description
    assert dep.version == version() and dep.version.startswith("0.")
    assert not dep.paused
    assert [(s.schedule.cron, s.active) for s in dep.schedules] == [(serving["cron"], True)]
    def all_three():
        with api(serving["url"]) as client:
            found = {f"{client.read_flow(d.flow_id).name}/{d.name}": d for d in client.read_deployments()}
        return found if {"report/daily-0600-utc", "reprocess/manual", DEPLOYMENT} <= set(found) else None

    others = _wait_for("the three deployments", all_three, serving["serve"], timeout=60)
    assert others["reprocess/manual"].schedules == [] and "by hand" in others["reprocess/manual"].description
    report_props = others["report/daily-0600-utc"].parameter_openapi_schema["properties"]
    assert report_props["day"] == {**report_props["day"], "type": "string", "format": "date", "title": "Last day"}
    assert "Empty: today" in report_props["day"]["description"]
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
    with api(serving["url"]) as client:
        report = client.read_deployment_by_name("report/daily-0600-utc")
    for dep_id, params, field in ((serving["deployment"].id, {"max_per_feed": -3}, "max_per_feed"),
                                  (serving["deployment"].id, {"since": "yesterday"}, "since"),
                                  (report.id, {"day": "yesterday"}, "day")):
        with api(serving["url"]) as client, pytest.raises(Exception) as err:
            client.create_flow_run_from_deployment(dep_id, parameters=params)
        text = str(err.value) + str(getattr(getattr(err.value, "response", None), "text", ""))
        assert field in text and "Validation failed" in text, text


def test_a_time_that_looks_right_but_is_not_fails_the_run_with_the_readers_sentence(serving):
    with api(serving["url"]) as client:  # the right shape, so the server queues it; month 13 does not exist
        run = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={"since": "2026-13-45"})
    final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    assert final.state.is_failed(), final.state
    assert "since" in final.state.message and "is not a date or time; use YYYY-MM-DD" in final.state.message
    said = _wait_for("the run's log", _log_line(serving["url"], run.id, "bad parameter: "), serving["serve"], 30)
    assert said == ("bad parameter: since: value: '2026-13-45' is not a date or time; use YYYY-MM-DD or "
                    "YYYY-MM-DDTHH:MM[:SS] (UTC unless it ends in Z or ±HH:MM)"), said
    assert not [m for _, _, m in _logs(serving["url"], run.id) if "Traceback" in m]


def _logs(url: str, run_id) -> list[tuple[int, str, str]]:
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with api(url) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return [(entry.level, entry.name, entry.message) for entry in logs]


def _wait_for(what: str, check, serve: Serve, timeout: float = 120, every: float = 0.3, last=None):
    """Poll `check()` until it returns something truthy (a loaded machine gets generous time)."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        assert serve.proc.poll() is None, f"serve exited while waiting for {what}:\n{serve.tail()}"
        assert time.monotonic() < deadline, (
            f"timed out waiting for {what}{f' (last: {last()})' if last else ''}:\n{serve.tail()}")
        time.sleep(every)


def _finished_logs(serving, run_id) -> list[tuple[int, str, str]]:
    """The run's whole log, read back once its last line ("Finished in state …") has arrived."""
    url = serving["url"]
    def whole():
        logs = _logs(url, run_id)  # the flow run's own last line (task runs say "Finished in state" too)
        return logs if any(n == "prefect.flow_runs" and m.startswith("Finished in state") for _, n, m in logs) else None

    return _wait_for("the run's log", whole, serving["serve"], timeout=30)


def _log_line(url: str, run_id, needle: str):
    return lambda: next((m for _, _, m in _logs(url, run_id) if needle in m), None)


def _pending(db: Path) -> list[Path]:
    from flows.loading import staging_area

    return staging_area(db).pending_batches()


def _run_ids_in_warehouse(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT flow_run_id FROM runs").fetchall()}
    finally:
        con.close()


def test_bad_catalog_fails_at_once_with_one_line_and_creates_no_warehouse(serving, tmp_path):
    db = tmp_path / "never" / "akhbar.duckdb"
    missing = tmp_path / "no-such-catalog.toml"
    with api(serving["url"]) as client:
        run = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={
            "catalog": str(missing), "db": str(db)})
    final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    assert final.state.is_failed(), final.state
    assert final.state.message.startswith("Bad parameter:") and str(missing) in final.state.message
    assert "\n" not in final.state.message
    logs = _finished_logs(serving, run.id)
    assert not [m for _, _, m in logs if "Traceback" in m], "\n".join(f"{lvl} {n} {m}" for lvl, n, m in logs)
    errors = [m for lvl, _, m in logs if lvl >= 40 and str(missing) in m]
    assert errors and errors[0].startswith("bad parameter: "), logs
    assert not db.exists() and not db.parent.exists(), "a bad parameter created a warehouse"


def test_custom_run_with_parameters_completes_and_loads_the_warehouse(serving, fixture_web):
    from flows.meta import version

    fixture_web.log.clear()
    with api(serving["url"]) as client:
        run = client.create_flow_run_from_deployment(
            serving["deployment"].id, parameters={"max_per_feed": 3, "ignore_backoff": True})
    final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    assert final.state.is_completed(), f"{final.state}\n{serving['serve'].tail()}"
    assert final.parameters["max_per_feed"] == 3 and final.parameters["db"] == str(serving["db"])
    assert re.fullmatch(r"ingest-catalog-\d{8}-\d{4}", final.name), final.name  # what ran, when: not "practical-horse"
    assert final.flow_version == version()
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
    # the run's log tells the story stage by stage, with akhbar's own lines among Prefect's
    messages = [m for _, name, m in _finished_logs(serving, run.id) if name.startswith("akhbar")]
    for stage in ("feeds: polled=", "pages: fetched=", "extract: ", "dedupe: articles=", "load: batches="):
        assert any(m.startswith(stage) for m in messages), (stage, messages)


def test_the_report_deployment_writes_the_file_and_shows_its_key_figures(serving):
    url = serving["url"]
    with api(url) as client:
        report = client.read_deployment_by_name("report/daily-0600-utc")
        run = client.create_flow_run_from_deployment(report.id)  # every parameter left empty
    final = _wait_final(url, [run.id], serving["serve"])[run.id]
    assert final.state.is_completed(), f"{final.state}\n{serving['serve'].tail()}"
    assert re.fullmatch(r"report-\d{8}-\d{4}", final.name), final.name
    assert _artifacts(url, run.id) == {"akhbar-daily-report": "markdown", "akhbar-report-figures": "table"}
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with api(url) as client:
        arts = {a.key: a.data for a in client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))}
    path = re.search(r"File: `([^`]+)`", arts["akhbar-daily-report"]).group(1)
    assert Path(path).exists() and Path(path).parent == serving["db"].parent / "akhbar.d" / "reports"
    assert "file://" not in arts["akhbar-daily-report"]
    figures = {row["figure"]: row["value"] for row in json.loads(arts["akhbar-report-figures"])}
    assert figures["articles in the warehouse"] > 0


def _artifacts(url: str, run_id) -> dict[str, str]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with api(url) as client:
        arts = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
    return {a.key: a.type for a in arts if a.key}


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


def test_a_run_where_every_feed_failed_is_failed_with_the_reason(serving, tmp_path):
    closed = [_free_port() for _ in range(3)]  # nothing listens there: connection refused, as offline
    catalog = tmp_path / "offline.toml"
    catalog.write_text("\n".join(
        f'[[feeds]]\noutlet_id = "down{i}"\noutlet_name = "Down {i}"\ncountry = "EG"\nurl = "http://127.0.0.1:{p}/rss"\n'
        for i, p in enumerate(closed)), "utf-8")
    with api(serving["url"]) as client:
        run = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={
            "catalog": str(catalog), "ignore_backoff": True})
    final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    assert final.state.is_failed(), final.state
    assert final.state.message.startswith("no feed could be fetched (3 of 3 failed): are you offline?"), \
        final.state.message
    logs = _finished_logs(serving, run.id)
    assert not [m for _, _, m in logs if "Traceback" in m]
    assert any(lvl == 40 and m.startswith("run failed: no feed could be fetched") for lvl, _, m in logs), logs
    # the failures are data all the same: every attempt is recorded for `akhbar feeds health`
    con = duckdb.connect(str(serving["db"]), read_only=True)
    try:
        fetches = con.execute("SELECT count(*) FROM feed_fetches WHERE url LIKE 'http://127.0.0.1:%/rss' "
                              "AND outcome <> 'ok'").fetchone()[0]
        status = con.execute("SELECT status FROM runs WHERE flow_run_id = ?", [str(run.id)[:8]]).fetchone()
    finally:
        con.close()
    assert fetches >= 3 and status == ("failed",)


@pytest.fixture
def slow_web(tmp_path):
    """A fresh copy of the dev web on its own port (new URLs: nothing is known yet) whose article
    pages answer 1 s late: with 8 connections a run spends ~8 s fetching pages."""
    site = FixtureWeb(DEV_WEB, page_delay_s=1.0).start()
    site.catalog = site.write_catalog(tmp_path / "slow.toml")
    yield site
    site.stop()


class HeldFileLock:
    """The warehouse's writer file lock, held by this test process (a writer busy for a while)."""

    def __init__(self, db: Path):
        import fcntl

        path = lock_file_for(db)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        import fcntl

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _slow_run(serving, slow_web):
    with api(serving["url"]) as client:
        run = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={
            "catalog": str(slow_web.catalog), "ignore_backoff": True})
    # past the run's first load (earlier batches) and into the long page fetch
    _wait_for("the page fetch", _log_line(serving["url"], run.id, "pages: "), serving["serve"])
    return run


def test_warning_from_a_stage_reaches_the_run_log_and_the_state_says_load_deferred(serving, slow_web):
    db = serving["db"]
    run = _slow_run(serving, slow_web)
    lock = HeldFileLock(db)  # the run cannot load until we let it
    holder = None
    try:
        _wait_for("the run's staged batch", lambda: any(run_id_in(b, run.id) for b in _pending(db)), serving["serve"])
        holder = duckdb.connect(str(db))  # an analyst's read-write session on the file
        lock.release()  # the run now reaches DuckDB and meets the held file
        final = _wait_final(serving["url"], [run.id], serving["serve"])[run.id]
    finally:
        if holder is not None:
            holder.close()
        lock.release()
    assert final.state.is_completed(), final.state
    assert final.state.message.startswith("Completed with warnings: load deferred"), final.state.message
    logs = _finished_logs(serving, run.id)
    busy = [(lvl, name, m) for lvl, name, m in logs if "warehouse busy" in m]
    assert busy and busy[0][0] == 30 and busy[0][1] == "akhbar.load", logs  # warehouse/load.py's own WARNING
    assert "left pending for the next run" in busy[0][2]
    assert any(lvl == 30 and m.startswith("load deferred") for lvl, _, m in logs)
    assert any(run_id_in(b, run.id) for b in _pending(db)), "the deferred batch was not kept"
    # the long page fetch said how far it was while it ran
    assert any(re.fullmatch(r"pages: \d+/\d+ \(\d+%\) after \d+s", m) for _, _, m in logs), logs


def run_id_in(batch: Path, flow_run_id) -> bool:
    return f"-ingest-{str(flow_run_id)[:8]}-" in batch.name


def _slots(url: str, deployment_id) -> tuple[int, int]:
    with api(url) as client:
        dep = client.read_deployment(deployment_id)
        writer = client.read_global_concurrency_limit_by_name(LIMIT_NAME)
    return dep.global_concurrency_limit.active_slots, writer.active_slots


def test_cancel_from_the_api_ends_cancelled_in_seconds_and_writes_nothing_half(serving, slow_web):
    from prefect.states import Cancelling

    db, url = serving["db"], serving["url"]
    run = _slow_run(serving, slow_web)
    lock = HeldFileLock(db)
    runs_before = _run_ids_in_warehouse(db)  # after the run's first load (of earlier runs' batches)
    try:
        # the run staged its batch and now waits for the writer lock, holding the writer slot
        _wait_for("the run's staged batch", lambda: any(run_id_in(b, run.id) for b in _pending(db)), serving["serve"])
        with api(url) as client:
            client.set_flow_run_state(run.id, Cancelling(), force=True)  # what the UI's Cancel button sends
        cancelled_at = time.monotonic()
        final = _wait_final(url, [run.id], serving["serve"], timeout=90)[run.id]
        seconds = time.monotonic() - cancelled_at
        assert final.state.is_cancelled(), f"{final.state}\n{serving['serve'].tail()}"
        assert seconds < 45, f"cancel took {seconds:.0f}s"
        print(f"\nAPI cancel -> Cancelled in {seconds:.1f}s")
        assert _run_ids_in_warehouse(db) == runs_before  # nothing of the run reached the warehouse...
        [batch] = [b for b in _pending(db) if run_id_in(b, run.id)]  # ...and its batch is kept, whole
        assert (batch / "batch.json").exists() and (batch / "runs.parquet").exists()
        slots = [None]
        _wait_for("deployment and writer slots released",
                  lambda: slots.append(_slots(url, serving["deployment"].id)) or slots[-1] == (0, 0),
                  serving["serve"], timeout=30, last=lambda: slots[-1])
        assert _wait_for("the interruption note", _log_line(url, run.id, "run stopped before it finished"),
                         serving["serve"], timeout=30)
    finally:
        lock.release()
    # the next run starts at once and loads the cancelled run's batch
    with api(url) as client:
        nxt = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={
            "max_per_feed": 1, "feeds": [slow_web.feeds[0]["outlet_id"]]})  # the fast web's copy of it
    done = _wait_final(url, [nxt.id], serving["serve"])[nxt.id]
    assert done.state.is_completed(), done.state
    assert str(run.id)[:8] in _run_ids_in_warehouse(db) and not [b for b in _pending(db) if run_id_in(b, run.id)]


def test_ctrl_c_on_serve_mid_run_cancels_the_run_quietly_and_the_next_run_starts_at_once(serving, slow_web):
    serve, url = serving["serve"], serving["url"]
    run = _slow_run(serving, slow_web)
    stopping = time.monotonic()
    serve.stop(signal.SIGINT, wait_s=120)  # Ctrl-C in serve's terminal: SIGINT to the whole process group
    print(f"\nCtrl-C -> serve exited in {time.monotonic() - stopping:.1f}s")
    assert serve.proc.returncode == 0, serve.tail()
    # no flow-run process or extraction worker left behind: workers of the run's fork server leave
    # when their pipes close, a moment after the run's process has ended (seconds on a loaded machine)
    gone_by = time.monotonic() + 15
    while True:
        try:
            os.killpg(serve.proc.pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < gone_by, "a process of serve's group outlived serve by 15 s"
        time.sleep(0.2)
    with api(url) as client:
        final = client.read_flow_run(run.id)
    assert final.state.is_cancelled(), final.state
    assert "akhbar serve was stopped (SIGINT)" in final.state.message
    assert _slots(url, serving["deployment"].id)[0] == 0, "the run's deployment slot was not released"
    tail = serve.tail()
    assert "Traceback" not in tail and "KeyboardInterrupt" not in tail, tail
    assert not [b for b in _pending(serving["db"]) if run_id_in(b, run.id)]  # interrupted before staging
    restarted = datetime.now(UTC)
    serve.start()
    _wait_for_deployment(url, serve, after=restarted)
    with api(url) as client:
        nxt = client.create_flow_run_from_deployment(serving["deployment"].id, parameters={
            "dry_run": True, "max_per_feed": 1, "feeds": [slow_web.feeds[0]["outlet_id"]]})
    done = _wait_final(url, [nxt.id], serve)[nxt.id]
    assert done.state.is_completed(), done.state
    with api(url) as client:
        names = [s.name for s in client.read_flow_run_states(nxt.id)]
    assert "AwaitingConcurrencySlot" not in names, names  # the cancelled run's slot was free


def test_stopping_and_restarting_serve_keeps_the_schedule_active(serving, server, fixture_web):
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
                                                                         "feeds": [fixture_web.feeds[0]["outlet_id"]]})
    final = _wait_final(server["url"], [run.id], serve)[run.id]
    assert final.state.is_completed(), f"{final.state}\n{serve.tail()}"


def test_queue_tidy_keeps_only_the_newest_missed_scheduled_run_and_puts_manual_runs_first(serving):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId
    from prefect.states import Cancelled, Scheduled

    from flows.deployments import tidy_queue

    url, dep_id = serving["url"], serving["deployment"].id
    soon = datetime.now(UTC) + timedelta(days=2)
    with api(url) as client:  # two manual runs, the first one asked first but retrying later
        first = client.create_flow_run_from_deployment(dep_id, state=Scheduled(scheduled_time=soon + timedelta(minutes=10)))
        second = client.create_flow_run_from_deployment(dep_id, state=Scheduled(scheduled_time=soon))
    try:
        # the server's scheduler pre-creates the daily cron runs in its own loop: wait until it has
        # (on a quiet machine this test can come first; CI caught it)
        deadline = time.monotonic() + 120
        while True:
            with api(url) as client:
                auto = [r for r in client.read_flow_runs(flow_run_filter=FlowRunFilter(
                    deployment_id=FlowRunFilterDeploymentId(any_=[dep_id]))) if r.auto_scheduled
                    and r.expected_start_time <= datetime.now(UTC) + timedelta(days=3)]
            if len(auto) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(1)
        # three days on, the pre-created daily cron runs of days 1-3 are all due: serve was "down"
        with api(url):
            report = tidy_queue([DEPLOYMENT], now=datetime.now(UTC) + timedelta(days=3))
        with api(url) as client:
            runs = {r.id: r for r in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[dep_id])))}
        due_auto = sorted((r for r in runs.values() if r.auto_scheduled
                           and r.expected_start_time <= datetime.now(UTC) + timedelta(days=3)),
                          key=lambda r: r.expected_start_time)
        assert len(due_auto) >= 2 and report.superseded == len(due_auto) - 1
        assert all(r.state.is_cancelled() and "superseded by the run due at" in r.state.message for r in due_auto[:-1])
        assert due_auto[-1].state.is_scheduled()  # the newest missed run still runs: one catch-up, not three
        a, b = runs[first.id], runs[second.id]
        assert a.state.is_scheduled() and b.state.is_scheduled()  # manual runs are never cancelled
        assert b.next_scheduled_start_time == a.next_scheduled_start_time + timedelta(seconds=2)  # first in, first out
        assert due_auto[-1].next_scheduled_start_time > b.next_scheduled_start_time  # scheduled after manual
        with api(url):
            assert tidy_queue([DEPLOYMENT], now=datetime.now(UTC) + timedelta(days=3)).reordered == 0  # stable
    finally:
        with api(url) as client:
            for run_id in (first.id, second.id):
                client.set_flow_run_state(run_id, Cancelled(message="test cleanup"), force=True)


def test_superseded_deployments_of_this_warehouse_are_paused_others_are_left_alone(serving):
    from types import SimpleNamespace

    from flows.deployments import retire_superseded

    url = serving["url"]
    with api(url) as client:
        flow_id = client.read_flow_by_name("ingest").id
        old = client.create_deployment(flow_id=flow_id, name="akhbar", tags=["akhbar"],
                                       parameters={"db": str(serving["db"])})
        other = client.create_deployment(flow_id=flow_id, name="other-warehouse", tags=["akhbar"],
                                         parameters={"db": "/elsewhere/akhbar.duckdb"})
    current = [SimpleNamespace(flow_name="ingest", name=DEPLOYMENT.split("/")[1])]
    with api(url):
        retired = retire_superseded(current, str(serving["db"]))
    assert retired == ["ingest/akhbar"]
    with api(url) as client:
        assert client.read_deployment(old).paused and not client.read_deployment(other).paused
        assert not client.read_deployment_by_name(DEPLOYMENT).paused
        client.delete_deployment(old)
        client.delete_deployment(other)


def test_a_run_orphaned_by_a_killed_serve_is_marked_crashed_by_the_next_serve(serving):
    from prefect.states import Cancelled, Running, Scheduled

    from flows.deployments import reap_orphans

    url, dep_id = serving["url"], serving["deployment"].id
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs anything
    later = Scheduled(scheduled_time=datetime.now(UTC) + timedelta(days=5))
    with api(url) as client:
        orphan = client.create_flow_run_from_deployment(dep_id, state=later)
        alive = client.create_flow_run_from_deployment(dep_id, state=later)
        for run, pid in ((orphan, gone.pid), (alive, os.getpid())):
            client.update_flow_run(run.id, infrastructure_pid=f"{socket.gethostname()}:{pid}")
            client.set_flow_run_state(run.id, Running(), force=True)
    try:
        with api(url):
            assert reap_orphans([DEPLOYMENT]) == 1
        with api(url) as client:
            crashed, running = client.read_flow_run(orphan.id).state, client.read_flow_run(alive.id).state
        assert crashed.is_crashed() and "akhbar serve that ran it was killed" in crashed.message
        assert running.is_running()  # its process is alive (another serve may be running it)
    finally:
        with api(url) as client:
            client.set_flow_run_state(alive.id, Cancelled(message="test cleanup"), force=True)


def test_serve_warns_when_the_ui_talks_to_another_port(server):
    import http.server

    from flows.deployments import check_ui_api_url

    assert check_ui_api_url(server["url"]) is None  # the fixture set PREFECT_SERVER_UI_API_URL first

    class Default4200(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"api_url": "http://127.0.0.1:4200/api"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Default4200)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        warning = check_ui_api_url(f"http://127.0.0.1:{httpd.server_address[1]}/api")
    finally:
        httpd.shutdown()
    assert warning and "PREFECT_SERVER_UI_API_URL" in warning and "prefect server start --port" in warning


def test_deployment_names_say_the_schedule():
    assert schedule_slug("*/15 * * * *") == "every-15-min"
    assert schedule_slug("0 * * * *") == "hourly"
    assert schedule_slug("5 */6 * * *") == "every-6-hours"
    assert schedule_slug("0 6 * * *") == "daily-0600-utc"
    assert schedule_slug("30 7 * * *", "Asia/Riyadh") == "daily-0730-asia-riyadh"
    assert schedule_slug("0 6 * * 1") == "custom-schedule"
    assert schedule_slug(None) == "manual"


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
