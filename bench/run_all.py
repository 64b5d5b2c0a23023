"""Run every pipeline benchmark and write the "Pipeline" section of bench/RESULTS.md.

    python -m bench.run_all            # full: 2,048-page web, 3 runs (~12-15 min)
    python -m bench.run_all --quick    # 512-page web, 1 run (~3 min)

Options: --runs N, --no-write, --keep-web DIR (generate the big web there and keep it),
--profile (pyinstrument of the first ingest -> bench/profile_ingest.txt, HTML view in the temp
dir; default on in full mode). Each heavy part runs in a child process (fresh interpreter, RSS sampled with psutil).
Figures are medians of N runs measured side by side in one invocation: on a shared 2-core machine
only the ratios mean much.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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

RESULTS = ROOT / "bench" / "RESULTS.md"
PY = sys.executable


def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = {}
    for mod in ("prefect", "trafilatura", "duckdb", "datasketch", "pyarrow"):
        try:
            vers[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            vers[mod] = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), **vers, "load1": os.getloadavg()[0]}


def child(args: list[str], out: Path) -> tuple[dict, dict]:
    """Run `python -m <args> --out out` in a fresh interpreter; returns (json result, {})."""
    cmd = [PY, "-m", *args, "--out", str(out)]
    print("  $", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mem: dict = {}
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-4000:]}")
    for line in err.splitlines()[-6:]:
        print("    " + line[:200], flush=True)
    return json.loads(out.read_text()), mem


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def p4_dedupe(sizes: list[int], runs: int) -> list[dict]:
    """bench/dedupe.py's throughput part: ours beside datasketch MinHashLSH on the same texts."""
    from bench.dedupe import versus_datasketch

    out = []
    for n in sizes:
        r = versus_datasketch(n, runs if n < 100_000 else 1, reference=n <= 10_000)
        out.append(r)
        print(f"  P4 {n}: ours {r['ours_s']:.1f}s datasketch {r['datasketch_s']:.1f}s "
              f"({r['speed_ratio']:.2f}x, digest {r['digest']})", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--keep-web", type=Path, default=None)
    ap.add_argument("--profile", action=argparse.BooleanOptionalAction, default=None)
    a = ap.parse_args()
    quick = a.quick
    runs = a.runs or (1 if quick else 3)
    profile = (not quick) if a.profile is None else a.profile
    outlets, per = (8, 64) if quick else (32, 64)
    started = time.perf_counter()
    info = machine()
    print(f"machine: {info}", flush=True)

    from bench.bigweb import generate

    tmpdir = tempfile.TemporaryDirectory(prefix="akhbar-bigweb-")
    web = a.keep_web or Path(tmpdir.name) / "web"
    web.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    webstats = generate(web, outlets, per)
    webstats["gen_s"] = time.perf_counter() - t
    print(f"big web: {webstats}", flush=True)
    work = Path(tmpdir.name)

    # P1 extraction throughput
    print("P1 extraction", flush=True)
    # Full mode: the first 1,024 pages (the per-page cost is flat; P2 extracts all of them anyway)
    p1_args = ["bench.pipeline", "extract", str(web), "--runs", str(runs)] + ([] if quick else ["--limit", "1024"])
    p1, _ = child(p1_args, work / "p1.json")

    # P2/P3/P6 + memory: one child per round
    rounds = []
    for r in range(runs):
        print(f"P2/P3/P6 round {r + 1}/{runs}", flush=True)
        args = ["bench.pipeline", "e2e", str(web)]
        if profile and r == 0:
            args += ["--profile", str(ROOT / "bench" / "profile_ingest.html")]
        res, _ = child(args, work / f"e2e{r}.json")
        res["profiled"] = profile and r == 0
        rounds.append(res)

    # P4 dedupe
    print("P4 dedupe", flush=True)
    p4 = p4_dedupe([1000] if quick else [10_000, 100_000], runs)

    # P5 warehouse load
    print("P5 warehouse load", flush=True)
    # executemany costs ~10-20 ms per row here, so it is timed on a subset and extrapolated
    n_rows, subset = (20_000, 1_000) if quick else (100_000, 1_000)
    p5, _ = child(["bench.warehouse_load", "--rows", str(n_rows), "--subset", str(subset), "--runs", str(runs)],
                  work / "p5.json")

    total = time.perf_counter() - started
    body = render(info, webstats, runs, quick, p1, rounds, p4, p5, total, " ".join(sys.argv[1:]))
    print(body)
    raw = dict(info=info, web=webstats, runs=runs, quick=quick, p1=p1, rounds=rounds, p4=p4, p5=p5, total=total)
    (ROOT / "bench" / "results_pipeline.json").write_text(json.dumps(raw, default=str, indent=1))
    if not a.no_write:
        write_section("pipeline", body)
    tmpdir.cleanup()


def _unprofiled(rounds: list[dict]) -> list[dict]:
    clean = [r for r in rounds if not r.get("profiled")]
    return clean or rounds


def render(info, web, runs, quick, p1, rounds, p4, p5, total, argv) -> str:
    m = p1["median"]
    pages = p1["pages"]
    bare, ours1, pool, build = m["bare_trafilatura_1p"], m["ours_1p"], m["ours_pool"], m["build_articles"]
    pool_cpu, ours1_cpu = m.get("ours_pool_cpu", float("nan")), m.get("ours_1p_cpu", float("nan"))
    speedup = ours1 / pool
    ideal = ours1 / p1["workers"]
    overhead = pool / ideal - 1
    clean = _unprofiled(rounds)
    first_wall = med([r["first"]["wall"] for r in clean])
    extract_only = med([r["extract_only_s"] for r in clean])
    e2e_ratio = med([r["first"]["wall"] / r["extract_only_s"] for r in clean])
    rerun_wall = med([r["rerun"]["wall"] for r in clean])
    rerun_gets = max(r["rerun"]["page_gets_200"] for r in rounds)
    rerun_extract = max(r["rerun"]["articles_new"] for r in rounds)
    first = clean[0]["first"]
    orch_share = med([r["first"]["orchestration_s"] / r["first"]["wall"] for r in clean])
    orch_rerun = med([r["rerun"]["orchestration_s"] / r["rerun"]["wall"] for r in clean])
    task_eng = med([r["first"]["task_engine_s"] for r in clean])
    flow_eng = med([r["first"]["flow_engine_s"] for r in clean])
    publish = med([r["first"].get("publish_artifacts_s", 0.0) for r in clean])
    peak_ours = max(r["first"]["mem"]["peak_mb"] for r in rounds)
    peak_tree = max(r["first"]["mem"]["peak_tree_mb"] for r in rounds)
    peak_rerun = max(r["rerun"]["mem"]["peak_mb"] for r in rounds)
    stages = sorted(first["stage_own"].items(), key=lambda kv: -kv[1])
    p5_speed = p5["speedup"]

    def ok(b):
        return "**met**" if b else "**not met**"

    lines = [
        "## Pipeline throughput (bench/run_all.py)",
        "",
        f"Command: `python -m bench.run_all{(' ' + argv) if argv else ''}` — {'quick' if quick else 'full'} mode, "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, total {total / 60:.1f} min.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM (shared; 1-min load at start "
        f"{info['load1']:.1f}). Python {info['python']}, prefect {info['prefect']}, trafilatura "
        f"{info['trafilatura']}, duckdb {info['duckdb']}, datasketch {info['datasketch']}, pyarrow {info['pyarrow']}.",
        "",
        f"Big web (`bench/bigweb.py`, seed 7): {web['outlets']} outlets (8 dev templates cloned under new hosts) x "
        f"{web['pages'] // web['outlets']} pages = **{web['pages']:,} article pages** ({web['bytes'] / 2**20:.0f} MB), "
        f"{web['feeds']} feeds (rss2 + atom, up to 100 items), {web['wire_pages']} wire copies of "
        f"{web['wire_stories']} wire stories, the rest distinct stories (body paragraphs remixed).",
        "",
        f"All figures: medians of {runs} run(s) side by side in one invocation"
        + ("" if runs == 1 else "; end-to-end figures exclude the profiled round") + ".",
        "",
        "| # | measure | ours | baseline | ratio | goal | status |",
        "|---|---|---|---|---|---|---|",
        f"| P1 | extraction, {pages:,} pages, {p1['workers']} worker processes (`map_in_processes(run_job)`) vs our "
        f"extractor in 1 process | {pool:.1f} s ({pages / pool:.0f} p/s) | {ours1:.1f} s ({pages / ours1:.0f} p/s) | "
        f"**{speedup:.2f}x** | >= 1.7x | {ok(speedup >= 1.7)} |",
        f"| P1 | pool overhead vs ideal (1-process time / {p1['workers']}) | {pool:.1f} s | {ideal:.1f} s | "
        f"**{overhead:+.0%}** | <= 10 % | {ok(overhead <= 0.10)} |",
        f"| P1 | CPU time (user+sys) of the same: pool = parent + both workers incl. spawn, imports, model loads | "
        f"{pool_cpu:.1f} s | {ours1_cpu:.1f} s (1 process) | {pool_cpu / ours1_cpu - 1:+.0%} CPU | — | on 2 idle cores this "
        f"would give ~{ours1_cpu / (pool_cpu / p1['workers']):.2f}x (CPU-bound, even split) |",
        f"| P1 | `build_articles` (pool + boilerplate pass + hashes), {p1['workers']} workers | {build:.1f} s | "
        f"{pool:.1f} s (pool alone) | {build / pool:.2f}x | — | — |",
        f"| P1 | per page, 1 process: our extractor vs bare `trafilatura.extract(html)` | "
        f"{ours1 / pages * 1000:.1f} ms | {bare / pages * 1000:.1f} ms | {ours1 / bare:.2f}x | — | (ours does more: "
        f"cleanup, 2nd parse for metadata, htmldate, langid) |",
        f"| P1 | {p1['workers']}-worker pool vs bare single-process trafilatura loop | {pool:.1f} s | {bare:.1f} s | "
        f"{pool / bare:.2f}x slower | — | — |",
        f"| P2 | end-to-end ingest of the big web on loopback (Prefect flow: feeds, fetch, extract, dedupe, stage, "
        f"load, search, snapshot) vs extraction only of the same pages | {first_wall:.1f} s | {extract_only:.1f} s | "
        f"**{e2e_ratio:.2f}x** | <= 1.25x | {ok(e2e_ratio <= 1.25)} |",
        f"| P3 | no-change rerun: article page GETs answered 200 / extractions | {rerun_gets} / {rerun_extract} | "
        f"{first['page_gets_200']} / {first['articles_new']} (first run) | — | 0 / 0 | "
        f"{ok(rerun_gets == 0 and rerun_extract == 0)} |",
        f"| P3 | no-change rerun wall time | {rerun_wall:.1f} s | {first_wall:.1f} s (first run) | "
        f"{rerun_wall / first_wall:.2f}x | — | — |",
        *[f"| P4 | dedupe {x['n']:,} articles (signatures + clustering, 1 core, CPU s) vs datasketch "
          f"MinHash + MinHashLSH(0.5) on the same texts | " + _p4(x) + " |" for x in p4],
        f"| P5 | warehouse load of {p5['rows']:,} `articles` rows: `stage_batch` + `load_pending` vs row-by-row "
        f"`executemany` INSERT ({p5['subset']:,}-row subset x {p5['rows'] // p5['subset']}, extrapolated) | "
        f"{p5['median_bulk_s']:.1f} s (stage {p5['median_stage_s']:.1f} + load {p5['median_load_s']:.1f}) | "
        f"{p5['executemany_extrapolated_s']:.0f} s ({p5['median_executemany_subset_s']:.1f} s measured) | "
        f"**{p5_speed:.0f}x** | >= 50x | {ok(p5_speed >= 50)} |",
        f"| P6 | Prefect orchestration share of the first ingest's wall time | {orch_share:.1%} | — | — | < 5 % | "
        f"{ok(orch_share < 0.05)} |",
        f"| P6 | same, no-change rerun | {orch_rerun:.1%} | — | — | — | — |",
        f"| mem | peak RSS of the first big-web ingest (flow process + extraction workers, summed) | {peak_ours:.0f} MB "
        f"| — | — | — | rerun {peak_rerun:.0f} MB; with the Prefect test server and the fixture web server: "
        f"{peak_tree:.0f} MB |",
        "",
        "How measured:",
        "",
        "* P1: `python -m bench.pipeline extract`: pages read from disk and decoded with `tasks.encoding.decode_html` "
        "(as the fetch stage does); the same decoded strings go to `trafilatura.extract` (defaults), to "
        "`tasks.articles.run_job` in a loop, to `tasks.pool.map_in_processes(run_job, jobs, 2)` (spawn pool, "
        "chunks of 8; includes spawning the workers, their imports and model loading) and to `build_articles`. "
        "Each variant runs cold in its own fresh interpreter, the four interleaved run by run (trafilatura/htmldate "
        "caches warm up over a run; in one process a later variant would inherit them, pool workers never do).",
        "* P2/P3/P6: `python -m bench.pipeline e2e` in a child process: Prefect test harness, "
        "`tests.webserver.FixtureWeb` over the big web, `flows.ingest.ingest(catalog, db, allow_private_networks=True)` "
        "with `AKHBAR_HOST_INTERVAL_S=0`, `AKHBAR_HOST_CONCURRENCY=16`, `AKHBAR_CONCURRENCY=16`, "
        "`AKHBAR_EXTRACT_WORKERS=2`, into a fresh warehouse; then the same call again (rerun); then "
        "`build_articles` on the same pages in the same process (extraction-only baseline).",
        "* P6: every Prefect task of `flows.ingest` is timed twice — the call as the flow body sees it and the wrapped "
        "function's own run; orchestration = (flow call wall − flow body) + Σ(task call − task function) "
        f"[first run: flow engine {flow_eng:.1f} s + task engine {task_eng:.1f} s]. Publishing the two run-summary "
        f"artifacts (`flows.reporting.publish_summary`, {publish:.2f} s) is inside the body and not counted.",
        "* Memory: a psutil thread in the e2e process samples (50 ms) its own RSS plus its children's (the spawned "
        "extraction workers), summed; the Prefect test server (uvicorn) and the fixture web server (own process, so "
        "it does not share the GIL with the flow) are left out; max over rounds.",
        "",
        "First ingest, stage functions' own time (s, profiled round excluded when runs > 1):",
        "",
        "| stage | s | share of wall |",
        "|---|---|---|",
        *[f"| {k} | {v:.2f} | {v / first['wall']:.1%} |" for k, v in stages],
        f"| flow body outside tasks (`_tables`, summary, artifacts) | "
        f"{first['flow_body'] - sum(first['stage_call'].values()):.2f} | "
        f"{(first['flow_body'] - sum(first['stage_call'].values())) / first['wall']:.1%} |",
        f"| orchestration | {first['orchestration_s']:.2f} | {first['orchestration_s'] / first['wall']:.1%} |",
        "",
        f"Warehouse after the two ingests: {clean[0].get('warehouse')}. Requests, first run: {first['requests']}; "
        f"rerun: {clean[0]['rerun']['requests']}.",
        "",
    ]
    return "\n".join(lines)


def _p4(x: dict) -> str:
    n = x["n"]
    same = {None: "not checked", True: "identical", False: "DIFFERENT"}[x.get("identical")]
    return (f"{x['ours_s']:.1f} s ({n / x['ours_s']:,.0f} art/s; sig {x['sig_s']:.1f} + cluster {x['cluster_s']:.1f}) | "
            f"{x['datasketch_s']:.1f} s ({n / x['datasketch_s']:,.0f} art/s) | **{x['speed_ratio']:.2f}x** | >= 1.0x | "
            f"{'**met**' if x['speed_ratio'] >= 1.0 else '**not met**'} ({x['clusters']:,} clusters; output vs the "
            f"unvectorised loop: {same}; key-text cleanup, same for both, {x['cleanup_s']:.1f} s; runs {x['runs']})")


if __name__ == "__main__":
    main()
