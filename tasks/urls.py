"""URL canonicalisation: one stable key per article URL.

Decisions (so two spellings of one page give one key):
* scheme and host lower-cased; IDN hosts stored as IDNA A-labels (punycode, ASCII): that is what
  goes on the wire and it has exactly one spelling, unlike Unicode case/normalisation forms.
* path and query percent-encoding normalised: non-ASCII (Arabic) characters are UTF-8
  percent-encoded with upper-case hex, escapes of unreserved ASCII characters are decoded.
  Raw Arabic paths and %d8%a7-style paths therefore give the same key.
* Arabic (any non-ASCII) text is compared in Unicode NFC, raw or percent-encoded: a link written
  with decomposed letters (alef + combining hamza U+0627 U+0654) is the link with the precomposed
  letter (U+0623) that keyboards and CMSs write. Escapes that are no valid UTF-8 (an old ASP
  site's cp1256 ``%C7%E1...``, a cut ``%D8``) are kept as they are (upper-case hex).
* in the query a space is ``%20`` whether written raw, ``%20`` or ``+`` (every server framework
  we know of reads a query's ``+`` as a space; in the path ``+`` is a plus and stays). Escapes of reserved
  characters stay escaped (``%2F`` in a path, ``%26``/``%3D``/``%2B`` in a query value).
* tracking parameters (utm_*, fbclid, gclid, xtor, CMP, BBC's ns_*, ...), a ``ref``/``from``/
  ``src``/``source``/``medium`` parameter, or a compound of one (``traffic_source``), whose value
  names a feed (``ref=rss``, ``from=rss``, ``src=rss-feeds``, Al Jazeera's
  ``traffic_source=rss``), session ids (``;jsessionid=`` in the path, ``PHPSESSID=``) and the fragment
  are dropped; all other query parameters (e.g. ``?NewsID=``, ``?id=``, ``?p=``) are kept, in
  their original order (most servers ignore it, but reordering would re-key every stored URL).
* default ports and userinfo are dropped; dot segments are removed; an empty path becomes ``/``;
  an empty query (``?``) is dropped. Kept as written (a server may tell them apart): the case of
  path and query, a trailing slash, ``//`` in the path, full-width characters, ``index.php``.
* bidi marks and zero-width characters (RLM, LRM, ALM, ZWSP, BOM, ...) around a link (pasted
  with Arabic text) are dropped like white space; inside a URL they are kept (we fetch the URL
  we key: a slug may hold them).

Keys are stored (article_id = stable_id(canonical URL)): a change of these rules re-keys some
stored forms. ``legacy_canonicalize`` gives a link's key under the rules before session 15, so a run
finds articles stored under their old key (flows/ingest.py, tasks/backfill.py).

Hosts are compared in one place (``host_key``, ``site_key``, ``outlet_key``, ``same_site``): lower
case, no trailing dot, IDNA A-labels, so "Example.COM." and the Unicode and punycode forms of an IDN
host are one host. ``www.`` and a port are ignored when asking whether two URLs are one outlet
(``site_key``): outlets redirect between www.outlet and outlet and declare either as rel=canonical.
``outlet_key`` also sets aside an AMP/mobile rendering's subdomain (amp., m., mobile.): the
outlet whose host it is (its twin pages, tasks/canonical.py; its names, tasks/metadata.py, which
reads them in Unicode: ``unicode_host``).
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from urllib.parse import SplitResult, parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import idna

_TRACKING_EXACT = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "igshid", "igsh", "ref_src", "ref_url", "spm",
        "__twitter_impression", "at_medium", "at_campaign", "at_custom1", "oly_enc_id", "oly_anon_id",
        "vero_id", "_hsenc", "_hsmi", "mkt_tok", "rb_clickid", "s_cid", "ncid", "cmpid", "ocid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# Dropped since session 15 (legacy_canonicalize keeps them): AT Internet (France 24, RFI, Monte
# Carlo Doualiya), the Guardian's CMP, BBC's comScore ns_*, session ids.
_TRACKING_EXACT_V2 = frozenset(
    {
        "xtor", "cmp", "intcmp", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "phpsessid", "jsessionid", "aspsessionid", "sessionid", "cfid", "cftoken",
    }
)
# ref=rss, from=rss, src=rss-feeds, source=feedburner: where the reader came from, when it names a feed.
_FEED_REFERRER_KEYS = frozenset({"ref", "from", "src", "source", "via", "referrer", "referer", "referral",
                                 "medium", "origin"})
# ...and compound names of the same: Al Jazeera's feeds append ?traffic_source=rss to every link
# (traffic_medium=, feed_source=, rss-origin= alike); the value must still name a feed.
_FEED_REFERRER_KEY_RE = re.compile(r"[a-z0-9]+[_.-](?:source|src|ref|referr?er|referral|medium|origin)")
_FEED_REFERRER_VALUE_RE = re.compile(r"(?:rss\d*|atom|feeds?|feedburner|newsfeed|rss-?feeds?)(?:[-_. ][\w-]*)?", re.I)
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
# Invisible characters pasted around links with Arabic text (bidi marks and embeddings, zero width
# space, word joiner, BOM): stripped from a link's ends like white space.
_EDGE_INVISIBLE = "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff"
_REFUSED_SCHEMES = frozenset({"javascript", "mailto", "data", "file", "tel", "sms", "ftp", "about", "blob", "vbscript"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left literal (RFC 3986 pchar / query chars); everything else is percent-encoded.
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_PCT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_CTRL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _normalise_pct(text: str, safe: frozenset[str]) -> str:
    """Percent-encode consistently: UTF-8 %XX (upper hex) for unsafe chars, decode unreserved escapes."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            m = _PCT_RE.match(text, i)
            if m:
                byte = int(m.group(1), 16)
                out.append(chr(byte) if chr(byte) in _UNRESERVED else "%" + m.group(1).upper())
                i += 3
                continue
            out.append("%25")  # a stray '%' is data, not an escape
        elif ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


