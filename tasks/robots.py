"""robots.txt rules as RFC 9309 reads them (tasks.http fetches the file; this parses and matches).

urllib.robotparser (used before) reads an older draft and let through what sites forbid:
* the first matching rule won, so "Allow: /" above "Disallow: /private/" allowed everything;
  RFC 9309 takes the longest (most specific) match, an Allow winning a tie;
* `*` and `$` in paths were literal, so "Disallow: /*?print=" or "Disallow: /*.pdf$" matched
  nothing;
* a blank line ended a group ("User-agent: *", blank line, "Disallow: /" allowed all), two
  groups naming one agent were not merged, and a UTF-8 byte-order mark (a file saved by a
  Windows editor) hid the first User-agent line, so the whole first group was lost.
Paths are compared percent-encoded the one way tasks.urls writes URLs (UTF-8, upper-case hex,
unreserved characters decoded): "Disallow: /أخبار/" and "Disallow: /%d8%a3..." both forbid the
raw and the encoded spelling of the same path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tasks.encoding import decode_html, utf16_without_bom
from tasks.urls import normalise_path

# "user agent" / "useragent" and "dis-allow" style misspellings are read as major crawlers read them
_KEYS = {"user-agent": "user-agent", "useragent": "user-agent", "user agent": "user-agent",
         "allow": "allow", "disallow": "disallow", "dissallow": "disallow", "dissalow": "disallow",
         "disalow": "disallow", "crawl-delay": "crawl-delay", "crawldelay": "crawl-delay"}


@dataclass(frozen=True)
class _Pattern:
    """A path pattern: literal parts between '*'s, and whether '$' anchors it at the end.

    Matched by finding each part leftmost in turn (str.find), which is exact for '*' alone and
    linear in the path: a regular expression of the pattern backtracks exponentially on a
    hostile 'Disallow: /*a*a*a…*b' (a 40-character URL took minutes, in the fetch loop)."""

    parts: tuple[str, ...]
    anchored: bool

    def matches(self, path: str) -> bool:
        first, *rest = self.parts
        if not path.startswith(first):
            return False
        if not rest:
            return not self.anchored or path == first
        pos = len(first)
        *middle, last = rest
        for part in middle:
            found = path.find(part, pos)
            if found < 0:
                return False
            pos = found + len(part)
        if self.anchored:
            return path.endswith(last) and len(path) - len(last) >= pos
        return path.find(last, pos) >= 0


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, normalised pattern)
    crawl_delay: float | None = None


@dataclass(frozen=True)
class RobotsRules:
    """The rules of one robots.txt for one product token."""

    rules: tuple[tuple[bool, _Pattern, int], ...] = ()  # (allow, pattern, its length)
    crawl_delay: float | None = None

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        path = normalise_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return True
        best: tuple[int, bool] | None = None  # (length, allow): longer wins, Allow wins a tie
        for allow, matcher, length in self.rules:
            if matcher.matches(path) and (best is None or (length, allow) > best):
                best = (length, allow)
        return best is None or best[1]


def _matcher(pattern: str) -> _Pattern:
    end = pattern.endswith("$")
    return _Pattern(tuple((pattern[:-1] if end else pattern).split("*")), end)


def parse_robots(text: str, token: str) -> RobotsRules:
    """The rules robots.txt `text` sets for the crawler whose product token is `token`: every
    group naming it (merged), else every '*' group; no group at all allows everything."""
    groups: list[_Group] = []
    current: _Group | None = None
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.split("#", 1)[0]
        key, sep, value = line.partition(":")
        if not sep:
            continue  # blank lines and lines that are no rule do not end a group (RFC 9309 2.2)
        key = _KEYS.get(re.sub(r"\s+", " ", key.strip().lower()))
        value = value.strip()
        if key == "user-agent":
            if current is None or current.rules or current.crawl_delay is not None:
                current = _Group()
                groups.append(current)
            current.agents.append(value.split("/")[0].strip().lower())
        elif current is None or key is None:
            continue  # rules before any User-agent line belong to no group
        elif key in ("allow", "disallow"):
            if value:  # an empty Disallow allows all, an empty Allow says nothing
                path = value if value.startswith(("/", "*")) else "/" + value
                current.rules.append((key == "allow", normalise_path(path)))
        elif key == "crawl-delay":
            try:
                current.crawl_delay = float(value)
            except ValueError:
                pass
    token = token.lower()
    chosen = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    rules = tuple((allow, _matcher(p), len(p.rstrip("$"))) for g in chosen for allow, p in g.rules)
    delay = next((g.crawl_delay for g in chosen if g.crawl_delay is not None), None)
    return RobotsRules(rules, delay if delay is None or delay >= 0 else None)


# The non-ASCII characters of a robots.txt are those of its paths: on an Arabic site, Arabic words
# (a run of them beside an ASCII letter, "cafى", is a Latin word read in the wrong code page).
_NON_ASCII_RUN_RE = re.compile(r"[A-Za-z]?[^\x00-\x7f]+[A-Za-z]?")
_ARABIC_RUN_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")
_ARABIC_CODE_PAGES = ("cp1256", "iso8859-6")


def _mostly_utf8(body: bytes) -> bool:
    """Whether a body that is not UTF-8 throughout is UTF-8 with a few stray bytes: more
    characters read whole as UTF-8 (past ASCII) than bytes that are not. A file kept in UTF-8
    and hand-edited with a Latin-1 "café" or a no-break space in a comment is one; a code page's
    Arabic letters seldom make a UTF-8 sequence (a lead byte, then 0x80-0xBF)."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return sum(1 for ch in text if ch > "\x7f") - bad > bad


