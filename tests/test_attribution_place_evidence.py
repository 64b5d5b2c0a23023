"""Review of the story's place evidence for a line that is only a name and a credit (rev11).

"في X" is "in" a place only when nothing before it in the sentence takes a person ("حجب الثقة في
فيكتور أوربان", "يرى كثيرون في خافيير ميلي", "طعنت المعارضة في جورجا ميلوني"); a story that opens with
a dateline of its own ("موسكو - …") has its place: a name and a credit above it is a picture's caption;
a nisba-shaped second word after a place's common noun ("معبر اللنبي") or the valley's noun ("حلق
الوادي") is a place's name, not a person's.
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, names_a_person
from tasks.cleanup import clean_text

SAID = "وأضاف أن الأوضاع لا تزال صعبة في ظل استمرار الأزمة منذ أسابيع، وسط مخاوف من تدهور أكبر."


# "في" after trust, seeing, challenging or doubting; a story opening with its own dateline ("موسكو -")
CAPTIONS_OVER_STORIES = [
    ("فيكتور أوربان (أ ف ب)", "بودابست - صوت البرلمان المجري اليوم على مذكرة لحجب الثقة في فيكتور أوربان بعد أسابيع من الاحتجاجات."),
    ("خافيير ميلي (أ ف ب)", "يرى كثير من الأرجنتينيين في خافيير ميلي فرصة أخيرة لإنقاذ اقتصاد البلاد المنهار."),
    ("جورجا ميلوني - رويترز", "طعنت المعارضة الإيطالية في جورجا ميلوني واتهمتها بتقويض استقلال القضاء."),
    ("بيدرو سانشيز / أ ف ب", "وشكك نواب اليمين في بيدرو سانشيز وقدرته على تمرير الموازنة هذا العام."),
    ("نوفا كاخوفكا (أ ف ب)", "موسكو - قالت روسيا اليوم إن قواتها صدت هجوما أوكرانيا في مدينة نوفا كاخوفكا جنوب البلاد."),
    ("كوتا كينابالو (أ ف ب)", "كوالالمبور - قالت الشرطة الماليزية إن فيضانات غمرت مئات المنازل في كوتا كينابالو اليوم."),
    ("بيلا تسيركفا - رويترز", "كييف: أعلنت السلطات الأوكرانية أن صواريخ أصابت منشآت للطاقة قرب بيلا تسيركفا ليلا."),
]


@pytest.mark.parametrize(("caption", "first"), CAPTIONS_OVER_STORIES)
def test_a_person_in_a_sentence_or_a_story_with_its_own_dateline_leaves_the_line_a_caption(caption: str, first: str) -> None:
    text = f"{caption}\n{first}\n{SAID}"
    assert attribute(text).agency is None
    assert clean_text(text).startswith(first)
    assert attribute(f"{first}\n{SAID}\n{caption}").agency is None  # under the story: the picture's too


def test_the_story_s_place_still_makes_the_dateline_without_one_of_its_own() -> None:
    first = "قالت السلطات إن قواتها صدت هجوما في مدينة نوفا كاخوفكا جنوب البلاد."
    assert attribute(f"نوفا كاخوفكا (أ ف ب)\n{first}\n{SAID}").agency == "afp"
    first = "وقع انفجار قوي في زونغولداق إرغلي صباح اليوم وأصيب عدد من السكان بجروح."
    assert attribute(f"زونغولداق إرغلي - واج\n{first}\n{SAID}").agency == "aps"


@pytest.mark.parametrize(("line", "agency"), [
    ("حلق الوادي (وات)", "tap"), ("حلق الوادي - رويترز", "reuters"), ("معبر اللنبي - وفا", "wafa"),
    ("مرفأ الحميدي (أ ف ب)", "afp"), ("خربة الغزالي - رويترز", "reuters"), ("مزرعة القاضي (سانا)", "sana"),
    ("حارة الشيخي/ الأناضول", "anadolu"),
])
def test_a_place_s_noun_and_a_nisba_shaped_word_is_a_dateline(line: str, agency: str) -> None:
    first = "أعلنت السلطات المحلية اليوم عن إجراءات جديدة لمواجهة الأزمة التي تشهدها المنطقة منذ أسابيع."
    assert not names_a_person(line.split(" (")[0].split(" - ")[0].split("/")[0])
    assert attribute(f"{line}\n{first}\n{SAID}").agency == agency


def test_a_given_name_that_is_also_a_plain_noun_stays_a_person() -> None:
    # "سهل" is a plain (the town's words leave it out) and a given name: the nisba family name decides
    assert names_a_person("سهل الحمداني")
    first = "صوت النواب بالثقة في بيدرو سانشيز بعد جلسة طويلة."
    assert attribute(f"بيدرو سانشيز (أ ف ب)\n{first}\n{SAID}").agency is None
