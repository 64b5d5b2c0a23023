"""A zoneless time (or a 'Z') and the day in the story's URL: the URL may place a time in UTC, but a print
outlet's URL carries the day of the paper's issue, the morning after the evening its CMS timed the story
(Al Bayan "/2026-12-08-1.…", Al Khaleej "/2026-12-08/…", Al Ahram's daily edition "/daily/2026/12/8/…").
East of Greenwich the UTC reading of a local evening falls on that next day too, so the URL's day alone never
pulls a local time into UTC: the feed entry or a zoned or printed date of the page must name the UTC reading,
and nothing must name the local one. West of Greenwich (the URL's day before the local reading's) no edition
is dated before its text: the URL alone still decides. A 'Z' stays trusted against a machine value with the
same wall time when the URL backs it (aljazeera.net), not against a date line printed for readers.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.extract import page_published

BODY = "<p>" + "نص الخبر الكامل هنا مع تفاصيل كثيرة عن الحدث الذي وقع في العاصمة أمس. " * 6 + "</p>"
NOW = datetime(2026, 12, 8, 12, tzinfo=UTC)


def _page(head: str = "", line: str = "") -> str:
    return (f"<html><head><title>عنوان الخبر</title>{head}</head><body><article><h1>عنوان الخبر</h1>{line}{BODY}"
            "</article></body></html>")


def _meta(value: str) -> str:
    return f'<meta property="article:published_time" content="{value}"/>'


# (outlet zone, URL with the issue day, the CMS's zoneless evening time, its instant as local time)
EDITIONS = [
    ("AE", "https://www.albayan.ae/across-the-uae/news/2026-12-08-1.4512345", "2026-12-07T23:30:00",
     datetime(2026, 12, 7, 19, 30, tzinfo=UTC)),
    ("AE", "https://www.alkhaleej.ae/2026-12-08/%D8%AE%D8%A8%D8%B1/%D8%A7%D9%84%D8%A5%D9%85%D8%A7%D8%B1%D8%A7%D8%AA",
     "2026-12-07 21:10:00", datetime(2026, 12, 7, 17, 10, tzinfo=UTC)),
    ("EG", "https://gate.ahram.org.eg/daily/2026/12/8/News/123456.aspx", "2026-12-07T22:15:00",
     datetime(2026, 12, 7, 20, 15, tzinfo=UTC)),
    ("SA", "https://www.okaz.com.sa/news/local/٢٠٢٦/١٢/٠٨/2212345", "2026-12-07T22:40:00",
     datetime(2026, 12, 7, 19, 40, tzinfo=UTC)),
]


@pytest.mark.parametrize("country, url, stored, local", EDITIONS)
def test_an_issue_day_in_the_url_does_not_pull_a_local_evening_into_utc(country, url, stored, local) -> None:
    got = page_published(_page(_meta(stored)), url, NOW, country)
    assert got.published_at == local and got.source == "meta"


@pytest.mark.parametrize("country, url, stored, local", EDITIONS)
def test_a_feed_entry_at_the_local_reading_keeps_it_local(country, url, stored, local) -> None:
    got = page_published(_page(_meta(stored)), url, NOW, country, feed_published=local.replace(minute=local.minute + 4))
    assert got.published_at == local


@pytest.mark.parametrize("country, url, stored, local", EDITIONS)
def test_a_printed_date_line_of_the_evening_keeps_it_local_even_with_a_feed_at_the_utc_reading(country, url, stored,
                                                                                                local) -> None:
    wall = datetime.fromisoformat(stored.replace(" ", "T"))
    line = f"<div class='date'>{wall.day} ديسمبر {wall.year} - {wall.hour - 12}:{wall.minute:02d} م</div>"
    got = page_published(_page(_meta(stored), line), url, NOW, country,
                         feed_published=wall.replace(tzinfo=UTC))  # an edition posted at dawn: the feed alone disagrees
    assert got.published_at == local
    # the printed day alone (no time) names the local reading too
    line = f"<div class='date'>{wall.day} ديسمبر {wall.year}</div>"
    assert page_published(_page(_meta(stored), line), url, NOW, country).published_at == local


@pytest.mark.parametrize("country, url, stored, local", EDITIONS)
def test_the_papers_issue_line_printed_on_the_page_is_no_second_witness(country, url, stored, local) -> None:
    # the page prints the issue's day (the URL's) without a time: the URL's evidence again, not the UTC reading's
    line = "<div class='issue'>العدد 16234 - الثلاثاء 8 ديسمبر 2026</div>"
    assert page_published(_page(_meta(stored), line), url, NOW, country).published_at == local


@pytest.mark.parametrize("country, url, stored, local", EDITIONS)
def test_a_z_on_a_local_evening_is_read_as_local_when_the_printed_line_shows_it(country, url, stored, local) -> None:
    # JSON-LD writes the local wall time with a "Z" and the page prints the same time: local time mislabelled,
    # whatever the issue day in the URL (the URL backed the "Z" and silenced every witness)
    wall = datetime.fromisoformat(stored.replace(" ", "T"))
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "عنوان الخبر", '
          f'"datePublished": "{wall.isoformat()}Z"}}</script>')
    line = f"<div class='date'>{wall.day}/{wall.month}/{wall.year} {wall.hour}:{wall.minute:02d}</div>"
    got = page_published(_page(ld, line), url, NOW, country)
    assert got.published_at == local and got.source == "jsonld"


# The other direction: a CMS that stores UTC and prints it without a zone (aljazeera.net's meta publishedDate).
ALJAZEERA = "https://www.aljazeera.net/news/2026/7/28/%d8%aa%d8%b1%d9%85%d8%a8-%d9%8a%d8%aa%d8%ad%d8%af%d8%ab"
STORED_UTC = _meta("2026-07-27T21:02:32")
UTC_INSTANT = datetime(2026, 7, 27, 21, 2, 32, tzinfo=UTC)
LOCAL_INSTANT = datetime(2026, 7, 27, 18, 2, 32, tzinfo=UTC)
JULY_28 = datetime(2026, 7, 28, 12, tzinfo=UTC)


@pytest.mark.parametrize("feed", [datetime(2026, 7, 27, 21, 2, 32, tzinfo=UTC), datetime(2026, 7, 27, 21, 10, tzinfo=UTC),
                                  datetime(2026, 7, 27, 20, 55, tzinfo=UTC)])
def test_a_feed_entry_at_the_utc_reading_and_the_urls_day_read_it_as_utc(feed) -> None:
    got = page_published(_page(STORED_UTC), ALJAZEERA, JULY_28, "QA", feed_published=feed)
    assert got.published_at == UTC_INSTANT and "UTC" in got.note


@pytest.mark.parametrize("witness", [
    "<div class='date'>28/7/2026 00:02</div>",  # the printed line, local time: 00:02 in Doha on the 28th
    "<div class='date'>الثلاثاء 28 يوليو 2026 - 12:02 ص</div>",
    "<div class='meta'><time datetime='2026-07-27T21:02:32Z'>منذ ساعة</time></div>",  # a zoned <time>
    "<div class='meta'><time datetime='2026-07-28T00:02:32+03:00'>منذ ساعة</time></div>",
])
def test_a_zoned_or_printed_date_at_the_utc_reading_and_the_urls_day_read_it_as_utc(witness) -> None:
    got = page_published(_page(STORED_UTC, witness), ALJAZEERA, JULY_28, "QA")
    assert got.published_at == UTC_INSTANT


def test_the_urls_day_alone_does_not_read_a_zoneless_time_as_utc_east_of_greenwich() -> None:
    got = page_published(_page(STORED_UTC), ALJAZEERA, JULY_28, "QA")
    assert got.published_at == LOCAL_INSTANT
    # a feed entry hours from both readings names neither
    got = page_published(_page(STORED_UTC), ALJAZEERA, JULY_28, "QA", feed_published=datetime(2026, 7, 28, 6, tzinfo=UTC))
    assert got.published_at == LOCAL_INSTANT


@pytest.mark.parametrize("url", ["https://www.alhurra.com/world/2026/12/07/story-slug",
                                 "https://www.alhurra.com/world/2026-12-07/story-slug"])
def test_west_of_greenwich_the_urls_earlier_day_alone_still_reads_utc(url) -> None:
    # a US outlet's CMS storing UTC: "2026-12-08T01:30:00" is 20:30 in New York on the 7th, the URL's day; read as
    # New York time it would be the 8th, a day after the URL's (no edition is dated before its text)
    got = page_published(_page(_meta("2026-12-08T01:30:00")), url, NOW, "US")
    assert got.published_at == datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
    # a printed line of the 8th at 01:30 (New York time) names the local reading: kept local
    got = page_published(_page(_meta("2026-12-08T01:30:00"), "<div class='date'>8 ديسمبر 2026 - 1:30 ص</div>"), url,
                         NOW, "US")
    assert got.published_at == datetime(2026, 12, 8, 6, 30, tzinfo=UTC)


def test_a_zoneless_time_on_the_urls_own_day_stays_local() -> None:
    got = page_published(_page(_meta("2026-07-28T09:02:32")), ALJAZEERA, JULY_28, "QA",
                         feed_published=datetime(2026, 7, 28, 9, 2, tzinfo=UTC))
    assert got.published_at == datetime(2026, 7, 28, 6, 2, 32, tzinfo=UTC)
