"""Extraction benchmark: tasks.extract.extract_page vs plain trafilatura.extract on the same pages.

Usage:
    python bench/extraction.py [--write] [--verbose] [--zyte-limit N]

Sets:
  dev     simulated Arabic news web (tests/fixtures/web/dev, gold.jsonl bodies and titles)
  ar-real real Arabic pages with full-text gold in ../shared/corpus (or $AKHBAR_CORPUS)/02_articles_ar (CNN Arabic, LBC)
  zyte    Zyte article-extraction benchmark (English) in ../shared/corpus (or $AKHBAR_CORPUS)/03_extraction_benchmarks
  dates   8 htmldate Arabic pages: publication date accuracy
Corpus sets are skipped (and reported as absent) when ../shared/corpus (or $AKHBAR_CORPUS) is missing.
Token metric: regex \\w+ over NFKC text, multiset overlap -> precision / recall / F1, mean over pages.
--write replaces the section between the extraction markers in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import regex
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from tasks.extract import EXTRACTOR_VERSION, extract_page, page_published  # noqa: E402

DEV = ROOT / "tests" / "fixtures" / "web" / "dev"
# The shared research corpus sits beside the repository (../shared), when it is there at all.
CORPUS = Path(os.environ.get("AKHBAR_CORPUS", ROOT.parent / "shared" / "corpus"))
AR = CORPUS / "02_articles_ar"
ZYTE = CORPUS / "03_extraction_benchmarks" / "zyte_article_extraction_benchmark"
RESULTS = ROOT / "bench" / "RESULTS.md"
NOW = datetime(2027, 1, 1, tzinfo=UTC)  # after every dev page; the dev web is dated Nov 2026


def tokens(text: str) -> Counter:
    return Counter(regex.findall(r"\w+", unicodedata.normalize("NFKC", text or "")))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_tok, g_tok = tokens(pred), tokens(gold)
    overlap = sum((p_tok & g_tok).values())
    p = overlap / sum(p_tok.values()) if p_tok else 0.0
    r = overlap / sum(g_tok.values()) if g_tok else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def decode_declared(body: bytes) -> str:
    """Bench-only decoding: the page's declared <meta> charset, else utf-8."""
    m = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", body[:4096], re.I)
    enc = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return body.decode(enc, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


@dataclass
class Page:
    set_name: str
    key: str
    html: str
    gold: str
    url: str = ""
    title: str | None = None


def dev_pages() -> list[Page]:
    manifest = {m["url_path"]: m for m in json.loads((DEV / "manifest.json").read_text("utf-8"))}
    pages = []
    for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines():
        g = json.loads(line)
        body = (DEV / manifest[g["url_path"]]["file"]).read_bytes()
        url = "http://127.0.0.1:8000" + g["url_path"]
        html = decode_declared(body).replace("{{BASE}}", "http://127.0.0.1:8000")
        pages.append(
            Page(
                "dev",
                f"{g['outlet_id']}:{g['story_id']}",
                html,
                "\n".join(g["body_paragraphs"]),
                url,
                g["title"],
            )
        )
    return pages


def ar_real_pages() -> list[Page]:
    if not AR.exists():
        return []
    pages = []
    cnn = AR / "newspaper4k"
    pages.append(Page("ar-real", "cnn-arabic", (cnn / "html__arabic_article.html").read_text("utf-8"),
                      (cnn / "txt__arabic_article.txt").read_text("utf-8"),
                      "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"))  # fmt: skip
    lbc = AR / "fundus_lbcgroup"
    gold = json.loads((lbc / "LBCGroup.json").read_text("utf-8"))["V1"]
    paras = [p for s in gold["body"]["sections"] for p in s["paragraphs"]]
    meta = json.loads((lbc / "meta.info").read_text("utf-8"))
    html = decode_declared(gzip.decompress((lbc / "LBCGroup_2026_01_08.html.gz").read_bytes()))
    pages.append(
        Page(
            "ar-real",
            "lbc",
            html,
            "\n".join(paras),
            meta["LBCGroup_2026_01_08.html.gz"]["url"],
            gold["title"],
        )
    )
    return pages


def zyte_pages(limit: int | None) -> list[Page]:
    if not ZYTE.exists():
        return []
    truth = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        path = ZYTE / "html" / f"{key}.html.gz"
        if path.exists():
            html = decode_declared(gzip.decompress(path.read_bytes()))
            pages.append(Page("zyte", key[:12], html, truth[key]["articleBody"], truth[key]["url"]))
    return pages


def ours(page: Page) -> str:
    return extract_page(page.html, page.url, now=NOW).text


def plain(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


def np4k(page: Page) -> str:
    """newspaper4k (bench extra `pip install newspaper4k`), language fixed to the page's script."""
    try:
        import newspaper
    except ImportError:
        return ""
    art = newspaper.Article(page.url or "http://example.com/a", language="ar" if page.set_name != "zyte" else "en")
    art.download(input_html=page.html)
    art.parse()
    return art.text or ""


@dataclass
class Score:
    p: float
    r: float
    f: float
    min_f: float
    worst: str
    secs: float


def score(pages: list[Page], fn: Callable[[Page], str], verbose: bool = False) -> Score:
    rows = []
    t0 = time.perf_counter()
    for page in pages:
        p, r, f = prf(fn(page), page.gold)
        rows.append((p, r, f, page.key))
        if verbose and f < 0.98:
            print(f"  {fn.__name__:6} {page.key:40} P={p:.3f} R={r:.3f} F1={f:.3f}")
    secs = time.perf_counter() - t0
    worst = min(rows, key=lambda x: x[2])
    return Score(statistics.mean(x[0] for x in rows), statistics.mean(x[1] for x in rows),
                 statistics.mean(x[2] for x in rows), worst[2], worst[3], secs)  # fmt: skip


def title_rate(pages: list[Page]) -> tuple[float, int, list[str]]:
    misses = []
    for page in pages:
        got = extract_page(page.html, page.url, now=NOW).title
        if got != page.title:
            misses.append(f"{page.key}: got {got!r} want {page.title!r}")
    return 1 - len(misses) / len(pages), len(pages), misses


def date_accuracy() -> tuple[int, int, list[str]] | None:
    folder = AR / "htmldate_testset"
    if not folder.exists():
        return None
    gold = json.loads((folder / "gold_dates.json").read_text("utf-8"))
    right, notes = 0, []
    for url, info in gold.items():
        html = decode_declared((folder / info["file"]).read_bytes())
        got = page_published(html, url, now=datetime(2021, 6, 1, tzinfo=UTC)).published_at
        ok = got is not None and got.date().isoformat() == info["date"]
        right += ok
        notes.append(
            f"{info['file']}: want {info['date']} got {got.isoformat() if got else None}{'' if ok else '  <-- miss'}"
        )
    return right, len(gold), notes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--zyte-limit", type=int, default=None)
    args = ap.parse_args()

    sets = {"dev (Arabic, simulated)": dev_pages(), "ar-real (CNN Arabic, LBC)": ar_real_pages(),
            "zyte (English)": zyte_pages(args.zyte_limit)}  # fmt: skip
    lines = [f"Extractor: `{EXTRACTOR_VERSION}`; baseline: plain `trafilatura.extract(html)` (defaults) on the same decoded str.",
             "", "| set | pages | extractor | precision | recall | F1 | min F1 (page) | secs |",
             "| --- | ---: | --- | ---: | ---: | ---: | --- | ---: |"]  # fmt: skip
    for name, pages in sets.items():
        if not pages:
            lines.append(f"| {name} | 0 | (absent: {CORPUS} not found) | | | | | |")
            continue
        for fn in (ours, plain, np4k):
            s = score(pages, fn, args.verbose)
            label = {"ours": "akhbar", "plain": "plain trafilatura", "np4k": "newspaper4k 0.9"}[fn.__name__]
            lines.append(
                f"| {name} | {len(pages)} | {label} | {s.p:.4f} | {s.r:.4f} | {s.f:.4f} | {s.min_f:.3f} ({s.worst}) | {s.secs:.1f} |"
            )
    cost = [p for ps in sets.values() for p in ps]
    lines += ["", f"Per-page cost over all {len(cost)} pages, one process: akhbar "
              f"{score(cost, ours).secs / len(cost) * 1000:.1f} ms vs bare `trafilatura.extract` "
              f"{score(cost, plain).secs / len(cost) * 1000:.1f} ms (machine shared with other developers)."]
    rate, n, misses = title_rate(sets["dev (Arabic, simulated)"])
    lines += ["", f"Titles exact (dev, vs gold `<h1>` headline): **{rate:.1%}** of {n}"]
    lines += [f"  - miss {m}" for m in misses]
    dates = date_accuracy()
    if dates is None:
        lines.append(f"\nDates (htmldate Arabic set): absent ({AR} not found)")
    else:
        right, total, notes = dates
        lines += [
            "",
            f"Publication dates right (htmldate Arabic set, date in the page's own offset vs gold day): **{right}/{total}**",
        ]
        lines += [f"  - {x}" for x in notes]
    table = "\n".join(lines)
    print(table)
    if args.write:
        write_results(table, " ".join(["python", "bench/extraction.py", *sys.argv[1:]]))


def write_results(table: str, command: str) -> None:
    write_section("extraction", f"## Extraction\n\nCommand: `{command}`\n\n{table}")


if __name__ == "__main__":
    main()
