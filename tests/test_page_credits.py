"""Tags, bylines and credits as real outlets write them in their page metadata.

akhbarelyom.com writes all its tags in one `article:tag` ("النمر,مدرسة البنات,…") and fills
meta author with its CMS account, named after its domain ("akhbarelyom"); albayan.ae fills it
with its dateline ("(أبوظبي - البيان)"); lbcgroup.tv with its name without the country word of
its publisher name ("LBCI" of "LBCI Lebanon"). None of these is a writer; a tag list is tags.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from tasks.extract import extract_page
from tasks.metadata import is_dateline_credit, names_the_site

FIX = Path(__file__).parent / "fixtures"
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _real(key: str):
    gold = {g["key"]: g for g in map(json.loads, (FIX / "realpages" / "gold.jsonl").read_text("utf-8").splitlines())}
    html = gzip.decompress((FIX / "realpages" / f"{key}.html.gz").read_bytes()).decode("utf-8")
    return extract_page(html, gold[key]["url"], now=NOW, tz=gold[key]["country"])


def _page(head: str, body: str = "") -> str:
    para = "<p>" + "أعلنت الوزارة اليوم عن خطة جديدة لتطوير شبكة الطرق في المحافظات الجنوبية خلال العام المقبل. " * 3 + "</p>"
    return (f"<html lang='ar'><head><title>خطة لتطوير الطرق</title>{head}</head><body><article>"
            f"<h1>خطة لتطوير الطرق</h1>{body}{para * 4}</article></body></html>")


def test_a_tag_list_in_one_article_tag_is_each_tag() -> None:
    ext = _real("akhbarelyom")
    assert ext.categories == ["النمر", "مدرسة البنات", "نعيمة عاكف", "فتاة السيرك", "بياعة الجرايد"]


def test_tag_lists_with_arabic_commas_and_semicolons() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "خطة لتطوير الطرق",'
          ' "keywords": "الطرق، النقل؛ المحافظات"}</script>')
    ext = extract_page(_page(ld), "https://example.com/news/1", now=NOW)
    assert ext.categories == ["الطرق", "النقل", "المحافظات"]
    ext = extract_page(_page('<meta name="news_keywords" content="غزة، الضفة الغربية ، القدس">'),
                       "https://example.com/news/2", now=NOW)
    assert ext.categories == ["غزة", "الضفة الغربية", "القدس"]


def test_the_sites_account_named_after_its_domain_is_no_byline() -> None:
    ext = _real("akhbarelyom")
    assert ext.author is None
    ext = extract_page(_page('<meta name="author" content="Masrawy">'), "https://www.masrawy.com/news/1", now=NOW)
    assert ext.author is None
    ext = extract_page(_page('<meta name="author" content="أحمد علي">'), "https://www.masrawy.com/news/1", now=NOW)
    assert ext.author == "أحمد علي"


def test_the_outlets_name_without_its_country_word_is_no_byline() -> None:
    html = gzip.decompress((FIX / "articles_ar" / "lbc.html.gz").read_bytes()).decode("utf-8")
    url = json.loads((FIX / "articles_ar" / "lbc.meta.info").read_text("utf-8"))["LBCGroup_2026_01_08.html.gz"]["url"]
    ext = extract_page(html, url, now=NOW)
    assert ext.author is None  # fundus' gold: authors null
    assert "LBCI" in ext.credits  # still the page's own credit
    assert names_the_site("الجزيرة", ["الجزيرة نت"], None)
    assert names_the_site("سكاي نيوز", ["سكاي نيوز عربية"], None)
    assert not names_the_site("محمد علي", ["الجزيرة نت"], None)
    assert not names_the_site("الجزيرة نت", ["الجزيرة"], None)


def test_a_dateline_credit_in_the_author_field_is_no_byline_but_stays_a_credit() -> None:
    ext = _real("albayan")
    assert ext.author is None
    assert "(أبوظبي - البيان)" in ext.credits
    for credit in ["(أبوظبي - البيان)", "دبي - وام", "القاهرة / أ ش أ", "الرياض – واس", "البيان - دبي"]:
        assert is_dateline_credit(credit, ["البيان"]), credit
    for byline in ["حسام أبو العلا - القاهرة", "دبي - محمد الحمادي", "أبوظبي", "وام - رويترز"]:
        assert not is_dateline_credit(byline, ["البيان"]), byline


def test_a_cms_flag_printed_as_the_section_is_no_section() -> None:
    assert _real("elbaladtv").section is None  # elbaladtv.net: article:section "featured"
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "خطة لتطوير الطرق",'
          ' "articleSection": ["غير مصنف", "اقتصاد"]}</script>')
    ext = extract_page(_page('<meta property="article:section" content="Uncategorized">' + ld),
                       "https://example.com/news/3", now=NOW)
    assert ext.section == "اقتصاد"
    assert _real("youm7").section == "تقارير مصرية"
