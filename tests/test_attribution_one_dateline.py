"""A name and a credit alone on its line over the story: the story's dateline or a picture's caption (S19).

A story has one dateline, the one its text follows: a listed place and a credit standing alone above
a first paragraph that opens with another place's dateline ("غزة (أ ف ب)" over "القدس - قالت …",
"القدس - «الخليج»:") is the caption of the picture above the story. A family name of the nisba's
shape after an unlisted word ("مشاري العتيبي", and the Darfur town "رهيد البردي") is a shape towns
have too: the story saying "في رهيد البردي" gives it as a place, as it does a foreign name's shape;
a story that names the person again by the surname alone ("وحصل حزب أوربان …") speaks of a person,
whatever the verb before "في" ("تباين رأي المجريين في فيكتور أوربان").
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, strip_for_key
from tasks.cleanup import clean_text

TAIL = "وأضافت المصادر أن الوضع لا يزال متوترا منذ أسابيع، وسط مخاوف من تدهور أكبر."
QUDS = "القدس - قالت الشرطة الإسرائيلية إن قواتها اعتقلت عددا من الشبان خلال مواجهات الليلة الماضية."
QUDS_OUTLET = "القدس - «الخليج»: اعتقلت الشرطة الإسرائيلية عددا من الشبان خلال مواجهات الليلة الماضية."
SILENT = "اعتقلت الشرطة الإسرائيلية عددا من الشبان خلال مواجهات الليلة الماضية."


@pytest.mark.parametrize("caption", ["غزة (أ ف ب)", "رام الله - رويترز", "نابلس / الأناضول", "الخليل (وفا)"])
@pytest.mark.parametrize("first", [QUDS, QUDS_OUTLET])
def test_a_listed_place_s_credit_over_another_place_s_dateline_is_a_caption(caption: str, first: str) -> None:
    text = f"{caption}\n{first}\n{TAIL}"
    assert attribute(text).agency is None
    # the story's own sign-off is its only credit: not a tie with the picture's ("multiple")
    got = attribute(f"{caption}\n{first}\n{TAIL} (رويترز)")
    assert got.agency == "reuters" and got.evidence.startswith("sign-off"), got
    # the key drops the caption's line as before; cleanup drops it now, as attribution reads it
    assert strip_for_key(text.split("\n"))[0] == regex_tail(first)
    assert clean_text(text).startswith(first)


def regex_tail(first: str) -> str:
    return first.split(": ", 1)[1] if "«" in first else first


@pytest.mark.parametrize(("line", "agency"), [("غزة (أ ف ب)", "afp"), ("رام الله - رويترز", "reuters"),
                                              ("القدس/ الأناضول", "anadolu")])
def test_the_dateline_stays_over_a_story_without_one_or_over_the_same_place(line: str, agency: str) -> None:
    place = line.split(" (")[0].split(" - ")[0].split("/")[0]
    assert attribute(f"{line}\n{SILENT}\n{TAIL}").agency == agency
    assert attribute(f"{line}\n{place} - {SILENT}\n{TAIL}").agency == agency  # the dateline printed twice
    assert clean_text(f"{line}\n{place} - {SILENT}\n{TAIL}").startswith(line)
    assert clean_text(f"{line}\n{SILENT}\n{TAIL}").startswith(line)
    assert attribute(f"رويترز\n{QUDS}\n{TAIL}").agency == "reuters"  # a credit line names no place


@pytest.mark.parametrize("line", ["رهيد البردي - رويترز", "رهيد البردي (أ ف ب)", "رهيد البردي / أ ف ب"])
def test_a_nisba_shaped_town_the_story_puts_a_place_in_is_a_dateline(line: str) -> None:
    first = "قال سكان إن اشتباكات عنيفة اندلعت صباح اليوم في رهيد البردي بولاية جنوب دارفور وأسفرت عن قتلى."
    got = attribute(f"{line}\n{first}\n{TAIL}")
    assert got.agency in {"reuters", "afp"} and got.evidence.startswith("dateline"), got
    assert clean_text(f"{line}\n{first}\n{TAIL}").startswith(line)


@pytest.mark.parametrize("caption", ["مشاري العتيبي - رويترز", "تغريد الحربي (أ ف ب)"])
def test_a_nisba_named_person_stays_a_caption(caption: str) -> None:
    name = caption.split(" (")[0].split(" - ")[0]
    surname = name.split()[-1]
    # "في" of trust, and the story naming the person again by the surname
    first = f"صوت المجلس على حجب الثقة في {name} بعد جلسة طويلة، وحصل أنصار {surname} على ثلث الأصوات فقط."
    assert attribute(f"{caption}\n{first}\n{TAIL}").agency is None
    first = f"تباين رأي الناخبين في {name} بعد الجلسة، وحصل أنصار {surname} على ثلث الأصوات فقط."
    assert attribute(f"{caption}\n{first}\n{TAIL}").agency is None


@pytest.mark.parametrize(("caption", "first"), [
    ("فيكتور أوربان (أ ف ب)", "تباين رأي المجريين في فيكتور أوربان بعد عقد في الحكم، وحصل حزب أوربان على أغلبية ضئيلة."),
    ("خافيير ميلي - رويترز", "تراجع أمل الأرجنتينيين في خافيير ميلي مع ارتفاع الأسعار، ويتهم معارضو ميلي حكومته بالتقشف."),
])
def test_a_person_named_again_by_the_surname_is_not_placed_by_in(caption: str, first: str) -> None:
    # "رأي … في", "أمل … في": no verb of the short list, but the surname alone names a person
    text = f"{caption}\n{first}\n{TAIL}"
    assert attribute(text).agency is None
    assert clean_text(text).startswith(first)


def test_cleanup_drops_a_place_s_credit_over_another_wire_s_dateline_too() -> None:
    # the older sibling: attribution read it as a caption, cleanup kept it over the story
    first = "واشنطن (رويترز) - قالت الشرطة الأمريكية إن قواتها اعتقلت عددا من الشبان خلال مواجهات الليلة الماضية."
    assert clean_text(f"غزة (أ ف ب)\n{first}\n{TAIL}").startswith(first)
    assert attribute(f"غزة (أ ف ب)\n{first}\n{TAIL}").agency == "reuters"


def test_a_town_named_once_whole_keeps_its_place_evidence() -> None:
    first = "وقع انفجار قوي في زونغولداق إرغلي صباح اليوم، وقالت السلطات إن سكان المدينة أخلوا منازلهم."
    assert attribute(f"زونغولداق إرغلي - رويترز\n{first}\n{TAIL}").agency == "reuters"


@pytest.mark.parametrize("first", [
    "سيطرت قوات الدعم السريع على رهيد البردي بولاية جنوب دارفور بعد معارك عنيفة استمرت يومين.",
    "سيطرت قوات الدعم السريع على رهيد البردي الواقعة جنوب غرب نيالا بعد معارك عنيفة استمرت يومين.",
    "سيطرت قوات الدعم السريع على رهيد البردي التابعة لمحلية تلس بعد معارك عنيفة استمرت يومين.",
])
def test_a_name_the_story_says_where_it_lies_is_a_place(first: str) -> None:
    # "بولاية …", "الواقعة …", "التابعة لـ…" after the name: where a place lies, no person's
    assert attribute(f"رهيد البردي - رويترز\n{first}\n{TAIL}").agency == "reuters"
    assert attribute(f"رهيد البردي (أ ف ب)\n{first}\n{TAIL}").agency == "afp"
    # another name and a credit over that story is still a caption
    assert attribute(f"مشاري العتيبي (أ ف ب)\n{first}\n{TAIL}").agency is None
