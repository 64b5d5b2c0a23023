"""One outlet, one key, however its host is written (tasks/urls.py: site_key, outlet_key, unicode_host),
and the site's names read from that one key (tasks/metadata.py: host_names, names_the_site).

Real shapes of one outlet's host: capitals and a trailing dot ("WWW.AkhbarElYom.com."), www. or not,
its mobile and AMP renderings (m.masrawy.com, amp.akhbarelyom.com), a port (a staging server, a
feed written with :80), and an Arabic IDN domain (.مصر, .السعودية, .امارات) written in Unicode
by the outlet and in punycode in the URL we fetched (canonical URLs keep the A-labels). A CMS fills
meta author with the site's account named after the domain, in the outlet's own script: the name
of موقع.مصر is "موقع", whichever way its URL spells the host."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.canonical import is_twin
from tasks.extract import extract_page
from tasks.metadata import host_names, names_the_site
from tasks.urls import outlet_key, site_key, unicode_host

NOW = datetime(2027, 1, 1, tzinfo=UTC)

# every spelling of one outlet's host, with its site_key
ONE_SITE = {
    "akhbarelyom.com": [
        "akhbarelyom.com", "AkhbarElYom.COM", "akhbarelyom.com.", "www.akhbarelyom.com", "WWW.AkhbarElYom.com.",
        "akhbarelyom.com:8080", "www.akhbarelyom.com:443",
    ],
    "xn--4gbrim.xn--wgbh1c": [
        "موقع.مصر", "www.موقع.مصر", "موقع.مصر.", "موقع。مصر", "xn--4gbrim.xn--wgbh1c", "WWW.XN--4GBRIM.XN--WGBH1C.",
        "موقع.مصر:8080",
    ],
}


@pytest.mark.parametrize(("key", "host"), [(k, h) for k, hosts in ONE_SITE.items() for h in hosts])
def test_every_spelling_of_a_host_has_one_site_key(key: str, host: str) -> None:
    assert site_key(host) == key
    assert host_names(host) == host_names(key)


@pytest.mark.parametrize(("host", "outlet"), [
    ("m.akhbarelyom.com", "akhbarelyom.com"), ("AMP.akhbarelyom.com.", "akhbarelyom.com"),
    ("www.m.akhbarelyom.com", "akhbarelyom.com"), ("mobile.akhbarelyom.com:8080", "akhbarelyom.com"),
    ("m.موقع.مصر", "xn--4gbrim.xn--wgbh1c"), ("arabic.cnn.com", "arabic.cnn.com"),
    ("m.com", "m.com"), ("amp.dev", "amp.dev"),  # nothing would remain: a site of its own
])
def test_the_outlet_of_an_amp_or_mobile_host(host: str, outlet: str) -> None:
    assert outlet_key(host) == outlet
    assert host_names(host) == host_names(outlet)


def test_site_key_keeps_a_mobile_host_and_what_is_no_port() -> None:
    assert site_key("m.akhbarelyom.com") == "m.akhbarelyom.com"  # same_site: a twin is another host
    assert site_key("www.com") == "www.com" and site_key("::1") == "::1" and site_key("[::1]:8080") == "[::1]"
    assert site_key(None) == site_key("") == ""


def test_unicode_host() -> None:
    assert unicode_host("XN--4GBRIM.xn--wgbh1c.") == "موقع.مصر" == unicode_host("موقع.مصر")
    assert unicode_host("Example.com") == "example.com"
    assert unicode_host("xn--zz.com") == "xn--zz.com"  # no valid A-label: kept


@pytest.mark.parametrize(("host", "names"), [
    ("www.alquds.co.uk", ["alquds.co.uk", "alquds"]),
    ("arabic.cnn.com", ["arabic.cnn.com", "cnn"]),
    ("www.ahram.org.eg", ["ahram.org.eg", "ahram"]),
    ("xn--4gbrim.xn--wgbh1c", ["موقع.مصر", "موقع"]),
    ("127.0.0.1:8000", ["127.0.0.1"]),  # an address names no site
    ("localhost", ["localhost"]),
    (None, []),
])
def test_host_names(host: str | None, names: list[str]) -> None:
    assert host_names(host) == names


@pytest.mark.parametrize(("author", "host"), [
    ("موقع", "xn--4gbrim.xn--wgbh1c"),  # an IDN outlet's account, its URL in punycode
    ("موقع.مصر", "xn--4gbrim.xn--wgbh1c"),
    ("akhbarelyom.com", "m.akhbarelyom.com"),  # the site's name on its mobile host
    ("akhbarelyom.com", "amp.akhbarelyom.com"),
    ("akhbarelyom.com", "akhbarelyom.com:8080"),
])
def test_the_sites_own_name_however_its_host_is_written(author: str, host: str) -> None:
    assert names_the_site(author, [], host)
    assert not names_the_site("أحمد علي", [], host)


def test_an_idn_outlets_account_is_no_byline() -> None:
    para = "<p>" + "أعلنت الوزارة اليوم عن خطة جديدة لتطوير شبكة الطرق في المحافظات الجنوبية خلال العام المقبل. " * 3 + "</p>"
    html = (f"<html lang='ar'><head><title>خطة لتطوير الطرق</title>{{head}}</head><body><article>"
            f"<h1>خطة لتطوير الطرق</h1>{para * 4}</article></body></html>")
    for url in ("https://xn--4gbrim.xn--wgbh1c/news/1", "https://m.موقع.مصر/news/1"):
        ext = extract_page(html.replace("{head}", '<meta name="author" content="موقع">'), url, now=NOW)
        assert ext.author is None, url
        ext = extract_page(html.replace("{head}", '<meta name="author" content="أحمد علي">'), url, now=NOW)
        assert ext.author == "أحمد علي", url


def test_twins_across_spellings_of_one_host() -> None:
    assert is_twin("https://m.موقع.مصر/amp/news/1", "https://www.xn--4gbrim.xn--wgbh1c:443/news/1")
    assert is_twin("https://AMP.akhbarelyom.com./news/1", "https://akhbarelyom.com/news/1")
