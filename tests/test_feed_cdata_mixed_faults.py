"""A feed with CDATA sections both never closed and holding ']]>' (tasks.feeds.parse_feed, served by
tests/rawserver.py).

Each repair ran only when its mark was in the majority: sections opened without ']]>' only when
'<![CDATA[' outnumbered ']]>', nested ']]>' only when ']]>' outnumbered '<![CDATA['. A feed with
one of each (a title cut at a length limit in one item, a code sample's ']]>' in another's
description) has as many of each, and so does a whole '<![CDATA[…]]>' pasted into a description:
the first feed lost every item, the second's descriptions came out half escaped. The repairs now
run whenever the sections do not open and close in turn.
"""

from __future__ import annotations

from tests.test_hostile_feed_open_cdata import OPEN, TITLES, _parse, _rss


def test_an_unclosed_title_and_a_nested_end_in_one_feed_keep_every_item():
    body = _rss([OPEN + TITLES[0], TITLES[1], TITLES[2]]).replace(
        "<description>موجز</description></item></channel>".encode(),
        "<description><![CDATA[<p>مثال: <code>]]></code> نص</p>]]></description></item></channel>".encode())
    parsed = _parse(body)
    assert [e.title for e in parsed.entries] == TITLES, parsed.bozo_reason
    assert "<code>]]></code> نص" in parsed.entries[2].summary


def test_a_whole_cdata_section_pasted_into_a_description_is_its_text():
    parsed = _parse(_rss(TITLES, "<description><![CDATA[<p>قبل <![CDATA[داخل]]> بعد</p>]]></description>"))
    assert [e.title for e in parsed.entries] == TITLES
    # read as HTML, the pasted section is a bogus comment (a browser shows none of it); not escaped markup
    assert all(e.summary.replace("  ", " ") == "<p>قبل بعد</p>" for e in parsed.entries), parsed.entries[0].summary


def test_well_formed_sections_are_untouched():
    from tasks.feeds import _close_open_cdata, _split_nested_cdata
    body = _rss([OPEN + t + "]]>" for t in TITLES], "<description><![CDATA[<p>أ</p>]]><![CDATA[<p>ب</p>]]></description>")
    assert _split_nested_cdata(body) == (body, None) and _close_open_cdata(body) == (body, None)
