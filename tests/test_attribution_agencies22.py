"""Agencies of Pakistan, India and Turkey (APP, PTI, DHA, İhlas) named in a dateline or a closing credit
are the story's agency; the acronyms of AP and AFP keep theirs (round S22, attr22)."""

import pytest

from tasks.attribution import attribute

BODY = ("\nقال مسؤولون يوم الثلاثاء إن المحادثات بين الجانبين ستستأنف الأسبوع المقبل في العاصمة بعد توقف دام"
        " شهرين.\nوأضافوا أن الوفدين سيناقشان ملفات الأمن والاقتصاد والحدود المشتركة بين البلدين.")


@pytest.mark.parametrize("head, want", [
    ("إسلام آباد (أ ب ب) - قال مسؤولون", "app"),
    ("نيودلهي (بي تي آي) - قال مسؤولون", "pti"),
    ("إسطنبول (دي إتش إيه) - قال مسؤولون", "dha"),
    ("أنقرة (إخلاص) - قال مسؤولون", "iha"),
    ("واشنطن (أ ب) - قال مسؤولون", "ap"),
    ("باريس (أ ف ب) - قال مسؤولون", "afp"),
    ("القاهرة (أ ش أ) - قال مسؤولون", "mena"),
    ("بغداد (وكالة الأنباء العراقية (واع)) - قال مسؤولون", "ina"),
    ("الكويت - كونا - قال مسؤولون", "kuna"),
    ("باريس (أ ف ب) - قالت وكالة رويترز إن مراسلها اعتقل", "afp"),
])
def test_dateline_agency(head, want):
    assert attribute(head + BODY).agency == want


def test_ikhlas_as_a_word_names_no_agency():
    assert attribute("قال الوزير إن الإخلاص في العمل واجب" + BODY).agency is None
