"""The analysis views, on a warehouse loaded through stage_batch + load_pending (exact rows)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC
from pathlib import Path

import pytest

from tests.analysis_fixture import SCHEDULE, build
from warehouse.db import view_sql
from warehouse.queries import run_query, table_rows

EXAMPLES = Path(__file__).resolve().parents[1] / "warehouse" / "sql" / "queries" / "examples"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("views"))


def q(wh, sql: str) -> list[tuple]:
    return run_query(wh.db, sql)[1]


def day(a: dict):
    return (a["published_at"] or a["fetched_at"]).astimezone(UTC).date()


def wire_cluster(wh, event: str) -> str:
    copies = [a for a in wh.articles if a.get("_key") == f"wire:{event}-w"]
    return min(copies, key=lambda a: a["published_at"])["article_id"]


def test_every_view_file_creates_its_view(wh):
    names = {r[0] for r in q(wh, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert {"daily_volume", "wire_share", "story_copies", "story_spread", "top_stories_24h",
            "extraction_quality", "extraction_drift", "feed_health"} <= names
    assert len(view_sql()) >= 8


def test_daily_volume_exact(wh):
    expected = Counter((day(a), a["source_id"]) for a in wh.articles)
    rows = q(wh, "SELECT day, source_id, articles FROM daily_volume ORDER BY day, source_id")
    assert rows == sorted((d, s, n) for (d, s), n in expected.items())
    assert sum(r[2] for r in rows) == len(wh.articles) == 100
    eg = q(wh, "SELECT DISTINCT country FROM daily_volume WHERE source_id = 'niletoday'")
    assert eg == [("EG",)]


def test_wire_share_exact(wh):
    per_day = Counter(day(a) for a in wh.articles)
    arts, stories = Counter(), defaultdict(set)
    for a in wh.articles:
        if a.get("_agency"):  # gold agency of the copy's story (own attribution or cluster vote)
            arts[(day(a), a["_agency"])] += 1
            stories[(day(a), a["_agency"])].add(a["cluster_id"])
    expected = sorted(((d, ag, n, per_day[d], n / per_day[d], len(stories[(d, ag)])) for (d, ag), n in arts.items()),
                      key=lambda r: (r[0], -r[2], r[1]))
    rows = q(wh, "SELECT day, agency, articles, day_articles, share, clusters FROM wire_share")
    assert [r[:4] + (round(r[4], 9), r[5]) for r in rows] == [e[:4] + (round(e[4], 9), e[5]) for e in expected]


def test_wire_share_counts_copies_whose_dateline_was_removed(wh):
    # a wire copy without agency signals has wire_agency NULL but still counts for its cluster's agency
    unattributed = [a for a in wh.articles if a.get("_agency") and a["wire_agency"] is None]
    assert unattributed
    total = q(wh, "SELECT sum(articles) FROM wire_share")[0][0]
    assert total == sum(1 for a in wh.articles if a.get("_agency")) == 42


def test_story_spread_exact_for_wire_stories(wh):
    rows = {r["cluster_id"]: r for r in table_rows(wh.db, "SELECT * FROM story_spread")}
    assert len(rows) == 36  # 35 gold cluster keys + the extra Egyptian story
    for event, (_, lags) in SCHEDULE.items():
        r = rows[wire_cluster(wh, event)]
        later = sorted(lags)[1:]
        assert (r["n_outlets"], r["n_articles"]) == (len(lags), len(lags))
        assert r["lag_min_minutes"] == later[0]
        assert r["lag_max_minutes"] == later[-1]
        assert r["lag_median_minutes"] == pytest.approx(sorted(later)[len(later) // 2] if len(later) % 2
                                                        else (later[len(later) // 2 - 1] + later[len(later) // 2]) / 2)
        assert (r["last_seen_at"] - r["first_seen_at"]).total_seconds() == 60 * max(lags)
    e13 = rows[wire_cluster(wh, "dev-e13")]
    assert (e13["agency"], e13["lag_median_minutes"], e13["outlets"]) == (
        "reuters", 37.5, ["marsad", "nabd", "rafidain", "sahil", "ufuq"])
    singles = [r for r in rows.values() if r["n_articles"] == 1]
    assert len(singles) == 36 - 13 and all(r["lag_median_minutes"] is None for r in singles)
    order = q(wh, "SELECT n_outlets FROM story_spread")
    assert [o[0] for o in order] == sorted((o[0] for o in order), reverse=True)


def test_story_copies_ranks_and_ties(wh):
    cid = wire_cluster(wh, "dev-e05")  # lags 0, 30, 30, 45: the tie is broken by article_id
    rows = q(wh, f"SELECT copy_rank, lag_minutes, is_canonical, first_in_outlet FROM story_copies "
                 f"WHERE cluster_id = '{cid}' ORDER BY copy_rank")
    assert rows == [(1, 0.0, True, True), (2, 30.0, False, True), (3, 30.0, False, True), (4, 45.0, False, True)]


def test_top_stories_24h_exact(wh):
    singles = sorted((a for a in wh.articles if a.get("_event") in ("dev-e13", "dev-e11", "dev-e09")
                      and a["_key"].startswith("solo:")), key=lambda a: a["published_at"])
    expected = [(wire_cluster(wh, "dev-e13"), 5, 5), (wire_cluster(wh, "dev-e11"), 4, 4),
                (wire_cluster(wh, "dev-e09"), 3, 3)] + [(a["article_id"], 1, 1) for a in singles]
    assert q(wh, "SELECT cluster_id, n_outlets, n_articles FROM top_stories_24h") == expected
    assert len(expected) == 8


def test_extraction_quality_exact(wh):
    rows = {r["source_id"]: r for r in table_rows(wh.db, "SELECT * FROM extraction_quality")}
    assert set(rows) == {"atlas", "marsad", "minbar", "nabd", "niletoday", "rafidain", "sahil", "ufuq", "qalam", "wadi"}
    qalam = rows["qalam"]
    assert (qalam["recent_articles"], qalam["recent_ok"], qalam["base_articles"], qalam["base_ok"]) == (6, 2, 12, 12)
    assert qalam["recent_failed_share"] == pytest.approx(0.5)
    assert qalam["recent_fallback_share"] == pytest.approx(1 / 6)
    assert (qalam["recent_median_words"], qalam["base_median_words"], qalam["base_failed_share"]) == (400, 400, 0)
    wadi = rows["wadi"]
    assert (wadi["recent_articles"], wadi["recent_median_words"], wadi["base_median_words"]) == (5, 150, 500)


def test_extraction_drift_exact(wh):
    rows = q(wh, "SELECT source_id, reasons, recent_not_ok_share, base_not_ok_share, words_ratio FROM extraction_drift")
    assert rows == [("qalam", ["failure_rate"], 0.667, 0.0, 1.0), ("wadi", ["shorter_text"], 0.0, 0.0, 0.3)]


def test_example_queries_run_and_answer(wh):
    files = sorted(EXAMPLES.glob("*.sql"))
    assert len(files) >= 5
    results = {f.stem: run_query(wh.db, f.read_text(encoding="utf-8")) for f in files}
    assert all(cols for cols, _ in results.values())
    reuters = results["reuters_copied_by_3_outlets_this_week"][1]
    assert [(r[1], r[2]) for r in reuters] == [(5, 5), (3, 3)]  # e13, e09; e01 is 10 days old
    afp = results["afp_fastest_republishers"][1]
    assert [(r[0], r[2]) for r in afp] == [("nabd", 8.0), ("niletoday", 16.0), ("atlas", 240.0)]
    failing = results["feeds_failing_3_runs"][1]
    assert [r[0] for r in failing] == ["https://marsad.example/rss/economy.xml", "https://minbar.example/feed/"]
    egypt = results["daily_volume_egypt"][1]
    assert sum(r[1] for r in egypt) == sum(1 for a in wh.articles if a["source_id"] == "niletoday")
    assert [r[0] for r in results["extraction_drift_watch"][1]] == ["qalam", "wadi"]
    hits = results["search_articles_mentioning"][1]
    assert hits and any("الأمريكية" in r[0] for r in hits)
