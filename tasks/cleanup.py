"""Cleanup rules for article pages, the part of extraction that knows how templates look.

1. structural cleanup on the parsed tree (figures/captions, asides, nav, share/tag/related blocks,
   blocks that open with a heading naming them as furniture ("أخبار ذات صلة", "التعليقات") — a
   related/latest box only when it looks like one (short linked lines, headline links with short
   summaries: a story's section under "آخر الأخبار" stays, and so does a live blog, whose entries have
   their own time stamps and paragraphs of several sentences (or one sentence, none cut short) even
   when their headlines link to stories elsewhere, when it is the page's main content or its entries
   link to their own place on the page; a box of teasers linking to other pages beside a story that
   outweighs it goes, whatever its summaries; a breaking-news ticker, "شريط الأخبار"), a comment list always,
   link-dense short blocks, layout tables unwrapped; a body cut into same-class chunks around an
   ad slot joined, K2's intro + full text joined, pull quotes repeating the text dropped, embedded
   social posts reduced to the post's own words, a dek beside the headline in the header dropped,
   screen-reader-only labels dropped wherever they sit, skip links and the short markers they jump
   to dropped) — class/id *tokens*, not site selectors;
2. text-level rules for what slips through (reading-time and listen widgets, view counters, "اقرأ
   أيضاً" lines, caption credits (any name of attribution's agency list, warehouse/data/agencies.tsv,
   or a photo source) but not the story's own clause ending in its credit, "وتراجعت
   الأسعار … (رويترز)", photographers' credit lines, share/newsletter lines, channel/app prompts,
   related-box and comment-box headers, error-report and rating boxes, a picture's label with its
   credit (BBC's "مصدر الصورة،", "التعليق على الصورة،", and the caption or credit on the line
   under such a label standing alone; a story's sentence after an empty caption's label stays), a caption
   opened by a picture's label ("صورة أرشيفية لـ…") or credited to Al Jazeera ("… (الجزيرة)"), app-store badges and the app's buttons,
   copyright lines, the desk's e-mail address, tag lists (and the tags one to a line beside their
   label at the end), the desk's initials alone under an agency's item, a picture's caption closing
   the text (`tasks.attribution.closing_caption`), date lines (diacritics ignored, "نُشر"), byline and source lines at
   the text's edges (a source line as attribution reads it, `is_source_line`: "نقلا عن رويترز",
   "(المصدر: وكالة الأناضول)") — those two are handed back as attribution evidence, `credit_lines_of`; the
   desk's staff credits at the edges ("مراجعة: …", "تدقيق: …"); MENAFN's syndication wrapper; a
   tweet's link and signature in plain text; a block of widget rows (prayer times, weather,
   currency rates); a first line that is only the page's author, `drop_author_line`). A one-word
   label ("عاجل", "فيديو", "بحث", "شارك") goes only outside the story's lines or beside other
   furniture: between two lines of the story it is the story's subheading or one-word line;
3. per-outlet boilerplate learned from repetition (`BoilerplateModel`, in tasks.boilerplate).

Works on lxml trees handed over by tasks.extract (which parses); imports no parser itself.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from tasks.attribution import (
    STORY_LINES,
    bare_personal_name,
    caption_over_dateline,
    closing_caption,
    credit_names,
    date_part,
    dateline,
    fold,
    identify_all,
    is_source_line,
    names_a_person,
    names_a_picture,
    names_a_place,
    place_parts,
    placed_by_story,
    reads_as_sentence,
)
from tasks.boilerplate import norm_line as norm
from tasks.dates import MONTH_WORDS
from tasks.urls import amp_to_canonical_hint, clean_link, link_address
from warehouse.arabic import strip_marks

if TYPE_CHECKING:
    from lxml import etree

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
    "writer", "bio",  # the writer's box after the story ("about-writer", "author-bio")
    # the share widgets themes embed by their vendor's class ("addthis_toolbox", "a2a_kit")
    "addthis", "sharethis", "addtoany", "a2a",
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
# blocks checked for being mostly links; a paragraph or heading that is only a link is a teaser line
# ("Related: <a>…</a>", "<h3><a>another story</a></h3>"), unless the paragraph is a sentence
_BLOCK_TAGS = {"div", "section", "aside", "ul", "ol", "header", "footer", "table", "td", "p", "blockquote",
               "h2", "h3", "h4", "h5", "h6"}
# Inline markup inside running text is never dropped by class name (ad-tracking classes on links).
_INLINE_TAGS = {"a", "span", "b", "strong", "em", "i", "u", "small", "sup", "sub", "font", "abbr", "mark"}
_TEXT_PARENTS = {"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "dd"}


def attr_tokens(el: etree._Element) -> tuple[str, ...]:
    """Words of an element's class, id and data-testid ("ImgCaption" -> ("img", "caption")).
    Called for nearly every element of a page, several times: most have none of the three
    attributes, and those that do are tokenised once per distinct string (_tokens_of)."""
    key = _attr_key(el)
    return () if key is None else _tokens_of(key)


def attr_token_set(el: etree._Element) -> frozenset[str]:
    """attr_tokens as a set (cached per distinct attribute string, like the tokens): for the
    membership tests run on every element of a page."""
    key = _attr_key(el)
    return _EMPTY if key is None else _token_set_of(key)


_EMPTY: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)
def _token_set_of(raw: str) -> frozenset[str]:
    return frozenset(_tokens_of(raw))


def _attr_key(el: etree._Element) -> str | None:
    """The class, id and data-testid of an element as one string (None: it has none of them): the
    key the token-level tests below cache their answer on."""
    get = el.get
    c, i, d = get("class"), get("id"), get("data-testid")
    if c is None and i is None and d is None:
        return None
    return f"{c or ''} {i or ''} {d or ''}"


@lru_cache(maxsize=65536)  # pages repeat their class names on every element
def _tokens_of(raw: str) -> tuple[str, ...]:
    return tuple(t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t)


def _has_token(toks: tuple[str, ...], words: set[str], pairs: set[tuple[str, str]]) -> bool:
    return any(t in words for t in toks) or any(pair in pairs for pair in zip(toks, toks[1:], strict=False))


@lru_cache(maxsize=65536)
def _boilerplate_key(raw: str) -> bool:
    return _has_token(_tokens_of(raw), _BOILER_TOKENS, _BOILER_BIGRAMS)


def _is_boilerplate_by_name(el: etree._Element) -> bool:
    key = _attr_key(el)
    if key is not None and _boilerplate_key(key):
        return True
    return (el.get("role") or "").lower() in _BOILER_ROLES


def text_len(el: etree._Element) -> int:
    return len("".join(el.itertext()).strip())


def _link_text_len(el: etree._Element) -> int:
    return sum(text_len(a) for a in el.iter("a"))


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
        if text_len(cell) >= 200 or cell.find(".//p") is not None or cell.find(".//div") is not None:
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
            p = container.makeelement("p", {})
            container.append(p)
            for item in items:
                if isinstance(item, str):
                    if len(p):
                        p[-1].tail = (p[-1].tail or "") + item
                    else:
                        p.text = (p.text or "") + item
                else:
                    p.append(item)


def _join_intro_fulltext(root: etree._Element) -> None:
    """Joomla's K2 prints a story as `<div class="itemIntroText">` (its opening, up to the editor's
    "read more" mark) followed by `<div class="itemFullText">` (the rest); trafilatura takes a
    "fulltext" block for the whole body and the opening is lost. The intro's content moves to the
    head of the full text it precedes."""
    for full in list(root.iter("div", "section")):
        toks = attr_tokens(full)
        if "fulltext" not in toks and ("full", "text") not in zip(toks, toks[1:], strict=False):
            continue
        intro = full.getprevious()
        while intro is not None and (not isinstance(intro.tag, str) or intro.tag in ("script", "style")
                                     or (intro.tag == "div" and not _text(intro) and not len(intro))):
            intro = intro.getprevious()
        if intro is None or not isinstance(intro.tag, str):
            continue
        itoks = attr_tokens(intro)
        if "introtext" not in itoks and ("intro", "text") not in zip(itoks, itoks[1:], strict=False):
            continue
        moved = list(intro)
        if intro.text and intro.text.strip():
            p = full.makeelement("p", {})
            p.text = intro.text
            moved.insert(0, p)
        intro.text = None
        for child in reversed(moved):
            full.insert(0, child)
        full.text, moved_tail = None, full.text  # the full text's own leading text follows the intro
        if moved_tail and moved_tail.strip() and moved:
            moved[-1].tail = (moved[-1].tail or "") + moved_tail


SPLIT_CHUNK_PROSE = 80  # a body chunk holds a paragraph at least this long
SPLIT_GAP_TEXT = 30  # what sits between two chunks (an ad slot, its "إعلان" label) prints less


def _is_prose_chunk(el: etree._Element) -> bool:
    """A container of the story's paragraphs: a long <p>, no heading (teaser cards have one), and
    no class saying it is furniture: twelve "related-post" or comment cards joined into one would
    hold enough of the page's prose to be kept whole (see clean_tree)."""
    if _is_boilerplate_by_name(el) or any(True for _ in el.iter("h1", "h2", "h3", "h4", "h5", "h6")):
        return False
    return any(len(_text(p)) >= SPLIT_CHUNK_PROSE for p in el.iter("p"))


def _join_split_body(root: etree._Element) -> None:
    """A story cut into same-class sibling chunks with an ad slot between them (`<div
    class="article-text" id="text-1">…</div><div class="ad-…"></div><div class="article-text"
    id="text-2">…</div>`): trafilatura takes the largest chunk for the body and the rest is lost.
    Chunks of prose with the same tag and class, separated only by elements that print (almost)
    nothing, are joined into the first."""
    for parent in list(root.iter("div", "section", "article", "main")):
        run: etree._Element | None = None
        for k in [k for k in parent if isinstance(k.tag, str)]:
            cls = (k.get("class") or "").strip()
            if run is not None and cls == (run.get("class") or "").strip() and k.tag == run.tag and _is_prose_chunk(k):
                if k.text and k.text.strip():
                    lead = k.makeelement("p", {})
                    lead.text, k.text = k.text, None
                    run.append(lead)
                for child in list(k):
                    run.append(child)
                _remove(k)
            elif cls and k.tag in ("div", "section") and _is_prose_chunk(k):
                run = k
            elif run is not None and len(_text(k)) < SPLIT_GAP_TEXT and not any(True for _ in k.iter("p")):
                continue  # an ad slot, its label or a script between two chunks
            else:
                run = None


PULL_QUOTE_MIN = 30  # chars: a shorter repeated phrase can be a coincidence
_QUOTE_EDGES = regex.compile(r"^[\s«»\"“”„'‘’:–—-]+|[\s«»\"“”„'‘’.،,…–—-]+$")


@lru_cache(maxsize=65536)
def _pull_quote_key(raw: str) -> bool:
    return _has_token(_tokens_of(raw), {"pullquote"}, {("pull", "quote")})


def _drop_pull_quotes(root: etree._Element) -> None:
    """A pull quote prints a sentence of the story again, big, between its paragraphs
    (`<blockquote class="pull-quote">«…»</blockquote>`, `<aside class="pullquote">`): a blockquote,
    aside or quote-named block whose words (quote marks aside) are inside a paragraph outside it
    goes. A real quote (a statement the text does not repeat) stays."""
    cands = [el for el in root.iter("blockquote", "aside", "div", "span")
             if el.tag in ("blockquote", "aside") or ((key := _attr_key(el)) is not None and _pull_quote_key(key))]
    if not cands:
        return
    paras = [(p, " ".join(_text(p).split())) for p in root.iter("p")]
    for el in cands:
        if el.getparent() is None:
            continue
        quote = _QUOTE_EDGES.sub("", " ".join(_text(el).split()))
        if len(quote) < PULL_QUOTE_MIN:
            continue
        inside = set(el.iter("p"))
        if any(quote in text and len(text) > len(quote) for p, text in paras if p not in inside):
            _remove(el)


# Embedded social posts (the embed codes Twitter/X, Instagram, Facebook, TikTok, Threads hand out,
# and AMP's wrappers of them): the post's own words are what the story quotes and the reader sees
# rendered (the Zyte benchmark's gold keeps them, 17 of 17 tweets). The embed's chrome is not text: the
# Zyte gold keeps a tweet's signature line too ("— Name (@handle) date"), which costs its F1 0.0005.
_EMBED_CLASSES = {"twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "fb-xfbml-parse-ignore",
                  "fb-post", "fb-video", "text-post-media", "reddit-embed-bq", "telegram-post"}  # fmt: skip
_FORMAT_CHARS = regex.compile(r"\p{Cf}")  # the RLM/LRM marks Instagram's Arabic embed code wraps its lines in
_AMP_EMBEDS = ("amp-twitter", "amp-instagram", "amp-facebook", "amp-tiktok", "amp-reddit")
_TWEET_LINK = regex.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d", regex.I)
# The chrome of an embed, link by link or line by line: its URLs ("pic.twitter.com/…", "https://t.co/…"),
# the poster's handle, the sound credit, "View this post on Instagram", "A post shared by …",
# "Posted by … on <date>", the post's date, and the signature "— Name (@handle) December 5, 2026".
_EMBED_CHROME = regex.compile(
    r"^\s*(?:(?:https?://|www\.|pic\.twitter\.com/|pic\.x\.com/)\S*|@[\w.]+|♬.*"
    r"|(?:View|Watch)\s+(?:this|on)\b.*|A\s+post\s+shared\s+by\b.*|Posted\s+by\b.*"
    r"|(?:عرض|شاهد)\s+هذا\s+المنشور\b.*|(?:تمت\s+)?مشاركة\s+منشور\s+بواسطة\b.*"
    r"|[—–-]\s*[^\n]{0,80}\(@[\w.]+\).*"
    rf"|(?:\w+,?\s+)?(?:{MONTH_WORDS})\s+\d{{1,2}},?\s+\d{{4}}.*|\d{{1,2}}\s+(?:{MONTH_WORDS})\s+\d{{4}}.*)\s*$",
    regex.I)


