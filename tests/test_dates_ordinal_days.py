"""Days of a month written as ordinals ("الثاني من ديسمبر", "الحادي والعشرين من نوفمبر") and the Hijri 1st as
"غرة رمضان" / "الأول من رمضان", with the guards of "الأول من": a definite noun before it ("الأسبوع الثاني من",
"النصف الثاني من", "الربع الثالث من") leaves it that noun's ordinal, not a day."""

from __future__ import annotations

from datetime import datetime

import pytest

from tasks import dates


@pytest.mark.parametrize(
    ("raw", "wall"),
    [("الثاني من ديسمبر 2026", datetime(2026, 12, 2)),
     ("الاثنين الثاني من ديسمبر 2026 - 22:30", datetime(2026, 12, 2, 22, 30)),
     ("الثانى من ديسمبر 2026", datetime(2026, 12, 2)),
     ("العاشر من شهر نوفمبر 2026", datetime(2026, 11, 10)),
     ("الحادي عشر من ديسمبر 2026", datetime(2026, 12, 11)),
     ("الثاني عشر من كانون الأول 2026", datetime(2026, 12, 12)),
     ("التاسع عشر من تشرين الثاني 2026", datetime(2026, 11, 19)),
     ("العشرين من نوفمبر 2026", datetime(2026, 11, 20)),
     ("في الحادي والعشرين من نوفمبر 2026", datetime(2026, 11, 21)),
     ("الثالث و العشرين من نوفمبر 2026", datetime(2026, 11, 23)),
     ("الثلاثين من نوفمبر 2026", datetime(2026, 11, 30)),
     ("الخميس الحادي والثلاثين من ديسمبر 2026 | 09:15", datetime(2026, 12, 31, 9, 15))],
)
def test_ordinal_days_in_words(raw: str, wall: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.wall() == wall, raw


@pytest.mark.parametrize(
    "raw",
    ["الأسبوع الثاني من ديسمبر 2026", "النصف الثاني من ديسمبر 2026", "الربع الثالث من نوفمبر 2026",
     "العدد العاشر من ديسمبر 2026", "الأسبوع الحادي عشر من نوفمبر 2026"],
)
def test_an_ordinal_after_a_definite_noun_is_not_a_day(raw: str) -> None:
    assert dates.parse_text(raw) is None, raw


@pytest.mark.parametrize(
    ("raw", "day"),
    [("غرة رمضان 1446 هـ", datetime(2025, 3, 1)), ("غرّة شهر رمضان 1446", datetime(2025, 3, 1)),
     ("السبت غرة رمضان المبارك 1446 هـ", datetime(2025, 3, 1)),
     ("الأول من رمضان 1446 هـ", datetime(2025, 3, 1)), ("الأول من محرم 1447 هـ", datetime(2025, 6, 26)),
     ("غرة محرم 1447 هـ", datetime(2025, 6, 26))],
)
def test_the_first_of_a_hijri_month_in_words(raw: str, day: datetime) -> None:
    value = dates.parse_text(raw)
    assert value is not None and value.hijri and value.wall() == day, raw


def test_the_gregorian_date_wins_beside_a_hijri_first_in_words() -> None:
    value = dates.parse_text("الأحد غرة رمضان 1446 هـ الموافق الثاني من مارس 2025")
    assert value is not None and not value.hijri and value.wall() == datetime(2025, 3, 2)
