"""Review of analyzer a21 (rev10; a22): a query word in وب / فب is read as و / ف + word only when it is
not a word of its own. Arabic has few of those (roots و ب ء, و ب ل and the loan فبرك), but they are
frequent in news: وباء (epidemic), فبركة (fabrication), and read as a chain they met باء (the letter
B: "المجموعة باء", "فيتامين باء") and بركة / بركات (pond, blessing; the name Barakat)."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index, _found
from tests.test_search_siblings import _meet


@pytest.mark.parametrize("query,other", [
    ("وباء", "باء"), ("وباء", "الباء"), ("الوباء", "باء"), ("وبائية", "باء"), ("الوبائية", "الباء"),
    ("فبركة", "بركة"), ("فبركة", "البركة"), ("فبركات", "بركات"), ("فبركة", "بركات"),
    ("وبال", "بال"), ("وبيل", "بيل"),
])
def test_a_word_of_its_own_in_wb_is_no_chain_of_proclitics(query, other):
    assert not _meet(query, other)


@pytest.mark.parametrize("query,forms", [
    ("وباء", ["الوباء", "وباء", "والوباء", "بالوباء", "الوبائية", "وبائي", "الأوبئة"]),
    ("فبركة", ["فبركة", "الفبركة", "فبركات", "بفبركة", "وفبركة"]),
    ("وبال", ["وبالا", "وبال"]),
])
def test_such_a_word_keeps_its_own_forms(query, forms):
    for form in forms:
        if form == "الأوبئة":
            continue  # a broken plural no rule joins (as before)
        assert _meet(query, form), form


# id, then title | text, one article a line
NEWS = {k: t.replace(" | ", "\n") for k, t in (line.split(" ", 1) for line in """
w1 صحة | أعلنت منظمة الصحة العالمية انتهاء وباء كورونا.
w2 صحة | تفشي الوباء في المدينة.
s1 رياضة | تصدر المنتخب المجموعة باء بعد فوزه.
s2 صحة | نقص فيتامين باء يسبب التعب.
f1 إعلام | اتهمت الوزارة القناة بفبركة الصور.
b1 مجتمع | غرق طفل في بركة مياه.
b2 سياسة | قال النائب محمد بركات إن الحكومة ستستقيل.
g1 خبر | قصف جديد على غزة اليوم.
g2 خبر | وبغزة انقطعت الكهرباء.
""".strip().splitlines())}


@pytest.mark.parametrize("query,want", [
    ("وباء", {"w1", "w2"}),
    ("فبركة", {"f1"}),
    ("وبغزة", {"g1", "g2"}),   # a real chain is still read
])
def test_a_query_in_wb_finds_only_its_word(query, want):
    assert _found(_corpus_index(NEWS), query) == want, query


@pytest.mark.parametrize("text,months", [
    ("جاء جونسون بعد ماي", []),                  # after (Theresa) May
    ("وجه النواب رسالة إلى ماي", []),            # to May
    ("تحول إلى أب بعد ولادة طفله", []),          # became a father
    ("لا أحد قبل ماي فعل ذلك", []),
    ("من أيار إلى آب", [5, 8]),                  # a date before the preposition: the month
    ("خلال الفترة من 5 ماي إلى 10 جوان", [5, 6]),
    ("قبل مارس المقبل", [3]),
    ("إلى مارس", [3]),                            # a verb never follows إلى: as before
])
def test_a_preposition_dates_aab_and_mai_only_after_a_date(text, months):
    """أب (father) and ماي (the surname May) are persons, which قبل / بعد / إلى precede as often as a
    month: there they date only after a date ("من أيار إلى آب")."""
    from warehouse.search_analysis import keys, month_spans, month_term

    assert [t for _s, _e, t in month_spans(keys(text))] == [month_term(m) for m in months]
