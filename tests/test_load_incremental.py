"""A load's own cost is that of its batch: post-load statistics are recomputed for the story
clusters the batch touched only, and stay equal to a recomputation over everything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from warehouse.load import StagingArea, load_pending, stage_batch

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)
FULL_STATS = """
SELECT m.cluster_id, count(*), count(DISTINCT a.source_id),
       min(coalesce(a.published_at, a.fetched_at)), max(coalesce(a.published_at, a.fetched_at))
FROM cluster_members m JOIN articles a USING (article_id) GROUP BY 1 ORDER BY 1"""
STORED_STATS = "SELECT cluster_id, n_articles, n_sources, first_seen_at, last_seen_at FROM story_clusters ORDER BY 1"
# story_spread as it was defined before it read story_clusters: recomputed over every copy
SPREAD_FROM_COPIES = """
SELECT c.cluster_id, any_value(sc.title), any_value(sc.agency), count(DISTINCT c.source_id), count(*),
       min(c.seen_at), max(c.seen_at), min(c.lag_minutes) FILTER (WHERE c.copy_rank > 1),
       median(c.lag_minutes) FILTER (WHERE c.copy_rank > 1), max(c.lag_minutes) FILTER (WHERE c.copy_rank > 1),
       list(DISTINCT c.source_id ORDER BY c.source_id)
FROM story_copies c LEFT JOIN story_clusters sc USING (cluster_id)
GROUP BY c.cluster_id ORDER BY 4 DESC, 5 DESC, 6, 1"""


def article(aid: str, source: str, hours: float) -> dict:
    url = f"https://{source}.example/{aid}"
    return dict(article_id=aid, url=url, canonical_url=url, source_id=source, title=f"خبر {aid}",
                published_at=T0 + timedelta(hours=hours), fetched_at=T0 + timedelta(hours=hours, minutes=5),
                text="نص الخبر", extraction_status="ok")


def member(aid: str, cid: str, source: str) -> dict:
    return dict(article_id=aid, cluster_id=cid, source_id=source, is_canonical=aid == cid)


def cluster(cid: str) -> dict:
    return dict(cluster_id=cid, canonical_article_id=cid, title=f"قصة {cid}", n_articles=0, n_sources=0)


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def load(db, area, name: str, tables: dict) -> None:
    stage_batch(area, name, tables)
    report = load_pending(db, area)
    assert report.error is None and report.loaded == [name]


def test_cluster_stats_follow_the_batch_and_only_its_clusters(tmp_path):
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    load(db, area, "20261120T000000000001-one", dict(
        articles=[article("a1", "sahil", 0), article("a2", "nabd", 2), article("a3", "nile", 5),
                  article("a4", "nile", 6)],
        story_clusters=[cluster("a1"), cluster("a3"), cluster("a4")],
        cluster_members=[member("a1", "a1", "sahil"), member("a2", "a1", "nabd"), member("a3", "a3", "nile"),
                         member("a4", "a4", "nile")]))
    assert rows(db, STORED_STATS) == rows(db, FULL_STATS)
    assert rows(db, "SELECT n_articles, n_sources FROM story_clusters WHERE cluster_id = 'a1'") == [(2, 2)]

    # A planted wrong figure on an untouched cluster survives a load that does not touch it
    # (the post-load step did not scan every cluster) ...
    con = duckdb.connect(str(db))
    con.execute("UPDATE story_clusters SET n_articles = 99 WHERE cluster_id = 'a4'")
    con.close()
    load(db, area, "20261120T000000000002-two", dict(
        articles=[article("a5", "atlas", 9)],
        story_clusters=[cluster("a1")],
        cluster_members=[member("a5", "a1", "atlas")]))
    assert rows(db, "SELECT n_articles FROM story_clusters WHERE cluster_id = 'a4'") == [(99,)]
    assert rows(db, "SELECT n_articles, n_sources, last_seen_at FROM story_clusters WHERE cluster_id = 'a1'") == [
        (3, 3, T0 + timedelta(hours=9))]

    # ... and is recomputed by the next load that touches it; a re-dated article (an articles row
    # alone, e.g. re-extraction) moves its cluster's span.
    load(db, area, "20261120T000000000003-three", dict(articles=[article("a4", "nile", 7), article("a3", "nile", -3)]))
    assert rows(db, STORED_STATS) == rows(db, FULL_STATS)
    assert rows(db, "SELECT * FROM story_spread") == rows(db, SPREAD_FROM_COPIES)
    assert rows(db, "SELECT lag_min_minutes, lag_median_minutes, lag_max_minutes, outlets FROM story_spread "
                    "WHERE cluster_id = 'a1'") == [(120.0, 330.0, 540.0, ["atlas", "nabd", "sahil"])]
    assert rows(db, "SELECT first_seen_at FROM story_clusters WHERE cluster_id = 'a3'") == [(T0 - timedelta(hours=3),)]


def test_already_loaded_batches_are_skipped_by_name(tmp_path):
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    load(db, area, "20261120T000000000001-one", dict(articles=[article("a1", "sahil", 0)]))
    # the same batch staged again (a crash between commit and cleanup) is skipped, not re-applied
    stage_batch(area, "20261120T000000000001-one", dict(articles=[article("a1", "sahil", 30)]))
    report = load_pending(db, area)
    assert report.skipped == ["20261120T000000000001-one"] and report.loaded == []
    assert rows(db, "SELECT published_at FROM articles") == [(T0,)]


GROWING = ("articles", "article_signatures", "article_sightings", "cluster_members", "story_clusters",
           "article_reuse", "url_aliases", "feed_fetches", "run_errors", "runs", "boilerplate_lines")


def test_growing_tables_have_no_key_and_stay_unique(tmp_path):
    """No PRIMARY KEY on the tables that grow (their index made every load's checkpoint cost the
    whole table); the load's MERGE keeps one row per key anyway."""
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    sighting = dict(article_id="a1", feed_url="https://sahil.example/rss", source_id="sahil", first_seen_at=T0)
    load(db, area, "20261120T000000000001-one", dict(articles=[article("a1", "sahil", 0)],
                                                     article_sightings=[sighting]))
    load(db, area, "20261120T000000000002-two", dict(articles=[article("a1", "sahil", 5)],
                                                     article_sightings=[dict(sighting, first_seen_at=T0 + timedelta(hours=5))]))
    assert rows(db, "SELECT count(*), any_value(published_at) FROM articles") == [(1, T0 + timedelta(hours=5))]
    assert rows(db, "SELECT count(*), any_value(first_seen_at) FROM article_sightings") == [(1, T0)]  # insert policy
    keyed = dict(rows(db, "SELECT table_name, has_primary_key FROM duckdb_tables()"))
    assert not any(keyed[t] for t in GROWING) and keyed["load_batches"] and keyed["feeds"]


