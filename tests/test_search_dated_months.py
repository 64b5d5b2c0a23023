"""Search analysis a23: a month name that is also a person's (آب / أب "father", ماي / the surname May,
مايس) is the month in a query only where the query dates it, as a text would ("15 آب", "ماي 2019",
"آب الماضي"); after a person a year's word does not date it ("تيريزا ماي العام الماضي"); the
adjectives of a country in -يا shaped like مفعولية (مقدونيا, منغوليا) meet in every form. Sentences as
Arabic outlets print them."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index, _found
from warehouse.search import parse_query
from warehouse.search_analysis import (
    dated_months,
    index_terms,
    keys,
    month_spans,
    month_term,
    query_terms,
    search_key,
)


@pytest.mark.parametrize("text,months", [
    ("وقالت تيريزا ماي العام الماضي إن الاتفاق نهائي", []),
    ("وكانت رئيسة الوزراء ماي العام الماضي قد استقالت", []),
    ("وصرحت السيدة ماي عام 2019 بأن بلادها ستغادر", []),
    ("استقالت ماي العام الماضي من رئاسة الحزب", []),
    ("قال أب الضحية العام الماضي إن التحقيق توقف", []),
    ("تحدثت مايس العام الماضي عن تجربتها", []),
    # the month still, where a date stands before it, or the year follows it
    ("في ماي العام الماضي ارتفعت الأسعار", [5]),
    ("منذ آب العام الماضي", [8]),
    ("وفي 15 ماي من العام الماضي", [5]),
    ("يوم 20 ماي 2019", [5]),
    ("آب الماضي", [8]),
    ("مارس العام الماضي شهد ارتفاع الأسعار", [3]),   # not a person's name: a year's word still dates it
])
def test_after_a_person_a_years_word_does_not_date_aab_or_mai(text, months):
    assert [t for _s, _e, t in month_spans(keys(text))] == [month_term(m) for m in months]


@pytest.mark.parametrize("query,dated", [
    ("أب", {}), ("اب", {}), ("آب", {}), ("ماي", {}), ("تيريزا ماي", {}), ("مايس", {}),
    ("15 آب", {1: 8}), ("آب 2020", {0: 8}), ("آب الماضي", {0: 8}), ("ماي 2019", {0: 5}),
    ("في ماي", {1: 5}), ("20 مايس 2023", {1: 5}),
])
def test_a_query_dates_aab_and_mai_as_a_text_would(query, dated):
    assert dated_months(keys(query)) == {i: month_term(m) for i, m in dated.items()}


@pytest.mark.parametrize("word", ["أب", "اب", "آب", "ماي", "مايس"])
def test_alone_a_persons_month_name_looks_for_no_month(word):
    (key,) = keys(word)
    assert not any(t.startswith("month:") for t in query_terms(key))


@pytest.mark.parametrize("word,month", [("أغسطس", 8), ("آذار", 3), ("مارس", 3), ("مايو", 5), ("أيار", 5)])
def test_the_other_month_names_keep_their_month(word, month):
    (key,) = keys(word)
    assert month_term(month) in query_terms(key)


NEWS = {
    "dad": "العراق\nقال أب الضحية إن التحقيق لم يبدأ بعد.",
    "aug": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل.",
    "aab": "لبنان\nوقع انفجار المرفأ في 4 آب 2020.",
    "may": "الخليج\nارتفعت الأسعار خلال شهر مايو الماضي.",
    "tm": "بريطانيا\nوقالت تيريزا ماي العام الماضي إن الاتفاق نهائي.",
    "tn": "تونس\nتنطلق الدورة يوم 20 ماي 2019.",
    "rz": "بريطانيا\nوكانت رئيسة الوزراء ماي العام الماضي قد استقالت.",
}


@pytest.mark.parametrize("query,want", [
    ("أب", {"dad", "aab"}),          # the father, and آب as written; no article dated in August
    ("اب", {"dad", "aab"}),
    ("15 آب", {"aug"}),              # a date: the month by any name (and 15)
    ("آب 2020", {"aab"}),
    ("ماي", {"tm", "tn", "rz"}),     # the word as typed; not مايو
    ("ماي 2019", {"tn"}),
    ("أيار", {"may", "tn"}),         # not Theresa May: "العام الماضي" after her is no date
    ("مايو", {"may", "tn"}),
    ("أغسطس", {"aug", "aab"}),
])
def test_a_persons_month_name_finds_dates_only_when_the_query_is_one(query, want):
    con = _corpus_index(NEWS)
    assert _found(con, query) == want, query


def test_a_quoted_date_finds_the_month_by_another_name():
    con = _corpus_index(NEWS)
    assert _found(con, '"15 آب"') == {"aug"}
    assert _found(con, '"20 مايو"') == {"tn"}
    assert parse_query('"15 آب"').phrases == [["15", "اب"]]


def _meet(query: str, text: str) -> bool:
    (q,), (t,) = search_key(query).split(), search_key(text).split()
    return bool(set(query_terms(q)) & set(index_terms(t)))


FAMILY = ["مقدونيا", "مقدوني", "المقدوني", "مقدونية", "المقدونية", "المقدونيون", "المقدونيين",
          "مقدونيين", "المقدونيات", "والمقدونية", "للمقدونيين", "مقدونيتين"]


@pytest.mark.parametrize("forms", [
    FAMILY,
    ["منغوليا", "منغولي", "المنغولي", "المنغولية", "منغولية", "المنغوليون", "المنغوليين"],
    ["روسيا", "روسي", "الروسي", "الروسية", "روسية", "الروسيون", "الروسيين"],
    ["ألمانيا", "ألماني", "الألماني", "الألمانية", "ألمانية", "الألمانيون", "الألمانيين"],
    ["سلوفاكيا", "سلوفاكي", "السلوفاكي", "السلوفاكية", "السلوفاكيون", "السلوفاكيين"],
])
def test_every_form_of_a_ya_countrys_adjective_meets_every_other(forms):
    """مقدوني / المقدونية (masc. / fem.) met neither way: the -ية was read as an abstract noun's
    (مسؤولية), the masculine stripped to مقد."""
    for a in forms:
        for b in forms:
            assert _meet(a, b), (a, b)


@pytest.mark.parametrize("query,other", [
    ("مسؤولية", "مسؤولي"), ("المسؤولية", "مسؤولي"), ("مسؤولي", "المسؤولية"),
    ("المسؤولية", "المسؤولين"), ("محدودية", "محدود"), ("مشروعية", "مشروع"),
])
def test_an_abstract_noun_still_keeps_its_own_term(query, other):
    assert not _meet(query, other)


def test_a_ya_country_query_finds_every_adjective_form():
    con = _corpus_index({
        "a": "البلقان\nوقال رئيس الوزراء المقدوني إن بلاده ستنضم.",
        "b": "البلقان\nأعلنت الحكومة المقدونية خطة جديدة.",
        "c": "البلقان\nشارك لاعب مقدوني في المباراة.",
        "d": "البلقان\nتظاهر آلاف المقدونيين في العاصمة.",
        "e": "البلقان\nتحمل الوزير المسؤولية كاملة.",
    })
    for query in ("مقدوني", "المقدونية", "مقدونيا", "المقدونيين"):
        assert _found(con, query) == {"a", "b", "c", "d"}, query


@pytest.mark.parametrize("query,other", [
    ("الملك", "الملكي"), ("الملك", "الملكية"), ("ملك", "ملكيتها"), ("الملكي", "الملك"), ("الملكية", "ملوك"),
])
def test_royal_and_ownership_are_not_the_king(query, other):
    """الملكي (royal; Real Madrid in sports news) and الملكية (ownership, monarchy) are nisbas whose
    sense left الملك (the king), as الدولي left الدولة: an analyst asking for one does not want the other."""
    assert not _meet(query, other)


@pytest.mark.parametrize("query,forms", [
    ("الملك", ["ملك", "ملوك", "الملوك", "ملكا", "للملك"]),
    ("الملكية", ["الملكي", "ملكي", "ملكية", "الملكيين", "ملكيات", "والملكية"]),
])
def test_the_king_and_royal_keep_their_own_forms(query, forms):
    for form in forms:
        assert _meet(query, form), form


def test_king_salman_is_not_a_prince_bin_salman_in_a_royal_text():
    con = _corpus_index({
        "k": "السعودية\nاستقبل الملك سلمان بن عبد العزيز الوفد.",
        "p": "السعودية\nالتقى الأمير فيصل بن سلمان رئيس الديوان الملكي.",
    })
    assert _found(con, "الملك سلمان") == {"k"}
