"""Dates: parse what feeds and pages write, keep only plausible instants, resolve a page's
publication time from its evidence, and shift datetimes without ever overflowing.

Parsing (`parse_text`) reads the forms Arabic outlets actually print, after turning
Arabic-Indic digits into ASCII: ISO 8601 / RFC 822, day-first numeric dates (27/11/2026, 27.11.2026,
and with a two-digit year 27/11/26 = 2026), .NET style month-first dates with an English AM/PM
(3/20/2020 8:49:59 PM), and Arabic month names of the three naming systems: Egyptian/Gulf
transliterations (يناير), Levantine/Iraqi Syriac names (كانون الثاني, also without the article:
كانون ثاني, تشرين أول; Joomla's Arabic pack abbreviates the paired ones: "27 تشرين2/نوفمبر 2026") and
Maghrebi French-based or Moroccan names (جانفي, ينير, يوليوز, غشت/أغشت), Iraq's older مايس (May), the 1st in words (Moroccan/Algerian "فاتح ماي", "الفاتح من نوفمبر", "الأول من ديسمبر", Hijri "غرة رمضان") and the other days as ordinals ("الثاني من ديسمبر", "الحادي والعشرين من نوفمبر"; not after a definite noun: "الأسبوع الثاني من"), each with or without hamza, with
ى/ی for ي and ة for final ه (ماى, يونية), French names ("06 décembre 2026") and English ordinals
("December 6th, 2026"), a year first before a month name ("2026 ديسمبر 7"); ص/م (am/pm)
after a time (also after a year-first date: "2017-03-27 01:36 pm"), "الساعة 10.30" with a dot, and the
words for the time of day in their usual spellings (صباحًا, مساءً/مساءا/مساءًا,
ظهرا, عصرا, ليلا), also after an hour without minutes ("على الساعة 10 صباحا"), "10h30" as Maghrebi
outlets write it; "م" after a year is "AD" and never "pm".
An IANA zone name after the time ("10:30 Asia/Riyadh") is read; so is an offset after an English AM/PM
("Sun, 07 Dec 2026 22:30:00 PM +0300"). A numeric date read month-first for its AM/PM ("06-12-2026
10:30:00 AM") keeps its day-first reading too: `resolve` takes it when the page's other dates (the URL's
day, the feed entry) name that day and not the other, or, when they name neither, when the outlet writes
day first (its catalog country, else the page's <html lang>: Arabic) and the date is not slashed as .NET's
en-US default. One rule, `numeric_order`, decides this for a page's date line and a feed's items.
A zone the line names in words ("بتوقيت مكة المكرمة", "بتوقيت القدس", "توقيت غرينتش", "ت.غ") or as
GMT+3 (also in Arabic words: "بتوقيت غرينتش +3", "(+3 ت.غ)") beats the outlet's zone. Hijri dates
(هـ, Hijri month names in their spellings: جمادى الأولى/الاولى/الآخرة/الثانية, ربيع الأول/الآخر/الثاني,
ذو/ذي القعدة, "رمضان المبارك"…, romanised by English templates: "15 Ramadan 1448 AH", "Jumada al-Akhirah
26, 1448", "Dhul-Hijjah"; a numeric date whose year is 1300-1499) are never read as Gregorian
numbers; a numeric one is Solar Hijri ("۱۴۰۵/۰۹/۱۶", Iranian and Afghan outlets) when a marker says so
(ه.ش, ش, هجری شمسی, خورشیدی; ه.ق, ق, قمری: lunar) or, without one, when only its Solar reading falls
between 1990 and the day the page was fetched (Solar years 1369-1405, lunar 1410-1448 in 2026), the later if both do; a line that prints both keeps the Gregorian one. A line that prints only a Hijri date gives its
Gregorian day by the Umm al-Qura calendar (Saudi Arabia's, `hijridate`; the SPA's "26 شوال 1436 هـ الموافق
11 أغسطس 2015" agree), with the line's time; an outlet whose month began by a local sighting may be a day
off, so a Gregorian day of the same page (its URL, the feed entry) one day apart moves it, and a Gregorian
date of the page two days or more away (its URL) wins outright (`resolve`). A line printing only a Solar Hijri
date ("16 آذر 1405", Iranian outlets' Arabic services) is another calendar's day the same way: a Gregorian
date on the line, or a Gregorian line below it, wins; only on an outlet of Iran or Afghanistan (or of no known
country) is it a date of the page at all (`resolve`). A day in either calendar (or in both: a masthead) with no time that is the
fetch's own day is what a site's "today" strip prints on every page: an earlier day the page's other
evidence or the feed entry names is the story's.
java.util.Date's "Fri Apr 28 19:20:36 CEST 2023" (Java CMSs' JSON-LD) is read too. Markup meant for
machines (`parse_structured`: JSON-LD, meta tags) may also hold a Unix time in seconds or
milliseconds (also ASP.NET's JSON "/Date(1733560200000)/"), or a compact "20261206" / "20261206103000"; printed text never is read as one. Relative stamps ("منذ ساعتين", "أمس 10:30", "2 hours
ago", "منذ ساعة ونصف", "منذ 3 س", "منذ 20 د", and a day for "منذ أسبوعين", "منذ شهر", "قبل سنة": `parse_relative`) are no date to `parse_text`; they are read against the moment the page or feed
was fetched, and only where nothing absolute dates the story (kind ``relative`` below).

Sanity (`plausible`): an instant before 1990 (before Arabic news on the web; 0001-01-01 is what Go
writes for an unset date, 1970-01-01 a zero Unix time) or more than a day after now is no date at
all; a written UTC offset beyond ±14:00 (e.g. +9999) makes the value unusable.

Resolution (`resolve`), in this order of evidence — the first kind that gives a plausible value
wins, later kinds only refine it:

1. ``jsonld``  the article's JSON-LD (NewsArticle & co., see tasks.metadata.json_ld_article)
               datePublished, else dateCreated;
2. ``meta``    article meta tags (article:published_time, itemprop datePublished, pubdate, the
               keys of Parse.ly, Sailthru, cXense, Dublin Core, …); the generic "date"/"dc.date"/
               "created" only when neither the date line printed by the headline, the day in the
               story's URL nor the feed entry's day is an earlier day;
3. ``time``    a ``<time datetime>`` inside the article (inside the <article>/<main> that holds the
               headline when there is one; without one, none printed before the headline but in the block
               just above it or in the small header block it shares with the headline: a site bar's "today" is not;
               else the instant a script's stamp keeps in an attribute:
               <abbr class="timeago" title=ISO>, data-timestamp; not in header/nav/aside/related blocks, nor
               in comments or in a teaser of another story, whatever its classes: a small block that
               links to a story by its headline, as "similar news"/"most viewed" lists do, nor in a
               sentence of the story: an event's date);
4. ``visible`` the date line printed next to the headline (the first date-bearing short block
   after the ``<h1>``, outside page chrome; on a page without any ``<h1>``, after the block that
   prints the title, as table layouts do; else the block just above the headline or above the
   wrapper it sits alone in, or above a breadcrumb over the headline; else a line a publication label
   opens printed after the story: "نشر بتاريخ …" after </article> or at the body's end, within 100 elements
   of the story's last paragraph), in the outlet's local time; photo captions, teasers
   of other stories (and the date printed beside a teaser's headline link) and deck sentences ("…يوم 3 نوفمبر 2026 عن خطة…") are no date line;
5. ``url``     a full year/month/day in the article's own URL path (Arabic-Indic digits too, raw or percent-encoded; a
               Solar Hijri one on Iranian and Afghan outlets only: "/1405/09/16/", "/14050916000123/"), or in a date-named query parameter
               ("?cdate=11022020"); a bare year never counts;
6. ``feed``    the feed entry's date (the page said nothing usable);
7. ``relative`` a relative stamp on the date line ("منذ 3 ساعات", "أمس 10:30 م", or a day printed
               without its year, "الأحد 6 ديسمبر", the year of the fetch) counted back from
               when the page was rendered: its Last-Modified when not after the fetch (a static or
               cached page), else when it was fetched (extraction's `now`: the stored fetched_at and
               archived headers on a re-extraction, so the date does not drift). It never beats an absolute date of the page or the feed;
               it may give the time to a bare day of the page on the same local day.

Rules for candidates that disagree:
* a value without a zone is local time of the outlet (catalog country → zone), else UTC; it is read
  as UTC when the URL's day is the local day of that reading and not of the local one, and the feed
  entry (within 15 minutes) or a zoned or printed date of the page names the UTC reading and none
  the local one: east of Greenwich the URL alone never does, a print outlet's URL carries the next
  morning's issue day (Al Bayan, Al Khaleej, Al Ahram) for a story timed the evening before; west of
  it (the URL's day before the local reading's) the URL alone does; without a day in the URL, a machine value
  (JSON-LD, meta, <time>) is read as UTC when the date line printed for readers or a zoned date of the page
  shows the UTC reading's wall time and none the local one (not the feed entry alone: its "+0000" may be the
  same wall time mislabelled);
* a value labelled ``Z``/``+00:00`` on an outlet whose zone is not UTC is local time mislabelled
  when another date on the same page shows the same wall-clock time with the outlet's offset or
  no zone (e.g. the visible line "09:12 م" against ``…T21:12:00Z``), or when the feed entry names that
  local reading (within 15 minutes) and not the labelled instant; the wall time is then read in
  the outlet's zone. Without such a witness the ``Z`` is trusted, and so it is against a zoneless
  machine value when the URL's day is the local day of the ``Z`` and not of the local reading,
  unless a date line printed for readers or the feed entry names the local reading;
* a date line's "last updated" part never dates the publication ("آخر تحديث", "آخر تعديل", "عُدّل
  في", "حُدّث في", "Updated"); on a line that prints the update first, the part after "نُشر" does;
* a date without a time, or with exactly 00:00:00 (what CMSs that keep only the day write), is refined
  by a later kind that gives a time on the same local day (visible line, then feed); the source then
  names the kind that gave the time;
* nothing is invented: page chrome (today's date in headers, "most read" boxes, cache comments,
  years in banner links) is never read, and a page without evidence gets the feed's date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from itertools import islice
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hijridate import Hijri

from warehouse.arabic import fold_letters, strip_marks

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)
MAX_OFFSET = timedelta(hours=14)
_MIN_AWARE = datetime.min.replace(tzinfo=UTC)
_MAX_AWARE = datetime.max.replace(tzinfo=UTC)

# --- safe arithmetic -----------------------------------------------------------------------------


def shift(when: datetime, delta: timedelta) -> datetime:
    """`when + delta`, clamped to the representable range instead of raising OverflowError."""
    try:
        return when + delta
    except OverflowError:
        lo, hi = (_MIN_AWARE, _MAX_AWARE) if when.tzinfo else (datetime.min, datetime.max)
        return hi if delta > timedelta(0) else lo


def window(times: list[datetime], pad: timedelta) -> tuple[datetime, datetime] | None:
    """[min(times) - pad, max(times) + pad] without overflow; None for no times."""
    if not times:
        return None
    return shift(min(times), -pad), shift(max(times), pad)


def windows(times: list[datetime], pad: timedelta) -> list[tuple[datetime, datetime]]:
    """The [t - pad, t + pad] of every time, merged where they overlap, in time order (no
    overflow). A run's articles from the same days give one span, as `window` does; one article
    dated a year back gives a second small span instead of stretching the first over the year."""
    spans: list[tuple[datetime, datetime]] = []
    for t in sorted(times):
        lo, hi = shift(t, -pad), shift(t, pad)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


# --- sanity ---------------------------------------------------------------------------------------


def to_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def plausible(dt: datetime | None, now: datetime | None = None) -> datetime | None:
    """`dt` in UTC when it can be a news item's date: from 1990 to a day after `now`."""
    if dt is None:
        return None
    try:
        utc = to_utc(dt)
    except (OverflowError, ValueError):
        return None
    now = now or datetime.now(UTC)
    if utc < EARLIEST or utc > shift(to_utc(now), FUTURE_TOLERANCE):
        return None
    return utc


# --- zones ------------------------------------------------------------------------------------------

# Country (ISO-2, as in the catalog) -> IANA zone of the outlet's newsroom.
COUNTRY_ZONES = {
    "EG": "Africa/Cairo", "SA": "Asia/Riyadh", "AE": "Asia/Dubai", "QA": "Asia/Qatar", "KW": "Asia/Kuwait",
    "BH": "Asia/Bahrain", "OM": "Asia/Muscat", "YE": "Asia/Aden", "JO": "Asia/Amman", "LB": "Asia/Beirut",
    "SY": "Asia/Damascus", "IQ": "Asia/Baghdad", "PS": "Asia/Hebron", "IL": "Asia/Jerusalem",
    "SD": "Africa/Khartoum", "SS": "Africa/Juba", "LY": "Africa/Tripoli", "TN": "Africa/Tunis",
    "DZ": "Africa/Algiers", "MA": "Africa/Casablanca", "EH": "Africa/El_Aaiun", "MR": "Africa/Nouakchott",
    "SO": "Africa/Mogadishu", "DJ": "Africa/Djibouti", "KM": "Indian/Comoro", "TR": "Europe/Istanbul",
    "IR": "Asia/Tehran", "AF": "Asia/Kabul", "GB": "Europe/London", "FR": "Europe/Paris", "DE": "Europe/Berlin",
    "RU": "Europe/Moscow", "US": "America/New_York", "CN": "Asia/Shanghai", "ES": "Europe/Madrid",
}  # fmt: skip


# Where numeric dates are written day first ('06-12-2026'): the Arab countries (and the catalog's other
# non-US countries but China, which writes year first); the US writes month first.
_DAY_FIRST_COUNTRIES = frozenset(COUNTRY_ZONES) - {"US", "CN"}


def day_first_country(country: str | None) -> bool:
    """The outlet's catalog country writes numeric dates day first."""
    return bool(country) and country.upper() in _DAY_FIRST_COUNTRIES


def writes_day_first(country: str | None, lang: str | None = None) -> bool:
    """The outlet writes numeric dates day first: its catalog country does, or, with no country, its page's
    language tag (<html lang>, og:locale) is Arabic ("ar", "ar-EG", "ar_AR") or names a day-first country
    ("fr-MA", "en-GB"). English without a country ("en", "en-US") is not evidence either way: no."""
    if country:
        return day_first_country(country)
    parts = re.split(r"[-_]", (lang or "").strip())
    return parts[0].lower() == "ar" or (len(parts) > 1 and day_first_country(parts[1]) and len(parts[1]) == 2)


DAY_FIRST, MONTH_FIRST = 0, 1


def numeric_order(numbers: list[tuple[int, int]], named: tuple[int, int], need: int, day_first: bool,
                  slashed: bool) -> int | None:
    """The order in which one template writes its numeric dates 'a/b/yyyy' (both the page's date line and a
    feed's items: one template writes them one way): DAY_FIRST, MONTH_FIRST, or None (undecided: each date
    keeps the order it was parsed in, tasks.dates' default: day first, month first with an English AM/PM).
    In this order of evidence:
    1. proof: one of `numbers` (a, b) has a first number over 12 (day first: 25-11-2026) or a second (month
       first: 11/30/2026);
    2. witnesses: `named` = (how many day-first readings, how many month-first readings) the other evidence
       names (a feed: dates in the days before the fetch; a page: the day of its URL, other dates, its feed
       entry): only one order named, `need` times or more (`need` 0: nothing to judge, only proof decides);
    3. the outlet: neither order named, the outlet writes day first (`writes_day_first`: Arab outlets do)
       and the dates are not slashed as .NET's en-US default writes them ("12/6/2026 10:30:00 AM"). An
       English AM/PM alone is not the US order: PHP's "d-m-Y h:i A" prints "06-12-2026 10:30 AM"."""
    if any(a > 12 >= b for a, b in numbers):
        return DAY_FIRST
    if any(b > 12 >= a for a, b in numbers):
        return MONTH_FIRST
    if need <= 0:
        return None
    by_day, by_month = named
    if by_day == 0 and by_month >= need:
        return MONTH_FIRST
    if by_month == 0 and by_day >= need:
        return DAY_FIRST
    if by_day == by_month == 0 and day_first and not slashed:
        return DAY_FIRST
    return None


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo | None:
    """A zone from an IANA name or a catalog country code (None when unknown)."""
    if not name:
        return None
    key = COUNTRY_ZONES.get(name.upper(), name) if len(name) == 2 else name
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None


