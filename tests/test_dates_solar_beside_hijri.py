"""A line printing a Solar Hijri date beside a (lunar) Hijri one, as Iranian outlets' Arabic pages do
("الأحد 16 آذر 1405 - 26 جمادى الآخرة 1448"): the Solar day is arithmetic, exact; the Hijri day is the
sighting's (Iran's month may begin a day from Umm al-Qura's), so the Solar day is the line's. A Gregorian
date on the line still wins over both."""

from __future__ import annotations

from datetime import datetime

import pytest

from tasks.dates import parse_text


@pytest.mark.parametrize("line, want", [
    ("الأحد 16 آذر 1405 - 26 جمادى الآخرة 1448", datetime(2026, 12, 7)),
    ("الأحد ۱۶ آذر ۱۴۰۵ - ۲۶ جمادى الآخرة ۱۴۴۸", datetime(2026, 12, 7)),
    ("16 آذر 1405 هـ.ش - 26 جمادى الآخرة 1448 هـ.ق - 10:30", datetime(2026, 12, 7, 10, 30)),
    ("تاريخ النشر: 16 آذر 1405 | 26 جمادى الثانية 1448 | 22:05", datetime(2026, 12, 7, 22, 5)),
])
def test_a_solar_date_beside_a_hijri_one_gives_the_solar_day(line, want) -> None:
    value = parse_text(line)
    assert value is not None and value.wall() == want and value.solar and not value.hijri


def test_a_gregorian_date_on_the_line_still_wins() -> None:
    value = parse_text("الإثنين 17 آذر 1405 - 27 جمادى الآخرة 1448 - 8 ديسمبر 2026")
    assert value is not None and value.wall().date() == datetime(2026, 12, 8).date() and not value.converted
