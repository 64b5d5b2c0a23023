"""Publication dates on real Arabic pages and date strings: tasks.dates (via
tasks.extract.page_published) side by side with htmldate alone and trafilatura's metadata date.

Usage: python bench/dates.py [--write]

Sets (bench/data/realpages/gold.jsonl, gold read off each page by eye, see bench/realpages.py):
  pages    the 12 real pages (8 of them are the htmldate Arabic test set): the instant the outlet
           meant, with its precision (minute, or day when the page gives no decidable time);
  strings  every date string those pages print (JSON-LD, meta, <time>, the visible line, the URL,
           "last updated" stamps), each with the instant it stands for (None: no date of its own).
Verdicts: minute (within 60 s), day (right day in the outlet's zone), wrong, none, invented (a
date where the gold has none). htmldate and trafilatura return a day (htmldate also a time
when asked with a time format): they are scored to the minute only when they give one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import htmldate  # noqa: E402
import trafilatura  # noqa: E402

from bench.realpages import load_gold, load_html  # noqa: E402
from bench.results import write_section  # noqa: E402
from tasks import dates  # noqa: E402
from tasks.extract import page_published  # noqa: E402

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def verdict(got: datetime | None, want: str | None, country: str, precision: str = "minute") -> str:
    zone = dates.zone(country)
    if want is None:
        return "none" if got is None else "invented"
    if got is None:
        return "none"
    if got.tzinfo is None:
        got = got.replace(tzinfo=zone)
    if got.tzinfo is not None and got.utcoffset() == timedelta(0) and (got.hour, got.minute, got.second) == (0, 0, 0):
        zone = UTC  # a bare day is stored as that day at 00:00 UTC: read it as a date, not in the outlet's zone
    if precision == "day" or len(want) == 10:
        return "day" if got.astimezone(zone).date().isoformat() == want[:10] else "wrong"
    target = datetime.fromisoformat(want)
    if abs((got - target).total_seconds()) <= 60:
        return "minute"
    return "day" if got.astimezone(zone).date() == target.astimezone(zone).date() else "wrong"


def _parse_other(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


STRINGS = ROOT / "bench" / "data" / "date_strings.tsv"


def _ours(raw: str, kind: str, country: str) -> datetime | None:
    zone = dates.zone(country)
    if kind == "url":
        cands = dates._url_candidates([raw], NOW)
        return cands[0].value.instant(zone) if cands else None
    return dates.parse_instant(raw, zone, NOW)


def _others(raw: str, kind: str) -> dict[str, datetime | None]:
    """htmldate alone and trafilatura's metadata on the string as a page would carry it: a URL as the
    page's URL (empty page), a printed date as the only text of an article page."""
    url = raw if kind == "url" else "https://example.com/news/article"
    html = "<html><body><article><h1>خبر</h1><p>نص</p></article></body></html>" if kind == "url" else \
        f"<html><body><article><h1>خبر</h1><p>{raw}</p><p>نص الخبر.</p></article></body></html>"
    hd = htmldate.find_date(html, url=url, extensive_search=True, original_date=True,
                            outputformat="%Y-%m-%dT%H:%M:%S", max_date="2026-12-31")
    tm = trafilatura.extract_metadata(html, default_url=url).date
    return {"htmldate": _parse_other(hd), "trafilatura": _parse_other(tm)}


