"""بن / ابن in a name's nasab (session 21): outlets print "son of" either way, by house style and by
its place in the name (محمد بن سلمان / محمد ابن سلمان; ابن خلدون / بن خلدون, as Maghreb outlets print
it), so an analyst's "ابن سلمان" found only the copies spelled like the query. Before another word of
the query either spelling counts, in `akhbar search` (also in a quoted phrase) and in the SQL macro
search_articles; alone (ابن "son", البن "coffee") each is only itself."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index
from warehouse.search import parse_query, search_con


def _both(con, query):
    """The hits of `akhbar search` and of the SQL macro."""
    cli = {h["article_id"] for h in search_con(con, query, 100, all_copies=True, snippets=False)}
    return cli, {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                          [query]).fetchall()}


@pytest.fixture(scope="module")
def con():
    return _corpus_index(NEWS)


NEWS = dict(
    riyadh="السعودية\nاستقبل ولي العهد الأمير محمد بن سلمان الوفد الأمريكي.",
    jeddah="السعودية\nاستقبل ولي العهد الأمير محمد ابن سلمان وزير الخارجية.",
    cairo="مصر\nقال ابن الضحية إن والده كان يعمل في المصنع.", sanaa="اليمن\nارتفعت صادرات البن اليمني هذا العام.",
    tunis="تونس\nافتتح مركز ابن خلدون للدراسات الاجتماعية.", algiers="الجزائر\nجامعة بن خلدون تستقبل الطلاب الجدد.",
)


@pytest.mark.parametrize("query,want", [
    ("ابن سلمان", {"riyadh", "jeddah"}),
    ("بن سلمان", {"riyadh", "jeddah"}),
    ("محمد بن سلمان", {"riyadh", "jeddah"}),
    ('"محمد ابن سلمان"', {"riyadh", "jeddah"}),
    ("ابن خلدون", {"tunis", "algiers"}),
    ("بن خلدون", {"tunis", "algiers"}),
])
def test_either_spelling_of_son_of_in_a_name(con, query, want):
    assert _both(con, query) == (want, want), query


@pytest.mark.parametrize("query,want", [
    ("ابن", {"jeddah", "cairo", "tunis"}),
    ("بن", {"riyadh", "sanaa", "algiers"}),
])
def test_alone_each_is_only_itself(con, query, want):
    assert _both(con, query) == (want, want), query


@pytest.mark.parametrize("query", ["بن 2020", "ابن", "ابن -سلمان"])
def test_before_no_name_each_is_only_itself(query):
    assert parse_query(query).groups[0] in (["بن"], ["ابن"])


# The other spelling is the nasab only beside the name (session 21 review): "ابن الشهيد" (the martyr's
# son) found every text holding بن anywhere (البن coffee, any "بن <name>") and the word الشهيد apart.
APART = dict(
    son="غزة\nقال ابن الشهيد إن والده خرج صباحا ولم يعد.", cousin="العراق\nقال علي إن ابن عمه أصيب في الانفجار.",
    coffee="اليمن\nارتفعت أسعار البن في أسواق صنعاء بعد تشييع الشهيد.",
    minister="السعودية\nأعلن الأمير فيصل بن فرحان أن الشهيد سيكرم.", uncle="المغرب\nقال محمد بن عيسى إن عمه سافر أمس.",
    salman="السعودية\nاستقبل ولي العهد الأمير محمد بن سلمان الوفد الأمريكي.",
    khaldun="الجزائر\nجامعة بن خلدون تستقبل الطلاب الجدد.",
)


@pytest.fixture(scope="module")
def apart():
    return _corpus_index(APART)


@pytest.mark.parametrize("query,want", [
    ("ابن الشهيد", {"son"}),
    ("ابن عمه", {"cousin"}),
    ("ابن سلمان", {"salman"}),
    ("ابن خلدون", {"khaldun"}),
    ("الأمير ابن سلمان", {"salman"}),
])
def test_the_other_spelling_counts_only_beside_the_name(apart, query, want):
    cli, sql = _both(apart, query)
    assert cli == want, query
    assert sql >= cli, query  # the macro reads no phrase: the other spelling anywhere (a superset)
