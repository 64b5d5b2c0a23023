"""Agency attribution on real Arabic dateline / sign-off / source lines, per line shape.

Usage: python bench/agency_datelines.py [--write]

Set: bench/data/datelines_semeval.tsv — the first two and last two paragraphs of the 281 real
SemEval-2022 Arabic texts, hand-labelled with the wire agency their credit names ("-" for none:
own-outlet datelines, citations, body sentences). Each line is attributed in its place: a head
line opens a text, a tail line closes one (the rest of the text is one neutral sentence), so
the score is what `tasks.attribution.attribute` says about that line alone.
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
    rows = [ln.split("\t") for ln in DATA.read_text("utf-8").splitlines() if ln and not ln.startswith("#")][1:]
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, total, false provenance
    misses = []
    for aid, pos, label, line in rows:
        text = f"{line}\n{FILLER}" if pos == "head" else f"{FILLER}\n{line}"
        got = attribute(text).agency or "-"
        s = shape(line, label)
        per[s][1] += 1
        if got == label:
            per[s][0] += 1
        else:
            misses.append(f"{aid} {pos}: want {label} got {got}: {line[:90]}")
            if label == "-":
                per[s][2] += 1
    total = sum(v[1] for v in per.values())
    right = sum(v[0] for v in per.values())
    pos_total = sum(1 for r in rows if r[2] != "-")
    pos_right = sum(1 for r in rows if r[2] != "-" and (attribute(
        f"{r[3]}\n{FILLER}" if r[1] == "head" else f"{FILLER}\n{r[3]}").agency or "-") == r[2])
    lines = [f"Set: `{DATA.relative_to(ROOT)}`: {total} real lines, {pos_total} carrying a wire credit.", "",
             "| line shape | lines | right | accuracy | counted as provenance wrongly |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, (r, n, fp) in sorted(per.items(), key=lambda kv: -kv[1][1]):
        lines.append(f"| {name} | {n} | {r} | {r / n:.3f} | {fp} |")
    lines += ["", f"All lines: **{right}/{total} = {right / total:.3f}**; lines with a wire credit: "
              f"**{pos_right}/{pos_total} = {pos_right / pos_total:.3f}**."]
    lines += ["", "Misses:"] + [f"- {m}" for m in misses] if misses else ["", "Misses: none."]
    out = "\n".join(lines)
    print(out)
    if args.write:
        write_section("agency", f"## Agency datelines (real lines)\n\nCommand: `python bench/agency_datelines.py --write`\n\n{out}")


if __name__ == "__main__":
    main()
