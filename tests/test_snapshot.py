"""Snapshots readable while ingest holds the warehouse; loads and readers under lock contention."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.analysis_fixture import build
from warehouse.load import load_pending, stage_batch
from warehouse.queries import run_query
from warehouse.snapshot import publish_parquet_snapshot, publish_snapshot, snapshot_path

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=False)
con.execute("SELECT count(*) FROM articles").fetchall()
print("ready", flush=True)
sys.stdin.read()   # hold the lock until the test closes our stdin
con.close()
"""

READER_LOOP = """
import json, sys, threading, time
from pathlib import Path
from warehouse.queries import run_query
db, least = Path(sys.argv[1]), int(sys.argv[2])
pause = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
counts, errors = [], []
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
print("ready", flush=True)
while not stop.is_set() or len(counts) < least:  # reads until the loads are over (told on stdin)
    try:
        counts.append(run_query(db, "SELECT count(*) FROM articles")[1][0][0])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(pause)
print(json.dumps({"counts": counts, "errors": errors}), flush=True)
"""


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("snapshot"), search_index=True)


def _spawn(script: str, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def _release(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out


def _article(n: int, now_iso: str = "2026-01-01T00:00:00+00:00") -> dict:
    from datetime import datetime

    url = f"https://extra.example/{n}"
    return dict(article_id=f"extra{n:011d}", url=url, canonical_url=url, source_id="sahil", title=f"خبر {n}",
                fetched_at=datetime.fromisoformat(now_iso), text="نص الخبر", extraction_status="ok")


def test_snapshot_opens_read_only_while_main_file_is_held(wh):
    snap = publish_snapshot(wh.db)
    assert snap == snapshot_path(wh.db) == wh.db.with_name("akhbar.snapshot.duckdb")
    holder = _spawn(HOLDER, str(wh.db))
    try:
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(wh.db), read_only=True)           # the main file is unusable now ...
        con = duckdb.connect(str(snap), read_only=True)           # ... the snapshot is not
        try:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(wh.articles)
            assert con.execute("SELECT count(*) FROM story_spread").fetchone()[0] == 36
            assert con.execute("SELECT count(*) FROM search_articles('الامريكيه')").fetchone()[0] >= 1
        finally:
            con.close()
        # publishing while a writer holds the file gives up and keeps the old snapshot
        assert publish_snapshot(wh.db, wait_s=0.3) is None and snap.exists()
    finally:
        _release(holder)


def test_snapshot_replacement_is_atomic_for_open_readers(wh):
    snap = publish_snapshot(wh.db)
    old = duckdb.connect(str(snap), read_only=True)
    try:
        before = old.execute("SELECT count(*) FROM articles").fetchone()[0]
        publish_snapshot(wh.db)                                   # renamed over the open file
        assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    finally:
        old.close()
    assert not list(snap.parent.glob(".*.tmp"))


def test_parquet_snapshot(wh, tmp_path):
    out = publish_parquet_snapshot(wh.db, tmp_path / "snapshot")
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{(out / 'articles.parquet').as_posix()}')").fetchone()[0]
    assert n == len(wh.articles)
    assert {"sources.parquet", "story_clusters.parquet", "search_docs.parquet"} <= {p.name for p in out.iterdir()}


def test_load_left_pending_while_another_process_holds_the_file(wh):
    before = run_query(wh.db, "SELECT count(*) FROM articles")[1][0][0]
    stage_batch(wh.area, "20260102T000000000001-locked", {"articles": [_article(1), _article(2)]})
    holder = _spawn(HOLDER, str(wh.db))
    try:
        report = load_pending(wh.db, wh.area, wait_s=0.5)
    finally:
        _release(holder)
    assert report.error and "held by another process" in report.error
    assert report.loaded == [] and report.pending == ["20260102T000000000001-locked"]
    assert (wh.area.pending / "20260102T000000000001-locked" / "articles.parquet").exists()
    report = load_pending(wh.db, wh.area, wait_s=5)
    assert report.error is None and report.loaded == ["20260102T000000000001-locked"] and report.pending == []
    assert run_query(wh.db, "SELECT count(*) FROM articles")[1][0][0] == before + 2


def test_reader_loop_sees_no_error_during_loads(wh):
    base = run_query(wh.db, "SELECT count(*) FROM articles")[1][0][0]
    reader = _spawn(READER_LOOP, str(wh.db), "5")
    loads = []
    for i in range(5):
        stage_batch(wh.area, f"20260103T00000000000{i}-loop", {"articles": [_article(100 + i)]})
        started = time.monotonic()
        report = load_pending(wh.db, wh.area, wait_s=30)
        loads.append(time.monotonic() - started)
        assert report.error is None and len(report.loaded) == 1
        time.sleep(0.3)
    result = json.loads(_release(reader).strip().splitlines()[-1])
    assert result["errors"] == []
    counts = result["counts"]
    assert len(counts) >= 5 and counts == sorted(counts)     # never a partial or rolled-back view
    assert counts[0] >= base and counts[-1] <= base + 5
    assert max(loads) < 10


def test_readers_back_to_back_do_not_starve_the_writer(wh):
    """Analysts' readers that open the file back to back, from three processes, leave a loading
    writer no gap of its own: the writer says it is waiting and new readers hold off for a moment,
    so the load gets in within seconds, not after minutes or never."""
    readers = [_spawn(READER_LOOP, str(wh.db), "1", "0") for _ in range(3)]
    loads = []
    try:
        time.sleep(0.5)
        for i in range(5):
            stage_batch(wh.area, f"20260104T00000000000{i}-busy", {"articles": [_article(200 + i)]})
            started = time.monotonic()
            report = load_pending(wh.db, wh.area, wait_s=30)
            loads.append(time.monotonic() - started)
            assert report.error is None and len(report.loaded) == 1, report.error
    finally:
        results = [json.loads(_release(r).strip().splitlines()[-1]) for r in readers]
    assert all(r["errors"] == [] for r in results)  # and no reader saw an error meanwhile
    assert max(loads) < 10, loads


def test_snapshot_policy_small_every_load_large_on_a_schedule(wh, tmp_path):
    """A small warehouse is republished after every load; a large one (here: any size over a
    0 MB limit) only when its snapshot is missing or older than the interval."""
    import os
    import shutil

    from flows.loading import load_all_pending, staging_area
    from flows.settings import Settings
    from warehouse.snapshot import snapshot_due

    db = tmp_path / "akhbar.duckdb"
    shutil.copyfile(wh.db, db)
    snap = snapshot_path(db)
    assert snapshot_due(db, small_mb=1024, every_h=6)                  # small: always
    assert snapshot_due(db, small_mb=0, every_h=6)                     # large, no snapshot yet
    publish_snapshot(db)
    assert not snapshot_due(db, small_mb=0, every_h=6)                 # large, fresh snapshot
    old = time.time() - 7 * 3600
    os.utime(snap, (old, old))
    assert snapshot_due(db, small_mb=0, every_h=6)                     # large, 7 h old

    large = Settings(snapshot_small_mb=0, snapshot_every_h=6)
    publish_snapshot(db)
    before = snap.stat().st_mtime
    area = staging_area(db)
    stage_batch(area, "20260105T000000000001-policy", {"articles": [_article(500)]})
    assert load_all_pending(db, large).loaded
    assert snap.stat().st_mtime == before                               # not copied after this load
    counts = [duckdb.connect(str(p), read_only=True).execute("SELECT count(*) FROM articles").fetchone()[0]
              for p in (db, snap)]
    assert counts[0] == counts[1] + 1                                   # the snapshot lags one load

    small = Settings(snapshot_small_mb=1024, snapshot_every_h=6)
    stage_batch(area, "20260105T000000000002-policy", {"articles": [_article(501)]})
    assert load_all_pending(db, small).loaded
    con = duckdb.connect(str(snap), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == counts[0] + 1
    con.close()


def test_snapshot_command_publishes_now(wh, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from flows.cli import app

    db = tmp_path / "akhbar.duckdb"
    shutil.copyfile(wh.db, db)
    result = CliRunner().invoke(app, ["snapshot", "--db", str(db), "--parquet", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    assert snapshot_path(db).exists() and (tmp_path / "pq" / "articles.parquet").exists()
    missing = CliRunner().invoke(app, ["snapshot", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "no warehouse" in missing.output
