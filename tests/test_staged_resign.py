"""A shard's batch staged with an older dedupe key (a machine not yet upgraded, or a batch staged
before the upgrade) is matched against the re-signed window with this version's key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tasks import stories
from tasks.models import Article, Extracted
from tasks.rows import article_row
from tasks.shards import cluster_staged
from warehouse.load import StagingArea, load_pending, stage_batch

FIX = Path(__file__).parent / "fixtures" / "semeval"
WHEN = datetime(2020, 3, 25, 17, tzinfo=UTC)


def _paragraphs(key: str) -> list[str]:
    data = {**json.loads((FIX / "articles.json").read_text("utf-8")),
            **json.loads((FIX / "background.json").read_text("utf-8"))}
    return [p for p in data[key]["text"].split("\n") if p.strip()]


def _article(aid: str, minutes: int, text: str) -> Article:
    url = f"https://sputnik.example/news/{aid}"
    return Article(article_id=aid, url=url, canonical_url=url, source_id="sputnik", feed_url="https://sputnik.example/rss",
                   fetched_at=WHEN + timedelta(minutes=minutes),
                   extraction=Extracted(status="ok", text=text, title=aid, language="ar",
                                        published_at=WHEN + timedelta(minutes=minutes)))


def test_a_batch_staged_with_an_older_key_is_re_signed_before_it_is_matched(tmp_path):
    """Sputnik's World Bank story is stored; its Grand Mosque story of the same evening, one
    paragraph of its own over the same three closing COVID paragraphs, arrives in a shard's batch
    staged by a machine of SIG_VERSION 3 (no lead words). Matched with the staged signature, the
    5-gram rule alone reads an update and joins it to the World Bank story; re-signed from the
    staged text, the leads' words keep the two stories apart."""
    close = _paragraphs("1558750714")[-3:]
    db = tmp_path / "w.duckdb"
    area = StagingArea(tmp_path / "staging")
    bank = _article("bank", 0, "\n".join(_paragraphs("1558780258")[:1] + close))
    tables = stories.cluster_articles([bank], db, 72).tables
    tables["articles"] = [article_row(bank, "run-1", 1)]
    stage_batch(area, "20200325170000000000-run-1", tables)
    assert load_pending(db, area).loaded

    mosque = _article("mosque", 60, "\n".join(_paragraphs("1558731176")[:1] + close))
    (sig,) = stories.attribute_and_sign([mosque]).sigs
    old = {k: v for k, v in sig.to_row().items() if k != "lead_words"} | {"version": 3}
    batch = stage_batch(StagingArea(tmp_path / "shard"), "20200325180000000000-run-2",
                        {"articles": [article_row(mosque, "run-2", 1)], "article_signatures": [old]},
                        {"cluster_at_load": True})
    tables = cluster_staged(batch, {}, db, 72)
    assert {r["article_id"]: r["cluster_id"] for r in tables["articles"]} == {"mosque": "mosque"}
    (row,) = tables["article_signatures"]
    assert row["version"] == stories.SIG_VERSION and row["lead_words"]