def _is_social_embed(el: etree._Element) -> bool:
    if el.tag in _AMP_EMBEDS:
        return True
    cls = el.get("class")
    if cls and _embed_class(cls):
        return True
    # a tweet whose embed class a sanitizer or AMP converter stripped: a quote ending in the poster's
    # handle and a link to the tweet ("— Name (@handle) <a href=".../status/…">date</a>")
    return (el.tag == "blockquote" and "(@" in "".join(el.itertext())
            and any(_TWEET_LINK.match(a.get("href") or "") for a in el.iter("a")))


@lru_cache(maxsize=65536)  # pages repeat their class names on every element
def _embed_class(cls: str) -> bool:
    return bool(set(cls.lower().split()) & _EMBED_CLASSES)


def _post_paragraphs(el: etree._Element) -> list[etree._Element]:
    """The post's own words in an embed: its paragraphs (TikTok's <section>, as a paragraph), with
    the links that are the embed's chrome taken out; a paragraph left with chrome only goes."""
    paras = list(el.iter("p")) or list(el.iter("section"))
    kept: list[etree._Element] = []
    for block in [b for b in paras if not any(a in paras for a in b.iterancestors())]:
        for a in list(block.iter("a")):
            link = _FORMAT_CHARS.sub("", "".join(a.itertext())).strip()
            # a handle opening the block is the poster's (TikTok's); inside the words, a mention
            opening = not (block.text or "").strip() and a.getprevious() is None and a.getparent() is block
            if _EMBED_CHROME.match(link) and (opening or not link.startswith("@")):
                _remove(a)
        text = " ".join(_FORMAT_CHARS.sub("", "".join(block.itertext())).split())
        if text and not _EMBED_CHROME.match(text):
            block.tag = "p"
            kept.append(block)
    return kept


def _social_embeds(root: etree._Element) -> None:
    """Each embedded social post becomes a quote of its own words (`<blockquote><p>…</p>`), or goes
    when it has none (an Instagram or YouTube embed shows only its chrome). The embed's wrapper goes
    with it: AMP's `<amp-twitter>`, WordPress' `<figure class="wp-block-embed">` (a figure would
    otherwise be dropped as the image's, words and all)."""
    for el in [x for x in root.iter() if isinstance(x.tag, str) and _is_social_embed(x)]:
        if el.getparent() is None or any(_is_social_embed(a) for a in el.iterancestors()):
            continue
        target = el
        for a in el.iterancestors():
            if a.tag in _AMP_EMBEDS or (a.tag == "figure" and len(_text(a)) <= len(_text(el)) + 5):
                target = a
            elif a.tag != "div" or len(_text(a)) > len(_text(el)) + 5:
                break
        paras = _post_paragraphs(el)
        if not paras:
            _remove(target)
            continue
        quote = target.makeelement("blockquote", {})
        quote.tail = target.tail
        for para in paras:
            para.tail = None
            quote.append(para)  # moved out of the embed, with their own markup (<br>, hashtags)
        target.getparent().replace(target, quote)


DEK_CHARS = 300  # a subtitle under the headline; longer is a paragraph of the story


def _drop_header_deks(root: etree._Element) -> None:
    """A dek printed beside the headline in the article's header (`<header><h1>…</h1><p
    class="article__subhead">…</p></header>`, an unclassed `<h2>` or `<p>` under the `<h1>`) is a
    subtitle of the page, not the story's opening paragraph (see `lead_texts`): trafilatura took
    it into the text when the header sits in the main block. Only the headline's next siblings,
    short, in a block with no paragraph of the story (`_in_header_block`), and not opening with a
    dateline, and only when the story's paragraphs are outside the header."""
    head = next((h for h in root.iter("h1") if _text(h)), None)
    if head is None or head.getparent() is None:
        return
    header = head.getparent()
    inside = set(header.iter())
    # the story must be elsewhere: a header that holds the page's only paragraphs holds the story
    if not any(len(run.strip()) >= PROSE_RUN for x in root.iter() if x not in inside and isinstance(x.tag, str)
               and x.tag not in _UNSEEN_TAGS for run in (x.text, x.tail) if run and x.getparent() not in inside):
        return
    sib, seen = head.getnext(), 0
    while sib is not None and seen < 3:
        nxt = sib.getnext()
        if isinstance(sib.tag, str) and sib.tag in ("p", "h2", "h3", "div") and (text := _text(sib)):
            seen += 1
            if sib.tag == "div" and any(True for _ in sib.iter("p", "div", "ul", "table", *_IMG_TAGS)):
                break
            if (20 <= len(text) <= DEK_CHARS and _in_header_block(sib, head, root)
                    and not opens_with_dateline(text)):
                _remove(sib)
        sib = nxt


# Text a template prints for screen readers only and hides from the eye (WordPress' "screen-reader-text",
# Bootstrap's "sr-only" / "visually-hidden", Drupal's "element-invisible", Foundation's "show-for-sr"):
# "list 1 of 4" and "end of list" around a related-stories box, "Published On 11 Jun 2026" beside the
# shown date, "(opens in a new tab)" inside a link of the story, "تجاوز إلى المحتوى الرئيسي".
_SR_TOKENS = {"visuallyhidden", "screenreader", "screenreaders", "sronly"}
_SR_BIGRAMS = {("screen", "reader"), ("screen", "readers"), ("sr", "only"), ("visually", "hidden"),
               ("hidden", "visually"), ("element", "invisible"), ("for", "sr"), ("assistive", "text")}
SR_TEXT_CHARS = 300  # a label or a sentence for the listener; a hidden block of prose is not one


def _is_screen_reader_only(el: etree._Element) -> bool:
    key = _attr_key(el)
    return key is not None and _screen_reader_key(key)


@lru_cache(maxsize=65536)
def _screen_reader_key(raw: str) -> bool:
    return _has_token(_tokens_of(raw), _SR_TOKENS, _SR_BIGRAMS)


def _drop_screen_reader_text(root: etree._Element) -> None:
    """Screen-reader-only labels go, wherever they sit (inside a paragraph's link too): a reader of the
    page never sees them. Not a block holding the headline, the marked article body or paragraphs."""
    # elements with a class, id or data-testid, in document order (root.iter() filtered, in C)
    for el in [x for x in root.xpath("descendant-or-self::*[@class or @id or @data-testid]")
               if _is_screen_reader_only(x)]:
        if el.getparent() is None or el.tag in ("html", "body", "main", "article"):
            continue
        if (any(True for _ in el.iter("h1", "p")) or len(_text(el)) > SR_TEXT_CHARS
                or any((x.get("itemprop") or "").lower() == "articlebody" for x in el.iter())):
            continue
        _remove(el)


_SKIP_LINK = regex.compile(r"^\s*(?:تخط[ىي]|تجاوز|Skip)\b", regex.IGNORECASE)
SKIP_TARGET_CHARS = 80  # the marker a skip link jumps to ("قصص مقترحة نهاية", "after newsletter promotion")


def _drop_skip_links(root: etree._Element) -> None:
    """A skip link ("تخطى قصص مقترحة وواصل القراءة", "Skip past newsletter promotion") lets a
    keyboard or screen-reader user jump over an embedded box to a marker after it ("قصص مقترحة
    نهاية", "after newsletter promotion"): the link goes, and so does its target when that is such a
    short marker (not the main content "Skip to content" jumps to)."""
    links = [a for a in root.iter("a") if (a.get("href") or "").startswith("#") and len(a.get("href")) > 1
             and _SKIP_LINK.match(_text(a))]
    if not links:
        return
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for a in links:
        target = by_id.get(a.get("href")[1:])
        if (target is not None and target.getparent() is not None and len(_text(target)) <= SKIP_TARGET_CHARS
                and not any(True for x in target.iter("h1", "a", *_IMG_TAGS))
                and not any(True for x in target.iterdescendants("p", "div"))):
            _remove(target)
        if a.getparent() is not None:
            _remove(a)


def clean_tree(root: etree._Element, url: str = "") -> None:
    """Remove non-article blocks in place (see module doc). Order matters: cheap tag drops first.

    The headline element is left alone: trafilatura anchors on it, and the title line is
    dropped from the text afterwards instead.
    """
    for el in [x for x in root.iter() if not isinstance(x.tag, str)]:
        _remove(el)
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)
    _drop_screen_reader_text(root)
    _drop_skip_links(root)
    _social_embeds(root)
    _drop_header_deks(root)
    _unwrap_layout_tables(root)
    _join_intro_fulltext(root)
    _join_split_body(root)
    _drop_pull_quotes(root)
    body = root.find(".//body")
    body = body if body is not None else root
    text_len, prose = _size_maps(body)
    total = max(1, text_len.get(body, 0))
    total_prose = max(1, prose.get(body, 0))
    holders = _article_ancestors(body)
    own = _own_url(root, url)
    for el in list(body.iter()):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        if el.tag in ("html", "body", "main", "article"):
            continue
        # figures: images + captions/credits; a figure of prose (rare) is protected below
        inline_in_text = el.tag in _INLINE_TAGS and el.getparent().tag in _TEXT_PARENTS
        drop = el.tag in ("figure", "aside", "form") or (not inline_in_text and _is_boilerplate_by_name(el))
        if not drop and (el.tag in _BLOCK_TAGS or (el.tag == "span" and not inline_in_text)):
            drop = _is_link_block(el, text_len.get(el, 0)) and not (el.tag == "p" and _SENTENCE_END.search(_text(el))
                                                                     and not _is_headline_link(el))
        # never drop a container holding much of the page's prose, the headline or the marked
        # article body: class words like "print", "meta" or WordPress' "tag-<slug>" sit on
        # article wrappers too. A block its own heading names as furniture is dropped whatever
        # its size (a video page's related videos outweigh its two lines of text).
        if drop and prose.get(el, 0) < 0.3 * total_prose and text_len.get(el, 0) < 0.5 * total and el not in holders:
            _remove(el)
        elif el.tag in _HEADED_TAGS and el not in holders and (heading := _headed_as_furniture(el)) is not None \
                and (_COMMENTS_HEADING.match(heading)
                     or _looks_like_box(el, heading, total_prose - prose.get(el, 0), own)):
            _remove(el)
    _split_double_br(root)


_HEADED_TAGS = {"div", "section", "aside", "ul", "ol", "footer"}
# The heading a block of furniture opens with: related / more / most-read stories, read-also,
# the comments ("التعليقات", "3 تعليقات", "أضف تعليقك", "شارك برأيك").
_FURNITURE_HEADING = regex.compile(
    r"^\s*(?:(?:[أا]خبار|مواضيع|موضوعات|مقالات|قصص|فيديوهات|مقاطع|صور|تقارير)\s+(?:ذات\s+(?:صلة|علاقة)|متعلقة|مشابهة|مرتبطة|[أا]خرى)"
    # the other wordings of the same boxes: "قد يعجبك أيضاً", "المزيد من الأخبار", "آخر الأخبار", "ترشيحات", "شاهد أيضاً"
    r"|(?:قد|ربما)\s+(?:يعجبك|يعجبكم|تعجبك)(?:\s+(?:[أا]يضا|كذلك))?|ترشيحات(?:نا)?|(?:موصى|نوصي)\s+(?:به|بها)?\s*لك(?:م)?"
    r"|المزيد(?:\s+من\s+(?:ال)?(?:[أا]خبار|مقالات|مواضيع|فيديوهات|القسم))?|(?:[آا]خر|[أا]حدث)\s+(?:ال)?(?:[أا]خبار|مقالات|فيديوهات|مواضيع)"
    # a breaking-news strip or ticker beside the story ("شريط الأخبار", "الأخبار العاجلة", "آخر الأخبار العاجلة")
    r"(?:\s+(?:ال)?عاجل[ةه])?|شريط\s+(?:ال)?[أا]خبار(?:\s+(?:ال)?عاجل[ةه])?|(?:ال)?[أا]خبار\s+(?:ال)?عاجل[ةه]"
    r"|(?:شاهد|طالع|تصفح)\s+(?:[أا]يضا|كذلك)"
    r"|(?:ذات\s+صلة|[أا]خبار\s+متعلقة)|ال[أا]كثر\s+(?:قراءة|مشاهدة|تداولا|تعليقا|شعبية|زيارة|مشاركة)|(?:اقرأ|إقرأ|أقرأ|اقرا|إقرا|أقرا)\s+(?:[أا]يضا|[أا]يضاً|المزيد)"
    r"|قد\s+يهمك|يهمك\s+[أا]يضا|اخترنا\s+لك(?:م)?|التعليقات|تعليقات(?:\s+(?:القراء|الزوار|فيسبوك))?|\d+\s+تعليق(?:ات|ا)?"
    r"|[أا]ضف\s+تعليق\S*|[أا]ترك\s+تعليق\S*|اكتب\s+تعليق\S*|شارك\s+برأيك|(?:Related|More)\s+(?:stories|articles|news)"
    r"|Most\s+(?:read|popular)|Recommended(?:\s+(?:stories|articles|for\s+you))?|Comments?|Read\s+(?:also|more))\s*[:(\d)]*\s*$", regex.IGNORECASE)
FURNITURE_HEADING_CHARS = 60


# The comment list's headings: what follows is readers' prose, not links, and goes whatever it looks like.
_COMMENTS_HEADING = regex.compile(
    r"^\s*(?:التعليقات|تعليقات|\d+\s+تعليق|[أا]ضف\s+تعليق|[أا]ترك\s+تعليق|اكتب\s+تعليق|شارك\s+برأيك|Comments?\b)",
    regex.IGNORECASE)


def _headed_as_furniture(el: etree._Element) -> str | None:
    """The furniture heading the block opens with (`<h2>`-`<h4>`, or a short bold or class-less title
    line standing alone, naming it as furniture: nothing of the block prints before it), else None."""
    for x in el.iter():
        if x is el or not isinstance(x.tag, str):
            continue
        text = _text(x)
        if x.tag in ("h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div") and text:
            if len(text) > FURNITURE_HEADING_CHARS:
                return None
            if x.tag in ("h2", "h3", "h4", "h5", "h6") or not len(x) or x.tag in ("strong", "b"):
                plain = strip_marks(text)
                return plain if _FURNITURE_HEADING.match(plain) else None
        elif text:
            return None
    return None


