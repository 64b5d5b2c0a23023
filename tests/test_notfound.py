"""tasks.notfound: an outlet's page-not-found page answered 200, and a redirect to the front page,
are not the story; a story whose first words look like such a message is.

The flow-level cases (the article row keeps the feed's summary, a run_errors row says why) are in
tests/test_matrix.py (page_not_found_answered_200, page_redirected_to_the_front_page). Over the
1,804 real and dev pages of the shared corpus and the 281 SemEval-2022 Arabic articles none is
flagged (one-off scan when the rule was written).
"""

from __future__ import annotations

import pytest

from tasks.notfound import is_front_page, not_the_article

URL = "https://www.example-news.com/news/2026/11/05/123456.html"


NOT_FOUND_PAGES = [
    ("الصفحة غير موجودة | صحيفة الوطن", "404\nعذراً، الصفحة التي تبحث عنها غير موجودة أو ربما تم نقلها أو حذفها."),
    ("صحيفة الوطن", "هذا المحتوى غير متاح\nتم حذف هذا المقال أو أنه لم يعد متاحاً."),
    ("صحيفة الوطن | خطأ 404", "نأسف، لم نعثر على الصفحة المطلوبة."),
    ("عفواً", "الخبر المطلوب غير موجود"),
    ("عذرا! الصفحة غير متوفرة", "ربما تكون قد حُذفت"),
    ("موقع الخبر", "عذراً، المقال الذي تحاول الوصول إليه غير موجود."),
    ("بوابة الأخبار", "لم يتم العثور على الصفحة\nالعودة إلى الرئيسية"),
    ("404", "The requested URL was not found on this server."),
    ("Page not found – Al Watan", "Sorry, the page you are looking for does not exist."),
    ("الصفحـة غيـر موجـودة", "عُذراً"),  # tatweel and harakat
]
# a members-only story: the sign-in page answered at its URL
SIGN_IN_PAGES = [
    ("تسجيل الدخول | صحيفة الوطن", "البريد الإلكتروني\nكلمة المرور\nدخول"),
    ("صحيفة الوطن - تسجيل الدخول", "ليس لديك حساب؟ أنشئ حساباً"),
    ("صحيفة الوطن", "يرجى تسجيل الدخول لمتابعة قراءة هذا المقال.\nالبريد الإلكتروني"),
    ("الوطن", "عذراً، الرجاء تسجيل الدخول أولاً"),
    ("الوطن", "سجّل دخولك أو أنشئ حساباً جديداً للاطلاع على المحتوى"),
    ("الوطن", "من فضلك قم بتسجيل الدخول للمتابعة"),
    ("Login – Al Watan", "Username\nPassword"),
    ("Al Watan", "Please log in to continue reading."),
]


@pytest.mark.parametrize(("title", "text", "kind"), [(*case, "page-not-found") for case in NOT_FOUND_PAGES]
                         + [(*case, "sign-in page") for case in SIGN_IN_PAGES])
def test_an_outlets_page_not_found_page_or_sign_in_page_is_not_the_story(title, text, kind):
    why = not_the_article(URL, URL, title, text)
    assert why and kind in why


@pytest.mark.parametrize(("title", "text"), [
    ("404 قتلى في زلزال تركيا", "ارتفعت حصيلة ضحايا الزلزال إلى 404 قتلى بحسب السلطات."),
    ("المحتوى غير متاح في مصر بعد شكاوى", "حجبت منصة بث مسلسلا في مصر بعد شكاوى من مشاهدين."),
    ("الصفحة الرسمية للوزارة غير متاحة بسبب هجوم", "تعرضت الصفحة الرسمية للوزارة لهجوم إلكتروني أمس."),
    ("عاجل: الخبر غير صحيح", "نفت الوزارة صحة الخبر المتداول."),
    ("وزير: الرابط غير متاح حاليا", "قال الوزير إن الرابط غير متاح حاليا بسبب الصيانة."),
    ("الصفحة غير موجودة", "قالت الشركة إن الصفحة غير موجودة على خوادمها منذ أسبوع، " * 20),  # a long text is a story
])
def test_a_story_that_opens_with_the_same_words_is_a_story(title, text):
    assert not_the_article(URL, URL, title, text) is None


