"""Pipeline benchmarks on the big simulated web (bench/bigweb.py).

    python -m bench.pipeline extract WEB_DIR [--runs 3]       # P1, prints JSON
    python -m bench.pipeline e2e WEB_DIR [--profile OUT.html] # P2/P3/P6 one round, prints JSON

`e2e` is meant to run in a child process (bench/run_all.py samples its RSS tree for peak
memory): it starts a Prefect test harness, serves WEB_DIR on loopback with tests.webserver.
FixtureWeb (in its own process, like a remote site; request counts come back over a pipe), runs flows.ingest.ingest twice into a fresh warehouse (first run, no-change rerun),
then times extraction alone (tasks.articles.build_articles, same worker count) on the same
pages, side by side in the same process.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Loopback: no politeness delay; all outlets share 127.0.0.1, so allow high per-host concurrency.
os.environ.setdefault("AKHBAR_HOST_INTERVAL_S", "0")
os.environ.setdefault("AKHBAR_HOST_CONCURRENCY", "16")
os.environ.setdefault("AKHBAR_CONCURRENCY", "16")
os.environ.setdefault("AKHBAR_EXTRACT_WORKERS", "2")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")

WORKERS = int(os.environ["AKHBAR_EXTRACT_WORKERS"])
FAKE_BASE = "http://127.0.0.1:8"


# --- pages from disk (no HTTP) ------------------------------------------------------------------


def load_pages(web: Path, base: str = FAKE_BASE, limit: int | None = None):
    """tasks.pages.Page objects for every article page, decoded like the fetch stage does."""
    from tasks.encoding import decode_html
    from tasks.models import FeedEntry, FetchResult
    from tasks.pages import Page

    manifest = json.loads((web / "manifest.json").read_text("utf-8"))
    pages = []
    for m in manifest:
        if m["kind"] != "page":
            continue
        body = (web / m["file"]).read_bytes().replace(b"{{BASE}}", base.encode())
        url = base + m["url_path"]
        host = m["url_path"].split("/")[1]
        ctype = m["headers"].get("Content-Type")
        entry = FeedEntry(url=url, raw_link=url, source_id=host, feed_url=base + f"/{host}/rss/latest.xml",
                          title=None, summary=None, published_at=None)
        fetch = FetchResult(url=url, final_url=url, outcome="ok", status=200, body=body,
                            headers={"content-type": ctype} if ctype else {})
        d = decode_html(body, ctype)
        pages.append(Page(entry=entry, fetch=fetch, html=d.text, encoding=d.encoding))
        if limit and len(pages) >= limit:
            break
    return pages


# --- P1 ------------------------------------------------------------------------------------------


VARIANTS = ("bare_trafilatura_1p", "ours_1p", "ours_pool", "build_articles")


def run_variant(web: Path, which: str, limit: int | None) -> tuple[float, float]:
    """One P1 variant, cold (fresh interpreter, nothing warmed): seconds for the whole page set."""
    import trafilatura

    from tasks import articles
    from tasks.articles import ExtractJob, run_job
    from tasks.pool import map_in_processes

    pages = load_pages(web, limit=limit)
    jobs = [ExtractJob(p.html, p.fetch.final_url, None, None, None, None) for p in pages]
    import resource

    def cpu() -> float:
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime

    c = cpu()
    t = time.perf_counter()
    if which == "bare_trafilatura_1p":
        for p in pages:
            trafilatura.extract(p.html)
    elif which == "ours_1p":
        for j in jobs:
            run_job(j)
    elif which == "ours_pool":
        map_in_processes(run_job, jobs, WORKERS)
    else:
        articles.build_articles(pages, {}, WORKERS, None, "bench")
    wall = time.perf_counter() - t
    return wall, cpu() - c  # cpu: this process + reaped pool workers (spawn, imports, work)


def bench_extract(web: Path, runs: int, limit: int | None) -> dict:
    """Each variant in its own fresh process, cold, interleaved run by run: trafilatura's and
    htmldate's caches warm up during a run, so a variant run after another in one process would
    get the other's warm caches (and pool workers always start cold)."""
    import subprocess

    res: dict[str, list[float]] = defaultdict(list)
    n = len(load_pages(web, limit=limit))
    for _ in range(runs):
        for which in VARIANTS:
            cmd = [sys.executable, "-m", "bench.pipeline", "variant", str(web), "--which", which]
            if limit:
                cmd += ["--limit", str(limit)]
            out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
            wall, cpu = map(float, out.strip().splitlines()[-1].split())
            res[which].append(wall)
            res[which + "_cpu"].append(cpu)
        print(json.dumps({k: round(v[-1], 2) for k, v in res.items()}), file=sys.stderr, flush=True)
    return {"pages": n, "workers": WORKERS, "runs": dict(res),
            "median": {k: statistics.median(v) for k, v in res.items()}}


