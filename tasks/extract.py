"""Main-text and metadata extraction for Arabic news pages.

The only module importing trafilatura and py3langid. trafilatura does the heavy lifting; around it:

1. structural cleanup on the lxml tree (figures/captions, asides, nav, share/tag/related blocks,
   link-dense short blocks, layout tables unwrapped) — class/id *tokens*, not site selectors;
2. text-level rules for what slips through (reading-time widgets, "اقرأ أيضاً" lines, caption
   credits, share/newsletter lines, tag lists);
3. per-outlet boilerplate learned from repetition (`BoilerplateModel`);
4. metadata from JSON-LD / meta tags / the page's own headline element, with trafilatura/htmldate
   and the feed as fallbacks.

`extract_page` never raises: anything unexpected becomes status="failed".
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
import py3langid
import regex
import trafilatura
from lxml import etree

from tasks.models import Extracted

EXTRACTOR_VERSION = f"akhbar-extract/1+trafilatura-{trafilatura.__version__}"

MAX_HTML_CHARS = 5_000_000  # bigger than any real article page; parsing more is a DoS risk
MIN_TEXT_CHARS = 80  # below this the extraction is not an article body: prefer the feed summary
MIN_WORDS = 3  # fewer words than this is not text at all (markup debris)
FUTURE_TOLERANCE = timedelta(days=1)

# trafilatura settings, measured with bench/extraction.py: include_comments=False removes the
# comment widgets every template ships. favor_precision=True scored dev 1.0 / Zyte F1 0.974 but
# recall 0.980 (< plain 0.983); we keep recall (dedupe and search need whole bodies) and get
# precision from our own cleanup instead (Zyte F1 0.967, recall 0.983).
TRAFILATURA_OPTS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "deduplicate": False,
    "with_metadata": False,
}

# ---------------------------------------------------------------------------------------------
# Structural cleanup (HTML level)
# ---------------------------------------------------------------------------------------------

# Tags that never hold article text.
_DROP_TAGS = {
    "script", "style", "noscript", "template", "nav", "figcaption", "button", "input",
    "select", "textarea", "label", "marquee", "iframe", "svg", "canvas", "video", "audio",
}  # fmt: skip
# Class/id/data-testid tokens of non-article blocks. Matched as whole tokens after splitting
# "c-readalso__list", "ImgCaption", "share-buttons-top" into words.
_BOILER_TOKENS = {
    "share", "sharing", "sharer", "social", "related", "readalso", "readmore", "recommended",
    "tags", "tag", "tagcloud", "keywords", "caption", "credit", "credits", "photocredit",
    "nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "sidebar", "side", "widget",
    "footer", "comment", "comments", "respond", "newsletter", "subscribe", "subscription",
    "cookie", "consent", "popup", "modal", "ad", "ads", "advert", "advertisement", "adslot",
    "gpt", "banner", "promo", "sponsor", "sponsored", "poll", "vote", "meta", "byline",
    "author", "date", "dateline_meta", "views", "print", "tools", "toolbar", "mostread",
    "popular", "trending", "breaking", "ticker", "marquee", "reading", "readtime",
    "kicker", "source", "outbrain", "taboola", "disqus", "login", "signup", "rating",
}  # fmt: skip
# Two-word class names that are boilerplate only together ("read-more", "most-read", "reading-time").
_BOILER_BIGRAMS = {
    ("read", "also"), ("read", "more"), ("most", "read"), ("reading", "time"), ("see", "also"),
    ("more", "news"), ("to", "read"), ("image", "credit"), ("photo", "credit"), ("source", "line"),
}  # fmt: skip
_BOILER_ROLES = {"navigation", "complementary", "dialog", "banner", "contentinfo", "alertdialog"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
# Candidates for the link-density rule: containers (plus <span>s outside running text). A <p>
# that is one link is often real text ("CLICK FOR FULL RESULTS"), read-also lines go by text rule.
_BLOCK_TAGS = {"div", "section", "aside", "ul", "ol", "header", "footer", "table", "td"}
# Inline markup inside running text is never dropped by class name (ad-tracking classes on links).
_INLINE_TAGS = {"a", "span", "b", "strong", "em", "i", "u", "small", "sup", "sub", "font", "abbr", "mark"}
_TEXT_PARENTS = {"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "dd"}


def _attr_tokens(el: etree._Element) -> list[str]:
    """Words of an element's class, id and data-testid ("ImgCaption" -> ["img", "caption"])."""
    raw = " ".join(el.get(a, "") for a in ("class", "id", "data-testid"))
    return [t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t]


