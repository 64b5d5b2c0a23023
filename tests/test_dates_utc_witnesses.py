"""A zoneless machine time a CMS wrote in UTC, and a "+00:00" label on a local wall time, told apart by what
is not in doubt: the date line printed for readers, and for the label the feed entry (no day in the URL needed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tasks.extract import page_published

FETCHED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BODY = "وقال الوزير في مؤتمر صحفي إن المحادثات تناولت ملفات المنطقة والعلاقات الثنائية بين البلدين. " * 3
HEADLINE = "وزير الخارجية يبحث مع نظيره ملفات المنطقة"


def _page(published: str, line: str = "") -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": HEADLINE, "datePublished": published}, ensure_ascii=False)
    return (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article><h1>{HEADLINE}</h1>"
            f"{line}<p>{BODY}</p></article></body></html>")


def _published(html: str, feed: datetime | None = None, tz: str = "EG") -> datetime | None:
    return page_published(html, "https://example.com/news/1", now=FETCHED, tz=tz, feed_published=feed).published_at


def test_a_zoneless_json_ld_time_the_printed_line_shows_two_hours_later_is_utc() -> None:
    html = _page("2026-12-05T08:30:00", "<div class='date'>السبت 5 ديسمبر 2026 - 10:30 ص</div>")
    assert _published(html) == datetime(2026, 12, 5, 8, 30, tzinfo=UTC)
    html = _page("2026-12-05T18:05:00", "<div class='date'>05/12/2026 21:05</div>")  # Riyadh, UTC+3
    assert _published(html, tz="SA") == datetime(2026, 12, 5, 18, 5, tzinfo=UTC)


def test_a_zoneless_time_stays_local_when_the_witnesses_say_so_or_nothing_does() -> None:
    assert _published(_page("2026-12-05T10:30:00")) == datetime(2026, 12, 5, 8, 30, tzinfo=UTC)
    html = _page("2026-12-05T10:30:00", "<div class='date'>5 ديسمبر 2026 - 10:30</div>")
    assert _published(html) == datetime(2026, 12, 5, 8, 30, tzinfo=UTC)
    assert _published(_page("2026-12-05T10:30:00"), feed=datetime(2026, 12, 5, 8, 30, tzinfo=UTC)) \
        == datetime(2026, 12, 5, 8, 30, tzinfo=UTC)


def test_a_utc_label_the_feed_gives_as_local_time_is_mislabelled() -> None:
    # JSON-LD "10:30:00+00:00", the feed "Sat, 05 Dec 2026 10:30:00 +0200": the page's label is wrong
    for stamp in ("2026-12-05T10:30:00+00:00", "2026-12-05T10:30:00Z", "2026-12-05T10:30:00+0000"):
        assert _published(_page(stamp), feed=datetime(2026, 12, 5, 8, 30, tzinfo=UTC)) \
            == datetime(2026, 12, 5, 8, 30, tzinfo=UTC), stamp


def test_a_utc_label_the_feed_agrees_with_is_trusted() -> None:
    assert _published(_page("2026-12-05T10:30:00+00:00"), feed=datetime(2026, 12, 5, 10, 30, tzinfo=UTC)) \
        == datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
    assert _published(_page("2026-12-05T10:30:00+00:00")) == datetime(2026, 12, 5, 10, 30, tzinfo=UTC)


# --- a Solar Hijri date only on Iranian and Afghan outlets ------------------------------------------------


def _line_page(line: str) -> str:
    return f"<html><body><article><h1>{HEADLINE}</h1><div class='date'>{line}</div><p>{BODY}</p></article></body></html>"


def test_dari_month_names_date_a_page_only_on_an_afghan_or_iranian_outlet() -> None:
    for line, day in (("15 حمل 1405", datetime(2026, 4, 4)), ("۱۴ قوس ۱۴۰۵", datetime(2026, 12, 5))):
        for tz in ("AF", "IR"):
            got = page_published(_line_page(line), "https://example.com/news/1", now=FETCHED, tz=tz)
            assert got.published_at is not None and got.published_at.astimezone(UTC).date() == day.date() \
                and got.source == "visible", (line, tz)
        for tz in ("EG", "SA", "MA"):  # elsewhere حمل, قوس, اسد are words, and the number is no year of the outlet
            got = page_published(_line_page(line), "https://example.com/news/1", now=FETCHED, tz=tz)
            assert got.published_at is None, (line, tz)