# --- P2 / P3 / P6 --------------------------------------------------------------------------------


class StageClock:
    """Times every Prefect task of flows.ingest two ways: the call as the flow sees it (task
    engine included) and the wrapped function's own run. Also the flow function's own body."""

    def __init__(self):
        self.call = defaultdict(float)
        self.own = defaultdict(float)
        self.flow_body = 0.0
        self.publish_s = 0.0
        self.gcl_s = 0.0
        self._body_start = 0.0

    def install(self):
        from prefect import Task

        import flows.ingest as fi

        for name, obj in list(vars(fi).items()):
            if isinstance(obj, Task):
                obj.fn = self._own(obj.name, obj.fn)
                setattr(fi, name, self._call(obj.name, obj))
        # The flow body: from its first statement (get_run_logger) to the end of publish_summary
        # (wrapping ingest.fn itself would break Prefect's parameter model).
        real_logger = fi.get_run_logger

        def logger_mark(*a, **k):
            self._body_start = time.perf_counter()
            return real_logger(*a, **k)
        fi.get_run_logger = logger_mark
        import flows.reporting as rep

        real_publish = rep.publish_summary

        def publish_mark(*a, **k):
            t = time.perf_counter()
            try:
                return real_publish(*a, **k)
            finally:
                end = time.perf_counter()
                self.publish_s += end - t
                self.flow_body += end - self._body_start
        rep.publish_summary = publish_mark
        if hasattr(fi, "publish_summary"):  # imported at module level
            fi.publish_summary = publish_mark

        # The warehouse writer slot is a Prefect global concurrency limit (flows/locks.py): time
        # its acquire + release (API round trips), which sit inside the load-warehouse stage.
        import contextlib

        import prefect.concurrency.sync as pcs

        real_concurrency = pcs.concurrency

        @contextlib.contextmanager
        def timed_concurrency(*a, **k):
            t = time.perf_counter()
            cm = real_concurrency(*a, **k)
            value = cm.__enter__()
            self.gcl_s += time.perf_counter() - t
            try:
                yield value
            except BaseException:
                t = time.perf_counter()
                if not cm.__exit__(*sys.exc_info()):
                    raise
                self.gcl_s += time.perf_counter() - t
            else:
                t = time.perf_counter()
                cm.__exit__(None, None, None)
                self.gcl_s += time.perf_counter() - t
        pcs.concurrency = timed_concurrency

    def _own(self, label, fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.own[label] += time.perf_counter() - t
        return inner

    def _call(self, label, task):
        clock = self

        class Timed:
            def __call__(self, *a, **k):
                t = time.perf_counter()
                try:
                    return task(*a, **k)
                finally:
                    clock.call[label] += time.perf_counter() - t

            def __getattr__(self, item):
                return getattr(task, item)
        return Timed()

    def reset(self):
        self.call.clear()
        self.own.clear()
        self.flow_body = 0.0
        self.publish_s = 0.0
        self.gcl_s = 0.0

    def snapshot(self, wall: float) -> dict:
        task_engine = sum(self.call[k] - self.own[k] for k in self.call)
        flow_engine = wall - self.flow_body
        return {"wall": wall, "flow_body": self.flow_body, "publish_artifacts_s": self.publish_s,
                "writer_slot_gcl_s": self.gcl_s, "stage_own": dict(self.own),
                "stage_call": dict(self.call), "task_engine_s": task_engine, "flow_engine_s": flow_engine,
                "orchestration_s": task_engine + flow_engine}


def _serve(web: str, conn) -> None:
    """Child process: FixtureWeb over `web`; answers 'counts' / 'clear' / 'stop' on the pipe."""
    from tests.webserver import FixtureWeb

    site = FixtureWeb(Path(web)).start()
    conn.send(site.base_url)
    while True:
        cmd = conn.recv()
        if cmd == "clear":
            site.log.clear()
            conn.send(True)
        elif cmd == "counts":
            conn.send({"by_kind": dict(site.log.by_kind()), "page_200": site.log.count("page", 200)})
        else:
            site.stop()
            conn.send(True)
            return


class RemoteWeb:
    """tests.webserver.FixtureWeb in its own process, so the server does not share the GIL (or
    the profile) with the pipeline under test — as with a real remote site."""

    def __init__(self, web: Path):
        import multiprocessing

        from tests.webserver import FixtureWeb

        self.meta = FixtureWeb(web)  # feeds list + write_catalog, no server
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(str(web), child), daemon=True)
        self.proc.start()
        self.meta.base_url = self.conn.recv()

    def write_catalog(self, path: Path) -> Path:
        return self.meta.write_catalog(path)

    def clear(self) -> None:
        self.conn.send("clear")
        self.conn.recv()

    def counts(self) -> dict:
        self.conn.send("counts")
        return self.conn.recv()

    def stop(self) -> None:
        self.conn.send("stop")
        self.conn.recv()
        self.proc.join(10)


