"""The Arabic analysis chain of the search index: which index terms a word of the text makes, and
which terms a word of a query looks for. Pure Python, no DuckDB; chosen by measurement
(bench/search_eval.py, bench/RESULTS.md "Search").

A word goes through four steps:

1. **Matching key** (``search_key``): ``warehouse.arabic.normalize_key`` (NFKC, no harakat /
   tatweel / bidi marks, أإآٱ→ا, ى→ي, ة→ه, Arabic-Indic digits → ASCII, the shared spelling
   variants such as امريك→اميرك) plus hamza seats folded (ؤ ئ → ء: مسؤول = مسئول), Persian-keyboard
   letters folded (ی→ي, ک→ك, ڤ→ف, ھ ە ۀ→ه), the search variants
   (``warehouse/data/search_variants.txt``: بلومبرج → بلومبرغ), compound names split
   (عبدالفتاح → عبد الفتاح, أبوظبي → أبو ظبي, فيسبوك → فيس بوك: written joined or apart, one name)
   and digits split from the letters they are written against (2026م, عام2026, كوفيد19), Latin
   letters likewise from digits and from Arabic letters (G20 = G-20, F16 = F-16, طرازF-16); a
   thousands separator dropped (1,000 = 1000 = ١٬٠٠٠; 2,5 stays two numbers) and a hashtag's
   underscores read as spaces (#الحرب_على_غزة); آ before ل at a word's start read as ءا (آلاف,
   آلية, الآلية: folded to ا it looked like the article, آلية became the stopword إليه and آلاف the
   letter F). The dedupe key in warehouse/arabic.py is used as is and never changed from here.
2. **Stopwords**: the shipped list (``warehouse/data/arabic_stopwords.txt``) makes no term.
3. **Proclitics**. The article and its combinations (ال وال فال بال كال لل ولل وبال فبال فكال) are
   stripped; a name whose own first letters are أل (``al_names``: ألمانيا, ألبانيا) keeps them, and a
   word begun by كال / فال is also read whole (كاليفورنيا, فالنسيا). A
   single و (and ف, ب, ل, ك) cannot be told from a first root letter (وزارة, فرنسا, بريطانيا,
   لبنان, كتاب), so a word of the *text* is indexed under both readings (وزارة → وزار and زار;
   بغزة → بغزه and غزه), while a word of a *query* keeps its first letter (an analyst types
   "وزارة", not "and-زارة"), except و / ف + ب, which begin few words (وبغزة, وبيروت: read as
   the text reads them). So a query never meets a spurious reading of its own, and
   still meets every clitic form in the text. A preposition is not read off a word that would leave
   three letters ending in ي / ى (a preposition takes no perfect verb, and rarely a bare nisba):
   كبرى is not ك + برى (it met برية), بحري not ب + حري (it met حرية). Where the article leaves two letters, the word is also
   read whole (الفا: ال + فا, or ألفا "a thousand" with its hamza dropped, which then meets ألف), and
   as the listed plural it spells with its madda dropped (الاف, والاف: آلاف); where it leaves one
   letter and a dual or plural ending, likewise (الفين, الفان, بالفين: ألفين / ألفان "two thousand").
4. **Suffixes**, stripped repeatedly, longest first, while at least three letters remain:
   pronouns (ها هم هما كم نا ه), number and gender (ات ون ين ان, ه from ة), nisba (ي يه), and
   the accusative alef (عاما → عام; أمريكا → امريك, so the country meets its adjective
   الأمريكي). Stripping to a fixed point lets لبنان, لبناني and اللبنانيين meet at لبن, which a
   single pass (Lucene's ArabicStemmer, light10) cannot. A ت left bare by a suffix (حكومتها,
   حكومتين) is also read as the ة it was (→ حكوم), as an extra term. Stripping stops at a name or
   a nisba of its own in ``warehouse/data/search_keep.txt`` (البحرين is not بحر; الدولي
   "international" is not الدولة, الصحفي "journalist" not الصحيفة, الرسمي "official" not الرسوم;
   nisbas that keep their noun's sense stay joined: اقتصادي / اقتصاد, سياسي / سياسة) and at a
   listed broken plural left bare by a suffix (قضاياها, أسرانا: أسرى + نا, قتلاهم), which then
   reads as its singular (step 5); also where the bare ت left is a listed plural's ة (قادتها,
   أسلحتها, أجهزتها, إخوته: not the verb قاد "led"), and a bare ت read as ة gives the pattern
   plurals of step 5 their ة (أنظمتها -> أنظمة -> نظام). A word begun as a future verb (س + ي ت ن: سيسهم, سيساهم,
   سيفهم) keeps its ending هم / هما / هن / كم where stripping it would leave three letters: a root
   ending in هم, not a pronoun (stripped, سيساهم met السيسي and سيفهم met سيف).
5. **Broken plurals** that no affix rule can join (دولة/دول is fine, but سوق/أسواق, وزير/وزراء,
   طفل/أطفال are not) come from a hand-written list of common news nouns
   (``warehouse/data/search_plurals.txt``): both forms index and query as the singular's stem.
   Beyond the list, three productive plural patterns whose singular can be rebuilt letter by
   letter add the singular's stem as an *extra* term (``broken_singular``; the form keeps its own
   term too): فواعل → فاعل(ة) (عواصم → عاصمة, هواتف → هاتف, قواعد → قاعدة), فواعيل → فاعول
   (صواريخ → صاروخ, طوابير → طابور), أفعلة → فعال (أوبئة → وباء, أنظمة → نظام, أسئلة → سؤال), and
   فعلاء → فعيل (خبراء → خبير, زملاء → زميل). Both the text and the query get the extra term, so
   each side meets the other. A word that only looks like such a plural (سوابق/سابق, مواطن)
   gains a term it rarely shares with anything; the measured cost is in bench/RESULTS.md "Search".
   A listed plural (مواقف, مواقفه) gets none: the list knows its singular (فواعل made ماقف).

6. **Hamza spellings.** Outlets and readers write a hamza in several ways, and informal text drops
   it. Two rules:

   * The old spelling of a final hamza on a ya seat with a separate hamza (ىء / يء: الطوارىء,
     شاطىء, شيء/شئ) is read as the seat itself (ئ, folded to ء): ``_fold_hamza`` on every reading
     and stem, on both sides, so طوارىء and طوارئ make one term.
   * A hamza written or dropped is a *spelling variant* of the query word (``query_var_terms``):
     final hamza after alif dropped (كهرباء/كهربا, وزراء/وزرا, أعداء/أعدا), final hamza on a seat
     written as ي/ى (موانئ/مواني/موانى, طوارئ/طوارى), a hamza after alif inside the word written
     ي (دائما/دايما, قائد/قايد, الجزائر/الجزاير). The text side indexes each spelling under its own
     term; the query word looks for both, but the other spelling's term counts only where the
     index shows it to be the rarer spelling of the same word: a hamza-less variant is kept when it
     is in at most as many documents as the word's own terms, a hamza-ful one when the word as
     typed (without hamza) is in at most as many documents as it (search_articles.sql). Words
     whose hamza-less spelling is a common word of its own fail that test and stay apart (علماء /
     علما "knowing that", هادئ / the name هادي). A hamza-less spelling must not be a stopword and
     its term must keep four letters (ماء / ما, شاء / شا, مساء / مسا — the stem left of مساهمة —
     and قضاء / قضا — of قضاة, قضايا — never meet).

7. **Wire agencies.** A query word that is one of a wire agency's one-word names in the
   attribution lexicon (``warehouse/data/agencies.tsv``: رويترز / reuters, شينخوا / xinhua) also looks
   for its other one-word names (``agency_names``); its names of several words (فرانس برس, أ ف ب,
   وكالة الأناضول) are alternatives of the query in warehouse/search.py. Either way the query also
   looks for the agency's term (``agency_term``), under which the index holds every copy the
   pipeline attributed to it (``articles.wire_agency``): outlets credit a wire by a bare name that
   is also a common word or a place ("(الأناضول)", «الفرنسية», "(واس)"), which a query for the agency
   never met, while the bare word itself (Anatolia, French) stays no name of it.

8. **Names in Latin letters.** A query typed in Latin letters finds nothing in Arabic text, and
   general transliteration guesses wrong (it is no closed mapping: a wrong guess finds other words).
   A closed list of names frequent in Arabic news (``warehouse/data/search_names.txt``: Erdogan /
   أردوغان / إردوغان, Hezbollah / حزب الله, West Bank / الضفة الغربية) gives a Latin query its Arabic
   spellings as alternatives (``name_alternatives``; warehouse/search.py). Beyond the list (UN,
   names nobody listed) a Latin word finds only Latin text.

9. **Feminine nouns of their own.** Stripping ة joins a feminine with its masculine (وزيرة / وزير,
   لاجئة / لاجئ), its plural (دولة / دول) or its nisba (صحة / صحي), as the evaluation wants; but some
   ة-nouns are other words than their ة-less stem: عملة (currency) / عمل (work), شرطة (police) /
   شرط (condition); قضية (case, plural قضايا) / قضى (he spent, ruled: a noun فعيّة of a root with a
   weak last letter leaves the root's perfect verb, so "وقضى ليلته" met قضايا); مصادرة (confiscation)
   / مصادر (sources, the listed plural of مصدر); الجنسية (nationality) / الجنسي (sexual: nationality is
   far the more frequent in news, so the feminine adjective goes with it). A noun فعيّة whose broken
   plural فعايا is in ``search_plurals.txt`` (قضية قضايا, بقية بقايا, مزية مزايا) is such a noun by
   rule (``_weak_nouns``: its ة-less stem is its root's verb, بقي "it remained"); an adjective of
   that shape (قوية / قوي, فنية / فني) has no such plural and meets its masculine. Those listed in ``warehouse/data/search_feminine.txt`` (chosen by measuring
   which ة-words of the SemEval-2022 and dev-web vocabulary share their term with unrelated words)
   index and query under their own term (the key with its ة, عمله), reached from the sound plural
   (العملات), the dual and possessive forms with the bare ت (عملتين, عملتها) and the stems the line
   lists (شرطي). The key عمله also spells "his work": for the nouns whose line marks it so (the
   stem + ه is a common word: عمله, دوره, حاله), in a text that writes ة somewhere, a word without
   the article ending in a written ه is read so (``index_terms_written``; the index build decides
   per document), while a text that never writes ة types ه for it. Unmarked nouns read a written
   ه as the ة always: Egyptian outlets print "قسم شرطه الزهور" next to "الحملة" in one text.
   An abstract noun مفعولية of a passive participle (مسؤولية, محدودية, مشروعية) keeps its ية by rule
   (``_abstract``): it is not the participle (مسؤول, مسؤولين) nor a nisba. A country in -يا of that
   shape (مقدونيا, منغوليا) whose nisba stem is in the keep list (مقدوني, منغولي) stops there with all
   its adjectives (مقدوني, المقدونية, المقدونيون, المقدونيين: the -ية is no abstract noun's); one not
   listed also takes the -ية term, so it meets its feminine adjective (its bare masculine, مقدوني, cannot
   be told from a participle's construct plural, مسؤولي "officials of").

10. **Months.** A month's one-word name looks for itself and for the month's term
   (``month_term``), which the index build gives a document for each month name it uses *as a
   month* (``month_spans``): a name that is no other word (حزيران, يونيو: "نكسة حزيران") anywhere, and
   one that is (مارس, نيسان, شباط, جوان, آب, ماي) by the context dates are written in: a day number, a year,
   شهر, مطلع, الماضي, قبل, إلى, or the month's other name beside it, "آذار/مارس"; so آذار finds "15
   مارس" and "أبريل/نيسان" but not the verb "مارس ضغوطا", and أبريل not the car maker نيسان. The
   names that are also a person's (آب: أب "father"; ماي, مايس: the surname May, a given name) are the
   month after a preposition only after a date ("من أيار إلى آب"), and after a person "العام الماضي" /
   "عام 2019" is the sentence's time ("تيريزا ماي العام الماضي"): no year's word dates them. A query
   word of those looks for the month's term only where the query dates it as a text would ("15 آب",
   "ماي 2019", ``dated_months``): alone, أب finds the word, not every article dated in August; but آب
   typed with its madda (which أب "father" never has) is the month even undated (``madda_months``, read
   from the query as typed: the key folds the madda). A month typed with the proclitic a text dates it
   with (لأيار, وأيار, بآذار; وكانون الثاني) is that month too (a24).

Every word yields a small *set* of terms. Documents are indexed under all of them; a query word
matches a document holding any of its query terms.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from warehouse.arabic import (
    ARTICLE_PREFIXES,
    COMPOUNDS,
    CONJUNCTIONS,
    PERSIAN_LETTERS,
    PREPOSITIONS,
    SEAT_FOLD,
    normalize_key,
)
from warehouse.data_files import data_lines

# Bump when any rule, list or the tokenizer below changes: the index is then rebuilt (streamed).
ANALYZER_VERSION = "a24"

# The index build splits text at whitespace in SQL (fast, no regex); each distinct chunk is then
# keyed here (``search_key(chunk).split()``: punctuation, harakat, bidi marks handled by
# normalize_key's tokenizer), so chunks and queries are tokenised by the same Python code.
WHITESPACE = "\t\n\r\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ARABIC = regex.compile(r"^[\u0620-\u064a]+$")

# Hamza seats (ؤ ئ -> ء) and Persian/Urdu keyboard letters: warehouse.arabic SEAT_FOLD and
# PERSIAN_LETTERS, which the dedupe key folds too. (SQL twin: warehouse/search.py ``_FROM`` / ``_TO``.)
_SEATS = str.maketrans({**SEAT_FOLD, **PERSIAN_LETTERS})

# Step 3: definite article with the clitics that may precede it (warehouse/arabic.py
# ARTICLE_PREFIXES): a conjunction and a preposition may both stand before it (وبالحكومة), which a
# query typed so kept whole (it met only its own spelling); and the clitics alone (CONJUNCTIONS,
# PREPOSITIONS).
# A word begun by كال / فال is also read whole, on both sides: as ك / ف + the article, كاليفورنيا was
# يفورنيا while its adjective الكاليفورنية is ال + كاليفورنية, so they never met (also كاليدونيا,
# فالنسيا, فالكون). Those chains are rare; وال / بال begin about one word in ten and are not read so
# (their names, والتر, بالتيمور, stay as they were: the index would hold a second term for each).
_NAME_AL_PREFIXES = frozenset(("كال", "فال"))
# Those after which the word left is also read with an article of its own (الفين, بالفين: ألفين).
_AL_PREFIXES = tuple(p for p in ARTICLE_PREFIXES if p not in ("ولل", "فلل"))
# Step 4, longest first. ه covers both ة (folded) and the pronoun.
SUFFIXES = ("هما", "كما", "تان", "تين", "ها", "هم", "هن", "كم", "نا", "ات", "ون", "ين", "ان", "يه",
            "ه", "ي", "ا")
# After these, a bare ت was a ة (حكومتها, حكومتان).
_T_BEFORE = frozenset({"هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه", "ي", "ان", "ين"})
MIN_STEM = 3
# Dual and sound-plural endings: ال + one letter + one of them is also read whole, as a word of a root
# beginning with ءل written without its hamza (الفين, الفان: ألفين / ألفان "two thousand", which read as
# ال + فين met nothing of theirs), as ال + two letters is (الفا).
_DUAL_PLURAL = frozenset({"ين", "ان", "ون", "ات"})
_FEM = frozenset({"ه", "ي", "يه"})
# A verb in the future (س + the imperfect's ي ت ن: سيسهم, سيساهم "will contribute", سيفهم "will
# understand") whose root ends in هم looks like a word + the pronoun هم; stripped, it left a
# three-letter non-word that met other words (سيسهم, وسيساهم -> سيس = السيسي; سيفهم -> سيف sword).
# On a word so begun, these plural pronouns are not stripped where the stem left would have three
# letters; a noun so begun keeps them from four letters up (سياراتهم, سيوفهم).
_FUTURE = regex.compile(r"^س[يتن]")
_PLURAL_PRONOUNS = frozenset({"هم", "هما", "هن", "كم"})


# Compound names written joined or apart (COMPOUNDS, warehouse.arabic: عبدالله / عبد الله, أبوظبي /
# أبو ظبي, فيسبوك / فيس بوك) are read apart, in the text and in a query alike, so either spelling
# finds the other (as words, and in a quoted phrase). (SQL twin: warehouse/search.py ``norm_macro_sql``.)
_COMPOUND_RES = tuple(regex.compile(r"(?<!\p{L})" + pattern) for pattern in COMPOUNDS)
# Digits written against letters: a year with its era (2026م, 1447هـ), a word run into a number
# (عام2026, كوفيد19, الـ5). Read apart, so the number meets the number and the word the word; the
# lone era letters م / ه are stopwords. (SQL twin: warehouse/search.py ``norm_macro_sql``.)
# Latin letters likewise, against digits or Arabic letters (G20 / G-20 / G 20, F16 / F-16, COVID19 /
# COVID-19, طرازF-16): read apart, so each spelling makes the same words in the same order, and a
# query of such a token is read as a phrase of its parts (warehouse/search.py ``parse_query``).
_AR, _LAT, _DIG = r"[\x{0620}-\x{064a}]", "[a-z]", "[0-9]"
DIGIT_LETTER = tuple(f"({a})({b})" for a, b in ((_AR, _DIG), (_DIG, _AR), (_LAT, _DIG), (_DIG, _LAT),
                                                (_AR, _LAT), (_LAT, _AR)))
_AR_PY = "[\u0620-\u064a]"
_DIGIT_LETTER_RE = regex.compile("|".join(f"(?<={a})(?={b})" for a, b in (
    (_AR_PY, _DIG), (_DIG, _AR_PY), (_LAT, _DIG), (_DIG, _LAT), (_AR_PY, _LAT), (_LAT, _AR_PY))))
# A thousands separator between digit groups (1,000 / ١٬٠٠٠ / 12،500) is not a word boundary: the
# number is one word, as 1000 is. A comma before other than three digits (2,5: a decimal comma) stays.
# (SQL twin: warehouse/search.py ``norm_macro_sql``.)
THOUSANDS = r"([0-9\x{0660}-\x{0669}\x{06f0}-\x{06f9}])[,\x{060c}\x{066c}]([0-9\x{0660}-\x{0669}\x{06f0}-\x{06f9}]{3})($|[^0-9\x{0660}-\x{0669}\x{06f0}-\x{06f9}])"
_THOUSANDS_RE = regex.compile(r"(?<=[0-9\u0660-\u0669\u06f0-\u06f9])[,\u060c\u066c](?=[0-9\u0660-\u0669\u06f0-\u06f9]{3}(?![0-9\u0660-\u0669\u06f0-\u06f9]))")


# آ before ل at the start of a word (after its clitics and article) is hamza + alef: آلاف, آلية, آليات,
# آلة, الآلية. Folded to ا it would read as the article (آلية -> اليه, the stopword إليه; آلاف -> اف,
# the letter F): it is read as ءا first, so آلاف, الآلاف, وآلاف make one word. (SQL twin:
# warehouse/search.py ``norm_macro_sql``.)
MADDA_LAM = r"(^|[^\p{L}\p{M}])((?:[وفبلكا][\p{M}\x{0640}]*){0,4})\x{0622}([\p{M}\x{0640}]*ل)"
_MADDA_LAM_RE = regex.compile(r"(?<![\p{L}\p{M}])((?:[وفبلكا][\p{M}\u0640]*){0,4})\u0622(?=[\p{M}\u0640]*ل)")


def search_key(text: str) -> str:
    """Matching key of a text for search: thousands separators dropped, hashtag underscores
    read as spaces and a word-initial آل read as ءال (MADDA_LAM), normalize_key, hamza seats and Persian letters folded, search-only spelling
    variants (``warehouse/data/search_variants.txt``) rewritten, joined compound names split,
    digits, Latin and Arabic letters written together read apart."""
    if "," in text or "\u060c" in text or "\u066c" in text:
        text = _THOUSANDS_RE.sub("", text)
    if "_" in text:  # hashtags join words with _ (#الحرب_على_غزة, COVID_19): words apart, as in SQL
        text = text.replace("_", " ")
    if "\u0622" in text or "\u0653" in text:  # آل: hamza + alef, not the article (MADDA_LAM)
        text = _MADDA_LAM_RE.sub("\\1\u0621\u0627", unicodedata.normalize("NFC", text))
    key = normalize_key(text).translate(_SEATS)
    pattern, table = _variants()
    if pattern is not None:
        key = pattern.sub(lambda m: table[m.group()], key)
    for compound in _COMPOUND_RES:
        key = compound.sub(r"\1 \2", key)
    return _DIGIT_LETTER_RE.sub(" ", key)


def _data_lines(name: str) -> tuple[str, ...]:
    """The data lines of ``warehouse/data/<name>`` (``warehouse.data_files.data_lines``)."""
    return data_lines("warehouse", name)


def search_variants() -> dict[str, str]:
    """The search-only spelling variants (variant -> spelling), as matching keys."""
    return dict(_variants()[1])


@lru_cache(maxsize=1)
def _variants() -> tuple[regex.Pattern | None, dict[str, str]]:
    table: dict[str, str] = {}
    for line in _data_lines("search_variants.txt"):
        parts = line.split()
        if len(parts) >= 2:  # a name written joined or apart: its words apart (نيويورك نيو يورك)
            variant, canonical = (normalize_key(p).translate(_SEATS) for p in (parts[0], " ".join(parts[1:])))
            table[variant] = canonical
    if not table:
        return None, {}
    alts = "|".join(regex.escape(v) for v in sorted(table, key=len, reverse=True))
    return regex.compile(alts), table


def chunks(text: str) -> list[str]:
    """Whitespace-separated chunks of raw text, as the index build splits it in SQL."""
    return text.translate(_WS).split(" ")


_WS = str.maketrans({c: " " for c in WHITESPACE})


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, as matching keys."""
    return frozenset(w for line in _data_lines("arabic_stopwords.txt") for w in search_key(line).split())


