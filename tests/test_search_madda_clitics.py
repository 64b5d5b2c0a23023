"""آب typed with its madda is the month (a24) with the proclitics a month takes: و / ف, then ب / ل
("وآب", "بآب", "فلآب"). Not two of one kind: "للآب" is ل + الآب, "the Father" of the Christian doxology
("المجد للآب والابن والروح القدس"), which church news prints; it is no month, in `akhbar search` as in
the SQL macro search_articles. Sentences as Arabic outlets print them."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index
from warehouse.search import parse_query, search_con
from warehouse.search_analysis import madda_months, month_term

NEWS = {
    "aug": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل.",
    "aab": "لبنان\nوقع انفجار المرفأ في 4 آب 2020.",
    "pope": "الفاتيكان\nختم البابا القداس بعبارة المجد للآب والابن والروح القدس.",
    "priest": "القدس\nقال الكاهن في عظته إن الآب يحب جميع أبنائه.",
}


@pytest.mark.parametrize("word", ["للآب", "ببآب", "لبآب", "بلآب", "ووآب"])
def test_two_proclitics_of_one_kind_are_not_a_month(word):
    assert madda_months(word) == {}
    assert not any(month_term(8) in g for g in parse_query(word).groups)


@pytest.mark.parametrize("word", ["آب", "وآب", "فآب", "بآب", "لآب", "وبآب", "فلآب"])
def test_the_month_with_its_proclitics_stays_the_month(word):
    assert any(month_term(8) in g for g in parse_query(word).groups)


@pytest.mark.parametrize("query,want", [
    ("للآب", {"pope", "priest", "aab"}),   # the word (الآب, folded with آب): no article dated only أغسطس
    ("المجد للآب", {"pope"}),
    ("بآب", {"aug", "aab", "pope", "priest"}),
])
def test_cli_and_sql_read_lil_aab_as_the_father(query, want):
    con = _corpus_index(NEWS)
    assert {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)} == want, query
    assert {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                      [query]).fetchall()} == want, query
