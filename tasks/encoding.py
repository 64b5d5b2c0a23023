"""Bytes -> text for Arabic news pages and feeds (the only module importing charset-normalizer).

Order of evidence: BOM (unless the bytes after it are not in its encoding; for a feed, also UTF-16
without BOM as the XML spec detects it: utf16_without_bom), HTTP charset, XML
declaration / <meta> charset, then detection. A declared charset is only trusted when the bytes
decode strictly with it, the result does not look like Arabic read through a Western code page,
and the bytes are not plainly UTF-8 under a single-byte label; otherwise we detect. Detection
takes UTF-8, or UTF-8 with a few invalid bytes (read as browsers do, the bad bytes dropped), then tries the
Arabic code pages explicitly (charset-normalizer alone confuses windows-1256 / ISO-8859-6 / cp720
on short text) and scores candidates by how Arabic the decoded letters are (the letters of the prose:
markup written as text, entities and URLs aside).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it shares the first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.I)
_META_CHARSET_RE = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.I | re.S)
# Markup written as text (a feed's escaped HTML: '&lt;img src=&quot;…&quot;&gt;'), entities and URLs:
# not words anyone reads; their ASCII letters drowned the Arabic of a feed's titles.
_NOT_PROSE_RE = re.compile(r"&lt;/?[A-Za-z!][^<>]*?&gt;|&#?[A-Za-z0-9]{1,10};|\b(?:https?://|www\.)[^\s<>\"']+", re.I)
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u06F0-\u06F9]")
# Western single-byte encodings that Arabic bytes decode "successfully" into as Latin-1 garbage.
_WESTERN = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15", "cp850", "cp437"})
# Mac Arabic last: its letters are ISO-8859-6's (a tie goes to the earlier), its other bytes are what
# ISO-8859-6 leaves undefined (Arabic-Indic digits, right-to-left punctuation): an undeclared feed
# written on a Mac (old Apple publishing tools, QuarkXPress exports) read as neither before.
_ARABIC_CANDIDATES = ("cp1256", "iso8859-6", "cp720", "mac-arabic")
# windows-1256's غ ـ ف ق ك ى ي (0xDB-0xDF, 0xEC, 0xED) are brackets, an underscore, dammatan and kasratan in Mac
# Arabic (in ISO-8859-6, whose letters sit at the same bytes: undefined, ؛ ؟, dammatan and kasratan): between two
# letters, inside a word, the bytes are neither (a short windows-1256 headline
# with more 'ان' than 'ال' scored higher read so, its 'ان' taken for 'ال')
_NOT_ISO_ARABIC_RE = re.compile(rb"[\xc1-\xda\xe0-\xea][\xdb-\xdf\xec\xed][\xc1-\xda\xe0-\xea]")
# WHATWG: these labels mean windows-1252 in browsers (servers say latin-1 and mean cp1252).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "x-cp1256": "cp1256", "arabic": "iso8859-6", "iso-8859-6-i": "iso8859-6",
            "iso-8859-6-e": "iso8859-6", "x-mac-arabic": "mac-arabic", "dos-720": "cp720"}
# Labels compared without '-', '_', spaces and case: Apple's and Java's spellings of Mac Arabic
# ("MacArabic", "x-MacArabic", "MacintoshArabic"), IANA's cs- names and ICU's/IBM's of the Arabic code pages.
_COMPACT_ALIASES = {"macarabic": "mac-arabic", "xmacarabic": "mac-arabic", "macintosharabic": "mac-arabic",
                    "cswindows1256": "cp1256", "windows12562000": "cp1256", "ibm1256": "cp1256",
                    "xibm864": "cp864", "ibm864": "cp864", "csibm864": "cp864", "ibm720": "cp720",
                    "xibm720": "cp720", "csisolatinarabic": "iso8859-6", "iso88596i": "iso8859-6",
                    "iso88596e": "iso8859-6", "ibm1089": "iso8859-6"}


_CODE_PAGE_RE = re.compile(r"^(?:x-)?(?:windows|win|cp|ms)[-_ ]?(12[5-9]\d|720|864)$")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name actually used
    source: str  # http | bom | meta | xml | detected | fallback
    repaired_mojibake: bool = False


def codec_name(label: str | None) -> str | None:
    """Normalised Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label) or _COMPACT_ALIASES.get(re.sub(r"[-_\s]", "", label), label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        pass
    # "win-1256", "cp-1256", "windows1256", "ms-1252": a Windows code page spelt as servers and
    # CMS settings spell it (Python and the WHATWG list know only cp1256 / windows-1256)
    m = _CODE_PAGE_RE.match(label)
    return codec_name(f"cp{m.group(1)}") if m else None


def http_charset(content_type: str | None) -> str | None:
    """The charset of a Content-Type header; of a header sent twice (joined with ", "), the
    last value's that names one, as browsers read it."""
    for part in reversed((content_type or "").split(",")):
        if m := _HEADER_CHARSET_RE.search(part):
            return codec_name(m.group(1))
    return None


def declared_charset(body: bytes) -> tuple[str | None, str | None]:
    """(codec, "xml"|"meta") declared inside the document head, or (None, None)."""
    head = body[:8192]
    m = _XML_DECL_RE.match(head)
    if m:
        return codec_name(m.group(1).decode("ascii")), "xml"
    m = _META_CHARSET_RE.search(head)  # covers <meta charset> and http-equiv content="...charset=..."
    if m:
        return codec_name(m.group(1).decode("ascii")), "meta"
    return None, None


def bom_encoding(body: bytes) -> str | None:
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc
    return None


def utf16_without_bom(body: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for an XML document in UTF-16 without a byte order mark, known by
    its first two characters being ASCII ('<?', '<r', a space), each a zero byte after or before
    (the XML spec's autodetection, appendix F); None otherwise."""
    head = body[:4]
    if len(head) == 4 and head[1] == head[3] == 0 and 0 < head[0] < 128 and 0 < head[2] < 128:
        return "utf-16-le"
    if len(head) == 4 and head[0] == head[2] == 0 and 0 < head[1] < 128 and 0 < head[3] < 128:
        return "utf-16-be"
    return None


def mostly_utf8(body: bytes) -> str | None:
    """The body read as UTF-8, U+FFFD for its bad sequences, when it is UTF-8 with a few invalid
    bytes (a '\xa9' from a footer saved in Latin-1, a title cut mid-character); None when it is
    valid UTF-8 or not UTF-8 at all. Genuine single-byte Arabic (windows-1256) fails almost every
    sequence, so it never passes the ratio test."""
    if _strict(body, "utf-8") is not None:
        return None
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if good >= 8 and bad * 4 <= good else None


def _strict(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _letters(text: str) -> tuple[int, int, int]:
    """(letters, non-ASCII letters, Arabic letters) of the visible text (tags, escaped markup, entities
    and URLs aside)."""
    visible = _NOT_PROSE_RE.sub(" ", _TAG_RE.sub(" ", text))
    letters = [c for c in visible if c.isalpha()]
    return len(letters), sum(1 for c in letters if ord(c) > 127), len(_ARABIC_LETTER_RE.findall(visible))


def _arabic_score(text: str) -> float:
    """Share of Arabic letters, boosted by the article 'ال' (frequent in real Arabic, rare in garbage)."""
    n, _, arabic = _letters(text)
    if not n or not arabic:
        return 0.0
    return arabic / n + min(text.count("ال") * 4 / arabic, 0.5)


def _utf8_despite_label(body: bytes, enc: str) -> bool:
    """Bytes labelled with a single-byte charset that are valid UTF-8 with 8+ non-ASCII
    characters: UTF-8 (a server's default 'charset=windows-1256' over a CMS writing UTF-8).
    Arabic in a code page never forms that many valid UTF-8 sequences by chance; read as the
    label says, the mojibake repair undid the Arabic but not the emoji, dashes or Latin accents."""
    if enc in ("utf-8", "utf-8-sig") or (text := _strict(body, "utf-8")) is None:
        return False
    return len(text) - len(text.encode("ascii", "ignore")) >= 8


def _looks_misdeclared(text: str, enc: str) -> bool:
    """Text decoded with a Western code page where most letters are non-ASCII: really Arabic/UTF-8."""
    if enc not in _WESTERN:
        return False
    n, non_ascii, _ = _letters(text)
    return n >= 20 and non_ascii / n > 0.4


def _detect(body: bytes) -> tuple[str, str] | None:
    """(text, codec) from UTF-8 / Arabic code pages / charset-normalizer, best Arabic score first."""
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        return utf8, "utf-8"  # valid non-ASCII UTF-8 is almost never an accident
    if (utf8 := mostly_utf8(body)) is not None:
        # as a browser reads it, the bad bytes dropped (they carry nothing a reader could use):
        # before, one stray byte made the page windows-1256, and what the mojibake repair could
        # not undo (emoji, dashes, Latin accents) stayed garbled
        return utf8.replace("\ufffd", ""), "utf-8"
    best: tuple[float, str, str] | None = None
    for enc in _ARABIC_CANDIDATES:
        if enc in ("iso8859-6", "mac-arabic") and _NOT_ISO_ARABIC_RE.search(body):
            continue
        text = _strict(body, enc)
        if text is not None:
            score = _arabic_score(text)
            if score > 0.5 and (best is None or score > best[0]):
                best = (score, text, enc)
    if best:
        return best[1], best[2]
    match = charset_normalizer.from_bytes(body[:200_000]).best()
    if match is not None and match.encoding:
        text = _strict(body, match.encoding)
        if text is not None:
            return text, codec_name(match.encoding) or match.encoding
    return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page (or feed) body; never raises, never leaves U+FFFD in well-formed input."""
    bom = bom_encoding(body)
    if bom:
        text = _strict(body, bom)
        if text is None and bom == "utf-8-sig" and (text := mostly_utf8(body[3:])) is not None:
            text = text.replace("\ufffd", "")
        if text is not None:
            return _finish(text.lstrip("\ufeff"), codecs.lookup(bom).name, "bom")
        # A BOM the bytes after it belie: an included file saved "UTF-8 with BOM" printing it
        # before a windows-1256 page. The rest is read as if the BOM were not there.
        body = body[len(next(b for b, e in _BOMS if e == bom and body.startswith(b))):]
    doc_enc, doc_source = declared_charset(body)
    declared = [(http_charset(content_type), "http"), (doc_enc, doc_source or "meta")]
    for enc, source in declared:
        if not enc:
            continue
        if enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            enc = "utf-8"  # a UTF-16 label on BOM-less ASCII-compatible bytes is a lie (HTML spec)
        text = _strict(body, enc)
        if text is not None and not _looks_misdeclared(text, enc) and not _utf8_despite_label(body, enc):
            return _finish(text, enc, source)
    detected = _detect(body)
    if detected:
        return _finish(detected[0], detected[1], "detected")
    return _finish(body.decode("utf-8", errors="replace"), "utf-8", "fallback")


def _finish(text: str, enc: str, source: str) -> Decoded:
    repaired = repair_mojibake(text)
    return Decoded(repaired, enc, source, repaired != text)


def feed_charset(body: bytes, content_type: str | None = None) -> str | None:
    """Charset to hand to feedparser (via response_headers), or None to let it decide.

    feedparser follows RFC 3023: a feed with neither HTTP charset nor XML declaration is read as
    UTF-8 then windows-1252, so undeclared windows-1256 Arabic would become Latin-1 garbage.
    """
    if bom_encoding(body):
        return None
    head_enc, _ = declared_charset(body)
    for enc in (http_charset(content_type), head_enc):
        if enc:
            text = _strict(body, enc)
            if text is not None and not _looks_misdeclared(text, enc) and not _utf8_despite_label(body, enc):
                return enc
    detected = _detect(body)
    return detected[1] if detected else None


# --- mojibake -------------------------------------------------------------------------------

# UTF-8 Arabic lead bytes 0xD8/0xD9 read as cp1252 ("Ø", "Ù") or cp1256 ("ط", "ظ"), followed by a
# character that a continuation byte (0x80-0xBF) turns into.
_MOJIBAKE_HINT_RE = re.compile(r"[ØÙ\u0637\u0638][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                               r"\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122\u067e\u0679\u0686\u0698\u0688"
                               r"\u06af\u06a9\u0691\u06ba\u06be\u06c1\u200c\u200d\u060c\u061b\u061f\u0621-\u0636]")


def _to_bytes(run: str, enc: str) -> bytes | None:
    """Re-encode a mis-decoded run; C1 controls pass through as bytes (browsers' windows-1252)."""
    try:
        return run.encode(enc)  # fast path; same bytes as the loop below when every char encodes
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in run:
        try:
            out += ch.encode(enc)
        except UnicodeEncodeError:
            if ord(ch) < 256:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _repair_run(run: str) -> str:
    for enc in ("cp1252", "cp1256"):
        raw = _to_bytes(run, enc)
        if raw is None:
            continue
        fixed = _strict(raw, "utf-8")
        if fixed is not None and _ARABIC_LETTER_RE.search(fixed):
            return fixed
    return run


def _byte_under(ch: str, enc: str) -> int | None:
    """The one byte _to_bytes turns ch into under enc (None: the run cannot be re-encoded)."""
    try:
        return ch.encode(enc)[0]
    except UnicodeEncodeError:
        return ord(ch) if ord(ch) < 256 else None


_REPAIR_ENCODINGS = ("cp1252", "cp1256")


def _class(lo: int, hi: int) -> str:
    """Regex class of the non-ASCII chars _to_bytes maps to a byte in lo..hi under some encoding.
    Only chars a code page decodes to, or below U+0100 (passed through), map to a byte at all."""
    chars = {chr(b) for b in range(0x80, 0x100)}
    chars |= {bytes([b]).decode(e, errors="ignore") for e in _REPAIR_ENCODINGS for b in range(0x80, 0x100)}
    chars.discard("")
    hit = sorted(c for c in chars
                 if any((b := _byte_under(c, e)) is not None and lo <= b <= hi for e in _REPAIR_ENCODINGS))
    return "".join(re.escape(c) for c in hit)


# A run can only re-encode to valid UTF-8 if it starts with a lead byte (C2-F4) followed by a
# continuation byte (80-BF) under one of the encodings: only such runs go to _repair_run (same
# result as trying every run, without a Python call per genuine Arabic word).
_LEAD = _class(0xC2, 0xF4)
_CONT = _class(0x80, 0xBF)
_CANDIDATE_RUN_RE = re.compile(f"(?<![^\\x00-\\x7f])[{_LEAD}][{_CONT}][^\\x00-\\x7f]*")
_PAIR_RE = re.compile(f"[{_LEAD}][{_CONT}]")


def has_candidate_run(text: str) -> bool:
    """_CANDIDATE_RUN_RE finds a run in text, told without its look-behind at every character (2x
    cheaper on Arabic pages): genuine Arabic has a lead-continuation pair every few hundred
    characters ('كلمة،'), almost never at the start of a run. A pair that finditer skips because
    the pair before it took its first character follows a non-ASCII character: no run starts there."""
    return any(m.start() == 0 or text[m.start() - 1] < "\x80" for m in _PAIR_RE.finditer(text))


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 Arabic that was decoded as windows-1252/1256 (``Ø§Ù„`` / ``ط§ظ„``).

    Each run of non-ASCII characters is repaired only if re-encoding it gives valid UTF-8 Arabic,
    so genuine Arabic or Latin text is left alone (real Arabic letters are never continuation bytes).
    """
    if not _MOJIBAKE_HINT_RE.search(text) or not has_candidate_run(text):
        return text
    return _CANDIDATE_RUN_RE.sub(lambda m: _repair_run(m.group(0)), text)