BOX_ITEM_CHARS = 400  # a teaser card's summary under its headline; a longer unlinked run is the story's prose
_PROSE_PARENTS = ("p", "li", "div", "span", "blockquote", "td", "dd", "section", "article")


def _looks_like_box(el: etree._Element, heading: str = "", outside: int = 0,
                    own: list[tuple[str, frozenset]] | None = None) -> bool:
    """Whether a block under a related/latest/read-also heading is the box such a heading heads:
    mostly links (short linked lines), or headline-like items — links standing alone as a line or a
    heading, or a card's title link beside its summary (`<a><h3>…</h3></a><p>…</p>`), each with at most a short
    summary (`<h4><a>…</a></h4><p>summary</p>`). A live blog or
    a section of the story under "آخر الأخبار" is paragraphs that are not links, or paragraphs longer
    than any teaser's summary, or, under a latest-news heading ("آخر الأخبار", never "أخبار ذات صلة" or
    "اقرأ أيضا", which head teasers of other stories only), entries with their own time stamps and sentences
    (`_reads_as_live_blog`): it stays. `outside` is the page's prose outside the block (the story it stands
    beside), `own` the page's own addresses (`_own_url`)."""
    total = _text(el)
    if not total:
        return False
    # a live blog's entry titles link to their own place on the page ("#post-12", "/live/81#update-3",
    # "?update=3"): no teaser's headline
    links = [a for a in el.iter("a") if len(_text(a)) >= 15 and _stands_alone(a)]
    here = _links_here(links, own or [])
    headlines = [a for a in links if a not in here]
    if _LATEST_HEADING.match(heading) and _reads_as_live_blog(el, links, len(here), outside):
        return False
    if _link_text_len(el) >= 0.5 * len(total):
        return True
    if not headlines:
        return False
    runs = []
    for x in el.iter(*_PROSE_PARENTS):
        if any(True for _ in x.iterancestors("a")):
            continue
        for run in (x.text, *(c.tail for c in x)):
            if run and len(run.strip()) >= PROSE_RUN:
                runs.append(len(run.strip()))
    return max(runs, default=0) <= BOX_ITEM_CHARS and len(runs) <= len(headlines)


# The headings a live page's entries stand under ("آخر الأخبار", "أحدث التطورات", "المزيد من الأخبار"):
# a related or read-also box ("أخبار ذات صلة", "اقرأ أيضا") is other stories' teasers, whatever their dates.
_LATEST_HEADING = regex.compile(
    r"^\s*(?:(?:[آا]خر|[أا]حدث)\s+(?:ال)?(?:[أا]خبار|تطورات|مستجدات|تحديثات)|المزيد\s+من\s+(?:ال)?[أا]خبار|Latest|Live"
    r"|شريط\s+(?:ال)?[أا]خبار|(?:ال)?[أا]خبار\s+(?:ال)?عاجل[ةه])",
    regex.IGNORECASE)
_CUT_END = regex.compile(r"(?:…|\.\.+)\W*$")
STAMP_CHARS = 60  # an entry's time stamp ("10:32 بتوقيت غرينتش", "منذ 20 دقيقة", "7 ديسمبر 2026 - 10:32")
# where one sentence ends and the next begins: a stop after a word, not an ellipsis ("..", "…": a cut teaser)
_SENTENCE_BREAK = regex.compile(r"(?<=\w[.!?؟]['\"”’»)]*)\s+(?=\S)")


def _is_stamp(el: etree._Element) -> bool:
    """A time stamp: a <time>, an element keeping its instant in `datetime`, or a leaf printing only a
    time, a date or an age."""
    if el.tag == "time" or el.get("datetime"):
        return True
    if len(el) or not (text := _text(el)) or len(text) > STAMP_CHARS:
        return False
    plain = strip_marks(text)
    return _is_date_line(plain) or bool(_AGO.match(_DATE_LABEL.sub("", plain, count=1)))


