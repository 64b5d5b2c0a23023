"""`akhbar ingest` as a process (issue 15.5, 15.6): Ctrl-C and two ingests on one warehouse.

Real processes on the real fixture web: the command is started as a terminal would start it (its
own process group), Ctrl-C is SIGINT to the whole group (what a terminal sends), and the checks
read /proc for what is left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.locks import run_lock_holder
from tests.test_ingest import GOLD

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _env(tmp_path: Path, api_url: str | None = None, **extra: str) -> dict:
    """The environment of a command: its own PREFECT_HOME; the test harness's API server when
    given (no temporary server to start), else a temporary server of its own, as a user gets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PYTEST_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), NO_COLOR="1", AKHBAR_EXTRACT_WORKERS="2")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *map(str, args)], cwd=ROOT, env=env,
                            stdout=open(log.with_suffix(".out"), "w"), stderr=open(log.with_suffix(".err"), "w"),
                            start_new_session=True)


def _group_alive(pgid: int) -> list[str]:
    """Processes of the group that are still running (zombies waiting to be reaped do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(f"{entry.name} {cmd[:120]}")
    return alive


def _wait_for(predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _workers_running(pgid: int) -> bool:  # spawned workers, or the fork server they are forked from
    return any("spawn_main" in p or "multiprocessing.forkserver" in p for p in _group_alive(pgid))


def _articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def _pages(fixture_web) -> list[str]:
    return [path for kind, path, _ in fixture_web.log.entries if kind in ("page", "amp")]


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_keeps_the_fetched_pages_with_one_line_and_no_process_left(how, fixture_web, dev_catalog,
                                                                                    tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) or SIGTERM (`kill PID`) while pages download
    and the extraction workers run: one line, exit 130 / 143, every process of the command gone
    (workers, the temporary Prefect server), no lock left; the pages fetched before the signal are
    kept, so the next run completes the job without fetching any of them again."""
    db = tmp_path / "w.duckdb"
    fixture_web.log.clear()
    # one request at a time with a pause, so the run is still fetching when the signal comes
    slow = _env(tmp_path, AKHBAR_HOST_INTERVAL_S="0.4", AKHBAR_HOST_CONCURRENCY="1")
    proc = _start(["ingest", "--catalog", dev_catalog, "--db", db, "--allow-private-networks"], slow, tmp_path / "run")
    try:
        _wait_for(lambda: _workers_running(proc.pid) and len(_pages(fixture_web)) >= 3, 240,
                  "the extraction workers to start and pages to arrive")
        sent = time.monotonic()
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=90)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = (tmp_path / "run.err").read_text()
    fetched = _pages(fixture_web)
    assert "Traceback" not in err, err
    if how == "ctrl-c":
        assert code == 130, err
        assert err.strip().splitlines() == ["ingest interrupted; this run's articles were already loaded"], err
    else:
        assert code == 143, err
        # (Prefect's own log lines of the stop may come before it: a service manager's journal keeps them)
        assert err.strip().splitlines()[-1] == "ingest stopped (SIGTERM); this run's articles were already loaded", err
    assert took < 45, f"took {took:.1f}s to stop"  # measured 7-10 s on a loaded 2-core machine (GRACE_S caps it)
    _wait_for(lambda: not _group_alive(proc.pid), 10, "the command's processes to end")
    assert run_lock_holder(db) is None
    kept = _articles(db)
    assert 0 < kept < len(GOLD)

    fixture_web.log.clear()
    again = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--catalog", str(dev_catalog), "--db", str(db),
                            "--allow-private-networks"], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"articles: {len(GOLD) - kept} new" in again.stdout, again.stdout
    assert _articles(db) == len(GOLD)
    assert not set(fetched) & set(_pages(fixture_web)), "a page fetched before the stop was fetched again"


