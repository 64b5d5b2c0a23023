"""Fetch article pages: one polite batch through the HTTP layer, raw bytes archived to WARC,
bodies decoded, one hop of <meta http-equiv=refresh> followed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tasks import progress
from tasks.archive import WarcWriter
from tasks.encoding import Decoded, decode_html
from tasks.http import FetchRequest, HostBook, HttpSettings, fetch_all
from tasks.models import FeedEntry, FetchResult
from tasks.urls import meta_refresh_target
from warehouse.db import is_disk_full

log = logging.getLogger("akhbar.pages")


@dataclass
class Page:
    entry: FeedEntry
    fetch: FetchResult
    html: str | None = None
    encoding: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None


def fetch_pages(entries: list[FeedEntry], http: HttpSettings, archive: WarcWriter | None,
                book: HostBook | None = None, done: dict[int, Page] | None = None) -> list[Page]:
    """Fetch every entry's page. Each response is archived as soon as it arrives, and `done`
    (index of the entry -> Page) is filled at the same time, so a run stopped midway keeps
    what it fetched. book: the run's HostBook (shared with the feed stage)."""
    progress.start("pages", len(entries))
    done = {} if done is None else done
    keeper = _Archiver(archive)

    def arrived(i: int, result: FetchResult) -> None:
        page = Page(entry=entries[i], fetch=result)
        keeper.keep(page)
        done[i] = page

    results = fetch_all([FetchRequest(url=e.url, kind="page") for e in entries], http, book, arrived)
    pages = [done.get(i) or Page(entry=e, fetch=r) for i, (e, r) in enumerate(zip(entries, results, strict=True))]
    decoded = _follow_meta_refresh(pages, http, book, keeper)
    for page in pages:
        if page.fetch.ok:
            fetch, d = decoded.get(id(page), (None, None))
            if fetch is not page.fetch:  # not decoded yet, or replaced by the refresh target
                d = decode_html(page.fetch.body, page.fetch.headers.get("content-type"))
            page.html, page.encoding = d.text, d.encoding
    return pages


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

    def keep(self, page: Page) -> None:
        f = page.fetch
        if self.archive is None or f.status is None:
            return
        try:
            page.warc_file, page.warc_offset = self.archive.write_response(f.final_url, f.status, f.headers,
                                                                           f.body, f.fetched_at)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            log.error("archive full, pages of this run are not archived: %s", exc)
            self.archive = None


def _follow_meta_refresh(pages: list[Page], http: HttpSettings, book: HostBook | None = None,
                         keeper: _Archiver | None = None) -> dict[int, tuple[FetchResult, Decoded]]:
    """Some outlets answer 200 with a refresh tag instead of a redirect: follow it once.

    Returns the decodings made on the way, keyed by id(page) with the FetchResult they belong
    to, so the caller does not decode the same body twice."""
    todo: list[tuple[Page, str]] = []
    decoded: dict[int, tuple[FetchResult, Decoded]] = {}
    for page in pages:
        if page.fetch.ok and len(page.fetch.body) < 20_000:
            d = decode_html(page.fetch.body, page.fetch.headers.get("content-type"))
            decoded[id(page)] = (page.fetch, d)
            target = meta_refresh_target(d.text, page.fetch.final_url)
            if target and target != page.fetch.final_url:
                todo.append((page, target))
    if not todo:
        return decoded
    results = fetch_all([FetchRequest(url=t, kind="page") for _, t in todo], http, book)
    for (page, _), result in zip(todo, results, strict=True):
        page.fetch = result
        if keeper is not None:
            keeper.keep(page)
    return decoded
