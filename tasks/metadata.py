"""Page metadata: JSON-LD, <meta> tags, the headline, section/categories, canonical URL; the story
text a client-rendered page carries in its app state (`app_state_text`: Next.js, Nuxt 3, Arc XP,
`window.__INITIAL_STATE__`).

Works on lxml trees handed over by tasks.extract; dates live in tasks.dates.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import regex

from tasks.attribution import identify, names_a_place
from tasks.cleanup import attr_token_set, attr_tokens, byline_name, norm, text_len
from tasks.urls import outlet_key, unicode_host
from warehouse.arabic import normalize_key

if TYPE_CHECKING:
    from lxml import etree

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
        while stack:  # in document order: a list's first object comes first
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                # the article can sit in a WebPage's mainEntity ({"@type": "WebPage", "mainEntity": {NewsArticle}})
                stack.extend(item[k] for k in ("mainEntity", "@graph") if isinstance(item.get(k), dict | list))


def _ld_kinds(obj: dict) -> set[str]:
    types = obj.get("@type")
    types = [types] if isinstance(types, str) else (types if isinstance(types, list) else [])
    return {str(t).lower() for t in types}


def json_ld_article(root: etree._Element) -> dict:
    """The page's JSON-LD article: the first object of an article type in document order (NewsArticle
    beats WebPage); when the page carries several (the next story pre-loaded, a "read also" block
    with its own NewsArticle), the one whose headline is the page's <h1> / og:title, else the one whose
    url / mainEntityOfPage is the page's canonical or og:url. A fact check's ClaimReview stands in for
    the article when the page has no article object."""
    articles: list[dict] = []
    fallback: dict = {}
    for obj in _json_ld_objects(root):
        kinds = _ld_kinds(obj)
        if kinds & (_ARTICLE_TYPES - {"webpage"}):
            articles.append(obj)
        elif "claimreview" in kinds and not (fallback and "claimreview" in _ld_kinds(fallback)):
            fallback = obj
        elif "webpage" in kinds and not fallback:
            fallback = obj
    if len(articles) > 1:
        heads = [norm(h) for h in headline_elements(root)[:3]]
        og = root.xpath("string(//meta[@property='og:title']/@content)")
        heads += [norm(og)] if og else []
        for obj in articles:
            name = obj.get("headline") or obj.get("name")
            if isinstance(name, str) and (key := norm(name)) and any(key == h or (len(key) > 20 and key in h)
                                                                     for h in heads if h):
                return obj
        pages = {_url_key(u) for u in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")}
        pages.discard("")
        for obj in articles if pages else []:
            entity = obj.get("mainEntityOfPage")
            entity = entity.get("@id") or entity.get("url") if isinstance(entity, dict) else entity
            if any(isinstance(u, str) and _url_key(u) in pages for u in (obj.get("url"), entity, obj.get("@id"))):
                return obj
    return articles[0] if articles else fallback


def _url_key(url: str) -> str:
    """A URL compared loosely: no scheme, no www., no trailing slash or fragment, lower case."""
    key = str(url).strip().lower().split("#")[0]
    key = key.split("://", 1)[-1]
    return key.removeprefix("www.").rstrip("/")


_LD_BREAK = regex.compile(r"<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote)\s*/?>", regex.I)
_LD_TAG = regex.compile(r"<[^<>]{0,2000}>")


def ld_body_text(ld: dict) -> str:
    """The article text a page's JSON-LD carries (`articleBody`), one paragraph per line: the
    whole story on pages whose HTML is a shell their scripts fill in. Markup some CMSs leave in
    it becomes line breaks and text; entities are decoded."""
    body = ld.get("articleBody") if isinstance(ld, dict) else None
    if isinstance(body, list):
        body = "\n".join(b for b in body if isinstance(b, str))
    if not isinstance(body, str) or not body.strip():
        return ""
    if "<" in body:
        body = _LD_TAG.sub(" ", _LD_BREAK.sub("\n", body))
    body = html.unescape(body)
    lines = (regex.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in body.splitlines())
    return "\n".join(ln for ln in lines if ln)


# Client-rendered pages (Next.js, Nuxt, Arc XP's Fusion, Vue/React apps) ship the story as the app's
# state in a script and print nothing of it in the HTML: `<script id="__NEXT_DATA__"
# type="application/json">`, Nuxt 3's `__NUXT_DATA__`, `window.__INITIAL_STATE__ = {…}`,
# `Fusion.globalContent = {…}`. Nuxt 2's `window.__NUXT__=(function(a,b){…}(…))` is code, not data,
# and is not read.
_STATE_ASSIGN = regex.compile(r"(?:window\.|self\.)?(?:__[A-Z][A-Z_]*__|Fusion\.globalContent|__[a-z]\w*State__)\s*=\s*"
                              r"(?=[{\[])")
_STATE_SCRIPT_CHARS = 8_000_000  # parse no more of one page's scripts than this
_BODY_TYPES = {"text", "paragraph", "p", "html", "raw_html", "quote", "blockquote", "header", "heading", "list",
               "block"}  # "block": Sanity's portable text; Strapi's and Contentful's rich text nest "children"
MIN_STATE_PARAS = 2  # a teaser or a description is one paragraph; a story printed from the state is more


def _state_blobs(root: etree._Element) -> Iterator[object]:
    seen = 0
    for script in root.iter("script"):
        code = script.text or ""
        seen += len(code)
        if not code.strip() or seen > _STATE_SCRIPT_CHARS:
            continue
        kind = (script.get("type") or "").lower()
        if kind == "application/json" and (script.get("id") or "").startswith("__N"):
            try:
                data = json.loads(code)
            except ValueError:
                continue
            yield _devalue(data) if (script.get("id") == "__NUXT_DATA__" and isinstance(data, list)) else data
        elif kind in ("", "text/javascript", "application/javascript", "module"):
            for m in _STATE_ASSIGN.finditer(code):
                try:
                    yield json.JSONDecoder().raw_decode(code, m.end())[0]
                except ValueError:
                    continue


def is_app_shell(root: etree._Element) -> bool:
    """The page carries an app state (see `_state_blobs`): its HTML is filled in by its scripts."""
    for script in root.iter("script"):
        if (script.get("id") or "").startswith(("__NEXT_DATA__", "__NUXT")) or (
                script.text and _STATE_ASSIGN.search(script.text[:200_000])):
            return True
    return False


def _devalue(arr: list) -> object:
    """Nuxt 3's payload is a flat array whose objects point at their values by index: the story's
    title and body are strings of the array, named by the object that points at them."""
    out = []
    for item in arr:
        if isinstance(item, dict):
            item = {k: (arr[v] if isinstance(v, int) and 0 <= v < len(arr) and isinstance(arr[v], str) else v)
                    for k, v in item.items()}
        out.append(item)
    return out


def _state_paragraphs(value: object) -> list[str]:
    """A body field's paragraphs: an HTML or plain-text string, or a list of content elements
    (Arc XP's `content_elements`: `{"type": "text", "content": "<p>…"}`; rich-text blocks whose
    `children` hold the spans: `{"_type": "block", "children": [{"text": "…"}]}`)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        parts = []
        for x in value:  # typed elements only: a list of related stories is a list of objects too
            kind = str(x.get("type") or x.get("_type") or "").lower()
            body = x.get("content") or x.get("text") or x.get("html")
            if body is None and isinstance(x.get("children"), list):  # rich text: the block's spans
                body = "".join(c.get("text") or "" for c in x["children"] if isinstance(c, dict)) or None
            if kind in _BODY_TYPES and isinstance(body, str) and not any(k in x for k in ("headline", "title")):
                parts.append(body + "\n")
        text = "".join(parts)
    else:
        return []
    if "<" in text:
        text = _LD_TAG.sub(" ", _LD_BREAK.sub("\n", text))
    text = html.unescape(text)
    lines = (regex.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.splitlines())
    return [ln for ln in lines if ln]


