"""The dedupe window read copies only the window's light columns into its temp table (issue 18:
memory). The MinHash and lead lists of every window article were copied into ``dedupe_w`` before
the band and lead rows were built from it: most of the window read's peak (+~30 MB of ~100 on a
10,000-page warehouse, bench/RESULTS.md). 3_candidates.sql now streams them from the range scans
of ``article_signatures``; the candidates stay the same (tests/test_dedupe_window.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from tasks import stories
from tasks.dedupe import make_signature
from tasks.models import stable_id
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
