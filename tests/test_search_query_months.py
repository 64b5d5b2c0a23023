"""Search analysis a24: a month in a query written with the proclitic a text dates it with ("لأيار",
"وأيار", "بآذار"; "وكانون الثاني") is that month by any name, as the bare name is; and the SQL macro
search_articles finds a month named by two words (كانون الثاني, تشرين الأول, كانون الأول) in an
article dated by its other name, as `akhbar search` does. Sentences as Arabic outlets print them."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index
from warehouse.search import parse_query, search_con
from warehouse.search_analysis import keys, month_term, query_terms

NEWS = {
    "may": "الخليج\nارتفعت الأسعار خلال شهر مايو الماضي.",
    "ayyar": "سوريا\nتجري الانتخابات في 7 أيار المقبل.",
    "jan": "مصر\nوصل الوفد في 12 يناير 2024 إلى القاهرة.",
    "kanun": "لبنان\nوصل الوفد في 12 كانون الثاني 2024 إلى بيروت.",
    "oct": "مصر\nبدأت الحرب في السابع من أكتوبر 2023.",
    "dec": "المغرب\nتنطلق الدورة يوم 20 دجنبر المقبل.",
    "late": "العراق\nتأجل موعد الانتخابات لأيار المقبل.",
    "list": "لبنان\nتراجعت الصادرات بين نيسان وأيار الماضيين.",
}
# (each query form occurs in NEWS: the macro analyses only the forms the index has seen)
con = pytest.fixture(scope="module")(lambda: _corpus_index(NEWS))


@pytest.mark.parametrize("word,month", [("لأيار", 5), ("وأيار", 5), ("بآذار", 3), ("ومارس", 3), ("لحزيران", 6),
                                        ("ويناير", 1), ("بتموز", 7)])
def test_a_month_with_its_proclitic_looks_for_the_month(word, month):
    (key,) = keys(word)
    assert month_term(month) in query_terms(key)


@pytest.mark.parametrize("word", ["وآب", "لآب", "وماي", "باب"])
def test_a_persons_month_name_with_a_proclitic_stays_the_word(word):
    (key,) = keys(word)
    assert not any(t.startswith("month:") for t in query_terms(key))


@pytest.mark.parametrize("query,want", [
    ("وأيار", {"may", "ayyar", "late", "list"}), ("لأيار", {"may", "ayyar", "late", "list"}),
    ("أيار", {"may", "ayyar", "late", "list"}),
    ("كانون الثاني", {"jan", "kanun"}), ("وكانون الثاني", {"jan", "kanun"}), ("لكانون الثاني", {"jan", "kanun"}),
    ("تشرين الأول", {"oct"}), ("كانون الأول", {"dec"}), ("كانون الثاني 2024", {"jan", "kanun"}),
])
def test_cli_and_sql_find_the_month_by_its_other_names(con, query, want):
    py = {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)}
    assert py == want, query
    sql = {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                     [query]).fetchall()}
    assert sql == want, query


def test_a_two_word_month_with_a_proclitic_is_the_months_name():
    q = parse_query("وكانون الثاني")
    assert q.either == [[["كانون", "الثاني"], [month_term(1)]]]


def test_sql_reads_a_two_word_month_as_the_month_not_its_words_apart():
    """The macro reads a phrase as plain words (README, search), but a month's two-word name is the month
    (which the index gives where the two stand together), not كانون and الثاني anywhere (session 21)."""
    con = _corpus_index({**NEWS, "apart": "الأردن\nالتقى الوزير نظيره الثاني في الحكومة بمنطقة كانون."})
    sql = {r[0] for r in con.execute("SELECT article_id FROM search_articles('كانون الثاني', n := 100, all_copies := true)")
           .fetchall()}
    assert sql == {"jan", "kanun"}
    assert {h["article_id"] for h in search_con(con, "كانون الثاني", 100, all_copies=True)} == {"jan", "kanun"}


OPS = {"g": "غزة\nقصف على غزة اليوم.", "r": "رفح\nقصف على رفح اليوم.", "gr": "معبر\nمن غزة إلى رفح.",
       "e": "اقتصاد\nنما الاقتصاد المصري."}


@pytest.mark.parametrize("query,cli,sql", [
    ("غزة OR رفح", {"g", "r", "gr"}, {"gr"}), ("غزة أو رفح", {"g", "r", "gr"}, {"gr"}),
    ("غزة | رفح", {"g", "r", "gr"}, {"gr"}), ("غزة -رفح", {"g"}, {"gr"}), ("اقتص*", {"e"}, set()),
])
def test_the_readme_says_what_the_sql_macro_does_with_operators(query, cli, sql):
    """README, search: "The SQL macro search_articles reads none of those operators"."""
    con = _corpus_index(OPS)
    assert {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)} == cli
    assert {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                      [query]).fetchall()} == sql


# آب with its madda is how Levantine and Iraqi outlets print the month (August); أب "father" takes a
# hamza on its alef (or none, typed in haste: اب), never a madda. So a query word written آب is the
# month even undated; أب / اب alone stay the word (a23).
MADDA = {
    "dad": "العراق\nقال أب الضحية إن التحقيق لم يبدأ بعد.",
    "aug": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل.",
    "aab": "لبنان\nوقع انفجار المرفأ في 4 آب 2020.",
    "door": "سوريا\nأغلق المحتجون باب الوزارة.",
    "wa": "لبنان\nتلقى الصحفي رسالة عبر واتس آب من المصدر.",
}


@pytest.mark.parametrize("query,want", [
    ("آب", {"dad", "aug", "aab", "wa"}),     # the month by any name, and the word as typed (أب folds with it)
    ("أب", {"dad", "aab", "wa"}),            # the word: no article only dated أغسطس
    ("اب", {"dad", "aab", "wa"}),
    ("بآب", {"dad", "aug", "aab", "wa"}),    # ب + the month, not باب "door"
    ("وآب", {"dad", "aug", "aab", "wa"}),
    ("واتس آب", {"wa"}),                     # WhatsApp's آب is no month
])
def test_aab_with_its_madda_is_the_month_in_cli_and_sql(query, want):
    con = _corpus_index(MADDA)
    assert {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)} == want, query
    assert {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                      [query]).fetchall()} == want, query
