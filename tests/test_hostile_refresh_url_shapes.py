"""A short refresh from a story page to a section keeps the story; to another story it is followed
(tasks.urls.meta_refresh_target and the address shapes it reads: _section_path).

The addresses are shaped like real Arabic outlets' (Media Cloud's and newscatcher's samples, the
outlets' own section and story addresses): a story carries an id, a date or a headline's slug of
many words ("/politics/هدنة-غزة-تدخل-يومها-الثالث", read as a section before), a section is a few
short word folders however deep ("/news/arab-world/middle-east/gulf/saudi/riyadh", six: a story
before), a listing folder with its short ids and page ("/Section/أخبار-عاجلة/65/1",
"/press/category/28/الوطني/", "/news/page/2", "/?cat=1": stories before) or a section kept as a file
("/news/world.html", "/sport.php": stories before).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tasks.urls import canonicalize, meta_refresh_target
from tests.test_hostile_short_refresh import STORY

STORIES = [
    'https://www.aljazeera.net/news/2024/5/1/gaza-truce-talks-resume',
    'https://www.aljazeera.net/politics/2024/5/1/%D9%87%D8%AF%D9%86%D8%A9-%D8%BA%D8%B2%D8%A9',
    'https://www.skynewsarabia.com/middle-east/1712345-%D9%87%D8%AF%D9%86%D8%A9',
    'https://aawsat.com/العالم-العربي/4987654-هدنة-غزة',
    'https://www.alarabiya.net/ar/arab-and-world/2024/05/01/gaza-truce',
    'https://www.hespress.com/gaza-truce-talks-123456.html',
    'https://www.youm7.com/story/2024/5/1/تأجيل-محاكمة/6567890',
    'https://www.masrawy.com/news/news_egypt/details/2024/5/1/2567890/slug',
    'https://www.elbalad.news/6123456',
    'https://www.elwatannews.com/news/details/7123456',
    'https://www.okaz.com.sa/news/local/2167890',
    'https://gate.ahram.org.eg/News/4789012.aspx',
    'https://arabic.rt.com/world/1567890-هدنة-غزة/',
    'https://arabic.rt.com/middle_east/1567890-slug/',
    'https://www.bbc.com/arabic/articles/c4nn1x2y3z4o',
    'https://www.bbc.com/arabic/world-68901234',
    'https://arabic.cnn.com/middle-east/article/2024/05/01/gaza-truce',
    'https://www.independentarabia.com/node/567890/سياسة/هدنة',
    'https://www.alquds.co.uk/?p=596597',
    'https://www.alquds.co.uk/هدنة-غزة-تدخل-يومها-الثالث-وسط-ترقب/',
    'https://www.annahar.com/arab-world/gaza/01052024084500123',
    'https://arabi21.com/story/1567890/هدنة',
    'https://www.enabbaladi.net/archives/678901',
    'https://www.almasryalyoum.com/news/details/3123456',
    'https://akhbarelyom.com/news/newdetails/3409173/1/رئيس-هيئة',
    'https://www.alyaum.com/articles/6322513/القارات-السبع/الدول-الكبرى',
    'https://paltoday.ps/ar/post/303263/مبادرة-مصرية',
    'https://www.lebanon24.com/news/lebanon-news/829824/lebanon24',
    'http://www.moheet.com/2016/01/17/2373597/الأهلى.html',
    'http://sahafah24.net/show1192957.html',
    'http://www.al-jazirah.com/2016/20160911/ln29.htm',
    'https://www.djazairess.com/alseyassi/112007',
    'https://www.albayan.ae/world/arab/2024-05-01-1.4890123',
    'https://www.alkhaleej.ae/2024-05-01/مقالات/هدنة',
    'https://www.emaratalyoum.com/politics/news/2024-05-01-1.1789012',
    'https://www.alaraby.co.uk/politics/هدنة-غزة-تدخل-يومها-الثالث',
    'https://www.aljazeera.net/news/politics/2024/5/1/slug',
    'https://www.france24.com/ar/الشرق-الأوسط/20240501-هدنة-غزة',
    'https://www.dw.com/ar/هدنة-غزة/a-68901234',
    'https://www.raialyoum.com/هدنة-غزة-تدخل-يومها-الثالث/',
    'https://www.shorouknews.com/news/view.aspx?cdate=01052024&id=abc',
    'https://www.almayadeen.net/news/politics/هدنة-غزة-تدخل-يومها-الثالث',
    'https://www.alhurra.com/middle-east/2024/05/01/slug',
    'https://www.swissinfo.ch/ara/هدنة/48567890',
    'https://www.aa.com.tr/ar/الدول-العربية/هدنة-غزة/3212345',
    'https://www.asharq.com/politics/89012/هدنة',
    'https://www.news.cn/arabic/20240501/abc123/c.html',
    'https://www.sana.sy/?p=2012345',
    'https://www.spa.gov.sa/N2089012',
    'https://www.wam.ae/ar/article/b1x2y3-هدنة',
    'https://www.mc-doualiya.com/الشرق-الأوسط/20240501-هدنة',
    'https://www.echoroukonline.com/هدنة-غزة-تدخل-يومها-الثالث',
    'https://www.elkhabar.com/press/article/234567/هدنة/',
    'https://www.alwasat.ly/news/libya/434567',
    'https://www.hespress.com/politique/gaza-truce.html',
    'https://site.com/news/world/middle-east/gaza-truce-talks-resume-in-cairo',
    'https://site.com/news/world/gaza.html',
]
SECTIONS = [
    'https://www.aljazeera.net/news/',
    'https://www.aljazeera.net/politics/',
    'https://www.skynewsarabia.com/middle-east',
    'https://aawsat.com/العالم-العربي',
    'https://aawsat.com/العالم-العربي/الخليج',
    'https://www.alarabiya.net/ar/arab-and-world',
    'https://www.alarabiya.net/ar/arab-and-world/gulf',
    'https://www.alarabiya.net/ar/aswaq/economy',
    'https://www.hespress.com/politique',
    'https://www.youm7.com/Section/أخبار-عاجلة/65/1',
    'https://www.masrawy.com/news/news_egypt',
    'https://www.masrawy.com/news/news_publicaffairs',
    'https://www.elwatannews.com/section/news',
    'https://www.okaz.com.sa/news/local',
    'https://arabic.rt.com/world/',
    'https://arabic.rt.com/middle_east/',
    'https://www.bbc.com/arabic/topics/c1',
    'https://www.bbc.com/arabic/middleeast',
    'https://arabic.cnn.com/middle-east',
    'https://arabic.cnn.com/business',
    'https://www.independentarabia.com/سياسة',
    'https://www.alquds.co.uk/category/أخبار/',
    'https://www.annahar.com/arab-world',
    'https://arabi21.com/section/news',
    'https://www.alaraby.co.uk/politics',
    'https://www.france24.com/ar/الشرق-الأوسط/',
    'https://www.almayadeen.net/news/politics',
    'https://www.alhurra.com/middle-east',
    'https://www.aa.com.tr/ar/الدول-العربية',
    'https://www.asharq.com/politics/',
    'https://www.elkhabar.com/press/category/28/الوطني/',
    'https://site.com/news/world.html',
    'https://site.com/ar/news/politics.html',
    'https://site.com/news/world/middle-east',
    'https://site.com/news/world/middle-east/gulf',
    'https://site.com/أخبار/عربي/الخليج/السعودية',
    'https://site.com/news/world/index.html',
    'https://site.com/news/arab-world/middle-east/gulf/saudi/riyadh',
    'https://site.com/sport/football/local/league/premier/cup',
    'https://www.skynewsarabia.com/sport',
    'https://www.alkhaleej.ae/السياسة',
    'https://www.emaratalyoum.com/politics/news',
    'https://www.albayan.ae/world/arab',
    'https://www.alwasat.ly/news/libya',
    'https://www.echoroukonline.com/world',
    'https://www.sana.sy/?cat=1',
    'https://www.hespress.com/economie',
    'https://site.com/news/local.php',
    'https://site.com/category/middle-east.html',
    "https://site.com/news/page/2",
    "https://site.com/category/politics/page/3/",
    "https://site.com/tag/video",
    "https://site.com/news/?page=2",
    "https://site.com/index.php?section=politics&page=2",
    "https://site.com/اخبار/سياسة.html",
]


def _base(url: str) -> str:
    return f"https://{urlsplit(url).netloc}/zz/2026/12/07/old-story-12345.html"


@pytest.mark.parametrize("delay", [0, 3, 300])
@pytest.mark.parametrize("url", STORIES)
def test_a_refresh_from_a_story_to_another_story_is_followed(url, delay):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={url}'>")
    assert meta_refresh_target(page, _base(url)) == canonicalize(url, _base(url))


@pytest.mark.parametrize("delay", [0, 3, 300])
@pytest.mark.parametrize("url", SECTIONS)
def test_a_refresh_from_a_story_to_a_section_keeps_the_story(url, delay):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='{delay}; url={url}'>")
    assert meta_refresh_target(page, _base(url)) is None


@pytest.mark.parametrize("url", [
    "https://site.com/news/target.html", "https://site.com/news/world/middle-east/gaza.html",
    "https://site.com/category/news/12345", "https://site.com/category/news/article/truce",
    "https://site.com/news/page/2/gaza-truce-12345", "https://site.com/?p=123&cat=1"])
def test_story_shapes_near_the_new_section_shapes_are_still_followed(url):
    page = STORY.format(meta=f"<meta http-equiv='refresh' content='3; url={url}'>")
    assert meta_refresh_target(page, _base(url)) == canonicalize(url, _base(url))
