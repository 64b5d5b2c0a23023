"""Several machines, played on one: PostgreSQL + `prefect server start` on PostgreSQL + 2 Prefect
work-pool workers (+ a Dask scheduler and 2 Dask workers), everything started as an operator
would (README "When one machine is not enough"), the lake on PostgreSQL with its files in a
shared directory.

* a scheduled-style run of `ingest-sharded` over the fixture web in 3 shards ends with exactly the
  single-machine warehouse (articles, clusters as sets, canonical copies, agencies);
* 4 shard runs finishing at once leave no duplicate key and lose no batch;
* a shard killed with -9 in the middle of its load leaves its batch for the next run;
* a WARC backfill with extraction on the Dask cluster gives the process pool's warehouse.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.scaleout_compare import assert_same_warehouse, fingerprint
from tests.scaleout_procs import Proc, base_env, start_dask, start_prefect_server, tail

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(2400)]
pytest.importorskip("duckdb_extension_ducklake", reason="the [lake] extra is not installed")

AKHBAR = str(Path(sys.executable).with_name("akhbar"))
PREFECT = str(Path(sys.executable).with_name("prefect"))
POOL = "akhbar-e2e"


def run_cli(args: list[str], env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([AKHBAR, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"akhbar {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def cluster(postgres, dev_catalog, fixture_web, tmp_path_factory):
    """Prefect server on PostgreSQL, the lake initialised, deployments on a pool, 2 workers."""
    root = tmp_path_factory.mktemp("e2e")
    postgres.create_database("prefect_e2e")
    lake_dsn = postgres.create_database("lake_e2e")
    (root / "prefect").mkdir()
    server, url = start_prefect_server(root / "prefect", postgres.sqlalchemy_url("prefect_e2e"))
    shared = root / "shared"  # what every machine would mount (NFS, …)
    db = f"ducklake:postgres:{lake_dsn}"
    env = base_env(PREFECT_API_URL=url, PREFECT_HOME=str(root / "prefect"), AKHBAR_SHARED_DIR=str(shared),
                   PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_WORKER_PREFETCH_SECONDS="5",
                   PREFECT_LOGGING_LEVEL="INFO")
    workers: list[Proc] = []
    try:
        run_cli(["lake", "init", "--db", db], env)
        run_cli(["deploy", "--pool", POOL, "--db", db, "--catalog", str(dev_catalog), "--shards", "3",
                 "--allow-private-networks", "--cron", "0 0 1 1 *"], env)
        for i in range(2):  # "machine" i: its own working directory
            wdir = root / f"machine{i}"
            wdir.mkdir()
            workers.append(Proc([PREFECT, "worker", "start", "--pool", POOL, "--limit", "2", "--name", f"worker-{i}"],
                                env, wdir / "worker.log", cwd=wdir))
        yield dict(url=url, env=env, db=db, shared=shared, root=root, workers=workers, postgres=postgres)
    finally:
        for w in workers:
            w.stop()
        server.stop()


def client_for(url: str):
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    class _Ctx:
        def __enter__(self):
            self._settings = temporary_settings(updates={PREFECT_API_URL: url})
            self._settings.__enter__()
            self._client = get_client(sync_client=True)
            return self._client.__enter__()

        def __exit__(self, *exc):
            self._client.__exit__(*exc)
            self._settings.__exit__(*exc)

    return _Ctx()


def start_runs(url: str, deployment: str, params_list: list[dict]) -> list:
    with client_for(url) as client:
        dep = client.read_deployment_by_name(deployment)
        return [client.create_flow_run_from_deployment(dep.id, parameters=p).id for p in params_list]


def wait_final(url: str, run_ids: list, timeout_s: float = 1200) -> dict:
    from flows.workpool import FINAL

    deadline = time.monotonic() + timeout_s
    with client_for(url) as client:
        while True:
            runs = {rid: client.read_flow_run(rid) for rid in run_ids}
            states = {rid: r.state.type.value for rid, r in runs.items()}
            if all(s in FINAL for s in states.values()):
                return runs
            assert time.monotonic() < deadline, f"runs not finished: {states}"
            time.sleep(2)


def children_of(url: str, parent_id) -> list:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with client_for(url) as client:
        return client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[parent_id])))


def keyed_duplicates(db) -> dict[str, int]:
    from warehouse.load import TABLE_KEYS, TABLE_POLICY
    from warehouse.queries import run_query

    out = {}
    for table, keys in TABLE_KEYS.items():
        if TABLE_POLICY[table].startswith(("update:", "delete:")):  # no table of their own (they change others)
            continue
        cols = ", ".join(keys)
        out[table] = run_query(db, f"SELECT count(*) FROM (SELECT {cols} FROM {table} GROUP BY ALL HAVING count(*) > 1)")[1][0][0]
    return out


def fresh_lake(cluster, name: str) -> str:
    return f"ducklake:postgres:{cluster['postgres'].create_database(name)}"


def test_sharded_ingest_on_two_workers_equals_one_machine(cluster, ingested):
    from warehouse import lake

    lake.configure(shared_dir=cluster["shared"])
    parent = start_runs(cluster["url"], "ingest-sharded/akhbar", [{}])[0]
    runs = wait_final(cluster["url"], [parent])
    logs = "\n".join(tail(w.log, 10**6) for w in cluster["workers"])
    assert runs[parent].state.type.value == "COMPLETED", logs[-6000:]
    kids = children_of(cluster["url"], parent)
    assert len(kids) == 3 and all(k.state.type.value == "COMPLETED" for k in kids)
    # the 4 runs (parent + 3 shards) were spread over both workers
    per_worker = [sum(str(r.id) in tail(w.log, 10**6) for r in [runs[parent], *kids]) for w in cluster["workers"]]
    assert all(n >= 1 for n in per_worker), per_worker
    assert_same_warehouse(Path(cluster["db"]), ingested["db"])
    assert keyed_duplicates(Path(cluster["db"])) == dict.fromkeys(keyed_duplicates(ingested["db"]), 0)
    from warehouse.paths import data_dir_for

    assert not list((data_dir_for(cluster["db"]) / "staging" / "pending").glob("*"))


def test_four_shards_finishing_at_once_lose_nothing_and_duplicate_nothing(cluster, ingested, dev_catalog):
    from tasks.catalog import load_catalog
    from tasks.shards import split_outlets
    from warehouse import lake
    from warehouse.queries import run_query

    lake.configure(shared_dir=cluster["shared"])
    db = fresh_lake(cluster, "lake_race")
    run_cli(["lake", "init", "--db", db], cluster["env"])
    groups = split_outlets(load_catalog(dev_catalog), 4)
    assert len(groups) == 4
    ids = start_runs(cluster["url"], "ingest/akhbar", [{"db": db, "feeds": g} for g in groups])
    runs = wait_final(cluster["url"], ids)
    assert all(r.state.type.value == "COMPLETED" for r in runs.values()), {r.name: r.state.message for r in runs.values()}
    dups = keyed_duplicates(Path(db))
    assert all(n == 0 for n in dups.values()), dups
    batches = run_query(Path(db), "SELECT batch_id FROM load_batches")[1]
    assert len(batches) == len({b for (b,) in batches}) >= 4  # every shard's batch, each once
    from warehouse.paths import data_dir_for

    assert not list((data_dir_for(db) / "staging" / "pending").glob("*"))
    assert_same_warehouse(Path(db), ingested["db"])


def big_batch(area, n: int, tag: str) -> Path:
    """A staged batch of n synthetic articles (no clustering asked: this is about the load)."""
    from datetime import UTC, datetime

    from warehouse.load import stage_batch

    now = datetime.now(UTC)
    rows = [dict(article_id=f"{tag}{i:010d}", url=f"https://big.example/{tag}/{i}", canonical_url=f"https://big.example/{tag}/{i}",
                 source_id="big", fetched_at=now, extraction_status="ok", text="نص " * 200, title=f"خبر {i}")
            for i in range(n)]
    return stage_batch(area, f"20260101T000000000000-{tag}", {"articles": rows})


def test_a_shard_killed_mid_load_leaves_its_batch_for_the_next_run(cluster):
    from warehouse import lake
    from warehouse.load import StagingArea
    from warehouse.paths import data_dir_for
    from warehouse.queries import run_query

    lake.configure(shared_dir=cluster["shared"])
    db = fresh_lake(cluster, "lake_kill")
    run_cli(["lake", "init", "--db", db], cluster["env"])
    area = StagingArea(data_dir_for(db) / "staging")
    batch = big_batch(area, 400_000, "k")  # 150k merged within the 1 s below on a quiet machine
    lock = data_dir_for(db) / "write.lock"
    lock.unlink(missing_ok=True)
    code = ("from pathlib import Path; from flows.loading import load_all_pending; from flows.settings import load_settings; "
            f"load_all_pending(Path({db!r}), load_settings())")
    log = cluster["root"] / "killed-loader.log"
    loader = Proc([sys.executable, "-c", code], cluster["env"], log)
    deadline = time.monotonic() + 300
    while not (lock.exists() and lock.read_text().strip() == str(loader.p.pid)):
        assert loader.alive(), tail(log)
        assert time.monotonic() < deadline, "the loader never took the writer lock"
        time.sleep(0.05)
    time.sleep(0.5)  # inside the load transaction (400k rows take several seconds to merge)
    assert loader.alive(), "the load finished before it could be killed: make the batch bigger"
    os.killpg(loader.p.pid, signal.SIGKILL)
    loader.p.wait(30)
    assert batch.exists(), "the batch must still be staged"
    assert run_query(Path(db), "SELECT count(*) FROM load_batches")[1] == [(0,)]
    assert run_query(Path(db), "SELECT count(*) FROM articles")[1] == [(0,)]  # no partial rows
    # The next run (a shard run, here the plain load step) loads it, once. The killed process
    # still holds the global limit's slot until its lease runs out (flows.locks.LEASE_S): the
    # server takes it back, so the next writer waits for that, not forever.
    env = dict(cluster["env"], AKHBAR_LOCK_WAIT_S="900")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run_query(Path(db), "SELECT count(*), count(DISTINCT article_id) FROM articles")[1] == [(400_000, 400_000)]
    assert run_query(Path(db), "SELECT count(*) FROM load_batches")[1] == [(1,)]
    assert not batch.exists()


def test_warc_backfill_on_dask_into_the_lake_equals_the_process_pool(cluster, prefect_harness, tmp_path):
    from flows.backfill import ingest_warc
    from tests.test_dask_backfill import GOLD, HOSTS, write_gold_warc
    from warehouse import lake

    warc = write_gold_warc(tmp_path)
    plain = tmp_path / "plain.duckdb"
    assert ingest_warc(files=[str(warc)], db=str(plain), outlets_by_host=HOSTS, batch_size=32)["stored"] == len(GOLD)
    lake.configure(shared_dir=cluster["shared"])
    db = fresh_lake(cluster, "lake_warc")
    run_cli(["lake", "init", "--db", db], cluster["env"])
    procs, address = start_dask(cluster["root"], 2, cluster["env"])
    try:
        host_args = [a for h, s in HOSTS.items() for a in ("--outlet-host", f"{h}={s}")]
        run_cli(["ingest-warc", str(warc), "--db", db, "--dask", address, "--batch-size", "32", *host_args],
                cluster["env"], timeout=900)
    finally:
        for p in reversed(procs):
            p.stop()
    assert fingerprint(Path(db)) == fingerprint(plain)
