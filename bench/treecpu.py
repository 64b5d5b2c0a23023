"""CPU account of one first ingest of the big web, per process of the tree and per thread of the
command (Linux, psutil): where a run's CPU goes outside our own stage timers.

    python -m bench.treecpu WEB_DIR [--server harness|inproc] [--out account.json]

WEB_DIR: a big web (bench/bigweb.py; bench.stream --keep-web leaves one). The run is set up as
bench/pipeline.py's `e2e` sets up its first run (same environment, RemoteWeb fixture server in a
process of its own, a fresh warehouse). --server harness: Prefect's test harness (its API server
a child process, as in `bench.pipeline e2e`); inproc: flows/tempserver.py's temporary server on a
thread of this process, as `akhbar ingest` runs without PREFECT_API_URL.

Per process (command, prefect-server, fork-server, worker, web server): user+system CPU seconds
during the run, and what it reaped from its ended children (the fork server reaps the workers:
their last sample and the reaped figure are the same CPU, count one). Per thread of this process:
CPU seconds by thread name, sampled every 0.5 s (a thread that ends loses its last half second;
the sampler's own thread is listed). API requests to the Prefect server by method and path.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.pipeline as bp  # noqa: E402 - sets the bench's environment defaults first


def role(p, me) -> str:
    import psutil

    if p.pid == me.pid:
        return "command"
    try:
        cmd = " ".join(p.cmdline())
        parent = " ".join(p.parent().cmdline())
    except psutil.Error:
        return "gone"
    if "uvicorn" in cmd or ("prefect" in cmd and "server" in cmd):
        return "prefect-server"
    if "forkserver" in cmd:
        return "worker" if "forkserver" in parent else "fork-server"
    if "resource_tracker" in cmd:
        return "resource-tracker"
    if "spawn_main" in cmd:
        return "web-server"
    return "other"


class Sampler:
    """CPU times of every process of the tree and every thread of this one, every 0.5 s."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.procs: dict[int, list] = {}  # pid -> [role, user, system, children user, children system]
        self.threads: dict[int, list] = {}  # native thread id -> [name, user, system]
        self.stop = threading.Event()
        self.sample()
        self.t = threading.Thread(target=self._run, name="treecpu-sampler", daemon=True)
        self.t.start()

    def sample(self) -> None:
        import psutil

        for p in [self.me, *self.me.children(recursive=True)]:
            try:
                ct = p.cpu_times()
                r = self.procs[p.pid][0] if p.pid in self.procs else role(p, self.me)
                self.procs[p.pid] = [r, ct.user, ct.system, ct.children_user, ct.children_system]
            except psutil.Error:
                pass
        names = {t.native_id: t.name for t in threading.enumerate()}
        for th in self.me.threads():
            name = names.get(th.id) or (self.threads[th.id][0] if th.id in self.threads else None)
            if name is None:
                try:
                    name = "native:" + Path(f"/proc/self/task/{th.id}/comm").read_text().strip()
                except OSError:
                    name = "native:?"
            self.threads[th.id] = [name, th.user_time, th.system_time]

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self.sample()

    def snap(self) -> tuple[dict, dict]:
        self.sample()
        return {k: list(v) for k, v in self.procs.items()}, {k: list(v) for k, v in self.threads.items()}


def account(before: tuple[dict, dict], after: tuple[dict, dict]) -> dict:
    (p0, t0), (p1, t1) = before, after
    procs = {}
    for pid, (r, u, s, cu, cs) in p1.items():
        b = p0.get(pid, [r, 0.0, 0.0, 0.0, 0.0])
        procs[pid] = {"role": r, "cpu_s": round(u + s - b[1] - b[2], 2), "reaped_s": round(cu + cs - b[3] - b[4], 2)}
    threads: dict[str, float] = collections.defaultdict(float)
    for tid, (n, u, s) in t1.items():
        b = t0.get(tid, [n, 0.0, 0.0])
        threads[n] += u + s - b[1] - b[2]
    by_role: dict[str, float] = collections.defaultdict(float)
    for p in procs.values():  # workers counted by their own samples, not again as reaped
        by_role[p["role"]] += p["cpu_s"] + (p["reaped_s"] if p["role"] not in ("fork-server",) else 0.0)
    return {"procs": procs, "by_role": {k: round(v, 2) for k, v in sorted(by_role.items())},
            "threads": {k: round(v, 2) for k, v in sorted(threads.items(), key=lambda x: -x[1]) if v > 0.005}}


@contextlib.contextmanager
def api_requests(counter: collections.Counter):
    """Count this process's HTTP requests to a Prefect API (paths with /api/), ids folded."""
    import httpx

    real_async, real_sync = httpx.AsyncClient.send, httpx.Client.send

    def key(r) -> str | None:
        path = r.url.path
        return r.method + " " + re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", path) if "/api/" in path else None

    async def asend(self, request, *a, **k):
        if k_ := key(request):
            counter[k_] += 1
        return await real_async(self, request, *a, **k)

    def ssend(self, request, *a, **k):
        if k_ := key(request):
            counter[k_] += 1
        return real_sync(self, request, *a, **k)

    httpx.AsyncClient.send, httpx.Client.send = asend, ssend
    try:
        yield
    finally:
        httpx.AsyncClient.send, httpx.Client.send = real_async, real_sync


@contextlib.contextmanager
def temporary_server():
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="akhbar-treecpu-prefect-")
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from flows import tempserver

    tempserver.start()
    try:
        yield
    finally:
        tempserver.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("web", type=Path)
    ap.add_argument("--server", default="harness", choices=["harness", "inproc"])
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.server == "harness":
        from prefect.testing.utilities import prefect_test_harness

        server = prefect_test_harness(server_startup_timeout=120)
    else:
        server = temporary_server()
    requests: collections.Counter = collections.Counter()
    with server, api_requests(requests):
        bp.first_api_request()  # the server warm, as bench.pipeline e2e meets it
        import flows.ingest as fi

        site = bp.RemoteWeb(a.web)
        tmp = Path(tempfile.mkdtemp(prefix="akhbar-treecpu-"))
        try:
            catalog = site.write_catalog(tmp / "catalog.toml")
            db = tmp / "wh" / "akhbar.duckdb"
            db.parent.mkdir()
            sampler = Sampler()
            before = sampler.snap()
            requests.clear()
            c0, t0 = bp.cpu_seconds(), time.perf_counter()
            res = fi.ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
            wall, cpu = time.perf_counter() - t0, bp.cpu_seconds() - c0
            time.sleep(0.6)  # the workers' exit reaches the fork server's reaped figures
            after = sampler.snap()
            sampler.stop.set()
        finally:
            site.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    out = {"server": a.server, "wall_s": round(wall, 1), "bench_cpu_s": round(cpu, 2), "pages": res["pages_fetched"],
           "status": res["status"], "load1": os.getloadavg()[0], "api_requests": dict(requests),
           "logging_to_api": os.environ.get("PREFECT_LOGGING_TO_API_ENABLED"), **account(before, after)}
    text = json.dumps(out, indent=1)
    if a.out:
        a.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
