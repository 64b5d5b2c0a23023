"""Short refreshes (under tasks.urls.REFRESH_TIMER_S) on article pages, served by a real server
(tests/rawserver.py), and the shape of the addresses a refresh names.

Outlets put a refresh of a few seconds back to the front page or a section on their article
pages: a reload gimmick, a geo or consent bounce ("content=3; url=/"), a fallback for browsers
without scripts left outside <noscript>. The story was served in full -- its text and its
metadata are in the page -- and before it was thrown away for the front page (then refused as
"redirected to the site's front page"). A stub (next to no text, no story metadata) with the same
refresh is still followed, and so is a short refresh to another story (a story that moved).
"""

from __future__ import annotations

import pytest

from tasks.urls import meta_refresh_target
from tests.hostile_server import ARABIC_TITLE, ARTICLE_PARAGRAPHS, article_html
from tests.rawserver import RawServer
from tests.test_hostile_reload_timers import HTML, _fetch, response

PARAS = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
# an outlet's article page as WordPress / Drupal themes write one: Open Graph, JSON-LD, no <article>
STORY = ("<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'>{meta}<title>" + ARABIC_TITLE
         + "</title><meta property='og:type' content='article'><meta property='og:title' content='"
         + ARABIC_TITLE + "'><meta property='article:published_time' content='2026-12-07T09:00:00+03:00'>"
         "<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", \"headline\": \"" + ARABIC_TITLE
         + "\"}}</script></head><body><nav><a href='/'>الرئيسية</a> <a href='/ar/'>أخبار</a></nav>"
         "<div class='post-content'><h1>" + ARABIC_TITLE + "</h1>" + PARAS + "</div><footer>جميع الحقوق محفوظة"
         "</footer></body></html>")
# a bounce page: a line of text, no story metadata
BOUNCE = ("<html><head><title>الوطن</title>{meta}</head><body><p>يتم تحويلك إلى الصفحة الرئيسية لموقع الوطن…</p>"
          "</body></html>")


def _route(body: str, headers: dict[str, str] | None = None):
    def route(c, target):
        c.send(response("200 OK", body.encode(), {"Content-Type": HTML, **(headers or {})}))
    return route


FRONT = "<html><head><title>الوطن</title></head><body><p>الصفحة الرئيسية</p></body></html>"
KEPT = {
    "/news/2026/12/07/meta-3-home": _route(STORY.format(meta="<meta http-equiv='refresh' content='3; url=/'>")),
    "/news/meta-0-home.html": _route(STORY.format(meta='<meta http-equiv="refresh" content="0;URL=/">')),
    "/news/header-10-home.html": _route(STORY.format(meta=""), {"Refresh": "10; url=/"}),
    "/ar/a/meta-5-section": _route(STORY.format(meta='<meta http-equiv="refresh" content="5; url=/ar/">')),
    "/news/12345": _route(article_html("/news/12345").replace(
        "<head>", "<head><meta http-equiv='refresh' content='15; url=/index.php'>", 1)),
}
FOLLOWED = {
    "/bounce/meta-3-home.html": (_route(BOUNCE.format(meta="<meta http-equiv='refresh' content='3; url=/'>")), "/"),
    "/bounce/header-0-home.html": (_route(BOUNCE.format(meta=""), {"Refresh": "0; url=/"}), "/"),
    "/news/moved-5.html": (_route(STORY.format(meta="<meta http-equiv='refresh' content='5; url=/news/12345'>")),
                           "/news/12345"),
}
ROUTES = {"/": _route(FRONT), "/ar/": _route(FRONT), "/index.php": _route(FRONT), **KEPT,
          **{p: r for p, (r, _) in FOLLOWED.items()}}


@pytest.fixture(scope="module")
def server():
    with RawServer(ROUTES) as srv:
        yield srv


@pytest.mark.parametrize("path", list(KEPT))
def test_a_short_refresh_to_the_front_page_on_a_story_of_its_own_keeps_the_story(server, path):
    page = _fetch(server.base, path)
    assert page.fetch.outcome == "ok" and page.fetch.final_url == server.base + path, page.fetch
    assert ARTICLE_PARAGRAPHS[0][:40] in (page.html or "")


@pytest.mark.parametrize("path", list(FOLLOWED))
def test_a_short_refresh_from_a_stub_or_to_another_story_is_followed(server, path):
    page = _fetch(server.base, path)
    assert page.fetch.final_url == server.base + FOLLOWED[path][1], page.fetch


def test_a_story_page_naming_the_refresh_target_as_its_address_is_followed():
    # a page whose canonical is the section it refreshes to is that section's copy, not a story
    html = STORY.format(meta="<meta http-equiv='refresh' content='2; url=/ar/'><link rel='canonical' href='/ar/'>")
    assert meta_refresh_target(html, "https://site.com/ar/a/x") == "https://site.com/ar/"


# What a refresh to another of the site's addresses names: a section (a reload timer's target)
# or a story (a story that moved), by the address's shape.
@pytest.mark.parametrize("target", [
    "/news/12345", "/news/١٢٣٤٥", "/2026/12/07/x", "/ar/a/abc", "/a/abc", "/p/xyz", "/story/gaza",
    "/article/truce", "/politics/gaza-truce-talks", "/%D8%AE%D8%A8%D8%B1/%D8%BA%D8%B2%D8%A9",
    "/ar/%D9%82%D8%B5%D9%81-%D8%BA%D8%B2%D8%A9-%D8%A7%D9%84%D9%8A%D9%88%D9%85", "/news/ceasefire_talks_resume",
])
def test_a_long_timer_to_a_short_story_address_is_a_redirect_not_a_reload(target):
    page = "<html><head><meta http-equiv='refresh' content='60; url=" + target + "'></head><body>" + PARAS + "</body></html>"
    followed = meta_refresh_target(page, "https://site.com/news/old-story.html")
    assert followed is not None and followed.startswith("https://site.com/"), followed


@pytest.mark.parametrize("target", ["/ar/", "/news/", "/category/politics", "/ar/أخبار-محلية",
                                    "/ar/%D8%A7%D9%84%D8%B4%D8%B1%D9%82-%D8%A7%D9%84%D8%A3%D9%88%D8%B3%D8%B7",
                                    "/sections/arab_world"])
def test_a_long_timer_to_a_section_on_a_story_is_a_reload(target):
    page = "<html><head><meta http-equiv='refresh' content='600; url=" + target + "'></head><body>" + PARAS + "</body></html>"
    assert meta_refresh_target(page, "https://site.com/news/old-story.html") is None


@pytest.mark.parametrize("mark,kept", [
    ("<meta content='article' property='og:type'>", True),
    ("<meta itemprop='datePublished' content='2026-12-07'>", True),
    ("<script type='application/ld+json'>{\"@type\": [\"ReportageNewsArticle\"]}</script>", True),
    ("<meta content='website' property='og:type'>", False),  # text, but nothing says it is a story
    ("", False),
])
def test_a_short_refresh_to_the_front_page_keeps_a_page_marked_as_a_story(mark, kept):
    page = ("<html><head><meta http-equiv='refresh' content='3; url=/'>" + mark + "</head><body><div>" + PARAS
            + "</div></body></html>")
    assert (meta_refresh_target(page, "https://site.com/news/story-1") is None) == kept
