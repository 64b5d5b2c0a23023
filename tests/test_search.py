"""Arabic full-text search: tokenizer, stopwords, ranking, normalisation-insensitive queries,
the SQL macros, incremental re-keying, the CLI command."""

from __future__ import annotations

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from tests.analysis_fixture import build, gold_rows
from warehouse import search_index
from warehouse.db import writer
from warehouse.queries import run_query
from warehouse.search import (
    SearchIndexMissing,
    enqueue,
    rebuild_search_index,
    search,
    search_key,
    snippet,
    stopwords,
)
from warehouse.search_analysis import RAW_TOKEN, raw_tokens

DOC = "الأَمْريكيّة السعودية، اتفاقيـــة cat sat on the mat"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("search"))


def test_tokenizer_keeps_arabic_words_whole_and_sql_splits_like_python():
    assert raw_tokens(DOC) == ["الأَمْريكيّة", "السعودية", "اتفاقيـــة", "cat", "sat", "on", "the", "mat"]
    con = duckdb.connect()
    texts = [g["title"] + "\n" + "\n".join(g["body_paragraphs"]) for g in gold_rows()[:20]] + [DOC]
    for text in texts:
        sql = con.execute("SELECT regexp_extract_all(?, ?)", [text, RAW_TOKEN]).fetchone()[0]
        assert sql == raw_tokens(text)


def test_stopwords_are_shipped_and_normalised():
    sw = stopwords()
    assert len(sw) >= 300
    assert {"الي", "علي", "التي", "هذه", "في"} <= sw          # إلى / على / ة folded like the index
    assert "إلى" not in sw and "الامريكيه" not in sw
    assert all(search_key(w) == w for w in sw)


def test_ranking_puts_the_story_first(wh):
    hits = search(wh.db, "زلزال البحر الميت", limit=5, all_copies=True)
    event = {a["article_id"] for a in wh.articles if a.get("_event") == "dev-e11"}
    assert len(event) == 5 and {h["article_id"] for h in hits} == event
    top = hits[0]
    assert set(top) >= {"title", "outlet", "source_id", "published_at", "snippet", "score", "article_id", "url",
                        "cluster_id", "copies"}
    assert "البحر الميت" in top["snippet"]
    # by default one hit per story cluster, with the number of matching copies
    clusters = search(wh.db, "زلزال البحر الميت", limit=5)
    assert {h["cluster_id"] for h in clusters} == {h["cluster_id"] for h in hits}
    assert sum(h["copies"] for h in clusters) == 5 and len(clusters) < 5


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
    cols, rows = run_query(wh.db, "SELECT article_id, title, outlet, score FROM search_articles('الامريكيه', n := 5)")
    assert [r[0] for r in rows] == py
    samples = ["الأَمْريكيّـة", "مستشفى الإسكندرية ١٢٣", "جوجل وترامب", "ٱلرحمٰن", "المسؤولين والجزائريين"]
    got = list(run_query(wh.db, "SELECT " + ", ".join(f"akhbar_norm('{s}')" for s in samples))[1][0])
    assert got == [search_key(s) for s in samples]


def test_rebuild_is_incremental(wh):
    with writer(wh.db) as con:
        stats = rebuild_search_index(con)
        assert (stats["indexed"], stats["added"], stats["removed"], stats["rebuilt"]) == (len(wh.articles), 0, 0, 0)
        aid = wh.by_story("dev-s04")[0]["article_id"]
        con.execute("UPDATE articles SET text = text || '\nمخطوطة نادرة من القرن السابع عشر' WHERE article_id = ?", [aid])
        enqueue(con, [aid])
        stats = rebuild_search_index(con)
        assert (stats["indexed"], stats["added"], stats["removed"], stats["rebuilt"]) == (len(wh.articles), 1, 1, 0)
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
    s = snippet(text, [search_key("لاجئ")], width=120)
    assert "واللاجئين" in s and s.startswith("… ") and len(s) < 140


def test_cli_search(wh):
    from flows.cli_analysis import register

    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["search", "--db", str(wh.db), "-n", "3", "الامريكيه"])
    assert result.exit_code == 0, result.output
    assert "السودان" in result.output and "3 hit(s)" in result.output


def _index_state(con) -> tuple[set, set]:
    """What the index holds, independent of doc numbers and runs: live postings and lengths."""
    postings = set(con.execute(
        "SELECT p.tid, d.article_id, p.tf_t, p.tf_b FROM search_postings p JOIN search_docs d USING (doc)").fetchall())
    docs = set(con.execute("SELECT article_id, len_t, len_b FROM search_docs").fetchall())
    return postings, docs


def test_incremental_index_equals_full_rebuild_after_adds_updates_deletes(tmp_path, monkeypatch):
    # tiny merge thresholds, so a few loads exercise run merges and dead-document purges
    monkeypatch.setattr(search_index, "BASE_RUN_ROWS", 200)
    monkeypatch.setattr(search_index, "MERGE_FACTOR", 3)
    wh = build(tmp_path)
    queries = ["الامريكيه", "زلزال البحر الميت", "لاجئ", "مخطوطه نادره", "الحكومة اللبنانية", "كأس العرش"]
    arts = wh.articles
    with writer(wh.db) as con:
        for i, a in enumerate(arts[:12]):  # updates, one per sync: many small runs, merged as they go
            con.execute("UPDATE articles SET text = text || ? WHERE article_id = ?",
                        [f"\nمخطوطة نادرة رقم {i} من القرن السابع عشر", a["article_id"]])
            enqueue(con, [a["article_id"]])
            rebuild_search_index(con)
        gone = [arts[20]["article_id"], arts[21]["article_id"]]  # deletes
        con.execute("DELETE FROM articles WHERE article_id IN (SELECT unnest(?))", [gone])
        enqueue(con, gone)
        con.execute("INSERT INTO articles SELECT * REPLACE ('new-' || article_id AS article_id, "  # adds
                    "title || ' ملحق' AS title) FROM articles WHERE article_id IN (SELECT unnest(?))",
                    [[arts[30]["article_id"], arts[31]["article_id"]]])
        enqueue(con, ["new-" + arts[30]["article_id"], "new-" + arts[31]["article_id"]])
        stats = rebuild_search_index(con)
        assert stats["rebuilt"] == 0 and stats["removed"] == 2 and stats["added"] == 2
        n_runs = con.execute("SELECT count(*) FROM search_runs").fetchone()[0]
        assert n_runs < 12  # merged along the way
        incremental = _index_state(con)
    got_inc = {q: [(h["article_id"], round(h["score"], 6), h["copies"]) for h in search(wh.db, q, 20)] for q in queries}
    with writer(wh.db) as con:
        assert rebuild_search_index(con, full=True)["rebuilt"] == 1
        assert con.execute("SELECT count(*) FROM search_runs").fetchone()[0] == 1
        full = _index_state(con)
    got_full = {q: [(h["article_id"], round(h["score"], 6), h["copies"]) for h in search(wh.db, q, 20)] for q in queries}
    assert incremental == full
    assert got_inc == got_full
    assert got_full["مخطوطه نادره"] and not any(a in gone for hits in got_full.values() for a, _, _ in hits)
