"""Feed bytes -> ParsedFeed (the only module importing feedparser).

feedparser gets the raw bytes (wrapped in BytesIO: given bare bytes it first tries them as a file
name) plus ``response_headers`` carrying the charset we decided (tasks.encoding.feed_charset), so
an undeclared windows-1256 feed is not read as windows-1252.

XML safety: feedparser 6 drops DOCTYPE entity declarations except simple literal ones and the
SAX parser runs with external entities off; we additionally strip any DOCTYPE with an internal
subset or an external identifier before parsing, wherever it lies before the root element (after
kilobytes of comments too: feedparser's loose parser expands the literal entities it keeps without
limit), so billion-laughs, quadratic-blowup and XXE payloads never reach a parser. What is no XML
character (raw C0 controls, references to them or to lone UTF-16 halves) is dropped first, and an
emoji written as two referenced halves joined: the strict parser reads the feed, feedparser does
not raise. When feedparser raises anyway (its GeoRSS/GML handlers on values they do not expect),
the feed is parsed again with the elements of the namespaces we do not read left out.

Entries: the link is FeedBurner's origLink, else `<link>`/a rel=alternate one (an AMP alternate when
it is the only one), else a `<guid>`/`<id>` written as a URL (a bare identifier such as '12345' is
no link; a guid printed on three or more items identifies none of them); a link written without
scheme ('www.outlet/…') is absolute; '&' escaped twice in a link is undone, direction marks (RLM,
LRM …) around a link dropped; a Google News link whose
id carries the publisher's URL gives that URL, a Google Alerts / Bing News click-tracking redirect
the URL it carries; a `<link>` to the site's home page, or one printed on three or more items (the
section page), gives way to a URL guid. Titles are plain
text (HTML dropped, entities decoded to the last layer, an aggregator's ' - Publisher' suffix named
by `<source>` dropped). An author written with an e-mail address ('email (Name)', 'Name <email>')
is the name alone. Dates: a time without zone is the outlet's local time (catalog country), and
a feed whose newest items lie in the future by up to the outlet's UTC offset writes local time
labelled UTC (read so); a feed whose numeric dates show month first ('11/30/2026', or only that
reading is recent) has all of them read so, and day first likewise ('25-11-2026', only that reading
recent, or else an outlet in an Arab country), an English AM/PM ('06-12-2026 10:30:00 AM') notwithstanding. Any other date more than 15 minutes after the fetch (a scheduled post
listed early, a CMS clock or zone set wrong) gets the fetch time, the latest the item can have been
published, and the feed's note counts them; a date more than a day ahead is no date.

Bounds (a run's time must not depend on how much a feed carries): feedparser neither sanitizes nor
resolves embedded HTML (it did both on every element, content:encoded included, at ~1 MB/s a pass);
we do it on the title and summary we keep, cut to MAX_RAW_HTML_CHARS first (scripts, styles,
comments and data: URIs dropped before the cut; the summary is then capped at MAX_SUMMARY_CHARS),
until MAX_FEED_SANITIZED_CHARS of a feed are sanitized: later HTML summaries keep their text only.
An item's content standing in for a missing summary is treated the same (its own type and xml:base).
A CDATA section holding ']]>' itself is split as XML writes it before parsing.
Before feedparser, the text of a title/description/summary/content element over MAX_ELEMENT_BYTES
is cut in the bytes and written as CDATA (expat hands each entity of escaped HTML over as a call of
its own). A feed's items after the first MAX_FEED_ITEMS are not read, nor an item of more than
MAX_ITEM_TAGS tags or one bringing the feed past MAX_FEED_TAGS (its note says how many), and a start
tag's attributes beyond MAX_TAG_ATTRIBUTES are dropped (Python's SAX layer scans them quadratically);
of the elements outside items (the channel's), those after the first MAX_CHANNEL_TAGS are not read.

An HTML page in place of a feed (an XHTML one after its XML declaration too) is not a feed; its
reason names the feed the page announces (`<link rel="alternate" type="application/rss+xml">`,
other than the URL fetched), to put in the catalog; it is not fetched in its place (a page
announces comment feeds and other editions too: the catalog says which feed is meant).

A JSON Feed (jsonfeed.org, `application/feed+json`, which feedparser does not read) is read with
the json module; any other JSON body is not a feed.

A sitemap (sitemaps.org `<urlset>`, which feedparser does not read) is read as a feed too: outlets
without RSS publish a Google News sitemap of their latest articles, with each one's title and
publication date; its entries are taken newest first (the newest MAX_FEED_ITEMS of a bigger one).
It goes to our reader directly: feedparser reads none.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
from feedparser.sanitizer import _sanitize_html
from feedparser.urls import resolve_relative_uris

from tasks import dates
from tasks.encoding import bom_encoding, feed_charset, mostly_utf8, utf16_without_bom
from tasks.health import FEED_CUT_SHORT
from tasks.models import FeedEntry, FeedSpec, FetchResult, ParsedFeed
from tasks.urls import canonicalize, host_key, split_url, strip_credentials

MAX_TITLE_CHARS = 1000
MAX_SUMMARY_CHARS = 20_000
MAX_AUTHOR_CHARS = 300
# Items read from one feed (feeds list their newest first; a news feed carries tens to hundreds):
# the items after these are cut from the bytes before parsing (feedparser spends ~0.15 ms per item).
MAX_FEED_ITEMS = 2000
# Elements (tags outside CDATA) of one feed and of one item: feedparser spends 10-20 µs on each; an
# item past either count is not read (a hostile feed nesting or repeating elements).
MAX_FEED_TAGS = 100_000
MAX_ITEM_TAGS = 10_000
# Elements of the channel/feed itself (outside every item; a real channel has tens): the ones past
# this count are not read, with what they contain (a flood of 300,000 before the first item: 8 s).
MAX_CHANNEL_TAGS = 10_000
# HTML of a summary/title handed to the sanitizer: at most this many characters (after script,
# style, comments and data: URIs are dropped), enough for a MAX_SUMMARY_CHARS summary.
MAX_RAW_HTML_CHARS = 2 * MAX_SUMMARY_CHARS
# The text of a title/description/summary/content element beyond this many bytes is cut from the
# bytes before parsing (_cut_oversized_elements): expat hands feedparser each entity of escaped HTML
# ('&lt;p&gt;') as a call of its own, ~3 µs each (1.6 MB of '&lt;p&gt;نص&lt;/p&gt;': ~5 s).
MAX_ELEMENT_BYTES = 256 * 1024
# HTML sanitized per feed (feedparser's sanitizer and URI resolver: ~1.4 s per million characters);
# the summaries after it are reduced to their text by regular expressions (_html_as_text).
MAX_FEED_SANITIZED_CHARS = 1_000_000
# A start tag's attributes beyond this many (xmlns declarations aside) are dropped before parsing.
MAX_TAG_ATTRIBUTES = 64

_DOCTYPE_HEAD_RE = re.compile(rb"<!DOCTYPE[^\[>]*(\[)?", re.I)
# The rest of an internal subset: declarations whose quoted values may hold ']>' , up to its ']>'.
_SUBSET_REST_RE = re.compile(rb"""(?:"[^"]*"|'[^']*'|[^"'\]])*\]\s*>""")
# What may come before a document's root element: space (or stray text: a PHP notice), the XML
# declaration and other processing instructions, comments, the DOCTYPE (group 1).
_PROLOG_ITEM_RE = re.compile(rb"[^<]+|<\?.*?\?>|<!--.*?-->|(<!DOCTYPE)", re.I | re.S)
_HTML_SNIFF_RE = re.compile(rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.I | re.S)
_XML_MIME_HINTS = ("xml", "rss", "atom", "rdf")
# Before an XML declaration, these say the document began already (a feed's or a page's root).
_ROOT_START_RE = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|rdf|urlset|sitemapindex)\b|<(?:!doctype|html|head|body)\b", re.I)
# The root element of a sitemap, after the XML declaration, comments and processing instructions.
_SITEMAP_ROOT_RE = re.compile(rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<(?:[\w.-]+:)?(?:urlset|sitemapindex)\b", re.S)
_SITEMAP_FIELDS = ("loc", "lastmod", "title", "publication_date", "keywords")


def _strip_dangerous_doctype(body: bytes) -> tuple[bytes, str | None]:
    """Remove a prolog DOCTYPE that has an internal subset (entities) or a SYSTEM identifier,
    wherever it lies before the root element (after kilobytes of comments or blank lines too:
    feedparser keeps the 'safe' literal entities of a DOCTYPE anywhere there and its loose parser
    expands them without limit)."""
    pos = 0
    while (m := _PROLOG_ITEM_RE.match(body, pos)) is not None and not m.group(1):
        pos = m.end()
    if m is None:
        return body, None
    start = m.start()
    head = _DOCTYPE_HEAD_RE.match(body, start)
    if head and head.group(1):  # internal subset: ends at "]>" outside quotes (unterminated -> drop the rest)
        end_m = _SUBSET_REST_RE.match(body, head.end())
        end = end_m.end() if end_m else len(body)
    else:
        close = body.find(b">", start)
        end = close + 1 if close >= 0 else len(body)
        if b"SYSTEM" not in body[start:end].upper():
            return body, None  # e.g. the Netscape RSS 0.91 PUBLIC doctype: harmless
    return body[:start] + body[end:], "removed DOCTYPE with entity declarations / external identifier (XML safety)"


def _repair_utf8(body: bytes) -> bytes | None:
    """Valid UTF-8 (U+FFFD for the bad sequences) when the body is UTF-8 with a few invalid bytes
    (tasks.encoding.mostly_utf8). Without this, charset detection re-reads the whole feed in some
    Latin code page and every Arabic title becomes mojibake because of one corrupt byte sequence."""
    text = mostly_utf8(body)
    return text.encode("utf-8") if text is not None else None


def _utf8_after_bom(rest: bytes) -> bool:
    """Whether what follows a UTF-8 byte-order mark is UTF-8 (a few bad sequences allowed)."""
    try:
        rest.decode("utf-8")
    except UnicodeDecodeError:
        return mostly_utf8(rest) is not None
    return True


def _prepare(body: bytes, content_type: str | None) -> tuple[bytes, str | None, dict[str, str], str | None]:
    """Bytes for feedparser, the charset decided for them, the response headers that pin it, and a
    note on repairs."""
    bom = bom_encoding(body) or utf16_without_bom(body)
    charset: str | None
    note: str | None = None
    if bom == "utf-8-sig" and not _utf8_after_bom(body[3:]):
        # A UTF-8 byte-order mark the bytes after it belie: a PHP include saved "UTF-8 with BOM"
        # printing it before a windows-1256 feed. Read as if it were not there (as pages are,
        # tasks.encoding); before, every Arabic title of the feed became U+FFFD.
        body, bom = body[3:], None
        note = "a UTF-8 byte-order mark before bytes that are not UTF-8 ignored"
    if bom:  # transcode so the byte scans below (and feedparser) see ASCII-compatible data
        body = body.decode(bom, errors="replace").lstrip("\ufeff").encode("utf-8")
    if 0 < (decl := body.find(b"<?xml", 0, 2048)) and not _ROOT_START_RE.search(body, 0, decl):
        # blank lines before the XML declaration (a WordPress theme's functions.php ending in one),
        # or a PHP notice: expat stops at the declaration, the loose parser re-reads the feed
        # (entities decoded differently) and the declared charset went unseen
        if body[:decl].strip():
            note = "; ".join(filter(None, [note, "text before the XML declaration removed"]))
        body = body[decl:]
    if bom:
        charset = "utf-8"
    elif (repaired := _repair_utf8(body)) is not None:
        body, charset = repaired, "utf-8"
        note = "; ".join(filter(None, [note, "invalid UTF-8 byte sequences replaced with U+FFFD"]))
    else:
        charset = feed_charset(body, content_type)
    mime = (content_type or "").split(";")[0].strip().lower()
    if not any(h in mime for h in _XML_MIME_HINTS):
        mime = "application/xml"  # text/* without charset would mean us-ascii under RFC 3023
    headers = {"content-type": f"{mime}; charset={charset}" if charset else mime}
    return body, charset, headers, note


# Character references that may name no XML character (a superset, each one checked): decimal up
# to 99, 55xxx-57xxx (the UTF-16 halves), 6553x, 7+ digits; hex up to FF, Dxxx, FFFx, 6+ digits.
# (Arabic written as references, &#1575;, never matches: no call per letter.)
_CHAR_REF_RE = re.compile(rb"&#(?:[xX]0*([0-9A-Fa-f]{1,2}|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[0-9a-fA-F]|[0-9a-fA-F]{6,8})"
                          rb"|0*([0-9]{1,2}|5[5-7][0-9]{3}|6553[0-9]|[0-9]{7,10}));")
_SURROGATE_PAIR_RE = re.compile(rb"&#(?:[xX]0*[dD][89abAB][0-9A-Fa-f]{2}|0*5[56][0-9]{3});&#(?:[xX]0*[dD][c-fC-F][0-9A-Fa-f]{2}|0*5[67][0-9]{3});")
# Bytes that are no XML character in any ASCII-compatible charset: C0 controls but tab, LF and CR.
_C0_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))


