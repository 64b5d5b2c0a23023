"""Review of the numeric Solar Hijri dates (S19b): the year rule reads "today" as the fetch's day, not the clock's,
so that a page reprocessed years later gets the day it got when fetched; a Solar day in a URL is read only on an
outlet of a country that keeps the Solar calendar (Iran, Afghanistan), elsewhere "/1405/09/16/" or a 14-digit id
is a number of the CMS; Afghan outlets have a zone (Kabul, UTC+4:30)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published


def _article(line: str = "") -> str:
    return ("<html><head><title>عنوان الخبر</title></head><body><article><h1>عنوان الخبر</h1>"
            f"{line}<p>{'نص الخبر الكامل هنا مع تفاصيل كثيرة عن الحدث. ' * 8}</p></article></body></html>")


@pytest.mark.parametrize("raw, fetched, wall, solar", [
    # Solar 1410 is 2031 (lunar 1410 is 1989): Solar once the fetch is in 2031, whatever the clock says now
    ("1410/02/15", datetime(2031, 6, 1, tzinfo=UTC), datetime(2031, 5, 5), True),
    ("1410/02/15", datetime(2026, 12, 8, tzinfo=UTC), datetime(1989, 9, 15), False),
    # lunar 1420 is 1999, Solar 1420 is 2041: a page fetched in 1999-2040 reads it lunar, in any year it is reread
    ("1420/03/04", datetime(2030, 1, 1, tzinfo=UTC), datetime(1999, 6, 18), False),
    ("1420/03/04", datetime(2041, 12, 1, tzinfo=UTC), datetime(2041, 5, 24), True),
])
def test_the_year_rule_reads_today_as_the_fetch_day(raw: str, fetched: datetime, wall: datetime, solar: bool) -> None:
    value = dates.parse_text(raw, fetched)
    assert value is not None and value.wall() == wall and value.solar is solar


def test_a_page_fetched_in_2031_is_read_as_it_was_then() -> None:
    html = _article("<div class='date'>1410/02/15 - 10:30</div>")
    fetched = datetime(2031, 5, 6, tzinfo=UTC)
    got = page_published(html, "https://example.ir/ar/news/123456", fetched, "IR")
    assert got.published_at == datetime(2031, 5, 5, 7, 0, tzinfo=UTC) and got.source == "visible"
    url = "https://www.tasnimnews.com/ar/news/1410/02/15/3456789/slug"
    assert page_published(_article(), url, fetched, "IR").published_at == datetime(2031, 5, 5, tzinfo=UTC)


@pytest.mark.parametrize("url, country", [
    ("https://www.alwatan.com.sa/article/1405/09/16/1234", "SA"),  # a path of numbers on an Arab outlet
    ("https://www.example.com.eg/page/1399/10/12/", "EG"),
    ("https://www.example.ma/news/1404/1/1/", "MA"),
    ("https://www.example.ae/article/14050916123456", "AE"),  # a 14-digit id
])
def test_a_solar_day_in_the_url_of_an_outlet_outside_iran_and_afghanistan_is_no_day(url: str, country: str) -> None:
    assert page_published(_article(), url, datetime(2026, 12, 8, tzinfo=UTC), country).published_at is None


def test_a_solar_day_in_an_afghan_outlets_url_dates_the_page() -> None:
    got = page_published(_article(), "https://example.af/dari/news/1405/09/16/123456", datetime(2026, 12, 8, tzinfo=UTC), "AF")
    assert got.published_at == datetime(2026, 12, 7, tzinfo=UTC) and got.source == "url"


def test_an_afghan_outlets_zoneless_time_is_kabul_time() -> None:
    html = _article("<div class='date'>۱۴۰۵/۰۹/۱۶ - ۱۰:۳۰</div>")
    got = page_published(html, "https://example.af/news/123456", datetime(2026, 12, 8, tzinfo=UTC), "AF")
    assert got.published_at == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("url, day", [
    # ISNA's ids are 13 digits opening with the Solar day: 1404072918478 is 29 Mehr 1404 = 21 October 2025
    ("https://www.isna.ir/news/1404072918478/%D8%AE%D8%A8%D8%B1", datetime(2025, 10, 21, tzinfo=UTC)),
    ("https://www.isna.ir/news/1400050301194/", datetime(2021, 7, 25, tzinfo=UTC)),
    ("https://www.farsnews.ir/news/14011216000365/slug", datetime(2023, 3, 7, tzinfo=UTC)),  # Fars: 14 digits
])
def test_a_solar_day_opening_an_iranian_agencys_serial_id_dates_the_page(url: str, day: datetime) -> None:
    got = page_published(_article(), url, datetime(2026, 12, 8, tzinfo=UTC), "IR")
    assert got.published_at == day and got.source == "url"


@pytest.mark.parametrize("raw, wall", [
    # Afghan outlets name the Solar months by the zodiac (Dari): قوس is Azar, حمل Farvardin, حوت Esfand
    ("۱۶ قوس ۱۴۰۵", datetime(2026, 12, 7)),
    ("سه‌شنبه ۱۷ قوس ۱۴۰۵ ساعت ۲۲:۰۵", datetime(2026, 12, 8, 22, 5)),
    ("۱ حمل ۱۴۰۵", datetime(2026, 3, 21)),
    ("۳۰ جوزا ۱۴۰۴", datetime(2025, 6, 20)),
    ("15 سنبلة 1404", datetime(2025, 9, 6)),
    ("5 ميزان 1404", datetime(2025, 9, 27)),
    ("۲۹ حوت ۱۴۰۴", datetime(2026, 3, 20)),
])
def test_the_dari_names_of_the_solar_months(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == wall and value.solar


@pytest.mark.parametrize("text", ["ضربة قوس 1405 متر", "برج الحوت", "ميزان 1404", "سرطان الثدي 2026"])
def test_a_dari_month_word_without_a_day_and_a_solar_year_is_no_date(text: str) -> None:
    value = dates.parse_text(text)
    assert value is None or not value.solar


def test_an_afghan_outlets_date_line_in_dari_dates_the_page() -> None:
    html = _article("<div class='date'>۱۶ قوس ۱۴۰۵ - ۱۰:۳۰</div>")
    got = page_published(html, "https://example.af/dari/news/123456", datetime(2026, 12, 8, tzinfo=UTC), "AF")
    assert got.published_at == datetime(2026, 12, 7, 6, 0, tzinfo=UTC) and got.source == "visible"
