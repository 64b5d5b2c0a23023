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
import shutil
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


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process, its reaped children and the fork server with
    its reaped workers (forked workers are the fork server's children, not ours). Prefect's test
    server (uvicorn, a child of ours) is left out while it runs."""
    import multiprocessing.forkserver as mpf
    import resource

    import psutil

    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    pid = getattr(mpf._forkserver, "_forkserver_pid", None)
    if pid:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
            for w in psutil.Process(pid).children():  # live workers
                wt = w.cpu_times()
                total += wt.user + wt.system
        except psutil.Error:
            pass
    return total


# --- P1 ------------------------------------------------------------------------------------------


# The pool variants differ in how the worker processes start (tasks.pool.start_method):
#   spawn          each worker starts a fresh interpreter and imports trafilatura & co. itself;
#   forkserver     a fork server imports them once (tasks.pool.PRELOAD), workers are forked from it;
#                  "cold": the server starts inside the timed part; "warm": it started (and
#                  imported) before the timed part, as in a run, where that overlaps the page fetch;
#   fork           workers forked from this (single-threaded) process, which imported everything.
VARIANTS = ("bare_trafilatura_1p", "ours_1p", "pool_spawn", "pool_forkserver_cold", "pool_forkserver_warm",
            "pool_fork", "build_articles", "bare_trafilatura_1p_warm", "ours_1p_warm")
# "_warm": per page in the steady state: first WARM_PAGES other pages extracted untimed (py3langid's
# model, ~0.5 s, and the parsers' caches load on first use: a one-off, not a per-page cost)
WARM_PAGES = 16
_START = {"pool_spawn": "spawn", "pool_forkserver_cold": "forkserver", "pool_forkserver_warm": "forkserver",
          "pool_fork": "fork", "build_articles": "forkserver"}


def run_variant(web: Path, which: str, limit: int | None) -> tuple[float, float]:
    """One P1 variant, cold (fresh interpreter, nothing warmed but what the variant says):
    (wall seconds, CPU seconds of this process and every worker) for the whole page set."""
    import psutil
    import trafilatura

    from tasks import articles, pool
    from tasks.articles import ExtractJob, run_job

    if which in _START:
        os.environ["AKHBAR_POOL_START"] = _START[which]
    warm = which.endswith("_warm") and not which.startswith("pool_")
    pages = load_pages(web, limit=limit + WARM_PAGES if warm and limit else None)
    extra = pages[-WARM_PAGES:] if warm else []
    pages = pages[:-WARM_PAGES] if warm else pages
    which = which.removesuffix("_warm") if warm else which
    jobs = [ExtractJob(p.html, p.fetch.final_url, None, None, None, None) for p in pages]
    for p in extra:  # untimed
        trafilatura.extract(p.html) if which == "bare_trafilatura_1p" else run_job(
            ExtractJob(p.html, p.fetch.final_url, None, None, None, None))
    if which == "pool_forkserver_warm":
        import multiprocessing.forkserver as mpf

        pool._context(())  # sets the preload list
        mpf.ensure_running()
        server = psutil.Process(mpf._forkserver._forkserver_pid)
        while server.cpu_percent(0.2) > 5:  # the server has finished importing
            pass

    cpu = cpu_seconds
    c = cpu()
    t = time.perf_counter()
    if which == "bare_trafilatura_1p":
        for p in pages:
            trafilatura.extract(p.html)
    elif which == "ours_1p":
        for j in jobs:
            run_job(j)
    elif which == "build_articles":
        articles.build_articles(pages, {}, WORKERS, None, "bench")
    else:
        pool.map_in_processes(run_job, jobs, WORKERS)
    wall = time.perf_counter() - t
    return wall, cpu() - c


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
    engine included) and the wrapped function's own run; the three stream stages (Prefect tasks
    running side by side, flows/streaming.py) by the span of their functions, and the whole
    `run_stream` call; inside the dedupe-and-load stage, the time in dedupe, staging and loading.
    Also the flow function's own body."""

    def __init__(self):
        self.call = defaultdict(float)
        self.own = defaultdict(float)
        self.span: dict[str, list[float]] = {}
        self.inner = defaultdict(float)
        self.stream_wall = 0.0
        self.flow_body = 0.0
        self.publish_s = 0.0
        self.gcl_s = 0.0
        self._body_start = 0.0
        self.t0 = 0.0  # when the flow was called (the caller sets it)
        self.body_end = 0.0

    def install(self):
        from prefect import Task

        import flows.ingest as fi
        import flows.streaming as fs

        for name, obj in list(vars(fi).items()):
            if isinstance(obj, Task):
                obj.fn = self._own(obj.name, obj.fn)
                setattr(fi, name, self._call(obj.name, obj))
        for name, label in (("read_stage", "stream: fetch-pages"), ("extract_stage", "stream: extract"),
                            ("settle_stage", "stream: dedupe-and-load")):
            obj = getattr(fs, name)
            obj.fn = self._spanned(label, obj.fn)
        real_stream = fs.run_stream

        def timed_stream(*a, **k):
            t = time.perf_counter()
            try:
                return real_stream(*a, **k)
            finally:
                self.stream_wall += time.perf_counter() - t
        fs.run_stream = timed_stream
        import flows.loading as fl
        import tasks.stories as ts

        for mod, attr, label in ((ts, "cluster_articles", "in dedupe-and-load: attribution, signatures, dedupe"),
                                 (fi, "stage_or_report", "in dedupe-and-load: staging"),
                                 (fl, "load_all_pending", "in dedupe-and-load: loading chunks")):
            setattr(mod, attr, self._inner(label, getattr(mod, attr)))
        # The flow body: from its first statement (get_run_logger) to the end of publish_summary
        # (wrapping ingest.fn itself would break Prefect's parameter model).
        real_logger = fi.get_run_logger

        def logger_mark(*a, **k):
            if self._body_start <= self.t0:  # the body's first call (it calls it again later)
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
                self.body_end = end
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

    def _spanned(self, label, fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.span[label] = [start, time.perf_counter()]
        return inner

    def _inner(self, label, fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.inner[label] += time.perf_counter() - t
        return inner

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
        self.span.clear()
        self.inner.clear()
        self.stream_wall = 0.0
        self.flow_body = 0.0
        self.publish_s = 0.0
        self.gcl_s = 0.0

    def snapshot(self, wall: float) -> dict:
        task_engine = sum(self.call[k] - self.own[k] for k in self.call)
        flow_engine = wall - self.flow_body
        # the flow engine's part before the body (flow run created, decorators: run lock, checks)
        # and after it (final state, result), from the call's start (t0, set by the caller)
        before = self._body_start - self.t0 if self.t0 else None
        after = self.t0 + wall - self.body_end if self.t0 and self.body_end else None
        spans = list(self.span.values())
        # the stages overlap: what Prefect adds to the run is the stream call's wall time beyond
        # the stages' own spread (first stage start to last stage end)
        stream_engine = self.stream_wall - (max(e for _, e in spans) - min(s for s, _ in spans)) if spans else 0.0
        own = dict(self.own)
        own.update({k: e - s_ for k, (s_, e) in self.span.items()})
        own.update(self.inner)
        return {"wall": wall, "flow_body": self.flow_body, "publish_artifacts_s": self.publish_s,
                "writer_slot_gcl_s": self.gcl_s, "stage_own": own, "stage_call": dict(self.call),
                "stream_wall": self.stream_wall, "stream_engine_s": stream_engine,
                "task_engine_s": task_engine + stream_engine, "flow_engine_s": flow_engine,
                "flow_engine_before_body_s": before, "flow_engine_after_body_s": after,
                "orchestration_s": task_engine + stream_engine + flow_engine}


def _serve(web: str, conn, hosts: list[str]) -> None:
    """Child process: FixtureWeb over `web`; answers 'counts' / 'clear' / 'stop' on the pipe."""
    from tests.webserver import FixtureWeb

    # AKHBAR_BENCH_PORT: a fixed port, so two runs' URLs (and so article ids, which order ties in
    # dedupe) are the same and their clusters can be compared (bench/stream.py --check-clusters)
    site = FixtureWeb(Path(web), hosts=hosts, cache=True).start(int(os.environ.get("AKHBAR_BENCH_PORT", "0")))
    site.warm()
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
    the profile) with the pipeline under test — as with a real remote site; each response body is
    compressed once (a remote site's CPU is not the pipeline's). `hosts`: serve outlet i on
    127.0.0.(2 + i % hosts), so per-host politeness applies per outlet."""

    def __init__(self, web: Path, hosts: int = 0):
        import multiprocessing

        from tests.webserver import FixtureWeb

        names = [f"127.0.0.{2 + i}" for i in range(hosts)]
        self.meta = FixtureWeb(web, hosts=names)  # feeds list + write_catalog, no server
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(str(web), child, names), daemon=True)
        self.proc.start()
        self.meta.base_url = self.conn.recv()
        if names:  # write_catalog needs the port the servers got
            import types

            port = int(self.meta.base_url.rsplit(":", 1)[1])
            self.meta._server = types.SimpleNamespace(server_address=(names[0], port))

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
    """Peak RSS (MB) of this process + its children, sampled every 0.5 s by a thread; `exclude`
    pids (the fixture web server) and the Prefect test server (uvicorn) are left out and
    reported separately as `peak_tree_mb`. (Every 50 ms, reading /proc for each process of the
    tree and its command line each time, this thread took ~15 s of the measured process's GIL
    and CPU in a 2,048-page run: the sampler must not be part of what it measures.)"""

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
        server: dict[int, bool] = {}  # pid -> is the Prefect test server (command lines read once)
        while not self._stop.is_set():
            ours = tree = 0
            for p in [me] + me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    tree += rss
                    if p.pid not in server:
                        server[p.pid] = "uvicorn" in " ".join(p.cmdline())
                    if p.pid not in self.exclude and not server[p.pid]:
                        ours += rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, ours)
            self.peak_tree = max(self.peak_tree, tree)
            self._stop.wait(0.5)

    def take(self) -> dict:
        """Peaks since the last take(), in MB; restarts the peaks."""
        out = {"peak_mb": self.peak / 2**20, "peak_tree_mb": self.peak_tree / 2**20}
        self.peak = self.peak_tree = 0
        return out

    def stop(self):
        self._stop.set()
        self._t.join()


class GcClock:
    """Time this process spends in the garbage collector (gc.callbacks), by generation: a full
    collection walks every tracked object while holding the GIL, and stalls the run's threads
    (the HTTP event loop's politeness timers among them) for as long. flows/tuning.py freezes the
    imports out of those walks."""

    def __init__(self):
        import gc

        self._started = 0.0
        self.n, self.s = [0, 0, 0], [0.0, 0.0, 0.0]  # collections and seconds, by generation
        gc.callbacks.append(self._on)

    def _on(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        gen = info["generation"]
        self.n[gen] += 1
        self.s[gen] += time.perf_counter() - self._started

    def take(self) -> dict:
        """Collections since the last take(): full ones (count, seconds) and the young ones' seconds."""
        out = {"full_n": self.n[2], "full_s": self.s[2], "young_s": self.s[0] + self.s[1]}
        self.n, self.s = [0, 0, 0], [0.0, 0.0, 0.0]
        return out


def first_api_request() -> float:
    """Seconds the just-started Prefect server takes to answer its first API request (GET
    /admin/version, the flow engine's first call): ~0.5 s of server-side set-up on its first
    request that touches its database, paid once per server (measured: the second takes ~0.02 s,
    and waiting 8 s first does not help). Made here, before the timed runs, so that the first
    run meets a server as a scheduled run does (a `prefect server start` server, warm); the
    cost is reported on its own line."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    t = time.perf_counter()
    httpx.get(f"{PREFECT_API_URL.value()}/admin/version", timeout=60).raise_for_status()
    return time.perf_counter() - t


def bench_e2e(web: Path, profile: Path | None) -> dict:
    from prefect.testing.utilities import prefect_test_harness

    out: dict = {}
    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        out["harness_start_s"] = time.perf_counter() - t
        out["server_first_request_s"] = first_api_request()
        import flows.ingest as fi

        clock = StageClock()
        clock.install()
        site = RemoteWeb(web)
        rss = PeakRss()
        rss.exclude.add(site.proc.pid)
        gcc = GcClock()
        tmp = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
        catalog = site.write_catalog(tmp / "catalog.toml")
        db = tmp / "wh" / "akhbar.duckdb"
        db.parent.mkdir()
        try:
            for label in ("first", "rerun"):
                site.clear()
                clock.reset()
                rss.take()
                gcc.take()
                profiler = None
                if profile is not None and label == "first":
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.005, async_mode="disabled")
                    profiler.start()
                t, c = time.perf_counter(), cpu_seconds()
                clock.t0 = t
                res = fi.ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
                wall = time.perf_counter() - t
                cpu = cpu_seconds() - c
                if profiler is not None:
                    profiler.stop()
                    # text next to the results; the (large) HTML view in the temp dir
                    html = Path(tempfile.gettempdir()) / (profile.stem + ".html")
                    html.write_text(profiler.output_html(), "utf-8")
                    (profile.with_suffix(".txt")).write_text(
                        profiler.output_text(unicode=False, color=False, show_all=False), "utf-8")
                snap = clock.snapshot(wall)
                snap["cpu_s"] = cpu
                snap["mem"] = rss.take()
                snap["gc"] = gcc.take()
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
            shutil.rmtree(tmp, ignore_errors=True)  # its warehouse and WARC archive (~100 MB a run)
    # Extraction alone on the same pages, same workers, same process (after the harness is gone).
    from tasks.articles import build_articles

    pages = load_pages(web)
    t, c = time.perf_counter(), cpu_seconds()
    build_articles(pages, {}, WORKERS, None, "bench")
    out["extract_only_s"] = time.perf_counter() - t
    out["extract_only_cpu_s"] = cpu_seconds() - c
    out["pages"] = len(pages)
    print(json.dumps({"extract_only_s": out["extract_only_s"]}), file=sys.stderr, flush=True)
    return out


def bench_polite(web: Path, interval: float, hosts: int, fetch_first: bool) -> dict:
    """A politeness-bound run: the web served on `hosts` loopback addresses (one per outlet, so the
    per-host interval applies per outlet), AKHBAR_HOST_INTERVAL_S=`interval`. Measures, in one
    process, the fetch alone (feeds polled and parsed, every new page fetched and decoded in the
    order a run fetches them, nothing else) and a whole ingest of the same web into a fresh
    warehouse; `fetch_first` says which goes first."""
    os.environ["AKHBAR_HOST_INTERVAL_S"] = str(interval)
    os.environ["AKHBAR_HOST_CONCURRENCY"] = "2"
    os.environ["AKHBAR_CONCURRENCY"] = "16"
    from prefect.testing.utilities import prefect_test_harness

    import flows.ingest as fi
    from flows.settings import load_settings
    from tasks import pages as pages_stage
    from tasks import poll, select, stream
    from tasks.catalog import load_catalog

    out: dict = {"interval_s": interval, "hosts": hosts}
    with prefect_test_harness(server_startup_timeout=120):
        out["server_first_request_s"] = first_api_request()
        site = RemoteWeb(web, hosts=hosts)
        tmp = Path(tempfile.mkdtemp(prefix="akhbar-polite-"))
        catalog = site.write_catalog(tmp / "catalog.toml")
        try:
            def fetch_alone() -> None:
                http = fi.http_settings(load_settings(), allow_private_networks=True)
                t, c = time.perf_counter(), cpu_seconds()
                specs = load_catalog(catalog)
                outcomes = poll.parse_fetched(specs, poll.fetch_feeds(specs, {}, http), {}, None)
                picked = select.select_new_entries([fo.parsed for fo in outcomes if fo.parsed], set(), 100)
                to_fetch = stream.fetch_order(picked.to_fetch, lambda e: e.published_at)
                n = sum(1 for p in pages_stage.iter_pages(to_fetch, http, None) if p.fetch.ok)
                out["fetch_alone_s"] = time.perf_counter() - t
                out["fetch_alone_cpu_s"] = cpu_seconds() - c
                out["fetch_alone_pages"] = n

            def run() -> None:
                db = tmp / "wh" / "akhbar.duckdb"
                db.parent.mkdir()
                t, c = time.perf_counter(), cpu_seconds()
                res = fi.ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
                out["ingest_s"] = time.perf_counter() - t
                out["ingest_cpu_s"] = cpu_seconds() - c
                out["ingest_pages"] = res["pages_fetched"]
                out["status"] = res["status"]

            gcc = GcClock()
            for step in ((fetch_alone, run) if fetch_first else (run, fetch_alone)):
                site.clear()
                gcc.take()
                step()
                out[f"{step.__name__}_gc"] = gcc.take()
                print(json.dumps({k: v for k, v in out.items() if k.endswith("_s")}), file=sys.stderr, flush=True)
        finally:
            site.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    out["ratio"] = out["ingest_s"] / out["fetch_alone_s"]
    return out


def _tree_memory(proc) -> tuple[float, float]:
    """(RSS, PSS) in MB of a process and all its descendants, summed. PSS shares pages that
    several processes map (forked workers and their fork server) among them; RSS counts them in
    every process."""
    import psutil

    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            m = p.memory_full_info()
        except psutil.Error:
            continue
        rss += m.rss
        pss += getattr(m, "pss", m.rss)
    return rss / 2**20, pss / 2**20


def bench_memory(sizes: list[int], workdir: Path) -> dict:
    """Peak memory of the whole process tree of `akhbar ingest-warc` (the command, its temporary
    Prefect server, the fork server and extraction workers) on generated WARCs of each size
    (bench.bigweb.write_warc: big-web pages in crawl order, ~1,250 a day), each into a fresh
    warehouse, sampled every 0.25 s."""
    import subprocess

    import psutil

    from bench.bigweb import write_warc

    workdir.mkdir(parents=True, exist_ok=True)
    out: dict = {"runs": []}
    for n in sizes:
        warc = workdir / f"bigweb-{n}.warc.gz"
        if not warc.exists():
            t = time.perf_counter()
            info = write_warc(warc, n)
            print(json.dumps({"generated": str(warc), **info, "s": round(time.perf_counter() - t, 1)}),
                  file=sys.stderr, flush=True)
    for n in sizes:
        warc = workdir / f"bigweb-{n}.warc.gz"
        run_dir = Path(tempfile.mkdtemp(prefix=f"akhbar-mem-{n}-", dir=workdir))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        env.update(PREFECT_HOME=str(run_dir / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
                   PREFECT_LOGGING_LEVEL="WARNING", AKHBAR_EXTRACT_WORKERS=str(WORKERS))
        cmd = [str(Path(sys.executable).with_name("akhbar")), "ingest-warc", str(warc), "--db",
               str(run_dir / "akhbar.duckdb")]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        me = psutil.Process(proc.pid)
        peak_rss = peak_pss = 0.0
        while proc.poll() is None:
            rss, pss = _tree_memory(me)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.25)
        tail = proc.stdout.read()[-1500:]
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
        import duckdb

        con = duckdb.connect(str(run_dir / "akhbar.duckdb"), read_only=True)
        stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        con.close()
        run = {"pages": n, "warc_mb": warc.stat().st_size / 2**20, "wall_s": wall, "stored": stored,
               "peak_tree_rss_mb": peak_rss, "peak_tree_pss_mb": peak_pss}
        out["runs"].append(run)
        print(json.dumps(run), file=sys.stderr, flush=True)
        shutil.rmtree(run_dir, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["extract", "e2e", "variant", "polite", "memory"])
    ap.add_argument("--which", choices=VARIANTS, default="ours_1p")
    ap.add_argument("web", type=Path, nargs="?", help="big web directory (not for memory)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--interval", type=float, default=0.2, help="polite: per-host interval (s)")
    ap.add_argument("--hosts", type=int, default=32, help="polite: loopback addresses to serve the outlets on")
    ap.add_argument("--fetch-first", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--sizes", default="10000,50000", help="memory: WARC sizes (pages)")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "akhbar-bench-warc",
                    help="memory: where the WARCs are generated (kept for the next run)")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    if a.mode == "variant":
        print(*run_variant(a.web, a.which, a.limit))
        return
    if a.mode == "extract":
        res = bench_extract(a.web, a.runs, a.limit)
    elif a.mode == "e2e":
        res = bench_e2e(a.web, a.profile)
    elif a.mode == "polite":
        res = bench_polite(a.web, a.interval, a.hosts, a.fetch_first)
    else:
        res = bench_memory([int(x) for x in a.sizes.split(",") if x], a.dir)
    text = json.dumps(res, default=str)
    if a.out:
        a.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
