"""Main-text and metadata extraction for Arabic news pages: the entry point.

The only module importing trafilatura, py3langid and the HTML parser. Around trafilatura:

* tasks.cleanup   structural and text-level cleanup rules, per-outlet boilerplate model;
* tasks.metadata  JSON-LD / meta tags / the page's own headline, section, canonical URL, and the
                  story a client-rendered page carries in its scripts' app state (taken when the
                  HTML gives under a quarter of it, as for JSON-LD's articleBody);
* tasks.dates     the publication time, from the page's evidence in a written order, in the
                  outlet's zone; the feed's date when the page gives none (marked as such).

`extract_page` never raises: anything unexpected becomes status="failed".
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import lxml.html
import py3langid
import regex
import trafilatura
from lxml import etree

from tasks import dates
from tasks.boilerplate import BoilerplateModel
from tasks.cleanup import (
    EDGE_LINES,
    byline_name,
    caption_texts,
    clean_text,
    clean_tree,
    credit_lines_of,
    drop_author_line,
    lead_texts,
)
from tasks.metadata import (
    app_state_text,
    canonical_url,
    clean_ws,
    credit_lines,
    is_app_shell,
    is_cms_account,
    is_dateline_credit,
    is_outlet_name,
    json_ld_article,
    ld_body_text,
    ld_image,
    ld_name,
    meta_tags,
    names_the_site,
    page_author,
    page_tags,
    pick_title,
    section_and_categories,
)
from tasks.models import Extracted
from tasks.urls import split_url

__all__ = ["EXTRACTOR_VERSION", "BoilerplateModel", "clean_text", "extract_page", "page_published"]

EXTRACTOR_VERSION = f"akhbar-extract/2+trafilatura-{trafilatura.__version__}"

MAX_HTML_CHARS = 5_000_000  # bigger than any real article page; parsing more is a DoS risk
MIN_TEXT_CHARS = 80  # below this the extraction is not an article body: prefer the feed summary
MIN_WORDS = 3  # fewer words than this is not text at all (markup debris)
# A page whose HTML gives less than this share of its own JSON-LD articleBody is a shell its
# scripts fill in (client-side rendering): its text is the articleBody. Only then: on 137 pages of
# the extraction benchmarks carrying an articleBody of 200+ chars, one extraction was under a
# quarter of it (an empty one); where ours was 0.45-0.6 of it the articleBody was sometimes the
# better text (The New Yorker) and sometimes the page with its furniture (Corriere della Sera).
LD_BODY_SHARE = 0.25
MIN_LD_BODY_CHARS = 400
LANGUAGE_SAMPLE_CHARS = 1000  # of the text, for py3langid (detect_language)

# trafilatura settings, measured with bench/extraction.py: include_comments=False removes the
# comment widgets every template ships. favor_precision=True scored dev 1.0 / Zyte F1 0.974 but
# recall 0.980 (< plain 0.983); we keep recall (dedupe and search need whole bodies) and get
# precision from our own cleanup instead (Zyte F1 0.971, recall 0.983 at dc28673).
TRAFILATURA_OPTS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "deduplicate": False,
    "with_metadata": False,
}


def resolve_published(root: etree._Element, url: str, meta: dict[str, str], ld: dict, title: str | None,
                      feed_published: datetime | None, now: datetime, tz: str | None,
                      stamped_at: datetime | None = None) -> dates.Resolved:
    """The page's publication time by tasks.dates' order of evidence, else the feed's date. No
    search of the page's text beyond the date line by the headline: that is where page chrome
    (today's date, "most read" boxes, banner years) gets mistaken for the article's date."""
    urls = [url, canonical_url(root, url) or ""]
    zone = dates.zone(tz)
    # `tz` is the outlet's catalog country (or a zone name): with neither, the page's language tag says
    # whether its numeric dates are day first ("06-12-2026 10:30 AM" on an Arabic page)
    day_first = dates.writes_day_first(tz if tz and len(tz) == 2 else None, root.get("lang") or meta.get("og:locale"))
    return dates.resolve(dates.page_candidates(root, meta, ld, title, urls, stamped_at or now, zone, feed_published),
                         zone, now, feed_published, day_first)


def page_published(html: str, url: str = "", now: datetime | None = None, tz: str | None = None,
                   feed_published: datetime | None = None) -> dates.Resolved:
    """Publication time of one page (benchmarks and tests): instant in UTC and its evidence kind."""
    now = now or datetime.now(UTC)
    root = _parse(html)
    if root is None:
        return dates.Resolved(dates.plausible(feed_published, now), "feed" if feed_published else None)
    meta, ld = meta_tags(root), json_ld_article(root)
    title = pick_title(root, meta, ld, None, None)
    return resolve_published(root, url, meta, ld, title, feed_published, now, tz)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code by py3langid on the text itself (<html lang> is often a CMS default).
    The first 1,000 characters: py3langid's cost grows with the sample (a pure-Python walk over
    its bytes: 3,000 characters were ~15 % of a page's extraction), and on the extraction sets
    (Zyte, trafilatura's eval pages, Arabic real and dev pages) the answers are the same as
    with 3,000."""
    sample = text[:LANGUAGE_SAMPLE_CHARS].strip()
    if len(sample) < 20:
        return None
    lang, _score = py3langid.classify(sample)
    return lang


# ---------------------------------------------------------------------------------------------
# Input validation and entry point
# ---------------------------------------------------------------------------------------------


# U+FFFD and C0 controls other than \t \n \f \r (one C-level scan instead of a per-char loop).
_BINARY_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(html: str) -> bool:
    """Control characters / U+FFFD in bulk mean undecodable bytes, not a page."""
    sample = html[:20000]
    if not sample:
        return True
    bad = len(_BINARY_CHARS.findall(sample))
    return bad / len(sample) > 0.05 or "<" not in sample


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with a C-level element class lookup: every element is an HtmlElement
    (the stock lookup is a Python call per element proxy, to give form controls their own
    classes, which nothing here uses). Each pass over the tree (ours and trafilatura's) creates
    proxies anew, so this is ~0.3-0.5 ms of every page (bench/RESULTS.md, Pipeline)."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    return parser


_PARSER = _html_parser()


def _parse(html: str) -> etree._Element | None:
    html = html.lstrip("\ufeff")
    if html.lstrip()[:5].lower() == "<?xml":  # lxml refuses str with an encoding declaration
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    html = html.replace("\x00", "")
    try:
        root = lxml.html.document_fromstring(html, parser=_PARSER)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
            # libxml2 stops nesting at 256 levels and drops everything after: a template that
            # opens a <div> per paragraph and never closes it lost the story's second half
            # silently. A browser keeps that text; so do we, with the unclosed tags unnested.
            root = lxml.html.document_fromstring(_unnest(html), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")  # [^<>]: linear on unclosed tags
_BLOCKS = frozenset({"div", "section", "article", "main", "aside", "header", "footer", "nav", "center",
                     "blockquote", "ul", "ol", "li", "dl", "dd", "dt", "form", "fieldset", "figure", "table",
                     "tbody", "tr", "td", "th"})


def _unnest(html: str) -> str:
    """The page with the tags it nests more than 32 deep (unclosed, or closed only at the end)
    taken out: each such block becomes a paragraph break, each such inline tag nothing, so its
    text stays in the tree."""
    opened: dict[str, int] = {}
    deepest: dict[str, int] = {}
    for m in _TAG_RE.finditer(html):
        name = m.group(2).lower()
        n = opened[name] = opened.get(name, 0) + (-1 if m.group(1) else 1)
        if n > deepest.get(name, 0):
            deepest[name] = n
    over = {name for name, n in deepest.items() if n > 32}
    if not over:
        return html
    def swap(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name not in over:
            return m.group(0)
        return "<p>" if name in _BLOCKS and not m.group(1) else ""
    return _TAG_RE.sub(swap, html)


def _feed_summary_text(feed_summary: str | None) -> str:
    """Feed summaries are often HTML: reduce to text paragraphs."""
    if not feed_summary or not feed_summary.strip():
        return ""
    s = feed_summary.strip()
    if "<" in s:
        try:
            frag = lxml.html.fragment_fromstring(s, create_parent="div")
            for br in frag.iter("br"):
                br.tail = "\n" + (br.tail or "")
            for p in frag.iter("p", "div", "li"):
                p.tail = "\n" + (p.tail or "")
            s = "".join(frag.itertext())
        except (etree.ParserError, ValueError):
            s = re.sub(r"<[^>]+>", " ", s)
    lines = [" ".join(x.split()) for x in s.splitlines()]
    text = "\n".join(x for x in lines if x)
    return clean_text(text)


def _failed(error: str, feed_summary: str | None, feed_title: str | None, feed_published: datetime | None,
            now: datetime) -> Extracted:  # fmt: skip
    summary = _feed_summary_text(feed_summary)
    if summary:
        published = dates.plausible(feed_published, now)
        return Extracted(
            status="fallback_summary", text=summary, title=clean_ws(feed_title), published_at=published,
            published_at_source="feed" if published else None,
            language=detect_language(summary), error=error, extractor_version=EXTRACTOR_VERSION,
        )  # fmt: skip
    return Extracted(
        status="failed", error=error, title=clean_ws(feed_title), extractor_version=EXTRACTOR_VERSION
    )


def extract_page(
    html: str,
    url: str,
    *,
    feed_title: str | None = None,
    feed_summary: str | None = None,
    feed_published: datetime | None = None,
    site_name: str | None = None,
    boilerplate: BoilerplateModel | None = None,
    now: datetime | None = None,
    source_id: str | None = None,
    tz: str | None = None,
    stamped_at: datetime | None = None,
) -> Extracted:
    """Extract text and metadata from one decoded page. Never raises.

    `boilerplate`, when given, learns from this page (observe) and then strips the outlet's
    recurring lines; it is keyed by `source_id` (default: the URL's host). `tz` is the outlet's
    zone (IANA name or catalog country code): dates the page writes without a zone are its
    local time. `now` is the moment the page was fetched (default: the current time): no date
    may lie more than a day after it, and a relative stamp on the date line ("منذ 3 ساعات")
    counts back from it, so a page extracted again later dates the same; `stamped_at`, when given,
    is when the page was rendered (its Last-Modified, see tasks.articles.stamped_at) and the stamp
    counts back from it instead.
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        if not isinstance(html, str) or not html.strip():
            return _failed("empty html", feed_summary, feed_title, feed_published, now)
        if len(html) > MAX_HTML_CHARS:
            return _failed(
                f"html too large ({len(html)} chars)", feed_summary, feed_title, feed_published, now
            )
        if _looks_binary(html):
            return _failed("not html (binary or undecodable)", feed_summary, feed_title, feed_published, now)
        root = _parse(html)
        if root is None:
            return _failed("unparseable html", feed_summary, feed_title, feed_published, now)
        parts = split_url(url or "")
        if parts is None:  # a WARC record's target URI can be any string: extract as if none were given
            url = ""
        host = parts.hostname if parts is not None else None
        ext = _extract(root, url, feed_title, feed_summary, feed_published, site_name, boilerplate, now,
                       source_id or host or "", tz, stamped_at, host)  # fmt: skip
        if ext.status == "ok" and is_paywall_stub(html, ext.text):
            # Only a teaser is public: say so, and keep whichever is fuller, the teaser or the
            # feed's summary (the teaser can be all the outlet ever shows).
            summary = _feed_summary_text(feed_summary)
            ext.error = "; ".join(filter(None, ["paywall stub (isAccessibleForFree=false): only a teaser is public",
                                                ext.error]))
            if len(summary) > len(ext.text):
                ext.status, ext.text = "fallback_summary", summary
                ext.language = detect_language(ext.text or ext.title or "")
        return ext
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return _failed(f"{type(exc).__name__}: {exc}"[:500], feed_summary, feed_title, feed_published, now)


def _guarded(fn, args: tuple, default, what: str, notes: list[str]):
    """Run one evidence reader (captions, lead, date) on the page; a failure of the reader costs
    that evidence, not the article: the body is still extracted and the failure is noted in
    `Extracted.error` (a date reader tripping over an HTML comment once emptied whole pages)."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - bad markup must not cost the body text
        notes.append(f"{what} unreadable: {type(exc).__name__}: {exc}"[:200])
        return default


def _extract(
    root: etree._Element,
    url: str,
    feed_title: str | None,
    feed_summary: str | None,
    feed_published: datetime | None,
    site_name: str | None,
    boilerplate: BoilerplateModel | None,
    now: datetime,
    source_key: str,
    tz: str | None = None,
    stamped_at: datetime | None = None,
    host: str | None = None,
) -> Extracted:
    meta = meta_tags(root)
    ld = json_ld_article(root)
    title = pick_title(root, meta, ld, feed_title, site_name)
    notes: list[str] = []  # evidence readers that failed on this page (the body is kept)
    captions = _guarded(caption_texts, (root,), [], "captions", notes)
    leads = _guarded(lead_texts, (root, title), [], "lead", notes)

    cleaned = copy.deepcopy(root)
    clean_tree(cleaned, url)
    raw = trafilatura.extract(cleaned, url=url or None, **TRAFILATURA_OPTS) or ""
    text = clean_text(raw, title, captions, leads)
    if boilerplate is not None and text:
        boilerplate.observe(source_key, text.splitlines())
        text = boilerplate.strip(source_key, text)
    def fuller(alt: str, where: str) -> str:
        """`alt`, a copy of the story the page carries beside its HTML, cleaned like the HTML's
        text, when the HTML gave under LD_BODY_SHARE of it and it stays the longer; else `text`."""
        if len(alt) < MIN_LD_BODY_CHARS or len(text) >= LD_BODY_SHARE * len(alt):
            return text
        body = clean_text(alt, title, captions, leads)
        if boilerplate is not None and body:
            body = boilerplate.strip(source_key, body)
        if len(body) <= len(text):
            return text
        notes.append(f"text from the page's {where} (its HTML gave {len(text)} chars)")
        return body

    text = fuller(_guarded(ld_body_text, (ld,), "", "articleBody", notes), "JSON-LD articleBody")
    state_chars = sum(len(s.text or "") for s in root.iter("script") if not s.get("src"))
    if len(text) < LD_BODY_SHARE * min(state_chars, MAX_HTML_CHARS):
        # a client-rendered page: the story may be in the app state its scripts carry (Next.js, Nuxt, Arc XP)
        text = fuller(_guarded(app_state_text, (root, title), "", "app state", notes), "embedded app state")

    when = _guarded(resolve_published, (root, url, meta, ld, title, feed_published, now, tz, stamped_at),
                    dates.Resolved(dates.plausible(feed_published, now), "feed" if feed_published else None),
                    "date", notes)
    # No second metadata pass (trafilatura.extract_metadata runs htmldate over the whole page
    # again, ~30 % of the cost of a page, for fields the page's own markup gives cheaply).
    outlet_names = (site_name, meta.get("og:site_name"), ld_name(ld.get("publisher")))
    author = ld_name(ld.get("author")) or meta.get("article:author") or meta.get("author")
    if (not author or author.startswith(("http://", "https://")) or is_cms_account(author)
            or is_outlet_name(author, outlet_names)):
        author = page_author(root)
    raw_lines = [ln for ln in raw.splitlines() if ln.strip()]
    if not author:  # a byline printed as the text's first or last line ("كتب: علي حسين")
        author = byline_name(raw_lines[:EDGE_LINES] + raw_lines[-EDGE_LINES:])
    if author and (is_outlet_name(author, outlet_names) or is_cms_account(author)):
        author = None  # the outlet itself or the site's account, as CMSs fill it on every page: no byline
    credit_author = author
    if author and (names_the_site(author, outlet_names, host) or is_dateline_credit(author, outlet_names)):
        # the site's account by its domain or short name, or a dateline ("(أبوظبي - البيان)"): no
        # byline, though still the page's own credit (kept in `credits` below, as before)
        author = None
    text = drop_author_line(text, clean_ws(credit_author))  # a byline or credit line printed in the text
    image = ld_image(ld.get("image")) or meta.get("og:image") or meta.get("twitter:image")
    section, categories = section_and_categories(meta, ld, root)
    if not categories:
        categories = page_tags(root)
    canonical = canonical_url(root, url)
    if image and url:
        try:
            image = urljoin(url, image)
        except ValueError:  # an og:image that does not parse ("http://[x"): no image, not a failed page
            image = None

    status, error = "ok", ("; ".join(notes)[:500] or None)
    if len(text) < MIN_TEXT_CHARS:
        summary = _feed_summary_text(feed_summary)
        if summary and len(summary) > len(text):
            status, text, error = "fallback_summary", summary, "extraction too short"
        elif len(regex.findall(r"\w+", text)) < MIN_WORDS:
            status, text, error = "failed", "", "no usable text extracted"
            if is_app_shell(root):  # say why: the page is an app that renders the story in the browser
                error += " (a client-rendered page: neither its HTML nor its app state holds the story)"
    return Extracted(
        status=status,
        text=text,
        title=title,
        author=clean_ws(author),
        published_at=when.published_at,
        published_at_source=when.source,
        image=image,
        section=section,
        categories=categories,
        language=detect_language(text or title or ""),
        canonical_url=canonical,
        error=error,
        extractor_version=EXTRACTOR_VERSION,
        # the byline is attribution evidence too: "أ ف ب", "القاهرة - رويترز", "المرصد - وكالات"
        credits=list(dict.fromkeys(credit_lines_of(raw, text) + credit_lines(root, text)
                                   + ([clean_ws(credit_author)] if credit_author and len(credit_author) <= 90
                                      else []))),
    )


def is_paywall_stub(html: str, text: str) -> bool:
    """Signal for subscription walls: schema.org isAccessibleForFree=false with little text."""
    low = html[:200000].lower()
    flagged = '"isaccessibleforfree": false' in low or '"isaccessibleforfree":false' in low
    flagged |= '"isaccessibleforfree": "false"' in low or '"isaccessibleforfree":"false"' in low
    return flagged and len(text) < 1500
