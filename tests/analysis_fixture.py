"""A small but realistic warehouse for the analysis tests (views, search, report, snapshot).

All 64 article pages of the fixture web (tests/fixtures/web/dev/gold.jsonl: real Arabic titles and
bodies, 8 outlets, 13 wire stories from 8 agencies) get publication times relative to now, placed
by the schedule below, plus two synthetic outlets whose extraction quality drifts (texts from
tests/fixtures/semeval). Rows go through the real path: ``stage_batch`` + ``load_pending``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warehouse.load import StagingArea, load_pending, stage_batch

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = FIXTURES / "web" / "dev" / "gold.jsonl"
FEEDS = FIXTURES / "web" / "dev" / "feeds.json"
SEMEVAL = FIXTURES / "semeval" / "articles.json"

# event -> (hours before now of its first copy, lag in minutes of each wire copy in gold order)
SCHEDULE: dict[str, tuple[float, list[int]]] = {
    "dev-e13": (5, [0, 12, 30, 45, 180]),      # reuters, 5 outlets, in the last 24 h
    "dev-e11": (8, [0, 20, 25, 300]),          # ap, 4 outlets, last 24 h
    "dev-e09": (20, [0, 60, 90]),              # reuters, 3 outlets, last 24 h
    "dev-e06": (30, [0, 5, 10, 120]),          # wam, just outside 24 h
    "dev-e02": (50, [0, 8, 16]),               # afp
    "dev-e05": (72, [0, 30, 30, 45]),          # dpa (two copies tie at 30 min)
    "dev-e04": (96, [0, 60, 120, 180]),        # anadolu
    "dev-e12": (120, [0, 10, 20, 30]),         # anadolu
    "dev-e10": (144, [0, 240]),                # afp
    "dev-e03": (216, [0, 35, 70]),             # ap, 9 days ago
    "dev-e01": (240, [0, 15]),                 # reuters, 10 days ago
    "dev-e08": (288, [0, 100]),                # kuna
    "dev-e07": (360, [0, 50]),                 # spa, 15 days ago
}
# independent story n of an event: first copy + 3 h + 10 min * n; standalone s0k: 37 * k hours ago
SYNTHETIC_OUTLETS = {
    "qalam": ("القلم الجزائري", "DZ"),   # failure rate drifts up
    "wadi": ("صدى الوادي", "TN"),        # texts get much shorter
}


def sha16(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:16]


@dataclass
class Built:
    db: Path
    area: StagingArea
    now: datetime
    tables: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def articles(self) -> list[dict]:
        return self.tables["articles"]

    def by_story(self, story_id: str) -> list[dict]:
        return [a for a in self.articles if a.get("_story") == story_id]


def gold_rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_tables(now: datetime) -> dict[str, list[dict]]:
    gold = gold_rows()
    outlets = {f["outlet_id"]: (f["outlet_name"], f["country"]) for f in json.loads(FEEDS.read_text("utf-8"))}
    outlets.update(SYNTHETIC_OUTLETS)
    sources = [dict(source_id=k, name=v[0], country=v[1], region=None, language="ar", updated_at=now)
               for k, v in sorted(outlets.items())]

    articles, members, clusters = [], [], []
    wire_seen: dict[str, int] = {}
    indep_seen: dict[str, int] = {}
    for g in gold:
        url = g["url"].replace("{{BASE}}", "https:/")
        aid = sha16(url)
        if g["kind"] == "wire":
            offset_h, lags = SCHEDULE[g["event_id"]]
            i = wire_seen.get(g["event_id"], 0)
            wire_seen[g["event_id"]] = i + 1
            published = now - timedelta(hours=offset_h) + timedelta(minutes=lags[i])
        elif g["kind"] == "independent":
            offset_h, _ = SCHEDULE[g["event_id"]]
            n = indep_seen.get(g["event_id"], 0) + 1
            indep_seen[g["event_id"]] = n
            published = now - timedelta(hours=offset_h) + timedelta(hours=3, minutes=10 * n)
        else:
            published = now - timedelta(hours=37 * int(g["story_id"][-1]))
        text = "\n".join(g["body_paragraphs"])
        wire = g["agency"] if g["kind"] == "wire" and g["agency_signals"] else None
        articles.append(dict(
            article_id=aid, url=url, canonical_url=url, source_id=g["outlet_id"],
            feed_url=f"https://{g['outlet_id']}.example/rss.xml", title=g["title"], author=g["author"],
            published_at=published, fetched_at=published + timedelta(minutes=5), language="ar",
            text=text, word_count=len(text.split()), extraction_status="ok", fetch_outcome="ok",
            http_status=200, wire_agency=wire, run_id="r5", _story=g["story_id"], _key=g["cluster_key"],
            _agency=g["agency"], _event=g["event_id"],
        ))
    # one hand-written Egyptian story spelled with hamza and ta marbuta (the search tests need it)
    url = "https://nile-today.example/world/145200/us-state-department-sudan"
    published = now - timedelta(hours=70)
    text = ("دعت وزارة الخارجية الأمريكية، اليوم الخميس، طرفي النزاع في السودان إلى وقف فوري لإطلاق النار "
            "والعودة إلى طاولة المفاوضات في جدة، محذرة من تدهور الأوضاع الإنسانية في إقليم دارفور.\n"
            "وقال المتحدث باسم الوزارة في مؤتمر صحفي إن واشنطن تعمل مع شركائها الإقليميين لضمان وصول "
            "المساعدات إلى المدنيين، مشيراً إلى أن أكثر من عشرة ملايين شخص نزحوا منذ اندلاع القتال.")
    articles.append(dict(
        article_id=sha16(url), url=url, canonical_url=url, source_id="niletoday",
        feed_url="https://niletoday.example/rss.xml", title="الخارجية الأمريكية تدعو إلى وقف إطلاق النار في السودان",
        author=None, published_at=published, fetched_at=published + timedelta(minutes=5), language="ar",
        text=text, word_count=len(text.split()), extraction_status="ok", fetch_outcome="ok", http_status=200,
        wire_agency=None, run_id="r5", _story="extra-us", _key="solo:extra-us", _agency=None, _event=None,
    ))
    # clusters: the founding (earliest) copy's id names the cluster, as tasks/dedupe does
    by_key: dict[str, list[dict]] = {}
    for a in articles:
        by_key.setdefault(a["_key"], []).append(a)
    for copies in by_key.values():
        copies.sort(key=lambda a: (a["published_at"], a["article_id"]))
        head = copies[0]
        for a in copies:
            a["cluster_id"] = head["article_id"]
            a["is_canonical"] = a is head
            members.append(dict(article_id=a["article_id"], cluster_id=head["article_id"],
                                source_id=a["source_id"], is_canonical=a is head,
                                similarity=1.0 if a is head else 0.8, containment=1.0 if a is head else 0.9,
                                matched_paragraphs=3, joined_at=a["fetched_at"]))
        clusters.append(dict(cluster_id=head["article_id"], canonical_article_id=head["article_id"],
                             canonical_rule="agency_copy" if head["_agency"] else "most_complete",
                             agency=head["_agency"], title=head["title"], n_articles=0, n_sources=0,
                             updated_at=now))

    articles.extend(_synthetic_articles(now))
    feeds, fetches, runs = _feeds(now, sorted(outlets))
    return dict(sources=sources, feeds=feeds, feed_fetches=fetches, runs=runs, articles=articles,
                story_clusters=clusters, cluster_members=members)


def _synthetic_articles(now: datetime) -> list[dict]:
    texts = list(json.loads(SEMEVAL.read_text("utf-8")).values())
    out = []

    def add(outlet: str, n: int, days_ago: float, status: str, words: int | None) -> None:
        src = texts[n % len(texts)]
        url = f"https://{outlet}.example/news/{n}"
        fetched = now - timedelta(days=days_ago)
        out.append(dict(
            article_id=sha16(url), url=url, canonical_url=url, source_id=outlet,
            feed_url=f"https://{outlet}.example/rss.xml", title=src["title"],
            published_at=fetched - timedelta(minutes=10), fetched_at=fetched, language="ar",
            text=None if status == "failed" else src["text"], word_count=words,
            extraction_status=status, fetch_outcome="ok", http_status=200, run_id="r5",
            _story=f"{outlet}-{n}",
        ))

    for i in range(12):  # baseline: days 8.5 .. 19.5, all fine
        add("qalam", i, 8.5 + i, "ok", 400)
        add("wadi", 100 + i, 8.5 + i, "ok", 500)
    for j, status in enumerate(["failed", "failed", "failed", "fallback_summary", "ok", "ok"]):
        add("qalam", 50 + j, 1.5 + j, status, {"ok": 400, "fallback_summary": 45}.get(status))
    for j in range(5):
        add("wadi", 150 + j, 1.5 + j, "ok", 150)
    return out


def _feeds(now: datetime, outlets: list[str]) -> tuple[list[dict], list[dict], list[dict]]:
    runs = [dict(run_id=f"r{i}", kind="ingest", started_at=now - timedelta(hours=6 * (5 - i)),
                 finished_at=now - timedelta(hours=6 * (5 - i)) + timedelta(minutes=2), status="ok")
            for i in range(1, 6)]
    # per extra feed: outcomes of runs r1..r5
    history = {f"https://{o}.example/rss.xml": ["ok", "ok", "unchanged", "ok", "not_modified"] for o in outlets}
    history["https://sahil.example/rss.xml"] = ["ok", "ok", "ok", "timeout", "timeout"]  # 2 failures: not yet
    history["https://marsad.example/rss/economy.xml"] = ["ok", "timeout", "http_error_5xx", "timeout",
                                                         "connection_error"]       # 4 in a row
    history["https://minbar.example/feed/"] = ["parse_error", "ok", "not_a_feed", "not_a_feed",
                                               "not_a_feed"]                       # 3 in a row
    feeds, fetches = [], []
    for url, outcomes in sorted(history.items()):
        fid = sha16(url)
        source = url.split("//", 1)[1].split(".", 1)[0]
        streak = 0
        for o in outcomes:
            streak = 0 if o in ("ok", "unchanged", "not_modified") else streak + 1
        feeds.append(dict(feed_id=fid, url=url, source_id=source, section=None, origin="catalog",
                          last_attempt_at=runs[-1]["started_at"], last_outcome=outcomes[-1],
                          consecutive_failures=streak, failure_score=float(streak),
                          last_success_at=max((r["started_at"] for r, o in zip(runs, outcomes, strict=True)
                                               if o in ("ok", "unchanged", "not_modified")), default=None),
                          last_new_at=now - timedelta(hours=2), disabled=False))
        for run, o in zip(runs, outcomes, strict=True):
            fetches.append(dict(fetch_id=f"{run['run_id']}-{fid}", run_id=run["run_id"], feed_id=fid, url=url,
                                attempted_at=run["started_at"] + timedelta(seconds=30), outcome=o,
                                http_status={"ok": 200, "unchanged": 200, "not_modified": 304,
                                             "http_error_5xx": 503}.get(o),
                                error=None if o in ("ok", "unchanged", "not_modified") else o))
    return feeds, fetches, runs


def _public(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def build(tmp: Path, search_index: bool = True, db: Path | None = None, now: datetime | None = None) -> Built:
    """Stage the rows as two batches (the e13 story arrives second) and load them.

    db: another warehouse (e.g. a DuckLake locator) instead of tmp/akhbar.duckdb; now: a fixed
    clock, so two warehouses built from the same rows can be compared."""
    from warehouse.db import writer
    from warehouse.search import rebuild_search_index

    now = now or datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    tables = make_tables(now)
    db = db or tmp / "akhbar.duckdb"
    area = StagingArea(tmp / "akhbar.d" / "staging")
    late = {a["article_id"] for a in tables["articles"] if a.get("_event") == "dev-e13"}
    first = {k: _public([r for r in v if r.get("article_id") not in late]) for k, v in tables.items()}
    second = {k: _public([r for r in v if r.get("article_id") in late]) for k, v in tables.items()
              if k in ("articles", "cluster_members")}
    second["story_clusters"] = _public([c for c in tables["story_clusters"] if c["cluster_id"] in late])
    first["story_clusters"] = _public([c for c in tables["story_clusters"] if c["cluster_id"] not in late])
    stage_batch(area, "20260101T000000000001-r4", first)
    stage_batch(area, "20260101T000000000002-r5", second)
    report = load_pending(db, area)
    assert report.error is None and len(report.loaded) == 2, report
    if search_index:
        with writer(db) as con:
            rebuild_search_index(con)
    return Built(db=db, area=area, now=now, tables=tables)