# --- parsing ---------------------------------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_BIDI = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u0640]")
_AR = "\u0600-\u06ff"

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "كانون ثان", "كانون2", "جانفي", "جانفييه", "ينير", "January", "Jan"),
    2: ("فبراير", "شباط", "فيفري", "فبرير", "February", "Feb"),
    3: ("مارس", "آذار", "March", "Mar"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "April", "Apr"),
    5: ("مايو", "أيار", "ماي", "مايس", "May"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "June", "Jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويلة", "يوليوز", "July", "Jul"),
    8: ("أغسطس", "آب", "أوت", "غشت", "أغشت", "August", "Aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "September", "Sept", "Sep"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول", "تشرين1", "October", "Oct"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "تشرين ثان", "تشرين2", "نونبر", "November", "Nov"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "كانون1", "دجنبر", "December", "Dec"),
}
# French names: Maghrebi outlets' date lines ("Publié le 06 décembre 2026 à 10h30"), with and without accents
for _num, _names in enumerate((("janvier", "janv"), ("février", "fevrier", "févr", "fevr"), ("mars",), ("avril", "avr"),
                                ("mai",), ("juin",), ("juillet", "juil"), ("août", "aout"), ("septembre",), ("octobre",),
                                ("novembre",), ("décembre", "decembre", "déc")), start=1):
    _MONTH_NAMES[_num] += _names
# Outlets spell the same name with or without hamza (أبريل/ابريل/إبريل, آذار/اذار/أذار), with alef
# maqsura or a Persian-keyboard yeh for ya (ماى, فبرایر), ta marbuta or ha at the end (يونية/يونيه),
# and one or more spaces inside (كانون  الثاني): names are matched in all these spellings and looked
# up by their folded form.
_LOOSE = {"ا": "[اأإآٱ]", "أ": "[اأإآٱ]", "إ": "[اأإآٱ]", "آ": "[اأإآٱ]", "ي": "[يىی]", "ى": "[يىی]",
          "ة": "[ةه]", "ه": "[ةه]", "ك": "[كک]", "ی": "[يىی]"}  # fmt: skip


def _fold(name: str) -> str:
    return re.sub(r"\s+", "", fold_letters(name, persian=True)).lower()


def _loose(name: str, space: str = r"\s+") -> str:
    """A regex for `name` in every spelling `fold_letters` folds (spaces: one or more, or `space`)."""
    return "".join(space if c == " " else _LOOSE.get(c, re.escape(c)) for c in name)


def _alternation(names, space: str = r"\s+") -> str:
    return "|".join(_loose(n, space) for n in sorted(set(names), key=len, reverse=True))


_MONTH_OF = {_fold(name): num for num, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = _alternation(n for names in _MONTH_NAMES.values() for n in names)
# The Hijri months as outlets print them: with or without the article or hamza (ربيع الأول/ربيع اول,
# جمادى الأولى/الاولى/أولى), the second of a pair as الآخر(ة) or الثاني(ة), ذو or ذي (ذى) before القعدة/الحجة,
# the epithets some add (رمضان المبارك, محرم الحرام, شعبان المعظم), and a space dropped (ذوالحجة).
_HIJRI_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("محرم", "محرم الحرام"),
    2: ("صفر", "صفر الخير", "صفر المظفر"),
    3: ("ربيع الأول", "ربيع أول", "ربيع الأنور"),
    4: ("ربيع الآخر", "ربيع آخر", "ربيع الثاني", "ربيع ثاني", "ربيع الأخير"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى أولى", "جمادى أول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني", "جمادى آخرة", "جمادى ثانية", "جمادى الأخيرة"),
    7: ("رجب", "رجب الفرد", "رجب المرجب"),
    8: ("شعبان", "شعبان المعظم"),
    9: ("رمضان", "رمضان المبارك", "رمضان المعظم", "رمضان الكريم"),
    10: ("شوال", "شوال المكرم"),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}  # fmt: skip
_HIJRI_MONTHS = tuple(n for names in _HIJRI_MONTH_NAMES.values() for n in names)
_HIJRI_MONTH_OF = {_fold(name): num for num, names in _HIJRI_MONTH_NAMES.items() for name in names}
_HIJRI_ALT = _alternation(_HIJRI_MONTHS, r"\s*")
# Every month name this module reads (Gregorian in all three naming systems, English, Hijri), in all the
# spellings above, as one regex alternation, longest first: for other modules that must step over a date.
MONTH_WORDS = _alternation((*(n for names in _MONTH_NAMES.values() for n in names), *_HIJRI_MONTHS))


# The Solar Hijri (Persian) calendar of Iranian and Afghan outlets and of Arabic services quoting them
# ("۱۵ فروردین ۱۴۰۵", "15 فروردين 1405" with an Arabic yeh; Afghanistan's Dari names of the same months, the
# zodiac's: "۱۶ قوس ۱۴۰۵" is 16 Azar): a day, one of its twelve month names and a year 1300-1499 are read and
# turned into the Gregorian day. A month name alone ("مهر" is also a word, "تیر" an arrow, "میزان" a scale, "حوت"
# a whale) is nothing: the year must follow.
_SOLAR_MONTHS: tuple[tuple[str, ...], ...] = (
    ("فروردین", "حمل"), ("اردیبهشت", "ثور"), ("خرداد", "جوزا", "جوزاء"), ("تیر", "سرطان"), ("مرداد", "امرداد", "اسد"),
    ("شهریور", "سنبله", "سنبلة"), ("مهر", "میزان"), ("آبان", "عقرب"), ("آذر", "قوس"), ("دی", "جدی"), ("بهمن", "دلو"),
    ("اسفند", "حوت"),
)  # fmt: skip
_SOLAR_OF = {_fold(name): num for num, names in enumerate(_SOLAR_MONTHS, start=1) for name in names}
_SOLAR_DATE = re.compile(rf"(?<![\w])0?(\d{{1,2}})\s*(?:ماه\s+)?({_alternation(n for names in _SOLAR_MONTHS for n in names)})\s*(?:ماه\s+)?,?\s*(?:سال\s+)?"
                         rf"(1[34]\d\d)(?!\d)(?:\s*(?:ه\.?\s?ش\.?|هجری\s+شمسی|خورشیدی))?")
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")  # fmt: skip


def solar_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    """The Gregorian (year, month, day) of a Solar Hijri date (the 33-year arithmetic rule, exact for
    1178-1633 SH), or None when the day is not in the month."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        return None
    days = (-355668 + 365 * (year + 1595) + (year + 1595) // 33 * 8 + ((year + 1595) % 33 + 3) // 4 + day
            + ((month - 1) * 31 if month < 7 else (month - 7) * 30 + 186))
    when = datetime(1, 1, 1) + timedelta(days=days - 366)  # days counts from 1 January of year 0
    return when.year, when.month, when.day


def _solar_as_gregorian(text: str, drop: bool = False) -> str:
    """The line with each Solar Hijri date written as its Gregorian day ("4 April 2026"), or, with `drop`, left out."""
    def one(m: re.Match[str]) -> str:
        month = _SOLAR_OF.get(_fold(m.group(2)))
        ymd = solar_to_gregorian(int(m.group(3)), month, int(m.group(1))) if month else None
        return f" {ymd[2]} {_ENGLISH_MONTHS[ymd[1] - 1]} {ymd[0]} " if ymd and not drop else " "
    return _SOLAR_DATE.sub(one, text)


# The Hijri months as English templates romanise them (Gulf outlets' English editions, agency copy): "15 Ramadan
# 1448 AH", "Jumada al-Akhirah 26, 1448", "Rabi' al-Thani", "Rabi II", "Dhul-Hijjah", "Dhu al-Qi'dah", "Sha'ban".
_EN_AP = "['\u2018\u2019\u02bf\u02bc`]?"
_EN_AL = r"(?:[\s-]*(?:al|ul|us|as|ath|el)[\s-]*|[\s-]+)"
_EN_DHU = r"(?:dhu|dhul|dhi|zul|zhul|thul|zu|du)"
_HIJRI_EN_MONTHS = (
    (1, r"muharram"), (2, r"safar"),
    (3, rf"rabi{_EN_AP}{_EN_AL}(?:awwal|awal)|rabi{_EN_AP}[\s-]+(?:i|1)(?![\w'])"),
    (4, rf"rabi{_EN_AP}{_EN_AL}(?:thani|akhir|akhar|sani)|rabi{_EN_AP}[\s-]+(?:ii|2)(?![\w'])"),
    (5, rf"jumad[ai]{_EN_AL}(?:ula|oula|awwal|awal|uwla)|jumad[ai][\s-]+(?:i|1)(?![\w'])"),
    (6, rf"jumad[ai]{_EN_AL}(?:akhirah|akhira|akhir|thani|thaniyah|thaniya|sani)|jumad[ai][\s-]+(?:ii|2)(?![\w'])"),
    (7, r"rajab"), (8, rf"sha{_EN_AP}b[aā]n"), (9, r"rama[dz]h?[aā]n"), (10, r"shaw+[aā]l"),
    (11, rf"{_EN_DHU}{_EN_AL}?q[ai]{_EN_AP}d[ae]h?"), (12, rf"{_EN_DHU}{_EN_AL}?hij+[ae]h?"),
)
_HIJRI_EN_ALT = "|".join(f"(?P<h{num}>{rx})" for num, rx in _HIJRI_EN_MONTHS)
_HIJRI_EN_NAMES = "|".join(rx for _, rx in _HIJRI_EN_MONTHS)
_HIJRI_EN = re.compile(
    rf"(?<![\w])(?:0?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:{_HIJRI_EN_ALT}),?\s+|(?:{_HIJRI_EN_ALT.replace('?P<h', '?P<g')})\s+0?"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)(?P<y>1[34]\d\d)(?!\d)(?:\s*(?:AH|A\.H\.|H)(?![\w.]))?", re.I)
_HIJRI = re.compile(
    rf"(?i:(?<![\w])(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_HIJRI_EN_NAMES}),?\s+|(?:{_HIJRI_EN_NAMES})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+)"
    rf"1[34]\d\d(?!\d)(?:\s*(?:AH|A\.H\.|H)(?![\w.]))?)"
    rf"|(?:\d{{1,2}}\s*(?:{_HIJRI_ALT})\s*\d{{3,4}}|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|\b1[34]\d\d)\s*(?:هـ|ه\b|هجري[ةه]?)"
    rf"|\d{{1,2}}\s*(?:{_HIJRI_ALT})\s*1[34]\d\d"
    # a numeric date whose year is 1300-1499 is a Hijri one even when no هـ follows ("1448/06/14")
    r"|(?<![\d/.-])(?:\d{1,2}\s?([/.-])\s?\d{1,2}\s?\1\s?1[34]\d\d|1[34]\d\d([/.-])\d{1,2}\2\d{1,2})(?![\d/.-])"
)
# A Hijri date read for its day: "26 جمادى الآخرة 1448 هـ", "١٥ رمضان ١٤٤٨هـ", "1448/06/26", "26-06-1448 هـ"
# (numbers: year first, or day first as Arab outlets write them).
_HIJRI_MARK = rf"(?:\s*(?:ه(?![{_AR}])|هجري[ةه]?))?"
_HIJRI_NAMED = re.compile(rf"(?<!\d)0?(\d{{1,2}})\s*[-/]?\s*(?:من\s+)?(?:شهر\s+)?({_HIJRI_ALT})\s*[-/,]?\s*(?:سنة\s+|عام\s+)?"
                          rf"(1[34]\d\d)(?!\d){_HIJRI_MARK}")
_HIJRI_NUM = re.compile(r"(?<![\d/.-])(?:(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(1[34]\d\d)|(1[34]\d\d)([/.-])(\d{1,2})\6(\d{1,2}))"
                        rf"(?![\d/.-]){_HIJRI_MARK}")


def _hijri(text: str, now: datetime | None = None) -> DateValue | None:
    """The Gregorian day of the line's Hijri date, by the Umm al-Qura calendar (Saudi Arabia's civil
    calendar, `hijridate`: 1343-1500 AH); outlets that follow a local sighting (Egypt, the Maghreb) may be a
    day off. A time elsewhere on the line is read as on a Gregorian line. None when the line prints none.
    `now`: when the line was read (the fetch), for the year rule of `_numeric_solar`. A numeric date that is a Solar Hijri one (`_numeric_solar`) gives its day instead, even beside a named
    Hijri date ("۱۴۰۵/۰۹/۱۶ - 26 جمادى الآخرة 1448"): the Solar day is arithmetic, the Hijri one the sighting's."""
    num = _HIJRI_NUM.search(text)
    if num is not None:
        year, month, day = ((int(num.group(4)), int(num.group(3)), int(num.group(1))) if num.group(4)
                            else (int(num.group(5)), int(num.group(7)), int(num.group(8))))
        if (solar := _numeric_solar(year, month, day, text[num.end(4) if num.group(4) else num.end(8):], now)) is not None:
            return _converted_value(text, num, solar, solar=True)
    if (m := _HIJRI_NAMED.search(text)) is not None:
        year, month, day = int(m.group(3)), _HIJRI_MONTH_OF[_fold(m.group(2))], int(m.group(1))
    elif (m := num) is not None:
        pass  # a lunar numeric date: year, month, day as read above
    elif (m := _HIJRI_EN.search(text)) is not None:  # "15 Ramadan 1448 AH", "Jumada al-Akhirah 26, 1448"
        month = next(int(k[1:]) for k, v in m.groupdict().items() if k[0] in "hg" and v)
        year, day = int(m.group("y")), int(m.group("d") or m.group("d2"))
    else:
        return None
    day_of = _lunar_day(year, month, day)
    return _converted_value(text, m, day_of, hijri=True) if day_of is not None else None


def _lunar_day(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a (lunar) Hijri date by the Umm al-Qura calendar; None when out of its range."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _converted_value(text: str, m: re.Match[str], day_of: date, hijri: bool = False, solar: bool = False) -> DateValue | None:
    """A date written in another calendar as the `day_of` it names, with a time printed elsewhere on the line."""
    rest = text[m.end():] + " " + text[: m.start()]
    t = _time_in(rest)
    tzinfo, ok, label = _zone_in(rest) if t else (None, True, False)
    if not ok:
        return None
    base = datetime(day_of.year, day_of.month, day_of.day, *(t or (0, 0, 0)))
    return DateValue(base.replace(tzinfo=tzinfo) if tzinfo else base, t is not None, tzinfo is not None, label,
                     hijri=hijri, solar=solar)


# The marker after a numeric date that names its calendar, as Iranian and Afghan outlets write it: Solar ("ه.ش",
# "هـ ش", "ش", "هجري شمسي", "هجری شمسی", "خورشیدی") or lunar ("ه.ق", "هـ ق", "ق", "هجري قمري")
_SOLAR_MARK = re.compile(rf"\s*(?:ه\s*\.?\s*)?(?:ش|(?:هجر[يی]\s+)?شمس[يی]|خورش[يی]د[يی])(?![{_AR}])")
_LUNAR_MARK = re.compile(rf"\s*(?:ه\s*\.?\s*)?(?:ق|(?:هجر[يی]\s+)?قمر[يی])(?![{_AR}])")


def _numeric_solar(year: int, month: int, day: int, after: str, now: datetime | None) -> date | None:
    """The Gregorian day of a numeric date with a year 1300-1499 ("۱۴۰۵/۰۹/۱۶", "16-09-1405") when it is a Solar
    Hijri one, None when it is a lunar Hijri one. Both calendars count years in that range; the marker after it
    decides ("ه.ش"/"ش"/"شمسی": Solar; "ه.ق"/"ق"/"قمری": lunar), else the year's value: the reading that falls
    between 1990 and today (Solar years 1369-1405 and lunar years 1410-1448 in 2026, which do not overlap), the
    later one if both do (after 2031), lunar if neither does (as before). "Today" is `now`, when the text was
    fetched, so that a page read again years later (a reprocess, a backfill) gets the same day; the clock only
    for text read with no fetch time (as `plausible`)."""
    solar = solar_to_gregorian(year, month, day)
    solar_day = date(*solar) if solar else None
    if _SOLAR_MARK.match(after):
        return solar_day
    if _LUNAR_MARK.match(after):
        return None
    lunar_day = _lunar_day(year, month, day)
    today = to_utc(now or datetime.now(UTC)).date() + FUTURE_TOLERANCE
    fits = [d for d in (solar_day, lunar_day) if d is not None and EARLIEST.date() <= d <= today]
    return solar_day if solar_day is not None and fits and max(fits) == solar_day else None


_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*((?:UTC|GMT)\s?[+-]\d{1,2}(?::?\d{2})?(?!\d)|Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?(?!\d))?",
    re.I,
)
# "24 نيسان / أبريل 2020": Levantine outlets print both month names; "05-نوفمبر-2026" is dashed, "07/ديسمبر/2026"
# slashed
_TEXT_DATE = re.compile(rf"(?<![\w])0?(\d{{1,2}})(?:st|nd|rd|th|er)?\s*[-/]?\s*(?:من\s+)?(?:شهر\s+)?({_MONTH_ALT})(?:\s*[/(-]\s*(?:{_MONTH_ALT})\)?)?"
                        rf"\.?,?\s*[-/]?\s*(?:سنة\s+|عام\s+)?(\d{{4}})(?!\d)", re.I)
