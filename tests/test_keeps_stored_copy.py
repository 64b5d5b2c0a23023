"""tasks.queue.keeps_stored_copy: the one place ingest's `finish` and salvage's `_extract_some` ask
whether a page asked again for the rest of a stored cut copy keeps that copy, and mark it so."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from flows import salvage
from tasks import queue
from tasks.http import CUT_PAGE
from tasks.models import FeedEntry, FetchResult
from tasks.pages import Page

URL = "https://www.aljazeera.net/news/2026/3/12/%D8%A7%D9%84%D8%A3%D9%85%D9%85-%D8%A7%D9%84%D9%85%D8%AA%D8%AD%D8%AF%D8%A9"
NOW = datetime(2026, 3, 12, 9, tzinfo=UTC)


def _page(url: str = URL) -> Page:
    entry = FeedEntry(feed_url="https://www.aljazeera.net/feed", source_id="aljazeera", url=url, raw_link=url)
    return Page(entry=entry, fetch=FetchResult(url=url, final_url=url, outcome="ok", status=200, fetched_at=NOW),
                html="<html><body><p>نص</p></body></html>")


def _article(status: str, words: int) -> SimpleNamespace:
    return SimpleNamespace(extraction=SimpleNamespace(status=status, error=None, word_count=words))


def _stored_cut(page: Page, words: int) -> dict[str, dict]:
    return {page.entry.article_id: dict(fetch_outcome="ok", word_count=words,
                                        fetch_error=f"{CUT_PAGE}: kept 41000 bytes after 3 attempts")}


def test_a_stored_cut_copy_stays_and_the_page_says_why() -> None:
    page = _page()
    known = _stored_cut(page, 600)
    assert queue.keeps_stored_copy(page, _article("failed", 0), known)
    assert page.keeps_stored and page.keeps_stored.startswith("no article in the new copy")
    stub = _page()
    assert queue.keeps_stored_copy(stub, _article("ok", 120), known)
    assert stub.keeps_stored == "the new copy has 120 words, the stored one 600"
    assert queue.keeps_stored_cut(stub, known)


def test_a_better_copy_or_a_page_never_stored_cut_is_left_unmarked() -> None:
    page = _page()
    assert not queue.keeps_stored_copy(page, _article("ok", 580), _stored_cut(page, 600))
    assert not queue.keeps_stored_copy(page, _article("failed", 0), {})
    assert not queue.keeps_stored_copy(page, None, _stored_cut(page, 600))
    assert page.keeps_stored is None


def test_salvage_says_why_the_run_ended_for_every_page_it_leaves(monkeypatch) -> None:
    """Pages left past the salvage deadline are queued with the reason the run ended ("stopped"),
    also after a chunk was extracted (the loop once reused that reason's name for its own answer,
    and wrote "the run was None before extraction")."""
    clock = iter([0.0, 0.0, 99.0])
    monkeypatch.setattr(salvage.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(salvage, "decode_page", lambda page: page)
    monkeypatch.setattr(salvage.articles_stage, "build_articles",
                        lambda chunk, *_a, **_k: [_article("ok", 300) for _ in chunk])
    pages = [_page(f"{URL}-{i}") for i in range(salvage._CHUNK + 1)]
    p = SimpleNamespace(known={}, site_names={}, boilerplate=None, run_id="r1", zones={})
    done, arts = salvage._extract_some(p, pages, "stopped")
    assert len(done) == len(arts) == salvage._CHUNK
    assert pages[-1].fetch.outcome == "interrupted"
    assert pages[-1].fetch.error == "fetched, but the run was stopped before extraction"
