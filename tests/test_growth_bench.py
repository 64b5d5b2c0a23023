"""bench/growth.py's bulk build (issue 13): the benchmark warehouses go through the project's own
load path (stage_batch + load_all_pending, several chunks) with the search index built once at
the end, and come out consistent — at a small size, so the shape is proven cheaply."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from bench import growth
from warehouse.search import search

pytestmark = pytest.mark.heavy  # ~10 s of CPU (three loads and a search build); `pytest -m heavy`


def test_bulk_build_loads_every_chunk_and_indexes_once(tmp_path):
    root = tmp_path / "g"  # the story pool is cached beside it (tmp_path)
    meta = growth.build(2400, root, chunk=1000, pool_n=150, run_every=timedelta(days=1))
    db = root / "n2400" / "akhbar.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
        assert one("SELECT count(*), count(DISTINCT article_id) FROM articles") == (2400, 2400)
        assert one("SELECT count(*) FROM load_batches")[0] == 3  # 1000 + 1000 + the rest, one load each
        assert one("SELECT count(*) FROM article_signatures")[0] == 2400
        # every copy in one story cluster, whose counts the post-load SQL derived from its members
        assert one("SELECT count(*), sum(n_articles) FROM story_clusters")[1] == 2400
        assert one("""SELECT count(*) FROM story_clusters c JOIN (SELECT cluster_id, count(*) AS n
                      FROM cluster_members GROUP BY ALL) m USING (cluster_id) WHERE m.n <> c.n_articles""")[0] == 0
        assert one("SELECT count(*) FROM articles WHERE is_canonical")[0] == one("SELECT count(*) FROM story_clusters")[0]
        # a year of news up to the build's end, hourly polls replaced by daily ones here
        lo, hi = one("SELECT min(published_at), max(published_at) FROM articles")
        assert hi - lo > timedelta(days=300)
        assert one("SELECT count(*) FROM feed_fetches")[0] == 250 * 365
        # the search index: built once at the end, over every article; nothing left queued
        assert one("SELECT count(*) FROM search_queue")[0] == 0
        assert one("SELECT count(*) FROM search_docs")[0] == 2400
        word = one("SELECT split_part(title, ' ', 1) FROM articles WHERE length(split_part(title, ' ', 1)) > 4 LIMIT 1")[0]
    finally:
        con.close()
    assert search(db, word)
    assert meta["rows"]["articles"] == 2400 and set(meta["build_parts_s"]) >= {"load_s", "search_s"}
    # cached: a second call returns the same build without loading anything
    assert growth.build(2400, root, chunk=1000, pool_n=150)["built_at"] == meta["built_at"]
