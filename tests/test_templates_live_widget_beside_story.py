"""A story with a live-updates widget beside it: "آخر الأخبار" entries, each a time, a headline linking to
its place on ANOTHER page (the site's live page, "/live/gaza-war#post-3") and a one- or two-sentence update.
Several links to one address differing by their anchors are that page's places, not this one's: the page
says where it is (its URL, its canonical link), and the widget beside a story that outweighs it goes."""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, P3, TITLE
from tests.test_templates_live_or_teasers import HEADS, UPDATES

TWO = [f"{u} وقال مصدر محلي إن الوضع ما زال متوترا في المنطقة." for u in UPDATES]


@pytest.mark.parametrize("updates", [UPDATES, TWO])
@pytest.mark.parametrize("heading", ["آخر الأخبار", "الأخبار العاجلة", "أحدث الأخبار"])
@pytest.mark.parametrize("canonical", ["", '<link rel="canonical" href="https://khaleej-now.example/news/2026/12/7/kuwait-oil">'])
def test_a_live_widget_linking_to_another_pages_anchors_beside_a_story_goes(updates, heading, canonical) -> None:
    entries = "".join(f'<div class="entry"><span class="t">1{i}:30</span><h3><a href="/live/gaza-war#post-{i}">{h}</a></h3>'
                      f'<p>{u}</p></div>' for i, (h, u) in enumerate(zip(HEADS, updates, strict=True)))
    page = f"""<html dir="rtl"><head><title>{TITLE}</title>{canonical}</head><body><div class="main"><h1>{TITLE}</h1>
<div class="txt"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class="x"><h2>{heading}</h2>{entries}</div></div></body></html>"""
    text = extract_page(page, "https://khaleej-now.example/news/2026/12/7/kuwait-oil", now=NOW).text
    assert text.splitlines() == [P1, P2, P3]
