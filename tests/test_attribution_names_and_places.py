"""A line that is only a name and a credit: a person (a photo caption) or a place (the story's dateline).

Person evidence: a common Arab given name first, with a family name that carries the article ("نجلاء
المنقوش - رويترز", "زياد النخالة (أ ف ب)"). Place evidence: the story names the same words as a place
("في مدينة زونغولداق إرغلي", "ولاية زونغولداق"), whoever the agency is, not only in Anadolu's "X/ الأناضول".
"""

from __future__ import annotations

import pytest

from tasks.attribution import attribute, names_a_person
from tasks.cleanup import clean_text

FIRST = "أعلنت السلطات المحلية اليوم عن افتتاح مشروع جديد للطاقة الشمسية بقدرة كبيرة في المنطقة."
SAID = "وقال المسؤولون إن المشروع سيوفر فرص عمل للشباب في المنطقة خلال الأعوام المقبلة."
SHAPES = ["{} - رويترز", "{} (أ ف ب)", "{} - واج", "{} (وام)", "{} (قنا)", "{} (سانا)", "{} (واس)", "{} (كونا)",
          "{} (بنا)", "{} (وفا)", "{} (د ب أ)", "{} (شينخوا)"]

# men and women, the family name with the article
ARAB_PERSONS = ["نجلاء المنقوش", "أسماء الأسد", "ناصر القدوة", "زياد النخالة", "رشا العلي", "عمرو الليثي",
                "هالة السعيد", "ياسمين الصبري", "طلال الرشيد", "سلوى الجراح"]


@pytest.mark.parametrize("name", ARAB_PERSONS)
def test_an_arab_given_name_and_a_family_name_with_the_article_is_a_person(name: str) -> None:
    assert names_a_person(name)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ARAB_PERSONS[:4])
def test_an_arab_person_s_name_over_the_story_is_a_caption(name: str, shape: str) -> None:
    line = shape.format(name)
    assert attribute(f"{line}\n{FIRST}\n{SAID}").agency is None
    assert attribute(f"{FIRST}\n{SAID}\n{line}").agency is None
    assert attribute(f"{line}\n{FIRST}\n{SAID} (رويترز)").agency == "reuters"
    assert clean_text(f"{line}\n{FIRST}\n{SAID}").startswith(FIRST)


# places of two words that no list holds, no town's word opens, and no article marks
UNLISTED_PLACES = ["زونغولداق إرغلي", "نوفا كاخوفكا", "بيلا تسيركفا", "كوتا كينابالو", "ثاندر باي"]
PLACE_SHAPES = [("{} - رويترز", "reuters"), ("{} (أ ف ب)", "afp"), ("{} - واج", "aps"), ("{} (وام)", "wam"),
                ("{} (سانا)", "sana"), ("{} (كونا)", "kuna"), ("{} (شينخوا)", "xinhua"), ("{} / أ ف ب", "afp")]
STORY_NAMES_THE_PLACE = [
    "أعلنت السلطات في مدينة {} اليوم عن افتتاح مشروع جديد للطاقة الشمسية.",
    "وقع انفجار قوي في {} صباح اليوم وأصيب عدد من السكان بجروح.",
    "أعلنت محافظة {} اليوم حالة الطوارئ بعد الفيضانات.",
    "قتل ثلاثة أشخاص في انفجار داخل منجم قرب {} اليوم.",  # where it lies, who lives there
    "أجلت السلطات سكان {} بعد انهيار السد صباح اليوم.",
    "سقطت قذائف على أحياء {} الشرقية ليلة أمس.",
]


@pytest.mark.parametrize(("shape", "agency"), PLACE_SHAPES)
@pytest.mark.parametrize("place", UNLISTED_PLACES)
def test_an_unlisted_place_the_story_names_as_a_place_is_the_dateline(place: str, shape: str, agency: str) -> None:
    line = shape.format(place)
    for first in STORY_NAMES_THE_PLACE:
        text = f"{line}\n{first.format(place)}\n{SAID}"
        assert attribute(text).agency == agency, first
        assert clean_text(text).startswith(line)
    # the province's name, the town's first word: "ولاية زونغولداق"
    assert attribute(f"{line}\nافتتحت ولاية {place.split()[0]} اليوم مشروعا جديدا.\n{SAID}").agency == agency
    # closing the text: the story's credit, not a picture's
    assert attribute(f"{STORY_NAMES_THE_PLACE[0].format(place)}\n{SAID}\n{line}").agency == agency


@pytest.mark.parametrize("place", UNLISTED_PLACES)
def test_an_unlisted_place_the_story_does_not_name_is_still_read_as_a_bare_name(place: str) -> None:
    # no evidence either way: the foreign name's shape decides, as before (the weak point left)
    assert attribute(f"{place} - رويترز\n{FIRST}\n{SAID}").agency is None


