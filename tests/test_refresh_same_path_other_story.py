"""A short refresh from a story page keeps the story when it names the page itself, the front page
or a section, and is followed to another story (tasks.urls.meta_refresh_target, _reloads).

Two shapes were read as a reload: another story at the same script path, named by its query
("/?p=596597" to "/?p=596598", "/news.aspx?NewsID=123" to "…NewsID=124": WordPress's default
links, ASP.NET and PHP CMSs), and a story's file under a listing folder ("/category/news/gaza.html",
"/section/politics/gaza-truce.aspx": followed before the listing-folder rule, kept by it).
"""

from __future__ import annotations

import pytest

from tasks.urls import canonicalize, meta_refresh_target
from tests.test_hostile_short_refresh import STORY


def _target(url: str, base: str, delay: int = 3) -> str | None:
    return meta_refresh_target(STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={url}'>"), base)


@pytest.mark.parametrize("delay", [0, 3])
@pytest.mark.parametrize(("base", "url"), [
    ("https://www.alquds.co.uk/?p=596597", "https://www.alquds.co.uk/?p=596598"),
    ("https://www.sana.sy/?p=2012345", "https://www.sana.sy/?p=2012399&lang=ar"),
    ("https://site.example/news.aspx?NewsID=123", "https://site.example/news.aspx?NewsID=124"),
    ("https://www.shorouknews.com/news/view.aspx?cdate=01052024&id=abc",
     "https://www.shorouknews.com/news/view.aspx?cdate=02052024&id=abd"),
    ("https://site.example/index.php?option=com_content&view=article&id=5",
     "https://site.example/index.php?option=com_content&view=article&id=6"),
    ("https://site.example/?page_id=12", "https://site.example/?page_id=13"),
])
def test_a_refresh_to_another_story_at_the_same_path_is_followed(base, url, delay):
    assert _target(url, base, delay) == canonicalize(url, base)


@pytest.mark.parametrize(("base", "url"), [
    ("https://www.alquds.co.uk/?p=596597", "https://www.alquds.co.uk/?p=596597"),
    ("https://site.example/news.aspx?NewsID=123", "https://site.example/news.aspx?NewsID=123&page=1"),
    ("https://site.example/news.aspx?NewsID=123", "https://site.example/news.aspx"),
    ("https://site.example/news.php?id=5", "https://site.example/news.php?cat=3"),
])
def test_a_refresh_to_the_same_story_or_its_listing_keeps_it(base, url):
    assert _target(url, base) is None


@pytest.mark.parametrize("url", [
    "https://site.example/category/news/gaza.html", "https://site.example/section/politics/gaza-truce.aspx",
    "https://site.example/tag/غزة/هدنة.html", "https://site.example/Section/أخبار/65/هدنة-غزة.php",
])
def test_a_story_file_under_a_listing_folder_is_followed(url):
    base = "https://site.example/2026/12/07/old-story-12345.html"
    assert _target(url, base) == canonicalize(url, base)