def app_state_text(root: etree._Element, title: str | None) -> str:
    """The story's text from the app state a client-rendered page ships in its scripts, one paragraph
    per line, or "". Only from the object that carries the page's own headline (a related story's
    object carries another), only a field of several paragraphs (a summary or description is one),
    and the longest such field of that object (a teaser beside the body is shorter)."""
    want = norm(title) if title else ""
    if len(want) < 10:
        return ""
    best: list[str] = []
    for blob in _state_blobs(root):
        stack: list[tuple[object, dict | None]] = [(blob, None)]
        while stack:
            item, parent = stack.pop()
            if isinstance(item, list):
                stack.extend((x, parent) for x in item)
                continue
            if not isinstance(item, dict):
                continue
            stack.extend((v, item) for v in item.values() if isinstance(v, dict | list))
            if not any(isinstance(v, str) and len(v) < 400 and _is_headline(norm(v), want) for v in item.values()):
                continue
            # the headline may sit in a holder of its own (Arc XP's `"headlines": {"basic": …}`): the
            # story is then the object holding that holder
            owners = [item] + ([parent] if parent is not None and all(isinstance(v, str | None) for v in item.values())
                               else [])
            for owner in owners:
                for value in _own_fields(owner):
                    paras = _state_paragraphs(value)
                    if (len(paras) >= MIN_STATE_PARAS and sum(map(len, paras)) > sum(map(len, best))
                            and _reads_as_prose("".join(paras))):
                        best = paras
    return "\n".join(best)


