"""A 13-digit number that opens with 13xx/14xx in the URL of an outlet of no known country is no Solar day.

de1e76e read ISNA's 13-digit ids (/news/1404072918478/ = 29 Mehr 1404) as Fars's 14-digit ones, also on an
outlet whose country the catalog does not know (zone None). Thirteen digits opening 13/14 are also a Unix time
in milliseconds (March 2011 - July 2017), which many CMSs use as the story id: 1404072918478 is 29 June 2014,
and the page was dated 21 October 2025 by its URL. Iranian/Afghan outlets (known zone, or an .ir/.af host) keep it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import dates
from tasks.extract import page_published

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PAGE = "<html><body><article><h1>افتتاح معرض الكتاب</h1><p>افتتح وزير الثقافة اليوم معرض الكتاب.</p></article></body></html>"


@pytest.mark.parametrize("url", [
    "https://www.example-news.com/news/1404072918478",          # ms since 1970: 29 June 2014
    "https://www.example-news.com/article/1395061234567.html",  # 2014-03-17 (1395/06/12: 2016)
    "https://alkhabar.example/posts/1372051512345-title",      # 2013-06-24 (1372/05/15: 1993)
])
def test_a_millisecond_id_of_an_unknown_outlet_is_no_solar_day(url):
    assert dates._url_candidates([url], NOW, None) == []
    assert page_published(PAGE, url, now=NOW).source != "url"


@pytest.mark.parametrize(("url", "tz"), [
    ("https://www.isna.ir/news/1404072918478/x", None),
    ("https://www.isna.ir/news/1404072918478/x", "IR"),
    ("https://www.example-news.com/news/1404072918478", "IR"),
    ("https://www.example.af/news/1404072918478", None),
    ("https://www.example-news.com/news/14040729000123/x", None),   # 14 digits (Fars): no ms time
])
def test_iranian_and_afghan_ids_still_give_the_solar_day(url, tz):
    got = dates._url_candidates([url], NOW, dates.zone(tz) if tz else None)
    assert [c.value.wall().date().isoformat() for c in got] == ["2025-10-21"]