def corpus_strings() -> list[str]:
    """bench/data/date_strings.tsv: real date strings (SPA Hijri+Gregorian datelines, Arriyadiyah stamps,
    article URLs of 20 outlets) beside htmldate alone and trafilatura's metadata."""
    rows = [ln.split("\t") for ln in STRINGS.read_text("utf-8").splitlines() if ln and not ln.startswith("#")][1:]
    per: dict[tuple[str, str], Counter] = defaultdict(Counter)
    misses = []
    for _src, outlet, country, kind, raw, expected, precision in rows:
        want = None if expected == "-" else expected
        got = {"akhbar": _ours(raw, kind, country), **_others(raw, kind)}
        for name, value in got.items():
            prec = precision
            if name != "akhbar" and value is not None and value.tzinfo is None and (value.hour, value.minute) == (0, 0):
                prec = "day"
            v = verdict(value, want, country, prec)
            per[(kind, name)][v] += 1
            if name == "akhbar" and (v in ("wrong", "invented") or (v == "none" and want) or (v == "day" and precision == "minute")):
                misses.append(f"{outlet} {kind} {raw[:70]!r}: want {want} got {value}")
    kinds = sorted({k for k, _ in per})
    counts = ", ".join(f"{k} {sum(per[(k, 'akhbar')].values())}" for k in kinds)
    out = [f"Date strings from other real sources (`{STRINGS.relative_to(ROOT)}`): {len(rows)} strings "
           f"({counts}); gold read off each string.", "",
           "| kind | extractor | strings | minute | right day | wrong | none | invented |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for k in kinds:
        for name in ("akhbar", "htmldate", "trafilatura"):
            c = per[(k, name)]
            out.append(f"| {k} | {name} | {sum(c.values())} | {c['minute']} | {c['minute'] + c['day']} | {c['wrong']} | "
                       f"{c['none']} | {c['invented']} |")
    out += ["", "Misses (ours): " + ("none." if not misses else "")] + [f"- {m}" for m in misses]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    gold = load_gold()
    score: Counter = Counter()
    kinds: dict[str, Counter] = defaultdict(Counter)
    secs: Counter = Counter()
    rows = []
    for g in gold:
        html, url, tz = load_html(g["key"]), g["url"], g["country"]
        t0 = time.perf_counter()
        ours = page_published(html, url, now=NOW, tz=tz)
        secs["akhbar"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        hd = htmldate.find_date(html, url=url, extensive_search=True, original_date=True,
                                outputformat="%Y-%m-%dT%H:%M:%S%z", max_date="2026-12-31")
        secs["htmldate"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        tm = trafilatura.extract_metadata(html, default_url=url).date
        secs["trafilatura"] += time.perf_counter() - t0
        hd_dt = _parse_other(hd)
        if hd_dt is not None and hd_dt.tzinfo is None and "T00:00:00" in (hd or ""):
            hd_dt = None if hd is None else _parse_other(hd[:10])
        results = {"akhbar": ours.published_at, "htmldate": hd_dt, "trafilatura": _parse_other(tm)}
        v = {}
        for name, got in results.items():
            prec = g["precision"]
            if name != "akhbar" and got is not None and (got.hour, got.minute, got.second) == (0, 0, 0) and got.tzinfo is None:
                prec = "day"  # a bare day: scored as a day
            v[name] = verdict(got, g["published"], tz, prec)
            score[(name, v[name])] += 1
        kinds[ours.source or "none"][v["akhbar"]] += 1
        rows.append(f"| {g['key']} | {g['published']} ({g['precision']}) | {ours.source} | "
                    f"{ours.published_at.isoformat() if ours.published_at else '—'} | {v['akhbar']} | "
                    f"{hd} ({v['htmldate']}) | {tm} ({v['trafilatura']}) |")
    n = len(gold)
    timed = sum(1 for g in gold if g["precision"] == "minute")
    lines = [f"Pages: {n} real Arabic pages ({len({g['outlet'] for g in gold})} outlets), gold = the instant the "
             f"outlet meant; {timed} give a decidable time. `now` = {NOW.date()}.", "",
             "| extractor | minute-exact (of pages with a time) | right day | wrong | none | invented | secs |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for name in ("akhbar", "htmldate", "trafilatura"):
        right_day = score[(name, "minute")] + score[(name, "day")]
        label = {"akhbar": "akhbar (tasks.dates)", "htmldate": "htmldate alone (extensive)",
                 "trafilatura": "trafilatura metadata"}[name]
        lines.append(f"| {label} | {score[(name, 'minute')]}/{timed} | {right_day}/{n} | {score[(name, 'wrong')]} | "
                     f"{score[(name, 'none')]} | {score[(name, 'invented')]} | {secs[name]:.2f} |")
    lines += ["", "| evidence kind (ours) | pages | minute | day | wrong |", "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {k} | {sum(c.values())} | {c['minute']} | {c['day']} | {c['wrong']} |" for k, c in sorted(kinds.items())]
    # date strings
    per: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for g in gold:
        zone = dates.zone(g["country"])
        for ds in g["date_strings"]:
            if ds["kind"] == "chrome":
                continue  # page chrome is a date in itself: only wrong in its place (scored per page)
            got = dates.parse_instant(ds["raw"], zone, NOW) if ds["kind"] != "url" else None
            if ds["kind"] == "url":
                cands = dates._url_candidates(["http://x/" + ds["raw"] + "/"], NOW)
                got = cands[0].value.instant(zone) if cands else None
            v = verdict(got, ds["expected"], g["country"])
            if ds["expected"] is None and got is not None and ds["kind"] == "time":
                v = "none"  # a bare time ("٠٢:٠٠") has no date: nothing to score
            per[ds["kind"]][v] += 1
            if v in ("wrong", "invented") or (v == "none" and ds["expected"]):
                misses.append(f"{g['key']} {ds['kind']} {ds['raw']!r}: want {ds['expected']} got {got}")
    total = sum(sum(c.values()) for c in per.values())
    lines += ["", f"Date strings: {total} labelled strings from those pages, parsed alone (`tasks.dates.parse_instant`, "
              "outlet zone for naive times).", "",
              "| kind | strings | minute | day | none | wrong |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {k} | {sum(c.values())} | {c['minute']} | {c['day']} | {c['none']} | {c['wrong'] + c['invented']} |"
              for k, c in sorted(per.items())]
    lines += ["", "Misses: " + ("none." if not misses else "")] + [f"- {m}" for m in misses]
    lines += ["", *corpus_strings()]
    lines += ["", "| page | gold | our evidence | our instant (UTC) | ours | htmldate | trafilatura |",
              "| --- | --- | --- | --- | --- | --- | --- |", *rows]
    out = "\n".join(lines)
    print(out)
    if args.write:
        write_section("dates", f"## Publication dates (real pages)\n\nCommand: `python bench/dates.py --write`\n\n{out}")


if __name__ == "__main__":
    main()
