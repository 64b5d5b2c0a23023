"""Maintenance pages: a 200 answer that says the site is down for a while, not the article.

Outlets' CMSs and hosts answer every URL with one small page during a deploy or an upgrade
("الموقع تحت الصيانة", "نعود قريبا", "Site under maintenance", "We'll be back soon"), often
with status 200 (WordPress's own page is a 503: an HTTP error already). Stored as the article it
would be that page's two lines, and the story's text lost for good; it is a temporary failure of
the fetch, tried again by later runs like a 503 (tasks.http, is_transient).

A page counts only when it is small (its whole markup under MAX_MAINTENANCE_BYTES, its visible
text under MAX_MAINTENANCE_CHARS: a story about maintenance work is longer) and its title or a
heading says so, in the wordings Arabic and English templates use, and it is not marked as an article
(og:type article, article:published_time, JSON-LD (News)Article, datePublished: a short news brief
headlined "...: سنعود قريبا" or "مصفاة بيجي تحت الصيانة" is the story; no maintenance page carries them). Read from the bytes as UTF-8
(the templates' own encoding); a windows-1256 template's Arabic is not read, its English is.
"""

from __future__ import annotations

import html
import re

MAX_MAINTENANCE_BYTES = 30_000
MAX_MAINTENANCE_CHARS = 600

# an element never closed runs to the end (as a browser reads it): each scan ends the search, no
# rescan from every later '<h1' or '<!--' (7,000 of them in 28 KB cost a CPU-second)
_HEADS_RE = re.compile(r"<(title|h1|h2|h3)\b[^>]*>(.*?)(?:</\1\s*>|\Z)", re.I | re.S)
_INVISIBLE_RE = re.compile(r"<(script|style|noscript)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)|<[^>]*>", re.I | re.S)
# the markup of an article page (a maintenance template has none of it)
_ARTICLE_RE = re.compile(
    r"""<meta\b[^>]{0,300}\bog:type\b[^>]{0,300}\barticle\b|\barticle:published_time\b|"@type"\s*:\s*"(?:News|Blog)?Article"|"""
    r"""\bitemprop=["']?datePublished\b|"datePublished"\s*:""", re.I)
_HAMZA = "[اأإآ]"
_MESSAGE_RE = re.compile(
    r"\b(?:under|undergoing|down\s+for|in|scheduled|site|website)\s+(?:scheduled\s+)?maintenance\b|\bmaintenance\s+mode\b"
    r"|\bwe(?:'|’)?ll\s+be\s+back\s+soon\b|\bbe\s+right\s+back\b|\bbriefly\s+unavailable\b"
    r"|\bsite\s+(?:is\s+)?temporarily\s+(?:unavailable|down)\b"
    rf"|(?:تحت|قيد|وضع|طور|{_HAMZA}عمال)\s+ال?صيان[ةه]"
    rf"|(?:س?نعود|س{_HAMZA}نعود)\s+(?:قريب|خلال)|الموقع\s+متوقف\s+مؤقت",
    re.I,
)


def maintenance_page(body: bytes) -> str | None:
    """The maintenance message a small 200 page shows in its title or a heading, or None."""
    if not body or len(body) > MAX_MAINTENANCE_BYTES:
        return None
    text = body.decode("utf-8", errors="ignore")
    # the headings first: almost no page says maintenance in one, and the page-wide checks below
    # (its visible text, its article markup) cost several times more than reading the headings
    says = next((head for head in (" ".join(html.unescape(_INVISIBLE_RE.sub(" ", raw)).split())
                                   for _, raw in _HEADS_RE.findall(text)) if _MESSAGE_RE.search(head)), None)
    if says is None:
        return None
    visible = " ".join(_INVISIBLE_RE.sub(" ", text).split())
    if len(visible) > MAX_MAINTENANCE_CHARS or _ARTICLE_RE.search(text):
        return None
    return says[:120]
