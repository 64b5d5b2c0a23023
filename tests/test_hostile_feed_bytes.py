"""Feeds whose bytes contradict their labels, fetched from a real server (tests/rawserver.py) and
parsed as a run parses them.

A UTF-8 byte-order mark before a windows-1256 feed (a PHP include saved "UTF-8 with BOM" printing
it ahead of the feed, which the CMS writes in the Arabic code page): the mark won over the XML
declaration and the bytes, every title became U+FFFD. Pages were already read past such a mark
(tasks.encoding); feeds are now read the same way, whatever the declaration or header say. A feed
whose bytes after the mark are UTF-8 is read as UTF-8 whatever it declares.
"""

from __future__ import annotations

import pytest

from tasks.feeds import parse_feed
from tasks.http import FetchRequest, HttpSettings, fetch_all
from tasks.models import FeedSpec
from tests.hostile_server import ARABIC_TITLE
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=0, allow_private_networks=True)
BOM = b"\xef\xbb\xbf"


def _feed(declared: str) -> str:
    return (f'<?xml version="1.0" encoding="{declared}"?>\n<rss version="2.0"><channel><title>الموقع</title>'
            f"<item><title>{ARABIC_TITLE}</title><link>/news/1.html</link>"
            "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item></channel></rss>")


CASES = {
    "bom then windows-1256, declared": (BOM + _feed("windows-1256").encode("cp1256"), "application/rss+xml"),
    "bom then windows-1256, declared utf-8": (BOM + _feed("utf-8").encode("cp1256"), "text/xml"),
    "bom then windows-1256, header says so": (BOM + _feed("windows-1256").encode("cp1256"),
                                              "application/rss+xml; charset=windows-1256"),
    "bom then utf-8, declared windows-1256": (BOM + _feed("windows-1256").encode(), "application/rss+xml"),
    "bom then utf-8, header iso-8859-1": (BOM + _feed("utf-8").encode(), "text/xml; charset=ISO-8859-1"),
    "two boms then utf-8": (BOM + BOM + _feed("utf-8").encode(), "application/rss+xml"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_feed_whose_byte_order_mark_belies_its_bytes_keeps_its_arabic_titles(case):
    body, ctype = CASES[case]
    with RawServer({"/feed": lambda c, t: c.send(response("200 OK", body, {"Content-Type": ctype})),
                    "/robots.txt": lambda c, t: c.send(response("404 Not Found", b""))}) as srv:
        [fetched] = fetch_all([FetchRequest(srv.base + "/feed", kind="feed")], FAST)
        spec = FeedSpec(source_id="s", source_name="الموقع", country="EG", url=srv.base + "/feed")
        parsed = parse_feed(spec, fetched)
    assert [e.title for e in parsed.entries] == [ARABIC_TITLE], (fetched.outcome, parsed)
