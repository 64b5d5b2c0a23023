"""tasks.http against raw-socket servers (tests/rawserver.py) answering with what real servers
send: a page cut where a tag ended under right framing, response heads past 100 KB, codings
mislabelled, a 206 nobody asked for.

Changed behaviour (each test failed before): a real Arabic page cut between two tags, under a
Content-Length equal to what was sent or a chunked stream ended properly, was stored as whole; it
is now a cut page (asked again, kept with the 'page cut short' warning when every attempt is cut),
told by its shape (tasks.http._unfinished_document; bench/cut_shape.py measures it on the corpus).
A response head of 150 KB (Set-Cookie, Content-Security-Policy) was a malformed_response on every
run; heads are read up to Chrome's 256 KiB, a longer one fails naming why. A gzip body labelled br
and a brotli body labelled gzip were 'cannot decode body'; a gzip body of several members stopped at the
first. A 206 Partial Content to a request for
the whole page was stored as the page. Kept (passing before): the same pages whole, or whole with
their </body></html> left out; more than 100 headers, an obs-fold line, Latin-1 bytes in a
header, a Content-Length sent twice, a Content-Type with two charsets.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

from tasks.encoding import decode_html
from tasks.http import CUT_PAGE, FetchRequest, HttpSettings, fetch_all, is_transient
from tests.rawserver import RawConn, RawServer, raw, response

pytestmark = pytest.mark.timeout(60)

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, max_feed_bytes=2_000_000,
                    max_page_bytes=2_000_000, max_retries=2, backoff_base_s=0.01, backoff_max_s=0.05,
                    per_host_min_interval_s=0.0, per_host_concurrency=2, allow_private_networks=True,
                    stall_s=0.5, respect_robots=False)
REAL = Path(__file__).parent / "fixtures" / "realpages"
# real Arabic pages (tests/fixtures/realpages/PROVENANCE.md) whose story sits in <p> elements
PAGES = {name: gzip.open(REAL / f"{name}.html.gz").read()
         for name in ("assabah", "cnn_arabic", "skynewsarabia", "youm7", "almadenahnews", "bbc_arabic")}
HTML = {"Content-Type": "text/html; charset=utf-8"}
_DOCUMENT_END = re.compile(rb"</(?:body|html)\s*>", re.I)


def _cut_between_tags(page: bytes) -> bytes:
    """The page up to the end of its middle paragraph (past its first one when it has only one):
    what a proxy or a cache holding the part its origin sent before it died serves."""
    ends = [m.end() for m in re.finditer(rb"</p>", page)]
    return page[: ends[len(ends) // 2]]


def _serve(body: bytes, chunked: bool = False, status: str = "200 OK", headers: dict | None = None) -> bytes:
    headers = {**HTML, **(headers or {})}
    if not chunked:
        return response(status, body, headers)
    head = response(status, b"", {**headers, "Transfer-Encoding": "chunked"}, length=False)
    return head + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"  # ended properly: the last chunk came


def _route(path: str) -> bytes:
    """/cut/<page>/<length|chunked>, /whole/<page>, /open/<page> (whole, </body></html> left out)."""
    _, kind, name, *rest = path.split("/")
    page = PAGES[name]
    if kind == "cut":
        return _serve(_cut_between_tags(page), chunked=rest == ["chunked"])
    if kind == "open":
        return _serve(_DOCUMENT_END.sub(b"", page))
    return _serve(page)


def _pages(c: RawConn, target: str) -> bool:
    c.send(_route(target.split("?")[0]))
    return True


@pytest.fixture(scope="module")
def server():
    with RawServer({"/cut/": _pages, "/whole/": _pages, "/open/": _pages}) as s:
        yield s


@pytest.mark.parametrize("framing", ["length", "chunked"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_real_page_cut_between_two_tags_under_whole_framing_is_a_cut_page(server, name, framing):
    """Before: 'ok', no warning, the story's second half lost without a word on every run."""
    [r] = fetch_all([FetchRequest(f"{server.base}/cut/{name}/{framing}")], FAST)
    assert r.outcome == "ok" and r.error.startswith(CUT_PAGE) and "kept as it came" in r.error, r
    assert "ends before its end" in r.error and r.attempts == FAST.max_retries + 1
    assert r.body == _cut_between_tags(PAGES[name])  # what came is kept, nothing of it lost