_NON_ASCII_PCT_RUN_RE = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def _nfc(text: str) -> str:
    """Non-ASCII text in NFC, raw or as UTF-8 escapes; a run of escapes that is no valid UTF-8
    (cp1256, cut) is left as written."""
    if text.isascii() and "%" not in text:
        return text

    def decoded(m: re.Match[str]) -> str:
        try:
            return bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return m.group(0)

    raw = _NON_ASCII_PCT_RUN_RE.sub(decoded, text)
    return text if raw.isascii() else unicodedata.normalize("NFC", raw)


def normalise_path(path_and_query: str) -> str:
    """A path (with its query) percent-encoded the one way canonicalize writes it: raw Arabic and
    %d8%a7-style escapes give the same string (robots.txt rules are compared so)."""
    return _normalise_pct(path_and_query, _QUERY_SAFE)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    for seg in path.split("/")[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    trailing = "/" if path.endswith(("/.", "/..")) else ""
    return "/" + "/".join(out) + trailing


def _unquote_ascii(text: str) -> str:
    return _PCT_RE.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x80 else m.group(0), text)


def _is_tracking(key: str, value: str | None = None, legacy: bool = False) -> bool:
    k = _PCT_RE.sub(lambda m: chr(int(m.group(1), 16)), key).lower()
    if not legacy:
        k = k.removeprefix("amp;")  # "&amp;utm_source=": an ampersand HTML-escaped twice
    if k in _TRACKING_EXACT or k.startswith(_TRACKING_PREFIXES):
        return True
    if legacy:
        return False
    if k in _TRACKING_EXACT_V2 or k.startswith("aspsessionid"):
        return True
    return ((k in _FEED_REFERRER_KEYS or _FEED_REFERRER_KEY_RE.fullmatch(k) is not None) and value is not None
            and _FEED_REFERRER_VALUE_RE.fullmatch(_unquote_ascii(value).replace("+", " ")) is not None)


def _tracking_free(query: str, legacy: bool = False) -> list[str]:
    """The parameters of a query string that are not tracking/session ones, as written."""
    kept = []
    for p in query.split("&"):
        key, eq, value = p.partition("=")
        if p and not _is_tracking(key, value if eq else None, legacy):
            kept.append(p)
    return kept


def _clean_query(query: str, legacy: bool = False) -> str:
    kept = [p if legacy else _nfc(p).replace("+", "%20") for p in _tracking_free(query, legacy)]
    return "&".join(_normalise_pct(p, _QUERY_SAFE) for p in kept)


