"""Sharded ingest without a work pool: shards of whole outlets stage unclustered batches; the one
serialized load step clusters each against the window. The result equals one machine's run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.catalog import load_catalog
from tasks.shards import split_outlets
from tests.scaleout_compare import assert_same_warehouse


def test_shards_hold_whole_outlets_and_balance_feeds(dev_catalog):
    specs = load_catalog(dev_catalog)
    shards = split_outlets(specs, 3)
    outlets = [o for s in shards for o in s]
    assert len(shards) == 3 and sorted(outlets) == sorted({s.source_id for s in specs})
    assert len(outlets) == len(set(outlets))  # never one outlet in two shards
    feeds = [sum(1 for s in specs if s.source_id in shard) for shard in shards]
    assert max(feeds) - min(feeds) <= max(sum(1 for s in specs if s.source_id == o) for o in outlets)
    assert split_outlets(specs, 3) == shards  # deterministic
    assert len(split_outlets(specs, 100)) == len(set(outlets))


@pytest.mark.heavy
@pytest.mark.parametrize("kind", ["lake", "file"])
def test_three_shards_then_one_load_equal_one_machine(kind, ingested, prefect_harness, dev_catalog, tmp_path):
    from flows.ingest import ingest

    db = tmp_path / "akhbar.duckdb" if kind == "file" else Path(f"ducklake:{tmp_path}/akhbar.ducklake")
    shards = split_outlets(load_catalog(dev_catalog), 3)
    assert len(shards) == 3
    for outlets in shards:
        result = ingest(catalog=str(dev_catalog), db=str(db), feeds=outlets, allow_private_networks=True, shard=True)
        assert "deferred" not in result["status"]
    assert_same_warehouse(db, ingested["db"])


def test_pool_deployments_are_the_sharded_ingest_and_the_lake_maintenance(tmp_path, monkeypatch):
    from flows.workpool import pool_deployments

    monkeypatch.chdir(tmp_path)
    lake = "ducklake:postgres:dbname=akhbar host=db1 user=akhbar"
    deps = {d.flow_name: d for d in pool_deployments(db=lake, catalog="cat.toml", cron="*/5 * * * *", shards=3)}
    assert set(deps) == {"ingest", "ingest-sharded", "lake-maintenance"}
    assert deps["ingest"].parameters == {"db": lake, "catalog": str(tmp_path / "cat.toml"), "shard": True}
    assert not deps["ingest"].schedules  # started by the parent only
    parent = deps["ingest-sharded"]
    assert parent.parameters["shards"] == 3 and parent.parameters["shard_deployment"] == "ingest/akhbar"
    assert parent.schedules[0].schedule.cron == "*/5 * * * *" and parent.concurrency_limit == 1
    assert parent.entrypoint == "flows.workpool.ingest_sharded"
    # a plain file: no lake maintenance; the path is stored absolute (workers run elsewhere)
    plain = {d.flow_name: d for d in pool_deployments(db="data/x.duckdb", catalog=None, cron="* * * * *", shards=2)}
    assert set(plain) == {"ingest", "ingest-sharded"}
    assert plain["ingest"].parameters["db"] == str(tmp_path / "data" / "x.duckdb")
