"""A real HTTP server on 127.0.0.1 (ephemeral port) over a recorded fixture web.

Behaves like a well-configured news site: ETag / Last-Modified with 304 answers, gzip when
asked, tracking query strings ignored, 404 for anything not recorded. Every request is logged
so tests can count what the pipeline downloaded.

For benchmarks: `hosts` serves the web on several loopback addresses (one per outlet, so a
per-host politeness interval applies per outlet as on the real web; links in a body point back
at the address it was fetched from), and `cache` compresses each body once (a remote site's CPU
is not the pipeline's to spend).
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class RequestLog:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, path, status)

    def add(self, kind: str, path: str, status: int) -> None:
        with self.lock:
            self.entries.append((kind, path, status))

    def count(self, kind: str | None = None, status: int | None = None) -> int:
        with self.lock:
            return sum(1 for k, _, s in self.entries if (kind is None or k == kind) and (status is None or s == status))

    def by_kind(self) -> Counter:
        with self.lock:
            return Counter(k for k, _, _ in self.entries)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class WebServer(ThreadingHTTPServer):
    """The test and benchmark web servers' base (this module's, tests/hostile_server.py's,
    bench/hostile.py's): a thread per request, and a deep listen backlog."""

    daemon_threads = True
    # socketserver listens with a backlog of 5: a run opening 16 connections at once overflowed it,
    # and each dropped SYN cost its request a 1 s retransmission (1,859 on this machine's counters;
    # requests of the benchmarks' runs stalled ~1.05 s in groups). A web server's backlog is deep.
    request_queue_size = 128


class FixtureWeb:
    def __init__(self, set_dir: Path, page_delay_s: float = 0.0, hosts: list[str] | None = None,
                 cache: bool = False):
        """page_delay_s: answer every article page that much later (a slow site: long runs)."""
        self.set_dir = set_dir
        self.page_delay_s = page_delay_s
        manifest = json.loads((set_dir / "manifest.json").read_text("utf-8"))
        self.routes = {m["url_path"]: m for m in manifest}
        self.feeds = json.loads((set_dir / "feeds.json").read_text("utf-8"))
        self.log = RequestLog()
        self.base_url = ""
        self.hosts = list(hosts or [])
        self.cache: dict[tuple, bytes] | None = {} if cache else None
        self._server: ThreadingHTTPServer | None = None
        self._servers: list[ThreadingHTTPServer] = []

    def lookup(self, raw_path: str) -> dict | None:
        if raw_path in self.routes:
            return self.routes[raw_path]
        return self.routes.get(urlsplit(raw_path).path)  # tracking params are ignored

    def body(self, entry: dict, base: str | None = None, gzipped: bool = False) -> bytes:
        key = (entry["file"], base, gzipped)
        if self.cache is not None and key in self.cache:
            return self.cache[key]
        data = (self.set_dir / entry["file"]).read_bytes()
        data = data.replace(b"{{BASE}}", (base or self.base_url).encode("ascii"))
        if gzipped:
            data = gzip.compress(data)
        if self.cache is not None:
            self.cache[key] = data
        return data

    def start(self, port: int = 0) -> FixtureWeb:
        """Serve on `port` (0: a free one; benchmarks comparing two runs' article ids fix it)."""
        for host in self.hosts or ["127.0.0.1"]:  # one port number on every address
            server = WebServer((host, port), _handler(self))
            port = server.server_address[1]
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
        self._server = self._servers[0]
        self.base_url = f"http://{self._server.server_address[0]}:{port}"
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def warm(self) -> None:
        """Build (and cache) every response body now, as served to a client asking for gzip."""
        host_outlet = {f["host"]: f["outlet_id"] for f in self.feeds if "host" in f}
        for path, entry in self.routes.items():
            host = path.split("/")[1] if path.count("/") > 1 else ""
            base = self.base_of(host_outlet[host]) if self.hosts and host in host_outlet else None
            self.body(entry, base, gzipped=True)

    def base_of(self, outlet_id: str) -> str:
        """The address an outlet is served from (its own one when serving on several hosts)."""
        if not self.hosts:
            return self.base_url
        outlets = sorted({f["outlet_id"] for f in self.feeds})
        port = self._server.server_address[1] if self._server else 0
        return f"http://{self.hosts[outlets.index(outlet_id) % len(self.hosts)]}:{port}"

    def write_catalog(self, path: Path) -> Path:
        """The flat catalog form (`[[feeds]]` with outlet_id, outlet_name, country, url)."""
        lines = [f'base_url = "{self.base_url}"', ""]
        for f in self.feeds:
            lines += ["[[feeds]]", f'outlet_id = "{f["outlet_id"]}"', f'outlet_name = "{f["outlet_name"]}"',
                      f'country = "{f["country"]}"', f'url = "{self.base_of(f["outlet_id"])}{f["feed_path"]}"', ""]
        path.write_text("\n".join(lines), "utf-8")
        return path


def _handler(site: FixtureWeb):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # a response is two writes (headers, body): with Nagle's algorithm on, the body of a
        # response on a kept-alive connection waited for the client's delayed ACK of the headers;
        # web servers set TCP_NODELAY on kept-alive connections (nginx's tcp_nodelay, the default)
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}, "robots")
                return
            entry = site.lookup(self.path)
            if entry is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"}, "other")
                return
            kind = entry["kind"]
            if kind == "page" and site.page_delay_s:
                time.sleep(site.page_delay_s)
            headers = dict(entry.get("headers") or {})
            etag, modified = headers.get("ETag"), headers.get("Last-Modified")
            if (etag and self.headers.get("If-None-Match") == etag) or (
                modified and not etag and self.headers.get("If-Modified-Since") == modified
            ):
                self._send(304, b"", {k: v for k, v in headers.items() if k != "Content-Type"}, kind)
                return
            base = f"http://{self.headers.get('Host')}" if site.hosts and self.headers.get("Host") else None
            gzipped = "gzip" in (self.headers.get("Accept-Encoding") or "")
            body = site.body(entry, base, gzipped)
            if gzipped:
                headers["Content-Encoding"] = "gzip"
            self._send(entry.get("status", 200), body, headers, kind)

        def _send(self, status: int, body: bytes, headers: dict, kind: str) -> None:
            site.log.add(kind, self.path, status)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler
