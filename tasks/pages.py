"""Fetch article pages: one polite batch through the HTTP layer, raw bytes archived to WARC,
bodies decoded, one hop of <meta http-equiv=refresh> followed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tasks import progress
from tasks.archive import WarcWriter
from tasks.encoding import Decoded, decode_html
from tasks.http import FetchRequest, HttpSettings, fetch_all
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


def fetch_pages(entries: list[FeedEntry], http: HttpSettings, archive: WarcWriter | None) -> list[Page]:
    progress.start("pages", len(entries))
    results = fetch_all([FetchRequest(url=e.url, kind="page") for e in entries], http)
    pages = [Page(entry=e, fetch=r) for e, r in zip(entries, results, strict=True)]
    decoded = _follow_meta_refresh(pages, http)
    for page in pages:
        if archive is not None and page.fetch.status is not None:
            f = page.fetch
            try:
                page.warc_file, page.warc_offset = archive.write_response(f.final_url, f.status, f.headers,
                                                                          f.body, f.fetched_at)
            except OSError as exc:
                if not is_disk_full(exc):
                    raise
                log.error("archive full, pages of this run are not archived: %s", exc)
                archive = None  # the pages themselves go on to extraction and staging
        if page.fetch.ok:
            fetch, done = decoded.get(id(page), (None, None))
            if fetch is not page.fetch:  # not decoded yet, or replaced by the refresh target
                done = decode_html(page.fetch.body, page.fetch.headers.get("content-type"))
            page.html, page.encoding = done.text, done.encoding
    return pages


def _follow_meta_refresh(pages: list[Page], http: HttpSettings) -> dict[int, tuple[FetchResult, Decoded]]:
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
    results = fetch_all([FetchRequest(url=t, kind="page") for _, t in todo], http)
    for (page, _), result in zip(todo, results, strict=True):
        page.fetch = result
    return decoded
