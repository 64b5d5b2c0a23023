"""A date printed only in another calendar: a site's Hijri or Solar Hijri "today" strip is no story's date.

Gulf and Saudi templates print the day in the Hijri calendar in a strip over or under the headline
("الاثنين 27 جمادى الآخرة 1448 هـ"), and Iranian outlets' Arabic services (Al-Alam, Press TV, IRNA, Tasnim,
Mehr) in the Solar Hijri one ("الاثنين 16 آذر 1405"): the fetch's own day, with no time, on every page.
An earlier day the page or the feed entry names is the story's. A Solar Hijri line is another calendar's
day like a Hijri one: a Gregorian date line below it is the story's, and a Gregorian date on the same
line wins.
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
         "الاثنين 16 آذر 1405", "۱۶ آذر ۱۴۰۵", "الاثنين 16 آذر 1405 هـ.ش"]


def _page(pre_h1: str = "", after: str = "") -> str:
    return (f"<html><head><title>عنوان الخبر</title></head><body><div class='wrap'>{pre_h1}"
            f"<h1>عنوان الخبر</h1>{after}{BODY}</div></body></html>")


@pytest.mark.parametrize("strip", TODAY)
@pytest.mark.parametrize("where", ["pre_h1", "after"])
def test_a_today_strip_in_another_calendar_yields_to_the_feeds_earlier_day(strip: str, where: str) -> None:
    html = _page(**{where: f"<div class='bar'>{strip}</div>"})
    got = page_published(html, "https://example.com/news/1", now=NOW, tz="SA", feed_published=FEED)
    assert got.published_at == FEED and got.source == "feed"


@pytest.mark.parametrize("strip", TODAY)
def test_a_today_strip_alone_still_dates_the_page_and_a_line_with_its_time_is_the_storys(strip: str) -> None:
    # nothing else dates the page: the strip's day is all there is (nothing is invented)
    got = page_published(_page(after=f"<div class='bar'>{strip}</div>"), "https://example.com/news/1", now=NOW, tz="SA")
    assert got.published_at is not None and got.published_at.date() == datetime(2026, 12, 7).date()
    # the story's own line prints its time: it is no "today" strip, and the feed a day off moves only its day
    got = page_published(_page(after=f"<div class='d'>{strip} - 10:30</div>"), "https://example.com/news/1", now=NOW,
                         tz="SA", feed_published=datetime(2026, 12, 7, 7, 30, tzinfo=UTC))
    assert got.published_at == datetime(2026, 12, 7, 7, 30, tzinfo=UTC) and got.source == "visible"


@pytest.mark.parametrize("strip", ["الاثنين 16 آذر 1405", "۱۶ آذر ۱۴۰۵ هـ.ش", "16 آذر 1405 هجري شمسي"])
def test_a_solar_hijri_strip_does_not_end_the_search_for_the_storys_gregorian_line(strip: str) -> None:
    html = _page(after=f"<div class='bar'>{strip}</div><div class='share'>شارك</div>"
                       "<div class='d'>السبت 5 ديسمبر 2026 - 10:30</div>")
    got = page_published(html, "https://example.com/news/1", now=NOW, tz="IR")
    assert got.published_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC) and got.source == "visible"


def test_a_solar_hijri_line_gives_its_day_and_a_gregorian_date_beside_it_wins() -> None:
    value = dates.parse_text("الاثنين 16 آذر 1405 - 10:30")
    assert value is not None and value.wall() == datetime(2026, 12, 7, 10, 30) and value.solar and not value.hijri
    # the Gregorian half wins, even when the two disagree (the Solar one the next morning in Tehran)
    value = dates.parse_text("17 آذر 1405 الموافق 7 كانون الأول 2026")
    assert value is not None and value.wall() == datetime(2026, 12, 7) and not value.converted
    # the Levantine March is آذار: "15 آذار 2026" is 15 March, never a Solar date
    value = dates.parse_text("15 آذار 2026")
    assert value is not None and value.wall() == datetime(2026, 3, 15) and not value.converted
