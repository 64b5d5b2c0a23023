"""A feed whose body is cut short, served by a real server (tests/rawserver.py): a Content-Length
overstated and the connection closed early, a chunked stream broken mid-body, a gzip stream cut, or
a document cut with its framing intact (a proxy, a file read mid-deploy). Its complete items are
read (retried first, as a cut page is); the half item after them is not (its title and link cut
wherever the bytes stopped); a cut before any item keeps none and says FEED_CUT_SHORT. The cut
copy's ETag, Last-Modified and body hash are not stored: the next run asks for the whole feed.
Before, a feed cut in transfer was a connection_error with every item lost, and one cut with its
framing intact kept a half item and stored its validators (the next run's 304 never read the rest).
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from tasks.health import FEED_CUT_SHORT
from tasks.http import FetchRequest, HttpSettings, fetch_all, kept_cut
from tasks.models import FeedSpec
from tasks.poll import fetch_feeds, parse_fetched
from tasks.rows import run_tables
from tasks.select import Selection
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=1, backoff_base_s=0.01, backoff_max_s=0.05, allow_private_networks=True)
TITLES = ["وزير الخارجية يبحث مع نظيره الأردني تطورات الأوضاع في غزة",
          "البنك المركزي يثبت أسعار الفائدة للمرة الثالثة على التوالي",
          "انطلاق فعاليات معرض الكتاب الدولي بمشاركة 40 دولة",
          "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية"]


def _rss(charset: str = "utf-8", prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="http://purl.org/rss/1.0/"' if prefix else ""
    items = "".join(f"<{p}item><{p}title>{t}</{p}title><{p}link>https://site.example/news/{i + 1}.html</{p}link>"
                    f"<guid>g{i + 1}</guid><description>موجز الخبر {i + 1}</description></{p}item>\n"
                    for i, t in enumerate(TITLES))
    return (f'<?xml version="1.0" encoding="{charset}"?>\n<rss version="2.0"{ns}><channel><title>صحيفة الاختبار</title>'
            f"<link>https://site.example/</link><description>آخر الأخبار</description>\n{items}</channel></rss>\n"
            ).encode(charset)


def _atom() -> bytes:
    entries = "".join(f'<entry><title>{t}</title><link href="https://site.example/news/{i + 1}.html"/>'
                      f"<id>urn:g{i + 1}</id><updated>2026-12-07T10:0{i}:00Z</updated></entry>\n"
                      for i, t in enumerate(TITLES))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة الاختبار'
            f"</title><id>urn:feed</id><updated>2026-12-07T10:00:00Z</updated>\n{entries}</feed>\n").encode()


def _half_of_fourth(body: bytes) -> bytes:
    """The body cut inside its fourth item's title (three items whole before it)."""
    at = body.find(TITLES[3].split()[0].encode("utf-8")) if b"encoding=\"utf-8\"" in body[:60] else \
        body.find(TITLES[3].split()[0].encode("windows-1256"))
    return body[: at + 7]


SPEC = FeedSpec(source_id="s", source_name="s", country="EG", url="http://placeholder/feed")
CTYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def _overstated(body: bytes, cut: bytes, headers: dict[str, str] = CTYPE):
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return lambda c, t: c.send(f"HTTP/1.1 200 OK\r\n{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                               .encode() + cut)


def _chunk_break(cut: bytes):
    return lambda c, t: c.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
                               + b"%x\r\n" % len(cut) + cut + b"\r\nzz\r\n")


