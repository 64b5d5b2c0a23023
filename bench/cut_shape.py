"""How often tasks.http's cut-page shape rule (``_unfinished_document``: a page whose framing was
whole but whose HTML stops before its end) calls a real, whole page cut, and how often it finds a
real page cut where a tag ended.

Usage:  AKHBAR_CORPUS=/work/shared/corpus python bench/cut_shape.py [--fixture-web DIR]

Three counts over every HTML page of the corpus (and of the dev fixture web, if given):
* whole pages called cut (false alarms; should be 0);
* the same pages with their </body> and </html> taken out, as a template that leaves them out
  (HTML allows it) would send them: false alarms again;
* each page cut at 3 random tag ends inside its <body> (seeded): share called cut, per tenth of
  the body (the first tenths cut off the most text).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.http import _unfinished_document  # noqa: E402

_PAGE_NAME = re.compile(r"\.(?:html?|xhtml)(?:\.gz)?$")
_BODY = re.compile(rb"<body[\s>]", re.I)
_ENDS = re.compile(rb"</(?:body|html)\s*>", re.I)


def pages(roots: list[Path]) -> list[tuple[str, bytes]]:
    """Every saved HTML page under the roots (readability's expected outputs are no pages)."""
    out = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and _PAGE_NAME.search(path.name) and "expected" not in path.name:
                out.append((str(path.relative_to(root)), gzip.open(path).read() if path.name.endswith(".gz")
                            else path.read_bytes()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture-web", type=Path, default=None)
    args = parser.parse_args()
    corpus = Path(os.environ.get("AKHBAR_CORPUS", "/work/shared/corpus"))
    docs = pages([corpus] + ([args.fixture_web] if args.fixture_web else []))
    whole = [(name, d) for name, d in docs if _unfinished_document(d)]
    omitting = [name for name, d in docs if _BODY.search(d) and not _ENDS.search(d)]
    stripped = [(name, _unfinished_document(s)) for name, d in docs
                if _BODY.search(d) and (s := _ENDS.sub(b"", d)) and _unfinished_document(s)]
    rng = random.Random(7)
    found, tried = [0] * 10, [0] * 10
    for _name, d in docs:
        body = _BODY.search(d)
        if body is None or not _ENDS.search(d):
            continue
        end = _ENDS.search(d, body.end())
        ends = [m.end() for m in re.finditer(rb">", d[body.end():end.start() if end else len(d)])]
        for _ in range(3 if ends else 0):
            k = rng.randrange(len(ends))
            tenth = k * 10 // len(ends)
            tried[tenth] += 1
            found[tenth] += _unfinished_document(d[: body.end() + ends[k]]) is not None
    print(f"{len(docs)} pages; {len(omitting)} leave out both </body> and </html>")
    print(f"whole pages called cut: {len(whole)}", *(f"  {n}" for n, _ in whole), sep="\n")
    print(f"whole pages with </body></html> taken out, called cut: {len(stripped)} of {len(docs)}",
          *(f"  {n}: {why}" for n, why in stripped), sep="\n")
    print(f"pages cut at a tag end, called cut: {sum(found)} of {sum(tried)} ({sum(found) / sum(tried):.3f}); "
          "per tenth of the body:", " ".join(f"{f / t:.2f}" for f, t in zip(found, tried, strict=True)))


if __name__ == "__main__":
    main()
