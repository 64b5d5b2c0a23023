"""Which wire agency a story comes from, with the evidence kept for audit.

Input is extracted body text, one paragraph per line. Evidence weights:

* strong (3): a credit at the start, read part by part (places, dates, outlets, reporters and
  agencies between dashes, colons, brackets, commas or quotes, in any order: "واشنطن -رويترز",
  "فيينا (أ ف ب) -", "واس - الرياض:", "برلين: أ ف ب", "الوئام - رويترز:", "رويترز (القدس)",
  "أنقرة / فلان / الأناضول", its reporters "غزة - مراسلو الأناضول"; SPA's unpunctuated "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس"
  through the dateline city list tasks/data/dateline_cities.tsv), a source line ("المصدر: رويترز"),
  a closing sign-off ("(رويترز)", «الفرنسية», a last sentence "بحسب رويترز."), a line that is only
  a credit, or the wire's self-reference ("ولم تستطع رويترز التثبت", only an agency writes it);
* medium (2): "said to X" ("قال ... لوكالة فرانس برس", "لرويترز"): the agency's own reporter asked;
* weak (1): citing ("نقلت وكالة رويترز", "بحسب رويترز", "وفقا لرويترز"): an outlet quoting a wire.

A page is attributed only on strong evidence, so one citation in an outlet's own story (or a quote an
official gave a wire) does not make it a wire copy: medium and weak mentions are kept as cited
sources, and name the wire only after a "وكالات" credit (see `attribute`). Photo captions and credits are recognised and never
count: a caption is a noun phrase ("الرئيس المصري خلال لقائه نظيره الفرنسي - رويترز"), while a clause
of the story ending in its credit ("وتراجعت أسعار النفط بنسبة 3% (رويترز)", or one opened by its verb,
"سيطرت القوات على البلدة (رويترز)": `reads_as_sentence`) is the story's sign-off; a name and a credit alone above a line that opens with another wire's dateline
("جو بايدن (أ ف ب)" over "واشنطن (رويترز) - …") or another place's dateline with no agency ("غزة (أ ف ب)"
over "القدس - …": a story has one dateline, the one its text follows) is the picture's caption, not a second dateline, and
so is a person named by their title and a credit ("وزير الخارجية الأمريكي (رويترز)") or by a personal name
alone ("محمد بن سلمان - رويترز": a listed given name first, tasks/data/given_names.txt, or "بن"/"عبد ال…";
a foreign name's shape, two or three words with no article, no listed place and no place's word, on a line of
its own: "خافيير ميلي (أ ف ب)", `bare_personal_name`;
"نتنياهو (أ ف ب)" when the story below names "بنيامين نتنياهو" or "الرئيس نتنياهو", or when it closes the
text and the story above names them; "ماركو روبيو - رويترز" when the story names "وزير الخارجية الأمريكي ماركو
روبيو" or has "وقال روبيو"), by an honorific ("الشيخ صباح الأحمد", "الدكتور …", "أبو محمد الجولاني") or with
a caption's words ("ماكرون خلال مؤتمر صحافي", "ميركل تلقي كلمة"), wherever it is, and a person attending in the
Egyptian captions' present ("يشهد الرئيس … (أ ش أ)"). Place evidence keeps a dateline whose place opens like a
name: a place's word or a town's suffix ("قصر بن غشير", "جورج تاون", "فيصل آباد": `names_a_place`), a region
of three or four words ("ريف دمشق الغربي", "شمال قطاع غزة") or a place and where it lies ("مخيم النصيرات
وسط قطاع غزة"), a place then an outlet or a reporter ("واشنطن - الخليج - رويترز": `place_parts`), a date
after the place ("جورج تاون في 6 ديسمبر (أ ف ب)"), the dateline city list, the story giving the
name as a place ("في مدينة نوفا كاخوفكا", "قرب زونغولداق إرغلي", "ولاية زونغولداق": `named_as_place`). An official's meeting or visit in the past closing the text, short,
with nothing a story's sentence adds ("استقبل الرئيس السيسي وزير الخارجية الأمريكي في قصر الاتحادية (أ ش
أ)": `_scene_caption`), is the caption of the picture printed under the story.
A wire named inside the story's sentences ("وقال، بحسب ما أوردته وكالة رويترز، إن …", "ونقلا عن
وكالة …") is a citation (weak); a last sentence that only names it ("بحسب ما أوردته وكالة …") is the credit.
Short or ambiguous acronyms (قنا, بترا, وام, واس, أ ب …) count only in anchored positions.
A name that folds to a common word (AMI's "ومأ", "وما") counts only in a dateline, in brackets or after a
listed place and a dash ("نواكشوط - (ومأ) - …").
Names are matched with the hamza seats, ة and ى folded ("الوكالة الوطنية للاعلام", "إفى"), an acronym
also printed letter by letter ("ق.ن.ا", "يو.بي.آي"), a source line also in brackets ("(المصدر: رويترز)")
or with no mark after its label ("المصدر رويترز", two elements run together), a sign-off also in square
brackets, between slashes ("/العمانية/") or after a dash that follows the last sentence (". - رويترز").

An agency does not credit itself: on an outlet that is a wire agency's own service (catalog
`agency = ...`), a copy whose text credits no agency is that agency's, as strong evidence
(`own_service`); one whose text credits an agency (Anadolu's Arabic service republishing a
"(رويترز)" story) keeps what its text says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from re import _constants as re_constants
from re import _parser as re_parser

import regex

from warehouse.arabic import CLEAN_CACHE_CHARS, clean_text, fold_letters
from warehouse.data_files import data_lines

STRONG, MEDIUM, WEAK = 3.0, 2.0, 1.0
MULTIPLE = "multiple"


@dataclass
class Attribution:
    agency: str | None = None  # wire agency whose copy this is (strong evidence only)
    evidence: str | None = None
    score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)  # agencies the text quotes or cites, not copies


@dataclass(frozen=True)
class _Agency:
    id: str
    free: regex.Pattern | None
    anchored: regex.Pattern  # free + anchored-only forms
    bracketed: regex.Pattern | None = None  # forms that fold to a common word: a dateline's, bracketed or after a place
    # a literal each free form cannot match without (casefolded), or None: a line holding none of
    # them names the agency nowhere (`_in_text` skips the search)
    free_needs: tuple[str, ...] | None = None


# Writers drop the hamza ("للانباء", "الاناضول"), end a word with ه for ة ("وكاله") and with ى for ي
# ("إفى"): agency names are matched with those letters folded, in the text and in the lexicon alike
# (one letter for one, so positions in the folded text are positions in the text).


def fold(text: str) -> str:
    """`text` with hamza seats, ة and ى folded as agency names are matched (same length)."""
    return fold_letters(text)


def _alternation(patterns: str) -> str:
    return "|".join(f"(?:{p})" for p in _forms(patterns))


def _forms(patterns: str) -> list[str]:
    return [fold(p.strip()) for p in patterns.split(" | ") if p.strip()]


# What the standard library would read otherwise than the regex module: a POSIX class or a nested
# set ("[[:alpha:]]"), fuzzy matching ("{e<=1}"), properties, named lists, version or reverse flags.
_ONLY_REGEX_READS = regex.compile(r"\[\[|\[:|\{[^\d,]|\\[pPLNXGmM]|\(\?[^:!=<P#]")


def _needed_literal(pattern: str) -> str | None:
    """The longest run of plain letters (2 or more) `pattern` matches only through, casefolded, read
    with the standard library's parser ("رويترز?" needs "رويتر", "(?:ال)?[اا]سوشي[يت]*د" needs "سوشي");
    None when it has none or the parser cannot read it. Casefolded, because a case-insensitive
    match of the run is a substring of the casefolded text (casefold maps letter by letter)."""
    if _ONLY_REGEX_READS.search(pattern):
        return None
    try:
        parsed = re_parser.parse(pattern)
    except Exception:  # noqa: BLE001 — a form only the regex module reads: no shortcut for it
        return None
    runs, run = [], ""
    for op, arg in parsed:
        if op is re_constants.LITERAL:
            run += chr(arg)
        else:
            runs.append(run)
            run = ""
    best = max([*runs, run], key=len)
    return best.casefold() if len(best) >= 2 else None


def _free_needs(patterns: str) -> tuple[str, ...] | None:
    needs = [_needed_literal(p) for p in _forms(patterns)]
    return tuple(n for n in needs if n) if needs and all(needs) else None


@lru_cache(maxsize=1)
def agencies() -> tuple[_Agency, ...]:
    out: list[_Agency] = []
    for line in data_lines("warehouse", "agencies.tsv"):
        cols = (line.split("\t") + ["", "", "", "", ""])[:5]
        ident, _name, free, anchored, bracketed = (c.strip() for c in cols)
        free_alt = _alternation(free)
        all_alt = "|".join(a for a in (free_alt, _alternation(anchored)) if a)
        bracketed_alt = _alternation(bracketed)
        out.append(
            _Agency(
                id=ident,
                free=regex.compile(free_alt, regex.I) if free_alt else None,
                anchored=regex.compile(all_alt, regex.I),
                bracketed=regex.compile(bracketed_alt, regex.I) if bracketed_alt else None,
                free_needs=_free_needs(free),
            )
        )
    return tuple(out)


# (matched on folded text: tasks/attribution.fold)
_AGENCY_WORD = regex.compile(r"^(?:ال)?وكاله\s+(?:(?:ال)?انباء\s+)?")
# What follows an agency's name in its full title: "وكالة الأناضول للأنباء", "وكالة معا الإخبارية",
# "Anadolu Agency"; and the name of its Arabic service: "سبوتنيك عربي", "الأناضول بالعربية", "Sputnik Arabic".
_AGENCY_TAIL = regex.compile(r"(?:\s+(?:للانباء|الاخباريه|الرسميه|الدوليه|(?:news\s+)?agency|(?:بال|ال)?عربي[هة]?|arabic))+$",
                             regex.I)
_WITH_ABBREVIATION = regex.compile(r"(?P<name>[^()]+?)\s*\((?P<abbr>[^()]+)\)")
# An acronym printed letter by letter, with dots or spaces: "ق.ن.ا", "و.ا.س", "ك و ن ا".
_SPELLED_OUT = regex.compile(r"[^\W\d_](?:\s*\.\s*|\s+)(?:[^\W\d_](?:\s*\.\s*|\s+)){0,3}[^\W\d_]\.?")
_DOTS_SPACES = regex.compile(r"[\s.]+")
_SPACES = regex.compile(r"\s+")
_LATIN_BY = regex.compile(r"^by\s+", regex.I)
_BRACKETED = regex.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]")


@lru_cache(maxsize=8192)  # a pure function of the span: datelines and credits repeat across texts
def identify(span: str) -> str | None:
    """Agency id when the whole span names one agency (anchored forms allowed), else None: the
    name alone ("رويترز", "واس"), in its full title ("وكالة الأناضول للأنباء"), or with its
    abbreviation ("وكالة أنباء الإمارات (وام)", "وكالة الأنباء الرسمية السورية سانا")."""
    span = fold(clean_text(span).strip(" \t«»\"'.-–—:/،,"))
    if not span:
        return None
    span = _LATIN_BY.sub("", span)  # a Latin byline: "By Reuters"
    if bracketed := _BRACKETED.fullmatch(span):  # "المصدر: (أ ف ب)"
        span = bracketed.group(1)
    if _SPELLED_OUT.fullmatch(span):  # "ق.ن.ا" is "قنا"
        return _fullmatch(span) or _fullmatch(_DOTS_SPACES.sub("", span))
    if m := _WITH_ABBREVIATION.fullmatch(span):
        name, abbr = identify(m.group("name")), identify(m.group("abbr"))
        if name and abbr in (None, name):  # "رويترز (بتصرف)"
            return name
        return abbr if abbr and name is None and _AGENCY_WORD.match(m.group("name")) else None
    bare = _AGENCY_WORD.sub("", span)
    for candidate in (span, bare, _AGENCY_TAIL.sub("", span), _AGENCY_TAIL.sub("", bare)):
        if found := _fullmatch(candidate):
            return found
    if bare != span:  # "وكالة <description> <abbreviation>"
        words = bare.split()
        for n in (2, 1):
            if len(words) > n and (found := _fullmatch(" ".join(words[-n:]))) and found != MULTIPLE:
                return found
    return None


def credit_names() -> str:
    """Every agency's names (free and anchored forms of warehouse/data/agencies.tsv) as one regex
    alternation, to be matched on `fold`ed text: the list tasks.cleanup reads a caption's credit with."""
    return "|".join(f"(?:{ag.anchored.pattern})" for ag in agencies())


@lru_cache(maxsize=1)
def _any_anchored() -> regex.Pattern:
    """Every agency's free and anchored forms as one alternation: a span no agency's pattern
    matches as a whole fails this one as a whole too (same flags), at the cost of one match."""
    return regex.compile("|".join(f"(?:{ag.anchored.pattern})" for ag in agencies()), regex.I)


def _fullmatch(candidate: str) -> str | None:
    if not _any_anchored().fullmatch(candidate):
        return None  # most spans name no agency: one match instead of one per agency
    for ag in agencies():
        if ag.anchored.fullmatch(candidate):
            return ag.id
    return None


# Credits in a list: "أ ف ب، رويترز", "رويترز / أ ف ب", "أ ف ب و رويترز" (`identify_all`); "و" and "&" only (`_credit_ids`).
_CREDIT_LIST = regex.compile(r"\s*[،,/;+]\s*|\s+[-–]\s+|\s+و\s?(?=\S)")
_AND = regex.compile(r"\s+و\s?(?=\S)|\s*&\s*")
_DIGIT = regex.compile(r"\d")
_WORD = regex.compile(r"\S+")


def identify_all(span: str) -> list[str]:
    """Agency ids in a multi-credit span such as "أ ف ب، رويترز" (order kept, duplicates dropped)."""
    whole = identify(span)
    parts = [span] if whole else _CREDIT_LIST.split(span)
    ids = [identify(part) for part in parts]
    for i, part in enumerate(parts):  # "قنا - أحمد محمد": Qena and a correspondent, not QNA
        if ids[i] and len(parts) > 1 and is_city(part):
            others = any(a for j, a in enumerate(ids) if j != i)
            ids[i] = None if others or (i == 0 and not is_city(parts[1])) else ids[i]
    return list(dict.fromkeys(a for a in ids if a))


# --- line classes -------------------------------------------------------------------------------

