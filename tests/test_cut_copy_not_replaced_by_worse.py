"""A page kept cut short, asked again by a later run, must not have its stored text replaced by a
copy that is worse: two real runs of the `ingest` flow on one warehouse against a raw-socket
server (tests/rawserver.py), the pages cut on every request of the first run (as in
tests/test_hostile_cut_reruns.py).

Changed behaviour (each test failed before): the retry that read whole replaced the stored cut
copy whatever it brought: a page-not-found page (a story taken down), a redirect to the front
page, a consent wall -- the article's own text gave way to an empty text or to the wall's
notice. Now such a copy keeps the stored one (the attempt counted and recorded, as for
a retry that failed). A copy cut again but longer replaces the stored one; its run_errors row is
the cut warning (before: "the stored copy is kept", while it was replaced).
"""

from __future__ import annotations

import re

import pytest

from tests.hostile_server import item, rss
from tests.rawserver import RawConn, response
from tests.test_hostile_cut_reruns import HTML, PAGE, _query, ingest_runs

pytestmark = pytest.mark.timeout(600)

NAMES = ("gone.html", "front.html", "consent.html", "longer.html")
GONE = ("<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>الصفحة غير موجودة"
        "</title></head><body><h1>عذراً، الصفحة التي تبحث عنها غير موجودة</h1>"
        "<p><a href='/'>العودة إلى الصفحة الرئيسية</a></p></body></html>").encode()
FRONT = ("<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>اليوم السابع</title>"
         "</head><body><ul>" + "".join(f"<li><a href='/news/{i}.html'>عنوان الخبر رقم {i} في الصفحة الرئيسية</a></li>"
                                      for i in range(30)) + "</ul></body></html>").encode()
CONSENT = ("<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>إشعار الخصوصية</title>"
           "</head><body><main><h1>نحن نهتم بخصوصيتك</h1><p>نستخدم نحن وشركاؤنا ملفات تعريف الارتباط لتخصيص "
           "المحتوى والإعلانات وتحليل الزيارات. يمكنك قبول الكل أو إدارة اختياراتك في أي وقت من صفحة "
           "سياسة الخصوصية.</p><p><button>قبول الكل</button> <button>إدارة الخيارات</button></p></main>"
           "</body></html>").encode()


def _cut(path: str, paragraphs: int) -> bytes:
    """The real page marked with its URL's name in each paragraph, up to its story's n-th paragraph."""
    page = PAGE.replace(b"</p>", b" [" + path.rsplit("/", 1)[-1].encode() + b"]</p>")
    return page[: [m.end() for m in re.finditer(rb"</p>", page)][paragraphs - 1]]


def _route(state: dict):
    worse = {"gone.html": response("200 OK", GONE, HTML), "consent.html": response("200 OK", CONSENT, HTML),
             "front.html": response("301 Moved Permanently", b"", {"Location": "/"})}
    feed = response("200 OK", rss("".join(item(f"خبر {n}", f"/news/{n}") for n in NAMES)).encode(),
                    {"Content-Type": "application/rss+xml"})

    def route(c: RawConn, target: str) -> bool:
        path = target.split("?")[0]
        name = path.rsplit("/", 1)[-1]
        if not path.startswith("/news/"):  # robots.txt: none; the feed; the front page
            c.send({"/robots.txt": response("404 Not Found", b""), "/feed": feed}.get(path)
                   or response("200 OK", FRONT, HTML))
        elif state["phase"] == "cut":
            c.send(response("200 OK", _cut(path, 4), HTML))
        else:  # longer.html: cut again, two paragraphs later
            c.send(worse.get(name) or response("200 OK", _cut(path, 6), HTML))
        return True
    return route


def _read(db, run_id: str) -> dict:
    arts = {r["url"].rsplit("/", 1)[-1]: r for r in _query(
        db, "SELECT url, article_id, fetch_outcome, fetch_error, fetch_attempts, text, extraction_status FROM articles")}
    errors = {r["url"].rsplit("/", 1)[-1]: r for r in _query(db, "SELECT url, outcome, error, run_id FROM run_errors")
              if r["run_id"] == run_id and r["url"]}
    return dict(articles=arts, errors=errors)


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    # the pages cut on the first run; two hours later, asked again: each answers as NAMES says
    return ingest_runs(tmp_path_factory.mktemp("cutworse"), _route, {"phase": "cut"}, [("cut", 0), ("worse", 2)],
                       _read)


def test_runs_complete_and_the_cut_pages_are_asked_again(runs):
    assert [r["status"] for r in runs] == ["completed"] * 2
    for name in NAMES:
        assert runs[0]["articles"][name]["fetch_error"].startswith("page cut short")
        assert f"/news/{name}" in runs[1]["asked"]


@pytest.mark.parametrize("name", ["gone.html", "front.html", "consent.html"])
def test_a_whole_copy_that_is_not_the_article_keeps_the_stored_cut_copy(runs, name):
    before, after = runs[0]["articles"][name], runs[1]["articles"][name]
    assert after["text"] == before["text"] and after["extraction_status"] == "ok", after
    assert after["fetch_error"] == before["fetch_error"] and after["fetch_attempts"] == 2
    err = runs[1]["errors"][name]
    assert "kept cut short" in err["error"] and "stored copy is kept" in err["error"], err


def test_a_copy_cut_again_but_longer_replaces_it_and_says_so(runs):
    before, after = runs[0]["articles"]["longer.html"], runs[1]["articles"]["longer.html"]
    assert len(after["text"]) > len(before["text"]) and after["fetch_attempts"] == 2
    err = runs[1]["errors"]["longer.html"]
    assert err["outcome"] == "page_cut_short" and "stored copy is kept" not in err["error"], err