@lru_cache(maxsize=1)
def plural_groups() -> dict[str, str]:
    """Clitic-free key of a broken plural -> the stem its group (its singular) indexes under.

    Keyed by the whole plural form, not by its stem, so أسرى (prisoners) joins أسير while أسرة
    (family), whose stem would collide, does not. A plural whose stem is itself (اسواق) also
    maps when it carries a suffix (اسواقها)."""
    out: dict[str, str] = {}
    for line in _data_lines("search_plurals.txt"):
        forms = search_key(line).split()
        if len(forms) < 2:
            continue
        head = _stems(forms[0], Options(plurals=False))[0]
        for form in forms[1:]:
            out.setdefault(form, head)
            stem = _stems(form, Options(plurals=False))[0]
            if stem == form:
                out.setdefault(stem, head)
    return out


@lru_cache(maxsize=1)
def keep_words() -> frozenset[str]:
    """Keys at which suffix stripping stops (البحرين is not بحر + ين), article stripped; and the
    one-word month names of three letters or more (``month_names``: نيسان is not نيس + ان, جانفي not
    جانف + ي; آب is too short to lose a suffix, and kept it would read ابنا, إبان as اب + نا, ان)."""
    out: set[str] = {name[0] for name in month_names() if len(name) == 1 and len(name[0]) > 2}
    for line in _data_lines("search_keep.txt"):
        for word in search_key(line).split():
            out.add(word if word in al_names() else _strip_article(word))
    return frozenset(out)


