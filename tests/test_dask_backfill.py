"""WARC backfill with extraction on Dask: a local cluster (`--workers 2`) and a real scheduler
with 2 worker processes (`--dask ADDRESS`) give exactly the warehouse of the local process pool."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.archive import WarcWriter
from tests.conftest import DEV_WEB
from tests.scaleout_compare import fingerprint

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(900)]
pytest.importorskip("distributed", reason="the [dask] extra is not installed")

GOLD = [json.loads(line) for line in (DEV_WEB / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
MANIFEST = {m["url_path"]: m for m in json.loads((DEV_WEB / "manifest.json").read_text("utf-8"))}
HOSTS = {f["host"]: f["outlet_id"] for f in json.loads((DEV_WEB / "feeds.json").read_text("utf-8"))}
WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def write_gold_warc(folder: Path) -> Path:
    """Every gold page of the fixture web as a CC-NEWS-style response record."""
    writer = WarcWriter(folder, "CC-NEWS-dask")
    for g in GOLD:
        host = g["url_path"].split("/")[1]
        body = (DEV_WEB / MANIFEST[g["url_path"]]["file"]).read_bytes().replace(b"{{BASE}}", f"https://{host}".encode())
        writer.write_response(f"https://{host}{g['url_path']}", 200, dict(MANIFEST[g["url_path"]]["headers"]), body, WHEN)
    return writer.current_path


@pytest.fixture(scope="module")
def gold_warc(tmp_path_factory) -> Path:
    return write_gold_warc(tmp_path_factory.mktemp("warc"))


@pytest.fixture(scope="module")
def local_pool_db(prefect_harness, gold_warc, tmp_path_factory) -> Path:
    from flows.backfill import ingest_warc

    db = tmp_path_factory.mktemp("pool") / "akhbar.duckdb"
    result = ingest_warc(files=[str(gold_warc)], db=str(db), outlets_by_host=HOSTS, batch_size=32)
    assert result["stored"] == len(GOLD)
    return db


def test_local_dask_cluster_gives_the_same_warehouse(prefect_harness, gold_warc, local_pool_db, tmp_path, monkeypatch):
    from flows.backfill import ingest_warc
    from tasks import dask_exec

    monkeypatch.setattr(dask_exec, "CHUNK", 8)  # several chunks per batch, several in flight
    db = tmp_path / "akhbar.duckdb"
    result = ingest_warc(files=[str(gold_warc)], db=str(db), outlets_by_host=HOSTS, batch_size=32, dask_workers=2)
    assert result["stored"] == len(GOLD)
    assert fingerprint(db) == fingerprint(local_pool_db)


def test_cli_backfill_and_reprocess_on_a_dask_scheduler_with_two_workers(gold_warc, local_pool_db, tmp_path):
    from tests.scaleout_procs import base_env, start_dask, tail

    env = base_env(PREFECT_HOME=str(tmp_path / "prefect"))
    procs, address = start_dask(tmp_path, 2, env)
    try:
        db = tmp_path / "akhbar.duckdb"
        akhbar = str(Path(sys.executable).with_name("akhbar"))
        host_args = [a for h, s in HOSTS.items() for a in ("--outlet-host", f"{h}={s}")]
        run = subprocess.run([akhbar, "ingest-warc", str(gold_warc), "--db", str(db), "--dask", address,
                              "--batch-size", "32", *host_args], env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert fingerprint(db) == fingerprint(local_pool_db)
        # both workers did extraction work
        worked = [p for p in procs[1:] if "run_job" in tail(p.log, 10**6) or p.alive()]
        assert len(worked) == 2
        run = subprocess.run([akhbar, "reprocess", "--db", str(db), "--dask", address], env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert fingerprint(db)["articles"] == fingerprint(local_pool_db)["articles"]
    finally:
        for p in reversed(procs):
            p.stop()