def test_a_given_name_s_town_the_story_names_as_a_place() -> None:
    # "علي الغربي", Maysan's town, opens with a given name: the story's "قضاء علي الغربي" tells the place
    line = "علي الغربي - رويترز"
    assert attribute(f"{line}\nقال مسؤولون في قضاء علي الغربي إن الفيضانات أغرقت عشرات المنازل.\n{SAID}").agency == "reuters"
    assert attribute(f"{line}\n{FIRST}\n{SAID}").agency is None  # no place evidence: a person's name


@pytest.mark.parametrize(("line", "first"), [
    # a person named with a title, a lineage or as the subject of a verb stays a caption, even when a
    # town bears the name ("مدينة محمد بن راشد") or the name follows "من"/"في"
    ("خافيير ميلي (أ ف ب)", "تلقى الرئيس رسالة من خافيير ميلي اليوم تتعلق بالتعاون الثنائي."),
    ("خافيير ميلي (أ ف ب)", "قال الرئيس الأرجنتيني خافيير ميلي إن الثقة في خافيير ميلي لم تتراجع."),
    ("محمد بن راشد (وام)", "افتتح الشيخ محمد بن راشد مشروعا جديدا في مدينة محمد بن راشد اليوم."),
    ("نجلاء المنقوش - رويترز", "استقبلت وزيرة الخارجية نجلاء المنقوش وفدا من مدينة مصراتة."),
    ("الرئيس تبون (واج)", "أعلنت السلطات في مدينة الرئيس تبون الجديدة افتتاح مشروع."),
])
def test_a_person_stays_a_caption(line: str, first: str) -> None:
    assert attribute(f"{line}\n{first}\n{SAID}").agency is None
    assert clean_text(f"{line}\n{first}\n{SAID}").startswith(first)


@pytest.mark.parametrize("caption", ["نجلاء المنقوش/ الأناضول", "خافيير ميلي / أ ف ب", "د. هالة السعيد - رويترز",
                                     "زياد النخالة / رويترز"])
def test_a_person_s_name_closing_the_text_is_the_picture_s_caption(caption: str) -> None:
    # the credit after a slash, or a head with the honorific's dot: the picture's credit, not the story's
    assert attribute(f"{FIRST}\n{SAID}\n{caption}").agency is None
    assert attribute(f"{FIRST}\n{SAID} (أ ف ب)\n{caption}").agency == "afp"  # not "multiple"
    assert clean_text(f"{FIRST}\n{SAID}\n{caption}").splitlines()[-1] == SAID


@pytest.mark.parametrize(("line", "agency"), [("القدس/ الأناضول", "anadolu"), ("قوجه إيلي/ الأناضول", "anadolu"),
                                              ("غزة - رويترز", "reuters"), ("دار السلام / أ ف ب", "afp")])
def test_a_place_s_credit_closing_the_text_still_credits_the_story(line: str, agency: str) -> None:
    assert attribute(f"{FIRST}\n{SAID}\n{line}").agency == agency


@pytest.mark.parametrize("caption", ["الشيخة حسينة (أ ف ب)", "الحاجة زهرة - رويترز"])
def test_a_woman_s_honorific_before_one_name_is_a_person(caption: str) -> None:
    # no place opens with "الشيخة" or "الحاجة" ("الشيخ زويد", "السيدة زينب", "الحاج يوسف" do)
    assert attribute(f"{caption}\n{FIRST}\n{SAID}").agency is None
    assert attribute("الشيخ زويد - أ ش أ\n" + FIRST).agency == "mena"


@pytest.mark.parametrize("name", ["مشاري العتيبي", "تغريد الحربي", "نايف الشمري", "بدرية القحطاني"])
def test_a_name_and_a_nisba_family_name_is_a_person(name: str) -> None:
    # the given name is in no list: the family name's shape, article and -ي, tells the person
    assert names_a_person(name)
    assert attribute(f"{name} - رويترز\n{FIRST}\n{SAID}").agency is None
    assert attribute(f"{name} (واس)\n{FIRST}\n{SAID} (رويترز)").agency == "reuters"


@pytest.mark.parametrize(("line", "agency"), [("حلب الشرقي - سانا", "sana"), ("حفر الباطن - واس", "spa"),
                                              ("عين العربي - الأناضول", "anadolu"), ("مكة المكرمة - واس", "spa")])
def test_a_place_of_two_words_with_the_article_second_stays_a_dateline(line: str, agency: str) -> None:
    # a direction, no nisba, or a place's word first
    assert attribute(f"{line}\n{FIRST}\n{SAID}").agency == agency
