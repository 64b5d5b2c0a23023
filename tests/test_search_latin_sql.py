"""The SQL macro search_articles reads a name typed in Latin letters (Trump, Erdogan) and a wire
agency's name (Reuters, رويترز) as `akhbar search` does: the name's Arabic spellings and the agency's
other names and attributed copies (warehouse/data/search_names.txt, agencies.tsv), not only the
Latin word itself, which Arabic text never holds. An Arabic spelling of several words (Hezbollah:
حزب الله) the CLI checks as a phrase on the text; the macro reads no phrase, so its hits hold the CLI's."""

from __future__ import annotations

import pytest

from tests.test_search import _corpus_index
from warehouse.search import search_con

NEWS = {"trump": "أمريكا\nقال الرئيس دونالد ترامب إن المحادثات مع الصين مستمرة.",
        "trump2": "أمريكا\nقال ترمب إن الرسوم الجمركية باقية.",
        "erdogan": "تركيا\nقال الرئيس رجب طيب أردوغان إن المحادثات مستمرة.",
        "erdogan2": "تركيا\nاستقبل إردوغان وزير الخارجية في أنقرة.",
        "reuters": "لندن\nذكرت وكالة رويترز أن المحادثات مستمرة.",
        "wire": "لندن\nقال مصدر إن الاجتماع انتهى دون اتفاق.",
        "hezbollah": "لبنان\nقال حزب الله إن المحادثات مستمرة.",
        "labour": "بريطانيا\nفاز حزب العمال في الانتخابات.",
        "god": "مصر\nقال الشيخ إن الله رحيم."}
WIRE = {"wire": "reuters"}


@pytest.fixture(scope="module")
def con():
    return _corpus_index(NEWS, WIRE)


def _both(con, q: str) -> tuple[set[str], set[str]]:
    cli = {h["article_id"] for h in search_con(con, q, 100, all_copies=True, snippets=False)}
    sql = {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                     [q]).fetchall()}
    return cli, sql


@pytest.mark.parametrize("q", ["Trump", "trump", "TRUMP", "Erdogan", "Erdoğan", "Reuters", "رويترز",
                               "Trump المحادثات", "Erdogan الخارجية", "Reuters الاجتماع"])
def test_latin_name_and_agency_as_the_cli_reads_them(con, q):
    cli, sql = _both(con, q)
    assert cli and sql == cli, (q, sorted(cli), sorted(sql))


def test_latin_name_spelled_by_several_words_holds_the_cli_hits(con):
    cli, sql = _both(con, "Hezbollah")
    assert cli == {"hezbollah"} and cli <= sql


def test_a_latin_word_of_no_listed_name_stays_itself(con):
    assert _both(con, "Labour") == (set(), set())