def _xml_char(cp: int) -> bool:
    return cp in (9, 10, 13) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


def _char_ref(m: re.Match[bytes]) -> bytes:
    cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return m.group(0) if _xml_char(cp) else b""


def _pair_ref(m: re.Match[bytes]) -> bytes:
    high, low = (int(r[3:], 16) if r[2:3] in b"xX" else int(r[2:]) for r in m.group(0)[:-1].split(b";"))
    if not (0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF):
        return m.group(0)  # (decimal look-alikes: 55000 is a Hangul syllable)
    return b"&#x%X;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _without_invalid_chars(body: bytes, charset: str | None) -> tuple[bytes, str | None]:
    """The feed without what is no XML character: raw C0 controls (a pasted vertical tab, a NUL
    from a database field) and references to them or to no character at all (&#1;, &#xFFFF;,
    &#1114112;); an emoji written as two UTF-16 halves (&#55357;&#56832;, what Java and .NET HTML
    encoders print) becomes its character's reference, a half alone is dropped. Either made expat
    stop and feedparser's loose parser re-read the feed, which kept the control characters in the
    text; a lone half made feedparser raise (UnicodeEncodeError): the whole feed was lost."""
    codec = charset.lower().replace("_", "-") if charset else ""
    if codec.startswith(("utf-16", "utf-32", "iso-2022", "iso2022")):
        return body, None
    size = len(body)
    body = body.translate(None, _C0_CONTROLS)
    if codec in ("utf-8", "utf8"):
        body = body.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")  # U+FFFE, U+FFFF
    if b"&#" in body:
        body = _SURROGATE_PAIR_RE.sub(_pair_ref, body)
        body = _CHAR_REF_RE.sub(_char_ref, body)
    return body, ("characters XML does not allow (controls, UTF-16 halves) removed or joined" if len(body) != size else None)


# A written UTC offset beyond ±14:00 ("+9999") after a time: feedparser applies it anyway (days
# off); we drop the date. (After a time only: "2026-11-20" and "20-11-2026" end in no offset.)
_BAD_OFFSET = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-](?:1[5-9]|[2-9]\d)(?::?\d{2})?\s*$")


def parse_date(raw: str | None, now: datetime | None = None) -> datetime | None:
    """Aware UTC datetime from RSS/Atom/Arabic date text (tasks.dates.parse_text; naive times are
    taken as UTC), or None when unparseable or implausible (before 1990, after tomorrow, bad zone)."""
    value = dates.parse_text(raw, now)
    return dates.plausible(value.instant(None), now) if value else None


def _entry_date(entry: feedparser.FeedParserDict, now: datetime,
                tz: ZoneInfo | None) -> tuple[datetime | None, datetime | None, str | None]:
    """The entry's published/updated/created date, whichever first gives a plausible instant, its
    wall time when the zone was written as UTC (Z, GMT, +0000) (see _local_time_labelled_utc), and
    the text our parser read it from (without a date: the first text it read, see _month_first_dates).

    Our parser reads the raw text first (Arabic month names and digits, day-first dates); a time
    written without a zone (or with a zone name RFC 822 does not define, e.g. EET) is the outlet's
    local time, `tz` (its catalog country's zone; UTC when unknown), as on its pages; a bare day
    stays that day. feedparser's own struct is the fallback; a relative stamp ("منذ 3 ساعات", as feeds
    generated from a page's listing carry) counts back from `now`, when the feed was fetched. Both go through the same sanity floor
    and ceiling as page dates (tasks.dates.plausible): 0001-01-01, 1970-01-01 and a "+9999" offset
    are no date.
    """
    first_text = None
    for key in ("published", "updated", "created"):
        # dict.get bypasses FeedParserDict's deprecated published<->updated key mapping
        raw = dict.get(entry, key)
        struct: time.struct_time | None = dict.get(entry, f"{key}_parsed")
        if isinstance(raw, str) and _BAD_OFFSET.search(dates.normalize(raw).strip()):
            continue
        value = dates.parse_text(raw, now) if isinstance(raw, str) else None
        if value is None and isinstance(raw, str) and struct is None:  # "منذ 3 ساعات" (scraped feeds)
            value = dates.parse_relative(raw, now, tz)
        dt = value.instant(tz) if value else (dates.parse_feed_struct(struct) if struct else None)
        dt = dates.plausible(dt, now)
        if dt is not None:
            return dt, (value.wall() if value and value.utc_label and value.has_time else None), raw if value else None
        first_text = first_text or (raw if value else None)
    return None, None, first_text


# A feed that writes its local time labelled UTC ('12:00:00 GMT' for noon in Cairo) shows it on its
# newest items: they lie in the future by up to the outlet's UTC offset. Lead times from
# _MIN_LEAD (beyond clock skew) to the offset (+ _SLACK) are that signature.
_MIN_LEAD = timedelta(minutes=15)
_SLACK = timedelta(minutes=10)


def _local_time_labelled_utc(feed: ParsedFeed, walls: dict[int, datetime], now: datetime, tz: ZoneInfo | None) -> None:
    """Read every UTC-labelled date of the feed as the outlet's local time when one of them is
    ahead of now as only a mislabelled local time can be (tasks.dates does the same on a page
    when its own date line is the witness)."""
    if tz is None or not walls:
        return
    for i, wall in walls.items():
        published = feed.entries[i].published_at
        offset = wall.replace(tzinfo=tz).utcoffset() or timedelta(0)
        if published is not None and offset >= _MIN_LEAD and _MIN_LEAD < published - now <= offset + _SLACK:
            break
    else:
        return
    for i, wall in walls.items():
        feed.entries[i].published_at = dates.plausible(wall.replace(tzinfo=tz), now)