def idna_host(host: str) -> str | None:
    """Lower-cased ASCII form of a host name (IDNA A-labels); None when it cannot be encoded."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return host.encode("idna").decode("ascii")  # IDNA 2003 is laxer (e.g. some symbols)
        except UnicodeError:
            return None


def host_key(host: str | None) -> str:
    """The one spelling of a host name to compare: lower case, no trailing dot, IDNA A-labels
    ("Example.COM." -> "example.com", "موقع.مصر" -> "xn--4gbrim.xn--wgbh1c"); "" for none."""
    return idna_host(host or "") or ""


def _without_port(host: str) -> str:
    """A host as given, less a ":port" after it ("example.com:8080", "[::1]:8080"; "::1" is kept)."""
    name, sep, port = host.rpartition(":")
    return name if sep and port.isdigit() and (":" not in name or name.endswith("]")) else host


def site_key(host: str | None) -> str:
    """host_key without a leading "www." or a port: www.outlet.com and outlet.com:8080 are one outlet."""
    h = host_key(_without_port(host or ""))
    return h[4:] if h.startswith("www.") and h.count(".") > 1 else h


_TWIN_HOST_PREFIXES = ("amp.", "m.", "mobile.")  # an outlet's AMP or mobile rendering of its own pages


def outlet_key(host: str | None) -> str:
    """site_key without the subdomain of an AMP or mobile rendering: m.outlet.com, amp.outlet.com,
    www.m.outlet.com are outlet.com (its pages on another host); "m.com" is kept, nothing would remain."""
    h = site_key(host)
    for prefix in _TWIN_HOST_PREFIXES:
        if h.startswith(prefix) and "." in h[len(prefix):]:
            return h[len(prefix):]
    return h


def unicode_host(host: str | None) -> str:
    """host_key in Unicode (IDNA U-labels), the form an outlet writes its name in: "xn--4gbrim.xn--wgbh1c"
    and "موقع.مصر" are both "موقع.مصر"; a label that does not decode stays as it is."""
    h = host_key(host)
    if "xn--" not in h:
        return h
    try:
        return idna.decode(h)
    except idna.IDNAError:
        return ".".join(_unicode_label(label) for label in h.split("."))


def _unicode_label(label: str) -> str:
    try:
        return idna.decode(label)
    except idna.IDNAError:
        try:
            return label.encode("ascii").decode("idna")  # IDNA 2003 (idna_host's fallback)
        except UnicodeError:
            return label


def url_site(url: str | None) -> str:
    """site_key of a URL's host; "" for a URL that does not parse or has no host."""
    parts = split_url(url or "")
    return site_key(parts.hostname) if parts is not None else ""


def same_site(a: str | None, b: str | None) -> bool:
    """Two URLs on one outlet's host (case, trailing dot, IDN form, default port and www. aside)."""
    ha = url_site(a)
    return bool(ha) and ha == url_site(b)


def canonicalize(link: str | None, base: str) -> str | None:
    """Absolute canonical http(s) URL for a link found at ``base``; None when unusable."""
    return _canonical(link, base, legacy=False)


def legacy_canonicalize(link: str | None, base: str) -> str | None:
    """The key ``canonicalize`` gave this link before session 15 (no NFC, ``+`` kept in a query,
    fewer tracking parameters dropped, invisible marks around the link not stripped): articles
    stored by older runs carry it."""
    return _canonical(link, base, legacy=True)


def _canonical(link: str | None, base: str, legacy: bool) -> str | None:
    if not link:
        return None
    link = _CTRL_RE.sub("", link.strip() if legacy else link.strip().strip(_EDGE_INVISIBLE + " \t\r\n\f\v"))
    if not link:
        return None
    scheme = link.split(":", 1)[0].strip().lower() if ":" in link else ""
    if scheme in _REFUSED_SCHEMES:
        return None
    try:
        if scheme in _DEFAULT_PORTS and not urlsplit(link).netloc:
            return None  # "http://" or "http:/path": urljoin would silently return the base
        parts = urlsplit(urljoin(base, link))
        port = parts.port
    except ValueError:  # bad IPv6 literal, non-numeric port, ...
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = idna_host(parts.hostname)
    if host is None:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    if not legacy:
        path = _nfc(_PATH_SESSION_RE.sub("", path)) or "/"
    path = _remove_dot_segments(_normalise_pct(path, _PATH_SAFE))
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query, legacy), ""))


_USERINFO_RE = re.compile(r"(?<=//)[^/?#@\s]*@")


def strip_credentials(url: str) -> str:
    """The URL without ``user:password@`` (never stored or exported; only the fetch of a catalog
    feed that needs them uses them). Everything else is left as it was."""
    return _USERINFO_RE.sub("", url, count=1) if url and "@" in url else url


