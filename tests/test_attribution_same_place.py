"""A dateline printed twice in two spellings of one place stays the story's dateline (S19b review).

"A story has one dateline": a name and a credit over a first line that opens with ANOTHER place's
dateline is a picture's caption ("غزة (أ ف ب)" over "القدس - …"). The same place printed again in
another of its spellings or forms is not another place: "القدس (أ ف ب)" over "القدس المحتلة - …",
"غزة" over "مدينة غزة"/"قطاع غزة", "جدة" over "جده", "أبوظبي" over "أبو ظبي", "مكة المكرمة" over
"مكة", Al-Ahsa over its seat Hofuf: the line is the agency's dateline (its credit read, its line kept
by cleanup), as it was before the one-dateline rule. A name the story says lies somewhere ("… التابع
لكلية …", "… بمحافظة …") is a place only when no listed given name opens it: "فهد العتيبي (واس)"
over "توفي المواطن فهد العتيبي بمحافظة الخرج …" is the picture of the man the story is about.
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, placed_by_story
from tasks.cleanup import clean_text

TAIL = "وأضافت المصادر أن الوضع لا يزال متوترا منذ أسابيع، وسط مخاوف من تدهور أكبر."
SAID = "قالت الشرطة إن قواتها اعتقلت عددا من الشبان خلال مواجهات الليلة الماضية."


@pytest.mark.parametrize(("line", "opening", "agency"), [
    ("القدس (أ ف ب)", "القدس المحتلة - ", "afp"),
    ("القدس المحتلة - رويترز", "القدس - ", "reuters"),
    ("القدس المحتلة (أ ف ب)", "القدس - «الخليج»: ", "afp"),
    ("غزة (أ ف ب)", "مدينة غزة - ", "afp"),
    ("غزة (أ ف ب)", "قطاع غزة: ", "afp"),
    ("قطاع غزة - رويترز", "غزة - ", "reuters"),
    ("غزه (أ ف ب)", "غزة - ", "afp"),
    ("جدة - واس", "جده - ", "spa"),
    ("أبوظبي - وام", "ابوظبي - ", "wam"),
    ("أبوظبي - وام", "أبو ظبي - ", "wam"),
    ("مكة المكرمة - واس", "مكة - ", "spa"),
    ("الأحساء - واس", "الهفوف - ", "spa"),
])
def test_the_same_place_in_another_spelling_is_the_dateline_printed_twice(line: str, opening: str, agency: str) -> None:
    text = f"{line}\n{opening}{SAID}\n{TAIL}"
    got = attribute(text)
    assert got.agency == agency and got.evidence.startswith("dateline"), got
    assert clean_text(text).startswith(line)  # no line of the story lost


@pytest.mark.parametrize(("line", "opening"), [
    ("غزة (أ ف ب)", "القدس - "), ("رام الله - رويترز", "نابلس: "), ("واشنطن - (رويترز)", "نيويورك - «الخليج»: "),
])
def test_another_place_is_still_a_caption(line: str, opening: str) -> None:
    text = f"{line}\n{opening}{SAID}\n{TAIL}"
    assert attribute(text).agency is None
    assert clean_text(text).startswith(opening)


@pytest.mark.parametrize(("caption", "first"), [
    ("فهد العتيبي (واس)", "توفي المواطن فهد العتيبي بمحافظة الخرج إثر حادث مروري مساء أمس، وفق ما أعلنت الشرطة."),
    ("سعد الحربي - واس", "كرمت الجامعة الطالب سعد الحربي التابع لكلية الهندسة بعد فوزه بجائزة دولية للابتكار."),
    ("خالد الشهري (أ ف ب)", "أصيب الجندي خالد الشهري التابع للواء الثالث خلال اشتباكات مع مسلحين على الحدود."),
])
def test_a_person_the_story_says_belongs_somewhere_stays_a_caption(caption: str, first: str) -> None:
    assert not placed_by_story(caption, [first, TAIL])  # where a man belongs places no person
    got = attribute(f"{caption}\n{first}\n{TAIL}")
    assert got.agency is None, got
    assert clean_text(f"{caption}\n{first}\n{TAIL}").startswith(first)


@pytest.mark.parametrize(("caption", "first"), [
    ("مشاري العتيبي (واس)", "توفي المواطن مشاري العتيبي بمحافظة الخرج إثر حادث مروري مساء أمس، وفق ما أعلنت الشرطة."),
    ("عايض الشهري (واس)", "أصيب الجندي عايض الشهري التابع للواء الثالث خلال اشتباكات مع مسلحين على الحدود."),
    ("مشاري العتيبي - واس", "كرمت الجامعة الطالب مشاري العتيبي التابع لكلية الهندسة بعد فوزه بجائزة دولية للابتكار."),
])
def test_a_role_word_before_a_name_no_listed_given_name_opens_says_a_person(caption: str, first: str) -> None:
    """"المواطن/الجندي/الطالب X بمحافظة/التابع …": a word for who a person is before the name says
    the name is a person's (`_ROLE_WORDS`), even where no listed given name opens it, so where the
    story says he belongs places no picture's caption as a dateline."""
    assert not placed_by_story(caption, [first, TAIL])
    got = attribute(f"{caption}\n{first}\n{TAIL}")
    assert got.agency is None, got
    assert clean_text(f"{caption}\n{first}\n{TAIL}").startswith(first)