@lru_cache(maxsize=1)
def al_names() -> frozenset[str]:
    """Keys of the names of ``warehouse/data/search_keep.txt`` written there with أل (hamza + lam:
    ألمان, ألبان): their ال is their own first letters, which folding أ -> ا makes look like the
    article. Stripped, ألمانيا met ماني (Mané) at مان, and لألمانيا met ألم (pain): a word that is such
    a name (with suffixes, after its clitics and article) keeps them (``_strip_article``)."""
    words = (w for line in _data_lines("search_keep.txt") for w in line.split())
    return frozenset(search_key(w) for w in words if w.startswith("\u0623\u0644"))


def _al_name(key: str) -> bool:
    """Is ``key`` a name of ``al_names`` followed by nothing or by suffixes (المانيا, المانيه)?"""
    return key.startswith("ال") and any(key.startswith(n) and _only_suffixes(key[len(n):]) for n in al_names())


@lru_cache(maxsize=1)
def feminine_nouns() -> dict[str, str]:
    """Clitic-free stem form of a feminine noun that is a word of its own (``warehouse/data/
    search_feminine.txt``: عملة currency, not عمل work) -> the term it indexes under (its key with
    the ة, as ه). Each noun's entry holds its key (عمله), its sound plural's (عملات) and its bare-ت
    stem (عملت, only before a suffix: عملتها, عملتين; see ``_feminine``), and the other stems its
    line lists (رياضي, of رياضة). Article stripped, like the keep list."""
    return _feminine_list()[0]


@lru_cache(maxsize=1)
def _feminine_list() -> tuple[dict[str, str], frozenset[str]]:
    """(``feminine_nouns``, the nouns whose line ends in "| ه": their ة-less stem + the pronoun ه
    is a common word, عمله "his work", دوره "his role")."""
    out: dict[str, str] = {}
    pronoun: set[str] = set()
    for line in (*_data_lines("search_feminine.txt"), *_weak_nouns()):
        line, _, mark = line.partition("|")
        words = [_strip_article(w) for w in search_key(line).split()]
        if not words or not words[0].endswith("ه") or len(words[0]) < MIN_STEM + 1:
            continue
        noun = words[0]
        for form in (noun, noun[:-1] + "ات", noun[:-1] + "ت", *words[1:]):
            out.setdefault(form, noun)
        if mark.strip() == "ه":
            pronoun.add(noun)
    return out, frozenset(pronoun)


_FAAAYA = regex.compile(r"^([^ا])([^اوي])ايا$")