_CODE_CHARS = regex.compile(r"[{};<>=]")


def _reads_as_prose(text: str) -> bool:
    """Letters, not code: a stylesheet or a JSON string the state carries beside the headline
    (seen on Wired's and CBC's pages) is no story."""
    chars = regex.sub(r"\s", "", text)
    letters = len(regex.findall(r"\p{L}", chars))
    return bool(chars) and letters >= 0.6 * len(chars) and len(_CODE_CHARS.findall(chars)) < 0.01 * len(chars)


def _is_headline(value: str, want: str) -> bool:
    return value == want or (len(value) >= 20 and (value in want or want in value))


def _own_fields(item: dict) -> Iterator[object]:
    """The object's fields and those of its nested parts that carry no headline of their own (the
    body often sits one level down: `{"body": {"html": …}}`, `{"content": {"elements": [...]}}`)."""
    stack: list[dict] = [item]
    seen = 0
    while stack and seen < 200:  # a bound on what one object's parts can cost
        seen += 1
        for v in stack.pop().values():
            if isinstance(v, str) or (isinstance(v, list) and v and all(isinstance(x, dict) for x in v)):
                yield v
            elif isinstance(v, dict) and not any(k in v for k in ("title", "headline", "name")):
                stack.append(v)


def meta_tags(root: etree._Element) -> dict[str, str]:
    """<meta> tags by lower-cased property/name/itemprop (first value wins)."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def ld_name(value: object) -> str | None:
    """Name(s) from a JSON-LD author/publisher value (str, dict or list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def ld_image(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ld_image(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return ld_image(value[0])
    return None


def clean_ws(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(unicodedata.normalize("NFC", s).split())
    return s or None


def headline_elements(root: etree._Element) -> list[str]:
    """Visible candidate headline texts: h1s, then elements whose class names a title."""
    out = [clean_ws("".join(h.itertext())) for h in root.iter("h1")]
    for el in root.iter("span", "div", "h2", "td", "p"):
        if {"title", "headline", "newstitle"} & attr_token_set(el) and text_len(el) < 300:
            out.append(clean_ws("".join(el.itertext())))
    return [t for t in out if t]


def _strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """Remove an outlet prefix/suffix ("Headline - Site", "Site | Headline")."""
    names = {norm(n) for n in site_names if n}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _TITLE_SEPARATORS.findall(title)
    if norm(parts[-1]) in names or any(norm(parts[-1]) in n or n in norm(parts[-1]) for n in names if n):
        return title[: len(title) - len(parts[-1]) - len(seps[-1])].strip()
    if norm(parts[0]) in names or any(norm(parts[0]) in n or n in norm(parts[0]) for n in names if n):
        return title[len(parts[0]) + len(seps[0]) :].strip()
    return title


def pick_title(
    root: etree._Element, meta: dict[str, str], ld: dict, feed_title: str | None, site_name: str | None
) -> str | None:
    """The page's own headline.

    Prefer a visible headline element that agrees with og:title / JSON-LD / <title> (so a logo
    in an <h1> does not win); else the structured titles with the outlet name removed.
    """
    title_tag = clean_ws(root.findtext(".//title"))
    sites = [site_name or "", meta.get("og:site_name", ""), ld_name(ld.get("publisher")) or ""]
    structured = [
        clean_ws(x)
        for x in (meta.get("og:title"), ld.get("headline"), meta.get("twitter:title"), title_tag, feed_title)
        if isinstance(x, str)
    ]
    structured = [s for s in structured if s]
    visible = headline_elements(root)
    refs = {norm(s) for s in structured}
    refs |= {norm(_strip_site_name(s, sites)) for s in structured}
    if title_tag:  # without a known site name, every part split off <title> is a candidate
        for part in _title_variants(title_tag):
            refs.add(norm(part))
    full = {norm(s) for s in structured} | {norm(_strip_site_name(s, sites)) for s in structured}
    for cand in visible:
        if norm(cand) in full:
            return cand
    # a part of <title> split off without knowing which part is the outlet's name: the headline is
    # the longer part (K2's `itemTitle` h2 and the logo's `site-title` both match one part)
    parts = [cand for cand in visible if norm(cand) in refs]
    if parts:
        return max(parts, key=len)
    for cand in visible:  # headline contained in <title> (site name unknown)
        if title_tag and len(cand) >= 15 and norm(cand) in norm(title_tag):
            return cand
    # The page's own <h1> reworded for search/social ("Name: headline" in og:title): the visible
    # headline wins when it shares most of its words with a structured title.
    for cand in [clean_ws("".join(h.itertext())) for h in root.iter("h1")]:
        if cand and len(cand) >= 15 and any(_word_overlap(cand, s) >= 0.7 for s in structured):
            return cand
    for s in structured:
        stripped = _strip_site_name(s, sites)
        if stripped:
            return stripped
    h1s = [clean_ws("".join(h.itertext())) for h in root.iter("h1")]
    return next((h for h in h1s if h), None)


def _word_overlap(a: str, b: str) -> float:
    """Share of the shorter text's words found in the other (matching keys)."""
    wa, wb = set(norm(a).split()), set(norm(b).split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _title_variants(title: str) -> list[str]:
    parts = _TITLE_SEPARATORS.split(title)
    seps = _TITLE_SEPARATORS.findall(title)
    if len(parts) < 2:
        return [title]
    head = title[: len(title) - len(parts[-1]) - len(seps[-1])].strip()
    tail = title[len(parts[0]) + len(seps[0]) :].strip()
    return [title, head, tail]



def canonical_url(root: etree._Element, url: str) -> str | None:
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href"):
            href = link.get("href").strip()
            try:  # a page's href can be any string: "http://[oops/1" makes urllib raise ValueError
                absolute = urljoin(url, href) if url else href
                if urlsplit(absolute).scheme in ("http", "https"):
                    return absolute
            except ValueError:
                continue
    return None


# A tag list as outlets write it in one attribute: one `article:tag` per tag, or all of them in one
# (akhbarelyom.com: content="النمر,مدرسة البنات,نعيمة عاكف"), with a Latin or an Arabic comma or a
# semicolon between ("غزة، الضفة الغربية", "غزة؛ القدس").
_TAG_SEP = regex.compile(r"\s*[,،;؛]\s*")


def _tag_list(value: str) -> list[str]:
    return [clean_ws(t) for t in _TAG_SEP.split(value) if t.strip()]


# The flags a CMS files a post under beside its section, which themes print as article:section or
# articleSection when the post has no other: WordPress' "featured"/"slider" categories and its default
# "Uncategorized" ("غير مصنف"), the home page's box ("الرئيسية", "مميز"). No section.
_CMS_SECTION = regex.compile(r"^\s*(?:featured|feature|uncategori[sz]ed|slider|sticky|home|homepage|front[\s-]?page|"
                             r"غير\s+مصن[فّ]+|الرئيسي[ةه]|مميز[ةه]?|المميز[ةه]?)\s*$", regex.I)


def section_and_categories(meta: dict[str, str], ld: dict, root: etree._Element) -> tuple[str | None, list[str]]:
    sec_ld = ld.get("articleSection")
    sec_ld = [sec_ld] if isinstance(sec_ld, str) else (sec_ld if isinstance(sec_ld, list) else [])
    candidates = [meta.get("article:section"), *(s for s in sec_ld if isinstance(s, str))]
    section = next((c for c in candidates if c and c.strip() and not _CMS_SECTION.match(c)), None)
    cats: list[str] = []
    for m in root.iter("meta"):
        if (m.get("property") or "").lower() == "article:tag" and m.get("content"):
            cats.extend(_tag_list(m.get("content")))
    kw = ld.get("keywords")
    if isinstance(kw, str):
        kw = [kw]
    if isinstance(kw, list):
        cats.extend(k for item in kw for k in _tag_list(str(item)))
    if not cats and meta.get("news_keywords"):
        cats.extend(_tag_list(meta["news_keywords"]))
    seen: dict[str, None] = {}
    for c in cats:
        if c and c not in seen:
            seen[c] = None
    return clean_ws(section) if isinstance(section, str) else None, list(seen)


_BYLINE_PREFIX = regex.compile(r"^\s*(?:(?:بقلم|كتب(?:ت)?|تأليف|إعداد|اعداد|By|Par)\s*[:：]?\s*)?(?:بواسطة\s*[:：]?\s*)?",
                               regex.I)  # "كتب بواسطة أحمد" (Joomla K2's itemAuthor)
_AUTHOR_TOKENS = {"author", "byline", "writer", "authors", "username"}  # username: Drupal's user link


def _is_drupal_author_field(tokens: tuple[str, ...]) -> bool:
    """Drupal's node author field (`field--name-uid`): the byline every Drupal 8+ theme prints,
    as RDFa only while the rdf module is on (gone from core in Drupal 11)."""
    return "uid" in tokens and "field" in tokens


# The accounts a CMS installs and names as the author of whatever its admin posts: Joomla's
# "Super User", WordPress' "admin", "Administrator", "webmaster". Not a byline.
_CMS_ACCOUNTS = regex.compile(r"^\s*(?:super\s*user|admin|administrator|webmaster|editor|root|user|"
                              r"(?:مدير|محرر|مشرف|[إا]دارة)\s+(?:ال)?موقع|المدير|المحرر|محرر|ادمن|أدمن)\s*$", regex.I)


def is_outlet_name(name: str, outlet_names: Iterable[str | None]) -> bool:
    """An author that is the outlet itself: JSON-LD `"author": {"@type": "Organization", "name":
    "<the site>"}` or meta author = the site's name, as many CMSs fill it on every page. That is
    no byline (the gold of a page showing none is null); compared on the matching key (hamza forms,
    ta marbuta, punctuation folded)."""
    key = normalize_key(name).strip()
    return bool(key) and any(key == normalize_key(part).strip() for n in outlet_names if n for part in _outlet_forms(n))


def host_names(host: str | None) -> list[str]:
    """The site's names its host gives: "akhbarelyom.com" and "akhbarelyom" (a CMS fills meta author with
    the site's account, named after the domain: akhbarelyom.com's pages say author="akhbarelyom"). The
    name is the label before the public suffix: "cnn" of arabic.cnn.com, "alquds" of www.alquds.co.uk.
    The host is the outlet's however it is written (tasks.urls.outlet_key: case, trailing dot, port,
    www./m./amp. aside), in Unicode (an IDN outlet's name is Arabic, its URL punycode: "موقع" of
    xn--4gbrim.xn--wgbh1c); an IP address gives no name."""
    host = unicode_host(outlet_key(host))
    if not host:
        return []
    labels = host.split(".")
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return [host]
    name = labels[-3] if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else labels[-2]
    return list(dict.fromkeys([host, name]))


_SECOND_LEVEL = {"com", "co", "net", "org", "gov", "edu", "ac", "info", "news", "gob", "ltd"}


def names_the_site(name: str, outlet_names: Iterable[str | None], host: str | None) -> bool:
    """An author that names the site another way than its printed name: its domain's name, as the site's
    CMS account is called (akhbarelyom.com: author="akhbarelyom"), or its name without the country or
    edition word after it (lbcgroup.tv, publisher "LBCI Lebanon": author="LBCI"; "الجزيرة" of
    "الجزيرة نت", "سكاي نيوز" of "سكاي نيوز عربية"), compared on the matching key."""
    key = normalize_key(name).strip()
    if not key:
        return False
    if any(key == normalize_key(h) for h in host_names(host)):
        return True
    words = key.split()
    for n in outlet_names:
        for form in _outlet_forms(n) if n else ():
            whole = normalize_key(form).split()
            if len(whole) > len(words) and whole[: len(words)] == words:
                return True
    return False


# A dateline as outlets print it in the author field, bracketed or not: "(أبوظبي - البيان)", "دبي - وام",
# "القاهرة / أ ش أ", "الرياض – واس": a place and the outlet or an agency, no writer.
_CREDIT_BRACKETS = regex.compile(r"^[\s(\[«\"']+|[\s)\]»\"'.:]+$")
_CREDIT_MARK = regex.compile(r"\s*[-–—/|:]\s*")


def is_dateline_credit(name: str, outlet_names: Iterable[str | None]) -> bool:
    """An author that is a dateline credit, a place and who tells the story ("(أبوظبي - البيان)",
    "دبي - وام"): each of its parts a place (tasks.attribution.names_a_place), the outlet's name or a
    news agency's. Such a credit names no writer; "حسام أبو العلا - القاهرة" (a writer and his place)
    stays a byline."""
    parts = [p for p in _CREDIT_MARK.split(_CREDIT_BRACKETS.sub("", name)) if p.strip()]
    if len(parts) < 2 or len(parts) > 3 or any(len(p.split()) > 4 for p in parts):
        return False
    places = [p for p in parts if names_a_place(p)]
    if not places or len(places) == len(parts):
        return False
    return all(p in places or is_outlet_name(p, outlet_names) or identify(p) is not None for p in parts)


# A site's name as it prints it, with its other script's name or its slogan after a mark ("مصراوي - Masrawy",
# "الوطن | El Watan") or its kind before it ("بوابة الأهرام", "موقع مصراوي", "صحيفة سبق"): each part is the
# outlet's name too ("كتب- مصراوي:" is the outlet signing, not a writer).
_OUTLET_MARK = regex.compile(r"\s+[-–—|:|•·]\s+|\s*[|•·]\s*")
_OUTLET_KIND = regex.compile(r"^(?:موقع|بوابة|بوابه|صحيفة|صحيفه|جريدة|جريده|شبكة|شبكه|قناة|قناه|مجلة|مجله|وكالة|وكاله)\s+(?=\S)")


def _outlet_forms(name: str) -> list[str]:
    parts = [p.strip() for p in _OUTLET_MARK.split(name) if p.strip()]
    return [name, *parts, *(_OUTLET_KIND.sub("", p) for p in parts)]


def is_cms_account(name: str) -> bool:
    """A CMS's default account name given as the author (meta name=author "Super User"; the
    site's account a Drupal or WordPress page prints as its byline: "محرر الموقع", "إدارة الموقع")."""
    return bool(_CMS_ACCOUNTS.match(name))


BYLINE_WINDOW = 30  # elements after the headline in which a plain byline line ("بقلم: …") sits


# Inside an author box, beside the name: the follow button, the writer's handle and e-mail, role
# ("مراسل الجزيرة نت"), bio, photo, article count, date, "more by" link. Class words, or the tag.
_AUTHOR_FURNITURE = {"follow", "social", "share", "twitter", "facebook", "instagram", "linkedin", "email",
                     "mail", "role", "job", "position", "jobtitle", "bio", "biography", "desc", "description",
                     "count", "date", "time", "avatar", "img", "image", "photo", "pic", "btn", "button", "icon",
                     "more", "all", "posts", "articles", "label", "separator", "sep", "publication",
                     "affiliation"}  # fmt: skip
_BLOCK_TAGS = {"div", "p", "br", "li", "ul", "ol", "section", "header", "footer", "h2", "h3", "h4", "h5", "h6",
               "table", "tr", "td", "dd", "dt", "dl"}
_AUTHOR_FURNITURE_TAGS = {"button", "img", "svg", "time", "script", "style", "noscript", "figure", "iframe"}
# A link to the writer's page names the writer, whatever surrounds it.
_AUTHOR_PAGE = regex.compile(r"/(?:authors?|writers?|columnists?|kottab|kuttab|kotab|katib|profile|staff|people)"
                             r"(?:/|-|\.|$)", regex.I)
# A label before the name ("الكاتب: …", "تحرير: …") and what trails it (a follow prompt, a handle,
# an e-mail, a link to the writer's other articles).
_AUTHOR_LABEL = regex.compile(r"^\s*(?:الكاتب(?:ة)?|المؤلف(?:ة)?|المحرر(?:ة)?|تحرير|كتابة|(?:Written\s+)?by|Author|"
                              r"Autor|Auteur|Par|Von|Por)\s*[:：\-–]\s*|^\s*(?:Written\s+by|By|Par|Von|Por)\s+", regex.I)
_AUTHOR_TAIL = regex.compile(
    r"(?:\s*[-–|،,]?\s*(?:تابع(?:وا|ونا|ني)?|متابعة|Follow|Folgen|Suivre|Seguir|@\w+|[\w.+-]+@[\w-]+\.[\w.]+|https?://\S+"
    r"|(?:كل|جميع|المزيد\s+من)?\s*(?:مقالات|كتابات|أخبار|اخبار)\s+(?:الكاتب(?:ة)?|المحرر(?:ة)?)))+\s*$", regex.I)


def author_text(el: etree._Element) -> str:
    """The writer's name an author element holds: its name part (itemprop=name, a child whose class
    says name, a link to the writer's page) when it has one, without the furniture author boxes put
    beside the name (follow button, handle, role, bio, date), its label and what trails it."""
    names = el.findall(".//*[@itemprop='name']") or [
        c for c in el.iterdescendants() if isinstance(c.tag, str)
        and not attr_token_set(c) & _AUTHOR_FURNITURE
        and (bool({"name", *_AUTHOR_TOKENS} & attr_token_set(c)) or "author" in (c.get("rel") or "").lower().split()
             or (c.tag == "a" and _AUTHOR_PAGE.search(c.get("href") or "")))]
    names = [n for n in names if not any(a in names for a in n.iterancestors())]  # outermost only
    name = names[0] if len(names) == 1 else None  # several writers: the whole line names them
    parts: list[str] = []

    def walk(node: etree._Element, top: bool) -> None:
        if not top and (not isinstance(node.tag, str) or node.tag in _AUTHOR_FURNITURE_TAGS
                        or attr_token_set(node) & _AUTHOR_FURNITURE):
            parts.append(" ")  # a comment, or furniture: its text is not the name
        else:
            block = node.tag in _BLOCK_TAGS
            parts.append(" " if block else "")
            parts.append(node.text or "")
            for child in node:
                walk(child, False)
            parts.append(" " if block else "")
        if not top:
            parts.append(node.tail or "")

    walk(name if name is not None else el, True)
    # inline pieces of one name touch ("<a>Isabel Caro</a>, <a>…"); blocks and furniture part them
    text = clean_ws("".join(parts)) or ""
    text = _BYLINE_PREFIX.sub("", text).strip(" :-–|")
    text = _AUTHOR_LABEL.sub("", text)
    return _AUTHOR_TAIL.sub("", text).strip(" :-–|،,")


def page_author(root: etree._Element) -> str | None:
    """A byline the page prints, for pages whose JSON-LD/meta name no author: schema.org
    itemprop=author, rel=author, then a short block whose class names an author or byline (or
    Drupal's author field and user link, `field--name-uid` / `username`).
    Cheap on purpose (replaces a second full metadata pass over the page)."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta", "link") or el.get("aria-hidden") == "true":
            continue  # aria-hidden: a screen label ("Article information"), not the name
        prop = (el.get("itemprop") or "").lower()
        # schema.org as microdata (itemprop), link relation, or RDFa (Drupal's rdf module prints the
        # submitter as `<span typeof="schema:Person" property="schema:name">`)
        named = prop == "author" or "author" in (el.get("rel") or "").lower().split() \
            or (el.get("property") or "").lower() in ("schema:author", "author") \
            or (el.get("typeof") or "").lower() in ("schema:person", "person", "foaf:person")
        tokens = attr_tokens(el)
        if not named and not (set(tokens) & _AUTHOR_TOKENS) and not _is_drupal_author_field(tokens):
            continue
        if _in_comments(el):
            continue  # a commenter's name, the comment form's "Name*" field
        if any(True for _ in el.iter("h2", "h3", "h4", "h5", "h6")):
            continue  # a byline section with its own heading: look inside it instead
        text = author_text(el)
        if 2 <= len(text) <= 60 and regex.search(r"\p{L}", text) and not regex.search(r"\d|https?:", text) \
                and not is_cms_account(text):
            return text
    return _plain_byline(root)


_COMMENT_TOKENS = {"comment", "comments", "commentlist", "commentform", "respond", "reply", "replies", "discussion"}


def _in_comments(el: etree._Element) -> bool:
    """Inside a comment or the comment form, by their class/id words (not any <form>: ASP.NET
    pages wrap the whole page in one; not the page wrappers, whose classes can say "comments-open")."""
    return any(attr_token_set(a) & _COMMENT_TOKENS for a in el.iterancestors()
               if isinstance(a.tag, str) and a.tag not in ("html", "body"))


def _plain_byline(root: etree._Element) -> str | None:
    """A byline in unmarked markup: a short element right after the headline whose text is
    "بقلم: منى السيد" / "كتب - محمد علي" (templates that name nothing in their class names); a
    writer's line wins over a desk credit ("تحرير: …", "ترجمة: …") in the same window."""
    head = next((h for h in root.iter("h1") if text_len(h)), None)
    if head is None:
        return None
    seen, started, lines = 0, False, []
    for el in root.iter():
        if el is head:
            started = True
            continue
        if not started or not isinstance(el.tag, str) or el in set(head.iter()):
            continue
        seen += 1
        if seen > BYLINE_WINDOW:
            break
        if el.tag in ("script", "style") or len(el) > 3:
            continue
        text = clean_ws("".join(el.itertext())) or ""
        if 4 <= len(text) <= 80 and (name := byline_name([text])) and not is_cms_account(name):
            lines.append(text)
    return byline_name(lines)  # the writer's line before an editor's or translator's credit


def page_tags(root: etree._Element) -> list[str]:
    """Tag links (`rel="tag"`), the page's own keyword list when meta/JSON-LD give none."""
    out: list[str] = []
    for a in root.iter("a"):
        if "tag" in (a.get("rel") or "").lower().split():
            t = clean_ws("".join(a.itertext()))
            if t and len(t) <= 60 and t not in out:
                out.append(t)
    return out[:30]


_SOURCE_LINE = regex.compile(r"^\s*(?:المصدر|مصدر\s+الخبر|Source)\s*[:：]\s*\S.{0,80}$", regex.I)


# The elements that can hold a source line, in document order: few children and a short text.
# Joining every element's text in Python (the whole page again for each wrapper div) cost ~6 % of
# a page's extraction; libxml2 measures the text instead. A source line is at most ~100
# characters once its whitespace is collapsed (_SOURCE_LINE); XPath collapses fewer kinds of
# whitespace than clean_ws, so 400 keeps every element that can match.
# The text test below (مصدر / casefolded "source") is kept in Python; the XPath only has to let
# through every element it can pass: ASCII case, and the two letters casefold() turns into "s".
_CREDIT_CANDIDATES = ("descendant-or-self::*[self::div or self::p or self::span or self::section or self::footer or self::small]"
                      "[count(*) <= 3][string-length(normalize-space(.)) <= 400]"
                      "[contains(., 'مصدر') or contains(translate(., 'SOURCE', 'source'), 'source')"
                      " or contains(., 'ſ') or contains(., 'ß')]")


def credit_lines(root: etree._Element, body_text: str = "") -> list[str]:
    """The page's own source lines ("المصدر: الأناضول") printed outside the extracted body (in a
    source/footer block the cleanup removes), for attribution only; never stored as text."""
    out: list[str] = []
    body = body_text or ""
    for el in root.xpath(_CREDIT_CANDIDATES):
        if len(el) > 3:  # comments count here, not in the XPath
            continue
        raw = "".join(el.itertext())
        if "مصدر" not in raw and "source" not in raw.casefold():
            continue  # cannot match _SOURCE_LINE (NFC never composes these letters)
        text = clean_ws(raw) or ""
        if _SOURCE_LINE.match(text) and text not in body and text not in out:
            out.append(text)
    return out[:3]
