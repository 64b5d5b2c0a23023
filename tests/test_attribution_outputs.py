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
    # the pre-check of `_fullmatch`: a span no agency pattern matches fails the combined pattern,
    # and one any agency matches passes it
    spans = ["رويترز", "أ ف ب", "وكالة الأنباء السعودية", "واس", "الرياض", "قال الرئيس", "AFP", "Reuters",
             "ق.ن.ا", "الأناضول", "وكالات", "سبوتنيك", "نيويورك", ""]
    for span in spans:
        folded = attribution.fold(span)
        each = any(ag.anchored.fullmatch(folded) for ag in attribution.agencies())
        assert bool(attribution._any_anchored().fullmatch(folded)) == each, span


def test_the_literal_a_free_form_needs_is_one_it_cannot_match_without():
    need = attribution._needed_literal
    assert need("رويترز?") == "رويتر"
    assert need(r"(?:ال)?[اا]سوشي[يت]*د\s*[بپ]ري?س") == "اسوشي"
    assert need("(?:the\\s+)?Associated\\s+press") == "associated"
    # alternatives, one letter, or what only the regex module reads: no shortcut
    for pattern in ("x|yz", "ا", "(?:reuters){e<=1}", "[[:alpha:]]ab", "(?i)abc", "\\p{L}abc", "(?r)abc"):
        assert need(pattern) is None, pattern
    # every agency's mention in running text is still found, in any case
    for text, agency in [("وقال المتحدث لوكالة فرانس برس إن", "afp"), ("بحسب REUTERS فإن", "reuters"),
                         ("ونقلت وكالة أسوشيتد برس عن", "ap"), ("وقال لوكالة الأناضول إن", "anadolu")]:
        assert agency in {a for a, _w, _e in attribution._in_text(text)}, text


def test_a_city_ending_a_segment_is_found_from_the_end():
    for seg in ["الرياض", "أعلنت وكالة واس في الرياض", "واس جدة"]:
        ends = any(m.end() == len(seg) for m in attribution._cities().finditer(seg))
        assert ends and attribution._city_at_end().search(seg)
    assert not attribution._city_at_end().search("الرياض عاصمة")
