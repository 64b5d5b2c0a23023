"""tasks.urls: one canonical key per article URL."""

from __future__ import annotations

import pytest

from tasks.urls import (
    amp_to_canonical_hint,
    canonicalize,
    legacy_canonicalize,
    link_address,
    meta_refresh_target,
    script_redirect_target,
)

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


# --- one article, one key: sibling spellings of one URL (session 15) -------------------------

GOLD_Q = "https://x.example/search?q=%D8%B3%D8%B9%D8%B1%20%D8%A7%D9%84%D8%B0%D9%87%D8%A8"


@pytest.mark.parametrize("link", [
    "https://x.example/search?q=سعر الذهب",  # raw, as a CMS prints it
    "https://x.example/search?q=%D8%B3%D8%B9%D8%B1+%D8%A7%D9%84%D8%B0%D9%87%D8%A8",  # form-encoded (+)
    "https://x.example/search?q=%d8%b3%d8%b9%d8%b1%20%d8%a7%d9%84%d8%b0%d9%87%d8%a8",  # lower hex, %20
    "https://x.example/search?q=سعر+الذهب",
    "https://x.example/search?q=%D8%B3%D8%B9%D8%B1 الذهب",  # mixed
])
def test_a_query_space_is_one_key_raw_plus_or_pct20(link):
    assert canonicalize(link, FEED) == GOLD_Q


@pytest.mark.parametrize("nfd,nfc", [
    ("https://x.example/news/\u0627\u0654\u062e\u0628\u0627\u0631", "https://x.example/news/\u0623\u062e\u0628\u0627\u0631"),
    ("https://x.example/\u0627\u0653\u062e\u0631-\u0627\u0644\u0627\u0654\u0646\u0628\u0627\u0621", "https://x.example/آخر-الأنباء"),
    ("https://x.example/news/%D8%A7%D9%94%D8%AE%D8%A8%D8%A7%D8%B1", "https://x.example/news/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1"),
    ("https://x.example/tag?name=\u0645\u0633\u0648\u0654\u0648\u0644", "https://x.example/tag?name=مسؤول"),
    ("https://x.example/s?q=%D9%8A%D9%94%D8%B3", "https://x.example/s?q=\u0626\u0633"),
])
def test_decomposed_arabic_letters_are_the_precomposed_letters(nfd, nfc):
    assert canonicalize(nfd, FEED) == canonicalize(nfc, FEED)
    assert canonicalize(nfc, FEED) == legacy_canonicalize(nfc, FEED)  # keys stored so far stay


@pytest.mark.parametrize("link,expected", [
    ("https://x.example/a?p=456&ref=rss", "https://x.example/a?p=456"),
    ("https://x.example/ShowNews.aspx?from=rss&NewsID=1", "https://x.example/ShowNews.aspx?NewsID=1"),
    ("https://x.example/a/1.html?src=rss-feeds", "https://x.example/a/1.html"),
    ("https://x.example/a/1.html?source=feedburner", "https://x.example/a/1.html"),
    ("https://x.example/world/2026/dec/07/x?CMP=twt_gu", "https://x.example/world/2026/dec/07/x"),
    ("https://x.example/ar/20261207-x?xtor=RSS-1", "https://x.example/ar/20261207-x"),
    ("https://x.example/arabic/world-1?ns_mchannel=social&ns_source=twitter&ns_campaign=bbc_arabic",
     "https://x.example/arabic/world-1"),
    ("https://x.example/index.php?option=com_content&id=5&amp;utm_source=rss", "https://x.example/index.php?option=com_content&id=5"),
    ("https://x.example/news.jsp;jsessionid=0A1B2C3D?id=77", "https://x.example/news.jsp?id=77"),
    ("https://x.example/news.php?PHPSESSID=abc123&id=4", "https://x.example/news.php?id=4"),
    # Al Jazeera's real feed links (tests/fixtures/feeds_ar): every <link> ends in ?traffic_source=rss
    ("https://www.aljazeera.net/sport/2026/7/28/14-%d9%86%d8%ac%d9%85?traffic_source=rss",
     "https://www.aljazeera.net/sport/2026/7/28/14-%D9%86%D8%AC%D9%85"),
    ("https://x.example/a/1.html?id=7&traffic_medium=RSS&feed-origin=rss2", "https://x.example/a/1.html?id=7"),
    ("https://x.example/a/1.html?medium=feed&origin=rss", "https://x.example/a/1.html"),
    # a ref/from/source that names no feed may select something: kept
    ("https://x.example/a?traffic_source=home", "https://x.example/a?traffic_source=home"),
    ("https://x.example/a?resource=rss", "https://x.example/a?resource=rss"),
    ("https://x.example/a?ref=12345", "https://x.example/a?ref=12345"),
    ("https://x.example/a?from=2026-12-01&id=3", "https://x.example/a?from=2026-12-01&id=3"),
    ("https://x.example/a?source=atomenergy", "https://x.example/a?source=atomenergy"),
    # parameters that select the article are never dropped
    ("https://x.example/?p=456", "https://x.example/?p=456"),
    ("https://x.example/details.aspx?id=123&utm_medium=rss", "https://x.example/details.aspx?id=123"),
    ("https://x.example/Default.aspx?NewsID=99&at_medium=RSS", "https://x.example/Default.aspx?NewsID=99"),
])
def test_tracking_and_feed_referrer_parameters(link, expected):
    assert canonicalize(link, FEED) == expected


