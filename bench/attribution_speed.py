"""CPU cost of the per-article work after extraction: `strip_for_key`, `attribute` and signing.

Usage: python bench/attribution_speed.py [--profile FUNC] [--dump OUT.json] [--check REF.json]

Texts: the 281 real SemEval-2022 Arabic texts ($AKHBAR_CORPUS/04_near_duplicates/semeval2022_task8/
ar_texts, when present), the 6 of tests/fixtures/semeval and the 64 dev-web bodies
(tests/fixtures/web/dev/gold.jsonl), each as one text, paragraphs separated by newlines.

Measures CPU seconds (time.process_time, best of 3, the caches of lines and spans cleared before each
pass, so no pass reuses the last one's lines) of:
* strip_for_key  — `tasks.attribution.strip_for_key` of every text's lines;
* attribute      — `tasks.attribution.attribute` of every text;
* signatures     — `tasks.dedupe.make_signatures` of all texts (strip_for_key + hashing);
* worker path    — attribute then make_signatures of every text, as a worker does.
CPU seconds, not wall: the machine may be loaded.

`--dump` writes every output (key paragraphs, attributions, signature hashes) to a JSON file;
`--check` compares them with such a file written by another version of the code: an optimisation
must give identical outputs.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks import attribution  # noqa: E402
from tasks.dedupe import make_signatures  # noqa: E402
from warehouse import arabic  # noqa: E402

CORPUS = Path(os.environ.get("AKHBAR_CORPUS", ROOT.parent / "shared" / "corpus"))
SEMEVAL = CORPUS / "04_near_duplicates/semeval2022_task8/ar_texts/articles"


def texts(corpus: bool = True) -> list[tuple[str, str, str]]:
    """(id, title, text) of every text of the bench (without `corpus`, the repository's fixtures only)."""
    out: list[tuple[str, str, str]] = []
    if corpus and SEMEVAL.is_dir():
        for f in sorted(SEMEVAL.glob("*.json")):
            d = json.loads(f.read_text("utf-8"))
            out.append((f"semeval/{f.stem}", d.get("title") or "", d.get("text") or ""))
    fixture = json.loads((ROOT / "tests/fixtures/semeval/articles.json").read_text("utf-8"))
    out += [(f"fixture/{k}", v.get("title") or "", v.get("text") or "") for k, v in sorted(fixture.items())]
    for line in (ROOT / "tests/fixtures/web/dev/gold.jsonl").read_text("utf-8").splitlines():
        r = json.loads(line)
        out.append((f"dev{r['url_path']}", r["title"], "\n".join(r["body_paragraphs"])))
    return out


def run_strip(items):
    return [attribution.strip_for_key(text.split("\n")) for _id, _title, text in items]


def run_attribute(items):
    return [attribution.attribute(text) for _id, _title, text in items]


def run_sign(items):
    return make_signatures([(i, "bench", None, text, title) for i, title, text in items])


def run_worker(items):
    atts = [attribution.attribute(text) for _id, _title, text in items]
    return atts, make_signatures([(i, "bench", None, text, title) for i, title, text in items])


FUNCS = {"strip_for_key": run_strip, "attribute": run_attribute, "signatures": run_sign, "worker path": run_worker}


def _fresh() -> None:
    """Empty every cache of a line or a span (not those of compiled patterns, maxsize 1): each pass
    reads every text as new ones."""
    for mod in (attribution, arabic):
        for obj in vars(mod).values():
            if hasattr(obj, "cache_clear") and obj.cache_info().maxsize != 1:
                obj.cache_clear()


def cpu(func, items, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        _fresh()
        t0 = time.process_time()
        func(items)
        best = min(best, time.process_time() - t0)
    return best


def outputs(items) -> dict:
    """Every output of the three functions, per text (signature arrays as digests)."""
    _fresh()
    keys = run_strip(items)
    atts = run_attribute(items)
    sigs = run_sign(items)
    out = {}
    for (i, _t, _x), key, att, sig in zip(items, keys, atts, sigs, strict=True):
        out[i] = {
            "key": key,
            "attribution": asdict(att),
            "signature": {
                name: hashlib.sha256(repr(getattr(sig, name).tolist() if hasattr(getattr(sig, name), "tolist")
                                          else getattr(sig, name)).encode()).hexdigest()
                for name in sorted(vars(sig))
            },
        }
    return out


def digests(items) -> dict[str, str]:
    """Per text, a short digest of all its `outputs` (tests/test_attribution_outputs.py)."""
    return {k: hashlib.sha256(json.dumps(v, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
            for k, v in outputs(items).items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", choices=sorted(FUNCS), help="cProfile one function instead of timing")
    ap.add_argument("--dump", type=Path, help="write every output to this JSON file")
    ap.add_argument("--check", type=Path, help="compare every output with this JSON file")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    items = texts()
    lines = sum(t.count("\n") + 1 for _i, _ti, t in items)
    print(f"{len(items)} texts, {lines} lines, {sum(len(t) for _i, _ti, t in items)} chars")
    if args.dump or args.check:
        got = outputs(items)
        if args.dump:
            args.dump.write_text(json.dumps(got, ensure_ascii=False, indent=0, sort_keys=True), "utf-8")
            print(f"wrote {args.dump}")
        if args.check:
            want = json.loads(args.check.read_text("utf-8"))
            got = json.loads(json.dumps(got, ensure_ascii=False, sort_keys=True))
            bad = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            print(f"outputs identical: {len(got) - len(bad)}/{len(set(want) | set(got))}")
            for k in bad[:10]:
                print("  DIFFERS:", k)
            return 1 if bad else 0
        return 0
    if args.profile:
        func = FUNCS[args.profile]
        func(items)  # warm: imports, compiled patterns
        _fresh()
        prof = cProfile.Profile()
        prof.runcall(func, items)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        return 0
    for func in FUNCS.values():
        func(items[:5])  # warm: imports, compiled patterns
    print(f"CPU seconds (time.process_time, best of {args.runs}; machine shared, CPU time not wall):")
    for name, func in FUNCS.items():
        print(f"  {name:14s} {cpu(func, items, args.runs):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