# "2026 ديسمبر 7", "2026 كانون الأول 07": year first with a month name (Levantine and Iraqi CMS templates)
_TEXT_DATE_YMD = re.compile(rf"(?<![\w])(\d{{4}})\s*[-/,]?\s*({_MONTH_ALT})\.?\s*[-/,]?\s*0?(\d{{1,2}})(?![\d:])", re.I)
_TEXT_DATE_MDY = re.compile(rf"(?<![\w])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)
# "27/11/2026", "١ / ١٢ / ٢٠٢٠" (spaced slashes, as alyaum prints them)
_NUM_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d/.-])")
# "05/12/26", "5-12-26", "05.12.26": a two-digit year (20yy; 19yy from 70), read only when the line has
# no other date form
_NUM_DATE_YY = re.compile(r"(?<![\w/.:-])(\d{1,2})([/.-])(\d{1,2})\2(\d{2})(?![\d/.:-])")
_NUM_YMD = re.compile(r"(?<![\d/.-])(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
# A time: "22:30", "10:30 م", "10:30 مساءً" (and the common spellings "مساءا", "مساءًا", "صباحًا"),
# "1:30 ظهرا", "10:00 ليلا", "10h30" (Maghrebi outlets, after French usage).
_TIME = re.compile(
    rf"(?<![\d:])(?<!GMT[+-])(?<!UTC[+-])(\d{{1,2}})(?::|h(?=\d\d(?!\d)))(\d{{2}})(?::(\d{{2}}))?(?![\d:])\s*"
    rf"((?:صباح|مسا[ءئ]?|ظهر|عصر|ليل|فجر)[اً]{{0,2}}|ص|م|a\.?m\.?|p\.?m\.?)?(?![{_AR}a-z])",
    re.I,
)
# A zone named in words after the time: "بتوقيت مكة المكرمة", "توقيت غرينتش", "(ت.غ)", "بتوقيت القدس".
# Cities whose name is ambiguous (عمان: Amman or Oman; طرابلس: Libya or Lebanon) are not read.
_GMT_WORDS = r"(?:غ|ج)رين(?:ي)?(?:تش|ش)|غرنتش|جرنتش"
_NAMED_ZONES: dict[str, str] = {
    "مكة المكرمة": "Asia/Riyadh", "مكة": "Asia/Riyadh", "مكه": "Asia/Riyadh", "السعودية": "Asia/Riyadh",
    "الرياض": "Asia/Riyadh", "القدس": "Asia/Hebron", "فلسطين": "Asia/Hebron", "غزة": "Asia/Gaza",
    "القاهرة": "Africa/Cairo", "مصر": "Africa/Cairo", "بيروت": "Asia/Beirut", "لبنان": "Asia/Beirut",
    "دمشق": "Asia/Damascus", "سوريا": "Asia/Damascus", "بغداد": "Asia/Baghdad", "العراق": "Asia/Baghdad",
    "الدوحة": "Asia/Qatar", "قطر": "Asia/Qatar", "الكويت": "Asia/Kuwait", "أبوظبي": "Asia/Dubai",
    "ابوظبي": "Asia/Dubai", "أبو ظبي": "Asia/Dubai", "ابو ظبي": "Asia/Dubai", "الإمارات": "Asia/Dubai",
    "الامارات": "Asia/Dubai", "دبي": "Asia/Dubai", "المنامة": "Asia/Bahrain", "البحرين": "Asia/Bahrain",
    "مسقط": "Asia/Muscat", "صنعاء": "Asia/Aden", "الخرطوم": "Africa/Khartoum", "الرباط": "Africa/Casablanca",
    "المغرب": "Africa/Casablanca", "الجزائر": "Africa/Algiers", "تونس": "Africa/Tunis", "موسكو": "Europe/Moscow",
    "لندن": "Europe/London", "باريس": "Europe/Paris", "أنقرة": "Europe/Istanbul", "إسطنبول": "Europe/Istanbul",
    "اسطنبول": "Europe/Istanbul", "تركيا": "Europe/Istanbul", "طهران": "Asia/Tehran", "الأردن": "Asia/Amman",
    "الاردن": "Asia/Amman", "اليمن": "Asia/Aden", "عدن": "Asia/Aden", "سلطنة عمان": "Asia/Muscat",
    "السودان": "Africa/Khartoum", "ليبيا": "Africa/Tripoli", "موريتانيا": "Africa/Nouakchott",
    "نواكشوط": "Africa/Nouakchott", "المدينة المنورة": "Asia/Riyadh", "جدة": "Asia/Riyadh",
}  # fmt: skip
# Greenwich with an offset, as outlets write GMT+3 in Arabic: "بتوقيت غرينتش +3", "(غرينتش +٤)", "ت.غ+3",
# and "+3 GMT" / "+3 غرينتش" with the offset first.
_GMT_OFF = r"\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)"
_NAMED_ZONE = re.compile(
    rf"(?:ب?توقيت\s+(?:(?:{_GMT_WORDS})(?:{_GMT_OFF})?|(?P<city>{'|'.join(sorted(_NAMED_ZONES, key=len, reverse=True))}))"
    rf"|(?<![{_AR}])(?:ت\s?\.?\s?غ|{_GMT_WORDS})(?![{_AR}])(?:{_GMT_OFF.replace('?P<', '?P<a')})?)"
)
_OFFSET_BEFORE_GMT = re.compile(rf"(?<![\d:])([+-]\d{{1,2}})(?::?(\d{{2}}))?\s*(?:GMT|UTC|ت\s?\.?\s?غ|{_GMT_WORDS})(?![\w+-])", re.I)
_ZONE = re.compile(r"(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?|(?<![\w])(GMT|UTC)(?![\w+-])|(?<=\d)\s*(Z)\b|(?<=\d)\s*([+-]\d{2}):?(\d{2})(?!\d)", re.I)


@dataclass(frozen=True)
class DateValue:
    """One parsed date. `when` is aware when the text gave a zone, naive (wall time) otherwise."""

    when: datetime
    has_time: bool
    has_zone: bool
    utc_label: bool = False  # the zone was written as Z / UTC / GMT / +00:00
    # "06-12-2026 10:30:00 AM": read month-first for the English AM/PM (.NET), this is the day-first
    # reading of the same numbers; the page's other dates decide (see `resolve`)
    day_first: datetime | None = None
    hijri: bool = False  # the day converted from a Hijri date (Umm al-Qura): a sighting outlet may be a day off
    solar: bool = False  # the day converted from a Solar Hijri date ("16 آذر 1405"), the line printing no other
    # a Gregorian date the line prints beside the same day's Hijri or Solar one ("الاثنين 7 ديسمبر 2026 - 27 جمادى
    # الآخرة 1448 هـ"): with no time and on the fetch's day, a masthead's "today" (`_today_strip`)
    dual: bool = False

    @property
    def converted(self) -> bool:
        """The day was written in another calendar (Hijri, Solar Hijri) and printed no Gregorian date."""
        return self.hijri or self.solar

    def instant(self, tz: ZoneInfo | None) -> datetime:
        """Aware UTC instant; a naive wall time is read in `tz` (UTC when unknown)."""
        if self.when.tzinfo is not None:
            return self.when.astimezone(UTC)
        if not self.has_time:  # a bare date: that calendar day at 00:00 UTC (the day stays right
            return self.when.replace(tzinfo=UTC)  # in UTC and in every zone east of it)
        return self.when.replace(tzinfo=tz or UTC).astimezone(UTC)

    def wall(self) -> datetime:
        """The wall-clock time as written (naive)."""
        return self.when.replace(tzinfo=None)


def normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).translate(_DIGITS)
    return _first_of_month(_BIDI.sub("", text).replace("،", ","))


# The day of a month in words: Moroccan and Algerian outlets print the 1st "فاتح ماي 2026" / "الفاتح من نوفمبر"
# ("فاتح" = the opening day), outlets everywhere "أول/الأول من ديسمبر 2026", Hijri lines "غرة رمضان 1446" (غرّة =
# the new moon's day), and the other days as ordinals: "الثاني من ديسمبر", "الحادي عشر من نوفمبر", "الحادي
# والعشرين من ديسمبر", "الثلاثين من نوفمبر" (masculine: the day, اليوم, is). Read as the number, of a Gregorian or a
# Hijri month. Not when the word before makes it another word's (`_first_not_a_day`). An ordinal past the 1st
# needs its "من" ("الثاني من ديسمبر"): bare, "الثاني" ends a month's name ("كانون الثاني").
_ORDINAL_UNITS = {"الحادي": 1, "الواحد": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
                  "السابع": 7, "الثامن": 8, "التاسع": 9}
_ORDINAL_TENS = {"العشرين": 20, "العشرون": 20, "الثلاثين": 30, "الثلاثون": 30}
_ORDINAL_OF = {_fold(w): n for w, n in (*_ORDINAL_UNITS.items(), *_ORDINAL_TENS.items(), ("العاشر", 10))}
_UNIT_ALT = _alternation(_ORDINAL_UNITS)
_ORDINAL_ALT = (rf"(?:{_UNIT_ALT})\s+(?:و\s*)?(?:{_alternation(_ORDINAL_TENS)})|(?:{_UNIT_ALT})\s+عشر"
                rf"|{_alternation(_ORDINAL_TENS)}|{_loose('العاشر')}|(?:{_UNIT_ALT})(?!\s+عشر)")
# what every ordinal before its "من" ends with (الحادي/الثاني ي/ى, الواحد د, الثالث ث, الرابع/السابع/التاسع ع,
# الخامس/السادس س, الثامن/العشرين/الثلاثين ن, عشر/العاشر ر): `_first_of_month`'s cheap test, so that the
# many lines with a "من" and no ordinal before it skip `_FIRST_OF`'s scan
_ORDINAL_TAIL = re.compile(r"[يىیدثعسنر]\s+من\s")
_ANY_MONTH = rf"(?:{_MONTH_ALT}|{_HIJRI_ALT})(?![\w])"
_FIRST_OF = re.compile(rf"(?<![\w])(?:ال)?فاتح(?:\s+من)?(?:\s+شهر)?(?=\s+{_ANY_MONTH})"
                       rf"|(?<![\w])غر[\u0651]?[ةه](?:\s+شهر)?(?=\s+{_ANY_MONTH})"
                       rf"|(?<![\w])(?:(?:ال)?[اأ]ول\s+من|[اأ]ول)(?:\s+شهر)?(?=\s+{_ANY_MONTH})"
                       rf"|(?<![\w])(?P<ordinal>{_ORDINAL_ALT})\s+من(?:\s+شهر)?(?=\s+{_ANY_MONTH})",
                       re.I)
# The words that may stand before a day in words (`_first_not_a_day`): a weekday, "يوم", the words of a moment of a
# day ("مساء الأول من ديسمبر", "منذ الفاتح من ماي"), prepositions, the Hijri-to-Gregorian "الموافق", a publication
# label ("نشر الثاني من ديسمبر", "تاريخ النشر") and a Hijri year's "هـ" before the Gregorian day, folded.
_FIRST_DAY_WORDS = frozenset(_fold(w) for w in (
    "الأحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يوم", "اليوم", "في", "منذ",
    "من", "حتى", "إلى", "قبل", "بعد", "مساء", "صباح", "ليلة", "فجر", "ظهر", "عصر", "مطلع", "غداة", "و",
    "الموافق", "الموافقة", "بتاريخ", "تاريخ", "التاريخ", "النشر", "نشر", "نشرت", "أمس", "ه"))


def _first_not_a_day(text: str, m: re.Match) -> bool:
    """Whether the day in words matched at `m` ("الأول", "الفاتح", "غرة", "الثاني من") is another word's, by the
    word before it: the second word of a month's name ("كانون الأول", "تشرين أول", "ربيع الأول"); an ordinal
    qualifying a definite noun ("الأسبوع الأول من ديسمبر", "النصف الأول من نوفمبر", "العدد الأول من يناير": a
    week, a half, an issue, not the 1st); "الفاتح" ending a name ("محمد الفاتح ماي 2026"); a day naming an
    event or a place ("ثورة الثلاثين من يونيو", "مدينة العاشر من رمضان"). Only a weekday, "يوم", a word of a
    moment, a preposition or a date label before it ("الثلاثاء الأول من ديسمبر", "مساء الأول من ديسمبر", "نشر
    الثاني من ديسمبر"), or nothing (the line's start, a separator) leaves it the day."""
    # the word just before (short vowels and all: "الأسبوعِ الأول"), not past a separator
    prev = re.search(r"((?:[^\W\d_]|[\u064b-\u065f\u0670])+)\s+$", text[: m.start()][-40:])
    if prev is None:
        return False
    # any other word makes it that word's: a month's name ("كانون الأول"), a name ("محمد الفاتح"), a definite noun's
    # ordinal ("الأسبوع الثاني من", "النصف الثاني من", "الربع الثالث من"), and the name of an event, a city, a
    # bridge after a noun in construct ("ثورة الثلاثين من يونيو 2013", "هجمات الحادي عشر من سبتمبر", "حرب الخامس من
    # حزيران", "ثورة أول نوفمبر", "مدينة العاشر من رمضان", "جسر السادس من أكتوبر"): common in any story, never its date
    return _fold(strip_marks(prev.group(1))) not in _FIRST_DAY_WORDS


def _ordinal_day(words: str) -> int | None:
    """The day an ordinal in words gives ("الحادي والعشرين" 21, "الثاني عشر" 12); None past the 31st."""
    parts = [_fold(w) for w in re.findall(r"[^\W\d_]+", words)]
    day = sum(_ORDINAL_OF.get(p.removeprefix("و"), 0) for p in parts) + (10 if _fold("عشر") in parts else 0)
    return day if 1 <= day <= 31 else None


def _day_in_words(text: str, m: re.Match) -> str:
    if _first_not_a_day(text, m):
        return m.group(0)
    if m.group("ordinal") is None:
        return "1"
    day = _ordinal_day(m.group("ordinal"))
    return m.group(0) if day is None else str(day)


def _first_of_month(text: str) -> str:
    if "فاتح" not in text and "ول" not in text and "غر" not in text and not _ORDINAL_TAIL.search(text):
        return text
    return _FIRST_OF.sub(lambda m: _day_in_words(text, m), text)


def _offset(sign_hours: str, minutes: str | None) -> timedelta | None:
    hours = int(sign_hours)
    mins = int(minutes or 0)
    delta = timedelta(hours=abs(hours), minutes=mins)
    if delta > MAX_OFFSET or mins >= 60:
        return None
    return -delta if sign_hours.startswith("-") else delta