def _reads_as_live_blog(el: etree._Element, links: list[etree._Element], here: int = 0, outside: int = 0) -> bool:
    """Whether a block under a related/latest heading is a live blog's entries: each titled by a link
    (to the full story elsewhere, or to its own place on the page), each with its own time stamp and
    its own paragraphs of two sentences or more, or of one sentence when none is cut short. A related
    box's teasers are a headline, perhaps a date, and one short summary (often cut: "…"). Half of the
    titled entries, and at least two, must read so. A live blog is the page's main content, or its
    entries link to their own place on the page (`here` of the links do): a block whose entries link to
    other pages beside a story that outweighs them (`outside`: the page's prose outside the block) is a
    teaser box, whatever its summaries."""
    if len(links) < 2:
        return False
    need = max(2, (len(links) + 1) // 2)
    if sum(1 for x in el.iter() if isinstance(x.tag, str) and _is_stamp(x)) < need:
        return False
    index = {a: k for k, a in enumerate(links)}
    linked = {d for a in el.iter("a") for d in a.iter()}
    prose: list[list[str]] = [[] for _ in links]
    k = -1
    for x in el.iter():
        if x in index:
            k = index[x]
        if k < 0 or not isinstance(x.tag, str) or x.tag in _UNSEEN_TAGS:
            continue
        if x not in linked and x.text and not _is_stamp(x):  # the next entry's stamp may precede its link
            prose[k].append(x.text)
        if x.tail and x.getparent() not in linked:
            prose[k].append(x.tail)
    texts = [" ".join(" ".join(runs).split()) for runs in prose]
    if here < need and sum(map(len, texts)) < outside:
        return False  # after or beside the story, linking elsewhere: other stories' teasers

    def sentences(text: str) -> int:
        # a teaser's summary cut short ("… وقال مسؤول إن القرار جاء بعد…") ends in no sentence
        return sum(1 for s in _SENTENCE_BREAK.split(text) if len(s.split()) >= 4 and not _CUT_END.search(s))
    counts = [sentences(text) for text in texts]
    if sum(1 for n in counts if n >= 2) >= need:
        return True
    # a live page's short updates, one sentence each; a teaser's summary is cut short somewhere. Entries
    # linking to other pages read so only on a page printing no story of its own beside them (no paragraph
    # outside the block): a short story's latest-news box outweighs it with whole one-sentence summaries
    if here < need and outside >= PROSE_RUN:
        return False
    return not any(_CUT_END.search(text) for text in texts) and sum(1 for n in counts if n >= 1) >= need


def _own_url(root: etree._Element, url: str = "") -> list[tuple[str, frozenset]]:
    """(path, query items) of the page's own addresses: the fetched URL, its canonical link and og:url, each
    without a feed's tracking parameters ("?utm_source=rss"), and the fetched URL's non-AMP address
    ("/live/81/amp", "?amp=1"). A query-addressed story ("news.php?id=81") whose canonical link or og:url
    leaves the query out ("news.php", the script every story shares) is still "news.php?id=81": the bare
    script is no address of it, and "?id=94" another story."""
    fetched = canonical = clean_link(url) or url
    for _ in range(3):  # "/amp/live/81?outputType=amp": the path's marker, then the query's
        canonical = amp_to_canonical_hint(canonical) or canonical
    hrefs = [canonical, fetched,
             *(x.get("href") or "" for x in root.iter("link") if (x.get("rel") or "").lower() == "canonical"),
             *(x.get("content") or "" for x in root.iter("meta") if (x.get("property") or "").lower() == "og:url")]
    own = list(dict.fromkeys((parts[0], parts[1]) for h in hrefs
                             if h and (parts := link_address(clean_link(h, url) or h)) is not None and parts[0]))
    return [(path, query) for path, query in own
            if query or not _SCRIPT_PATH.search(path) or not any(p == path and q for p, q in own)]


_SCRIPT_PATH = regex.compile(r"\.(?:php\d?|aspx?|jsp|cfm|cgi|pl|do)$", regex.IGNORECASE)


def _links_here(links: list[etree._Element], own: list[tuple[str, frozenset]]) -> set:
    """The links that point into the page itself: to an anchor or more query on this page ("#update-3",
    "?update=3"), to the page's own address with an anchor or more query ("/live/81#update-3",
    "/live/81?update=3"), or, on a page that says nowhere where it is (no URL, canonical link or og:url), two
    or more links to one address that differ only by their anchors (one page's places; teasers link to as
    many pages as they are). A page that knows its address and links to another's anchors ("/live/gaza#post-3"
    beside the story at "/news/2026/12/7/kuwait-oil") links to that page's places: a live widget, not this page."""
    out, by_target = set(), {}
    for a in links:
        if (parts := link_address(a.get("href") or "")) is None:
            continue
        path, query, fragment, host = parts
        if not path and not host and not query and fragment:  # "#update-3"
            out.add(a)
        elif any((path == p or not (path or host)) and (query > q or (query == q and fragment)) for p, q in own):
            out.add(a)  # "?update=3" on this page; "?id=82" on "news.php?id=81" is another story
        elif fragment and not own:
            by_target.setdefault((host, path, query), []).append(a)
    out.update(a for group in by_target.values() if len(group) >= 2 for a in group)
    return out


def _stands_alone(a: etree._Element) -> bool:
    """Whether link `a` stands as a line of its own: no text runs into it before or after (a headline
    link as its parent's only text, or a card's title beside its category label and its summary).
    Reads only the text touching the link, so many links in one long block stay linear."""
    parent = a.getparent()
    if parent is None:
        return False
    prev = a.getprevious()
    before = parent.text if prev is None else prev.tail
    return not (before or "").strip() and not (a.tail or "").strip()


_TEASER_END = regex.compile(r"(?:[?؟]|…|\.\.)['\"”’»)]*\s*$")


def _is_headline_link(p: etree._Element) -> bool:
    """A paragraph that is one link and nothing else, ending in a question mark or an ellipsis:
    another story's headline ("اكتشاف النوخذة.. ماذا يعني لاقتصاد الكويت؟"), not a sentence."""
    text = _text(p)
    links = p.findall(".//a")
    return (len(links) == 1 and len(text) <= 150 and _text(links[0]) == text
            and bool(_TEASER_END.search(text)))


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

# A caption's credit: a wire agency, by any of the names attribution reads (warehouse/data/agencies.tsv
# through `tasks.attribution.credit_names`: "أ ش أ", "أ.ف.ب", "د.ب.أ", "كونا", "و م ع" …), or a photo
# agency, an archive, social media or an illustration, the "credits" of pictures no wire took. Matched
# on `fold`ed text (hamza seats, ة and ى folded, one letter for one). A name is a whole token ("أ ب",
# not the "أب" of "أبريل"/"أبوظبي"; "قنا", not "قناة"; "وام", not "وامتدت"): closed on both sides by
# `(?<!\w)`/`(?!\w)`.
_PHOTO_SOURCE = (
    r"EPA|Getty(?:\s+Images)?|غيتي|جيتي|إي\s*بي\s*إيه|أرشيفية|ارشيفية|أرشيف|الوكالة\s+\S+|"
    r"Shutterstock|شترستوك|Alamy|NurPhoto|ZUMA|SOPA|Sipa|Abaca|IMAGO|مواقع\s+التواصل(?:\s+الاجتماعي)?|تعبيرية|[إا]نترنت|"
    # Al Jazeera credits its own pictures in its captions' brackets ("… في ساحة التحرير (الجزيرة)", "(الجزيرة نت)")
    r"الجزيرة(?:\s+(?:نت|مباشر))?"
)
_AGENCY = rf"(?<!\w)(?:{credit_names()}|{fold(_PHOTO_SOURCE)})(?!\w)"
# Inside brackets the credit opens them, or follows a photo word or a mark ("(رويترز)", "(صورة: أ ف ب)",
# "(أرشيفية - غيتي)"): a bracket that closes a heading with a common word an agency is also called by
# ("(الجمعية الوطنية)", "(النسخة الفرنسية)") is no credit.
_PHOTO_WORD = r"(?:صورة|الصورة|تصوير|الصور|Photo|Credit|[أا]رشيفية|[أا]رشيف|من|عن|نقلا\s+عن)"
# After the credit, only a photographer or a second source behind a mark ("- رويترز / محمد سالم", "(أ ف ب
# - أرشيفية)") or an archive word ("AFP via Getty", "(رويترز أرشيفية)"): a slogan that opens with a
# word an agency is also called by ("حملة التوعية - معا ضد الإدمان") is no credit.
_AFTER_CREDIT = r"(?:\s*[-–—/|،,:(]X{0,30}|\s+(?:[أا]رشيفية|[أا]رشيف|via|عبر|photo)(?:\sX{0,20})?)?"
_AFTER_LINE_CREDIT = _AFTER_CREDIT.replace("X", r"[^\n]")
_AFTER_BRACKET_CREDIT = _AFTER_CREDIT.replace("X", r"[^()]")
_CREDIT_TAIL = regex.compile(
    fold(
        rf"(?:\s[-–—|/]\s*(?:صورة\s*:?\s*|تصوير\s*:?\s*)?{_AGENCY}{_AFTER_LINE_CREDIT}\s*$"
        rf"|\s*\(\s*(?:{_PHOTO_WORD}\s*[:\-–—/]?\s*|[^()]*?[-–—/:|،,]\s*)?{_AGENCY}{_AFTER_BRACKET_CREDIT}\s*\)\s*$"
        r"|\s*\((?:صورة|الصورة|تصوير|Photo|Credit)\s*:[^()]*\)\s*$"
        r"|\s[-–—|]\s*(?:صورة|تصوير|Photo|Credit)\s*:[^\n]{1,60}$)"
    ),
    regex.IGNORECASE,
)
# Two adjectives joined by a dash ("العلاقات المغربية - الفرنسية"): a compound ("Moroccan-French"),
# not a caption and the agency called "الفرنسية".
_COMPOUND_ADJECTIVE = regex.compile(r"(?<!\w)ال\w+ي[ةه]?\s*[-–—]\s*ال\w+ي[ةه]\s*$")
_READING_TIME = regex.compile(
    r"(?:دقائق|دقيقة|دقيقتان|د)\s*(?:لل|ال)?قراءة|(?:مدة|وقت|زمن)\s+(?:لل|ال)?قراءة|المقدر\s+للقراءة|"
    r"^\s*(?:لل|ال)?قراءة\s*:?\s*\d+\s*(?:دقائق|دقيقة|د)|يستغرق\s+قراءة|⏱|\bmin(?:ute)?s?\s+read\b",
    regex.IGNORECASE,
)
# The app stores' names as their badges print them.
_STORE = (r"(?:(?:ال)?App\s*Store|Google\s*Play|AppGallery|Huawei\s+AppGallery|[آا]ب\s*ستور|(?:جوجل|غوغل|قوقل)\s*بلاي"
          r"|متجر\s+(?:[آا]بل|جوجل|غوغل|التطبيقات|[آا]ب\s*ستور|(?:جوجل|غوغل)\s*بلاي))")
# Page furniture printed as a line of its own: view counters, text tools, comment counts, related
# and most-read headers, app and newsletter prompts ("عدد القراءات: 1523", "حجم الخط", "أخبار ذات صلة").
_FURNITURE = regex.compile(
    r"^\s*(?:(?:عدد\s+)?(?:القراءات|المشاهدات|الزيارات|قراءات|مشاهدات|زيارات)\s*:?\s*[\d,.]+"
    r"|(?:مشاهدة|زيارة|قراءة)\s*:\s*[\d,.]+"
    r"|(?:قرأ|قرئ|شاهد)\s+(?:هذا\s+)?(?:الخبر|المقال|الموضوع)\s*:?\s*[\d,.]+\s*(?:مرة|مرات)?"
    r"|تمت?\s+قراءة\s+(?:هذا\s+)?(?:الخبر|المقال|الموضوع)\s*:?\s*[\d,.]+\s*(?:مرة|مرات)?"
    r"|(?:قراءة|شوهد|قرئ|مشاهدة)\s+[\d,.]+\s*(?:مرة|مرات)"
    # the count before its noun ("1523 مشاهدة", "3,921 قراءة"), as the themes' view counters print it
    r"|[\d,.]+\s*(?:مشاهدة|مشاهدات|قراءة|قراءات|زيارة|زيارات)"
    r"|(?:طباعة|اطبع|Print)(?:\s+(?:ال)?(?:خبر|مقال|صفحة|موضوع))?|نسخة\s+(?:لل|ال)طباعة|(?:(?:[أا]ضف|[إا]ضافة|حفظ)\s+(?:[إا]لى\s+|لل|في\s+)?)?(?:ال)?مفضلة|حفظ(?:\s+(?:الخبر|المقال))?|تكبير\s+الصورة|حجم\s+الخط|تكبير\s+الخط|تصغير\s+الخط|(?:A[+-]?\s+){1,2}A[+-]?|(?:A\s*[+-]\s*){1,2}A(?:\s*[+-])?|(?:[+-]\s*)?الخط(?:\s*[+-]){0,2}"
    r"|[أا]ضف\s+تعليق(?:ك|ا)?|التعليقات\s*\(?\d*\)?|\d+\s+تعليق(?:ات)?"
    # the comment box's header and counter ("تعليقات الفيسبوك", "عدد التعليقات: 5", "أحدث التعليقات")
    r"|(?:[أا]حدث\s+)?تعليقات(?:\s+(?:ال)?(?:قراء|زوار|فيسبوك|فيس\s*بوك))?|(?:عدد\s+)?التعليقات\s*:\s*\d+|[أا]حدث\s+التعليقات"
    # a related box's header in its other wordings ("قد يعجبك أيضاً", "أخبار مرتبطة", "المزيد من الأخبار",
    # "آخر الأخبار", "عرض المزيد"), a kicker standing alone ("عاجل", "شاهد الفيديو")
    r"|(?:قد|ربما)\s+(?:يعجبك|يعجبكم|تعجبك)(?:\s+(?:[أا]يضا|كذلك))?|ترشيحات(?:نا)?|(?:موصى|نوصي)\s+(?:به|بها)?\s*لك(?:م)?"
    r"|(?:ال)?(?:مزيد|مزيد\s+من\s+(?:ال)?[أا]خبار)|(?:عرض|تابع|شاهد)\s+(?:ال)?مزيد|(?:[آا]خر|[أا]حدث)\s+(?:ال)?(?:[أا]خبار|مقالات|مواضيع|موضوعات|فيديوهات|تدوينات)|ال[أا]حدث"
    r"|(?:[أا]خبار|مواضيع|موضوعات|مقالات)\s+مرتبطة|عاجل|(?:شاهد\s+)?(?:ال)?(?:فيديو|صور)|شاهد\s+بالفيديو"
    # share/send/print buttons ("شاركها", "انشر الخبر", "أرسل الخبر"), the error-report and rating boxes
    r"|شاركها(?:\s+على\s+\S+)?|(?:انشر|[أا]رسل|[إا]رسال)\s+(?:ال)?(?:خبر|مقال|موضوع)"
    # the reactions box ("أعجبني", "ما رأيك في هذا الخبر؟", "شارك رأيك"), the page's buttons ("تحميل المزيد",
    # "جاري التحميل...", "إغلاق", "بحث"), a link to the rest or the source ("اقرأ المقال كاملاً", "اقرأ التالي")
    r"|(?:لم\s+)?يعجبني|[أا]عجبني|ما\s+ر[أا]يك(?:\s+في\s+(?:هذا\s+)?(?:ال)?(?:خبر|مقال|موضوع))?\s*[؟?]?|ر[أا]يك\s+يهمنا"
    r"|(?:شارك|[أا]ضف|اكتب)\s+ر[أا]يك|تحميل\s+المزيد|جار(?:ي)?\s+التحميل\W*|Loading\W*|[إا]غلاق|بحث|القائمة"
    r"|اقرأ\s+التالي|(?:اقرأ|تابع)\s+(?:ال)?(?:مقال|خبر|موضوع|قصة)\s+(?:كاملا|بالكامل)|اقرأ\s+(?:ال)?(?:خبر|مقال)\s+من\s+(?:ال)?مصدر"
    r"|(?:[أا]بلغ|[إا]بلاغ|الإبلاغ)\s+عن\s+خط[أا]|هل\s+(?:وجدت|لاحظت)\s+خط[أا]\s*[؟?]?|[أا]رسل\s+تصحيح(?:ا)?"
    r"|(?:تقييم|قيم)\s+(?:هذا\s+)?(?:ال)?(?:مقال|خبر|موضوع)|هل\s+كان\s+(?:هذا\s+)?(?:ال)?(?:مقال|خبر|موضوع|محتوى)\s+مفيدا\s*[؟?]?"
    r"|نعم\s+لا|[أا]خبار\s+عاجلة"
    # the newsletter box ("النشرة الإخبارية", "سجل الآن") and the trail's home link alone
    r"|(?:ال)?نشرة\s+(?:ال)?(?:[إا]خبارية|بريدية|يومية)|سجل\s+(?:الآن|الان)|(?:الصفحة\s+)?الرئيسية"
    r"|(?:عودة|العودة|رجوع)\s+(?:[إا]لى\s+|لل)(?:ال)?(?:صفحة\s+)?(?:ال)?رئيسية"
    r"|(?:(?:ال)?(?:[أا]خبار|مواضيع|مقالات|موضوعات|قصص|روابط|مواد|تقارير)\s+)?(?:ذات\s+(?:ال)?صلة|(?:ال)?متعلقة|(?:ال)?مشابهة|(?:ال)?مقترحة)"
    r"|ال[أا]كثر\s+(?:قراءة|مشاهدة|تداولا|تعليقا|مشاركة|شعبية|زيارة)(?:\s+(?:اليوم|هذا\s+ال[أا]سبوع|في\s+\S+))?"
    # the writer's box after the story ("عن الكاتب", "جميع مقالات الكاتب")
    r"|(?:نبذة\s+)?عن\s+(?:ال)?كاتب(?:ة)?|(?:(?:جميع|كل|المزيد\s+من)\s+)?مقالات\s+(?:[أا]خرى\s+)?(?:لل|ال|ل)?كاتب(?:ة)?"
    # the listen-to-the-article player ("استمع إلى المقال", "استمع للخبر (3 دقائق)", "Listen (3 mins)")
    r"|(?:استمع|الاستماع)\s+(?:[إا]لى\s+|لل|ل)?(?:ال)?(?:مقال|خبر|قصة|نص)\S*(?:\s*\(?\s*[\d:]+\s*(?:دقائق|دقيقة|د)?\s*\)?)?"
    r"|Listen(?:\s+to\s+(?:this\s+)?(?:article|story))?\s*(?:\(\s*\d+\s*mins?\s*\))?"
    # the newsletter box's prompt ("أدخل بريدك الإلكتروني"), a picture's label standing alone or with
    # its credit ("صورة أرشيفية", "(أرشيفية)", "صورة تعبيرية - رويترز"), the desk's address ("للتواصل: …@…")
    r"|(?:[أا]دخل|سجل|اكتب)\s+بريدك(?:\s+ال[إا]لكتروني)?(?:\s+هنا)?"
    r"|\(?\s*(?:صورة\s+)?(?:[أا]رشيفية|تعبيرية|توضيحية|من\s+ال[أا]رشيف)\s*\)?(?:\s*[-–—|/]\s*[^\n]{1,30}|\s*\([^()\n]{1,30}\))?"
    r"|(?:[^\n:@]{1,40}:\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:حمل|نزل)\s+تطبيق\S*(?:\s+\S+){0,4}"
    # the app's buttons and the stores' badges ("تنزيل التطبيق", "اقرأ على التطبيق", "متوفر على App Store",
    # "احصل عليه من Google Play")
    r"|(?:تنزيل|تحميل|حمل|نزل|افتح|اقرأ|تابعنا)\s+(?:(?:في|على|عبر|من)\s+)?(?:ال)?تطبيق(?:نا)?"
    rf"|(?:(?:متوفر|متاح|متوفرة|متاحة|حمل(?:ه|ها)?|نزل(?:ه|ها)?|احصل\s+عليه|Download|Get\s+it|Available)\s+(?:(?:على|في|من|عبر|on|from)\s+)?)?{_STORE}"
    rf"(?:\s*(?:و|[|/،,&-]|and)\s*{_STORE})*"
    # the newsletter form's consent line ("بالتسجيل، أنت توافق على شروط الاستخدام")
    r"|(?:بالتسجيل|بالاشتراك|بتسجيلك|باشتراكك)\W+(?:[^\n]{0,30}\s)?(?:توافق|تقر|تواف)[^\n]{0,60}"
    r"|[-–•]?\s*Role\s*,\s*[^\n]{1,40}"  # the writer's role in that byline list ("- Role, بي بي سي نيوز")
    r"|مشاركة(?:\s+(?:الخبر|المقال))?(?:\s+(?:على|عبر)(?:\s+\S+)?)?"
    r"|\(?\s*(?:انتهى|انتهی|ا\s+ن\s+ت\s+ه\s+[ىی])\s*\)?|(?:(?:ال)?تبرع\s+لل?موقع(?:\s*[-–—]\s*)?)?ادعمونا|(?:ال)?تبرع\s+لل?موقع"
    # "المزيد من الفرق": a related box's header naming its section
    r"|المزيد\s+من\s+\S+"
    # the desk's phone ("التواصل مع القارئ 01146432654")
    r"|(?:لل|ال)?تواصل(?:\s+مع\s+(?:ال)?\S+)?\s*:?\s*\+?\d[\d\s-]{6,}"
    r"|[^\n]{0,60}(?:\.\.|…|[-–—:|])\s*(?:اشترك|سجل|حمل\s+التطبيق)\s+(?:الآن|الان)"  # "شاهد أخبار الدوريات في يوم .. اشترك الآن"
    r")\s*:?\s*$"
    r"|(?:[اأ]ضغط|انقر)\s+هنا",
    regex.IGNORECASE,
)
EDGE_LINES = 3  # a date printed above or below the story sits in the text's first or last lines
# A line that is only the page's date: "تاريخ النشر: 05 مارس 2024 - 10:30", "آخر تحديث: 05/03/2024 10:30", "منذ 3 ساعات".
_DATE_LABEL = regex.compile(
    r"^\s*(?:تاريخ\s+(?:ال)?(?:نشر|[إا]ضافة|تحديث)|تاريخ\s+الخبر|[أا]ضيف(?:ت)?(?:\s+(?:في|بتاريخ|يوم))?|[اآأ]خر\s+تحديث|تم\s+(?:ال)?تحديث|"
    # "تم نشره في 24 / أبريل 2020 09:22 مساءً" (the pronoun: the story)
    r"تم\s+(?:النشر|نشر(?:ها|ه)?)(?:\s+(?:في|بتاريخ|يوم))?|نشر\s+(?:في|بتاريخ)|"
    r"نشر(?:ت|ه|ها)?\s+في|نشرت?|محدث|(?:updated|published|posted)(?:\s+on)?)\s*:?\s*", regex.IGNORECASE)
_AGO = regex.compile(r"^\s*(?:منذ|قبل)\s+(?:\d+|[اأ]قل\s+من)?\s*(?:ثانية|ثوان|ثواني|دقيقة|دقائق|دقيقتين|ساعة|ساعات|ساعتين|يوم|أيام|ايام|يومين)\s*$")
_DATEISH = regex.compile(rf"\d{{1,2}}:\d{{2}}|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|(?<!\w)(?:{MONTH_WORDS})(?!\w)",
                         regex.IGNORECASE)
_DATE_DEBRIS = regex.compile(r"[\s\-–—/|:.,،()]+|ب?توقيت\s+\S+(?:\s+\S+)?|الساعة|صباحاً|مساءً|صباحا|مساء|ت\s*غ")
_READ_ALSO = regex.compile(
    r"^\s*(?:[«\"'(\[]\s*)?(?:اقرأ|إقرأ|أقرأ|اقرا|إقرا|أقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً|المزيد|كذلك)\b"
    r"|^\s*(?:شاهد|طالع|تصفح)\s+(?:أيضا|أيضاً|ايضا|ايضاً|كذلك)\b|^\s*(?:لل|ول|ولل)مزيد\s*:|^\s*(?:Read|See)\s+(?:also|more)\s*:"
    # the other ways outlets head a teaser: "قد يهمك", "يهمك أيضا", "مواضيع قد تهمك", "ننصحك بقراءة",
    # "اخترنا لك"
    r"|^\s*(?:[«\"'(\[]\s*)?(?:قد\s+يهمك|يهمك\s+(?:أيضا|ايضا|كذلك)|(?:مواضيع|موضوعات|[أا]خبار|مقالات)\s+قد\s+تهمك|"
    r"ننصحك\s+(?:بقراءة|بمشاهدة)|اخترنا\s+لك(?:م)?)\b",
    regex.IGNORECASE,
)
# "شارك" / "انضم" / "اشترك" are also the story's past-tense verbs ("شارك في الاجتماع ممثلون عن…",
# "انضم اللاعب إلى…"): a share/join label only alone, with a colon, or with what is shared/joined.
_SOCIAL_LINE = regex.compile(
    r"^\s*(?:تابعونا|تابعنا|تابعوا|انضموا|اشتركوا|شاركوا|النشرة\s+البريدية|"
    r"نسخ\s+الرابط|Share(?:\s+this)?|Follow\s+us|Subscribe)\b"
    r"|^\s*(?:شارك|انضم|اشترك)(?:\s*[:：]|\s*$|\s+(?:الخبر|المقال|الموضوع|هذا|على|عبر|معنا|[إا]لينا|الآن|مجانا|"
    r"لي?تصلك(?:م)?|لتحصل|في\s+(?:النشرة|نشرة|نشرت(?:نا|ه|ها)|القائمة|قنا[ةت]|خدمة|[أا]خبار)|ب(?:النشرة|القائمة|قنا[ةت]))(?!\w))",
    regex.IGNORECASE,
)
_TAG_LINE = regex.compile(
    r"^\s*(?:(?:الوسوم|وسوم|الكلمات\s+(?:الدالة|المفتاحية|الدلالية)|كلمات\s+(?:مفتاحية|دالة|دلالية)|التسميات|Tags)\s*:?"
    # the category labels, only with their colon ("المواضيع التي ناقشها المؤتمر…" is a sentence)
    r"|(?:التصنيفات|تصنيفات|التصنيف|المواضيع|الموضوعات)\s*:"
    # "كلمات البحث: …", "الوسم: …", "هاشتاج" with their colon or alone ("هاشتاج #… تصدر …" is a sentence)
    r"|(?:كلمات\s+البحث|الوسم|وسم|(?:ال)?هاشتا[جغق](?:ات)?)\s*(?::|$))",
    regex.I)
# Page chrome printed as a line of its own in templates that mark nothing: the copyright line,
# the breadcrumb trail ("الرئيسية » اقتصاد » نفط"), comment-box prompts, previous/next links,
# "send to a friend", the short-link box, a row of share buttons ("فيسبوك تويتر واتساب").
_PLATFORM = (r"(?:فيسبوك|فيس\s*بوك|تويتر|[إا]كس|واتساب|واتس\s*[أا]ب|تيليجرام|تيليغرام|تلغرام|لينكد\s*[إا]ن|[إا]نستغرام|"
             r"يوتيوب|تيك\s*توك|ماسنجر|البريد(?:\s+الإلكتروني)?|Facebook|Twitter|X|WhatsApp|Telegram|LinkedIn|Email|"
             r"Messenger|Pinterest|Reddit)")
_CHROME_LINE = regex.compile(
    r"^\s*(?:جميع\s+الحقوق\s+محفوظة|حقوق\s+(?:النشر|الطبع)(?:\s+والنشر)?\s+محفوظة|(?:©|\(c\))\s*\d{4}"
    # "Copyright © 2024 Al Arabiya", "حقوق النشر © 2024", "2024 © سكاي نيوز عربية" (with the sign: the Zyte
    # benchmark's gold keeps a story's closing "Copyright 2019 Hawaii News Now. All rights reserved.")
    r"|(?:Copyright|حقوق\s+(?:النشر|الطبع)(?:\s+والنشر)?)\s*(?:©|\(c\))|\d{4}\s*©)"
    r"|(?:جميع\s+الحقوق\s+محفوظة|حقوق\s+(?:النشر|الطبع)(?:\s+والنشر)?\s+محفوظة)\W*(?:\S+\W*){0,6}$"
    r"|^\s*(?:الرئيسية|الصفحة\s+الرئيسية)\s*[»›>/|«‹<\\]"
    r"|^\s*(?:اترك|[أا]ترك|[أا]رسل|[إا]رسال|[أا]كتب)\s+(?:تعليق|ردا|رد|تعليقك)\S*\s*$|^\s*لا\s+(?:توجد|يوجد)\s+تعليقات\b"
    r"|^\s*كن\s+[أا]ول\s+من\s+يعل[قّ]"
    r"|^\s*(?:(?:ال)?(?:خبر|مقال|موضوع)\s+)?(?:ال)?(?:سابق|تالي)\s*$|^\s*(?:التالي|السابق)\s*$"
    r"|^\s*(?:[أا]رسل|[إا]رسال)\s+(?:ل|[إا]لى\s+)صديق\s*$|^\s*(?:عودة|العودة|رجوع)\s+(?:[إا]لى\s+|لل)[أا]على\s*$"
    r"|^\s*(?:تم\s+نسخ\s+الرابط|ا?نسخ\s+الرابط|(?:ال)?رابط\s+(?:ال)?مختصر)\s*:?\s*(?:https?://\S+)?\s*$"
    rf"|^\s*(?:{_PLATFORM}[\s،,|•·]*)+$"
    # the footer's and the header's links standing alone ("اتصل بنا", "سياسة الخصوصية", "النسخة الورقية"),
    # the cookie banner's buttons, skip/back-to-top links, the comment form's fields, the live-stream,
    # poll and prayer-times boxes' titles
    r"|^\s*(?:اتصل\s+بنا|تواصل\s+معنا|من\s+نحن|[أا]علن\s+معنا|سياسة\s+(?:ال)?خصوصية|شروط\s+(?:ال)?استخدام|(?:ال)?شروط\s+و(?:ال)?[أا]حكام"
    r"|خريطة\s+الموقع|النسخة\s+الورقية|(?:ال)?[أا]رشيف|(?:فريق|هيئة|[أا]سرة)\s+التحرير|وظائف\s+شاغرة|(?:ال)?[أا]سئلة\s+الشائعة"
    r"|خدمة\s+RSS|RSS|موافق|[أا]وافق|قبول(?:\s+الكل)?|رفض(?:\s+(?:الكل|غير\s+الضروري))?|(?:ال)?[إا]عدادات"
    r"|[إا]عدادات\s+(?:ملفات\s+تعريف\s+الارتباط|الكوكيز)|خصوصيتك\s+تهمنا|(?:اعرف|معرفة)\s+المزيد|ابق\s+على\s+اطلاع"
    r"|(?:التخطي|تخط[يى]|انتقل|الانتقال)\s+[إا]لى\s+(?:ال)?محتوى(?:\s+الرئيسي)?|القائمة\s+الرئيسية|مسار\s+التنقل"
    r"|(?:زر\s+)?(?:الذهاب|العودة|الصعود)\s+[إا]لى\s+(?:ال)?[أا]على|(?:شاهد\s+)?(?:ال)?بث\s+(?:ال)?مباشر|استطلاع(?:\s+(?:ال)?ر[أا]ي)?"
    r"|تفاصيل\s+الخبر|مواقيت\s+الصلاة(?:\s*[-–—]\s*\S+(?:\s+\S+)?)?|[أا]سعار\s+العملات"
    # a live page's kicker and its refresh note ("تغطية مباشرة", "متابعة مباشرة", "لحظة بلحظة", "مباشر",
    # "يتم تحديث هذه الصفحة باستمرار")
    r"|(?:تغطية|متابعة|تحديثات|تطورات|[أا]حداث)\s+(?:مباشرة|حية|لحظة\s+بلحظة)|لحظة\s+بلحظة|مباشر|(?:Live|LIVE)(?:\s+updates)?"
    r"|(?:يتم\s+)?تحديث\s+(?:هذه\s+)?(?:ال)?(?:صفحة|تغطية|متابعة)\s+(?:باستمرار|تلقائيا|تباعا|أولا\s+ب[أا]ول)"
    r"|(?:هذه\s+)?(?:ال)?(?:صفحة|تغطية)\s+(?:يتم\s+)?(?:تحديثها|تحدث)\s+(?:باستمرار|تلقائيا|تباعا|أولا\s+ب[أا]ول)"
    r"|(?:ال)?اسم|(?:ال)?تعليق|(?:[إا]رسال|[أا]رسل|نشر)\s+(?:ال)?تعليق)\s*\*?\s*:?\s*$"
    # a poll's question with its answers ("هل تؤيد إجراء انتخابات مبكرة؟ نعم لا")
    r"|[؟?]\s*نعم\s*[-|/]?\s*لا\s*$",
    regex.IGNORECASE,
)
# The cookie banner's notice ("نستخدم ملفات تعريف الارتباط لتحسين تجربتك…", "يستخدم هذا الموقع الكوكيز").
# The site speaks of itself ("نستخدم", "هذا الموقع", "موقعنا", "باستخدامك…") and of the reader's experience
# or consent: a story about cookies ("يستخدم فيسبوك ملفات تعريف الارتباط لتتبع…") does neither.
_CONSENT = regex.compile(
    r"^\W*(?:(?:نحن\s+)?(?:نستخدم|نستعمل)|(?:يستخدم|يستعمل)\s+(?:هذا\s+الموقع|موقعنا)|(?:هذا\s+الموقع|موقعنا)\s+(?:يستخدم|يستعمل)"
    r"|باستخدامك|باستمرارك|بمتابعتك|بمواصلت?ك?|We\s+use|This\s+(?:web)?site\s+uses)"
    r"[^\n]{0,160}?(?:ملفات\s+(?:تعريف\s+)?(?:ال)?ارتباط|(?:ال)?كوكيز|cookies)"
    r"[^\n]{0,160}?(?:تجرب|توافق|موافقت|سياسة|experience|agree|consent)", regex.IGNORECASE)
_HASHTAGS_ONLY = regex.compile(r"^\s*(?:#\w+\s*)+$")
# The photographer's credit printed as a line of its own under the byline or a picture ("تصوير: أحمد حسن",
# "عدسة - محمد"): not the story, and not its writer (`_BYLINE_LINE` would take the name for the author).
_PHOTO_CREDIT_LINE = regex.compile(
    r"^\s*(?:تصوير|عدسة|الصورة|صورة|الصور|(?:مصدر|حقوق)\s+(?:ال)?صور[ةه]?|Image\s+(?:source|credit)|Photo\s+credit)"
    r"\s*[:/\-–—،,]+\s*[^\d\n.!?؟:]{2,40}$", regex.IGNORECASE)
# The label BBC's sites print before a picture's caption ("التعليق على الصورة، …", "Image caption, …"), and
# a picture's label opening its caption ("صورة أرشيفية لمبنى الوزارة", "(صورة تعبيرية) …"): the caption,
# not the story. Alone on its line (the label and the caption in two blocks of a copy), the line after it
# is the caption; before a sentence of the story (a caption left empty), the label alone goes.
_CAPTION_LABEL = regex.compile(r"^\s*(?:التعليق\s+على\s+الصور[ةه]|تعليق\s+(?:على\s+)?الصور[ةه]|Image\s+caption)\s*(?:[،,:]|$)",
                               regex.IGNORECASE)
_PICTURE_LABEL = regex.compile(r"^\s*\(?\s*(?:ال)?صور[ةه]\s+(?:[أا]رشيفية|تعبيرية|توضيحية|من\s+(?:ال)?[أا]رشيف)\s*\)?\s*(?:[-–—:،,]\s*)?(?=\S)",
                               regex.IGNORECASE)
# BBC's label before a picture's credit ("مصدر الصورة، Getty Images", "Image source, Reuters") alone on its line
_SOURCE_LABEL = regex.compile(r"^\s*(?:مصدر\s+(?:ال)?صور[ةه]|حقوق\s+(?:ال)?صور[ةه]|Image\s+source)\s*[،,:]?\s*$", regex.IGNORECASE)
LABELLED_CAPTION_CHARS = 250  # a caption under its label; a longer line is a paragraph
CREDIT_CHARS = 60  # a picture's credit under its label ("Getty Images", "EPA-EFE/REX/Shutterstock")
# The rule trafilatura writes under a table's header row ("|---|---|"): markup, not text; the rows stay.
_TABLE_RULE = regex.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
_AD_LINE = regex.compile(r"^[\s\-–—|*•·_]*(?:إعلان|اعلان|إعلانات|اعلانات|مساحة\s+[إا]علانية|Advertisement|ADVERTISEMENT|"
                         r"Sponsored|محتوى\s+(?:مدعوم|ممول|مدفوع|برعاية|[إا]علاني)|برعاية|هذا\s+المحتوى\s+من|[إا]علان\s+ممول|مادة\s+[إا]علانية)"
                         r"[\s\-–—|*•·_]*$")
# An invitation to the outlet's channels printed at the end of a story ("انضموا إلى قناتنا على
# واتساب", "حمل تطبيق …", "للمزيد من الأخبار تابعوا صفحتنا على فيسبوك", "يمكنكم متابعة آخر الأخبار
# عبر تلغرام"): the line opens with an address to the reader and names a channel. A story's own
# sentence about an app or a platform opens with its subject, not with an imperative.
_CHANNEL = (r"تيليجرام|تيليغرام|تلغرام|تلجرام|تليجرام|telegram|واتساب|واتس\s*[أا]ب|whatsapp|فيسبوك|فيس\s*بوك|facebook|"
            r"تويتر|twitter|[إا]نستغرام|[إا]نستجرام|[إا]نستقرام|instagram|يوتيوب|youtube|تيك\s*توك|tiktok|"
            r"جوجل\s+نيوز|[أا]خبار\s+جوجل|google\s+news|نبض|قنات(?:نا|ه|ها)|صفحت(?:نا|ه|ها)|حساب(?:نا|ات)|تطبيق|"
            r"موقعنا|[إا]شعارات|النشرة")
_CHANNEL_PROMPT = regex.compile(
    r"^\s*(?:(?:(?:[أا]عجبك\s+(?:ال)?(?:موضوع|مقال|خبر)\s*[؟?]\s*)?سجل\s+[إا]عجابك|تابعوا|تابعونا|تابعنا|انضموا|اشتركوا|حملوا|نزلوا|اضغطوا|اضغط|انقر|زوروا|فعلوا|للاشتراك|للانضمام|"
    r"تابع\s+(?:آخر|[أا]حدث|[أا]هم)|(?:انضم|اشترك)\s+(?:الآن\s+)?(?:[إا]لى|في|ب|معنا)"
    # "احصل على آخر الأخبار عبر تطبيقنا": what it offers is the outlet's news, app or alerts; "احصل على
    # عائد … على حسابات التوفير", "احصل على نتيجتك عبر تطبيق الوزارة" are a story's lines
    r"|احصل(?:وا)?\s+على\s+(?=(?:آخر|[أا]حدث|[أا]هم|[أا]برز)\s+(?:ال)?(?:[أا]خبار|مستجدات|تطورات|تحديثات|قصص|مقالات|فيديوهات)"
    r"|(?:ال)?تطبيق|(?:ال)?[إا]شعارات|(?:ال)?نشر)"
    # "انضم لقناتنا على واتساب": the channel glued to its preposition
    r"|(?:انضم|اشترك)(?:وا)?\s+(?:الآن\s+)?ل(?:قنا[ةت]|مجموع|نشر|صفح|حساب|تطبيق)\w*)\b"
    rf"[^\n]{{0,160}}?(?:{_CHANNEL})|(?:حمل|نزل|حملوا|نزلوا)\s+(?:ال)?تطبيق)", regex.IGNORECASE)
# Openers a story's own sentence may start with too ("لمتابعة حالة الطقس يمكن استخدام تطبيق
# الأرصاد…", "يمكنكم التقديم عبر تطبيق الوزارة"): an invitation only among the text's edge lines.
_CHANNEL_INVITE = regex.compile(
    r"^\s*(?:لمتابعة|ولمتابعة|و?يمكنك(?:م)?|و?(?:لل?|ال)مزيد\s+من)\b"
    rf"[^\n]{{0,160}}?(?:{_CHANNEL})", regex.IGNORECASE)
# A byline printed as a line of the text ("كتب: علي حسين", "كتبت - منى السيد", "كتب/ محمد",
# "بقلم محمد السيد", "إعداد: …") or the desk's "متابعات": who wrote the story, not the story.
# "كتب" is only a byline with its separator ("كتب الوزير في تغريدة…" is a sentence).
_BYLINE_LINE = regex.compile(
    r"^\s*(?:(?:كتب|كتبت|كتبه|كتبها|[إا]عداد|تحرير|ترجمة|تقرير|بواسطة|(?:ال)?كاتب(?:ة)?|(?:ال)?محرر(?:ة)?|(?:حرر|حررت|كتب|نشر)(?:ه|ها)?\s+بواسطة|تم\s+(?:ال)?نشر(?:ه|ها)?\s+بواسطة)\s*[:/\-–—]+\s*"
    r"|بقلم(?:\s+(?:الكاتب|الكاتبة|الدكتور|الدكتورة))?\s*[:/\-–—]*\s*)"
    # the name, with an academic title ("د. محمد السيد", "أ.د. خالد"), then perhaps the writer's city
    # in brackets or a date after a dash ("كتب: علي حسين - 27 نوفمبر 2026")
    r"(?P<name>(?:(?:[أا]\.\s*)?(?:د|م|أ)\.\s*)?[^\d\n.!?؟:()«»\"]{2,50}?)"
    r"\s*(?:\([^()\n]{2,30}\)|[-–—|]\s*[^\n]{2,40}?\d[^\n]{0,20})?\s*:?\s*$"
    r"|^\s*كتب(?:ت)?\s+(?P<name>[^\d\n.!?؟:()«»\"]{2,30}?)\s*:\s*$"
    r"|^\s*كتب(?:ت)?\s+(?P<name>[^\d\s.!?؟:()«»\"،,]{2,15}(?:\s+[^\d\s.!?؟:()«»\"،,]{2,15}){1,3})\s*$"
    r"|^\s*(?:متابعات|متابعة)(?:\s*[:\-–—]\s*(?:[^\d\n.!?؟:]{2,30})?)?\s*$"
    # the BBC World Service sites' byline list, whose screen-reader labels stay English on every
    # language's page ("- Author, كايلا إبستين وأنجليكا كاساس")
    r"|^\s*[-–•]?\s*Author\s*,\s*(?P<name>[^\d\n.!?؟:()«»\"]{2,50}?)\s*$")
# Comment-policy disclaimers ("الآراء الواردة أدناه لا تعبر عن رأي الموقع") sit in unmarked <p>s.
_DISCLAIMER = regex.compile(
    r"(?:التعليقات|تعليقات|الآراء\s+الواردة|المشاركات).{0,200}(?:لا\s+تعبر|لا\s+تعكس|قبل\s+نشرها|إرشادات)"
    # an opinion page's note under the column ("المقال يعبر عن رأي كاتبه")
    r"|^\W*(?:هذا\s+)?(?:المقال|المقالة|الآراء|المحتوى)(?:\s+(?:المنشور|الوارد)[ةه]?)?\s+(?:يعبر|تعبر|يمثل|تمثل)\s+عن\s+"
    r"(?:رأي|وجهة\s+نظر)\s+(?:كاتب|صاحب)"
    # RT's note ("المقالة تعبر فقط عن رأي الصحيفة أو الكاتب")
    r"|^\W*(?:هذه\s+)?(?:المقال|المقالة)\s+(?:يعبر|تعبر)\s+فقط\s+عن\s+(?:رأي|وجهة\s+نظر)\s+(?:ال)?(?:صحيفة|كاتب|مؤلف)"
)
# A page's notes that are never the story: a JavaScript notice, the report-a-picture dialog, the
# popup's "don't show again", WordPress' feed footer ("The post … appeared first on …", "ظهرت
# المقالة … أولاً على …"), an aggregator's link to the original ("يمكنك زيارة الخبر الأصلي من هنا"),
# and its source-and-date line ("الجزائر الجديدة نشر في الجزائر الجديدة يوم 02 - 06 - 2020").
_PAGE_NOTE = regex.compile(
    r"^\W*(?:To\s+view\s+this\s+video\s+please\s+enable\s+JavaScript|Please\s+enable\s+JavaScript"
    r"|(?:يرجى|الرجاء|يجب)\s+تفعيل\s+(?:ال)?(?:جافا\s*سكر[يب]+ت|JavaScript)"
    r"|شكرا\s+(?:لك\s+)?على\s+(?:ال)?[إا]بلاغ\s*[!.]\s*(?:سيتم|سنقوم|سوف)"
    r"|The\s+post\s+[^\n]{1,250}\s+appeared\s+first\s+on\s+"
    r"|ظهر(?:ت)?\s+(?:ال)?(?:مقالة|مقال|تدوينة|منشور)\s+[^\n]{1,250}\s+[أا]ولا\s+على\s+)"
    r"|لا\s+تظهر\s+(?:هذه\s+)?(?:ال)?رسالة(?:\s+مرة\s+[أا]خرى)?\W*$"
    r"|(?:زيارة|قراءة|مشاهدة|تصفح|متابعة)\s+(?:ال)?(?:خبر|مقال|موضوع|تفاصيل)\s+(?:(?:ال)?[أا]صلي\s+|من\s+(?:ال)?مصدر\s+)?من\s+هنا"
    r"|^[^\n]{0,40}نشر\s+في\s+[^\n]{1,40}?\s+يوم\s+\d{1,2}\s*[-/]\s*\d{1,2}\s*[-/]\s*\d{4}\W*$",
    regex.IGNORECASE)
# "حيث" is a sentence's "as" as often as a caption's "where" ("… في ميدان التحرير حيث يعتصم
# المحتجون"): the text keeps such a line (losing a sentence costs more), attribution does not take
# its credit (`tasks.attribution.is_caption`).
_WHERE = regex.compile(r"(?<!\w)[وف]?حيث(?!\w)")
_HEAD_SENTENCE_END = regex.compile(r"\w[.!?؟…]['\"”’»]*\s*$")


def _is_caption_credit(line: str, last: bool = False) -> bool:
    """A photo caption with a credit: a descriptive phrase (3+ words, or fewer holding a person's title
    or role: "الرئيس الفرنسي (أ ف ب)", "ولي العهد السعودي (واس)", or a foreign person's bare name, "خافيير
    ميلي (أ ف ب)", as `tasks.attribution.is_caption` reads them) ending in an agency/photo credit.

    Datelines ("جنيف -أ ب", "برلين (الوكالة الألمانية)", "القدس المحتلة - رويترز") have 1-2 words
    before the agency, or a region's 3-4 ("ريف دمشق الغربي - سانا", "شمال قطاع غزة - وفا":
    `names_a_place`), no title and no picture's word ("صورة أرشيفية - رويترز", "(صورة: رويترز)" go),
    and stay;
    so does a sentence of the story signed off with its credit ("وأضاف أن المحادثات ستستأنف. (رويترز)",
    "وتراجعت أسعار النفط بنسبة ثلاثة بالمئة خلال تعاملات اليوم (رويترز)": a clause opened by "و", a
    reporting verb or a complementizer, a rate or a sum (`reads_as_sentence`), or the text's last
    line ending as a sentence before it).
    """
    if len(line) > 220 or _SENTENCE_END.search(line):
        return False
    m = _CREDIT_TAIL.search(fold(line))  # same length: positions in the folded line are the line's
    if not m or _COMPOUND_ADJECTIVE.search(line):
        return False
    head = line[: m.start()]
    # a foreign person's name and the credit alone ("خافيير ميلي (أ ف ب)") is a caption, as attribution reads it
    short = len(head.split()) < 3 and not (names_a_person(head) or bare_personal_name(head)) and not names_a_picture(line)
    if short or reads_as_sentence(head) or _WHERE.search(head) or (
            (names_a_place(head) or place_parts(head)) and not names_a_picture(line)):
        return False
    return not (last and _HEAD_SENTENCE_END.search(head))


# The desk's stamp an agency prints under its item: the editors' initials, then the date and time
# ("ع ف/س أ18/01/2020 21:38:35", Petra).
_DESK_STAMP = regex.compile(r"^\s*(?:\p{Arabic}{1,2}\s*/?\s*){2,8}\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*$")


def _is_date_line(line: str) -> bool:
    """A line that holds the page's date and nothing else (a date printed above the story), or the
    desk's stamp of initials and date under an agency's item."""
    if len(line) > 90 or not regex.search(r"\d", line):
        return False
    if _DESK_STAMP.match(line):
        return True
    rest = _DATE_LABEL.sub("", line, count=1)
    if _AGO.match(rest):
        return True
    return bool(_DATEISH.search(rest)) and not _DATE_DEBRIS.sub("", date_part().sub("", rest))


BYLINE_WORDS = 6  # a name with its title ("د. محمد عبد الرحمن الشريف"); more is a sentence


def is_credit_line(line: str) -> bool:
    """A byline or source line printed as a line of the text ("كتب: علي حسين", "المصدر: وكالات"):
    not the story's text, but attribution evidence (see `credit_lines_of`)."""
    if len(line) > 90:
        return False
    plain = strip_marks(line)
    by = _BYLINE_LINE.match(plain)
    if by and len((by.group("name") or "").split()) <= BYLINE_WORDS:
        return True
    # the story's source printed as its own line at its end or head ("المصدر: وكالات", "(المصدر: وكالة
    # الأناضول)", "نقلا عن رويترز"), as attribution reads it; it gets it back through `credit_lines_of`
    return is_source_line(plain)


def credit_lines_of(raw: str, kept: str) -> list[str]:
    """The byline/source lines of an extracted text that `clean_text` left out of `kept`."""
    have = {ln.strip() for ln in kept.splitlines()}
    return [ln.strip() for ln in raw.splitlines() if is_credit_line(ln.strip()) and ln.strip() not in have]


def drop_author_line(text: str, author: str | None) -> str:
    """The text without its first line when that line is exactly the page's author ("خالد
    المنصوري", "أ ف ب"): a byline printed as a bare name above the story in markup that does not
    say so (unclassed or hashed class names). Exact match only: a closing credit "(رويترز)" by
    the author "رويترز" is the story's sign-off and stays."""
    if not author or not text:
        return text
    first, _, rest = text.partition("\n")
    norm = lambda s: " ".join(s.split())  # noqa: E731
    return rest if rest.strip() and norm(first) == norm(author) else text


def byline_name(lines: Iterable[str]) -> str | None:
    """The name a byline line gives ("كتب: علي حسين" -> "علي حسين"), for pages that name no author.
    A writer's line ("كتب", "بقلم") wins over a desk credit beside it ("تحرير: …", "ترجمة: …", "إعداد: …"):
    the editor or translator is the author only when no writer is named."""
    names: list[tuple[bool, str]] = []
    for line in lines:
        plain = strip_marks(line.strip())
        m = _BYLINE_LINE.match(plain) if len(line) <= 90 else None
        if m and m.group("name") and len(m.group("name").split()) <= BYLINE_WORDS:
            names.append((bool(_DESK_CREDIT.match(plain)), " ".join(m.group("name").split())))
    return min(names, key=lambda n: n[0])[1] if names else None


_DESK_CREDIT = regex.compile(r"^\s*(?:تحرير|ترجمة|[إا]عداد|(?:ال)?محرر(?:ة)?)\s*[:/\-–—]")


# MENAFN's syndication wrapper around the copies of Arab outlets' stories it carries: "(MENAFN- Khaberni)"
# before the first sentence, its item id ("MENAFN07122026000235011049ID1110442156") and legal disclaimer
# after the last. The outlet's words in between are the story.
_MENAFN_OPENER = regex.compile(r"^\s*\(\s*MENAFN\s*[-–—]\s*[^()\n]{1,60}\)\s*")
_MENAFN_LINE = regex.compile(r"^\s*(?:MENAFN\d{6,}ID\d{6,}|Legal\s+Disclaimer\s*:?|MENAFN\s+provides\s+the\s+information\b.*)\s*$",
                             regex.I)
# A tweet quoted in running text whose embed markup a copy lost: its words stay, its chrome goes (the
# picture's link "pic.twitter.com/…" and the signature "— Name (@handle) December 7, 2026" / "— الاسم
# (@handle) 7 ديسمبر 2026"). The signature is the dash, a name, the handle in brackets and a date:
# a sentence naming an account ("— قال الوزير (@x)") has no date after it.
_TWEET_SIGNATURE = (rf"[—–-]\s*[^\n—–]{{0,80}}?\(\s*@\w{{1,30}}\s*\)\s*"
                    rf"(?:(?:\w+,?\s+)?(?:{MONTH_WORDS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTH_WORDS}),?\s+\d{{4}})")
_TWEET_CHROME = regex.compile(
    rf"(?:\s*(?:pic\.(?:twitter|x)\.com/\S+|https?://t\.co/\S+))+(?:\s*{_TWEET_SIGNATURE})?\s*$|\s*{_TWEET_SIGNATURE}\s*$",
    regex.I)
# The desk's staff credits printed at the text's edges ("مراجعة: سامي", "تدقيق لغوي: منى علي", "إشراف:
# …", "تصميم: …"): who checked or laid out the story, neither its text nor its writer.
_STAFF_CREDIT = regex.compile(
    r"^\s*(?:مراجعة(?:\s+لغوية)?|تدقيق(?:\s+لغوي)?|[إا]شراف(?:\s+عام)?|تنسيق|مونتاج|جرافيك|تصميم|[إا]خراج|تنفيذ)"
    r"\s*[:/\-–—]+\s*(?=[^\n]{2,40}$)[^\d\s.!?؟:()«»\"،,]+(?:\s+[^\d\s.!?؟:()«»\"،,]+){0,3}\s*$")  # a name: 1-4 words
# A sidebar widget's rows leaking into the body (prayer times "الفجر 04:52", weather "عمّان 14°",
# currency "الدولار 3.75"): a label of one to three words and a time, a temperature or a rate.
_WIDGET_ROW = regex.compile(
    r"^\s*\p{L}[\p{L}\p{M}\s]{1,25}?\s*[:\-–]?\s*(?:\d{1,2}:\d{2}(?:\s*(?:ص|م|AM|PM))?|[-−]?\d{1,3}\s*°\s*[CcFfسم]?|\d{1,5}[.,]\d{1,4})\s*$")
WIDGET_ROWS = 3  # rows in a block: one or two such lines can be a story's table or list
# A story whose headline names the widget's subject ("مواقيت الصلاة اليوم في عمّان", "أسعار العملات",
# "مواعيد مباريات اليوم") prints such rows as its content.
_WIDGET_SUBJECT = regex.compile(r"مواقيت|مواعيد|موعد|مباريات|جدول|برنامج|[أا]وقات|الصلا[ةه]|الطقس|طقس|درجات?\s+الحرار[ةه]|[أا]سعار|سعر|العملات|الصرف|الدولار")


def _widget_blocks(lines: list[str], title: str | None) -> set[int]:
    """The indexes of `lines` in a block of WIDGET_ROWS+ consecutive widget rows (blank lines between
    them do not part a block). The block stays when the headline names its subject or the line
    before it introduces a list (ends with ":")."""
    if title and _WIDGET_SUBJECT.search(strip_marks(title)):
        return set()
    out: set[int] = set()
    run: list[int] = []
    prev = ""
    for i, raw in enumerate([*lines, "."]):
        line = raw.strip()
        if not line:
            continue
        if len(line) <= 40 and _WIDGET_ROW.match(line):
            run.append(i)
            continue
        if len(run) >= WIDGET_ROWS and not prev.endswith((":", "：")):
            out.update(run)
        prev, run = line, []
    return out


_META_SEPARATOR = regex.compile(r"\s+[|•·│]\s+")


def _is_junk_line(line: str, last: bool = False, edge: bool = True) -> bool:
    """Furniture, not text. last: the text's last line; edge: one of its first or last three lines,
    where a line holding only a date is the page's date (inside the text it may be a table's); a
    line that is only an age ("منذ ساعتين", a live blog's entry stamp) is furniture anywhere.
    A meta line of several such pieces ("نشر بتاريخ: 26-11-2026 12:04 | عدد القراءات: 3921") is
    furniture when every piece is."""
    parts = _META_SEPARATOR.split(line) if len(line) <= 160 else []
    if len(parts) > 1 and all(p.strip() and _is_junk_piece(p.strip(), edge) for p in parts):
        return True
    if last and _DESK_INITIALS.fullmatch(line) and not identify_all(line):
        return True
    return _is_junk_piece(line, edge) or _is_caption_credit(line, last)


# The desk's initials an agency prints alone under its item ("م ع", "ع ب / م ع", BNA's and KUNA's editors):
# single letters, two to four in a group, groups parted by slashes. Not an agency's own letters ("أ ف ب",
# "و م ع"), which are its credit.
_DESK_INITIALS = regex.compile(r"\s*\p{L}(?:[.\s]+\p{L}){1,3}\.?(?:\s*/\s*\p{L}(?:[.\s]+\p{L}){0,3}\.?){0,3}\s*")


def _is_junk_piece(line: str, edge: bool) -> bool:
    short = len(line) <= 120
    # "اقرأ أيضًا", "حمّل التطبيق", "نُشر في": the rules are written without marks
    plain = strip_marks(line)
    if short and (_READING_TIME.search(plain) or (edge and _is_date_line(plain))):
        return True
    if short and _AGO.match(_DATE_LABEL.sub("", plain, count=1)):
        return True  # "منذ ساعتين": a live blog's entry stamp or a teaser's age, never a line of the story
    if len(line) <= 80 and (_FURNITURE.search(plain) or _CHROME_LINE.search(plain)):
        return True
    if len(line) <= 250 and _READ_ALSO.search(plain):
        return True
    if short and (_SOCIAL_LINE.search(plain) or _TAG_LINE.search(plain) or _AD_LINE.match(plain)):
        return True
    if len(line) <= 200 and (_CHANNEL_PROMPT.search(plain) or (edge and _CHANNEL_INVITE.search(plain))):
        return True
    if edge and (is_credit_line(line) or _STAFF_CREDIT.match(plain)):
        return True
    if len(line) <= LABELLED_CAPTION_CHARS and (
            _CAPTION_LABEL.match(plain) or _SOURCE_LABEL.match(plain)
            # "صورة أرشيفية لمبنى الوزارة": a caption; "صورة أرشيفية للرئيس … نشرتها الوزارة أمس." is a sentence
            or ((pm := _PICTURE_LABEL.match(plain)) and not (_ENDS_AS_SENTENCE.search(plain)
                                                             or reads_as_sentence(plain[pm.end():])))):
        return True
    return bool(_HASHTAGS_ONLY.match(line) or _TABLE_RULE.match(line) or _PHOTO_CREDIT_LINE.match(plain)
                or (len(line) <= 400 and _DISCLAIMER.search(line)) or (len(line) <= 300 and (_CONSENT.search(plain) or _PAGE_NOTE.search(plain))))


def clean_text(text: str, title: str | None = None, captions: Iterable[str] = (),
               leads: Iterable[str] = ()) -> str:
    """Apply the text-level rules; keep one paragraph per line.

    `captions` (texts found by position: figcaption, caption-classed or image-adjacent blocks)
    are dropped wherever they land; `leads` (the standfirst printed under the headline) open the
    text once, unless the body already starts with them.
    """
    norm_title = norm(title) if title else None
    caption_set = {norm(c) for c in captions if c and len(norm(c)) > 3}
    out: list[str] = []
    lines = text.splitlines()
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    edges = set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])
    widgets = _widget_blocks(lines, title)
    junk: dict[int, bool] = {}  # per line: furniture by its own words (lone labels: see below)
    labels: set[int] = set()
    labelled: set[int] = set()  # a caption or a picture's credit on the line after its label standing alone
    texts: dict[int, str] = {}
    for i, raw in enumerate(lines):
        line = raw.strip()
        line = _MENAFN_OPENER.sub("", line, count=1) if "MENAFN" in line else line
        if line and (i in widgets or _MENAFN_LINE.match(line)):
            junk[i] = True
            continue
        line = _TWEET_CHROME.sub("", line).strip() if "@" in line or "pic." in line or "t.co/" in line else line
        texts[i] = line = _unlabelled(line)
        junk[i] = bool(line) and (i in labelled or _is_junk_line(line, i == filled[-1], i in edges))
        if line and (nxt := _labelled_line(line, i, filled, lines)) is not None:
            labelled.add(nxt)
        if junk[i] and _is_lone_label(line):
            labels.add(i)
    for i in _tag_rows(filled, texts, junk):
        junk[i] = True
    # a name and a credit over the story that the story gives as a place ("زونغولداق إرغلي - واج" over
    # "… في مدينة زونغولداق إرغلي …") is its dateline, not a picture's caption, as attribution reads it
    for k, i in enumerate(filled[:EDGE_LINES]):
        if junk.get(i) and placed_by_story(texts.get(i, ""), [texts.get(j, "") for j in filled[k + 1 : k + 1 + STORY_LINES]]):
            junk[i] = False
    # a story has one dateline, the one its text follows: a name and a credit over a first line that opens
    # with another wire's or another place's dateline ("غزة (أ ف ب)" over "القدس - قالت …") is a
    # picture's caption, as attribution reads it
    kept = [i for i in filled if not junk.get(i)]
    if len(kept) > 1 and kept[0] in filled[:EDGE_LINES] and caption_over_dateline(
            texts.get(kept[0], ""), [texts.get(j, "") for j in kept[1 : 1 + STORY_LINES]]):
        junk[kept[0]] = True
    # a one-word label ("عاجل", "فيديو", "بحث", "شارك") is furniture outside the story's lines (above
    # its first, below its last) or beside other furniture (a toolbar's row, a box's header over its
    # links); alone between two lines of the story it is the story's own subheading or one-word
    # line ("بحث" heading what was discussed, a quoted «عاجل»), and stays
    story = [i for i in filled if not junk.get(i) and i not in labels and norm(texts.get(i, "")) != norm_title
             and norm(texts.get(i, "")) not in caption_set]
    for i in [i for i in labels if story and story[0] < i < story[-1] and not _beside_furniture(i, filled, junk)]:
        junk[i] = False
    for i in range(len(lines)):
        line = texts.get(i, "")
        if not line or junk.get(i):
            continue
        n = norm(line)
        if n == norm_title or n in caption_set:
            continue
        if out and norm(out[-1]) == n:  # duplicated block (e.g. caption twice)
            continue
        out.append(line)
    if len(out) > 1 and closing_caption(out[-1], out[:-1]):
        out.pop()  # the caption of a picture printed under the story ("نتنياهو (أ ف ب)"), as attribution reads it
    for lead in reversed([x for x in leads if x]):
        n = norm(lead)
        if n in caption_set or n == norm_title or _opens_with(out, lead):
            continue
        out.insert(0, " ".join(lead.split()))
    return "\n".join(out)


