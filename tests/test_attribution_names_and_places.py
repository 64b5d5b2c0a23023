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