# A numeric date 'a/b/yyyy' ('-' and '.' too) after at most a weekday name: tasks.dates reads it day
# first (Arabic, European feeds; month first only with an English AM/PM), as .NET's invariant
# culture writes it ('12/06/2026 10:30:00') it is month first. A two-digit year ('06-12-26', 20yy) too; a
# Hijri year (…/1448) is not one.
_NUMERIC_DATE_RE = re.compile(r"^\D{0,30}?(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d|\d\d)(?![\d/.-])")
# A news feed's newest items are from the last days: where only the month-first reading of the
# ambiguous dates falls in this span before the fetch, the feed writes month first.
_RECENT = timedelta(days=3)
_MONTH_FIRST_SAMPLE = 20  # the newest ambiguous dates that decide (each read twice)


def _month_first_dates(feed: ParsedFeed, texts: dict[int, str], utc_walls: dict[int, datetime], now: datetime,
                       tz: ZoneInfo | None, day_first: bool = False) -> None:
    """Read a feed's ambiguous numeric dates (both numbers up to 12) in the order the feed writes them,
    as `dates.numeric_order` decides for one template: proof (a date of the feed with a first number over
    12, '25-11-2026 09:00:00 AM', or a second, '11/30/2026'), else the readings that put its newest
    ambiguous dates (two of them, when there are two) in the days before the fetch, else the outlet's
    order (`day_first`, `dates.writes_day_first`: the Arab countries) unless the dates are slashed as .NET's US
    default ('12/6/2026 10:30:00 AM') is. One feed is written by one template: before, '11/30/2026' was
    read right and '12/06/2026' of the same feed as 12 June; a '06-12-2026 10:30:00 AM' that an English
    AM/PM made month first stayed 12 June beside '25-11-2026' or in an Egyptian outlet's feed."""
    found = {}
    for i, text in texts.items():
        norm = dates.normalize(text)
        if (m := _NUMERIC_DATE_RE.match(norm)) is not None and (a := int(m.group(1))) != (b := int(m.group(3))):
            found[i] = (norm, m, a, b)
    if not found:
        return

    def readings(norm: str, m: re.Match[str], a: int, b: int) -> tuple[dates.DateValue, dates.DateValue] | None:
        """(day first, month first) readings of the text, whichever way tasks.dates read it."""
        value = dates.parse_text(norm)
        if value is None:
            return None
        if (value.wall().month, value.wall().day) == (a, b):  # read month first (an English AM/PM)
            if value.day_first is None:
                return None
            return dates.DateValue(value.day_first, value.has_time, value.has_zone, value.utc_label), value
        alt = dates.parse_text(norm[:m.start(1)] + m.group(3) + m.group(2) + m.group(1) + norm[m.end(3):])
        return (value, alt) if alt is not None and (alt.wall().month, alt.wall().day) == (a, b) else None

    ambiguous = [i for i, (_, _, a, b) in found.items() if a <= 12 and b <= 12]
    numbers = [(a, b) for _, _, a, b in found.values()]
    sample: list = []
    if not any(a > 12 >= b or b > 12 >= a for a, b in numbers):  # no proof: the newest ones are read twice
        sample = [r for i in ambiguous[:_MONTH_FIRST_SAMPLE] if (r := readings(*found[i])) is not None]
    recent = [sum(now - _RECENT <= r[k].instant(tz) <= now + _SLACK for r in sample) for k in (0, 1)]
    order = dates.numeric_order(numbers, (recent[0], recent[1]), min(2, len(sample)), day_first,
                                any(found[i][1].group(2) == "/" for i in ambiguous))
    if order is None:
        return
    for i in ambiguous:
        if (r := readings(*found[i])) is not None:
            feed.entries[i].published_at = dates.plausible(r[order].instant(tz), now)
            if r[order].utc_label and r[order].has_time:
                utc_walls[i] = r[order].wall()


def _not_after_fetch(feed: ParsedFeed, now: datetime) -> None:
    """An item dated ahead of the fetch (beyond clock skew, and not a local time labelled UTC:
    a post scheduled ahead but listed already, a CMS whose clock or zone setting is wrong, a
    local time labelled UTC where the catalog gives no country) was published when it was fetched
    at the latest: it gets the fetch time, so it sorts and windows as today's news instead of
    staying 'newest' until its date comes. The feed's note says how many and how far ahead."""
    ahead = [e for e in feed.entries if e.published_at is not None and e.published_at - now > _MIN_LEAD]
    if not ahead:
        return
    lead = max(e.published_at - now for e in ahead if e.published_at is not None)
    for e in ahead:
        e.published_at = now.replace(microsecond=0)
    note = (f"{len(ahead)} items dated up to {lead.total_seconds() / 3600:.1f} h after the fetch: "
            "read as published when fetched")
    feed.bozo, feed.bozo_reason = True, "; ".join(filter(None, [feed.bozo_reason, note]))


# A <guid>/<id> written as a bare identifier (a CMS post number, a UUID: no '/' or ':'). feedparser
# takes a permalink guid (RSS's default) or an Atom id as the entry's link when it has no other, and
# resolves it against the feed's URL: '12345' became https://outlet/rss/12345, a page that never existed.
_BARE_ID_RE = re.compile(rb"<(?:guid|id)\b[^>]*>\s*(?:<!\[CDATA\[\s*)?([^\s<>/:\]]{1,200}?)\s*(?:\]\]>\s*)?</(?:guid|id)>", re.I)


# A link whose '&' was escaped twice ('?id=8&amp;amp;cat=2', CMSs escaping an escaped URL): read
# strictly, feedparser gives '&' for <link> but '&amp;' for <guid> and href attributes; its loose
# parser (any malformed feed) turns the element text into '&ampcat=2'. One escape is undone in the
# text of link-like elements before parsing, and '&amp;' / '&#38;' left in a link mean '&'.
_LINK_TEXT_RE = re.compile(rb"(<(?:[\w.-]+:)?(?:link|guid|id|origLink)\b[^<>]*>)([^<]*&amp;(?:amp|#0*38|#x0*26);[^<]*)(?=<)", re.I)
_DOUBLE_AMP_RE = re.compile(rb"&amp;(?:amp|#0*38|#x0*26);", re.I)
_AMP_ENTITY_RE = re.compile(r"&(?:amp|#0*38|#[xX]0*26);")


# The same in CDATA ('<link><![CDATA[...&amp;cat=2]]>'): there '&amp;' is already one escape too many.
_LINK_CDATA_RE = re.compile(rb"(<(?:[\w.-]+:)?(?:link|guid|id|origLink)\b[^<>]*>\s*<!\[CDATA\[)([^\]<]*&(?:amp|#0*38|#x0*26);[^\]<]*)(?=\]\]>)", re.I)
_CDATA_AMP_RE = re.compile(rb"&(?:amp|#0*38|#x0*26);", re.I)


def _single_escaped_amps(body: bytes) -> bytes:
    if b"&" not in body:
        return body
    body = _LINK_TEXT_RE.sub(lambda m: m.group(1) + _DOUBLE_AMP_RE.sub(b"&amp;", m.group(2)), body)
    return _LINK_CDATA_RE.sub(lambda m: m.group(1) + _CDATA_AMP_RE.sub(b"&", m.group(2)), body)


_CDATA_MARK_RE = re.compile(rb"<!\[CDATA\[|\]\]>")
# The start tag right before a CDATA section: the element whose text it is.
_CDATA_HOLDER_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>\s*\Z")


def _cdata_marks(body: bytes) -> list[tuple[int, bool]] | None:
    """The CDATA marks of a feed whose sections do not open and close in turn, as (offset, is ']]>');
    None for a feed without CDATA or with well-formed sections. Not a count of each mark: a section
    never closed and a nested ']]>' in one feed, or a whole section pasted into another, balance."""
    found = _CDATA_MARK_RE.findall(body)
    if len(found) % 2 == 0 and set(found[0::2]) <= {b"<![CDATA["} and set(found[1::2]) <= {b"]]>"}:
        return None
    return [(m.start(), m.group(0) == b"]]>") for m in _CDATA_MARK_RE.finditer(body)]


def _split_nested_cdata(body: bytes) -> tuple[bytes, str | None]:
    """CDATA sections that hold ']]>' themselves (a CMS wrapping HTML that already had a CDATA
    section, a code sample, '<![CDATA[...]]>' pasted into an article) split the way XML writes it
    (']]]]><![CDATA[>'): expat stopped at the first ']]>', feedparser's loose parser re-read the
    whole feed and the description came out half escaped ('&lt;p&gt;نص  بقية</p>]]&gt;'). A ']]>'
    is nested when another one follows before the next section opens and before the element
    holding the section closes; the last such one ends the section."""
    if (marks := _cdata_marks(body)) is None:
        return body, None
    nested: list[int] = []
    i = 0
    while i < len(marks):
        start, is_end = marks[i]
        i += 1
        if is_end:
            continue
        while i < len(marks) and not marks[i][1]:
            i += 1  # '<![CDATA[' inside a section is its text (a whole section pasted into it)
        ends = []
        while i < len(marks) and marks[i][1]:
            ends.append(marks[i][0])
            i += 1
        holder = _CDATA_HOLDER_RE.search(body, max(0, start - 512), start)
        if len(ends) < 2 or holder is None:
            continue
        close = body.find(b"</" + holder.group(1), ends[0], ends[-1])
        inside = [e for e in ends if close < 0 or e < close]
        nested.extend(inside[:-1])
    if not nested:
        return body, None
    out, pos = [], 0
    for e in nested:
        out += [body[pos:e], b"]]]]><![CDATA[>"]
        pos = e + 3
    out.append(body[pos:])
    return b"".join(out), f"{len(nested)} ']]>' inside CDATA sections kept as text"