def _is_boilerplate_by_name(el: etree._Element) -> bool:
    toks = _attr_tokens(el)
    if any(t in _BOILER_TOKENS for t in toks):
        return True
    if any(pair in _BOILER_BIGRAMS for pair in zip(toks, toks[1:], strict=False)):
        return True
    return (el.get("role") or "").lower() in _BOILER_ROLES


def _text_len(el: etree._Element) -> int:
    return len("".join(el.itertext()).strip())


def _link_text_len(el: etree._Element) -> int:
    return sum(_text_len(a) for a in el.iter("a"))


def _size_maps(root: etree._Element, min_chunk: int = 80) -> tuple[dict, dict]:
    """Per element: total text chars, and "prose" chars (text runs of >= min_chunk chars).

    One reverse document-order pass (children before parents), so it stays linear on big pages.
    """
    text: dict = {}
    prose: dict = {}
    for el in reversed(list(root.iter())):
        t = p = 0
        for chunk in (el.text if isinstance(el.tag, str) else None,):
            if chunk and chunk.strip():
                n = len(chunk.strip())
                t += n
                p += n if n >= min_chunk else 0
        for child in el:
            t += text.get(child, 0)
            p += prose.get(child, 0)
            if child.tail and child.tail.strip():
                n = len(child.tail.strip())
                t += n
                p += n if n >= min_chunk else 0
        text[el], prose[el] = t, p
    return text, prose


def _remove(el: etree._Element) -> None:
    """Drop an element but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail and tail.strip():
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout (not data): nested tables or cells holding prose."""
    if table.find(".//table") is not None:
        return True
    for cell in table.iter("td", "th"):
        if _text_len(cell) >= 200 or cell.find(".//p") is not None or cell.find(".//div") is not None:
            return True
    return False


def _unwrap_layout_tables(root: etree._Element) -> None:
    """Turn layout tables into divs so trafilatura sees blocks, not a data table."""
    changed = True
    while changed:
        changed = False
        for table in list(root.iter("table")):
            if _is_layout_table(table):
                for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                    el.tag = "div"
                changed = True
                break


def _split_double_br(root: etree._Element) -> None:
    """`text<br><br>text` is a paragraph break: make each run its own <p>."""
    for container in list(root.iter("span", "div", "td", "font")):
        brs = container.findall("br")
        if len(brs) < 2:
            continue
        has_double = any(
            b.getnext() is not None and b.getnext().tag == "br" and not (b.tail or "").strip() for b in brs
        )
        if not has_double or container.find(".//p") is not None:
            continue
        paras: list[list] = [[]]
        if container.text and container.text.strip():
            paras[-1].append(container.text)
        for child in list(container):
            if child.tag == "br":
                paras.append([])
            else:
                paras[-1].append(copy.deepcopy(child))
                child.tail = None
            if child.tail and child.tail.strip():
                paras[-1].append(child.tail)
        for child in list(container):
            container.remove(child)
        container.text = None
        container.tag = "div" if container.tag == "span" else container.tag
        for items in paras:
            if not items:
                continue
            p = etree.SubElement(container, "p")
            for item in items:
                if isinstance(item, str):
                    if len(p):
                        p[-1].tail = (p[-1].tail or "") + item
                    else:
                        p.text = (p.text or "") + item
                else:
                    p.append(item)


def _clean_tree(root: etree._Element) -> None:
    """Remove non-article blocks in place (see module doc). Order matters: cheap tag drops first.

    The headline element is left alone: trafilatura anchors on it, and the title line is
    dropped from the text afterwards instead.
    """
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(el)
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)
    _unwrap_layout_tables(root)
    body = root.find(".//body")
    body = body if body is not None else root
    text_len, prose = _size_maps(body)
    total = max(1, text_len.get(body, 0))
    total_prose = max(1, prose.get(body, 0))
    holders = _article_ancestors(body)
    for el in list(body.iter()):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        if el.tag in ("html", "body", "main", "article"):
            continue
        # figures: images + captions/credits; a figure of prose (rare) is protected below
        inline_in_text = el.tag in _INLINE_TAGS and el.getparent().tag in _TEXT_PARENTS
        drop = el.tag in ("figure", "aside", "form") or (not inline_in_text and _is_boilerplate_by_name(el))
        if not drop and (el.tag in _BLOCK_TAGS or (el.tag == "span" and not inline_in_text)):
            drop = _is_link_block(el, text_len.get(el, 0))
        # never drop a container holding much of the page's prose, the headline or the marked
        # article body: class words like "print", "meta" or WordPress' "tag-<slug>" sit on
        # article wrappers too
        if (
            drop
            and prose.get(el, 0) < 0.3 * total_prose
            and text_len.get(el, 0) < 0.5 * total
            and el not in holders
        ):
            _remove(el)
    _split_double_br(root)