def test_a_second_ingest_exits_or_waits_and_no_page_is_fetched_twice(fixture_web, dev_catalog, tmp_path, api_url):
    """While one ingest runs, a second one on the same warehouse exits at once with one line
    (status 1); a third with --wait queues behind it, says so, then adds nothing and says so."""
    db = tmp_path / "w.duckdb"
    fixture_web.log.clear()
    slow = _env(tmp_path, api_url, AKHBAR_HOST_INTERVAL_S="0.2", AKHBAR_HOST_CONCURRENCY="1")
    first = _start(["ingest", "--catalog", dev_catalog, "--db", db, "--allow-private-networks"], slow, tmp_path / "a")
    try:
        _wait_for(lambda: run_lock_holder(db) is not None, 240, "the first ingest to take the run lock")
        holder = run_lock_holder(db)
        assert holder["pid"] == first.pid and holder["kind"] == "ingest"

        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--catalog", str(dev_catalog),
                                 "--db", str(db), "--allow-private-networks"], cwd=ROOT, env=_env(tmp_path, api_url),
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 1, second.stderr
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: an ingest (pid {first.pid}, on "), lines
        assert lines[0].endswith(f"is running on {db}; try again when it ends, or pass --wait SECONDS to queue "
                                 "behind it"), lines
        assert second.stdout == ""
        assert time.monotonic() - started < 60  # no Prefect server was started for it

        third = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--catalog", str(dev_catalog),
                                "--db", str(db), "--allow-private-networks", "--wait", "600"], cwd=ROOT,
                               env=_env(tmp_path, api_url), capture_output=True, text=True, timeout=900)
        assert first.wait(timeout=600) == 0, (tmp_path / "a.err").read_text()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert third.returncode == 0, third.stderr
    assert third.stderr.startswith(f"waiting for an ingest (pid {first.pid}, on "), third.stderr
    assert "articles: 0 new" in third.stdout and "pages: 0 fetched" in third.stdout
    first_out = (tmp_path / "a.out").read_text()
    assert f"articles: {len(GOLD)} new" in first_out
    pages = [path for kind, path, _ in fixture_web.log.entries if kind in ("page", "amp")]
    assert len(pages) == len(set(pages)), "a page was fetched twice"
    assert _articles(db) == len(GOLD)


def test_a_command_waiting_for_the_warehouse_says_so(ingested, tmp_path):
    """15.11: a command that must wait for a process holding the file says so, once, then works
    when the holder lets go."""
    import shutil

    db = tmp_path / "w.duckdb"
    shutil.copy2(ingested["db"], db)
    holder = duckdb.connect(str(db))  # this process holds it read-write, as a load would
    try:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "sql", "SELECT count(*) AS n FROM articles",
                                 "--db", str(db)], cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        first = proc.stderr.readline().rstrip("\n")  # blocks until the command says something
    finally:
        holder.close()  # let go only once it has said it is waiting
    out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, first + rest
    assert first.startswith("waiting up to ") and first.endswith(
        f"s for {db}: another process (pid {os.getpid()}) has it open for writing"), first
    assert "waiting" not in rest
    assert str(len(GOLD)) in out


def test_ingest_warc_summary_on_stdout(ingested, prefect_harness, tmp_path):
    """15.10: ingest-warc prints its summary on stdout (plain when piped), no Prefect logs."""
    from typer.testing import CliRunner

    from flows.cli import app

    warcs = sorted((Path(ingested["db"]).with_suffix(".d") / "archive").rglob("*.warc.gz"))
    assert warcs
    got = CliRunner().invoke(app, ["ingest-warc", str(warcs[0]), "--db", str(tmp_path / "w.duckdb"), "--dry-run"],
                             prog_name="akhbar")
    assert got.exit_code == 0, got.stderr
    assert got.stdout.startswith("akhbar ingest-warc ") and "- stored: " in got.stdout
    assert "**" not in got.stdout and "`" not in got.stdout
    assert got.stderr == ""


def test_the_interrupt_line_says_what_happened_to_the_runs_data():
    from flows.cli_runs import interrupt_message

    before = {"20261201T000000-ingest-old"}  # left pending by an earlier run
    assert interrupt_message(before, before, set()) == "interrupted; nothing was loaded"
    staged = before | {"20261201T001500-ingest-new"}
    assert interrupt_message(before, staged, set()) == (
        "interrupted; batch kept for the next run (it is staged and the next run loads it)")
    assert interrupt_message(before, set(), before | {"20261201T001500-ingest-new"}) == (
        "interrupted; this run's articles were already loaded")
    # the earlier run's batch loaded by this run is not "this run's articles"
    assert interrupt_message(before, set(), before) == "interrupted; nothing was loaded"
