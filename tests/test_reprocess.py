"""reprocess: re-extraction from the WARC archive, in place, without the network, idempotent."""

from __future__ import annotations

import duckdb
import pytest

from tasks.extract import EXTRACTOR_VERSION

VOLATILE = {"joined_at", "updated_at"}  # timestamps a re-run legitimately moves


def snapshot(db) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, key in [("articles", "article_id"), ("cluster_members", "article_id"),
                           ("story_clusters", "cluster_id"), ("article_signatures", "article_id")]:
            cur = con.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            out[table] = {r[cols.index(key)]: {c: v for c, v in zip(cols, r, strict=True) if c not in VOLATILE}
                          for r in cur.fetchall()}
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(prefect_harness, fixture_web, dev_catalog, tmp_path_factory):
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("reprocess") / "akhbar.duckdb"
    ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    return db


def test_reprocess_twice_is_idempotent_offline_and_restores_text(warehouse, fixture_web, dev_catalog):
    from flows.reprocess import reprocess

    ingested = snapshot(warehouse)
    fixture_web.log.clear()
    first = reprocess(db=str(warehouse), catalog=str(dev_catalog))
    assert fixture_web.log.count() == 0, "reprocess must not touch the network"
    assert first["selected"] == len(ingested["articles"]) == first["reextracted"]
    assert first["regressed"] == first["not_archived"] == first["missing_record"] == 0
    after_first = snapshot(warehouse)
    assert set(after_first["articles"]) == set(ingested["articles"])  # same ids, no new rows
    assert all(a["extractor_version"] == EXTRACTOR_VERSION for a in after_first["articles"].values())
    # nothing changed in between, so re-extraction reproduces what ingest stored
    assert first["changed"] == 0
    assert {k: a["text"] for k, a in after_first["articles"].items()} == \
        {k: a["text"] for k, a in ingested["articles"].items()}
    assert after_first["cluster_members"].keys() == ingested["cluster_members"].keys()
    assert {k: m["cluster_id"] for k, m in after_first["cluster_members"].items()} == \
        {k: m["cluster_id"] for k, m in ingested["cluster_members"].items()}

    # damage one article (text, version, signature gone), then reprocess again
    victim = sorted(k for k, a in after_first["articles"].items() if a["cluster_id"] and a["cluster_id"] != k)[0]
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("UPDATE articles SET text = 'نص تالف', word_count = 2, extractor_version = 'old', "
                    "content_hash = NULL WHERE article_id = ?", [victim])
    finally:
        con.close()
    fixture_web.log.clear()
    second = reprocess(db=str(warehouse), catalog=str(dev_catalog))
    assert fixture_web.log.count() == 0
    assert second["changed"] == 1
    assert snapshot(warehouse) == after_first  # restored, and every other row identical

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        kinds = con.execute("SELECT kind, count(*) FROM runs GROUP BY kind ORDER BY kind").fetchall()
        dup_members = con.execute("SELECT count(*) - count(DISTINCT article_id) FROM cluster_members").fetchone()[0]
    finally:
        con.close()
    assert dict(kinds) == {"ingest": 1, "reprocess": 2}
    assert dup_members == 0


