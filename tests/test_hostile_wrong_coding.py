"""Bodies labelled compressed and sent plain, from a real server (tests/rawserver.py).

A server config that adds "Content-Encoding: gzip" (or deflate, br, "gzip, deflate") to every
.txt or feed whatever it sends: the body is plain text. Only plain markup starting with '<' was
read through before: a robots.txt so labelled was "unreachable" (refused for good: its host's
every page robots_disallowed on every run), and a feed or page starting with a byte-order mark
was a decoding error. Such a body is read as it came; one we cannot decode at all (zstd)
makes robots.txt unavailable for the run (its pages asked again later), not a refusal for good.
A robots.txt is plain text by nature and read through as such; a page or feed is read through
when it starts as markup (a byte-order mark before it allowed): other text labelled gzip is still
a decoding error for a page, as for browsers (tests/test_http.py).
"""

from __future__ import annotations

import pytest

from tasks.feeds import parse_feed
from tasks.http import FetchRequest, HttpSettings, fetch_all, is_transient
from tasks.models import FeedSpec
from tests.hostile_server import ARABIC_TITLE, article_html, item, rss
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=0, allow_private_networks=True)
RULES = "# robots.txt لموقع الأخبار\nUser-agent: *\nDisallow: /private/\n".encode()
CODINGS = ["gzip", "x-gzip", "deflate", "br", "gzip, deflate"]


def _labelled(body: bytes, coding: str, ctype: str = "text/plain"):
    def route(c, target):
        c.send(response("200 OK", body, {"Content-Type": ctype, "Content-Encoding": coding, "Connection": "close"}))
    return route


def _page(c, target):
    c.send(response("200 OK", article_html(target).encode(), {"Content-Type": "text/html; charset=utf-8",
                                                                "Connection": "close"}))


@pytest.mark.parametrize("coding", CODINGS)
def test_a_plain_robots_txt_labelled_compressed_keeps_its_rules(coding):
    with RawServer({"/robots.txt": _labelled(RULES, coding), "/": _page}) as srv:
        results = fetch_all([FetchRequest(srv.base + p) for p in ("/private/1.html", "/sport/2.html")], FAST)
    assert [r.outcome for r in results] == ["robots_disallowed", "ok"], [(r.outcome, r.error) for r in results]
    assert results[0].error == "disallowed by robots.txt"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_a_feed_or_page_after_a_byte_order_mark_labelled_compressed_is_read(coding):
    feed = b"\xef\xbb\xbf" + rss(item(ARABIC_TITLE, "https://site.example/news/1.html", "g1")).encode()
    page = b"\xef\xbb\xbf" + article_html("/news/2.html").encode()
    routes = {"/robots.txt": lambda c, t: c.send(response("404 Not Found", b"")),
              "/feed": _labelled(feed, coding, "application/rss+xml"), "/news/2.html": _labelled(page, coding, "text/html")}
    with RawServer(routes) as srv:
        fetched, paged = fetch_all([FetchRequest(srv.base + "/feed", kind="feed"), FetchRequest(srv.base + "/news/2.html")],
                                   FAST)
        parsed = parse_feed(FeedSpec(source_id="s", source_name="s", country="EG", url=srv.base + "/feed"), fetched)
    assert [e.title for e in parsed.entries] == [ARABIC_TITLE], (fetched.outcome, fetched.error)
    assert paged.outcome == "ok" and ARABIC_TITLE.encode() in paged.body, (paged.outcome, paged.error)


def test_a_robots_txt_we_cannot_decode_holds_the_hosts_pages_for_a_later_run():
    packed = b"(\xb5/\xfd" + b"\0" * 64
    with RawServer({"/robots.txt": _labelled(packed, "zstd"), "/": _page}) as srv:
        [result] = fetch_all([FetchRequest(srv.base + "/sport/2.html")], FAST)
        assert srv.paths() == ["/robots.txt"]
    assert result.outcome == "robots_disallowed" and is_transient(result.outcome, result.status, result.error), result
