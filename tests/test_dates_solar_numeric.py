"""Numeric Solar Hijri dates ("۱۴۰۵/۰۹/۱۶", "1405-09-16", "16/09/1405"), as Iranian and Afghan outlets print them
on Arabic and Dari pages: years 1300-1499 are in both Hijri calendars' ranges, and they were all read as lunar
(16 Ramadan 1405 = June 1985, no date at all for news). The marker after the date names the calendar ("ه.ش",
"هـ ش", "ش", "هجری شمسی", "خورشیدی": Solar; "ه.ق", "ق", "قمری": lunar); without one the year's value does: in
2026 the Solar year is 1405 and the lunar 1448, and the readings between 1990 and today are Solar years
1369-1405 and lunar years 1410-1448, which never overlap.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published


def _article(line: str = "") -> str:
    return ("<html><head><title>عنوان الخبر</title></head><body><article><h1>عنوان الخبر</h1>"
            f"{line}<p>{'نص الخبر الكامل هنا مع تفاصيل كثيرة عن الحدث. ' * 8}</p></article></body></html>")


# 16 Azar 1405 = Monday 7 December 2026, in every separator, digit set, order and marker
AZAR_16 = ["۱۴۰۵/۰۹/۱۶", "1405/09/16", "1405-09-16", "1405.09.16", "16/09/1405", "۱۶-۰۹-۱۴۰۵", "1405/9/16",
           "1405/09/16 هـ.ش", "۱۴۰۵/۰۹/۱۶ ه ش", "1405/09/16 ش", "1405/09/16 هجری شمسی", "1405/09/16 هجري شمسي",
           "۱۴۰۵/۰۹/۱۶ خورشیدی"]
SOLAR = [(raw, datetime(2026, 12, 7)) for raw in AZAR_16] + [
    ("تاریخ انتشار: ۱۴۰۵/۰۹/۱۶ - ۱۰:۳۰", datetime(2026, 12, 7, 10, 30)), ("1405/09/16 ساعت 22:05", datetime(2026, 12, 7, 22, 5)),
    ("1404/12/29", datetime(2026, 3, 20)), ("1399/11/22", datetime(2021, 2, 10)), ("1370/01/01", datetime(1991, 3, 21)),
]


@pytest.mark.parametrize("raw, wall", SOLAR)
def test_a_numeric_solar_hijri_date_gives_its_gregorian_day(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == wall and value.solar and not value.hijri


@pytest.mark.parametrize("raw, wall", [
    ("1448/06/26", datetime(2026, 12, 6)),
    ("26/06/1448 هـ", datetime(2026, 12, 6)),
    ("1448-06-26", datetime(2026, 12, 6)),
    ("1447/09/01 ق", datetime(2026, 2, 18)),
    ("1405/09/16 هـ.ق", datetime(1985, 6, 4)),  # the lunar marker: a lunar date, whatever its year
    ("1405/09/16 هجري قمري", datetime(1985, 6, 4)),
])
def test_a_numeric_lunar_hijri_date_stays_lunar(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == wall and value.hijri and not value.solar


@pytest.mark.parametrize("line, want", [
    ("۱۴۰۵/۰۹/۱۶ - ۲۶ جمادى الآخرة ۱۴۴۸", datetime(2026, 12, 7)),
    ("26 جمادى الآخرة 1448 هـ.ق | 1405/09/16 هـ.ش | 22:05", datetime(2026, 12, 7, 22, 5)),
])
def test_a_numeric_solar_date_beside_a_named_hijri_one_gives_the_solar_day(line: str, want: datetime) -> None:
    # as a named Solar date does (tests/test_dates_solar_beside_hijri.py): the Solar day is arithmetic, the Hijri
    # one the sighting's (Iran's month may begin a day from Umm al-Qura's, here 26 Jumada II = 6 December)
    value = dates.parse_text(line)
    assert value is not None and value.wall() == want and value.solar and not value.hijri


def test_a_gregorian_date_on_the_line_still_wins() -> None:
    value = dates.parse_text("۱۴۰۵/۰۹/۱۷ - 2026/12/07")
    assert value is not None and value.wall() == datetime(2026, 12, 7) and not value.converted


def test_a_zoned_machine_value_in_the_solar_calendar() -> None:
    value = dates.parse_structured("1405-09-16T10:30:00+03:30")
    assert value is not None and value.instant(None) == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("line", ["۱۴۰۵/۰۹/۱۶ - ۱۰:۳۰", "16/09/1405 10:30", "1405-09-16 | 10:30 هـ.ش"])
def test_an_iranian_outlets_numeric_date_line_dates_the_page(line: str) -> None:
    html = _article(f"<div class='date'>{line}</div>")
    got = page_published(html, "https://example.ir/ar/news/123456", datetime(2026, 12, 8, tzinfo=UTC), "IR")
    assert got.published_at == datetime(2026, 12, 7, 7, 0, tzinfo=UTC) and got.source == "visible"
    # no Hijri sighting shift: a feed entry a day off does not move an arithmetic Solar day
    got = page_published(html, "https://example.ir/ar/news/123456", datetime(2026, 12, 8, tzinfo=UTC), "IR",
                         feed_published=datetime(2026, 12, 6, 7, 0, tzinfo=UTC))
    assert got.published_at == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("url", [
    "https://www.tasnimnews.com/ar/news/1405/09/16/3456789/%D8%AE%D8%A8%D8%B1",  # year/month/day
    "https://www.tasnimnews.com/ar/news/%DB%B1%DB%B4%DB%B0%DB%B5/%DB%B0%DB%B9/%DB%B1%DB%B6/3456789/slug",  # Persian digits
    "https://www.farsnews.ir/news/14050916000123/%D8%AE%D8%A8%D8%B1",  # a serial id opening with the day
])
def test_a_solar_day_in_an_iranian_outlets_url_dates_the_page(url: str) -> None:
    html = _article()
    got = page_published(html, url, datetime(2026, 12, 8, tzinfo=UTC), "IR")
    assert got.published_at == datetime(2026, 12, 7, tzinfo=UTC) and got.source == "url"
    # the feed entry's time on that day (Tehran) refines it
    feed = datetime(2026, 12, 7, 6, 15, tzinfo=UTC)
    assert page_published(html, url, datetime(2026, 12, 8, tzinfo=UTC), "IR", feed_published=feed).published_at == feed


@pytest.mark.parametrize("url", ["https://example.com/news/1448/06/26/", "https://example.com/item/1405/",
                                 "https://example.com/status/1405091612345678901", "https://example.com/p/1357091600012/"])
def test_numbers_in_a_url_that_are_no_solar_day_are_not_read(url: str) -> None:
    assert page_published(_article(), url, datetime(2026, 12, 8, tzinfo=UTC), "IR").published_at is None
