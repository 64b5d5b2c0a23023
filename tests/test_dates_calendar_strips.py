"""A date printed only in another calendar: a site's Hijri or Solar Hijri "today" strip is no story's date.

Gulf and Saudi templates print the day in the Hijri calendar in a strip over or under the headline
("الاثنين 27 جمادى الآخرة 1448 هـ"), and Iranian outlets' Arabic services (Al-Alam, Press TV, IRNA, Tasnim,
Mehr) in the Solar Hijri one ("الاثنين 16 آذر 1405"): the fetch's own day, with no time, on every page.
An earlier day the page or the feed entry names is the story's. A day printed in both calendars without a
time on the fetch's day (a masthead's "today") is such a strip too; with a time, or on another day, it is the
story's line. A Solar Hijri line is another calendar's day like a Hijri one: a Gregorian date line below it
is the story's, and a Gregorian date on the same line wins.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)  # Monday 27 Jumada II 1448, 16 Azar 1405
FEED = datetime(2026, 12, 5, 7, 30, tzinfo=UTC)
BODY = "<p>" + "نص الخبر الكامل هنا مع تفاصيل كثيرة عن الحدث الذي وقع اليوم في العاصمة. " * 6 + "</p>"
TODAY = ["الاثنين 27 جمادى الآخرة 1448 هـ", "الاثنين 27 جمادى الثانية 1448هـ", "27/06/1448 هـ",
         "الاثنين 16 آذر 1405", "۱۶ آذر ۱۴۰۵", "الاثنين 16 آذر 1405 هـ.ش", "۱۴۰۵/۰۹/۱۶ هـ.ش", "1405/09/16"]
# A masthead printing the day in both calendars (Gulf and Saudi templates; Gregorian and Solar on Iranian outlets'
# Arabic pages): its Gregorian half was read as the story's date even when the feed entry named an earlier day.
DUAL = ["الاثنين 7 ديسمبر 2026 - 27 جمادى الآخرة 1448 هـ", "27 جمادى الآخرة 1448 هـ الموافق 7 ديسمبر 2026 م",
        "الاثنين ٧ ديسمبر ٢٠٢٦ | ٢٧ جمادى الآخرة ١٤٤٨هـ", "الاثنين 07/12/2026 م - 27/06/1448 هـ",
        "7 كانون الأول 2026 - 27 جمادى الثانية 1448", "Monday, 7 December 2026 - 27 Jumada al-Akhirah 1448 AH",
        "الإثنين 16 آذر 1405 - 7 ديسمبر 2026", "الاثنين 7 ديسمبر 2026 - ۱۴۰۵/۰۹/۱۶ هـ.ش"]


def _page(pre_h1: str = "", after: str = "") -> str:
    return (f"<html><head><title>عنوان الخبر</title></head><body><div class='wrap'>{pre_h1}"
            f"<h1>عنوان الخبر</h1>{after}{BODY}</div></body></html>")


@pytest.mark.parametrize("strip", TODAY + DUAL)
@pytest.mark.parametrize("where", ["pre_h1", "after"])
def test_a_today_strip_in_another_calendar_yields_to_the_feeds_earlier_day(strip: str, where: str) -> None:
    html = _page(**{where: f"<div class='bar'>{strip}</div>"})
    got = page_published(html, "https://example.com/news/1", now=NOW, tz="SA", feed_published=FEED)
    assert got.published_at == FEED and got.source == "feed"


@pytest.mark.parametrize("strip", TODAY + DUAL)
def test_a_today_strip_alone_still_dates_the_page_and_a_line_with_its_time_is_the_storys(strip: str) -> None:
    # nothing else dates the page: the strip's day is all there is (nothing is invented); a Solar Hijri strip is
    # an Iranian outlet's (only there is it a date: `dates.resolve`)
    tz = "IR" if dates.parse_text(strip, NOW).solar else "SA"
    got = page_published(_page(after=f"<div class='bar'>{strip}</div>"), "https://example.com/news/1", now=NOW, tz=tz)
    assert got.published_at is not None and got.published_at.date() == datetime(2026, 12, 7).date()
    # the story's own line prints its time: it is no "today" strip, and the feed a day off moves only its day
    got = page_published(_page(after=f"<div class='d'>{strip} - 10:30</div>"), "https://example.com/news/1", now=NOW,
                         tz=tz, feed_published=datetime(2026, 12, 7, 7, 30, tzinfo=UTC))
    assert got.published_at == datetime(2026, 12, 7, 10, 30, tzinfo=dates.zone(tz)) and got.source == "visible"


@pytest.mark.parametrize("strip", ["الاثنين 16 آذر 1405", "۱۶ آذر ۱۴۰۵ هـ.ش", "16 آذر 1405 هجري شمسي", *DUAL])
def test_a_solar_hijri_strip_does_not_end_the_search_for_the_storys_gregorian_line(strip: str) -> None:
    html = _page(after=f"<div class='bar'>{strip}</div><div class='share'>شارك</div>"
                       "<div class='d'>السبت 5 ديسمبر 2026 - 10:30</div>")
    got = page_published(html, "https://example.com/news/1", now=NOW, tz="IR")
    assert got.published_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC) and got.source == "visible"  # 10:30 in Tehran


def test_a_solar_hijri_line_gives_its_day_and_a_gregorian_date_beside_it_wins() -> None:
    value = dates.parse_text("الاثنين 16 آذر 1405 - 10:30")
    assert value is not None and value.wall() == datetime(2026, 12, 7, 10, 30) and value.solar and not value.hijri
    # the Gregorian half wins, even when the two disagree (the Solar one the next morning in Tehran)
    value = dates.parse_text("17 آذر 1405 الموافق 7 كانون الأول 2026")
    assert value is not None and value.wall() == datetime(2026, 12, 7) and not value.converted
    # the Levantine March is آذار: "15 آذار 2026" is 15 March, never a Solar date
    value = dates.parse_text("15 آذار 2026")
    assert value is not None and value.wall() == datetime(2026, 3, 15) and not value.converted


def test_a_dual_line_with_a_time_or_of_another_day_is_the_storys() -> None:
    # Al Riyadh / Okaz style: the story's own line prints both calendars, with its time
    line = "الاثنين 27 جمادى الآخرة 1448 هـ - 7 ديسمبر 2026 م - 10:30 ص"
    got = page_published(_page(after=f"<div class='d'>{line}</div>"), "https://example.com/news/1", now=NOW, tz="SA",
                         feed_published=FEED)
    assert got.published_at == datetime(2026, 12, 7, 7, 30, tzinfo=UTC) and got.source == "visible"
    # a print edition's issue line two days before the fetch: the story's day (the feed gives its time on that day)
    line = "السبت 25 جمادى الآخرة 1448 هـ - 5 ديسمبر 2026 م"
    feed = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)  # 00:30 on the 5th in Riyadh
    got = page_published(_page(after=f"<div class='d'>{line}</div>"), "https://example.com/news/1", now=NOW, tz="SA",
                         feed_published=feed)
    assert got.published_at == feed


def test_a_gregorian_only_line_of_the_fetch_day_is_unchanged() -> None:
    # one calendar only: a story's own date line, not a masthead; the page's date beats the feed as before
    got = page_published(_page(after="<div class='d'>الاثنين 7 ديسمبر 2026</div>"), "https://example.com/news/1",
                         now=NOW, tz="SA", feed_published=FEED)
    assert got.published_at is not None and got.published_at.date() == NOW.date() and got.source == "visible"


@pytest.mark.parametrize("strip", TODAY + DUAL)
def test_a_today_strip_yields_to_the_urls_earlier_day(strip: str) -> None:
    got = page_published(_page(after=f"<div class='bar'>{strip}</div>"), "https://example.com/2026/12/05/news-1",
                         now=NOW, tz="SA")
    assert got.published_at == datetime(2026, 12, 5, tzinfo=UTC) and got.source == "url"
