"""Choose what to download: new entries only, each canonical URL once per run, capped per feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tasks.models import FeedEntry, ParsedFeed


@dataclass
class Selection:
    to_fetch: list[FeedEntry] = field(default_factory=list)
    sightings: list[FeedEntry] = field(default_factory=list)  # every (article, feed) pair seen
    new_per_feed: dict[str, int] = field(default_factory=dict)
    capped_per_feed: dict[str, int] = field(default_factory=dict)


def select_new_entries(parsed: list[ParsedFeed], settled_ids: set[str], max_per_feed: int | None,
                       since: datetime | None = None) -> Selection:
    """Entries whose article is not settled in the warehouse, first sighting wins; entries
    published before `since` are not fetched (undated ones are).

    The same URL listed by several feeds (an outlet's "latest" and "world") is fetched once
    and recorded as a sighting of each.
    """
    sel = Selection()
    chosen: set[str] = set()
    for feed in parsed:
        new = 0
        for entry in feed.entries:
            sel.sightings.append(entry)
            if entry.article_id in settled_ids or entry.article_id in chosen:
                continue
            if since is not None and entry.published_at is not None and entry.published_at < since:
                continue
            if max_per_feed is not None and new >= max_per_feed:
                sel.capped_per_feed[feed.feed_url] = sel.capped_per_feed.get(feed.feed_url, 0) + 1
                continue
            chosen.add(entry.article_id)
            sel.to_fetch.append(entry)
            new += 1
        sel.new_per_feed[feed.feed_url] = new
    return sel
