"""Wire copies re-edited the way outlets re-edit them, and different stories of one desk in the same
shapes: how many of each `tasks.dedupe.compare` calls one story.

Usage:  AKHBAR_CORPUS=/work/shared/corpus python bench/dedupe_edits.py [--hours 3]

Bases: the SemEval-2022 Task 8 Arabic articles with >= 4 paragraphs of >= 8 words (199 texts).
JOIN rows: each base as the wire and a copy `--hours` later with one or more outlet edits: cut from
the bottom, its own boilerplate lines, spelling variants (hamza, ta marbuta, alif maqsura), two
paragraphs merged or one split, a paragraph dropped, a dateline and agency credit, and its top
paragraphs told again ("rewritten": every word kept in the outlet's order, a filler word every four
words, so no 5-gram is left; "harsh": every fourth word another one too). Higher is better.
MERGE rows: the SemEval pairs labelled `different` (same topic, another event) put in the shapes a
desk gives two of its stories (each its own lead, or lead and second paragraph, over the base's
paragraphs as shared body or closing background). Lower is better.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.dedupe import compare, make_signature  # noqa: E402

CORPUS = Path(os.environ.get("AKHBAR_CORPUS", ROOT.parent / "shared" / "corpus"))
SEMEVAL = CORPUS / "04_near_duplicates/semeval2022_task8/ar_texts"
T0 = datetime(2026, 11, 1, 8)
FILLERS = ("بدوره", "أيضا", "كذلك", "وقد", "حينها")
BOILERPLATE = ("تابعوا آخر الأخبار العاجلة عبر حسابنا على تطبيق تلغرام ومنصة إكس وقناتنا على يوتيوب",
               "اقرأ أيضا: تفاصيل جديدة حول الأحداث الجارية في المنطقة والعالم")


def paragraphs(article_id: str) -> list[str]:
    path = SEMEVAL / "articles" / f"{article_id}.json"
    if not path.exists():
        return []
    text = json.loads(path.read_text("utf-8")).get("text") or ""
    return [p.strip() for p in text.split("\n") if len(p.split()) >= 8]


def rewrite(p: str) -> str:
    """Every word kept, a filler after every fourth: no 5-gram of the original left."""
    out: list[str] = []
    for k, w in enumerate(p.split()):
        out.append(w)
        if k % 4 == 3:
            out.append(FILLERS[k % len(FILLERS)])
    return " ".join(out)


def harsh(p: str) -> str:
    """`rewrite`, with every fourth word another one (a synonym, a reworded clause): letters only (a
    digit in it would read as a number of the copy's own, `tasks.dedupe._figure`)."""
    return rewrite(" ".join("مرادف" + str(k).translate(_LETTERS) if k % 4 == 1 else w for k, w in enumerate(p.split())))


_LETTERS = str.maketrans("0123456789", "بتثجحخدذرز")


def spell(p: str) -> str:
    return p.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"}))


EDITS: dict[str, Callable[[list[str]], list[str]]] = {
    "cut to 3": lambda x: x[:3],
    "cut to 2": lambda x: x[:2],
    "own boilerplate top and bottom": lambda x: [BOILERPLATE[1], *x, BOILERPLATE[0]],
    "spelling variants": lambda x: [spell(p) for p in x],
    "P1+P2 merged": lambda x: [x[0] + " " + x[1], *x[2:]],
    "P2 dropped": lambda x: [x[0], *x[2:]],
    "dateline and credit on P1": lambda x: ["القاهرة - (رويترز) - " + x[0], *x[1:]],
    "rewritten lead": lambda x: [rewrite(x[0]), *x[1:]],
    "rewritten top two": lambda x: [rewrite(x[0]), rewrite(x[1]), *x[2:]],
    "rewritten top two as one": lambda x: [rewrite(x[0] + " " + x[1]), *x[2:]],
    "harsh rewritten lead": lambda x: [harsh(x[0]), *x[1:]],
    "harsh rewritten top two": lambda x: [harsh(x[0]), harsh(x[1]), *x[2:]],
    "harsh rewritten top two as one": lambda x: [harsh(x[0] + " " + x[1]), *x[2:]],
    "rewritten lead, cut to 3": lambda x: [rewrite(x[0]), *x[1:3]],
    "rewritten top two, cut to 4": lambda x: [rewrite(x[0]), rewrite(x[1]), *x[2:4]],
    "rewritten lead, P2 dropped, boilerplate": lambda x: [rewrite(x[0]), *x[2:], BOILERPLATE[0]],
    "rewritten lead, spelling, boilerplate": lambda x: [rewrite(spell(x[0])), *map(spell, x[1:]), BOILERPLATE[0]],
}
# (x: the base, y: another story's paragraphs) -> the two texts of one desk
SHAPES: dict[str, Callable[[list[str], list[str]], tuple[list[str], list[str]] | None]] = {
    "own lead over the whole body": lambda x, y: (x, y[:1] + x[1:]) if len(x) >= 4 else None,
    "own top two over body[2:]": lambda x, y: (x, y[:2] + x[2:]) if len(x) >= 5 and len(y) >= 2 else None,
    "own lead over body[2:]": lambda x, y: (x, y[:1] + x[2:]) if len(x) >= 5 else None,
    "3-paragraph story, own lead over its 2-3": lambda x, y: (x[:3], y[:1] + x[1:3]),
    "4-paragraph story, own lead over its 2-4": lambda x, y: (x[:4], y[:1] + x[1:4]) if len(x) >= 4 else None,
    "2+2 leads over one 3-paragraph block": lambda x, y: (x[:2] + x[-3:], y[:2] + x[-3:]) if len(x) >= 5 and len(y) >= 2 else None,
    "1+1 leads over one 2-paragraph block": lambda x, y: (x[:1] + x[-2:], y[:1] + x[-2:]) if len(x) >= 5 else None,
}


def is_copy(a: list[str], b: list[str], hours: float, ids: tuple[str, str]) -> bool:
    first = make_signature(ids[0], "wire", T0, "\n".join(a))
    second = make_signature(ids[1], "outlet", T0 + timedelta(hours=hours), "\n".join(b))
    return compare(first, second).is_copy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=3.0, help="the second text this many hours after the first")
    args = ap.parse_args()
    bases = [(p.stem, paragraphs(p.stem)) for p in sorted((SEMEVAL / "articles").glob("*.json"))]
    bases = [(i, x) for i, x in bases if len(x) >= 4]
    with open(SEMEVAL / "pairs_labelled.csv", encoding="utf-8") as f:
        different = [(r["id1"], r["id2"]) for r in csv.DictReader(f) if r["label"] == "different"]
    print(f"{len(bases)} bases, {len(different)} pairs labelled different, second text +{args.hours:g} h")
    print("| JOIN: a wire and its re-edited copy | one story |\n|---|---|")
    for name, edit in EDITS.items():
        hits = sum(is_copy(x, edit(x), args.hours, (i, i + "c")) for i, x in bases)
        print(f"| {name} | {hits}/{len(bases)} |")
    print("\n| MERGE: two stories of one desk (SemEval pairs labelled different) | one story |\n|---|---|")
    for name, shape in SHAPES.items():
        hits = total = 0
        for i, j in different:
            for a, b in ((i, j), (j, i)):
                x, y = paragraphs(a), paragraphs(b)
                pair = shape(x, y) if len(x) >= 3 and y else None
                if pair is not None:
                    total += 1
                    hits += is_copy(*pair, args.hours, (a, a + "d"))
        print(f"| {name} | {hits}/{total} |")


if __name__ == "__main__":
    main()
