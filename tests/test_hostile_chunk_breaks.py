"""A chunked page whose framing breaks after part of its body came (tests/rawserver.py): a bad
chunk size or a chunk's data overrunning its size mid-page (a proxy, a CMS's output buffer
breaking the chunked stream). The part that came is the page cut short, as when the server
closes there: asked again, and kept as it came when every attempt of the run ends so (later runs
ask again). Before, it was malformed_response, permanent: the page's text was lost on every run.
A framing broken before any body (tests/test_hostile_framing.py) stays malformed_response.
"""

from __future__ import annotations

import pytest

from tasks.http import FetchRequest, HttpSettings, fetch_all, is_transient, kept_cut
from tests.hostile_server import article_html
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=1, backoff_base_s=0.01, backoff_max_s=0.05, allow_private_networks=True)
PAGE = article_html("/news/1.html").encode()
HALF = PAGE[: len(PAGE) * 3 // 4]
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
BROKEN = {
    "bad size after a chunk": HEAD + b"%x\r\n" % len(HALF) + HALF + b"\r\nzz\r\n",
    "data past its size": HEAD + b"%x\r\n" % (len(HALF) - 10) + HALF + b"\r\n0\r\n\r\n",
    "bad size after two chunks": HEAD + b"100\r\n" + HALF[:256] + b"\r\n%x\r\n" % (len(HALF) - 256) + HALF[256:]
    + b"\r\n-5\r\n",
}


def _serve(data: bytes):
    def route(c, target):
        c.send(data)
        return False
    return route


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_page_whose_chunked_framing_breaks_mid_body_keeps_what_came(case):
    routes = {"/robots.txt": lambda c, t: c.send(response("404 Not Found", b"")), "/news/1.html": _serve(BROKEN[case])}
    with RawServer(routes) as srv:
        [result] = fetch_all([FetchRequest(srv.base + "/news/1.html")], FAST)
    assert kept_cut(result.outcome, result.error), (result.outcome, result.error)
    assert len(result.body) >= len(HALF) - 10 and result.body[:500] == HALF[:500], result.body[:200]
    assert result.attempts == 2


def test_a_page_whose_chunked_framing_breaks_before_its_markup_is_asked_again_later():
    # too little came to be a page: a transient failure, not a permanent one
    data = HEAD + b"20\r\n" + PAGE[:32] + b"\r\nzz\r\n"
    routes = {"/robots.txt": lambda c, t: c.send(response("404 Not Found", b"")), "/news/1.html": _serve(data)}
    with RawServer(routes) as srv:
        [result] = fetch_all([FetchRequest(srv.base + "/news/1.html")], FAST)
    assert result.outcome != "malformed_response" and is_transient(result.outcome, result.status, result.error), result