@pytest.mark.parametrize(("final", "why"), [
    ("https://www.example-news.com/", True), ("https://www.example-news.com", True),
    ("https://www.example-news.com/ar/", True), ("https://www.example-news.com/index.php", True),
    ("https://www.example-news.com/Default.aspx", True),
    ("https://www.example-news.com/ar/news", False), ("https://www.example-news.com/?p=123", False),
    ("https://www.example-news.com/news/2026/11/05/123456-slug.html", False),
])
def test_a_story_redirected_to_the_front_page_is_not_the_story(final, why):
    body = "وزير الخارجية يلتقي نظيره الأردني في عمان. " * 40  # the front page's teasers: long
    result = not_the_article(URL, final, "صحيفة الوطن | الرئيسية", body)
    assert bool(result) is why and (not why or "front page" in result)


def test_a_front_page_in_the_feed_is_not_a_redirect():
    assert is_front_page("https://www.example-news.com/")
    assert not_the_article("https://www.example-news.com/", "https://www.example-news.com/", "الرئيسية",
                           "نص طويل " * 200) is None


@pytest.mark.parametrize(("title", "text"), [
    ("تسجيل الدخول لمنصة مدرستي متاح الآن للطلاب", "أعلنت وزارة التعليم إتاحة تسجيل الدخول لمنصة مدرستي."),
    ("رابط تسجيل الدخول إلى منصة قبول", "أتاحت الجامعة رابط التسجيل للطلاب الجدد."),
    ("خبر قصير", "تسجيل الدخول\nقالت وزارة الصحة اليوم إن عدد الإصابات انخفض."),  # a menu link kept above a brief
    # a paywall stub: the public teaser, then the request (tasks.extract keeps it with a warning)
    ("تحليل: مستقبل المفاوضات", "تدخل المفاوضات بين الطرفين مرحلة حاسمة.\nيرجى تسجيل الدخول لمتابعة القراءة."),
    ("تحليل: مستقبل المفاوضات", "تدخل المفاوضات مرحلة حاسمة.\nهذا المحتوى متاح للمشتركين فقط. اشترك الآن لمتابعة القراءة."),
    ("Login problems hit bank customers", "Customers could not log in for hours on Monday."),
])
def test_a_story_about_signing_in_or_beside_a_sign_in_link_is_a_story(title, text):
    assert not_the_article(URL, URL, title, text) is None


@pytest.mark.parametrize("final", [
    "https://www.example-news.com/user/login?destination=/news/2026/11/05/123456.html",
    "https://www.example-news.com/wp-login.php?redirect_to=x",
    "https://www.example-news.com/ar/account/sign-in",
    "https://accounts.example-news.com/users/sign_in",
    "https://www.example-news.com/login/",
])
def test_a_story_redirected_to_a_sign_in_page_is_not_the_story(final):
    why = not_the_article(URL, final, "الوطن", "نص طويل " * 200)
    assert why and "sign-in page" in why


def test_a_story_whose_url_names_a_login_is_not_redirected_to_one():
    url = "https://www.example-news.com/news/login-problems-hit-banks"
    assert not_the_article(url, url, "Login problems hit banks", "Customers could not log in.") is None
    assert not_the_article(URL, "https://www.example-news.com/news/loginov-wins.html", "t", "نص " * 300) is None


