"""`akhbar sql` on a warehouse written by an older version uses this version's ``search_articles``.

The macros are stored in the warehouse file and re-installed only by a load (``sync_search_index``):
after an upgrade that changes ``search_articles`` but not the analyzer (893b672: the macro dates
"آب 2024" as ``akhbar search`` does), an analyst's read-only ``akhbar sql`` kept running the macro
the older version stored ("آب 2024" found only آب, not أغسطس 2024). Temporary macros of the session
shadow the stored ones."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.adhoc import run
from warehouse.search import install_macros
from warehouse.search_index import index_batches

NEWS = {
    "aab": "لبنان\nوقع انفجار المرفأ في 4 آب 2020.",
    "aug24": "مصر\nارتفع التضخم في أغسطس 2024 إلى مستوى قياسي.",
    "aab24": "سوريا\nارتفع التضخم في آب 2024 إلى مستوى قياسي.",
    "dad": "العراق\nقال أب الضحية إن التحقيق لم يبدأ بعد.",
}

# What an older version stored: a search_articles of the same signature that knows nothing of the
# dated month (here: the query's words looked up alone, as before 893b672, reduced to its result).
STALE = ("CREATE OR REPLACE MACRO search_articles(q, n := 20, sort := 'relevance', outlets := NULL, countries := NULL, "
         "agencies := NULL, since := NULL, until := NULL, all_copies := false) AS TABLE "
         "SELECT 'stale-' || article_id AS article_id FROM articles")


# What a version before search_month_context stored: an akhbar_dated_month of its own (generated with
# its sets written in) and no table of the sets; a stale one here, which dates nothing.
STALE_MONTH = "CREATE OR REPLACE MACRO akhbar_dated_month(b2, b, k, a, a2) AS CAST(NULL AS BIGINT)"


def _old_warehouse(path, before_month_table: bool = False) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sources (source_id VARCHAR, name VARCHAR, country VARCHAR)")
    con.execute("CREATE TABLE articles (article_id VARCHAR, title VARCHAR, text VARCHAR, source_id VARCHAR, url VARCHAR)")
    rows = {a: t.split("\n", 1) for a, t in NEWS.items()}
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, 's', ?)", [[a, t, b, "u:" + a] for a, (t, b) in rows.items()])
    index_batches(con, [pa.table({"article_id": list(rows), "title": [t for t, _ in rows.values()],
                                  "text": [b for _, b in rows.values()]})])
    install_macros(con)
    con.execute(STALE)
    if before_month_table:
        con.execute("DROP TABLE search_month_context")
        con.execute(STALE_MONTH)
    con.close()


def _sql(path, query: str) -> set[str]:
    return {row[0] for result in run(path, query) for rows in result.batches for row in rows}


def test_akhbar_sql_runs_this_versions_search_macro_on_an_older_warehouse(tmp_path):
    path = tmp_path / "old.duckdb"
    _old_warehouse(path)
    got = _sql(path, "SELECT article_id FROM search_articles('آب 2024', n := 100, all_copies := true)")
    assert got == {"aab24", "aug24"}
    assert _sql(path, "SELECT article_id FROM search_articles('أب', n := 100, all_copies := true)") == {"aab", "aab24", "dad"}


def test_akhbar_sql_dates_a_month_on_a_warehouse_without_the_month_table(tmp_path):
    """A warehouse stored before akhbar_dated_month read its sets from a table: the session seeds a
    temporary one (read-only), and its macros read it."""
    path = tmp_path / "older.duckdb"
    _old_warehouse(path, before_month_table=True)
    got = _sql(path, "SELECT article_id FROM search_articles('آب 2024', n := 100, all_copies := true)")
    assert got == {"aab24", "aug24"}
    assert _sql(path, "SELECT article_id FROM search_articles('أب', n := 100, all_copies := true)") == {"aab", "aab24", "dad"}
    con = duckdb.connect(str(path), read_only=True)
    try:  # the file itself was not written
        assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'search_month_context'").fetchone()[0]
    finally:
        con.close()


def test_akhbar_sql_on_a_warehouse_without_a_search_index(tmp_path):
    path = tmp_path / "bare.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE articles (article_id VARCHAR)")
    con.execute("INSERT INTO articles VALUES ('a')")
    con.close()
    assert _sql(path, "SELECT article_id FROM articles") == {"a"}
