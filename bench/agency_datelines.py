"""Agency attribution on real Arabic dateline / sign-off / source lines, per line shape.

Usage: python bench/agency_datelines.py [--write]

Sets (labels written by reading, never by running our attribution):
* bench/data/datelines_saudinewsnet.tsv — 496 real lines of 14 Saudi outlets (SaudiNewsNet, 2015):
  page credit fields (bylines), openings and endings of texts, in-text agency mentions, photo
  credits; shape written by hand while labelling;
* bench/data/datelines_semeval.tsv — the first two and last two paragraphs of the 281 real
  SemEval-2022 Arabic texts; shape found by the patterns below.
Each line is attributed in its place: a byline or head line opens a text, a tail line closes one,
a body line sits between two neutral sentences, so the score is what `tasks.attribution.attribute`
says about that line alone. "photo-item" lines (whole items that are one captioned agency photo:
"الاقتصاد في صور") are shown on their own row and left out of the totals: in their page the
credit belongs to the item itself, and read alone it is a brief's sign-off.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from tasks.attribution import attribute  # noqa: E402

DATA = ROOT / "bench" / "data" / "datelines_semeval.tsv"
SNN = ROOT / "bench" / "data" / "datelines_saudinewsnet.tsv"
SNN_SHAPES = {
    "city-ag": "dash/colon dateline `المدينة - وكالة`, `المدينة: وكالة`",
    "city(ag)": "paren dateline `المدينة (وكالة)`, `المدينة : (وكالة)`",
    "ag-city": "agency first `وكالة - المدينة:`",
    "ag(city)": "agency first `وكالة (المدينة)`",
    "outlet-ag": "outlet + agency `الوئام - رويترز:`, `سبق - وكالات:`",
    "byline+ag": "places + reporter + agency `الرياض، عدن - فلان، واس`",
    "ag-alone": "credit alone `“أ ب”`",
    "city-date-ag": "SPA `المدينة 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس`",
    "signoff": "sign-off `(رويترز)`, `«الفرنسية»`, `بحسب رويترز.`",
    "selfref": "wire self-reference `ولم تستطع رويترز التثبت`",
    "own": "outlet's own credit `الرياض: «الشرق الأوسط»` (negative)",
    "citation": "citation `لوكالة …`, `نقلت وكالة …` (negative)",
    "photo": "photo credit `(تصوير: …)`, caption `… إ.ب.أ` (negative)",
    "sentence": "body sentence naming a place/adjective (negative)",
    "photo-item": "whole item = one captioned agency photo (not in totals)",
}


def place(line: str, pos: str) -> str:
    if pos in ("head", "byline"):
        return f"{line}\n{FILLER}"
    if pos == "tail":
        return f"{FILLER}\n{line}"
    return f"{FILLER}\n{line}\n{FILLER}"


def table(rows: list[tuple[str, str, str, str]], title: str) -> tuple[list[str], list[str], tuple[int, int, int, int, int]]:
    """rows: (id, position, label, line, shape). Returns markdown lines, misses, totals."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, total, false provenance
    misses = []
    totals = [0, 0, 0, 0, 0]  # right, n, positives right, positives, false provenance
    for rid, pos, label, line, s in rows:
        got = attribute(place(line, pos)).agency or "-"
        per[s][1] += 1
        ok = got == label
        per[s][0] += ok
        wrong_prov = label == "-" and got != "-"
        per[s][2] += wrong_prov
        if not ok:
            misses.append(f"{rid} {pos} [{s}]: want {label} got {got}: {line[:90]}")
        if s.startswith("whole item"):
            continue
        totals[0] += ok
        totals[1] += 1
        totals[2] += ok and label != "-"
        totals[3] += label != "-"
        totals[4] += wrong_prov
    out = [f"**{title}**", "", "| line shape | lines | right | accuracy | counted as provenance wrongly |",
           "| --- | ---: | ---: | ---: | ---: |"]
    for name, (r, n, fp) in sorted(per.items(), key=lambda kv: (kv[0].startswith("whole item"), -kv[1][1])):
        out.append(f"| {name} | {n} | {r} | {r / n:.3f} | {fp} |")
    return out, misses, tuple(totals)
