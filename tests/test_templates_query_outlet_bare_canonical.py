"""A query-addressed outlet ("news.php?id=81") whose canonical link or og:url leaves the query out
("https://…/news.php", an old PHP CMS's template): that address is the script every story shares, not the
page's own address. Its teasers ("news.php?id=94") are other stories: the box of full-sentence teasers
beside the story goes, as it does when the page names no canonical address at all."""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, P3, TITLE
from tests.test_templates_live_or_teasers import FULL

CARD = ('<div class="card"><span class="date">1{i}:30</span><h3><a href="{href}">عنوان خبر آخر رقم {i} عن أسواق النفط '
        'العالمية</a></h3><p>{summary}</p></div>')
HEAD = ['<link rel="canonical" href="https://khaleej-now.example/news.php">',
        '<meta property="og:url" content="https://khaleej-now.example/news.php">',
        '<meta property="og:url" content="http://khaleej-now.example/news.php/">']


@pytest.mark.parametrize("head", HEAD)
@pytest.mark.parametrize("href", ["news.php?id=9{i}", "/news.php?id=9{i}", "https://khaleej-now.example/news.php?id=9{i}"])
def test_a_bare_canonical_of_a_query_addressed_story_does_not_make_its_teasers_its_own_places(head, href) -> None:
    cards = "".join(CARD.format(i=i, href=href.format(i=i), summary=FULL) for i in range(4))
    page = (f'<html dir="rtl"><head><title>{TITLE}</title>{head}</head><body><div class="main"><h1>{TITLE}</h1>'
            f'<div class="txt"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class="x"><h2>آخر الأخبار</h2>{cards}</div></div></body></html>')
    text = extract_page(page, "https://khaleej-now.example/news.php?id=81", now=NOW).text
    assert text.splitlines() == [P1, P2, P3]
