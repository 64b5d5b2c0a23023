"""Hostile web: one good feed among hostile feeds and pages, one real `akhbar ingest` over it,
wall time and the peak RSS of every process of the run (the CLI process, the extraction
workers, Prefect's temporary server), sampled from /proc.

    flock /work/coord/bench.lock python -m bench.hostile            # the whole web, then each case
    python -m bench.hostile --only all                              # only the whole web
    python -m bench.hostile --one-host                              # every route on one host

The web (all on loopback, served from this process; the ingest runs in a child process):
* the good feed: one feed of the dev fixture web (tests/fixtures/web/dev) and its pages;
* each hostile case is a catalog feed AND an article page linked from a one-item feed:
  billion laughs (10^9 entity expansions), XXE (file:///etc/passwd), a 1 GiB gzip bomb
  (Content-Encoding: gzip, ~1 MB on the wire), a 300 MB body without Content-Length, a stall
  (headers, then one byte every 2 s), redirects to private addresses (10.0.0.1, 169.254.169.254,
  192.168.1.1), 429 with Retry-After: 3600, undeclared windows-1256 (feed and pages).
By default each case is served on its own loopback address (127.0.0.N): per-host politeness
then paces each case on its own, as on the real web; --one-host puts everything on 127.0.0.1.

The run uses the default settings except `--allow-private-networks` (the web is on loopback).
Peak RSS per process is VmHWM from /proc/<pid>/status, read every 50 ms while it lives.
Results: bench/RESULTS.md, section "Hostile web".
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from tests.hostile_server import (  # noqa: E402
    ARABIC_TITLE,
    BILLION_LAUGHS,
    XXE,
    RequestLog,
    _cp1256,
    _Handler,
    _static,
    article_html,
    item,
    rss,
)
from tests.webserver import FixtureWeb, WebServer  # noqa: E402

DEV = ROOT / "tests" / "fixtures" / "web" / "dev"
BOMB_BYTES = 1 << 30  # 1 GiB once decompressed
HUGE_BYTES = 300 * 1000 * 1000
STALL_EVERY_S = 2.0
CASES = ["billion_laughs", "xxe", "gzip_bomb", "body_300mb", "stall", "private_redirects", "retry_after_3600",
         "windows_1256"]


def _bomb() -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip container
    block = b"\0" * (1 << 20)
    out = io.BytesIO()
    for _ in range(BOMB_BYTES // len(block)):
        out.write(z.compress(block))
    out.write(z.flush())
    return out.getvalue()


LAUGHS_PAGE = BILLION_LAUGHS.replace("<rss", "<html").replace("</rss>", "</html>").replace(
    '<channel><title>&lol9;</title>', "<head><title>&lol9;</title></head><body><p>&lol9;</p>").replace(
    "</channel>", "</body>")
XXE_PAGE = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f"<html><head><title>{ARABIC_TITLE}</title></head><body><article><h1>&xxe;</h1>"
            "<p>&xxe;</p></article></body></html>")
CP1256_ITEMS = 3


def _bomb_route(ctype: str):
    return lambda h: h.send(200, h.server.web.bomb, ctype, {"Content-Encoding": "gzip"})


def _huge_route(ctype: str):
    def route(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = (b"<p>" + "خبر ".encode() * 16000 + b"</p>\n")[:65536]
        sent = 0
        while sent < HUGE_BYTES and not h.server.web.stopping.is_set():
            h.wfile.write(chunk)
            sent += len(chunk)
    return route


def _stall_route(ctype: str):
    def route(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(100000):
            h.wfile.write(b" ")
            h.wfile.flush()
            if h.server.web.stopping.wait(STALL_EVERY_S):
                return
    return route


def _robots(h: _Handler) -> None:
    h.send(200, "User-agent: *\nAllow: /\n", "text/plain")


ROUTES = {
    "/robots.txt": _robots,
    "/laughs.xml": _static(BILLION_LAUGHS, "application/rss+xml"),
    "/laughs.html": _static(LAUGHS_PAGE, "text/html"),
    "/xxe.xml": _static(XXE, "application/rss+xml"),
    "/xxe.html": _static(XXE_PAGE, "text/html"),
    "/bomb.xml": _bomb_route("application/rss+xml"),
    "/bomb.html": _bomb_route("text/html"),
    "/huge.xml": _huge_route("application/rss+xml"),
    "/huge.html": _huge_route("text/html"),
    "/stall.xml": _stall_route("application/rss+xml"),
    "/stall.html": _stall_route("text/html"),
    "/private.xml": _static(b"", None, 302, {"Location": "http://10.0.0.1/feed.xml"}),
    "/private.html": _static(b"", None, 302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
    "/private2.html": _static(b"", None, 301, {"Location": "http://192.168.1.1/admin.html"}),
    "/429.xml": _static("slow down", "text/plain", 429, {"Retry-After": "3600"}),
    "/429.html": _static("slow down", "text/plain", 429, {"Retry-After": "3600"}),
    "/cp1256.xml": _static(_cp1256(rss("".join(item(f"{ARABIC_TITLE} {i}", f"/cp1256-{i}.html", f"cp{i}")
                                               for i in range(CP1256_ITEMS)), decl="")), "text/xml"),
    "/cp1256.html": _static(_cp1256(article_html("/cp1256.html", charset=None)), "text/html"),
}
ROUTES.update({f"/cp1256-{i}.html": _static(_cp1256(article_html(f"/cp1256-{i}.html", charset=None)), "text/html")
               for i in range(CP1256_ITEMS)})

# case -> (feed path, page paths)
CASE_ROUTES: dict[str, tuple[str, list[str]]] = {
    "billion_laughs": ("/laughs.xml", ["/laughs.html"]),
    "xxe": ("/xxe.xml", ["/xxe.html"]),
    "gzip_bomb": ("/bomb.xml", ["/bomb.html"]),
    "body_300mb": ("/huge.xml", ["/huge.html"]),
    "stall": ("/stall.xml", ["/stall.html"]),
    "private_redirects": ("/private.xml", ["/private.html", "/private2.html"]),
    "retry_after_3600": ("/429.xml", ["/429.html"]),
    "windows_1256": ("/cp1256.xml", ["/cp1256.html"]),
}


class _Server(WebServer):
    def __init__(self, addr: str, web: HostileWeb) -> None:
        super().__init__((addr, 0), _Handler)  # the tests' handler, serving this module's routes
        self.web = web
        self.routes = ROUTES
        self.prefix_routes: dict = {}
        self.log = RequestLog()
        self.stopping = web.stopping
        self.state_lock = threading.Lock()
        self.seen: set[tuple[str, str]] = set()


class HostileWeb:
    """One server per case address (127.0.0.2, .3, ...) or one for all (one_host)."""

    def __init__(self, one_host: bool = False) -> None:
        self.bomb = _bomb()
        self.stopping = threading.Event()
        self.servers: dict[str, _Server] = {}
        self.one_host = one_host

    def base(self, case: str) -> str:
        addr = "127.0.0.1" if self.one_host else f"127.0.0.{CASES.index(case) + 2}"
        if addr not in self.servers:
            srv = _Server(addr, self)
            threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
            self.servers[addr] = srv
        return f"http://{addr}:{self.servers[addr].server_address[1]}"

    def stop(self) -> None:
        self.stopping.set()
        for srv in self.servers.values():
            srv.shutdown()
            srv.server_close()


PAGES_FEED_ROUTE = "/pages-for-{case}.xml"


def write_catalog(path: Path, web: HostileWeb, good: FixtureWeb, cases: list[str]) -> None:
    feed = good.feeds[0]
    rows = [("good", feed["outlet_name"], feed["country"], good.base_url + feed["feed_path"])]
    for case in cases:
        base = web.base(case)
        feed_path, pages = CASE_ROUTES[case]
        rows.append((f"feed_{case}", f"موقع {case}", "LB", base + feed_path))
        items = "".join(item(f"{ARABIC_TITLE} ({case} {i})", base + p, f"{case}-{i}") for i, p in enumerate(pages))
        ROUTES[PAGES_FEED_ROUTE.format(case=case)] = _static(rss(items), "application/rss+xml; charset=utf-8")
        rows.append((f"pages_{case}", f"صفحات {case}", "LB", base + PAGES_FEED_ROUTE.format(case=case)))
    lines = []
    for oid, name, country, url in rows:
        lines += ["[[feeds]]", f"outlet_id = {json.dumps(oid)}", f"outlet_name = {json.dumps(name, ensure_ascii=False)}",
                  f"country = {json.dumps(country)}", f"url = {json.dumps(url)}", ""]
    path.write_text("\n".join(lines), "utf-8")


# --- RSS of a process tree ---------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _label(pid: int, root: int) -> str:
    if pid == root:
        return "akhbar ingest (CLI + flow)"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        cmd = ""
    if "uvicorn" in cmd or "prefect" in cmd and "server" in cmd:
        return "Prefect temporary server"
    if "multiprocessing" in cmd or "spawn_main" in cmd or "forkserver" in cmd:
        return "extraction worker"
    return cmd[:60] or f"pid {pid}"


@dataclass
class Sampler:
    root: int
    peaks: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid -> (label, peak KiB)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _tree(self.root):
                hwm = _status_kib(pid, "VmHWM")
                if hwm is None:
                    continue
                label, old = self.peaks.get(pid, (None, 0))
                self.peaks[pid] = (label or _label(pid, self.root), max(old, hwm))
            self.stop.wait(0.05)

    def by_label(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for label, kib in self.peaks.values():
            out[label] = max(out.get(label, 0), kib)
        return out


@dataclass
class RunResult:
    name: str
    wall_s: float
    exit_code: int
    peaks_mib: dict[str, float]
    summary: dict
    tail: str

    @property
    def peak_mib(self) -> float:
        return max(self.peaks_mib.values(), default=0.0)


def run_ingest(name: str, catalog: Path, workdir: Path, env_extra: dict[str, str] | None = None) -> RunResult:
    db = workdir / f"{name}.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_") and k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(workdir / f"prefect-{name}"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", AKHBAR_PLAIN="1", **(env_extra or {}))
    akhbar = Path(sys.executable).with_name("akhbar")
    cmd = [str(akhbar), "ingest", "--catalog", str(catalog), "--db", str(db), "--allow-private-networks"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=workdir, text=True)
    sampler = Sampler(proc.pid)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    out, err = proc.communicate(timeout=1800)
    wall = time.monotonic() - started
    sampler.stop.set()
    thread.join()
    summary = _warehouse_summary(db) if db.exists() else {}
    peaks = {label: round(kib / 1024, 1) for label, kib in sampler.by_label().items()}
    return RunResult(name, wall, proc.returncode, peaks, summary, (err or out)[-600:])


def _warehouse_summary(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        feeds = con.execute("SELECT f.url, f.outcome, f.elapsed_ms, f.error FROM feed_fetches f "
                            "ORDER BY f.elapsed_ms DESC").fetchall()
        arts = con.execute("SELECT url, fetch_outcome, extraction_status, fetch_error FROM articles").fetchall()
        errs = con.execute("SELECT stage, outcome, count(*) FROM run_errors GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        con.close()
    return {"feeds": [list(map(str, f)) for f in feeds], "articles_ok": sum(1 for a in arts if a[2] == "ok"),
            "articles": [list(map(str, a)) for a in arts], "run_errors": [list(map(str, e)) for e in errs]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["all", "cases"], help="only the whole web, or only the per-case runs")
    ap.add_argument("--case", action="append", choices=CASES, help="per-case runs for these cases only")
    ap.add_argument("--one-host", action="store_true", help="serve every hostile route from 127.0.0.1")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    good = FixtureWeb(DEV).start()
    web = HostileWeb(one_host=args.one_host)
    results: list[RunResult] = []
    try:
        with tempfile.TemporaryDirectory(prefix="akhbar-hostile-") as tmp:
            work = Path(tmp)
            plan: list[tuple[str, list[str]]] = []
            if args.only != "cases":
                plan.append(("all", CASES))
            if args.only != "all":
                plan += [(c, [c]) for c in (args.case or CASES)]
            plan.append(("good_only", []))
            for name, cases in plan:
                catalog = work / f"{name}.toml"
                write_catalog(catalog, web, good, cases)
                res = run_ingest(name, catalog, work)
                results.append(res)
                print(f"{name:18s} wall {res.wall_s:6.1f} s  exit {res.exit_code}  peak {res.peak_mib:6.0f} MiB  "
                      + ", ".join(f"{k}: {v:.0f}" for k, v in sorted(res.peaks_mib.items())), flush=True)
                if name == "all":
                    for f in res.summary.get("feeds", []):
                        print("   feed", f[1], f[2], "ms", f[0][-40:], (f[3] or "")[:100])
                    for a in res.summary.get("articles", []):
                        print("   page", a[1], a[2], a[0][-40:], (a[3] or "")[:80])
                if res.exit_code not in (0, 1):
                    print(res.tail)
    finally:
        web.stop()
        good.stop()
    if not args.no_write:
        write_results(results, args)
    return 0


def write_results(results: list[RunResult], args) -> None:
    labels = ["akhbar ingest (CLI + flow)", "extraction worker", "Prefect temporary server"]
    rows = []
    for r in results:
        cells = [f"{r.peaks_mib.get(lbl, 0):.0f}" for lbl in labels]
        rows.append(f"| {r.name} | {r.wall_s:.1f} | {r.peak_mib:.0f} | " + " | ".join(cells)
                    + f" | {r.summary.get('articles_ok', '?')} | {r.exit_code} |")
    host = "one host (127.0.0.1)" if args.one_host else "one loopback address per case (127.0.0.2-9)"
    body = f"""## Hostile web (bench/hostile.py)

`nice -n 10 .venv/bin/python -m bench.hostile{' --one-host' if args.one_host else ''}` (under
`flock /work/coord/bench.lock` when the lock is free) — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},
shared 2-core machine (load average
{os.getloadavg()[0]:.0f} at the end), default settings, `--allow-private-networks` (loopback), {host}.

One real `akhbar ingest` per row, in a child process; peak RSS is each process's VmHWM
(/proc, sampled every 50 ms), the largest per kind of process. `all` = one good feed of the dev
fixture web among every hostile case, each both as a catalog feed and as an article page: billion
laughs, XXE, a 1 GiB gzip bomb, a 300 MB body, a stall (headers, then a byte every 2 s), redirects
to 10.0.0.1 / 169.254.169.254 / 192.168.1.1, 429 with Retry-After 3600, undeclared windows-1256.
The other rows are the good feed with one case each; `good_only` is the good feed alone.
Goal: `all` under 60 s and every process under 500 MB.

| run | wall s | largest peak RSS MiB | CLI + flow | extraction worker | Prefect server | articles ok | exit |
| --- | --- | --- | --- | --- | --- | --- | --- |
""" + "\n".join(rows)
    write_section("hostile", body)


if __name__ == "__main__":
    raise SystemExit(main())