def _article_ancestors(body: etree._Element) -> set:
    """Elements containing the page headline (<h1>) or a schema.org articleBody."""
    anchors = [el for el in body.iter("h1")]
    anchors += [el for el in body.iter() if (el.get("itemprop") or "").lower() == "articlebody"]
    out: set = set()
    for el in anchors:
        out.update(el.iterancestors())
    return out


def _is_link_block(el: etree._Element, n: int) -> bool:
    """Short blocks that are mostly links: read-also boxes, tag lists, section kickers."""
    if n == 0 or n > 300:
        return False
    return _link_text_len(el) / n >= 0.6


# ---------------------------------------------------------------------------------------------
# Text-level rules
# ---------------------------------------------------------------------------------------------

_AGENCY = (
    r"(?:AFP|Reuters|REUTERS|AP|EPA|Getty(?:\s+Images)?|dpa|DPA|Anadolu|AA|Xinhua|WAM|SPA|KUNA|"
    r"أ\s*ف\s*ب|ا\s*ف\s*ب|رويترز|فرانس\s*برس|أسوشيتد\s*برس|اسوشيتد\s*برس|أ\s*ب|الأناضول|الاناضول|"
    r"د\s*ب\s*أ|غيتي|جيتي|إي\s*بي\s*إيه|وام|واس|كونا|شينخوا|أرشيفية|ارشيفية|أرشيف|الوكالة\s+\S+)"
)
_CREDIT_TAIL = regex.compile(
    rf"(?:\s[-–—|/]\s*(?:صورة\s*:?\s*|تصوير\s*:?\s*)?{_AGENCY}[^\n]{{0,20}}$"
    rf"|\s*\((?:[^()]*\b)?{_AGENCY}[^()]*\)\s*$"
    r"|\s*\((?:صورة|الصورة|تصوير|Photo|Credit)\s*:[^()]*\)\s*$"
    r"|\s[-–—|]\s*(?:صورة|تصوير|Photo|Credit)\s*:[^\n]{1,60}$)",
    regex.IGNORECASE,
)
_READING_TIME = regex.compile(
    r"(?:دقائق|دقيقة|دقيقتان|د)\s*(?:ال)?قراءة|(?:مدة|وقت|زمن)\s+(?:ال)?قراءة|⏱|\bmin(?:ute)?s?\s+read\b",
    regex.IGNORECASE,
)
_READ_ALSO = regex.compile(
    r"^\s*(?:[«\"'(\[]\s*)?(?:اقرأ|إقرأ|اقرا|إقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً|المزيد|كذلك)\b"
    r"|^\s*(?:شاهد|طالع)\s+(?:أيضا|أيضاً|ايضا)\b|^\s*(?:Read|See)\s+(?:also|more)\s*:",
    regex.IGNORECASE,
)
_SOCIAL_LINE = regex.compile(
    r"^\s*(?:شارك(?:\s+(?:الخبر|المقال|على))?|تابعونا|تابعنا|تابعوا|انضم|اشترك(?:وا)?|النشرة\s+البريدية|"
    r"نسخ\s+الرابط|Share(?:\s+this)?|Follow\s+us|Subscribe)\b",
    regex.IGNORECASE,
)
_TAG_LINE = regex.compile(
    r"^\s*(?:الوسوم|وسوم|الكلمات\s+(?:الدالة|المفتاحية)|كلمات\s+مفتاحية|Tags)\s*:?", regex.I
)
_HASHTAGS_ONLY = regex.compile(r"^\s*(?:#\w+\s*)+$")
_AD_LINE = regex.compile(r"^\s*(?:إعلان|اعلان|Advertisement|ADVERTISEMENT)\s*$")
# Comment-policy disclaimers ("الآراء الواردة أدناه لا تعبر عن رأي الموقع") sit in unmarked <p>s.
_DISCLAIMER = regex.compile(
    r"(?:التعليقات|تعليقات|الآراء\s+الواردة|المشاركات).{0,200}(?:لا\s+تعبر|لا\s+تعكس|قبل\s+نشرها|إرشادات)"
)
_SENTENCE_END = regex.compile(r"[.!؟?…]\s*[\"»”']?\s*$")


