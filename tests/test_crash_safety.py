"""kill -9 safety of `akhbar ingest` (issue 7) and a warehouse held by another process.

`akhbar ingest` runs as a real subprocess (console script, its own ephemeral Prefect server) against
the dev fixture web and is SIGKILLed at points chosen by watching files the run itself produces:

* before the load: a complete batch sits in ``<db stem>.d/staging/pending/`` while this test
  holds the warehouse writer lock (``<db stem>.d/write.lock``) so the load cannot start;
* during extraction: the WARC archive has records (pages fetched) and nothing is staged yet;
* right after the load: the pending batch was loaded and removed (``pending/`` empty again).

Then a normal ingest runs on the same warehouse and its tables must equal those of an
uninterrupted run: same rows (ids and key columns, no timestamps or run ids), no duplicates,
no partial rows, nothing pending, every archived page pointer readable.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from warehouse.paths import data_dir_for

pytestmark = pytest.mark.timeout(400)

AKHBAR = Path(sys.executable).with_name("akhbar")
REPO = Path(__file__).resolve().parent.parent

# What must be identical between an interrupted-then-resumed warehouse and an uninterrupted one.
COMPARED: dict[str, str] = {
    "articles": "article_id, url, canonical_url, source_id, feed_url, title, md5(coalesce(text, '')) AS text_md5, "
                "published_at, language, extraction_status, extraction_error, http_status, fetch_outcome, "
                "fetch_error, fetch_attempts, content_hash, cluster_id, is_canonical, wire_agency",
    "article_sightings": "article_id, feed_url, source_id, raw_link, guid, feed_title, feed_published_at",
    "url_aliases": "alias_id, alias_url, article_id",
    "story_clusters": "cluster_id, canonical_article_id, canonical_rule, agency, title, n_articles, n_sources",
    "cluster_members": "article_id, cluster_id, source_id, is_canonical, round(similarity, 6) AS similarity, "
                       "round(containment, 6) AS containment, matched_paragraphs",
}
KEYS = {"articles": "article_id", "article_sightings": "article_id, feed_url", "url_aliases": "alias_id",
        "story_clusters": "cluster_id", "cluster_members": "article_id"}


def table_state(db: Path) -> dict[str, Counter]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        state = {t: Counter(con.execute(f"SELECT {cols} FROM {t}").fetchall()) for t, cols in COMPARED.items()}
        for t, key in KEYS.items():
            dups = con.execute(f"SELECT {key}, count(*) n FROM {t} GROUP BY ALL HAVING n > 1").fetchall()
            assert not dups, f"duplicate {t} rows: {dups[:3]}"
        batches = con.execute("SELECT batch_id FROM load_batches").fetchall()
        assert len(batches) == len(set(batches))
        warc = con.execute("SELECT warc_file, warc_offset FROM articles WHERE warc_file IS NOT NULL").fetchall()
    finally:
        con.close()
    from tasks.archive import read_record

    archive = data_dir_for(db) / "archive"
    for name, offset in warc:  # an article never points into a torn archive record
        url, status, _, _ = read_record(archive / name, offset)
        assert url and status
    return state


def assert_same_tables(got: dict[str, Counter], want: dict[str, Counter]) -> None:
    for table in COMPARED:
        missing, extra = want[table] - got[table], got[table] - want[table]
        assert not missing and not extra, (
            f"{table}: {sum(missing.values())} rows missing, {sum(extra.values())} extra; "
            f"e.g. missing {list(missing)[:1]} extra {list(extra)[:1]}")
    assert sum(want["articles"].values()) > 0 and sum(want["story_clusters"].values()) > 0


def pending(db: Path) -> list[Path]:
    folder = data_dir_for(db) / "staging" / "pending"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- the uninterrupted reference and the CLI harness ----------------------------------------------


@pytest.fixture(scope="module")
def baseline(prefect_harness, fixture_web, dev_catalog, tmp_path_factory) -> dict[str, Counter]:
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("baseline") / "akhbar.duckdb"
    result = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    assert result["status"] == "completed" and result["articles_new"] > 0
    return table_state(db)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        PREFECT_HOME=str(tmp_path_factory.mktemp("prefect_home")),  # a private ephemeral-server database
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        AKHBAR_HOST_INTERVAL_S="0",
        AKHBAR_HOST_CONCURRENCY="8",
        AKHBAR_EXTRACT_WORKERS="2",
        AKHBAR_LOCK_WAIT_S="120",  # the before-load scenario holds the lock until the kill
    )
    return env


class Cli:
    """One `akhbar ingest` subprocess in its own process group (so -9 reaches its workers too)."""

    def __init__(self, catalog: Path, db: Path, env: dict[str, str]):
        self.db = db
        self.log = db.parent / "cli.log"
        self._out = open(self.log, "w")  # noqa: SIM115 - closed in kill()/wait()
        self.proc = subprocess.Popen(
            [str(AKHBAR), "ingest", "--catalog", str(catalog), "--db", str(db), "--allow-private-networks"],
            env=env, cwd=REPO, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)
        self.started = time.monotonic()

    def wait_for(self, what: str, cond, timeout: float = 150.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cond():
                return time.monotonic() - self.started
            if self.proc.poll() is not None:
                raise AssertionError(f"ingest exited ({self.proc.returncode}) before {what}:\n{self.tail()}")
            time.sleep(0.005)
        self.kill()
        raise AssertionError(f"timed out waiting for {what}:\n{self.tail()}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this test started
        self.proc.wait(timeout=30)
        self._out.close()
        assert self.proc.returncode in (-signal.SIGKILL, 0), self.proc.returncode

    def tail(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")[-3000:]


def warc_written(db: Path) -> bool:
    folder = data_dir_for(db) / "archive"
    return folder.exists() and any(p.stat().st_size > 0 for p in folder.glob("*.warc.gz"))


class HeldWriterLock:
    """This test process holding the warehouse writer lock (the file lock flows/locks.py takes)."""

    def __init__(self, db: Path):
        from flows.locks import lock_file_for

        path = lock_file_for(db)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the run holds it: test bug

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def resume(db: Path, catalog: Path) -> dict:
    """The normal ingest after the crash (in-process flow: same code as the CLI, no server start-up)."""
    from flows.ingest import ingest

    result = ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
    assert result["status"] == "completed", result
    assert not pending(db), "a batch is still pending after the resumed run"
    return result


# --- kill -9 at three points ------------------------------------------------------------------------


def test_kill_with_batch_staged_before_load(baseline, fixture_web, dev_catalog, cli_env, tmp_path):
    db = tmp_path / "akhbar.duckdb"
    cli = Cli(dev_catalog, db, cli_env)
    lock = None
    try:
        cli.wait_for("the WARC archive (initial load done)", lambda: warc_written(db))
        lock = HeldWriterLock(db)  # from here on the run cannot load: it can only stage and wait
        cli.wait_for("a pending batch", lambda: bool(pending(db)))
        time.sleep(0.2)  # the run is now blocked on the writer lock
    finally:
        cli.kill()
        if lock:
            lock.release()
    [batch] = pending(db)
    assert (batch / "batch.json").exists() and list(batch.glob("*.parquet"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0  # nothing loaded yet
    finally:
        con.close()
    fixture_web.log.clear()
    result = resume(db, dev_catalog)
    # The staged batch was loaded as it was, so the resumed run had no page left to download.
    assert result["articles_new"] == 0 and fixture_web.log.by_kind().get("page", 0) == 0
    assert_same_tables(table_state(db), baseline)


def test_kill_during_extraction(baseline, dev_catalog, cli_env, tmp_path):
    db = tmp_path / "akhbar.duckdb"
    cli = Cli(dev_catalog, db, cli_env)
    try:
        # The stream archives pages as they arrive, while extraction runs beside the fetch: the
        # first archived page means fetch and extraction are under way, and the 64 pages are one
        # chunk (AKHBAR_CHUNK_SIZE 256), staged only after all of them are extracted.
        cli.wait_for("the WARC archive", lambda: warc_written(db))
        time.sleep(0.2)
        assert not (data_dir_for(db) / "staging").exists(), "already staging: kill point missed"
    finally:
        cli.kill()
    assert not pending(db)
    result = resume(db, dev_catalog)
    assert result["articles_new"] == sum(baseline["articles"].values())
    assert_same_tables(table_state(db), baseline)


def test_kill_right_after_load(baseline, fixture_web, dev_catalog, cli_env, tmp_path):
    db = tmp_path / "akhbar.duckdb"
    folder = data_dir_for(db) / "staging" / "pending"
    writing = data_dir_for(db) / "staging" / "tmp"

    def loaded_and_removed() -> bool:
        # stage_batch makes `pending` just before it renames the written batch into it: an empty
        # `pending` while the batch is still under tmp/ is not "loaded" (a busy machine can pause
        # the run right there)
        return (folder.exists() and not any(folder.iterdir())
                and not (writing.exists() and any(p.is_dir() for p in writing.iterdir())))

    cli = Cli(dev_catalog, db, cli_env)
    try:
        cli.wait_for("the batch to be loaded and removed", loaded_and_removed)
    finally:
        cli.kill()
    assert_same_tables(table_state(db), baseline)  # the load itself was complete
    fixture_web.log.clear()
    result = resume(db, dev_catalog)
    assert result["articles_new"] == 0 and fixture_web.log.by_kind().get("page", 0) == 0
    assert_same_tables(table_state(db), baseline)


# --- a run streams its pages in chunks: killed between two chunks ------------------------------------

CHUNK = "16"  # 64 dev pages: four chunks, each staged and loaded on its own, then the run's feed tables


@pytest.fixture(scope="module")
def baseline_chunked(prefect_harness, fixture_web, dev_catalog, tmp_path_factory) -> dict[str, Counter]:
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("baseline_chunked") / "akhbar.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AKHBAR_CHUNK_SIZE", CHUNK)
        result = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    assert result["status"] == "completed" and result["articles_new"] > 0
    return table_state(db)


def test_a_run_in_chunks_stores_what_a_run_in_one_batch_stores(baseline, baseline_chunked):
    """Four chunks, each deduped against the warehouse holding the earlier ones (publication
    order), give the same articles, clusters, canonical copies and members as one batch."""
    assert_same_tables(baseline_chunked, baseline)


def test_kill_between_chunks(baseline_chunked, fixture_web, dev_catalog, cli_env, tmp_path, monkeypatch):
    """The first chunk is staged and loaded, the others not yet: the next run stores exactly the
    rest, and the warehouse is that of an uninterrupted run with the same chunks."""
    db = tmp_path / "akhbar.duckdb"
    folder = data_dir_for(db) / "staging" / "pending"
    cli = Cli(dev_catalog, db, {**cli_env, "AKHBAR_CHUNK_SIZE": CHUNK})
    seen_pending = []

    def first_chunk_loaded() -> bool:  # a chunk batch appeared in pending/ and was loaded (removed)
        here = folder.exists() and any(folder.iterdir())
        if here and not seen_pending:
            seen_pending.append(True)
        return bool(seen_pending) and not here
    try:
        cli.wait_for("the first chunk to be loaded", first_chunk_loaded)
    finally:
        cli.kill()
    loaded = table_state(db)
    n_loaded = sum(loaded["articles"].values())
    total = sum(baseline_chunked["articles"].values())
    assert 0 < n_loaded < total, (n_loaded, total)  # killed between chunks, not before or after them all
    monkeypatch.setenv("AKHBAR_CHUNK_SIZE", CHUNK)
    fixture_web.log.clear()
    result = resume(db, dev_catalog)
    assert result["articles_new"] == total - n_loaded  # the stored chunks are not fetched again
    assert_same_tables(table_state(db), baseline_chunked)


# --- another process holds the DuckDB file read-write during the load ------------------------------

HOLDER = textwrap.dedent("""
    import fcntl, os, sys, time
    import duckdb
    db, lock_path, archive, staging, ready, release = sys.argv[1:]
    deadline = time.monotonic() + 150
    def wait(path):
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                sys.exit("timed out waiting for " + path)
            time.sleep(0.002)
    wait(archive)  # the run's first (leftovers) load is over
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # keep the run's load from starting until the file is ours
    wait(staging)  # the run has done its last read and is writing its batch
    con = duckdb.connect(db)  # read-write: DuckDB locks the file for this process
    fcntl.flock(fd, fcntl.LOCK_UN)
    open(ready, "w").close()
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.05)
    con.close()
""")


def test_writer_held_by_other_process_defers_load(baseline, dev_catalog, tmp_path, monkeypatch):
    from flows.ingest import ingest
    from flows.locks import lock_file_for

    db = tmp_path / "akhbar.duckdb"
    d = data_dir_for(db)
    ready, release = tmp_path / "holder.ready", tmp_path / "holder.release"
    lock_file_for(db).parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(lock_file_for(db)), str(d / "archive"),
                               str(d / "staging"), str(ready), str(release)])
    try:
        monkeypatch.setenv("AKHBAR_LOCK_WAIT_S", "3")
        result = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
        assert ready.exists(), "the holder never took the warehouse"
        assert result["status"] == "completed (load deferred)", result
        assert "deferred" in result["summary"] and result["articles_new"] == sum(baseline["articles"].values())
        assert pending(db)  # the run's chunk(s) and its run tables, all waiting
    finally:
        release.touch()
        holder.wait(timeout=30)
    assert holder.returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        con.close()
    monkeypatch.setenv("AKHBAR_LOCK_WAIT_S", "30")
    nxt = resume(db, dev_catalog)  # loads the deferred batch first; nothing new to fetch
    assert nxt["articles_new"] == 0
    assert_same_tables(table_state(db), baseline)
