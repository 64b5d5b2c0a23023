"""Arabic matching keys: normalise for comparison only, never the stored text.

The `regex` module is used on purpose: stdlib `re` treats harakat as non-word characters and splits
"عُقِدَ" into three tokens, so every matching path tokenises here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import regex

# Deleted from every key (one pass; each is a single character, so one class is the same as
# deleting them one kind after the other):
# - harakat, tanwin, shadda, sukun, dagger alef, Quranic annotation marks and small high letters;
# - bidi/zero-width/BOM marks (category Cf, they survive NFKC; outlets wrap numbers in them);
# - tatweel.
_MARK_RANGES = r"\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF"
_DELETED = regex.compile(rf"[{_MARK_RANGES}\p{{Cf}}\u0640]")
_WORD = regex.compile(r"\w+")

# Letters writers put one for another ("الانباء", "وكاله", "إفى"): folded one for one, so a folded
# text keeps its length and its positions. Every matching key folds them (`normalize_text`), and so do
# agency names (tasks.attribution.fold) and month names (tasks.dates), through `fold_letters`.
LETTER_FOLD = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0649": "\u064A",  # ى -> ي (CAMeL convention, not PyArabic's ى -> ا)
    "\u0629": "\u0647",  # ة -> ه
}
# The Persian keyboard's yeh and keheh, which some outlets type for ي and ك ("فبرایر").
PERSIAN_FOLD = {"\u06CC": "\u064A", "\u06A9": "\u0643"}

# Hamza on و or ي (ؤ ئ) -> bare hamza ء: مسؤول = مسئول, شؤون = شئون, رئيس = رءيس (the seat is a
# house or country habit: Egyptian outlets write مسئول and شئون where the wire writes مسؤول and شؤون).
SEAT_FOLD = {"\u0624": "\u0621", "\u0626": "\u0621"}
# Letters of Persian/Urdu keyboards and of Arabic spellings of v that a text or a query may carry for
# the Arabic letter (ایران, کورونا, ڤيينا, كييڤ): Farsi ya and kaf, ڤ (v) -> ف, the heh forms -> ه.
PERSIAN_LETTERS = {"\u06cc": "\u064a", "\u06a9": "\u0643", "\u06a4": "\u0641", "\u06be": "\u0647",
                   "\u06d5": "\u0647", "\u06c0": "\u0647"}
# Compound names that outlets write joined or apart (عبدالله / عبد الله, عبدالفتاح السيسي / عبد الفتاح
# السيسي, أبوظبي / أبو ظبي: WAM writes أبوظبي), at the start of a word; the platforms likewise
# (فيسبوك / فيس بوك, واتساب / واتس آب, يوتيوب / يو تيوب, تيك توك, سناب شات), with any clitics and
# article before them (بالفيسبوك, للواتساب). Patterns over normalised keys: (first part)(second part).
_PLATFORM_PREFIX = r"(?:[وف]?[بلك]?(?:ال|ل)?)"
_PLATFORMS = (("فيس", "بوك"), ("واتس", "اب"), ("يو", "تيوب"), ("تيك", "توك"), ("سناب", "شات"))
COMPOUNDS = (r"([وفبلك]?عبد)(ال\p{L}{2,})", r"([وفبلك]?ابو)(ظبي)",
             *(rf"({_PLATFORM_PREFIX}{a})({b})" for a, b in _PLATFORMS))
# The joined spelling each of COMPOUNDS reads apart (a substring test is much cheaper than the pattern)
COMPOUNDS_JOINED = ("عبدال", "ابوظبي", *(a + b for a, b in _PLATFORMS))

# NFKC folds presentation forms but not Arabic-Indic (U+0660) or Persian (U+06F0) digits.
_CHAR_MAP = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **LETTER_FOLD,
        "\u066B": ".",  # Arabic decimal separator
        "\u066C": "",  # Arabic thousands separator: ١٬٢٠٠ -> 1200
    }
)


_DIGITS_ONLY = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)


def _replacer(table: dict[int, str | None]):
    """`text.translate(table)` as a chain of `str.replace` (~50x faster on Arabic text: translate
    looks every non-ASCII character up in the dict). Same result because no replacement contains
    a character that is itself replaced."""
    pairs = tuple((chr(k), v or "") for k, v in table.items())
    if any(c in v for _, v in pairs for c, _ in pairs):
        raise ValueError("a replacement contains a mapped character: chained replace would differ from translate")

    def apply(text: str) -> str:
        for old, new in pairs:
            if old in text:
                text = text.replace(old, new)
        return text

    return apply


_map_chars = _replacer(_CHAR_MAP)
_map_digits = _replacer(_DIGITS_ONLY)
_fold_arabic = _replacer(str.maketrans(LETTER_FOLD))
_fold_with_persian = _replacer(str.maketrans({**LETTER_FOLD, **PERSIAN_FOLD}))


def fold_letters(text: str, persian: bool = False) -> str:
    """`text` with the hamza seats, ٱ, ى and ة folded (`LETTER_FOLD`), and with `persian` the
    Persian yeh and keheh too; letter for letter, so the result has `text`'s length."""
    return _fold_with_persian(text) if persian else _fold_arabic(text)


@lru_cache(maxsize=8192)
def clean_text(text: str) -> str:
    """Rendering-only cleanup (NFKC, format marks, tatweel, harakat, digits); letters untouched.

    Used by attribution, whose patterns spell out alef variants themselves. Cached: attribution
    and key stripping look at the same lines several times.
    """
    return _map_digits(_DELETED.sub("", unicodedata.normalize("NFKC", text)))


