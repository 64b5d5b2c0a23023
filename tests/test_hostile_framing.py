"""tasks.http against raw-socket servers (tests/rawserver.py) writing what no server library
would, siblings of tests/test_hostile_siblings.py.

Changed behaviour (each test failed before): a framing error written on every request (no
status code, a bad chunk size, conflicting lengths) is malformed_response, permanent; framings
browsers read are read ('HTTP/2 200', two spaces in the status line, 'Transfer-Encoding:
identity' or 'gzip, chunked', a Content-Length that is no number); a blank 200 page is a
transient failure, not an article; a robots.txt cut short of its announced length is read as
received, one never reached through its redirects as no rules; a server's key in host_waits
spells its host as the warehouse does, and a stored wait holds in either spelling.
Kept (passing before): redirects to other schemes, Locations with spaces or raw Arabic, a 301 to
itself, a 304 nobody asked for, a PDF or an image at an article URL, a 2 GB Content-Length, 100
Continue first, HTTP/1.0 ended by the close, a Retry-After as an HTTP date, a robots.txt that is
HTML or redirected to another host, a crawl-delay of an hour between a page's hops, a meta charset contradicting the
header."""

from __future__ import annotations

import gzip
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import formatdate

import pytest

from tasks.http import FetchRequest, HostBook, HttpSettings, fetch_all, host_key, is_transient
from tasks.models import FeedEntry
from tasks.pages import iter_pages
from tasks.urls import host_key as urls_host_key
from tests.hostile_server import article_html
from tests.rawserver import RawConn, RawServer, raw, response

pytestmark = pytest.mark.timeout(60)

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, max_feed_bytes=1_000_000,
                    max_page_bytes=1_000_000, max_retries=2, backoff_base_s=0.01, backoff_max_s=0.05,
                    per_host_min_interval_s=0.0, per_host_concurrency=1, allow_private_networks=True,
                    max_retry_after_s=5.0, stall_s=0.5)
PAGE = article_html("/p/x").encode()
HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _kept(data: bytes):
    def route(c: RawConn, target: str) -> bool:
        c.send(data)
        return True
    return route


def _page(c: RawConn, target: str) -> bool:
    c.send(response("200 OK", article_html(target).encode(), HTML))
    return True


def _overstated_robots(c: RawConn, target: str) -> bool:
    """robots.txt under a Content-Length 50 bytes too long, the connection kept open (the server
    waits for the next request, as nginx does for 75 s)."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(ROBOTS) + 50) + ROBOTS)
    c.server.stopping.wait(10)
    return False


def _overstated_robots_closed(c: RawConn, target: str) -> bool:
    """The same, the server closing the connection after it."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(ROBOTS) + 50) + ROBOTS)
    return False


