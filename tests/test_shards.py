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


@pytest.mark.heavy
def test_shards_under_a_catalog_naming_an_agency_service_equal_one_machine(prefect_harness, agency_catalog, tmp_path):
    """The shards' manifests carry each agency service's agency: the shard holding rafidain (INA's
    own service) gives INA its uncredited pages, and the load step the canonical copies, as one
    machine does."""
    from flows.ingest import ingest
    from tasks.attribution import OWN_SERVICE_EVIDENCE
    from warehouse.queries import table_rows

    one = tmp_path / "one.duckdb"
    ingest(catalog=str(agency_catalog), db=str(one), allow_private_networks=True)
    db = tmp_path / "sharded.duckdb"
    for outlets in split_outlets(load_catalog(agency_catalog), 3):
        result = ingest(catalog=str(agency_catalog), db=str(db), feeds=outlets, allow_private_networks=True, shard=True)
        assert "deferred" not in result["status"]
    assert_same_warehouse(db, one)
    own = table_rows(db, "SELECT count(*) AS n FROM articles WHERE source_id = 'rafidain' AND wire_agency = 'ina' "
                         "AND agency_evidence = ?", [OWN_SERVICE_EVIDENCE])[0]["n"]
    assert own >= 3


def test_a_manifest_names_agency_services_with_their_agency_or_as_old_batches_did():
    from tasks.shards import manifest_agency_outlets

    assert manifest_agency_outlets({"agency_outlets": {"anadolu_ar": "anadolu", "sana": "sana"}}) == \
        {"anadolu_ar": "anadolu", "sana": "sana"}
    # a batch staged before the manifests carried the agency: its ids still get the canonical copies
    old = manifest_agency_outlets({"cluster_at_load": True, "agency_outlets": ["anadolu_ar", "sana"]})
    assert set(old) == {"anadolu_ar", "sana"} and not any(old.values())
    assert manifest_agency_outlets({"cluster_at_load": True}) == {}
