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


def test_an_entry_queued_under_its_old_url_key_is_fetched_once():
    """An older run queued `?id=5&from=rss` (deferred by the cap) under the key it had then; this
    run's feed lists it again, keyed `?id=5` by the session-15 rules: fetched once, by the queue,
    under the queued key, not a second time as a new article."""
    from tasks import select
    from tasks.urls import canonicalize

    feed = "https://nile-today.example/latest.xml"
    raw = "https://nile-today.example/news.php?id=5&from=rss"
    queued = FeedEntry(feed_url=feed, source_id="nile-today", url=raw, raw_link=raw)  # its stored queue row
    listed = FeedEntry(feed_url=feed, source_id="nile-today", url=canonicalize(raw, feed), raw_link=raw)
    fresh = FeedEntry(feed_url=feed, source_id="nile-today", url=canonicalize(raw.replace("5", "6"), feed),
                      raw_link=raw.replace("5", "6"))
    assert listed.url != queued.url
    legacy = select.legacy_ids([listed, fresh])
    select.keep_queued_keys([listed, fresh], legacy, [queued])
    sel = select_new_entries([ParsedFeed(feed, [listed, fresh])], set(), None, queued=[queued])
    assert sorted(e.url for e in sel.to_fetch) == [raw, "https://nile-today.example/news.php?id=6"]
    assert {e.article_id for e in sel.sightings} == {queued.article_id, fresh.article_id}