def strip_marks(text: str) -> str:
    """`text` without harakat, Quranic marks, format (bidi/zero-width) marks and tatweel; letters,
    digits and everything else untouched: "حمّـل" -> "حمل", for rules written without marks."""
    return _DELETED.sub("", text)


def normalize_text(text: str) -> str:
    """Full letter-level normalisation, keeping punctuation and line breaks."""
    return _map_chars(clean_text(text)).casefold()


@lru_cache(maxsize=1)
def spelling_variants() -> tuple[tuple[str, str], ...]:
    """(variant, canonical) pairs from data/spelling_variants.tsv, longest variant first."""
    raw = resources.files("warehouse").joinpath("data/spelling_variants.tsv").read_text("utf-8")
    pairs: list[tuple[str, str]] = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        variant, canonical = line.split("\t")[:2]
        # Entries are written by hand; normalise them the same way as the text they must match.
        pairs.append((normalize_text(variant.strip()), normalize_text(canonical.strip())))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=200_000)
def _fold_token(token: str) -> str:
    for variant, canonical in spelling_variants():
        if variant in token:
            token = token.replace(variant, canonical)
    return token


@lru_cache(maxsize=1)
def _fold_whole_text() -> bool:
    """Variants and their replacements are all word characters: an occurrence never spans two
    tokens and a rewrite never moves a token boundary, so folding the whole normalised text and
    then splitting gives the tokens `_fold_token` gives one by one (and is much cheaper)."""
    return all(_WORD.fullmatch(v) and _WORD.fullmatch(c) for v, c in spelling_variants())


def _fold_text(text: str) -> str:
    for variant, canonical in spelling_variants():
        if variant in text:
            text = text.replace(variant, canonical)
    return text


def _words(normalised: str) -> list[str]:
    if _fold_whole_text():
        return _WORD.findall(_fold_text(normalised))
    return [_fold_token(t) for t in _WORD.findall(normalised)]


def tokens(text: str) -> list[str]:
    """Normalised word tokens (`regex` \\w+, spelling variants folded)."""
    return _words(normalize_text(text))


# The dedupe key folds more than `normalize_text` (search and the other keys keep these apart, or
# fold them their own way): copies of one wire story by outlets of different countries and CMSs
# must make the same 5-grams.
_fold_key_letters = _replacer(str.maketrans({**SEAT_FOLD, **PERSIAN_LETTERS}))
# Spellings of one word that differ in more than one letter, on keys whose seats are folded: the
# final hamza written after its ya seat or on it (شيء / شئ, سيء / سيئ, بريء / برئ, هيئة: يء -> ء)
# and the old spelling of "hundred" (مائة / مئة, في المائة / في المئة, مائتي / مئتي).
KEY_SPELLINGS = (("يء", "ء"), ("ماءه", "مءه"), ("ماءت", "مءت"))
# Thousands separators between the digit groups of one number (12,500 / 12،500; ١٢٬٥٠٠ is already
# 12500): no word boundary. A comma before other than three digits (2,5), after more than three
# (2020،300) or before a space (2020، 300) stays.
_THOUSANDS = regex.compile(r"(?<![0-9])[0-9]{1,3}(?:[,\u060c][0-9]{3})+(?![0-9])")
_COMPOUND_RES = tuple(zip(COMPOUNDS_JOINED, (regex.compile(r"(?<!\p{L})" + p) for p in COMPOUNDS), strict=True))


def _drop_separators(m: regex.Match) -> str:
    return m.group().replace(",", "").replace("\u060c", "")


def fold_key(normalised: str) -> str:
    """The dedupe key's folds on a `normalize_text` result: hamza seats (`SEAT_FOLD`), Persian/Urdu
    letters (`PERSIAN_LETTERS`), `KEY_SPELLINGS`, thousands separators dropped, `COMPOUNDS` split."""
    text = _fold_key_letters(normalised)
    for old, new in KEY_SPELLINGS:
        if old in text:
            text = text.replace(old, new)
    if "," in text or "\u060c" in text:
        text = _THOUSANDS.sub(_drop_separators, text)
    for joined, pattern in _COMPOUND_RES:
        if joined in text:
            text = pattern.sub(r"\1 \2", text)
    return text


def key_tokens(text: str) -> list[str]:
    """Dedupe key tokens: `tokens` with `fold_key` applied before the text is split."""
    return _words(fold_key(normalize_text(text)))


def line_tokens(lines: list[str]) -> list[list[str]]:
    """`[key_tokens(x) for x in lines]`, normalised in one pass over the joined lines (same result:
    every step of `normalize_text` and `fold_key` is per character or stops at a line break, and
    `\\w+` never crosses one). Lines that contain a line break themselves are tokenised one by one."""
    if not lines:
        return []
    if any("\n" in x for x in lines):
        return [key_tokens(x) for x in lines]
    joined = fold_key(_normalize_uncached("\n".join(lines)))
    if _fold_whole_text():
        joined = _fold_text(joined)
        return [_WORD.findall(part) for part in joined.split("\n")]
    return [_words(part) for part in joined.split("\n")]


def _normalize_uncached(text: str) -> str:
    # normalize_text without filling clean_text's cache with a whole article
    return _map_chars(clean_text.__wrapped__(text)).casefold()


def normalize_key(text: str) -> str:
    """Matching key: normalised tokens joined by single spaces."""
    return " ".join(tokens(text))
