"""Refresh tags and Refresh headers on pages a real server answers (tests/rawserver.py).

Arabic outlets put a reload timer on their pages -- `<meta http-equiv="refresh" content="300;
url=/">`, "1800; URL=https://site/", or a `Refresh: 600; url=/` header -- so a reader who leaves
the tab open sees the latest news. A browser shows the article for those minutes. Before, the
refresh follower (tasks.pages) took every refresh on a page under 20,000 characters for a
redirect: the article was replaced by the front page (then refused as "redirected to the site's
front page") or by a 404 -- fetched, and lost. A refresh that fires at once, or one on a page with
next to no text of its own (a redirect or cookie-check stub), is still followed.
"""

from __future__ import annotations

import pytest

from tasks.http import HttpSettings
from tasks.models import FeedEntry
from tasks.pages import iter_pages
from tests.hostile_server import article_html
from tests.rawserver import RawServer
from tests.rawserver import response as _raw_response


def response(status: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    # every route closes its connection after answering: said so, the client does not send the next
    # request down it (without the header a request raced the close: "Server disconnected")
    return _raw_response(status, body, {**(headers or {}), "Connection": "close"})

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=0, allow_private_networks=True)
HTML = "text/html; charset=utf-8"
STUB = "<html><head>{meta}</head><body><p>جار التحويل…</p></body></html>"


def _page(path: str, meta: str = "") -> bytes:
    return article_html(path).replace("<head>", "<head>" + meta, 1).encode()


ROUTES = {
    "/": lambda c, t: c.send(response("200 OK", "<html><body>الصفحة الرئيسية</body></html>".encode(),
                                      {"Content-Type": HTML})),
    "/ar/": lambda c, t: c.send(response("404 Not Found", b"", {"Content-Type": HTML})),
    "/news/target.html": lambda c, t: c.send(response("200 OK", _page("/news/target.html"), {"Content-Type": HTML})),
}
TIMERS = {
    "meta-300-home.html": ('<meta http-equiv="refresh" content="300; url=/">', {}),
    "meta-1800-absolute.html": ('<meta http-equiv="Refresh" content="1800;URL={base}/">', {}),
    "meta-900-section.html": ("<meta content='900; url=/ar/' http-equiv='refresh'>", {}),
    "meta-quoted-600.html": ('<meta http-equiv="refresh" content="600; url=\'/ar/\'">', {}),
    "header-600-home.html": ("", {"Refresh": "600; url=/"}),
    "header-120-section.html": ("", {"Refresh": "120;url=/ar/"}),
    "meta-600-category.html": ('<meta http-equiv="refresh" content="600; url=/category/politics/">', {}),
    "meta-300-arabic-section.html": ('<meta http-equiv="refresh" content="300; url=/أخبار-محلية">', {}),
}
STUBS = {
    "stub-0.html": (STUB.format(meta='<meta http-equiv="refresh" content="0; url=/news/target.html">'), {}),
    "stub-5-header.html": (STUB.format(meta=""), {"Refresh": "5; url=/news/target.html"}),
    "stub-60-no-text.html": (STUB.format(meta='<meta http-equiv="refresh" content="60; url=/news/target.html">'), {}),
    "article-moved-0.html": ("", {"Refresh": "0; url=/news/target.html"}),  # an article page that moved at once
}


def _route(name: str, meta: str, headers: dict[str, str], stub: bool):
    def route(c, target):
        base = f"http://{c.sock.getsockname()[0]}:{c.sock.getsockname()[1]}"
        body = meta.encode() if stub else _page("/t/" + name, meta.replace("{base}", base))
        c.send(response("200 OK", body, {"Content-Type": HTML, **headers}))
    return route


ROUTES.update({"/t/" + n: _route(n, m, h, False) for n, (m, h) in TIMERS.items()})
ROUTES.update({"/t/" + n: _route(n, m, h, n.startswith("stub")) for n, (m, h) in STUBS.items()})


@pytest.fixture(scope="module")
def server():
    with RawServer(ROUTES) as srv:
        yield srv


def _fetch(base: str, path: str):
    entry = FeedEntry(feed_url=base + "/feed", source_id="s", url=base + path, raw_link=base + path)
    [page] = list(iter_pages([entry], FAST, None))
    return page