def _mk(year: int, month: int, day: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hh, mm, ss)
    except ValueError:
        return None


def _zone_of(tz: str | None, a: str | None = None, b: str | None = None) -> tuple[timezone | None, bool, bool]:
    """(tzinfo, usable, utc_label) for a zone token."""
    if not tz:
        return None, True, False
    t = tz.upper()
    if t in ("Z", "UTC", "GMT"):
        return UTC, True, True
    if (gmt := re.fullmatch(r"(?:UTC|GMT)\s?([+-])(\d{1,2})(?::?(\d{2}))?", t)) is not None:  # "GMT+3"
        tz = f"{gmt.group(1)}{gmt.group(2).zfill(2)}{gmt.group(3) or ''}"
    m = re.fullmatch(r"([+-]\d{2}):?(\d{2})?", tz)
    if not m:
        return None, False, False
    off = _offset(m.group(1), m.group(2))
    if off is None:
        return None, False, False
    return timezone(off), True, off == timedelta(0)


# "الساعة 10.30 صباحا": a dotted clock, read only after the word for "o'clock"
_DOTTED_TIME = re.compile(r"(?<![\w])ال?ساع[ةه]\s*(\d{1,2})\.(\d{2})(?![\d.])")


# "على الساعة 10 صباحا", "الساعة 9 مساءً", "10 صباحا": an hour without minutes, read with the word for the
# time of day (after "الساعة" also ص/م); a bare number is no time
_HOUR_ONLY = re.compile(rf"(?:(?<![\w])ال?ساع[ةه]\s*(\d{{1,2}})(?=\s*(?:ص|م)(?![{_AR}]))|(?<![\w:.,/-])(\d{{1,2}})(?=\s*"
                        rf"(?:صباح|مسا[ءئ]|ظهر|عصر|ليل|فجر)[اً]{{0,2}}(?![{_AR}])))")


def _time_in(text: str) -> tuple[int, int, int] | None:
    m = _TIME.search(text)
    if not m and (dotted := _DOTTED_TIME.search(text)) is not None:
        m = _TIME.match(text[: dotted.start(1)] + f"{dotted.group(1)}:{dotted.group(2)}" + text[dotted.end():],
                        dotted.start(1))
    if not m and (hour := _HOUR_ONLY.search(text)) is not None:
        at = hour.start(1) if hour.group(1) else hour.start(2)
        end = hour.end(1) if hour.group(1) else hour.end(2)
        m = _TIME.match(text[:end] + ":00" + text[end:], at)
    if not m:
        return None
    hh, mm, ss = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    marker = (m.group(4) or "").lower()
    if marker.startswith(("ظهر", "عصر")):  # noon / afternoon: "12:30 ظهرا" is 12:30, "1:30 ظهرا" 13:30
        hh += 12 if 1 <= hh <= 6 else 0
    elif marker.startswith("ليل"):  # "10:00 ليلا" is 22:00, "12:30 ليلا" 00:30, "2:00 ليلا" 02:00
        hh = hh + 12 if 6 <= hh <= 11 else (0 if hh == 12 else hh)
    elif marker:
        pm = marker == "م" or marker.startswith(("مسا", "p"))
        if pm and hh < 12:
            hh += 12
        elif not pm and hh == 12:
            hh = 0
    if hh > 23 or mm > 59 or ss > 59:
        return None
    return hh, mm, ss


def _gmt_offset(sign_hours: str, minutes: str | None) -> tuple[tzinfo | None, bool, bool]:
    sign, hours = sign_hours[0], sign_hours[1:]
    off = _offset(sign + hours.zfill(2), minutes)
    return (timezone(off), True, off == timedelta(0)) if off is not None else (None, False, False)


# An IANA zone name after the time ("10:30 Asia/Riyadh", "2026-12-07 10:30:00 Africa/Cairo"), as PHP's
# date('e') and Java templates print it; a name the zone database does not know is no zone.
_IANA = re.compile(r"(?<![\w/])((?:Africa|Asia|Europe|America|Indian|Atlantic|Australia|Pacific)/[A-Za-z_]+(?:/[A-Za-z_]+)?"
                   r"|Etc/(?:UTC|GMT))(?![\w/])")


def _zone_in(text: str) -> tuple[tzinfo | None, bool, bool]:
    if (iana := _IANA.search(text)) is not None and (named_zone := zone(iana.group(1))) is not None:
        return named_zone, True, iana.group(1).startswith("Etc/")
    if (before := _OFFSET_BEFORE_GMT.search(text)) is not None:  # "10:30 +3 GMT"
        return _gmt_offset(before.group(1), before.group(2))
    m = _ZONE.search(text)
    if not m:
        named = _NAMED_ZONE.search(text)
        if named is None:
            return None, True, False
        if named.group("city"):
            return zone(_NAMED_ZONES[named.group("city")]), True, False
        for sign, h, mins in (("sign", "h", "m"), ("asign", "ah", "am")):
            if named.group(sign):  # "بتوقيت غرينتش +3"
                return _gmt_offset(named.group(sign) + named.group(h), named.group(mins))
        return UTC, True, True
    if m.group(1):
        off = _offset(m.group(1) if len(m.group(1)) > 2 else m.group(1)[0] + "0" + m.group(1)[1:], m.group(2))
        return (timezone(off), True, off == timedelta(0)) if off is not None else (None, False, False)
    if m.group(3) or m.group(4):
        return UTC, True, True
    off = _offset(m.group(5), m.group(6))
    return (timezone(off), True, off == timedelta(0)) if off is not None else (None, False, False)


def parse_text(raw: str | None, now: datetime | None = None) -> DateValue | None:
    """Parse one date string as written on a page or in a feed (see module doc); None if none. `now`: when it
    was fetched, which decides the calendar of a numeric Hijri date by its year (`_numeric_solar`)."""
    if not raw or not isinstance(raw, str):
        return None
    text = strip_marks(normalize(raw.strip()[:300]))  # "01 شوّال 1445 هـ": without its shadda
    solar = _solar_as_gregorian(text)
    if solar != text:  # "16 آذر 1405": a Gregorian date the line prints beside it wins, as over a Hijri one
        value = _solar_as_gregorian(text, drop=True)
        if (other := parse_text(value, now)) is not None and not other.hijri:
            return replace(other, dual=True) if not other.solar else other
        if other is not None and (m := _SOLAR_DATE.search(text)) and (month := _SOLAR_OF.get(_fold(m.group(2)))) \
                and (ymd := solar_to_gregorian(int(m.group(3)), month, int(m.group(1)))):
            # beside a Hijri date ("16 آذر 1405 - 26 جمادى الآخرة 1448", Iranian outlets): the Solar day is
            # arithmetic, the Hijri one the sighting's (Iran's may be a day from Umm al-Qura's): the Solar wins
            return replace(other, when=other.when.replace(year=ymd[0], month=ymd[1], day=ymd[2]), hijri=False, solar=True)
        value = parse_text(solar, now)
        return replace(value, solar=True) if value is not None and not value.hijri else value
    gregorian = _HIJRI.sub(" ", text)
    if gregorian != text and not re.search(r"\d{4}", gregorian):
        return _hijri(text, now)  # only a Hijri date: its Gregorian day, never its numbers read as Gregorian
    hijri, text = (text if gregorian != text else None), gregorian
    value = _gregorian_line(text, hijri, now)
    # a Gregorian date printed beside a Hijri one: the line names the day in two calendars (a masthead's "today")
    return replace(value, dual=True) if value is not None and hijri is not None and not value.converted else value