def _weak_nouns() -> list[str]:
    """Singulars فعيّة of the broken plurals فعايا in ``warehouse/data/search_plurals.txt`` (قضية
    قضايا, ضحية ضحايا, بقية بقايا, مزية مزايا): nouns of a root whose last letter is weak, whose
    ة-less stem is the root's perfect verb (قضى he ruled, spent; ضحى he sacrificed; بقي it remained;
    هدى he guided), so "وقضى ليلته" met قضايا and "بقي" met بقية. Such a noun keeps its ة, as a
    listed feminine noun does; an adjective or nisba of the same shape (قوية / قوي, فنية / فني) has
    no فعايا plural and still meets its masculine."""
    out = []
    for line in _data_lines("search_plurals.txt"):
        forms = [_strip_article(w) for w in search_key(line).split()]
        if (len(forms) >= 2 and len(forms[0]) == 4 and forms[0].endswith("يه")
                and any((m := _FAAAYA.match(f)) and m.group(1) + m.group(2) == forms[0][:2] for f in forms[1:])):
            out.append(forms[0])
    return out


def _feminine(word: str) -> str | None:
    """The term of a listed feminine noun (``feminine_nouns``) that ``word`` is a form of: the
    noun's key, its plural or another listed stem followed by nothing or by suffixes (up to 4
    letters: عملاتها), or its bare-ت stem followed by a suffix (عملتها, عملتين; "عملت" alone is the
    verb "she worked")."""
    nouns = feminine_nouns()
    for cut in range(min(4, len(word) - 2) + 1):
        head = word[: len(word) - cut]
        term = nouns.get(head)
        if not term or (cut and head[-1] == "ه") or (not cut and head == term[:-1] + "ت"):
            continue  # a ة ends its word (عملها is عمل + ها), a bare ت takes a suffix
        if _only_suffixes(word[len(word) - cut:]):
            return term
    return None


# An abstract noun مفعولية made of a passive participle (مسؤول -> مسؤولية responsibility, محدود ->
# محدودية, مشروع -> مشروعية legitimacy, مقبول -> مقبولية, مديون -> مديونية): its ية is no nisba (the
# participle's own feminine is مسؤولة, and مسؤولي is the plural "officials of"), so it keeps its own
# term, reached from its plural and bare-ت forms (مسؤوليات, مسؤوليتها), and مسؤول / المسؤولين do not
# meet it. (-ية after other stems is left joined: إنسانية, شرعية, عسكرية are also the feminine of the
# nisba إنساني, شرعي, عسكري, "المساعدات الإنسانية", "الهجرة غير الشرعية"; only a list could part them.)
_MAFUULIYYA = regex.compile(r"^(م[^ا][^ا]و[^اوي])ي(ه|ات|ت)(.*)$")
# A name in -يا of the same shape is a country or region (مقدونيا, منغوليا), whose adjective is its
# stem + ية (المقدونية, المنغولية: the -يا / -ية relation of سوريا / السورية, روسيا / الروسية), which
# the rule above took for an abstract noun: the name is also indexed and looked for under that term,
# as well as under its stem (مقد, which المقدوني, المقدونيين make). No abstract noun ends in -يا.
# The names listed by their nisba stem in search_keep.txt (مقدوني, منغولي) need neither: all their
# forms stop at that stem, the bare masculine adjective (مقدوني) too, which no shape tells from a
# participle's construct plural (مسؤولي "officials of"); ``_abstract`` leaves them alone.
_MAFUULIYA_NAME = regex.compile(r"^(م[^ا][^ا]و[^اوي])يا$")


def _abstract(word: str) -> str | None:
    """The term (its key with ية) of an abstract noun مفعولية that ``word`` is a form of: the noun
    (مسؤولية), its plural with suffixes (مسؤولياتها) or its bare ت with one (مسؤوليتها), else None."""
    m = _MAFUULIYYA.match(word)
    if not m or (m.group(2) == "ه" and m.group(3)) or (m.group(2) == "ت" and not m.group(3)):
        return None
    if m.group(1) + "ي" in keep_words():  # المقدونية: a listed country's adjective (search_keep.txt)
        return None
    return m.group(1) + "يه" if _only_suffixes(m.group(3)) else None


@dataclass(frozen=True)
class Options:
    """Switches of the chain, so the benchmark can measure each rule (defaults = the chosen chain)."""
    clitics: bool = True        # index the و/ف/ب/ل/ك-stripped reading of text words
    iterate: bool = True        # strip suffixes to a fixed point (False: one pass, like light10)
    alef: bool = True           # strip the accusative/country final alef
    ta: bool = True             # read a bare ت before a suffix as ة
    plurals: bool = True        # broken-plural list
    keep: bool = True           # stop at the names in search_keep.txt
    patterns: bool = True       # broken-plural patterns (broken_singular)
    feminine: bool = True       # feminine nouns of their own (search_feminine.txt) keep their ة
    min_fem: int = MIN_STEM     # shortest stem left by ه/ي/يه (ة, nisba): 2 joins صحة/صحي
    min_stem: int = MIN_STEM


DEFAULT = Options()


def _only_suffixes(rest: str) -> bool:
    """Is ``rest`` a chain of suffixes (ية + ين ...)? Decided from its end, longest first."""
    while rest:
        for suf in SUFFIXES:
            if rest.endswith(suf):
                rest = rest[: -len(suf)]
                break
        else:
            return False
    return True


def _strip_suffixes(word: str, opt: Options) -> list[str]:
    out: list[str] = []
    keep = keep_words() if opt.keep else frozenset()
    if opt.feminine and (name := _MAFUULIYA_NAME.match(word)) and name.group(1) + "ي" not in keep:
        out.append(name.group(1) + "يه")  # مقدونيا: the country of المقدونية (see _MAFUULIYA_NAME)
    while True:
        if opt.feminine and (term := _feminine(word) or _abstract(word)):  # عملة, عملاتها; مسؤولية: not مسؤول
            out.append(term)
            return out
        if keep:  # a kept name followed by up to 4 letters of suffixes (التركيتين) stops there
            for cut in range(min(4, len(word) - 2) + 1):
                if word[: len(word) - cut] in keep and _only_suffixes(word[len(word) - cut:]):
                    out.append(word[: len(word) - cut])
                    return out
        for suf in SUFFIXES:
            if suf == "ا" and not opt.alef:
                continue
            floor = opt.min_fem if suf in _FEM else opt.min_stem
            if word.endswith(suf) and len(word) - len(suf) >= floor:
                if (suf in _PLURAL_PRONOUNS and _FUTURE.match(word)
                        and len(_strip_suffixes(word[: -len(suf)], opt)[-1]) <= MIN_STEM):
                    continue  # سيسهم, سيساهم: a future verb, not سيس + هم
                word = word[: -len(suf)]
                if opt.ta and suf in _T_BEFORE and word.endswith("ت") and len(word) - 1 >= opt.min_stem:
                    if opt.plurals and word[:-1] + "ه" in plural_groups():
                        out.append(word[:-1] + "ه")  # قادتها, أسلحتها: a listed plural in ة + a pronoun
                        return out
                    # the term the noun in ة makes (شرعيتها -> شرعية -> شرع, أهميتها -> أهمية -> أهم: a
                    # noun in -ية loses its ي too), not just the ت dropped (شرعي met nothing)
                    out.append(_strip_suffixes(word[:-1] + "ه", opt)[-1])
                break
        else:
            out.append(word)
            return out
        if opt.plurals:  # a listed plural with a suffix stops there (قضاياها, أسرانا: أسرى + نا)
            groups = plural_groups()
            listed = word if word in groups else word[:-1] + "ي" if word.endswith("ا") and word[:-1] + "ي" in groups else ""
            if listed:
                out.append(listed)
                return out
        if not opt.iterate:
            out.append(word)
            return out


@lru_cache(maxsize=500_000)
def _stems(key: str, opt: Options) -> tuple[str, ...]:
    """Stems of one clitic-free reading, the main one first (cached: text and query analysis of
    a word share them)."""
    stems = [_fold_hamza(x) for x in _strip_suffixes(key, opt)]
    main = stems[-1]
    rest = stems[:-1]
    return (main, *rest) if rest else (main,)


def _strip_article(key: str) -> str:
    """Strip the article (with its clitics); once more when the word itself begins with ال
    once normalised (ألمانيا, التزام), so الألماني meets ألمانيا and الالتزام meets التزام."""
    for pre in ARTICLE_PREFIXES:
        if key.startswith(pre) and len(key) - len(pre) >= 2:
            if pre.endswith("ال") and _al_name(key[len(pre) - 2:]):
                return key[len(pre) - 2:]  # ألمانيا, وألمانيا, بألمانيا: a name's own أل (``al_names``)
            key = key[len(pre):]
            if key.startswith("ال") and len(key) - 2 >= 3 and not _al_name(key):
                key = key[2:]
            return key
    return key


def _fold_hamza(word: str) -> str:
    """ىء / يء at the end of a word (after ى→ي folding) is the seat ئ (folded to ء): the old
    spelling of الطوارئ, شاطئ, and شيء / شئ, which outlets write both ways."""
    if word.endswith("يء") and len(word) >= 3:
        return word[:-2] + "ء"
    return word


