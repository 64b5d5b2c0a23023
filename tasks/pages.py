"""Fetch article pages: one polite run through the HTTP layer, streamed in entry order; raw bytes
archived to WARC as each page arrives, bodies decoded, one hop of <meta http-equiv=refresh> (or of a
Refresh header, or of a script-only redirect page) followed, with the cookies the page set."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tasks import progress
from tasks.archive import WarcWriter
from tasks.encoding import Decoded, decode_html
from tasks.http import FetchRequest, HostBook, HttpSettings, cookies_set, fetch_all, fetch_stream
from tasks.models import FeedEntry, FetchResult
from tasks.urls import (
    MAX_REDIRECT_PAGE_CHARS,
    meta_refresh_target,
    script_cookie_check,
    script_redirect_target,
)

log = logging.getLogger("akhbar.pages")


@dataclass
class Page:
    entry: FeedEntry
    fetch: FetchResult
    html: str | None = None
    encoding: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    # Why this page, asked again for the rest of a stored copy kept cut short, keeps the stored
    # copy though it came whole (its text is not the article's: tasks.queue.no_better), or None.
    keeps_stored: str | None = None


def fetch_pages(entries: list[FeedEntry], http: HttpSettings, archive: WarcWriter | None,
                book: HostBook | None = None, done: dict[int, Page] | None = None) -> list[Page]:
    """Every entry's page (the list form of `iter_pages`, every request allowed in flight at
    once). `done` (index of the entry -> Page) is filled as the pages come, so a run stopped
    midway keeps what it fetched. book: the run's HostBook (shared with the feed stage)."""
    done = {} if done is None else done
    pages = []
    for i, page in enumerate(iter_pages(entries, http, archive, window=max(1, len(entries)), book=book)):
        done[i] = page
        pages.append(page)
    return pages


def iter_pages(entries: list[FeedEntry], http: HttpSettings, archive: WarcWriter | None,
               window: int = 64, stop: threading.Event | None = None,
               book: HostBook | None = None, arrived: Callable[[Page], None] | None = None) -> Iterator[Page]:
    """The pages of `entries`, in entry order, as they arrive (`tasks.http.fetch_stream`: at most
    `window` responses ahead of the caller). Each response is archived to WARC as soon as it is
    received, decoded, and a refresh stub followed once (the target archived too), before it is
    handed on. `stop` set: the iteration ends early (the run is being stopped). book: the run's
    HostBook; pages of a skipped host or past the fetch deadline come back unsent. arrived(page):
    called with each page (archived, not decoded) as soon as its answer comes, in any order (a
    stopped run keeps what arrived behind a slow page)."""
    progress.start("pages", len(entries))
    keeper = _Archiver(archive)
    landed: dict[int, Page] = {}  # answers archived as they came, not yet handed on (<= window)

    def on_result(i: int, result: FetchResult) -> None:
        page = Page(entry=entries[i], fetch=result)
        keeper.keep(page)
        landed[i] = page
        if arrived is not None:
            arrived(page)

    results = fetch_stream([FetchRequest(url=e.url, kind="page") for e in entries], http, window, stop, book,
                           on_result)
    for i, (entry, result) in enumerate(zip(entries, results, strict=False)):  # shorter only when stopped
        page = landed.pop(i, None)
        if page is None or page.fetch is not result:  # on_result failed for it: archive it here
            page = Page(entry=entry, fetch=result)
            keeper.keep(page)
        decoded = _follow_meta_refresh(page, http, book, keeper)
        if page.fetch.ok:
            if decoded is None or decoded[0] is not page.fetch:  # not decoded yet, or a refresh target
                decoded = (page.fetch, decode_html(page.fetch.body, page.fetch.headers.get("content-type")))
            page.html, page.encoding = decoded[1].text, decoded[1].encoding
        yield page


def decode_page(page: Page) -> Page:
    """Fill html/encoding of a fetched page that has not been decoded yet."""
    if page.fetch.ok and page.html is None:
        d = decode_html(page.fetch.body, page.fetch.headers.get("content-type"))
        page.html, page.encoding = d.text, d.encoding
    return page


class _Archiver:
    """Writes each response to the run's WARC as it arrives; a full disk stops the archiving
    (logged), never the run: the pages themselves go on to extraction and staging."""

    def __init__(self, archive: WarcWriter | None) -> None:
        self.archive = archive
        self._lock = threading.Lock()  # the fetching thread and a refresh follower both write

    def keep(self, page: Page) -> None:
        with self._lock:
            self._keep(page)

    def _keep(self, page: Page) -> None:
        f = page.fetch
        if self.archive is None or f.status is None:
            return
        try:
            page.warc_file, page.warc_offset = self.archive.write_response(f.final_url, f.status, f.headers,
                                                                           f.body, f.fetched_at)
        except OSError as exc:
            from warehouse.db import is_disk_full  # here: the workers import this module, not DuckDB

            if not is_disk_full(exc):
                raise
            log.error("archive full, pages of this run are not archived: %s", exc)
            self.archive = None


def _follow_meta_refresh(page: Page, http: HttpSettings, book: HostBook | None = None,
                         keeper: _Archiver | None = None) -> tuple[FetchResult, Decoded] | None:
    """Some outlets answer 200 with a refresh tag, or a page whose only business is a script
    setting `location`, instead of a redirect: follow it once (the target replaces page.fetch). Returns the decoding made on the way, with the FetchResult it
    belongs to, so the caller does not decode the same body twice."""
    if not page.fetch.ok or len(page.fetch.body) > MAX_REDIRECT_PAGE_CHARS:  # an article is no refresh page
        return None
    d = decode_html(page.fetch.body, page.fetch.headers.get("content-type"))
    decoded = (page.fetch, d)
    final = page.fetch.final_url
    refresh = page.fetch.headers.get("refresh")  # the HTTP header form of the refresh tag
    target = (meta_refresh_target(d.text, final) or script_redirect_target(d.text, final)
              or (refresh and meta_refresh_target(d.text, final, header=refresh)))
    # A cookie check (nginx testcookie and the like) sets its cookie and refreshes, often to the
    # page itself: asked again with the cookie, as a browser does, it is the article.
    cookie = cookies_set(page.fetch.headers)
    if check := script_cookie_check(d.text, final):  # cookies a script sets, then a reload
        cookie = "; ".join(filter(None, [cookie, check[0]]))
        target = target or check[1]
    if target and (target != final or cookie):
        page.fetch = fetch_all([FetchRequest(url=target, kind="page", cookie=cookie)], http, book)[0]
        if keeper is not None:
            keeper.keep(page)
    return decoded
