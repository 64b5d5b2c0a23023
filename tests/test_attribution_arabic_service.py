"""An agency named by its Arabic service ("سبوتنيك عربي", "الأناضول بالعربية", "Sputnik Arabic") is that agency."""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, identify

BODY = ("وقال مسؤول في وزارة الخارجية إن الاجتماع سيعقد الأسبوع المقبل في العاصمة لبحث الملفات العالقة بين البلدين.\n"
        "وأضاف أن الجانبين اتفقا على تشكيل لجنة مشتركة لمتابعة تنفيذ ما تم الاتفاق عليه.")


@pytest.mark.parametrize(("name", "agency"), [
    ("سبوتنيك عربي", "sputnik"), ("سبوتنيك عربية", "sputnik"), ("سبوتنيك بالعربية", "sputnik"),
    ("Sputnik Arabic", "sputnik"), ("الأناضول العربية", "anadolu"), ("وكالة الأناضول بالعربي", "anadolu"),
    ("رويترز العربية", "reuters"), ("شينخوا العربية", "xinhua"),
])
def test_an_agency_s_arabic_service_is_the_agency(name: str, agency: str) -> None:
    assert identify(name) == agency
    assert attribute(f"موسكو - {name}\n{BODY}").agency == agency
    assert attribute(f"{BODY}\nالمصدر: {name}").agency == agency
    assert attribute(f"{BODY} ({name})").agency == agency


@pytest.mark.parametrize("name", ["العربية", "عربي", "الوكالة العربية"])
def test_the_word_alone_is_no_agency(name: str) -> None:
    assert identify(name) is None


def test_quoting_the_arabic_service_is_a_citation_not_a_copy() -> None:
    got = attribute(f"وقال المسؤول لوكالة سبوتنيك عربي إن المحادثات مستمرة.\n{BODY}")
    assert got.agency is None
    got = attribute(f"ونقل موقع سبوتنيك عربي عن مصدر قوله إن المحادثات مستمرة.\n{BODY}")
    assert got.agency is None


@pytest.mark.parametrize(("line", "agency"), [
    ("تقرير: رويترز", "reuters"), ("تقرير - رويترز", "reuters"), ("بقلم فريق رويترز", "reuters"),
    ("تحرير: مراسلو الأناضول", "anadolu"), ("إعداد: مكتب أ ف ب", "afp"), ("ترجمة: سبوتنيك عربي", "sputnik"),
])
def test_a_byline_label_before_a_credit_alone_is_the_agency_s(line: str, agency: str) -> None:
    assert attribute(f"{line}\n{BODY}").agency == agency


@pytest.mark.parametrize("line", ["تقرير: أحمد محمد", "تقرير عن رويترز والأوضاع في المنطقة"])
def test_a_byline_label_before_a_reporter_or_a_sentence_credits_no_agency(line: str) -> None:
    assert attribute(f"{line}\n{BODY}").agency is None


@pytest.mark.parametrize(("line", "agency"), [
    ("تقرير: مراسل رويترز", "reuters"), ("تقرير: مراسلة الأناضول", "anadolu"), ("إعداد: محرر أ ف ب", "afp"),
    ("تقرير: رويترز | 5 ديسمبر 2026 - 10:30", "reuters"), ("ترجمة: الأناضول • الأحد 6 ديسمبر 2026", "anadolu"),
    ("تقرير: رويترز | 3 دقائق قراءة", "reuters"),
])
def test_a_labelled_credit_to_one_correspondent_or_with_its_date_after_a_separator(line: str, agency: str) -> None:
    assert attribute(f"{line}\n{BODY}").agency == agency


@pytest.mark.parametrize("line", ["تقرير: رويترز | الجزيرة نت", "تقرير: مراسلنا", "كتب: مراسل الجزيرة",
                                  "بحسب تقرير: رويترز", "تقرير لرويترز", "تقرير: موقع رويترز"])
def test_a_labelled_line_with_more_than_its_credit_or_citing_a_report_credits_no_agency(line: str) -> None:
    assert attribute(f"{line}\n{BODY}").agency is None


@pytest.mark.parametrize("line", ["تقرير: رويترز وفرانس برس", "إعداد: أ ف ب ورويترز", "ترجمة: الأناضول و رويترز"])
def test_a_labelled_credit_to_two_agencies_credits_both(line: str) -> None:
    # as "كتب: محمد علي - رويترز وفرانس برس" does: not the first agency read as a reporter's name
    assert attribute(f"{line}\n{BODY}").agency == "multiple"