def _close_open_cdata(body: bytes) -> tuple[bytes, str | None]:
    """CDATA sections never closed (a template printing '<![CDATA[' before a title and its ']]>'
    only when a field is set, a title cut at a length limit with its ']]>') closed before the end tag
    of the element holding them: XML reads such a section on to the next ']]>', items and all, so
    the feed's next items were swallowed into one title (or, with no ']]>' after it, the feed
    failed). A section is unclosed when the next CDATA mark after it opens another section, or
    there is none; it is closed at its element's end tag when one comes before that mark."""
    if (marks := _cdata_marks(body)) is None:
        return body, None
    closes: list[int] = []
    for i, (start, is_end) in enumerate(marks):
        if is_end or (i + 1 < len(marks) and marks[i + 1][1]):
            continue
        holder = _CDATA_HOLDER_RE.search(body, max(0, start - 512), start)
        limit = marks[i + 1][0] if i + 1 < len(marks) else len(body)
        if holder is not None and (end := body.find(b"</" + holder.group(1) + b">", start, limit)) >= 0:
            closes.append(end)
    if not closes:
        return body, None
    out, pos = [], 0
    for end in closes:
        out += [body[pos:end], b"]]>"]
        pos = end
    out.append(body[pos:])
    return b"".join(out), f"{len(closes)} CDATA sections never closed closed at their element's end"


# Invisible direction and zero-width marks (RLM, LRM, ALM, ZWSP/ZWJ/ZWNJ, embeddings, isolates, BOM)
# as an RTL editor or template leaves them around a URL: in UTF-8, in windows-1256 (LRM 0xFD, RLM
# 0xFE) and as numeric references.
_MARK_UTF8 = rb"\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf|\xd8\x9c"
_MARK_REF = rb"&#(?:0*82(?:0[3-7]|3[4-8]|9[4-7])|0*65279|0*1564|[xX]0*(?:20[0-2][B-Fb-fA-Ea-e]|206[6-9]|[Ff][Ee][Ff][Ff]|61[Cc]));"
_LINK_ELEMENT = rb"(?:[\w.-]+:)?(?:link|guid|id|origLink|loc)"


@lru_cache(maxsize=4)
def _mark_patterns(native: bool, cp1256: bool) -> tuple[re.Pattern[bytes], ...]:
    """Marks at the start and at the end of a link element's text and of an href value."""
    mark = rb"(?:" + (_MARK_UTF8 + rb"|" if native else rb"[\xfd\xfe]|" if cp1256 else b"") + _MARK_REF + rb")"
    return (re.compile(rb"(<" + _LINK_ELEMENT + rb"\b[^<>]*>\s*(?:<!\[CDATA\[)?)\s*(?:" + mark + rb"\s*)+", re.I),
            re.compile(rb"(?:\s*" + mark + rb")+(?=\s*(?:\]\]>\s*)?</" + _LINK_ELEMENT + rb">)", re.I),
            re.compile(rb"""(\bhref\s*=\s*["'])\s*(?:""" + mark + rb"\s*)+", re.I),
            re.compile(rb"""(\bhref\s*=\s*(?:"[^"<>]*?|'[^'<>]*?))(?:\s*""" + mark + rb""")+\s*(?=["'])""", re.I))


def _without_link_marks(body: bytes, charset: str | None) -> bytes:
    """Links without the direction marks written around them (an RTL CMS field or template:
    '\u200fhttps://outlet/news/1', '.../news/1&#8206;'): a mark before the scheme made the link
    relative (feedparser resolved it under the feed's folder: 'https://outlet/rss/%E2%80%8Fhttps:/…'),
    one after it a second key for the same article. Marks inside a URL are left as written."""
    codec = (charset or "").lower().replace("_", "-")
    native, cp1256 = codec in ("utf-8", "utf8"), codec in ("windows-1256", "cp1256")
    if not (b"&#" in body or cp1256 or (native and re.search(_MARK_UTF8, body))):
        return body
    lead, trail, href_lead, href_trail = _mark_patterns(native, cp1256)
    body = trail.sub(b"", lead.sub(rb"\1", body))
    return href_trail.sub(rb"\1", href_lead.sub(rb"\1", body))


def _bare_ids(body: bytes) -> frozenset[str]:
    return frozenset(m.group(1).decode("utf-8", errors="replace") for m in _BARE_ID_RE.finditer(body))


def _entry_link(entry: feedparser.FeedParserDict, feed_url: str = "", bare_ids: frozenset[str] = frozenset(),
                shared: frozenset[str] = frozenset()) -> str | None:
    """The article's link: FeedBurner's `<feedburner:origLink>` (its `<link>` is a
    feedproxy.google.com / feeds.feedburner.com redirect), else `<link>` / the rel=alternate one,
    else the `<guid>`/`<id>` when it is written as a URL (not a bare identifier). A link written
    without scheme ('www.outlet.com/news/1') is an absolute URL, not a path under the feed's folder."""
    orig = str(entry.get("feedburner_origlink") or "").strip()
    if orig.lower().startswith(("http://", "https://")):
        return orig
    link = str(entry.get("link") or "").strip()
    guid = str(entry.get("id") or "").strip()
    own_link = link
    if link and entry.get("guidislink") and link == guid:
        link = ""  # taken from the guid: judged below, after the entry's own links
    if not link:  # e.g. an Atom entry whose only alternate is its AMP page (feedparser's link is text/html)
        link = next((str(lk["href"]).strip() for lk in entry.get("links", [])
                     if lk.get("href") and lk.get("rel", "alternate") == "alternate"), "")
    if not link:
        if not guid or guid.rsplit("/", 1)[-1] in bare_ids:
            return None
        link = guid if guid.lower().startswith(("http://", "https://")) or entry.get("guidislink") else ""
    if not link:
        return None
    for _ in range(3):
        if "&" not in link or not _AMP_ENTITY_RE.search(link):
            break
        link = _AMP_ENTITY_RE.sub("&", link)
    if (target := _google_news_target(link) or _redirect_target(link)) is not None:
        return target
    if (guid.lower().startswith(("http://", "https://")) and (_is_site_root(link) or own_link in shared)
            and not _is_site_root(guid) and guid not in shared and guid.rsplit("/", 1)[-1] not in bare_ids):
        return guid  # every item's <link> is the home or section page (a template error); the guid is the article
    folder = urljoin(_entry_base(entry, feed_url), ".")
    if folder and link.startswith(folder) and link[len(folder):].lower().startswith("www."):
        return f"{folder.split(':', 1)[0]}://{link[len(folder):]}"
    return link


_GOOGLE_NEWS_RE = re.compile(r"^https?://news\.google\.com/(?:__i/rss/rd/|rss/)?articles/([A-Za-z0-9_-]{8,4000})", re.I)


def _google_news_target(link: str) -> str | None:
    """The publisher's URL inside a Google News RSS link (news.google.com/rss/articles/<id>): the id
    is a base64url protobuf whose first string field was, until 2024, the article URL itself. Newer
    ids ('CBMi…AU_yqL…') carry an opaque token instead: None (the Google link is kept)."""
    m = _GOOGLE_NEWS_RE.match(link)
    if not m:
        return None
    token = m.group(1)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    pos = 0
    while pos < len(raw):  # protobuf fields: varints (wire type 0) and strings (wire type 2)
        key, pos = _varint(raw, pos)
        if key is None:
            return None
        if key & 7 == 0:
            _, pos = _varint(raw, pos)
        elif key & 7 == 2:
            size, pos = _varint(raw, pos)
            if size is None or pos + size > len(raw):
                return None
            value = raw[pos:pos + size]
            if value[:8].lower().startswith((b"https://", b"http://")):
                return value.decode("utf-8", errors="replace")
            pos += size
        else:
            return None
    return None


def _varint(raw: bytes, pos: int) -> tuple[int | None, int]:
    value = shift = 0
    while pos < len(raw) and shift < 64:
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    return None, pos


# Feed services whose item links are click-tracking redirects carrying the article URL in a
# parameter: Google Alerts (google.<tld>/url?url=…) and Bing News (bing.com/news/apiclick.aspx?url=…).
_REDIRECTORS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^(?:www\.)?google\.[a-z.]{2,6}$"), ("url", "q")),
    (re.compile(r"^(?:www\.)?bing\.com$"), ("url",)),
)
_REDIRECT_PATHS = frozenset({"/url", "/news/apiclick.aspx"})


