"""The worker path's shortcuts give what the code they stand for gives (same outputs, less CPU):
credit_prefix's lazy parts, the page credits read once per credits, the self-reference's closing
words, the weekday mask by substring tests."""

from __future__ import annotations

import re

from tasks import attribution
from tasks.attribution import _SELF_REFERENCE, _SEP, _credit_hits, _evidence, _parts, attribute, credit_prefix
from tasks.dedupe import _WEEKDAY_STEMS, WEEKDAYS, _para_hashes

LINES = [
    "واشنطن - رويترز: قال مسؤولون أمريكيون إن المحادثات ستستأنف الأسبوع المقبل",
    "الرياض 23 شعبان 1445 هـ الموافق 04 مارس 2024 م واس أعلنت وزارة الصحة تسجيل حالات جديدة",
    "نيروبي : (أ ف ب) - أعلنت السلطات الكينية",
    "دمشق-سانا أكد وزير الخارجية",
    "القدس المحتلة - «الساحل»: شهدت المدينة",
    "- رويترز -",
    "",
    "قال الرئيس، في كلمة، إن الحكومة - التي تشكلت حديثا - ستعمل",
]


def _parts_listed(text: str) -> list[tuple[int, int, int]]:
    """credit_prefix's parts as it listed them before they were read lazily."""
    bounds = [(m.start(), m.end()) for m in _SEP.finditer(text) if m.end() > 0]
    cursor, parts = 0, []
    for s, e in bounds:
        if s < cursor:
            continue
        parts.append((cursor, s, e))
        cursor = e
    parts.append((cursor, len(text), len(text)))
    return parts


def test_parts_are_the_listed_parts():
    for line in LINES:
        assert list(_parts(line)) == _parts_listed(line)


def test_datelines_still_read():
    assert credit_prefix(LINES[0]).agencies == ("reuters",)
    assert credit_prefix(LINES[1]).agencies == ("spa",)
    assert credit_prefix(LINES[3]).agencies == ("sana",)


def test_credit_hits_are_the_strong_evidence_of_the_credits():
    for credits in [("المصدر: وكالات",), ("رويترز",), ("النيل اليوم - وكالات", "أ ف ب"), ("الديسك المركزي",)]:
        attribution._credit_hits.cache_clear()
        want = [h for h in _evidence(["", "", *credits]) if h[1] >= attribution.STRONG]
        assert list(_credit_hits(credits)) == want
        assert list(_credit_hits(credits)) == want  # remembered: the same
    text = "قال مسؤولون إن المحادثات ستستأنف الأسبوع المقبل في جنيف."
    assert attribute(text, ["المصدر: رويترز"]).agency == "reuters"
    assert attribute(text, ("المصدر: رويترز",)).agency == "reuters"  # a tuple or a list alike
    assert attribute(text).agency is None


def test_self_reference_needs_a_closing_word():
    line = "ولم تتمكن رويترز من التحقق من صحة التسجيل بشكل مستقل."
    assert [m.group("x") for m in _SELF_REFERENCE.finditer(line)] == ["رويترز"]
    assert any(w in line for w in attribution._VERIFY_WORDS)
    assert attribute("قالت المعارضة إن القصف استهدف حيا سكنيا.\n" + line).agency == "reuters"
    # every alternative of the pattern ends with one of the words
    for alt in ("التحقق|التثبت|التأكد",):
        assert _SELF_REFERENCE.pattern.count(f"(?:{alt})") == 2
        assert set(alt.split("|")) == set(attribution._VERIFY_WORDS)


def test_weekday_stems_find_every_weekday_key():
    any_weekday = re.compile("|".join(sorted(WEEKDAYS, key=len, reverse=True)))
    texts = ["اعلنت الوزاره اليوم الاحد", "وفي ختام تعاملات والاثنين", "الجمعه", "بيان الوزاره بشان السبتي",
             "لا شيء هنا", "الاربعاءات", "والخميس 12 عاما"]
    for text in texts:
        assert any(w in text for w in _WEEKDAY_STEMS) == bool(any_weekday.search(text))
    toks = "اعلنت الوزاره اليوم الاحد".split()
    masked, exact = _para_hashes(toks, " ".join(toks))
    assert masked != exact  # the weekday is masked
    toks = "اعلنت الوزاره اليوم".split()
    assert len(set(_para_hashes(toks, " ".join(toks)))) == 1


def test_bounded_word_count_is_the_word_count_against_its_bound():
    from tasks.attribution import _over, _words

    for text in ["", " ", "رويترز", "أ ف ب", " واشنطن  -  رويترز ", "a\tb\nc  d ", *LINES]:
        for n in range(0, 9):
            assert _over(text, n) == (_words(text) > n), (text, n)


SIGNOFFS = [
    "وتراجعت أسعار النفط خلال تعاملات اليوم. (بترا) س ص/ ع ع",
    "وقال المتحدث إن الاجتماع سيعقد غدا. (أ ف ب) ح س/ب ق",
    "وأضاف أن المحادثات مستمرة (رويترز) ع.ع/م.ب",
    "وأضاف أن المحادثات مستمرة «الفرنسية» ع ع",
    "وأضاف «أن المحادثات» مستمرة (رويترز) ع.ع/م.ب",
    "وأضاف أن المحادثات (مستمرة) وأنها ستنتهي قريبا",
    "(رويترز)",
    "وأضاف أن المحادثات مستمرة (رويترز) ع 1/ب",
    "وأضاف أن المحادثات مستمرة",
]


def test_signoff_initials_after_the_last_closing_mark_are_those_searched_for():
    for line in SIGNOFFS:
        text = attribution._clean(line).rstrip()
        searched = attribution._EDITOR_INITIALS.search(text)
        close = max(text.rfind(c) for c in attribution._INITIALS_AFTER)
        matched = attribution._EDITOR_INITIALS.match(text, close + 1) if close >= 0 else None
        assert (searched and searched.span()) == (matched and matched.span()), line
    assert attribution.signoff(SIGNOFFS[0]) == (["petra"], SIGNOFFS[0].index("(بترا)"))
    assert attribution.signoff(SIGNOFFS[2])[0] == ["reuters"]