def test_old_warehouse_keeps_every_row_and_constraint_when_its_keys_go(tmp_path):
    from warehouse.migrate import available_migrations, migrate

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL)")
        for version, name, sql in available_migrations():
            if version < 7:
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, published_at, fetched_at, "
                    "extraction_status, text) SELECT 'a' || i, 'u' || i, 'u' || i, 's', ?::TIMESTAMPTZ - to_hours(i), "
                    "?, 'ok', 'نص ' || i FROM range(500) AS r(i)", [T0, T0])
        before = con.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
        assert 7 in migrate(con)
        assert con.execute("SELECT * FROM articles ORDER BY article_id").fetchall() == before
        # rows now lie in time order (the views' range filters skip by zone maps)
        times = [r[0] for r in con.execute("SELECT published_at FROM articles").fetchall()]
        assert times == sorted(times)
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, extraction_status) "
                    "VALUES ('new', 'u', 'u', 's', ?, 'ok')", [T0])
        assert con.execute("SELECT fetch_attempts FROM articles WHERE article_id = 'new'").fetchone() == (1,)
        try:
            con.execute("INSERT INTO articles (article_id, url, canonical_url, fetched_at, extraction_status) "
                        "VALUES ('x', 'u', 'u', ?, 'ok')", [T0])
            raise AssertionError("source_id NOT NULL was lost")
        except duckdb.ConstraintException:
            pass
    finally:
        con.close()
