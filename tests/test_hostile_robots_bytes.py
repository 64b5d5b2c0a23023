"""robots.txt files as Arabic sites' servers really send them, read end to end (tests/rawserver.py).

* Saved by a Windows editor in the Arabic code page (windows-1256, with or without a charset in
  the Content-Type, or ISO-8859-6 declared) or in UTF-16 (Notepad's "Unicode", with or without
  its byte-order mark). Before, every body was read as UTF-8 with U+FFFD for what was not: a
  rule naming an Arabic path ("Disallow: /أخبار/") matched nothing and UTF-16 lost every rule,
  so the paths the site forbids were fetched.
* Sent by an overloaded server a byte at a time: the stall rule ended the read and what had
  come ("User-agent: *" and no rule yet) was read as the whole file, so the host's pages were
  fetched as if it allowed all. A trickle is now robots.txt unreachable (RFC 9309: the host's
  pages wait for a later run); a whole file the server went quiet after is still read.
"""

from __future__ import annotations

import gzip
import time

import pytest

from tasks.http import FetchRequest, HttpSettings, fetch_all, is_transient
from tasks.robots import robots_text
from tests.hostile_server import article_html
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=5.0, total_timeout_s=8.0, per_host_min_interval_s=0.0,
                    max_retries=0, allow_private_networks=True, stall_s=2.0)
RULES = "User-agent: *\nDisallow: /أخبار/\nDisallow: /ملفات/\nDisallow: /تقارير-خاصة/\n"
PAGES = ["/أخبار/1.html", "/ملفات/2.html", "/تقارير-خاصة/3.html", "/sport/4.html"]
EXPECTED = ["robots_disallowed"] * 3 + ["ok"]


def _page(c, target):
    c.send(response("200 OK", article_html("/p").encode(), {"Content-Type": "text/html; charset=utf-8"}))
    return True


def _robots(body: bytes, ctype: str | None = "text/plain"):
    def route(c, target):
        c.send(response("200 OK", body, {"Content-Type": ctype} if ctype else {}))
        return True
    return route


SAVED = {
    "utf-8": _robots(RULES.encode()),
    "windows-1256 undeclared": _robots(RULES.encode("cp1256")),
    "windows-1256 no content-type": _robots(RULES.encode("cp1256"), None),
    "windows-1256 declared": _robots(RULES.encode("cp1256"), "text/plain; charset=windows-1256"),
    "iso-8859-6 declared": _robots(RULES.encode("iso8859-6"), "text/plain; charset=ISO-8859-6"),
    # a server's default label for .txt (Apache's AddDefaultCharset ISO-8859-1), not the file's
    "windows-1256 labelled iso-8859-1": _robots(RULES.encode("cp1256"), "text/plain; charset=ISO-8859-1"),
    "windows-1256 labelled us-ascii": _robots(RULES.encode("cp1256"), "text/plain; charset=us-ascii"),
    "utf-16 with bom": _robots(RULES.encode("utf-16")),
    "utf-16-le without bom": _robots(RULES.encode("utf-16-le")),
    "utf-8 with bom": _robots(b"\xef\xbb\xbf" + RULES.encode()),
}


def _fetch(robots) -> tuple[list, list[str]]:
    routes = {"/robots.txt": robots, "/": _page}
    with RawServer(routes) as srv:
        results = fetch_all([FetchRequest(srv.base + p) for p in PAGES], FAST)
        return results, srv.paths()


@pytest.mark.parametrize("saved", list(SAVED))
def test_a_robots_txt_saved_in_an_arabic_code_page_or_utf16_forbids_its_arabic_paths(saved):
    results, sent = _fetch(SAVED[saved])
    assert [r.outcome for r in results] == EXPECTED, [(r.outcome, r.error) for r in results]
    assert sent == ["/robots.txt", "/sport/4.html"]


def _trickle(c, target):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\nUser-agent: *\n")
    for _ in range(40):  # "#" every 0.2 s: under the stall rule's 1024 bytes per 2 s, never ending
        time.sleep(0.2)
        c.send(b"#")
    c.send(b"\nDisallow: /\n")
    return False


def _whole_then_quiet(c, target):
    body = RULES.encode()
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(body) + 100) + body)
    time.sleep(6)  # the length overstated; the server waits on the connection
    return False


def test_a_robots_txt_trickling_in_is_unreachable_not_an_empty_file():
    results, sent = _fetch(_trickle)
    assert sent == ["/robots.txt"], sent
    assert {r.outcome for r in results} == {"timeout"}, [(r.outcome, r.error) for r in results]
    assert all("robots.txt unreachable" in r.error for r in results)
    assert all(is_transient(r.outcome, r.status, r.error) for r in results)


def test_a_whole_robots_txt_the_server_went_quiet_after_is_still_read():
    results, sent = _fetch(_whole_then_quiet)
    assert [r.outcome for r in results] == EXPECTED, [(r.outcome, r.error) for r in results]


