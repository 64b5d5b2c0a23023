"""Choosing what to download: new entries only, once per run, capped per feed, since a time."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.models import FeedEntry, ParsedFeed
from tasks.select import select_new_entries


def entry(feed: str, path: str, day: int | None) -> FeedEntry:
    url = f"https://nile-today.example/{path}"
    return FeedEntry(feed_url=feed, source_id="niletoday", url=url, raw_link=url,
                     published_at=datetime(2026, 11, day, 12, tzinfo=UTC) if day else None)


LATEST = ParsedFeed("https://nile-today.example/latest.xml",
                    [entry("latest", "a", 25), entry("latest", "b", 26), entry("latest", "c", 27), entry("latest", "d", None)])
WORLD = ParsedFeed("https://nile-today.example/world.xml", [entry("world", "b", 26), entry("world", "e", 27)])


def test_an_article_listed_by_two_feeds_is_fetched_once_and_sighted_twice():
    sel = select_new_entries([LATEST, WORLD], settled_ids=set(), max_per_feed=None)
    assert [e.url.rsplit("/", 1)[1] for e in sel.to_fetch] == ["a", "b", "c", "d", "e"]
    assert len(sel.sightings) == 6
    assert sel.new_per_feed == {LATEST.feed_url: 4, WORLD.feed_url: 1}


def test_stored_articles_are_skipped_and_the_cap_counts_new_ones_only():
    stored = {LATEST.entries[0].article_id}
    sel = select_new_entries([LATEST], settled_ids=stored, max_per_feed=2)
    assert [e.url.rsplit("/", 1)[1] for e in sel.to_fetch] == ["b", "c"]
    assert sel.capped_per_feed == {LATEST.feed_url: 1}


def test_since_skips_older_entries_but_keeps_undated_ones():
    sel = select_new_entries([LATEST], set(), None, since=datetime(2026, 11, 26, tzinfo=UTC))
    assert [e.url.rsplit("/", 1)[1] for e in sel.to_fetch] == ["b", "c", "d"]
