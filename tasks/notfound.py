"""Pages that answer 200 but are not the article: the outlet's "page not found" page (a soft 404)
and a redirect to the home page (how many outlets answer for a story they took down).

Stored as the article they would be "عذراً، الصفحة التي تبحث عنها غير موجودة" or the home page's
teasers, with the story's id and date. Instead the page's article keeps the feed's title and
summary (`tasks.articles.fallback`) and `extraction_error` says why; the fetch is not retried (the
story is gone, not late).

A page counts as "not found" only when its text is short (a story that reports an outage is
longer) and its title, or one of the first lines of its text, opens with the outlet's message:
the page / story / article / content "is not found / no longer available / was deleted", "we
could not find the page", "404" — the wordings Arabic CMSs print, in Arabic and in English.
The message must end there (end of line, punctuation, "أو …"), so a headline that opens with
the same words and goes on ("المحتوى غير متاح في مصر بعد …") is a story. Matched on
warehouse.arabic.normalize_text (hamza forms, ta marbuta, alif maqsura, harakat and tatweel
folded, punctuation kept), so spelling variants need no list of their own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex

from warehouse.arabic import normalize_text

# Longer than this, the text is a story, whatever its first line says.
MAX_NOT_FOUND_CHARS = 600
_OPENING_WORDS = 3  # the message may follow "عذرا،", "نأسف" or "خطأ:"
_FIRST_LINES = 2

_THING = r"(?:الصفحه|الصفحات|الخبر|المقال|المقاله|الماده|المحتوي|الرابط|الموضوع|المنشور|التقرير)"
_MISSING = (r"(?:غير\s+(?:موجود|موجوده|متوفر|متوفره|متاح|متاحه)|لم\s+تعد\s+(?:موجوده|متاحه|متوفره)"
            r"|لم\s+يعد\s+(?:موجودا|متاحا|متوفرا)|محذوف|محذوفه|تم\s+حذفه|تم\s+حذفها|قد\s+حذف|قد\s+حذفت)")
# where the message ends: the line's end, punctuation, or "أو …" / "وربما …" going on with it
_ENDS = r"(?=\s*(?:$|[.،,!:;|\-–—(/]|او\s|ربما\s|وربما\s|or\s))"
_NOT_FOUND = regex.compile(
    # "الصفحة (التي تبحث عنها | المطلوبة) غير موجودة", "هذا المحتوى غير متاح", "تم حذف هذا المقال"
    rf"(?:{_THING}\s+(?:(?:التي|الذي)\s+(?:\w+\s+){{1,3}}?|المطلوبه\s+|المطلوب\s+)?{_MISSING}{_ENDS}"
    rf"|(?:هذا|هذه)\s+{_THING}\s+{_MISSING}{_ENDS}"
    rf"|تم\s+حذف\s+(?:هذا|هذه)\s+{_THING}{_ENDS}"
    rf"|لم\s+(?:يتم\s+العثور|نعثر|نتمكن\s+من\s+العثور)\s+علي\s+{_THING}"
    rf"|404\s*(?:[-–|:]\s*)?(?:$|not\s+found|page\s+not\s+found|{_THING}\s+{_MISSING})"  # not "404 قتلى"
    r"|خطا\s+404|error\s+404|404\s+error|page\s+not\s+found|not\s+found\b"
    r"|(?:the|this)\s+(?:page|article|story|content)\s+(?:you\s+\w+\s+(?:for\s+)?)?"
    r"(?:(?:does\s+not|doesn't|could\s+not|cannot|can't)\s+(?:exist|be\s+found)"
    r"|(?:is|was)\s+(?:no\s+longer\s+available|not\s+found|removed))"
    r"|sorry,?\s+(?:we\s+)?(?:couldn't|could\s+not|can't)\s+find)",
)
_WORD = regex.compile(r"\w+")
# A path that is a site's front page: "/", "/index.html", "/default.aspx", "/home", "/ar/".
_ROOT_PATH = regex.compile(r"^/*(?:(?:index|default|home|main)(?:\.\w{2,5})?|[a-z]{2}(?:-[a-z]{2})?)?/*$", regex.I)


def _opens_with_message(line: str) -> bool:
    key = normalize_text(line).strip()
    words = [m.start() for m in _WORD.finditer(key)][: _OPENING_WORDS + 1]
    return any(_NOT_FOUND.match(key, pos) for pos in words)


def is_front_page(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(parts.netloc) and not parts.query and bool(_ROOT_PATH.match(parts.path))


def not_the_article(requested_url: str, final_url: str, title: str | None, text: str) -> str | None:
    """Why the page fetched for `requested_url` (answered from `final_url`) is not the article,
    or None."""
    if final_url and final_url != requested_url and is_front_page(final_url) and not is_front_page(requested_url):
        return f"redirected to the site's front page ({final_url}): the story is not there"
    if len(text) > MAX_NOT_FOUND_CHARS:
        return None
    lines = [title or ""] + [ln for ln in text.splitlines() if ln.strip()][:_FIRST_LINES]
    for line in lines:
        if line and _opens_with_message(line):
            return f"the page says the story is not there ({line.strip()[:80]!r}): a page-not-found page"
    return None