def _gregorian_line(text: str, hijri: str | None, now: datetime | None) -> DateValue | None:
    """`parse_text` on a line without its Hijri date (`hijri`: the whole line when it printed one)."""
    iso = _ISO.search(text)
    if iso:
        y, mo, d, hh, mi, ss, tz = iso.groups()
        base = _mk(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        if base is not None:
            tzinfo, ok, label = _zone_of(tz)
            if not ok:
                return None
            has_time = hh is not None
            if has_time and tz is None and (t := _time_in(text[iso.start(4):])) is not None and t[0] != int(hh):
                base = base.replace(hour=t[0])  # "2017-03-27 01:36 pm", "2026-12-06 10:30 م": a 12-hour clock
            named = (_IANA.search(text, iso.end()) or _NAMED_ZONE.search(text, iso.end())) if has_time and tz is None else None
            if named is not None:  # "2026-11-05 10:30 بتوقيت مكة المكرمة", "… بتوقيت غرينتش +3"
                tzinfo, ok, label = _zone_in(named.group(0))
                if not ok:
                    return None
            if not has_time:  # "2020-03-17 · 09:12 م": a time elsewhere on the line
                t = _time_in(text[iso.end():] + " " + text[: iso.start()])
                if t:
                    base, has_time = base.replace(hour=t[0], minute=t[1], second=t[2]), True
                    tzinfo, ok, label = _zone_in(text[iso.end():])
                    if not ok:
                        return None
            return DateValue(base.replace(tzinfo=tzinfo) if tzinfo else base, has_time, tzinfo is not None, label)
    rfc = _rfc822(text)
    if rfc is not None:
        return rfc
    java = _java_date(text)
    if java is not None:
        return java
    value = _textual(text)
    return value if value is not None or hijri is None else _hijri(hijri, now)  # a Gregorian date on the line wins


# java.util.Date.toString(), as Java CMSs write it into JSON-LD: "Fri Apr 28 19:20:36 CEST 2023". Zone
# abbreviations that name one offset are read; others (AST: Arabia or Atlantic) leave the wall time
# to the outlet's zone.
_JAVA_DATE = re.compile(r"^\s*[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+([A-Za-z]{1,5})\s+(\d{4})\s*$")
_ABBREVIATIONS = {"gmt": 0, "utc": 0, "z": 0, "wet": 0, "cet": 60, "cest": 120, "eet": 120, "eest": 180, "msk": 180,
                  "trt": 180, "gst": 240, "irst": 210}  # fmt: skip


def _java_date(text: str) -> DateValue | None:
    m = _JAVA_DATE.match(text)
    if not m or m.group(1).lower() not in _MONTH_OF:
        return None
    base = _mk(int(m.group(7)), _MONTH_OF[_fold(m.group(1))], int(m.group(2)), int(m.group(3)), int(m.group(4)),
               int(m.group(5)))
    if base is None:
        return None
    minutes = _ABBREVIATIONS.get(m.group(6).lower())
    if minutes is None:
        return DateValue(base, True, False)
    return DateValue(base.replace(tzinfo=timezone(timedelta(minutes=minutes))), True, True, minutes == 0)
# The zone after an RFC 822 time. email.utils reads "+03:00", "GMT+3" and unknown names (EET) as
# UTC and "+3" as three minutes; feeds write all of these.
_RFC_ZONE = re.compile(r"(?::\d{2})?\s*(?:(?P<utc>UT|UTC|GMT|Z)?\s*(?P<sign>[+-])(?P<h>\d{1,2}?)(?::?(?P<m>\d{2}))?"
                       r"|(?P<name>[A-Za-z]{1,5}))?\s*$")
# RFC 822's names, less AST/ADT: email.utils reads them as Atlantic time (-4), Gulf outlets print
# AST for Arabia Standard Time (+3); left as a wall time, they are read in the outlet's zone.
# An English AM/PM between the time and the zone ("Sun, 07 Dec 2026 22:30:00 PM +0300", .NET and PHP templates
# that mix a 24-hour clock with "A"): the hour is read in 12 hours when it is one, the zone as written.
_RFC_AMPM = re.compile(r"(?::\d{2})?(\s*)([AP]\.?M\.?)(?![A-Za-z])", re.I)
_RFC_NAMED = {"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}


def _rfc822(text: str) -> DateValue | None:
    """'Thu, 26 Nov 2026 10:30:00 +0300'. A numeric zone in any writing (+0300, +03:00, +3, GMT+3) is
    read as written; the names RFC 822 defines as email.utils reads them; no zone, or a name it does
    not define (EET, MSK): a wall time without zone (the outlet's local time for the caller)."""
    head = re.match(r"^\s*(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})", text)
    if not head:
        return None
    if len(head.group(3)) == 4 and int(head.group(3)) < 1900:  # "01 Jan 0001": not year 2001
        early = _mk(int(head.group(3)), _MONTH_OF.get(head.group(2).lower(), 1), int(head.group(1)))
        return DateValue(early.replace(tzinfo=UTC), True, True, True) if early else None
    hour = int(head.group(4))
    if (ampm := _RFC_AMPM.match(text, head.end())) is not None:  # "22:30:00 PM +0300", "10:30 PM GMT"
        pm = ampm.group(2).lower().startswith("p")
        hour = hour + 12 if pm and hour < 12 else (0 if not pm and hour == 12 else hour)
        text = text[: ampm.start(2)] + text[ampm.end(2):]
    zone_m = _RFC_ZONE.match(text, head.end())
    if zone_m is None:
        return None  # something else follows the time: not this form
    try:
        dt = parsedate_to_datetime(text[: zone_m.start("sign") if zone_m.group("sign") else len(text)].strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if hour > 23:
        return None
    dt = dt.replace(hour=hour)
    wall = dt.replace(tzinfo=None)
    if zone_m.group("sign"):
        hours = zone_m.group("h") or "0"
        off = _offset(zone_m.group("sign") + hours.zfill(2), zone_m.group("m"))
        if off is None:
            return None
        return DateValue(wall.replace(tzinfo=timezone(off)), True, True, off == timedelta(0))
    name = (zone_m.group("name") or "").upper()
    if name in ("AM", "PM"):
        return None  # "10:30 PM": a 12-hour time, read by _textual
    if name in _RFC_NAMED:
        aware = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
        return DateValue(aware, True, True, aware.utcoffset() == timedelta(0))
    return DateValue(wall, True, False)


def _textual(text: str) -> DateValue | None:
    """Dates with month names or day-first / month-first numbers, plus a time anywhere on the line."""
    day = month = year = None
    span = None
    ambiguous = False
    m = _TEXT_DATE.search(text)
    if m:
        day, month, year, span = int(m.group(1)), _MONTH_OF[_fold(m.group(2))], int(m.group(3)), m.span()
    elif (m := _TEXT_DATE_MDY.search(text)) is not None:
        day, month, year, span = int(m.group(2)), _MONTH_OF[_fold(m.group(1))], int(m.group(3)), m.span()
    elif (m := _TEXT_DATE_YMD.search(text)) is not None:
        year, month, day, span = int(m.group(1)), _MONTH_OF[_fold(m.group(2))], int(m.group(3)), m.span()
    elif (m := _NUM_YMD.search(text)) is not None:
        year, month, day, span = int(m.group(1)), int(m.group(3)), int(m.group(4)), m.span()
    elif (m := _NUM_DATE.search(text) or _NUM_DATE_YY.search(text)) is not None:
        a, b, year, span = int(m.group(1)), int(m.group(3)), int(m.group(4)), m.span()
        if len(m.group(4)) == 2:
            year += 2000 if year < 70 else 1900
        english_ampm = re.search(r"\b[AP]\.?M\b", text, re.I) is not None
        if b > 12 or (english_ampm and a <= 12):  # 3/20/2020, or .NET "3/4/2020 8:49:59 PM"
            month, day = a, b
            ambiguous = b <= 12 and a != b
        else:  # day-first: the Arabic convention
            day, month = a, b
    if year is None or span is None:
        return None
    after = re.sub(rf"^\s*م(?![{_AR}])", " ", text[span[1]:])  # "17 مارس 2020 م": AD, not pm
    rest = after + " " + text[: span[0]]
    t = _time_in(rest)
    base = _mk(year, month or 0, day or 0, *(t or (0, 0, 0)))
    if base is None:
        return None
    tzinfo, ok, label = _zone_in(rest) if t else (None, True, False)
    if not ok:
        return None
    swapped = base.replace(month=day, day=month) if ambiguous else None
    if swapped is not None and tzinfo:
        swapped = swapped.replace(tzinfo=tzinfo)
    return DateValue(base.replace(tzinfo=tzinfo) if tzinfo else base, t is not None, tzinfo is not None, label, swapped)


def parse_feed_struct(struct) -> datetime | None:
    """feedparser's *_parsed struct_time (UTC) as an aware datetime, None when out of range."""
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


# --- relative stamps -------------------------------------------------------------------------------
# What outlets print instead of a date on fresh stories (WordPress human_time_diff, moment/dayjs/timeago
# locales, CMS templates): "منذ 3 ساعات", "منذ ساعتين", "منذ 11 ساعة", "قبل 5 دقائق", "منذ ساعة واحدة",
# "منذ 3 ساعات و20 دقيقة", "منذ ثلاث ساعات", "منذ نصف ساعة", "منذ ساعة ونصف", "منذ لحظات", "الآن", "أمس", "أمس على الساعة 10:30",
# "اليوم 10:30 م", "أول أمس", and the English "2 hours ago", "an hour ago", "just now", "Yesterday at
# 10:30 PM" of Arabic outlets' English templates. They count from the moment the page was fetched.
# Weeks, months and years ago ("منذ أسبوع", "منذ أسبوعين", "منذ 3 أسابيع", "منذ شهر", "قبل سنة", "2 weeks ago":
# what WordPress and moment print for older stories) give a day, counted back as 7, 30 and 365 days: the day
# is as near as the stamp says, and it dates a page only when nothing absolute (the feed included) does.
# folded spellings (see _fold) -> (seconds, count implied by the word: dual forms are two; a plural without
# a number, "منذ ساعات", says no count: 0, no date)
_WEEK, _MONTH, _YEAR = 7 * 86400, 30 * 86400, 365 * 86400
_REL_UNITS = {
    "ثانيه": (1, 1), "ثوان": (1, 1), "ثواني": (1, 1), "ثانيتين": (1, 2), "ثانيتان": (1, 2),
    "دقيقه": (60, 1), "دقائق": (60, 0), "دقايق": (60, 0), "دقيقتين": (60, 2), "دقيقتان": (60, 2),
    "ساعه": (3600, 1), "ساعات": (3600, 0), "ساعتين": (3600, 2), "ساعتان": (3600, 2),
    # the one-letter abbreviations of apps and tickers ("منذ 3 س", "منذ 20 د", "قبل 45 ث"): only after a number
    "س": (3600, 0), "د": (60, 0), "ث": (1, 0),
    "يوم": (86400, 1), "يوما": (86400, 1), "ايام": (86400, 0), "يومين": (86400, 2), "يومان": (86400, 2),
    "اسبوع": (_WEEK, 1), "اسبوعا": (_WEEK, 1), "اسابيع": (_WEEK, 0), "اسبوعين": (_WEEK, 2), "اسبوعان": (_WEEK, 2),
    "شهر": (_MONTH, 1), "شهرا": (_MONTH, 1), "اشهر": (_MONTH, 0), "شهور": (_MONTH, 0), "شهرين": (_MONTH, 2),
    "شهران": (_MONTH, 2), "سنه": (_YEAR, 1), "عام": (_YEAR, 1), "عاما": (_YEAR, 1), "سنوات": (_YEAR, 0),
    "اعوام": (_YEAR, 0), "سنين": (_YEAR, 0), "سنتين": (_YEAR, 2), "سنتان": (_YEAR, 2), "عامين": (_YEAR, 2), "عامان": (_YEAR, 2),
    "week": (_WEEK, 1), "wk": (_WEEK, 1), "month": (_MONTH, 1), "mo": (_MONTH, 1), "year": (_YEAR, 1), "yr": (_YEAR, 1),
    "second": (1, 1), "sec": (1, 1), "minute": (60, 1), "min": (60, 1), "m": (60, 1), "hour": (3600, 1),
    "hr": (3600, 1), "h": (3600, 1), "day": (86400, 1), "d": (86400, 1),
}  # fmt: skip
_REL_NUMBERS = {"واحد": 1, "واحده": 1, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6,
                "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10,
                "عشره": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30,
                "اربعين": 40, "اربعون": 40, "خمسين": 50, "خمسون": 50, "نصف": 0.5, "ربع": 0.25, "a": 1, "an": 1, "one": 1, "few": 3}  # fmt: skip
_REL_AR_UNIT = "|".join(sorted((u for u in _REL_UNITS if not u.isascii()), key=len, reverse=True))
_REL_AR_NUM = "|".join(sorted((n for n in _REL_NUMBERS if not n.isascii()), key=len, reverse=True))
_REL_AR_PART = (rf"(?:(?:حوالي|نحو|قرابه|بضع|اقل\s+من)\s+)?(?:(?P<n>\d+|{_REL_AR_NUM})\s*)?(?P<u>{_REL_AR_UNIT})"
                rf"(?:\s+(?:واحده|واحد))?")
_REL_AR_PART_RE = re.compile(_REL_AR_PART)
_REL_EN_PART = r"(?:(?:about|over|almost|less\s+than)\s+)?(?P<n>\d+|an?|one|few)\s*(?P<u>second|minute|month|hour|week|year|sec|min|day|hr|wk|mo|yr|m|h|d)s?(?![a-z])"
_REL_LABEL = r"(?:(?:تاريخ\s+)?(?:ال)?نشر(?:ت)?(?:\s+في)?|منشور|posted|published)?\s*:?\s*"
_REL_AGO = re.compile(
    rf"{_REL_LABEL}(?:منذ|قبل)\s+(?P<ar>{_REL_AR_PART.replace('?P<n>', '?:').replace('?P<u>', '?:')}"
    rf"(?:\s*(?:و|,)\s*{_REL_AR_PART.replace('?P<n>', '?:').replace('?P<u>', '?:')})*(?:\s*و\s*(?:نصف|ربع))?)"
    rf"|{_REL_LABEL}(?P<en>{_REL_EN_PART.replace('?P<n>', '?:').replace('?P<u>', '?:')}"
    rf"(?:\s*(?:,|and)?\s*{_REL_EN_PART.replace('?P<n>', '?:').replace('?P<u>', '?:')})*)\s+ago",
    re.I,
)
_REL_NOW = re.compile(rf"{_REL_LABEL}(?:(?:منذ|قبل)\s+(?:لحظات|لحظه|قليل|ثوان|ثواني|بضع\s+ثوان|ثوان\s+معدوده)|الان|للتو|حالا"
                      r"|just\s+now|now|moments?\s+ago|(?:a\s+)?few\s+seconds\s+ago)", re.I)
_REL_DAY = re.compile(rf"{_REL_LABEL}(?P<day>اليوم|امس|البارحه|اول\s+(?:من\s+)?امس|today|yesterday)"
                      r"(?:\s*[,-]?\s*(?:(?:علي|عند|في|at)\s+)?(?:(?:ال)?ساعه\s*:?\s*)?(?P<time>.+))?", re.I)
_REL_DAYS_BACK = {"اليوم": 0, "today": 0, "امس": 1, "البارحه": 1, "yesterday": 1}
# "6 ديسمبر", "الأحد 6 ديسمبر 10:30", "Dec 6": a day of this year (the year of the fetch; of the year before
# when that day is more than a day ahead, as a paper's next-day edition can be), as outlets print the
# stories of the current year
_REL_WEEKDAY = _alternation(("الأحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
                             "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"))
_REL_NO_YEAR = re.compile(
    rf"{_REL_LABEL}(?:(?:{_REL_WEEKDAY})\s*,?\s*)?(?:0?(?P<d>\d{{1,2}})\s*-?\s*(?P<m>{_MONTH_ALT})|(?P<m2>{_MONTH_ALT})\.?\s+"
    rf"(?P<d2>\d{{1,2}}))(?:\s*[,-]?\s*(?:(?:علي|عند|في|at)\s+)?(?:(?:ال)?ساعه\s*:?\s*)?(?P<time>.+))?", re.I)
_REL_PIECES = re.compile(r"\s*[|·•–—,]\s*|\s+-\s+")


def _rel_amount(parts: str, part_re: re.Pattern) -> timedelta | None:
    total = 0
    for m in part_re.finditer(parts):
        seconds, implied = _REL_UNITS[m.group("u").lower()]
        n = m.group("n")
        count = implied if n is None else (int(n) if n.isdigit() else _REL_NUMBERS[n.lower()])
        if count == 0:
            return None
        total += seconds * count
    if (fraction := re.search(r"و\s*(نصف|ربع)$", parts)) is not None:  # "منذ ساعة ونصف": half the last unit more
        total += seconds * _REL_NUMBERS[fraction.group(1)]
    return timedelta(seconds=total)


_REL_EN_PART_RE = re.compile(_REL_EN_PART, re.I)


def _relative_piece(text: str, now: datetime, tz: ZoneInfo | None) -> DateValue | None:
    if (m := _REL_AGO.fullmatch(text)) is not None:
        delta = _rel_amount(m.group("ar"), _REL_AR_PART_RE) if m.group("ar") else _rel_amount(m.group("en"), _REL_EN_PART_RE)
        if delta is None:
            return None
        if delta >= timedelta(days=1):  # "منذ يومين": a day, not a time of day
            day = shift(now, -delta).astimezone(tz or UTC).date()
            return DateValue(datetime(day.year, day.month, day.day), False, False)
        return DateValue(shift(now, -delta), True, True)
    if _REL_NOW.fullmatch(text):
        return DateValue(now, True, True)
    if (m := _REL_DAY.fullmatch(text)) is not None:
        word = re.sub(r"\s+", " ", m.group("day").lower())
        back = _REL_DAYS_BACK.get(word, 2)
        day = (now.astimezone(tz or UTC) - timedelta(days=back)).date()
        t = None
        if m.group("time"):
            tm = _TIME.fullmatch(m.group("time").strip())
            t = _time_in(tm.group(0)) if tm else None
            if t is None:
                return None  # something else follows the word: not a stamp
        elif back == 0:
            return None  # "اليوم" alone is a word, not a date line
        if t is None:
            return DateValue(datetime(day.year, day.month, day.day), False, False)
        value = DateValue(datetime(day.year, day.month, day.day, *t), True, False)
        return value if value.instant(tz) <= now + timedelta(minutes=5) else None  # "today" at a later hour: no
    if (m := _REL_NO_YEAR.fullmatch(text)) is not None:
        t = None
        if m.group("time"):
            tm = _TIME.fullmatch(m.group("time").strip())
            if tm is None or (t := _time_in(tm.group(0))) is None:
                return None
        day, month = int(m.group("d") or m.group("d2")), _MONTH_OF[_fold(m.group("m") or m.group("m2"))]
        local = now.astimezone(tz or UTC)
        for year in (local.year, local.year - 1):
            when = _mk(year, month, day, *(t or (0, 0, 0)))
            if when is not None and when.date() <= local.date() + FUTURE_TOLERANCE:  # tomorrow's edition
                value = DateValue(when, t is not None, False)
                return value if t is None or value.instant(tz) <= now + timedelta(minutes=5) else None
        return None
    return None


def parse_relative(raw: str | None, now: datetime, tz: ZoneInfo | None = None) -> DateValue | None:
    """A relative stamp ("منذ 3 ساعات", "أمس 10:30", "2 hours ago", or a day without its year: "الأحد 6
    ديسمبر 10:30") read against `now`, the moment the page or feed was fetched: an instant for seconds to
    hours ago, a day in the outlet's zone `tz` for days ago or "أمس" without a time, a local wall time
    for "اليوم/أمس" or a yearless day with one. The whole line, or one
    of its parts between separators ("كتب: فلان | منذ ساعتين"), must be the stamp; None otherwise."""
    if not raw or not isinstance(raw, str) or len(raw) > 200:
        return None
    now = to_utc(now)
    text = " ".join(fold_letters(strip_marks(normalize(raw)), persian=True).split()).strip(" .:-|")
    pieces = [p.strip(" .:") for p in _REL_PIECES.split(text) if p.strip(" .:")]
    pairs = [f"{a} {b}" for a, b in zip(pieces, pieces[1:], strict=False)]
    for piece in [text, *pairs, *pieces]:
        value = _relative_piece(piece, now, tz)
        if value is not None:
            return value
    return None


def parse_instant(raw: str | None, tz: ZoneInfo | None = None, now: datetime | None = None) -> datetime | None:
    """A plausible UTC instant from a date string; naive wall times read in `tz` (else UTC)."""
    value = parse_text(raw, now)
    return plausible(value.instant(tz), now) if value else None


# --- resolving a page's publication time ------------------------------------------------------------

# Publication meta keys of the CMSs and analytics tags news sites carry (Open Graph, Dublin Core,
# schema.org microdata on <meta>, Sailthru, Parse.ly, cXense, WebTrends, Reuters/AP-style pub_date…),
# specific ones first. The generic keys (`_META_WEAK`) count only when no date line printed on the
# page shows an earlier day: some CMSs fill "date" with the issue date, the last edit or the day
# the page was generated/cached.
_META_KEYS = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
              "article:published", "og:article:published", "article:published_date", "article:post_date",
              "article:publicationdate", "og:pubdate", "og:publish_date", "og:datepublished", "rnews:datepublished",
              "publishdate", "publish-date", "publish_date", "publish_time", "publishtime", "pubdate", "pub_date",
              "ptime", "pdate", "published_time", "published-date", "published_date", "publisheddate", "published_at",
              "publication_date", "date_published", "dc.date.issued", "dcterms.issued", "dc.date.publication",
              "citation_publication_date", "originalpublicationdate",
              "cxenseparse:recs:publishtime", "cxenseparse:publishtime", "sailthru.date", "parsely-pub-date",
              "article.published", "article_date_original", "dc.date.created", "dcterms.created", "dc.created",
              "dc:created", "datecreated", "date_created", "date.created", "content_create_date",
              "article.created", "dateposted")  # fmt: skip
_META_WEAK = ("date", "dc.date", "created")
# Containers whose dates are not the article's: page chrome, sidebars, lists of other stories.
_CHROME_TAGS = {"header", "nav", "footer", "aside"}
_CHROME_TOKENS = {
    "header", "footer", "nav", "navbar", "menu", "sidebar", "side", "widget", "related", "mostread", "popular",
    "trending", "ticker", "breaking", "comment", "comments", "topbar", "masthead", "weather", "prayer",
    "recommended", "readmore", "more", "latest", "list", "teaser", "card", "slider", "carousel", "respond",
    "reply", "replies", "disqus", "today",
}  # fmt: skip
_DATE_TOKENS = {"date", "time", "published", "publish", "pubdate", "posted", "timestamp", "datetime", "meta",
                "info", "byline", "dateline", "article"}  # fmt: skip
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_URL_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)|(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)"
                       # year/section/month/day ("/2013/middle_east/8/3/")
                       r"|/(20\d\d|19\d\d)/[a-z_-]+/(\d{1,2})/(\d{1,2})/"
                       # a serial id that opens with its day ("/202001031043952340-…", RIA/Sputnik)
                       r"|/(20\d\d)(\d\d)(\d\d)\d{8,}(?=[-/._]|$)")
# A Solar Hijri day in an Iranian outlet's URL: year/month/day (Tasnim "/ar/news/1405/09/16/3456789/…"), or a serial
# id that opens with it (Fars "/news/14050916000123/…", 14 digits; ISNA "/news/1405091618478/…", 13); read as numeric
# Solar dates are (`_numeric_solar`)
SOLAR_ZONES = frozenset({"Asia/Tehran", "Asia/Kabul"})  # the countries whose civil calendar is the Solar Hijri
_URL_SOLAR = re.compile(r"/(1[34]\d\d)/(\d{1,2})/(\d{1,2})(?=/)|/(1[34]\d\d)(\d\d)(\d\d)\d{5,6}(?=[-/._]|$)")
VISIBLE_WINDOW = 40  # elements after the headline searched for the date line
# A date printed after these words is when the page was last changed, not when it was published.
# Matched on the line without its short vowels ("عُدّل في" is "عدل في"): "آخر تحديث", "آخر تعديل",
# "تاريخ التعديل", "تم التحديث", "تم تحديثه", "التحديث الأخير", "تحديث:", "تحديث 07/12/2026", "محدثة",
# "عدل في", "حدث في" / "حدث:" (حُدِّث, "updated"), "Updated", "Last update", "Last modified", "Mis à jour".
_UPDATED = re.compile(r"(?:آخر|اخر)\s+(?:تحديث|تعديل)|تم\s+(?:ال)?(?:تحديث|تعديل)ه?|(?:تحديث|تعديل)\s*:|تاريخ\s+ال(?:تحديث|تعديل)"
                      r"|ال(?:تحديث|تعديل)\s+ال(?:أ|ا)خير"
                      rf"|محدث(?:ة)?\b|\(?محدثة|(?<![{_AR}])(?:عدل|حدث)\s*(?:في|:|بتاريخ)(?![{_AR}])"
                      rf"|(?<![{_AR}])(?:تحديث|تعديل)(?=\s*\d)"
                      r"|\bupdated\b|\blast\s+update\b|\b(?:last\s+)?modified\b|\bmis\s+à\s+jour\b|\bmodifié\b", re.I)
