"""WARC round trips for tasks.archive."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter as RawWriter

from tasks.archive import WarcWriter, iter_responses, read_record

ARABIC = "<html><body><p>خبر عاجل من بيروت</p></body></html>".encode("windows-1256")


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, "run42")
    when = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    headers = {"Content-Type": "text/html; charset=windows-1256", "ETag": '"abc"', "Content-Encoding": "gzip"}
    name1, off1 = writer.write_response("http://a.example/1", 200, headers, ARABIC, when)
    name2, off2 = writer.write_response(
        "http://a.example/2?NewsID=7", 404, {"Content-Type": "text/html"}, b"", when
    )
    assert name1 == name2 == "akhbar-run42-0.warc.gz"
    assert off1 == 0 and off2 > off1
    url, status, hdrs, body = read_record(tmp_path / name1, off1)
    assert (url, status, body) == ("http://a.example/1", 200, ARABIC)
    assert hdrs["Content-Type"] == "text/html; charset=windows-1256" and hdrs["ETag"] == '"abc"'
    assert "Content-Encoding" not in hdrs  # body is stored decoded
    assert read_record(tmp_path / name2, off2)[:2] == ("http://a.example/2?NewsID=7", 404)


def test_rotation_and_no_overwrite(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, "r", max_bytes=200)
    names = [writer.write_response(f"http://a.example/{i}", 200, {"Content-Type": "text/html"}, b"x" * 300)[0]
             for i in range(3)]  # fmt: skip
    assert names == ["akhbar-r-0.warc.gz", "akhbar-r-1.warc.gz", "akhbar-r-2.warc.gz"]
    again = WarcWriter(tmp_path, "r")  # a restarted run never appends to an older file
    assert again.write_response("http://a.example/x", 200, {}, b"y")[0] == "akhbar-r-3.warc.gz"


def test_iter_responses_skips_non_html_and_non_response(tmp_path: Path) -> None:
    path = tmp_path / "external.warc.gz"
    with open(path, "wb") as fh:
        raw = RawWriter(fh, gzip=True)
        raw.write_record(raw.create_warcinfo_record("external.warc.gz", {"software": "test"}))
        req = StatusAndHeaders("GET /1 HTTP/1.1", [("Host", "a.example")], is_http_request=True)
        raw.write_record(raw.create_warc_record("http://a.example/1", "request", http_headers=req))
        for url, ctype, body in [("http://a.example/1", "text/html; charset=utf-8", "<p>مرحبا</p>".encode()),
                                 ("http://a.example/logo.png", "image/png", b"\x89PNG"),
                                 ("http://a.example/2", "application/xhtml+xml", b"<p>two</p>")]:  # fmt: skip
            sah = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            raw.write_record(
                raw.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=sah)
            )
    got = list(iter_responses(path))
    assert [(u, s, b) for u, s, _, b, _ in got] == [("http://a.example/1", 200, "<p>مرحبا</p>".encode()),
                                                   ("http://a.example/2", 200, b"<p>two</p>")]  # fmt: skip
    for url, _, _, body, offset in got:  # offsets point at readable records
        assert read_record(path, offset)[0] == url and read_record(path, offset)[3] == body
    assert len(list(iter_responses(path, html_only=False))) == 3


def test_iter_over_own_archive(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, "own")
    written = [writer.write_response(f"http://a.example/{i}", 200, {"Content-Type": "text/html"}, f"<p>{i}</p>".encode())
               for i in range(5)]  # fmt: skip
    got = list(iter_responses(tmp_path / written[0][0]))
    assert [o for *_, o in got] == [off for _, off in written]


def _records(path: Path) -> list[tuple[list, list, bytes]]:
    """(WARC headers but the record id, HTTP headers, payload) of every record, as read back."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        return [([h for h in r.rec_headers.headers if h[0] != "WARC-Record-ID"], r.http_headers.headers,
                 r.content_stream().read()) for r in ArchiveIterator(fh)]  # fmt: skip


