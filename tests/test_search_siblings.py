"""Search analysis (analyzer a21): month names that are also other words (آب, ماي), country names in
-يا and their adjectives in -ية, names whose own first letters are أل, verbal nouns تفعيل of a root in
ه, and queries typed with a chain of proclitics. Sentences as Arabic outlets print them."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index, _found
from warehouse.search_analysis import index_terms, keys, month_spans, month_term, query_terms, search_key


def _meet(query: str, text: str) -> bool:
    """Does a one-word query meet a word of the text (a shared term)?"""
    (q,), (t,) = search_key(query).split(), search_key(text).split()
    return bool(set(query_terms(q)) & set(index_terms(t)))


@pytest.mark.parametrize("text,months", [
    ("وقعت الانفجارات في 4 آب 2020 في مرفأ بيروت", [8]),
    ("آب الماضي", [8]),
    ("في 15 آب/أغسطس", [8, 8]),
    ("خلال شهري تموز وآب", [7, 8]),
    ("تنطلق الدورة في 3 ماي المقبل", [5]),
    ("منذ منتصف ماي", [5]),
    ("يوم 20 ماي 2019", [5]),
    ("جرت الانتخابات في 5 تشرين ثاني 2019", [11]),
    ("كانون أول الماضي", [12]),
    ("في 14 مايس 2023", [5]),
    ("قالت مايس إنها ستعود", []),
    ("في 10 كانون ثاني", [1]),
    ("قال أب الضحية إن ابنه بريء", []),
    ("زار الأب فرنسيس العراق", []),
    ("استقالت تيريزا ماي من رئاسة الحكومة", []),
    ("أعلنت ماي استقالتها", []),
    ("من خلال باب الحوار", []),
    ("أمي وأبي", []),
])
def test_aab_and_mai_are_the_month_only_where_a_date_stands_beside_them(text, months):
    """آب (Levantine August) folds to اب, أب "father"; ماي (Maghreb May) is also the surname May: both
    are the month only by the context dates are written in, as مارس and نيسان are. The Levant and Iraq
    also write the Syriac names of two words without the article (تشرين ثاني, كانون أول)."""
    assert [t for _s, _e, t in month_spans(keys(text))] == [month_term(m) for m in months]


MONTH_NEWS = {
    "l1": "لبنان\nوقع انفجار المرفأ في 4 آب 2020 وأودى بحياة المئات.",
    "e1": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل.",
    "f1": "العراق\nقال أب الضحية إن التحقيق لم يبدأ بعد.",
    "t1": "تونس\nتنطلق الدورة في منتصف ماي وتتواصل إلى جوان.",
    "g1": "الخليج\nارتفعت الأسعار خلال شهر مايو الماضي.",
    "b1": "بريطانيا\nاستقالت تيريزا ماي من رئاسة الحكومة البريطانية.",
    "s1": "سوريا\nصدر القرار في 5 تشرين ثاني 2019.",
    "e2": "مصر\nأعلنت الحكومة في 5 نوفمبر 2019 عن خطة جديدة.",
}


@pytest.mark.parametrize("query,want", [
    ("أغسطس", {"l1", "e1"}),
    ("آب", {"l1", "f1", "e1"}),      # alone with madda: the word as typed and the month (a24)
    ("أب", {"l1", "f1"}),            # alone without madda: the word as typed (father), no month
    ("مايو", {"t1", "g1"}),
    ("أيار", {"t1", "g1"}),
    ("ماي", {"t1", "b1"}),           # alone, the word as typed (the surname too), not مايو (a23)
    ("نوفمبر", {"s1", "e2"}),
    ("تشرين الثاني", {"s1", "e2"}),
])
def test_a_month_query_finds_aab_and_mai_where_they_date(query, want):
    con = _corpus_index(MONTH_NEWS)
    assert _found(con, query) == want, query


@pytest.mark.parametrize("country,forms", [
    ("مقدونيا", ["المقدونية", "مقدونية", "المقدونيات", "والمقدونية"]),
    ("منغوليا", ["المنغولية", "منغولية"]),
    ("ألمانيا", ["الألمانية", "الألماني", "الألمان", "ألمانيين", "بألمانيا", "وألمانيا", "والألمانية"]),
    ("ألبانيا", ["الألبانية", "الألباني", "بألبانيا"]),
    ("سوريا", ["السورية", "السوري", "السوريين"]),
    ("روسيا", ["الروسية", "الروسي"]),
    ("إيطاليا", ["الإيطالية", "الإيطاليين"]),
    ("بريطانيا", ["البريطانية", "البريطانيون"]),
    ("تركيا", ["التركية", "التركي"]),
    ("كاليفورنيا", ["الكاليفورنية", "الكاليفورني", "والكاليفورنية"]),  # not ك + the article
    ("كاليدونيا", ["الكاليدونية"]),
])
def test_a_country_in_ya_meets_its_adjective_in_iyya(country, forms):
    """A country in -يا and its adjective in -ية meet both ways: مقدونيا / المقدونية too, whose shape
    مفعولية is that of an abstract noun (مسؤولية), and ألمانيا, whose أل is its own."""
    for form in forms:
        assert _meet(country, form) and _meet(form, country), form
    # a lone proclitic before the name: the text reads it off; a query keeps it (the index decides,
    # query_alt_terms)
    for form in {"ألمانيا": ["لألمانيا"], "كاليفورنيا": ["بكاليفورنيا", "وكاليفورنيا"]}.get(country, []):
        assert _meet(country, form) and _meet(forms[0], form), form


@pytest.mark.parametrize("query,other", [
    ("مسؤولية", "مسؤول"), ("المسؤولية", "المسؤولين"),  # the abstract noun still keeps its term
    ("ألمانيا", "ماني"), ("ماني", "ألمانيا"), ("الألمانية", "ماني"),  # Mané, Mani
    ("ألمانيا", "ألم"), ("ألم", "لألمانيا"),           # pain
    ("توجيه", "توجه"), ("توجه", "توجيهات"), ("التوجيهات", "توجهات"),  # directing / heading
    ("ترفيه", "ترف"), ("تشبيه", "تشبه"), ("تنبيه", "تنبه"), ("تنزيه", "تنزه"),
])
def test_words_that_only_looked_alike_stay_apart(query, other):
    assert not _meet(query, other)


@pytest.mark.parametrize("query,forms", [
    ("توجيه", ["التوجيه", "توجيهات", "توجيهاته", "بتوجيه", "التوجيهي", "توجيهه"]),
    ("توجه", ["التوجه", "توجهات", "توجهه"]),
    ("ترفيه", ["الترفيه", "الترفيهية"]),
    ("تولي", ["توليه", "توليها"]),  # his taking (office): a form V verbal noun + the pronoun
    ("تحدي", ["تحديه", "التحديات"]),
])
def test_a_verbal_noun_keeps_its_forms(query, forms):
    """توجيه keeps its forms (its يه is no nisba), as تولي keeps توليه "his taking" (ه the pronoun)."""
    for form in forms:
        assert _meet(query, form), form


CLITIC_NEWS = {
    "a": "خبر\nاجتمع الوزير بالحكومة الجديدة أمس.",
    "b": "خبر\nانتقدت المعارضة الحكومة بشدة.",
    "c": "خبر\nوبالحكومة وحدها تحل الأزمة.",
    "g": "خبر\nحكومة جديدة في لبنان.",
    "d": "خبر\nقصف جديد على غزة اليوم.",
    "e": "خبر\nوفي غزة قتل عشرة.",
    "f": "خبر\nوبغزة انقطعت الكهرباء.",
    "r1": "خبر\nوصل الوفد إلى بيروت مساء.",
    "r2": "خبر\nوبيروت تستعد للانتخابات.",
}


@pytest.mark.parametrize("queries,want", [
    (["الحكومة", "وبالحكومة", "فبالحكومة", "بالحكومة"], {"a", "b", "c", "g"}),
    (["غزة", "وبغزة", "فبغزة"], {"d", "e", "f"}),
    (["بيروت", "وبيروت"], {"r1", "r2"}),
])
def test_a_query_typed_with_a_chain_of_proclitics_finds_every_form(queries, want):
    """A query word typed with a conjunction and a preposition before the article (وبالحكومة) or before
    the noun (وبغزة) is read as a text word is; it found only its own spelling."""
    con = _corpus_index(CLITIC_NEWS)
    for q in queries:
        assert _found(con, q) == want, q


@pytest.mark.parametrize("query,other", [
    ("وكالة", "آلة"), ("وكالات", "الآلات"),   # و + ك + ال is no reading of وكالة
    ("فبراير", "راير"),
    ("ولاية", "آية"), ("فلسطين", "سطين"),
])
def test_words_that_begin_like_a_chain_of_proclitics_stay_whole(query, other):
    assert not _meet(query, other)


@pytest.mark.parametrize("query,form", [
    ("الحرب", "كالحرب"), ("العادة", "فكالعادة"), ("الحكومة", "فالحكومة"), ("الرأي", "فالرأي"),
])
def test_a_word_read_whole_still_meets_its_article_reading(query, form):
    """كال / فال words are also read whole (كاليفورنيا), never instead of ك / ف + the article."""
    assert _meet(query, form) and _meet(form, query)