_PUBLISHED = re.compile(rf"(?<![{_AR}])(?:(?:ال)?نشر|نشرت|منشور|(?:أ|ا)ضيف|ال(?:إ|ا)ضافة)(?![{_AR}])"
                        r"|\b(?:published|posted|publié)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    kind: str  # jsonld | meta | time | visible | url | feed
    value: DateValue
    raw: str


@dataclass(frozen=True)
class Resolved:
    published_at: datetime | None  # aware UTC
    source: str | None  # the evidence kind that gave the instant (see module doc)
    note: str = ""  # zone decisions, for audit


def _tokens(el) -> set[str]:
    raw = " ".join(el.get(a, "") or "" for a in ("class", "id"))
    return {t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t}


def _in_chrome(el, head=None) -> bool:
    """Inside page chrome: nav/aside anywhere, header/footer outside the article, or a block whose
    class names a sidebar, list, ticker, "most read" box… A block that also holds the headline
    (`head`) is the article's own header ("articleHeader", "post-header"), never chrome."""
    in_article = any(isinstance(a.tag, str) and a.tag in ("article", "main") for a in el.iterancestors())
    holders = set(head.iterancestors()) if head is not None else set()
    for anc in el.iterancestors():
        if not isinstance(anc.tag, str) or anc.tag in ("html", "body", "article", "main") or anc in holders:
            continue
        if anc.tag in ("nav", "aside") or (anc.tag in ("header", "footer") and not in_article):
            return True
        if (anc.get("role") or "").lower() in ("banner", "navigation", "complementary"):
            return True
        tokens = _tokens(anc)
        if tokens & _CHROME_TOKENS or any(_COMMENTS.search(t) for t in tokens):
            return True
    return False


# "commentlist", "commentbox", "wpdcomment": readers' comments ("commentary" is an opinion column)
_COMMENTS = re.compile(r"comment(?!a[rt])")
TEASER_CHARS = 300  # the most text a teaser of another story carries (headline, date, a line of summary)


def _in_teaser(el, head=None) -> bool:
    """Inside a teaser of another story whatever its classes say ("similar-news", "also-read", "most-viewed"
    lists, cards): a small block around `el`, not holding the headline `head`, whose text is for a quarter
    or more a link to a story by its headline (see `_story_link`; a link inside a short story's own text
    is less). Its date is that story's."""
    holders = set(head.iterancestors()) if head is not None else set()
    for anc in el.iterancestors():
        if not isinstance(anc.tag, str) or anc.tag in ("html", "body") or anc is head or anc in holders:
            return False
        size = _size_within(anc, TEASER_CHARS)
        if size is None:
            return False
        if any(_story_link(a) and 4 * len("".join(a.itertext()).strip()) >= size and not _in_running_text(a)
               for a in anc.iter("a")):
            return True
    return False


def _size_within(el, limit: int) -> int | None:
    """The length of `el`'s text with its spaces collapsed (its pieces run together) when at most `limit`, else
    None; a big block is read only until its letters pass `limit` (per element of a long page, not the page)."""
    pieces, solid = [], 0
    for piece in el.itertext():
        pieces.append(piece)
        solid += len("".join(piece.split()))
        if solid > limit:
            return None
    size = len(" ".join("".join(pieces).split()))
    return size if size <= limit else None


def _in_running_text(link) -> bool:
    """A link inside a sentence ("…قال <a>…</a> إن…"): the bare text around it in its parent holds three
    words or more besides dates and a date line's words (a teaser's headline link stands alone)."""
    parent = link.getparent()
    if parent is None:
        return False
    bare = " ".join([parent.text or "", *(child.tail or "" for child in parent)])
    rest = _LINE_WORDS.sub(" ", re.sub(r"\S*\d\S*", " ", strip_marks(normalize(bare))))
    return len(re.findall(rf"[{_AR}A-Za-z]{{2,}}", rest)) >= 3


def _headline(root, title: str | None):
    h1s = [h for h in root.iter("h1") if "".join(h.itertext()).strip()]
    if title:
        key = " ".join(title.split())
        for h in h1s:
            text = " ".join("".join(h.itertext()).split())
            if text and (text in key or key in text):
                return h
    for h in h1s:
        if not _in_chrome(h):
            return h
    if not title:
        return None
    key = " ".join(title.split())
    # no <h1> outside the page's chrome: the element printing exactly the headline (K2's h2.itemTitle
    # in its "itemHeader", Blogger's h3), not a teaser of the same story in a list or a sidebar
    for h in root.iter("h2", "h3", "h4", "div", "span", "td", "p"):
        if " ".join("".join(h.itertext()).split()) != key:
            continue
        if not any(isinstance(a.tag, str) and (a.tag in ("nav", "aside", "footer") or
                                                _tokens(a) & (_CHROME_TOKENS - {"header", "masthead"}))
                   for a in h.iterancestors()):
            return h
    if h1s:
        return None
    # no <h1> at all (table layouts of older CMSs: <span class="NewsTitle">): the block that prints the title
    for el in root.iter("span", "div", "td", "h2", "h3", "p", "strong", "b", "font"):
        text = " ".join("".join(el.itertext()).split())
        if text and len(text) <= 2 * len(key) + 20 and key in text and not _in_chrome(el):
            return el
    return None


def _published_part(text: str) -> str:
    """The part of a date line that dates the publication. "نشر 12 مارس 2020 - آخر تحديث 13 مارس":
    what precedes the update words; "آخر تحديث: 13 مارس 2020 | نشر في: 12 مارس 2020": what follows
    the publication words; "الأربعاء، 28 آب 2013، آخر تحديث 14:00": nothing (the update words
    carry only a time, so the day printed before them is the update's day too)."""
    parts = _UPDATED.split(strip_marks(text), maxsplit=1)
    if len(parts) == 1:
        return text
    head, tail = parts[0], parts[1]
    published = _PUBLISHED.search(tail)
    head_value = parse_text(head)
    if published is not None and head_value is None:
        return _published_part(tail[published.end():])
    if head_value is None and (after := _after_update(tail)) is not None:
        return after
    tail_value = parse_text(tail)
    if tail_value is None and _TIME.search(normalize(tail)) and not (head_value is not None and head_value.has_time):
        return ""  # the day before a time-only update is the update's; a day with its own time is the story's
    return head.strip()


_LINE_PIECES = re.compile(r"\s*[|•·\n]\s*")


def _after_update(tail: str) -> str | None:
    """The publication on a line that prints the update first and then, past a separator, another date with
    no label ("آخر تحديث: 5 ديسمبر 2026 - 10:30 | 5 ديسمبر 2026 - 09:00"): the first piece after the update's
    own that prints a date in the update's calendar and not after it; None when no piece does."""
    pieces = [p for p in _LINE_PIECES.split(tail) if p.strip()]
    update = parse_text(pieces[0]) if len(pieces) >= 2 else None
    if update is None:
        return None
    for piece in pieces[1:]:
        value = parse_text(piece)
        if value is None or (value.hijri, value.solar) != (update.hijri, update.solar):
            continue  # the update's own day in another calendar ("آخر تحديث: 5 ديسمبر 2026 | 14 جمادى الآخرة 1448")
        if value.wall() > update.wall():
            continue  # later than the update: not the publication (a "today" strip)
        return piece.strip()
    return None


def _visible(root, title: str | None, fetched: datetime | None = None, tz: ZoneInfo | None = None) -> list[Candidate]:
    """The date line next to the headline: the first short block after the <h1> (on a page with
    none, the element printing the headline) that parses. With `fetched` (when the page was fetched),
    the first block that is a relative stamp ("منذ 3 ساعات") is a ``relative`` candidate too, read
    against that moment; the search goes on for a date line that prints a date."""
    head = _headline(root, title)
    if head is None:
        return []
    out: list[Candidate] = []
    relative: list[Candidate] = []
    hijri_seen = False  # a Hijri-only line was found: kept unless a Gregorian line follows within the window
    for el, _ in _line_blocks(root, head):
        text = " ".join(_text_without_updates(el).split())
        text = _published_part(text)
        value = parse_text(text, fetched) if text else None
        if value is None and fetched is not None and not relative and text and not _prose(el, text) \
                and (stamp := parse_relative(text, fetched, tz)) is not None and not _in_teaser(el, head):
            relative.append(Candidate("relative", stamp, text))
        if value is None or _prose(el, text) or _in_teaser(el, head):  # a related story's own date line
            continue
        if value.converted or (fetched is not None and _today_strip(value, fetched, tz)):
            # "26 جمادى الآخرة 1448 هـ", "16 آذر 1405" in its own block, or a day printed in both calendars without a
            # time on the fetch's day (a masthead's "today"): a Gregorian line below it (its other half, or the
            # story's own under the "today" strip) wins, searched as far as any date line
            if not hijri_seen:
                out, hijri_seen = [Candidate("visible", value, text)], True
            continue
        out = [Candidate("visible", value, text)]
        break
    # The line can also sit just before the headline (kicker/date above the title).
    if not out:
        prev = _before_headline(head)
        blocks = [prev] if prev is not None else []
        if prev is not None and _breadcrumb(prev) and not _tokens(prev) & _CHROME_TOKENS:  # date, breadcrumb, headline
            further = _previous_block(prev)  # never a bar the page's chrome names so ("top-date", "today")
            blocks += [further] if further is not None and not _tokens(further) & _CHROME_TOKENS else []
        for el in blocks:
            if el is None or _in_chrome(el, head) or _not_a_date_line(el):
                continue
            text = _line_text(el)
            if text and len(text) <= 120 and (value := parse_text(text, fetched)) is not None:
                out.append(Candidate("visible", value, text))
                break
            if text and fetched is not None and not relative and (stamp := parse_relative(text, fetched, tz)):
                relative.append(Candidate("relative", stamp, text))
    if not out:
        out += _trailing_line(root, head, fetched)
    return out + relative


def _line_blocks(root, head):
    """(element, text) of the short blocks after the headline `head` that may be its date line: within
    VISIBLE_WINDOW elements, before the body starts (a paragraph of more than 150 characters), outside page
    chrome, not marked as the last update, not a caption, teaser or byline (`_not_a_date_line`)."""
    started, seen = False, 0
    for el in root.iter():
        if el is head:
            started = True
            continue
        if not started or not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            continue
        seen += 1
        if seen > VISIBLE_WINDOW:
            return
        text = _line_text(el)
        if el.tag == "p" and len(text) > 150:
            return  # the body has started: a date further down is not the date line
        if not text or len(text) > 120 or len(el) > 6 or _in_chrome(el, head) or _marks_update(el):
            continue
        if not _not_a_date_line(el):
            yield el, text


def _previous_block(el):
    prev = el.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or prev.tag in ("script", "style", "noscript")
                                or not "".join(prev.itertext()).strip()):
        prev = prev.getprevious()
    return prev


