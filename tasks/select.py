"""Choose what to download: new entries only, each canonical URL once per run, capped per feed,
plus the entries earlier runs queued (deferred by the cap, or to retry after a transient
failure) -- fetched even when their feed is unchanged this run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tasks.http import is_transient, kept_cut
from tasks.models import FeedEntry, ParsedFeed, stable_id
from tasks.urls import canonicalize, legacy_canonicalize

# A page that failed transiently is fetched again on later runs until it has had this many
# attempts in all (README "Failures are data").
MAX_PAGE_ATTEMPTS = 3
# A page kept as it came after every attempt of a run was cut short (tasks.http.CUT_PAGE) is asked
# again by a later run, this long after its last fetch, doubled each time (1 h, then 2 h), within
# the same MAX_PAGE_ATTEMPTS: a cache holding a cut copy, or an origin failing under a story's
# first traffic, has usually recovered by then, and a whole copy replaces the cut one.
CUT_RETRY_AFTER = timedelta(hours=1)
_CUT_RETRY_SLACK = timedelta(minutes=5)  # the queue's not_before is taken at the run's start


def cut_retry_wait(attempts: int) -> timedelta:
    """How long after its `attempts`-th fetch a page kept cut short is asked again."""
    return CUT_RETRY_AFTER * 2 ** max(0, attempts - 1)


def is_settled(row: dict, now: datetime | None = None) -> bool:
    """A stored article (or refused entry) is not fetched again, unless its last fetch failed
    transiently (timeout, reset, 408/425/429/5xx, robots.txt 5xx, a bot-check page) and it has
    attempts left, or it was kept cut short, has attempts left and its wait (cut_retry_wait)
    since the fetch that kept it is over (a row without fetched_at: over)."""
    attempts = row.get("fetch_attempts") or 1
    if kept_cut(row.get("fetch_outcome"), row.get("fetch_error")):
        fetched = row.get("fetched_at")
        waiting = fetched is not None and (now or datetime.now(UTC)) < fetched + cut_retry_wait(attempts) - _CUT_RETRY_SLACK
        return attempts >= MAX_PAGE_ATTEMPTS or waiting
    transient = is_transient(row.get("fetch_outcome"), row.get("http_status"), row.get("fetch_error"))
    return not (transient and attempts < MAX_PAGE_ATTEMPTS)


@dataclass
class Selection:
    to_fetch: list[FeedEntry] = field(default_factory=list)
    sightings: list[FeedEntry] = field(default_factory=list)  # every (article, feed) pair seen
    new_per_feed: dict[str, int] = field(default_factory=dict)
    capped_per_feed: dict[str, int] = field(default_factory=dict)
    deferred: list[FeedEntry] = field(default_factory=list)  # cut by the cap this run: queued
    from_queue: set[str] = field(default_factory=set)  # entry ids taken from the queue this run
    queue_done: list[FeedEntry] = field(default_factory=list)  # queued entries found settled meanwhile


def entry_from_queue(row: dict) -> FeedEntry:
    return FeedEntry(feed_url=row["feed_url"], source_id=row["source_id"], url=row["url"],
                     raw_link=row.get("raw_link") or row["url"], guid=row.get("guid"), title=row.get("title"),
                     summary=row.get("summary"), author=row.get("author"), published_at=row.get("published_at"),
                     categories=list(row.get("categories") or []))


def legacy_ids(entries: list[FeedEntry]) -> dict[str, str]:
    """Entry id -> the id older runs stored its link under, for the entries whose key the URL rules
    of session 15 changed (``tasks.urls.legacy_canonicalize``): read with the run's ids, so an
    article stored under its old key is not fetched and stored again under the new one."""
    out = {}
    for entry in entries:
        old = legacy_canonicalize(entry.raw_link, entry.feed_url)
        if old and old != entry.url:
            out[entry.article_id] = stable_id(old)
    return out


def keep_queued_keys(entries: list[FeedEntry], legacy: dict[str, str], queued: list[FeedEntry]) -> None:
    """An entry an older run queued under its old key (legacy_ids) keeps that key in this run: the
    feed's entry takes the queued URL, so the page is fetched once, by the queue, and stored under
    the key its queue row has."""
    queued_urls = {e.article_id: e.url for e in queued}
    for entry in entries:
        old = legacy.get(entry.article_id)
        if old in queued_urls:
            entry.url = queued_urls[old]


def known_under_legacy_ids(known: dict[str, dict], legacy: dict[str, str]) -> dict[str, dict]:
    """The run's known articles (warehouse.queries.known_articles), with each entry found only under its
    old id known under its new id too, as an alias of the stored article (its sightings go to it)."""
    for new_id, old_id in legacy.items():
        if new_id not in known and old_id in known:
            known[new_id] = {**known[old_id], "article_id": new_id}
    return known


def feed_url_keys(feed_urls: list[str]) -> set[str]:
    """Canonical forms of the catalog's feed URLs: an entry linking to one is not an article."""
    return {key for url in feed_urls if (key := canonicalize(url, url))}


def select_new_entries(parsed: list[ParsedFeed], settled_ids: set[str], max_per_feed: int | None,
                       since: datetime | None = None, queued: list[FeedEntry] | None = None,
                       feed_keys: set[str] | None = None) -> Selection:
    """Entries whose article is not settled in the warehouse, first sighting wins; entries
    published before `since` are not fetched (undated ones are).

    The same URL listed by several feeds (an outlet's "latest" and "world") is fetched once
    and recorded as a sighting of each. Each feed's cap counts its queued entries first (oldest
    first), then its new ones; what the cap cuts is deferred (queued for the next runs), never
    dropped. An entry linking to a catalog feed (e.g. `<link>#</link>`, which resolves to the
    feed itself) is skipped and recorded on its feed, never fetched as an article.
    """
    sel = Selection()
    chosen: set[str] = set()
    used: dict[str, int] = {}

    def take(entry: FeedEntry, feed_url: str) -> bool:
        if max_per_feed is not None and used.get(feed_url, 0) >= max_per_feed:
            return False
        chosen.add(entry.article_id)
        sel.to_fetch.append(entry)
        used[feed_url] = used.get(feed_url, 0) + 1
        return True

    for entry in queued or []:
        if entry.article_id in settled_ids:
            sel.queue_done.append(entry)
        elif entry.article_id not in chosen and not _before(entry, since) and take(entry, entry.feed_url):
            sel.from_queue.add(entry.article_id)
    queued_ids = {e.article_id for e in queued or []}
    for feed in parsed:
        new = 0
        for entry in list(feed.entries):
            if feed_keys and entry.url in feed_keys:
                feed.entries.remove(entry)
                feed.skipped.append((entry.raw_link, "links to a feed of the catalog, not an article"))
                continue
            sel.sightings.append(entry)
            if entry.article_id in settled_ids or entry.article_id in chosen or entry.article_id in queued_ids:
                continue
            if _before(entry, since):
                continue
            if not take(entry, feed.feed_url):
                sel.capped_per_feed[feed.feed_url] = sel.capped_per_feed.get(feed.feed_url, 0) + 1
                sel.deferred.append(entry)
                chosen.add(entry.article_id)  # deferred once, by its first feed
                continue
            new += 1
        sel.new_per_feed[feed.feed_url] = new
    return sel


def _before(entry: FeedEntry, since: datetime | None) -> bool:
    return since is not None and entry.published_at is not None and entry.published_at < since
