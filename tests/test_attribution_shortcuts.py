"""The shortcuts attribution takes for speed give what the plain reading gives (outputs unchanged)."""

from __future__ import annotations

import pytest

from tasks import attribution
from tasks.attribution import (
    _closing_credit,
    _credit_ids,
    _furniture,
    _named_in,
    agencies,
    is_boilerplate,
    is_caption,
    signoff,
)
from warehouse.arabic import CLEAN_CACHE_CHARS

LINES = [
    "قال مسؤول لوكالة رويترز إن المحادثات ستستأنف الأسبوع المقبل",
    "ونقلت وكالة الأنباء السعودية عن الوزير قوله إن الاتفاق سيوقع قريبا",
    "وذكرت وكالة الأناضول أن الرئيس التركي وصل إلى أنقرة",
    "أعلنت وزارة الصحة ارتفاع عدد الإصابات إلى 120 حالة (أ ف ب)",
    "الرئيس الفرنسي خلال مؤتمر صحافي في باريس (رويترز)",
    "وتراجعت أسعار النفط خلال تعاملات اليوم - رويترز",
    "Reuters reported on Tuesday that the talks had stalled",
    "تابعونا على فيسبوك وتويتر",
    "يواصل الجيش عملياته في المنطقة",
]


def _searched_before(lowered: str) -> list[str]:
    """The agencies `_in_text` searched a line for before the literals were tested once each."""
    return [ag.id for ag in agencies() if ag.free is not None and ag.id != attribution.MULTIPLE
            and (ag.free_needs is None or any(n in lowered for n in ag.free_needs))]


@pytest.mark.parametrize("line", LINES)
def test_named_in_is_the_per_agency_literal_test(line: str) -> None:
    lowered = attribution.fold(line).casefold()
    assert [ag.id for ag in _named_in(lowered)] == _searched_before(lowered)


def test_named_in_finds_the_mentions() -> None:
    assert {a for a, _w, _e in attribution._in_text(LINES[0])} == {"reuters"}
    assert "anadolu" in {a for a, _w, _e in attribution._in_text(LINES[2])}
    assert attribution._in_text(LINES[8]) == []  # "يو" (UPI's literal) in a word: searched, not found


def test_credit_ids_of_a_list_and_of_running_text() -> None:
    assert _credit_ids("أ ف ب و رويترز") == ["afp", "reuters"]
    assert _credit_ids("رويترز و أ ف ب و رويترز") == ["reuters", "afp"]
    # running text split at every "و": its first part names no agency, nor does the whole
    assert _credit_ids("أعلنت الحكومة وقف إطلاق النار ووصول المساعدات و رويترز") == []
    assert _credit_ids("رويترز و الحكومة") == []


@pytest.mark.parametrize("line", [*LINES, "واشنطن - رويترز", "(أ ف ب) " + "كلمة " * (CLEAN_CACHE_CHARS // 5)])
def test_remembered_line_tests_equal_the_tests(line: str) -> None:
    for _ in range(2):  # the second call reads the remembered value (short lines)
        assert _furniture(line) == (is_caption(line) or is_boilerplate(line))
        found = signoff(line)
        assert _closing_credit(line) == ((tuple(found[0]), found[1]) if found else None)
