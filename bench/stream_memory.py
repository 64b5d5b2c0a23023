"""Peak memory of `akhbar ingest-warc`'s whole process tree on generated big-web WARCs of several
sizes (issue 18: 10k vs 50k pages within 10 %, both < 800 MB), per process role.

    flock /work/coord/bench.lock python -m bench.stream_memory --sizes 10000,50000 --dir /tmp/warc --write

Each size: a WARC from bench.bigweb.write_warc (kept in --dir for the next run), one
`akhbar ingest-warc` into a new warehouse with its own temporary Prefect server, sampled every
0.5 s by bench/treemem.py: RSS and PSS of the command, the Prefect server, the fork server, the
extraction workers, summed per role and over the tree. --write puts the section "Stream memory"
into bench/RESULTS.md (bench/results.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.treemem import watch

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("command", "prefect-server", "fork-server", "worker", "resource-tracker", "other")


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(n: int, workdir: Path, workers: int) -> dict:
    from bench.bigweb import write_warc

    warc = workdir / f"bigweb-{n}.warc.gz"
    if not warc.exists():
        write_warc(warc, n)
    run_dir = Path(tempfile.mkdtemp(prefix=f"akhbar-mem-{n}-", dir=workdir))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(run_dir / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", AKHBAR_EXTRACT_WORKERS=str(workers))
    cmd = [str(Path(sys.executable).with_name("akhbar")), "ingest-warc", str(warc), "--db", str(run_dir / "akhbar.duckdb")]
    load0 = _load()
    res = watch(cmd, 0.5, env=env, log=run_dir / "log.txt")
    load1 = _load()
    if res["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{(run_dir / 'log.txt').read_text()[-2000:]}")
    import duckdb

    con = duckdb.connect(str(run_dir / "akhbar.duckdb"), read_only=True)
    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    tl = res["timeline"]
    peak_at = max(tl, key=lambda x: x["pss"]) if tl else {}
    out = {"pages": n, "warc_mb": warc.stat().st_size / 2**20, "stored": stored, "wall_s": res["wall_s"],
           "load_start": load0, "load_end": load1, "peak_tree_rss_mb": res["peak_tree_rss_mb"],
           "peak_tree_pss_mb": res["peak_tree_pss_mb"], "by_role": res["peak_by_role_mb"],
           "at_peak_pss": peak_at, "timeline": tl}
    shutil.rmtree(run_dir, ignore_errors=True)
    return out


def markdown(runs: list[dict], command: str) -> str:
    lines = [
        "## Stream memory: ingest-warc's whole process tree (issue 18; bench/stream_memory.py)",
        "",
        f"Command: `{command}` (AKHBAR_EXTRACT_WORKERS=2, default chunk 200 records, AKHBAR_DUCKDB_MEMORY default"
        " 256MB), each size into a new warehouse with its own temporary Prefect server; every process of the tree"
        " sampled every 0.5 s (bench/treemem.py). RSS counts the pages a forked worker shares with its fork server"
        " once per process; PSS divides shared pages among the processes that map them, so the tree's PSS is what"
        " the run takes from the machine. Shared 2-core machine (load averages below).",
        "",
        "| pages | stored | wall s | load 1-min start / end | peak tree RSS MB | peak tree PSS MB |"
        " command PSS (RSS) | Prefect server PSS (RSS) | fork server PSS (RSS) | workers PSS (RSS) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        b = r["by_role"]

        def cell(role: str, b=b) -> str:
            x = b.get(role)
            return f"{x['pss']:.0f} ({x['rss']:.0f})" if x else "-"

        lines.append(f"| {r['pages']:,} | {r['stored']:,} | {r['wall_s']:.0f} | {r['load_start']:.1f} / {r['load_end']:.1f} |"
                     f" {r['peak_tree_rss_mb']:.0f} | {r['peak_tree_pss_mb']:.0f} | {cell('command')} |"
                     f" {cell('prefect-server')} | {cell('fork-server')} | {cell('worker')} |")
    if len(runs) >= 2:
        a, z = runs[0], runs[-1]
        lines += ["", f"{z['pages']:,} vs {a['pages']:,} pages: peak tree PSS {100 * (z['peak_tree_pss_mb'] / a['peak_tree_pss_mb'] - 1):+.1f} %,"
                  f" peak tree RSS {100 * (z['peak_tree_rss_mb'] / a['peak_tree_rss_mb'] - 1):+.1f} % (goal: within 10 %)."]
    lines += ["", "Per-role columns are each role's own peak (they need not coincide); at the tree's PSS peak: "
              + "; ".join(f"{r['pages']:,} pages: " + ", ".join(f"{k} {v}" for k, v in r["at_peak_pss"].items() if k != "t")
                          for r in runs)]
    return "\n".join(lines + ["", NOTES])


# What the numbers mean, written with the measurement (bench/RESULTS.md keeps it next to the table).
NOTES = """\
Where the memory is (bench/treemem.py timelines, this run and the runs before the fixes):
- Before (main at 1323da6, 10,000 pages, niced on the loaded machine): tree peak PSS 1,201 MB / RSS
  1,357 MB, all at the END of the run: the command process at 843 MB PSS while the search index of the
  new warehouse was built from scratch by the run's last load (20,000 articles analysed per step under
  a 2 GB DuckDB limit). The same full build alone on a copy of the warehouse: 591 MB at 10k articles,
  1,235 MB at 50k: this is what grew with the pages (bench/RESULTS.md "stream": +37 % from 2,048 to
  8,192 pages).