def scrub_credentials(text: str | None) -> str | None:
    """Remove ``user:password@`` from every URL inside a message (errors quote URLs)."""
    return _USERINFO_RE.sub("", text) if text and "@" in text else text


def clean_link(link: str | None, base: str = "") -> str | None:
    """The link as found, minus what must not be kept: credentials, tracking parameters
    (utm_*, fbclid, ...) and the #fragment. Path and the other parameters keep their spelling
    (unlike ``canonicalize``). None when unusable."""
    if not link:
        return None
    try:
        parts = urlsplit(urljoin(base, _CTRL_RE.sub("", link.strip())))
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(_tracking_free(parts.query)), ""))


_AMP_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/amp(?=/)"), ""),  # /amp/news/1.html -> /news/1.html
    (re.compile(r"/amp/?$"), "/"),  # /news/1/amp -> /news/1/
    (re.compile(r"\.amp\.html$"), ".html"),
)


def split_url(url: str) -> SplitResult | None:
    """urlsplit, or None for a string that does not parse as a URL: urllib raises ValueError on
    "http://[oops/1" or "https://]x" (a bracket that is no IPv6 address), and on a port out of
    range when it is read. A page's fields and a WARC's target URIs can be any string."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises only when read)
    except ValueError:
        return None
    return parts


def link_address(href: str) -> tuple[str, frozenset[str], str, str] | None:
    """(path without its trailing "/", query items, fragment, host with its port) of a link as a
    page writes it ("/live/81/?update=3#post-2", "#post-2", "https://x.com/a"), to compare with the
    page's own address (tasks.cleanup); None when it is no URL. Nothing is resolved or cleaned."""
    try:
        parts = urlsplit(href.strip())  # the port unread: "x.com:99999" is still an address to compare
    except ValueError:
        return None
    return parts.path.rstrip("/"), frozenset(filter(None, parts.query.split("&"))), parts.fragment, parts.netloc


def amp_to_canonical_hint(url: str) -> str | None:
    """Best guess of the non-AMP URL of an AMP page (the page's rel=canonical stays authoritative);
    None for a URL that does not parse."""
    parts = split_url(url)
    if parts is None:
        return None
    path = parts.path
    for pattern, repl in _AMP_PATTERNS:
        new = pattern.sub(repl, path, count=1)
        if new != path:
            return urlunsplit(parts._replace(path=new))
    query = "&".join(p for p in parts.query.split("&") if p.split("=", 1)[0].lower() not in ("amp", "outputtype"))
    host = parts.netloc
    if host.lower().startswith("amp."):
        host = host[4:]
    if query != parts.query or host != parts.netloc:
        return urlunsplit(parts._replace(netloc=host, query=query))
    return None