class PeakRss:
    """Peak RSS (MB) of this process + its children, sampled every 50 ms by a thread; `exclude`
    pids (the fixture web server) and the Prefect test server (uvicorn) are left out and
    reported separately as `peak_tree_mb`."""

    def __init__(self):
        import threading

        self.exclude: set[int] = set()
        self.peak = 0
        self.peak_tree = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            ours = tree = 0
            for p in [me] + me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    tree += rss
                    if p.pid not in self.exclude and "uvicorn" not in " ".join(p.cmdline()):
                        ours += rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, ours)
            self.peak_tree = max(self.peak_tree, tree)
            self._stop.wait(0.05)

    def take(self) -> dict:
        """Peaks since the last take(), in MB; restarts the peaks."""
        out = {"peak_mb": self.peak / 2**20, "peak_tree_mb": self.peak_tree / 2**20}
        self.peak = self.peak_tree = 0
        return out

    def stop(self):
        self._stop.set()
        self._t.join()


def bench_e2e(web: Path, profile: Path | None) -> dict:
    from prefect.testing.utilities import prefect_test_harness

    out: dict = {}
    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        out["harness_start_s"] = time.perf_counter() - t
        import flows.ingest as fi

        clock = StageClock()
        clock.install()
        site = RemoteWeb(web)
        rss = PeakRss()
        rss.exclude.add(site.proc.pid)
        tmp = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
        catalog = site.write_catalog(tmp / "catalog.toml")
        db = tmp / "wh" / "akhbar.duckdb"
        db.parent.mkdir()
        try:
            for label in ("first", "rerun"):
                site.clear()
                clock.reset()
                rss.take()
                profiler = None
                if profile is not None and label == "first":
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.005, async_mode="disabled")
                    profiler.start()
                t = time.perf_counter()
                res = fi.ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
                wall = time.perf_counter() - t
                if profiler is not None:
                    profiler.stop()
                    # text next to the results; the (large) HTML view in the temp dir
                    html = Path(tempfile.gettempdir()) / (profile.stem + ".html")
                    html.write_text(profiler.output_html(), "utf-8")
                    (profile.with_suffix(".txt")).write_text(
                        profiler.output_text(unicode=False, color=False, show_all=False), "utf-8")
                snap = clock.snapshot(wall)
                snap["mem"] = rss.take()
                counts = site.counts()
                snap["requests"] = counts["by_kind"]
                snap["page_gets_200"] = counts["page_200"]
                snap["articles_new"] = res["articles_new"]
                snap["pages_fetched"] = res["pages_fetched"]
                snap["status"] = res["status"]
                out[label] = snap
                print(json.dumps({label: {k: snap[k] for k in ("wall", "orchestration_s", "requests")}}),
                      file=sys.stderr, flush=True)
            import duckdb

            con = duckdb.connect(str(db), read_only=True)
            out["warehouse"] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                for t in ("articles", "story_clusters", "cluster_members")}
            out["warehouse"]["multi_member_clusters"] = con.execute(
                "SELECT count(*) FROM (SELECT cluster_id FROM cluster_members GROUP BY 1 HAVING count(*) > 1)"
            ).fetchone()[0]
            con.close()
        finally:
            site.stop()
            rss.stop()
    # Extraction alone on the same pages, same workers, same process (after the harness is gone).
    from tasks.articles import build_articles

    pages = load_pages(web)
    t = time.perf_counter()
    build_articles(pages, {}, WORKERS, None, "bench")
    out["extract_only_s"] = time.perf_counter() - t
    out["pages"] = len(pages)
    print(json.dumps({"extract_only_s": out["extract_only_s"]}), file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["extract", "e2e", "variant"])
    ap.add_argument("--which", choices=VARIANTS, default="ours_1p")
    ap.add_argument("web", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    if a.mode == "variant":
        print(*run_variant(a.web, a.which, a.limit))
        return
    res = bench_extract(a.web, a.runs, a.limit) if a.mode == "extract" else bench_e2e(a.web, a.profile)
    text = json.dumps(res, default=str)
    if a.out:
        a.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
