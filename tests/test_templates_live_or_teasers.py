"""A live blog's entries or a latest-news box of teasers: where the block stands, and where its links go.

A box under "آخر الأخبار" beside or after the story is teasers of other stories (headlines linked to
other articles, a date and a summary each), whatever the length of its summaries: two full sentences
each kept it as a live blog. A live page's entries are the page's main content, or titled by links to
their own place on the page ("/live/81#update-3", "?update=3": one page, many anchors): one sentence
each under a headline link and a time stamp went as a box.
"""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, P3, TITLE

FULL = ("قررت مجموعة أوبك+ الإبقاء على سياسة خفض الإنتاج الحالية حتى نهاية العام المقبل. "
        "وقال مسؤول إن القرار جاء بعد مشاورات طويلة بين الأعضاء.")
STAMPS = ['<span class="date">1{i}:30</span>', '<time datetime="2026-12-07T10:00:00Z">منذ {i} ساعات</time>',
          '<span class="time">7 ديسمبر 2026 - 1{i}:05</span>']
LATEST = ["آخر الأخبار", "أحدث الأخبار", "المزيد من الأخبار", "شريط الأخبار", "الأخبار العاجلة"]


def _teasers(heading: str, stamp: str) -> str:
    cards = "".join(f'<div class="card">{stamp.format(i=i)}<h3><a href="/news/2026/12/7/story-{i}">عنوان خبر آخر رقم {i} '
                    f'عن أسواق النفط العالمية</a></h3><p>{FULL}</p></div>' for i in range(4))
    return f'<div class="x"><h2>{heading}</h2>{cards}</div>'


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize("heading", LATEST)
@pytest.mark.parametrize("where", ["after", "beside"])
def test_a_latest_news_box_of_teasers_with_two_full_sentences_beside_the_story_goes(heading, stamp, where) -> None:
    box, story = _teasers(heading, stamp), f'<div class="txt"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>'
    inner = f"{story}{box}" if where == "after" else f"{box}{story}"
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="main"><h1>{TITLE}</h1>
{inner}</div></body></html>"""
    assert extract_page(page, "https://khaleej-now.example/news/93", now=NOW).text.splitlines() == [P1, P2, P3]


UPDATES = ["أعلنت وزارة الصحة في غزة ارتفاع حصيلة القتلى إلى 43 شخصا منذ فجر اليوم بينهم 12 طفلا.",
           "قال الجيش الإسرائيلي إنه قصف أكثر من ثلاثين هدفا في جنوب القطاع خلال الساعات الماضية.",
           "وصلت أول قافلة مساعدات إلى معبر رفح بعد إغلاق استمر ثلاثة أيام وتضم عشرين شاحنة.",
           "دوت صفارات الإنذار في مستوطنات غلاف غزة مرتين منذ الظهر دون أنباء عن إصابات."]
HEADS = ["الصحة في غزة: ارتفاع حصيلة القتلى إلى 43", "الجيش الإسرائيلي يعلن قصف ثلاثين هدفا",
         "أول قافلة مساعدات تصل إلى معبر رفح", "صفارات الإنذار تدوي في غلاف غزة"]
HREFS = ["/news/2026/12/7/story-{i}", "https://x.example/a/{i}", "/live/81#update-{i}",
         "https://khaleej-now.example/live/81?update={i}"]


@pytest.mark.parametrize("href", HREFS)
@pytest.mark.parametrize("stamp", ['<span class="t">1{i}:30</span>', '<div class="t">منذ {i}0 دقيقة</div>'])
@pytest.mark.parametrize("heading", ["آخر الأخبار", "أحدث الأخبار", "المزيد من الأخبار"])
def test_a_live_blogs_one_sentence_entries_under_linked_headlines_are_the_text(href, stamp, heading) -> None:
    entries = "".join(f'<div class="entry">{stamp.format(i=i)}<h3><a href="{href.format(i=i)}">{h}</a></h3><p>{u}</p></div>'
                      for i, (h, u) in enumerate(zip(HEADS, UPDATES, strict=True)))
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="head"><h1>{TITLE}</h1></div>
<div class="live-feed"><h2>{heading}</h2>{entries}</div></body></html>"""
    text = extract_page(page, "https://khaleej-now.example/live/81", now=NOW).text
    assert [ln for ln in text.splitlines() if ln in UPDATES] == UPDATES


@pytest.mark.parametrize("href", HREFS[2:])
def test_a_live_blog_titled_by_its_own_anchors_after_a_long_summary_is_the_text(href) -> None:
    # the page opens with a summary longer than the entries: they link to their own place on this page
    entries = "".join(f'<div class="entry"><span class="t">1{i}:30</span><h3><a href="{href.format(i=i)}">{h}</a></h3>'
                      f'<p>{u}</p></div>' for i, (h, u) in enumerate(zip(HEADS, UPDATES, strict=True)))
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="head"><h1>{TITLE}</h1></div>
<div class="summary"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class="live-feed"><h2>آخر الأخبار</h2>{entries}</div>
</body></html>"""
    text = extract_page(page, "https://khaleej-now.example/live/81", now=NOW).text
    assert [ln for ln in text.splitlines() if ln in UPDATES] == UPDATES


@pytest.mark.parametrize("href", ["?id=9{i}", "news.php?id=9{i}", "/news.php?id=9{i}#comments",
                                  "https://khaleej-now.example/news.php?id=9{i}"])
def test_teasers_on_a_query_addressed_outlet_link_to_other_stories_not_to_this_page(href) -> None:
    """An outlet whose stories differ only by their query: a teaser's "?id=94" is
    another story, no place on this page ("news.php?id=81"); the box of full-sentence teasers beside the story goes."""
    cards = "".join(f'<div class="card"><span class="date">1{i}:30</span><h3><a href="{href.format(i=i)}">عنوان خبر '
                    f'آخر رقم {i} عن أسواق النفط العالمية</a></h3><p>{FULL}</p></div>' for i in range(4))
    page = f"""<html dir="rtl"><head><title>{TITLE}</title></head><body><div class="main"><h1>{TITLE}</h1>
<div class="txt"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class="x"><h2>آخر الأخبار</h2>{cards}</div></div></body></html>"""
    url = "https://khaleej-now.example/news.php?id=81"
    assert extract_page(page, url, now=NOW).text.splitlines() == [P1, P2, P3]
