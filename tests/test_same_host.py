"""One notion of "the same host" (tasks/urls.py: host_key, site_key, same_site) wherever a host is
compared: a page's rel=canonical, AMP/mobile twins, the catalog's feed hosts against page hosts.

Real forms: a CMS that writes its canonical host with a trailing dot or capitals
("https://Example.com./…"), an outlet on an Arabic IDN domain (.مصر, .السعودية, .امارات) whose
canonical is written in Unicode while the link we fetched is punycode (or the other way round), an
outlet that redirects www.outlet to outlet (or back) and declares the other one as canonical."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.urls import canonicalize

FETCHED = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
BODY = "".join(f"<p>{s}</p>" for s in [
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في محافظة الجيزة بسعة مئتي سرير لخدمة سكان المنطقة.",
    "وقال المتحدث باسم الوزارة إن المستشفى يضم أقساما للطوارئ والعناية المركزة وجراحة القلب والأطفال.",
    "وأضاف أن تكلفة المشروع بلغت نحو خمسمئة مليون جنيه وأن العمل فيه استمر ثلاث سنوات متواصلة.",
    "وأشار إلى أن الوزارة تعتزم افتتاح مستشفيات أخرى في محافظات الصعيد خلال العام المقبل ضمن خطتها.",
])


def _page_html(canonical: str) -> str:
    return (f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>افتتاح مستشفى جديد في الجيزة</title>'
            f'<link rel="canonical" href="{canonical}"></head><body><article><h1>افتتاح مستشفى جديد في الجيزة</h1>'
            f"{BODY}</article></body></html>")


def _article(link: str, canonical: str):
    from tasks.articles import article_of, job_for, run_job
    from tasks.models import FeedEntry, FetchResult
    from tasks.pages import Page

    url = canonicalize(link, link)
    assert url is not None
    entry = FeedEntry(feed_url="https://example.com/rss.xml", source_id="src", url=url, raw_link=link,
                      title="افتتاح مستشفى جديد في الجيزة")
    page = Page(entry=entry, fetch=FetchResult(url=url, final_url=url, outcome="ok", status=200, fetched_at=FETCHED),
                html=_page_html(canonical))
    job = job_for(page, {})
    assert job is not None
    ext = run_job(job)
    assert ext.status == "ok", ext.error
    return article_of(page, ext, "run-1")


@pytest.mark.parametrize(("link", "declared", "expected"), [
    # a trailing dot and capitals in the declared host (before: "example.com." != "example.com", refused)
    ("https://example.com/news/2026/12/06/123?from=rss", "https://Example.com./news/2026/12/06/123",
     "https://example.com/news/2026/12/06/123"),
    # the canonical of an Arabic IDN outlet written in Unicode, the feed's link in punycode
    ("https://xn--ogbhx3c3b.xn--wgbh1c/news/123?from=rss", "https://صحيفة.مصر/news/123",
     "https://xn--ogbhx3c3b.xn--wgbh1c/news/123"),
    # ... and the other way round
    ("https://صحيفة.مصر/news/123?from=rss", "https://xn--ogbhx3c3b.xn--wgbh1c/news/123",
     "https://xn--ogbhx3c3b.xn--wgbh1c/news/123"),
    # www.outlet and outlet are one outlet: the page at www. declares its slugged URL without www.
    ("https://www.example.com/article/77", "https://example.com/article/77/افتتاح-مستشفى-جديد",
     "https://example.com/article/77/%D8%A7%D9%81%D8%AA%D8%AA%D8%A7%D8%AD-%D9%85%D8%B3%D8%AA%D8%B4%D9%81%D9%89-"
     "%D8%AC%D8%AF%D9%8A%D8%AF"),
    ("https://example.com/article/77", "https://WWW.example.com:443/article/77/slug?utm_source=rss",
     "https://www.example.com/article/77/slug"),
], ids=["trailing dot and capitals", "unicode IDN canonical", "punycode IDN canonical", "www. dropped", "www. added"])
def test_a_canonical_on_the_pages_own_site_is_accepted_in_its_canonical_form(link, declared, expected):
    from tasks.models import stable_id

    art = _article(link, declared)
    assert art.canonical_url == expected
    assert art.article_id == stable_id(expected)  # the key the page fetched at that URL gets


@pytest.mark.parametrize("declared", [
    "https://other-outlet.example/news/123",  # a syndication partner: another outlet's story
    "https://example.com./",  # the home page, however its host is spelled
    "https://notexample.com/news/123",
    "https://www.com/news/123",
])
def test_a_canonical_on_another_site_or_the_home_page_is_refused(declared):
    art = _article("https://example.com/news/123", declared)
    assert art.canonical_url == "https://example.com/news/123"


def test_host_keys():
    from tasks.urls import host_key, same_site, site_key

    assert host_key("Example.COM.") == "example.com" == site_key("WWW.example.com.")
    assert host_key("صحيفة.مصر") == "xn--ogbhx3c3b.xn--wgbh1c" == site_key("www.xn--ogbhx3c3b.xn--wgbh1c")
    assert site_key("www.com") == "www.com" and host_key(None) == ""
    assert same_site("http://Example.com.:80/a", "https://www.example.com/b")
    assert not same_site("https://example.com/a", "https://example.co/a") and not same_site("not a url", "not a url")


@pytest.mark.parametrize(("amp", "canonical"), [
    ("https://AMP.example.com./news/1", "https://www.example.com/news/1"),
    ("https://m.صحيفة.مصر/amp/news/1", "https://xn--ogbhx3c3b.xn--wgbh1c/news/1"),
    ("https://amp.example.com/news/1", "https://Example.com/news/1"),  # the AMP hint, case aside
])
def test_an_amp_or_mobile_twin_across_host_spellings(amp, canonical):
    from tasks.canonical import is_twin

    assert is_twin(amp, canonical)


def test_amp_hint_of_a_capitalised_amp_host():
    from tasks.urls import amp_to_canonical_hint

    assert amp_to_canonical_hint("https://AMP.example.com/news/1") == "https://example.com/news/1"


def test_outlet_matcher_across_host_spellings():
    # a WARC's target URIs against the catalog's feed hosts: a page on the punycode host of an outlet
    # whose feed the catalog lists in Unicode (or with a trailing dot) is that outlet's
    from tasks.backfill import OutletMatcher, hosts_from_catalog
    from tasks.models import FeedSpec

    specs = [FeedSpec("sahifa", "صحيفة", "EG", "https://www.صحيفة.مصر/rss"),
             FeedSpec("akhbar", "أخبار", "JO", "https://Akhbar.example./feed")]
    m = OutletMatcher(hosts_from_catalog(specs))
    assert m.source_for("https://xn--ogbhx3c3b.xn--wgbh1c/news/1") == ("sahifa", True)
    assert m.source_for("https://www.akhbar.example/news/1") == ("akhbar", True)
