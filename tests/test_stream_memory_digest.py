"""bench.stream_memory records each run's table digest, so that a memory setting can be shown to
leave the warehouse's rows and story clusters as they were on the same WARC."""

import duckdb

from bench.stream_memory import _table_digest


def _warehouse(members: list[tuple[str, str, bool]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE articles (article_id VARCHAR, cluster_id VARCHAR, is_canonical BOOLEAN, text VARCHAR)")
    con.execute("CREATE TABLE cluster_members (cluster_id VARCHAR, article_id VARCHAR)")
    for aid, cid, canon in members:
        con.execute("INSERT INTO articles VALUES (?, ?, ?, 'نص الخبر')", [aid, cid, canon])
        con.execute("INSERT INTO cluster_members VALUES (?, ?)", [cid, aid])
    return con


ROWS = [("a1", "c1", True), ("a2", "c1", False), ("a3", "c2", True)]


def test_same_rows_in_another_order_give_the_same_digest():
    assert _table_digest(_warehouse(ROWS)) == _table_digest(_warehouse(ROWS[::-1]))


def test_an_article_in_another_cluster_or_canonical_copy_changes_the_digest():
    base = _table_digest(_warehouse(ROWS))
    moved = _table_digest(_warehouse([("a1", "c1", True), ("a2", "c2", False), ("a3", "c2", True)]))
    canon = _table_digest(_warehouse([("a1", "c1", False), ("a2", "c1", True), ("a3", "c2", True)]))
    assert base["articles"] == moved["articles"] == 3
    assert moved["clusters_md5"] != base["clusters_md5"] and moved["members_md5"] != base["members_md5"]
    assert canon["clusters_md5"] != base["clusters_md5"]


def test_row_counts_of_every_table():
    con = _warehouse(ROWS)
    con.execute("CREATE TABLE run_errors (run_id VARCHAR)")
    out = _table_digest(con)
    assert out["articles"] == 3 and out["cluster_members"] == 3 and out["run_errors"] == 0
