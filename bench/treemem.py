"""Memory of a command's whole process tree, per role, over time (Linux, psutil).

    python -m bench.treemem --out mem.json -- akhbar ingest-warc big.warc.gz --db /tmp/x.duckdb

Samples every process of the tree every `--every` seconds: RSS and PSS (smaps_rollup) of each,
grouped by role (command / prefect-server / fork-server / worker / other), and writes the peaks
of the tree and of each role plus a timeline, so what grows with the input can be told apart
from what is a fixed cost. RSS counts the pages a forked worker shares with its fork server once
per process; PSS divides them among the processes that share them (the tree's PSS is what it
really takes from the machine).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def role(p, root_pid: int) -> str:
    if p.pid == root_pid:
        return "command"
    try:
        cmd = " ".join(p.cmdline())
    except Exception:  # noqa: BLE001 - gone
        return "other"
    if "prefect" in cmd and ("server" in cmd or "uvicorn" in cmd):
        return "prefect-server"
    try:
        parent = p.parent()
        pcmd = " ".join(parent.cmdline()) if parent else ""
    except Exception:  # noqa: BLE001
        pcmd = ""
    if "forkserver" in pcmd:  # forked by the fork server (same command line as the server)
        return "worker"
    if "forkserver" in cmd:
        return "fork-server"
    if "resource_tracker" in cmd:
        return "resource-tracker"
    return "other"


def sample(root, roles: dict[int, str]) -> dict[str, dict[str, float]]:
    import psutil

    out: dict[str, dict[str, float]] = {}
    for p in [root, *root.children(recursive=True)]:
        try:
            if p.pid not in roles:
                roles[p.pid] = role(p, root.pid)
            m = p.memory_full_info()
        except psutil.Error:
            continue
        r = out.setdefault(roles[p.pid], {"rss": 0.0, "pss": 0.0, "n": 0})
        r["rss"] += m.rss / 2**20
        r["pss"] += getattr(m, "pss", m.rss) / 2**20
        r["n"] += 1
    return out


def watch(cmd: list[str], every: float = 0.5, env: dict | None = None, log: Path | None = None) -> dict:
    """Run `cmd` and sample its tree until it exits; returns peaks (tree and per role) and the timeline."""
    import psutil

    sink = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.STDOUT)
    root = psutil.Process(proc.pid)
    roles: dict[int, str] = {}
    timeline, peak = [], {"tree_rss": 0.0, "tree_pss": 0.0}
    by_role: dict[str, dict[str, float]] = {}
    while proc.poll() is None:
        s = sample(root, roles)
        t = time.perf_counter() - t0
        tree_rss, tree_pss = sum(v["rss"] for v in s.values()), sum(v["pss"] for v in s.values())
        peak["tree_rss"], peak["tree_pss"] = max(peak["tree_rss"], tree_rss), max(peak["tree_pss"], tree_pss)
        for k, v in s.items():
            b = by_role.setdefault(k, {"rss": 0.0, "pss": 0.0, "n": 0})
            b["rss"], b["pss"], b["n"] = max(b["rss"], v["rss"]), max(b["pss"], v["pss"]), max(b["n"], v["n"])
        timeline.append({"t": round(t, 2), "rss": round(tree_rss), "pss": round(tree_pss),
                         **{k: round(v["pss"]) for k, v in s.items()}})
        time.sleep(every)
    if log:
        sink.close()
    return {"cmd": cmd, "returncode": proc.returncode, "wall_s": time.perf_counter() - t0,
            "peak_tree_rss_mb": peak["tree_rss"], "peak_tree_pss_mb": peak["tree_pss"],
            "peak_by_role_mb": by_role, "timeline": timeline}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=float, default=0.5)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--log", type=Path, default=None)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    res = watch(cmd, a.every, log=a.log)
    a.out.write_text(json.dumps(res))
    print(json.dumps({k: v for k, v in res.items() if k != "timeline"}), flush=True)
    sys.exit(res["returncode"])


if __name__ == "__main__":
    main()
