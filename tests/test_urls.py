"""tasks.urls: one canonical key per article URL."""

from __future__ import annotations

import pytest

from tasks.urls import amp_to_canonical_hint, canonicalize, meta_refresh_target, script_redirect_target

FEED = "http://127.0.0.1:8000/atlas-voice.example/feeds/all.atom"


@pytest.mark.parametrize("link,expected", [
    ("/atlas-voice.example/2026/11/511616.html", "http://127.0.0.1:8000/atlas-voice.example/2026/11/511616.html"),
    ("../news/x.html", "http://127.0.0.1:8000/atlas-voice.example/news/x.html"),
    ("//cdn.example.com/a", "http://cdn.example.com/a"),
    ("HTTPS://WWW.Example.COM:443/a/b/../c?x=1#frag", "https://www.example.com/a/c?x=1"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("http://user:pw@example.com/a", "http://example.com/a"),
    ("http://x.example/news/1.html?utm_source=rss&utm_medium=feed&utm_campaign=latest#comments",
     "http://x.example/news/1.html"),
    ("http://x.example/ShowNews.aspx?NewsID=1234&fbclid=abc&gclid=z", "http://x.example/ShowNews.aspx?NewsID=1234"),
    ("http://x.example/a?b=2&a=1", "http://x.example/a?b=2&a=1"),  # order kept
    ("  http://x.example/a\n", "http://x.example/a"),
])
def test_canonicalize(link, expected):
    assert canonicalize(link, FEED) == expected


@pytest.mark.parametrize("link", ["javascript:void(0)", "JavaScript:alert(1)", "mailto:a@b.c", "data:text/html,x",
                                  "file:///etc/passwd", "tel:+961", "ftp://x/a", "", "   ", None, "http://", "http://[::1"])
def test_unusable_links(link):
    assert canonicalize(link, FEED) is None


def test_arabic_path_same_key_raw_or_percent_encoded():
    raw = canonicalize("https://x.example/أخبار/خبر عاجل?NewsID=5", FEED)
    lower = canonicalize("https://x.example/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/%d8%ae%d8%a8%d8%b1%20%d8%b9%d8%a7%d8%ac%d9%84"
                         "?NewsID=5", FEED)
    upper = canonicalize(raw, FEED)
    assert raw == lower == upper
    assert raw == ("https://x.example/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%AE%D8%A8%D8%B1%20%D8%B9%D8%A7%D8%AC%D9%84"
                   "?NewsID=5")


def test_unreserved_escapes_decoded_reserved_kept():
    assert canonicalize("http://x.example/%7Euser/a%2Fb%41", FEED) == "http://x.example/~user/a%2FbA"
    assert canonicalize("http://x.example/100%", FEED) == "http://x.example/100%25"


def test_idn_host_to_punycode():
    assert canonicalize("http://مثال.إختبار/ص", FEED) == "http://xn--mgbh0fb.xn--kgbechtv/%D8%B5"
    assert canonicalize("http://xn--mgbh0fb.xn--kgbechtv/%D8%B5", FEED) == "http://xn--mgbh0fb.xn--kgbechtv/%D8%B5"


def test_idempotent():
    for link in ("https://x.example/أخبار?NewsID=5&utm_source=a", "/a/./b/../c"):
        once = canonicalize(link, FEED)
        assert canonicalize(once, FEED) == once


def test_amp_hint():
    assert amp_to_canonical_hint("http://h/minbar-sham.example/amp/news/1.html") == "http://h/minbar-sham.example/news/1.html"
    assert amp_to_canonical_hint("http://h/news/1/amp") == "http://h/news/1/"
    assert amp_to_canonical_hint("http://h/news/1.amp.html") == "http://h/news/1.html"
    assert amp_to_canonical_hint("http://h/news/1?amp=1") == "http://h/news/1"
    assert amp_to_canonical_hint("http://h/news/1.html") is None


@pytest.mark.parametrize("html,expected", [
    ('<meta http-equiv="refresh" content="0; url=/news/target.html?utm_source=x">', "http://127.0.0.1:8000/news/target.html"),
    ("<META HTTP-EQUIV=Refresh CONTENT='5;URL=https://x.example/a'>", "https://x.example/a"),
    ('<meta content="0;url=\'../b.html\'" http-equiv="refresh">', "http://127.0.0.1:8000/atlas-voice.example/b.html"),
    ('<meta http-equiv="refresh" content="30">', None),
    ('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', None),
    ("<p>no refresh</p>", None),
])
def test_meta_refresh_target(html, expected):
    assert meta_refresh_target(html, FEED) == expected


@pytest.mark.parametrize("html,expected", [
    ('<html><head><script>window.location.href="https://x.example/news/1.html?utm_source=tw";</script></head>'
     "<body>Redirecting...</body></html>", "https://x.example/news/1.html"),
    ("<script>location.replace('/news/2.html')</script>", "http://127.0.0.1:8000/news/2.html"),
    ("<body><p>جار التحويل</p><script type='text/javascript'>document.location = '../b.html';</script></body>",
     "http://127.0.0.1:8000/atlas-voice.example/b.html"),
    ('<script>top.location.assign("https://x.example/a")</script>', "https://x.example/a"),
    # not a redirect page: a choice by device, a page with its own text, no target, not http(s)
    ("<script>if (screen.width < 700) { window.location = 'https://m.x.example/a'; }"
     " else { window.location = 'https://x.example/a'; }</script>", None),
    ("<body><p>" + "نص المقال الطويل " * 40 + "</p><script>if (m) {window.location='https://m.x.example/a'}</script>"
     "</body>", None),
    ("<script>var u = window.location.href; track(u);</script>", None),
    ("<script>window.location.href = 'javascript:void(0)'</script>", None),
])
def test_script_redirect_target(html, expected):
    """A short-link or tracking page answering 200 with only a script that sets `location`."""
    assert script_redirect_target(html, FEED) == expected


def test_meta_refresh_page_from_server():
    from tasks.http import FetchRequest, HttpSettings, fetch_all
    from tests.hostile_server import start_hostile_server

    base, stop, _ = start_hostile_server()
    try:
        [r] = fetch_all([FetchRequest(base + "/meta-refresh")],
                        HttpSettings(per_host_min_interval_s=0, allow_private_networks=True, total_timeout_s=3))
    finally:
        stop()
    assert r.ok and meta_refresh_target(r.body.decode(), r.final_url) == f"{base}/news/target.html"


@pytest.mark.parametrize("bad", ["https://]a: +:99999#@", "//[@[::1]x[::1]", "http://[x.example/amp/a"])
def test_a_url_that_does_not_parse_has_no_amp_hint_and_no_twin(bad):
    # urlsplit raises ValueError on these (a bracket that opens or closes no IPv6 address):
    # a page's rel=canonical or a feed's link can be any string, and a chunk's fold check must not
    # fail the run over one
    from tasks.canonical import is_twin
    from tasks.urls import amp_to_canonical_hint

    assert amp_to_canonical_hint(bad) is None
    assert not is_twin(bad, "http://x.example/a") and not is_twin("http://x.example/amp/a", bad)


@pytest.mark.parametrize("html, expected", [
    ('<script>document.cookie="a=1; path=/"; location.reload();</script>', ("a=1", FEED)),
    ("<script>document.cookie = 'a=1';document.cookie='b=x';window.location.href=window.location.href</script>",
     ("a=1; b=x", FEED)),
    ('<script>document.cookie="a=1"; location.replace("/x/1.html")</script>', ("a=1", "http://127.0.0.1:8000/x/1.html")),
    ('<script>document.cookie="a=" + token(); location.reload();</script>', None),  # computed: a challenge
    ('<script>document.cookie="consent=1";</script>', None),  # no reload
    ('<script>document.cookie="a=1"; location.reload();</script><p>' + "نص الخبر " * 40 + "</p>", None),
])
def test_script_cookie_check(html, expected):
    from tasks.urls import script_cookie_check
    assert script_cookie_check(html, FEED) == expected
