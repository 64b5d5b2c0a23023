"""Month names in a query read per word as typed, in `akhbar search` and in the SQL macro
search_articles alike (session 21).

* آب typed with its madda is August; a word with the same matching key typed without it is not:
  "بآب باب" (in August + door/chapter: باب التسجيل, باب الهوى) keeps باب a word, as "باب" alone is.
  The madda was read per key, so every باب of the query became the month.
* A month named by two words (كانون الثاني, تشرين الأول) is the month where the two stand together,
  not the two words anywhere: the macro let "كانون" (a stove) and "الثاني" (second) apart in the
  text match, which `akhbar search` (a phrase or the month) never did.
Sentences as Levantine, Iraqi and Egyptian outlets print them."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index
from warehouse.search import parse_query, search_con
from warehouse.search_analysis import madda_marks, month_term

NEWS = {
    "beirut": "لبنان\nوقع انفجار المرفأ في 4 آب 2020 قرب باب إدريس.",
    "cairo": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل وفتح باب التسجيل للطلاب.",
    "tunis": "تونس\nيبدأ الموسم السياحي في 20 أغسطس المقبل.",
    "idlib": "سوريا\nأغلقت السلطات معبر باب الهوى أمام الشاحنات.",
    "baghdad": "العراق\nجرت الانتخابات المحلية في العاشر من كانون الثاني الماضي.",
    "amman": "الأردن\nاشترى المواطن كانون فحم للتدفئة، وفي اليوم الثاني ارتفعت الأسعار.",
    "rabat": "المغرب\nجرت الانتخابات المحلية في 10 يناير الماضي.",
    "damascus": "سوريا\nيفتتح المعرض أبوابه في تشرين الأول المقبل.",
    "homs": "سوريا\nقال تشرين إن الفريق الأول سيلعب غدا.",
}


def _cli(con, q):
    return {h["article_id"] for h in search_con(con, q, 100, all_copies=True, snippets=False)}


def _sql(con, q):
    return {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                      [q]).fetchall()}


@pytest.fixture(scope="module")
def con():
    return _corpus_index(NEWS)


def test_madda_marks_are_per_word_as_typed():
    aug = ("اب", month_term(8))
    assert madda_marks("بآب باب") == [aug, None]
    assert madda_marks("باب وآب باب") == [None, aug, None]
    assert madda_marks("آب أب") == [aug, None]


@pytest.mark.parametrize("query", ["بآب باب", "باب بآب", "آب باب", "باب وآب"])
def test_a_word_keyed_like_a_madda_month_stays_a_word(query):
    groups = parse_query(query).groups
    assert ["باب"] in groups and sum(month_term(8) in g for g in groups) == 1, groups


@pytest.mark.parametrize("query", ["بآب باب", "باب بآب", "باب وآب"])
def test_cli_and_sql_keep_bab_a_word_beside_the_month(con, query):
    want = {"beirut", "cairo"}  # dated August and printing باب; not tunis (no باب), not idlib (no August)
    assert _cli(con, query) == want, query
    assert _sql(con, query) == want, query


@pytest.mark.parametrize("query,want", [
    ("كانون الثاني", {"baghdad", "rabat"}),
    ("وكانون الثاني", {"baghdad", "rabat"}),
    ("تشرين الأول", {"damascus"}),
])
def test_a_two_word_month_is_not_its_words_apart(con, query, want):
    assert _cli(con, query) == want, query
    assert _sql(con, query) == want, query


def test_the_words_of_a_two_word_month_alone_stay_words(con):
    assert "amman" in _sql(con, "كانون") and "amman" in _sql(con, "الثاني")
    assert _sql(con, "تشرين") >= {"homs", "damascus"}
