"""`akhbar search` and the SQL macro search_articles agree on many queries an analyst types from the
words of session 21's search changes (بن / ابن, بآب / باب, كانون الثاني / الثاني, تشرين الأول), in any
order and repeated (seeded, deterministic). Every word occurs in the texts (the macro cannot analyse
a form that occurs nowhere). They are the same hits, except where بن / ابن stands before an Arabic
word: `akhbar search` wants the other spelling beside the name (a phrase), the macro reads no phrase
and counts it anywhere, so its hits hold the CLI's."""

from __future__ import annotations

import random

import pytest

from tests.test_search import _corpus_index
from warehouse.search import search_con

NEWS = {"riyadh": "السعودية\nاستقبل ولي العهد الأمير محمد بن سلمان الوفد الأمريكي.",
        "jeddah": "السعودية\nاستقبل ولي العهد الأمير محمد ابن سلمان وزير الخارجية.",
        "tunis": "تونس\nافتتح مركز ابن خلدون للدراسات الاجتماعية.", "algiers": "الجزائر\nجامعة بن خلدون تستقبل الطلاب.",
        "beirut": "لبنان\nوقع انفجار المرفأ في 4 آب 2020 قرب باب إدريس.",
        "cairo": "مصر\nتبدأ الدراسة في 15 أغسطس المقبل وفتح باب التسجيل للطلاب.",
        "idlib": "سوريا\nأغلقت السلطات معبر باب الهوى أمام الشاحنات.",
        "baghdad": "العراق\nجرت الانتخابات المحلية في العاشر من كانون الثاني الماضي.",
        "amman": "الأردن\nاشترى المواطن كانون فحم للتدفئة، وفي اليوم الثاني ارتفعت الأسعار.",
        "damascus": "سوريا\nيفتتح المعرض أبوابه في تشرين الأول المقبل.", "homs": "سوريا\nقال تشرين إن الفريق الأول سيلعب.",
        "coffee": "اليمن\nارتفعت أسعار البن في أسواق صنعاء بعد تشييع الشهيد.",
        "martyr": "غزة\nقال ابن الشهيد إن والده خرج صباحا ولم يعد.",
        "gvir": "إسرائيل\nهاجم الوزير بن غفير قرار المحكمة العليا.",
        "talal": "الأردن\nقال الأمير طلال بن محمد إن الأمير بن طلال حضر.",
        "bint": "الأردن\nافتتحت الأميرة بسمة بنت طلال المعرض.",
        "second": "مصر\nفاز الفريق في الشوط الثاني بهدف."}
POOL = ["بن", "ابن", "سلمان", "الشهيد", "خلدون", "غفير", "طلال", "محمد", "بآب", "آب", "باب", "كانون", "الثاني",
        "تشرين", "الأول", "البن", "2020", "الأمير", "بنت", "الشوط"]


TYPED = ["كانون الثاني", "الثاني كانون", "الأمير كانون الثاني", "الشوط الثاني", "تشرين الأول", "بآب باب",
         "باب بآب باب", "آب باب", "ابن الشهيد", "بن غفير", "محمد بن سلمان", "سلمان بن", "ابن خلدون"]


def _queries(n: int) -> list[str]:
    rnd = random.Random(21)
    return sorted({*TYPED, *(" ".join(rnd.choice(POOL) for _ in range(rnd.randint(1, 3))) for _ in range(n))})


@pytest.fixture(scope="module")
def con():
    return _corpus_index(NEWS)


def test_cli_and_sql_give_the_same_hits(con):
    differ = []
    for q in _queries(60):
        cli = {h["article_id"] for h in search_con(con, q, 100, all_copies=True, snippets=False)}
        sql = {r[0] for r in con.execute("SELECT article_id FROM search_articles(?, n := 100, all_copies := true)",
                                         [q]).fetchall()}
        words = q.split()
        nasab = any(w in ("بن", "ابن") and i + 1 < len(words) and not words[i + 1].isdigit()
                    for i, w in enumerate(words))
        if not (cli <= sql if nasab else cli == sql):
            differ.append((q, sorted(cli), sorted(sql)))
    assert differ == []
