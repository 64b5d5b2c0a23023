"""Refreshes on article pages to a section whose name is a slug of several words, and bounce pages
that only look like stories (tests/rawserver.py, tasks.urls.meta_refresh_target).

* Arabic outlets name sections with slugs of three words or more ("/أخبار-العالم-العربي",
  "/arab-and-world", "/category/arab-world-news", "/ar/news/politics"). A reload timer (or a
  short bounce) from an article to such a section followed it as a story that moved: the article
  was replaced by the section's front page and lost. A section folder ("/category/…"), the folder
  the article is in, a language prefix and the words joining a section's name ("and") now say
  section; a slug that may be either keeps a page that is a story of its own (metadata and text).
* A consent or geo wall at an article's address names the site in og:title and fills paragraphs
  with its privacy text: og:title (on every page) no longer marks it as a story, so its refresh
  to the front page is followed, not kept as the article.
"""

from __future__ import annotations

import pytest

from tasks.urls import meta_refresh_target
from tests.rawserver import RawServer
from tests.test_hostile_reload_timers import _fetch
from tests.test_hostile_short_refresh import FRONT, PARAS, STORY, _route

ARTICLE = "/ar/news/2026/12/07/gaza-truce.html"
SECTIONS = ["/أخبار-العالم-العربي", "/arab-and-world", "/ar/arab-and-world", "/science-and-technology",
            "/category/arab-world-news", "/section/قضايا-وآراء", "/ar/news/politics", "/ar/news/middle-east-north-africa",
            "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A"]


@pytest.mark.parametrize("delay", [300, 3])
@pytest.mark.parametrize("section", SECTIONS)
def test_a_refresh_from_an_article_to_a_section_named_by_a_long_slug_keeps_the_article(section, delay):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={section}'>")
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) is None


@pytest.mark.parametrize("section", ["/category/arab-world-news", "/news/local-affairs-and-parliament"])
def test_a_long_timer_to_the_folder_the_page_is_in_is_a_reload(section):
    page = "<html><head><meta http-equiv='refresh' content='120; url=" + section + "'></head><body>" + PARAS
    assert meta_refresh_target(page + "</body></html>", "https://site.com" + section + "/12345-gaza") is None


@pytest.mark.parametrize("target", ["/news/12345", "/a/abc", "/story/gaza", "/2026/12/07/gaza-truce"])
def test_a_refresh_from_a_story_to_another_story_is_still_followed(target):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='3; url={target}'>")
    assert meta_refresh_target(page, "https://site.com" + ARTICLE) == "https://site.com" + target


WALL = ("<!DOCTYPE html><html lang='ar'><head><meta charset='utf-8'><title>الوطن</title>"
        "<meta property='og:title' content='الوطن - أخبار العالم العربي'><meta property='og:type' content='website'>"
        "<meta property='og:site_name' content='الوطن'>{meta}</head><body><div class='consent'><p>"
        + "نحن نستخدم ملفات تعريف الارتباط لتحسين تجربتك وتخصيص المحتوى والإعلانات. " * 3 + "</p><p>"
        + "بمتابعتك التصفح فإنك توافق على سياسة الخصوصية وشروط الاستخدام الخاصة بالموقع. " * 2
        + "</p></div></body></html>")


@pytest.mark.parametrize("meta", ["<meta http-equiv='refresh' content='5; url=/'>",
                                  "<meta http-equiv='refresh' content='0; url=/ar/'>"])
def test_a_wall_naming_the_site_in_og_title_is_no_story(meta):
    assert meta_refresh_target(WALL.format(meta=meta), "https://site.com/news/12345") is not None


def test_an_article_with_a_reload_timer_to_its_section_is_kept_end_to_end():
    path = "/arab-and-world/2026/12/07/gaza.html"
    routes = {"/": _route(FRONT), "/ar/arab-and-world": _route(FRONT),
              path: _route(STORY.format(meta="<meta http-equiv='refresh' content='300; url=/ar/arab-and-world'>"))}
    with RawServer(routes) as srv:
        page = _fetch(srv.base, path)
    assert page.fetch.outcome == "ok" and page.fetch.final_url == srv.base + path, page.fetch
    assert PARAS[3:60] in (page.html or "")