def test_records_read_back_as_warcio_writes_them(tmp_path: Path) -> None:
    """The cheaper writing (our gzip level, the length given so warcio hashes the body in place) gives
    the records warcio's own gzip writer gives: same WARC headers in the same order (digests and
    lengths included), same HTTP headers, same payload."""
    when = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    big = ("<html><body>" + "<p>قال مصدر مسؤول لوكالة الأنباء إن الاجتماع انتهى.</p>" * 4000 + "</body></html>").encode()
    pages = [("http://a.example/1", 200, {"Content-Type": "text/html; charset=windows-1256"}, ARABIC),
             ("http://a.example/2", 200, {"content-type": "text/html", "Content-Length": "9"}, big),  # > warcio's 16 KB reads
             ("http://a.example/3", 404, {}, b"")]  # fmt: skip
    ours = WarcWriter(tmp_path / "ours", "r")
    for url, status, headers, body in pages:
        ours.write_response(url, status, headers, body, when)
    ref = tmp_path / "ref.warc.gz"
    with open(ref, "wb") as fh:  # warcio's defaults: level 9, no length (a temporary copy)
        for url, status, headers, body in pages:
            raw = RawWriter(fh, gzip=True)
            http = [(k, v) for k, v in headers.items() if k.lower() != "content-length"]
            sah = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'Not Found'}",
                                   [*http, ("Content-Length", str(len(body)))], protocol="HTTP/1.1")  # fmt: skip
            raw.write_record(raw.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=sah,
                                                    warc_headers_dict={"WARC-Date": "2026-11-25T10:00:00Z"}))
    assert _records(tmp_path / "ours" / "akhbar-r-0.warc.gz") == _records(ref)


def test_record_bodies_are_hashed_in_place_and_compressed_at_our_level(tmp_path: Path, monkeypatch) -> None:
    """warcio copies a body of unknown length to a temporary file (twice) before writing it: we give
    the length, so no copy; each record is one gzip member compressed at GZIP_LEVEL (4: the header's
    XFL byte is 0, as for every level but 1 (4) and 9 (2, warcio's))."""
    import tempfile

    import tasks.archive as archive

    def no_copy(*a, **k):
        raise AssertionError("the body was copied to a temporary file")

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", no_copy)
    writer = WarcWriter(tmp_path, "r")
    name, _ = writer.write_response("http://a.example/1", 200, {"Content-Type": "text/html"}, ARABIC * 50)
    data = (tmp_path / name).read_bytes()
    assert archive.GZIP_LEVEL == 4 and data[:2] == b"\x1f\x8b" and data[8] == 0
    assert read_record(tmp_path / name, 0)[3] == ARABIC * 50


def test_records_equal_warcio_for_arabic_urls_odd_headers_and_an_empty_uri(tmp_path: Path) -> None:
    """The record head written by hand (tasks.archive._response_record) is warcio's: an Arabic
    path (UTF-8 in WARC-Target-URI), a header value beyond ASCII (percent-encoded as warcio does),
    cookies, a 301 with no body; each readable between writes (flushed
    while the file stays open) and after close()."""
    when = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    pages = [("http://a.example/أخبار/1?x=ب", 200, {"Content-Type": "text/html", "X-Title": "خبر"}, ARABIC),
             ("https://b.example/?p=1&q=2", 200, {"content-type": "text/html", "Set-Cookie": "a=1; Path=/"}, b"<p>x</p>"),
             ("http://a.example/old", 301, {"Location": "/new", "Transfer-Encoding": "chunked"}, b"")]
    ours = WarcWriter(tmp_path / "ours", "r")
    for url, status, headers, body in pages:
        name, offset = ours.write_response(url, status, headers, body, when)
        assert read_record(tmp_path / "ours" / name, offset)[3] == body  # readable before the next write
    ours.close()
    ref = tmp_path / "ref.warc.gz"
    with open(ref, "wb") as fh:
        for url, status, headers, body in pages:
            raw = RawWriter(fh, gzip=True)
            http = [(k, v) for k, v in headers.items() if k.lower() not in ("content-length", "transfer-encoding")]
            reason = {200: "OK", 301: "Moved Permanently"}[status]
            sah = StatusAndHeaders(f"{status} {reason}", [*http, ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
            raw.write_record(raw.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=sah,
                                                    warc_headers_dict={"WARC-Date": "2026-11-25T10:00:00Z"}))
    assert _records(tmp_path / "ours" / "akhbar-r-0.warc.gz") == _records(ref)
    again = WarcWriter(tmp_path / "ours", "r")  # closed: a new writer of the run starts a new file
    assert again.write_response("http://a.example/2", 200, {}, b"y")[0] == "akhbar-r-1.warc.gz"