def _breadcrumb(el) -> bool:
    """A breadcrumb or section trail ("الرئيسية > سياسة"): so named in its classes/aria-label, or a short
    block whose text is all links."""
    if any(t.startswith(("breadcrumb", "crumb")) for t in _tokens(el)) \
            or "breadcrumb" in (el.get("aria-label") or "").lower():
        return True
    text = " ".join("".join(el.itertext()).split())
    links = sum(len(" ".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return 0 < len(text) <= 80 and links > 0 and len(re.sub(r"[\s>»/|›«<-]+", "", text)) <= links + 2


TRAILING_WINDOW = 100  # elements after the story's last paragraph searched for a trailing date line
_STORY_PARAGRAPH = 150  # characters: a paragraph of the story (as `_visible` knows the body has started)


def _following(el, *tags: str):
    """The elements after `el` in document order (not its descendants nor ancestors), lazily: an XPath
    following:: axis is built whole before any predicate stops it (a 2 MB page's 80,000 elements)."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from (e for e in sibling.iter(*tags) if isinstance(e.tag, str))
        node = node.getparent()


def _story_end(head):
    """The story's last paragraph: the last <p> of `_STORY_PARAGRAPH` characters or more in the block that
    holds the headline and the story's first such paragraph (its <article>, its content <div>; when that is
    the page's <body>, the first paragraph's own block), before any comments or list the block carries (page
    chrome); None when no such paragraph follows the headline."""
    first = next((p for p in _following(head, "p") if _size_within(p, _STORY_PARAGRAPH) is None), None)
    if first is None:
        return None
    holders = set(head.iterancestors())
    block = next((a for a in first.iterancestors() if a in holders), None)
    if block is None or block.tag in ("body", "html"):
        block = first.getparent()
    last, started = first, False
    for p in block.iter("p"):
        started = started or p is first
        if not started:
            continue
        if _in_chrome(p, head):  # the comments or a "related" list inside the story's block: the story has ended
            break
        if _size_within(p, _STORY_PARAGRAPH) is None:
            last = p
    return last


def _trailing_line(root, head, fetched: datetime | None = None) -> list[Candidate]:
    """The date line some templates print after the story ("نشر بتاريخ: 6 ديسمبر 2026 10:30", after
    </article> or as the body's last line): the first short block after the story's last paragraph (or, with
    none, after the headline), within TRAILING_WINDOW elements, outside chrome, teasers and captions, that a
    publication label opens and that parses. Bounded: the comments and listings of a long page are not read."""
    start = _story_end(head)
    labelled: dict[str, bool] = {}  # nested wrappers print the same text: each text is read once
    for el in islice(_following(start if start is not None else head), TRAILING_WINDOW):
        if el.tag in ("script", "style", "noscript") or len(el) > 6 or _size_within(el, 120) is None:
            continue
        text = _line_text(el)
        if not text or len(text) > 120:
            continue
        if text not in labelled:
            labelled[text] = (label := _PUBLISHED.search(strip_marks(normalize(text)))) is not None and label.start() <= 20
        if not labelled[text]:
            continue
        if _in_chrome(el, head) or _marks_update(el) or _not_a_date_line(el) or _in_teaser(el, head):
            continue
        text = _published_part(" ".join(_text_without_updates(el).split()))
        if text and (value := parse_text(text, fetched)) is not None and not _prose(el, text):
            return [Candidate("visible", value, text)]
    return []


def _line_text(el) -> str:
    """The text of a date line with its pieces set apart: a <br> or adjacent <span>s separate the date from
    the time ("الأحد 6 ديسمبر 2026<br>10:30 ص", "<span>06/12/2026</span><span>10:30</span>"); run together
    they read "202610:30"."""
    return " ".join(" ".join(el.itertext()).split())


def _before_headline(head):
    """The block printed just before the headline: its previous element with text, or, when the headline
    sits alone in a wrapper (<div class="title"><h1>…</h1></div>), the wrapper's (up to three levels; never
    beyond the article)."""
    key = " ".join("".join(head.itertext()).split())
    node = head
    for _ in range(4):
        prev = node.getprevious()
        while prev is not None and (not isinstance(prev.tag, str) or prev.tag in ("script", "style", "noscript")
                                    or not "".join(prev.itertext()).strip()):
            prev = prev.getprevious()  # comments, scripts, images and empty spacers
        if prev is not None:
            return prev
        node = node.getparent()
        if node is None or node.tag in ("article", "main", "body", "html") \
                or " ".join("".join(node.itertext()).split()) != key:
            return None
    return None


_CAPTION_TOKENS = {"caption", "figcaption", "credit", "captions"}
_WEEKDAYS = ("الأحد", "الاحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت")
# Words a date line carries besides the date: labels, weekdays, "AD"/"AH", time-of-day words, zone names.
_LINE_WORDS = re.compile(
    rf"(?<![{_AR}A-Za-z])(?:(?:و?نشر|نشرت|النشر|تاريخ|بتاريخ|في|يوم|اليوم|الساعة|الموافق|آخر|اخر|تحديث|م|هـ|ه|ص|"
    rf"بواسطة|كتب|كتبت|بقلم|by|on|posted|published|"
    rf"مساء[اً]*|صباحا[اً]*|ب?توقيت|{'|'.join(_WEEKDAYS)}|{'|'.join(re.escape(c) for c in _NAMED_ZONES)}|{_GMT_WORDS}|{MONTH_WORDS}))"
    rf"(?![{_AR}A-Za-z])",
    re.I,
)


# Links a date line carries that are not another story: the author's page, a section, a tag.
_NOT_A_STORY_LINK = re.compile(r"author|writer|kuttab|kotab|columnist|opinion-writer|profile|/users?/|tags?[/=]|categor|"
                               r"section|topic|byline|كاتب|كتاب", re.I)


def _story_link(node) -> bool:
    """A link whose own text is a headline: another story, not an author's, section's or tag's page."""
    return (node.tag == "a" and len(link := " ".join("".join(node.itertext()).split())) >= 25
            and parse_text(link) is None and not _NOT_A_STORY_LINK.search(
                " ".join([unquote(node.get("href") or ""), node.get("class") or "", node.get("rel") or "",
                          (node.getparent().get("class") or "") if node.getparent() is not None else ""])))


def _not_a_date_line(el) -> bool:
    """A block that is (or holds) a photo caption, or a teaser of another story: a link whose own text is
    a headline, not an author's, section's or tag's page (a date in it is that photo's or that story's)."""
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("figure", "figcaption") or _tokens(node) & _CAPTION_TOKENS:
            return True
        if _story_link(node):
            return True
    return any(isinstance(a.tag, str) and (a.tag in ("figure", "figcaption") or _tokens(a) & _CAPTION_TOKENS)
               for a in el.iterancestors())


def _prose(el, text: str) -> bool:
    """A deck or lead sentence under the headline that mentions a date ("أعلنت الوزارة يوم 3 نوفمبر 2026
    عن خطة…", "القمة تنعقد في 12 ديسمبر 2026 بالرياض"): a paragraph or subheading that ends as a sentence
    or runs on with five words or more besides the date, its labels, weekday and time (eight when
    separators set its parts apart, as in a byline). Its date is the event's."""
    if el.tag not in ("p", "h2", "h3", "h4", "h5", "h6"):
        return False
    plain = strip_marks(normalize(text))
    if re.search(rf"[{_AR}A-Za-z]\s*[.!?؟]\s*$", plain):
        return True
    rest = _LINE_WORDS.sub(" ", re.sub(r"\S*\d\S*", " ", plain))
    words = len(re.findall(rf"[{_AR}A-Za-z]{{2,}}", rest))
    # a byline's parts are set apart ("كتب: فلان - القاهرة - 5 نوفمبر 2026"); a sentence runs on
    return words >= (8 if re.search(r"[-|:–—·•]", plain) else 5)


_MODIFIED_TOKENS = {"modified", "lastmod", "edited"}
_PUBLISH_TOKENS = {"published", "publish", "pubdate", "posted", "created"}


def _marks_publication(el) -> bool:
    return isinstance(el.tag, str) and ((el.get("itemprop") or "").lower() == "datepublished"
                                        or el.get("pubdate") is not None or bool(_tokens(el) & _PUBLISH_TOKENS))


def _marks_update(el) -> bool:
    """An element its markup or its label gives as the last update, not the publication: itemprop
    dateModified, class "modified-date"/"date-modified", class "updated" beside a sibling marked as
    the publication (GeneratePress prints <time class="updated"> before <time class="entry-date
    published">; alone, "updated" is hAtom's name for the publication date: tagDiv's "entry-date
    updated td-module-date"), or "آخر تحديث:" printed just before it."""
    if el is None or not isinstance(el.tag, str):
        return False
    prop = (el.get("itemprop") or "").lower()
    if prop == "datemodified":
        return True
    if _marks_publication(el):
        return False
    tokens = _tokens(el)
    if tokens & _MODIFIED_TOKENS:
        return True
    parent = el.getparent()
    if tokens & {"updated", "update"} and parent is not None and any(s is not el and _marks_publication(s) for s in parent):
        return True
    # the label printed right before it: the text after the previous sibling, a previous sibling that is only
    # a label (<span>آخر تحديث:</span><time>…), or the parent's opening text
    prev, label = el.getprevious(), ""
    if prev is not None:
        label = prev.tail or ""
        if not label.strip() and isinstance(prev.tag, str):
            label = "" if re.search(r"\d", own := "".join(prev.itertext())) else own
    elif el.getparent() is not None:
        label = el.getparent().text or ""
    return bool(label.strip()) and _UPDATED.search(strip_marks(label[-40:])) is not None


def _text_without_updates(el) -> str:
    """The text of `el` without the parts marked as the last update (see `_marks_update`)."""
    out = [el.text or ""] if isinstance(el.tag, str) else []
    for child in el:
        if isinstance(child.tag, str) and not _marks_update(child):
            out.append(_text_without_updates(child))
        out.append(child.tail or "")
    return " ".join(out)  # "الأحد 6 ديسمبر 2026<br>10:30 ص": pieces apart


def _article_times(root, title: str | None = None, fetched: datetime | None = None) -> list[Candidate]:
    """The first <time datetime> of the article (a <header> that holds the headline is the article's own,
    not page chrome), and the first itemprop datePublished outside <meta>."""
    out: list[Candidate] = []
    head = _headline(root, title) if title else None
    # the <article>/<main> that holds the headline: a <time> outside it (a site bar's "today") is not the story's
    box = next((a for a in head.iterancestors() if a.tag in ("article", "main")), None) if head is not None else None
    # without such a wrapper, a <time> printed before the headline is a site bar's "today" (<div class="site-date">)
    # unless it is in the block just above the headline (the story's own date line printed over its title)
    above = _preceding(root, head) if box is None and head is not None else set()
    line = _before_headline(head) if above else None
    header_sizes: dict = {}  # the blocks `_same_header` measured: every <time> above shares one
    for t in (box if box is not None else root).iter("time"):
        raw = t.get("datetime") or ""
        if not raw.strip() or _in_chrome(t, head) or _in_teaser(t, head) or _marks_update(t) \
                or _marks_update(t.getparent()) or _in_prose(t):
            continue
        if t in above and not (line is not None and (t is line or line in set(t.iterancestors()))) \
                and not _same_header(t, head, header_sizes):
            continue
        value = parse_text(raw, fetched)
        if value is not None and not value.has_zone:  # <time datetime="…T17:27">GMT 17:27</time>
            shown = parse_text(_line_text(t), fetched)
            if shown is not None and shown.has_zone and _same_wall(shown.wall(), value.wall()):
                value = DateValue(value.when.replace(tzinfo=shown.when.tzinfo), value.has_time, True, shown.utc_label)
        if value is not None:
            out.append(Candidate("time", value, raw))
            break
    for el in root.xpath("descendant-or-self::*[@itemprop]"):  # a few elements, not every one in Python
        # not read as chrome: Blogger prints the article's in its "post-footer"
        if (el.get("itemprop") or "").lower() != "datepublished" or el.tag == "meta" or _in_teaser(el, head):
            continue
        # <abbr itemprop="datePublished" title="2026-11-05T10:30:00+03:00">10:30 ص</abbr> (Blogger)
        raw = el.get("content") or el.get("datetime") or (el.get("title") if el.tag == "abbr" else None) \
            or _line_text(el)
        value = parse_text(raw, fetched)
        if value is not None:
            out.append(Candidate("time", value, raw))
            break
    if not out:
        out += _stamp_attributes(box if box is not None else root, head, fetched)
    return out


def _same_header(el, head, sizes: dict) -> bool:
    """`el` and the headline share a small block (the story's header: date, category, title), not the page;
    `sizes` keeps the blocks measured for the page."""
    holders = set(head.iterancestors())
    common = next((a for a in el.iterancestors() if a in holders), None)
    if common is None or common.tag in ("body", "html"):
        return False
    if common not in sizes:
        sizes[common] = _size_within(common, TEASER_CHARS)
    return sizes[common] is not None


def _preceding(root, head) -> set:
    """The elements before `head` in document order (not its ancestors)."""
    out = set()
    ancestors = set(head.iterancestors())
    for el in root.iter():
        if el is head:
            break
        if el not in ancestors:
            out.add(el)
    return out


def _in_prose(el) -> bool:
    """Inside a sentence of the story ("أعلنت الحكومة في <time>3 أكتوبر</time> الماضي عن خطة…"): the
    paragraph or subheading around it is prose (see `_prose`); the date is the event's."""
    block = next((a for a in el.iterancestors() if a.tag in ("p", "h2", "h3", "h4", "h5", "h6")), None)
    return block is not None and _prose(block, _line_text(block))


_STAMP_ATTRS = ("title", "data-livestamp", "data-timestamp", "data-time", "data-date", "data-datetime")
_STAMP_WORDS = re.compile(r"منذ|قبل|أمس|امس|اليوم|الآن|ago|now|yesterday|today", re.I)


def _stamp_attributes(scope, head, fetched: datetime | None = None) -> list[Candidate]:
    """The instant behind a stamp a script prints ("منذ 3 ساعات", jQuery timeago, livestamp, moment):
    <abbr class="timeago" title="2026-12-06T10:30:00+03:00">, <span data-timestamp="1796542200">. Only on
    an element that prints a relative stamp or a date, outside chrome and teasers; a full time is needed."""
    path = ("descendant-or-self::*[contains(@class,'timeago') or contains(@class,'livestamp') or "
            "contains(@class,'time-ago') or contains(@class,'timeAgo') or @data-livestamp or @data-timestamp or "
            "@data-time or @data-date or @data-datetime]")
    for el in scope.xpath(path):
        text = _line_text(el)
        if not text or len(text) > 80 or not (_STAMP_WORDS.search(text) or parse_text(text)):
            continue
        if _in_chrome(el, head) or _in_teaser(el, head) or _marks_update(el):
            continue
        for attr in _STAMP_ATTRS:
            raw = el.get(attr)
            if raw and (value := parse_structured(raw.strip(), fetched)) is not None and value.has_time:
                return [Candidate("time", value, raw)]
    return []


def _query_date(query: str) -> tuple[datetime, str] | None:
    """A day in a date-named query parameter ('view.aspx?cdate=11022020&id=…', shorouknews): the value is
    year-first when it opens with a year (20200211, 2020-02-11), else day-first as Arab outlets write dates
    (11022020 = 11 Feb 2020). Only parameters whose name holds 'date'; ids and page numbers never count."""
    from urllib.parse import parse_qsl

    for name, value in parse_qsl(query):
        if "date" not in name.lower():
            continue
        digits = re.sub(r"[-/._]", "", value.strip().translate(_DIGITS))
        if not re.fullmatch(r"\d{8}", digits):
            continue
        if re.match(r"(?:19|20)\d\d", digits):
            y, mo, d = digits[:4], digits[4:6], digits[6:]
        else:
            d, mo, y = digits[:2], digits[2:4], digits[4:]
        day = _mk(int(y), int(mo), int(d))
        if day is not None:
            return day, f"{name}={value}"
    return None


def _url_candidates(urls: list[str], fetched: datetime | None = None, tz: ZoneInfo | None = None) -> list[Candidate]:
    """The day in the article's own URL (module doc, kind ``url``). A Solar Hijri one only on an outlet of a country
    that keeps that calendar (`tz`: Iran's, Afghanistan's; or unknown): elsewhere "/1399/10/12/" or a 14-digit id is
    a number of the CMS, not a day. ISNA's 13-digit id on an outlet of unknown country only on an .ir/.af host: 13
    digits opening 13/14 are also a Unix time in milliseconds (2011-2017: "/1404072918478" is 29 June 2014 there). `fetched` for its year rule (`_numeric_solar`)."""
    from urllib.parse import unquote

    from tasks.urls import split_url

    for url in urls:
        if not url:
            continue
        parts = split_url(url)
        if parts is None:  # og:url and the like can be any string ("http://[x"): no evidence
            continue
        path = unquote(parts.path).translate(_DIGITS)  # "/٢٠٢٦/١٢/٠٦/": Arabic-Indic digits, raw or percent-encoded
        for m in _URL_DATE.finditer(path):
            groups = [g for g in m.groups() if g is not None]
            y, mo, d = groups[0], groups[1], groups[2]
            day = _mk(int(y), int(mo), int(d))
            if day is not None:
                return [Candidate("url", DateValue(day, False, False), m.group(0))]
        for m in _URL_SOLAR.finditer(path) if tz is None or tz.key in SOLAR_ZONES else ():
            if tz is None and len(m.group(0)) == 14 and not (parts.hostname or "").endswith((".ir", ".af")):
                continue  # a 13-digit id of an outlet of no known country: as likely a Unix time in ms (1404072918478)
            y, mo, d = (int(g) for g in m.groups() if g is not None)
            if (day_of := _numeric_solar(y, mo, d, "", fetched)) is not None:  # an exact day: no sighting to doubt
                return [Candidate("url", DateValue(datetime(day_of.year, day_of.month, day_of.day), False, False), m.group(0))]
        found = _query_date(parts.query)
        if found is not None:
            return [Candidate("url", DateValue(found[0], False, False), found[1])]
    return []


def parse_structured(raw: object, now: datetime | None = None) -> DateValue | None:
    """A date from markup meant for machines (JSON-LD, meta tags): what `parse_text` reads, a Unix time
    in seconds or milliseconds (1793874600, "1793874600000"), a compact day or day and time ("20261206",
    "20261206103000", a wall time), or the first of a list of dates. Never used
    on printed text, where ten digits are an id or a phone number."""
    if isinstance(raw, list):
        return next((v for v in (parse_structured(r, now) for r in raw[:3]) if v is not None), None)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    text = normalize(str(raw).strip())
    if isinstance(raw, str) and (value := parse_text(raw, now)) is not None:
        return value
    if (compact := re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:(\d\d)(\d\d)(\d\d))?", text)) is not None:
        # "20261206", "20261206103000" (pdate/ptime-style meta): the outlet's wall time
        parts = [int(g) for g in compact.groups() if g is not None]
        when = _mk(*parts)
        return DateValue(when, len(parts) > 3, False) if when is not None else None
    if (aspnet := re.fullmatch(r"\\?/Date\((-?\d+)(?:[+-]\d{4})?\)\\?/", text)) is not None:
        text = aspnet.group(1)  # ASP.NET's JSON date "/Date(1733560200000)/": milliseconds since 1970 (UTC; the
        # offset it may carry only says where it was written)
        if not re.fullmatch(r"\d{13}", text):
            return None
    if not re.fullmatch(r"\d{10}(?:\d{3})?(?:\.\d+)?", text):
        return None
    seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
    try:
        return DateValue(datetime.fromtimestamp(seconds, UTC), True, True)
    except (OverflowError, OSError, ValueError):
        return None


def page_candidates(root, meta: dict[str, str], ld: dict, title: str | None, urls: list[str],
                    fetched: datetime | None = None, tz: ZoneInfo | None = None,
                    feed: datetime | None = None) -> list[Candidate]:
    """Every date candidate of a page, in the order of evidence (module doc). `fetched`, the moment the
    page was fetched, lets a relative stamp on the date line count (last of all); `tz` is the outlet's
    zone, for the day a stamp like "أمس" names; `feed`, the feed entry's date, for a generic meta date
    on a later day."""
    out: list[Candidate] = []
    for key in ("datePublished", "dateCreated"):
        raw = ld.get(key)
        if (value := parse_structured(raw, fetched)) is not None:
            out.append(Candidate("jsonld", value, str(raw)))
            break
    visible = None
    for key in _META_KEYS + _META_WEAK:
        raw = meta.get(key)
        if raw and (value := parse_structured(raw, fetched)) is not None:
            if key in _META_WEAK:  # <meta name="date"> on a later day than the printed date line or the day in
                visible = _visible(root, title, fetched, tz)  # the story's URL: an edit, issue or cache date
                days = [c.value.wall().date() for c in [c for c in visible[:1] if c.kind == "visible"] + _url_candidates(urls, fetched, tz)]
                days += [to_utc(feed).astimezone(tz or UTC).date()] if feed is not None else []
                if any(day < value.wall().date() for day in days):
                    break
            out.append(Candidate("meta", value, raw))
            break
    out += _article_times(root, title, fetched)
    visible = visible if visible is not None else _visible(root, title, fetched, tz)
    out += [c for c in visible if c.kind == "visible"]
    url = _url_candidates(urls, fetched, tz)
    if url and not any(c.kind == "visible" for c in visible) and (clock := _clock_line(root, title)) is not None:
        out.append(_on_urls_day(url[0], *clock, fetched=fetched, tz=tz, feed=feed))
    out += url
    return out + [c for c in visible if c.kind == "relative"]


# A date line that prints only the time ("10:45 ص", "نشر في: 22:30", "الساعة 10:45 صباحا", "منذ 10:45 م" is not
# one): outlets whose story URL carries the day print the hour alone under the headline.
_CLOCK_LABEL = re.compile(r"^(?:(?:تاريخ\s+)?(?:ال)?نشر(?:ت)?(?:\s+في)?|منشور|published|posted)?\s*:?\s*"
                          r"(?:(?:على\s+)?(?:ال)?ساع[ةه]\s*:?\s*)?", re.I)


def _clock_line(root, title: str | None) -> tuple[tuple[int, int, int], str] | None:
    """The time of a date line that prints only a time, the first short block after the headline (as
    `_visible` searches, outside chrome, teasers and prose) that is nothing but a time; None when none is."""
    head = _headline(root, title)
    for el, text in _line_blocks(root, head) if head is not None else ():
        if len(text) > 40 or len(el) > 2:
            continue
        line = strip_marks(normalize(text)).strip(" |-–—")
        rest = _CLOCK_LABEL.sub("", line, count=1)
        if (m := _TIME.fullmatch(rest.strip())) is not None and (t := _time_in(m.group(0))) is not None \
                and not _in_teaser(el, head):
            return t, text
    return None


def _on_urls_day(url: Candidate, t: tuple[int, int, int], text: str, fetched: datetime | None = None,
                 tz: ZoneInfo | None = None, feed: datetime | None = None) -> Candidate:
    """A time-only date line read on the day the story's URL names: the outlet's local wall time; on the day
    before when that reading is later than the fetch, or the feed entry names the day before's reading and not
    the URL day's (a print outlet's URL carries the next morning's issue day for a story timed the evening
    before: Al Bayan, Al Khaleej, Al Ahram)."""
    on_day = url.value.wall().replace(hour=t[0], minute=t[1], second=t[2])
    before = on_day - timedelta(days=1)
    near = timedelta(minutes=15)

    def named(wall: datetime) -> bool:
        return feed is not None and abs(DateValue(wall, True, False).instant(tz) - to_utc(feed)) <= near

    later = fetched is not None and DateValue(on_day, True, False).instant(tz) > to_utc(fetched) + timedelta(minutes=5)
    wall = before if later or (named(before) and not named(on_day)) else on_day
    return Candidate("visible", DateValue(wall, True, False), f"{url.raw} {text}")


def _day_order(best: Candidate, usable: list[Candidate], feed: datetime | None, tz: ZoneInfo | None,
               day_first: bool) -> DateValue:
    """A numeric date read month-first for its English AM/PM ("06-12-2026 10:30:00 AM") in the order
    `numeric_order` decides: day first when the page's other evidence (another date, the day in the URL,
    the feed entry) names the day-first day and none the month-first one, or when none names either and
    the outlet writes day first (`day_first`) and the date is not slashed as .NET's en-US default."""
    value = best.value
    if value.day_first is None:
        return value
    other = DateValue(value.day_first, value.has_time, value.has_zone, value.utc_label)
    days = [_local_day(c.value, tz) for c in usable if c is not best and c.value.day_first is None]
    days += [feed.astimezone(tz or UTC).date()] if feed is not None else []
    named = (int(value.day_first.date() in days), int(value.wall().date() in days))
    written = _NUM_DATE.search(normalize(best.raw)) or _NUM_DATE_YY.search(normalize(best.raw))
    slashed = written is None or written.group(2) == "/"
    order = numeric_order([(value.wall().month, value.wall().day)], named, 1, day_first, slashed)
    return other if order == DAY_FIRST else value


def _local_day(value: DateValue, tz: ZoneInfo | None) -> date:
    """The outlet's day a value names: an instant's in the outlet's zone, else the day as written."""
    return value.instant(tz).astimezone(tz or UTC).date() if value.has_zone else value.wall().date()


def _sighted_day(value: DateValue, others: list[Candidate], feed: datetime | None,
                 tz: ZoneInfo | None) -> tuple[DateValue, str]:
    """A day converted from a Hijri date by the Umm al-Qura calendar, on an outlet whose month began a day
    earlier or later (a local sighting: Egypt, the Maghreb, Iraq…): the day a Gregorian date of the page (its
    URL, another line) or the feed entry names, when one day apart, with the Hijri line's time."""
    days = [_local_day(c.value, tz) for c in others if not c.value.hijri]
    days += [feed.astimezone(tz or UTC).date()] if feed is not None else []
    wall = value.wall()
    for day in days:
        if abs((day - wall.date()).days) == 1:
            moved = wall.replace(year=day.year, month=day.month, day=day.day)
            when = moved.replace(tzinfo=value.when.tzinfo) if value.when.tzinfo else moved
            return DateValue(when, value.has_time, value.has_zone, value.utc_label, hijri=True), \
                f"Hijri day moved to {day.isoformat()} (the page's Gregorian evidence)"
    return value, ""


def _url_day_backs(others: list[Candidate], tz: ZoneInfo, reading: datetime, rather_than: datetime) -> bool:
    """Whether the page's URL names the local day of one reading of a time (`reading`) and not of the
    other (`rather_than`): a zoneless time as UTC or as local time, a 'Z' as UTC or as local time."""
    days = {c.value.wall().date() for c in others if c.kind == "url"}
    return reading.astimezone(tz).date() in days and rather_than.astimezone(tz).date() not in days


FEED_WITNESS = timedelta(minutes=15)


def _witnesses(others: list[Candidate], feed: datetime | None, tz: ZoneInfo, reading: datetime,
               rather_than: datetime) -> tuple[int, int]:
    """(for, against): how many of the page's other dates and the feed entry name `reading` and how many
    `rather_than`, two readings of one time on different local days. Only what is not itself in doubt
    counts: a date line printed for readers (the outlet's local time: its time, or, against `reading` only,
    its day when it prints none), a time written with a zone, the feed entry's instant within 15 minutes. A zoneless machine
    value (meta, JSON-LD, <time>) is the same doubt again, and the URL's day is what is being checked."""
    votes = [0, 0]
    days = (reading.astimezone(tz).date(), rather_than.astimezone(tz).date())
    for c in others:
        v = c.value
        if c.kind == "url" or v.converted or not (v.has_zone or c.kind == "visible"):
            continue
        for side, (when, day) in enumerate(zip((reading, rather_than), days, strict=True)):
            # a day printed without a time names only `rather_than`: one naming the URL's day may be the paper's
            # issue line ("العدد 12345 - الثلاثاء 8 ديسمبر 2026"), the URL's evidence again
            if (_same_wall(v.instant(tz), when) if v.has_time else side == 1 and _local_day(v, tz) == day):
                votes[side] += 1
    if feed is not None:
        near = [abs(feed - reading), abs(feed - rather_than)]
        if min(near) <= FEED_WITNESS and near[0] != near[1]:
            votes[near.index(min(near))] += 1
    return votes[0], votes[1]


def _only_witnessed(others: list[Candidate], feed: datetime | None, tz: ZoneInfo, reading: datetime,
                    rather_than: datetime, feed_only: bool = False) -> bool:
    """Whether the evidence not in doubt (`_witnesses`: a printed date line, a zoned time, the feed entry
    within 15 minutes; only the feed entry when `feed_only`) names `reading` of a time and none names
    `rather_than`. A machine value without a zone ("2026-12-05T08:30:00" in JSON-LD) that a CMS wrote in UTC
    shows so beside the line printed for readers ("10:30" in Cairo); a "+00:00" label on a local wall time
    ("10:30:00+00:00") beside the feed entry's other wall time for the same instant ("10:30:00 +0200")."""
    backing, against = _witnesses([] if feed_only else others, feed, tz, reading, rather_than)
    return backing > 0 and not against


def _url_day_reads(others: list[Candidate], feed: datetime | None, tz: ZoneInfo, reading: datetime,
                   rather_than: datetime, alone: bool) -> bool:
    """Whether the URL's day places a time in `reading` rather than `rather_than` (`_url_day_backs`), with
    nothing else of the page or the feed naming `rather_than` (`_witnesses`). A print outlet's URL carries
    the day of the paper's issue (Al Bayan, Al Khaleej, Al Ahram: /2026-12-08/ for a story its CMS timed
    23:30 the evening before), the day after a local evening: for the URL to pull a local time into UTC (a
    later instant, on the next local day east of Greenwich) some other evidence must name that reading too,
    unless `alone`, or the URL's day is the day before the other reading's (west of Greenwich: no edition is
    dated before its text)."""
    if not _url_day_backs(others, tz, reading, rather_than):
        return False
    backing, against = _witnesses(others, feed, tz, reading, rather_than)
    if against:
        return False
    return alone or backing > 0 or reading.astimezone(tz).date() < rather_than.astimezone(tz).date()


def _today_strip(value: DateValue, now: datetime, tz: ZoneInfo | None) -> bool:
    """A day with no time printed in another calendar (alone, or beside its Gregorian day: a masthead prints
    both) that is the fetch's own day (or the next, a zone ahead): what a site's "today" strip prints on every
    page, whatever day its story is of."""
    if value.has_time or not (value.converted or value.dual):
        return False
    local = now.astimezone(tz or UTC).date()
    return 0 <= (value.wall().date() - local).days <= 1


def _same_wall(a: datetime, b: datetime) -> bool:
    return abs(a - b) <= timedelta(minutes=2)


def _calendar_of(value: DateValue, tz: ZoneInfo | None) -> bool:
    """Whether the outlet may date in `value`'s calendar: a Solar Hijri date only on an outlet of Iran or
    Afghanistan (or of no known country). Elsewhere "15 حمل 1405", "3 اسد 1405" are words and numbers that
    look like the Dari months (حمل, ثور, جوزا, سرطان, اسد, … are also common Arabic words)."""
    return not value.solar or tz is None or tz.key in SOLAR_ZONES


def resolve(candidates: list[Candidate], tz: ZoneInfo | None, now: datetime,
            feed: datetime | None = None, day_first: bool = False) -> Resolved:
    """Pick the publication instant from `candidates` (ordered) by the rules in the module doc; `day_first`:
    the outlet writes numeric dates day first (`writes_day_first`)."""
    usable = [c for c in candidates if plausible(c.value.instant(tz), now) is not None and _calendar_of(c.value, tz)]
    relative = [c for c in usable if c.kind == "relative"]  # a stamp counted back from the fetch: last
    usable = [c for c in usable if c.kind != "relative"]
    feed = plausible(feed, now)
    if not usable:
        if feed is None and relative:
            return Resolved(plausible(relative[0].value.instant(tz), now), "relative")
        return Resolved(feed, "feed" if feed else None)
    best = usable[0]
    if best.value.converted:  # a Gregorian date of the page (its URL) two days or more away: the Gregorian wins
        best = next((c for c in usable if not c.value.converted
                     and abs((_local_day(c.value, tz) - best.value.wall().date()).days) > 1), best)
    if _today_strip(best.value, now, tz):
        # the site's "today" in the Hijri or Solar calendar ("الاثنين 27 جمادى الآخرة 1448 هـ"), alone or beside
        # its Gregorian day: an earlier day the page's other evidence or the feed entry names is the story's
        day = best.value.wall().date()
        other = next((c for c in usable if not c.value.converted and _local_day(c.value, tz) < day), None)
        if other is not None:
            best = other
        elif feed is not None and feed.astimezone(tz or UTC).date() < day:
            return Resolved(feed, "feed", "a Hijri or Solar 'today' line is no date of the story")
    value, source, note = _day_order(best, usable, feed, tz, day_first), best.kind, ""
    if value.hijri:
        value, note = _sighted_day(value, [c for c in usable if c is not best], feed, tz)
    instant = value.instant(tz)
    others = [c for c in usable if c is not best]
    if value.has_time and not value.has_zone and tz is not None and tz.utcoffset(value.wall()) != timedelta(0):
        # A zoneless time read as the outlet's local time, unless the URL's day is the local day of the
        # same wall time read as UTC and not of the local reading, and the feed entry or a zoned or printed
        # date of the page names that UTC instant too (aljazeera.net's meta publishedDate "2026-07-27T21:02:32"
        # under /2026/7/28/, its feed entry 21:02Z: UTC, 00:02 in Doha; a CMS storing UTC prints it so). The URL
        # alone does not: a print outlet's URL carries the next morning's issue day (`_url_day_reads`)
        as_utc = value.wall().replace(tzinfo=UTC)
        if _url_day_reads(others, feed, tz, as_utc, instant, alone=False):
            instant, note = as_utc, "zoneless time read as UTC (the URL's day)"
        elif best.kind != "visible" and _only_witnessed(others, None, tz, as_utc, instant):
            # not the feed entry: its "+0000" may be the same wall time mislabelled
            instant, note = as_utc, "zoneless time read as UTC (the page's printed line or a zoned date names it)"
    if value.utc_label and tz is not None and tz.utcoffset(value.wall()) != timedelta(0):
        # A "Z" on a non-UTC outlet: local time mislabelled when another date shows the same wall time
        # as local (no zone, or the outlet's own offset), trusted when one agrees with the instant, or
        # when the URL's day is the local day of the instant and not of the local reading (aljazeera.net:
        # "21:02:32Z" in JSON-LD, a zoneless "21:02:32" meta, /2026/7/28/ in the URL: 00:02 in Doha).
        relabelled = value.wall().replace(tzinfo=tz).astimezone(UTC)
        for c in [] if _url_day_reads(others, feed, tz, instant, relabelled, alone=True) else others:
            if not c.value.has_time:
                continue
            local = c.value.wall() if not c.value.has_zone else c.value.when.astimezone(tz).replace(tzinfo=None)
            if _same_wall(local, value.wall()) and not c.value.utc_label:
                instant = value.wall().replace(tzinfo=tz).astimezone(UTC)
                note = f"'Z' read as {tz.key} local time ({c.kind} shows the same wall time)"
                break
            if _same_wall(c.value.instant(tz), instant):
                break
        else:
            if instant != relabelled and _only_witnessed(others, feed, tz, relabelled, instant, feed_only=True):
                instant, note = relabelled, f"'Z' read as {tz.key} local time (the feed entry names it)"
    # "2026-12-06T00:00:00+03:00": a CMS that keeps only the day writes midnight; a time of that day from a
    # later kind refines it as it refines a bare day (a story really published at 00:00 shows 00:00 there)
    midnight = value.has_time and value.wall().time() == datetime.min.time()
    if not value.has_time or midnight:
        day = instant.astimezone(tz or UTC).date() if value.has_zone and not midnight else value.wall().date()
        refiners = [(c.kind, c.value.instant(tz)) for c in others
                    if c.value.has_time and c.value.wall().time() != datetime.min.time()]
        refiners += [("feed", feed)] if feed else []
        refiners += [("relative", c.value.instant(tz)) for c in relative if c.value.has_time]
        for kind, when in refiners:
            if when.astimezone(tz or UTC).date() == day:
                instant, source = when, kind
                break
    return Resolved(plausible(instant, now), source, note)
