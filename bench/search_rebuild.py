"""A full search-index rebuild of a large warehouse under several DuckDB memory limits: the limit a
run's load holds (AKHBAR_DUCKDB_MEMORY, 96MB by default), which a rebuild started by that load
keeps, against the 2 GB of `akhbar search --reindex`.

    python -m bench.search_rebuild --db /tmp/akhbar-growth/g3/n1000000/akhbar.duckdb --limits 96MB,256MB,2GB

--db is a warehouse with articles (the 1M-article one `python -m bench.growth --build-only --sizes
1000000` leaves under its cache dir); it is copied once next to itself and each limit rebuilds
the copy in a fresh process (`writer(db, memory_limit=L)` then `sync_search_index(con,
full=True)`, what a load's search sync runs after an analysis change). One JSON line per limit:
wall and CPU seconds of the process (DuckDB's threads included), its max RSS, the build's
counts, or the error it ended with.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def rebuild(db: Path, limit: str) -> dict:
    """One full rebuild of db's search index with DuckDB held to ``limit``."""
    from warehouse.db import writer
    from warehouse.search import sync_search_index

    wall, cpu = time.perf_counter(), time.process_time()
    out: dict = {"limit": limit}
    try:
        with writer(db, memory_limit=limit) as con:
            stats = sync_search_index(con, full=True)
        out.update(indexed=stats["indexed"], runs=stats["runs"], merged_runs=stats["merged_runs"])
    except Exception as exc:  # a bench records the failure and goes on to the next limit
        out["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    out.update(wall_s=round(time.perf_counter() - wall, 1), cpu_s=round(time.process_time() - cpu, 1),
               max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--limits", default="96MB,256MB,2GB")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(rebuild(args.db, args.child)), flush=True)
        return
    copy = args.db.with_name(args.db.stem + "-rebuild.duckdb")
    shutil.copyfile(args.db, copy)
    try:
        for limit in args.limits.split(","):
            subprocess.run([sys.executable, "-m", "bench.search_rebuild", "--db", str(copy), "--child", limit],
                           check=True)
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