# A short story (a brief under 600 characters) whose headline holds the sign-in words as Arabic and
# English outlets write them: SEO guides to a platform's sign-in ("منصة مدرستي.. رابط تسجيل
# الدخول"), headlines opening or closing on the phrase before "..", ":" or "-", and an outage or an
# official call to sign in. Before, any of the first four words opening "تسجيل الدخول" before a
# punctuation mark made the brief a sign-in page, and the feed's summary replaced it.
BRIEF = ("أعلنت وزارة التعليم اليوم عن تحديثات جديدة على منصة مدرستي تتيح للطلاب وأولياء الأمور الدخول عبر "
         "النفاذ الوطني الموحد، وذلك مع بداية العام الدراسي الجديد. وأوضحت الوزارة أن الخدمة متاحة على مدار الساعة.")


@pytest.mark.parametrize("title", [
    "منصة مدرستي.. رابط تسجيل الدخول",
    "منصة مدرستي تسجيل الدخول - رابط مباشر",
    "خطوات تسجيل الدخول: دليل شامل لمنصة نور",
    "تسجيل الدخول.. مشكلات تواجه الطلاب في أول أيام الدراسة",
    "بالخطوات.. تسجيل الدخول | صحيفة الوطن",
    "عليك تسجيل الدخول أولا.. الجوازات توضح خطوات تجديد الجواز",
    "الجوازات: يجب تسجيل الدخول لأبشر لإصدار التصاريح",
    "يرجى تسجيل الدخول لمنصة مدرستي قبل الأحد.. التعليم تدعو الطلاب",
    "How to log in to access your Absher account",
    "Login: what bank customers need to know",
])
def test_a_brief_whose_headline_holds_the_sign_in_words_is_a_story(title):
    assert not_the_article(URL, URL, title, BRIEF) is None


def test_a_short_story_under_a_sign_in_banner_or_heading_is_a_story():
    # a member wall that still serves the whole (short) story under its request, and a login
    # modal's heading taken for the title above a brief
    assert not_the_article(URL, URL, "الوطن", "سجل دخولك لمتابعة آخر الأخبار\n" + BRIEF) is None
    assert not_the_article(URL, URL, "Log in | Al Watan", BRIEF) is None
    # the sign-in page itself: its other lines are its form's (an account line may be long)
    text = ("يرجى تسجيل الدخول لمتابعة قراءة هذا المقال.\nليس لديك حساب؟ أنشئ حساباً جديداً مجاناً للاستفادة من جميع "
            "مزايا الموقع والتعليق على الأخبار وحفظ المقالات المفضلة لديك\nنسيت كلمة المرور؟")
    assert "sign-in page" in not_the_article(URL, URL, "الوطن", text)
    for title in ("تسجيل دخول | الوطن", "Connexion – Le360", "Sign in", "الوطن » تسجيل الدخول إلى حسابك"):
        assert "sign-in page" in not_the_article(URL, URL, title, "البريد الإلكتروني\nكلمة المرور"), title


@pytest.mark.parametrize("text", [
    # a one-paragraph brief (عاجل) opening with an official call to sign in to a platform
    "يرجى تسجيل الدخول لمنصة مدرستي قبل الأحد لاستلام الجداول الدراسية، بحسب وزارة التعليم.",
    "الجوازات: يجب تسجيل الدخول لأبشر لإصدار تصاريح السفر للمقيمين اعتبارا من اليوم.",
])
def test_a_one_line_brief_calling_to_sign_in_to_a_platform_is_a_story(text):
    assert not_the_article(URL, URL, "عاجل", text) is None


def test_a_sign_in_page_keeps_its_title_when_the_feeds_summary_stands_in_for_its_text():
    why = not_the_article(URL, URL, "تسجيل الدخول", BRIEF, own_text=False)
    assert why and "sign-in page" in why


@pytest.mark.parametrize("final", [
    "https://www.example-news.com/connexion/actualite-maroc-123.html",  # a section named so
    "https://www.example-news.com/login/2026/11/05/123456.html",
])
def test_a_story_in_a_section_named_like_a_sign_in_page_is_not_one(final):
    assert not_the_article(URL, final, "الوطن", "نص طويل " * 200) is None