def test_reprocess_filters_and_dry_run(warehouse, fixture_web):
    from flows.reprocess import reprocess
    from tasks.reprocess import select_article_ids

    before = snapshot(warehouse)
    rafidain = sum(1 for a in before["articles"].values() if a["source_id"] == "rafidain")
    result = reprocess(db=str(warehouse), outlets=["rafidain"], dry_run=True)
    assert result["selected"] == result["reextracted"] == rafidain > 0
    assert snapshot(warehouse) == before  # a dry run writes nothing

    dated = sorted(a["published_at"] for a in before["articles"].values() if a["published_at"])
    mid = dated[len(dated) // 2]
    early, late = select_article_ids(warehouse, until=mid), select_article_ids(warehouse, since=mid)
    assert sorted(early + late) == sorted(before["articles"])
    assert 0 < len(early) < len(before["articles"])
    assert select_article_ids(warehouse, since=mid, outlets=["nobody"]) == []


def test_a_reprocess_under_a_catalog_naming_an_agency_service_gives_its_uncredited_copies_the_agency(
        warehouse, dev_catalog, agency_catalog, tmp_path):
    """Ingested when the catalog named no agency service; then the catalog marks rafidain as
    INA's own service: a reprocess gives its pages that credit no agency to INA (with the
    catalog as evidence, a vote for their stories), leaves its pages crediting another wire and
    every other outlet's as they were; a reprocess under the old catalog takes it back."""
    import shutil

    from flows.reprocess import reprocess
    from tasks.attribution import OWN_SERVICE_EVIDENCE
    from warehouse.paths import data_dir_for

    db = tmp_path / "akhbar.duckdb"
    shutil.copy(warehouse, db)
    shutil.copytree(data_dir_for(warehouse), data_dir_for(db))
    before = snapshot(db)
    arts = before["articles"]
    own = {k for k, a in arts.items() if a["source_id"] == "rafidain" and a["wire_agency"] is None}
    credited = {k for k, a in arts.items() if a["source_id"] == "rafidain" and a["wire_agency"]}
    assert len(own) >= 3 and len(credited) >= 2

    result = reprocess(db=str(db), catalog=str(agency_catalog))
    assert result["status"] == "completed" and result["changed"] == 0  # the same texts
    after = snapshot(db)
    for k, a in arts.items():
        want = ("ina", OWN_SERVICE_EVIDENCE) if k in own else (a["wire_agency"], a["agency_evidence"])
        assert (after["articles"][k]["wire_agency"], after["articles"][k]["agency_evidence"]) == want, k
    stories_of_own = {after["articles"][k]["cluster_id"] for k in own}
    for cid, c in after["story_clusters"].items():
        named = [a["wire_agency"] for a in after["articles"].values() if a["cluster_id"] == cid and a["wire_agency"]]
        if cid in stories_of_own and set(named) == {"ina"}:
            assert c["agency"] == "ina", cid  # (before: None, nothing credited)
        elif cid not in stories_of_own:
            assert c["agency"] == before["story_clusters"][cid]["agency"], cid
    assert sum(1 for cid in stories_of_own if after["story_clusters"][cid]["agency"] == "ina") >= 3

    reprocess(db=str(db), catalog=str(dev_catalog))
    again = snapshot(db)
    assert {k: (a["wire_agency"], a["agency_evidence"]) for k, a in again["articles"].items()} == \
        {k: (a["wire_agency"], a["agency_evidence"]) for k, a in arts.items()}
    assert {k: c["agency"] for k, c in again["story_clusters"].items()} == \
        {k: c["agency"] for k, c in before["story_clusters"].items()}


def test_an_article_whose_attribution_fails_in_a_reprocess_is_kept_and_recorded(warehouse, dev_catalog, monkeypatch):
    """A defect meeting one article's attribution (no real input found makes it raise; the defect
    is injected) neither fails the reprocess nor goes unsaid: the article is re-stored without an
    agency, run_errors has its row (stage 'dedupe'), the run's warning line and errors count say
    so. Runs last in this module: it leaves the victim without its agency."""
    from flows.reprocess import reprocess
    from tasks import stories

    before = snapshot(warehouse)
    victim = sorted(k for k, a in before["articles"].items() if a["wire_agency"])[0]
    marker = before["articles"][victim]["text"].splitlines()[-1]
    real_attribute = stories.attribute

    def attribute(text, credits=()):
        if marker in text:
            raise ValueError("a defect in attribution")
        return real_attribute(text, credits)

    monkeypatch.setattr(stories, "attribute", attribute)
    monkeypatch.setenv("AKHBAR_EXTRACT_WORKERS", "1")  # attribution in this process, where the defect is
    result = reprocess(db=str(warehouse), catalog=str(dev_catalog))
    assert result["status"] == "completed"
    hit = [w for w in result["warnings"] if w.startswith("attribution or signature failed")]
    assert hit and "a defect in attribution" in hit[0], result["warnings"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        errors = con.execute("SELECT e.url, e.error, r.errors FROM run_errors e JOIN runs r USING (run_id) "
                             "WHERE r.run_id = ? AND e.stage = 'dedupe'", [result["run_id"]]).fetchall()
        agency, text = con.execute("SELECT wire_agency, text FROM articles WHERE article_id = ?", [victim]).fetchone()
    finally:
        con.close()
    assert len(errors) >= 1 and all("a defect in attribution" in e[1] for e in errors)
    assert before["articles"][victim]["url"] in {e[0] for e in errors}
    assert errors[0][2] >= len(errors)  # the run row counts them
    assert agency is None and text == before["articles"][victim]["text"]  # kept, without its agency
