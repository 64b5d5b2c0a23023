"""A day in words after a noun that it names ("ثورة الثلاثين من يونيو", "هجمات الحادي عشر من سبتمبر", "حرب الخامس
من حزيران", "ثورة أول نوفمبر", "مدينة العاشر من رمضان", "جسر السادس من أكتوبر"): an event's, a city's, a bridge's
name, as common in Arabic news as a date line; never the page's date. After a weekday, "يوم", "في", a
publication label, a separator or at the line's start the ordinal stays the day (review rev37 of 82b27d4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published

FETCHED = datetime(2026, 12, 8, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    ["ثورة الثلاثين من يونيو 2013", "في ذكرى ثورة الخامس والعشرين من يناير 2011", "هجمات الحادي عشر من سبتمبر 2001",
     "حرب الخامس من حزيران 1967", "انتصارات السادس من أكتوبر 1973", "حراك الثاني والعشرين من فبراير 2019",
     "ثورة أول نوفمبر 1954", "بيان الأول من نوفمبر 1954", "ثورة الرابع عشر من تموز 1958", "حرب العاشر من رمضان 1393"],
)
def test_a_day_in_words_naming_an_event_is_not_a_date(raw: str) -> None:
    assert dates.parse_text(raw) is None, raw


@pytest.mark.parametrize(
    "raw", ["مدينة العاشر من رمضان", "جسر السادس من أكتوبر", "مدينة السادس من أكتوبر", "أحداث الحادي عشر من سبتمبر"],
)
def test_a_place_or_event_named_by_a_day_keeps_its_words(raw: str) -> None:
    assert dates.normalize(raw) == raw


@pytest.mark.parametrize(
    ("raw", "day"),
    [("نشر الثاني من ديسمبر 2026", datetime(2026, 12, 2)), ("تاريخ النشر الثالث من ديسمبر 2026", datetime(2026, 12, 3)),
     ("الأحد 1 رمضان 1446 هـ الثاني من مارس 2025", datetime(2025, 3, 2)),
     ("القاهرة - الخامس من ديسمبر 2026", datetime(2026, 12, 5)), ("يوم الحادي عشر من سبتمبر 2026", datetime(2026, 9, 11)),
     ("السبت الثلاثين من يونيو 2018", datetime(2018, 6, 30)), ("أول ديسمبر 2026", datetime(2026, 12, 1))],
)
def test_a_day_in_words_after_a_day_word_or_a_label_is_still_read(raw: str, day: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == day, raw


@pytest.mark.parametrize("deck", ["ثورة الثلاثين من يونيو 2013", "هجمات الحادي عشر من سبتمبر 2001"])
def test_a_deck_naming_an_event_does_not_date_the_page(deck: str) -> None:
    html = ('<html lang="ar"><body><article><h1>احتفالات في القاهرة بالذكرى السنوية</h1>'
            f'<div class="sub">{deck}</div><div class="date">الأحد 6 ديسمبر 2026 - 10:30</div>'
            "<p>" + "وقال رئيس اللجنة المنظمة إن الاستعدادات تسير وفق الجدول الزمني المعلن منذ أشهر. " * 3
            + "</p></article></body></html>")
    got = page_published(html, "https://example.com/news/story-1", now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 6, 8, 30, tzinfo=UTC) and got.source == "visible", deck
