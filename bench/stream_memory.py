"""Peak memory of `akhbar ingest-warc`'s whole process tree on generated big-web WARCs of several
sizes (issue 18: 10k vs 50k pages within 10 %, both < 800 MB), per process role.

    flock /work/coord/bench.lock python -m bench.stream_memory --sizes 10000,50000 --dir /tmp/warc --write

Each size: a WARC from bench.bigweb.write_warc (kept in --dir for the next run), one
`akhbar ingest-warc` into a new warehouse with its own temporary Prefect server (or, with
--api-url, talking to a Prefect server already running, which is then not in the tree), sampled
every 0.5 s by bench/treemem.py: RSS and PSS of the command, the Prefect server, the fork server,
the extraction workers, summed per role and over the tree. AKHBAR_DUCKDB_MEMORY from the
environment is recorded with each run. --write puts the section "Stream memory"
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


def run(n: int, workdir: Path, workers: int, api_url: str | None = None) -> dict:
    """One `akhbar ingest-warc` of n pages. api_url: a Prefect server already running (as `akhbar
    serve` gives a deployment): the command talks to it and starts no temporary server, so the
    tree measured is the command and its extraction processes; None: Prefect's temporary server,
    a child of the command, is part of the tree."""
    from bench.bigweb import write_warc

    warc = workdir / f"bigweb-{n}.warc.gz"
    if not warc.exists():
        write_warc(warc, n)
    run_dir = Path(tempfile.mkdtemp(prefix=f"akhbar-mem-{n}-", dir=workdir))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    if api_url:
        env["PREFECT_API_URL"] = api_url
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
    tables = _table_digest(con)
    con.close()
    tl = res["timeline"]
    peak_at = max(tl, key=lambda x: x["pss"]) if tl else {}
    out = {"pages": n, "warc_mb": warc.stat().st_size / 2**20, "stored": stored, "wall_s": res["wall_s"],
           "server": "running" if api_url else "temporary", "duckdb_memory": os.environ.get("AKHBAR_DUCKDB_MEMORY", ""),
           "tables": tables, "load_start": load0, "load_end": load1, "peak_tree_rss_mb": res["peak_tree_rss_mb"],
           "peak_tree_pss_mb": res["peak_tree_pss_mb"], "by_role": res["peak_by_role_mb"],
           "at_peak_pss": peak_at, "timeline": tl}
    shutil.rmtree(run_dir, ignore_errors=True)
    return out


def _table_digest(con) -> dict:
    """Row counts of the warehouse's tables and a digest of its story clusters (which article is
    in which cluster, which copy is canonical): two runs on the same WARC that load the same rows
    and make the same clusters give the same dict (a memory setting must not change them)."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal"
        " ORDER BY table_name").fetchall()]
    out = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    out["clusters_md5"] = con.execute(
        "SELECT md5(string_agg(concat_ws('|', article_id, cluster_id, is_canonical), ',' ORDER BY article_id))"
        " FROM articles").fetchone()[0]
    out["members_md5"] = con.execute(
        "SELECT md5(string_agg(concat_ws('|', cluster_id, article_id), ',' ORDER BY cluster_id, article_id))"
        " FROM cluster_members").fetchone()[0]
    return out


def _setup(r: dict) -> tuple[str, str]:
    """(Prefect server, DuckDB limit) of a run: the rows compared with each other."""
    return r.get("server", "temporary"), r.get("duckdb_memory") or "default"


