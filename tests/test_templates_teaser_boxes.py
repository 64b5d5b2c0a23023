"""A related or latest-news box of dated teasers is no live blog, whatever its dates.

A live page's entries (a headline, a time stamp, paragraphs of two sentences or more) stand under
"آخر الأخبار"; a box headed "أخبار ذات صلة" or "اقرأ أيضا" is other stories' teasers, and a teaser's
summary cut short ("… وقال مسؤول إن القرار جاء بعد مشاورات…") ends in no sentence. The next card's
stamp printed before its headline is no sentence of the card above.
"""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, P3, TITLE

CUT = "قررت مجموعة أوبك+ الإبقاء على سياسة خفض الإنتاج الحالية. وقال مسؤول إن القرار جاء بعد مشاورات طويلة{end}"
FULL = ("قررت مجموعة أوبك+ الإبقاء على سياسة خفض الإنتاج الحالية حتى نهاية العام. "
        "وقال مسؤول إن القرار جاء بعد مشاورات طويلة.")
STAMPS = ['<span class="date">1{i}:30</span>', '<time datetime="2026-12-07T10:00:00Z">منذ {i} ساعات</time>']


def _page(heading: str, stamp: str, summary: str) -> str:
    cards = "".join(f'<div class="card">{stamp.format(i=i)}<h3><a href="/n/{i}">عنوان خبر آخر رقم {i} عن '
                    f'أسواق النفط العالمية</a></h3><p>{summary}</p></div>' for i in range(4))
    return f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="main"><h1>{TITLE}</h1>
<div class="txt"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class="x"><h2>{heading}</h2>{cards}</div>
</div></body></html>"""


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize("summary", [CUT.format(end="…"), CUT.format(end="..."), FULL])
@pytest.mark.parametrize("heading", ["أخبار ذات صلة", "اقرأ أيضا", "قد يهمك"])
def test_a_related_box_of_dated_teasers_of_two_sentences_goes(heading: str, stamp: str, summary: str) -> None:
    page = _page(heading, stamp, summary)
    assert extract_page(page, "https://khaleej-now.example/news/91", now=NOW).text.splitlines() == [P1, P2, P3]


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize("end", ["…", "..."])
def test_latest_news_teasers_cut_after_their_first_sentence_go(stamp: str, end: str) -> None:
    page = _page("آخر الأخبار", stamp, CUT.format(end=end))
    assert extract_page(page, "https://khaleej-now.example/news/92", now=NOW).text.splitlines() == [P1, P2, P3]


@pytest.mark.parametrize("label", ["(صورة أرشيفية) ", "صورة أرشيفية - ", "صورة تعبيرية: "])
def test_a_story_paragraph_after_a_pictures_label_stays(label: str) -> None:
    """The label of the picture above runs into the story's paragraph, its stop left off, as Arabic pages
    often print a paragraph: the label goes, the paragraph stays; "صورة أرشيفية لمبنى الوزارة" is a caption."""
    from tasks.extract import clean_text

    para = "أعلنت وزارة الداخلية السعودية اليوم القبض على خلية إرهابية في المنطقة الشرقية"
    assert clean_text("\n".join([P1, label + para, P2])).splitlines() == [P1, para, P2]
    assert clean_text("\n".join([P1, label + "لمبنى وزارة الخارجية في القاهرة", P2])).splitlines() == [P1, P2]