def _readings(key: str, text_side: bool, opt: Options) -> list[str]:
    """Clitic-free readings of a key: the article always; single proclitics on the text side."""
    return [_fold_hamza(r) for r in _raw_readings(key, text_side, opt)]


def _raw_readings(key: str, text_side: bool, opt: Options) -> list[str]:
    out = [_strip_article(key)]
    # the word with its clitics off but its ال kept (one article: الألمان is ال + ألمان)
    whole = "ال" + out[0] if out[0] != key and key[: -len(out[0])] in _AL_PREFIXES else ""
    if out[0] != key and len(out[0]) == 2:  # الفا: ال + فا, or ألفا (a thousand) with its hamza dropped
        out.append(key)
        if whole and "ء" + whole in plural_groups():  # الاف, والاف: آلاف without its madda (not ال + اف)
            out.append("ء" + whole)
    elif whole and len(out[0]) == 3 and out[0][1:] in _DUAL_PLURAL:
        out.append(whole)  # الفين, بالفين: ألفين / ألفان (two thousand) with the hamza dropped, not ال + فين
    elif out[0] != key and key[:3] in _NAME_AL_PREFIXES:
        out.append(key)  # كاليفورنيا, فالنسيا: a name of its own letters, not ك / ف + the article
    if key.startswith("لل") and len(key) >= 5:  # لل + word starting with ل: للاجئين = ل + اللاجئين
        out.append(key[1:])
    if (not text_side and opt.clitics and key[:2] in _CONJ_BI and len(key) - 1 >= MIN_STEM
            and _stems(out[0], opt)[0] not in keep_words()):  # not وباء, وبائية, فبركات (keep list)
        out.append(key[1:])  # وبيروت, وبريطانيا: و + a word in ب; وبغزة: و + ب + غزة (see _CONJ_BI)
        if _after_preposition(key[2:]):
            out.append(key[2:])
    if text_side and opt.clitics:
        for conj in CONJUNCTIONS:
            if key.startswith(conj) and len(key) - 1 >= 3:
                rest = key[1:]
                out.append(_strip_article(rest))
                if rest[:3] in _NAME_AL_PREFIXES and out[-1] != rest:
                    out.append(rest)  # وكاليفورنيا: و + كاليفورنيا read whole too
                for prep in PREPOSITIONS:
                    if rest.startswith(prep) and _after_preposition(rest[1:]):
                        out.append(rest[1:])
        for prep in PREPOSITIONS:
            if key.startswith(prep) and _after_preposition(key[1:]):
                out.append(key[1:])
    return out


# A conjunction + ب (وبغزة "and in Gaza", فبموجب; or و + a word in ب, وبيروت) is read off a query word
# as off a text word: few words begin so (وباء, وبال, وبيل, وبخ, وبر, فبركة, فبراير), and a word whose
# stem is in the keep list (وباء, وبائية, فبركات; فبراير a listed month) is never read so, while
# و / ف + ل / ك begin many (ولاية, ولادة, وكالة, وكيل, فلسطين, فكرة), and ب alone too (بريطانيا,
# برنامج): those a query keeps whole, and the index decides (``query_alt_terms``).
_CONJ_BI = frozenset(("وب", "فب"))


def _after_preposition(rest: str) -> bool:
    """May ``rest`` be the word a preposition ب / ل / ك is written against? Three letters at least,
    and not three letters ending in ي (ى folded): that is a perfect verb of a weak root (برى, بقي,
    حرى), which no preposition precedes, or a bare nisba (بري, حري), which a preposition rarely
    does without its article. The word read whole is a word of its own: كبرى (greatest, fem.) is
    not ك + برى and met برية (land); بحري (naval) is not ب + حري and met حرية (freedom)."""
    return len(rest) >= MIN_STEM and (rest in _PREPOSITION_NOUNS or not (len(rest) == MIN_STEM and rest.endswith("ي")))


# Nouns of three letters in ي / ى that a preposition is written against (لذوي الإعاقة, برأي الخبراء,
# بمدى, لوعي, بسعي, لنفي, لولي العهد, بقرى الجنوب): still read off, so "ذوي" or "قرى" alone finds them
# (a16's rule lost them); none has a feminine in ة of another sense (بني / بنية, نبي: left out).
_PREPOSITION_NOUNS = frozenset(("ذوي", "مدي", "راي", "رءي", "وعي", "سعي", "نفي", "ولي", "قري"))


_BROKEN = (
    (regex.compile(r"^([^اوي])وا([^اوي])([^اوي])$"), r"\1ا\2\3"),    # فواعل -> فاعل: عواصم, هواتف
    (regex.compile(r"^([^اوي])وا([^اوي])ي([^اوي])$"), r"\1ا\2و\3"),  # فواعيل -> فاعول: صواريخ
    # أفعلة -> فعال: أوبئة, أنظمة, أسئلة (a weak last root letter is written otherwise: أولية is not ولاء)
    (regex.compile(r"^ا([^ا])([^اوي])([^اوي])ه$"), r"\1\2ا\3"),
    (regex.compile(r"^([^ا])([^ا])([^ا])اء$"), r"\1\2ي\3"),  # فعلاء -> فعيل: خبراء, زملاء
)


def broken_singular(reading: str) -> str | None:
    """Stem of the singular of a clitic-free word shaped like a productive broken plural, or None.

    Applied to the article-free reading (أفعلة needs its final ة) and to its suffix-free stem
    (عواصمها -> عواصم). The rebuilt singular goes through the same suffix stripping as any word
    (عاصمة -> عاصم), so it meets the singular's own term."""
    for pattern, repl in _BROKEN:
        if pattern.match(reading):
            single = pattern.sub(repl, reading)
            return _strip_suffixes(single, Options(plurals=False))[-1]
    return None


def _terms(key: str, text_side: bool, opt: Options) -> tuple[str, ...]:
    if not key or key in stopwords():
        return ()
    if not _ARABIC.match(key):  # Latin, digits, mixed: the key itself
        return (key,)
    groups = plural_groups() if opt.plurals else {}
    terms: list[str] = []
    for reading in _readings(key, text_side, opt):
        head = groups.get(reading)
        stems = (head,) if head else _stems(reading, opt)
        for stem in stems:
            stem = groups.get(stem, stem)
            if stem not in terms:
                terms.append(stem)
        if opt.patterns and not head and stems[0] not in groups:  # a listed plural's singular is known
            # the bare ت of a suffixed word read as its ة (``stems[1:]``, the ta rule): أنظمتها -> أنظمة
            for form in (reading, stems[0], *(s + "ه" for s in stems[1:])):
                single = broken_singular(form)
                if single and single not in terms:
                    terms.append(groups.get(single, single))
    return tuple(terms)


@lru_cache(maxsize=500_000)
def index_terms(key: str, opt: Options = DEFAULT) -> tuple[str, ...]:
    """Terms a word of the text (one matching key, no spaces) is indexed under."""
    return _terms(key, True, opt)


NO_FEMININE = Options(feminine=False)


def index_terms_written(key: str, raw: str) -> tuple[str, ...]:
    """``index_terms`` of a word of a text that writes ة, knowing how the word was written (``raw``,
    its whitespace chunk): a word without the article whose last letter is a written ه, not ة,
    ends in the pronoun "his" (عمله: his work, not عملة currency; بعمله), so a listed feminine noun
    (``feminine_nouns``) whose line marks that reading ("| ه": a common word) is not read in it, nor
    an abstract noun مفعولية (``_abstract``: مسؤوليه is "his officials" there, مسؤولي + ه). With the article the ه can only be a ة typed as ه
    (العمله): the noun. (A text that never writes ة types ه for it: ``index_terms`` there.)"""
    if (key.endswith("ه") and "\u0647" in raw and "\u0629" not in raw and key not in stopwords()
            and not any(key.startswith(p) for p in ARTICLE_PREFIXES)
            and any((_feminine(r) == r and r in _feminine_list()[1]) or _abstract(r) == r
                    for r in _readings(key, True, DEFAULT))):
        return index_terms(key, NO_FEMININE)
    return index_terms(key)


