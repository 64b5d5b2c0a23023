"""Report charts with Arabic labels (issue 15.15): headlines cut at word boundaries with "…" at
their logical end, and labels laid out right to left, checked where it matters — in a browser.

The layout test renders the real clusters chart in headless Chromium (Debian's /usr/bin/chromium
through Playwright, as tests/test_ui.py) and reads each character's position from the SVG text;
it is skipped when no browser is installed.
"""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import date

import pytest

from tasks.charts import PDI, RLI, _bidi, _label, _short, clusters_chart
from tests.conftest import DEV_WEB
from warehouse.report_data import ReportData

TITLES = [json.loads(line)["title"] for line in (DEV_WEB / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
PERCENT_TITLE = "ارتفاع أسعار النفط ٤٠% بعد قرار أوبك تمديد خفض الإنتاج حتى نهاية العام المقبل"


def _arabic(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


@pytest.mark.parametrize("n", [20, 30, 45, 50])
def test_headlines_are_cut_between_words(n):
    long = [t for t in TITLES + [PERCENT_TITLE] if len(t) > n]
    assert long, "the fixture needs headlines longer than the cut"
    for title in long:
        short = _short(title, n)
        assert len(short) <= n and short.endswith("…") and short.count("…") == 1
        kept = short[:-1].split()
        words = title.split()
        # what is kept is whole words of the headline, in order (trailing punctuation dropped
        # before the "…": "النوخذة.." + "…" would read as "النوخذة……")
        assert kept[:-1] == words[: len(kept) - 1], (title, short)
        assert kept[-1] == words[len(kept) - 1].rstrip(" ،؛,;:.-–—"), (title, short)


def test_short_titles_are_kept_whole_and_one_long_word_is_cut():
    assert _short("عاجل", 50) == "عاجل"
    assert _short("  خبر   عاجل  ", 50) == "خبر عاجل"
    word = "ا" * 80
    assert _short(word, 20) == "ا" * 19 + "…"


def test_arabic_labels_are_isolated_right_to_left():
    label = _label(PERCENT_TITLE, 45)
    assert label.startswith(RLI) and label.endswith("…" + PDI)
    assert _bidi("Reuters") == "Reuters"  # Latin text is left alone
    assert _label("ارتفاع ٤٠%", 50) == f"{RLI}ارتفاع ٤٠%{PDI}"


CHROMIUM = os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        except sync_api.Error as exc:
            pytest.skip(f"Chromium does not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


def _tick_positions(browser, fig) -> list[tuple[str, list[float]]]:
    """Each y tick label's text and the x of every character, as Chromium laid them out."""
    from plotly.offline import get_plotlyjs

    page = browser.new_page()
    try:
        page.set_content("<html><head><meta charset='utf-8'><script>" + get_plotlyjs() + "</script></head><body>"
                         + fig.to_html(full_html=False, include_plotlyjs=False, div_id="chart") + "</body></html>")
        page.wait_for_selector(".ytick text")
        found = page.evaluate("""() => Array.from(document.querySelectorAll('.ytick text')).map(t => {
            const xs = [];
            for (let i = 0; i < t.getNumberOfChars(); i++) xs.push(t.getStartPositionOfChar(i).x);
            return [t.textContent, xs];
        })""")
    finally:
        page.close()
    return [(text, xs) for text, xs in found]


def test_chromium_renders_the_labels_right_to_left(chromium):
    data = ReportData(day=date(2026, 11, 28), days=14, clusters=[
        dict(cluster_id="a", title=PERCENT_TITLE, agency="afp", n_outlets=3, n_articles=3, lag_median_minutes=4),
        dict(cluster_id="b", title="ارتفاع الأسعار ٤٠%", agency="reuters", n_outlets=2, n_articles=2,
             lag_median_minutes=9),
    ])
    ticks = dict(_tick_positions(chromium, clusters_chart(data)))
    long = next(t for t in ticks if "…" in t)
    xs = ticks[long]
    letters = [xs[i] for i, ch in enumerate(long) if _arabic(ch) and i < len(xs)]
    # right to left: the ellipsis (logical end) is drawn left of every letter
    assert xs[long.index("…")] < min(letters), (long, xs)
    # the agency stays after the headline, on its right
    assert xs[long.index("(")] > max(letters)
    for text, xs in ticks.items():  # "٤٠%" reads right to left: the % is drawn left of the digits
        assert xs[text.index("%")] <= xs[text.index("٤")] + 0.5, (text, xs)
