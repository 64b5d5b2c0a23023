"""Arabic matching keys: normalise for comparison only, never the stored text.

The `regex` module is used on purpose: stdlib `re` treats harakat as non-word characters and splits
"عُقِدَ" into three tokens, so every matching path tokenises here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import regex

from warehouse.data_files import data_lines

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
# Proclitics, the one list of them every matching path reads (dedupe's content words, search's
# analyser, the number and compound folds below): a conjunction, a preposition, or both, before a
# word (وب, فل: a conjunction stands first); and the article with the clitics that may stand before
# it, longest first (ل + ال is written لل; و + ب + ال: وبالحكومة, فبالتالي, فكالعادة). Not وكال: وكالة,
# وكالات (agency) begin so. No run is the start of another but و, ف before theirs, so at most one
# article run begins a word.
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
CLITIC_RUNS = (*(c + p for c in CONJUNCTIONS for p in PREPOSITIONS), *CONJUNCTIONS, *PREPOSITIONS)
ARTICLE_PREFIXES = ("وبال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")

# Compound names that outlets write joined or apart (عبدالله / عبد الله, عبدالفتاح السيسي / عبد الفتاح
# السيسي, أبوظبي / أبو ظبي: WAM writes أبوظبي), at the start of a word; the platforms likewise
# (فيسبوك / فيس بوك, واتساب / واتس آب, يوتيوب / يو تيوب, تيك توك, سناب شات), with any clitics and
# article before them (بالفيسبوك, للواتساب). Patterns over normalised keys: (first part)(second part).
_PLATFORM_PREFIX = rf"(?:[{''.join(CONJUNCTIONS)}]?[{''.join(PREPOSITIONS)}]?(?:ال|ل)?)"
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


# Longest text `clean_text` caches: a line or a paragraph (what attribution and the keys look at
# several times), never a whole article. A whole article is cleaned once, by the content hash and
# the search keys; cached, its text and its cleaned copy stayed in memory until 8,192 other texts
# pushed them out: ~60 MB of article texts held by a long run's command (issue 18, memory).
CLEAN_CACHE_CHARS = 1000


def clean_text(text: str) -> str:
    """Rendering-only cleanup (NFKC, format marks, tatweel, harakat, digits); letters untouched.

    Used by attribution, whose patterns spell out alef variants themselves. Cached for lines up
    to `CLEAN_CACHE_CHARS`: attribution and key stripping look at the same lines several times.
    """
    return _clean_line(text) if len(text) <= CLEAN_CACHE_CHARS else _clean_text(text)


def _clean_text(text: str) -> str:
    return _map_digits(_DELETED.sub("", unicodedata.normalize("NFKC", text)))


_clean_line = lru_cache(maxsize=8192)(_clean_text)


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
    pairs: list[tuple[str, str]] = []
    for line in data_lines("warehouse", "spelling_variants.tsv"):
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
# Transliterations that differ in more than the letters folded above (زيلينسكى is زيلينسكي once
# ى is folded; ترامب/ترمب is in data/spelling_variants.tsv): نتانياهو / نتنياهو, زيلنسكي /
# زيلينسكي, فايروس / فيروس; and, at the end of a word only (سبوتنك is Sputnik), بوتن / بوتين.
KEY_SPELLINGS = (("يء", "ء"), ("ماءه", "مءه"), ("ماءت", "مءت"), ("نتانياهو", "نتنياهو"),
                 ("زيلنسكي", "زيلينسكي"), ("فايروس", "فيروس"))
KEY_WORD_ENDS = (("بوتن", "بوتين"),)
# Thousands separators between the digit groups of one number (12,500 / 12،500; ١٢٬٥٠٠ is already
# 12500): no word boundary. A comma before other than three digits (2,5), after more than three
# (2020،300) or before a space (2020، 300) stays.
_THOUSANDS = regex.compile(r"(?<![0-9])[0-9]{1,3}(?:[,\u060c][0-9]{3})+(?![0-9])")
_WORD_END_RES = tuple((old, regex.compile(old + r"(?!\p{L})"), new) for old, new in KEY_WORD_ENDS)
_COMPOUND_RES = tuple(zip(COMPOUNDS_JOINED, (regex.compile(r"(?<!\p{L})" + p) for p in COMPOUNDS), strict=True))


def _drop_separators(m: regex.Match) -> str:
    return m.group().replace(",", "").replace("\u060c", "")


# --- numbers in the dedupe key ------------------------------------------------------------------
# One wire sentence reaches readers as "ثلاثة أشخاص", "3 أشخاص", "عشرة آلاف" / "10 آلاف" / "10,000",
# "1.5 مليار" / "مليار ونصف", "20 في المئة" / "20 بالمئة" / "20%": the agency spells small numbers
# out, outlets retype them as digits (or the other way round), so each copy breaks up to five
# 5-grams per number. The key writes every cardinal as digits. Words are normalised keys (alef,
# ya, ta marbuta, hamza seats folded; مائة/مئة -> مءه); every gender and case form of a cardinal
# is listed. Ordinals (الثالث, ثالثة, العاشر, الأول, ثاني) and forms with the article (الثلاثة,
# الاثنين, which is also Monday) are other words and are never numbers; أحد/إحدى is a number only
# inside 11 and 21..91 (alone it is "one of"/"someone" or Sunday).
_UNITS = {1: ("واحد", "واحده"), 2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي"),
          3: ("ثلاث", "ثلاثه"), 4: ("اربع", "اربعه"), 5: ("خمس", "خمسه"), 6: ("ست", "سته"),
          7: ("سبع", "سبعه"), 8: ("ثمان", "ثماني", "ثمانيه"), 9: ("تسع", "تسعه")}
_TENS = {20: "عشر", 30: "ثلاث", 40: "اربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان", 90: "تسع"}
_HUNDREDS = {100 * u: (f"{_UNITS[u][0]}مءه",) for u in range(3, 10)}
_HUNDREDS[800] = ("ثمانمءه", "ثمانيمءه")
# kind, value per word: unit, weak (أحد/إحدى), ten (عشر), tens, hundred (مئة: x100 after a unit),
# hundreds, thousand (ألف: x1000), thousands (آلاف: x1000 after a number), two_thousand, scale words
# kept as words (million, billion: بليون is the Hayat/Sharq al-Awsat word for مليار), dual scales
NUMBER_WORDS: dict[str, tuple[str, int | str]] = {
    **{w: ("unit", v) for v, ws in _UNITS.items() for w in ws},
    "احد": ("weak", 1), "احدي": ("weak", 1),
    "عشر": ("ten", 10), "عشره": ("ten", 10),
    **{f"{stem}{end}": ("tens", v) for v, stem in _TENS.items() for end in ("ون", "ين")},
    "مءه": ("hundred", 100), "مءتان": ("hundreds", 200), "مءتين": ("hundreds", 200),
    "مءتا": ("hundreds", 200), "مءتي": ("hundreds", 200),
    **{w: ("hundreds", v) for v, ws in _HUNDREDS.items() for w in ws},
    "الف": ("thousand", 1000), "الفا": ("thousand", 1000), "الاف": ("thousands", 1000),
    "الفان": ("two_thousand", 2000), "الفين": ("two_thousand", 2000), "الفا_": ("two_thousand", 2000),
    "الفي": ("two_thousand", 2000),
    **{w: ("scale", "مليون") for w in ("مليون", "مليونا", "ملايين")},
    **{w: ("scale", "مليار") for w in ("مليار", "مليارا", "مليارات", "بليون", "بليونا", "بلايين")},
    **{w: ("dual_scale", "مليون") for w in ("مليونان", "مليونين", "مليوني")},
    **{w: ("dual_scale", "مليار") for w in ("ملياران", "مليارين", "ملياري", "بليونان", "بليونين", "بليوني")},
}
del NUMBER_WORDS["الفا_"]
_PERCENT_WORD = "بالمءه"  # and "في المءه": say what "%" says, which is no word character
_NUMBER_FORMS: dict[str, tuple[str, str]] = {}  # token -> (clitics, number word)
for _pre in CLITIC_RUNS:
    for _word in NUMBER_WORDS:
        # ب ل ك before a short word is rarely a number: لست ("I am not"), بست
        if len(_word) >= 4 or _pre[-1] in "وف":
            _NUMBER_FORMS[_pre + _word] = (_pre, _word)
_NUMBER_FORMS.update({w: ("", w) for w in NUMBER_WORDS})  # واحد is a word, not و + أحد
_NUMBER_TOKENS = frozenset(_NUMBER_FORMS) | {_PERCENT_WORD, "المءه"}
# "ألفا", "مليونا", "مليارا" after a number are the singular's accusative (ثلاثة عشر ألفا = 13000);
# with none before them they are as often the dual before its noun (ألفا شخص = 2000 people,
# مليارا دولار = 2 billion) or a name (ألفا, Alpha): alone they stay words, never 1000 / one billion
_AFTER_A_NUMBER = frozenset({"الفا", "مليونا", "مليارا", "بليونا"})
_HALF = "ونصف"  # مليار ونصف (المليار): and a half
_SCALE_ARTICLE = ("المليون", "المليار")
# Tokens of the key: runs of letters and runs of digits apart, so a clitic written onto digits (و3,
# بـ5, الـ24) stands apart as it does before a number in words (وثلاثة -> و 3)
_KEY_WORD = regex.compile(r"[0-9]+|[^\W0-9]+")
# a digit against another word character: only then does `_KEY_WORD` split other than `\w+` (a
# digit first, then the look around: ~15x cheaper than searching for either pair)
_MIXED = regex.compile(r"[0-9](?<=[^\W0-9][0-9])|[0-9](?=[^\W0-9])")


def _key_split(key: str) -> list[str]:
    """`_KEY_WORD.findall(key)`, through the cheaper `\\w+` when no digit touches a letter."""
    return (_KEY_WORD if _MIXED.search(key) else _WORD).findall(key)


def _number_text(value: float) -> list[str]:
    """Key tokens of a number: 1.5 -> ["1", "5"], as the digits "1.5" tokenise."""
    return [str(int(value))] if value == int(value) else f"{value:.1f}".split(".")


def _read_number(words: list[tuple[str, str]], start: float | None) -> list[str]:
    """Key tokens of a run of number words ((و or "", word) pairs; `start`: digits before the
    first word, 10 آلاف). Words that do not combine into one number (ثلاثة وخمسة: "3 and 5") are
    written one after the other with their و."""
    out: list[str] = []
    total, cur = 0.0, start or 0.0
    kinds: list[str] = ["digits"] if start is not None else []
    lead = ""  # the و before the number being read
    scale_n = 0.0  # the number before the last scale word written

    def flush() -> None:
        nonlocal total, cur, kinds, lead
        if kinds and kinds != ["scale"]:  # a scale word has written its number already
            if lead:
                out.append(lead)
            if kinds == ["weak"]:
                out.append("احد")  # alone, أحد/إحدى is no number ("one of", "someone")
            elif kinds == ["thousands"]:
                out.append("الاف")  # عشرات الآلاف is never here (article), آلاف alone ("thousands")
            else:
                out.extend(_number_text(total + cur))
        total = cur = 0.0
        kinds, lead = [], ""

    for waw, word in words:
        if word == _HALF:
            if kinds == ["scale"] and scale_n == int(scale_n):
                scale = out.pop()
                if out and out[-1] == str(int(scale_n)):
                    out.pop()
                out.extend([*_number_text(scale_n + 0.5), scale])
                scale_n += 0.5
            else:
                flush()
                out.append(_HALF)
            continue
        kind, value = NUMBER_WORDS[word]
        last = kinds[-1] if kinds else None
        if kind in ("scale", "dual_scale"):
            if kind == "dual_scale" or not kinds or last == "scale" or waw:
                flush()
                lead, n = waw, (2.0 if kind == "dual_scale" else 1.0)
            else:
                n = total + cur
            if lead:
                out.append(lead)
            # "مليار دولار" stays a word, as outlets write it (not "1 مليار")
            out.extend([*(_number_text(n) if kind == "dual_scale" or kinds else []), str(value)])
            scale_n, total, cur = n, 0.0, 0.0
            kinds, lead = ["scale"], ""
            continue
        if last == "scale":
            kinds = []
        joins = False
        if kinds:
            small = cur % 100
            if kind == "ten" and not waw and last in ("unit", "weak") and small < 10:
                cur, joins = cur + 10, True
            elif kind == "tens" and waw and last in ("unit", "weak") and small < 10:
                cur, joins = cur + value, True
            elif kind == "hundred" and not waw and last == "unit" and cur < 10:
                cur, joins = cur * 100, True
            elif kind in ("thousand", "thousands") and not waw and total == 0 and "weak" not in kinds:
                total, cur, joins = (cur or 1.0) * 1000, 0.0, True
            elif waw and kind in ("unit", "tens", "ten", "hundred", "hundreds", "weak") and cur == 0 and total > 0:
                cur, joins = float(value), True
            elif waw and kind in ("unit", "tens", "ten") and last in ("hundred", "hundreds") and small == 0:
                cur, joins = cur + value, True
        if joins:
            kinds.append(kind)
            continue
        flush()
        lead, kinds = waw, [kind]
        if kind in ("thousand", "two_thousand"):
            total = float(value)
        elif kind != "thousands":
            cur = float(value)
    flush()
    return out


def _positions(toks: list[str], token: str) -> Iterator[int]:
    """Where `token` is in `toks` (list.index: a C loop, cheaper than testing every token)."""
    j = -1
    while True:
        try:
            j = toks.index(token, j + 1)
        except ValueError:
            return
        yield j


def _digits(token: str) -> bool:
    """ASCII digits of a size a float holds exactly (other scripts' digits, ², ① and a run of
    400 digits are left as they are)."""
    return token.isascii() and token.isdigit() and len(token) <= 15


def fold_number_tokens(toks: list[str]) -> list[str]:
    """Key tokens with numbers as digits: runs of cardinal words (`NUMBER_WORDS`, the first with
    its clitics split off: وثلاثة -> و 3), digits with a thousands word (10 آلاف -> 10000), millions
    and billions as a number and one scale word (ثلاثة ملايين / 3 ملايين -> 3 مليون; مليار ونصف
    المليار -> 1 5 مليار, as "1.5 مليار" tokenises); the percent words dropped ("%" is no token)."""
    if _NUMBER_TOKENS.isdisjoint(toks):
        return toks
    found = _NUMBER_TOKENS.intersection(toks)
    out: list[str] = []
    n = len(toks)
    i = 0  # toks[:i] are read
    for hit in sorted(j for t in found for j in _positions(toks, t)):
        if hit < i:
            continue  # read with a run
        out += toks[i:hit]
        t = toks[hit]
        i = hit + 1
        form = _NUMBER_FORMS.get(t)
        if form is None:
            if t == "المءه" and out and out[-1] == "في":
                out.pop()
            elif t != _PERCENT_WORD:
                out.append(t)
            continue
        pre, word = form
        start = None
        if not pre and NUMBER_WORDS[word][0] in ("thousand", "thousands", "scale") and out and _digits(out[-1]) \
                and not (len(out) > 1 and out[-2].isdigit()):  # 10 آلاف, not the 5 of 1.5 آلاف
            start = float(out.pop())
        elif word in _AFTER_A_NUMBER:
            out.append(t)
            continue
        words = [("", word)]
        while i < n:
            nxt = toks[i]
            f = _NUMBER_FORMS.get(nxt)
            if f is not None and f[0] in ("", "و"):
                words.append(f)
            elif nxt == _HALF:
                words.append(("و", _HALF))
                if i + 1 < n and toks[i + 1] in _SCALE_ARTICLE:
                    i += 1
            else:
                break
            i += 1
        if pre:
            out.append(pre)
        out.extend(_read_number(words, start))
    out += toks[i:]
    return out


def fold_key(normalised: str) -> str:
    """The dedupe key's folds on a `normalize_text` result: hamza seats (`SEAT_FOLD`), Persian/Urdu
    letters (`PERSIAN_LETTERS`), `KEY_SPELLINGS`, `KEY_WORD_ENDS`, thousands separators dropped,
    `COMPOUNDS` split."""
    text = _fold_key_letters(normalised)
    for old, new in KEY_SPELLINGS:
        if old in text:
            text = text.replace(old, new)
    for old, pattern, new in _WORD_END_RES:
        if old in text:
            text = pattern.sub(new, text)
    if "," in text or "\u060c" in text:
        text = _THOUSANDS.sub(_drop_separators, text)
    for joined, pattern in _COMPOUND_RES:
        if joined in text:
            text = pattern.sub(r"\1 \2", text)
    return text


def _key_words(key: str) -> list[str]:
    """Dedupe key tokens of a `fold_key` result: spelling variants folded, letters and digits apart
    (`_KEY_WORD`), numbers as digits (`fold_number_tokens`)."""
    if _fold_whole_text():
        return fold_number_tokens(_key_split(_fold_text(key)))
    return fold_number_tokens([w for t in _WORD.findall(key) for w in _KEY_WORD.findall(_fold_token(t))])


def key_tokens(text: str) -> list[str]:
    """Dedupe key tokens: `fold_key` applied before the text is split (`_key_words`)."""
    return _key_words(fold_key(normalize_text(text)))


def line_tokens(lines: list[str]) -> list[list[str]]:
    """`[key_tokens(x) for x in lines]`, normalised in one pass over the joined lines (same result:
    every step of `normalize_text` and `fold_key` is per character or stops at a line break, and
    the tokens and numbers are read line by line). Lines that contain a line break themselves are
    tokenised one by one."""
    if not lines:
        return []
    if any("\n" in x for x in lines):
        return [key_tokens(x) for x in lines]
    joined = fold_key(_normalize_uncached("\n".join(lines)))
    if _fold_whole_text():
        joined = _fold_text(joined)
        split = _key_split if _MIXED.search(joined) else _WORD.findall
        parts = [split(part) for part in joined.split("\n")]
        return [t if _NUMBER_TOKENS.isdisjoint(t) else fold_number_tokens(t) for t in parts]
    return [_key_words(part) for part in joined.split("\n")]


def _normalize_uncached(text: str) -> str:
    # normalize_text without filling clean_text's cache with the joined lines
    return _map_chars(_clean_text(text)).casefold()


def normalize_key(text: str) -> str:
    """Matching key: normalised tokens joined by single spaces."""
    return " ".join(tokens(text))
