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