def _redirect_target(link: str) -> str | None:
    parts = split_url(link)
    if parts is None or parts.path.lower() not in _REDIRECT_PATHS:
        return None
    host = host_key(parts.hostname)  # "www.google.com." and "WWW.Bing.com" are those services too
    for pattern, keys in _REDIRECTORS:
        if pattern.match(host):
            params = dict(parse_qsl(parts.query))
            for key in keys:
                target = params.get(key, "").strip()
                if target.lower().startswith(("http://", "https://")):
                    return target
    return None


def _is_site_root(url: str) -> bool:
    parts = split_url(url)
    return parts is not None and parts.path in ("", "/") and not parts.query


def _entry_base(entry: feedparser.FeedParserDict, feed_url: str) -> str:
    """The base feedparser resolved the entry's relative links against (its xml:base, else the feed URL)."""
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if isinstance(detail, dict) and detail.get("base"):
            return str(detail["base"])
    return feed_url


_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)[^<>]*>")
_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})


def _untag(s: str) -> str:
    """Tags removed: a block tag (br, p, div …) separates words, an inline one (b, span, a) does not."""
    return _TAG_RE.sub(lambda m: " " if m.group(1).lower() in _BLOCK_TAGS else "", s) if "<" in s else s
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _plain_title(text: object) -> str | None:
    """A title as plain text. CMSs put HTML in titles (CDATA '<b>عاجل</b>') and escape them twice
    ('&amp;quot;', '&amp;#1575;' arrive as '&quot;', '&#1575;' after the XML layer): tags are
    dropped, entities decoded until none is left (at most three layers), whitespace (and
    no-break spaces) collapsed to single spaces."""
    if not text:
        return None
    s = _untag(str(text))
    for _ in range(3):
        if not _ENTITY_RE.search(s):
            break
        s = html.unescape(s)
        s = _untag(s)  # '&lt;b&gt;' was a tag, escaped
    return " ".join(s.split()) or None


def _title_without_source(title: str | None, entry: dict) -> str | None:
    """Aggregators (Google News, Bing News) name the publisher in the item's `<source>` and append it
    to the title ('عنوان الخبر - الجزيرة نت'): the suffix is not part of the headline."""
    source = entry.get("source")
    name = _plain_title(source.get("title")) if title and isinstance(source, dict) else None
    if name:
        for sep in (" - ", " | ", " – ", " — "):
            if title.endswith(sep + name) and len(title) > len(sep + name):
                return title[: -len(sep + name)].rstrip()
    return title


_EMAIL_RE = re.compile(r"<?\b[^\s@()<>\"',;]+@[^\s@()<>\"',;]+\.[^\s@()<>\"',;]+\b>?")


def _entry_author(entry: dict) -> str | None:
    """The author's name. RSS 2.0 writes `<author>` as 'email (Name)' (Blogger: 'noreply@blogger.com
    (Unknown)'), others 'Name <email>': the name without the address, none for an address alone or
    Blogger's 'Unknown' (was kept whole: 'editor@outlet.com (محمد علي)' as the byline)."""
    raw = " ".join(str(entry.get("author") or "").split())
    if "@" not in raw:
        return raw or None
    name = re.sub(r"\(\s*\)|\[\s*\]", " ", _EMAIL_RE.sub(" ", raw)).strip()
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    name = " ".join(name.strip(" ,;:-").split())
    return None if not name or name.lower() == "unknown" else name


def _cap(text: object, limit: int) -> str | None:
    if not text:
        return None
    s = str(text).strip()
    return s[:limit] if s else None


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DATA_URI_RE = re.compile(r"data:[^\"'\s<>]{256,}", re.I)
_SCRIPTLIKE_START_RE = re.compile(r"<(script|style)\b|<!--", re.I)


def _without_scriptlike(s: str) -> str:
    """script/style elements and comments removed (the sanitizer drops them, content and all), in
    one pass: an element left open ends the text."""
    out, pos, low = [], 0, s.lower()
    while (m := _SCRIPTLIKE_START_RE.search(s, pos)) is not None:
        out.append(s[pos:m.start()])
        if m.group(1):
            end = low.find(f"</{m.group(1).lower()}", m.end())
            end = s.find(">", end) + 1 if end >= 0 else 0
        else:
            end = s.find("-->", m.end())
            end = end + 3 if end >= 0 else 0
        if end <= 0:
            return "".join(out)
        pos = end
    out.append(s[pos:])
    return "".join(out)


def _safe_html(value: object, detail: object, limit: int) -> str | None:
    """An element's text; when it is HTML (its detail's type), relative URIs resolved against its
    base and sanitized as feedparser would (scripts, styles, event handlers gone) — but on at most
    `limit` characters: megabytes of HTML in one item (a CMS dumping whole pages into
    `<description>`, inline base64 images) cost feedparser ~1 s per MB per pass. Data URIs,
    scripts, styles and comments are dropped before the cut, a tag cut in two is dropped."""
    if not value:
        return None
    s = str(value)
    kind = detail.get("type") if isinstance(detail, dict) else None
    if kind not in _HTML_TYPES:
        return s[:limit]
    if len(s) > limit:
        s = _without_scriptlike(_DATA_URI_RE.sub("data:,", s))[:limit]
        if (lt := s.rfind("<")) > s.rfind(">"):
            s = s[:lt]
    base = detail.get("base") or ""
    return _sanitize_html(resolve_relative_uris(s, base, "utf-8", kind), "utf-8", kind)


def _summary_detail(entry: dict) -> object:
    """The summary's type and base. An item with content but no summary (Atom `<content>`, RSS
    `content:encoded` alone) gets its content copied into `summary` by feedparser without a
    summary_detail: the content element it came from gives them (its HTML was kept unsanitized and
    its relative links unresolved, against the content's own xml:base too)."""
    detail = entry.get("summary_detail")
    if detail is None and (value := entry.get("summary")):
        detail = next((c for c in entry.get("content") or [] if isinstance(c, dict) and c.get("value") == value), None)
    return detail


def _is_html(detail: object) -> bool:
    return isinstance(detail, dict) and detail.get("type") in _HTML_TYPES


def _html_as_text(value: object, limit: int) -> str | None:
    """An HTML summary as one escaped paragraph of its text (scripts, styles, comments dropped,
    tags removed, entities decoded): what the sanitizer would keep of its words, at regex speed."""
    text = _untag(_without_scriptlike(_DATA_URI_RE.sub("", str(value or "")[:4 * limit])))
    text = " ".join(html.unescape(text).split())[:limit]
    return f"<p>{html.escape(text, quote=False)}</p>" if text else None


_LONG_START_TAG_RE = re.compile(rb"<[A-Za-z_][\w:.-]*\s[^<>]{4096,}>")
_XML_ATTR_RE = re.compile(rb"""([^\s=<>/"']+)\s*=\s*(?:"[^"]*"|'[^']*')""")


def _fewer_attributes(body: bytes) -> bytes:
    """Start tags with more than MAX_TAG_ATTRIBUTES attributes keep their namespace declarations
    and first MAX_TAG_ATTRIBUTES others: the SAX layer feedparser uses looks each attribute up by a
    linear scan (quadratic: 10,000 attributes on one element took 8 s)."""
    def trim(m: re.Match[bytes]) -> bytes:
        tag = m.group(0)
        attrs = list(_XML_ATTR_RE.finditer(tag))
        if len(attrs) <= MAX_TAG_ATTRIBUTES:
            return tag
        kept, others = [], 0
        for a in attrs:
            if a.group(1).lower().startswith(b"xmlns"):
                kept.append(a.group(0))
            elif others < MAX_TAG_ATTRIBUTES:
                kept.append(a.group(0))
                others += 1
        name = tag[:attrs[0].start()].rstrip()
        return name + b" " + b" ".join(kept) + (b"/>" if tag.endswith(b"/>") else b">")
    return _LONG_START_TAG_RE.sub(trim, body) if len(body) > 4096 else body


_ITEM_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)


def _first_items(body: bytes) -> tuple[bytes, str | None]:
    """The feed with its items after the first MAX_FEED_ITEMS removed (those between the end of
    item MAX_FEED_ITEMS and the end of the last one, siblings, so the document stays well-formed),
    and a note saying how many were dropped."""
    ends = _ITEM_END_RE.finditer(body)
    cut = None
    for n, m in enumerate(ends, 1):
        if n == MAX_FEED_ITEMS:
            cut = m.end()
            break
    if cut is None:
        return body, None
    last = cut
    dropped = 0
    for m in ends:
        last = m.end()
        dropped += 1
    if not dropped:
        return body, None
    return body[:cut] + body[last:], f"{dropped} items after the first {MAX_FEED_ITEMS} not read"


_CONTENT_START_RE = re.compile(rb"<((?:[\w.-]+:)?(?:description|summary|content|encoded|title|subtitle))(\s[^<>]*)?>")
_DATA_URI_BYTES_RE = re.compile(rb"data:[^\"'\s<>]{256,}", re.I)
_XHTML_TYPE_RE = re.compile(rb"""(\btype\s*=\s*["'])xhtml(["'])""")


_CDATA_SECTION_RE = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)
_ITEM_START_RE = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]", re.I)