def _reads_as_story(text: str) -> bool:
    return bool(_ENDS_AS_SENTENCE.search(text)) and reads_as_sentence(text)


def _unlabelled(line: str) -> str:
    """The line without BBC's caption label when a sentence of the story follows it (the caption was
    left empty and the label ran into the next paragraph), or a paragraph longer than any caption; or
    without a picture's label ("صورة أرشيفية") opening a clause of the story."""
    m = _CAPTION_LABEL.match(line)
    if not m:
        # "(صورة أرشيفية) أعلنت وزارة الداخلية …": the label of the picture above, then the story's paragraph
        # (its stop often left off); "صورة أرشيفية لمبنى الوزارة" is the caption
        pm = _PICTURE_LABEL.match(line)
        return line[pm.end():].strip() if pm and reads_as_sentence(line[pm.end():]) else line
    rest = line[m.end():].strip()
    return rest if rest and (len(rest) > LABELLED_CAPTION_CHARS or _reads_as_story(rest)) else line


def _labelled_line(line: str, i: int, filled: list[int], lines: list[str]) -> int | None:
    """The index of the line a caption label or a picture's source label standing alone on line `i`
    heads: the caption (not a sentence of the story, no longer than a caption) or the credit (a name)."""
    plain = strip_marks(line)
    source = bool(_SOURCE_LABEL.match(plain))
    if not source and not (_CAPTION_LABEL.match(plain) and not _CAPTION_LABEL.sub("", plain).strip(" ،,:")):
        return None
    k = bisect.bisect_right(filled, i)
    if k >= len(filled):
        return None
    nxt = lines[filled[k]].strip()
    if source:
        return filled[k] if len(nxt) <= CREDIT_CHARS and not _ENDS_AS_SENTENCE.search(nxt) else None
    return filled[k] if len(nxt) <= LABELLED_CAPTION_CHARS and not _reads_as_story(nxt) else None