@lru_cache(maxsize=100_000)
def query_terms(key: str, opt: Options = DEFAULT) -> tuple[str, ...]:
    """Terms a query word (one matching key) looks for; a document matches with any of them. A
    wire agency's one-word name looks for its other one-word names too (``agency_names``), and a
    month's name for the month's term (``month_term``: its other names where a text dates with them,
    ``month_spans``), while the word as typed still finds itself anywhere."""
    terms = list(_terms(key, False, opt))
    names = _agency_of_word()
    name = _strip_article(key)
    if name not in names:  # لرويترز, ولرويترز: a proclitic before a name that is certainly one
        name = next((key[n:] for n in (1, 2) if key[:n].strip("وفبلك") == "" and key[n:] in names), name)
        if name in names:
            terms += (t for t in _terms(name, False, opt) if t not in terms)
    for other in agency_names().get(name, ()):
        terms += (t for t in _terms(other, False, opt) if t not in terms)
    if (agency := _agency_of_word().get(name)) and agency_term(agency) not in terms:
        terms.append(agency_term(agency))  # its copies, credited by any name ("(الأناضول)", «الفرنسية»)
    if (month := _query_month(key)) and month_term(month) not in terms:
        terms.append(month_term(month))  # آذار: مارس / نيسان / جانفي where the text uses them as a month
    return tuple(terms)


def _query_month(key: str) -> int | None:
    """The month a query word names by itself: a one-word name (آذار, مايو), also with the proclitic
    a text dates it with ("لأيار", "وأيار", "بآذار", "ومارس": ``_clitic_month``), or None; a person's
    name (آب / أب, ماي, مايس) names it only where the query dates it (``dated_months``)."""
    names = month_numbers()
    name = key if (key,) in names else key[1:] if _clitic_month(key, month_heads()) else None
    return names.get((name,)) if name is not None and name not in _ALSO_A_NAME else None


@lru_cache(maxsize=1)
def agency_forms() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per wire agency of the attribution lexicon (``warehouse/data/agencies.tsv``), the names a query
    may give it, as sequences of matching keys: its *free* patterns (those the lexicon trusts
    anywhere in a text: رويترز, reuters, فرانس برس, وكالة الصحافة الفرنسية, afp, شينخوا) and, of its
    anchored ones, only initials (أ ف ب, د ب أ: letters alone, which a query types for the agency);
    expanded where the pattern is plain enough to list (letter classes, optional letters, \\s*).
    Its other anchored forms are ambiguous words (الفرنسية, واس, قنا) and are not names here."""
    return tuple(forms for _id, forms in _agencies())


@lru_cache(maxsize=1)
def _agencies() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """(agency id, its names as in ``agency_forms``) per agency with a name a query may give it."""
    out: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
    for line in _data_lines("agencies.tsv"):
        cols = (line.split("\t") + ["", "", "", ""])[:4]
        names: dict[tuple[str, ...], None] = {}
        for col, initials_only in ((cols[2], False), (cols[3], True)):
            for pattern in col.split(" | "):
                for form in _expand(pattern.strip()):
                    form_keys = tuple(search_key(form).split())
                    if len(form_keys) == 1:
                        form_keys = (_strip_article(form_keys[0]),)
                    if initials_only and not (len(form_keys) >= 2 and all(len(k) == 1 for k in form_keys)):
                        continue
                    if form_keys and not (len(form_keys) == 1 and form_keys[0] in stopwords()):
                        names[form_keys] = None
        if names:
            out.append((cols[0].strip(), tuple(names)))
    return tuple(out)


def agency_term(agency: str) -> str:
    """The index term of the articles the pipeline attributed to ``agency`` (``articles.wire_agency``:
    its copies, credited in a dateline, a sign-off or a source line by any name, "(الأناضول)",
    «الفرنسية», "(واس)" included). No word of a text makes it: the ':' never survives search_key."""
    return f"wire:{agency}"


@lru_cache(maxsize=1)
def agency_names() -> dict[str, tuple[str, ...]]:
    """Key of a wire agency's one-word name -> its other one-word names, in any script (reuters <->
    رويترز, xinhua <-> شينخوا / شينغوا, bloomberg <-> بلومبيرغ): query_terms joins them, so a query word
    finds them in the text and the SQL macro does too. Names of several words (فرانس برس) are
    alternatives of the query in ``warehouse/search.py`` (``parse_query``)."""
    out: dict[str, set[str]] = {}
    for forms in agency_forms():
        words = {f[0] for f in forms if len(f) == 1}
        for word in words:
            out.setdefault(word, set()).update(words - {word})
    return {k: tuple(sorted(v)) for k, v in out.items() if v}


@lru_cache(maxsize=1)
def _agency_of_word() -> dict[str, str]:
    """Key of a wire agency's one-word name -> the agency's id."""
    return {f[0]: agency for agency, forms in _agencies() for f in forms if len(f) == 1}


def agency_alternatives(keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Every name of the wire agency these query keys name (``agency_forms``), and its index term
    (``agency_term``: the copies the pipeline attributed to it), or ()."""
    if len(keys) == 1:
        keys = (_strip_article(keys[0]),)
    for agency, forms in _agencies():
        if keys in forms:
            return (*forms, (agency_term(agency),))
    return ()


@lru_cache(maxsize=1)
def latin_names() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Latin spelling of a name frequent in Arabic news, as matching keys (erdogan; west bank) -> its
    Arabic spellings, as sequences of matching keys (``warehouse/data/search_names.txt``)."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for line in _data_lines("search_names.txt"):
        forms = [tuple(search_key(p).split()) for p in line.split("|")]
        forms = [f for f in forms if f]
        latin = [f for f in forms if not any(_ARABIC.match(k) for k in f)]
        arabic = tuple(f for f in forms if f not in latin)
        for name in latin:
            if arabic:
                out[name] = arabic
    return out