def _is_caption_credit(line: str) -> bool:
    """A photo caption with a credit: a descriptive phrase (3+ words) ending in an agency/photo credit.

    Datelines ("جنيف -أ ب", "برلين (الوكالة الألمانية)") have 1-2 words before the agency and stay.
    """
    if len(line) > 220 or _SENTENCE_END.search(line):
        return False
    m = _CREDIT_TAIL.search(line)
    if not m:
        return False
    return len(line[: m.start()].split()) >= 3


def _is_junk_line(line: str) -> bool:
    short = len(line) <= 120
    if short and _READING_TIME.search(line):
        return True
    if len(line) <= 250 and _READ_ALSO.search(line):
        return True
    if short and (_SOCIAL_LINE.search(line) or _TAG_LINE.search(line) or _AD_LINE.match(line)):
        return True
    if _HASHTAGS_ONLY.match(line) or (len(line) <= 400 and _DISCLAIMER.search(line)):
        return True
    return _is_caption_credit(line)


def clean_text(text: str, title: str | None = None, captions: Iterable[str] = ()) -> str:
    """Apply the text-level rules; keep one paragraph per line."""
    norm_title = _norm(title) if title else None
    caption_set = {_norm(c) for c in captions if c and len(c) > 10}
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _is_junk_line(line):
            continue
        n = _norm(line)
        if n == norm_title or n in caption_set:
            continue
        if out and _norm(out[-1]) == n:  # duplicated block (e.g. caption twice)
            continue
        out.append(line)
    return "\n".join(out)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u0640", "")
    return " ".join(s.split()).casefold()


# ---------------------------------------------------------------------------------------------
# Per-outlet boilerplate learned from repetition
# ---------------------------------------------------------------------------------------------


@dataclass
class BoilerplateModel:
    """Lines that recur across many articles of one outlet are template text, not article text.

    A line is stripped from an outlet's text when, over that outlet's observed documents,
    it occurs in at least `min_count` documents **and** in at least `min_share` of them,
    and at least `min_docs` documents have been seen. Counts are per document (a line repeated
    inside one page counts once). Wire-agency paragraphs appear once per outlet (one copy of a
    story per outlet), so their count stays 1-2 and they are never stripped; lines longer than
    `max_line_chars` are never stripped (real paragraphs are long, template lines are short).
    Pure and serialisable: `to_rows()` / `from_rows()` give (source_id, line_hash, count, n_docs).
    """

    min_docs: int = 5
    min_count: int = 3
    min_share: float = 0.3
    max_line_chars: int = 400
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    n_docs: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def line_hash(line: str) -> str:
        return hashlib.sha1(_norm(line).encode("utf-8")).hexdigest()[:16]

    def observe(self, source_id: str, lines: Iterable[str]) -> None:
        """Count one document of `source_id` (its lines, e.g. `text.splitlines()`)."""
        self.n_docs[source_id] = self.n_docs.get(source_id, 0) + 1
        for h in {self.line_hash(x) for x in lines if 2 <= len(x.strip()) <= self.max_line_chars}:
            key = (source_id, h)
            self.counts[key] = self.counts.get(key, 0) + 1

    def is_boilerplate(self, source_id: str, line: str) -> bool:
        n = self.n_docs.get(source_id, 0)
        if n < self.min_docs or len(line.strip()) > self.max_line_chars:
            return False
        c = self.counts.get((source_id, self.line_hash(line)), 0)
        return c >= self.min_count and c >= self.min_share * n

    def strip(self, source_id: str, text: str) -> str:
        return "\n".join(x for x in text.splitlines() if not self.is_boilerplate(source_id, x))

    def to_rows(self) -> list[tuple[str, str, int, int]]:
        return [(s, h, c, self.n_docs.get(s, 0)) for (s, h), c in sorted(self.counts.items())]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, int, int]], **params: float) -> BoilerplateModel:
        model = cls(**params)  # type: ignore[arg-type]
        for source_id, line_hash, count, n_docs in rows:
            model.counts[(source_id, line_hash)] = int(count)
            model.n_docs[source_id] = max(model.n_docs.get(source_id, 0), int(n_docs))
        return model


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------

