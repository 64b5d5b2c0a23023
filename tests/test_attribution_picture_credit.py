"""A credit alone among a story's first lines, under the dateline its text has begun after, is the
credit of a picture printed inside the story, not a second dateline (probe rev26, S20b)."""

from __future__ import annotations

import pytest

from tasks.attribution import attribute

LEAD = ("أعلن الجيش اللبناني، اليوم الثلاثاء، انتشار وحداته في عدد من البلدات الحدودية الجنوبية بعد انسحاب "
        "القوات الإسرائيلية منها، وفق ما جاء في بيان رسمي.")
P2 = ("وأوضح البيان أن الوحدات باشرت فتح الطرق وإزالة الركام والكشف على الذخائر غير المنفجرة تمهيدا "
      "لعودة السكان إلى منازلهم.")
P3 = "ومن المقرر أن تجتمع لجنة مراقبة وقف إطلاق النار الأسبوع المقبل في الناقورة لمتابعة تنفيذ الاتفاق."


@pytest.mark.parametrize(
    ("dateline", "picture", "agency"),
    [
        ("بيروت (أ ف ب) - ", "(رويترز)", "afp"),
        ("بيروت (أ ف ب) - ", "رويترز", "afp"),
        ("بيروت - رويترز: ", "- أ ف ب", "reuters"),
        ("بيروت (رويترز) - ", "(AFP)", "reuters"),
        ("بيروت (د ب أ) - ", "(أ.ب)", "dpa"),
        ("الكويت - 12 - 3 (كونا) -- ", "(أ ف ب)", "kuna"),
        ("القاهرة في 5 مايو /أ ش أ/ ", "رويترز", "mena"),
        ("بيروت - وطنية - ", "(أ ف ب)", "nna"),
    ],
)
def test_a_credit_alone_below_the_dateline_is_a_pictures(dateline: str, picture: str, agency: str) -> None:
    # the credit under the lead, and under the second paragraph with the dateline on a line of its own
    assert attribute(f"{dateline}{LEAD}\n{picture}\n{P2}\n{P3}").agency == agency
    assert attribute(f"{dateline.strip(' -:')}\n{LEAD}\n{picture}\n{P2}\n{P3}").agency == agency


def test_two_credits_before_the_text_and_a_wires_credit_stay_what_they_were() -> None:
    # two credits stacked before any text: nothing says which is the picture's
    assert attribute(f"بيروت - رويترز\n(أ ف ب)\n{LEAD}\n{P2}").agency == "multiple"
    # "وكالات" under the dateline says the text is several wires'
    assert attribute(f"بيروت (أ ف ب) - {LEAD}\nوكالات\n{P2}\n{P3}").agency == "afp"
    # the dateline's own agency again below it is no other agency
    assert attribute(f"بيروت (أ ف ب) - {LEAD}\n(أ ف ب)\n{P2}\n{P3}").agency == "afp"


@pytest.mark.parametrize(
    "own",
    ["بيروت - «الخليج»:", "بيروت: «الشرق الأوسط»", "لندن ـ «القدس العربي»:", "القاهرة (خاص)", "القاهرة - خاص -"],
)
@pytest.mark.parametrize("picture", ["(رويترز)", "رويترز", "- أ ف ب", "(د.ب.أ)"])
def test_a_credit_alone_below_the_outlets_own_dateline_is_a_pictures(own: str, picture: str) -> None:
    # the outlet's own story, a picture credited to a wire inside it (under its lead) or above it
    assert attribute(f"{own}\n{LEAD}\n{picture}\n{P2}\n{P3}").agency is None
    assert attribute(f"{own} {LEAD}\n{picture}\n{P2}\n{P3}").agency is None
    assert attribute(f"{picture}\n{own}\n{LEAD}\n{P2}\n{P3}").agency is None


def test_an_agency_with_the_outlets_name_is_still_the_agency() -> None:
    assert attribute(f"دبي - «الخليج» - وام:\n{LEAD}\n{P2}").agency == "wam"
    assert attribute(f"لندن ـ «القدس العربي» ـ رويترز: {LEAD}\n{P2}").agency == "reuters"
    assert attribute(f"أ ف ب\nبيروت - {LEAD}\n{P2}").agency == "afp"  # a credit line over a place



@pytest.mark.parametrize(
    ("caption", "dateline", "agency"),
    [
        ("مبنى البنك المركزي في بيروت - رويترز", "بيروت - أ ف ب", "afp"),
        ("متظاهرون في ساحة رياض الصلح (أ ب)", "بيروت (رويترز)", "reuters"),
        ("محتجون أمام مقر الحكومة في وسط القاهرة - أ ف ب", "القاهرة - د ب أ", "dpa"),
    ],
)
def test_a_captioned_scene_over_another_wires_dateline_alone_on_its_line_is_the_pictures(
        caption: str, dateline: str, agency: str) -> None:
    assert attribute(f"{caption}\n{dateline}\n{LEAD}\n{P2}").agency == agency


def test_two_places_credited_to_two_wires_stay_both() -> None:
    # a region's dateline over a city's: nothing says which is the picture's
    assert attribute(f"ريف دمشق الغربي - سانا\nبيروت - أ ف ب\n{LEAD}\n{P2}").agency == "multiple"