@pytest.mark.parametrize("link,expected", [
    # reserved characters that must stay escaped: an article slug with a '/', a value with '&', '=', '+'
    ("https://x.example/a%2fb/c", "https://x.example/a%2Fb/c"),
    ("https://x.example/s?q=%D8%A3%26%D8%A8&id=1", "https://x.example/s?q=%D8%A3%26%D8%A8&id=1"),
    ("https://x.example/s?q=a%3db%2Bc", "https://x.example/s?q=a%3Db%2Bc"),
    ("https://x.example/C%2B%2B+news", "https://x.example/C%2B%2B+news"),  # '+' in a path is a plus
    # kept as written: a server may tell them apart
    ("https://x.example/News/Article.ASPX?ID=5", "https://x.example/News/Article.ASPX?ID=5"),
    ("https://x.example/a/", "https://x.example/a/"),
    ("https://x.example//a//b", "https://x.example//a//b"),
    ("https://x.example/a?y=2&x=1", "https://x.example/a?y=2&x=1"),
    ("https://x.example/ｎｅｗｓ/１２", "https://x.example/%EF%BD%8E%EF%BD%85%EF%BD%97%EF%BD%93/%EF%BC%91%EF%BC%92"),
    ("https://x.example/index.php?id=5", "https://x.example/index.php?id=5"),
    # dropped / folded
    ("https://x.example/a?", "https://x.example/a"),
    ("https://x.example/a?&&", "https://x.example/a"),
    ("https://x.example/a#comments", "https://x.example/a"),
    ("https://x.example:443/a", "https://x.example/a"),
    ("http://x.example:80/a", "http://x.example/a"),
    ("https://x.example/a/./b/../c", "https://x.example/a/c"),
    # escapes that are no UTF-8: an old ASP site's cp1256, a cut sequence: kept, upper hex
    ("https://x.example/news/%c7%e1%c3%ce%c8%c7%d1.asp?cat=%C7%E1%DA%D1%C8", "https://x.example/news/%C7%E1%C3%CE%C8%C7%D1.asp?cat=%C7%E1%DA%D1%C8"),
    ("https://x.example/%D8%A3%D8", "https://x.example/%D8%A3%D8"),
    ("https://x.example/s?q=%E2%80", "https://x.example/s?q=%E2%80"),
])
def test_forms_kept_folded_and_never_crashing(link, expected):
    assert canonicalize(link, FEED) == expected
    assert canonicalize(expected, FEED) == expected


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u061c", "\u200b", "\ufeff", "\u202b", "\u2067"])
def test_invisible_marks_around_a_link_are_dropped(mark):
    # an href copied out of Arabic text with its direction marks ("\u200fhttps://...\u200f")
    assert canonicalize(f"{mark}https://x.example/news/1.html{mark}", FEED) == "https://x.example/news/1.html"
    assert canonicalize(f" {mark}/news/1.html", "https://x.example/") == "https://x.example/news/1.html"


def test_invisible_marks_inside_a_url_are_kept():
    # we fetch the URL we key: the slug on the server may hold the mark
    assert canonicalize("https://x.example/news/\u0627\u0644\u200f\u062e\u0628\u0631", FEED) == \
        "https://x.example/news/%D8%A7%D9%84%E2%80%8F%D8%AE%D8%A8%D8%B1"


DISTINCT = [
    "https://x.example/a?id=1", "https://x.example/a?id=2", "https://x.example/a?ID=1", "https://x.example/a?id=1&p=2",
    "https://x.example/s?q=a%2Bb", "https://x.example/s?q=a+b", "https://x.example/s?q=a%26b", "https://x.example/s?q=a&b",
    "https://x.example/a%2Fb", "https://x.example/a/b", "https://x.example/A", "https://x.example/a", "https://x.example/a/",
    "https://x.example/%D8%A3", "https://x.example/%D8%A7", "https://x.example/%C3", "https://x.example/\u00c3",
    "https://x.example/a?ref=1", "https://x.example/a?from=2", "https://x.example/a+b", "https://x.example/a%20b",
]


def test_different_articles_keep_different_keys():
    keys = [canonicalize(u, FEED) for u in DISTINCT]
    assert len(set(keys)) == len(DISTINCT), keys


