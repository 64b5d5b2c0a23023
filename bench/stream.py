"""Issue 18's measurements of a run as a stream, side by side in one invocation, written to the
"stream" section of bench/RESULTS.md.

    python -m bench.stream                       # P2, polite, P1 start methods, memory 2k/10k
    python -m bench.stream --parts p2,polite     # some of them
    python -m bench.stream --sizes 2048,10000,50000 --parts memory

Each part runs `bench.pipeline <mode>` in a fresh interpreter (bench/pipeline.py has the how):
* p2: first ingest of the 2,048-page big web on loopback (Prefect flow, all stages) vs
  extraction only (`build_articles`, 2 workers) of the same pages, in the same child;
* polite: the same web served on 32 loopback addresses (one per outlet) with a per-host
  interval of 0.2 s: the fetch alone (feeds + every page, in the run's order) vs a whole ingest;
* start: one 2-worker pool over the same pages per worker start method (spawn / forkserver with
  the server started in the timed part / forkserver started before / fork), each cold in its
  own interpreter, interleaved, plus our extractor in one process;
* memory: peak RSS and PSS of the whole process tree of `akhbar ingest-warc` on generated WARCs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bench.run_all import machine  # noqa: E402

PY = sys.executable
START_VARIANTS = ("ours_1p", "pool_spawn", "pool_forkserver_cold", "pool_forkserver_warm", "pool_fork")
# measured with the start variants, interleaved: per page, our extractor vs bare trafilatura.extract
PER_PAGE = ("bare_trafilatura_1p", "bare_trafilatura_1p_warm", "ours_1p_warm")


def child(args: list[str], out: Path | None = None, env: dict | None = None) -> dict | str:
    cmd = [PY, "-m", "bench.pipeline", *args] + (["--out", str(out)] if out else [])
    print("  $", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    for line in proc.stderr.splitlines()[-4:]:
        print("    " + line[:200], flush=True)
    return json.loads(out.read_text()) if out else proc.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="p2,polite,start,memory")
    ap.add_argument("--sizes", default="2048,10000", help="memory: WARC sizes (pages)")
    ap.add_argument("--runs", type=int, default=1, help="start: rounds of the interleaved variants")
    ap.add_argument("--limit", type=int, default=512, help="start: pages per variant")
    ap.add_argument("--keep-web", type=Path, default=None)
    ap.add_argument("--no-write", action="store_true", help="write neither bench/RESULTS.md nor bench/results_stream.json")
    a = ap.parse_args()
    parts = [p for p in a.parts.split(",") if p]
    started = time.perf_counter()
    info = machine()
    print(f"machine: {info}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="akhbar-bench-stream-"))
    web = a.keep_web or work / "web"
    if not (web / "manifest.json").exists():
        from bench.bigweb import generate

        web.mkdir(parents=True, exist_ok=True)
        print(f"big web: {generate(web, 32, 64)}", flush=True)
    res: dict = {"machine": info, "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    env = {"AKHBAR_EXTRACT_WORKERS": "2"}
    if "p2" in parts:
        print("P2", flush=True)
        res["p2"] = child(["e2e", str(web)], work / "p2.json", env)
    if "polite" in parts:
        print("polite", flush=True)
        res["polite"] = child(["polite", str(web), "--interval", "0.2", "--hosts", "32"], work / "polite.json", env)
    if "start" in parts:
        print("start methods", flush=True)
        times: dict[str, list] = {v: [] for v in START_VARIANTS + PER_PAGE}
        for _ in range(a.runs):
            for v in START_VARIANTS + PER_PAGE:
                wall, cpu = map(float, str(child(["variant", str(web), "--which", v, "--limit", str(a.limit)],
                                                 env=env)).split())
                times[v].append((wall, cpu))
        res["start"] = {v: {"wall": statistics.median(w for w, _ in ts), "cpu": statistics.median(c for _, c in ts)}
                        for v, ts in times.items()}
        res["start_pages"] = a.limit
        res["start_runs"] = a.runs
    if "memory" in parts:
        print("memory", flush=True)
        res["memory"] = child(["memory", "--sizes", a.sizes, "--dir", str(work / "warc")], work / "mem.json", env)
    res["total_s"] = time.perf_counter() - started
    res["load1_end"] = os.getloadavg()[0]
    if not a.no_write:  # the raw figures go with the section they back
        (ROOT / "bench" / "results_stream.json").write_text(json.dumps(res, indent=1, default=str))
        write_section("stream", render(res, a))
    print(render(res, a))
    shutil.rmtree(work, ignore_errors=True)  # the runs' warehouses and archives (and the web unless kept)


def render(r: dict, a) -> str:
    m = r["machine"]
    lines = ["## One run as a stream (issue 18; bench/stream.py)", "",
             f"Command: `python -m bench.stream --parts {a.parts} --sizes {a.sizes} --runs {a.runs} "
             f"--limit {a.limit}` under `flock /work/coord/bench.lock` at normal priority (the other "
             f"developers' work runs niced), run {r['when']}, total {r['total_s'] / 60:.1f} min.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, **shared with other developers' "
             f"work while measured** (1-min load average at start {m['load1']:.1f}, at end "
             f"{r.get('load1_end', float('nan')):.1f}): only ratios measured side by side in one invocation "
             "mean anything, and even those are noisy.", "",
             "| # | measure | ours | baseline | ratio | goal | status |", "|---|---|---|---|---|---|---|"]
    if p2 := r.get("p2"):
        first, ex = p2["first"], p2["extract_only_s"]
        wall = first["wall"]
        ratio = wall / ex
        lines.append(f"| P2 | first ingest of the {p2['pages']:,}-page big web (flow: feeds, fetch, extract, dedupe, "
                     f"stage, load) vs extraction only of the same pages (2 workers, same process) | {wall:.1f} s | "
                     f"{ex:.1f} s | **{ratio:.2f}x** | <= 1.25x | {'met' if ratio <= 1.25 else '**not met**'} |")
        lines.append(f"| P2 | CPU seconds of the same (whole tree) | {first['cpu_s']:.1f} s | "
                     f"{p2['extract_only_cpu_s']:.1f} s | {first['cpu_s'] / p2['extract_only_cpu_s']:.2f}x | — | — |")
        share = first["orchestration_s"] / wall
        parts = (f"flow engine {first['flow_engine_s']:.2f} s (before the body "
                 f"{first.get('flow_engine_before_body_s') or 0:.2f} s, after it "
                 f"{first.get('flow_engine_after_body_s') or 0:.2f} s), task engine {first['task_engine_s']:.2f} s")
        warm = ", the server warm" if p2.get("server_first_request_s") is not None else ""
        lines.append(f"| P6 | Prefect orchestration share of the first ingest's wall{warm} ({parts}) | "
                     f"{first['orchestration_s']:.2f} s = {share * 100:.1f} % | — | — | "
                     f"< 5 % | {'met' if share < 0.05 else '**not met**'} |")
        if (cold := p2.get("server_first_request_s")) is not None:
            share_cold = (first["orchestration_s"] + cold) / (wall + cold)
            lines.append(f"| P6 | the same with the server's first API request counted ({cold:.2f} s: a temporary server "
                         f"just started, which the first run meets; once per server) | "
                         f"{first['orchestration_s'] + cold:.2f} s = {share_cold * 100:.1f} % | — | — | < 5 % | "
                         f"{'met' if share_cold < 0.05 else '**not met**'} |")
        rerun = p2.get("rerun", {})
        if rerun:
            lines.append(f"| P3 | no-change rerun: page GETs answered 200 | {rerun['page_gets_200']} | — | — | 0 | "
                         f"{'met' if rerun['page_gets_200'] == 0 else '**not met**'} |")
    if pol := r.get("polite"):
        ratio = pol["ratio"]
        lines.append(f"| P2 | politeness-bound run ({pol['hosts']} hosts, {pol['interval_s']} s per host): whole ingest "
                     f"vs the fetch alone (feeds + {pol['fetch_alone_pages']} pages) | {pol['ingest_s']:.1f} s | "
                     f"{pol['fetch_alone_s']:.1f} s | **{ratio:.2f}x** | <= 1.1x | "
                     f"{'met' if ratio <= 1.1 else '**not met**'} |")
    if st := r.get("start"):
        one = st["ours_1p"]["wall"]
        for v in START_VARIANTS[1:]:
            s = st[v]
            lines.append(f"| P1 | {r['start_pages']} pages, 2-worker pool, start `{v[5:]}` vs our extractor in 1 "
                         f"process | {s['wall']:.1f} s wall, {s['cpu']:.1f} s CPU | {one:.1f} s wall, "
                         f"{st['ours_1p']['cpu']:.1f} s CPU | **{one / s['wall']:.2f}x** | >= 1.7x | "
                         f"{'met' if one / s['wall'] >= 1.7 else '**not met**'} |")
    for suffix, how in (("_warm", "after a few other pages untimed (steady state; bench/pipeline.py WARM_PAGES)"),
                        ("", "cold: py3langid's model and caches load inside the timed part")):
        if not st or not (bare := st.get("bare_trafilatura_1p" + suffix)) or not (ours := st.get("ours_1p" + suffix)):
            continue
        ratio = ours["cpu"] / bare["cpu"]
        lines.append(f"| P1 | per page, {r['start_pages']} big-web pages, one process, {how}: our extractor "
                     f"(`extract_page`) vs bare `trafilatura.extract` (CPU) | {ours['cpu']:.2f} s CPU "
                     f"({ours['wall']:.2f} s wall) | {bare['cpu']:.2f} s CPU ({bare['wall']:.2f} s wall) | "
                     f"**{ratio:.2f}x** | <= 1.3x | {'met' if ratio <= 1.3 else '**not met**'} |")
    if mem := r.get("memory"):
        runs = mem["runs"]
        for run in runs:
            lines.append(f"| mem | `akhbar ingest-warc` of {run['pages']:,} pages ({run['warc_mb']:.0f} MB WARC): peak of "
                         f"the whole process tree (command, temporary Prefect server, fork server, workers) | "
                         f"RSS {run['peak_tree_rss_mb']:.0f} MB, PSS {run['peak_tree_pss_mb']:.0f} MB | — | — | "
                         f"< 800 MB | {'met' if run['peak_tree_pss_mb'] < 800 else '**not met**'} (PSS) |")
        if len(runs) >= 2:
            a0, a1 = runs[0], runs[-1]
            d = abs(a1["peak_tree_pss_mb"] - a0["peak_tree_pss_mb"]) / a0["peak_tree_pss_mb"]
            lines.append(f"| mem | peak PSS, {a1['pages']:,} vs {a0['pages']:,} pages | "
                         f"{a1['peak_tree_pss_mb']:.0f} MB | {a0['peak_tree_pss_mb']:.0f} MB | {d * 100:+.0f} % | "
                         f"< 10 % | {'met' if d < 0.10 else '**not met**'} |")
    lines += ["", "Raw figures: `bench/results_stream.json`. How each part is measured: bench/stream.py's docstring "
              "and bench/pipeline.py (`e2e`, `polite`, `variant`, `memory`)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
