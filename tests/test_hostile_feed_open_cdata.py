"""A feed whose CDATA sections are opened and never closed, served by a real server (tests/rawserver.py,
tasks.feeds.parse_feed).

Templates print '<![CDATA[' before a title or description and its ']]>' only when a field is set,
or cut a long title at a length limit with its ']]>': XML reads such a section on to the next
']]>' anywhere, so the next items were swallowed into the first one's title (one item of three,
its title the raw markup of the others), or the whole feed failed when no ']]>' came after it.
Each unclosed section is now closed at its own element's end tag; well-formed and nested sections
are read as before.
"""

from __future__ import annotations

import pytest

from tasks.feeds import parse_feed
from tasks.http import FetchRequest, HttpSettings, fetch_all
from tasks.models import FeedSpec
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=0, allow_private_networks=True)
TITLES = ["وقف إطلاق النار في غزة يدخل يومه الثالث", "الرئيس يستقبل وفداً من الجامعة العربية",
          "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية"]


def _rss(titles: list[str], description: str = "<description>موجز</description>") -> bytes:
    items = "".join(f"<item><title>{t}</title><link>https://site.example/news/{i + 1}.html</link>"
                    f"<guid>g{i + 1}</guid>{description}</item>" for i, t in enumerate(titles))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صحيفة الاختبار</title>'
            f"<link>https://site.example/</link>{items}</channel></rss>").encode()


def _parse(body: bytes):
    def route(c, target):
        c.send(response("200 OK", body, {"Content-Type": "application/rss+xml; charset=utf-8", "Connection": "close"}))
    with RawServer({"/feed": route}) as srv:
        [fetched] = fetch_all([FetchRequest(srv.base + "/feed", kind="feed")], FAST)
        return parse_feed(FeedSpec(source_id="s", source_name="s", country="EG", url=srv.base + "/feed"), fetched)


OPEN = "<![CDATA["
CASES = {
    "first title unclosed": [OPEN + TITLES[0], OPEN + TITLES[1] + "]]>", TITLES[2]],
    "first title unclosed, html in it": [OPEN + TITLES[0] + " <b>عاجل</b>", TITLES[1], OPEN + TITLES[2] + "]]>"],
    "every title unclosed": [OPEN + t for t in TITLES],
    "last title unclosed": [TITLES[0], OPEN + TITLES[1] + "]]>", OPEN + TITLES[2]],
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_cdata_section_never_closed_keeps_every_item(case):
    parsed = _parse(_rss(CASES[case]))
    assert [e.url.rsplit("/", 1)[1] for e in parsed.entries] == ["1.html", "2.html", "3.html"], parsed.bozo_reason
    assert [e.title.replace(" عاجل", "") for e in parsed.entries] == TITLES


def test_an_unclosed_description_keeps_the_items_after_it():
    parsed = _parse(_rss(TITLES, description="<description><![CDATA[<p>موجز الخبر</p></description>"))
    assert [e.title for e in parsed.entries] == TITLES
    assert all("موجز الخبر" in (e.summary or "") for e in parsed.entries)


@pytest.mark.parametrize("titles", [[OPEN + t + "]]>" for t in TITLES],
                                    [OPEN + TITLES[0] + " <![CDATA[x]]> ]]>", TITLES[1], TITLES[2]]])
def test_closed_and_nested_sections_read_as_before(titles):
    parsed = _parse(_rss(titles))
    assert [e.title for e in parsed.entries][1:] == TITLES[1:]
    assert TITLES[0] in parsed.entries[0].title