FILLER = "وقال المسؤول إن الاجتماع سيعقد الأسبوع المقبل لبحث الملفات العالقة."

SHAPES = [  # first match wins
    ("source line `المصدر: …`", regex.compile(r"^\s*(?:المصدر|مصدر)\s*:")),
    ("`وكالات` credit", regex.compile(r"^\s*(?:\S+\s*[-–]\s*)?وكالات\s*:?\s*")),
    ("citation (`لوكالة …`, `نقلتها وكالة …`, `بحسب …`)",
     regex.compile(r"لوكالة|لـ?وكالة|نقلت(?:ها|ه)?\s+وكالة|بحسب|وفق(?:ا|ً)?\s+(?:ما|لـ?)|ذكرت(?:ه)?\s+وكالة|تلقت\s+وكالة")),
    ("slash dateline `المدينة في 3 مايو / وكالة /`", regex.compile(r"^[^\n]{0,40}/\s*\S+(?:\s\S+)?\s*/")),
    ("paren dateline `المدينة (وكالة) -`", regex.compile(r"^[^\n()]{1,40}\((?:[^()]{1,30})\)\s*[-–:]*")),
    ("dash dateline `المدينة - وكالة`", regex.compile(r"^\s*\S+(?:\s\S+)?\s*[-–ـ]\s*\S+(?:\s\S+){0,2}\s*:?\s*$|^\s*\S+\s*[-–ـ]\s*\S")),
    ("sign-off `(وكالة)`", regex.compile(r"\((?:[^()]{1,30})\)\s*\.?\s*$")),
    ("byline", regex.compile(r"^\s*كتب")),
]


def shape(line: str, label: str) -> str:
    for name, pat in SHAPES:
        if pat.search(line):
            if name.startswith("dash") and label == "-" and len(line) > 60:
                break  # a sentence with a dash in it
            return name
    return "body sentence" if label == "-" else "other credit"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    semeval = [ln.split("\t") for ln in DATA.read_text("utf-8").splitlines() if ln and not ln.startswith("#")][1:]
    snn = [ln.split("\t") for ln in SNN.read_text("utf-8").splitlines() if ln and not ln.startswith("#")][1:]
    rows_a = [(f"{k} {o}", pos, label, line, SNN_SHAPES[sh]) for k, o, pos, sh, label, line in snn]
    rows_b = [(aid, pos, label, line, shape(line, label)) for aid, pos, label, line in semeval]
    lines: list[str] = []
    misses: list[str] = []
    grand = [0, 0, 0, 0, 0]
    for rows, title in ((rows_a, f"SaudiNewsNet lines (`{SNN.relative_to(ROOT)}`, 14 outlets)"),
                        (rows_b, f"SemEval lines (`{DATA.relative_to(ROOT)}`)")):
        out, miss, t = table(rows, title)
        lines += out + ["", f"{t[0]}/{t[1]} = {t[0] / t[1]:.3f}; lines with a wire credit {t[2]}/{t[3]} = "
                        f"{t[2] / t[3]:.3f}; non-credits counted as provenance: {t[4]}.", ""]
        misses += miss
        grand = [g + x for g, x in zip(grand, t, strict=True)]
    lines += [f"Both sets: **{grand[0]}/{grand[1]} = {grand[0] / grand[1]:.3f}**; lines with a wire credit: "
              f"**{grand[2]}/{grand[3]} = {grand[2] / grand[3]:.3f}**; photo credits, citations and own-outlet "
              f"lines counted as provenance: **{grand[4]}** (whole-item photo captions not counted)."]
    lines += ["", "Misses:"] + [f"- {m}" for m in misses] if misses else ["", "Misses: none."]
    out = "\n".join(lines)
    print(out)
    if args.write:
        write_section("agency", f"## Agency datelines (real lines)\n\nCommand: `python bench/agency_datelines.py --write`\n\n{out}")


if __name__ == "__main__":
    main()
