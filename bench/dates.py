"""Publication dates on real Arabic pages: tasks.dates (via tasks.extract.page_published) side by
side with htmldate alone (extensive search) and trafilatura's metadata date.

Usage: python bench/dates.py [--write]

Set: the 8 real Arabic pages of the htmldate test set (../shared/corpus or $AKHBAR_CORPUS,
02_articles_ar/htmldate_testset, gold day per page from upstream's eval file), each read with its
outlet's zone from the country it publishes in. A date counts as right when its day in the
outlet's zone equals the gold day; "invented" = a date on a page whose gold has none (0 here:
every page has one). Per evidence kind: how many pages each kind decided and how many were right.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import htmldate  # noqa: E402
import trafilatura  # noqa: E402

from bench.results import write_section  # noqa: E402
from tasks import dates  # noqa: E402
from tasks.extract import page_published  # noqa: E402

CORPUS = Path(os.environ.get("AKHBAR_CORPUS", ROOT.parent / "shared" / "corpus"))
SET = CORPUS / "02_articles_ar" / "htmldate_testset"
NOW = datetime(2021, 6, 1, tzinfo=UTC)
ZONES = {"youm7": "EG", "alyaum": "SA", "albayan": "AE", "akhbarelyom": "EG", "almadenahnews": "JO",
         "sputniknews": "RU", "elbaladtv": "SY", "beirutobserver": "LB"}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not SET.exists():
        print(f"absent: {SET}")
        return
    gold = json.loads((SET / "gold_dates.json").read_text("utf-8"))
    rows, kinds, right = [], Counter(), Counter()
    score = Counter()
    secs = Counter()
    for url, info in gold.items():
        html = (SET / info["file"]).read_bytes().decode("utf-8", errors="replace")
        tz = next(v for k, v in ZONES.items() if k in url)
        zone = dates.zone(tz)
        t0 = time.perf_counter()
        ours = page_published(html, url, now=NOW, tz=tz)
        secs["akhbar"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        hd = htmldate.find_date(html, url=url, extensive_search=True, original_date=True, max_date="2021-06-01")
        secs["htmldate"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        tm = trafilatura.extract_metadata(html, default_url=url).date
        secs["trafilatura"] += time.perf_counter() - t0
        got_day = ours.published_at.astimezone(zone).date().isoformat() if ours.published_at else None
        kinds[ours.source] += 1
        for name, day in (("akhbar", got_day), ("htmldate", hd), ("trafilatura", tm)):
            score[(name, "right" if day == info["date"] else ("none" if day is None else "wrong"))] += 1
        right[ours.source] += got_day == info["date"]
        rows.append(f"| {info['file']} | {url.split('/')[2]} | {info['date']} | {ours.source} | "
                    f"{ours.published_at.isoformat() if ours.published_at else '—'} | {got_day} | {hd} | {tm} |")
    n = len(gold)
    lines = [f"Set: {n} real Arabic pages (htmldate test set, gold = day). `now` = {NOW.date()}.", "",
             "| extractor | right day | wrong day | none | secs (all pages) |", "| --- | ---: | ---: | ---: | ---: |"]
    for name in ("akhbar", "htmldate", "trafilatura"):
        lines.append(f"| {name if name != 'htmldate' else 'htmldate alone (extensive)'} | {score[(name, 'right')]}/{n} | "
                     f"{score[(name, 'wrong')]} | {score[(name, 'none')]} | {secs[name]:.2f} |")
    lines += ["", "| evidence kind (ours) | pages | right day |", "| --- | ---: | ---: |"]
    lines += [f"| {k} | {v} | {right[k]} |" for k, v in kinds.most_common()]
    lines += ["", "| page | outlet | gold day | our evidence | our instant (UTC) | our day (outlet zone) | htmldate | trafilatura |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |", *rows]
    out = "\n".join(lines)
    print(out)
    if args.write:
        write_section("dates", f"## Publication dates (real pages)\n\nCommand: `python bench/dates.py --write`\n\n{out}")


if __name__ == "__main__":
    main()
