"""Real Arabic article pages with gold written from per-outlet selectors (not from our extractor).

Usage:
    python bench/realpages.py --show KEY     print the gold of one page (to read it by eye)
    python bench/realpages.py --write-gold   rebuild bench/data/realpages/gold.jsonl from the spec below

Each page is a raw saved copy from a public repository's test data (bench/data/realpages/
PROVENANCE.md: repository, path, commit, licence). For every outlet this file says, from reading
its page: which elements hold the article body (XPath, in document order), which are captions or
widgets inside it (dropped from the gold, counted as leaks if an extractor keeps them), the
standfirst (the deck or lead the template prints under the headline is part of the gold body, as
fundus' `body.summary` is: it is the outlet's own text of the article), the headline, the publication instant as the outlet meant it (with its precision and
why), the agency whose copy it is ("-" for the outlet's own story) and the date strings the page
prints, each with the instant it stands for. Text is taken with <br> as a line break; whitespace
collapsed; nothing else is changed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "realpages"
PAGES = DATA / "pages"
GOLD = DATA / "gold.jsonl"


@dataclass
class Spec:
    key: str
    outlet: str
    country: str  # catalog country code: the outlet's zone for naive times
    url: str
    title: str  # XPath of the headline element
    body: list[str]  # XPaths of the body blocks (union, document order)
    drop: list[str] = field(default_factory=list)  # captions/widgets inside the body blocks
    lead: str | None = None  # XPath of the standfirst when the template prints one apart
    leaks: list[str] = field(default_factory=list)  # XPaths of captions/widgets anywhere on the page
    published: str | None = None  # ISO 8601 with offset, as the outlet meant it
    precision: str = "minute"  # minute | day | none
    date_note: str = ""
    agency: str = "-"
    agency_note: str = ""
    date_strings: list[tuple[str, str, str | None]] = field(default_factory=list)  # (kind, raw, expected)


SPECS = [
    Spec("sputnik_arabic", "arabic.sputniknews.com", "RU",
         "https://arabic.sputniknews.com/arab_world/202003171044893040-%D9%85%D8%B5%D8%B1-%D8%AA%D8%B3%D8%AC%D9%84-30-%D8%A5%D8%B5%D8%A7%D8%A8%D8%A9-%D8%AC%D8%AF%D9%8A%D8%AF%D8%A9-%D9%88%D8%AD%D8%A7%D9%84%D8%AA%D9%8A-%D9%88%D9%81%D8%A7%D8%A9-%D8%A8%D9%81%D9%8A%D8%B1%D9%88%D8%B3-%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7/",
         "//h1", ['//div[@class="b-article__lead"]', '//div[@itemprop="articleBody"]'],
         drop=['.//div[contains(@class,"b-inject")]', './/div[@class="ria-fb"]'],
         lead='//div[@class="b-article__lead"]',
         leaks=['//div[@itemprop="articleBody"]//div[contains(@class,"b-inject__copy")]',
                '//div[@itemprop="articleBody"]//div[contains(@class,"b-inject__content")]'],
         published="2020-03-17T17:27:41+00:00",
         date_note="meta/pubdate 17:27:41Z; the visible line says 'GMT 17:27 17.03.2020'",
         agency_note="own story; the photo credit '© REUTERS / SHOKRY HUSSIEN' is not provenance",
         date_strings=[("meta", "2020-03-17T17:27:41Z", "2020-03-17T17:27:41+00:00"),
                       ("time", "2020-03-17T17:27", "2020-03-17T17:27:00+00:00"),
                       ("visible", "GMT 17:27 17.03.2020", "2020-03-17T17:27:00+00:00"),
                       ("visible", "(محدثة GMT 17:49 17.03.2020)", "2020-03-17T17:49:00+00:00")]),
    Spec("almadenahnews", "almadenahnews.com", "JO",
         "https://www.almadenahnews.com/article/825076-%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D8%A7-50-%D8%A7%D9%84%D9%81%D8%A7-%D8%AD%D8%B5%D9%8A%D9%84%D8%A9-%D8%A7%D9%84%D9%88%D9%81%D9%8A%D8%A7%D8%AA-%D8%A8%D8%B3%D8%A8%D8%A8-%D9%81%D9%8A%D8%B1%D9%88%D8%B3-%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7",
         "//div[@class='main_artlce_title']/h1", ['//div[@class="main_article_body"]/p'],
         leaks=['//div[@class="article_image"]'],
         published="2020-04-24T21:22:00+03:00",
         date_note="only the visible line 'تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً' (Amman, EEST)",
         agency="petra", agency_note="sign-off '--(بترا)' closes the text; 'المدينة نيوز :-' opens it",
         date_strings=[("visible", "تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "2020-04-24T21:22:00+03:00")]),
    Spec("albayan", "albayan.ae", "AE", "https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874341",
         "//h1", ['//div[@itemprop="articleBody"]/p[not(contains(@class,"follow-google"))]'],
         leaks=['//div[@itemprop="articleBody"]/div[@class="metadata"]', '//p[contains(@class,"follow-google")]'],
         published="2020-06-03T03:01:00+04:00", date_note="JSON-LD/meta/time all 2020-06-03T03:01+0400: the UTC day is the 2nd",
         agency_note="'المصدر: (أبوظبي - البيان)' names the outlet itself",
         date_strings=[("jsonld", "2020-06-03T03:01+0400", "2020-06-03T03:01:00+04:00"),
                       ("visible", "03 يونيو 2020", "2020-06-03"),
                       ("visible", "المصدر: (أبوظبي - البيان) التاريخ: 03 يونيو 2020", "2020-06-03")]),
    Spec("youm7", "youm7.com", "EG",
         "https://www.youm7.com/story/2020/8/24/وزير-الرى-يشهد-توقيع-عقد-دراسة-تحديد-السحب-الآمن-للخزانات/4943459",
         "(//h1)[1]", ['//div[@id="articleBody"]/p'],
         published="2020-08-24T09:23:00+02:00",
         date_note="visible 'الإثنين، 24 أغسطس 2020 09:23 ص' is Cairo time; meta writes the same wall time as '09:23:13Z' "
                   "(local time labelled UTC). The header's '09:56 ص' is the crawl time.",
         date_strings=[("meta", "2020-08-24T09:23:13Z", "2020-08-24T09:23:13+02:00"),
                       ("visible", "الإثنين، 24 أغسطس 2020 09:23 ص", "2020-08-24T09:23:00+02:00"),
                       ("chrome", "الإثنين، 24 أغسطس 2020 09:56 ص", None)]),
    Spec("youm7_2024_labour", "youm7.com", "EG",
         "https://www.youm7.com/story/2024/5/20/وزارة-العمل-تفاصيل-تسفير-5-آلاف-عامل-مصرى-لليونان-للعمل/6574622",
         "(//h1)[1]", ['//div[@id="articleBody"]/h2[@class="coloredquoute"]', '//div[@id="articleBody"]/p'],
         published="2024-05-20T07:00:00+03:00",
         date_note="2024 template (a browser-rendered save): the story opens with an <h2 class='coloredquoute'> "
                   "inside articleBody (its first paragraph, not a headline); meta '07:00:00Z' is Cairo wall time "
                   "labelled UTC as in 2020; visible 'الإثنين، 20 مايو 2024 07:00 ص' under the headline; Egypt "
                   "keeps summer time again since 2023 (+03:00 in May); the header's 'الجمعة، 24 مايو 2024 08:44 ص' "
                   "is the save time",
         agency_note="own story: the ministry spokesman quoted by name",
         date_strings=[("meta", "2024-05-20T07:00:00Z", "2024-05-20T07:00:00+03:00"),
                       ("visible", "الإثنين، 20 مايو 2024 07:00 ص", "2024-05-20T07:00:00+03:00"),
                       ("chrome", "الجمعة، 24 مايو 2024 08:44 ص", None)]),
    Spec("youm7_2024_taxi", "youm7.com", "EG",
         "https://www.youm7.com/story/2024/5/13/وزارة-النقل-تشغل-10-سيارات-كهربائية-للعمل-تاكسى-بالعاصمة-الإدارية/6573469",
         "(//h1)[1]", ['//div[@id="articleBody"]/p'],
         leaks=['//div[@id="articleBody"]/div[@class="imgcontainer"]'],
         published="2024-05-13T06:00:00+03:00",
         date_note="meta '06:00:00Z' (Cairo wall time labelled UTC), visible 'الإثنين، 13 مايو 2024 06:00 ص' (EEST)",
         agency_note="own story; three photo captions (imgcontainer/uplCaption) sit between the paragraphs",
         date_strings=[("meta", "2024-05-13T06:00:00Z", "2024-05-13T06:00:00+03:00"),
                       ("visible", "الإثنين، 13 مايو 2024 06:00 ص", "2024-05-13T06:00:00+03:00")]),
    Spec("akhbarelyom", "akhbarelyom.com", "EG",
         "https://akhbarelyom.com/news/newdetails/3126898/1/36-عامًا..-سر-رحيل-نعيمة-عاكف-في-سن-مبكر",
         "//h1[contains(@class,'entry-title')]", ['//div[contains(@class,"entry-content")]/p'],
         published="2020-10-07T12:09:00+02:00", date_note="meta 'الأربعاء، 07 أكتوبر 2020 - 12:09 م' (Cairo, pm)",
         date_strings=[("meta", "الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07T12:09:00+02:00")]),
    Spec("beirutobserver", "beirutobserver.com", "LB", "https://www.beirutobserver.com/2020/11/2338761/",
         "//h1", ['//div[@class="content-rules"]/p'], drop=['.//div[contains(@class,"wpipa")]'],
         published="2020-11-09T18:34:47+00:00",
         date_note="meta 18:34:47+00:00, visible 'November 9, 2020' only: the offset is taken as written",
         agency_note="cites Middle East Eye and Le Parisien: citations, not wire copy",
         date_strings=[("meta", "2020-11-09T18:34:47+00:00", "2020-11-09T18:34:47+00:00"),
                       ("visible", "November 9, 2020", "2020-11-09")]),
    Spec("alyaum", "alyaum.com", "SA",
         "https://www.alyaum.com/articles/6291787/القارات-السبع/طهران-تدفن-زادة-وتتهم-المعارضة-الإيرانية-باغتياله",
         "(//h1)[1]", ['//div[contains(@class,"aksa-articleBody")]'], drop=['.//div[starts-with(@id,"div-gpt-ad")]'],
         leaks=['//a[contains(@class,"article-title")][contains(.,"رويترز")]'],
         published="2020-12-01T02:00:00+03:00", date_note="JSON-LD 02:00+03:00; visible 'الثلاثاء ١ / ١٢ / ٢٠٢٠' and '٠٢:٠٠'",
         agency_note="the photo caption '(رويترز)' is a photo credit; the text is the outlet's own",
         date_strings=[("jsonld", "2020-12-01T02:00:00+03:00", "2020-12-01T02:00:00+03:00"),
                       ("meta", "2020-12-01 02:00:00", "2020-12-01T02:00:00+03:00"),
                       ("visible", "الثلاثاء ١ / ١٢ / ٢٠٢٠", "2020-12-01"),
                       ("time", "٠٢:٠٠", None)]),
    Spec("elbaladtv", "elbaladtv.net", "SY",
         "https://elbaladtv.net/%d8%aa%d8%b1%d9%83%d9%89-%d8%a2%d9%84-%d8%a7%d9%84%d8%b4%d9%8a%d8%ae-%d8%a8%d8%b9%d8%af-%d8%a5%d8%b5%d8%a7%d8%a8%d8%a9-%d9%8a%d8%b3%d8%b1%d8%a7-%d8%a8%d9%83%d9%88%d8%b1%d9%88%d9%86%d8%a7-%d9%8a%d8%a7/",
         "//h1", ['//div[contains(@class,"content-inner")]/p'],
         leaks=['//div[contains(@class,"jnews_inline_related_post_wrapper")]', '//div[@class="jeg_post_tags"]'],
         published="2020-12-25T01:59:50+02:00", date_note="meta 23:59:50+00:00 = JSON-LD 01:59:50+02:00",
         date_strings=[("meta", "2020-12-24T23:59:50+00:00", "2020-12-24T23:59:50+00:00"),
                       ("jsonld", "2020-12-25T01:59:50+02:00", "2020-12-25T01:59:50+02:00")]),
    Spec("assabah", "assabah.com.tn", "TN",
         "http://www.assabah.com.tn/article/164913/%D8%A7%D9%84%D9%86%D8%A7%D8%B4%D8%B7-%D8%A7%D9%84%D8%AD%D9%82%D9%88%D9%82%D9%8A-%D8%A7%D9%84%D8%B3%D9%88%D8%AF%D8%A7%D9%86%D9%8A-%D8%AE%D8%A7%D9%84%D8%AF-%D8%B9%D8%A8%D8%AF-%D8%A7%D9%84%D9%83%D8%B1%D9%8A%D9%85-%D9%85%D8%A7%D8%B3%D8%A7-%D9%84%D9%80%C2%AB%D8%A7%D9%84%D8%B5%D8%A8%D8%A7%D8%AD%C2%BB-%D9%83%D9%84-%D8%A7%D9%84%D8%B4%D8%B1%D9%88%D8%B7-%D9%85%D8%AA%D9%88%D9%81%D8%B1%D8%A9-%D9%84%D8%AB%D9%88%D8%B1%D8%A9",
         "//h1", ['//div[contains(@class,"field-name-field-op-subtitle")]//div[@class="field-item even"]',
                  '//div[contains(@class,"field-name-body")]//div[@class="field-item even"]/p'],
         lead='//div[contains(@class,"field-name-field-op-subtitle")]//div[@class="field-item even"]',
         published="2019-02-08", precision="day", date_note="'الجمعة 8 فيفري 2019' (Maghrebi month name), no time",
         agency_note="an interview by the outlet ('حوار: آسيا العتروس')",
         date_strings=[("visible", "الجمعة 8 فيفري 2019", "2019-02-08")]),
    Spec("cnn_arabic", "arabic.cnn.com", "AE", "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
         "(//h1)[2]", ['//div[@class="cnn_strycntntrgt"]/p'],
         published="2013-08-03", precision="day",
         date_note="the URL path gives 2013/8/3 (the text speaks of Friday-Saturday night); the only visible line "
                   "'الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)' is a last-update time",
         agency_note="'دمشق، سوريا (CNN) --' is the outlet's own dateline",
         date_strings=[("url", "2013/middle_east/8/3", "2013-08-03"),
                       ("updated", "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "2013-08-28T14:00:00+04:00")]),
    Spec("lbc", "lbcgroup.tv", "LB",
         "https://www.lbcgroup.tv/news/lifestyle/898682/%D8%B4%D8%B9%D8%B1-%D9%88%D8%B1%D8%AF%D9%8A-%D9%8A%D9%8F%D8%B4%D8%B9%D9%84-%D8%A7%D9%84%D8%B3%D8%AE%D8%B1%D9%8A%D8%A9-%D9%84%D8%BA%D8%B2-%D9%84%D9%88%D9%86-%D8%B4%D8%B9%D8%B1-%D8%AF%D9%88%D9%86%D8%A7%D9%84%D8%AF-%D8%AA%D8%B1%D8%A7%D9%85%D8%A8-%D9%8A%D8%B1%D8%A8%D9%83-%D8%A7%D9%84%D8%AC%D9%85%D9%87%D9%88%D8%B1-%D9%88%D8%AE%D8%A8%D9%8A%D8%B1-%D9%8A%D8%B4%D8%B1/ar",
         "//h1", ['//div[@class="LongDesc"]'],
         published="2026-01-08T11:42:50+00:00", precision="day",
         date_note="JSON-LD/meta 11:42:50Z but the visible line '2026-01-08 | 12:42' is one hour off any Beirut reading "
                   "(10:42Z): the hour is not decidable from the page, the day is",
         agency_note="cites the Daily Mail: citation, not wire copy",
         date_strings=[("jsonld", "2026-01-08T11:42:50+00:00", "2026-01-08T11:42:50+00:00"),
                       ("visible", "2026-01-08 | 12:42", "2026-01-08")]),
    Spec("bbc_arabic", "bbc.com/arabic", "GB", "https://www.bbc.com/arabic/articles/c720dxj8dq8o",
         "//h1", ['//main//p[contains(@class,"bbc-1gjryo4")]'],
         leaks=['//main//figcaption/p'],
         published="2024-03-03T13:52:13+00:00", date_note="JSON-LD/meta 13:52:13.299Z; <time> shows the day",
         agency_note="BBC's own reporting; it cites the New York Times and ABC News",
         date_strings=[("jsonld", "2024-03-03T13:52:13.299Z", "2024-03-03T13:52:13+00:00"),
                       ("time", "2024-03-03", "2024-03-03"),
                       ("visible", "3 مارس/ آذار 2024", "2024-03-03")]),
    Spec("skynewsarabia", "skynewsarabia.com", "AE",
         "https://www.skynewsarabia.com/middle-east/1879607-%D8%A7%D9%84%D8%B4%D8%B1%D8%B9-%D9%86%D8%A4%D8%B3%D8%B3-%D9%84%D8%B4%D8%B1%D8%A7%D9%83%D8%A9-%D8%AA%D9%82%D9%88%D9%85-%D8%A7%D9%84%D9%85%D8%B5%D8%A7%D9%84%D8%AD-%D8%A7%D9%84%D9%85%D8%AA%D8%A8%D8%A7%D8%AF%D9%84%D8%A9-%D9%81%D8%B1%D9%86%D8%B3%D8%A7",
         "//h1[contains(@class,'sna_content_heading')]",
         ['//p[contains(@class,"article-summary")]', '//div[@class="article-body"]//p'],
         lead='//p[contains(@class,"article-summary")]',
         leaks=['//div[contains(@class,"article_image_heading_bg")]',
                '//div[@class="article-body"]//div[contains(@class,"rel_article_group_title")]',
                '//div[@class="article-body"]//div[contains(@class,"rel_article_title")]'],
         published="2026-07-07T14:29:21+04:00",
         date_note="a browser-rendered save (AngularJS DOM): the only full timestamp is JSON-LD datePublished in "
                   "Arabic-Indic digits '٢٠٢٦-٠٧-٠٧T١٤:٢٩:٢١+0400' (= the embedded API's revision 10:29:21Z); "
                   "the visible line under the headline is relative ('قبل 5 ساعات')",
         agency_note="'وكالات - أبوظبي' under the headline credits unnamed wires; the text names no agency. "
                     "The lead (p.article-summary) is the story's first paragraph; the photo caption "
                     "'الشرع وماكرون' and an 'أخبار ذات صلة' box inside article-body are not text",
         date_strings=[("jsonld", "٢٠٢٦-٠٧-٠٧T١٤:٢٩:٢١+0400", "2026-07-07T14:29:21+04:00")]),
]


def load_html(key: str) -> str:
    raw = gzip.decompress((PAGES / f"{key}.html.gz").read_bytes())
    return raw.decode("utf-8", errors="replace")


def _lines(el) -> list[str]:
    """Text lines of an element: <br> and block children break lines; whitespace collapsed."""
    out: list[str] = [""]
    blocks = {"p", "div", "li", "h2", "h3", "h4", "blockquote", "section", "ul", "ol", "table", "tr"}

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript", "iframe"):
            return  # the caller adds the tail
        if node.tag == "br":
            out.append("")
        elif node.tag in blocks:
            out.append("")
        out[-1] += node.text or ""
        for child in node:
            walk(child)
            if isinstance(child.tag, str) and child.tag in blocks:
                out.append("")
            out[-1] += child.tail or ""

    walk(el)
    return [t for t in (" ".join(x.split()) for x in out) if t]


def gold_for(spec: Spec) -> dict:
    root = lxml.html.document_fromstring(load_html(spec.key))
    blocks = []
    for xp in spec.body:
        blocks += root.xpath(xp)
    order = {el: i for i, el in enumerate(root.iter())}
    paras: list[str] = []
    for el in sorted(set(blocks), key=order.__getitem__):
        for xp in spec.drop:
            for bad in el.xpath(xp):
                bad.getparent().remove(bad)
        paras += _lines(el)
    title = " ".join(root.xpath(spec.title)[0].text_content().split())
    lead = None
    if spec.lead:
        lead = " ".join(root.xpath(spec.lead)[0].text_content().split())
    leaks = []
    root2 = lxml.html.document_fromstring(load_html(spec.key))
    for bad in root2.xpath("//script|//style|//noscript"):
        bad.drop_tree()  # a widget's visible text only
    for xp in spec.leaks:
        leaks += [t for el in root2.xpath(xp) if (t := " ".join(el.text_content().split())) and t not in leaks]
    return {"key": spec.key, "outlet": spec.outlet, "country": spec.country, "url": spec.url, "title": title,
            "body_paragraphs": paras, "lead": lead, "leaks": leaks, "published": spec.published,
            "precision": spec.precision, "date_note": spec.date_note, "agency": spec.agency,
            "agency_note": spec.agency_note,
            "date_strings": [{"kind": k, "raw": r, "expected": e} for k, r, e in spec.date_strings]}


def load_gold() -> list[dict]:
    return [json.loads(x) for x in GOLD.read_text("utf-8").splitlines() if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show")
    ap.add_argument("--write-gold", action="store_true")
    args = ap.parse_args()
    if args.show:
        g = gold_for(next(s for s in SPECS if s.key == args.show))
        print(json.dumps(g, ensure_ascii=False, indent=1))
    if args.write_gold:
        with GOLD.open("w", encoding="utf-8") as fh:
            for spec in SPECS:
                fh.write(json.dumps(gold_for(spec), ensure_ascii=False) + "\n")
        print(f"wrote {GOLD} ({len(SPECS)} pages)")


if __name__ == "__main__":
    sys.exit(main())