_DASH = r"[-–—]"
# The old single-pattern dateline, kept for an outlet's own dateline ("القاهرة - «الساحل»:"), which
# marks where the text starts without naming an agency.
_DATELINE = regex.compile(
    rf"""^\s*(?P<city>[^\W\d]+(?:\s+[^\W\d]+){{0,2}}?)
    (?:\s+(?:في\s+)?\d{{1,2}}\s*[^\W\d]+(?:\s+(?:الثاني|الأول|الاول))?)?
    (?:\s*{_DASH}\s*\d{{1,2}}\s*[-–/]\s*\d{{1,2}})?
    \s*(?:
        (?:{_DASH}\s*)?\((?P<paren>[^()\n]{{1,40}})\)
      | (?:{_DASH}|/)\s*(?:(?P<mid>[^/\n:]{{1,40}})/\s*)?(?P<dash>[^:()\n/]{{1,40}}?)\s*(?=$|\s*[:/]|{_DASH}|\s{_DASH})
    )""",
    regex.X,
)
# "المصدر: رويترز", also in brackets: "(المصدر: أ ف ب)", "[Source: Reuters]".
_SOURCE_LINE = regex.compile(
    r"^\s*(?P<open>[(\[])?\s*(?:المصدر|المصادر|مصدر\s+الخبر|source)\s*[:：\-–]\s*(?P<src>.{1,80}?)\s*\.?\s*(?(open)[)\]])\s*\.?\s*$",
    regex.I,
)
# A source line whose label and value sat in two elements, with no mark between them once the page's
# text is flattened: "المصدر رويترز". Counts only when the rest names an agency.
_BARE_SOURCE_LINE = regex.compile(r"^\s*(?:المصدر|مصدر\s+الخبر|source)\s+(?P<src>[^:：\-–|\s].{0,40}?)\s*\.?\s*$", regex.I)


def _source_line(line: str) -> regex.Match | None:
    """The line as a source line ("المصدر: رويترز", "(المصدر: أ ف ب)", "المصدر رويترز"), else None."""
    if m := _SOURCE_LINE.match(line):
        return m
    m = _BARE_SOURCE_LINE.match(line)
    return m if m and source_ids(m.group("src")) else None


# "المصدر: عن رويترز", "المصدر: بتصرف عن الأناضول": the source as the story was taken from it.
_TAKEN_FROM = regex.compile(r"^(?:(?:نقلا|نقلاً|بتصرف)\s+)?عن\s*:?\s+")


# The story's source printed alone as it was taken from it, with no "المصدر" label: "نقلا عن رويترز",
# "(نقلاً عن وكالة الأناضول)", "بتصرف عن الجزيرة نت", "عن موقع روسيا اليوم".
_TAKEN_FROM_LINE = regex.compile(
    r"^\s*(?P<open>[(\[])?\s*(?:(?:نقلا|نقلاً|بتصرف)\s+)?عن\s*:?\s+(?P<src>[^.!?؟،,:\n]{1,50}?)\s*\.?\s*(?(open)[)\]])\s*\.?\s*$")
SOURCE_LINE_WORDS = 6  # "نقلا عن وكالة أنباء الشرق الأوسط": a source's name; more is a sentence


def is_source_line(line: str) -> bool:
    """Whether `line` is a source line printed as a line of the text: "المصدر: رويترز", "(المصدر:
    وكالة الأناضول)", "المصدر رويترز", or the source it was taken from alone — "نقلا عن رويترز",
    "بتصرف عن الأناضول" (a "عن" line only when it names an agency: "عن الرئيس" is no source). Not
    the story's text; cleanup drops it at the text's edges and hands it back as a credit."""
    text = _clean(line).strip()
    if _source_line(text):
        return True
    m = _TAKEN_FROM_LINE.match(text)
    return bool(m and _words(m.group("src")) <= SOURCE_LINE_WORDS and source_ids(m.group("src")))


# "رويترز بتصرف", "رويترز - بتصرف": the source, adapted.
_ADAPTED = regex.compile(r"\s*[-–—(]?\s*بتصرف\s*\)?\s*$")


def source_ids(src: str) -> list[str]:
    """Agencies a source line's value or a closing credit names ("رويترز", "عن رويترز", "نقلا عن
    رويترز", "رويترز بتصرف", "وكالات + الأناضول")."""
    return identify_all(_ADAPTED.sub("", _TAKEN_FROM.sub("", src.strip())))


_BYLINE_LABEL = regex.compile(r"^\s*(?:كتب|كتبت|بقلم|[إا]عداد|تحرير|تقرير|متابعة|ترجمة)(?!\w)")
# A byline at the text's top: "كتب محمد عبد المجيد و رويترز", "كتب: أحمد علي - رويترز", the credit also
# in brackets ("كتب - أحمد علي (رويترز)", "إعداد: سامي يوسف (أ ف ب)") or taken from ("ترجمة: أحمد علي عن
# رويترز"): the reporter's (or the translated) agency is the story's.
_BYLINE = regex.compile(r"^\s*(?:كتب|كتبت|بقلم|إعداد|اعداد|تحرير|تقرير|متابعة|ترجمة)\s*[-:–]?\s*[^\n]{0,50}?"
                        r"(?:(?:\s+و\s?|\s*[،,/]\s*|\s*[-–]\s*|\s+(?:نقلا\s+|نقلاً\s+|بتصرف\s+)?عن\s+)(?P<credit>[^\s،,/][^\n]{1,30})|\s*\((?P<paren>[^()\n]{1,30})\))\s*$")
# A closing credit: "(رويترز)", «الفرنسية», "رويترز", “أ ب” at the very end of the text.
# Also in square brackets or between slashes, as the Gulf agencies print their credits: "[رويترز]", "/العمانية/".
# A byline's label before a credit alone, no reporter named: "تقرير: رويترز", "إعداد - أ ف ب", "ترجمة: الأناضول",
# "بقلم فريق رويترز", "تقرير: مراسل رويترز", "متابعة: وكالات"; the date or time the byline prints after a
# separator ("تقرير: رويترز | 5 ديسمبر 2026 - 10:30") is stepped over.
_LABELLED_CREDIT = regex.compile(r"^\s*(?:كتب|كتبت|بقلم|[إا]عداد|تحرير|تقرير|متابعة|ترجمة)\s*[-:–]?\s*"
                                 r"(?:(?:فريق|مكتب|مراسل[ويه]?|مراسلة|محرر[وي]?)\s+)?(?P<credit>[^\n]{1,40}?)\s*\.?\s*$")
_BYLINE_PIECES = regex.compile(r"\s+[|•·]\s+")


def _labelled_credit(line: str) -> list[str]:
    """The agencies of a byline that credits only them (`_LABELLED_CREDIT`): the story is theirs. Pieces after
    the credit past a separator count only when they print numbers (a date, a time, minutes of reading)."""
    first, *rest = _BYLINE_PIECES.split(line)
    if any(not _DIGIT.search(p) for p in rest):
        return []
    m = _LABELLED_CREDIT.match(first)
    return identify_all(m.group("credit").strip("()[]«» ")) if m and _words(m.group("credit")) <= 6 else []

_SIGNOFF = regex.compile(r"(?P<open>[(«\"“\[/])\s*(?P<x>[^()«»\"“”\[\]/\n]{1,60}?)\s*[)»\"”\]/]\s*\.?\s*$")
# "... الأسبوع المقبل. - رويترز": the credit after a dash once the last sentence has ended.
_DASH_SIGNOFF = regex.compile(r"(?<=[.!?؟…»\"”)])\s*[-–—]+\s*(?P<x>[^-–—!?؟()\n]{1,40}?)\s*\.?\s*$")
# "... خلال تعاملات اليوم - رويترز": the same after a clause of the story with no full stop
# (`reads_as_sentence`; a caption's noun phrase "وزير النفط خلال المؤتمر - رويترز" is not one).
_BARE_DASH_SIGNOFF = regex.compile(r"(?<=\w)\s+[-–—]+\s*(?P<x>[^-–—!?؟()\n]{1,40}?)\s*\.?\s*$")
# "... . بحسب رويترز." — the text's last sentence only names its source: a credit of the whole story.
_SOURCE_SENTENCE = regex.compile(
    r"(?:^|[.!?؟»\"”]\s*)(?:و?(?:بحسب|حسب|وفقا\s+ل|وفقاً\s+ل|نقلا\s+عن|نقلاً\s+عن|(?:بتصرف\s+)?عن|المصدر\s*:))\s*(?:ما\s+(?:ذكرت|[اأ]وردت|[اأ]فادت|نقلت|نشرت|بثت)(?:ه|ها)?\s+(?:به\s+|بها\s+)?)?"
    r"(?P<x>[^.!?؟\n]{1,50}?)\s*\.?\s*$"
)
# Only an agency's own copy says it could not verify something: "ولم تستطع رويترز التثبت".
# Also "ولا يمكن لرويترز التحقق", "ولم تتمكن رويترز من التحقق", "ولم يتسن للوكالة الفرنسية التأكد", "ولم يتسن
# لرويترز على الفور التحقق"; the agency in up to three words ("وكالة الأنباء الألمانية"), the fewest first;
# when or how it could not between them, as the wires print it: "ولم يتسن لرويترز بعد التحقق", "… حتى الآن
# التحقق", "… فورا التحقق", "… بشكل مستقل التحقق", "… على نحو مستقل من التحقق".
_NOT_YET = (r"(?:على\s+الفور|فورا|فوراً|في\s+الحال|بعد|حتى\s+(?:الآن|الان|الساعة|اللحظة)|"
            r"(?:بشكل|بصورة|على\s+نحو)\s+مستقل[ةه]?)")
_SELF_REFERENCE = regex.compile(
    r"(?:(?:و?لم)\s+(?:تتمكن|تستطع|يتسن|يتسنى|يتمكن|يستطع)|(?:و?لا)\s+(?:يمكن|يتسنى|تستطيع|يستطيع))\s+"
    rf"(?:لل(?=وكال)|ل)?(?P<x>\S+(?:\s+\S+){{0,2}}?)\s+(?:{_NOT_YET}\s+){{0,2}}(?:من\s+)?(?:التحقق|التثبت|التأكد)"
    r"|تعذر\s+على\s+(?P<x>\S+(?:\s+\S+){0,2}?)\s+(?:التحقق|التثبت|التأكد)"
)
# Every `_SELF_REFERENCE` ends with one of these words: a line without one holds none (three substring
# tests instead of the pattern's attempt at every position)
_VERIFY_WORDS = ("التحقق", "التثبت", "التأكد")
_QUOTES = regex.compile(r"[«»\"“”]")
_CITING_WORD = regex.compile(r"(?:^|\s)(?:و?(?:ل|لـ|عن|بحسب|حسب|وفق|وفقا|وفقاً|نقلا|نقلاً|لوكالة|وكالة|وكاله|ذكرت|قالت|أفادت|افادت|أوردت|اوردت|نقلت))\s*$")
# A wire photographer's credit as the wires print it under a picture: "REUTERS/Amr Abdallah Dalsh",
# "AFP/Getty", "AA/Mustafa Hassona", "AFP PHOTO / Karim Sahib" (the wire, a slash, a Latin name). A
# text credit puts Arabic after the slash ("AFP/ أعلن ...") or a reporter between slashes in Arabic.
_WIRE_PHOTO = (
    r"(?:reuters|afp(?:\s+photo)?|ap(?:\s+photo)?|epa(?:-efe)?|aa|anadolu(?:\s+agency)?|xinhua|dpa|upi|sana|wam|spa|kuna)"
    r"\s*/\s*[a-z][a-z'.-]*"
)
_PHOTO_HINT = regex.compile(
    # "صور" is Tyre after a place's word ("قضاء صور", "مدينة صور", "جنوب صور"), no pictures
    r"(?<!\w)(?:صورة|الصورة|(?<!(?:مدينة|قضاء|منطقة|جنوب|شمال|شرق|غرب|ساحل)\s)صور|[اأ]رشيفية|[اأ]رشيفيه|تصوير|غيتي|جيتي|getty|epa|shutterstock|photo|©|"
    + _WIRE_PHOTO + r")(?!\w)",
    regex.I,
)


def names_a_picture(text: str) -> bool:
    """Whether `text` holds a picture's word ("صورة", "أرشيفية", "تصوير", "Getty", "REUTERS/Amr Dalsh"):
    a credit beside one is a photo credit, whatever its length ("صورة أرشيفية - رويترز")."""
    return bool(_PHOTO_HINT.search(clean_text(text)))


_WIRE_PHOTO_CREDIT = regex.compile(rf"(?<!\w){_WIRE_PHOTO}(?!\w)", regex.I)
_SENTENCE_PUNCT = regex.compile(r"[.!?؟؛:]")
_TRAILING_CREDIT = regex.compile(rf"(?:\s{_DASH}\s*(?P<dash>[^-–—()]{{1,30}})|\((?P<paren>[^()]{{1,30}})\))\s*$")
# A clause of the story, not a caption's noun phrase ("الرئيس المصري خلال لقائه نظيره الفرنسي",
# "صورة أرشيفية", "لاعبو الرجاء يحتفلون بالهدف"): captions name what the picture shows; they never
# open with the conjunction that carries a story from sentence to sentence ("وتراجعت أسعار النفط…",
# "وفي سياق متصل…", "وكان الرئيس…"), nor report ("قال", "أعلنت", "أن"), nor give a rate or a sum.
_CONJ_OPENING = regex.compile(
    # a particle or preposition: "وفي", "ومن", "وبعد", "ولم", "وقد", "وكان", "وهو", "وهذا", "وبحسب",
    # "فيما"; the verb shapes only after "و" ("فتيات", "فاتورة" open with the letter "ف")
    r"^\s*(?:(?:كما|هذا|يذكر|يشار|تجدر|بينما|فيما|في\s+حين|من\s+(?:جهته|جهتها|جانبه|جانبها|ناحيته|ناحيتها)|في\s+السياق)(?!\w)"
    r"|[وف](?:في|على|من|إلى|الى|عن|مع|بعد|قبل|منذ|خلال|لدى|عند|حسب|بحسب|وفق|وفقا|كان|كانت|كانوا|يكون|تكون|قد|لقد|لم|لن|"
    r"لا|ما|هو|هي|هم|هذا|هذه|ذلك|تلك|كما|لكن|إذ|إذا|أما|بينما|فيما|حين|حيث|يذكر|يشار|تجدر|سبق|جاء|يأتي|تأتي)(?!\w)"
    r"|و(?:"
    # a past verb: 3rd feminine singular ("وتراجعت", "وأعلنت", "وبلغت"; not a plural noun in -ات) or
    # 3rd plural ("وقالوا", "وأكدوا")
    r"\w{2,}(?<!ا)ت(?!\w)|\w{3,}وا(?!\w)"
    # the verb forms that open with a mark no noun after "و" opens with: أفعل ("وأضاف", "وأكد"),
    # تفاعل/تفعل ("وتراجع", "وتوقع", and the present "وتشهد"), افتعل/انفعل/استفعل ("وارتفع",
    # "وانخفض", "واستقر"; not "واتساب")
    r"|أ\w{2,4}(?!\w)|ت\w{2,}|ا(?!تس)\w?ت\w{2,}|ان\w{3,}|است\w{2,}))"
)
_REPORTING = regex.compile(
    r"(?<!\w)[وف]?(?:قال|قالت|[أا]ضاف|[أا]ضافت|[أا]كد|[أا]كدت|تابع|تابعت|[أا]وضح|[أا]وضحت|[أا]شار|[أا]شارت|ذكر|ذكرت|"
    r"[أا]علن|[أا]علنت|ب[أا]ن|لكن)(?!\w)"
    # "أن"/"إن" as a complementizer; "بعد أن"/"قبل أن" ("بعد أن غمرت المياه منازلهم") is a caption's too
    r"|(?<!\w)(?<!(?:بعد|قبل|منذ)\s+)[إاأ]ن(?!\w)")