def _gzip_cut(body: bytes):
    packed = gzip.compress(body)
    part = packed[: len(packed) * 3 // 4]
    return lambda c, t: c.send(response("200 OK", part, {**CTYPE, "Content-Encoding": "gzip", "Connection": "close"}))


def _run(route, spec: FeedSpec = SPEC, states: dict | None = None):
    """One run's feed stage against the route: its FeedOutcome, the feed row it stages, the server."""
    with RawServer({"/robots.txt": lambda c, t: c.send(response("404 Not Found")), "/feed": route}) as srv:
        spec = FeedSpec(source_id=spec.source_id, source_name=spec.source_name, country=spec.country,
                        url=srv.base + "/feed")
        states = {spec.feed_id: dict(states or {})}
        results = fetch_feeds([spec], states, FAST)
        [fo] = parse_fetched([spec], results, states)
        tables = run_tables("r1", datetime(2026, 12, 7, 12, tzinfo=UTC), [spec], states, [fo], Selection(), {}, 5.0)
        return fo, tables["feeds"][0], srv


def _titles(fo) -> list[str]:
    return [e.title for e in fo.parsed.entries]


@pytest.mark.parametrize("case", ["rss overstated length", "atom overstated length", "rss chunked break",
                                  "rss gzip cut", "prefixed items, overstated length"])
def test_a_feed_cut_in_transfer_keeps_exactly_its_complete_items(case):
    body = _atom() if case.startswith("atom") else _rss(prefix="rss") if case.startswith("prefixed") else _rss()
    cut = _half_of_fourth(body)
    route = (_chunk_break(cut) if "chunked" in case else _gzip_cut(_rss()) if "gzip" in case
             else _overstated(body, cut))
    fo, row, srv = _run(route)
    assert kept_cut(fo.fetch.outcome, fo.fetch.error), (fo.fetch.outcome, fo.fetch.error)
    assert srv.paths().count("/feed") == 2  # asked again within the run, as a cut page is
    if "gzip" in case:  # cut wherever the stream stopped: whole items only, each whole
        assert 1 <= len(fo.parsed.entries) < 4 and _titles(fo) == TITLES[: len(fo.parsed.entries)], _titles(fo)
    else:
        assert _titles(fo) == TITLES[:3], (_titles(fo), fo.error)
        assert [e.url.rsplit("/", 1)[1] for e in fo.parsed.entries] == ["1.html", "2.html", "3.html"]
    assert fo.outcome == "ok" and fo.error.startswith(FEED_CUT_SHORT), fo.error  # what, where, why
    assert "bytes" in fo.error and "complete item" in fo.error, fo.error


def test_a_windows_1256_feed_cut_mid_item_keeps_its_whole_items_in_arabic():
    body = _rss("windows-1256")
    cut = _half_of_fourth(body)
    fo, _, _ = _run(_overstated(body, cut, {"Content-Type": "application/rss+xml; charset=windows-1256"}))
    assert _titles(fo) == TITLES[:3], (_titles(fo), fo.error)
    assert "\ufffd" not in "".join(_titles(fo)) + (fo.error or "")


def test_a_feed_cut_in_its_channel_head_keeps_nothing_and_says_it_was_cut():
    body = _rss()
    cut = body[: body.find("آخر".encode()) + 4]
    fo, row, _ = _run(_overstated(body, cut), states={"etag": '"v1"', "body_hash": "h1"})
    assert fo.entries == 0 and fo.outcome in ("parse_error", "not_a_feed"), (fo.outcome, fo.error)
    assert fo.error.startswith(FEED_CUT_SHORT), fo.error
    assert row["etag"] == '"v1"' and row["body_hash"] == "h1"


def test_a_feed_cut_before_its_first_complete_item_reads_no_half_item():
    body = _rss()
    cut = body[: body.find(TITLES[0].split()[1].encode())]
    fo, _, _ = _run(_overstated(body, cut))
    assert fo.entries == 0 and fo.error.startswith(FEED_CUT_SHORT), (fo.outcome, fo.error, fo.parsed and _titles(fo))


@pytest.mark.parametrize("framing", ["overstated length", "whole framing, cut document"])
def test_a_cut_feed_keeps_the_last_whole_copys_validators_and_the_next_run_reads_it_whole(framing):
    body = _rss()
    cut = _half_of_fourth(body)
    headers = {**CTYPE, "ETag": '"v2-cut"', "Last-Modified": "Mon, 07 Dec 2026 10:00:00 GMT"}
    route = (_overstated(body, cut, headers) if framing == "overstated length"
             else lambda c, t: c.send(response("200 OK", cut, {**headers, "Connection": "close"})))
    before = {"etag": '"v1"', "last_modified": "Sun, 06 Dec 2026 10:00:00 GMT", "body_hash": "h1"}
    fo, row, _ = _run(route, states=before)
    assert _titles(fo) == TITLES[:3], (_titles(fo), fo.error)
    assert {k: row[k] for k in before} == before

    def conditional(c, t):  # the server answers 304 to the cut copy's validators
        if b'"v2-cut"' in c.server.heads[-1] or b"07 Dec 2026" in c.server.heads[-1]:
            c.send(response("304 Not Modified", b"", {"ETag": '"v2-cut"', "Connection": "close"}))
        else:
            c.send(response("200 OK", body, {**CTYPE, "ETag": '"v3"', "Connection": "close"}))
    fo2, row2, srv = _run(conditional, states=row)
    assert b'If-None-Match: "v1"' in srv.heads[-1], srv.heads[-1]
    assert fo2.outcome == "ok" and _titles(fo2) == TITLES and not fo2.error, (fo2.outcome, fo2.error)
    assert row2["etag"] == '"v3"' and row2["body_hash"] == fo2.body_hash


def test_a_whole_feed_with_bytes_after_its_end_is_not_cut():
    body = _rss() + b"<!-- served in 0.12 s -->\n<div>notice</div>"
    fo, row, _ = _run(lambda c, t: c.send(response("200 OK", body, {**CTYPE, "ETag": '"v2"', "Connection": "close"})))
    assert _titles(fo) == TITLES and not (fo.error or "").startswith(FEED_CUT_SHORT), fo.error
    assert row["etag"] == '"v2"'


def test_a_cut_feed_asked_once_more_keeps_the_whole_copy_when_it_comes():
    body = _rss()
    served = []

    def route(c, t):
        served.append(t)
        c.send(response("200 OK", body, {**CTYPE, "Connection": "close"}) if len(served) > 1
               else _overstated_bytes(body, _half_of_fourth(body)))
    with RawServer({"/robots.txt": lambda c, t: c.send(response("404 Not Found")), "/feed": route}) as srv:
        [r] = fetch_all([FetchRequest(srv.base + "/feed", kind="feed")], FAST)
    assert r.outcome == "ok" and r.error is None and r.body == body


def _overstated_bytes(body: bytes, cut: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % len(body) + cut)


@pytest.mark.parametrize("where", ["rss: in its description", "rss: in its guid", "atom: in its id",
                                   "rss, overstated length: in its description"])
def test_a_half_item_whose_link_came_is_not_read(where):
    # the half item has its title and link: read, it was an item with a cut summary, no guid
    body = _atom() if where.startswith("atom") else _rss()
    marker = {"description": "<description>موجز الخبر 4", "guid": "<guid>g4", "id": "<id>urn:g4"}[where.rsplit(" ", 1)[1]]
    cut = body[: body.find(marker.encode()) + len(marker.encode()) - 1]
    route = (_overstated(body, cut) if "overstated" in where
             else lambda c, t: c.send(response("200 OK", cut, {**CTYPE, "Connection": "close"})))
    fo, _, _ = _run(route)
    assert _titles(fo) == TITLES[:3], (_titles(fo), fo.error)
    assert fo.error.startswith(FEED_CUT_SHORT) and "a half item" in fo.error, fo.error
