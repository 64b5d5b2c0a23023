"""A wire's own copy says it could not verify something, with when or how between its name and the
verb as the wires print it ("ولم يتسن لرويترز بعد التحقق", probe rev26, S20b)."""

from __future__ import annotations

import pytest

from tasks.attribution import attribute

LEAD = "قالت وزارة الصحة في غزة، اليوم الأحد، إن حصيلة القتلى ارتفعت إلى 45 منذ فجر السبت."
P2 = "وأضافت الوزارة في بيان أن فرق الإسعاف لا تزال تنتشل الضحايا من تحت أنقاض المباني المدمرة."


@pytest.mark.parametrize(
    ("sentence", "agency"),
    [
        ("ولم يتسن لرويترز بعد التحقق من صحة هذه المعلومات.", "reuters"),
        ("ولم يتسن لرويترز حتى الآن التحقق من الرواية بشكل مستقل.", "reuters"),
        ("ولم يتسن لوكالة فرانس برس بشكل مستقل التحقق من الحصيلة.", "afp"),
        ("ولم تتمكن وكالة أسوشيتد برس على نحو مستقل من التحقق من الصور.", "ap"),
        ("ولم يتسن لرويترز فورا التأكد من صحة البيان.", "reuters"),
    ],
)
def test_a_wire_saying_it_could_not_yet_verify_is_its_own_copy(sentence: str, agency: str) -> None:
    # the wire's self-reference with when or how it could not between its name and the verb
    assert attribute(f"{LEAD}\n{sentence}\n{P2}").agency == agency


def test_a_source_that_could_not_verify_is_no_wire() -> None:
    assert attribute(f"{LEAD}\nولم يتسن للوزارة بعد التحقق من الأرقام.\n{P2}").agency is None
