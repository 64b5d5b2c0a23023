"""A live page's entries titled by links to their own place on the page ("?update=3") when the address the
page was fetched at carries a feed's tracking parameters ("?utm_source=rss&utm_medium=feed") or is its AMP
copy ("/live/81/amp"), and the page names no canonical address: the tracking parameters and the AMP marker
are no part of the page's address, the entries link here, and they are the text after the page's summary."""

from __future__ import annotations

import pytest

from tasks.extract import extract_page
from tests.test_templates import NOW, P1, P2, P3, TITLE
from tests.test_templates_live_or_teasers import HEADS, UPDATES

ENTRY = ('<div class="entry"><span class="t">1{i}:30</span><h3><a href="https://khaleej-now.example/live/81?update={i}">'
         '{head}</a></h3><p>{update}</p></div>')
PAGE = ('<html dir="rtl"><head><title>{title}</title></head><body><div class="head"><h1>{title}</h1></div>'
        '<div class="summary">{summary}</div><div class="live-feed"><h2>آخر الأخبار</h2>{entries}</div></body></html>')
URLS = ["https://khaleej-now.example/live/81?utm_source=rss&utm_medium=feed", "https://khaleej-now.example/live/81/?fbclid=IwAR0abc",
        "https://khaleej-now.example/live/81/amp", "https://khaleej-now.example/amp/live/81"]


@pytest.mark.parametrize("url", URLS)
def test_entries_linking_to_their_own_update_on_a_tracked_or_amp_address_are_the_text(url) -> None:
    entries = "".join(ENTRY.format(i=i, head=h, update=u) for i, (h, u) in enumerate(zip(HEADS, UPDATES, strict=True)))
    page = PAGE.format(title=TITLE, summary="".join(f"<p>{p}</p>" for p in (P1, P2, P3)), entries=entries)
    text = extract_page(page, url, now=NOW).text
    assert [ln for ln in text.splitlines() if ln in UPDATES] == UPDATES
