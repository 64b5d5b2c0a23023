"""The SQL macro search_articles reads a person's month name (آب / أب, ماي) in a query as
``akhbar search`` does (a23): the month where the query dates it ("آب 2024", "15 آب"), the word
alone. Before, the macro looked each word up alone in search_vocab, so "آب 2024" in SQL lost the
month ``akhbar search`` found (no article dated "أغسطس 2024"), and "15 آب" fell back to any آب."""

from __future__ import annotations

import duckdb
import pytest

from tests.test_search import _corpus_index
from warehouse.search import install_dated_month, search_con
from warehouse.search_analysis import dated_months, keys, month_term
from warehouse.search_index import term_id

NEWS = {
    "dad": "العراق\nقال أب الضحية إن التحقيق لم يبدأ بعد.",
    "aug": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل.",
    "aab": "لبنان\nوقع انفجار المرفأ في 4 آب 2020.",
    "aug24": "مصر\nارتفع التضخم في أغسطس 2024 إلى مستوى قياسي.",
    "aab24": "سوريا\nارتفع التضخم في آب 2024 إلى مستوى قياسي.",
    "may": "الخليج\nارتفعت الأسعار خلال شهر مايو الماضي.",
    "tn": "تونس\nتنطلق الدورة يوم 20 ماي 2019.",
    "tm": "بريطانيا\nوقالت تيريزا ماي العام الماضي إن الاتفاق نهائي.",
}


@pytest.fixture(scope="module")
def con():
    return _corpus_index(NEWS)


@pytest.mark.parametrize("query", [
    "آب 2024", "أب 2024", "15 آب", "١٥ آب", "آب ٢٠٢٤", '"15 آب"', "ماي 2019", "20 ماي", "في ماي",
    "آب", "أب", "ماي", "تيريزا ماي", "تيريزا ماي العام الماضي", "أب الضحية", "آب/أغسطس", "أغسطس (آب)",
])
def test_the_sql_macro_dates_a_query_as_the_cli_does(con, query):
    """(The query's forms occur in NEWS: the macro analyses only forms the index has seen.)"""
    py = {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)}
    sql = {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                     [query]).fetchall()}
    assert sql == py, query


def test_august_2024_in_sql_finds_both_names(con):
    got = {r[0] for r in con.execute("SELECT article_id FROM search_articles('آب 2024', n := 100, all_copies := true)")
           .fetchall()}
    assert got == {"aab24", "aug24"}


_MACROS = duckdb.connect()
install_dated_month(_MACROS)


@pytest.mark.parametrize("query", [
    "أب", "ماي", "15 آب", "آب 15", "آب 2020", "2020 آب", "آب الماضي", "وآب الماضي", "آب العام الماضي",
    "ماي العام الماضي", "في ماي العام الماضي", "شهر آب", "لشهر آب", "وفي آب", "مطلع ماي", "أواخر آب",
    "منذ آب", "قبل آب", "من تموز إلى آب", "من 5 تموز إلى آب", "رسالة إلى ماي", "بعد ماي", "الرابع من آب",
    "15 من آب", "آب من 2020", "آب من العام", "تموز آب", "آب/أغسطس", "أغسطس (آب)", "أوت/آب", "آب أوت",
    "مايو/ماي", "ماي/أيار", "مايس 2003", "20 مايس", "أب لثلاثة أطفال", "أب 3", "آب 1700", "آب 32",
    "32 آب", "آب 99999999999999999999999", "نيسان/ماي", "مارس آب", "تيريزا ماي", "جان ماي 2019",
])
def test_the_macro_is_the_twin_of_dated_months(query):
    """``akhbar_dated_month`` (SQL) dates the same query words as ``dated_months`` (Python)."""
    con = _MACROS
    ks = keys(query)
    py = {i: term_id(t) for i, t in dated_months(ks).items()}
    rows = con.execute(
        "SELECT w - 1, akhbar_dated_month(CASE WHEN w > 2 THEN l[w - 2] END, CASE WHEN w > 1 THEN l[w - 1] END, "
        "l[w], l[w + 1], l[w + 2]) FROM (SELECT ?::VARCHAR[] AS l, generate_subscripts(?::VARCHAR[], 1) AS w)",
        [ks, ks]).fetchall()
    assert {i: t for i, t in rows if t is not None} == py, query
    assert all(t in {term_id(month_term(m)) for m in (5, 8)} for t in py.values())


def test_the_month_context_is_seeded_by_its_sql_file_with_the_rows_of_the_python_sets():
    """search_month_context holds month_context_rows() row for row (NULLs, numbers and the keys of
    two words alike), inserted by warehouse/sql/search/month_context_seed.sql with each column
    bound as one chr(31)-joined string: the statement lives in its .sql file, not in Python."""
    import inspect
    from importlib import resources

    from warehouse import search
    from warehouse.search import month_context_rows

    seed = resources.files("warehouse").joinpath("sql", "search", "month_context_seed.sql").read_text("utf-8")
    assert "INSERT INTO search_month_context" in seed and "chr(31)" in seed
    assert "INSERT INTO search_month_context" not in inspect.getsource(search)
    con = duckdb.connect()
    install_dated_month(con)
    cols = month_context_rows()
    want = sorted(zip(*cols.values(), strict=True), key=repr)
    got = sorted(con.execute("SELECT kind, key, month, tid, lo, hi FROM search_month_context").fetchall(), key=repr)
    assert got == want and len(got) > 1000
    assert ("day", None, None, None, 1, 31) in got and any(r[0] == "two" and " " in r[1] for r in got)