def markdown(runs: list[dict], command: str) -> str:
    lines = [
        "## Stream memory: ingest-warc's whole process tree (issue 18; bench/stream_memory.py)",
        "",
        f"Command: `{command}` (AKHBAR_EXTRACT_WORKERS=2, default chunk 200 records, AKHBAR_DUCKDB_MEMORY as in the"
        " table), each size into a new warehouse, with Prefect's temporary server (started by the command: in the"
        " tree) or talking to a Prefect server already running (`--api-url`, as a deployment under `akhbar serve`"
        " does: not in the tree); every process of the tree"
        " sampled every 0.5 s (bench/treemem.py). RSS counts the pages a forked worker shares with its fork server"
        " once per process; PSS divides shared pages among the processes that map them, so the tree's PSS is what"
        " the run takes from the machine. Shared 2-core machine (load averages below).",
        "",
        "| Prefect server | DuckDB limit | pages | stored | wall s | load 1-min start / end | peak tree RSS MB |"
        " peak tree PSS MB | command PSS (RSS) | Prefect server PSS (RSS) | fork server PSS (RSS) | workers PSS (RSS) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        b = r["by_role"]

        def cell(role: str, b=b) -> str:
            x = b.get(role)
            return f"{x['pss']:.0f} ({x['rss']:.0f})" if x else "-"

        lines.append(f"| {_setup(r)[0]} | {_setup(r)[1]} | {r['pages']:,} | {r['stored']:,} | {r['wall_s']:.0f} | {r['load_start']:.1f} / {r['load_end']:.1f} |"
                     f" {r['peak_tree_rss_mb']:.0f} | {r['peak_tree_pss_mb']:.0f} | {cell('command')} |"
                     f" {cell('prefect-server')} | {cell('fork-server')} | {cell('worker')} |")
    for kind in dict.fromkeys(map(_setup, runs)):
        same = [r for r in runs if _setup(r) == kind]
        if len(same) >= 2:
            a, z = same[0], same[-1]
            lines += ["", f"{kind[0]} Prefect server, DuckDB limit {kind[1]}, {z['pages']:,} vs {a['pages']:,} pages: peak tree PSS"
                      f" {100 * (z['peak_tree_pss_mb'] / a['peak_tree_pss_mb'] - 1):+.1f} %, peak tree RSS"
                      f" {100 * (z['peak_tree_rss_mb'] / a['peak_tree_rss_mb'] - 1):+.1f} % (goal: within 10 %)."]
    lines += ["", "Per-role columns are each role's own peak (they need not coincide); at the tree's PSS peak: "
              + "; ".join(f"{r['pages']:,} pages ({', '.join(_setup(r))}): " + ", ".join(f"{k} {v}" for k, v in r["at_peak_pss"].items() if k != "t")
                          for r in runs)]
    return "\n".join(lines + ["", NOTES])


# What the numbers mean, written with the measurement (bench/RESULTS.md keeps it next to the table).
NOTES = """\
Where the memory is (bench/treemem.py timelines):
- Fixed before the first page: the command's imports ~240 MB PSS; Prefect's temporary server ~230 MB
  (only when no Prefect server is running: a deployment run under `akhbar serve`, or any command with
  PREFECT_API_URL set, talks to the running server, which is not part of the run's tree); the fork
  server and its two workers ~235 MB PSS (~480 MB summed RSS: they share the preloaded extraction
  libraries, which summed RSS counts once per process).
- The command then swings with each chunk: the dedupe read of the window (+45 MB median), the chunk's
  load on a writer connection (DuckDB keeps the blocks it read up to its limit: +~100 MB at 256MB),
  and at the end the full search build a NEW warehouse gets from its first run. Its baseline stays
  at ~430 MB PSS from 10,000 to 50,000 pages.
- Session 20: the workers' fork server imported DuckDB and pyarrow (tasks.stories and tasks.pages
  imported the warehouse modules at their top), which no worker uses: ~100 MB of the server's RSS
  (mostly the libraries' pages) and ~25 MB of their heap copied into every worker it forks. They
  are now imported where the warehouse is read or written, and the server preloads tasks.articles
  (the workers' entry module) instead of each worker importing it. 10,000 pages, the same WARC,
  old then new twice on the same loaded machine (load 9-14): peak tree PSS 838 -> 789 / 828 MB,
  summed RSS 1,250 -> 1,118 / 1,123 MB; at the peak fork server 111 -> 65 / 66, workers 185 ->
  175 / 176, command 535 -> 541 / 580 MB (its chunk swing varies run to run; the library pages the
  server shared with the command now count to the command alone); CPU of the whole run 286 ->
  264 / 268 CPU-s. What is left of a chunk's swing in the command is DuckDB's: the
  writer's close (its checkpoint) and commit, +85-100 MB RSS over the command's baseline at 10,000
  stored articles, and the dedupe window read, +75-95 MB (~20 MB of it the Python rows of the pool,
  the rest the query: it fails under a 48MB limit); the chunk's own structures (200 lightened pages
  and articles, their tables) are a few MB.
- Session 16: the command's memory between chunks grew ~100 MB over 10,000 pages. tracemalloc per
  chunk: ~2 MB a chunk of whole article texts kept by `clean_text`'s 8,192-entry cache (the
  stripped text, its cleaned copy, and the UTF-8 copy pickling a text to the workers attaches to
  it), up to ~80 MB once full; mallinfo2: glibc's free-but-held bytes +45 MB (holes in the
  per-thread arenas). Now the cache takes lines only (<= 1,000 chars) and `malloc_trim` runs
  after every chunk: +25-41 MB, tree peak 788/802 MB PSS vs 886/862 before (10,000 pages, load 6-10).
- Session 8 (2026-12-06): a chunk's dedupe paired every stored article of its window with every
  other (16 million lead 5-gram pairs for one 256-article chunk of this corpus, whose outlets open
  stories with standing phrases): +199 MB median while a chunk was placed, now +9 MB (tasks/dedupe.py
  `candidate_lists(query=...)`); and AKHBAR_DUCKDB_MEMORY's default went from 256MB to 96MB (10,000
  pages: 1,066 -> 981 MB PSS at the same wall time; 128MB 1,002, 64MB 973 and 4 % slower). Before
  both, on the same machine the same day: 1,123 MB at 10,000 pages.
- Earlier (sessions 3-4): the full search build analyses 2,000 articles per step, a run's loads and
  their search sync keep the run's DuckDB limit (the build's 2 GB does not raise it), the fork server
  stops with the stream's workers, the boilerplate model forgets lines its window dropped.
- Goals: 10,000 vs 50,000 pages within 10 % — met at 96MB with either server (+5.5 % / +7.5 % PSS);
  at 256MB +10.9 %, not met (the dedupe change lowered the 10k peak, not the 50k one). Both < 800 MB for the whole tree: with Prefect's temporary
  server in the tree, NOT met (~1.0 GB PSS, ~1.3 GB summed RSS); with a running Prefect server, met on
  PSS (what the run takes from the machine), not on summed RSS, which counts the shared libraries of
  the fork server and each worker again.
- Not bounded by the chunk: the dedupe window (articles published within +-72 h of a chunk's: ~7,500
  on this corpus of 1,250 articles a day) and the one full search build a NEW warehouse gets at the end
  of its first run (an existing warehouse syncs the run's articles 256 at a time).\
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "akhbar-bench-warc")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--api-url", default=None,
                    help="a running Prefect server's API (e.g. http://127.0.0.1:4200/api): no temporary server")
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
            runs.append(run(n, a.dir, a.workers, a.api_url))
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "timeline"}, default=str),
                  f"{time.perf_counter() - t:.0f}s", file=sys.stderr, flush=True)
            if a.out:
                a.out.write_text(json.dumps({"runs": runs}, default=str))
    runs.sort(key=lambda r: (_setup(r)[0] != "temporary", _setup(r)[1], r["pages"]))
    text = markdown(runs, command)
    print(text)
    if a.write:
        from bench.results import write_section

        write_section("stream-memory", text)


if __name__ == "__main__":
    main()