ROUTES = {
    "/robots.txt": _kept(response("200 OK", ROBOTS, {"Content-Type": "text/plain"})),
    "/p/": _page,
    "/private/": _page,
    # framing errors a server writes into every answer of a URL
    "/bad-status": raw(b"HTTP/1.1 OK\r\nContent-Length: 3\r\n\r\nabc"),
    "/markup-status": raw(b"<html><body>Warning: session_start()</body></html>\r\n\r\n"),
    "/bad-chunk": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                      + PAGE + b"\r\n0\r\n\r\n"),
    "/conflicting-lengths": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                                b"Content-Length: %d\r\n\r\n" % (len(PAGE), len(PAGE) - 9) + PAGE),
    # a Content-Length that is no number: browsers read to the close
    "/negative-length": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: -1\r\n\r\n" + PAGE),
    "/text-length": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: unknown\r\n\r\n" + PAGE),
    # siblings that pass
    "/to-ftp": raw(response("302 Found", b"", {"Location": "ftp://example.com/x"})),
    "/to-javascript": raw(response("302 Found", b"", {"Location": "javascript:alert(1)"})),
    "/to-spaces": _kept(response("302 Found", b"", {"Location": "/p/a b"})),
    "/to-arabic": _kept(b"HTTP/1.1 302 Found\r\nLocation: /p/\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xb9\xd8\xa7\xd8\xac\xd9\x84\r\n"
                        b"Content-Length: 0\r\n\r\n"),
    "/to-self": _kept(response("301 Moved Permanently", b"", {"Location": "/to-self"})),
    "/unasked-304": _kept(b"HTTP/1.1 304 Not Modified\r\n\r\n"),
    "/pdf": raw(response("200 OK", b"%PDF-1.4\n...", {"Content-Type": "application/pdf"})),
    "/image": raw(response("200 OK", b"\x89PNG\r\n\x1a\n...", {"Content-Type": "image/png"})),
    "/two-gigabytes": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2147483648\r\n\r\n" + PAGE),
    "/continue-first": raw(b"HTTP/1.1 100 Continue\r\n\r\n" + response("200 OK", PAGE, HTML)),
    "/http10-close": raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE),
    "/version-2-0": raw(b"HTTP/2.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/version-2": raw(b"HTTP/2 200\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/two-spaces": raw(b"HTTP/1.1  200  OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/te-identity": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: identity\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/te-identity-close": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: identity\r\n\r\n" + PAGE),
    "/te-gzip-chunked": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                            + b"%x\r\n" % len(gzip.compress(PAGE)) + gzip.compress(PAGE) + b"\r\n0\r\n\r\n"),
    "/tabs": raw(b"HTTP/1.1\t200\tOK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/bom-first": raw(b"\xef\xbb\xbfHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
                      + PAGE),
    "/blank": _kept(response("200 OK", b"", HTML)),
    "/blank-untyped": _kept(response("200 OK", b"\r\n\n", {"X-Powered-By": "PHP/7.4.3"})),
}


@pytest.fixture(scope="module")
def server():
    with RawServer(dict(ROUTES)) as s:
        yield s


def _fetch(server: RawServer, path: str, settings: HttpSettings = FAST):
    before = len(server.paths())
    [r] = fetch_all([FetchRequest(server.base + path)], settings)
    return r, [p for p in server.paths()[before:] if p != "/robots.txt"]


@pytest.mark.parametrize("path", ["/bad-status", "/markup-status", "/bad-chunk", "/conflicting-lengths"])
def test_a_framing_error_written_every_time_is_a_permanent_failure(server, path):
    """An invalid status line (no status code; a PHP warning printed before the head), an invalid
    chunk size, two Content-Lengths that differ (browsers refuse all of these too): the same error on a second attempt, on a fresh
    connection, is the server's way of writing this URL. Recorded (outcome, the error) and not
    retried on later runs; two requests, not three. Before: connection_error, transient: three
    requests on each of three runs."""
    r, sent = _fetch(server, path)
    assert r.outcome == "malformed_response" and r.body == b"" and r.attempts == 2, r
    assert "malformed response, the same on 2 attempts" in r.error
    assert not is_transient(r.outcome, r.status, r.error)
    assert sent == [path, path]


@pytest.mark.parametrize("robots", [_overstated_robots, _overstated_robots_closed])
def test_a_robots_txt_whose_length_is_overstated_is_read(robots):
    """The whole robots.txt came; the server then waits for our next request on the connection
    (or closes it). Read as received (its rules hold). Before: 'robots.txt unreachable' (a
    timeout, or a connection error), so every page of the host failed so, on every run."""
    with RawServer({**ROUTES, "/robots.txt": robots}) as s:
        started = time.monotonic()
        results = fetch_all([FetchRequest(s.base + "/p/1"), FetchRequest(s.base + "/private/2")], FAST)
        assert [r.outcome for r in results] == ["ok", "robots_disallowed"], results
        assert results[1].error == "disallowed by robots.txt"
        assert s.paths() == ["/robots.txt", "/p/1"]
        assert time.monotonic() - started < 4


@pytest.mark.parametrize("path", ["/version-2-0", "/version-2", "/two-spaces", "/tabs", "/bom-first"])
def test_a_status_line_browsers_read_is_read(server, path):
    """'HTTP/2.0 200 OK' or 'HTTP/2 200' on an HTTP/1.1 connection (a proxy writing the version
    of its other side), two spaces after the version, tabs between the parts, a byte-order mark
    before it (Chrome skips up to 4 bytes): browsers read the page. Before, all but 'HTTP/2.0'
    (which h11 read already) were an 'illegal status line', the page lost (now it would be
    malformed_response, for good)."""
    r, sent = _fetch(server, path)
    assert r.outcome == "ok" and r.body == PAGE and sent == [path], r


@pytest.mark.parametrize("path", ["/negative-length", "/text-length"])
def test_a_content_length_that_is_no_number_is_no_length(server, path):
    """'Content-Length: -1' or 'unknown' (a script's own header): browsers read the body to the
    close. Before: 'bad Content-Length', the page lost."""
    r, sent = _fetch(server, path)
    assert r.outcome == "ok" and r.body == PAGE and sent == [path], r


@pytest.mark.parametrize("path", ["/te-identity", "/te-identity-close", "/te-gzip-chunked"])
def test_a_transfer_coding_other_than_chunked_is_read(server, path):
    """'Transfer-Encoding: identity' (RFC 2616's, still sent by old Java and embedded servers),
    with a length or ended by the close, and 'gzip, chunked': browsers read the page. Before: h11
    refused the response ('Only Transfer-Encoding: chunked is supported'), the page lost."""
    r, sent = _fetch(server, path)
    assert r.outcome == "ok" and r.body == PAGE and sent == [path], r


def test_a_redirect_to_a_scheme_we_do_not_fetch_is_refused_unsent(server):
    for path, scheme in (("/to-ftp", "ftp"), ("/to-javascript", "javascript")):
        r, sent = _fetch(server, path)
        assert (r.outcome, r.error) == ("blocked", f"scheme {scheme!r} not allowed") and sent == [path], r
        assert not is_transient(r.outcome, r.status, r.error)


def test_a_location_with_spaces_or_raw_arabic_goes_where_a_browser_goes(server):
    r, sent = _fetch(server, "/to-spaces")
    assert r.outcome == "ok" and sent == ["/to-spaces", "/p/a%20b"], (r, sent)
    r, sent = _fetch(server, "/to-arabic")
    target = "/p/%D8%AE%D8%A8%D8%B1%20%D8%B9%D8%A7%D8%AC%D9%84"
    assert r.outcome == "ok" and sent == ["/to-arabic", target] and r.final_url.endswith(target), (r, sent)


def test_a_301_to_the_same_url_is_a_loop_asked_once(server):
    r, sent = _fetch(server, "/to-self")
    assert r.outcome == "redirect_loop" and sent == ["/to-self"], (r, sent)


def test_a_304_to_a_request_without_validators_is_a_recorded_transient_failure(server):
    r, _ = _fetch(server, "/unasked-304")
    assert (r.outcome, r.status) == ("http_error", 304) and "no validators" in r.error
    assert is_transient(r.outcome, r.status, r.error)


@pytest.mark.parametrize("path", ["/pdf", "/image"])
def test_a_pdf_or_an_image_at_an_article_url_is_refused_as_not_a_page(server, path):
    r, sent = _fetch(server, path)
    assert r.outcome == "bad_content_type" and r.body == b"" and sent == [path], r


def test_a_two_gigabyte_content_length_is_refused_before_the_body(server):
    r, sent = _fetch(server, "/two-gigabytes")
    assert r.outcome == "too_large" and "2147483648" in r.error and sent == ["/two-gigabytes"], r


@pytest.mark.parametrize("path", ["/continue-first", "/http10-close"])
def test_a_100_continue_first_or_an_http10_body_ended_by_close_is_read(server, path):
    r, _ = _fetch(server, path)
    assert r.outcome == "ok" and r.body == PAGE, r


@pytest.mark.parametrize("path", ["/blank", "/blank-untyped"])
def test_a_blank_200_page_is_a_transient_failure_not_an_article(server, path):
    """An empty 200 (a PHP script that died before printing: display_errors off; an origin that
    answered its proxy nothing), with or without a Content-Type: what a browser shows is a white
    page. Recorded as a failure tried again on later runs. Before: 'ok', stored as an article
    with 'empty html' (or, untyped, refused as not an article), settled for good."""
    r, sent = _fetch(server, path)
    assert (r.outcome, r.status, r.body) == ("http_error", 200, b"") and "empty body" in r.error, r
    assert is_transient(r.outcome, r.status, r.error) and sent == [path]


def test_a_retry_after_given_as_an_http_date_is_waited_for():
    asked: list[float] = []

    def busy(c: RawConn, target: str) -> bool:
        asked.append(time.monotonic())
        if len(asked) == 1:
            c.send(response("503 Service Unavailable", b"busy", {"Retry-After": formatdate(time.time() + 2, usegmt=True)}))
        else:
            c.send(response("200 OK", PAGE, HTML))
        return True

    with RawServer({"/robots.txt": ROUTES["/robots.txt"], "/busy": busy}) as s:
        [r] = fetch_all([FetchRequest(s.base + "/busy")], FAST)
    assert r.outcome == "ok" and len(asked) == 2 and asked[1] - asked[0] >= 0.9, (r, asked)


def test_a_robots_txt_that_is_an_html_page_allows_all(server):
    """A CMS answering /robots.txt with its 200 HTML page (a catch-all route): no rules in it."""
    page = b"<!DOCTYPE html><html><body><h1>Page not found</h1><p>Disallow: /</p></body></html>"
    with RawServer({**ROUTES, "/robots.txt": _kept(response("200 OK", page, HTML))}) as s:
        [r] = fetch_all([FetchRequest(s.base + "/private/1")], FAST)
    assert r.outcome == "ok", r


def test_a_robots_txt_redirected_to_another_host_is_that_hosts_file():
    """RFC 9309 2.3.1.2: a robots.txt redirect is followed (up to five hops); the file found
    there holds for the host asked."""
    with RawServer({"/robots.txt": _kept(response("200 OK", b"User-agent: *\nDisallow: /\n"))}, "127.0.0.2") as other:
        with RawServer({**ROUTES, "/robots.txt": _kept(response("301 Moved", b"", {"Location": other.base + "/robots.txt"}))}) as s:
            book = HostBook()
            [r] = fetch_all([FetchRequest(s.base + "/p/1")], FAST, book)
            assert (r.outcome, r.error) == ("robots_disallowed", "disallowed by robots.txt"), r
            assert s.paths() == ["/robots.txt"] and other.paths() == ["/robots.txt"]


# --- one notion of a host ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://موقع.مصر/أخبار/1", "http://XN--4gbrim.xn--wgbh1c./a"])
def test_the_server_key_spells_its_host_as_the_warehouse_does(url):
    """host_waits rows name a server as tasks.urls names its host (IDNA A-labels), not in the
    Unicode spelling httpx gives an IDN host (before: 'موقع.مصر:80' there, 'xn--…' everywhere else)."""
    assert host_key(url) == f"{urls_host_key('موقع.مصر')}:80" == "xn--4gbrim.xn--wgbh1c:80"


@pytest.mark.parametrize("stored", ["موقع.مصر:80", "xn--4gbrim.xn--wgbh1c:80"])
@pytest.mark.parametrize("url", ["http://موقع.مصر/a", "http://xn--4gbrim.xn--wgbh1c/b"])
def test_a_hosts_wait_holds_in_either_spelling_of_its_stored_row(stored, url):
    """A Retry-After wait read back from host_waits holds whichever spelling wrote it (rows of
    earlier versions hold the Unicode one) and however the next URL writes the host. Unsent: no
    DNS lookup, no request."""
    until = datetime.now(UTC) + timedelta(hours=1)
    book = HostBook(waits={stored: (until, "the server answered HTTP 503 with Retry-After 3600s")})
    [r] = fetch_all([FetchRequest(url)], FAST, book)
    assert r.outcome == "host_skipped" and r.retry_at == until and not r.sent, r


def _robots_hop(c: RawConn, target: str) -> bool:
    """/robots.txt -> /hop/1/robots.txt -> /hop/2/robots.txt -> … (never a file)."""
    n = int(target.split("/")[2]) + 1 if target.startswith("/hop/") else 1
    c.send(response("302 Found", b"", {"Location": f"/hop/{n}/robots.txt"}))
    return True


@pytest.mark.parametrize("how", ["loop", "chain"])
def test_a_robots_txt_never_reached_through_its_redirects_is_read_as_no_rules(how):
    """robots.txt redirecting to itself (an http/https or login-cookie loop) or on and on: RFC
    9309 2.3.1.2 lets a crawler take it as unavailable, a 4xx, no rules (Google: a 404). Before:
    'disallow all', a permanent robots refusal of each page of the host (counted hard against its
    feeds), after six requests for robots.txt, on every run."""
    robots = _kept(response("301 Moved Permanently", b"", {"Location": "/robots.txt"})) if how == "loop" else _robots_hop
    with RawServer({**ROUTES, "/robots.txt": robots, "/hop/": _robots_hop}) as s:
        [r] = fetch_all([FetchRequest(s.base + "/p/1")], FAST)
        assert r.outcome == "ok", r
        asked = [p for p in s.paths() if p.endswith("/robots.txt")]
        assert len(asked) == (1 if how == "loop" else FAST.max_redirects + 1), asked


def test_a_crawl_delay_of_an_hour_spaces_the_pages_of_a_run_at_most_by_its_cap():
    """'Crawl-delay: 3600': a run does not wait an hour between two pages of a host, nor do
    the hops of one page (a redirect) wait longer than the run's cap (HttpSettings.max_crawl_delay_s)
    (the host's other pages are left for later runs: tests/test_hostile_polite.py)."""
    robots = _kept(response("200 OK", b"User-agent: *\nCrawl-delay: 3600\n", {"Content-Type": "text/plain"}))
    moved = _kept(response("301 Moved Permanently", b"", {"Location": "/p/moved"}))
    with RawServer({**ROUTES, "/robots.txt": robots, "/old/": moved}) as s:
        settings = replace(FAST, max_crawl_delay_s=0.4)
        [r] = fetch_all([FetchRequest(f"{s.base}/old/1")], settings)
        assert r.outcome == "ok" and r.final_url == s.base + "/p/moved"
        starts = sorted(t for p, t, _ in s.log if p != "/robots.txt")
        assert 0.39 <= starts[1] - starts[0] < 2, starts


def _charset_page(c: RawConn, target: str) -> bool:
    """/charset/<body>-<header>: the article in the body's encoding, its meta tag true to it, the
    Content-Type header naming the other one (a server's default charset)."""
    body_cs, header_cs = target.rsplit("/", 1)[1].split("-", 1)
    html = article_html(target, charset={"utf8": "utf-8", "cp1256": "windows-1256"}[body_cs])
    data = html.encode("utf-8" if body_cs == "utf8" else "cp1256")
    c.send(response("200 OK", data, {"Content-Type": f"text/html; charset={header_cs}"}))
    return True


@pytest.mark.parametrize("name", ["utf8-windows-1256", "utf8-iso-8859-1", "cp1256-utf-8", "cp1256-iso-8859-1"])
def test_a_meta_charset_contradicting_the_header_gives_the_arabic_text(name):
    """A server's default charset in the header (windows-1256, ISO-8859-1, UTF-8) over a page
    in the other encoding whose meta tag is true: the page reads as Arabic, not mojibake."""
    with RawServer({"/robots.txt": ROUTES["/robots.txt"], "/charset/": _charset_page}) as s:
        url = f"{s.base}/charset/{name}"
        [page] = list(iter_pages([FeedEntry(feed_url=s.base + "/feed", source_id="s", url=url, raw_link=url)],
                                 FAST, None, book=HostBook()))
    assert page.fetch.outcome == "ok" and "المفاوضات" in page.html, (page.encoding, page.html[:300])


def _crlf_after_body(c: RawConn, target: str) -> bool:
    """/crlf/<name>: the page, then a CRLF past its Content-Length (a framework ending what it
    writes with a line break), the connection kept open."""
    c.send(response("200 OK", article_html(target).encode(), HTML) + b"\r\n")
    return True


def test_an_empty_line_before_the_next_answer_of_a_connection_is_skipped():
    """A CRLF a server writes past a counted body is read, by the next request of the kept-alive
    connection, ahead of its status line: skipped, as browsers do. Before: 'no response line
    received', each later page of the connection asked a second time on a new connection."""
    with RawServer({"/robots.txt": ROUTES["/robots.txt"], "/crlf/": _crlf_after_body}) as s:
        results = fetch_all([FetchRequest(f"{s.base}/crlf/{i}") for i in range(3)], FAST)
        assert [r.outcome for r in results] == ["ok"] * 3 and all(r.attempts == 1 for r in results), results
        assert [p for p, _, _ in s.log] == ["/robots.txt", "/crlf/0", "/crlf/1", "/crlf/2"]
        assert len({n for _, _, n in s.log}) == 1  # one connection throughout