def utf16_codec(body: bytes) -> str | None:
    """The UTF-16 codec of a robots.txt saved as UTF-16 (by its byte-order mark, or by its
    first characters being ASCII with a zero byte beside each), else None."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in body[2:6]:
        return "utf-16-le" if body[:2] == b"\xff\xfe" else "utf-16-be"
    return utf16_without_bom(body) if b"\x00" in body[:4] else None


def _forbids(line: str) -> bool:
    """Whether a robots.txt line is a Disallow rule (its misspellings too)."""
    key, sep, _ = line.lstrip("\ufeff").split("#", 1)[0].partition(":")
    return bool(sep) and _KEYS.get(re.sub(r"\s+", " ", key.strip().lower())) == "disallow"


def cut_robots_body(body: bytes) -> bytes:
    """What of a robots.txt cut short (its server closed, or went quiet, before the length or
    the end of stream it announced) is read as the file: its whole lines, and its last line, cut
    in the middle, only when it is a Disallow (a prefix of its path forbids more, never less; a
    character cut in two at its end dropped). A cut Allow ("Allow: /news/" as "Allow: /"), a cut
    Crawl-delay ("10" as "1") or User-agent would loosen what the file says: dropped. A UTF-16
    file comes back as UTF-8."""
    if utf16_codec(body):
        text = robots_text(body)  # whole code units, a half character dropped
        end = max(text.rfind("\n"), text.rfind("\r")) + 1
        return (text if _forbids(text[end:]) else text[:end]).encode("utf-8")
    end = max(body.rfind(b"\n"), body.rfind(b"\r")) + 1
    last = body[end:]
    if not _forbids(last.decode("latin-1")):
        return body[:end]
    try:
        last.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # an Arabic letter cut in two at the end
            last = last[: exc.start]
    return body[:end] + last


def robots_text(body: bytes, content_type: str | None = None) -> str:
    """The text of a robots.txt: UTF-8 (RFC 9309), else as its byte-order mark or its declared
    charset say, else UTF-8 with U+FFFD for a few stray bytes in it, else the Arabic code page
    in which its paths are Arabic words, else as tasks.encoding reads it. A declared Latin-1 /
    windows-1252 / US-ASCII is a server's default label for .txt files (Apache's AddDefaultCharset
    ISO-8859-1), not the file's: it gives way to the Arabic code page test. A file saved by a Windows editor in UTF-16 or in an Arabic code page
    (windows-1256, ISO-8859-6) lost all its rules (UTF-16) or every rule naming an Arabic path when
    read as UTF-8: the paths it forbids were fetched. (Detection made for prose misses such a file:
    its letters are mostly the ASCII of "User-agent" and "Disallow".)"""
    if utf16 := utf16_codec(body):
        # whole code units only, a character cut in two at the end dropped: a file the server
        # closed on mid-character (or one with a stray odd byte) is read as far as it is whole
        whole = body[: len(body) - len(body) % 2]
        text = whole.decode(utf16, errors="replace").lstrip("\ufeff")
        return text[:-1] if text.endswith("\ufffd") else text
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    decoded = decode_html(body, content_type)
    if decoded.source == "bom" or decoded.source == "http" and decoded.encoding != "cp1252":
        return decoded.text
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    for enc in _ARABIC_CODE_PAGES:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        if all(_ARABIC_RUN_RE.fullmatch(run) for run in _NON_ASCII_RUN_RE.findall(text)):
            return text
    return decoded.text
