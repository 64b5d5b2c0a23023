"""Check: tasks.encoding.repair_mojibake (candidate-run prefilter) == the previous every-run scan.

Run: python -m bench.mojibake_equivalence [BIG_WEB_DIR]  (default: none; `python -m bench.bigweb DIR`)
Asserts equal output on the dev web, a sample of the big web, mojibake variants of them and 25k
random strings, checks the two character classes against the whole BMP, and prints the timing.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tasks.encoding as E  # noqa: E402

_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]{2,}")  # what repair_mojibake scanned before


def old_repair(text: str) -> str:
    if not E._MOJIBAKE_HINT_RE.search(text):
        return text
    return _NON_ASCII_RUN_RE.sub(lambda m: E._repair_run(m.group(0)), text)


def main() -> None:
    bmp = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
    for lo, hi, cls in ((0xC2, 0xF4, E._LEAD), (0x80, 0xBF, E._CONT)):
        want = {ch for ch in bmp if any((b := E._byte_under(ch, e)) is not None and lo <= b <= hi
                                        for e in E._REPAIR_ENCODINGS)}
        got = {ch for ch in bmp if re.fullmatch(f"[{cls}]", ch)}
        assert want == got, (lo, hi)
    texts = []
    dirs = [ROOT / "tests/fixtures/web/dev"] + [Path(a) for a in sys.argv[1:]]
    for d in dirs:
        manifest = json.loads((d / "manifest.json").read_text("utf-8"))
        step = 1 if d.name == "dev" else 7
        texts += [(d / m["file"]).read_bytes().decode(m["encoding"]) for m in manifest[::step]]
    moj = []
    for t in texts[:200]:
        b = t.encode("utf-8")
        moj += [b.decode("cp1252", errors="replace"), b.decode("cp1256", errors="replace"),
                t[:3000] + b[:4000].decode("cp1256", errors="ignore") + " مرحبا " + b[:3000].decode("latin-1")]
    rng = random.Random(3)
    alphabet = [chr(c) for c in [*range(0x20, 0x7F), *range(0x80, 0x100), *range(0x600, 0x700), 0x152, 0x153,
                                 0x160, 0x2013, 0x2019, 0x20AC, 0x2122, 0x67E, 0x1F600]]
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))) for _ in range(20000)]
    fuzz += [("ط" if rng.random() < 0.5 else "Ø") + s for s in fuzz[:5000]]
    changed = 0
    for t in texts + moj + fuzz:
        a = old_repair(t)
        assert a == E.repair_mojibake(t), repr(t[:200])
        changed += a != t
    print(f"equal on {len(texts) + len(moj) + len(fuzz)} texts ({changed} of them repaired)")
    t0 = time.perf_counter()
    for t in texts:
        old_repair(t)
    t1 = time.perf_counter()
    for t in texts:
        E.repair_mojibake(t)
    t2 = time.perf_counter()
    print(f"pages: old {(t1 - t0) / len(texts) * 1000:.2f} ms/page, new {(t2 - t1) / len(texts) * 1000:.2f} ms/page")


if __name__ == "__main__":
    main()