def _within_tag_budget(body: bytes) -> tuple[bytes, str | None]:
    """The feed without the items that carry more than MAX_ITEM_TAGS elements (counted outside
    CDATA) or would bring the feed past MAX_FEED_TAGS, and a note saying how many were dropped."""
    if body.count(b"<") <= min(MAX_FEED_TAGS, MAX_ITEM_TAGS):
        return body, None
    bare = _CDATA_SECTION_RE.sub(b"", body)
    counts, prev = [], 0
    for m in _ITEM_END_RE.finditer(bare):  # from the item's start: what lies between items is the channel's
        start = _ITEM_START_RE.search(bare, prev, m.start())
        counts.append(bare.count(b"<", start.start() if start else prev, m.end()))
        prev = m.end()
    ends = list(_ITEM_END_RE.finditer(body))
    if len(ends) != len(counts):
        return body, None  # an item end inside CDATA: the ordinals would not match
    out, pos, total, dropped = [], 0, 0, 0
    for i, count in enumerate(counts):
        if count <= MAX_ITEM_TAGS and total + count <= MAX_FEED_TAGS:
            total += count
            continue
        start = _ITEM_START_RE.search(body, ends[i - 1].end() if i else 0)
        if start is None or start.start() > ends[i].start():
            continue
        out.append(body[pos:start.start()])
        pos = ends[i].end()
        dropped += 1
    if not dropped:
        return body, None
    out.append(body[pos:])
    return b"".join(out), (f"{dropped} items not read: more than {MAX_ITEM_TAGS} tags in one, or past "
                           f"{MAX_FEED_TAGS} in the feed")


# A CDATA section, comment, processing instruction or declaration (text to the element count), an
# end tag, or a start tag (group 1: its name; group 2: '/' when it is empty).
_MARKUP_RE = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[?!][^>]*>|</[^>]*>|<([^\s/>]+)[^>]*?(/?)>", re.S)


def _channel_within_budget(body: bytes) -> tuple[bytes, str | None]:
    """The feed without the elements outside its items that come after the first MAX_CHANNEL_TAGS
    of them (each with its content; the end tags of the elements kept stay, so the document stays
    well-formed; items inside a dropped element are kept), and a note saying how many were dropped.
    feedparser spends 10-30 µs on every element wherever it is; a channel carries tens."""
    if body.count(b"<") <= MAX_CHANNEL_TAGS:
        return body, None
    items: list[tuple[int, int]] = []  # the items' spans, as _within_tag_budget finds them
    prev = 0
    for m in _ITEM_END_RE.finditer(body):
        start = _ITEM_START_RE.search(body, prev, m.start())
        if start is not None:
            items.append((start.start(), m.end()))
        prev = m.end()
    gaps = [(a, b) for a, b in zip([0] + [e for _, e in items], [s for s, _ in items] + [len(body)], strict=True)]
    if sum(body.count(b"<", a, b) for a, b in gaps) <= MAX_CHANNEL_TAGS:
        return body, None
    out: list[bytes] = []
    kept = dropped = skip = 0  # skip: depth inside a dropped element
    for k, (a, b) in enumerate(gaps):
        pos = a  # the text from here on is not copied yet
        for m in _MARKUP_RE.finditer(body, a, b):
            name, empty = m.group(1), m.group(2)
            if skip:  # inside a dropped element: it goes, with the text before it
                if name is not None:
                    dropped += 1
                    skip += 0 if empty else 1
                elif body.startswith(b"</", m.start()):
                    skip -= 1
                pos = m.end()
            elif name is not None and kept >= MAX_CHANNEL_TAGS:
                out.append(body[pos:m.start()])
                dropped += 1
                skip = 0 if empty else 1
                pos = m.end()
            elif name is not None:
                kept += 1
        out.append(body[b if skip else pos:b])
        if k < len(items):
            out.append(body[items[k][0]:items[k][1]])
    if not dropped:
        return body, None
    return b"".join(out), f"{dropped} elements outside items not read: more than {MAX_CHANNEL_TAGS}"


def _cut_oversized_elements(body: bytes, charset: str | None) -> tuple[bytes, int]:
    """The feed with the text of each title/description/summary/content element longer than
    MAX_ELEMENT_BYTES cut to that (data: URIs, scripts, styles and comments dropped first, so the
    text after them stays) and written as one CDATA section: escaped text unescaped, CDATA unwrapped, inline XHTML kept
    as markup (an Atom type="xhtml" becomes type="html"). feedparser reads the same text from it,
    minus the cut. Returns the number of elements cut."""
    if len(body) <= MAX_ELEMENT_BYTES:
        return body, 0
    try:
        "".encode(charset or "utf-8")
        enc = charset or "utf-8"
    except LookupError:
        enc = "utf-8"
    out: list[bytes] = []
    pos = search = cut = 0
    while (m := _CONTENT_START_RE.search(body, search)) is not None:
        name, attrs = m.group(1), m.group(2) or b""
        close = body.find(b"</" + name + b">", m.end())
        if attrs.rstrip().endswith(b"/") or close < 0 or close - m.end() <= MAX_ELEMENT_BYTES:
            search = m.end()
            continue
        end_cdata, start_cdata = body.find(b"]]>", m.end(), close), body.find(b"<![CDATA[", m.end(), close)
        if end_cdata >= 0 and (start_cdata < 0 or end_cdata < start_cdata):
            search = m.end()  # an HTML tag inside some element's CDATA (<summary> is HTML5 too): not ours
            continue
        raw = _DATA_URI_BYTES_RE.sub(b"data:,", body[m.end():close])[:4 * MAX_ELEMENT_BYTES]
        text = raw.decode(enc, errors="ignore")  # (a character cut in two at the end dropped)
        if text.lstrip().startswith("<![CDATA["):  # the last section may be cut open
            text = text.replace("<![CDATA[", "").replace("]]>", "")
        elif "<" not in text:  # escaped text (a partial entity at the cut dropped; unescaping is shorter)
            text = text[:MAX_ELEMENT_BYTES]
            if (amp := text.rfind("&")) > text.rfind(";"):
                text = text[:amp]
            text = html.unescape(text)
        text = _without_scriptlike(text)[:MAX_ELEMENT_BYTES]
        if (lt := text.rfind("<")) > text.rfind(">"):
            text = text[:lt]  # a tag cut in two
        data = text.replace("]]>", "]]]]><![CDATA[>").encode(enc, errors="ignore")
        out += [body[pos:m.start()], b"<", name, _XHTML_TYPE_RE.sub(rb"\1html\2", attrs), b"><![CDATA[", data, b"]]>"]
        pos = search = close
        cut += 1
    out.append(body[pos:])
    return b"".join(out), cut


def _not_a_feed(feed_url: str, reason: str) -> ParsedFeed:
    return ParsedFeed(feed_url=feed_url, entries=[], bozo=True, bozo_reason=reason, is_feed=False)


def parse_feed(spec: FeedSpec, result: FetchResult, max_entries: int | None = None) -> ParsedFeed:
    """Parse a fetched feed; never raises. Bad entries are skipped with a reason, not fatal."""
    feed_url = result.final_url or spec.url
    if result.outcome == "not_modified" or (result.ok and result.status in (204, 205)):
        # 204 No Content: what feed endpoints of APIs and CMS plugins answer when nothing is new
        # (before: 'not a feed: empty body', a hard error that disabled such feeds within a day)
        return ParsedFeed(feed_url=feed_url, entries=[])
    if not result.ok:
        return _not_a_feed(feed_url, f"fetch failed: {result.outcome}: {result.error or ''}".strip())
    if not result.body.strip():
        return _not_a_feed(feed_url, "empty body")
    try:
        return _parse(spec, result, feed_url, max_entries)
    except Exception as exc:  # feedparser is robust, but a feed must never crash a run
        try:  # its namespace handlers raise on values they do not expect (georss/gml): without them
            return _parse(spec, result, feed_url, max_entries, f"{type(exc).__name__}: {exc}"[:200])
        except Exception:  # noqa: BLE001 - the first failure is the one to report
            pass
        return _not_a_feed(feed_url, f"parser crashed: {type(exc).__name__}: {exc}")


# A namespaced element name (group 1: '/' of an end tag, group 2: its prefix).
_PREFIXED_TAG_RE = re.compile(rb"<(/?)([A-Za-z_][\w.-]*):(?=[A-Za-z_])")
# The prefixes of the namespaces an entry is read from (Dublin Core dates and subjects, content:encoded,
# Atom links in RSS, FeedBurner's origLink, RDF, inline XHTML; .NET writes Atom as a10).
_READ_PREFIXES = frozenset({b"dc", b"dcterms", b"content", b"atom", b"atom10", b"a10", b"feedburner", b"rdf", b"xhtml"})


def _without_foreign_elements(body: bytes) -> bytes:
    """The feed with the elements of every other namespace renamed to names no handler has
    ('georss:point' -> 'georss-point'): feedparser ignores them. For a second try when feedparser
    raised on one of them (a GML srsName 'EPSG:abc' or posList of odd length: ValueError/TypeError,
    the whole feed lost)."""
    return _PREFIXED_TAG_RE.sub(lambda m: m.group(0) if m.group(2).lower() in _READ_PREFIXES
                                else b"<" + m.group(1) + m.group(2) + b"-", body)


