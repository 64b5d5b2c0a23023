"""tasks.http against servers that misbehave the way real ones do, siblings of the cases in
tests/test_http.py: each case is a real server on loopback (127.0.0.1, and 127.0.0.2 where a
second host is needed), never a mock.

Covered here: a host name written with a trailing dot (and in other case, with its default
port, in Unicode); a 429/503 that must hold for the host's other URLs, and a storm of them; a
whole page whose framing promises more on a kept-alive connection; 'Transfer-Encoding: chunked'
twice, gzip and zlib data under each other's name; a kept-alive connection the server drops
between requests, or poisons with bytes past an understated Content-Length; redirects to a
robots-disallowed path of another host, loops across two hosts, a 3xx without Location; heads
browsers refuse too (conflicting Content-Length, a head that never ends, a bad chunk size) and
heads with thousands of lines; the follow-up of cookie-check refresh pages, which is the run's
(robots.txt read once, the interval kept)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from dataclasses import replace
from urllib.parse import quote, urlsplit

import pytest

from tasks.http import FetchRequest, HostBook, HttpSettings, fetch_all, host_key, is_transient
from tasks.models import FeedEntry
from tasks.pages import iter_pages
from tests.hostile_server import RequestLog, _Handler, article_html
from tests.webserver import WebServer

pytestmark = pytest.mark.timeout(60)

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, max_feed_bytes=1_000_000,
                    max_page_bytes=1_000_000, max_retries=2, backoff_base_s=0.01, backoff_max_s=0.05,
                    per_host_min_interval_s=0.0, per_host_concurrency=1, allow_private_networks=True,
                    max_retry_after_s=5.0, stall_s=0.5)


def _article(h: _Handler) -> None:
    h.send(200, article_html(h.path))


def _robots(h: _Handler) -> None:
    h.send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")


def _busy(h: _Handler) -> None:
    """/busy/<name>?s=N: 429 with Retry-After N (no header without ?s) to its first request, then
    the article; /busy/<name>?always=503: that status to every request."""
    if status := h.query.get("always"):
        h.send(int(status), "busy", "text/plain")
        return
    key = urlsplit(h.path).path
    with h.server.state_lock:
        first = key not in h.server.seen
        h.server.seen.add(key)
    if first:
        h.send(429, "slow down", "text/plain", {"Retry-After": h.query["s"]} if "s" in h.query else {})
    else:
        _article(h)


def _overstated_kept_alive(h: _Handler) -> None:
    """A whole page under a Content-Length 100 bytes too long (or, ?chunked, a chunked body
    without its last chunk), the connection kept open: the server waits for the next request."""
    data = article_html(h.path).encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    if h.query.get("chunked"):
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    else:
        h.send_header("Content-Length", str(len(data) + 100))
        h.end_headers()
        h.wfile.write(data if not h.query.get("cut") else data[: len(data) // 2])
    h.wfile.flush()
    h.wait_stop(30)
    h.close_connection = True


def _drops_kept_alive(h: _Handler) -> None:
    """Answers the first request of a connection; closes the connection on the next one without
    a word (a keep-alive timeout that fired as the request arrived)."""
    served = getattr(h, "served", 0)
    h.served = served + 1
    if served:
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_RDWR)
        return
    _article(h)


def _refresh_check(h: _Handler) -> None:
    """/refresh-check/<name>: a cookie check (nginx testcookie): 200, a cookie and a refresh tag
    back to the page; with the cookie, the article."""
    if "tc=ok" in (h.headers.get("Cookie") or ""):
        _article(h)
    else:
        h.send(200, f'<html><head><meta http-equiv="refresh" content="0; url={urlsplit(h.path).path}"></head>'
                    "<body></body></html>", "text/html", {"Set-Cookie": "tc=ok; path=/"})


def _raw(data: bytes):
    def route(h: _Handler) -> None:
        h.wfile.write(data)
        h.wfile.flush()
        h.close_connection = True
    return route


def _endless_head(h: _Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    for i in range(1_000_000):
        if h.server.stopping.is_set():
            return
        h.wfile.write(b"X-Filler-%d: %s\r\n" % (i, b"y" * 40))
    h.close_connection = True


PAGE = article_html("/raw/page").encode()
ROUTES = {
    "/robots.txt": _robots,
    "/raw/conflicting-lengths": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                                     b"Content-Length: %d\r\n\r\n" % (len(PAGE), len(PAGE) + 7) + PAGE),
    "/raw/same-length-twice": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                                   b"Content-Length: %d\r\n\r\n" % (len(PAGE), len(PAGE)) + PAGE),
    "/raw/bad-chunk-size": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                                b"zz\r\n" + PAGE + b"\r\n0\r\n\r\n"),
    "/raw/chunk-size-spaces": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   b"%x  \r\n" % len(PAGE) + PAGE + b"\r\n0\r\n\r\n"),
    "/raw/many-headers": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                              + b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
                              + b"".join(b"Set-Cookie: c%d=1; Path=/\r\n" % i for i in range(2000))
                              + b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE),
    "/raw/chunked-twice": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                               b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(PAGE) + PAGE + b"\r\n0\r\n\r\n"),
    "/raw/deflate-is-gzip": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(gzip.compress(PAGE)) + gzip.compress(PAGE)),
    "/raw/gzip-is-zlib": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                              b"Content-Length: %d\r\n\r\n" % len(zlib.compress(PAGE)) + zlib.compress(PAGE)),
    "/raw/no-location": _raw(b"HTTP/1.1 302 Found\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"),
    "/raw/endless-head": _endless_head,
}
PREFIX_ROUTES = {"/refresh-check/": _refresh_check, "/busy/": _busy, "/overstated/": _overstated_kept_alive, "/drops/": _drops_kept_alive,
                 "/page/": _article, "/private/": _article,
                 "/to/": lambda h: h.send(302, "", None, {"Location": h.query["u"]}),
                 "/bounce/": lambda h: h.send(302, "", None, {"Location": h.server.peer + h.path})}


class _Server(WebServer):
    def __init__(self, addr: str) -> None:
        super().__init__((addr, 0), _Handler)
        self.routes = ROUTES
        self.prefix_routes = PREFIX_ROUTES
        self.log = RequestLog()
        self.stopping = threading.Event()
        self.state_lock = threading.Lock()
        self.seen: set = set()
        self.peer = ""


@pytest.fixture(scope="module")
def hosts():
    """Two hosts: 127.0.0.1 and 127.0.0.2 (one server each)."""
    servers = [_Server(addr) for addr in ("127.0.0.1", "127.0.0.2")]
    for s, peer in zip(servers, servers[::-1], strict=True):
        s.peer = "http://{}:{}".format(*peer.server_address[:2])
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True) for s in servers]
    for t in threads:
        t.start()
    yield [(f"http://{s.server_address[0]}:{s.server_address[1]}", s) for s in servers]
    for s in servers:
        s.stopping.set()
        s.shutdown()
        s.server_close()


def _times(server: _Server, prefix: str) -> list[float]:
    return server.log.times(prefix)


# --- one server, one host name ----------------------------------------------------------------


def test_a_host_name_with_a_trailing_dot_is_the_same_server(hosts):
    """'localhost.' (an absolute DNS name, as catalog URLs and Locations sometimes write it) is
    the server of 'localhost': one robots.txt, one politeness gate, and it is reached (this
    machine's resolver knows no 'localhost.'). Before: a gate and a robots.txt of its own, and
    here a DNS failure."""
    base, server = hosts[0]
    port = base.rsplit(":", 1)[1]
    before = server.log.paths().count("/robots.txt")
    settings = replace(FAST, per_host_min_interval_s=1.0)
    results = fetch_all([FetchRequest(f"http://localhost:{port}/page/dot-a"),
                         FetchRequest(f"http://localhost.:{port}/page/dot-b"),
                         FetchRequest(f"http://LOCALHOST..:{port}/page/dot-c")], settings)
    assert [r.outcome for r in results] == ["ok", "ok", "ok"], results
    assert results[1].final_url == f"http://localhost:{port}/page/dot-b"
    assert server.log.paths().count("/robots.txt") == before + 1
    starts = sorted(_times(server, "/page/dot-"))
    assert len(starts) == 3 and min(b - a for a, b in zip(starts, starts[1:], strict=False)) > 0.8


@pytest.mark.parametrize(("a", "b"), [
    ("http://example.com./a", "http://example.com/b"),
    ("http://EXAMPLE.com:80/a", "http://example.com/b"),
    ("https://News.Example.COM:443/a", "https://news.example.com/b"),
    ("http://مثال.example/a", "http://xn--mgbh0fb.example/b"),
])
def test_one_server_written_several_ways_is_one_host(a, b):
    assert host_key(a) == host_key(b)


# --- 429/503: the host's answer, not the URL's --------------------------------------------------


def test_a_retry_after_holds_for_the_hosts_other_urls_while_other_hosts_go_on(hosts):
    """A 429 with Retry-After: 2 to one URL: the same host's next URL waits those 2 s too,
    another host's URL does not wait. Before: the host's next URL was asked at once."""
    (base1, s1), (base2, s2) = hosts
    started = time.monotonic()
    results = fetch_all([FetchRequest(f"{base1}/busy/ra-a?s=2"), FetchRequest(f"{base1}/page/ra-b"),
                         FetchRequest(f"{base2}/page/ra-other")], FAST)
    assert [r.outcome for r in results] == ["ok", "ok", "ok"], results
    first_429 = _times(s1, "/busy/ra-a")[0]
    assert _times(s1, "/page/ra-b")[0] - first_429 >= 1.9  # the host asked for 2 s
    assert _times(s2, "/page/ra-other")[0] - started < 1.5  # another host is not held up


def test_a_429_without_retry_after_holds_the_host_for_the_backoff(hosts):
    (base1, s1), _ = hosts
    settings = replace(FAST, backoff_base_s=1.0, backoff_max_s=1.0)
    results = fetch_all([FetchRequest(f"{base1}/busy/nora-a"), FetchRequest(f"{base1}/page/nora-b")], settings)
    assert [r.outcome for r in results] == ["ok", "ok"], results
    assert _times(s1, "/page/nora-b")[0] - _times(s1, "/busy/nora-a")[0] >= 0.95


@pytest.mark.parametrize("status", [429, 503])
def test_a_storm_of_429_or_503_ends_with_the_host_skipped_for_the_run(hosts, status):
    """Every URL of a host answers 429 (or 503), no Retry-After: after six such answers in a row
    (two URLs' three attempts) the host is asked nothing more this run; a URL it answered keeps
    that answer (transient: a later run asks again), one never sent is host_skipped (a later run
    fetches it, no attempt counted); another host's URL is fetched meanwhile. Before: each of
    the 10 URLs asked 3 times (30 requests to an overloaded host)."""
    (base1, s1), (base2, _) = hosts
    name = f"storm{status}"
    reqs = [FetchRequest(f"{base1}/busy/{name}-{i}?always={status}") for i in range(10)]
    results = fetch_all([*reqs, FetchRequest(f"{base2}/page/{name}-other")], FAST)
    assert results[-1].outcome == "ok"
    assert len(_times(s1, f"/busy/{name}-")) == 6
    assert sum(r.attempts for r in results[:-1]) == 6
    for r in results[:-1]:
        assert "429/503" in r.error, r
        if r.attempts:
            assert (r.outcome, r.status) == ("http_error", status) and is_transient(r.outcome, r.status, r.error), r
        else:
            assert r.outcome == "host_skipped" and not r.sent, r


def test_one_busy_url_among_answering_ones_does_not_skip_the_host(hosts):
    (base1, _), _ = hosts
    reqs = [FetchRequest(f"{base1}/busy/lone-{i}?always=503" if i in (0, 2) else f"{base1}/page/lone-{i}")
            for i in range(4)]
    results = fetch_all(reqs, FAST)
    assert [r.outcome for r in results] == ["http_error", "ok", "http_error", "ok"], results


# --- bodies whose framing promises more than comes ----------------------------------------------


@pytest.mark.parametrize("query", ["", "?chunked=1"])
def test_a_whole_page_on_a_kept_alive_connection_that_promised_more_is_kept(hosts, query):
    """The whole page, then silence on an open connection (Content-Length 100 bytes too long, or
    a chunked body without its last chunk): kept after the stall window, as when the server
    closes. Before: a timeout, on every run (the page never stored)."""
    (base1, _), _ = hosts
    started = time.monotonic()
    [r] = fetch_all([FetchRequest(f"{base1}/overstated/kept{query.replace('?', '-').replace('=', '')}{query}")], FAST)
    assert r.outcome == "ok" and r.body.rstrip().endswith(b"</html>") and "المفاوضات".encode() in r.body, r
    assert time.monotonic() - started < 3


def test_half_a_page_on_a_kept_alive_connection_is_still_a_timeout(hosts):
    (base1, _), _ = hosts
    [r] = fetch_all([FetchRequest(f"{base1}/overstated/half?cut=1")], FAST)
    assert (r.outcome, r.body) == ("timeout", b"") and "stalled" in r.error
    assert is_transient(r.outcome, r.status, r.error)


# --- connections, redirects, heads --------------------------------------------------------------


def test_a_kept_alive_connection_dropped_by_the_server_is_asked_again_on_a_new_one(hosts):
    (base1, s1), _ = hosts
    results = fetch_all([FetchRequest(f"{base1}/drops/a"), FetchRequest(f"{base1}/drops/b")], FAST)
    assert [r.outcome for r in results] == ["ok", "ok"], results
    assert _times(s1, "/drops/b") and results[1].attempts == 2


def test_a_redirect_to_another_hosts_disallowed_path_is_refused_unsent(hosts):
    (base1, _), (base2, s2) = hosts
    target = f"{base2}/private/story.html"
    [r] = fetch_all([FetchRequest(f"{base1}/to/x?u={quote(target)}")], FAST)
    assert (r.outcome, r.final_url) == ("robots_disallowed", target), r
    assert not _times(s2, "/private/")


def test_a_redirect_loop_across_two_hosts_ends(hosts):
    (base1, s1), (base2, s2) = hosts
    [r] = fetch_all([FetchRequest(f"{base1}/bounce/x")], FAST)
    assert r.outcome == "redirect_loop" and "loop back" in r.error, r
    assert len(_times(s1, "/bounce/")) == 1 and len(_times(s2, "/bounce/")) == 1


def test_a_3xx_without_location_is_a_recorded_permanent_failure(hosts):
    (base1, _), _ = hosts
    [r] = fetch_all([FetchRequest(f"{base1}/raw/no-location")], FAST)
    assert (r.outcome, r.status, r.error) == ("http_error", 302, "redirect without Location"), r
    assert not is_transient(r.outcome, r.status, r.error)


@pytest.mark.parametrize("path", ["/raw/conflicting-lengths", "/raw/bad-chunk-size", "/raw/endless-head"])
def test_a_head_or_framing_browsers_refuse_is_a_recorded_failure_soon(hosts, path):
    (base1, _), _ = hosts
    started = time.monotonic()
    [r] = fetch_all([FetchRequest(base1 + path)], FAST)
    assert r.outcome == "malformed_response" and r.body == b"" and r.error, r
    assert not is_transient(r.outcome, r.status, r.error)  # written so every time: not asked again later
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("path", ["/raw/chunked-twice", "/raw/deflate-is-gzip", "/raw/gzip-is-zlib"])
def test_framing_and_codings_mixed_up_by_servers_are_read(hosts, path):
    """'Transfer-Encoding: chunked' twice (an application's and its server's), gzip data under
    'deflate' and zlib data under 'gzip'. Before: connection_error (retried on every run) or
    'cannot decode body' (the page lost)."""
    (base1, _), _ = hosts
    [r] = fetch_all([FetchRequest(base1 + path)], FAST)
    assert r.outcome == "ok" and r.body == PAGE, r


@pytest.mark.parametrize("path", ["/raw/same-length-twice", "/raw/chunk-size-spaces", "/raw/many-headers"])
def test_a_head_browsers_read_is_read(hosts, path):
    (base1, _), _ = hosts
    started = time.monotonic()
    [r] = fetch_all([FetchRequest(base1 + path)], FAST)
    assert r.outcome == "ok" and b"</html>" in r.body, r
    assert time.monotonic() - started < 4


# --- one run, several fetch calls -------------------------------------------------------------


def test_pages_behind_a_cookie_refresh_keep_the_runs_robots_and_interval(hosts):
    """Every page of a site behind a cookie check (a refresh stub, then the page with the
    cookie): the follow-up requests are the same run's, so robots.txt is read once and the
    host's interval holds between all requests. Before: robots.txt read again for every stub
    followed, and a follow-up sent regardless of the interval (its own fetch call)."""
    _, (base2, s2) = hosts
    before = s2.log.paths().count("/robots.txt")
    entries = [FeedEntry(feed_url=base2 + "/feed", source_id="s", url=f"{base2}/refresh-check/{i}",
                         raw_link=f"{base2}/refresh-check/{i}") for i in range(3)]
    settings = replace(FAST, per_host_min_interval_s=0.4, per_host_concurrency=2)
    pages = list(iter_pages(entries, settings, None, book=HostBook()))
    assert [p.fetch.outcome for p in pages] == ["ok"] * 3 and all("المفاوضات" in p.html for p in pages)
    assert s2.log.paths().count("/robots.txt") == before + 1
    starts = sorted(s2.log.times("/refresh-check/") + s2.log.times("/robots.txt")[before:])
    assert len(starts) == 5 and min(b - a for a, b in zip(starts, starts[1:], strict=False)) > 0.3


def _understated(h: _Handler) -> None:
    """/understated/<name>: a Content-Length 60 bytes short of the page (counted before a filter
    lengthened it), the connection kept open: the rest sits where the next answer should start."""
    data = article_html(h.path).encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(data) - 60))
    h.end_headers()
    h.wfile.write(data)


PREFIX_ROUTES["/understated/"] = _understated


def test_bytes_past_an_understated_length_do_not_fail_the_next_page_of_the_connection(hosts):
    """What follows an understated Content-Length is read as the next answer's head on that
    connection (a malformed response): the next page is asked again on a new connection."""
    (base1, _), _ = hosts
    results = fetch_all([FetchRequest(f"{base1}/understated/u1"), FetchRequest(f"{base1}/page/after-u1")], FAST)
    assert [r.outcome for r in results] == ["ok", "ok"], results