def name_alternatives(keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The Arabic spellings of a name these query keys give in Latin letters (``latin_names``), or ()."""
    return latin_names().get(keys, ())


@lru_cache(maxsize=1)
def _month_lines() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The months of ``warehouse/data/search_months.txt`` in calendar order, each its names as
    sequences of matching keys."""
    out = []
    for line in _data_lines("search_months.txt"):
        forms = tuple(dict.fromkeys(f for f in (tuple(search_key(p).split()) for p in line.split("|")) if f))
        if len(forms) > 1:
            out.append(forms)
    return tuple(out)


@lru_cache(maxsize=1)
def month_names() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A month's name as matching keys (مارس; كانون الثاني) -> all its names, as sequences of matching
    keys (``warehouse/data/search_months.txt``: the European, Syriac, French and Spanish-derived names
    outlets print: مارس / آذار, يناير / كانون الثاني / جانفي)."""
    return {name: forms for forms in _month_lines() for name in forms}


@lru_cache(maxsize=1)
def month_numbers() -> dict[tuple[str, ...], int]:
    """A month's name as matching keys -> the month's number (1-12)."""
    return {name: n for n, forms in enumerate(_month_lines(), 1) for name in forms}


@lru_cache(maxsize=1)
def month_heads() -> frozenset[str]:
    """First matching keys of the month names (مارس, اذار, كانون): a word that may begin one."""
    return frozenset(name[0] for name in month_numbers())


def month_term(month: int) -> str:
    """The index term of a month named in a date (``month_spans``), by any of its names. No word of a
    text makes it: the ':' never survives search_key."""
    return f"month:{month}"


def month_name(keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """The month name these keys spell, as ``month_numbers`` keys it, its first word with the proclitic
    a text dates it with or none ("وكانون الثاني", "لتشرين الأول": كانون الثاني, تشرين الاول), or None."""
    names = month_numbers()
    if keys in names:
        return keys
    if keys and _clitic_month(keys[0], month_heads()) and (bare := (keys[0][1:], *keys[1:])) in names:
        return bare
    return None


def month_alternatives(keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """What a query naming a month by several words (كانون الثاني, تشرين الأول) also looks for: the
    month's term (``month_term``: its names where a text dates with them), or (). A one-word name's
    query terms hold that term already (``query_terms``)."""
    month = month_numbers().get(keys)
    return ((month_term(month),),) if month and len(keys) > 1 else ()


# Month names used as months (``month_spans``). Outlets date with a day number ("15 آذار", "الثلاثاء
# 3 مارس", "15 من مارس", "الأول من نيسان"), a year ("مارس 2011", "آذار عام 2020", "أبريل من العام"),
# a word of time before ("في", "منذ", "مطلع", "شهر") or after ("الماضي", "المقبل"), and with the
# month's other name beside it ("آذار/مارس", "مارس (آذار)", "جانفي/يناير"), or in a list of months of
# which one is so dated ("فبراير ومارس الماضيين"). Elsewhere مارس is the verb "he practised" (مارس
# ضغوطا), نيسان the car maker: those are no month, and another name of the month does not find them.
# The words and numbers that date: warehouse/data/search_month_dates.txt (its SQL twin, the macro
# akhbar_dated_month, reads them from the table it is seeded into: warehouse/search.py).
@cache
def month_date_sets() -> dict[str, frozenset[str] | tuple[int, int]]:
    """The sets of ``warehouse/data/search_month_dates.txt``, by name: words as matching keys, a
    range ``lo-hi`` as (lo, hi)."""
    out: dict[str, frozenset[str] | tuple[int, int]] = {}
    for line in _data_lines("search_month_dates.txt"):
        name, _, value = (part.strip() for part in line.partition(":"))
        if name == "madda":  # as typed: the madda is what tells the month
            out[name] = frozenset(unicodedata.normalize("NFC", w) for w in value.split())
        elif regex.fullmatch(r"[0-9]+-[0-9]+", value):
            lo, hi = value.split("-")
            out[name] = (int(lo), int(hi))
        else:
            out[name] = frozenset(search_key(value).split())
    return out


_SETS = month_date_sets()
_BEFORE_MONTH, _AFTER_MONTH, _ORDINALS = _SETS["before"], _SETS["after"], _SETS["ordinals"]
_DAY_MIN, _DAY_MAX = _SETS["day"]
_YEAR_AFTER_MIN, _YEAR_AFTER_MAX = _SETS["year"]
# A preposition a verb never follows dates a month too (قبل, بعد, إلى). Only the names that are also
# other words (``_ALSO_A_WORD``) need such context at all; the others are the month wherever they stand.
_BEFORE_ANY_MONTH, _ALSO_A_WORD = _SETS["prep"], _SETS["also_a_word"]
# Of those, the ones that are also a person (أب "father", the surname May) take قبل / بعد / إلى as a date
# only after a date ("من أيار إلى آب"), and after them a year's word dates the month only where a date
# stands before it too ("تيريزا ماي العام الماضي" is no date, "في ماي العام الماضي" is).
_ALSO_A_NAME, _YEAR_WORDS = _SETS["also_a_name"], _SETS["year_words"]
_AFTER_NAME_MONTH = _AFTER_MONTH - _YEAR_WORDS


_RAW_WORDS = regex.compile(r"[^\p{L}\p{M}]+")
# The proclitics a month name takes, as typed: و / ف, then ب / ل ("وآب", "فبآب", "ولآب"); never two of
# one kind: للآب is ل + الآب "the Father" ("المجد للآب"), not the month. (SQL twin: search_articles.sql mq.)
_MADDA_CLITICS = r"(?:[وف]\p{M}*)?(?:[بل]\p{M}*)?"


@cache
def _madda_re() -> regex.Pattern:
    names = "|".join(map(regex.escape, sorted(_SETS["madda"])))
    return regex.compile(rf"{_MADDA_CLITICS}({names})\p{{M}}*")


def madda_months(text: str) -> dict[str, tuple[str, str]]:
    """Matching key of each word of a query *as typed* (split at what is no letter nor mark) that writes
    a person's month name with the madda the person's word never has (``madda`` of
    search_month_dates.txt: آب, not أب "father"), و / ف and ب / ل before it ("وآب", "بآب"; not للآب) -> (the
    name's key, the month's term): the month, even undated. (SQL twin: search_articles.sql ``mq``.)"""
    return {search_key(word): month for word in _RAW_WORDS.split(unicodedata.normalize("NFC", text))
            if (month := _madda_month(word))}


def _madda_month(word: str) -> tuple[str, str] | None:
    if m := _madda_re().fullmatch(word):
        name = search_key(m.group(1))
        return name, month_term(month_numbers()[(name,)])
    return None


def madda_marks(text: str) -> list[tuple[str, str] | None]:
    """Per key of ``search_key(text).split()``, in order: (the name's key, the month's term) where its
    word as typed is a person's month name with its madda (``madda_months``), else None. By position,
    not by key: a word keyed alike but typed without the madda is no month ("بآب باب": بآب is August,
    باب "door, chapter" stays the word). Where the words as typed do not key to the text's keys
    one for one, by key as ``madda_months`` reads them."""
    keys = search_key(text).split()
    flat: list[tuple[str, tuple[str, str] | None]] = []
    for word in _RAW_WORDS.split(unicodedata.normalize("NFC", text)):
        month, own = _madda_month(word), search_key(word).split()
        flat += [(k, month if len(own) == 1 else None) for k in own]
    if [k for k, _ in flat] != keys:
        by_key = madda_months(text)
        return [by_key.get(k) for k in keys]
    return [month for _, month in flat]


def compound_tail(before: str, key: str) -> bool:
    """Is ``key`` the second part of a name written joined or apart, ``before`` its first (واتس آب:
    WhatsApp's آب is no month)? Their keys joined split back into the two."""
    return bool(_ARABIC.match(before)) and search_key(before + key) == f"{before} {key}"


def dated_months(keys: list[str] | tuple[str, ...]) -> dict[int, str]:
    """Position -> ``month_term`` of each month name that is also a person's (``_ALSO_A_NAME``: آب,
    أب "father" once folded; ماي, the surname May) which a *query*'s words use as a month: dated in
    the query as a text dates it (``month_spans``: "15 آب", "آب 2020", "ماي الماضي"). Alone, such a
    word is the word (a query for أب "father" or for "تيريزا ماي" is no date), so ``query_terms``
    gives it no month term; the other month names (آذار, مارس) have theirs always."""
    return {s: term for s, e, term in month_spans(keys) if e - s == 1 and keys[s] in _ALSO_A_NAME}


@lru_cache(maxsize=1)
def dated_month_context() -> dict[str, object]:
    """What ``dated_months`` reads around a person's month name, as finite sets of matching keys (the
    context words with their proclitics spelled out), for its SQL twin ``akhbar_dated_month``
    (warehouse/sql/search/months.sql, reading them from the table search_month_context that
    warehouse/search.py ``install_dated_month`` seeds; used by the macro ``search_articles``): ``names`` key -> month;
    ``before`` / ``after`` a word that dates the name beside it; ``prep`` قبل / بعد / إلى, which date it
    only after a ``date_before`` word or a number; ``ordinals`` (من after one, or a day, dates it);
    ``after_year`` the words after "من" that date it (or a year); ``free`` the names beside which a
    name is dated (a name that is no other word, with a proclitic or none), ``same`` key -> month of
    the names (with a proclitic) beside which a name of the same month is dated; ``day`` / ``year``
    the number ranges."""
    names, heads = month_numbers(), month_heads()
    clitics = "وفبلك"

    def spelled(words: frozenset[str]) -> frozenset[str]:
        return frozenset(words | {c + w for c in clitics for w in words}
                         | {c + d + w for c in clitics for d in clitics for w in words})

    one = {k[0]: m for k, m in names.items() if len(k) == 1}
    one_clitic = one | {c + k: m for k, m in one.items() for c in "وفبل" if _clitic_month(c + k, heads)}
    free = {k: m for k, m in one_clitic.items() if k not in _ALSO_A_WORD and (k in one or k[1:] not in _ALSO_A_WORD)}
    date_before = set(_ORDINALS) | set(one) | {c + k for k in one for c in "وفبل"}
    return {
        "names": {k: one[k] for k in _ALSO_A_NAME},
        "before": spelled(_BEFORE_MONTH), "after": spelled(_AFTER_NAME_MONTH), "prep": spelled(_BEFORE_ANY_MONTH),
        "date_before": frozenset(date_before), "ordinals": _ORDINALS, "after_year": _AFTER_NAME_MONTH,
        "free": free, "same": one_clitic,
        "day": (_DAY_MIN, _DAY_MAX), "year": (_YEAR_AFTER_MIN, _YEAR_AFTER_MAX),
    }


def _dated_before(key: str, names: dict) -> bool:
    """Is ``key`` (the word before قبل / بعد / إلى) a date's: a number, a month, an ordinal?"""
    return key.isdigit() or (key,) in names or (key[1:],) in names and key[:1] in "وفبل" or key in _ORDINALS


def _clitic_month(key: str, heads: frozenset[str] | dict) -> bool:
    """Is ``key`` a proclitic + a month name (ومارس, بآذار, لشهر)? A name of two letters (آب) only
    after و ("تموز وآب"): باب, لاب are other words."""
    return key[:1] in "وفبل" and key[1:] in heads and (len(key) > 3 or key[0] == "و")


def _context_word(key: str, words: frozenset[str]) -> bool:
    """Is ``key`` one of ``words``, with up to two proclitics (وفي, ولشهر, وبحلول)?"""
    for n in range(3):
        if n and (len(key) <= n or key[n - 1] not in "وفبلك"):
            return False
        if key[n:] in words:
            return True
    return False


def _day(key: str) -> bool:
    return key.isdigit() and _DAY_MIN <= int(key) <= _DAY_MAX


def _year(key: str) -> bool:
    return key.isdigit() and _YEAR_AFTER_MIN <= int(key) <= _YEAR_AFTER_MAX


def month_spans(keys: list[str] | tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, ``month_term``) of each month name in these matching keys (a text's words in
    order, stopwords included) that the text uses as a month: any name that is no other word (آذار,
    حزيران, يناير), and one that is (``_ALSO_A_WORD``: مارس, نيسان) by the context dates are written in
    (see ``_BEFORE_MONTH``); the name may carry a proclitic (ومارس, بآذار, لشهر). Such a name
    elsewhere (مارس ضغوطا, سيارة نيسان) is none."""
    names, heads = month_numbers(), month_heads()
    spans: list[list] = []
    free = 0  # the first key not inside a month name found
    for i, key in enumerate(keys):
        if i < free or not (key in heads or _clitic_month(key, heads)):
            continue
        for n in (2, 1):
            seq = tuple(keys[i:i + n])
            if len(seq) < n:
                continue
            month = names.get(seq)
            if month is None and _clitic_month(seq[0], heads):
                month = names.get((seq[0][1:], *seq[1:]))
            if month:
                word = seq if seq in names else (seq[0][1:], *seq[1:])
                spans.append([i, i + n, month, not (len(word) == 1 and word[0] in _ALSO_A_WORD), word])
                free = i + n
                break
    if not spans:
        return []
    for span in spans:
        if span[3]:  # a name that is no other word is the month wherever it stands
            continue
        start, end = span[0], span[1]
        before = keys[start - 1] if start else ""
        after = keys[end] if end < len(keys) else ""
        after2 = keys[end + 1] if end + 1 < len(keys) else ""
        person = span[4][0] in _ALSO_A_NAME  # آب (أب, father), ماي (the surname May)
        after_words = _AFTER_NAME_MONTH if person else _AFTER_MONTH
        span[3] = (_day(before) or _context_word(before, _BEFORE_MONTH)
                   or (_context_word(before, _BEFORE_ANY_MONTH)
                       and (not person or start >= 2 and _dated_before(keys[start - 2], names)))
                   or (before == "من" and start >= 2 and (_day(keys[start - 2]) or keys[start - 2] in _ORDINALS))
                   or _year(after) or _context_word(after, after_words)
                   or (after == "من" and (_year(after2) or after2 in after_words)))
    changed = True
    while changed:  # "آذار/مارس": a month's names side by side; "فبراير ومارس الماضيين": a list
        changed = False
        for a, b in zip(spans, spans[1:], strict=False):
            if a[1] == b[0] and (a[3] or b[3] or a[2] == b[2]) and not (a[3] and b[3]):
                a[3] = b[3] = changed = True
    return [(s[0], s[1], month_term(s[2])) for s in spans if s[3]]


_UNIT = regex.compile(r"\[([^\]\\^-]+)\]|\(\?:([^()]+)\)|(\\s)|\\([^\w\s])|([^\\\[\](){}?*+.|^$])")


def _expand(pattern: str, limit: int = 1024) -> list[str]:
    """The strings a plain regex alternative matches (letter classes, (?:a|b) groups of plain
    alternatives, \\s, escaped punctuation, ? and * as "once or not", + as once), or [] when it has
    anything else or would list more than ``limit``."""
    forms = [""]
    pos = 0
    while pos < len(pattern):
        m = _UNIT.match(pattern, pos)
        if not m:
            return []
        pos = m.end()
        if m.group(1):
            choices = list(m.group(1))
        elif m.group(2):  # a group of alternatives, each itself plain (anadolu(?:\s+ajans[ıi])?)
            choices = [x for alt in m.group(2).split("|") for x in _expand(alt, limit)]
            if any(not _expand(alt, limit) for alt in m.group(2).split("|")):
                return []
        elif m.group(3):
            choices = [" "]
        else:
            choices = [m.group(4) or m.group(5)]
        if pos < len(pattern) and pattern[pos] in "?*+":
            if pattern[pos] != "+":
                choices = ["", *choices]
            pos += 1
        forms = [f + c for f in forms for c in choices]
        if len(forms) > limit:
            return []
    return forms


@lru_cache(maxsize=100_000)
def query_alt_terms(key: str, opt: Options = DEFAULT) -> tuple[str, ...]:
    """Terms of a query word read as a single proclitic + word (بمصر as ب + مصر).

    Used only where the index shows that reading is the usual one: the search keeps them when
    the word's own terms are in fewer than a tenth of the documents the alternative is in (بمصر
    vs مصر), and drops them otherwise (وزارة is not و + زارة; كمال is not ك + مال). Names in the
    keep list never get one."""
    if not opt.clitics or not key or key in stopwords() or not _ARABIC.match(key):
        return ()
    if _strip_article(key) in keep_words():
        return ()
    main = set(query_terms(key, opt))
    return tuple(dict.fromkeys(t for t in index_terms(key, opt) if t not in main))


def phrase_head_keys(key: str) -> tuple[str, ...]:
    """The first word of a quoted phrase without the proclitics an analyst copied with it from a
    sentence ("لحزب الله", "وحزب الله", "فبحزب الله"): و / ف, then ب / ل / ك, each leaving a word of
    three letters or more that is no stopword. The clitic belongs to the sentence, not to the name,
    so the phrase also matches where the text has another one or none (``warehouse/search.py``:
    either key may start the phrase; adjacency keeps out the false reading, وزارة as و + زارة). A
    name of the keep list (كمال, فيصل) is never cut."""
    if not key or not _ARABIC.match(key) or _strip_article(key) != key or key in keep_words():
        return ()
    out: list[str] = []
    rest = key
    for clitics in (CONJUNCTIONS, PREPOSITIONS):
        if rest[:1] in clitics and len(rest) - 1 >= MIN_STEM:
            rest = rest[1:]
            if rest not in stopwords() and rest not in keep_words():
                out.append(_strip_article(rest))
    return tuple(dict.fromkeys(k for k in out if k != key and query_terms(k)))


_MEDIAL_HAMZA = regex.compile(r"اء(?=.)")
_MEDIAL_YA = regex.compile(r"اي(?=.)")
MIN_VARIANT = 3  # letters a hamza-less spelling keeps (ماء/ما, شاء/شا are other words)
# letters a variant's term keeps: three-letter stems are where light stemming makes unrelated words
# meet (مساهمة ends as مسا, قضاة as قضا), so a variant term that short would join them to مساء, قضاء
MIN_VARIANT_TERM = 4


def _hamza_variants(word: str) -> tuple[list[str], list[str]]:
    """(spellings without the hamza, spellings with it) of a clitic-free word."""
    drop: list[str] = []
    add: list[str] = []
    if word.endswith("اء"):
        if len(word) - 1 >= MIN_VARIANT:
            drop.append(word[:-1])                    # كهرباء -> كهربا
    elif word.endswith("ء") and len(word) >= MIN_VARIANT:
        drop.append(word[:-1] + "ي")                  # موانء (موانئ) -> مواني (موانى)
    elif word.endswith("ا") and len(word) >= MIN_VARIANT:
        add.append(word + "ء")                        # كهربا -> كهرباء
    elif word.endswith("ي") and len(word) >= MIN_VARIANT + 1:
        add.append(word[:-1] + "ء")                   # مواني -> موانء
    if _MEDIAL_HAMZA.search(word):
        drop.append(_MEDIAL_HAMZA.sub("اي", word))    # داءما (دائما) -> دايما
    if _MEDIAL_YA.search(word):
        add.append(_MEDIAL_YA.sub("اء", word))        # دايما -> داءما
    return drop, add


@lru_cache(maxsize=100_000)
def query_var_terms(key: str, opt: Options = DEFAULT) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Terms of the query word spelled without its hamza, and with a hamza it was typed without
    (see rule 6 in the module docstring): (hamza dropped, hamza written), neither holding the
    word's own terms. The search keeps one only where the index shows it is the rarer spelling."""
    if not key or key in stopwords() or not _ARABIC.match(key):
        return (), ()
    own = set(query_terms(key, opt)) | set(query_alt_terms(key, opt))
    groups = plural_groups() if opt.plurals else {}
    out: tuple[list[str], list[str]] = ([], [])
    for reading in _readings(key, False, opt):
        stem = groups.get(reading) or _stems(reading, opt)[0]
        for form in dict.fromkeys((reading, stem)):
            for side, variants in zip(out, _hamza_variants(form), strict=True):
                for v in variants:
                    if v in stopwords():
                        continue
                    for t in query_terms(v, opt):
                        if len(t) >= MIN_VARIANT_TERM and t not in own and t not in side:
                            side.append(t)
    return tuple(out[0]), tuple(t for t in out[1] if t not in out[0])


def keys(text: str) -> list[str]:
    """Matching keys of the words of a text, in order (stopwords included)."""
    return search_key(text).split()


__all__ = [
    "ANALYZER_VERSION", "DEFAULT", "Options", "WHITESPACE", "agency_alternatives", "agency_forms", "agency_names", "agency_term", "broken_singular", "dated_month_context", "index_terms_written", "latin_names", "dated_months", "compound_tail", "madda_marks", "madda_months", "month_alternatives", "month_name", "month_heads", "month_names", "month_numbers", "month_spans", "month_term", "name_alternatives", "chunks", "index_terms", "keys", "phrase_head_keys", "plural_groups",
    "query_alt_terms", "query_terms", "query_var_terms", "search_variants", "search_key", "stopwords",
]
