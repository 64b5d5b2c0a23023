"""The Arabic analysis chain of the search index: which index terms a word of the text makes, and
which terms a word of a query looks for. Pure Python, no DuckDB; chosen by measurement
(bench/search_eval.py, bench/RESULTS.md "Search").

A word goes through four steps:

1. **Matching key** (``search_key``): ``warehouse.arabic.normalize_key`` (NFKC, no harakat /
   tatweel / bidi marks, أإآٱ→ا, ى→ي, ة→ه, Arabic-Indic digits → ASCII, the shared spelling
   variants such as امريك→اميرك) plus hamza seats folded (ؤ→و, ئ→ي: مسؤول = مسئول). The
   dedupe key in warehouse/arabic.py is used as is and never changed from here.
2. **Stopwords**: the shipped list (``warehouse/data/arabic_stopwords.txt``) makes no term.
3. **Proclitics**. The article and its combinations (ال وال فال بال كال لل ولل) are stripped. A
   single و (and ف, ب, ل, ك) cannot be told from a first root letter (وزارة, فرنسا, بريطانيا,
   لبنان, كتاب), so a word of the *text* is indexed under both readings (وزارة → وزار and زار;
   بغزة → بغزه and غزه), while a word of a *query* keeps its first letter (an analyst types
   "وزارة", not "and-زارة"). So a query never meets a spurious reading of its own, and
   still meets every clitic form in the text.
4. **Suffixes**, stripped repeatedly, longest first, while at least three letters remain:
   pronouns (ها هم هما كم نا ه), number and gender (ات ون ين ان, ه from ة), nisba (ي يه), and
   the accusative alef (عاما → عام; أمريكا → امريك, so the country meets its adjective
   الأمريكي). Stripping to a fixed point lets لبنان, لبناني and اللبنانيين meet at لبن, which a
   single pass (Lucene's ArabicStemmer, light10) cannot. A ت left bare by a suffix (حكومتها,
   حكومتين) is also read as the ة it was (→ حكوم), as an extra term.
5. **Broken plurals** that no affix rule can join (دولة/دول is fine, but سوق/أسواق, وزير/وزراء,
   طفل/أطفال are not) come from a hand-written list of common news nouns
   (``warehouse/data/search_plurals.txt``): both forms index and query as the singular's stem.

Every word yields a small *set* of terms. Documents are indexed under all of them; a query word
matches a document holding any of its query terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from warehouse.arabic import normalize_key

# Bump when any rule, list or the tokenizer below changes: the index is then rebuilt (streamed).
ANALYZER_VERSION = "a1"

# What a word is, in the raw text: letters, marks (harakat), digits, format marks (bidi/ZWJ, which
# normalize_key deletes) and the connector. DuckDB's RE2 understands the same classes, so the index
# build can split text in SQL exactly like queries are split here.
RAW_TOKEN = r"[\p{L}\p{M}\p{N}\p{Cf}_]+"
_RAW_TOKEN = regex.compile(RAW_TOKEN)
_ARABIC = regex.compile(r"^[\u0620-\u064a]+$")

_SEATS = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a"})

# Step 3: definite article with the clitics that may precede it, longest first.
ARTICLE_PREFIXES = ("ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
# Step 4, longest first. ه covers both ة (folded) and the pronoun.
SUFFIXES = ("هما", "كما", "تان", "تين", "ها", "هم", "هن", "كم", "نا", "ات", "ون", "ين", "ان", "يه",
            "ه", "ي", "ا")
# After these, a bare ت was a ة (حكومتها, حكومتان).
_T_BEFORE = frozenset({"هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه", "ي", "ان", "ين"})
MIN_STEM = 3


def search_key(text: str) -> str:
    """Matching key of a text for search: normalize_key plus hamza-seat folding."""
    return normalize_key(text).translate(_SEATS)


def raw_tokens(text: str) -> list[str]:
    """Split raw text into raw words, as the index build does in SQL (``RAW_TOKEN``)."""
    return _RAW_TOKEN.findall(text)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, as matching keys."""
    raw = resources.files("warehouse").joinpath("data/arabic_stopwords.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(search_key(line).split())
    return frozenset(words)


@lru_cache(maxsize=1)
def plural_groups() -> dict[str, str]:
    """Stem of a broken plural (or of a singular) -> the stem its group indexes under."""
    raw = resources.files("warehouse").joinpath("data/search_plurals.txt").read_text("utf-8")
    out: dict[str, str] = {}
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        forms = [search_key(f) for f in line.split()]
        forms = [f for f in forms if f]
        if len(forms) < 2:
            continue
        head = _stems(forms[0], Options())[0]
        for form in forms[1:]:
            for stem in _stems(form, Options()):
                out.setdefault(stem, head)
    return out


@lru_cache(maxsize=1)
def keep_words() -> frozenset[str]:
    """Keys at which suffix stripping stops (البحرين is not بحر + ين), article stripped."""
    raw = resources.files("warehouse").joinpath("data/search_keep.txt").read_text("utf-8")
    out: set[str] = set()
    for line in raw.splitlines():
        for word in search_key(line.split("#", 1)[0]).split():
            out.add(_strip_article(word))
    return frozenset(out)


@dataclass(frozen=True)
class Options:
    """Switches of the chain, so the benchmark can measure each rule (defaults = the chosen chain)."""
    clitics: bool = True        # index the و/ف/ب/ل/ك-stripped reading of text words
    iterate: bool = True        # strip suffixes to a fixed point (False: one pass, like light10)
    alef: bool = True           # strip the accusative/country final alef
    ta: bool = True             # read a bare ت before a suffix as ة
    plurals: bool = True        # broken-plural list
    keep: bool = True           # stop at the names in search_keep.txt
    min_stem: int = MIN_STEM


DEFAULT = Options()


def _strip_suffixes(word: str, opt: Options) -> list[str]:
    out: list[str] = []
    keep = keep_words() if opt.keep else frozenset()
    while True:
        if word in keep:
            out.append(word)
            return out
        for suf in SUFFIXES:
            if suf == "ا" and not opt.alef:
                continue
            if word.endswith(suf) and len(word) - len(suf) >= opt.min_stem:
                word = word[: -len(suf)]
                if opt.ta and suf in _T_BEFORE and word.endswith("ت") and len(word) - 1 >= opt.min_stem:
                    out.append(word[:-1])
                break
        else:
            out.append(word)
            return out
        if not opt.iterate:
            out.append(word)
            return out


def _stems(key: str, opt: Options) -> list[str]:
    """Stems of one clitic-free reading, the main one first."""
    stems = _strip_suffixes(key, opt)
    main = stems[-1]
    rest = stems[:-1]
    return [main, *rest] if rest else [main]


def _strip_article(key: str) -> str:
    for pre in ARTICLE_PREFIXES:
        if key.startswith(pre) and len(key) - len(pre) >= 2:
            return key[len(pre):]
    return key


def _readings(key: str, text_side: bool, opt: Options) -> list[str]:
    """Clitic-free readings of a key: the article always; single proclitics on the text side."""
    out = [_strip_article(key)]
    if key.startswith("لل") and len(key) >= 5:  # لل + word starting with ل: للاجئين = ل + اللاجئين
        out.append(key[1:])
    if text_side and opt.clitics:
        for conj in CONJUNCTIONS:
            if key.startswith(conj) and len(key) - 1 >= 3:
                rest = key[1:]
                out.append(_strip_article(rest))
                for prep in PREPOSITIONS:
                    if rest.startswith(prep) and len(rest) - 1 >= 3:
                        out.append(rest[1:])
        for prep in PREPOSITIONS:
            if key.startswith(prep) and len(key) - 1 >= 3:
                out.append(key[1:])
    return out


def _terms(key: str, text_side: bool, opt: Options) -> tuple[str, ...]:
    if not key or key in stopwords():
        return ()
    if not _ARABIC.match(key):  # Latin, digits, mixed: the key itself
        return (key,)
    groups = plural_groups() if opt.plurals else {}
    terms: list[str] = []
    for reading in _readings(key, text_side, opt):
        for stem in _stems(reading, opt):
            stem = groups.get(stem, stem)
            if stem not in terms:
                terms.append(stem)
    return tuple(terms)


@lru_cache(maxsize=500_000)
def index_terms(key: str, opt: Options = DEFAULT) -> tuple[str, ...]:
    """Terms a word of the text (one matching key, no spaces) is indexed under."""
    return _terms(key, True, opt)


@lru_cache(maxsize=100_000)
def query_terms(key: str, opt: Options = DEFAULT) -> tuple[str, ...]:
    """Terms a query word (one matching key) looks for; a document matches with any of them."""
    return _terms(key, False, opt)


def keys(text: str) -> list[str]:
    """Matching keys of the words of a text, in order (stopwords included)."""
    return search_key(text).split()


__all__ = [
    "ANALYZER_VERSION", "DEFAULT", "Options", "RAW_TOKEN", "index_terms", "keys", "plural_groups",
    "query_terms", "raw_tokens", "search_key", "stopwords",
]
