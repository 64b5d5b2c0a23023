"""ingest-warc: an external WARC (CC-NEWS style) through extract → dedupe → load, Arabic only."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime

import duckdb
import pytest

from tasks.archive import WarcWriter, read_record
from tests.conftest import DEV_WEB

GOLD = [json.loads(line) for line in (DEV_WEB / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
MANIFEST = {m["url_path"]: m for m in json.loads((DEV_WEB / "manifest.json").read_text("utf-8"))}
HOSTS = {f["host"]: f["outlet_id"] for f in json.loads((DEV_WEB / "feeds.json").read_text("utf-8"))}
UNMAPPED = "rafidain-news.example"  # left out of the host map: its source id is the host name
ENGLISH = ("<html lang='en'><head><title>Markets rally as rates hold</title></head><body><article>"
           "<h1>Markets rally as rates hold</h1>"
           + "".join(f"<p>Paragraph {i}: stock markets rose on Tuesday after the central bank kept interest rates "
                     "unchanged, with investors welcoming the decision and analysts expecting more stability "
                     "in the coming months as inflation slows across the region.</p>" for i in range(6))
           + "</article></body></html>").encode()
WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def url_of(g: dict) -> str:
    host = g["url_path"].split("/")[1]
    return f"https://{host}{g['url_path']}"


def body_of(g: dict) -> bytes:
    host = g["url_path"].split("/")[1]
    return (DEV_WEB / MANIFEST[g["url_path"]]["file"]).read_bytes().replace(b"{{BASE}}", f"https://{host}".encode())


@pytest.fixture(scope="module")
def picked() -> list[dict]:
    by_key = defaultdict(list)
    for g in GOLD:
        by_key[g["cluster_key"]].append(g)
    solo = next(g for g in GOLD if g["kind"] == "standalone")
    return by_key["wire:dev-e13-w"] + by_key["wire:dev-e11-w"] + [solo]


@pytest.fixture(scope="module")
def warc(picked, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ccnews")
    writer = WarcWriter(folder, "CC-NEWS-test")
    for i, g in enumerate(picked):
        headers = dict(MANIFEST[g["url_path"]]["headers"])
        writer.write_response(url_of(g), 200, headers, body_of(g), WHEN)
        if i == 2:  # interleave the records to skip
            writer.write_response("https://english.example/markets/rally", 200,
                                  {"Content-Type": "text/html; charset=utf-8"}, ENGLISH, WHEN)
            writer.write_response("https://al-sahil.example/logo.png", 200, {"Content-Type": "image/png"},
                                  b"\x89PNG\r\n\x1a\n" + b"\0" * 64, WHEN)
            writer.write_response("https://al-sahil.example/gone/", 404, {"Content-Type": "text/html"},
                                  b"<html><body>not found</body></html>", WHEN)
    return writer.current_path


def stored(db) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT a.*, m.cluster_id AS member_cluster FROM articles a "
                          "LEFT JOIN cluster_members m USING (article_id)")
        cols = [d[0] for d in cur.description]
        return {r[cols.index("url")]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()


def test_ingest_warc_stores_arabic_pages_with_clusters(prefect_harness, picked, warc, tmp_path):
    from flows.backfill import ingest_warc, progress_sink

    db = tmp_path / "akhbar.duckdb"
    hosts = {h: s for h, s in HOSTS.items() if h != UNMAPPED}
    events = []
    with progress_sink(events.append):
        result = ingest_warc(files=[str(warc)], db=str(db), outlets_by_host=hosts, batch_size=3)

    assert result["records"] == len(picked) + 3
    assert result["stored"] == len(picked)
    assert (result["skipped_not_arabic"], result["skipped_not_html"], result["skipped_status"]) == (1, 1, 1)
    assert events and events[-1]["bytes_done"] == events[-1]["file_bytes"]

    rows = stored(db)
    assert set(rows) == {url_of(g) for g in picked}  # no English page, no image, no 404
    for g in picked:
        row = rows[url_of(g)]
        host = g["url_path"].split("/")[1]
        assert row["source_id"] == (host if host == UNMAPPED else g["outlet_id"])
        assert row["language"] == "ar" and row["extraction_status"] == "ok"
        assert row["fetched_at"] == WHEN and row["feed_url"] is None
        assert row["warc_file"] == str(warc.resolve())
        assert read_record(row["warc_file"], row["warc_offset"])[0] == url_of(g)
        assert row["cluster_id"] and row["member_cluster"] == row["cluster_id"]
    # copies of one wire story share a cluster although they were loaded in different batches
    for key in ("wire:dev-e13-w", "wire:dev-e11-w"):
        clusters = {rows[url_of(g)]["cluster_id"] for g in picked if g["cluster_key"] == key}
        assert len(clusters) == 1, key
    solo = rows[url_of(picked[-1])]
    assert solo["cluster_id"] == solo["article_id"]
    assert len({r["cluster_id"] for r in rows.values()}) == 3

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT name FROM sources WHERE source_id = ?", [UNMAPPED]).fetchone() == (UNMAPPED,)
        assert con.execute("SELECT count(*) FROM runs WHERE kind = 'ingest-warc'").fetchone()[0] == 1
    finally:
        con.close()

    from warehouse.search import search
    from warehouse.snapshot import snapshot_path

    hits = search(db, solo["title"], 3)  # search is rebuilt once, at the end of the run
    assert hits and hits[0]["title"] == solo["title"]
    assert snapshot_path(db).exists()

    again = ingest_warc(files=[str(warc)], db=str(db), outlets_by_host=hosts, batch_size=3)
    assert again["stored"] == 0 and again["skipped_known"] == len(picked)
    assert stored(db).keys() == rows.keys()


def test_ingest_warc_gives_an_agency_services_uncredited_pages_its_agency(prefect_harness, picked, warc, tmp_path):
    """A catalog marking sahil as a wire agency's own service (Lebanon's NNA): its page that
    credits no agency is NNA's copy, its copies of AP's and Reuters' stories keep their credits,
    and every other page is as a run without that catalog stores it."""
    from flows.backfill import ingest_warc
    from tasks.attribution import OWN_SERVICE_EVIDENCE

    hosts = {h: s for h, s in HOSTS.items() if h != UNMAPPED}
    entry = ('[[feeds]]\noutlet_id = "sahil"\noutlet_name = "صحيفة الساحل"\ncountry = "LB"\n'
             'url = "https://al-sahil.example/feed/"\n')
    plain_catalog, catalog = tmp_path / "plain.toml", tmp_path / "catalog.toml"
    plain_catalog.write_text(entry, "utf-8")
    catalog.write_text(entry + 'agency = "nna"\n', "utf-8")
    plain_db, db = tmp_path / "plain.duckdb", tmp_path / "akhbar.duckdb"
    ingest_warc(files=[str(warc)], db=str(plain_db), outlets_by_host=hosts, batch_size=3, catalog=str(plain_catalog))
    ingest_warc(files=[str(warc)], db=str(db), outlets_by_host=hosts, batch_size=3, catalog=str(catalog))
    plain, rows = stored(plain_db), stored(db)
    solo = url_of(picked[-1])
    assert plain[solo]["source_id"] == "sahil" and plain[solo]["wire_agency"] is None
    assert (rows[solo]["wire_agency"], rows[solo]["agency_evidence"]) == ("nna", OWN_SERVICE_EVIDENCE)
    sahil_copies = [u for u in rows if rows[u]["source_id"] == "sahil" and u != solo]
    assert sorted(rows[u]["wire_agency"] for u in sahil_copies) == ["ap", "reuters"]
    for url, row in rows.items():
        if url != solo:
            assert (row["wire_agency"], row["agency_evidence"]) == (plain[url]["wire_agency"],
                                                                    plain[url]["agency_evidence"]), url
    assert all(rows[u]["is_canonical"] for u in sahil_copies)  # the agency service's copies lead their stories


def test_outlet_matcher_prefers_listed_parent_domains():
    from tasks.backfill import OutletMatcher, hosts_from_catalog
    from tasks.models import FeedSpec

    specs = [FeedSpec("aljazeera", "الجزيرة", "QA", "https://www.aljazeera.net/rss"),
             FeedSpec("a", "A", "EG", "https://feeds.example.com/a"),
             FeedSpec("b", "B", "EG", "https://feeds.example.com/b")]
    m = OutletMatcher(hosts_from_catalog(specs))
    assert m.source_for("https://www.aljazeera.net/news/2026/1/1/x") == ("aljazeera", True)
    assert m.source_for("https://m.aljazeera.net/news/x") == ("aljazeera", True)
    assert m.source_for("https://feeds.example.com/x") == ("feeds.example.com", False)  # ambiguous host
    assert m.source_for("https://www.unknown.example/x") == ("unknown.example", False)


def test_ingest_warc_stores_pages_whose_story_matching_fails_and_counts_them_as_errors(prefect_harness, picked, warc,
                                                                                       tmp_path):
    # A warehouse whose stored signatures another version wrote (64 MinHash values, not 128):
    # matching the re-read copies against them raises. The run stores them all the same, each a
    # story of its own, with a run_errors row each, counted in its run row, and says so.
    from flows.backfill import ingest_warc
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    hosts = {h: s for h, s in HOSTS.items() if h != UNMAPPED}
    ingest_warc(files=[str(warc)], db=str(db), outlets_by_host=hosts, batch_size=3)
    copies = [url_of(g) for g in picked if g["cluster_key"] == "wire:dev-e11-w"]
    again = copies[: len(copies) // 2]  # read again; the other copies stay stored, to be matched against
    with writer(db) as con:
        con.execute("UPDATE article_signatures SET minhash = minhash[1:64]")
        gone = [r[0] for r in con.execute("SELECT article_id FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))",
                                          [again]).fetchall()]
        for table in ("cluster_members", "article_signatures", "articles"):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [gone])

    result = ingest_warc(files=[str(warc)], db=str(db), outlets_by_host=hosts, batch_size=3)
    assert result["stored"] == len(gone) >= 2 and result["errors"] == len(gone)
    assert any(w.startswith(f"story matching failed for {len(gone)} article(s)") for w in result["warnings"])
    rows = stored(db)
    assert all(rows[u]["cluster_id"] == rows[u]["article_id"] for u in again)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT errors FROM runs WHERE kind = 'ingest-warc' ORDER BY started_at DESC "
                           "LIMIT 1").fetchone()[0] == len(gone)
        assert sorted(r[0] for r in con.execute("SELECT url FROM run_errors WHERE stage = 'dedupe'").fetchall()) \
            == sorted(again)
    finally:
        con.close()


def test_a_warc_page_stored_under_its_old_url_key_is_not_stored_again(tmp_path):
    """A WARC read again after the URL key rules changed (session 15: a query's `+` is `%20`,
    `from=rss` is dropped): the article an older run stored under the old key is skipped as
    known, not extracted and stored a second time under the new key."""
    from collections import Counter

    from tasks.backfill import OutletMatcher, iter_pages
    from tasks.models import stable_id
    from tasks.urls import canonicalize

    url = "https://al-sahil.example/news.php?id=5&q=%D8%B3%D8%B9%D8%B1+%D8%A7%D9%84%D8%B0%D9%87%D8%A8&from=rss"
    other = "https://al-sahil.example/news.php?id=6&from=rss"
    writer = WarcWriter(tmp_path, "CC-NEWS-rekey")
    for u in (url, other):
        writer.write_response(u, 200, {"Content-Type": "text/html; charset=utf-8"},
                              "<html lang='ar'><body><p>نص الخبر</p></body></html>".encode(), WHEN)
    path = writer.current_path
    writer.close()
    stored_ids = {stable_id(url)}  # id=5 stored by an older run under the key it had then; id=6 never

    counts = Counter()
    pages = list(iter_pages([path], OutletMatcher({}), counts, lambda ids: stored_ids & set(ids), set()))
    assert canonicalize(url, url) != url  # its key changed
    assert [p.entry.url for p in pages] == ["https://al-sahil.example/news.php?id=6"]
    assert counts["skipped_known"] == 1
