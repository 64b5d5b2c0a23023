"""Relative stamps in weeks, months and years, and the 1st of a month written in words ("فاتح ماي")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published

FETCHED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # 14:00 in Cairo


@pytest.mark.parametrize(
    ("raw", "day"),
    [("منذ أسبوع", datetime(2026, 11, 29)), ("منذ أسبوعين", datetime(2026, 11, 22)),
     ("قبل أسبوعين", datetime(2026, 11, 22)), ("منذ 3 أسابيع", datetime(2026, 11, 15)),
     ("منذ ٣ أسابيع", datetime(2026, 11, 15)), ("نُشر منذ أسبوع واحد", datetime(2026, 11, 29)),
     ("منذ شهر", datetime(2026, 11, 6)), ("منذ شهرين", datetime(2026, 10, 7)), ("منذ 3 أشهر", datetime(2026, 9, 7)),
     ("منذ شهر ونصف", datetime(2026, 10, 22)), ("قبل سنة", datetime(2025, 12, 6)), ("منذ عامين", datetime(2024, 12, 6)),
     ("2 weeks ago", datetime(2026, 11, 22)), ("a month ago", datetime(2026, 11, 6)),
     ("3 months ago", datetime(2026, 9, 7)), ("1 year ago", datetime(2025, 12, 6)),
     ("كتب: محمد علي | منذ أسبوعين", datetime(2026, 11, 22))],
)
def test_weeks_months_and_years_ago_give_a_day(raw: str, day: datetime) -> None:
    value = dates.parse_relative(raw, FETCHED, dates.zone("EG"))
    assert value is not None and value.wall() == day and not value.has_time, raw


@pytest.mark.parametrize("raw", ["منذ عام 2011", "منذ شهر رمضان", "منذ أسابيع", "منذ سنوات", "2 mo"])
def test_a_span_needs_its_count_and_nothing_after(raw: str) -> None:
    assert dates.parse_relative(raw, FETCHED, dates.zone("EG")) is None, raw


def test_an_english_month_is_not_read_as_minutes() -> None:
    # "a month ago" once matched its "m" as minutes: a minute before the fetch
    value = dates.parse_relative("a month ago", FETCHED, dates.zone("EG"))
    assert value is not None and value.wall() == datetime(2026, 11, 6)


def test_a_week_old_stamp_dates_a_page_that_gives_nothing_else() -> None:
    html = ("<html><body><article><h1>وزير الخارجية يبحث مع نظيره ملفات المنطقة</h1><span class='date'>منذ أسبوع</span>"
            f"<p>{'وقال الوزير إن المحادثات تناولت ملفات المنطقة والعلاقات الثنائية. ' * 5}</p></article></body></html>")
    got = page_published(html, "https://example.com/news/1", now=FETCHED, tz="EG")
    assert got.source == "relative" and got.published_at is not None
    assert got.published_at.astimezone(dates.zone("EG")).date() == datetime(2026, 11, 29).date()


@pytest.mark.parametrize(
    ("raw", "wall"),
    [("فاتح ماي 2026", datetime(2026, 5, 1)), ("الجمعة فاتح ماي 2026 - 10:30", datetime(2026, 5, 1, 10, 30)),
     ("فاتح يناير 2026", datetime(2026, 1, 1)), ("فاتح شهر يوليوز 2026", datetime(2026, 7, 1)),
     ("الفاتح من نوفمبر 2026", datetime(2026, 11, 1)), ("الفاتح نوفمبر 2026", datetime(2026, 11, 1)),
     ("أول ديسمبر 2026", datetime(2026, 12, 1)), ("الأول من ديسمبر 2026 | 09:15", datetime(2026, 12, 1, 9, 15)),
     ("الأحد الأول من كانون الثاني 2026", datetime(2026, 1, 1)), ("6 كانون الأول 2026", datetime(2026, 12, 6)),
     ("6 تشرين الأول 2026", datetime(2026, 10, 6))],
)
def test_the_first_of_a_month_in_words(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == wall, raw


def test_a_moroccan_first_without_its_year_is_this_years() -> None:
    value = dates.parse_relative("فاتح دجنبر", FETCHED, dates.zone("MA"))
    assert value is not None and value.wall() == datetime(2026, 12, 1)


@pytest.mark.parametrize(("raw", "instant"), [
    ("منذ عشرين دقيقة", datetime(2026, 12, 6, 11, 40, tzinfo=UTC)), ("قبل ثلاثين دقيقة", datetime(2026, 12, 6, 11, 30, tzinfo=UTC)),
    ("منذ أربعين دقيقة", datetime(2026, 12, 6, 11, 20, tzinfo=UTC)), ("منذ خمسين ثانية", datetime(2026, 12, 6, 11, 59, 10, tzinfo=UTC)),
])
def test_tens_written_in_words(raw: str, instant: datetime) -> None:
    value = dates.parse_relative(raw, FETCHED, dates.zone("EG"))
    assert value is not None and value.instant(dates.zone("EG")) == instant, raw


@pytest.mark.parametrize(
    "raw",
    ["الأسبوع الأول من ديسمبر 2026", "خلال النصف الأول من نوفمبر 2026", "العدد الأول من يناير 2026",
     "في الأسبوع الأول من شهر ديسمبر 2026", "محمد الفاتح ماي 2026", "كانون  الأول ديسمبر 2026",
     "ربيع الأول ديسمبر 2026", "خلال الأسبوعِ الأول من ديسمبر 2026"],
)
def test_a_first_that_qualifies_another_word_is_no_day(raw: str) -> None:
    # "الأسبوع الأول من ديسمبر" is a week, "النصف الأول من نوفمبر" a half month, "محمد الفاتح" a name
    assert dates.parse_text(raw) is None, raw


@pytest.mark.parametrize(
    "raw",
    ["الثلاثاء الأول من ديسمبر 2026", "مساء الأول من ديسمبر 2026", "يوم الأول من ديسمبر 2026",
     "صباح اليوم الأول من ديسمبر 2026", "منذ الفاتح من ديسمبر 2026", "الأربعاء، الأول من ديسمبر 2026",
     "الموافق الأول من ديسمبر 2026", "آخر الأخبار | الأول من ديسمبر 2026", "القاهرة - الأول من ديسمبر 2026"],
)
def test_a_first_after_a_weekday_or_a_moment_is_the_day(raw: str) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == datetime(2026, 12, 1), raw


def test_a_subtitle_naming_the_first_week_of_a_month_does_not_date_the_page() -> None:
    html = ("<html><body><article><h1>الانتخابات البرلمانية في موعدها</h1>"
            "<h2>الانتخابات تجرى في النصف الأول من نوفمبر 2026</h2>"
            "<p>" + "وقال رئيس اللجنة العليا للانتخابات إن الاستعدادات تسير وفق الجدول الزمني المعلن. " * 3
            + "</p></article></body></html>")
    got = page_published(html, "https://example.com/2026/12/05/story-1", now=FETCHED, tz="EG")
    assert got.published_at == datetime(2026, 12, 5, tzinfo=UTC) and got.source == "url"