@pytest.mark.parametrize("kind", ["whole", "open"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_same_pages_whole_or_leaving_out_their_closing_tags_are_whole(server, name, kind):
    """HTML lets a page leave out </body></html>: such a page, whole, is no cut page (no false alarm)."""
    [r] = fetch_all([FetchRequest(f"{server.base}/{kind}/{name}")], FAST)
    assert r.outcome == "ok" and r.error is None and r.attempts == 1, r


# --- response heads --------------------------------------------------------------------------------------

PAGE = PAGES["cnn_arabic"]


def _with_head(lines: bytes, body: bytes = PAGE) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + lines
            + b"Content-Length: %d\r\n\r\n" % len(body) + body)


_COOKIES = b"".join(b"Set-Cookie: consent_%d=%s; Path=/; Max-Age=31536000; SameSite=Lax\r\n" % (i, b"x" * 1000)
                    for i in range(150))
_CSP = b"Content-Security-Policy: default-src 'self'; script-src " + b" ".join(
    b"https://ads-%d.example-cdn.com" % i for i in range(5500)) + b"\r\n"
HEADS = {
    "150-cookies": _with_head(_COOKIES),  # 150 headers, 156 KB
    "csp-150k": _with_head(_CSP),  # one line of 150 KB
    "many-headers": _with_head(b"".join(b"X-Trace-%d: %d\r\n" % (i, i) for i in range(300))),
    "obs-fold": _with_head(b"X-Policy: first part\r\n\tsecond part\r\n"),
    "latin-1": _with_head(b"X-Powered-By: Caf\xe9 CMS\r\nX-Author: \xd8\xa7\xd9\x84\xd9\x83\xd8\xa7\xd8\xaa\xd8\xa8\r\n"),
    "length-twice": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nContent-Length: %d\r\n\r\n"
                     % (len(PAGE), len(PAGE)) + PAGE),
}


@pytest.mark.parametrize("name", sorted(HEADS))
def test_heads_a_browser_reads_are_read(name):
    """Before: '150-cookies' and 'csp-150k' were malformed_response (httpcore's 100 KiB), on every run."""
    with RawServer({"/p": raw(HEADS[name], keep=True)}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok" and r.error is None and r.body == PAGE, r


def test_a_head_past_what_a_browser_reads_fails_naming_why():
    # h11 measures an incomplete head after each read (httpcore reads up to 64 KiB at a time): a head
    # of 300 KB could complete within the read that crosses 256 KiB and pass (failed once in a full
    # run); 1 MB is still incomplete at some read past the limit, whatever the read sizes.
    with RawServer({"/p": raw(_with_head(b"X-Debug: " + b"a" * 1_000_000 + b"\r\n"))}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "malformed_response" and "response head larger than 256 KiB" in r.error, r
    assert not is_transient(r.outcome, r.status, r.error)


def test_a_content_type_with_two_charsets_reads_the_first():
    """WHATWG: the first charset parameter wins ('charset=windows-1256; charset=utf-8' from a CMS and its server)."""
    body = "<html><body><p>استئناف المفاوضات بين الطرفين الأسبوع المقبل</p></body></html>".encode("cp1256")
    with RawServer({"/p": raw(response("200 OK", body, {"Content-Type": "text/html; charset=windows-1256; "
                                                                         "charset=utf-8"}))}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok"
    assert "استئناف المفاوضات" in decode_html(r.body, r.headers.get("content-type")).text


# --- bodies ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "packed"), [("br", gzip.compress(PAGE)), ("gzip", brotli.compress(PAGE)),
                                               ("deflate", brotli.compress(PAGE))])
def test_a_body_in_another_coding_than_its_label_is_read(label, packed):
    """A CDN relabelling an origin's gzip copy 'br', or the reverse. Before: 'cannot decode body', for good."""
    with RawServer({"/p": raw(response("200 OK", packed, {**HTML, "Content-Encoding": label}))}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok" and r.error is None and r.body == PAGE, r


@pytest.mark.parametrize("members", [2, 5])
def test_a_gzip_body_of_several_members_is_read_whole(members):
    """RFC 1952 allows several members (an output buffer compressing each flush on its own). Before: the
    page stopped at the first member's end and was stored as whole (now it would at least be a cut page)."""
    step = len(PAGE) // members + 1
    packed = b"".join(gzip.compress(PAGE[i:i + step]) for i in range(0, len(PAGE), step))
    with RawServer({"/p": raw(response("200 OK", packed, {**HTML, "Content-Encoding": "gzip"}))}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok" and r.error is None and r.body == PAGE, r


def test_a_body_neither_its_coding_nor_brotli_still_fails():
    with RawServer({"/p": raw(response("200 OK", b"\x00\x01garbage" * 50, {**HTML, "Content-Encoding": "gzip"}))}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "error" and "cannot decode body" in r.error


def test_a_206_with_part_of_the_page_to_a_request_for_all_of_it_is_a_cut_page():
    """Before: 'ok', the first 12,000 bytes stored as the whole article."""
    part = PAGE[:12_000]
    answer = _serve(part, status="206 Partial Content", headers={"Content-Range": f"bytes 0-11999/{len(PAGE)}"})
    with RawServer({"/p": raw(answer, keep=True)}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok" and r.error.startswith(CUT_PAGE) and "206 Partial Content" in r.error, r
    assert r.body == part


def test_a_206_holding_the_whole_page_is_the_page():
    answer = _serve(PAGE, status="206 Partial Content", headers={"Content-Range": f"bytes 0-{len(PAGE) - 1}/{len(PAGE)}"})
    with RawServer({"/p": raw(answer, keep=True)}) as s:
        [r] = fetch_all([FetchRequest(f"{s.base}/p")], FAST)
    assert r.outcome == "ok" and r.error is None and r.body == PAGE, r