def _parse(spec: FeedSpec, result: FetchResult, feed_url: str, max_entries: int | None,
           retry_after: str | None = None) -> ParsedFeed:
    """retry_after: what feedparser raised on the first try (the elements of other namespaces are
    then left out). Dates are read against when the feed was fetched (a feed parsed after the whole fetch
    stage, or again later, gets the same dates), the clock when the result does not say."""
    now = result.fetched_at or datetime.now(UTC)
    content_type = result.headers.get("content-type") or result.headers.get("Content-Type")
    body, items_note = result.body, None
    if (bom_encoding(body) or "utf-8").startswith("utf-8") and not utf16_without_bom(body):
        # before the bytes are repaired: a UTF-8 character split by the cut is no "invalid UTF-8"
        body, items_note = _complete_items(body)
    body, charset, headers, repair_note = _prepare(body, content_type)
    if items_note is None:  # UTF-16/32, read as UTF-8 by now
        body, items_note = _complete_items(body)
    repair_note = "; ".join(filter(None, [items_note, repair_note])) or None
    body, chars_note = _without_invalid_chars(body, charset)
    repair_note = "; ".join(filter(None, [repair_note, chars_note])) or None
    body, safety_note = _strip_dangerous_doctype(body)
    body = _without_link_marks(_single_escaped_amps(body), charset)
    if body.lstrip()[:1] == b"{":
        safety_note = "; ".join(filter(None, [repair_note, safety_note])) or None
        return _json_feed(spec, feed_url, body, max_entries, safety_note, now)
    body, open_note = _close_open_cdata(body)  # first: a section never closed is no section holding the next
    body, cdata_note = _split_nested_cdata(body)
    repair_note = "; ".join(filter(None, [repair_note, open_note, cdata_note])) or None
    if _SITEMAP_ROOT_RE.match(body):  # feedparser reads no sitemap (it spent ~1 s on 10,000 URLs finding none)
        return _sitemap(spec, feed_url, _xml_text(body, charset or "utf-8"), max_entries,
                        "; ".join(filter(None, [repair_note, safety_note])) or None, now)
    body, cut_note = _first_items(body)
    body, _ = _cut_oversized_elements(body, charset)
    body, flood_note = _within_tag_budget(body)
    body, channel_note = _channel_within_budget(body)
    cut_note = "; ".join(filter(None, [cut_note, flood_note, channel_note])) or None
    safety_note = "; ".join(filter(None, [repair_note, safety_note, cut_note])) or None
    headers["content-location"] = feed_url  # base for relative links / xml:base
    if retry_after:
        body = _without_foreign_elements(body)
        safety_note = "; ".join(filter(None, [safety_note, f"feedparser raised {retry_after}: elements of other "
                                                           "namespaces left out"]))
    # Embedded HTML is resolved and sanitized by us, only where we keep it and bounded (_safe_html):
    # feedparser does both on every element (content:encoded too) at ~1 MB/s each.
    parsed = feedparser.parse(io.BytesIO(_fewer_attributes(body)), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    bozo_reason = safety_note
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        bozo_reason = "; ".join(filter(None, [safety_note, f"{type(exc).__name__}: {exc}"[:300]]))
        if _cut_short(body, exc):
            bozo_reason = f"{FEED_CUT_SHORT}; {bozo_reason}"
    if not parsed.get("version") and not parsed.entries:
        why = "HTML page, not a feed" if _HTML_SNIFF_RE.match(body[:2048]) else "not a feed"
        if why == "not a feed" and (bozo_reason or "").startswith(FEED_CUT_SHORT):
            return _not_a_feed(feed_url, f"{bozo_reason}; not a feed (cut before its root element)")
        if why.startswith("HTML") and (announced := _announced_feed(body, charset, feed_url)):
            why += f" (it announces the feed {announced}: put that in the catalog)"
        return _not_a_feed(feed_url, f"{why}; {bozo_reason}" if bozo_reason else why)
    feed = ParsedFeed(feed_url=feed_url, entries=[], bozo=bool(parsed.get("bozo") or safety_note),
                      bozo_reason=bozo_reason, title=_cap(_plain_title(_safe_html(parsed.feed.get("title"), parsed.feed.get("title_detail"),
                                                                       4 * MAX_TITLE_CHARS)), MAX_TITLE_CHARS))
    _collect_entries(spec, feed, parsed.entries, max_entries, now, _bare_ids(body), str(parsed.feed.get("language") or ""))
    return feed


# expat's words for a document that ends inside an element or a token (the end of the input, not
# a bad byte in the middle), and the end tags a whole feed closes with
_END_OF_INPUT_RE = re.compile(r"no element found|unclosed token|unclosed CDATA section")
_FEED_START_RE = re.compile(rb"\s*(?:<\?xml\b|<(?:[\w.-]+:)?(?:rss|feed|rdf)\b)", re.I)
_FEED_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|rdf)>\s*$", re.I)


_ROOT_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>", re.I)
_FEED_ROOT_RE = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|rdf)[\s>/]", re.I)


def _complete_items(body: bytes) -> tuple[bytes, str | None]:
    """A feed document cut short (no closing root tag after its last complete item: the server or
    a proxy closed mid-transfer, tasks.http keeps what came; or a file read mid-deploy) up to the
    end of its last complete item (`</item>`, `</entry>`, any prefix), and a note saying so. The
    parser read the half item after it as an item: its title and link cut wherever the bytes
    stopped ("وزير الخارجية يبحث مع" for a whole headline, a link to half a URL). Cut before any
    complete item: up to its first item's start (the channel's head is read, no item). On bytes of
    an ASCII-compatible encoding: an end tag is ASCII, a character is never split. A whole feed,
    whatever follows its root's end tag, is left as it is."""
    if _FEED_ROOT_RE.search(body, 0, 4096) is None:
        return body, None
    last = None
    for last in _ITEM_END_RE.finditer(body):  # noqa: B007 - the last one is wanted
        pass
    end = last.end() if last is not None else 0
    if _ROOT_END_RE.search(body, end) is not None:
        return body, None
    if last is None:
        first = _ITEM_START_RE.search(body)
        if first is None:  # cut in the channel's head: no item begun
            return body, None
        return body[: first.start()], (f"cut before its first complete item: the "
                                        f"{len(body) - first.start()} bytes of its first item not read")
    if _ITEM_START_RE.search(body, end) is None:
        return body, None  # no item begun after it (cut just after one, or in the channel's end tags)
    return body[:end], (f"cut after its last complete item: the {len(body) - end} bytes "
                        "after it (a half item) not read")


def _cut_short(body: bytes, exc: object) -> bool:
    """A feed document that stops before its end (a file read while a deploy rewrote it, a proxy
    that closed mid-transfer with its framing intact): it starts as a feed, the parser ran out of
    input inside it, and no closing root tag came. An outage of the feed, not a wrong URL
    (tasks.health weighs it so after a recent success)."""
    return (_END_OF_INPUT_RE.search(str(exc)) is not None and _FEED_START_RE.match(body) is not None
            and _FEED_END_RE.search(body[-256:]) is None)


_LINK_TAG_RE = re.compile(r"<link\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""\b(rel|type|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


def _announced_feed(body: bytes, charset: str | None, base: str) -> str | None:
    """The first feed a page announces in its head (<link rel="alternate" type="application/rss+xml"
    href=…>, the autodiscovery every CMS prints): a catalog entry that names the home page instead
    of its feed can say which URL to put there. The URL fetched itself is no answer (the error or
    maintenance page a CMS serves at its feed URL carries the same head)."""
    try:
        head = body[:262_144].decode(charset or "utf-8", errors="replace")
    except LookupError:
        head = body[:262_144].decode("utf-8", errors="replace")
    for tag in _LINK_TAG_RE.findall(head):
        attrs = {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR_RE.finditer(tag)}
        if "alternate" in attrs.get("rel", "").lower().split() and attrs.get("type", "").lower().strip() in _FEED_TYPES:
            url = canonicalize(attrs.get("href"), base)
            if url and url != canonicalize(base, base):  # a CMS's error page at the feed URL names that URL
                return url
    return None


def _xml_text(body: bytes, charset: str) -> str:
    """The document as text in the charset decided for it, without its XML declaration (which
    may name another)."""
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))