# The tags label standing alone ("كلمات دالة", "الكلمات المفتاحية:", "الوسوم", "Tags"), its tags printed below it
_TAG_LABEL = regex.compile(r"^\s*(?:الوسوم|وسوم|الكلمات\s+(?:الدالة|المفتاحية|الدلالية)|كلمات\s+(?:مفتاحية|دالة|دلالية)|التسميات"
                           r"|كلمات\s+البحث|Tags|Keywords)\s*:?\s*$", regex.IGNORECASE)
TAG_CHARS = 60  # a tag: a name, a place, a topic
TAG_ROWS = 12  # tags beside their label at the end of the text, one to a line


def _tag_rows(filled: list[int], texts: dict[int, str], junk: dict[int, bool]) -> list[int]:
    """The tags a template prints one to a line under a tags label that stands alone at the text's end
    ("كلمات دالة" then "البحرين", "وزارة العمل"): every line from the label to the end is short and
    none ends as a sentence; or above such a label closing the text, two or more bare names. The label
    went as furniture; the tags beside it were the text's last lines."""
    tail = filled[-TAG_ROWS - 1:]
    for k, i in enumerate(tail):
        if _TAG_LABEL.match(strip_marks(texts.get(i, ""))):
            rows = tail[k + 1:]
            if rows and all(junk.get(j) or (len(texts.get(j, "")) <= TAG_CHARS
                                            and not _ENDS_AS_SENTENCE.search(texts.get(j, ""))) for j in rows):
                return rows
    if tail and _TAG_LABEL.match(strip_marks(texts.get(tail[-1], ""))):
        # the label printed last, its tags above it (MENAFN's copies as they are flattened): only bare
        # names, no figure and no mark (a list of the story's facts, "- الوفاة: 6", is not tags)
        rows: list[int] = []
        for j in reversed(tail[:-1]):
            if not _BARE_TAG.fullmatch(texts.get(j, "")):
                break
            rows.append(j)
        return rows if len(rows) >= 2 else []
    return []


