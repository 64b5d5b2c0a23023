"""Review of the month names (S20b, rev27): Morocco's official spelling of January, "ينير" (the Bulletin
officiel's and the Moroccan agency MAP's "فاتح ينير", "12 ينير 2024"), and Iraq's older name of May, "مايس"
("13 مايس 2024", still printed by Iraqi outlets, and already read as May by search's dated queries), are
months of a date line like every other spelling of the three naming systems."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published


def _article(line: str) -> str:
    return ("<html lang='ar'><head><title>عنوان الخبر</title></head><body><article><h1>عنوان الخبر</h1>"
            f"{line}<p>{'نص الخبر الكامل هنا مع تفاصيل كثيرة عن الحدث. ' * 8}</p></article></body></html>")


@pytest.mark.parametrize("raw, wall", [
    ("12 ينير 2024", datetime(2024, 1, 12)),
    ("الجمعة 12 ينير 2024 - 22:30", datetime(2024, 1, 12, 22, 30)),
    ("١٢ يناير ٢٠٢٤", datetime(2024, 1, 12)),  # the common spelling, unchanged
    ("13 مايس 2024", datetime(2024, 5, 13)),
    ("الاثنين 13 مايس 2024 - 10:30 م", datetime(2024, 5, 13, 22, 30)),
    ("13 أيار/مايس 2024", datetime(2024, 5, 13)),
])
def test_the_regional_names_are_months(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw, datetime(2024, 6, 1, tzinfo=UTC))
    assert value is not None and value.wall() == wall


@pytest.mark.parametrize("line, country, want", [
    # Morocco in January 2024: UTC+1
    ("<div class='date'>الجمعة 12 ينير 2024 - 22:30</div>", "MA", datetime(2024, 1, 12, 21, 30, tzinfo=UTC)),
    # Baghdad: UTC+3
    ("<div class='date'>الاثنين 13 مايس 2024 - 10:30 م</div>", "IQ", datetime(2024, 5, 13, 19, 30, tzinfo=UTC)),
])
def test_a_date_line_with_them_dates_the_page(line: str, country: str, want: datetime) -> None:
    got = page_published(_article(line), "https://example.com/news/123", datetime(2024, 6, 1, tzinfo=UTC), country)
    assert got.published_at == want and got.source == "visible"


@pytest.mark.parametrize("raw", ["قالت مايس إنها ستعود", "مايس 2024", "ينير"])
def test_a_name_alone_is_no_date(raw: str) -> None:
    assert dates.parse_text(raw, datetime(2024, 6, 1, tzinfo=UTC)) is None
