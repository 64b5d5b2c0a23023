"""P5: bulk load of synthetic `articles` rows through the real path (Parquet staging +
`INSERT OR REPLACE … BY NAME` in load_pending) vs row-by-row `executemany` INSERT.

    python -m bench.warehouse_load [--rows 100000] [--subset 10000] [--runs 3]

Both targets are fresh DuckDB files with the schema already migrated (migration time excluded
from both). executemany is timed on a subset and extrapolated linearly (stated in the output).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from tasks.models import stable_id  # noqa: E402
from warehouse.db import ensure_schema  # noqa: E402
from warehouse.load import StagingArea, load_pending, new_batch_id, stage_batch  # noqa: E402


def _vocab() -> list[str]:
    gold = ROOT / "tests/fixtures/web/dev/gold.jsonl"
    words = set()
    for line in gold.read_text("utf-8").splitlines():
        for p in json.loads(line)["body_paragraphs"]:
            words.update(p.split())
    return sorted(words)


def synthetic_rows(n: int, seed: int = 11) -> list[dict]:
    """Rows shaped like tasks.rows.article_row (every column of the articles table)."""
    rng = random.Random(seed)
    vocab = _vocab()
    paras = ["\n".join(" ".join(rng.choices(vocab, k=45)) for _ in range(5)) for _ in range(500)]
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        url = f"https://outlet{i % 40}.example/news/{i}.html"
        text = paras[i % len(paras)]
        pub = t0 + timedelta(seconds=30 * i)
        rows.append(dict(
            article_id=stable_id(url), url=url + "?utm_source=rss", canonical_url=url, source_id=f"outlet{i % 40}",
            feed_url=f"https://outlet{i % 40}.example/rss.xml", title=" ".join(rng.choices(vocab, k=10)),
            author=None if i % 3 else "مراسلنا", published_at=pub, fetched_at=pub + timedelta(minutes=5),
            language="ar", text=text, word_count=225, image=f"https://outlet{i % 40}.example/i/{i}.jpg",
            section="سياسة", categories=["أخبار", "عربي"], extraction_status="ok", extraction_error=None,
            extractor_version="akhbar-extract/1", http_status=200, fetch_outcome="ok", fetch_error=None,
            fetch_attempts=1, content_hash=stable_id(text + str(i)) * 2, warc_file="run.warc.gz",
            warc_offset=i * 9000, cluster_id=stable_id(f"c{i // 3}"), is_canonical=i % 3 == 0,
            wire_agency=None if i % 4 else "reuters", agency_evidence=None, run_id="bench",
        ))
    return rows


def _fresh_db(tmp: Path, name: str) -> Path:
    db = tmp / f"{name}.duckdb"
    con = duckdb.connect(str(db))
    ensure_schema(con)
    con.close()
    return db


def time_bulk(rows: list[dict], tmp: Path, tag: str) -> dict:
    db = _fresh_db(tmp, f"bulk-{tag}")
    area = StagingArea(tmp / f"staging-{tag}")
    t = time.perf_counter()
    stage_batch(area, new_batch_id("bench"), {"articles": rows})
    t_stage = time.perf_counter() - t
    t = time.perf_counter()
    report = load_pending(db, area, 30.0)
    t_load = time.perf_counter() - t
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    assert n == len(rows), (n, len(rows), report)
    return {"stage_s": t_stage, "load_s": t_load, "total_s": t_stage + t_load}


def time_executemany(rows: list[dict], tmp: Path, tag: str) -> float:
    db = _fresh_db(tmp, f"rows-{tag}")
    con = duckdb.connect(str(db))
    cols = list(rows[0])
    sql = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    params = [[r[c] for c in cols] for r in rows]
    t = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(sql, params)
    con.execute("COMMIT")
    dt = time.perf_counter() - t
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    assert n == len(rows)
    return dt


def run(n_rows: int, subset: int, runs: int) -> dict:
    rows = synthetic_rows(n_rows)
    out = {"rows": n_rows, "subset": subset, "bulk": [], "executemany_subset_s": []}
    with tempfile.TemporaryDirectory(prefix="akhbar-load-") as d:
        tmp = Path(d)
        for r in range(runs):
            out["bulk"].append(time_bulk(rows, tmp, str(r)))
            out["executemany_subset_s"].append(time_executemany(rows[:subset], tmp, str(r)))
            print(json.dumps({"bulk": out["bulk"][-1], "executemany_subset_s": out["executemany_subset_s"][-1]}),
                  file=sys.stderr, flush=True)
    bulk = statistics.median(b["total_s"] for b in out["bulk"])
    em = statistics.median(out["executemany_subset_s"])
    out["median_bulk_s"] = bulk
    out["median_stage_s"] = statistics.median(b["stage_s"] for b in out["bulk"])
    out["median_load_s"] = statistics.median(b["load_s"] for b in out["bulk"])
    out["median_executemany_subset_s"] = em
    out["executemany_extrapolated_s"] = em * n_rows / subset
    out["speedup"] = out["executemany_extrapolated_s"] / bulk
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--subset", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    text = json.dumps(run(a.rows, a.subset, a.runs), default=str)
    if a.out:
        a.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
