"""The dedupe window read copies only the window's light columns into its temp table (issue 18:
memory). The MinHash and lead lists of every window article were copied into ``dedupe_w`` before
the band and lead rows were built from it: most of the window read's peak (+~30 MB of ~100 on a
10,000-page warehouse, bench/RESULTS.md). 3_candidates.sql now streams them from the range scans
of ``article_signatures``; the candidates stay the same (tests/test_dedupe_window.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa

from tasks import stories
from tasks.dedupe import DEFAULT, Signature, candidate_lists, make_signature
from tasks.models import stable_id
from tests.test_dedupe_window import corpus
from warehouse import queries
from warehouse.db import writer

END = datetime(2026, 12, 1, tzinfo=UTC)
TEXT = ("قال وزير الخارجية في مؤتمر صحفي عقده اليوم في العاصمة إن المحادثات مع الوفد الزائر تناولت "
        "سبل تعزيز التعاون الاقتصادي بين البلدين وتوسيع التبادل التجاري في السنوات المقبلة")


def test_window_temp_table_holds_no_minhash_or_lead(tmp_path):
    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.execute("""
            INSERT INTO article_signatures BY NAME
            SELECT md5(i::VARCHAR)[:16] AS article_id, 'old' AS source_id,
                   $end - (i * INTERVAL 1 MINUTE) AS published_at, $end - (i * INTERVAL 1 MINUTE) AS fetched_at,
                   printf('k%d', i) AS key_hash, 200 AS n_tokens, [i] AS para_hashes, [i] AS para_exact,
                   [0] AS para_offsets, [i, i + 1] AS shingles, [i] AS lead,
                   list_transform(range(126), x -> i * 131 + x) AS minhash, 1 AS version
            FROM range(500) r(i)""", {"end": END})
    s = make_signature(stable_id("new"), "outlet", END, TEXT)
    new = [{k: getattr(s, k) for k in ("article_id", "key_hash", "n_tokens", "minhash", "lead", "para_hashes",
                                       "para_exact")}]
    con = duckdb.connect(str(db), read_only=True)
    try:
        queries.dedupe_pool_con(con, END - timedelta(hours=72), END + timedelta(hours=72), new,
                                stories.window_params())
        columns = {r[0] for r in con.execute("DESCRIBE dedupe_w").fetchall()}
    finally:
        con.close()
    assert {"article_id", "cluster_id", "para_hashes"} <= columns
    assert not columns & {"minhash", "lead"}, f"the window's lists copied into its temp table: {sorted(columns)}"


def test_window_candidates_are_the_python_candidates_with_undated_and_boundary_articles(tmp_path):
    """The candidates 3_candidates.sql takes from its two range scans are those candidate_lists
    finds in the whole window: undated stored articles enter by their fetch time (the second scan:
    no other test stores an undated one), both ends of the window are inside, a microsecond past
    them is outside, and an undated article fetched outside is outside though a copy."""
    rng = random.Random(5)
    texts = corpus()
    rng.shuffle(texts)
    start, end = END - timedelta(hours=72), END + timedelta(hours=72)
    edge = [start, end, start - timedelta(microseconds=1), end + timedelta(microseconds=1)]
    history, new_texts = texts[: 2 * len(texts) // 3], texts[2 * len(texts) // 3:]
    rows = []
    for i, (aid, src, text) in enumerate(history):
        when = edge[i % 4] if i % 3 == 0 else END + timedelta(hours=rng.uniform(-80, 80))
        undated = rng.random() < 0.5
        s = make_signature(aid, src, None if undated else when, text)
        rows.append({**s.to_row(), "fetched_at": when})
    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.register("history_rows", pa.Table.from_pylist(rows))
        con.execute("INSERT INTO article_signatures BY NAME SELECT * FROM history_rows")
    new_sigs = [make_signature(stable_id(aid), src, END, text) for aid, src, text in new_texts]
    keys = ("article_id", "key_hash", "n_tokens", "minhash", "lead", "para_hashes", "para_exact")
    con = duckdb.connect(str(db), read_only=True)
    try:
        queries.dedupe_pool_con(con, start, end, [{k: getattr(s, k) for k in keys} for s in new_sigs],
                                stories.window_params())
        got = {r[0] for r in con.execute("SELECT article_id FROM dedupe_c").fetchall()}
    finally:
        con.close()
    window = [Signature.from_row(r) for r in rows if start <= (r["published_at"] or r["fetched_at"]) <= end]
    pool = window + new_sigs
    lists = candidate_lists(pool, DEFAULT, query=range(len(window), len(pool)))
    want = {pool[j].article_id for i in range(len(window), len(pool)) for j in lists[i] if j < len(window)}
    undated = {r["article_id"] for r in rows if r["published_at"] is None}
    new_keys = {s.key_hash for s in new_sigs}
    by_content = {s.article_id for s in window if s.article_id in undated and s.key_hash not in new_keys}
    assert want & by_content, "no undated window article is a band or lead candidate: the test proves nothing"
    assert got == want
