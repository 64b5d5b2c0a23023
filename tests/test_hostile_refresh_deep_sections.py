"""Refreshes on article pages to a section nested three folders deep or more (tests/rawserver.py,
tasks.urls.meta_refresh_target).

Outlets nest sections ("/news/world/middle-east", "/akhbar/arab/gulf", "/أخبار/عربي/الخليج",
"/sport/football/local", "/ar/news/world/middle-east", "/news/world/index.html"): every folder a
word slug without digits, no file but an index page, no story-type folder. Such a path was "not a
section" (only one or two folders were), so a reload timer of minutes from an article to it was
followed as a story that moved and the article was replaced by the section's page. A story's
address stays one however deep: a number or a date, a story file (".html" with its slug or id), a
story-type folder ("/news/world/article/…"), or a long slug of many words on a page that is no
story of its own (a "this story moved" stub).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tasks.urls import meta_refresh_target
from tests.rawserver import RawServer
from tests.test_hostile_reload_timers import STUB, _fetch
from tests.test_hostile_short_refresh import FRONT, PARAS, STORY, _route

ARTICLE = "/news/2026/12/07/gaza-truce-12345.html"
DEEP_SECTIONS = ["/news/world/middle-east", "/akhbar/arab/gulf", "/أخبار/عربي/الخليج", "/sport/football/local",
                 "/ar/news/world/middle-east", "/news/world/middle-east/", "/news/world/index.html",
                 "/economy/markets/oil-and-gas", "/category/arab-world/gulf-states-news",
                 "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%B9%D8%B1%D8%A8%D9%8A/%D8%A7%D9%84%D8%AE%D9%84%D9%8A%D8%AC"]


@pytest.mark.parametrize("delay", [300, 60, 3])
@pytest.mark.parametrize("section", DEEP_SECTIONS)
def test_a_refresh_from_an_article_to_a_deep_section_keeps_the_article(section, delay):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={section}'>")
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) is None
    assert meta_refresh_target(STORY.format(meta=""), "https://site.com" + ARTICLE, header=f"{delay}; url={section}") is None


@pytest.mark.parametrize("section", DEEP_SECTIONS)
def test_a_long_timer_to_a_deep_section_on_a_page_with_text_is_a_reload(section):
    page = f"<html><head><meta http-equiv='refresh' content='120; url={section}'></head><body>{PARAS}</body></html>"
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) is None


@pytest.mark.parametrize("target", [
    "/news/world/2026/12/07/gaza-truce", "/news/world/middle-east/12345", "/news/world/gaza-truce-talks.html",
    "/news/world/middle-east/gaza.html", "/news/world/article/gaza-truce", "/news/world/story/truce",
    "/akhbar/arab/خبر/الهدنة", "/news/p/world/xyz", "/news/world/١٢٣٤٥", "/news/world/middle-east?id=5"])
@pytest.mark.parametrize("delay", [300, 3])
def test_a_refresh_to_a_deep_story_address_is_still_followed(target, delay):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={target}'>")
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) == "https://site.com" + quote(target, safe="/?=")


@pytest.mark.parametrize("target", ["/news/world/middle-east/gaza-truce-talks-resume-in-cairo",
                                    "/أخبار/عربي/الخليج/استئناف-محادثات-الهدنة-في-القاهرة"])
@pytest.mark.parametrize("delay", [300, 3])
def test_a_long_slug_under_deep_folders_is_followed_from_a_page_that_is_no_story(target, delay):
    page = STUB.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={target}'>")
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) is not None


def test_an_article_with_a_reload_timer_to_a_deep_section_is_kept_end_to_end():
    section = "/news/world/middle-east"
    routes = {"/": _route(FRONT), section: _route(FRONT),
              ARTICLE: _route(STORY.format(meta=f"<meta http-equiv='refresh' content='300; url={section}'>"))}
    with RawServer(routes) as srv:
        page = _fetch(srv.base, ARTICLE)
    assert page.fetch.outcome == "ok" and page.fetch.final_url == srv.base + ARTICLE, page.fetch
    assert PARAS[3:60] in (page.html or "")
