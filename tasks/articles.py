"""Turn fetched pages into article records: extraction in worker processes, then the
outlet-level boilerplate pass and the matching-key hash in the parent."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tasks import dates, progress
from tasks.boilerplate import BoilerplateModel
from tasks.canonical import is_twin
from tasks.models import Article, Extracted, FeedEntry, FetchResult, stable_id
from tasks.notfound import not_the_article
from tasks.pages import Page
from tasks.pool import map_in_processes
from tasks.urls import canonicalize, clean_link, same_site, split_url
from warehouse.arabic import normalize_key


@dataclass(frozen=True)
class ExtractJob:
    html: str
    url: str
    feed_title: str | None
    feed_summary: str | None
    feed_published: datetime | None
    site_name: str | None
    tz: str | None = None  # the outlet's zone (catalog country): naive page times are local
    # when the page was fetched (the stored fetched_at on a re-extraction, the WARC-Date in a backfill):
    # the extraction's "now", so a relative stamp ("منذ 3 ساعات") counts back from the fetch -- or from
    # `stamped_at`, the page's Last-Modified (see stamped_at below) -- and reads the same every time the
    # page is extracted again
    fetched_at: datetime | None = None
    stamped_at: datetime | None = None


def run_job(job: ExtractJob) -> Extracted:
    """Worker entry point (module level so process pools can pickle it). tasks.extract (trafilatura,
    lxml, py3langid, htmldate) is imported here, not with this module: the workers' fork server has
    it preloaded (tasks/preload.py), and a run's own process, which only hands pages to the workers,
    does not carry it."""
    from tasks.extract import extract_page

    try:
        return extract_page(job.html, job.url, feed_title=job.feed_title, feed_summary=job.feed_summary,
                            feed_published=job.feed_published, site_name=job.site_name, tz=job.tz,
                            now=job.fetched_at, stamped_at=job.stamped_at)
    except Exception as exc:  # extraction must never take the run down
        return Extracted(status="failed", error=f"{type(exc).__name__}: {exc}")


def fallback(entry: FeedEntry, why: str) -> Extracted:
    """What we keep when the page itself is unusable: the feed's own title and summary."""
    text = (entry.summary or "").strip()
    return Extracted(status="fallback_summary" if text else "failed", text=text, title=entry.title,
                     published_at=entry.published_at, author=entry.author,
                     categories=list(entry.categories), error=why)


def content_hash(text: str) -> str | None:
    key = normalize_key(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] if key.strip() else None


def stamped_at(fetch: FetchResult) -> datetime | None:
    """When the page's HTML was rendered, the moment its relative stamps ("منذ 3 ساعات") count from: the
    response's Last-Modified when it is not after the fetch (a static or cached page was rendered then,
    not when we fetched it); None (the fetch time) without one."""
    last_modified = next((v for k, v in fetch.headers.items() if k.lower() == "last-modified"), None)
    when = dates.parse_instant(last_modified) if isinstance(last_modified, str) else None
    if when is None or fetch.fetched_at is None:
        return None
    fetched = fetch.fetched_at if fetch.fetched_at.tzinfo else fetch.fetched_at.replace(tzinfo=UTC)
    return when if when <= fetched else None


def job_for(page: Page, site_names: dict[str, str], zones: dict[str, str] | None = None) -> ExtractJob | None:
    """The extraction job of a fetched page (None when there is no page text to extract)."""
    if page.html is None:
        return None
    return ExtractJob(page.html, page.fetch.final_url or page.entry.url, page.entry.title, page.entry.summary,
                      page.entry.published_at, site_names.get(page.entry.source_id),
                      (zones or {}).get(page.entry.source_id), page.fetch.fetched_at, stamped_at(page.fetch))


def article_of(page: Page, ext: Extracted | None, run_id: str) -> Article:
    """The Article of a page from its extraction (None: no page text; the feed's summary stands in)."""
    if page.html is not None and ext is not None:
        if ext.status == "failed":
            ext = _keep_error(fallback(page.entry, ext.error or "extraction failed"), ext)
        elif why := not_the_article(page.entry.url, page.fetch.final_url, ext.title, ext.text,
                                    ext.status != "fallback_summary"):
            # a page-not-found page or the front page: the feed's title and summary stand in (not
            # the page's canonical URL, which would be the front page's or the error page's)
            version, ext = ext.extractor_version, fallback(page.entry, why)
            ext.extractor_version = version
    else:
        ext = fallback(page.entry, f"page fetch {page.fetch.outcome}: {page.fetch.error or page.fetch.status}")
    return _article(page, ext, run_id)