_TITLE_SEPARATORS = regex.compile(r"\s+[-|–—:»«•·]{1,2}\s+")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting", "webpage"}  # fmt: skip


def _json_ld_objects(root: etree._Element) -> Iterator[dict]:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _json_ld_article(root: etree._Element) -> dict:
    """The first JSON-LD object of an article type (NewsArticle beats WebPage)."""
    best: dict = {}
    for obj in _json_ld_objects(root):
        types = obj.get("@type")
        types = [types] if isinstance(types, str) else (types or [])
        kinds = {str(t).lower() for t in types}
        if kinds & (_ARTICLE_TYPES - {"webpage"}):
            return obj
        if "webpage" in kinds and not best:
            best = obj
    return best


def _meta(root: etree._Element) -> dict[str, str]:
    """<meta> tags by lower-cased property/name/itemprop (first value wins)."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _ld_name(value: object) -> str | None:
    """Name(s) from a JSON-LD author/publisher value (str, dict or list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _ld_image(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _ld_image(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    return None


def _clean_ws(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(unicodedata.normalize("NFC", s).split())
    return s or None


def _headline_elements(root: etree._Element) -> list[str]:
    """Visible candidate headline texts: h1s, then elements whose class names a title."""
    out = [_clean_ws("".join(h.itertext())) for h in root.iter("h1")]
    for el in root.iter("span", "div", "h2", "td", "p"):
        if {"title", "headline", "newstitle"} & set(_attr_tokens(el)) and _text_len(el) < 300:
            out.append(_clean_ws("".join(el.itertext())))
    return [t for t in out if t]


def _strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """Remove an outlet prefix/suffix ("Headline - Site", "Site | Headline")."""
    names = {_norm(n) for n in site_names if n}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _TITLE_SEPARATORS.findall(title)
    if _norm(parts[-1]) in names or any(_norm(parts[-1]) in n or n in _norm(parts[-1]) for n in names if n):
        return title[: len(title) - len(parts[-1]) - len(seps[-1])].strip()
    if _norm(parts[0]) in names or any(_norm(parts[0]) in n or n in _norm(parts[0]) for n in names if n):
        return title[len(parts[0]) + len(seps[0]) :].strip()
    return title


def pick_title(
    root: etree._Element, meta: dict[str, str], ld: dict, feed_title: str | None, site_name: str | None
) -> str | None:
    """The page's own headline.

    Prefer a visible headline element that agrees with og:title / JSON-LD / <title> (so a logo
    in an <h1> does not win); else the structured titles with the outlet name removed.
    """
    title_tag = _clean_ws(root.findtext(".//title"))
    sites = [site_name or "", meta.get("og:site_name", ""), _ld_name(ld.get("publisher")) or ""]
    structured = [
        _clean_ws(x)
        for x in (meta.get("og:title"), ld.get("headline"), meta.get("twitter:title"), title_tag, feed_title)
        if isinstance(x, str)
    ]
    structured = [s for s in structured if s]
    visible = _headline_elements(root)
    refs = {_norm(s) for s in structured}
    refs |= {_norm(_strip_site_name(s, sites)) for s in structured}
    if title_tag:  # without a known site name, every part split off <title> is a candidate
        for part in _title_variants(title_tag):
            refs.add(_norm(part))
    for cand in visible:
        if _norm(cand) in refs:
            return cand
    for cand in visible:  # headline contained in <title> (site name unknown)
        if title_tag and len(cand) >= 15 and _norm(cand) in _norm(title_tag):
            return cand
    for s in structured:
        stripped = _strip_site_name(s, sites)
        if stripped:
            return stripped
    h1s = [_clean_ws("".join(h.itertext())) for h in root.iter("h1")]
    return next((h for h in h1s if h), None)


def _title_variants(title: str) -> list[str]:
    parts = _TITLE_SEPARATORS.split(title)
    seps = _TITLE_SEPARATORS.findall(title)
    if len(parts) < 2:
        return [title]
    head = title[: len(title) - len(parts[-1]) - len(seps[-1])].strip()
    tail = title[len(parts[0]) + len(seps[0]) :].strip()
    return [title, head, tail]


def _parse_date(value: str | None) -> datetime | None:
    """ISO 8601 / RFC 822 / YYYY-MM-DD; naive values are taken as UTC."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            m = re.match(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", v)
            if m:
                try:
                    dt = datetime(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _date_only(value: str | None) -> bool:
    return bool(value) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value or "") is not None


def pick_published(
    root: etree._Element,
    meta: dict[str, str],
    ld: dict,
    fallback_date: str | None,
    feed_published: datetime | None,
    now: datetime,
) -> datetime | None:
    """Publication time (aware, in the page's own offset): JSON-LD > meta > <time> > htmldate > feed.

    A candidate more than a day after `now` is ignored (template "today" widgets, typos). A
    date-only htmldate value is refined by the feed timestamp when both fall on the same day.
    """
    limit = now + FUTURE_TOLERANCE
    candidates: list[str | None] = [
        ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None,
        ld.get("dateCreated") if isinstance(ld.get("dateCreated"), str) else None,
    ]
    for key in ("article:published_time", "og:published_time", "datepublished", "publishdate",
                "pubdate", "date", "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date"):  # fmt: skip
        candidates.append(meta.get(key))
    for t in root.iter("time"):
        if t.get("datetime"):
            candidates.append(t.get("datetime"))
            break
    for c in candidates:
        dt = _parse_date(c)
        if dt and dt <= limit and dt.year >= 1995:
            return dt
    feed = feed_published.astimezone(UTC) if feed_published and feed_published.tzinfo else None
    if feed_published and feed_published.tzinfo is None:
        feed = feed_published.replace(tzinfo=UTC)
    dt = _parse_date(fallback_date)
    if dt and dt <= limit:
        if feed and _date_only(fallback_date) and abs(feed - dt) <= timedelta(days=1):
            return feed
        return dt
    if feed and feed <= limit:
        return feed
    return None


def _date_config(now: datetime) -> dict:
    """htmldate settings: publication (not modification) date, nothing after tomorrow."""
    return {"extensive_search": True, "original_date": True,
            "max_date": (now + FUTURE_TOLERANCE).strftime("%Y-%m-%d")}  # fmt: skip


def page_published(html: str, url: str = "", now: datetime | None = None) -> datetime | None:
    """Publication time in the page's own UTC offset (for date-only comparisons, e.g. benchmarks)."""
    now = now or datetime.now(UTC)
    root = _parse(html)
    if root is None:
        return None
    tdate = trafilatura.extract_metadata(root, default_url=url or None, date_config=_date_config(now)).date
    return pick_published(root, _meta(root), _json_ld_article(root), tdate, None, now)


def _canonical(root: etree._Element, url: str) -> str | None:
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href"):
            href = link.get("href").strip()
            absolute = urljoin(url, href) if url else href
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return None


def _categories(meta: dict[str, str], ld: dict, root: etree._Element) -> tuple[str | None, list[str]]:
    section = meta.get("article:section")
    sec_ld = ld.get("articleSection")
    if not section and sec_ld:
        section = (
            sec_ld
            if isinstance(sec_ld, str)
            else (sec_ld[0] if isinstance(sec_ld, list) and sec_ld else None)
        )
    cats: list[str] = []
    for m in root.iter("meta"):
        if (m.get("property") or "").lower() == "article:tag" and m.get("content"):
            cats.append(m.get("content").strip())
    kw = ld.get("keywords")
    if isinstance(kw, str):
        kw = [kw]
    if isinstance(kw, list):
        cats.extend(k.strip() for item in kw for k in str(item).split(","))
    if not cats and meta.get("news_keywords"):
        cats.extend(k.strip() for k in meta["news_keywords"].split(","))
    seen: dict[str, None] = {}
    for c in cats:
        if c and c not in seen:
            seen[c] = None
    return _clean_ws(section) if isinstance(section, str) else None, list(seen)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code by py3langid on the text itself (<html lang> is often a CMS default)."""
    sample = text[:3000].strip()
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


def _parse(html: str) -> etree._Element | None:
    html = html.lstrip("\ufeff")
    if html.lstrip()[:5].lower() == "<?xml":  # lxml refuses str with an encoding declaration
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    html = html.replace("\x00", "")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    return root


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
        published = None
        if feed_published and feed_published <= now + FUTURE_TOLERANCE:
            published = (
                feed_published.astimezone(UTC)
                if feed_published.tzinfo
                else feed_published.replace(tzinfo=UTC)
            )
        return Extracted(
            status="fallback_summary", text=summary, title=_clean_ws(feed_title), published_at=published,
            language=detect_language(summary), error=error, extractor_version=EXTRACTOR_VERSION,
        )  # fmt: skip
    return Extracted(
        status="failed", error=error, title=_clean_ws(feed_title), extractor_version=EXTRACTOR_VERSION
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
) -> Extracted:
    """Extract text and metadata from one decoded page. Never raises.

    `boilerplate`, when given, learns from this page (observe) and then strips the outlet's
    recurring lines; it is keyed by `source_id` (default: the URL's host).
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
        ext = _extract(root, url, feed_title, feed_summary, feed_published, site_name, boilerplate, now,
                       source_id or urlsplit(url or "").hostname or "")  # fmt: skip
        if ext.status == "ok" and is_paywall_stub(html, ext.text):
            # Only a teaser is public: say so, and keep whichever is fuller, the teaser or the
            # feed's summary (the teaser can be all the outlet ever shows).
            summary = _feed_summary_text(feed_summary)
            ext.error = "paywall stub (isAccessibleForFree=false): only a teaser is public"
            if len(summary) > len(ext.text):
                ext.status, ext.text = "fallback_summary", summary
                ext.language = detect_language(ext.text or ext.title or "")
        return ext
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return _failed(f"{type(exc).__name__}: {exc}"[:500], feed_summary, feed_title, feed_published, now)


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
) -> Extracted:
    meta = _meta(root)
    ld = _json_ld_article(root)
    title = pick_title(root, meta, ld, feed_title, site_name)
    captions = [_clean_ws("".join(c.itertext())) or "" for c in root.iter("figcaption")]

    cleaned = copy.deepcopy(root)
    _clean_tree(cleaned)
    raw = trafilatura.extract(cleaned, url=url or None, **TRAFILATURA_OPTS) or ""
    text = clean_text(raw, title, captions)
    if boilerplate is not None and text:
        boilerplate.observe(source_key, text.splitlines())
        text = boilerplate.strip(source_key, text)

    tmeta = trafilatura.extract_metadata(root, default_url=url or None, date_config=_date_config(now))
    published = pick_published(root, meta, ld, tmeta.date, feed_published, now)
    author = _ld_name(ld.get("author")) or meta.get("article:author") or meta.get("author") or tmeta.author
    if author and author.startswith(("http://", "https://")):
        author = tmeta.author
    image = _ld_image(ld.get("image")) or meta.get("og:image") or meta.get("twitter:image") or tmeta.image
    section, categories = _categories(meta, ld, root)
    if not categories and tmeta.tags:
        categories = list(tmeta.tags)
    if not section and tmeta.categories:
        section = tmeta.categories[0]
    canonical = _canonical(root, url)
    if image and url:
        image = urljoin(url, image)

    status, error = "ok", None
    if len(text) < MIN_TEXT_CHARS:
        summary = _feed_summary_text(feed_summary)
        if summary and len(summary) > len(text):
            status, text, error = "fallback_summary", summary, "extraction too short"
        elif len(regex.findall(r"\w+", text)) < MIN_WORDS:
            status, text, error = "failed", "", "no usable text extracted"
    return Extracted(
        status=status,
        text=text,
        title=title,
        author=_clean_ws(author),
        published_at=published.astimezone(UTC) if published else None,
        image=image,
        section=section,
        categories=categories,
        language=detect_language(text or title or ""),
        canonical_url=canonical,
        error=error,
        extractor_version=EXTRACTOR_VERSION,
    )


def is_paywall_stub(html: str, text: str) -> bool:
    """Signal for subscription walls: schema.org isAccessibleForFree=false with little text."""
    low = html[:200000].lower()
    flagged = '"isaccessibleforfree": false' in low or '"isaccessibleforfree":false' in low
    flagged |= '"isaccessibleforfree": "false"' in low or '"isaccessibleforfree":"false"' in low
    return flagged and len(text) < 1500
