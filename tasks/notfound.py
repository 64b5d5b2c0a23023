"""Pages that answer 200 but are not the article: the outlet's "page not found" page (a soft 404),
a redirect to the home page (how many outlets answer for a story they took down), and a sign-in
page (a redirect to /login, or a sign-in form answered at the story's URL: a members-only story).

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

from urllib.parse import unquote, urlsplit

import regex

from tasks.urls import is_front_page
from warehouse.arabic import normalize_text

__all__ = ["is_front_page", "not_the_article"]

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
# A sign-in page: its title is the bare phrase ("تسجيل الدخول | صحيفة الوطن", "Log in – Al Watan"),
# or its text opens with the request ("يرجى تسجيل الدخول لمتابعة القراءة", "سجل دخولك أو أنشئ
# حساباً", "Please log in to continue"). A headline holding the words is a story: "منصة مدرستي..
# رابط تسجيل الدخول", "خطوات تسجيل الدخول: دليل", "Login: what bank customers need to know",
# "How to log in to access your Absher account" -- so the title counts only when one of its
# parts around the site-name separators (|, » or a spaced dash) is the phrase and nothing else,
# and a request only with a purpose of reading on. A public teaser above "subscribe / sign in to
# read on" is a paywall stub (tasks.extract keeps it, with a warning): only the title or the text's
# first line counts, and never when the text holds a paragraph of a story besides.
_SIGN_IN = (r"(?:تسجيل\s+(?:ال)?دخول(?:ك)?|الدخول\s+الي\s+حسابك|sign[\s-]*in|log[\s-]*in|login|signin"
            r"|connexion|se\s+connecter|s'identifier)")
_REQUEST = r"(?:(?:يرجي|الرجاء|رجاء|من\s+فضلك|فضلا|عليك|يجب\s+عليك|يجب|please)\s+(?:قم\s+ب)?|قم\s+ب)"
# what a sign-in request asks it for: reading on ("لمتابعة القراءة", "للاطلاع على المحتوى", "to
# continue"), not a platform ("يرجى تسجيل الدخول لمنصة مدرستي قبل الأحد" is a story's line)
_READ_ON = (r"(?:لمتابعه|للمتابعه|للاطلاع|لقراءه|للقراءه|لاستكمال|لاكمال|للاستمرار|لمشاهده|للمشاهده|للوصول"
            r"|to\s+(?:continue|read|view|access|see|keep))")
_TO_ACCOUNT = r"(?:\s+(?:الي\s+(?:حسابك|الموقع)|to\s+your\s+account))?"
_SIGN_IN_REQUEST = (
    rf"(?:{_REQUEST}{_SIGN_IN}|سجل\s+(?:الدخول|دخولك)){_TO_ACCOUNT}"
    rf"\s*(?:{_READ_ON}|او\s|اولا|or\s|first|$|[.،,!:;|\-–—(/])"
    r"|(?:please\s+)?(?:sign|log)\s*in\s+to\s+(?:continue|read|view|access)"
)
_SIGN_IN_WALL = regex.compile(_SIGN_IN_REQUEST)
# a part of the title that is only the phrase, a request to sign in, or one to read on
_SIGN_IN_TITLE = regex.compile(
    rf"(?:{_REQUEST})?{_SIGN_IN}{_TO_ACCOUNT}(?:\s+(?:اولا|first))?(?:\s*{_READ_ON}(?:\s+\w+){{0,3}})?[\s.!:؟?]*")
_TITLE_PARTS = regex.compile(r"\s*[|»«•·]\s*|\s+[-–—]+\s+|\s*::\s*")
# a line of a story (as many words as a sentence) that is not about an account or a subscription:
# a sign-in page's other lines are its form's labels and "ليس لديك حساب؟ أنشئ حساباً"
_STORY_LINE_WORDS = 12
_ACCOUNT_WORDS = regex.compile(r"حساب|كلمه\s+(?:المرور|السر)|اشتر|مشترك|account|password|subscri|sign|log", regex.I)
# The path of a sign-in page a story's URL was redirected to: /login, /user/login, /wp-login.php,
# /account/sign-in, /users/sign_in, /connexion -- its last part: "/connexion/actualite-1.html" is
# a story in a section of that name.
_SIGN_IN_PATH = regex.compile(r"(?:^|/)(?:wp-login\.php|login|log-in|signin|sign-in|sign_in|connexion|تسجيل-الدخول)"
                              r"(?:[.;][^/]*)?/*$", regex.I)
_WORD = regex.compile(r"\w+")


def _opens_with_message(line: str, message: regex.Pattern = _NOT_FOUND) -> bool:
    key = normalize_text(line).strip()
    words = [m.start() for m in _WORD.finditer(key)][: _OPENING_WORDS + 1]
    return any(message.match(key, pos) for pos in words)


def _sign_in_path(url: str) -> bool:
    try:
        return bool(_SIGN_IN_PATH.search(unquote(urlsplit(url).path)))
    except ValueError:
        return False


def not_the_article(requested_url: str, final_url: str, title: str | None, text: str,
                    own_text: bool = True) -> str | None:
    """Why the page fetched for `requested_url` (answered from `final_url`) is not the article,
    or None. `own_text` False: `text` is the feed's summary standing in for a page too short to
    extract (no story of the page's own beside a sign-in heading)."""
    if final_url and final_url != requested_url and is_front_page(final_url) and not is_front_page(requested_url):
        return f"redirected to the site's front page ({final_url}): the story is not there"
    if final_url and final_url != requested_url and _sign_in_path(final_url) and not _sign_in_path(requested_url):
        return f"redirected to a sign-in page ({final_url}): the story is for members only"
    if len(text) > MAX_NOT_FOUND_CHARS:
        return None
    lines = [title or ""] + [ln for ln in text.splitlines() if ln.strip()][:_FIRST_LINES]
    for line in lines:
        if line and _opens_with_message(line):
            return f"the page says the story is not there ({line.strip()[:80]!r}): a page-not-found page"
    title_parts = _TITLE_PARTS.split(normalize_text(title or "").strip())
    if any(_SIGN_IN_TITLE.fullmatch(part) for part in title_parts):
        why = title
    elif len(lines) > 1 and _opens_with_message(lines[1], _SIGN_IN_WALL):
        why = lines[1]
    else:
        return None
    if own_text and _holds_a_story_line(text, why):
        return None  # a short story under a sign-in heading or banner the extraction kept
    return f"the page asks to sign in ({why.strip()[:80]!r}): a sign-in page, not the story"


def _holds_a_story_line(text: str, but: str) -> bool:
    """Whether a line of `text` other than `but` reads as a story's sentence."""
    for line in text.splitlines():
        if line.strip() == but.strip():
            continue
        key = normalize_text(line)
        if len(_WORD.findall(key)) >= _STORY_LINE_WORDS and not _ACCOUNT_WORDS.search(key):
            return True
    return False