def lighten(page: Page) -> Page:
    """The page without its body and text, once extracted: what later stages need (entry, fetch
    outcome and headers, WARC pointer) and nothing that grows with the page."""
    return replace(page, fetch=replace(page.fetch, body=b""), html=None)


def build_articles(pages: list[Page], site_names: dict[str, str], workers: int,
                   boilerplate: BoilerplateModel | None, run_id: str,
                   learn_boilerplate: bool = True, zones: dict[str, str] | None = None) -> list[Article]:
    """One Article per page, in order. `learn_boilerplate=False` strips with the model as it is
    without counting these pages into it (re-extraction of pages it has already seen)."""
    jobs = [job for job in (job_for(p, site_names, zones) for p in pages) if job is not None]
    progress.start("extract", len(jobs))
    extracted = iter(map_in_processes(run_job, jobs, workers))
    articles = [article_of(page, next(extracted) if page.html is not None else None, run_id) for page in pages]
    finish_articles(articles, boilerplate, learn=learn_boilerplate)
    return articles


def finish_articles(articles: list[Article], boilerplate: BoilerplateModel | None, learn: bool = True) -> None:
    """The parent-side pass after extraction: outlet boilerplate (learned from these articles
    first unless learn=False), then the matching-key content hash."""
    if boilerplate is not None:
        _strip_outlet_boilerplate(articles, boilerplate, learn)
    for art in articles:
        art.content_hash = content_hash(art.extraction.text)


def _keep_error(fb: Extracted, failed: Extracted) -> Extracted:
    fb.extractor_version = failed.extractor_version
    fb.canonical_url = failed.canonical_url
    return fb


def _article(page: Page, ext: Extracted, run_id: str) -> Article:
    entry = page.entry
    canonical = _accept_canonical(entry.url, ext.canonical_url)
    return Article(
        article_id=stable_id(canonical), url=clean_link(entry.raw_link, entry.feed_url) or entry.url,
        canonical_url=canonical,
        source_id=entry.source_id, feed_url=entry.feed_url,
        fetched_at=page.fetch.fetched_at or datetime.now(UTC), extraction=ext,
        http_status=page.fetch.status, fetch_outcome=page.fetch.outcome, fetch_error=page.fetch.error,
        warc_file=page.warc_file, warc_offset=page.warc_offset,
    )


def _accept_canonical(url: str, declared: str | None) -> str:
    """Trust <link rel=canonical> (folds AMP/mobile twins) only when it is a real article URL
    on the same site (tasks.urls.same_site: "Example.com./x", the Unicode or punycode form of an
    IDN host and www. are the page's own site); some sites point every page at their home page.
    The accepted URL is canonicalised like every article URL (so it keys the same article)."""
    if not declared:
        return url
    canonical = canonicalize(declared, url)
    b = split_url(canonical or "")
    if canonical is None or b is None or b.path in ("", "/"):
        return url
    if not same_site(url, canonical) and not is_twin(url, canonical):  # amp./m. twins may sit on another host
        return url
    return canonical  # tasks.canonical.settle then undoes folds whose text disagrees


def _strip_outlet_boilerplate(articles: list[Article], model: BoilerplateModel, learn: bool = True) -> None:
    model.prepare((a.source_id, a.extraction.text.split("\n")) for a in articles if a.extraction.status == "ok")
    for art in articles:
        if learn and art.extraction.status == "ok":
            model.observe(art.source_id, art.extraction.text.split("\n"))
    for art in articles:
        if art.extraction.status == "ok":
            art.extraction.text = model.strip(art.source_id, art.extraction.text)


def one_per_article(pages: list[Page], arts: list[Article]) -> tuple[list[Page], list[Article]]:
    """An AMP twin and its canonical page listed separately extract to one article: keep one,
    preferring the copy fetched from the canonical URL itself."""
    best: dict[str, int] = {}
    for i, (page, art) in enumerate(zip(pages, arts, strict=True)):
        j = best.get(art.article_id)
        if j is None or (page.entry.article_id == art.article_id and pages[j].entry.article_id != art.article_id):
            best[art.article_id] = i
    keep = sorted(best.values())
    return [pages[i] for i in keep], [arts[i] for i in keep]
