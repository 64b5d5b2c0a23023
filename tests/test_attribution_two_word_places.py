"""Datelines of a place of two or three words with no article, alone on their line: not a person's bare name.

Algeria's APS ("تيزي وزو - واج"), Anadolu ("غازي عنتاب/ الأناضول", its standard dateline on its own
line), AFP and Reuters name towns whose shape is a foreign person's ("خافيير ميلي (أ ف ب)"): a listed
place (tasks/data/dateline_cities.tsv), a town's word ("سوق", "حاسي", "منزل", "قلعة", "نهر") or
Anadolu's slash credit over a first paragraph that does not name a person so keeps the dateline.
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, bare_personal_name
from tasks.cleanup import clean_text

FIRST = "أعلنت السلطات المحلية اليوم عن افتتاح مشروع جديد للطاقة الشمسية بقدرة كبيرة في المنطقة."
SAID = "وقال المسؤولون إن المشروع سيوفر فرص عمل للشباب في المنطقة خلال الأعوام المقبلة."

LISTED = ["تيزي وزو", "سوق أهراس", "غازي عنتاب", "ديار بكر", "شانلي أورفة", "كهرمان مرعش", "مرج عيون",
          "مزار شريف", "بندر عباس", "حاسي مسعود", "خميس مليانة", "هو تشي منه", "أفيون قره حصار", "جناق قلعة"]
# not listed: a town's first or last word tells the place
TOWN_WORDS = ["حاسي بحبح", "سوق نعمان", "منزل بوزيان", "قلعة مكونة", "مرج بسري", "نهر إبراهيم"]
SHAPES = [("{} - واج", "aps"), ("{}/ الأناضول", "anadolu"), ("{} (أ ف ب)", "afp"), ("{} - رويترز", "reuters")]


@pytest.mark.parametrize("place", LISTED + TOWN_WORDS)
@pytest.mark.parametrize(("shape", "agency"), SHAPES)
def test_a_two_word_place_over_the_story_is_its_dateline(place: str, shape: str, agency: str) -> None:
    line = shape.format(place)
    assert not bare_personal_name(place)
    assert attribute(f"{line}\n{FIRST}\n{SAID}").agency == agency
    assert attribute(f"{FIRST}\n{SAID}\n{line}").agency == agency  # closing the text: the story's credit
    assert clean_text(f"{line}\n{FIRST}\n{SAID}").startswith(line)


@pytest.mark.parametrize("place", ["قوجه إيلي", "أرض روم", "كيزيل جهامام"])
def test_anadolu_s_slash_dateline_of_an_unlisted_place(place: str) -> None:
    # Anadolu's own dateline shape, and the first paragraph names no person by those words
    assert attribute(f"{place}/ الأناضول\n{FIRST}\n{SAID}").agency == "anadolu"
    assert attribute(f"{place} / الأناضول\nأعلنت ولاية {place} اليوم افتتاح مشروع جديد.\n{SAID}").agency == "anadolu"


def test_anadolu_s_slash_credit_under_a_picture_of_whom_the_story_names() -> None:
    line = "ماتيو سالفيني/ الأناضول"
    assert attribute(f"{line}\nقال ماتيو سالفيني إن حكومته ستشدد القيود على الهجرة.\n{SAID}").agency is None
    assert attribute(f"{line}\nصرح سالفيني اليوم بأن حكومته ستشدد القيود.\n{SAID} (رويترز)").agency == "reuters"
    # another agency's slash credit is a picture's, as before
    assert attribute(f"خافيير ميلي / أ ف ب\n{FIRST}\n{SAID}").agency is None


@pytest.mark.parametrize("caption", ["نير بركات (أ ف ب)", "خافيير ميلي - رويترز", "بيدرو سانشيز (أ ف ب)"])
def test_a_foreign_person_s_bare_name_over_the_story_stays_a_caption(caption: str) -> None:
    # the town's words are no person's names: a guard on `_TOWN_WORD`
    assert attribute(f"{caption}\n{FIRST}\n{SAID}").agency is None