def _sitemap(spec: FeedSpec, feed_url: str, body: str, max_entries: int | None, note: str | None,
             now: datetime) -> ParsedFeed:
    """A sitemap's URLs as feed entries, newest first: `<loc>`, Google News' `<news:title>`,
    `<news:publication_date>` (else `<lastmod>`) and `<news:keywords>`; of a sitemap of more than
    MAX_FEED_ITEMS URLs (the protocol allows 50,000), the newest MAX_FEED_ITEMS. A sitemap index lists
    sitemaps, not articles: not a feed (its first sitemap is named, to put in the catalog instead)."""
    try:
        root = ElementTree.fromstring(body)  # the DOCTYPE was stripped: no entity can expand
    except ElementTree.ParseError as exc:
        return _not_a_feed(feed_url, f"sitemap, but not well-formed XML: {exc}")
    if _local(root.tag) == "sitemapindex":
        first = next((el.text.strip() for el in root.iter() if _local(el.tag) == "loc" and el.text), None)
        return _not_a_feed(feed_url, "a sitemap index lists sitemaps, not articles: put one of its sitemaps in "
                                     f"the catalog (the first is {first})")
    items = []
    for url in root:
        if _local(url.tag) != "url":
            continue
        found: dict[str, str] = {}
        for el in url.iter():
            name = _local(el.tag)
            if name in _SITEMAP_FIELDS and el.text and el.text.strip() and name not in found:
                found[name] = el.text.strip()
        items.append({"link": found.get("loc"), "title": found.get("title"),
                      "published": found.get("publication_date") or found.get("lastmod"),
                      "tags": [{"term": k.strip()} for k in (found.get("keywords") or "").split(",") if k.strip()]})
    if len(items) > MAX_FEED_ITEMS:  # a plain sitemap lists up to 50,000 URLs: the newest are read
        items.sort(key=_sitemap_recency, reverse=True)
        note = "; ".join(filter(None, [note, f"{len(items) - MAX_FEED_ITEMS} URLs after the newest {MAX_FEED_ITEMS} not read"]))
        del items[MAX_FEED_ITEMS:]
    feed = ParsedFeed(feed_url=feed_url, entries=[], bozo=bool(note), bozo_reason=note)
    _collect_entries(spec, feed, items, None, now)
    feed.entries.sort(key=lambda e: e.published_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    if max_entries is not None:
        del feed.entries[max_entries:]
    return feed


def _sitemap_recency(item: dict) -> float:
    """A sitemap URL's date as a timestamp, cheaply (W3C datetimes, what sitemaps write, by
    datetime.fromisoformat; tasks.dates for the others); undated ones last."""
    raw = item.get("published")
    try:
        dt = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        value = dates.parse_text(raw)
        dt = value.instant(None) if value else None
    try:
        return (dt if dt is None or dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp() if dt else float("-inf")
    except (OverflowError, ValueError, OSError):
        return float("-inf")


_JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
# Keys only a JSON Feed item has (an API's objects have ids, urls and titles too, not these).
_JSON_FEED_ITEM_KEYS = frozenset({"content_html", "content_text", "date_published", "external_url"})


def _json_feed(spec: FeedSpec, feed_url: str, body: bytes, max_entries: int | None, note: str | None,
               now: datetime) -> ParsedFeed:
    """A JSON Feed (jsonfeed.org 1.0/1.1, `application/feed+json`, offered by WordPress plugins,
    Ghost, micro.blog …) read with the json module: each item's `url` (else its `external_url`, the
    page a link post is about, else an http(s) `id`),
    `title`, `summary`/`content_text`/`content_html`, `date_published` (else `date_modified`),
    `authors[0].name` (1.0: `author.name`) and `tags`; `content_html` is sanitized like an RSS
    description (_safe_html). A `version` written as a number ('1.1') is tolerated, one left out
    when the items carry keys only JSON Feed items have (both noted). Any other JSON is not a feed."""
    try:
        doc = json.loads(body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as exc:
        return _not_a_feed(feed_url, f"JSON, but not well-formed: {exc}"[:300])
    if not (isinstance(doc, dict) and isinstance(doc.get("items"), list)):
        return _not_a_feed(feed_url, "JSON, but not a JSON Feed (jsonfeed.org)")
    version = doc.get("version")
    if not (isinstance(version, str) and version.startswith(_JSON_FEED_VERSIONS)):
        # written as a number ('"version": 1.1', '"1.1"') or left out by a hand-rolled generator:
        # a bare version number, else items with keys only JSON Feed items have, decide
        numbered = not isinstance(version, bool) and re.fullmatch(r"1(?:\.\d)?", str(version)) is not None
        if not numbered and not any(isinstance(it, dict) and _JSON_FEED_ITEM_KEYS & it.keys()
                                    for it in doc["items"][:MAX_FEED_ITEMS]):
            return _not_a_feed(feed_url, "JSON, but not a JSON Feed (jsonfeed.org)")
        note = "; ".join(filter(None, [note, f"JSON Feed without its version URL (version: {json.dumps(version)[:40]})"]))

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    items = []
    if len(doc["items"]) > MAX_FEED_ITEMS:
        note = "; ".join(filter(None, [note, f"{len(doc['items']) - MAX_FEED_ITEMS} items after the first "
                                             f"{MAX_FEED_ITEMS} not read"]))
    for it in doc["items"][:MAX_FEED_ITEMS]:
        if not isinstance(it, dict):
            continue
        authors = it.get("authors") if isinstance(it.get("authors"), list) else [it.get("author")]
        author = next((text(a.get("name")) for a in authors if isinstance(a, dict) and text(a.get("name"))), None)
        tags = it.get("tags") if isinstance(it.get("tags"), list) else []
        item_id = it.get("id")
        html_body = text(it.get("content_html"))
        summary = text(it.get("summary")) or text(it.get("content_text")) or html_body
        items.append({"id": str(item_id) if isinstance(item_id, str | int) and not isinstance(item_id, bool) else None,
                      "link": text(it.get("url")) or text(it.get("external_url")), "title": text(it.get("title")),
                      "summary": summary,
                      "summary_detail": {"type": "text/html", "base": feed_url} if summary and summary == html_body else None,
                      "author": author, "published": text(it.get("date_published")),
                      "updated": text(it.get("date_modified")),
                      "tags": [{"term": t} for t in tags if isinstance(t, str) and t.strip()]})
    feed = ParsedFeed(feed_url=feed_url, entries=[], bozo=bool(note), bozo_reason=note,
                      title=_cap(_plain_title(text(doc.get("title"))), MAX_TITLE_CHARS))
    _collect_entries(spec, feed, items, max_entries, now)
    return feed


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _collect_entries(spec: FeedSpec, feed: ParsedFeed, entries: list, max_entries: int | None, now: datetime,
                     bare_ids: frozenset[str] = frozenset(), language: str = "") -> None:
    """`now`: when the feed was fetched, what its relative stamps count back from and its dates may not pass."""
    tz = dates.zone(spec.country)
    seen_guids: set[str] = set()
    seen_urls: set[str] = set()
    utc_walls: dict[int, datetime] = {}  # entry index -> wall time of a date written as UTC
    date_texts: dict[int, str] = {}  # entry index -> the date text our parser read
    # A guid on three or more items, or the site's home page, identifies no item (templates print
    # the channel link or '0' in every <guid>): it would drop every item but the first as a duplicate.
    # (Two items sharing one guid are one story listed under two links: the second is dropped.)
    guid_counts = Counter(str(e.get("id") or "").strip() for e in entries)
    # Likewise a <link> printed on three or more items (the section page, the channel link): the
    # items' own URL guids are their links.
    link_counts = Counter(str(e.get("link") or "").strip() for e in entries)
    shared = frozenset(k for counts in (link_counts, guid_counts) for k, n in counts.items() if k and n >= 3)
    budget = MAX_FEED_SANITIZED_CHARS

    def summary_of(entry: dict) -> str | None:
        nonlocal budget
        value, detail = entry.get("summary"), _summary_detail(entry)
        if not _is_html(detail) or budget > 0:
            budget -= min(len(str(value or "")), MAX_RAW_HTML_CHARS) if _is_html(detail) else 0
            return _safe_html(value, detail, MAX_RAW_HTML_CHARS)
        return _html_as_text(value, MAX_SUMMARY_CHARS)

    for entry in entries:
        if max_entries is not None and len(feed.entries) >= max_entries:
            break
        guid = _cap(entry.get("id"), 2000)
        if guid and (guid_counts[str(entry.get("id")).strip()] >= 3 or _is_site_root(guid)):
            guid = None
        if guid and guid.rsplit("/", 1)[-1] in bare_ids:
            guid = guid.rsplit("/", 1)[-1]  # '12345' as written, not resolved against the feed URL
        raw_link = _entry_link(entry, feed.feed_url, bare_ids, shared)
        raw_link = strip_credentials(raw_link) if raw_link else raw_link  # as found, minus user:password@
        label = raw_link or guid or _cap(entry.get("title"), 80) or "(entry)"
        if not raw_link:
            feed.skipped.append((label, "no link"))
            continue
        url = canonicalize(raw_link, feed.feed_url)
        if url is None:
            feed.skipped.append((label, "unusable link (not http/https)"))
            continue
        if guid and guid in seen_guids:
            feed.skipped.append((label, "duplicate guid"))
            continue
        if url in seen_urls:
            feed.skipped.append((label, "duplicate link"))
            continue
        if guid:
            seen_guids.add(guid)
        seen_urls.add(url)
        published, utc_wall, date_text = _entry_date(entry, now, tz)
        if utc_wall is not None:
            utc_walls[len(feed.entries)] = utc_wall
        if date_text is not None:
            date_texts[len(feed.entries)] = date_text
        feed.entries.append(FeedEntry(
            feed_url=feed.feed_url, source_id=spec.source_id, url=url, raw_link=raw_link, guid=guid,
            title=_cap(_title_without_source(_plain_title(
                _safe_html(entry.get("title"), entry.get("title_detail"), 4 * MAX_TITLE_CHARS)), entry), MAX_TITLE_CHARS),
            summary=_cap(summary_of(entry), MAX_SUMMARY_CHARS),
            author=_cap(_entry_author(entry), MAX_AUTHOR_CHARS), published_at=published,
            categories=[str(t.get("term"))[:200] for t in entry.get("tags", []) if t.get("term")][:50],
        ))
    # the catalog's country, else the feed's <language> ("ar", "ar-EG"): does the outlet write numeric dates day first
    _month_first_dates(feed, date_texts, utc_walls, now, tz, dates.writes_day_first(spec.country, language))
    _local_time_labelled_utc(feed, utc_walls, now, tz)
    _not_after_fetch(feed, now)