_BARE_TAG = regex.compile(r"[\p{L}\p{M}]+(?:\s+[\p{L}\p{M}]+){0,5}")
# one word, perhaps quoted or with a colon or a stop: brackets, asterisks, bullets or bars mark a widget's
# label ("(أرشيفية)", "الاسم *", "| فيديو |"), never a line of the story
_LONE_WORD = regex.compile(r"[\s«»\"“”'‘’:：.!?؟…]*[\p{L}\p{M}]+[\s«»\"“”'‘’:：.!?؟…]*")


def _is_lone_label(line: str) -> bool:
    """A furniture line of one word and no mark of a widget ("عاجل", "فيديو", "بحث", "شارك", "التالي",
    "فيسبوك"): a story may print the same word as a subheading or a line of its own. An ad slot's label
    ("إعلان", "Advertisement") is not one: its place is between the story's paragraphs; nor is a tags
    label ("الوسوم", "Tags"), which heads the tags wherever the template prints them."""
    plain = strip_marks(line)
    return bool(_LONE_WORD.fullmatch(line)) and not _AD_LINE.match(plain) and not _TAG_LABEL.match(plain)


def _beside_furniture(i: int, filled: list[int], junk: dict[int, bool]) -> bool:
    """Whether the filled line before or after line `i` is furniture: of its own words, or another
    one-word label (a row of them is a toolbar, not the story)."""
    k = bisect.bisect_left(filled, i)  # `filled` is sorted: no scan of the text per label
    near = [filled[k - 1]] if k else []
    near += [filled[k + 1]] if k + 1 < len(filled) else []
    return any(junk.get(j) for j in near)


