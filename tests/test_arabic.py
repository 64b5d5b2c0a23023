"""Matching-key normalisation: the Arabic pitfalls, and the dev web's light edits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tasks.attribution import strip_for_key
from warehouse.arabic import clean_text, fold_number_tokens, key_tokens, line_tokens, normalize_key, tokens

GOLD = Path(__file__).parent / "fixtures/web/dev/gold.jsonl"


def test_harakat_inside_words_stay_one_token() -> None:
    word = "عُقِدَ"
    assert len(re.findall(r"\w+", word)) == 3  # the stdlib pitfall this module avoids
    assert tokens(word) == ["عقد"]
    assert tokens("الاجتماعُ الأوَّلُ") == tokens("الاجتماع الأول")


def test_tatweel_and_quranic_marks_removed() -> None:
    assert normalize_key("العـــربيــة") == normalize_key("العربية")
    assert normalize_key("ٱللَّهِ ۖ") == normalize_key("الله")


def test_bidi_and_zero_width_marks_deleted_not_spaced() -> None:
    assert tokens("\u200fواشنطن\u200e 2015\u202b") == ["واشنطن", "2015"]
    assert tokens("مجل\u200cس") == ["مجلس"]
    assert tokens("\ufeffالعربية\u061c") == tokens("العربية")


def test_arabic_indic_and_persian_digits() -> None:
    assert tokens("٢٠١٥ و۲۰۱۵") == ["2015", "و2015"]
    assert normalize_key("٣.٨ مليار") == normalize_key("3.8 مليار")


def test_letter_folding_and_casefold() -> None:
    assert normalize_key("إلى أمام آخر ٱسم") == "الي امام اخر اسم"
    assert normalize_key("مدرسة على") == "مدرسه علي"
    assert normalize_key("Reuters AFP") == "reuters afp"


def test_presentation_forms_nfkc() -> None:
    assert normalize_key("ﻻ ﺃﻫﻢ") == normalize_key("لا أهم")


def test_spelling_variants_from_data_file() -> None:
    assert normalize_key("والأمريكية ترامب") == normalize_key("والأميركية ترمب")
    assert normalize_key("جانتس") == normalize_key("غانتس")


# One wire sentence as outlets of different countries and CMSs spell it: Gulf/wire style first,
# then an Egyptian house style (hamza on ya where the wire has it on waw, مائة, final ى, ه for ة,
# names joined), a Persian-keyboard CMS, and typography (tanwin, ligature, comma, quotes, digits).
KEY_SPELLINGS_OF_ONE_WORD = [
    ("قال مسؤول في وزارة الشؤون الخارجية", "قال مسئول فى وزارة الشئون الخارجية"),
    ("الرئيس يتحمل المسؤولية", "الرئيس يتحمل المسئولية"),
    ("رئيس الوزراء", "رءيس الوزراء"),
    ("ارتفع التضخم إلى 5 في المئة", "ارتفع التضخم إلى 5 في المائة"),
    ("نحو مئتي شخص", "نحو مائتي شخص"),
    ("لم يتغير شيء في القاهرة", "لم يتغير شئ فى القاهره"),
    ("الرئيس عبد الفتاح السيسي", "الرئيس عبدالفتاح السيسي"),
    ("وصل إلى أبو ظبي أيضا", "وصل إلى أبوظبي أيضاً"),
    ("عبر حسابه على فيس بوك", "عبر حسابه على فيسبوك"),
    ("وزير خارجية إيران يصل إلى كابول", "وزیر خارجیة إیران یصل إلى کابول"),
    ("لا تعليق، وقال: \"نرفض\"", "ﻻ تعليق, وقال: «نرفض»"),
    ("بلغ عدد الإصابات 12500 حالة و١٬٢٠٠ وفاة", "بلغ عدد الإصابات 12,500 حالة و1،200 وفاة"),
    ("والتقى نتانياهو بوتن وزيلنسكي", "والتقى نتنياهو بوتين وزيلينسكى"),  # transliterations
    ("انتشار فايروس كورونا، وقال لبوتن", "انتشار فيروس كورونا، وقال لبوتين"),
]


def test_dedupe_key_folds_keep_words_and_other_numbers_apart() -> None:
    assert key_tokens("سعر 2,5 دولار") == ["سعر", "2", "5", "دولار"]  # a decimal comma stays
    assert key_tokens("عام 2020، 300 حالة") == ["عام", "2020", "300", "حاله"]  # a list of numbers stays
    assert key_tokens("عامي 2019،2020") == ["عامي", "2019", "2020"]
    assert key_tokens("عبد الله والعبدلي") == ["عبد", "الله", "والعبدلي"]
    assert key_tokens("ماء السماء") == ["ماء", "السماء"]


def test_stored_text_not_altered_by_clean_text_letters() -> None:
    # clean_text is rendering-only: alef variants and ة survive (attribution patterns rely on it).
    assert clean_text("أعلنت الوكالة") == "أعلنت الوكالة"


def _light_edit_pages() -> list[dict]:
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines()]
    return [r for r in rows if "light_edits" in r["perturbations"]]


@pytest.mark.parametrize("row", _light_edit_pages(), ids=lambda r: r["url_path"][-30:])
def test_light_edits_vanish_in_the_key(row: dict) -> None:
    """Paragraphs of a lightly edited copy get the same key as in a sibling copy."""
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines()]
    siblings = [r for r in rows if r["cluster_key"] == row["cluster_key"] and r["url_path"] != row["url_path"]]
    keys = {normalize_key(p) for r in siblings for p in strip_for_key(r["body_paragraphs"])}
    mine = [normalize_key(p) for p in strip_for_key(row["body_paragraphs"])]
    local = row["perturbation_details"].get("local_paragraph", {}).get("text")
    mine = [k for k in mine if local is None or k != normalize_key(local)]
    found = sum(k in keys for k in mine)
    # Siblings may be truncated: only as many paragraphs as the longest sibling can be found.
    reachable = min(len(mine), max(len(r["body_paragraphs"]) for r in siblings))
    assert found >= reachable - 1, (found, len(mine), row["perturbation_details"]["light_edits"])


# One wire sentence with its numbers as the agency and as outlets write them: AFP spells small
# numbers out, Anadolu and Egyptian outlets retype them as digits, thousands as words or digits,
# billions with "ونصف المليار", percent as words or sign, and the clitic on the number glued or not.
NUMBERS_OF_ONE_SENTENCE = [
    ("قتل ثلاثة أشخاص وأصيب عشرة آخرون", "قتل 3 أشخاص وأصيب 10 آخرون"),
    ("قتلت ثلاث نساء واثنان من الأطفال", "قتلت 3 نساء و2 من الأطفال"),
    ("نزح أكثر من عشرة آلاف شخص", "نزح أكثر من 10 آلاف شخص"),
    ("نزح أكثر من عشرة آلاف شخص", "نزح أكثر من 10,000 شخص"),
    ("وصل خمسة وعشرون ألفا إلى الحدود", "وصل 25 ألفا إلى الحدود"),
    ("تجاوز عدد الضحايا ثلاثمئة وخمسين", "تجاوز عدد الضحايا 350"),
    ("مئة وخمسة وعشرون معتقلا", "125 معتقلا"),
    ("خلال ثلاث عشرة ساعة", "خلال 13 ساعة"),
    ("فاز بإحدى عشرة ميدالية", "فاز بـ11 ميدالية"),
    ("قدمت قرضا بقيمة مليار ونصف المليار دولار", "قدمت قرضا بقيمة 1.5 مليار دولار"),
    ("يعيش فيها ثلاثة ملايين نسمة", "يعيش فيها 3 ملايين نسمة"),
    ("يعيش فيها ثلاثة ملايين نسمة", "يعيش فيها 3 مليون نسمة"),
    ("خصص ملياري دولار للإعمار", "خصص 2 مليار دولار للإعمار"),
    ("بلغت الخسائر مليار دولار", "بلغت الخسائر بليون دولار"),
    ("ارتفع التضخم إلى 20 في المئة", "ارتفع التضخم إلى 20%"),
    ("ارتفع التضخم إلى 20 بالمئة", "ارتفع التضخم إلى 20 في المائة"),
    ("خلال الـ24 ساعة الماضية", "خلال الـ 24 ساعة الماضية"),
    ("ووصل ثلاثة وفود", "ووصل 3 وفود"),
    ("بين ثلاثة وخمسة أيام", "بين 3 و5 أيام"),
]


@pytest.mark.parametrize(("wire", "outlet"), KEY_SPELLINGS_OF_ONE_WORD + NUMBERS_OF_ONE_SENTENCE)
def test_an_outlets_spelling_of_a_wire_sentence_makes_the_same_dedupe_key(wire: str, outlet: str) -> None:
    assert key_tokens(wire) == key_tokens(outlet)


def test_ordinals_weekdays_and_words_like_numbers_stay_words_in_the_key() -> None:
    # ordinals are other words: "the third time" is not "3 times"
    assert key_tokens("للمرة الثالثة في الأسبوع الثاني") == ["للمره", "الثالثه", "في", "الاسبوع", "الثاني"]
    assert key_tokens("ثالث أيام العيد") == ["ثالث", "ايام", "العيد"]
    # the article's forms: Monday, "the three" (and أحد alone: "one of", Sunday) stay as they are
    assert key_tokens("يوم الاثنين والأحد") == ["يوم", "الاثنين", "والاحد"]
    assert key_tokens("أحد المسؤولين عن الدول الثلاث") == ["احد", "المسءولين", "عن", "الدول", "الثلاث"]
    assert key_tokens("عشرات الآلاف ومئات المحتجين") == ["عشرات", "الالاف", "ومءات", "المحتجين"]
    assert key_tokens("لست أدري") == ["لست", "ادري"]  # ل + ست would be "6"
    assert key_tokens("وكالة سبوتنك") == ["وكاله", "سبوتنك"]  # بوتن / بوتين at a word's end only
    assert key_tokens("المئة يوم الأولى") == ["المءه", "يوم", "الاولي"]  # no percent without في/ب
    # what stays in digits: a year, a decimal, and two numbers that are two numbers
    assert key_tokens("عام 2023") == ["عام", "2023"]
    assert key_tokens("ثلاثة أو أربعة") == ["3", "او", "4"]
    # digits no float holds, or of other scripts, before a thousands word stay as they are
    assert key_tokens("9" * 400 + " ألف")[0] == "9" * 400
    assert fold_number_tokens(["𐩀", "الف", "9" * 400, "الاف", "²", "مليون", "ونصف"]) == [
        "𐩀", "1000", "9" * 400, "الاف", "²", "1", "5", "مليون"]
    # a number never runs on from one paragraph into the next
    assert line_tokens(["قتل سبعة", "عشر دقائق"]) == [["قتل", "7"], ["10", "دقاءق"]]


def test_a_dual_before_its_noun_is_not_the_singular_number_in_the_key() -> None:
    # "ألفا شخص" is 2,000 people and "مليارا دولار" two billion (the dual before its noun): with no
    # number before them these forms stay words, so they never meet "ألف شخص" / "مليار دولار"
    assert key_tokens("نزح ألفا شخص") != key_tokens("نزح ألف شخص")
    assert key_tokens("خصص مليارا دولار") != key_tokens("خصص مليار دولار")
    assert key_tokens("خصص مليونا دولار") != key_tokens("خصص مليون دولار")
    assert key_tokens("فريق ألفا") == ["فريق", "الفا"]  # Alpha
    # after a number they are the singular's accusative, as before
    assert key_tokens("ثلاثة عشر ألفا") == key_tokens("13 ألفا") == ["13000"]
    assert key_tokens("خمسة عشر مليارا") == ["15", "مليار"]


def test_any_run_of_number_words_digits_and_other_tokens_reads_without_an_error() -> None:
    # pages are not grammar: number words in any order, with digits, scale and percent words
    import random

    from warehouse.arabic import NUMBER_WORDS

    rng = random.Random(7)
    vocab = [*NUMBER_WORDS, *("و" + w for w in NUMBER_WORDS), "ونصف", "المليار", "في", "المءه", "بالمءه",
             "3", "15", "0", "9" * 20, "٣", "²", "كلمه", "و"]
    for _ in range(5000):
        toks = [rng.choice(vocab) for _ in range(rng.randint(1, 8))]
        out = fold_number_tokens(toks)
        assert all(out) and len(out) <= 3 * len(toks)  # وملياران: و 2 مليار


def test_whole_article_texts_are_cleaned_without_being_kept() -> None:
    """Every article's whole text is cleaned once for its content hash and keys; clean_text's
    cache is for lines, which attribution and the keys look at several times. It used to keep
    each article's text with its cleaned copy until 8,192 other texts pushed them out: memory a
    long run's command held for nothing (~60 MB by 10,000 pages of `ingest-warc`, issue 18)."""
    import tracemalloc

    from tasks.articles import content_hash

    body = (Path(__file__).parent / "fixtures/articles_ar/cnn_arabic.txt").read_text("utf-8").strip()
    assert len(body) > 1500  # a whole article, not a line
    content_hash(f"{body}\nتحديث 0")  # the caches of the vocabulary and the compiled patterns, once
    n = 400
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(1, n + 1):
            assert content_hash(f"{body}\nتحديث {i}")  # each text distinct, dropped after its hash
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # kept: 400 texts and their cleaned copies, ~3 MB; not kept: the new words' entries (~0.1 MB)
    assert held < 2 * len(body) * n / 4, f"{held / 2**20:.1f} MB still held after {n} article texts"


def test_clean_text_is_the_same_for_a_line_and_for_a_whole_text() -> None:
    line = "القاهرة ـ «الأهرام»: أعلنت الوزارة ١٢٬٥٠٠ وظيفة\u200f جديدة"
    long_text = "\n".join([line] * 60)
    assert len(line) < 200 < 1000 < len(long_text)
    assert clean_text(long_text) == "\n".join([clean_text(line)] * 60)
    assert clean_text(line) == clean_text(line)
