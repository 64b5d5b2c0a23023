"""A short story beside a latest-news box whose teasers carry whole one-sentence summaries.

A brief (one paragraph) is outweighed by the box beside it: five teasers of other stories, each a time,
a headline linking to its page and a one-sentence summary not cut short. One-sentence entries linking to
other pages are a live blog only on a page printing no story of its own beside them; here they are the
box, and go (the code before this session dropped them; the one-sentence live-entry rule kept them).
"""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, TITLE

ONE = ["قررت مجموعة أوبك+ الإبقاء على سياسة خفض الإنتاج الحالية حتى نهاية العام المقبل.",
       "ارتفعت أسعار الذهب في التعاملات الآسيوية مع تراجع الدولار أمام العملات الرئيسية.",
       "أعلن البنك المركزي المصري تثبيت أسعار الفائدة للمرة الثالثة على التوالي هذا العام.",
       "وقعت السعودية والإمارات اتفاقية للربط الكهربائي بتكلفة تتجاوز مليار دولار.",
       "سجلت بورصة الدار البيضاء أعلى مستوى لها منذ خمس سنوات في ختام تعاملات الأسبوع."]
STAMPS = ['<span class="date">1{i}:30</span>', '<time datetime="2026-12-07T10:00:00Z">منذ {i} ساعات</time>']


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize("heading", ["آخر الأخبار", "أحدث الأخبار", "المزيد من الأخبار"])
@pytest.mark.parametrize("where", ["after", "beside"])
def test_a_brief_beside_a_latest_box_of_one_sentence_teasers_keeps_only_the_brief(stamp, heading, where) -> None:
    cards = "".join(f'<div class="card">{stamp.format(i=i)}<h3><a href="/news/2026/12/7/story-{i}">عنوان خبر آخر رقم {i} '
                    f'عن الأسواق العربية اليوم</a></h3><p>{s}</p></div>' for i, s in enumerate(ONE))
    box, story = f'<div class="x"><h2>{heading}</h2>{cards}</div>', f'<div class="txt"><p>{P1}</p></div>'
    inner = f"{story}{box}" if where == "after" else f"{box}{story}"
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="main"><h1>{TITLE}</h1>
{inner}</div></body></html>"""
    assert extract_page(page, "https://khaleej-now.example/news/93", now=NOW).text.splitlines() == [P1]


def test_a_two_paragraph_story_beside_the_same_box_keeps_its_paragraphs() -> None:
    cards = "".join(f'<div class="card"><span class="date">1{i}:30</span><h3><a href="/news/2026/12/7/story-{i}">عنوان خبر '
                    f'آخر رقم {i} عن الأسواق العربية اليوم</a></h3><p>{s}</p></div>' for i, s in enumerate(ONE))
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="main"><h1>{TITLE}</h1>
<div class="txt"><p>{P1}</p><p>{P2}</p></div><div class="x"><h2>آخر الأخبار</h2>{cards}</div></div></body></html>"""
    assert extract_page(page, "https://khaleej-now.example/news/93", now=NOW).text.splitlines() == [P1, P2]