def _opens_with(lines: list[str], lead: str) -> bool:
    """The body's opening already holds the lead's words in order, however its lines cut them (a
    key-points list printed both as the header summary and as the body's first bullets)."""
    want = " ".join(regex.findall(r"\w+", norm(lead)))
    if not want:
        return True
    seen: list[str] = []
    size = 0
    for line in lines:
        seen.append(" ".join(regex.findall(r"\w+", norm(line))))
        size += len(seen[-1]) + 1
        if len(seen) >= 3 and size >= 2 * len(want) + 200:
            break
    return want in " ".join(seen)


# --- captions and leads, found by their place in the page --------------------------------------

_CAPTION_TOKENS = {"caption", "figcaption", "credit", "credits", "photocredit", "imgcaption", "legend",
                   "wp-caption-text"}  # fmt: skip
_LEAD_TOKENS = {"lead", "standfirst", "excerpt", "intro", "dek", "abstract", "sapo", "chapo", "strapline",
                "subtitle", "subheadline", "summary", "description", "brief", "lede", "teaser"}  # fmt: skip
_IMG_TAGS = ("img", "picture", "video", "iframe", "svg", "amp-img", "amp-anim", "amp-video", "amp-iframe", "amp-youtube")
_SENTENCE_END = regex.compile(r"\w[.!?؟…]['\"”’»)]*\s*$")  # ends as a sentence of running text does
LEAD_WINDOW = 80  # elements after the headline in which a standfirst may sit (before the body starts)


def _has_image(el: etree._Element) -> bool:
    return el.tag in _IMG_TAGS or any(True for _ in el.iter(*_IMG_TAGS))


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


_TEXT_BLOCK_TAGS = ("p", "ul", "ol", "table", "blockquote")


def _holds_blocks(el: etree._Element) -> bool:
    """A block of the text (paragraphs, lists, tables, quotes) beside an image is the story's text
    block (`<div class="bodytext"><p>…</p></div><div class="gallery"><img>`), not a caption."""
    return any(True for _ in el.iter(*_TEXT_BLOCK_TAGS))


def caption_texts(root: etree._Element) -> list[str]:
    """Photo captions and credits recognised by position, not by their wording or length:
    <figcaption>, blocks whose class names a caption/credit, and text that shares a small wrapper
    with an image and nothing else (`<div><img><span>caption</span></div>`). Not a caption: the
    running text of a paragraph that holds an inline image (`<p><img>One sentence.</p>`, prose
    or a sentence ending as running text does)."""
    out: list[str] = []
    # elements holding an image (the images and all their ancestors), found once instead of
    # searching every child's subtree: the set also keeps their proxies alive, so `in` is exact
    holding = {a for img in root.iter(*_IMG_TAGS) for a in (img, *img.iterancestors())}

    def _has_image(el: etree._Element) -> bool:
        return el in holding

    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "html", "body"):
            continue
        toks = attr_token_set(el)
        if el.tag == "figcaption" or toks & _CAPTION_TOKENS:
            if (t := _text(el)) and len(t) < 400:
                out.append(t)
            continue
        # (a wrapper holds an image in one of its children exactly when it is in `holding` itself)
        if el.tag in _IMG_TAGS or len(el) == 0 or el not in holding:
            continue
        # a wrapper holding an image: its remaining text, when it is not running prose, is the caption
        texts = [c for c in el if isinstance(c.tag, str) and not _has_image(c) and _text(c)]
        loose = (el.text or "").strip() + "".join((c.tail or "").strip() for c in el)
        if el.tag == "p" and loose and (len(loose) >= 200 or _SENTENCE_END.search(loose)):
            continue  # a paragraph with an inline image (<p><img>One sentence of the story.</p>)
        if len(texts) == 1 and not loose and texts[0].tag not in _TEXT_BLOCK_TAGS and not _holds_blocks(texts[0]) \
                or (len(texts) == 1 and texts[0].tag == "p" and el.tag in ("figure", "picture", "a")):
            out.append(_text(texts[0]))
        elif not texts and loose and el.tag in ("p", "div", "span", "a", "figure", "center"):
            out.append(" ".join(loose.split()))
    out += _captions_under_images(root, holding)
    out += _gallery_captions(root, holding)
    return [t for t in out if t]


_GALLERY_TOKENS = {"gallery", "carousel", "slider", "slideshow", "swiper", "slick", "lightbox"}
GALLERY_TEXT_CHARS = 800


def _gallery_captions(root: etree._Element, holding: set) -> list[str]:
    """A gallery (`<amp-carousel>`, a block whose class says gallery/carousel/slider) is pictures
    and their captions: each text block in it beside a picture that does not end as a sentence is
    a caption, `<p>` included (a slide is `<div><img><p>caption</p></div>`). Only a block of
    pictures and little text: a wrapper named "slider" that holds the story is not one, and a
    listicle's items (a picture and a sentence or two each, in "slide" blocks) stay."""
    out: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el not in holding:
            continue
        if el.tag != "amp-carousel" and not (attr_token_set(el) & _GALLERY_TOKENS):
            continue
        if len(_text(el)) > GALLERY_TEXT_CHARS or el.tag in ("html", "body"):
            continue
        for block in el.iter("p", "span", "div", "figcaption"):
            if block in holding or not (t := _text(block)) or len(t) > 300 or _ENDS_AS_SENTENCE.search(t):
                continue  # a sentence beside a picture: a listicle's item, kept
            if block.getparent() is not None and block.getparent() in holding:
                out.append(t)
    return out


_CENTERED = regex.compile(r"text-align\s*:\s*center", regex.I)
_ENDS_AS_SENTENCE = regex.compile(r"[.!?؟…。]['\"”’»)]*\s*$")
CAPTION_CHARS = 200


def _centred(el: etree._Element) -> bool:
    return bool(_CENTERED.search(el.get("style") or "")) or (el.get("align") or "").lower() == "center"


def _captions_under_images(root: etree._Element, holding: set) -> list[str]:
    """The caption the classic editors write as the paragraph after an image's own paragraph
    (`<p><img></p><p style="text-align:center">caption</p>`, or the caption in <em>): a short
    paragraph that does not end as a sentence, right after a block holding an image and no text,
    set apart from the story's paragraphs — in italics, or centred where the next paragraph is
    not (a story whose every paragraph is centred sets nothing apart)."""
    out: list[str] = []
    for el in root.iter("p", "div"):
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is None or prev not in holding or _text(prev):
            continue
        text = _text(el)
        if not text or len(text) > CAPTION_CHARS or _ENDS_AS_SENTENCE.search(text) or el in holding:
            continue
        kids = [c for c in el if isinstance(c.tag, str)]
        italic = (len(kids) == 1 and kids[0].tag in ("em", "i", "small") and not (el.text or "").strip()
                  and not (kids[0].tail or "").strip())
        if not italic:
            nxt = el.getnext()
            while nxt is not None and (not isinstance(nxt.tag, str) or not _text(nxt)):
                nxt = nxt.getnext()
            if not _centred(el) or nxt is None or _centred(nxt):
                continue
        out.append(text)
    return out


_UNSEEN_TAGS = ("script", "style", "noscript", "template")
PROSE_RUN = 80  # a text run this long is a paragraph of the story, not a label, byline or date line


def _shown_text(el: etree._Element) -> str:
    """An element's text as a reader sees it: without the code of its <script>/<style> children
    (a "lead" block that only hosts a video player script has no text at all)."""
    hidden = {x for s in el.iter(*_UNSEEN_TAGS) for x in s.iter()}
    if not hidden:
        return _text(el)
    parts: list[str] = []
    for x in el.iter():
        if x in hidden or not isinstance(x.tag, str):
            if x.tail and x.getparent() not in hidden and x is not el:
                parts.append(x.tail)
            continue
        parts.append(x.text or "")
        if x is not el and x.tail and x.getparent() not in hidden:
            parts.append(x.tail)
    return " ".join("".join(parts).split())


_BYLINE_TOKENS = {"byline", "author", "authors", "date", "dateline", "timestamp", "published"}
BYLINE_CHARS = 150


def _header_markers(root: etree._Element, head: etree._Element) -> set[etree._Element]:
    """The headline and the header's metadata: <time>, author/date (itemprop or class) blocks."""
    marks = {head}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _UNSEEN_TAGS:
            continue
        prop = (el.get("itemprop") or "").lower()
        if el.tag == "time" or prop in ("author", "datepublished") or attr_token_set(el) & _BYLINE_TOKENS:
            if len(_shown_text(el)) <= BYLINE_CHARS:  # a byline/date line, not a block holding the story
                marks.add(el)
    return marks


def _in_header_block(el: etree._Element, head: etree._Element, root: etree._Element) -> bool:
    """`el` sits in the article's header: the nearest block around it that also holds the headline
    or the byline/date holds no paragraph of the story (outside `el`, that header's own parts,
    scripts and figures). Such a text is a dek, a subtitle of the page, not the story's opening
    paragraph. A standfirst printed between the header and the body (Sputnik's
    `b-article__lead`, a `standfirst` beside the body in the article) shares its block with the
    story's paragraphs."""
    marks = _header_markers(root, head)
    holding = {a for m in marks for a in (m, *m.iterancestors())}
    block = next((a for a in el.iterancestors() if a in holding), None)
    if block is None:
        return False
    skip = set(el.iter())
    for m in marks:
        if m is not block and block in set(m.iterancestors()):
            skip.update(m.iter())
    for x in block.iter(*_UNSEEN_TAGS, "figure", "figcaption"):
        skip.update(x.iter())
    for x in block.iter():
        if x in skip or not isinstance(x.tag, str):
            continue
        for run in (x.text, *(c.tail for c in x)):
            if run and len(run.strip()) >= PROSE_RUN:
                return False
    return True


def opens_with_dateline(text: str) -> bool:
    """The text opens with a dateline ("الرياض (واس) -", "القاهرة - «الساحل»:"): a story's first
    paragraph, wherever the template prints it."""
    return dateline(text[:300])[1] is not None


def lead_texts(root: etree._Element, title: str | None) -> list[str]:
    """The standfirst: a block right after the headline whose class (or itemprop) says lead /
    standfirst / summary / description, printed between the page's header and the body — the
    article's opening, which trafilatura drops with the header. Not a lead: a dek in the
    article's header block, beside the headline or the byline/date (`_in_header_block`; news
    benchmarks and schema.org's articleBody leave subtitles out of the body) — unless it opens
    with a dateline ("الرياض (واس) -"): a dateline opens the story itself, never a dek —
    and a "lead" block that holds the lead image or only scripts (lead media)."""
    heads = [h for h in root.iter("h1") if _text(h)]
    if title:
        t = norm(title)
        heads = [h for h in heads if norm(_text(h)) in t or t in norm(_text(h))] or heads
    if not heads:
        return []
    head, out, seen, started = heads[0], [], 0, False
    for el in root.iter():
        if el is head:
            started = True
            continue
        if not started or not isinstance(el.tag, str):
            continue
        seen += 1
        if seen > LEAD_WINDOW or el.tag == "p" and len(_text(el)) > 150 and not attr_token_set(el) & _LEAD_TOKENS:
            break  # the body has started
        prop = (el.get("itemprop") or "").lower()
        if not (attr_token_set(el) & _LEAD_TOKENS or prop in ("description", "abstract")):
            continue
        if any(True for _ in el.iter(*_IMG_TAGS, "figure")):
            continue  # lead media: the lead image and its caption
        text = _shown_text(el)
        # a lead block may wrap its paragraph (<div class="lead"><p>…</p></div>): one or two short
        # paragraphs are still the standfirst; more is the body itself
        paras = len(el.findall(".//p"))
        if len(text) >= 40 and _link_text_len(el) < 0.5 * len(text) and (paras == 0 or el.tag == "p"
                                                                             or paras <= 2 and len(text) <= 600):
            if not _in_header_block(el, head, root) or opens_with_dateline(text):
                out.append(text)
            break
    return out