# a rate or a sum: "بنسبة ثلاثة بالمئة", "3%", "في المائة", "500 مليون دولار"
_QUANTITY = regex.compile(
    r"(?<!\w)(?:بنسبة|بالم[ئا]ئ?ة|في\s+الم[ئا]ئ?ة)(?!\w)|\d\s*[%٪]|[%٪]\s*\d"
    r"|\d[\d.,]*\s*(?:(?:ألف|الف|مليون|ملايين|مليار|مليارات)\s+)?(?:دولار|يورو|جنيه|ريال|درهم|دينار|ليرة|برميل)")


# A clause opened by its verb with no conjunction before it, as a story's sentences open (Arabic news
# is verb first: "سيطرت القوات الروسية على …", "ارتفع عدد القتلى إلى …", "جاء ذلك خلال …"), while a
# caption opens with what the picture shows, a noun ("الرئيس الفرنسي …", "متظاهرون …", "جانب من
# …"). Only verb shapes no noun opening a caption has: a particle or auxiliary ("قد", "لم", "كان",
# "جاء ذلك"; not "تم", which opens the page's "تم نشره …" line too); a past verb of the 3rd person feminine singular ("سيطرت", "أعلنت", "ارتفعت"; not
# a plural in -ات, nor "بيروت", "بيت", "تكريت": no ا, و or ي before the ت; not the nouns and the
# first names of that shape, "وقت", "طلعت", "روبرت") or plural ("تظاهروا"; not "نيكاراغوا", "أوتاوا");
# and the derived verbs whose noun is longer than the verb: استفعل ("استهدف", noun "استهداف"), انفعل
# ("اندلع", "اندلاع"), افتعل ("ارتفع", "ارتفاع"; not "استاد").
_NOT_VERBS = (
    "وقت", "صمت", "تحت", "بنت", "[أا]خت", "سبت", "ست", "نبت", "سمت", "بخت", "تخت", "كبت", "نعت", "[أا]نت", "كنت",
    # first names: Egyptian and Turkish, and foreign ones in -t
    "رفعت", "طلعت", "مدحت", "حكمت", "عصمت", "بهجت", "نش[أا]ت", "ر[أا]فت", "عزت", "مرفت", "ميرفت", "عفت", "[أا]لفت",
    "دولت", "جودت", "شوكت", "نصرت", "نزهت", "حشمت", "رحمت", "همت", "عظمت", "سعادت", "روبرت", "[أا]لبرت", "هربرت",
    "كورت", "[إا]رنست", "غرانت", "جرانت", "فنسنت", "هانت", "برنت", "بودابست", "بوخارست", "بخارست",
)  # fmt: skip
_BARE_VERB_OPENING = regex.compile(
    r"^\s*(?:"
    r"(?:قد|لقد|لم|لن|كان|كانوا|ليس|ليست|جاء|جرى|يأتي|تأتي|سبق|التقى|التقت)(?!\w)"
    rf"|(?!(?:{'|'.join(_NOT_VERBS)})(?!\w))(?!ال)\w{{1,7}}(?<![اوي])ت(?!\w)"
    r"|(?!ال)\w{3,}(?<!ا)وا(?!\w)"
    r"|است\w{2}[^\Wةه](?!\w)|ان\w[^\Wا][^\Wةهاء](?!\w)|(?!است[اأ][ذد])ا\wت\w[^\Wةه](?!\w)"
    r")"
)

# A clause opened by a present verb ("يواصل الجيش عملياته …", "تشهد البلاد أزمة …"): a story's
# sentence as often as a caption's ("يلوح المتظاهرون بالأعلام خلال مسيرة في …", "يظهر في الصورة
# …", "يحمل فلسطينيون جثمان …"). A caption's present verb shows what the picture holds, as it
# happens; a story's says how long, since when or how things stand ("منذ أسابيع", "حاليا", "لا
# يزال", "العام الماضي", "للأسبوع الثالث على التوالي") or links to the sentences around it ("رغم",
# "بسبب", "مما", "أيضا"), or its verb is one no picture shows: going on, facing, suffering,
# intending, expecting, reaching, holding ("يواصل", "تستمر", "تشهد", "يعاني", "تواجه", "تسعى",
# "يعتزم", "يتوقع", "يبلغ", "تحاول").
# The verb shape: ي/ت and 3-7 letters before a definite word or a preposition; not a noun in
# -ة/-ات/-ا, nor a تفعيل verbal noun ("تشييع", "تدمير"), nor the names of that shape.
_PRESENT_VERB_OPENING = regex.compile(
    r"^\s*(?!(?:يوم|يوما|يوسف|يونس|يعقوب|يزيد|يحيى|ياسر|ياسين|ترامب|تونس|تعز|تكريت|تدمر|تيار|تحالف|تجمع|تقرير|تحقيق)(?!\w))"
    r"(?![يت]\w*(?:ة|ات|ا)(?!\w))(?!ت\w\wي\w(?!\w))[يت]\w{2,6}(?!\w)"
    r"\s+(?:[وفبلك]?ال|في|على|من|إلى|الى|عن|مع|خلال|منذ)(?=\w)"
)
_UNSEEN_VERB = regex.compile(
    r"^\s*[يت](?:واصل|ستمر|عاني|واجه|شهد|عيش|سعى|عتزم|توقع|بلغ|عتبر|عد|ضم|حتاج|حاول|ريد|خطط|نوي|ملك|متلك|"
    r"تضمن|ظل|بقى|صبح|تراجع|عتمد)(?:ون|ان)?(?!\w)"
)
_STORY_TIME_OR_LINK = regex.compile(
    r"(?<!\w)(?:منذ|حاليا|حالياً|الآن|الان|اليوم|أمس|امس|غدا|غداً|مجددا|مجدداً|أيضا|ايضا|أيضاً|كذلك|رغم|برغم|بسبب|مما|"
    r"لكن|إلا\s+أن|الا\s+ان|لا\s+(?:يزال|تزال|يزالون)|ما\s+(?:زال|زالت|يزال|تزال)|على\s+التوالي"
    r"|(?:العام|الشهر|الأسبوع|الاسبوع)\s+(?:الماضي|الجاري|المقبل|الحالي)"
    r"|لل(?:يوم|أسبوع|اسبوع|شهر|عام|سنة|مرة)\s+ال\w+"
    r"|خلال\s+(?:ال)?(?:ساعات|أيام|ايام|أسابيع|اسابيع|أشهر|اشهر|شهور|سنوات|أعوام|اعوام|عقود|فترة|الفترة|العام|الشهر|الأسبوع))(?!\w)"
)


# "شهد" of a person is "attends", the Egyptian caption's scene ("يشهد الرئيس عبد الفتاح السيسي افتتاح
# المشروعات (أ ش أ)"); of a place or a market it is "undergoes", the story's ("تشهد البلاد أزمة …").
_ATTENDS = regex.compile(r"^\s*[يت]شهد(?:ان)?\s+(?P<subject>\S+(?:\s+\S+){0,2})")


def _present_clause(text: str) -> bool:
    """A clause opened by a present verb that is the story's, not a caption's (`_PRESENT_VERB_OPENING`)."""
    if not _PRESENT_VERB_OPENING.match(text):
        return False
    if _STORY_TIME_OR_LINK.search(text):
        return True
    attends = _ATTENDS.match(text)
    return bool(_UNSEEN_VERB.match(text)) and not (attends and names_a_person(attends.group("subject")))


def reads_as_sentence(head: str) -> bool:
    """Whether the words before a trailing credit are a sentence of the story rather than a photo
    caption: a clause opened by "و"/"ف" ("وتراجعت أسعار النفط…") or by its verb ("سيطرت القوات
    …", `_BARE_VERB_OPENING`; a present verb with the story's time or links, or no scene:
    "يواصل الجيش عملياته … منذ أسابيع", `_present_clause`), a reporting verb or a complementizer ("قال", "أعلنت", "أن"), or a
    rate or a sum ("بنسبة 3%", "500 مليون دولار")."""
    text = clean_text(head)
    return bool(_CONJ_OPENING.match(text) or _BARE_VERB_OPENING.match(text) or _REPORTING.search(text)
                or _QUANTITY.search(text) or _present_clause(text))


_BOILERPLATE = regex.compile(
    r"^\s*(?:[اإ]قر[أا]\s+(?:[اأ]يضا|المزيد)|شاهد\s+(?:[اأ]يضا|ايضا)|قد\s+يهمك|تابعونا|تابعوا|"
    r"للمزيد|اشترك|مشاركة|شارك|حقوق\s+النشر|جميع\s+الحقوق|كلمات\s+دالة|الوسوم)",
)


_TATWEEL_DASH = regex.compile(r"(?:(?<=\s)|^)\u0640+|\u0640+(?=\s|$)")


# The other dashes a dateline is typed with: the hyphen and non-breaking hyphen, the figure dash, the
# minus sign ("باريس −أ ف ب"); clean_text's NFKC already makes the small and full-width ones "-".
_OTHER_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2212", "-"))
_HAS_OTHER_DASH = regex.compile("[\u2010\u2011\u2012\u2212]")


def _clean(raw: str) -> str:
    """clean_text, except that a tatweel standing between spaces ("مدريد ـ الفرنسية") is the dash it
    draws, and the other dashes (`_OTHER_DASHES`) are the hyphen."""
    if _HAS_OTHER_DASH.search(raw):  # translate with a table walks the line in Python: only when needed
        raw = raw.translate(_OTHER_DASHES)
    return clean_text(_TATWEEL_DASH.sub("-", raw)) if "\u0640" in raw else clean_text(raw)


def _words(s: str) -> int:
    return len(s.split())


def _over(s: str, n: int) -> bool:
    """`_words(s) > n`, splitting no further than word n + 1: a line's words are counted against a
    small bound, and most lines are long."""
    return len(s.split(None, n)) > n


