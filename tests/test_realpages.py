"""Extraction on real Arabic article pages (tests/fixtures/realpages, gold from per-outlet selectors).

Each case is a failure the real-page set showed and a general rule fixed: a standfirst wrapped in
its own <p>, a date line inside the article's own header block, a "last updated" stamp that is
not the publication time, a year/section/month/day URL, an <h1> reworded in og:title, photo
credits and sign-offs, BBC's byline list with English screen-reader labels and its skip-link markers.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import regex

from tasks import dates
from tasks.attribution import attribute
from tasks.extract import extract_page

FIX = Path(__file__).parent / "fixtures" / "realpages"
GOLD = {g["key"]: g for g in map(json.loads, (FIX / "gold.jsonl").read_text("utf-8").splitlines())}
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _page(key: str):
    g = GOLD[key]
    html = gzip.decompress((FIX / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace")
    return g, extract_page(html, g["url"], now=NOW, tz=g["country"])


def _norm(text: str) -> str:
    return " ".join(regex.findall(r"\w+", text))


def _f1(pred: str, gold: str) -> float:
    p, g = Counter(regex.findall(r"\w+", pred)), Counter(regex.findall(r"\w+", gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * prec * rec / (prec + rec)


@pytest.mark.parametrize("key", sorted(GOLD))
def test_body_title_and_no_caption_leak(key: str) -> None:
    g, ext = _page(key)
    assert _f1(ext.text, "\n".join(g["body_paragraphs"])) >= 0.97
    assert ext.title == g["title"]
    lines = {_norm(x) for x in ext.text.splitlines()}
    body = _norm("\n".join(g["body_paragraphs"]))
    for leak in g["leaks"]:
        # a caption never stands as a line of its own, nor adds words the story does not hold
        assert _norm(leak) not in lines
        assert _norm(leak) in body or _norm(leak) not in _norm(ext.text)


@pytest.mark.parametrize("key", sorted(GOLD))
def test_publication_time_as_the_outlet_meant_it(key: str) -> None:
    g, ext = _page(key)
    want = g["published"]
    zone = dates.zone(g["country"])
    assert ext.published_at is not None
    if g["precision"] == "day":
        assert ext.published_at.astimezone(zone).date().isoformat() == want[:10]
    else:
        assert abs((ext.published_at - datetime.fromisoformat(want)).total_seconds()) <= 60


def test_standfirst_wrapped_in_a_paragraph_is_kept_once() -> None:
    g, ext = _page("sputnik_arabic")  # <div class="b-article__lead" itemprop="description"><p>…</p></div>
    lead = g["lead"]
    assert ext.text.splitlines()[0] == lead
    assert ext.text.count(lead) == 1


def test_local_time_labelled_z_is_read_in_the_outlets_zone() -> None:
    # youm7: meta "09:23:13Z", the date line under the headline (inside "articleHeader") "09:23 ص"
    _, ext = _page("youm7")
    assert ext.published_at == datetime(2020, 8, 24, 7, 23, 13, tzinfo=UTC)


def test_last_updated_stamp_is_not_the_publication_date() -> None:
    # CNN Arabic: "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00" is the update; the URL
    # /2013/middle_east/8/3/ dates the story
    _, ext = _page("cnn_arabic")
    assert ext.published_at_source == "url"
    assert ext.published_at.date().isoformat() == "2013-08-03"


def test_visible_headline_wins_over_a_reworded_og_title() -> None:
    _, ext = _page("bbc_arabic")  # og:title prefixes "آرون بوشنيل: " to the <h1>
    assert ext.title == GOLD["bbc_arabic"]["title"]


def test_photo_credit_is_not_provenance_and_sign_off_is() -> None:
    _, alyaum = _page("alyaum")  # caption "... (رويترز)" on the photo; the text is the outlet's own
    assert attribute(alyaum.text).agency is None
    _, madenah = _page("almadenahnews")  # text closes with "--(بترا)"
    assert attribute(madenah.text).agency == "petra"


def test_story_opening_printed_as_a_heading_inside_the_body_is_text() -> None:
    # youm7 2024: the first paragraph is an <h2 class="coloredquoute"> inside articleBody, not a headline
    g, ext = _page("youm7_2024_labour")
    first = g["body_paragraphs"][0]
    assert ext.text.splitlines()[0] == first
    assert ext.text.count(first) == 1


def test_photo_captions_between_paragraphs_are_not_text() -> None:
    # youm7 2024: three <div class="imgcontainer"> captions between the paragraphs; one of them
    # ("التاكسى الكهربائى") is also a phrase of the story, so only whole caption lines are leaks
    g, ext = _page("youm7_2024_taxi")
    lines = ext.text.splitlines()
    assert len(g["leaks"]) == 3
    assert not any(_norm(line) == _norm(leak) for line in lines for leak in g["leaks"])
    assert lines == g["body_paragraphs"]


def test_local_time_labelled_z_in_summer_time() -> None:
    # youm7 2024: meta "2024-05-20T07:00:00Z" is Cairo wall time (07:00 ص under the headline); Egypt keeps
    # summer time again since 2023, so the instant is 04:00 UTC, not 05:00
    _, ext = _page("youm7_2024_labour")
    assert ext.published_at == datetime(2024, 5, 20, 4, 0, tzinfo=UTC)


def test_arabic_indic_json_ld_timestamp_is_the_instant() -> None:
    # Sky News Arabia (a browser-rendered save): the only full timestamp is JSON-LD datePublished written in
    # Arabic-Indic digits, "٢٠٢٦-٠٧-٠٧T١٤:٢٩:٢١+0400"; the line under the headline is relative ("قبل 5 ساعات").
    # The instant is 10:29:21 UTC, not midnight of the day; the standfirst (p.article-summary, the story's
    # opening) is kept once and the photo caption under the lead image is not a line of the text.
    g, ext = _page("skynewsarabia")
    assert ext.published_at == datetime(2026, 7, 7, 10, 29, 21, tzinfo=UTC)
    lines = ext.text.splitlines()
    assert lines[0] == g["lead"] and lines.count(g["lead"]) == 1
    assert "الشرع وماكرون" not in lines


def test_bbc_byline_list_and_skip_link_markers_are_not_text() -> None:
    """BBC World Service pages (one template for every language) print the byline as a list whose
    screen-reader labels stay English ("Author, …", "Role, …"), and put a skip link before each
    embedded box ("تخطى يستحق الانتباه وواصل القراءة") with the marker it jumps to after it ("يستحق
    الانتباه نهاية"): the byline names the author, and none of it is text."""
    _, ext = _page("bbc_arabic")
    assert ext.author == "كايلا إبستين وأنجليكا كاساس"
    for furniture in ("Author,", "Role,", "نهاية", "تخطى"):
        assert furniture not in ext.text


def test_skip_to_content_link_keeps_the_content() -> None:
    """A "skip to content" link jumps to the whole story: the link goes, the story stays."""
    paras = ["أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات الجنوبية بطاقة استيعابية تبلغ ألف سرير.",
             "وقال وزير الصحة في مؤتمر صحفي إن المستشفيات الجديدة ستخدم أكثر من مليوني نسمة وستفتتح رسميا الشهر المقبل."]
    page = (f'<html><body><a href="#main-content" class="skip">تجاوز إلى المحتوى الرئيسي</a><nav><a href="/">الرئيسية</a></nav>'
            f'<div id="main-content"><h1>افتتاح ثلاثة مستشفيات جديدة</h1><p>{paras[0]}</p><p>{paras[1]}</p></div></body></html>')
    assert extract_page(page, "https://example.com/news/1", now=NOW).text.splitlines() == paras
