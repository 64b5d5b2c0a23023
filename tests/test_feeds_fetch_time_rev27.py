"""Review of feed dates (S20b, rev27): a feed's dates are read against the moment it was fetched
(FetchResult.fetched_at), not the clock when it is parsed — a run parses the feeds its fetch threads did not
get to after the whole fetch stage, and a stored answer parsed again later must give the same dates. A relative
stamp ("منذ 3 ساعات") counts back from the fetch; a local time labelled "+0000" shows itself by lying ahead of
the fetch; an item dated ahead of the fetch gets the fetch time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tasks.feeds import parse_feed
from tasks.models import FeedSpec, FetchResult

FETCHED = datetime(2024, 5, 12, 21, 0, tzinfo=UTC)


def _feed(pub_dates: list[str], country: str = "SA") -> list[datetime | None]:
    items = "".join(f"<item><title>خبر رقم {i}</title><link>https://example.com/news/{i}</link>"
                    f"<pubDate>{d}</pubDate></item>" for i, d in enumerate(pub_dates))
    body = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>أخبار</title>"
            f"<link>https://example.com/</link>{items}</channel></rss>").encode()
    spec = FeedSpec("ex", "ex", country, "https://example.com/rss")
    result = FetchResult(spec.url, spec.url, "ok", 200, body=body,
                         headers={"content-type": "application/rss+xml"}, fetched_at=FETCHED)
    return [e.published_at for e in parse_feed(spec, result).entries]


def test_a_relative_stamp_counts_back_from_the_fetch() -> None:
    assert _feed(["منذ 3 ساعات", "منذ 20 دقيقة"]) == [FETCHED - timedelta(hours=3), FETCHED - timedelta(minutes=20)]


def test_a_local_time_labelled_utc_is_ahead_of_the_fetch() -> None:
    # Riyadh (UTC+3): 23:30 "+0000" is 2.5 h after a fetch at 21:00 UTC: the feed writes local time as UTC
    got = _feed(["Sun, 12 May 2024 23:30:00 +0000", "Sun, 12 May 2024 20:00:00 +0000"])
    assert got == [datetime(2024, 5, 12, 20, 30, tzinfo=UTC), datetime(2024, 5, 12, 17, 0, tzinfo=UTC)]


def test_an_item_dated_ahead_of_the_fetch_gets_the_fetch_time() -> None:
    got = _feed(["Mon, 13 May 2024 09:00:00 +0300", "Sun, 12 May 2024 20:00:00 +0300"])
    assert got == [FETCHED, datetime(2024, 5, 12, 17, 0, tzinfo=UTC)]


def test_without_a_fetch_time_the_clock_is_now() -> None:
    spec = FeedSpec("ex", "ex", "SA", "https://example.com/rss")
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>https://example.com/</link>"
            "<item><title>خبر</title><link>https://example.com/n/1</link><pubDate>منذ ساعة</pubDate></item>"
            "</channel></rss>").encode()
    got = parse_feed(spec, FetchResult(spec.url, spec.url, "ok", 200, body=body, headers={})).entries[0].published_at
    assert got is not None and abs(got - (datetime.now(UTC) - timedelta(hours=1))) < timedelta(minutes=5)