@lru_cache(maxsize=1)
def _city_rows() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(place, its spellings) of each row of tasks/data/dateline_cities.tsv."""
    rows: list[tuple[str, tuple[str, ...]]] = []
    for line in data_lines("tasks", "dateline_cities.tsv"):
        cols = (line.split("\t") + ["", "", ""])[:3]
        rows.append((cols[1].strip(), tuple(p.strip() for p in cols[2].split(" | ") if p.strip())))
    return tuple(rows)


@lru_cache(maxsize=1)
def _cities() -> regex.Pattern:
    """Dateline places (tasks/data/dateline_cities.tsv) as one alternation."""
    alts = [a for _place, spellings in _city_rows() for a in spellings]
    return regex.compile("|".join(f"(?:{a})" for a in sorted(alts, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _city_of() -> tuple[tuple[regex.Pattern, str], ...]:
    """Each listed place's spellings as one pattern, with the place's name: "جده", "القدس المحتلة"."""
    return tuple((regex.compile("|".join(f"(?:{a})" for a in spellings)), place)
                 for place, spellings in _city_rows() if spellings)


@lru_cache(maxsize=1)
def _city_words() -> regex.Pattern:
    """A listed place as whole words ("صور" is no place in "المنصورة")."""
    return regex.compile(rf"(?<!\w)(?:{_cities().pattern})(?!\w)")


def _places_in(span: str) -> set[str]:
    """The listed places `span` names ("القدس المحتلة" and "القدس الشريف": القدس; "مدينة غزة": غزة)."""
    found = {m.group(0) for m in _city_words().finditer(span)}
    return {place for text in found for pattern, place in _city_of() if pattern.fullmatch(text)}


def same_place(one: str, other: str) -> bool:
    """Whether two datelines' places name one place: the same listed place in any of its spellings
    ("جدة"/"جده", "أبوظبي"/"أبو ظبي", "الأحساء"/"الهفوف", "القدس"/"القدس المحتلة") or one name held
    whole in the other ("غزة" in "مدينة غزة", "قطاع غزة"; hamza seats, ة and ى folded). A dateline
    printed twice over a story may spell its place twice differently; "غزة" and "القدس" are two."""
    a, b = (_SPACES.sub(" ", clean_text(x)).strip() for x in (one, other))
    if not a or not b:
        return False
    if a == b or _places_in(a) & _places_in(b):
        return True
    short, long = sorted((fold(a).split(), fold(b).split()), key=len)
    return any(long[k : k + len(short)] == short for k in range(len(long) - len(short) + 1))


@lru_cache(maxsize=1)
def _city_at_end() -> regex.Pattern:
    """A listed place ending the text, searched from the end (the regex module's reverse search):
    one attempt at the end instead of one at every position."""
    return regex.compile(rf"(?r)(?:{_cities().pattern})\Z")


def is_city(span: str) -> bool:
    """True when `span` is exactly one dateline place of the city list."""
    return _cities().fullmatch(clean_text(span).strip()) is not None


# Dateline parts are separated by dashes, colons, slashes, commas, quotes, brackets or a pipe.
_SEP = regex.compile(r"\s*(?:[-–—:/|،,;+\"“”«»()\[\]]+\s*)+")
_DATE_PART = None  # compiled lazily (needs tasks.dates)
# Words no place, outlet or reporter name holds: agency words, reporting verbs, citing words (with
# their proclitics: "لوكالة", "وبحسب").
_NAME_BLOCKERS = regex.compile(
    r"(?<!\w)(?:[وف]?(?:ل|ب|لل)?)(?:وكالة|وكاله|[اأ]نباء|قال|قالت|ذكر|ذكرت|[اأ]فاد|[اأ]فادت|نقل|نقلت|[اأ]علن|[اأ]علنت|"
    r"[اأ]كد|[اأ]كدت|[اأ]وضح|[اأ]وضحت|[اأ]ورد|[اأ]وردت|حسب|وفق|وفقا|نقلا|تقرير|تصريح|تصريحات|بيان|مصدر|مصادر)(?!\w)"
)
# A caption's words: the scene's preposition ("خلال", "أثناء", "لدى") or the present verb of what the
# picture shows ("يتحدث", "يلقي كلمة", "يصافح", "يلوح"). A dateline's place, an outlet or a reporter's
# name never holds one: a line "ماكرون يتحدث للصحفيين (أ ف ب)" is a caption, however short.
_CAPTION_WORDS = regex.compile(
    r"(?<!\w)(?:خلال|[أا]ثناء|لدى|عقب|[إا]ثر|[يت](?:تحدث|لقي|صافح|ستقبل|لوح|توسط|تفقد|دلي|ترأس|تراس|حتفل|لتقي|غادر|"
    r"بتسم|جلس|قف|رفع|حمل|صل|شارك|حضر|تسلم|وقع|عانق|صافحان|تحدثان|لتقيان)(?:ان|ون|ن)?)(?!\w)"
)
_AGENCIES_OF = regex.compile(r"^(?:ال)?وكالات(?:\s+العالمية)?\s+(?P<rest>.+)$")
# An agency's reporters as a dateline's credit: "غزة - مراسلو الأناضول", "مراسل وكالة الأنباء الألمانية",
# "مراسلة رويترز": the agency's own copy (in a sentence, "قال لمراسل رويترز", it is the agency asked).
_REPORTERS_OF = regex.compile(r"^(?:فريق\s+)?مراسل(?:و|ي|ة|ه|ا|تا|تي|ون|ين)?\s+(?P<rest>.+)$")
# A person's title or role: a part that holds one names who a picture shows ("وزير الخارجية الأمريكي
# أنتوني بلينكن (رويترز)", "الرئيس الفرنسي - أ ف ب"), a caption's subject, never a dateline's place,
# outlet or reporter.
_PERSON_TITLE = regex.compile(
    r"(?<!\w)(?:ال|لل|ل)?(?:رئيس|رئيسة|رؤساء|وزير|وزيرة|وزراء|ولي\s+(?:ال)?عهد|سفير|سفيرة|نائب|نائبة|متحدث|متحدثة|"
    r"ناطق|[أا]مين\s+(?:ال)?عام|مستشار|مستشارة|جنرال|عميد|عقيد|مشير|زعيم|زعيمة|زعماء|قادة|مرشد|فنانة|ممثل|ممثلة|"
    r"مطرب|مطربة|لاعب|لاعبة|لاعبو|لاعبي|مدرب|مدربة|مخرج|مندوب|مندوبة|مبعوث|مبعوثة|مدير|مديرة|محافظ|مرشح|مرشحة|عاهل|خادم\s+الحرمين)(?!\w)"
    # also first names and surnames ("أمير طاهري", "ميشال أبو نجم"): with the article only
    r"|(?<!\w)ال(?:ملك|ملكة|[أا]مير|[أا]ميرة|نجم|نجمة|قائد|حاكم|بابا|فنان)(?!\w)"
)


def names_a_person(head: str) -> bool:
    """Whether the words before a credit name a person, by a title or role ("الرئيس الفرنسي", "ولي
    العهد السعودي"), an honorific before a name ("الشيخ صباح الأحمد", "الدكتور …": `_HONORIFIC`) or
    by a personal name (`personal_name`: "جو بايدن", "محمد بن سلمان"): a caption naming who the
    picture shows, however short, never a dateline's place."""
    text = clean_text(head).strip()
    return bool(_PERSON_TITLE.search(text) or _RULER_OF.match(text) or _HONORIFIC.match(text)) or personal_name(text)


# An honorific or a rank opening a person's name: "الدكتور …", "اللواء …", "سمو …", "الحاج …" (a rank with
# its article: "لواء القدس" is a brigade, "فريق التحرير" and "الفريق الإعلامي" a team). "الشيخ",
# "السيد(ة)" and "الحاج" open places too ("الشيخ زويد", "الشيخ جراح", "الشيخ عثمان", "السيدة زينب", Khartoum
# North's "الحاج يوسف": two words), so they name a person only before two words or more ("الشيخ صباح
# الأحمد", "السيد حسن نصرالله", "الحاج محمد علي").
_HONORIFIC = regex.compile(
    r"^(?:ال(?:دكتور|دكتورة|مهندس|مهندسة|[أا]ستاذ|[أا]ستاذة|لواء|فريق\s+(?:[أا]ول|ركن)|مستشار|مستشارة|نائب|نائبة|"
    r"بروفيسور|بطريرك|كاردينال|مطران|[إا]مام|داعية|قس|قسيس)|د\.|سمو|سماحة|فخامة|معالي|دولة\s+الرئيس|جلالة|صاحب\s+السمو)\s+\w"
    r"|^(?:الشيخ|الشيخة|السيد|السيدة|الحاج|الحاجة)\s+\w+\s+\w"
    # no place opens with "الشيخة" or "الحاجة": a woman's honorific before one name ("الشيخة حسينة")
    r"|^(?:الشيخة|الحاجة)\s+\w"
)
# What a place's name opens with and no person's name does: a kind of place ("مدينة", "مخيم", "قصر بن
# غشير", "برج بن عزوز", "عين العرب", "دير الزور", "بيت لحم", "خان يونس"), a direction ("شمال سيناء"), or the
# first word of a foreign city ("سان", "لوس", "نيو", "بور سعيد"); or ends with: a town's suffix ("جورج تاون",
# "فيصل آباد", "أحمد آباد", "مكسيكو سيتي", "سان بطرسبرغ"). A place may open with a given name ("جورج تاون");
# a person's name never holds these.
_PLACE_WORDS = (
    r"مدينة|مدينه|بلدة|بلده|قرية|قريه|مخيم|محافظة|محافظه|ولاية|ولايه|[إا]قليم|منطقة|منطقه|قطاع|جزيرة|جزيره|جزر|"
    r"ميناء|مطار|سيدي|عين|بئر|بير|برج|قصر|وادي|جبل|تل|دير|كفر|بيت|خان|حي|ر[أا]س|شرم|مرسى|ريف|ضاحية|بني|بور|ود|"
    r"قضاء|ناحية|ناحيه|مقاطعة|مقاطعه|[أا]طراف|"
    r"سان|سانت|سانتا|سانتو|ساو|لوس|لاس|نيو|بورت|فورت|كيب|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي|وسط|[أا]عالي|ضواحي|"
    # the first word of a foreign city's name of two or three ("بوينس آيرس", "ريو دي جانيرو", "هونغ كونغ",
    # "كوالا لمبور", "أديس أبابا", "كوستا ريكا", "سري لانكا"), and of Israel's towns ("كريات شمونة", "رمات غان")
    r"بوينس|ريو|هونغ|هونج|كوالا|بيونغ|بيونج|[أا]ديس|كوستا|بورتو|مونتي|سري|كريات|رمات|نجع"
)
_TOWN_SUFFIX = r"تاون|[اآ]باد|سيتي|غراد|جراد|بورغ|بورج|برغ|فيل|ستان"
_PLACE_HEAD = regex.compile(rf"^(?:{_PLACE_WORDS})(?!\w)|(?<!\w)(?:{_TOWN_SUFFIX})$")


# A ruler named by the land they rule, the title without its article ("أمير الكويت", "حاكم دبي", "ملك
# الأردن", "سلطان عمان", "أمير منطقة الرياض"): a given name "أمير" before a surname is a person too.
_RULER_OF = regex.compile(r"^(?:[اأ]مير|[اأ]ميرة|حاكم|ملك|ملكة|سلطان)\s+(?:(?:دولة|منطقة|[إا]مارة|مملكة)\s+)?\w")


@lru_cache(maxsize=1)
def _given_names() -> regex.Pattern:
    """The given names of tasks/data/given_names.txt as one alternation."""
    alts = [ln.strip() for ln in data_lines("tasks", "given_names.txt", inline_comments=False)]  # regex: '#' may stand
    return regex.compile("|".join(f"(?:{a})" for a in sorted(alts, key=len, reverse=True)))


def rules_data() -> dict[str, str]:
    """The data files these rules read, by path in the repository, each as the rules read it (the
    agencies' ids and patterns, the places' and given names' alternations): what tasks/dedupe.py pins with its
    key's version, since `strip_for_key` reads them all. A comment or the agencies' display names
    change nothing here."""
    return {
        "warehouse/data/agencies.tsv": "\n".join(
            "\t".join((a.id, *(p.pattern if p else "" for p in (a.free, a.anchored, a.bracketed)))) for a in agencies()),
        "tasks/data/dateline_cities.tsv": _cities().pattern,
        "tasks/data/given_names.txt": _given_names().pattern,
    }


# The shapes only a person's name has: a lineage ("محمد بن سلمان", "الشيخ تميم بن حمد آل ثاني"; a
# word before "بن", as the towns "بن قردان", "بنت جبيل" open with it) or "عبد" and a divine name ("عبد
# الفتاح السيسي", "عبدالله الثاني").
# A kunya and a surname or nisba ("أبو محمد الجولاني", "أبو بكر البغدادي") is a person's too; a place's
# "أبو" has one word after it ("أبو ظبي", "أبو كمال", "أبو ديس", "أم درمان").
_NAME_SHAPE = regex.compile(r"\S\s+(?:بن|بنت|ابن)\s+\S|^عبد\s*ال\w+|^(?:[أا]بو|[أا]م)\s+\w+\s+ال\w+$")


_COMMA = regex.compile(r"[،,]")
_MARK_OR_DIGIT = regex.compile(r"[^\w\s]|\d")


def names_a_place(head: str) -> bool:
    """Whether the words before a credit are a dateline's place, by place evidence: a listed place
    (tasks/data/dateline_cities.tsv), a town's name with a place's word (`_PLACE_HEAD`: "جورج تاون",
    "فيصل آباد"; of three words or more only with a lineage, "قصر بن غشير": "مدينة غزة المدمرة" may
    be what a picture shows), or either with a date after it ("جورج تاون في 6 ديسمبر"). Not a person
    by a title or an honorific, nor a phrase with a preposition ("مخيم للنازحين في رفح")."""
    text = _COMMA.sub(" ", clean_text(head)).strip(" \t«»\"'.-–—:/")
    dated = bool(_DIGIT.search(text))
    text = _undated(text) if dated else _SPACES.sub(" ", text)
    if not text or _words(text) > 6 or _MARK_OR_DIGIT.search(text) or _PLACE_PHRASE.search(text):
        return False
    if _PERSON_TITLE.search(text) or _RULER_OF.match(text) or _HONORIFIC.match(text):
        return False
    if is_city(text):
        return True
    if _words(text) > 4:  # "مخيم النصيرات وسط قطاع غزة": a place, then where it lies
        return _placed_in(text)
    return bool(_PLACE_HEAD.search(text)) and (dated or _words(text) <= 2 or bool(_NAME_SHAPE.search(text))
                                               or _region(text))


_DIRECTION = regex.compile(r"(?:شمال|جنوب|شرق|غرب|وسط)(?:ي|ي[ةه])?")


def _placed_in(text: str) -> bool:
    """Whether a name of five or six words is a place of up to three and where it lies, a direction and
    a listed place ("مخيم النصيرات وسط قطاع غزة", "بلدة بيت حانون شمال قطاع غزة")."""
    words = text.split()
    for k in range(2, 4):
        if k + 1 < len(words) and _DIRECTION.fullmatch(words[k]) and is_city(" ".join(words[k + 1 :])):
            return names_a_place(" ".join(words[:k]))
    return False


# The words that follow a region's word in a place's name of three or four ("ريف دمشق الغربي", "شمال قطاع
# غزة", "محافظة ريف دمشق", "ولاية نيويورك الأمريكية", "الضفة الغربية المحتلة"): another place's word, a
# direction or a side, the place's standing epithet ("المحتلة", "الكبرى") or a nationality ("السورية").
# A picture's scene is told with other words ("مدينة غزة المدمرة", "مخيم النازحين").
_REGION_WORD = regex.compile(
    rf"(?:ال)?(?:{_DIRECTION.pattern})|ال[أا]وسط|الوسطى|العليا|السفلى|الكبرى|الصغرى|المحتل[ةه]|المحرر[ةه]"
    r"|ال\w{3,}ي[ةه]?"
    # the lands whose name has the article ("إقليم كردستان العراق", "ولاية الخرطوم السودان")
    r"|العراق|السودان|ال[أا]ردن|المغرب|اليمن|البحرين|الصومال|الهند|الصين|اليابان|الفلبين|البرازيل|ال[أا]رجنتين|المكسيك")


def _region(text: str) -> bool:
    """Whether a name of three or four words that opens with a region's word (`_PLACE_HEAD`: "ريف",
    "شمال", "محافظة", "قطاع") is a place's: every word after the first is a name without the article
    ("دمشق", "غزة"), a listed place, a place's word or a region's word (`_REGION_WORD`)."""
    words = text.split()
    if not 3 <= len(words) <= 4 or not _PLACE_HEAD.match(text):
        return False
    if is_city(" ".join(words[1:])):
        return True  # "شمال الضفة الغربية", "جنوب قطاع غزة"
    if _DIRECTION.fullmatch(words[-1].removeprefix("ال")):
        return True  # "منطقة القلمون الشرقي", "ريف إدلب الجنوبي": the region's side
    return all(not w.startswith("ال") or is_city(w) or _PLACE_HEAD.fullmatch(w) or _REGION_WORD.fullmatch(w)
               for w in words[1:])


_PART_MARK = regex.compile(r"\s*[-–—/|،,]+\s*")
PART_WORDS = 3  # a dateline's part: a place, an outlet, a reporter's name


def place_parts(head: str) -> bool:
    """Whether the words before a credit are a dateline of several parts that opens with a place
    ("واشنطن - الخليج", "القدس المحتلة - مراسلنا", "غزة / أحمد محمد", "نيويورك - الأمم المتحدة"): a
    place (`names_a_place`), then short parts, none with a title, a caption's or a sentence's words.
    A caption's phrase is one part ("الرئيس الفرنسي خلال مؤتمر صحافي")."""
    parts = [p for p in _PART_MARK.split(clean_text(head).strip(" \t-–—/|،,")) if p]
    return (len(parts) > 1 and names_a_place(parts[0])
            and all(_words(p) <= PART_WORDS and not (_PERSON_TITLE.search(p) or _CAPTION_WORDS.search(p)
                                                     or _PLACE_PHRASE.search(p) or _PHOTO_HINT.search(p))
                    for p in parts[1:]))


# A description's words, no place's name: a preposition or a word with "لل"/"بال" ("مخيم للنازحين في رفح",
# "حي الشجاعية بعد القصف").
_PLACE_PHRASE = regex.compile(r"(?<!\w)(?:في|من|[إا]لى|على|عن|مع|بعد|قبل|خلال|[أا]ثناء|لدى|عقب|بين|قرب|(?:لل|بال|وال)\w+)(?!\w)")


def personal_name(span: str) -> bool:
    """Whether `span` is a person's name of two to five words and nothing else ("جو بايدن", "رجب طيب
    أردوغان", "محمد بن سلمان", "عبد الفتاح السيسي"): a listed given name first (tasks/data/given_names.txt)
    or a name's own shape (`_NAME_SHAPE`), and not a listed place. A dateline's place ("القدس
    المحتلة", "بيت لحم", "شرم الشيخ") opens with no given name. A name and a family name that is a
    nisba ("مشاري العتيبي", "تغريد الحربي": `_nisba_name`) is a person's too."""
    text = _SPACES.sub(" ", clean_text(span).strip(" \t«»\"'.-–—:/،,"))
    words = text.split()
    if not 2 <= len(words) <= 5 or _MARK_OR_DIGIT.search(text) or is_city(text) or _PLACE_HEAD.search(text):
        return False  # a date ("جورج تاون في 6 ديسمبر") or a place's word ("جورج تاون", "قصر بن غشير")
    return bool(_NAME_SHAPE.search(text) or _given_names().fullmatch(words[0]) or _nisba_name(words))


# A family name of the nisba's shape, the article and -ي ("العتيبي", "القحطاني", "الشمري"), after a word
# with no article: a person's name ("مشاري العتيبي"). A place's name of two words of that shape has a
# place's word first ("عين العربي", "سيدي …") or ends with a direction ("حلب الشرقي", "علي الغربي").
_NISBA = regex.compile(r"ال\w{3,}ي")
# Not a person's: a place's common noun first, one the town's words (`_TOWN_WORD`) leave out ("معبر
# اللنبي", "مرفأ الحميدي", "خربة الغزالي", "مزرعة القاضي", "حارة الشيخي"), or a valley's noun, not a
# nisba, second ("حلق الوادي", Tunis's port).
_PLACE_KIND = regex.compile(
    r"معبر|منفذ|مرف[أا]|حار[ةه]|خرب[ةه]|مزرع[ةه]|عزب[ةه]|ساح[ةه]|ميدان|حقل|سجن|معسكر|قاعد[ةه]|مستشفى|مركز|"
    r"مجمع|ضاحي[ةه]|نزل[ةه]|دوار|حوش|ساقي[ةه]|مضيق|خليج|سد|شارع|طريق|ملعب|جامع[ةه]|مسجد|كنيس[ةه]|دير|مقام|ضريح"
)


def _nisba_name(words: list[str]) -> bool:
    first, last = words[0], words[-1]
    return (len(words) == 2 and len(first) >= 3 and not first.startswith("ال") and bool(_NISBA.fullmatch(last))
            and last != "الوادي"
            and not (_DIRECTION.fullmatch(last.removeprefix("ال")) or is_city(first) or _TOWN_WORD.fullmatch(first)
                     or _PLACE_KIND.fullmatch(first) or identify(first)))



def date_part() -> regex.Pattern:
    """A printed date or time on its own: "26 شوال 1436 هـ الموافق 11 أغسطس 2015 م", "20 يوليو تموز", "12:57 pm"."""
    global _DATE_PART
    if _DATE_PART is None:
        from tasks.dates import MONTH_WORDS

        weekdays = "السبت|الأحد|الاحد|الإثنين|الاثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
        token = rf"(?:\d{{1,4}}(?::\d{{2}})?(?:هـ|ه|م)?|{MONTH_WORDS}|{weekdays}|الموافق|في|يوم|هـ|ه|م|ص|am|pm|gmt)"
        _DATE_PART = regex.compile(rf"(?<!\w)(?:{token})(?:(?:[\s.]+|(?<=\d))(?:{token}))*(?!\w)", regex.I)
    return _DATE_PART


def _credit_ids(span: str) -> list[str]:
    """Agencies when the whole span is credits ("رويترز", "أ ف ب و رويترز"); [] when any part is something else."""
    whole = identify(span)
    if whole:
        return [whole]
    parts = [p for p in _AND.split(span) if p.strip()]
    if len(parts) < 2:
        return []
    ids = []
    for part in parts:  # running text split at every "و": stop at its first part that names no agency
        if not (found := identify(part)):
            return []
        ids.append(found)
    return list(dict.fromkeys(ids))


def _segment(seg: str) -> tuple[str, list[str]]:
    """Read one dateline part: ("agency", ids) | ("date", []) | ("name", []) | ("photo", []) | ("text", []),
    or ("tyre", []) for "صور", a picture's word and the Lebanese city (`credit_prefix` decides)."""
    seg = seg.strip(" .")
    if not seg:
        return "date", []
    ags = _credit_ids(seg)
    if ags:
        return "agency", ags
    if _PHOTO_HINT.search(seg):
        return ("tyre" if seg == "صور" else "photo"), []
    undated = _SPACES.sub(" ", date_part().sub(" ", seg)).strip(" .")
    if not undated:
        return "date", []
    if undated != seg and (ags := _credit_ids(undated)):
        return "agency", ags
    m = _AGENCIES_OF.match(undated) or _REPORTERS_OF.match(undated)  # "الوكالات العالمية رويترز", "مراسلو الأناضول"
    if m and (ags := _credit_ids(m.group("rest"))):
        return "agency", ags
    # "الرياض ... واس", "جدة واس", "واس جدة": a listed place and an agency with no mark between them
    # (only a place at either end counts: scan for the others only when there is one)
    edge = _cities().match(undated) or _city_at_end().search(undated)
    for city in _cities().finditer(undated) if edge else ():
        if city.start() == 0 and (ags := _credit_ids(undated[city.end() :])):
            return "agency", ags
        if city.end() == len(undated) and (ags := _credit_ids(undated[: city.start()])):
            return "agency", ags
    if _CAPTION_WORDS.search(undated):
        return "text", []  # "ماكرون خلال مؤتمر صحافي (أ ف ب)": a caption's scene, no place's name
    if ((not _over(undated, 4) or (not _over(undated, 6) and names_a_place(undated)))  # "مخيم النصيرات وسط قطاع غزة"
            and not _DIGIT.search(undated) and not _NAME_BLOCKERS.search(undated)):
        # a place, an outlet, a reporter; not a person by their title (a caption's subject)
        return ("text" if _PERSON_TITLE.search(undated) else "name"), []
    return "text", []


@dataclass(frozen=True)
class Dateline:
    agencies: tuple[str, ...]
    end: int  # where the text starts after the dateline
    text: str


def credit_prefix(line: str) -> Dateline | None:
    """The credit a line opens with, read part by part: places, dates, outlets, reporters and at
    least one agency, separated by dashes, colons, brackets, commas or quotes, in any order —
    "واشنطن - رويترز", "رويترز - واشنطن:", "نيروبي : (أ ف ب)", "واس (جدة)، خالد الفقيه (القنفذة)",
    "الوئام - رويترز:", "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس". The credit ends at the
    first part that is running text (or the end of the line). A photo word ("تصوير", "صورة") in the
    credit makes it a photo credit: None.
    """
    text = _clean(line)
    if len(text) > 2000:
        text = text[:2000]
    if _WIRE_PHOTO_CREDIT.search(text[:200]):
        return None  # "REUTERS/Amr Dalsh": a picture's credit, not the story's
    found: list[str] = []
    pos = 0
    end = None
    placed = False  # a listed place or a date came before: a credit may run into the text
    read: list[tuple[str, bool]] = []  # (kind, a listed place) of each part read
    shared: list[tuple[int, list[str]]] = []  # parts that name a listed place and an agency alike
    ran_on = False  # the credit ended at running text, not at the end of the line
    tyre = False  # "صور" opened the credit before any agency: Tyre only if text or a date follows
    before = ""  # the marks before the part
    for start, stop, after in _parts(text):
        if start == stop:
            end, before = after, text[start:after]
            continue
        kind, ags = _segment(text[start:stop])
        if kind == "name" and (ags := _bracketed_credit(text[start:stop], before, text[stop:after], read)):
            kind = "agency"  # "نواكشوط - (ومأ) -": AMI's name, which folds to "وما"
        before = text[stop:after]
        if kind == "tyre":  # "صور": Tyre unless the line is only "صور - <agency>" (pictures' credit)
            kind, tyre = "name", not found
        if kind == "photo":
            return None
        if kind == "text":
            ran_on = True
            inline = _inline_credit(text[start:stop], placed) if pos <= 80 and not found else None
            if inline:
                found, end = inline[0], start + inline[1]
            break
        if pos > 80:
            break
        city = is_city(text[start:stop])
        if kind == "agency" and (city or is_city(_undated(text[start:stop]))):  # "قنا", "قنا 5 ديسمبر"
            shared.append((len(read), ags))
        else:
            found += [a for a in ags if a not in found]
        read.append((kind, city))
        placed = placed or kind == "date" or city or bool(date_part().search(text[start:stop]))
        end = after
        pos = after
    else:
        end = len(text)
    for n, ags in shared:
        if _names_the_agency(n, read, found, ran_on):
            found += [a for a in ags if a not in found]
    if not found or end is None or (tyre and not ran_on and not any(k == "date" for k, _ in read)):
        return None
    return Dateline(tuple(found), end, text[:end].strip())


def _parts(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, end with the separator after it) of each part of a line (`_SEP`), the last one
    up to the line's end; lazily: a credit is read from a line's first parts only."""
    cursor = 0
    for m in _SEP.finditer(text):
        s, e = m.span()
        if e <= 0 or s < cursor:
            continue
        yield cursor, s, e
        cursor = e
    yield cursor, len(text), len(text)


def _bracketed_credit(seg: str, before: str, after: str, read: list[tuple[str, bool]]) -> list[str]:
    """The agency of a dateline part named by a form that folds to a common word (the fifth column of
    agencies.tsv, AMI's "ومأ" that folds to "وما"): only in brackets ("نواكشوط - (ومأ) -", "(ومأ) -")
    or after a listed place and a dash ("نواكشوط - ومأ -"), where running text never puts it."""
    folded = fold(seg.strip(" ."))
    ids = [ag.id for ag in agencies() if ag.bracketed is not None and ag.bracketed.fullmatch(folded)]
    if not ids:
        return []
    in_brackets = "(" in before and ")" in after
    after_place = bool(read) and read[-1][1] and regex.search(_DASH, before) is not None
    return ids[:1] if in_brackets or after_place else []


def _undated(seg: str) -> str:
    return _SPACES.sub(" ", date_part().sub(" ", seg)).strip(" .")


def _names_the_agency(n: int, read: list[tuple[str, bool]], found: list[str], ran_on: bool) -> bool:
    """Whether part `n` of a dateline, a name that is both a listed place and an agency ("قنا": Egypt's
    Qena and Qatar's QNA), names the agency: not when the dateline credits another agency ("قنا - أ ش
    أ"), nor when it opens the dateline and a name or the text follows it, not a place or a date ("قنا
    - أحمد محمد", an Egyptian outlet's correspondent in Qena); it does after a place ("الدوحة - قنا"),
    before one ("قنا - الدوحة") or alone ("قنا")."""
    if found:
        return False
    if n > 0:
        return True
    if n + 1 < len(read):
        kind, city = read[n + 1]
        return city or kind == "date"
    return not ran_on


def _inline_credit(seg: str, placed: bool) -> tuple[list[str], int] | None:
    """(agencies, where the text starts) for a credit that the running text follows with no mark
    between them: "رويترز أعلنت …" after "واشنطن -" (placed: a listed place or a date came
    before), "سانا أكد …" after "دمشق-", or a whole dateline without a mark, SPA's "الرياض 23 شعبان
    1445 هـ الموافق 04 مارس 2024 م واس أعلنت …" (a listed place, then a date, then the agency)."""
    city = _cities().match(seg)
    # after a place, a listed place that is an agency too ("دمشق - قنا أعلنت") may be the credit itself
    for pos in ([city.end()] if city else []) + ([0] if placed or not city else []):
        date = date_part().match(seg, pos + len(seg[pos:]) - len(seg[pos:].lstrip()))
        pos = date.end() if date else pos
        if not (placed or (city and date)):
            continue
        words = list(islice(_WORD.finditer(seg, pos=pos), 6))  # the first 5 words are read, and whether more follow
        for n in (5, 4, 3, 2, 1):  # the longest name first: "وكالة الأنباء السعودية" before "وكالة"
            if len(words) > n and (ags := _credit_ids(seg[words[0].start():words[n - 1].end()])):
                return ags, words[n - 1].end()
    return None


@lru_cache(maxsize=4096)  # attribution and the dedupe key read the same opening lines
def dateline(line: str) -> tuple[str | None, Dateline | None]:
    """(first agency or None, dateline) for a credit at the start of a line; (None, None) when it has none.

    An outlet's own dateline ("القاهرة - «الساحل»:") gives (None, dateline): it still marks where the text starts.
    """
    found = credit_prefix(line)
    if found is not None:
        return found.agencies[0], found
    m = _DATELINE.match(clean_text(line))
    if not m:
        return None, None
    span = m.group("paren") if m.group("paren") is not None else m.group("dash")
    if span and regex.fullmatch(r"\s*«[^»]{1,30}»\s*", span):
        return None, Dateline((), m.end(), m.group(0))
    return None, None


# The desk's initials a wire copy ends with after its credit: "(بترا) س ص/ ع ع", "(أ ف ب) ح س/ب ق",
# "(رويترز) ع.ع/م.ب": single letters, each group of 1-4 separated by spaces or dots, groups by "/".
_INITIAL_GROUP = r"[^\W\d_](?:[.\s]+[^\W\d_]){0,3}\.?"
_INITIALS_AFTER = ")»\"”"
_EDITOR_INITIALS = regex.compile(rf"(?<=[)»\"”])\s*{_INITIAL_GROUP}(?:\s*/\s*{_INITIAL_GROUP}){{0,3}}\s*$")


def signoff(line: str) -> tuple[list[str], int] | None:
    """(agencies, where the credit starts) for a text's closing credit: "(رويترز)", «الفرنسية»,
    "( الوكالات)", "- رويترز" after the last sentence (its full stop or a clause of the story
    before the dash), or a last sentence that only names the source ("بحسب رويترز."); the desk's
    initials after the credit ("(بترا) س ص/ ع ع") are stepped over. A quoted agency right after a
    citing word ("وفقا لـ«رويترز»") is a citation, not a credit."""
    text = _clean(line).rstrip()
    # the initials follow the text's last closing mark (none can stand among them): one match there
    # gives what a search of the whole line gives
    close = max(text.rfind(c) for c in _INITIALS_AFTER)
    if close >= 0 and (initials := _EDITOR_INITIALS.match(text, close + 1)):
        text = text[: initials.start()]
    m = _SIGNOFF.search(text)
    if m:
        ags = source_ids(m.group("x"))  # "(رويترز)", "(نقلا عن رويترز)", "(رويترز بتصرف)"
        quoted = m.group("open") not in "([/"
        if ags and not (quoted and _CITING_WORD.search(text[: m.start()])):
            return ags, m.start()
    m = _DASH_SIGNOFF.search(text)
    if m and (ags := source_ids(m.group("x"))):
        return ags, m.start()
    m = _BARE_DASH_SIGNOFF.search(text)  # "وتراجعت أسعار النفط خلال تعاملات اليوم - رويترز"
    if m and reads_as_sentence(text[: m.start()]) and (ags := identify_all(m.group("x"))):
        return ags, m.start()
    m = _SOURCE_SENTENCE.search(text)
    if m:
        ags = identify_all(m.group("x"))
        if ags:
            lead = len(m.group(0)) - len(m.group(0).lstrip(".!?؟»\"” "))
            return ags, m.start() + lead
    return None


def is_caption(line: str) -> bool:
    """Photo captions and credits: "… - AFP", "(صورة: رويترز)", "(أرشيفية - غيتي)", "… في الرياض (واس)".

    A caption is a short noun phrase: no sentence punctuation before the credit, a head of 3+ words,
    and not a clause of the story (`reads_as_sentence`): "وتراجعت أسعار النفط بنسبة ثلاثة بالمئة
    خلال تعاملات اليوم (رويترز)" is the story's last sentence and its credit, "وأظهرت صور نشرتها
    الوزارة دمارا واسعا (رويترز)" too.
    """
    text = clean_text(line).strip()
    if not text or _over(text, 25):
        return False
    m = _TRAILING_CREDIT.search(text)
    photo = _PHOTO_HINT.search(text)
    # a photo word loses only to a clause opened by the story's conjunction ("وأظهرت صور …"): a
    # caption's relative clause reports too ("صورة أرشيفية للوزير الذي أكد أن …")
    if m and reads_as_sentence(text[: m.start()]) and (not photo or _CONJ_OPENING.match(clean_text(text[: m.start()]))):
        return False
    if photo:
        return True
    if not m:
        return False
    head = text[: m.start()].strip()
    credit = m.group("dash") or m.group("paren") or ""
    if names_a_place(head) or place_parts(head):
        return False  # a dateline: "قصر بن غشير - أ ف ب", "جورج تاون في 6 ديسمبر (أ ف ب)", "واشنطن - الخليج - رويترز"
    latin_credit = regex.fullmatch(r"[A-Za-z .&/]+", credit.strip()) is not None
    if _BYLINE_LABEL.match(head):
        return False  # a byline: "كتب - أحمد علي (رويترز)" credits the story
    if (_words(head) < 3 and not (names_a_person(head) or _CAPTION_WORDS.search(head))) or _SENTENCE_PUNCT.search(head):
        return False  # a dateline: "القدس المحتلة - رويترز" (but "الرئيس الفرنسي (أ ف ب)" is a caption)
    return latin_credit or bool(identify_all(credit))


# The end mark a wire copy closes with on a line of its own, after its sign-off, with the desk's
# initials or not: KUNA's "(النهاية) ع ب / م ع", "/انتهى/", "- انتهى -". Not text: the sign-off is
# read on the line above it.
_END_MARK = regex.compile(
    r"\s*[(\[/«\-–—*]*\s*(?:النهاية|انتهى)\s*[)\]/»\-–—*]*\s*"
    r"(?:[^\W\d_](?:[.\s]+[^\W\d_]){0,3}\.?(?:\s*/\s*[^\W\d_](?:[.\s]+[^\W\d_]){0,3}\.?){0,3})?\s*\.?\s*"
)


def is_boilerplate(line: str) -> bool:
    text = clean_text(line)
    return bool(_BOILERPLATE.match(text) or _END_MARK.fullmatch(text))


# A worker reads each article twice, line by line: `strip_for_key` (the dedupe key of a group of
# articles), then `attribute`. The tests of a whole line both walks make are remembered for lines
# of up to CLEAN_CACHE_CHARS (as clean_text remembers them), so the second walk finds them done;
# `dateline` is remembered too.
LINE_CACHE = 4096


def _furniture(line: str) -> bool:
    """is_caption(line) or is_boilerplate(line)."""
    return _short_furniture(line) if len(line) <= CLEAN_CACHE_CHARS else _is_furniture(line)


def _is_furniture(line: str) -> bool:
    return is_caption(line) or is_boilerplate(line)


_short_furniture = lru_cache(maxsize=LINE_CACHE)(_is_furniture)


def _closing_credit(line: str) -> tuple[tuple[str, ...], int] | None:
    """signoff(line), its agencies as a tuple (a remembered value is shared)."""
    return _short_closing_credit(line) if len(line) <= CLEAN_CACHE_CHARS else _signoff_tuple(line)


def _signoff_tuple(line: str) -> tuple[tuple[str, ...], int] | None:
    found = signoff(line)
    return (tuple(found[0]), found[1]) if found else None


_short_closing_credit = lru_cache(maxsize=LINE_CACHE)(_signoff_tuple)


# --- scoring ------------------------------------------------------------------------------------

_CITE_PRE = {"نقلت", "نقلته", "نقلتها", "ذكرت", "ذكرته", "اوردت", "أوردت", "افادت", "أفادت", "بحسب", "حسب", "نقلا", "وفقا", "طبقا", "استنادا", "اعلنت", "أعلنت"}


# "قال مسؤول لوكالة …", "لـ…": whom someone spoke to, unless a citing word (_CITE_PRE) comes before
_SAID_TO = regex.compile(r"(?:^|\s)(?P<pre>\S+\s+)?(?:لـ?\s?|لل)(?:وكالة\s+|وكاله\s+)?$")
_WORD_CHAR = regex.compile(r"\w")


def _in_text(text: str) -> list[tuple[str, float, str]]:
    """(agency, weight, evidence) for free-text mentions of unambiguous agency names."""
    hits: list[tuple[str, float, str]] = []
    folded = fold(text)
    for ag in _named_in(folded.casefold()):
        for m in ag.free.finditer(folded):
            if not _word_bounded(text, m.start(), m.end()):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            said_to = _SAID_TO.search(before)
            if said_to and (said_to.group("pre") or "").strip() not in _CITE_PRE:
                hits.append((ag.id, MEDIUM, f"said to: {before[-25:].strip()} {text[m.start():m.end()]}"))
            else:
                hits.append((ag.id, WEAK, f"mention: {before[-25:].strip()} {text[m.start():m.end()]}"))
    return hits


@lru_cache(maxsize=1)
def _free_literals() -> tuple[frozenset[int], tuple[tuple[str, frozenset[int]], ...]]:
    """(the agencies with a free form and no needed literal, each needed literal with the agencies
    that need it), agencies by their place in `agencies()`; "multiple" is left out."""
    always: set[int] = set()
    needing: dict[str, set[int]] = {}
    for n, ag in enumerate(agencies()):
        if ag.free is None or ag.id == MULTIPLE:
            continue
        if ag.free_needs is None:
            always.add(n)
        for literal in ag.free_needs or ():
            needing.setdefault(literal, set()).add(n)
    return frozenset(always), tuple((lit, frozenset(ns)) for lit, ns in needing.items())


def _named_in(lowered: str) -> list[_Agency]:
    """The agencies whose free forms `_in_text` searches a line for (`lowered`: the folded line,
    casefolded), in `agencies()` order: those with no needed literal and those of which the line
    holds a needed literal. Most lines name no agency: a substring test of each literal once
    (agencies share "وكاله", "الانباء") instead of a search."""
    always, needing = _free_literals()
    found = set(always)
    for literal, ids in needing:
        if literal in lowered:
            found |= ids
    every = agencies()
    return [every[n] for n in sorted(found)]


def _word_bounded(text: str, start: int, end: int) -> bool:
    """Mention must end a word; a prefix "ل"/"لل"/"و"/"ب" glued on the left is allowed."""
    if end < len(text) and _WORD_CHAR.match(text[end]):
        return False
    if start > 0 and _WORD_CHAR.match(text[start - 1]):
        return text[max(0, start - 2) : start] in {"لل", "ال"} or text[start - 1] in "لوب"
    return True


# A dateline, byline or credit line opens one of the text's first lines: after a standfirst of one
# or two lines, a byline or a date line that the page printed above the story (short lines).
OPENING_LINES = 4
_SHORT_LINE_WORDS = 30


def _opening(i: int, before: list[str], last: int) -> bool:
    """Whether line `i` may open the story with a dateline, `before` holding the text's lines above
    it and `last` the index of its last line: one of the first two lines, or the first line of
    text, or one of the first OPENING_LINES below short lines only (not the text's last line)."""
    if i < 2 or not before:
        return True
    return i < min(OPENING_LINES, last) and not any(_over(b, _SHORT_LINE_WORDS) for b in before)


def _last_line(lines: list[str]) -> int:
    return max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)


# A credit after a slash ("خافيير ميلي / أ ف ب"), read as `_TRAILING_CREDIT`'s dash.
_SLASH_CREDIT = regex.compile(r"\s*/\s*(?P<dash>[^/()]{1,30}?)\s*/?\s*$(?P<paren>)")


_MARKS_AFTER_CREDIT = regex.compile(r"[\s\-–—:.،,]+")


def _caption_above_dateline(line: str, m: Dateline, below: list[str]) -> bool:
    """Whether a line that is only a name and a credit ("جو بايدن (أ ف ب)") is the caption of the
    picture printed above the story rather than its dateline: the name is a person's
    (`personal_name`: "محمد بن سلمان - رويترز"; a dateline names a place, "القدس المحتلة -
    رويترز"), or the next line opens with a dateline of its own that runs into the text and
    credits another agency ("واشنطن (رويترز) - قال …") or names another place and no agency ("غزة
    (أ ف ب)" over "القدس - قالت …", `_other_place_opens`). A story has one dateline; the one its
    text follows is the story's."""
    if _MARKS_AFTER_CREDIT.sub("", line[m.end :]):
        return False  # the credit runs into text: the line is the story's opening
    credit = _TRAILING_CREDIT.search(m.text) or _SLASH_CREDIT.search(m.text)  # "خافيير ميلي / أ ف ب"
    if credit and identify_all(credit.group("dash") or credit.group("paren") or ""):
        head = m.text[: credit.start()].strip()
        placed = named_as_place(head, below[:STORY_LINES])  # "زونغولداق إرغلي - واج" over "… في مدينة زونغولداق إرغلي …"
        if (names_a_person(head) and not (placed and _plain_name(head))) or _surname_in(head, below[:STORY_LINES]):
            return True  # "محمد بن سلمان - رويترز"; not a reporter's "أحمد الشميري، رويترز (صنعاء)"
        if bare_personal_name(head) and not placed and not _anadolu_dateline(m.text, credit, below):
            return True  # "خافيير ميلي (أ ف ب)"
    nxt = next((_clean(b).strip() for b in below if b.strip()), "")
    if not nxt or _source_line(nxt):
        return False
    ag, m2 = dateline(nxt)
    if ag is None and not credit and identify_all(m.text) and _outlets_dateline(clean_text(nxt), m2):
        return True  # "رويترز" alone over the outlet's own "بيروت - «الخليج»:": its picture's credit
    if ag is None and credit and _other_place_opens(nxt, m.text[: credit.start()], m2):
        return True  # "غزة (أ ف ب)" over "القدس - قالت …": the story's dateline is the one its text follows
    if not (ag and m2 and set(m2.agencies) != set(m.agencies)):
        return False
    if _WORD_CHAR.search(nxt[m2.end :]):
        return True
    # another wire's dateline alone on its line, a listed place's, under a scene that names no place
    # ("مبنى البنك المركزي في بيروت - رويترز" over "بيروت - أ ف ب"; not "ريف دمشق الغربي - سانا"):
    # the story's is the one over its text
    credit2 = _TRAILING_CREDIT.search(m2.text)
    head, place = (_SPACES.sub(" ", clean_text(t).strip(" \t«»\"'.-–—:/،,")) for t in (
        m.text[: credit.start()] if credit else "", m2.text[: credit2.start()] if credit2 else ""))
    return bool(head and place and MULTIPLE not in (*m.agencies, *m2.agencies)
                and is_city(place) and not (is_city(head) or names_a_place(head)))


def caption_over_dateline(line: str, below: list[str]) -> bool:
    """Whether `line`, only a name and a credit over the story's lines `below`, is the caption of the
    picture above the story rather than its dateline, as `attribute` reads it (`_caption_above_dateline`):
    "غزة (أ ف ب)" over "القدس - قالت …" or over "واشنطن (رويترز) - …", "محمد بن سلمان - رويترز"."""
    text = _clean(line).strip()
    ag, m = dateline(text)
    return bool(ag and m is not None and _caption_above_dateline(text, m, below))


def _other_place_opens(nxt: str, head: str, own: Dateline | None) -> bool:
    """Whether the line under a name and a credit opens with a dateline of its own that credits no
    agency and names another place: a place and a dash or a colon before its text ("القدس - قالت
    …", `_own_dateline`) or before the outlet's name ("القدس - «الخليج»:", `own` read by `dateline`).
    A story has one dateline, the one its text follows; the name and credit above it is a picture's
    caption ("غزة (أ ف ب)" over "القدس - …"); over the same place ("غزة (أ ف ب)" over "غزة - …") it
    is the dateline printed twice."""
    name = _SPACES.sub(" ", clean_text(head).strip(" \t«»\"'.-–—:/،,"))
    if not name:  # "رويترز" alone over "القدس - …": the story's credit line; over the outlet's own
        return _outlets_dateline(clean_text(nxt), own)  # dateline ("بيروت - «الخليج»:"), its picture's
    first = clean_text(nxt)
    if own is not None and not own.agencies:
        place = regex.match(r"\s*(?P<place>[^\W\d]+(?:\s+[^\W\d]+){0,3}?)\s*[-–—:]", own.text)
        return bool(place) and not same_place(place.group("place"), name) and names_a_place(place.group("place"))
    return _own_dateline(first, name)


def _anadolu_dateline(text: str, credit: regex.Match, below: list[str]) -> bool:
    """Whether a line that is only two or three words and a slash credit to Anadolu ("تيزي وزو/ الأناضول",
    "ديار بكر / الأناضول") is the agency's dateline rather than a picture's caption: that is the
    shape of every Anadolu dateline, on its own line above the story, and the story's first paragraph
    does not name the words as a person (a picture of a person is of whom the story is about)."""
    if not text[credit.start() :].lstrip().startswith("/") or identify_all(credit.group("dash") or "") != ["anadolu"]:
        return False
    first = clean_text(next((_clean(b).strip() for b in below if b.strip()), ""))
    name = _SPACES.sub(" ", clean_text(text[: credit.start()]).strip())
    for hit in regex.finditer(rf"(?<!\w)(?:{regex.escape(name)}|{regex.escape(name.split()[-1])})(?!\w)", first):
        if not _WHERE_A_PLACE.search(first[: hit.start()]):
            return False  # "قال ماتيو سالفيني …": the picture's person
    return True


STORY_LINES = 6  # the story's first lines, where it names whom a picture above shows or where its dateline is
# A kind of place before its name in a sentence ("في مدينة زونغولداق إرغلي", "بولاية …", "لبلدة …"), or
# where something lies or who lives there ("قرب …", "شمال …", "ضواحي …", "سكان …", "أهالي …"): no
# person's name follows one.
_PLACE_NOUN = (r"[وبلف]?(?:مدينة|مدينه|بلدة|بلده|قرية|قريه|بلدية|بلديه|محافظة|محافظه|ولاية|ولايه|منطقة|منطقه|[إا]قليم|"
               r"قضاء|ناحية|ناحيه|مقاطعة|مقاطعه|مخيم|جزيرة|جزيره|ميناء|قرب|بالقرب\s+من|شمال|جنوب|شرق|غرب|شمالي|جنوبي|"
               r"شرقي|غربي|وسط|ضواحي|[أا]طراف|شوارع|سكان|[أا]هالي|[أا]حياء)")


_NAME_WORD = regex.compile(r"\w{2,}")


def named_as_place(head: str, lines: list[str]) -> bool:
    """Whether the story (`lines`) names the words of a name-and-credit line as a place: the whole name
    after a kind of place ("في مدينة نوفا كاخوفكا", "محافظة علي الغربي") or, a name that no listed given
    name opens (a foreign name's shape, or a nisba's after an unlisted word: "رهيد البردي"), after "في"
    ("في زونغولداق إرغلي", "في رهيد البردي") or before where it lies ("رهيد البردي بولاية …", `_LIES_IN`)
    unless the story names the person again by the surname alone (`_surname_alone`), or, a foreign name's shape, its first word after a kind of place ("ولاية زونغولداق"). A person is never named so; a dateline's place often is, as
    the story tells where it happened. Names with a title, an honorific or a lineage are persons'
    whatever follows ("مدينة محمد بن راشد" is named after one)."""
    name = _SPACES.sub(" ", clean_text(head).strip(" \t«»\"'.-–—:/"))
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words) or not _plain_name(name):
        return False
    texts = [clean_text(t) for t in lines if t.strip()]
    if texts and _own_dateline(texts[0], name):
        return False  # "موسكو - قالت روسيا …": the story has its dateline; the line is a picture's caption
    # how strongly the name's shape says a person: a listed given name first decides it (only the whole
    # name after a kind of place makes it one); a family name of the nisba's shape after an unlisted
    # word ("مشاري العتيبي", but the town "رهيد البردي") is a shape towns have too, so "في X" places it
    # as it places a foreign name's shape; only the foreign shape is placed by its first word ("ولاية X")
    listed = bool(_given_names().fullmatch(words[0]) or _NAME_SHAPE.search(name))
    foreign = not personal_name(name)
    whole = rf"(?<!\w){_PLACE_NOUN}\s+{regex.escape(name)}(?!\w)"
    first = rf"(?<!\w){_PLACE_NOUN}\s+{regex.escape(words[0])}(?!\w)"
    lies = rf"(?<!\w){regex.escape(name)}\s+(?:{_LIES_IN})"
    if any(regex.search(whole, text) for text in texts):
        return True
    if listed or _surname_alone(words, texts):
        return False  # the story speaks of a person by the surname alone ("وأكد أوربان", "حكومة ميلي")
    role = rf"(?<!\w)(?:{_ROLE_WORDS}|{_PERSON_TITLE.pattern})\s+{regex.escape(name)}(?!\w)"
    if any(regex.search(role, text) for text in texts):
        return False  # "توفي المواطن مشاري العتيبي بمحافظة الخرج": a role word before the name says a person
    # where it lies ("رهيد البردي بولاية جنوب دارفور") places a name as "في X" does: a person is said to
    # belong somewhere too ("الجندي خالد الشهري التابع للواء …", "المواطن فهد العتيبي بمحافظة الخرج")
    return any((foreign and regex.search(first, text)) or _in_place(name, text) or regex.search(lies, text)
               for text in texts)


# Words for who a person is that stand before a name in a story ("المواطن مشاري العتيبي", "الجندي
# عايض الشهري", "الطفلة ريم …", "الأسير …"), with the article, a preposition's ل or ب, or و before it:
# never before a place's name. Titles of office are `_PERSON_TITLE`'s.
_ROLE_WORDS = (r"(?:و|ف)?(?:ال|لل|بال|وال)(?:مواطن|مقيم|وافد|جندي|مجند|عسكري|شرطي|ضابط|رقيب|عريف|ملازم|نقيب|مقدم|"
               r"طالب|تلميذ|شاب|طفل|رضيع|فتى|فتاة|مسن|شيخ|حاج|شهيد|[أا]سير|معتقل|مصاب|جريح|صحفي|صحافي|مصور|"
               r"مراسل|ناشط|مهندس|طبيب|دكتور|محامي|معلم|[أا]ستاذ|سائق|عامل|مزارع|صياد|رياضي|مهاجم|حارس|"
               r"قاضي|مستشار|رجل|سيدة|امر[أا]ة|شقيق|ابن|زوج|والد|مغترب|متهم|مشتبه|ضحية|راحل|فقيد)(?:ة|ه|ان|ين|ون)?(?!\w)")


# Where a place lies, after its name ("رهيد البردي بولاية جنوب دارفور", "… الواقعة شمال …", "… التابعة
# لمحافظة …"); a person's may be followed by one too ("الجندي خالد الشهري التابع للواء …"): read only
# for a name no listed given name opens (`named_as_place`).
_LIES_IN = (r"(?:ال)?(?:واقع|تابع)(?:[ةه]|ين|تين)?(?!\w)"
            r"|ب(?:ولاية|ولايه|محافظة|محافظه|منطقة|منطقه|[إا]قليم|مقاطعة|مقاطعه|قضاء|ناحية|ناحيه|ريف|جنوب|شمال|شرق|غرب|وسط)(?!\w)")


def _surname_alone(words: list[str], texts: list[str]) -> bool:
    """Whether the story names the last word of a name of two or three words on its own, not after the
    words before it ("… فيكتور أوربان …" then "وأكد أوربان", "حكومة أوربان"): a person is named again by
    the surname, a town always by its whole name ("زونغولداق إرغلي"). A word of the name that is a
    listed place or a place's word alone says nothing ("نوفا كاخوفكا" and the town "كاخوفكا")."""
    last = words[-1]
    if len(last) < 3 or is_city(last) or _TOWN_WORD.fullmatch(last):
        return False
    before = regex.escape(words[-2])
    alone = rf"(?<!(?<!\w){before}\s+)(?<!\w)[وفلب]?{regex.escape(last)}(?!\w)"
    return any(regex.search(alone, text) for text in texts)


# What makes "في" before a name "in" a person, not a place: trust in, seeing in, doubting or challenging
# ("حجب الثقة في فيكتور أوربان", "يرى كثير من الأرجنتينيين في خافيير ميلي فرصة", "طعنت المعارضة في
# جورجا ميلوني"), a few words before it in the same sentence.
_IN_A_PERSON = regex.compile(
    r"(?<!\w)[وفل]?(?:(?:ال|ب|لل|بال)?ثق[ةه]\w*|[يتن]?ثق(?:ون|ن)?|[يتنأا]رى|[يت]رو?ن|ير[يو]ن|ر[أا][ىت]|ر[أا]وا|ر[أا]ين|"
    r"(?:ال)?طعن|[يت]?طعن(?:ت|وا|ون)?|(?:ال)?تشكيك|[يت]?شكك(?:ت|وا|ون)?|(?:ال)?شك)(?!\w)"
)
_CLAUSE_WORDS = 6  # "يرى كثير من الأرجنتينيين في …": the verb, its subject, then "في"


def _in_place(name: str, text: str) -> bool:
    """Whether `text` has "في" before the whole `name` as "in" a place ("وقع انفجار في زونغولداق
    إرغلي"), not "in" a person (`_IN_A_PERSON` among the words before it in its sentence)."""
    for hit in regex.finditer(rf"(?<!\w)في\s+{regex.escape(name)}(?!\w)", text):
        clause = regex.split(r"[.!?؟؛:،,]", text[: hit.start()])[-1].split()[-_CLAUSE_WORDS:]
        if not any(_IN_A_PERSON.fullmatch(w) for w in clause):
            return True
    return False


def _own_dateline(first: str, name: str) -> bool:
    """Whether the story's first line opens with a dateline of its own, another place and a dash or a
    colon before its text ("موسكو - قالت روسيا …", "بوينس آيرس: …"): a story has one dateline, so a
    name and a credit above it is a picture's ("نوفا كاخوفكا (أ ف ب)" of the town the story tells of)."""
    m = regex.match(r"\s*(?P<place>[^\W\d]+(?:\s+[^\W\d]+){0,3}?)\s*[-–—:]\s*[^\W\d]", first)
    return bool(m) and not same_place(m.group("place"), name) and names_a_place(m.group("place"))


def placed_by_story(line: str, below: list[str]) -> bool:
    """Whether `line` is only a name and a credit ("زونغولداق إرغلي - واج", "نوفا كاخوفكا (أ ف ب)",
    "بيلا تسيركفا / الأناضول") whose name the story's first lines (`below`) give as a place
    (`named_as_place`) and not as a person (`_surname_in`): the story's dateline on its own line, not a
    picture's caption."""
    text = _clean(line).strip()
    credit = _TRAILING_CREDIT.search(text) or _SLASH_CREDIT.search(text)
    if not credit or not identify_all(credit.group("dash") or credit.group("paren") or ""):
        return False
    head, story = text[: credit.start()].strip(), below[:STORY_LINES]
    return named_as_place(head, story) and not _surname_in(head, story)  # "… الرئيس الأرجنتيني خافيير ميلي …": a person


def _plain_name(name: str) -> bool:
    """A name with no title, honorific, ruler's title or lineage ("علي الغربي", "خافيير ميلي"): the
    story naming it as a place may make it one."""
    text = clean_text(name).strip()
    return not (_PERSON_TITLE.search(text) or _RULER_OF.match(text) or _HONORIFIC.match(text) or _NAME_SHAPE.search(text))


# The words a place's name follows in a sentence ("في ولاية قوجه إيلي", "من مدينة …", "بلدية …").
_WHERE_A_PLACE = regex.compile(
    r"(?<!\w)(?:في|من|[إا]لى|قرب|بولاية|لولاية|ولاية|ولايه|مدينة|مدينه|بمدينة|لمدينة|محافظة|محافظه|بلدة|بلده|بلدية|بلديه|"
    r"منطقة|منطقه|[إا]قليم|قضاء|ناحية|مقاطعة|قرية)\s+$"
)


# A word of a town's name of two or three that no person's name holds: `_PLACE_HEAD`'s (its first words
# and a town's suffixes), and the first word of more ("سوق أهراس", "مرج عيون", "مزار شريف", "بندر عباس",
# "حاسي مسعود", "منزل بورقيبة", "حمام الأنف") or its last ("جناق قلعة", "إسكي شهير"), which alone do not
# tell a place's name in a dateline (`names_a_place`): "أم" and "باب" open a person's name or a phrase too.
_TOWN_WORD = regex.compile(
    rf"{_PLACE_WORDS}|{_TOWN_SUFFIX}|"
    # (not "نير", "سهل", "بحر": a person's names too, "نير بركات")
    r"سوق|[أا]سواق|مرج|مزار|بندر|حاسي|منزل|حمام|باب|جب|جسر|معر[ةه]|نهر|راء|كفار|ناحل|شانلي|"
    r"قر[ةه]|[أا]ولاد|ذراع|طور|قلع[ةه]|شهير|أباد|بوري|ديار|خور|عيون|ساحل|بحير[ةه]|هضب[ةه]|[أا]م"
)


def bare_personal_name(head: str) -> bool:
    """Whether the head of a line that is only a name and a credit ("خافيير ميلي (أ ف ب)", "جاستن ترودو
    - رويترز") is a foreign person's name, not a dateline's place, by its shape: two or three words,
    none with the article, none a listed place ("بوينس آيرس", "دار السلام") or a town's word
    (`_TOWN_WORD`: "سان", "نيو", "ريو", "خان", "شمال", "سوق أهراس", "جناق قلعة"), not a kunya's place ("أبو ظبي", "أم درمان"),
    nor a date, a mark or a caption's or a report's word. A dateline's place of more than one word
    has the article ("القدس المحتلة", "الدار البيضاء", "شرم الشيخ", "رام الله") or one of those
    words; and a dateline opens the story's first paragraph, while a line that is only the name and
    the credit stands alone where a picture was (the caller reads only such lines)."""
    text = _SPACES.sub(" ", clean_text(head).strip(" \t«»\"'.-–—:/"))
    words = text.split()
    if not 2 <= len(words) <= 3 or not regex.fullmatch(r"[\p{Arabic}\s]+", text) or regex.search(r"\d|\p{P}", text) or any(w.startswith("ال") or "الله" in w for w in words):
        return False  # a Latin line ("Hong Kong - Reuters") is left to the dateline's reading
    if len(words[0]) < 2 or regex.match(r"^(?:[أا]بو|[أا]م|بن|بنت|ابن)$", words[0]) or is_city(text):
        return False
    if any(is_city(w) or _TOWN_WORD.fullmatch(w) or identify(w) for w in words) or names_a_place(text):
        return False
    return not (_NAME_BLOCKERS.search(text) or _CAPTION_WORDS.search(text) or _PERSON_TITLE.search(text))


def _surname_in(head: str, below: list[str]) -> bool:
    """Whether a head of one to three words ("نتنياهو" of "نتنياهو (أ ف ب)", "ماركو روبيو - رويترز")
    is a person the story names in `below` (its lines under a caption above it, or above a caption
    that closes it): after a given name or a title with its article ("بنيامين نتنياهو", "الرئيس
    نتنياهو"), or, a name of two or three words, after the nationality of a title ("وزير الخارجية
    الأمريكي ماركو روبيو", "الرئيس الأرجنتيني خافيير ميلي"): the picture shows whom the story is
    about, whatever the name's language. A dateline's place is never written so ("في طولكرم"; a title
    without its article is "of" the place: "محافظ طولكرم"; a place's word is a place: "الجيش الإسرائيلي
    بيت لحم")."""
    name = _SPACES.sub(" ", clean_text(head).strip())
    words = name.split()
    if not words or len(words) > 3 or not all(_NAME_WORD.fullmatch(w) and not _DIGIT.search(w) for w in words):
        return False
    if len(words[-1]) < 3 or is_city(name) or (len(words) > 1 and _PLACE_HEAD.search(name)):
        return False
    said = rf"(?<!\w)[وف]?{_SAYS}\s+(?:{regex.escape(words[0])}\s+)?{regex.escape(words[-1])}(?!\w)"
    for line in below:
        text = clean_text(line)
        if len(words) > 1 and not is_city(words[-1]) and not _LAND.search(name) and regex.search(said, text):
            return True  # "ليونيل ميسي (أ ف ب)" over "… وقال ميسي إن …": the surname speaks, no place does
        for hit in regex.finditer(rf"(?<!\w)(?P<before>\w+)\s+(?:(?P<given>\w+)\s+)?{regex.escape(name)}(?!\w)", text,
                                  overlapped=True):
            before, given = hit.group("before"), hit.group("given")
            if given is None and ((before.startswith("ال") and _PERSON_TITLE.fullmatch(before))
                                  or personal_name(f"{before} {name}")):
                return True
            # "… الأمريكي ماركو روبيو": a name of two or three words, or a surname after its given name
            if (len(words) > 1 or given) and _NATIONALITY.fullmatch(before) and _titled(text[max(0, hit.start() - TITLE_WINDOW) : hit.start()]) and not (
                    given and (given.startswith("ال") or _NOT_GIVEN.fullmatch(given) or _PLACE_HEAD.match(given))):
                return True
    return False


# A land's name, which speaks as its government does ("وقالت الولايات المتحدة", "وقالت كوريا الشمالية"): it
# opens with the article or ends with a feminine adjective; a person's name of two or three words does neither.
_LAND = regex.compile(r"^ال\w+\s|\sال\w+[ةه]$")
TITLE_WINDOW = 200  # chars before a nationality that hold the title's last three words (no split of the whole line per hit)


def _titled(before: str) -> bool:
    """Whether a person's title ends the text before a nationality ("قال وزير الخارجية" + "الأمريكي")."""
    return any(_PERSON_TITLE.fullmatch(w) for w in before.split()[-3:])


# Words between a nationality and a name that are no given name: "الوزير السوري عن إدلب".
_NOT_GIVEN = regex.compile(r"في|من|[إا]لى|على|عن|مع|[أإا]ن|بعد|قبل|حول|نحو|لدى|منذ|ضد|عبر|خلال|[أا]مام|بين|و\w*")


# A reporting verb with its subject after it ("وقال ميسي", "أضافت ميركل"): a person, not a place. (A
# capital speaks for its government, "وقالت موسكو": a one-word head is not read so.)
_SAYS = r"(?:قال|قالت|[أا]ضاف|[أا]ضافت|[أا]كد|[أا]كدت|[أا]وضح|[أا]وضحت|تابع|تابعت|[أا]شار|[أا]شارت|صرح|صرحت|كتب|كتبت|غرد|غردت)"
# A nationality adjective after a title: "(وزير الخارجية) الأمريكي", "(الرئيس) الأرجنتينية".
_NATIONALITY = regex.compile(r"ال\w{3,}(?:ي|ية|يه)")


# An official's meeting, visit or ceremony told in the past by the caption of its picture, which
# Egyptian and Gulf pages print under the story: "استقبل الرئيس السيسي وزير الخارجية الأمريكي في قصر
# الاتحادية (أ ش أ)". The verb, then who (a title or a personal name), then the scene, and nothing a
# story's sentence adds: what was discussed ("وبحث معه …"), when ("اليوم"), a clause ("الذي", "حيث",
# "بعد أن"), a report ("وأكد أن …"), a rate or a sum, or a full stop before the credit.
_SCENE_VERB = regex.compile(
    r"^(?:استقبل|استقبلت|التقى|التقت|شهد|شهدت|ترأس|ترأست|تراس|تراست|افتتح|افتتحت|تفقد|تفقدت)\s+(?P<who>.+)$"
)
_STORY_CLAUSE = regex.compile(
    r"(?<!\w)(?:الذي|التي|الذين|اللذين|حيث|وذلك|عندما|كما|[إا]ذ|(?:بعد|قبل)\s+[أا]ن"
    r"|و(?:بحث|بحثا|ناقش|ناقشا|تناول|تناولا|استعرض|استعرضا|تباحث|[أا]كد|شدد|[أا]شاد|[أا]عرب|دعا|وقع|وقعا|جرى|تم))(?!\w)"
)
_SCENE_WORDS = 16


def _scene_caption(head: str) -> bool:
    """Whether the words before a closing credit are the caption of an official's meeting or visit in
    the past tense (`_SCENE_VERB`): a short phrase of a verb, its person and the scene."""
    scene = _SCENE_VERB.match(head)
    if not scene or _words(head) > _SCENE_WORDS or _SENTENCE_PUNCT.search(head):
        return False
    who = scene.group("who").split()
    opening = " ".join(who[:3])  # "الرئيس …", "ولي العهد …", "أمير الكويت …", "سامح شكري …"
    person = bool(_PERSON_TITLE.match(opening) or _RULER_OF.match(opening)) or any(
        personal_name(" ".join(who[:n])) for n in (2, 3, 4))
    return person and not (_STORY_CLAUSE.search(head) or _REPORTING.search(head) or _QUANTITY.search(head)
                           or _STORY_TIME_OR_LINK.search(head))


def closing_caption(line: str, above: list[str]) -> bool:
    """Whether the text's last line, a phrase and a credit, is the caption of a picture printed under
    the story, not the story's last sentence and its credit: a surname the story gives with a given
    name or a title above ("نتنياهو (أ ف ب)" under "… بنيامين نتنياهو …"), or an official's meeting
    or visit (`_scene_caption`: "استقبل الرئيس السيسي وزير الخارجية الأمريكي (أ ش أ)"), or a foreign
    person's bare name (`bare_personal_name`: "خافيير ميلي (أ ف ب)"), or a short name of a person
    (`names_a_person`: "د. هالة السعيد - رويترز", "نجلاء المنقوش/ الأناضول", the credit also after a
    slash) unless the story gives the name as a place (`named_as_place`). The credit is the picture's,
    not the story's."""
    m = _TRAILING_CREDIT.search(line) or _SLASH_CREDIT.search(line)
    if not m or not identify_all(m.group("dash") or m.group("paren") or ""):
        return False
    head = line[: m.start()].strip()
    if _surname_in(head, above) or _scene_caption(head):
        return True
    placed = named_as_place(head, above[:STORY_LINES])
    person = _words(head) <= PERSON_WORDS and not reads_as_sentence(head) and names_a_person(head)
    anadolu = m.re is _SLASH_CREDIT and identify_all(m.group("dash")) == ["anadolu"]  # its own dateline's shape
    return not placed and (person or (bare_personal_name(head) and not anadolu))


PERSON_WORDS = 4  # "د. هالة السعيد", "الرئيس الفرنسي إيمانويل ماكرون": more is a phrase, read by `is_caption`


def _evidence(lines: list[str]) -> list[tuple[str, float, str]]:
    hits: list[tuple[str, float, str]] = []
    body: list[str] = []
    own: tuple[str, ...] = ()  # the agencies of the story's dateline (OWN_OUTLET: the outlet's own)
    dated: tuple[str, ...] = ()  # the same, once the story's text has begun under it
    last = _last_line(lines)
    for i, raw in enumerate(lines):
        line = _clean(raw).strip()
        if not line:
            continue
        if own and not dated and body and _WORD_CHAR.search(body[-1]):
            dated = own
        if dated and i < min(OPENING_LINES, last) and _picture_credit_below(line, dated):
            continue
        if _opening(i, body, last) and not _source_line(line):
            ag, m = dateline(line)
            if m is not None and ag and _caption_above_dateline(line, m, lines[i + 1 :]):
                continue
            if not own and not ag and _outlets_dateline(line, m):
                own = (OWN_OUTLET,)  # "بيروت - «الخليج»:", "القاهرة (خاص)": the outlet's own dateline
            if m is not None and ag:
                if not own and MULTIPLE not in m.agencies:
                    own = m.agencies
                hits += [(a, STRONG, f"dateline: {m.text}") for a in m.agencies]
                body.append(line[m.end :])
                continue
        if _furniture(line) or (i == last and body and closing_caption(line, lines[:i])):
            continue
        src = _source_line(line)
        if src:
            hits += [(a, STRONG, f"source line: {line}") for a in source_ids(src.group("src"))]
            continue
        # first the credit alone after the label, whole: "تقرير: رويترز وفرانس برس" is both agencies', not a
        # reporter "رويترز" and the credit "فرانس برس"
        if i < OPENING_LINES and (ags := _labelled_credit(line)):  # "تقرير: رويترز", "بقلم فريق رويترز"
            hits += [(a, STRONG, f"byline: {line}") for a in ags]
            continue
        by = _BYLINE.match(line) if i < OPENING_LINES else None  # "كتب محمد عبد المجيد و رويترز"
        if by and (ags := identify_all(by.group("credit") or by.group("paren"))):
            hits += [(a, STRONG, f"byline: {line}") for a in ags]
            continue
        alone = identify_all(line.strip("()[] -–—*•")) if not _over(line, 6) else []
        if alone and (i < OPENING_LINES or i >= len(lines) - 2):
            hits += [(a, STRONG, f"credit line: {line}") for a in alone]
            continue
        body.append(line)
    if body:
        found = _closing_credit(body[-1])
        if found:
            signed, start = found
            hits += [(a, STRONG, f"sign-off: {body[-1][start:].strip()}") for a in signed]
            body[-1] = body[-1][:start]  # the credit is not also an in-text mention
    for line in body:
        hits += _in_text(line)
        for sm in _SELF_REFERENCE.finditer(line) if any(w in line for w in _VERIFY_WORDS) else ():
            hits += [(a, STRONG, f"wire self-reference: {sm.group(0)}") for a in identify_all(_QUOTES.sub("", sm.group("x")))]
    return hits


OWN_OUTLET = ""  # a dateline that names the outlet and no agency ("بيروت - «الخليج»:"), in `_evidence`
# A place, then the outlet's name in quotes or "خاص" (its own correspondent), alone or before a mark:
# "بيروت: «الشرق الأوسط»", "لندن ـ «القدس العربي»:" (the tatweel dash is cleaned away), "القاهرة (خاص)".
_OWN_CREDIT = regex.compile(
    r"^\s*(?P<place>[^\W\d]+(?:\s+[^\W\d]+){0,2}?)\s*(?:[-–—:،,/]\s*)?(?:«[^»\n]{2,30}»|\(\s*خاص\s*\)|خاص)"
    r"\s*(?:[-–—:]|(?P<run>\s)|$)")


def _outlets_dateline(line: str, m: Dateline | None) -> bool:
    """Whether `line` opens with the outlet's own dateline, a place and its name or "خاص" and no agency
    ("بيروت - «الخليج»:", "بيروت: «الشرق الأوسط»", "القاهرة (خاص)")."""
    if m is not None:
        return not m.agencies
    own = _OWN_CREDIT.match(line)
    if not own or identify_all(own.group(0)):
        return False
    # run straight into its text ("بيروت: «الشرق الأوسط» أعلن …"), only after a listed place: not "قال «…» إن"
    return not own.group("run") or is_city(own.group("place"))


def _picture_credit_below(line: str, dated: tuple[str, ...]) -> bool:
    """Whether `line`, a credit alone ("(رويترز)", "رويترز", "- أ ف ب") among the story's first lines
    below its dateline ("بيروت (أ ف ب) - قال …", the outlet's own "بيروت - «الخليج»: …"), and not its
    last line, is the credit of a picture printed inside the story: a story has one dateline, and its
    text has begun under the one it follows; a credit alone naming only other agencies than that
    dateline's is a picture's ("وكالات" is not one: it says the text is several wires')."""
    if _over(line, 6):
        return False
    ags = identify_all(line.strip("()[]«»\"' -–—*•/:."))
    return bool(ags) and MULTIPLE not in ags and not set(ags) & set(dated)


def attribute(text: str, credits: list[str] | tuple[str, ...] = ()) -> Attribution:
    """Attribute one article body (paragraphs separated by newlines).

    Only provenance makes a copy: a dateline, a source line, a sign-off or a credit line (strong
    evidence). "قال مسؤول لوكالة أسوشيتد برس" (said to) and "نقلت رويترز" (citing) are evidence of a
    source the outlet quotes: they go to `cited`, never to `agency` on their own — except after a
    "وكالات" credit, where the text says it is wire material and the named wire tells which.
    `credits` are the page's own source/credit lines outside the body ("المصدر: الأناضول").
    """
    lines = text.split("\n")
    hits = _evidence(lines)
    hits += _credit_hits(tuple(credits)) if credits else []
    scores: dict[str, float] = {}
    best_weight: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for ag, weight, ev in hits:
        scores[ag] = scores.get(ag, 0.0) + weight
        if weight > best_weight.get(ag, 0.0):
            best_weight[ag], evidence[ag] = weight, ev
    concrete = {a: s for a, s in scores.items() if a != MULTIPLE}

    def cited_except(*wire: str | None) -> list[str]:
        return sorted(a for a in concrete if a not in wire and best_weight[a] < STRONG)

    if MULTIPLE in scores and best_weight[MULTIPLE] >= STRONG:
        # "وكالات" says the text is wire material; any concrete mention tells which wire.
        if concrete:
            top = max(concrete, key=lambda a: (best_weight[a], concrete[a], a))
            return Attribution(top, f"{evidence[top]}; {evidence[MULTIPLE]}", concrete[top], scores,
                               cited_except(top))
        return Attribution(MULTIPLE, evidence[MULTIPLE], scores[MULTIPLE], scores)
    qualified = {a: s for a, s in concrete.items() if best_weight[a] >= STRONG}
    if not qualified:
        return Attribution(None, None, 0.0, scores, cited_except())
    ranked = sorted(qualified.items(), key=lambda kv: (-kv[1], kv[0]))
    top, top_score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == top_score:
        # Two agencies credited with equal strength ("(أ ف ب، رويترز)"): the text merges wires.
        ev = "; ".join(evidence[a] for a in sorted(qualified))
        return Attribution(MULTIPLE, ev, top_score, scores, cited_except(*qualified))
    return Attribution(top, evidence[top], top_score, scores, cited_except(top))


@lru_cache(maxsize=1024)  # a pure function of the credits: an outlet prints the same ones on every page
def _credit_hits(credits: tuple[str, ...]) -> tuple[tuple[str, float, str], ...]:
    """The strong evidence of a page's own credit lines (`attribute`'s `credits`)."""
    return tuple(h for h in _evidence(["", "", *credits]) if h[1] >= STRONG)


OWN_SERVICE_EVIDENCE = "outlet: the agency's own service (catalog)"


def own_service(att: Attribution, agency: str | None) -> Attribution:
    """`att` of a copy published by `agency`'s own service (None: an outlet of no agency). The
    agency does not credit itself, so a text crediting no agency (not even "وكالات") is the
    agency's copy, with the strength of a credit (it counts in the cluster's `vote` like one);
    a text crediting an agency keeps what it says."""
    if not agency or att.agency is not None:
        return att
    return Attribution(agency, OWN_SERVICE_EVIDENCE, STRONG, att.scores, [a for a in att.cited if a != agency])


def vote(members: list[Attribution]) -> Attribution:
    """Cluster-level agency: majority over members' concrete agencies.

    A concrete agency beats "multiple"; a tie between concrete agencies gives "multiple"; members with
    no attribution abstain.
    """
    counts = Counter(a.agency for a in members if a.agency and a.agency != MULTIPLE)
    if not counts:
        if any(a.agency == MULTIPLE for a in members):
            return Attribution(MULTIPLE, "vote: only 'وكالات' credits", 0.0, {MULTIPLE: 1.0})
        return Attribution(None, None, 0.0, {})
    ranked = counts.most_common()
    scores = {a: float(c) for a, c in ranked}
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return Attribution(MULTIPLE, f"vote tie: {dict(ranked)}", float(ranked[0][1]), scores)
    top, n = ranked[0]
    first = next(a.evidence for a in members if a.agency == top)
    return Attribution(top, f"vote {n}/{len(members)}: {first}", float(n), scores)


_LEADING_MARKS = regex.compile(r"^\s*(?:[-–—:]+\s*)")


def strip_for_key(lines: list[str]) -> list[str]:
    """Paragraphs to match on: dateline prefix, captions, credit/source lines, sign-off and furniture removed."""
    out: list[str] = []
    last = _last_line(lines)
    for i, raw in enumerate(lines):
        line = _clean(raw).strip()
        if not line:
            continue
        if _opening(i, out, last) and not _source_line(line):
            _, m = dateline(line)
            if m is not None:
                line = _LEADING_MARKS.sub("", line[m.end :]).strip()
                if not line:
                    continue
        if _furniture(line) or _source_line(line) or (i == last and out and closing_caption(line, lines[:i])):
            continue
        if not _over(line, 6) and identify_all(line.strip("()[] -–—")):
            continue
        out.append(line)
    if out:
        found = _closing_credit(out[-1])
        if found:
            out[-1] = out[-1][: found[1]].strip()
            if not out[-1]:
                out.pop()
    return out