_META_REFRESH_RE = re.compile(r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?refresh[\"']?[^>]*>", re.I | re.S)
_CONTENT_RE = re.compile(r"\bcontent\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I | re.S)
_REFRESH_URL_RE = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?([\"']?)(.*?)\1\s*$", re.I | re.S)


# A redirect page made of a script: `window.location.href = "…"`, `location.replace('…')`,
# `document.location = "…"`, `top.location.assign("…")` (short-link and tracking pages that
# answer 200 instead of 301). Only on a page with next to no text of its own (see below).
_SCRIPT_REDIRECT_RE = re.compile(
    r"\b(?:(?:window|document|self|top)\s*\.\s*)?location(?:\s*\.\s*href)?\s*"
    r"(?:=\s*|\.\s*(?:replace|assign)\s*\(\s*)([\"'])([^\"'\s<>]{1,2000})\1", re.I)
_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_NOT_TEXT_RE = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>"
                          r"|<title\b.*?</title\s*>|<[^>]*>|&[#\w]+;", re.I | re.S)
MAX_REDIRECT_PAGE_TEXT = 200  # visible characters: "Redirecting…", "جار التحويل…", a link
MAX_REDIRECT_PAGE_CHARS = 20_000  # a redirect page is small; an article page is not one


def _scripts(html: str) -> list[str]:
    """The scripts of a small page (a page a script sends on is small); none of a bigger one."""
    return _SCRIPT_RE.findall(html) if len(html) <= MAX_REDIRECT_PAGE_CHARS else []


def _next_to_no_text(html: str) -> bool:
    """The page has next to no text of its own. Asked only of a page whose scripts hold a target or a
    cookie: stripping the markup is the costly part, and most pages have neither."""
    return len(" ".join(_NOT_TEXT_RE.sub(" ", html).split())) <= MAX_REDIRECT_PAGE_TEXT


def script_redirect_target(html: str, base: str) -> str | None:
    """Target of a page whose only business is a script sending the browser elsewhere, canonicalised.

    None when the page has text of its own (an article page may carry a script that sends
    phones to its mobile site), when the scripts hold more than one target (a choice by device
    or country, not a redirect), or when the target is not http(s)."""
    targets = {m.group(2) for script in _scripts(html) for m in _SCRIPT_REDIRECT_RE.finditer(script)}
    if len(targets) != 1 or not _next_to_no_text(html):
        return None
    target = canonicalize(targets.pop(), base)
    return target if target and target.startswith(("http://", "https://")) else None


# A cookie check made of a script: `document.cookie = "name=value; path=/"` and a reload
# (`location.reload()`, or the page itself as target). Only literal cookies: one a script computes
# (an encrypted token) is a challenge we do not pass.
_SCRIPT_COOKIE_RE = re.compile(r"\bdocument\s*\.\s*cookie\s*=\s*([\"'])\s*([!#$%&*+.^`|~\w-]+)=([^;\"'\s]*)[^\"']*\1(?!\s*\+)")
_SCRIPT_RELOAD_RE = re.compile(r"\blocation\s*\.\s*reload\s*\(|\blocation(?:\s*\.\s*href)?\s*=\s*"
                               r"(?:(?:window|document|self|top)\s*\.\s*)?location(?:\s*\.\s*href)?\b", re.I)


def script_cookie_check(html: str, base: str) -> tuple[str, str] | None:
    """(cookie header, target) of a page whose only business is a script that sets literal
    cookies and reloads the page (or sends the browser on): a browser comes back with them.
    None for a page with text of its own, or no cookie, or neither reload nor target."""
    scripts = _scripts(html)
    cookies = [f"{m.group(2)}={m.group(3)}" for script in scripts for m in _SCRIPT_COOKIE_RE.finditer(script)]
    if not cookies or not _next_to_no_text(html):
        return None
    target = script_redirect_target(html, base)
    if target is None and any(_SCRIPT_RELOAD_RE.search(script) for script in scripts):
        target = base
    return ("; ".join(dict.fromkeys(cookies)), target) if target else None


# A refresh that fires after this long on a page with text of its own, back to the page itself, the
# site's front page or a section, is a reload timer ("reload the news every 5
# minutes"), not a redirect: the page is the article. To another page (a story that moved: "جاري
# التحويل…", "You are being redirected" under the site's menus) it is a redirect whatever its delay.
REFRESH_TIMER_S = 30.0
_REFRESH_DELAY_RE = re.compile(r"\s*(\d+(?:\.\d*)?)")
_NOSCRIPT_OR_COMMENT_RE = re.compile(r"<noscript\b.*?(?:</noscript\s*>|$)|<!--.*?(?:-->|$)", re.I | re.S)
# A path that is a site's front page: "/", "/index.html", "/default.aspx", "/home", "/ar/".
_ROOT_PATH = re.compile(r"^/*(?:(?:index|default|home|main)(?:\.\w{2,5})?|[a-z]{2}(?:-[a-z]{2})?)?/*$", re.I)


def is_front_page(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(parts.netloc) and not parts.query and bool(_ROOT_PATH.match(parts.path))


# A section's path: folders that are all short word slugs ("/news/", "/category/politics",
# "/ar/أخبار-محلية/", "/news/world/middle-east", "/أخبار/عربي/الخليج", "/sport/football/local"), as
# deep as outlets nest sections, no digits, no file name but an index page's ("/news/world/index.html"),
# not a story's slug of many words ("/news/story-moved-to-its-new-address").
# A story's address is no section however short: a number or a date anywhere in it ("/news/12345",
# "/2026/12/07/x", Arabic-Indic digits too), a file name ("/news/target.html"), a slug of more words
# than its folders take (hyphens, underscores, "+" or spaces between them, percent-encoded Arabic
# read decoded), or a folder that holds stories or short ids ("/a/abc", "/p/xyz", "/story/gaza",
# "/news/article/truce", "/خبر/…").
_SECTION_PATH_RE = re.compile(r"/*(?:[^/\d.]{1,40}/+){0,9}[^/\d.]{1,40}/*")
_INDEX_PAGE_RE = re.compile(r"(?<=/)(?:index|default|home|main)\.\w{2,5}$", re.I)
# A listing's page number ("/news/page/2", "/category/politics/page/3/"): the listing's address.
_PAGINATION_RE = re.compile(r"(?<=[^/])/+page/+\d{1,4}/*$", re.I)
# A section kept as a file by a static site ("/news/world.html", "/sport.php", "/ar/news/politics.aspx",
# "/اخبار/سياسة.html"): a page file at most one folder deep named by one of the words outlets name
# their sections with. Deeper, named by digits, a slug of words or any other word, it is a story's
# file ("/news/world/middle-east/gaza.html", "/news/12345.html", "/politique/gaza-truce.html",
# "/news/target.html").
_SECTION_FILE_RE = re.compile(r"^(/*(?:[^/\d.]{1,40}/+)?([^-_+\s/\d.]{1,40}))\.(?:s?html?|php\d?|aspx?|jspx?|cfm)$", re.I)
_SECTION_NAMES = frozenset("""
news akhbar world international national local locals arab arabic gulf africa asia europe america
middleeast mideast politics politic politique siyasa economy economie economics business finance markets
sport sports riyada culture arts art health sante science sciences tech technology technologie
society societe opinion opinions views editorial variety misc entertainment lifestyle media regions
أخبار اخبار الأخبار الاخبار سياسة السياسة اقتصاد الاقتصاد رياضة الرياضة ثقافة الثقافة فن فنون الفن منوعات
صحة الصحة علوم العلوم تكنولوجيا التكنولوجيا تقنية مقالات رأي الرأي آراء اراء محليات محلي دوليات دولي عربي
عربيات عالمي العالم الخليج مجتمع المجتمع تقارير حوادث برلمان""".split())
# Under a listing folder ("/section/…", "/category/…"), short numbers are the listing's id or page
# ("/Section/أخبار-عاجلة/65/1", "/press/category/28/الوطني/"); a story's id is longer ("/category/news/12345").
_LISTING_NUMBER_RE = re.compile(r"\d{1,3}|[^\W\d_]\d{1,3}")
_WORD_GAP_RE = re.compile(r"[-_+\s]+")
_STORY_FOLDERS = frozenset({
    "story", "stories", "article", "articles", "post", "posts", "amp", "details", "detail", "news-details",
    "newsdetails", "item", "items", "node", "content", "read", "view", "show", "watch", "video", "videos",
    "خبر", "مقال", "مقالة", "تفاصيل", "الخبر", "المقال"})
# A first folder whose addresses are listings, whatever their names' length ("/category/arab-world-news",
# "/section/قضايا-وآراء", "/tag/…"), and the words that join a section's name ("arab-and-world",
# "science-and-technology", "arts-&-culture"), not counted as words of a story's slug.
_SECTION_FOLDERS = frozenset({
    "category", "categories", "cat", "section", "sections", "topic", "topics", "tag", "tags", "taxonomy",
    "قسم", "أقسام", "اقسام", "تصنيف", "موضوعات", "وسم"})
_JOINING_WORDS = frozenset({"and", "&", "n", "et"})
# A folder or slug of this many words is a headline ("gaza-truce-talks-resume-in-cairo",
# "هدنة-غزة-تدخل-يومها-الثالث"): sections are named in up to four ("أخبار-العالم-العربي-والدولي",
# "middle-east-north-africa").
STORY_SLUG_WORDS = 5
_LANGUAGE_RE = re.compile(r"^/*(?:[a-z]{2}(?:-[a-z]{2})?|arabic)(?=/)", re.I)


def _section_path(path: str, base_path: str = "") -> bool | None:
    """Whether a decoded URL path has a section's shape (see _SECTION_PATH_RE): True; None for a
    slug of many words that may be a story's or a section's ("/أخبار-العالم-العربي",
    "/politics/gaza-truce-talks"); False for a story's address. The folder a page is in
    ("/category/arab-world-news" for "/category/arab-world-news/12345") is a section."""
    folder = path.rstrip("/")
    if folder and base_path.startswith(folder + "/") and not _ROOT_PATH.match(folder):
        return True
    path = _LANGUAGE_RE.sub("", path, count=1)  # "/ar/news/politics": a language, then the section
    path = _INDEX_PAGE_RE.sub("", path)  # "/news/world/index.html": the section's own page
    path = _PAGINATION_RE.sub("", path)  # "/news/page/2": the section's second page
    if (m := _SECTION_FILE_RE.match(path)) and m.group(2).lower() in _SECTION_NAMES:
        path = m.group(1)  # "/news/world.html": the section kept as a file
    segments = [seg for seg in path.split("/") if seg]
    listing = next((i for i, seg in enumerate(segments[:2]) if seg.lower() in _SECTION_FOLDERS), None)
    if listing is not None and len(segments) > listing + 1:
        # "/category/…", "/press/category/28/الوطني": a listing, its short ids and names, no story folder
        # and no file below its name ("/category/news/gaza.html": a story's; "/category/middle-east.html": the listing's)
        rest = segments[listing + 1:]
        if any(seg.lower() in _STORY_FOLDERS for seg in rest[:-1]) or any("." in seg for seg in rest[1:]) or any(
                any(c.isdigit() for c in seg) and not _LISTING_NUMBER_RE.fullmatch(seg) for seg in rest):
            return False
        return True if _SECTION_PATH_RE.fullmatch("/".join(s for s in rest if not _LISTING_NUMBER_RE.fullmatch(s)) or "x") else None
    if not _SECTION_PATH_RE.fullmatch(path):
        return False
    if any(len(seg) == 1 or seg.lower() in _STORY_FOLDERS for seg in segments[:-1]):
        return False
    counts = [sum(1 for w in _WORD_GAP_RE.split(seg) if w and w.lower() not in _JOINING_WORDS) for seg in segments]
    if max(counts, default=0) >= STORY_SLUG_WORDS:
        return False  # "/politics/هدنة-غزة-تدخل-يومها-الثالث": a headline, no section's name
    return True if sum(counts) <= len(segments) + 1 else None


def _reloads(target: str, base: str) -> bool | None:
    """Whether a refresh to `target` from the page at `base` reloads that page or goes to the
    site's front page or a section (what a reload timer names), not to another story: None
    when its address may be a section's or a story's (a slug of many words)."""
    if is_front_page(target):
        return True
    t, b = urlsplit(target), urlsplit(base)
    if t.netloc.lower().removeprefix("www.") != b.netloc.lower().removeprefix("www."):
        return False
    if t.path.rstrip("/") == b.path.rstrip("/"):
        return _same_story_query(t.query, b.query)
    if t.query and not _listing_query(t.query):
        return False
    if t.query and _ROOT_PATH.match(t.path):
        return True  # "/?cat=1", "/index.php?section=politics": the site's listing of a section
    return _section_path(unquote(t.path), unquote(b.path))


# A query that names only a listing: a section, a category, a tag and a page of it ("?cat=1",
# "?section=politics&page=2"); any other key ("?p=123", "?id=5", "?NewsID=…") names a story.
_LISTING_KEYS = frozenset({"cat", "category", "categories", "section", "sec", "tag", "topic", "page", "paged"})


def _listing_query(query: str) -> bool:
    keys = [part.split("=", 1)[0].lower() for part in query.split("&") if part]
    return bool(keys) and all(k in _LISTING_KEYS for k in keys)


def _same_story_query(target: str, base: str) -> bool:
    """Whether a refresh to the page's own script path names the page itself (its query's story
    keys all the page's: "?NewsID=123&page=1" from "?NewsID=123", or only a listing's or none:
    "news.php?cat=3", "news.aspx"), not another story named by the query ("/?p=596598" from
    "/?p=596597", "view.aspx?id=abd" from "?id=abc": WordPress's default links, PHP and ASP.NET CMSs)."""
    pairs = [(k.lower(), v) for k, v in parse_qsl(base, keep_blank_values=True)]
    return all(k.lower() in _LISTING_KEYS or (k.lower(), v) in pairs for k, v in parse_qsl(target, keep_blank_values=True))


def _refresh_tag(html: str) -> re.Match | None:
    """The page's refresh tag: the first one outside <noscript> and comments, else (on a page with
    next to no text of its own) one inside <noscript>. A refresh in <noscript> on an article page
    sends browsers without scripts to a "please enable JavaScript" page; browsers that run
    scripts, and the article's text, stay."""
    head = html[:65536]
    hidden = [m.span() for m in _NOSCRIPT_OR_COMMENT_RE.finditer(head)] if "<!--" in head or "oscript" in head.lower() else []
    noscript = None
    for m in _META_REFRESH_RE.finditer(head):
        span = next((s for s in hidden if s[0] <= m.start() < s[1]), None)
        if span is None:
            return m
        if noscript is None and head[span[0]:span[0] + 4] != "<!--":
            noscript = m
    return noscript if noscript is not None and _next_to_no_text(html) else None


def meta_refresh_target(html: str, base: str, header: str | None = None) -> str | None:
    """Target of a ``<meta http-equiv="refresh" content="0; url=...">`` in the page head (else of
    the page's Refresh HTTP header, `header`), canonicalised. None when it only reloads the page
    ("content=5"), and for a reload timer: a delay of REFRESH_TIMER_S or more on a page with text
    of its own, to the page itself, the front page or a section (a browser shows that
    page for minutes; following it lost the article to the front page it names)."""
    m = _refresh_tag(html)
    c = _CONTENT_RE.search(m.group(0)) if m else None
    if c:
        content = c.group(1)
        if content[:1] in ("'", '"'):
            content = content[1:-1]
        content = html_lib.unescape(content)  # an attribute's "&amp;" is the URL's "&"
    elif header:
        content = header
    else:
        return None
    u = _REFRESH_URL_RE.match(content)
    target = u.group(2).strip() if u else ""
    if not target or target[0].isdigit() and ";" not in content and "," not in content:
        return None  # "content=5" only reloads the same page
    url = canonicalize(target, base)
    delay = _REFRESH_DELAY_RE.match(content)
    seconds = float(delay.group(1)) if delay else 0.0
    reloads = _reloads(url, base) if url else False
    if reloads and seconds >= REFRESH_TIMER_S and not _next_to_no_text(html):
        return None
    if reloads is not False and _story_of_its_own(html, url):
        # to the front page or a section after a short delay, or after any delay to an address
        # that may be a section's as well as a story's ("/أخبار-العالم-العربي", "/arab-and-world"):
        # the story served is kept (following a section's address lost it; a story that moved,
        # shown in full at its old address, is kept there, unless the page names the target)
        return None
    return url


# What marks a page as a story of its own: article metadata (Open Graph's type or publication
# time, schema.org's Article types or properties) or an <article> element with its headline. Not
# og:title: every page has one (the front page, a section, a consent or geo wall naming the site).
_STORY_MARK_RE = re.compile(
    r"<meta\b[^>]*?(?:property|name)\s*=\s*[\"']?(?:og:type[\"']?[^>]*?content\s*=\s*[\"']?article"
    r"|article:published_time)"
    r"|<meta\b[^>]*?content\s*=\s*[\"']?article[\"'\s][^>]*?og:type"
    r"|[\"']@type[\"']\s*:\s*\[?\s*[\"'](?:\w*NewsArticle|Article|BlogPosting|Report)[\"']"
    r"|\bitemprop\s*=\s*[\"']?(?:articleBody|datePublished|headline)\b"
    r"|<article\b[^>]*>(?:(?!</article).){0,4000}?<h[12]\b", re.I | re.S)
_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)
_CANONICAL_RE = re.compile(r"<link\b[^>]*?\brel\s*=\s*[\"']?canonical\b[^>]*>|<meta\b[^>]*?og:url\b[^>]*>", re.I)
_HREF_RE = re.compile(r"\b(?:href|content)\s*=\s*[\"']([^\"']+)", re.I)
MIN_STORY_TEXT = 300  # visible characters in paragraphs: a story's body, not a stub's "جار التحويل…"


def _story_of_its_own(html: str, target: str) -> bool:
    """Whether a page a short refresh sends to the front page or a section is a story all the same:
    story metadata and paragraphs of text of its own, and no canonical address naming the target.
    Outlets put such a refresh on article pages as a reload gimmick, a geo or consent bounce, or a
    script fallback; a browser may leave, the story was served (a stub has no text to keep)."""
    head = html[:200_000]
    if not _STORY_MARK_RE.search(head):
        return False
    for tag in _CANONICAL_RE.findall(head):
        if (m := _HREF_RE.search(tag)) and canonicalize(html_lib.unescape(m.group(1)), target) == target:
            return False  # the page names the target as its own address: it moved there
    text = sum(len(" ".join(_NOT_TEXT_RE.sub(" ", p).split())) for p in _PARAGRAPH_RE.findall(head))
    return text >= MIN_STORY_TEXT
