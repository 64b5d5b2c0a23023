"""tasks.health: a feed's failure weights, backoff and auto-disable over real parsed answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasks.health import next_feed_state
from tasks.models import FeedSpec, FetchResult
from tasks.poll import parse_fetched

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
URL = "https://akhbar-alyawm.example/feed/"
SPEC = FeedSpec(source_id="akhbar-alyawm", source_name="أخبار اليوم", country="EG", url=URL)

MAINTENANCE = ("<!DOCTYPE html><html dir='rtl' lang='ar'><head><meta charset='utf-8'><title>الموقع تحت الصيانة</title>"
               "<link rel='alternate' type='application/rss+xml' title='أخبار اليوم' href='https://akhbar-alyawm.example/feed/'>"
               "</head><body><h1>نعتذر، الموقع تحت الصيانة حاليا</h1><p>سنعود قريبا.</p></body></html>").encode()
MOVED = MAINTENANCE.replace(b"href='https://akhbar-alyawm.example/feed/'", b"href='https://akhbar-alyawm.example/rss.xml'")
WP_DB_ERROR = b"<html><head><title>Database Error</title></head><body><h1>Error establishing a database connection</h1></body></html>"
RSS = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>أخبار اليوم</title>"
       "<item><title>خبر</title><link>https://akhbar-alyawm.example/news/1.html</link></item></channel></rss>").encode()


def answer(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200):
    result = FetchResult(url=URL, final_url=URL, outcome="ok", status=status, body=body,
                         headers={"content-type": content_type}, fetched_at=NOW)
    [fo] = parse_fetched([SPEC], [result], {})
    return fo


def state_after(fo, prev: dict, now: datetime = NOW) -> dict:
    return next_feed_state(prev, outcome=fo.outcome, status=fo.fetch.status, error=fo.error, new_entries=0,
                           now=now, disable_after=20)


def was_feed(ago: timedelta) -> dict:
    return dict(last_success_at=NOW - ago, last_outcome="ok", consecutive_failures=0, failure_score=0.0)


@pytest.mark.parametrize("body", [b"", b"  \n", MAINTENANCE, WP_DB_ERROR], ids=["empty", "blank", "maintenance", "db-error"])
def test_outage_of_a_feed_that_answered_yesterday_is_temporary(body):
    fo = answer(body)
    assert fo.outcome == "not_a_feed"  # still said as it is
    row = state_after(fo, was_feed(timedelta(hours=20)))
    assert row["failure_score"] == 1.0 and row["next_fetch_at"] == NOW + timedelta(minutes=15)


@pytest.mark.parametrize("body", [b"", MAINTENANCE, WP_DB_ERROR], ids=["empty", "maintenance", "db-error"])
def test_a_url_that_never_answered_a_feed_is_a_hard_not_a_feed(body):
    assert state_after(answer(body), {})["failure_score"] == 3.0


def test_outage_past_the_grace_is_hard_again():
    past_grace = timedelta(days=3, hours=1)  # tasks.health.OUTAGE_GRACE: 3 days
    assert state_after(answer(MAINTENANCE), was_feed(past_grace))["failure_score"] == 3.0


def test_a_page_announcing_another_feed_is_hard_even_for_a_feed_that_answered():
    fo = answer(MOVED)
    assert "it announces the feed https://akhbar-alyawm.example/rss.xml" in fo.error
    assert state_after(fo, was_feed(timedelta(hours=2)))["failure_score"] == 3.0


def test_a_day_long_maintenance_page_backs_off_but_does_not_disable_the_feed():
    """Polled as due from its last success, a feed serving a maintenance page for two days is not
    disabled (before: 7 hard failures, score 21, disabled after ~16 h); it recovers on the next
    feed, and one that stays an HTML page is still disabled within days."""
    row = state_after(answer(RSS, "application/rss+xml"), {}, NOW - timedelta(days=2))
    assert row["last_success_at"] == NOW - timedelta(days=2)
    now = row["next_fetch_at"]
    while now < NOW:
        row = state_after(answer(MAINTENANCE), row, now)
        now = row["next_fetch_at"]
    assert not row.get("disabled") and row["consecutive_failures"] == 8 and row["failure_score"] == 8.0
    row = state_after(answer(RSS + b" "), row, now)
    assert row["consecutive_failures"] == 0 and not row.get("disabled") and row["failure_score"] == 4.0
    recovered_at = now
    for _ in range(12):
        row = state_after(answer(MAINTENANCE), row, now)
        now = row["next_fetch_at"]
    assert row["disabled"] and row["last_attempt_at"] - recovered_at < timedelta(days=6)


def test_temporary_and_hard_failures_keep_their_weights():
    timeout = FetchResult(url=URL, final_url=URL, outcome="timeout", error="read timeout", fetched_at=NOW)
    [fo] = parse_fetched([SPEC], [timeout], {})
    assert state_after(fo, {})["failure_score"] == 1.0
    gone = FetchResult(url=URL, final_url=URL, outcome="http_error", status=410, error="HTTP 410", fetched_at=NOW)
    [fo] = parse_fetched([SPEC], [gone], {})
    assert state_after(fo, was_feed(timedelta(hours=1)))["failure_score"] == 3.0
    pdf = answer(b"%PDF-1.4 binary", "application/pdf")
    assert pdf.outcome == "not_a_feed" and state_after(pdf, was_feed(timedelta(hours=1)))["failure_score"] == 3.0


# A feed file read while a deploy rewrote it, or a proxy that closed mid-transfer with its framing
# intact: the document stops before its closing tag. Cut before its root element it is not_a_feed,
# before its first item a parse_error; both were weighed 3 (a wrong URL) even for a feed that
# answered an hour before.
_CUT_RSS = ("<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel><title>أخبار اليوم</title>"
            "<link>https://akhbar-alyawm.example/</link><description>آخر الأخبار</description>\n"
            "<item><title>الحكومة تقر الموازنة</title><link>https://akhbar-alyawm.example/news/2.html</link></item>"
            "</channel></rss>").encode()


@pytest.mark.parametrize("cut", [12, 45, 120, 200], ids=["in-declaration", "in-root", "in-channel", "before-item"])
def test_a_feed_cut_short_is_an_outage_for_a_feed_that_answered(cut):
    fo = answer(_CUT_RSS[:cut], "application/rss+xml; charset=utf-8")
    assert fo.outcome in ("not_a_feed", "parse_error") and fo.error.startswith("feed cut short")
    assert state_after(fo, was_feed(timedelta(hours=1)))["failure_score"] == 1.0
    assert state_after(fo, {})["failure_score"] == 3.0  # a URL that never gave a feed: hard, as before
    assert state_after(fo, was_feed(timedelta(days=3, hours=1)))["failure_score"] == 3.0


def test_a_feed_cut_inside_an_item_keeps_its_whole_items_and_a_broken_feed_stays_hard():
    cut = _CUT_RSS.index(b"</item>") + len(b"</item>") + 3
    fo = answer(_CUT_RSS[:cut], "application/rss+xml")
    assert fo.outcome == "ok" and len(fo.parsed.entries) == 1
    # not well-formed in the middle (an unescaped '&' ... '<' inside a title): no cut, hard as before
    broken = _CUT_RSS.replace(b"<title>\xd8\xa3\xd8\xae", b"<title><<\xd8\xa3\xd8\xae").replace(b"<item>", b"")
    fo = answer(broken.replace(b"</rss>", b""), "application/rss+xml")
    assert fo.outcome in ("not_a_feed", "parse_error") and not (fo.error or "").startswith("feed cut short")
