"""Speed-ups of attribution and key stripping change no output: `strip_for_key`, `attribute` and
`make_signatures` of the committed real and dev texts give what the code gave before them
(tests/fixtures/attribution_outputs/PROVENANCE.md); bench/attribution_speed.py --check does the
same over the SemEval corpus too."""

import json
from pathlib import Path

from bench.attribution_speed import digests, texts
from tasks import attribution

FIXTURE = Path(__file__).parent / "fixtures" / "attribution_outputs" / "outputs.json"


def test_outputs_are_those_stored_before_the_speed_ups():
    want = json.loads(FIXTURE.read_text("utf-8"))
    got = digests(texts(corpus=False))
    assert len(got) == 70
    assert {k for k in want if want[k] != got.get(k)} == set()


def test_one_pattern_of_all_agencies_fails_where_each_agency_fails():
    # the pre-checks of `_fullmatch` and `_in_text`: a span or a line no agency pattern matches
    # fails the combined pattern, and one any agency matches passes it
    spans = ["رويترز", "أ ف ب", "وكالة الأنباء السعودية", "واس", "الرياض", "قال الرئيس", "AFP", "Reuters",
             "ق.ن.ا", "الأناضول", "وكالات", "سبوتنيك", "نيويورك", ""]
    for span in spans:
        folded = attribution.fold(span)
        each = any(ag.anchored.fullmatch(folded) for ag in attribution.agencies())
        assert bool(attribution._any_anchored().fullmatch(folded)) == each, span
    line = attribution.fold("وقال المتحدث لوكالة فرانس برس إن المحادثات مستمرة")
    assert attribution._any_free().search(line)
    assert not attribution._any_free().search(attribution.fold("وقال المتحدث إن المحادثات مستمرة"))


def test_a_city_ending_a_segment_is_found_from_the_end():
    for seg in ["الرياض", "أعلنت وكالة واس في الرياض", "واس جدة"]:
        ends = any(m.end() == len(seg) for m in attribution._cities().finditer(seg))
        assert ends and attribution._city_at_end().search(seg)
    assert not attribution._city_at_end().search("الرياض عاصمة")
