"""Search index cost vs warehouse size: full build, one load's incremental update, query latency.

Builds (once, cached under $TMPDIR/akhbar-bench/search-<N>-<gen>.duckdb) a warehouse with the real
schema and N synthetic Arabic articles: titles and 5 paragraphs drawn from real Arabic news text
(bench/data/semeval_ar.jsonl, tests/fixtures/web/dev/gold.jsonl), plus 12 pseudo-words per article
drawn from a Zipf-like vocabulary of 2M forms (so the vocabulary keeps growing with N, as real
names and typos do), 200 outlets, publication times over a year, a quarter of the articles in
4-copy story clusters. Then, each step in a fresh process (peak RSS of that process):

1. full build: ``sync_search_index`` from scratch (streamed, CHUNK articles at a time);
2. one load: 64 new articles inserted and queued like a load does, then the incremental sync;
3. query latency: ``search_con`` on a fresh read-only connection, 20 everyday queries (1-3 words),
   median / p90 / max; and the same queries through the SQL macro.

    python bench/search_index.py --sizes 100000 1000000 [--write]

--write puts the table into bench/RESULTS.md (section "search-index"). CPU-bound: run under
`flock /work/coord/bench.lock` on the shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GEN_VERSION = "g1"
QUERIES = ["الحكومة", "الامريكيه", "لاجئ", "وزارة الصحة", "البنك المركزي", "أسعار النفط",
           "الانتخابات", "فيروس كورونا", "الرئيس الفلسطيني", "مجلس الأمن الدولي", "إسرائيل", "سوريا",
           "القمة العربية", "الجيش", "المستشفيات", "كأس العالم", "الاقتصاد المصري", "تونس", "ولي العهد",
           "الأمم المتحدة"]


def corpus() -> tuple[list[str], list[str]]:
    titles, paras = [], []
    for line in (ROOT / "bench" / "data" / "semeval_ar.jsonl").read_text("utf-8").splitlines():
        d = json.loads(line)
        titles.append(d["title"])
        paras += [p.strip() for p in d["text"].split("\n") if len(p.strip()) > 60]
    for line in (ROOT / "tests" / "fixtures" / "web" / "dev" / "gold.jsonl").read_text("utf-8").splitlines():
        g = json.loads(line)
        titles.append(g["title"])
        paras += [p.strip() for p in g["body_paragraphs"] if len(p.strip()) > 60]
    return [t for t in titles if t], paras


def db_path(n: int) -> Path:
    base = Path(os.environ.get("AKHBAR_BENCH_DIR", Path(tempfile.gettempdir()) / "akhbar-bench"))
    base.mkdir(parents=True, exist_ok=True)
    return base / f"search-{n}-{GEN_VERSION}.duckdb"


GEN_SQL = """
INSERT INTO articles BY NAME
SELECT printf('%016x', hash(i, 'id')) AS article_id,
       'https://s' || (hash(i, 's') % 200) || '.example/a/' || i AS url,
       'https://s' || (hash(i, 's') % 200) || '.example/a/' || i AS canonical_url,
       's' || (hash(i, 's') % 200) AS source_id,
       $titles[(1 + hash(i, 't') % len($titles))::BIGINT] AS title,
       array_to_string(list_transform(range(5), j -> $paras[(1 + hash(i, j) % len($paras))::BIGINT]), chr(10))
         || chr(10) || array_to_string(list_transform(range(12), j ->
              array_to_string(list_transform(range(5), k ->
                chr(1576 + ((floor(exp(((hash(i, j, 'w') % 1000000) / 1000000.0) * ln(2000000)))::BIGINT
                             // pow(26, k)::BIGINT) % 26)::INTEGER)), '')), ' ') AS text,
       TIMESTAMPTZ '2025-12-01 00:00:00+00' + to_seconds((hash(i, 'd') % (365 * 86400))::BIGINT) AS published_at,
       TIMESTAMPTZ '2025-12-01 00:00:00+00' + to_seconds((hash(i, 'd') % (365 * 86400))::BIGINT) AS fetched_at,
       'ok' AS extraction_status,
       CASE WHEN i % 16 < 4 THEN printf('%016x', hash(i - i % 4, 'id')) ELSE printf('%016x', hash(i, 'id')) END
         AS cluster_id,
       i % 16 >= 4 OR i % 4 = 0 AS is_canonical
FROM range($start, $end) t(i)
"""


_FETCHED = "TIMESTAMPTZ '2025-12-01 00:00:00+00' + to_seconds((hash(i, 'd') % (365 * 86400))::BIGINT) AS fetched_at"
assert _FETCHED in GEN_SQL


def build_warehouse(n: int) -> Path:
    import duckdb  # noqa: F401

    from warehouse.db import writer

    path = db_path(n)
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp.duckdb")
    tmp.unlink(missing_ok=True)
    titles, paras = corpus()
    started = time.monotonic()
    with writer(tmp) as con:
        con.execute("INSERT INTO sources (source_id, name, country, language, updated_at) "
                    "SELECT 's' || i, 'outlet ' || i, ['EG','SA','AE','LB','JO','MA','IQ','SY'][1 + i % 8], 'ar', now() "
                    "FROM range(200) t(i)")
        for start in range(0, n, 100_000):
            con.execute(GEN_SQL, {"titles": titles, "paras": paras, "start": start, "end": min(n, start + 100_000)})
        con.execute("CHECKPOINT")
    tmp.rename(path)
    print(f"generated {n} articles in {time.monotonic() - started:.0f}s -> {path}", flush=True)
    return path


def _child(step: str, path: str) -> dict:
    """One measured step, in its own process."""
    import duckdb

    from warehouse.db import reader, writer
    from warehouse.search import enqueue, search_con, sync_search_index

    out: dict = {}
    if step in ("full", "full-steps"):
        if step == "full-steps":  # as before staging: one run per analysis step (for comparison)
            from warehouse import search_index

            search_index.STAGE_ROWS = 1
        t = time.monotonic()
        with writer(Path(path)) as con:
            stats = sync_search_index(con, full=True)
        out = {"seconds": time.monotonic() - t, **stats}
    elif step == "load":
        with writer(Path(path)) as con:
            base = con.execute("SELECT count(*) FROM articles").fetchone()[0] + 10_000_000
            titles, paras = corpus()
            # new articles are fetched now (a load's rows); published over the year as generated
            con.execute(GEN_SQL.replace(_FETCHED, "now() AS fetched_at"),
                        {"titles": titles, "paras": paras, "start": base, "end": base + 64})
            ids = [r[0] for r in con.execute("SELECT printf('%016x', hash(i, 'id')) FROM range(?, ?) t(i)",
                                             [base, base + 64]).fetchall()]
            enqueue(con, ids)
            con.execute("CHECKPOINT")
            t, c = time.monotonic(), time.process_time()
            stats = sync_search_index(con)
            out = {"seconds": time.monotonic() - t, "sync_cpu_s": time.process_time() - c, **stats}
    elif step == "query":
        lat, cpu, macro, hits, exhaustive = [], [], [], [], []
        out["load_start"] = os.getloadavg()[0]
        for q in QUERIES:
            t, c = time.monotonic(), time.process_time()
            with reader(Path(path)) as con:
                res = search_con(con, q, 10)
            lat.append(time.monotonic() - t)
            cpu.append(time.process_time() - c)  # this process, DuckDB's threads included
            hits.append(len(res))
            con2 = duckdb.connect(path, read_only=True)
            t = time.monotonic()
            con2.execute("SELECT * FROM search_articles(?, n := 10)", [q]).fetchall()
            macro.append(time.monotonic() - t)
            pair = []
            for prune in (True, False):  # warm (after the call above): pruned, then every document scored
                t = time.monotonic()
                con2.execute("SELECT * FROM search_articles(?, n := 10, prune := ?)", [q, prune]).fetchall()
                pair.append(round(time.monotonic() - t, 3))
            exhaustive.append(pair)
            con2.close()
        out = {"median": statistics.median(lat), "p90": sorted(lat)[int(0.9 * len(lat)) - 1], "max": max(lat),
               "cpu_median": statistics.median(cpu), "cpu_max": max(cpu), "per_query_cpu": dict(zip(QUERIES, cpu, strict=True)),
               "macro_median": statistics.median(macro), "macro_max": max(macro), "hits": hits,
               "per_query_wall": dict(zip(QUERIES, lat, strict=True)),
               "exhaustive_warm": dict(zip(QUERIES, exhaustive, strict=True)), "load_end": os.getloadavg()[0]}
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out["peak_rss_mb"] = ru.ru_maxrss / 1024
    out["cpu_s"] = ru.ru_utime + ru.ru_stime  # whole process, DuckDB threads included
    return out


def run_step(step: str, path: Path) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", step, str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=False)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--child", nargs=2)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child), default=str))
        return
    rows = []
    for n in args.sizes:
        path = build_warehouse(n)
        full = run_step("full", path)
        print(f"{n}: full build {full}", flush=True)
        load = run_step("load", path)
        print(f"{n}: one load {load}", flush=True)
        query = run_step("query", path)
        print(f"{n}: queries {query}", flush=True)
        size_mb = path.stat().st_size / 1e6
        rows.append((n, full, load, query, size_mb))
    if args.write:
        from bench.results import write_section

        lines = ["| articles | full build wall (CPU) | its peak RSS | one load (64 new) wall (CPU) | its peak RSS | runs | search median / p90 / max | macro median | file |",
                 "|---|---|---|---|---|---|---|---|---|"]
        for n, full, load, query, size_mb in rows:
            lines.append(
                f"| {n:,} | {full['seconds']:.0f} s ({full['cpu_s']:.0f} s) | {full['peak_rss_mb'] / 1024:.2f} GB | "
                f"{load['seconds']:.2f} s ({load['cpu_s']:.1f} s) | "
                f"{load['peak_rss_mb'] / 1024:.2f} GB | {load['runs']} | {query['median']:.3f} / {query['p90']:.3f} / "
                f"{query['max']:.3f} s | {query['macro_median']:.3f} s | {size_mb / 1000:.1f} GB |")
        write_section("search-index", (
            "## Search index: build, per-load update and query latency (bench/search_index.py)\n\n"
            "Synthetic warehouses (real schema; titles and paragraphs of real Arabic news, plus 12 pseudo-words per "
            "article from a 2M-form vocabulary, 200 outlets, one year). Each step in a fresh process on the shared "
            "2-core machine (other developers' jobs running: timings are upper bounds). \"one load\" = 64 new "
            "articles queued as a load queues them, then the incremental sync (analysis, one new run, merges). "
            "Search = `search_con` on a fresh read-only connection (snippets included), 20 everyday queries of "
            "1-3 words.\n\n" + "\n".join(lines) + "\n\n"
            "Command: `flock /work/coord/bench.lock python bench/search_index.py --sizes "
            + " ".join(str(n) for n, *_ in rows) + " --write`\n"))


if __name__ == "__main__":
    main()