@pytest.mark.parametrize("link", [
    "https://x.example/أخبار/خبر?NewsID=5", "https://x.example/%D8%A3?id=1&utm_source=rss", "http://x.example:8080/a/b",
    "https://x.example/a%2Fb?x=%26", "https://x.example/news/%C7%E1%C3", "https://x.example/s?q=a%20b",
    "https://x.example/a?ref=12345",
])
def test_keys_stored_by_earlier_runs_are_unchanged(link):
    # article_id = stable_id(canonical URL): a form already normalised must keep its key
    old = legacy_canonicalize(link, FEED)
    assert canonicalize(link, FEED) == old == canonicalize(old, FEED)


def test_legacy_key_is_the_key_earlier_runs_stored():
    assert legacy_canonicalize("https://x.example/s?q=a+b&from=rss", FEED) == "https://x.example/s?q=a+b&from=rss"
    assert canonicalize("https://x.example/s?q=a+b&from=rss", FEED) == "https://x.example/s?q=a%20b"


def test_an_article_stored_under_its_old_key_is_known_to_a_new_run(tmp_path):
    """An article an older run stored under the key its feed link had then (``?q=a+b&from=rss``)
    is the same article now that the link's key is ``?q=a%20b``: a run reads the old ids with
    its own (flows/ingest.py), so the page is neither fetched nor stored a second time."""
    from tasks import select
    from tasks.models import FeedEntry, stable_id
    from warehouse import queries
    from warehouse.db import writer

    feed = "https://x.example/rss.xml"
    raw = "https://x.example/news.php?q=%D8%B3%D8%B9%D8%B1+%D8%A7%D9%84%D8%B0%D9%87%D8%A8&id=5&from=rss"
    old_url = legacy_canonicalize(raw, feed)
    assert old_url == raw  # the key stored before
    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, extraction_status, "
                    "fetch_outcome, fetch_attempts) VALUES (?, ?, ?, 'x', now(), 'ok', 'ok', 1)",
                    [stable_id(old_url), old_url, old_url])
    entry = FeedEntry(feed_url=feed, source_id="x", url=canonicalize(raw, feed), raw_link=raw)
    other = FeedEntry(feed_url=feed, source_id="x", url=canonicalize(raw.replace("id=5", "id=6"), feed),
                      raw_link=raw.replace("id=5", "id=6"))
    assert entry.url == "https://x.example/news.php?q=%D8%B3%D8%B9%D8%B1%20%D8%A7%D9%84%D8%B0%D9%87%D8%A8&id=5"
    legacy = select.legacy_ids([entry, other])
    known = select.known_under_legacy_ids(
        queries.known_articles(db, sorted({entry.article_id, other.article_id} | set(legacy.values()))), legacy)
    assert known[entry.article_id]["real_id"] == stable_id(old_url)  # a sighting of the stored article
    assert select.is_settled(known[entry.article_id])
    assert other.article_id not in known  # another article stays new


def test_an_article_page_is_not_stripped_of_its_markup_to_look_for_a_redirect(monkeypatch):
    """The refresh follower asks every small page (under 20,000 chars) for a script redirect and
    a script cookie check; counting a page's own text (stripping its markup) is the costly part, so
    it is asked only when the scripts hold a target or a literal cookie: an article page with
    scripts (analytics, ads) but neither is answered without it."""
    import tasks.urls as urls
    from tasks.urls import script_cookie_check

    article = ("<html><head><title>خبر</title><script>var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>"
               "</head><body><p>" + "قال مصدر مسؤول إن الاجتماع انتهى. " * 30 + "</p>"
               "<script>document.write('<div id=ad></div>')</script></body></html>")

    class NoStrip:
        def sub(self, *a, **k):
            raise AssertionError("the page's markup was stripped")

    monkeypatch.setattr(urls, "_NOT_TEXT_RE", NoStrip())
    assert script_redirect_target(article, FEED) is None and script_cookie_check(article, FEED) is None


def test_link_address_splits_a_link_as_the_page_writes_it() -> None:
    """tasks.cleanup compares a block's links with the page's own address: path without its
    trailing "/", query items, fragment, host; nothing resolved; None for what urllib cannot split
    (a bracket that is no IPv6 address), while a port out of range is still an address to compare."""
    assert link_address(" /live/81/?update=3&&amp=1#post-2 ") == ("/live/81", frozenset({"update=3", "amp=1"}), "post-2", "")
    assert link_address("#post-3") == ("", frozenset(), "post-3", "")
    assert link_address("https://www.alquds.co.uk:99999/news.php?id=81") == (
        "/news.php", frozenset({"id=81"}), "", "www.alquds.co.uk:99999")
    assert link_address("http://[oops/1") is None
