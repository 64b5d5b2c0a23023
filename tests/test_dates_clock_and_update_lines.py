"""A date line that prints only the time, read on the day of the story's URL; a line that prints the last
update first (or a time-only update after a dated, timed publication) keeps the publication."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.extract import page_published

FETCHED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BODY = "وقال الوزير في مؤتمر صحفي إن المحادثات تناولت ملفات المنطقة والعلاقات الثنائية بين البلدين. " * 3


def _page(line: str) -> str:
    return (f"<html><body><article><h1>وزير الخارجية يبحث مع نظيره ملفات المنطقة</h1>{line}"
            f"<p>{BODY}</p></article></body></html>")


@pytest.mark.parametrize(
    ("line", "instant"),
    [("<span class='time'>10:45 ص</span>", datetime(2026, 12, 5, 8, 45, tzinfo=UTC)),
     ("<span class='time'>١٠:٤٥ م</span>", datetime(2026, 12, 5, 20, 45, tzinfo=UTC)),
     ("<div class='meta'>نشر في: 22:30</div>", datetime(2026, 12, 5, 20, 30, tzinfo=UTC)),
     ("<div class='meta'>الساعة 10:45 صباحا</div>", datetime(2026, 12, 5, 8, 45, tzinfo=UTC)),
     ("<div class='meta'><span>10:45 مساءً</span></div>", datetime(2026, 12, 5, 20, 45, tzinfo=UTC))],
)
def test_a_time_only_date_line_takes_the_urls_day(line: str, instant: datetime) -> None:
    got = page_published(_page(line), "https://example.com/2026/12/05/story-1", now=FETCHED, tz="EG")
    assert got.published_at == instant and got.source == "visible", line


def test_a_time_only_line_without_a_day_in_the_url_dates_nothing() -> None:
    got = page_published(_page("<span class='time'>10:45 ص</span>"), "https://example.com/news/1", now=FETCHED, tz="EG")
    assert got.published_at is None


def test_a_full_date_line_is_not_replaced_by_a_later_clock() -> None:
    line = "<span class='date'>4 ديسمبر 2026 - 09:00</span><span class='time'>10:45 ص</span>"
    got = page_published(_page(line), "https://example.com/2026/12/05/story-1", now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "line",
    ["آخر تحديث: 5 ديسمبر 2026 - 10:30 | 5 ديسمبر 2026 - 09:00",
     "تحديث: 5 ديسمبر 2026 - 10:30 | 5 ديسمبر 2026 - 09:00",
     "آخر تعديل 05/12/2026 10:30 • 05/12/2026 09:00",
     "5 ديسمبر 2026 - 09:00 تحديث 10:30",
     "السبت 5 ديسمبر 2026 - 09:00، آخر تحديث 10:30",
     "5 ديسمبر 2026 - 09:00 | تحديث: 5 ديسمبر 2026 - 10:30"],
)
def test_the_publication_beside_a_bare_update_label(line: str) -> None:
    got = page_published(_page(f"<div class='date'>{line}</div>"), "https://example.com/news/1", now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC) and got.source == "visible", line


def test_a_day_before_a_time_only_update_is_still_the_updates() -> None:
    # "الأربعاء، 5 ديسمبر 2026، آخر تحديث 14:00": the day without its own time is the update's day: no date line
    got = page_published(_page("<div class='date'>الأربعاء، 5 ديسمبر 2026، آخر تحديث 14:00</div>"),
                         "https://example.com/news/1", now=FETCHED, tz="EG")
    assert got.source != "visible"


@pytest.mark.parametrize(
    "line",
    ["آخر تحديث: الجمعة 5 ديسمبر 2026 - 10:30 | 14 جمادى الآخرة 1448",
     "آخر تحديث: 5 ديسمبر 2026 - 10:30 • 14 جمادى الآخرة 1448 هـ",
     "آخر تحديث: 4 ديسمبر 2026 - 10:30 | 6 ديسمبر 2026"],
)
def test_after_an_update_first_its_day_in_another_calendar_or_a_later_day_is_no_publication(line: str) -> None:
    # the Hijri piece restates the update's day; a day after the update is the site's "today" strip
    got = page_published(_page(f"<div class='date'>{line}</div>"), "https://example.com/news/1", now=FETCHED, tz="SA")
    assert got.source != "visible", line


def test_after_an_update_first_the_publication_past_its_hijri_day_is_kept() -> None:
    line = "آخر تحديث: 5 ديسمبر 2026 - 10:30 | 14 جمادى الآخرة 1448 | 5 ديسمبر 2026 - 09:00"
    got = page_published(_page(f"<div class='date'>{line}</div>"), "https://example.com/news/1", now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC) and got.source == "visible"


def test_a_time_only_line_later_than_the_fetch_is_the_evening_before_the_urls_issue_day() -> None:
    # a print outlet's URL carries the next morning's issue day; 22:30 of that day has not come yet at the fetch
    got = page_published(_page("<span class='time'>10:30 م</span>"), "https://example.com/2026/12/06/story-1",
                         now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 5, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("feed", "instant"),
    [(datetime(2026, 12, 5, 20, 31, tzinfo=UTC), datetime(2026, 12, 5, 20, 30, tzinfo=UTC)),
     (datetime(2026, 12, 6, 20, 30, tzinfo=UTC), datetime(2026, 12, 6, 20, 30, tzinfo=UTC))],
)
def test_the_feed_entry_says_which_day_a_time_only_line_is_on(feed: datetime, instant: datetime) -> None:
    got = page_published(_page("<span class='time'>10:30 م</span>"), "https://example.com/2026/12/06/story-1",
                         now=datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tz="EG", feed_published=feed)
    assert got.published_at == instant