@pytest.mark.parametrize("name", list(TIMERS))
def test_a_reload_timer_on_an_article_keeps_the_article(server, name):
    page = _fetch(server.base, "/t/" + name)
    assert page.fetch.outcome == "ok", page.fetch
    assert page.fetch.final_url == server.base + "/t/" + name
    assert "المفاوضات" in (page.html or "")


@pytest.mark.parametrize("name", list(STUBS))
def test_a_refresh_that_fires_at_once_or_from_a_page_without_text_is_followed(server, name):
    page = _fetch(server.base, "/t/" + name)
    assert page.fetch.outcome == "ok" and page.fetch.final_url == server.base + "/news/target.html", page.fetch
    assert "المفاوضات" in (page.html or "")


# A "this story moved" page inside the site's template (menus, footer: text of its own), whose
# refresh names the story's new address after 30 s or a minute, is a redirect whatever its delay:
# only a timer back to the page itself, the front page or a section is a reload.
# A refresh inside <noscript> on an article page sends browsers without scripts to a "please
# enable JavaScript" page: the article stays. A refresh tag's "&amp;" is the URL's "&" (an HTML
# attribute), so a story.php?id=5&amp;cat=2 target reaches the story, not "amp;cat".
MOVED = ("<html><head>{meta}<title>الوطن</title></head><body><header><nav><a href='/'>الرئيسية</a> <a>سياسة</a> "
         "<a>اقتصاد</a> <a>رياضة</a> <a>ثقافة</a> <a>منوعات</a> <a>تكنولوجيا</a> <a>صحة</a> <a>مقالات</a> <a>فيديو</a>"
         "</nav></header><main><h1>{h1}</h1><p>جاري التحويل إلى الرابط الجديد للخبر، إذا لم يتم تحويلك تلقائيا خلال "
         "ثوان اضغط <a href='/news/target.html'>هنا</a>.</p></main><footer>جميع الحقوق محفوظة لصحيفة الوطن © 2026 - "
         "سياسة الخصوصية - اتصل بنا - من نحن - أعلن معنا - شروط الاستخدام</footer></body></html>")


def _story_php(c, target):
    ok = target.endswith("/news/story.php?id=5&cat=2")
    c.send(response("200 OK" if ok else "404 Not Found", _page("/news/story.php") if ok else b"", {"Content-Type": HTML}))


ROUTES["/news/story.php"] = _story_php
MORE_REDIRECTS = {
    "moved-30.html": (MOVED.format(meta='<meta http-equiv="refresh" content="30; url=/news/target.html">',
                                   h1="تم نقل هذا الخبر"), {}),
    "moved-60-en.html": (MOVED.format(meta="<meta http-equiv='Refresh' content=\"60;URL='/news/target.html'\">",
                                      h1="You are being redirected"), {}),
    "moved-header-45.html": (MOVED.format(meta="", h1="تم نقل هذا الخبر"), {"Refresh": "45; url=/news/target.html"}),
    "entity-0.html": (STUB.format(meta='<meta http-equiv="refresh" content="0; url=/news/story.php?id=5&amp;cat=2">'), {}),
}
ROUTES.update({"/t/" + n: _route(n, m, h, True) for n, (m, h) in MORE_REDIRECTS.items()})
NOSCRIPT = {
    "noscript-head.html": ('<noscript><meta http-equiv="Refresh" content="0; url=/ar/"></noscript>', {}),
    "noscript-nojs.html": ("<noscript><meta http-equiv=refresh content='0;URL=/news/target.html?nojs=1'></noscript>", {}),
}
ROUTES.update({"/t/" + n: _route(n, m, h, False) for n, (m, h) in NOSCRIPT.items()})


@pytest.mark.parametrize("name", list(MORE_REDIRECTS))
def test_a_moved_page_in_the_sites_template_or_an_escaped_target_is_followed(server, name):
    page = _fetch(server.base, "/t/" + name)
    assert page.fetch.outcome == "ok" and "المفاوضات" in (page.html or ""), page.fetch
    assert page.fetch.final_url.startswith(server.base + "/news/"), page.fetch


@pytest.mark.parametrize("name", list(NOSCRIPT))
def test_a_refresh_for_browsers_without_scripts_leaves_the_article(server, name):
    page = _fetch(server.base, "/t/" + name)
    assert page.fetch.outcome == "ok" and page.fetch.final_url == server.base + "/t/" + name, page.fetch
    assert "المفاوضات" in (page.html or "")
