"""A robots.txt cut short (the server closed, or went quiet, before the length it announced) is
read as received -- and its last line, cut in the middle, only as far as it cannot allow more
than the file does (tests/rawserver.py).

"Allow: /news/" cut to "Allow: /" allowed the whole site against a "Disallow: /" before it;
"Crawl-delay: 10" cut to "Crawl-delay: 1" spaced requests ten times closer than asked. A cut
Disallow still forbids (a prefix of its path forbids more, never less), so it is kept, its last
character dropped when it was cut in two (before, the UTF-8 file read with U+FFFD in the rule,
which then matched nothing). The same for UTF-16 files and gzipped ones.
"""

from __future__ import annotations

import pytest

from tasks.http import FetchRequest, fetch_all
from tasks.robots import cut_robots_body, parse_robots, robots_text
from tests.rawserver import RawServer
from tests.test_hostile_robots_bytes import EXPECTED, FAST, PAGES, _page

OPEN = "User-agent: *\nDisallow: /\nAllow: /sport/\nAllow: /news/\n"  # all closed but two sections
RULES = "User-agent: *\nDisallow: /أخبار/\nDisallow: /ملفات/\nDisallow: /تقارير-خاصة/\n"


def _cut(body: bytes):
    def route(c, target):
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(body) + 50) + body)
        return False  # closed short of the announced length
    return route


def _fetch(robots):
    with RawServer({"/robots.txt": robots, "/": _page}) as srv:
        return [r.outcome for r in fetch_all([FetchRequest(srv.base + p) for p in PAGES], FAST)]


CUT = {
    "allow cut to '/'": OPEN.encode()[: OPEN.index("news/")],
    "allow cut to '/', utf-16": b"\xff\xfe" + OPEN[: OPEN.index("news/")].encode("utf-16-le"),
    "allow cut to '/', utf-16 mid-unit": b"\xff\xfe" + OPEN[: OPEN.index("news/") + 1].encode("utf-16-le")[:-1],
}


@pytest.mark.parametrize("case", list(CUT))
def test_an_allow_rule_cut_short_allows_nothing_more(case):
    assert _fetch(_cut(CUT[case])) == EXPECTED


@pytest.mark.parametrize("body", [
    RULES.rstrip("\n").encode(),  # whole, no line end after its last rule
    RULES.encode()[: RULES.encode().index("خاصة".encode()) + 1],  # cut inside an Arabic letter
])
def test_a_disallow_rule_cut_short_still_forbids(body):
    assert _fetch(_cut(body)) == EXPECTED


@pytest.mark.parametrize("body,delay", [
    (b"User-agent: *\nCrawl-delay: 1", None),  # "Crawl-delay: 10" cut: no delay rather than a tenth
    (b"User-agent: *\nCrawl-delay: 10\n", 10.0),
    (b"User-agent: *\nCrawl-delay: 10\nUser-ag", 10.0),
    ("User-agent: *\nCrawl-delay: 5\n".encode("utf-16-le") + "Crawl-d".encode("utf-16-le"), 5.0),
])
def test_a_cut_body_keeps_only_what_cannot_loosen_the_rules(body, delay):
    rules = parse_robots(robots_text(cut_robots_body(body)), "akhbar")
    assert rules.crawl_delay == delay


def test_a_cut_body_with_nothing_whole_is_empty():
    assert cut_robots_body(b"User-ag") == b""