def test_a_utf8_robots_txt_with_a_stray_byte_is_not_read_in_an_arabic_code_page():
    # UTF-8 "في" (d9 81 d9 8a) reads as the Arabic-lettered "ظپظٹ" in windows-1256, as does a stray
    # 0xff ("ے"): the code-page test alone took the file for windows-1256 and lost the rule
    body = "User-agent: *\nDisallow: /في/\n".encode() + b"# \xff\n"
    assert "Disallow: /في/" in robots_text(body)
    assert robots_text("User-agent: *\nDisallow: /في/\n".encode("cp1256")) == "User-agent: *\nDisallow: /في/\n"


# Kept in UTF-8, hand-edited with a Latin-1 "à" or a no-break space in a comment, one short Arabic
# path among the ASCII ones: before 4e2e80e read as UTF-8 with U+FFFD for the stray byte; 4e2e80e's
# fallback (prose detection, too little Arabic to go on) read it in a Latin code page, "/بحث/" became
# "/ž©žŁž½/" and the search pages were fetched.
FEW = "User-agent: *\nDisallow: /wp-admin/\nDisallow: /بحث/\nSitemap: /sitemap.xml\n"


@pytest.mark.parametrize("body", [
    FEW.encode() + "# Mis à jour le 3 mai\n".encode("latin-1"),
    b"# robots.txt\xa0\n" + FEW.encode(),
])
def test_a_utf8_robots_txt_with_a_stray_latin1_byte_keeps_its_arabic_rules(body):
    routes = {"/robots.txt": _robots(body), "/": _page}
    with RawServer(routes) as srv:
        results = fetch_all([FetchRequest(srv.base + p) for p in ("/بحث/1.html", "/sport/4.html")], FAST)
    assert [r.outcome for r in results] == ["robots_disallowed", "ok"], [(r.outcome, r.error) for r in results]


# A robots.txt whose Content-Length overstates it and whose last part comes late (a slow origin
# behind a proxy, a PHP robots.txt flushing its rules after a database read): when the stall
# window ended the last part had just come, and the file was read as a trickle -- "robots.txt
# unreachable" for the host's every page, on every run. What came before the server closed (or
# went quiet) is the file.
def _late_last_part(then_close: bool):
    def route(c, target):
        body = RULES.encode()
        cut = len(body) // 2
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(body) + 64)
               + body[:cut])
        time.sleep(1.6)  # under FAST's 2 s stall window, the rest arriving just before it ends
        c.send(body[cut:])
        time.sleep(1.0 if then_close else 6.0)
        return False
    return route




def _utf16_cut(codec: str, bom: bytes):
    def route(c, target):
        # the server closes mid-character, short of its announced length
        body = bom + RULES.encode(codec) + "# آخر تحديث".encode(codec)[:5]
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (len(body) + 40) + body)
        return False
    return route


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                       ("utf-16-le", b"")], ids=["le-bom", "be-bom", "le-no-bom"])
def test_a_utf16_robots_txt_cut_mid_character_is_read_as_far_as_it_is_whole(codec, bom):
    results, sent = _fetch(_utf16_cut(codec, bom))
    assert [r.outcome for r in results] == EXPECTED, [(r.outcome, r.error) for r in results]


@pytest.mark.parametrize("body", [
    b"\xff\xfe" + RULES.encode("utf-16-le") + b"#",  # a stray odd byte at the end
    b"\xfe\xff" + RULES.encode("utf-16-be") + "# ت".encode("utf-16-be")[:-1],
    b"\xff\xfe" + RULES.encode("utf-16-le") + "\U0001f600".encode("utf-16-le")[:2],  # half a surrogate pair
])
def test_a_utf16_robots_txt_of_odd_length_keeps_its_rules(body):
    text = robots_text(body)
    assert text.startswith("User-agent: *\nDisallow: /أخبار/\n") and "\ufffd" not in text, text


# The same file sent gzipped (nginx gzip_static, a CDN) and cut short of its stream's end: its
# whole lines are the file received; before, "compressed body ended" made the host unreachable
# on every run.
def _gzip_cut(then_quiet: bool):
    def route(c, target):
        packed = gzip.compress((RULES + "# " + "x" * 3000 + "\n").encode())
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
               % len(packed) + packed[:-12])
        if then_quiet:
            time.sleep(5)
        return False
    return route


CUT_LATE_OR_PACKED = {"late, then closed": _late_last_part(True), "late, then quiet": _late_last_part(False),
                      "gzip cut, then closed": _gzip_cut(False), "gzip cut, then quiet": _gzip_cut(True)}


@pytest.mark.parametrize("served", list(CUT_LATE_OR_PACKED))
def test_a_robots_txt_whose_last_part_came_late_or_whose_gzip_was_cut_is_read_as_received(served):
    results, sent = _fetch(CUT_LATE_OR_PACKED[served])
    assert [r.outcome for r in results] == EXPECTED, [(r.outcome, r.error) for r in results]
    assert sent == ["/robots.txt", "/sport/4.html"]
