"""Agencies Arabic outlets credit by a descriptive title or another spelling than the one first listed
(warehouse/data/agencies.tsv): "وكالة الأنباء السورية" (SANA), "وكالة الأنباء التونسية" (TAP),
UPI's "يونايتد برس إنترناشونال", Xinhua's "شينهوا", and agencies not listed before (Europa Press, KCNA,
Jiji Press), read in a dateline, a source line, a closing credit and as a citation."""

import pytest

from tasks.attribution import attribute, identify

BODY = ("أعلنت الحكومة اليوم الأحد عن خطة جديدة لدعم الاقتصاد الوطني وتوفير فرص العمل للشباب في مختلف المحافظات.\n"
        "وقال المتحدث باسم الحكومة إن الخطة ستنفذ على مراحل خلال العامين المقبلين بتمويل محلي ودولي.")

NAMES = [
    ("وكالة الأنباء السورية", "sana"),
    ("وكالة الأنباء العربية السورية", "sana"),
    ("وكالة الأنباء التونسية", "tap"),
    ("وكالة الأنباء المغربية", "map"),
    ("وكالة الأنباء السودانية", "suna"),
    ("وكالة الأنباء الإماراتية", "wam"),
    ("وكالة الأنباء البحرينية", "bna"),
    ("وكالة الأنباء اللبنانية", "nna"),
    ("وكالة الأنباء المصرية", "mena"),
    ("وكالة الأنباء الإسبانية", "efe"),
    ("وكالة أنباء الجمهورية الإسلامية", "irna"),
    ("وكالة الأنباء الإيرانية الرسمية", "irna"),
    ("يونايتد برس إنترناشونال", "upi"),
    ("يونايتد برس", "upi"),
    ("شينهوا", "xinhua"),
    ("أوروبا برس", "europapress"),
    ("Europa Press", "europapress"),
    ("وكالة الأنباء المركزية الكورية", "kcna"),
    ("KCNA", "kcna"),
    ("جيجي برس", "jiji"),
]


@pytest.mark.parametrize(("name", "agency"), NAMES)
def test_an_agency_by_its_title_or_other_spelling_is_named_as_a_credit(name, agency):
    assert identify(name) == agency
    assert attribute(f"دمشق ({name}) - " + BODY).agency == agency  # dateline
    assert attribute(f"الرباط - {name} - " + BODY).agency == agency  # dash dateline
    assert attribute(BODY + f"\nالمصدر: {name}").agency == agency  # source line
    assert attribute(BODY + f"\n({name})").agency == agency  # closing credit


@pytest.mark.parametrize(("name", "agency"), [
    ("وكالة الأنباء السورية", "sana"), ("وكالة الأنباء التونسية", "tap"), ("وكالة الأنباء الإماراتية", "wam"),
    ("وكالة الأنباء الفرنسية", "afp"), ("وكالة الأنباء الإسبانية", "efe"), ("يونايتد برس إنترناشونال", "upi"),
    ("وكالة شينهوا", "xinhua"), ("وكالة أوروبا برس", "europapress"), ("وكالة أنباء الجمهورية الإسلامية", "irna"),
])
def test_a_citation_of_one_names_it_as_cited_not_as_the_copy(name, agency):
    got = attribute(f"ونقلت {name} عن مسؤول قوله إن المحادثات ستستأنف الأسبوع المقبل في العاصمة.\n" + BODY)
    assert got.agency is None and agency in got.cited


def test_a_name_that_is_also_a_persons_is_not_a_credit():
    # "جيجي" alone is a given name (Gigi Hadid), only "جيجي برس" / "وكالة جيجي" is the agency
    text = "شاركت عارضة الأزياء جيجي حديد في عرض أزياء في باريس الليلة الماضية وسط حضور كبير.\n" + BODY
    assert attribute(text).agency is None and attribute(text).cited == []
    assert identify("جيجي") is None
