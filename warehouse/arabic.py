"""Arabic matching keys: normalise for comparison only, never the stored text.

The `regex` module is used on purpose: stdlib `re` treats harakat as non-word characters and splits
"عُقِدَ" into three tokens, so every matching path tokenises here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import regex

# Harakat, tanwin, shadda, sukun, dagger alef, Quranic annotation marks and small high letters.
_MARKS = regex.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF]")
# Bidi/zero-width/BOM marks are category Cf and survive NFKC; delete them (outlets wrap numbers in them).
_FORMAT = regex.compile(r"\p{Cf}")
_TATWEEL = "\u0640"
_WORD = regex.compile(r"\w+")

# NFKC folds presentation forms but not Arabic-Indic (U+0660) or Persian (U+06F0) digits.
_CHAR_MAP = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064A",  # ى -> ي (CAMeL convention, not PyArabic's ى -> ا)
        "\u0629": "\u0647",  # ة -> ه
        "\u066B": ".",  # Arabic decimal separator
        "\u066C": "",  # Arabic thousands separator: ١٬٢٠٠ -> 1200
    }
)


_DIGITS_ONLY = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
_NON_ASCII_DIGIT = regex.compile(r"[\u0660-\u0669\u06F0-\u06F9]")


@lru_cache(maxsize=8192)
def clean_text(text: str) -> str:
    """Rendering-only cleanup (NFKC, format marks, tatweel, harakat, digits); letters untouched.

    Used by attribution, whose patterns spell out alef variants themselves. Cached: attribution
    and key stripping look at the same lines several times.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _FORMAT.sub("", text)
    text = text.replace(_TATWEEL, "")
    text = _MARKS.sub("", text)
    # str.translate with a dict walks every character; skip it when there is nothing to map.
    return text.translate(_DIGITS_ONLY) if _NON_ASCII_DIGIT.search(text) else text


def normalize_text(text: str) -> str:
    """Full letter-level normalisation, keeping punctuation and line breaks."""
    return clean_text(text).translate(_CHAR_MAP).casefold()


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


def tokens(text: str) -> list[str]:
    """Normalised word tokens (`regex` \\w+, spelling variants folded)."""
    return [_fold_token(t) for t in _WORD.findall(normalize_text(text))]


def normalize_key(text: str) -> str:
    """Matching key: normalised tokens joined by single spaces."""
    return " ".join(tokens(text))