- Fixed: the build analyses 2,000 articles per step (50k: 670 MB, CPU 23.2 s vs 26.1 s), a run's loads
  and their search sync run under AKHBAR_DUCKDB_MEMORY (256MB; the build's 2 GB no longer raises it:
  475 MB at 50k), the fork server stops with the stream's workers (~130 MB less during the last load),
  and (landed after this measurement) the boilerplate model forgets the lines it read once a window has
  dropped them (it kept every line hash of every page: ~50 MB at 50k by count).
- Now the tree's peak is in the middle of the run and about the same at both sizes: the command process
  swings between ~390 and ~700 MB PSS from one chunk to the next (the dedupe read of the window and the
  load: +150 MB for one chunk's dedupe pool query on a 10k warehouse, measured alone, whatever the DuckDB
  limit), the Prefect server is a flat ~227 MB, the fork server and its two workers ~240 MB PSS
  (~480 MB RSS: they share the preloaded extraction libraries). The 50k run's last load (a full search
  build of 50,000 articles) reaches 810 MB in the command (10k: ~580 MB) but stays below the run's peak.
- Goals: 10k vs 50k within 10 % — met, on PSS and on RSS. Both < 800 MB for the whole tree — NOT met:
  ~1.1 GB PSS / ~1.5 GB RSS. The fixed part alone (Prefect's temporary server 227 + fork server and
  workers 240 PSS + the command's imports ~235) is ~700 MB PSS before any page is handled; summed RSS
  counts the shared extraction libraries once per worker (+~240 MB). "Peak RSS of the whole tree" is
  read here as both sums; PSS is what the machine gives the run.
- Not bounded by the chunk: the dedupe window (articles published within +-72 h of a chunk's: ~7,500
  on this corpus of 1,250 articles a day) and the one full search build a NEW warehouse gets at the end
  of its first run (an existing warehouse syncs the run's articles 256 at a time).\
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "akhbar-bench-warc")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help="write the 'Stream memory' section of bench/RESULTS.md")
    ap.add_argument("--from-json", type=Path, nargs="*", default=None, help="write the section from earlier --out files")
    ap.add_argument("--command", default=None, help="the command line to state in the section (with --from-json)")
    a = ap.parse_args()
    command = a.command or ("python -m bench.stream_memory --sizes " + a.sizes)
    if a.from_json:
        runs = [r for f in a.from_json for r in json.loads(f.read_text())["runs"]]
    else:
        a.dir.mkdir(parents=True, exist_ok=True)
        runs = []
        for n in [int(x) for x in a.sizes.split(",") if x]:
            t = time.perf_counter()
            runs.append(run(n, a.dir, a.workers))
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "timeline"}, default=str),
                  f"{time.perf_counter() - t:.0f}s", file=sys.stderr, flush=True)
            if a.out:
                a.out.write_text(json.dumps({"runs": runs}, default=str))
    runs.sort(key=lambda r: r["pages"])
    text = markdown(runs, command)
    print(text)
    if a.write:
        from bench.results import write_section

        write_section("stream-memory", text)


if __name__ == "__main__":
    main()
