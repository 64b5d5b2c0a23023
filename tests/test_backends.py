"""The warehouse on its three backends: a DuckDB file, a local DuckLake, a DuckLake on PostgreSQL.

Same rows in, same answers out: every view, example query, export and report reads the same on
the lake as on the plain file; batches load exactly once; the replace/insert/update load
policies keep one row per key (MERGE from a TEMP table on all three); a whole ingest of the
fixture web into a lake gives the plain file's articles and clusters.
The PostgreSQL catalog runs in the heavy suite (`python -m pytest -m heavy`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.analysis_fixture import build
from warehouse import lake
from warehouse.db import view_sql, writer
from warehouse.load import TABLE_KEYS, TABLE_POLICY, StagingArea, load_pending, stage_batch
from warehouse.queries import run_query

pytest.importorskip("duckdb_extension_ducklake", reason="the [lake] extra is not installed")

EXAMPLES = Path(__file__).resolve().parents[1] / "warehouse" / "sql" / "queries" / "examples"
BACKENDS = ["lake", pytest.param("pglake", marks=pytest.mark.heavy)]
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


def make_locator(kind: str, tmp: Path, request) -> Path:
    """The --db value for a backend (what a user types)."""
    if kind == "file":
        return tmp / "akhbar.duckdb"
    if kind == "lake":
        return Path(f"ducklake:{tmp}/akhbar.ducklake")
    dsn = request.getfixturevalue("pg_database")
    return Path(f"ducklake:postgres:{dsn}")


@pytest.fixture
def shared_dir(tmp_path):
    """Where a PostgreSQL lake keeps its side files and Parquet data in this test."""
    lake.configure(shared_dir=tmp_path / "shared")
    yield tmp_path / "shared"
    lake.configure(shared_dir="data/akhbar.d")


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return build(tmp_path_factory.mktemp("plain"), search_index=False, now=NOW)


@pytest.fixture(params=BACKENDS)
def built(request, tmp_path, shared_dir):
    db = make_locator(request.param, tmp_path, request)
    return build(tmp_path, search_index=False, db=db, now=NOW)


def answers(db, sql: str) -> list[tuple]:
    """Rows in a stable order (lists inside a row sorted too: list() aggregates carry no order)."""
    cols, rows = run_query(db, sql)
    rows = [tuple(sorted(v, key=repr) if isinstance(v, list) else v for v in row) for row in rows]
    return sorted(rows, key=repr)


def test_lake_locators_parse_and_keep_side_files_apart(tmp_path, shared_dir):
    local = lake.parse(f"ducklake:{tmp_path}/meta.ducklake")
    assert local.catalog_file == tmp_path / "meta.ducklake" and local.side_dir == tmp_path / "meta.d"
    pg = lake.parse("ducklake:postgres:dbname=akhbar host=db1 user=akhbar")
    assert pg.dsn == "dbname=akhbar host=db1 user=akhbar" and pg.side_dir == shared_dir
    assert pg.data_path == f"{shared_dir.as_posix()}/lake/"
    # The CLI hands --db over as a Path: the locator must survive the round trip.
    assert lake.parse(Path("ducklake:postgres:dbname=akhbar host=/run/pg user=akhbar")).dsn.endswith("user=akhbar")
    assert lake.parse(tmp_path / "akhbar.duckdb") is None
    with pytest.raises(ValueError):
        lake.parse("ducklake:postgres:")


def test_migrations_become_lake_ddl_without_keys():
    from warehouse.migrate import available_migrations

    for _, _, sql in available_migrations():
        ddl = lake.lake_ddl(sql)
        assert "PRIMARY KEY" not in ddl.upper() and "UNIQUE" not in ddl.upper()
        if sql.lstrip().lower().startswith(lake.FILE_ONLY):  # a fix for the DuckDB file alone
            assert ddl == "SELECT 1"
            continue
        assert ddl.count("CREATE TABLE") == sql.count("CREATE TABLE")
    with pytest.raises(ValueError, match="SEQUENCE"):
        lake.lake_ddl("CREATE SEQUENCE s; CREATE TABLE t (id INTEGER DEFAULT nextval('s'));")


def test_every_view_and_example_query_answers_as_on_the_plain_file(built, plain):
    listing = "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    views = sorted(r[0] for r in answers(plain.db, listing))
    assert len(views) >= len(view_sql())
    assert sorted(r[0] for r in answers(built.db, listing)) == views
    for view in views:
        assert answers(built.db, f"SELECT * FROM {view}") == answers(plain.db, f"SELECT * FROM {view}"), view
    for example in sorted(EXAMPLES.glob("*.sql")):
        sql = example.read_text("utf-8")
        if "search_articles" in sql:
            continue  # fts does not run on lake tables: search reads a local index (test_search)
        assert answers(built.db, sql) == answers(plain.db, sql), example.name


def test_export_and_report_match_the_plain_file(built, plain, tmp_path):
    from warehouse.export import export_articles
    from warehouse.report_data import report_data

    n_lake = export_articles(built.db, tmp_path / "lake.jsonl", "jsonl")
    n_plain = export_articles(plain.db, tmp_path / "plain.jsonl", "jsonl")
    read = lambda p: sorted(p.read_text("utf-8").splitlines())  # noqa: E731
    assert n_lake == n_plain == len(built.articles)
    assert read(tmp_path / "lake.jsonl") == read(tmp_path / "plain.jsonl")
    day = NOW.date()
    assert report_data(built.db, day) == report_data(plain.db, day)


def test_batches_load_once_and_keys_stay_unique(built, tmp_path):
    db, area = built.db, StagingArea(tmp_path / "again" / "staging")
    before = {t: answers(db, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "story_clusters")}
    art = dict(built.articles[0])
    art = {k: v for k, v in art.items() if not k.startswith("_")}
    # A batch that loaded already (same id) is skipped, even when staged again.
    stage_batch(area, "20260101T000000000001-r4", {"articles": [art]})
    report = load_pending(db, area)
    assert report.skipped == ["20260101T000000000001-r4"] and not report.loaded
    # replace: the new row wins in place; insert: a known key is ignored; update: columns set.
    changed = dict(art, title="عنوان جديد")
    sighting = dict(article_id=art["article_id"], feed_url="http://x/feed", source_id=art["source_id"],
                    first_seen_at=NOW)
    stage_batch(area, "20260102T000000000001-r9", {
        "articles": [changed], "article_sightings": [sighting],
        "article_updates": [dict(article_id=art["article_id"], wire_agency="afp")]})
    stage_batch(area, "20260102T000000000002-r10", {"article_sightings": [dict(sighting, raw_link="second")]})
    report = load_pending(db, area)
    assert report.error is None and len(report.loaded) == 2
    assert answers(db, "SELECT count(*) FROM load_batches")[0][0] == 4
    for table in ("articles", "story_clusters"):
        assert answers(db, f"SELECT count(*) FROM {table}")[0][0] == before[table]
    row = answers(db, f"SELECT title, wire_agency FROM articles WHERE article_id = '{art['article_id']}'")
    assert row == [("عنوان جديد", "afp")]
    assert answers(db, "SELECT raw_link FROM article_sightings WHERE feed_url = 'http://x/feed'") == [(None,)]
    # delete: a streamed run's last chunk withdraws a cluster its chunks made (tasks.stories' settle)
    gone = answers(db, "SELECT min(cluster_id) FROM story_clusters")[0][0]
    stage_batch(area, "20260103T000000000001-r11", {"clusters_withdrawn": [dict(cluster_id=gone)]})
    assert load_pending(db, area).error is None
    assert answers(db, "SELECT count(*) FROM story_clusters")[0][0] == before["story_clusters"] - 1
    for table, keys in TABLE_KEYS.items():
        if TABLE_POLICY[table].startswith(("update:", "delete:")):  # no table of their own (they change others)
            continue
        cols = ", ".join(keys)
        dup = answers(db, f"SELECT count(*) FROM (SELECT {cols} FROM {table} GROUP BY ALL HAVING count(*) > 1)")
        assert dup == [(0,)], table


def test_operator_writes_and_migrations_are_idempotent(built):
    from warehouse.admin import set_feed_enabled

    snapshots = "SELECT max(snapshot_id) FROM ducklake_snapshots('lake')"
    before = answers(built.db, snapshots)
    with writer(built.db) as con:  # a second open applies nothing and re-creates no view
        versions = con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert answers(built.db, snapshots) == before  # no new lake snapshot for a no-op open
    assert versions == answers(built.db, "SELECT count(*) FROM schema_migrations")[0][0] >= 2
    outlet = answers(built.db, "SELECT source_id FROM feeds ORDER BY 1 LIMIT 1")[0][0]
    assert set_feed_enabled(built.db, outlet, enabled=False) >= 1
    assert answers(built.db, f"SELECT DISTINCT health FROM feed_health WHERE source_id = '{outlet}'") == [("disabled",)]
    set_feed_enabled(built.db, outlet, enabled=True)
    assert answers(built.db, f"SELECT DISTINCT disabled FROM feeds WHERE source_id = '{outlet}'") == [(False,)]


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_ingest_into_a_lake_matches_the_plain_file(kind, ingested, prefect_harness, dev_catalog,
                                                      tmp_path, shared_dir, request):
    from flows.ingest import ingest

    db = make_locator(kind, tmp_path, request)
    result = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    assert result["status"].startswith("completed") and "deferred" not in result["status"]
    sql = ("SELECT a.article_id, a.source_id, a.title, a.content_hash, a.wire_agency, m.cluster_id, "
           "a.is_canonical FROM articles a LEFT JOIN cluster_members m USING (article_id)")
    got, want = answers(db, sql), answers(ingested["db"], sql)
    assert len(got) == len(want) > 50
    assert got == want
    clusters = "SELECT cluster_id, canonical_article_id, agency, n_articles, n_sources FROM story_clusters"
    assert answers(db, clusters) == answers(ingested["db"], clusters)
    # the plain ingest refreshed the lake's search file: the plain file's hits, with no manual step
    from warehouse.search import search

    titles = [r[0] for r in answers(db, "SELECT title FROM articles WHERE title IS NOT NULL")][:3]
    for query in [*titles, "رويترز"]:
        got = [(h["article_id"], h["copies"]) for h in search(db, query, 10, snippets=False)]
        assert got and got == [(h["article_id"], h["copies"]) for h in search(ingested["db"], query, 10, snippets=False)]
    # A second run finds everything already stored: nothing new, no duplicate.
    again = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    assert again["articles_new"] == 0
    assert answers(db, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(len(want), len(want))]


def test_search_on_a_lake_reads_an_index_built_from_one_snapshot(built, plain):
    from warehouse.lake_search import build_search_file
    from warehouse.search import SearchIndexMissing, search

    with pytest.raises(SearchIndexMissing):
        search(built.db, "الفائدة")
    info = build_search_file(built.db)
    assert info["articles"] == len(built.articles) and Path(info["file"]).exists()
    with writer(plain.db) as con:
        from warehouse.search import rebuild_search_index

        rebuild_search_index(con)
    for query in ("الفائدة", built.articles[7]["title"], "رويترز"):
        got = [(h["article_id"], h["copies"]) for h in search(built.db, query, 10)]
        want = [(h["article_id"], h["copies"]) for h in search(plain.db, query, 10)]
        assert got == want and got, query
    # a later load is not visible until the next build (a fixed snapshot), then it is
    row = dict(built.articles[0], article_id="feedfacefeedface", title="زلزال في مدينة الاختبار")
    area = StagingArea(Path(info["file"]).parent / "more")
    stage_batch(area, "20260103T000000000001-r11", {"articles": [{k: v for k, v in row.items() if not k.startswith("_")}]})
    load_pending(built.db, area)
    assert "feedfacefeedface" not in [h["article_id"] for h in search(built.db, "زلزال الاختبار")]
    again = build_search_file(built.db)  # incremental: the change feed since the file's version
    assert again["incremental"] and again["changed"] == 1 and again["version"] > info["version"]
    assert search(built.db, "زلزال الاختبار")[0]["article_id"] == "feedfacefeedface"


def test_lake_keeps_every_row_through_repeated_updates(tmp_path):
    """DuckLake 1.5.5 lost rows updated again in later transactions while small writes were
    inlined into the catalog (clusters vanished in sharded runs); writers attach without
    inlining. Many small loads, each re-touching earlier clusters, through the real load path."""
    import random

    rnd = random.Random(7)
    db = Path(f"ducklake:{tmp_path}/akhbar.ducklake")
    area = StagingArea(tmp_path / "staging")
    expected: set[str] = set()
    for n in range(8):
        new = [f"c{n}-{i}" for i in range(rnd.randint(1, 30))]
        again = rnd.sample(sorted(expected), min(len(expected), rnd.randint(1, 12))) if expected else []
        expected |= set(new)
        clusters = [dict(cluster_id=c, canonical_article_id=f"{c}-a{n}", title=f"t{n}", n_articles=1) for c in new + again]
        members = [dict(article_id=f"{c}-a{n}", cluster_id=c, source_id="s") for c in new + again]
        articles = [dict(article_id=m["article_id"], url=m["article_id"], canonical_url=m["article_id"], source_id="s",
                         fetched_at=NOW, extraction_status="ok") for m in members]
        stage_batch(area, f"20260101T0000000000{n:02d}-r{n}",
                    {"articles": articles, "story_clusters": clusters, "cluster_members": members})
        assert load_pending(db, area).loaded
        got = {r[0] for r in answers(db, "SELECT cluster_id FROM story_clusters")}
        assert got == expected, f"load {n}: missing {sorted(expected - got)[:5]}"


def test_lake_maintenance_merges_files_and_keeps_every_row(built):
    from warehouse.lake_ops import maintain

    counts = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_clusters), (SELECT count(*) FROM feeds)"
    before = answers(built.db, counts)
    done = maintain(built.db, keep_days=0)
    assert done["files_after"] <= done["files_before"] and done["snapshots_kept"] >= 1
    assert answers(built.db, counts) == before
    again = maintain(built.db, keep_days=0)  # idempotent
    assert again["files_after"] == done["files_after"] and answers(built.db, counts) == before


def test_lake_commands_say_what_is_wrong_in_one_line(tmp_path):
    import subprocess
    import sys

    akhbar = str(Path(sys.executable).with_name("akhbar"))
    ok = subprocess.run([akhbar, "lake", "init", "--db", f"ducklake:{tmp_path}/x.ducklake"], capture_output=True,
                        text=True, timeout=300)
    assert ok.returncode == 0 and "lake ready" in ok.stdout
    bad = subprocess.run([akhbar, "lake", "init", "--db", f"ducklake:postgres:dbname=nope host={tmp_path}/nosocket"],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "error:" in bad.stdout + bad.stderr and "Traceback" not in bad.stdout + bad.stderr
    plain = subprocess.run([akhbar, "lake", "init", "--db", str(tmp_path / "plain.duckdb")], capture_output=True,
                           text=True, timeout=300)
    assert plain.returncode == 2 and "not a DuckLake" in plain.stdout + plain.stderr
