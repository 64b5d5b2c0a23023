"""Arabic full-text search: tokenizer, stopwords, ranking, normalisation-insensitive queries,
the SQL macros, incremental re-keying, the CLI command."""

from __future__ import annotations

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from tests.analysis_fixture import build
from warehouse.db import load_fts, writer
from warehouse.queries import run_query
from warehouse.search import (
    IGNORE,
    SearchIndexMissing,
    rebuild_search_index,
    search,
    search_key,
    snippet,
    stopwords,
)

DOC = "الأَمْريكيّة السعودية، اتفاقيـــة cat sat on the mat"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("search"))


def _dict_terms(ignore: str) -> set[str]:
    con = duckdb.connect()
    load_fts(con)
    con.execute("CREATE TABLE d (id VARCHAR, t VARCHAR)")
    con.execute("INSERT INTO d VALUES ('1', ?)", [DOC])
    con.execute(f"PRAGMA create_fts_index('d', 'id', 't', stemmer = 'none', stopwords = 'none', ignore = '{ignore}')")
    return {r[0] for r in con.execute("SELECT term FROM fts_main_d.dict").fetchall()}


def test_documented_default_ignore_regex_deletes_arabic():
    assert _dict_terms(r"(\\.|[^a-z])+") == {"cat", "sat", "on", "the", "mat"}


def test_our_tokenizer_keeps_arabic_letters():
    terms = _dict_terms(IGNORE)
    assert {"السعودية", "cat"} <= terms
    assert not any("،" in t for t in terms)  # Arabic comma separates tokens


def test_stopwords_are_shipped_and_normalised():
    sw = stopwords()
    assert len(sw) >= 300
    assert {"الي", "علي", "التي", "هذه", "في"} <= sw          # إلى / على / ة folded like the index
    assert "إلى" not in sw and "الامريكيه" not in sw
    assert all(search_key(w) == w for w in sw)


def test_ranking_puts_the_story_first(wh):
    hits = search(wh.db, "زلزال البحر الميت", limit=5)
    event = {a["article_id"] for a in wh.articles if a.get("_event") == "dev-e11"}
    assert len(event) == 5 and {h["article_id"] for h in hits} == event
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    top = hits[0]
    assert set(top) >= {"title", "outlet", "outlet_name", "date", "snippet", "score", "article_id", "url"}
    assert "البحر الميت" in top["snippet"]


@pytest.mark.parametrize("query", ["الامريكيه", "الأمريكية", "الأَمْرِيكِيَّـة", "الاميركية"])
def test_hamza_ta_marbuta_harakat_and_spelling_insensitive(wh, query):
    hits = search(wh.db, query, limit=10)
    titles = [h["title"] for h in hits]
    assert "الخارجية الأمريكية تدعو إلى وقف إطلاق النار في السودان" in titles
    assert [h["article_id"] for h in hits] == [h["article_id"] for h in search(wh.db, "الامريكيه", limit=10)]


def test_only_stopwords_or_empty_query_finds_nothing(wh):
    assert search(wh.db, "في على التي", limit=5) == []
    assert search(wh.db, "  ،  ", limit=5) == []


def test_sql_macros_match_python(wh):
    py = [h["article_id"] for h in search(wh.db, "الامريكيه", limit=5)]
    cols, rows = run_query(wh.db, "LOAD fts; SELECT article_id, title, outlet, score FROM search_articles('الامريكيه', n := 5)")
    assert [r[0] for r in rows] == py
    samples = ["الأَمْريكيّـة", "مستشفى الإسكندرية ١٢٣", "جوجل وترامب", "ٱلرحمٰن", "المسؤولين والجزائريين"]
    got = list(run_query(wh.db, "SELECT " + ", ".join(f"akhbar_norm('{s}')" for s in samples))[1][0])
    assert got == [search_key(s) for s in samples]


def test_rebuild_is_incremental(wh):
    with writer(wh.db) as con:
        assert rebuild_search_index(con) == {"indexed": len(wh.articles), "rekeyed": 0, "removed": 0, "rebuilt": 0}
        aid = wh.by_story("dev-s04")[0]["article_id"]
        con.execute("UPDATE articles SET text = text || '\nمخطوطة نادرة من القرن السابع عشر' WHERE article_id = ?", [aid])
        stats = rebuild_search_index(con)
        assert stats == {"indexed": len(wh.articles), "rekeyed": 1, "removed": 0, "rebuilt": 1}
    assert [h["article_id"] for h in search(wh.db, "مخطوطه نادره", limit=3)][:1] == [aid]


def test_hamza_seats_fold(wh):
    # مسئول (Egyptian spelling) finds المسؤولين
    hits = search(wh.db, "مسئولين اسرائيليين", limit=3)
    assert any("المسؤولين" in h["title"] for h in hits)


def test_missing_index_is_reported(tmp_path):
    db = tmp_path / "empty.duckdb"
    with writer(db):
        pass
    with pytest.raises(SearchIndexMissing):
        search(db, "مصر")


def test_snippet_centres_on_the_hit():
    text = "فقرة أولى عن الطقس.\n" + "كلمة " * 80 + "واللاجئين في المخيمات " + "نص " * 80
    s = snippet(text, [search_key("اللاجئين")], width=120)
    assert "واللاجئين" in s and s.startswith("… ") and len(s) < 140


def test_cli_search(wh):
    from flows.cli_analysis import register

    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["search", "--db", str(wh.db), "-n", "3", "الامريكيه"])
    assert result.exit_code == 0, result.output
    assert "السودان" in result.output and "3 hit(s)" in result.output
