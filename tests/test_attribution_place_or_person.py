"""A line that is only a name and a credit: a dateline's place, or the caption of a picture of a person.

The story's agency comes from its dateline or credit, never from a photo credit. A foreign person's
bare name ("خافيير ميلي (أ ف ب)") standing alone is a caption; a place of two to four words
("بوينس آيرس", "ريف دمشق الغربي", "شمال قطاع غزة") is a dateline, and cleanup keeps it.
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, bare_personal_name, names_a_place
from tasks.cleanup import clean_text

SAID = "وقال المسؤول إن الاجتماع سيعقد الأسبوع المقبل لبحث الملفات العالقة في المنطقة."
FIRST = ("أعلنت الحكومة الأرجنتينية اليوم الثلاثاء حزمة إجراءات اقتصادية جديدة تهدف إلى خفض التضخم "
         "وتقليص العجز في الموازنة العامة خلال العام المقبل.")

CAPTIONS = [
    "خافيير ميلي (أ ف ب)",
    "بيدرو سانشيز - رويترز",
    "فيكتور أوربان (أ ف ب)",
    "غوستافو بيترو - رويترز",
    "كلاوديا شينباوم (أ ف ب)",
]


@pytest.mark.parametrize("caption", CAPTIONS)
def test_a_bare_foreign_name_over_the_story_is_no_dateline(caption: str) -> None:
    # the story never names the person: only the name's shape tells it from a place
    got = attribute(f"{caption}\n{FIRST}\n{SAID}")
    assert got.agency is None, got


@pytest.mark.parametrize("caption", CAPTIONS)
def test_a_bare_foreign_name_under_the_first_paragraph_is_no_dateline(caption: str) -> None:
    assert attribute(f"{FIRST}\n{caption}\n{SAID}").agency is None


def test_the_caption_does_not_outvote_the_story_s_sign_off() -> None:
    got = attribute(f"بيدرو سانشيز - رويترز\n{FIRST}\n{SAID} (أ ف ب)")
    assert got.agency == "afp" and got.evidence.startswith("sign-off"), got


@pytest.mark.parametrize("caption", CAPTIONS)
def test_cleanup_drops_a_bare_foreign_name_caption(caption: str) -> None:
    kept = clean_text(f"{caption}\n{FIRST}\n{SAID}")
    assert caption not in kept and kept.startswith(FIRST)


DATELINES = [  # (line, agency): places of two or three words, alone on their line over the story
    ("بوينس آيرس (أ ف ب)", "afp"),
    ("نيو يورك - رويترز", "reuters"),
    ("دار السلام (أ ف ب)", "afp"),
    ("ريو دي جانيرو (رويترز)", "reuters"),
    ("هونغ كونغ - رويترز", "reuters"),
    ("سان فرانسيسكو - رويترز", "reuters"),
    ("أديس أبابا - الأناضول", "anadolu"),
    ("كوستا ريكا (أ ف ب)", "afp"),
    ("سري لانكا - رويترز", "reuters"),
    ("كريات شمونة (أ ف ب)", "afp"),
    ("رام الله - وفا", "wafa"),
    ("شرم الشيخ - أ ش أ", "mena"),
    ("الدار البيضاء - و م ع", "map"),
    ("أبو ظبي - وام", "wam"),
    ("خان يونس - الأناضول", "anadolu"),
    ("جورج تاون (أ ف ب)", "afp"),
    ("كييف، أوكرانيا (أ ف ب)", "afp"),
]


@pytest.mark.parametrize(("line", "agency"), DATELINES)
def test_a_place_of_two_or_three_words_stays_a_dateline(line: str, agency: str) -> None:
    assert attribute(f"{line}\n{SAID}").agency == agency
    assert attribute(f"{line} - {SAID}").agency == agency
    assert clean_text(f"{line}\n{SAID}").startswith(line)


REGIONS = {  # three to six words: a region's word, the place, a direction, an epithet, a nationality, where it lies
    "ريف دمشق الغربي - سانا": "sana",
    "شمال قطاع غزة - وفا": "wafa",
    "محافظة ريف دمشق - سانا": "sana",
    "شرق مدينة رفح - الأناضول": "anadolu",
    "الضفة الغربية المحتلة - وفا": "wafa",
    "شمال الضفة الغربية (أ ف ب)": "afp",
    "ولاية نيويورك الأمريكية (أ ف ب)": "afp",
    "ريف حلب الشمالي - سانا": "sana",
    "جنوب قطاع غزة (الأناضول)": "anadolu",
    "ناحية عين عيسى - الأناضول": "anadolu",
    "إقليم كردستان العراق - الأناضول": "anadolu",
    "منطقة القلمون الشرقي - سانا": "sana",
    "مخيم النصيرات وسط قطاع غزة - وفا": "wafa",
    "بلدة بيت حانون شمال قطاع غزة (الأناضول)": "anadolu",
    "قضاء صور الجنوبي - الوكالة الوطنية": "nna",
}


@pytest.mark.parametrize(("line", "agency"), REGIONS.items())
def test_cleanup_keeps_a_region_s_dateline_and_attribution_reads_it(line: str, agency: str) -> None:
    kept = clean_text(f"{line}\n{SAID}\n{SAID}")
    assert kept.startswith(line), kept
    assert attribute(kept).agency == agency
    assert attribute(f"{line} - {SAID}").agency == agency  # the dateline opening the first paragraph


@pytest.mark.parametrize("caption", ["مدينة غزة المدمرة (أ ف ب)", "مخيم النازحين المكتظ - رويترز",
                                     "شمال غزة بعد القصف (أ ف ب)"])
def test_a_scene_of_a_region_is_still_a_caption(caption: str) -> None:
    head = caption.rsplit("(", 1)[0].rsplit(" - ", 1)[0]
    assert not names_a_place(head)
    assert caption not in clean_text(f"{SAID}\n{caption}\n{SAID}")


@pytest.mark.parametrize(("head", "person"), [
    ("خافيير ميلي", True), ("لولا دا سيلفا", True), ("بوينس آيرس", False), ("دار السلام", False),
    ("القدس المحتلة", False), ("أبو ظبي", False), ("نيو يورك", False), ("بيت لحم", False),
    ("وزير الخارجية", False), ("مراسل رويترز", False), ("في غزة", False), ("ماكرون", False),
])
def test_bare_personal_name_reads_the_shape(head: str, person: bool) -> None:
    assert bare_personal_name(head) is person


@pytest.mark.parametrize(("line", "agency"), [
    ("غزة - مراسلو الأناضول", "anadolu"),
    ("القدس / مراسل الأناضول /", "anadolu"),
    ("غزة - مراسلة وكالة الأنباء الألمانية", "dpa"),
    ("غزة - مراسل الجزيرة", None),  # a channel's reporter, no agency
])
def test_an_agency_s_reporters_as_the_dateline_s_credit(line: str, agency: str | None) -> None:
    assert attribute(f"{line}\n{SAID}").agency == agency
    assert attribute(f"{line} - {SAID}").agency == agency


@pytest.mark.parametrize("caption", CAPTIONS)
def test_a_bare_foreign_name_closing_the_text_is_the_picture_s_caption(caption: str) -> None:
    # under a story signed by another agency: the story's sign-off, not the picture's credit
    assert attribute(f"{FIRST}\n{SAID} (رويترز)\n{caption}").agency == "reuters"
    assert attribute(f"{FIRST}\n{SAID}\n{caption}").agency is None
    assert attribute(f"واشنطن (رويترز) - {FIRST}\n{SAID}\n{caption}").agency == "reuters"  # not "multiple"
    assert clean_text(f"{FIRST}\n{SAID}\n{caption}").splitlines()[-1] == SAID


def test_a_bare_foreign_name_with_a_slash_credit_is_no_dateline() -> None:
    assert attribute(f"خافيير ميلي / أ ف ب\n{FIRST}\n{SAID}").agency is None
    assert attribute(f"بوينس آيرس / أ ف ب\n{FIRST}\n{SAID}").agency == "afp"


@pytest.mark.parametrize(("line", "agency"), [
    ("واشنطن - الخليج - رويترز", "reuters"),  # place, outlet, agency
    ("القدس المحتلة - مراسلنا - رويترز", "reuters"),
    ("غزة - أحمد محمد - الأناضول", "anadolu"),  # place, reporter, agency
    ("نيويورك - الأمم المتحدة - أ ف ب", "afp"),
    ("جنيف - سويسرا - رويترز", "reuters"),
])
def test_cleanup_keeps_a_dateline_of_several_parts_on_its_own_line(line: str, agency: str) -> None:
    kept = clean_text(f"{line}\n{SAID}\n{SAID}")
    assert kept.startswith(line), kept
    assert attribute(kept).agency == agency


@pytest.mark.parametrize("caption", ["الرئيس الفرنسي - قصر الإليزيه - أ ف ب", "غزة - دمار في حي الرمال - أ ف ب"])
def test_a_caption_with_dashes_is_still_dropped(caption: str) -> None:
    assert caption not in clean_text(f"{SAID}\n{caption}\n{SAID}")
