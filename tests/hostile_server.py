"""A real threaded HTTP server on 127.0.0.1 (ephemeral port) with one route per hostile case.

    base_url, stop, log = start_hostile_server()          # robots.txt: normal rules
    base_url, stop, log = start_hostile_server(robots="500")  # robots.txt answers 500

``log`` is a RequestLog: ``log.paths()`` lists request paths in arrival order, ``log.entries`` holds
(monotonic time, path, headers) tuples. Stateful routes (fail-then-succeed) key their state on the
``id`` query parameter so tests stay independent. Every slow route gives up when ``stop()`` runs.
"""

from __future__ import annotations

import functools
import gzip
import io
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, unquote, urlsplit

import brotli

from tests.webserver import WebServer

ARABIC_TITLE = "الأمم المتحدة تدعو إلى وقف إطلاق النار"
ARABIC_BODY = "<p>قالت الأمم المتحدة اليوم إن الوضع الإنساني في المنطقة يزداد سوءاً.</p>"

ROBOTS_NORMAL = "User-agent: *\nDisallow: /private/\n\nUser-agent: akhbar\nDisallow: /private/\nDisallow: /no-akhbar/\n"


@dataclass
class RequestLog:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)

    def add(self, path: str, headers: dict[str, str]) -> None:
        with self.lock:
            self.entries.append((time.monotonic(), path, headers))

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _, p, _ in self.entries]

    def times(self, prefix: str) -> list[float]:
        with self.lock:
            return [t for t, p, _ in self.entries if p.startswith(prefix)]


def rss(items: str, decl: str = '<?xml version="1.0" encoding="utf-8"?>', title: str = "صحيفة الاختبار") -> str:
    return (f'{decl}\n<rss version="2.0"><channel><title>{title}</title><link>http://x.example/</link>'
            f"<description>d</description>{items}</channel></rss>")


def item(title: str, link: str | None, guid: str | None = None, date: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


GOOD_FEED = rss("".join(item(f"{ARABIC_TITLE} {i}", f"/news/{i}.html", f"g{i}", "Fri, 27 Nov 2026 11:57:00 +0300")
                        for i in range(3)))
MALFORMED_FEED = rss(item("خبر أول", "/news/a.html") + item("خبر ثان", "/news/b.html")).replace(
    "</channel></rss>", "<item><title>خبر مقطوع</title><link>/news/c")  # cut mid-item, like a dropped upload
HTML_PAGE = f"<!DOCTYPE html><html><head><title>{ARABIC_TITLE}</title></head><body>{ARABIC_BODY}</body></html>"
# Bot-check interstitials as the vendors serve them (markup after Cloudflare's managed challenge,
# its block page and DDoS-Guard's check; the scripts shortened). A real page on a Cloudflare site
# carries Cloudflare's injected detection script too: that one is content.
CF_CHALLENGE = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" '
    'content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" '
    'content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><style>*{box-sizing:'
    'border-box;margin:0;padding:0}html{line-height:1.15}</style><meta http-equiv="refresh" content="390"></head>'
    '<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">'
    'www.example-news.com</h1><h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2>'
    '<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div>'
    '</noscript><div id="challenge-body-text" class="core-msg spacer">www.example-news.com needs to review the security '
    'of your connection before proceeding.</div></div></div><script>(function(){window._cf_chl_opt={cvId: \'3\','
    'cZone: "www.example-news.com",cType: \'managed\',cRay: \'8a1b2c3d4e5f6a7b\',cFPWv: \'g\'};var cpo = '
    'document.createElement(\'script\');cpo.src = \'/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray='
    '8a1b2c3d4e5f6a7b\';document.getElementsByTagName(\'head\')[0].appendChild(cpo);}());</script></body></html>'
)
CF_BLOCKED = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Attention Required! | Cloudflare</title><meta charset="UTF-8">'
    '</head><body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper"><h1 data-translate='
    '"block_headline">Sorry, you have been blocked</h1><h2 class="cf-subheadline">You are unable to access example-news.com'
    '</h2><p>This website is using a security service to protect itself from online attacks.</p></div></div></body></html>'
)
DDOS_GUARD = (
    '<!doctype html><html><head><title>DDoS-Guard</title><meta charset="utf-8"><script src="/.well-known/ddos-guard/'
    'check?context=free_splash"></script></head><body><div id="ddg-l10n-title">Checking your browser before accessing '
    'example-news.com</div></body></html>'
)
PAGE_WITH_CF_SCRIPTS = HTML_PAGE.replace("</body>", (
    '<script>(function(){function c(){var b=a.contentDocument||a.contentWindow.document;if(b){var d=b.createElement('
    '\'script\');d.innerHTML="window.__CF$cv$params={r:\'8a1b2c3d4e5f6a7b\',t:\'MTcwMDAwMDAwMA==\'};var a=document.'
    'createElement(\'script\');a.src=\'/cdn-cgi/challenge-platform/scripts/jsd/main.js\';document.getElementsByTagName('
    '\'head\')[0].appendChild(a);";b.getElementsByTagName(\'head\')[0].appendChild(d)}}var a=document.createElement('
    '\'iframe\');document.body.appendChild(a);c()})();</script></body>'))

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    + item("laughs &lol9;", "http://x.example/a") + "</channel></rss>"
)
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<rss version="2.0"><channel><title>t</title>' + item("leak &xxe;", "http://x.example/a")
       + "<item><title>second</title><link>http://x.example/b</link><description>&xxe;</description></item>"
       + "</channel></rss>")


@functools.cache
def _gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """64 MiB of zeros in ~64 KB of gzip; built once per process, before any server answers (built on
    the first request, it took longer than a client's 1 s read timeout on a loaded machine)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        block = b"\0" * (1024 * 1024)
        for _ in range(size // len(block)):
            gz.write(block)
    return buf.getvalue()


class _Handler(BaseHTTPRequestHandler):
    """Serves the route tables of its server (``server.routes``, ``server.prefix_routes``; this module's
    ``ROUTES``/``PREFIX_ROUTES`` for ``_Server``; bench/hostile.py serves its own tables through it)."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        self.server.log.add(self.path, {k.lower(): v for k, v in self.headers.items()})
        parts = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = unquote(parts.path)
        handler = self.server.routes.get(path)
        if handler is None:
            for prefix, h in self.server.prefix_routes.items():
                if path.startswith(prefix):
                    handler = h
                    break
        try:
            (handler or _not_found)(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (cap reached, timeout): expected

    # helpers ---------------------------------------------------------------------------
    def send(self, status: int, body: bytes | str = b"", ctype: str | None = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def first_time(self) -> bool:
        """True on the first request for this path + ?id= (fail-then-succeed routes)."""
        key = (urlsplit(self.path).path, self.query.get("id", ""))
        with self.server.state_lock:
            seen = key in self.server.seen
            self.server.seen.add(key)
        return not seen

    def wait_stop(self, seconds: float) -> None:
        self.server.stopping.wait(seconds)


def _not_found(h: _Handler) -> None:
    h.send(404, "not found")


def _robots(h: _Handler) -> None:
    mode = h.server.robots
    if mode == "500" or (mode == "unwell" and h.server.unwell):
        h.send(500, "oops", "text/plain")
    elif mode == "404":
        h.send(404, "none", "text/plain")
    elif mode == "delay":
        h.send(200, "User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    elif "\n" in mode:  # a robots.txt of the test's own
        h.send(200, mode, "text/plain")
    else:
        h.send(200, ROBOTS_NORMAL, "text/plain")


def _huge(h: _Handler) -> None:
    total = 50 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    if h.query.get("cl"):
        h.send_header("Content-Length", str(total))
    h.send_header("Connection", "close")
    h.end_headers()
    chunk = b"<!-- " + b"x" * 65526 + b" -->"
    for _ in range(total // len(chunk)):
        if h.server.stopping.is_set():
            return
        h.wfile.write(chunk)


def _gzip_bomb_route(h: _Handler) -> None:
    h.send(200, h.server.bomb(), "text/html", {"Content-Encoding": "gzip"})


def _stall_headers(h: _Handler) -> None:
    """Headers, a little body, then silence."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<html>")
    h.wfile.flush()
    h.wait_stop(30)


def _trickle(h: _Handler) -> None:
    """One byte every 50 ms: never trips the read timeout, only the total deadline."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100000):
        if h.server.stopping.is_set():
            return
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.05)


def _truncated_chunked(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.send_header("Connection", "close")
    h.end_headers()
    data = HTML_PAGE.encode()
    h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    h.wfile.write(b"400\r\nonly-part-of-the-chunk")
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


def _truncated_length(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "5000")
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(b"<html><body>short")
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


def _length_overstated(h: _Handler) -> None:
    """A whole page under a Content-Length 100 bytes too long (counted before an output filter
    shortened the page), then the connection closed: browsers show the page."""
    data = article_html(h.path).encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(data) + 100))
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(data)
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


def _redirect(h: _Handler) -> None:
    h.send(int(h.query.get("code", "302")), "", None, {"Location": h.query.get("to", "/")})


def _redirect_chain(h: _Handler) -> None:
    n = int(urlsplit(h.path).path.rsplit("/", 1)[-1] or 0)
    h.send(302, "", None, {"Location": f"/chain/{n + 1}"})


def _success(h: _Handler) -> None:
    """The answer after a transient failure: HTML_PAGE, or with ?as=feed / ?as=article a one-item
    feed (linking to /mx/article/<route>-<id>.html) or a full article page."""
    kind = h.query.get("as")
    if kind == "feed":
        name = urlsplit(h.path).path.strip("/").replace("/", "-")
        h.send(200, rss(item(f"{ARABIC_TITLE} ({name})", f"/mx/article/{name}-{h.query.get('id', '')}.html")),
               "application/rss+xml; charset=utf-8")
    elif kind == "article":
        h.send(200, article_html(h.path))
    else:
        h.send(200, HTML_PAGE)


def _flaky(h: _Handler) -> None:
    if h.first_time():
        h.send(500, "temporary failure")
    else:
        _success(h)


def _retry_after_seconds(h: _Handler) -> None:
    if h.first_time():
        h.send(503, "busy", headers={"Retry-After": h.query.get("s", "1")})
    else:
        _success(h)


def _retry_after_date(h: _Handler) -> None:
    if h.first_time():
        h.send(429, "slow down", headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)})
    else:
        _success(h)


def _etag(h: _Handler) -> None:
    etag, lm = '"v1"', "Fri, 27 Nov 2026 10:00:00 GMT"
    if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == lm:
        h.send(304, b"", None, {"ETag": etag})
    else:
        h.send(200, GOOD_FEED, "application/rss+xml; charset=utf-8", {"ETag": etag, "Last-Modified": lm})


def _concurrency(h: _Handler) -> None:
    srv = h.server
    with srv.state_lock:
        srv.in_flight += 1
        srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
    time.sleep(0.15)
    with srv.state_lock:
        srv.in_flight -= 1
    h.send(200, HTML_PAGE)


def _send_headers_twice(h: _Handler, status: int, headers: list[tuple[str, str]]) -> None:
    """A response carrying a header more than once (a CDN's copy and the origin's)."""
    h.send_response(status)
    for k, v in headers:
        h.send_header(k, v)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Content-Length", "4")
    h.end_headers()
    h.wfile.write(b"busy")


def _cp1256(text: str) -> bytes:
    return text.encode("cp1256")


def _raw_bytes(data: bytes) -> Callable[[_Handler], None]:
    """A response written byte for byte (what the stdlib server would never send), then closed."""
    def route(h: _Handler) -> None:
        h.wfile.write(data)
        h.close_connection = True
    return route


def _static(body: bytes | str, ctype: str | None, status: int = 200,
            headers: dict[str, str] | None = None) -> Callable[[_Handler], None]:
    return lambda h: h.send(status, body, ctype, headers)


FEED_ITEMS = "".join([
    item("بدون رابط", None, "nolink-1"),
    item("رابط جافاسكربت", "javascript:alert(1)", "js-1"),
    item("رابط بريد", "mailto:editor@x.example", "mail-1"),
    item("رابط نسبي", "/news/relative.html?utm_source=rss&amp;NewsID=7#comments", "rel-1",
         "Fri, 27 Nov 2026 11:57:00 GMT"),
    item("مكرر أول", "http://x.example/news/dup.html", "dup-guid", "Thu, 26 Nov 2026 08:00:00 +0200"),
    item("مكرر ثان", "http://x.example/news/dup-other.html", "dup-guid"),
    item("رابط مكرر", "http://x.example/news/dup.html?utm_campaign=z", "dup-link-guid"),
    item("تاريخ مستقبلي", "http://x.example/news/future.html", "fut", "Mon, 01 Jan 2099 00:00:00 GMT"),
    item("تاريخ غير مفهوم", "http://x.example/news/baddate.html", "bad", "قبل ساعتين تقريباً"),
    item("أرقام هندية", "http://x.example/news/indic.html", "indic", "الجمعة ٢٧ نوفمبر ٢٠٢٦ ١١:٥٧"),
    item("شهر شامي", "http://x.example/news/levant.html", "levant", "27 تشرين الثاني 2026 09:30 +0300"),
    item("ع" * 100_000, "http://x.example/news/long-title.html", "long"),
])

# A Google News sitemap as outlets publish one (oldest first here; dates in three writings), a
# plain sitemap (lastmod only), a sitemap index, one in windows-1256 and one cut off mid-element.
NEWS_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
    'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
    + "".join(
        f"<url><loc>/news/{i}.html?utm_source=sitemap</loc><news:news><news:publication><news:name>الاختبار</news:name>"
        f"<news:language>ar</news:language></news:publication><news:publication_date>{when}</news:publication_date>"
        f"<news:title>{ARABIC_TITLE} {i}</news:title><news:keywords>غزة, الأمم المتحدة</news:keywords></news:news>"
        f"<image:image><image:loc>/img/{i}.jpg</image:loc><image:title>صورة {i}</image:title></image:image></url>"
        for i, when in enumerate(["2026-11-27T09:00:00+03:00", "2026-11-27T08:15:00Z", "٢٠٢٦-١١-٢٧T١١:٤٥:٠٠+٠٣:٠٠"]))
    + "</urlset>")
PLAIN_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 "<url><loc>http://x.example/about</loc></url>"
                 "<url><loc>http://x.example/news/old.html</loc><lastmod>2026-11-20</lastmod></url>"
                 "<url><loc>http://x.example/news/new.html</loc><lastmod>2026-11-26T10:00:00+00:00</lastmod></url>"
                 "</urlset>")
SITEMAP_INDEX = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 "<sitemap><loc>http://x.example/sitemap-news.xml</loc></sitemap>"
                 "<sitemap><loc>http://x.example/sitemap-2026-11.xml</loc></sitemap></sitemapindex>")

ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/feed/date-only.xml": _static(rss("".join(item(f"{ARABIC_TITLE} {d}", f"/news/d{i}.html", f"d{i}", d) for i, d in
                                               enumerate(["2026-11-20", "20-11-2026", "2026-11-03", "03/11/2026"]))),
                                   "application/rss+xml"),
    "/feed/news-sitemap.xml": _static(NEWS_SITEMAP, "application/xml; charset=utf-8"),
    "/feed/sitemap.xml": _static(PLAIN_SITEMAP, "text/xml"),
    "/feed/sitemap-index.xml": _static(SITEMAP_INDEX, "application/xml"),
    "/feed/sitemap-cp1256.xml": _static(_cp1256(NEWS_SITEMAP.replace("UTF-8", "windows-1256").translate(
        str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))), "application/xml"),  # (no Arabic-Indic digits in cp1256)
    "/feed/sitemap-cut.xml": _static(NEWS_SITEMAP[: NEWS_SITEMAP.index("</url>") + 40], "application/xml"),
    "/robots.txt": _robots,
    "/feed/good.xml": _static(GOOD_FEED, "application/rss+xml; charset=utf-8"),
    "/feed/malformed.xml": _static(MALFORMED_FEED, "application/rss+xml; charset=utf-8"),
    "/feed/html": _static(HTML_PAGE, "text/html; charset=utf-8"),
    "/feed/items.xml": _static(rss(FEED_ITEMS), "application/rss+xml"),
    "/feed/billion-laughs.xml": _static(BILLION_LAUGHS, "application/xml"),
    "/feed/xxe.xml": _static(XXE, "application/xml"),
    "/feed/cp1256-undeclared.xml": _static(_cp1256(rss(item(ARABIC_TITLE, "/news/1.html"), decl="")), "text/xml"),
    "/feed/cp1256-xmldecl.xml": _static(
        _cp1256(rss(item(ARABIC_TITLE, "/news/1.html"), decl='<?xml version="1.0" encoding="windows-1256"?>')),
        "application/rss+xml"),
    "/empty": _static(b"", "application/rss+xml"),
    "/gzip-empty": _static(b"", "text/html", headers={"Content-Encoding": "gzip"}),
    "/bad-gzip": _static(b"this is not gzip at all", "text/html", headers={"Content-Encoding": "gzip"}),
    "/gzip-page": lambda h: h.send(200, gzip.compress(HTML_PAGE.encode()), "text/html; charset=utf-8",
                                   {"Content-Encoding": "gzip"}),
    "/deflate-page": lambda h: h.send(200, zlib.compress(HTML_PAGE.encode()), "text/html; charset=utf-8",
                                      {"Content-Encoding": "deflate"}),
    "/huge": _huge,
    "/gzip-bomb": _gzip_bomb_route,
    "/stall": _stall_headers,
    "/trickle": _trickle,
    "/truncated-chunked": _truncated_chunked,
    "/truncated-length": _truncated_length,
    "/length-overstated": _length_overstated,
    "/redirect": _redirect,
    "/loop/a": _static(b"", None, 302, {"Location": "/loop/b"}),
    "/loop/b": _static(b"", None, 301, {"Location": "/loop/a"}),
    "/status/204": _raw_bytes(b"HTTP/1.1 204 No Content\r\nServer: Kestrel\r\n\r\n"),
    "/status/205": _raw_bytes(b"HTTP/1.1 205 Reset Content\r\nContent-Length: 0\r\n\r\n"),
    "/status/404": _static("gone missing", "text/html", 404),
    "/status/410": _static("gone for good", "text/html", 410),
    "/status/500": _static("always broken", "text/html", 500),
    "/status/503": _static("down for maintenance", "text/html", 503),
    "/flaky": _flaky,
    "/retry-after": _retry_after_seconds,
    "/retry-after-date": _retry_after_date,
    "/retry-after-long": _static("later", "text/html", 429, {"Retry-After": "3600"}),
    "/not-modified-unasked": _static(b"", None, 304, {"ETag": '"v9"'}),
    "/retry-after-twice": lambda h: _send_headers_twice(h, 429, [("Retry-After", "3600"), ("Retry-After", "3600")]),
    "/retry-after-year": _static("maintenance", "text/html", 503, {"Retry-After": "31536000"}),
    "/retry-after-year-date": lambda h: h.send(503, "maintenance", "text/html",
                                               {"Retry-After": formatdate(time.time() + 365 * 86400, usegmt=True)}),
    "/etag": _etag,
    "/pdf": _static(b"%PDF-1.4\n%binary", "application/pdf"),
    "/bot/cf-challenge": _static(CF_CHALLENGE, "text/html; charset=UTF-8"),
    "/bot/cf-challenge-403": _static(CF_CHALLENGE, "text/html; charset=UTF-8", 403,
                                     {"cf-mitigated": "challenge", "Server": "cloudflare"}),
    "/bot/cf-blocked": _static(CF_BLOCKED, "text/html; charset=UTF-8", 403, {"Server": "cloudflare"}),
    "/bot/ddos-guard": _static(DDOS_GUARD, "text/html; charset=utf-8", 200, {"Server": "ddos-guard"}),
    "/bot/page-with-cf-scripts": _static(PAGE_WITH_CF_SCRIPTS, "text/html; charset=utf-8", 200, {"Server": "cloudflare"}),
    "/image": _static(b"\x89PNG\r\n\x1a\n....", "image/png"),
    "/pdf-as-html": _static(b"%PDF-1.4\n%binary", "text/html"),
    "/as-html/doc": _static(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "text/html; charset=utf-8"),
    "/as-html/webp": _static(b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x10" * 64, "text/html"),
    "/as-html/mp4": _static(b"\x00\x00\x01\x00ftypisom" + b"\x00" * 64, "text/html"),
    "/as-html/heic": _static(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "text/html"),
    "/as-html/rar": _static(b"Rar!\x1a\x07\x01\x00" + b"\x33" * 64, "text/html; charset=windows-1256"),
    "/as-html/woff2": _static(b"wOF2\x00\x01\x00\x00" + b"\x00" * 64, "text/html"),
    "/charset-mismatch": _static(_cp1256(HTML_PAGE), "text/html; charset=utf-8"),
    "/invalid-utf8": _static(HTML_PAGE.encode() + b"\xff\xfe\xc3(" + HTML_PAGE.encode(), "text/html; charset=utf-8"),
    "/bom-mismatch": _static(b"\xef\xbb\xbf" + HTML_PAGE.replace("<head>", '<head><meta charset="windows-1256">').encode(),
                             "text/html"),
    "/meta-refresh": _static('<html><head><meta http-equiv="refresh" content="0; url=/news/target.html?utm_source=x">'
                             "</head><body></body></html>", "text/html"),
    "/private/secret.html": _static(HTML_PAGE, "text/html"),
    "/no-akhbar/page.html": _static(HTML_PAGE, "text/html"),
    "/concurrency": _concurrency,
}
PREFIX_ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/chain/": _redirect_chain,
    "/page/": _static(HTML_PAGE, "text/html; charset=utf-8"),  # any path (Arabic, spaces) answers 200
}


# --- routes for the flow-level bad-input matrix (tests/test_matrix.py) -------------------------
# Feeds link (relatively) to /mx/article/..., so every page a matrix feed points at is served here
# and no request ever leaves loopback.

ARTICLE_PARAGRAPHS = (
    "قالت مصادر رسمية اليوم إن المفاوضات بين الأطراف المعنية ستستأنف الأسبوع المقبل في العاصمة.",
    "وأضافت المصادر أن الوفود ستناقش ملفات الحدود والمياه والتبادل التجاري بين البلدين الجارين.",
    "وكان الجانبان قد اتفقا في جولة سابقة على تشكيل لجان فنية مشتركة لمتابعة تنفيذ التفاهمات.",
    "من جهته، أكد المتحدث باسم الحكومة أن بلاده ملتزمة بالحوار سبيلاً وحيداً لحل الخلافات.",
)


def article_html(path: str, charset: str | None = "utf-8") -> str:
    """A realistic Arabic article page; the path is part of the text so each page is distinct."""
    tag = unquote(urlsplit(path).path).rsplit("/", 1)[-1]
    # The tag goes into every paragraph: lines repeated across an outlet's pages are boilerplate.
    paras = "".join(f"<p>{p[:-1]} ({tag}).</p>" for p in ARTICLE_PARAGRAPHS)
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head>{meta}<title>{ARABIC_TITLE}</title></head>"
            f"<body><nav><a href=\"/\">الرئيسية</a></nav><article><h1>{ARABIC_TITLE}</h1>"
            f"<p>رقم الخبر في الأرشيف: {tag}</p>{paras}</article><footer>جميع الحقوق محفوظة</footer></body></html>")


ENGLISH_ARTICLE = (
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceasefire talks resume</title></head>"
    "<body><article><h1>Ceasefire talks resume next week</h1>"
    "<p>Officials said on Tuesday that negotiations between the parties would resume next week in the capital.</p>"
    "<p>The delegations are expected to discuss borders, water sharing and trade between the two neighbours.</p>"
    "<p>Both sides agreed in an earlier round to set up joint technical committees to follow up.</p>"
    "</article></body></html>"
)
# An outlet's page-not-found page answered 200 (a soft 404), and its front page, where outlets
# redirect a story they took down: neither is the story.
SOFT_404 = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الصفحة غير موجودة | صحيفة الاختبار'
    '</title></head><body><header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a> <a href="/economy">اقتصاد'
    '</a></nav></header><main><div class="error-page"><h1>404</h1><p>عذراً، الصفحة التي تبحث عنها غير موجودة أو ربما '
    'تم نقلها أو حذفها. يمكنك العودة إلى الصفحة الرئيسية أو استخدام البحث للعثور على ما تبحث عنه من أخبار ومقالات.</p>'
    '<a href="/">العودة إلى الصفحة الرئيسية</a></div></main><footer>جميع الحقوق محفوظة © 2026</footer></body></html>'
)
# A sign-in page as CMSs serve one for a members-only story (answered at the story's URL, or at
# /user/login where the story's URL redirects).
SIGN_IN_PAGE = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>تسجيل الدخول | صحيفة الاختبار'
    '</title></head><body><header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a></nav></header>'
    '<main><h1>تسجيل الدخول</h1><p>يرجى تسجيل الدخول لمتابعة قراءة هذا المقال.</p><form method="post">'
    '<label>البريد الإلكتروني</label><input name="email"><label>كلمة المرور</label><input type="password" '
    'name="pass"><button>دخول</button></form><p>ليس لديك حساب؟ <a href="/user/register">أنشئ حساباً</a></p>'
    '</main><footer>جميع الحقوق محفوظة © 2026</footer></body></html>'
)
FRONT_PAGE = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صحيفة الاختبار | الرئيسية</title>'
    '<link rel="canonical" href="/"></head><body><main><section class="top-stories">'
    + "".join(f'<article><h2><a href="/news/{i}.html">{t}</a></h2><p>{p}</p></article>' for i, (t, p) in enumerate([
        ("وزير الخارجية يلتقي نظيره الأردني في عمان", "بحث الوزيران التطورات الإقليمية وسبل تعزيز التعاون بين البلدين في مختلف المجالات."),
        ("ارتفاع أسعار النفط مع تراجع المخزونات", "صعدت أسعار النفط للجلسة الثالثة على التوالي مع تراجع المخزونات الأمريكية أكثر من المتوقع."),
        ("منتخب مصر يفوز في تصفيات كأس العالم", "حقق المنتخب فوزا مهما في التصفيات ليقترب من التأهل إلى النهائيات بعد غياب طويل."),
    ]))
    + "</section></main></body></html>"
)
PAYWALL_STUB = (
    "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>تحليل: مستقبل المفاوضات</title>"
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
    '"headline": "تحليل: مستقبل المفاوضات", "isAccessibleForFree": false, '
    '"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": false, "cssSelector": ".paywall"}}</script>'
    "</head><body><article><h1>تحليل: مستقبل المفاوضات</h1>"
    "<p>تدخل المفاوضات بين الطرفين مرحلة حاسمة مع اقتراب موعد الجولة المقبلة، وسط ترقب إقليمي ودولي واسع لنتائجها.</p>"
    '<div class="paywall"><p>هذا المحتوى متاح للمشتركين فقط. اشترك الآن لمتابعة القراءة.</p></div>'
    "</article></body></html>"
)


def mx_rss(links: list[str], decl: str = '<?xml version="1.0" encoding="utf-8"?>', tag: str = "") -> str:
    """A feed with one item per link; titles and summaries are Arabic and distinct."""
    items = "".join(
        f"<item><title>{ARABIC_TITLE} {tag}{i}</title><link>{link}</link>"
        f"<guid isPermaLink=\"false\">{tag}{i}-{link}</guid>"
        f"<description>ملخص الخبر رقم {i}: {ARTICLE_PARAGRAPHS[0]}</description></item>"
        for i, link in enumerate(links))
    return rss(items, decl=decl)


def _mx_feed(h: _Handler) -> None:
    """/mx/feed?to=<link>&to=<link>...: a feed whose items point at the given (relative) links."""
    links = parse_qs(urlsplit(h.path).query).get("to", [])
    h.send(200, mx_rss(links, tag=h.query.get("tag", "")), "application/rss+xml; charset=utf-8")


MX_ITEMS = "".join([
    item("بدون رابط", None, "mx-nolink"),
    item("رابط جافاسكربت", "javascript:alert(1)", "mx-js"),
    item("رابط بريد", "mailto:editor@x.example", "mx-mail"),
    item("رابط نسبي", "/mx/article/relative.html?utm_source=rss&amp;NewsID=7#comments", "mx-rel",
         "Fri, 27 Nov 2026 11:57:00 GMT"),
    item("مكرر أول", "/mx/article/dup-first.html", "mx-dup-guid", "Thu, 26 Nov 2026 08:00:00 +0200"),
    item("مكرر ثان", "/mx/article/dup-second.html", "mx-dup-guid"),
    item("رابط مكرر", "/mx/article/dup-first.html?utm_campaign=z", "mx-dup-link"),
    item("تاريخ مستقبلي", "/mx/article/future.html", "mx-future", "Mon, 01 Jan 2099 00:00:00 GMT"),
    item("تاريخ غير مفهوم", "/mx/article/baddate.html", "mx-baddate", "قبل ساعتين تقريباً"),
    item("أرقام هندية", "/mx/article/indic.html", "mx-indic", "الجمعة ٢٧ نوفمبر ٢٠٢٦ ١١:٥٧"),
    item("ع" * 100_000, "/mx/article/long-title.html", "mx-long"),
    item("رابط بمسافات", "/mx/article/أخبار اليوم/خبر عاجل 1.html", "mx-spaces"),
])
MX_SHARED_ITEM = item("خبر مشترك بين موجزين", "/mx/article/shared.html", "mx-shared-guid",
                      "Fri, 27 Nov 2026 09:00:00 GMT")
MX_BOM_MISMATCH = b"\xef\xbb\xbf" + rss(item(ARABIC_TITLE, "/mx/article/bom-feed.html"),
                                         decl='<?xml version="1.0" encoding="windows-1256"?>').encode()
MX_INVALID_UTF8 = rss(item("عنوان صالح", "/mx/article/utf8-ok.html")
                      + item("عنوان \x00BAD\x00 تالف", "/mx/article/utf8-bad.html")).encode().replace(
                          b"\x00BAD\x00", b"\xff\xfe\xc3(")


def _mx_article(h: _Handler) -> None:
    h.send(200, article_html(h.path))


CRED_SECRET = "s3cret-pw"  # must never reach the warehouse or an export


def _own_base(h: _Handler, userinfo: str = "") -> str:
    host, port = h.server.server_address[:2]
    return f"http://{userinfo}{host}:{port}"


def _redirect_with_credentials(h: _Handler) -> None:
    """302 to ?to=<path> on this server, with user:password@ in the Location."""
    h.send(302, "", None, {"Location": _own_base(h, f"u:{CRED_SECRET}@") + h.query.get("to", "/")})


def _feed_with_credential_links(h: _Handler) -> None:
    """A one-item feed whose link carries user:password@, tracking parameters and a fragment."""
    link = _own_base(h, f"u:{CRED_SECRET}@") + "/mx/article/cred-c.html?utm_source=rss&amp;id=3&amp;fbclid=x#c"
    h.send(200, rss(item("رابط ببيانات دخول", link, "cred-c")), "application/rss+xml; charset=utf-8")


ROUTES.update({
    # 11.8: links that are not articles
    "/mx/self-links.xml": _static(rss(item("رابط إلى نفسه", "#", "self-hash") + item("رابط إلى موجز آخر", "/mx/dup-a.xml", "other-feed")
                                      + item("خبر عادي", "/mx/article/self-links-ok.html", "ok-item")),
                                  "application/rss+xml; charset=utf-8"),
    "/mx/feed-as-html": _static(rss(item(ARABIC_TITLE, "/mx/article/x.html")), "text/html; charset=utf-8"),
    "/mx/json": _static('{"title": "خبر", "body": "نص"}', "application/json"),
    "/mx/plain": _static("نص عادي بلا وسوم HTML في هذه الصفحة", "text/plain; charset=utf-8"),
    "/mx/feed": _mx_feed,
    "/mx/redirect-creds": _redirect_with_credentials,
    "/mx/feed-creds": _feed_with_credential_links,
    "/mx/items.xml": _static(rss(MX_ITEMS), "application/rss+xml"),
    "/mx/dup-a.xml": _static(rss(MX_SHARED_ITEM + item("خاص بالموجز أ", "/mx/article/only-a.html", "a1")),
                             "application/rss+xml; charset=utf-8"),
    "/mx/dup-b.xml": _static(rss(MX_SHARED_ITEM + item("خاص بالموجز ب", "/mx/article/only-b.html", "b1")),
                             "application/rss+xml; charset=utf-8"),
    "/mx/malformed.xml": _static(MALFORMED_FEED.replace("/news/", "/mx/article/malformed-"),
                                 "application/rss+xml; charset=utf-8"),
    "/mx/billion-laughs.xml": _static(BILLION_LAUGHS.replace("http://x.example/a", "/mx/article/laughs.html"),
                                      "application/xml"),
    "/mx/xxe.xml": _static(XXE.replace("http://x.example/", "/mx/article/xxe-"), "application/xml"),
    "/mx/cp1256-undeclared.xml": _static(_cp1256(rss(item(ARABIC_TITLE, "/mx/article/cp1256.html"), decl="")),
                                         "text/xml"),
    "/mx/charset-mismatch.xml": _static(
        _cp1256(rss(item(ARABIC_TITLE, "/mx/article/charset-feed.html"), decl="")),
        "application/rss+xml; charset=utf-8"),
    "/mx/bom-mismatch.xml": _static(MX_BOM_MISMATCH, "application/rss+xml"),
    "/mx/invalid-utf8.xml": _static(MX_INVALID_UTF8, "application/rss+xml; charset=utf-8"),
    "/mx/wrong-ctype.xml": _static(mx_rss(["/mx/article/wrong-ctype.html"]), "image/png"),
    "/mx/meta-refresh": _static('<html><head><meta http-equiv="refresh" content="0; url=/mx/article/refreshed.html'
                                '?utm_source=x"></head><body></body></html>', "text/html"),
    "/mx/js-redirect": _static('<!DOCTYPE html><html><head><title>جار التحويل...</title><script type="text/javascript">'
                               'window.location.replace("/mx/article/js-target.html?utm_source=x");</script></head>'
                               '<body><p>جار التحويل...</p></body></html>', "text/html; charset=utf-8"),
    "/mx/paywall.html": _static(PAYWALL_STUB, "text/html; charset=utf-8"),
    "/mx/soft404.html": _static(SOFT_404, "text/html; charset=utf-8"),
    "/mx/taken-down.html": _static(b"", None, 301, {"Location": "/"}),
    "/mx/sign-in-wall.html": _static(SIGN_IN_PAGE, "text/html; charset=utf-8"),
    "/mx/members-only.html": _static(b"", None, 302, {"Location": "/user/login?destination=/mx/members-only.html"}),
    "/user/login": _static(SIGN_IN_PAGE.replace("<p>يرجى تسجيل الدخول لمتابعة قراءة هذا المقال.</p>", ""),
                           "text/html; charset=utf-8"),
    "/": _static(FRONT_PAGE, "text/html; charset=utf-8"),
    "/mx/english.html": _static(ENGLISH_ARTICLE, "text/html; charset=utf-8"),
    "/mx/enc/charset-mismatch.html": _static(_cp1256(article_html("charset-mismatch", None)),
                                             "text/html; charset=utf-8"),
    "/mx/enc/cp1256-undeclared.html": _static(_cp1256(article_html("cp1256-undeclared", None)), "text/html"),
    "/mx/enc/invalid-utf8.html": _static(
        article_html("invalid-utf8").replace("</h1>", "</h1>\x00").encode().replace(b"\x00", b"\xff\xfe\xc3("),
        "text/html; charset=utf-8"),
    "/mx/enc/bom-mismatch.html": _static(b"\xef\xbb\xbf" + article_html("bom-mismatch", "windows-1256").encode(),
                                         "text/html"),
})
# Feed dates out of any plausible range (issue 11.1): what Go writes for an unset time
# (0001-01-01T00:00:00Z), a zero Unix time, 1969, an offset of +9999 — in RSS <pubDate> and Atom
# <updated>. One good item in each feed must still be stored with its date.
BAD_DATE_ITEMS = {
    "zero-go": "0001-01-01T00:00:00Z",
    "zero-rfc": "Mon, 01 Jan 0001 00:00:00 +0000",
    "epoch": "Thu, 01 Jan 1970 00:00:00 GMT",
    "before-epoch": "Wed, 31 Dec 1969 23:59:59 GMT",
    "offset-9999": "Fri, 27 Nov 2026 10:00:00 +9999",
    "good": "Fri, 27 Nov 2026 10:00:00 +0300",
}


def atom(entries: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>موجز أتوم</title><id>urn:mx:atom</id><updated>2026-11-27T10:00:00Z</updated>{entries}</feed>")


def atom_entry(title: str, link: str, updated: str) -> str:
    return (f'<entry><title>{title}</title><link href="{link}"/><id>urn:mx:{link}</id>'
            f"<updated>{updated}</updated></entry>")


ROUTES.update({
    "/mx/bad-dates.xml": _static(rss("".join(item(f"تاريخ {k}", f"/mx/article/date-rss-{k}.html", f"d-{k}", v)
                                             for k, v in BAD_DATE_ITEMS.items())), "application/rss+xml"),
    "/mx/bad-dates-atom.xml": _static(atom("".join(atom_entry(f"تاريخ {k}", f"/mx/article/date-atom-{k}.html",
                                                              v.replace("Mon, 01 Jan 0001 00:00:00 +0000",
                                                                        "0001-01-01T00:00:00+00:00"))
                                               for k, v in BAD_DATE_ITEMS.items())), "application/atom+xml"),
})
PREFIX_ROUTES.update({
    "/mx/article/": _mx_article,
    "/mx/ar/": _static(mx_rss(["/mx/article/arabic-feed-url.html"]), "application/rss+xml; charset=utf-8"),
})


def _unwell(h: _Handler) -> None:
    """/unwell/<kind>/<name>.html: fails as <kind> while the server is unwell, then serves the
    article. kinds: 503, 429 (Retry-After beyond any cap), 500, 502, 504, 408, stall (headers then
    silence), reset (truncated body), challenge / challenge403 (a bot-check page at 200 / at 403
    with cf-mitigated), robots (see start_hostile_server(robots="unwell"))."""
    kind = unquote(urlsplit(h.path).path).split("/")[2]
    if not h.server.unwell:
        h.send(200, article_html(h.path))
    elif kind == "stall":
        _stall_headers(h)
    elif kind == "reset":
        _truncated_chunked(h)
    elif kind == "429":
        h.send(429, "slow down", headers={"Retry-After": "3600"})
    elif kind == "challenge":  # a bot check at 200, as Cloudflare, DDoS-Guard and Sucuri often answer
        h.send(200, CF_CHALLENGE, "text/html; charset=UTF-8")
    elif kind == "challenge403":
        h.send(403, CF_CHALLENGE, "text/html; charset=UTF-8", {"cf-mitigated": "challenge"})
    elif kind.isdigit():
        h.send(int(kind), "try later")
    else:
        h.send(200, article_html(h.path))


PREFIX_ROUTES["/unwell/"] = _unwell


def _raw_route(head: bytes) -> Callable[[_Handler], None]:
    """A response written byte for byte (heads the stdlib server would never send), then closed."""
    def route(h: _Handler) -> None:
        body = HTML_PAGE.encode()
        h.wfile.write(head.replace(b"{len}", str(len(body)).encode()) + body)
        h.close_connection = True
    return route


# Response heads real servers send that browsers read through (the body: HTML_PAGE).
RAW_HEADS = {
    "space-before-colon": b"HTTP/1.1 200 OK\r\nContent-Type : text/html; charset=utf-8\r\nContent-Length: {len}\r\n\r\n",
    "line-without-colon": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Powered-By PHP/5.2.17\r\n"
                           b"Content-Length: {len}\r\n\r\n"),
    "control-char-in-value": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Title: a\x00b\x0bc\r\n"
                              b"Content-Length: {len}\r\n\r\n"),
    "lower-case-status-line": b"http/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len}\r\n\r\n",
    "status-without-reason": b"HTTP/1.1 200\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len}\r\n\r\n",
    "lf-only": b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Length: {len}\n\n",
    "early-hints-first": (b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n"
                          b"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len}\r\n\r\n"),
    "http-1.0-no-length": b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n",
}
ROUTES.update({f"/raw/{name}": _raw_route(head) for name, head in RAW_HEADS.items()})


# Redirects whose Location is raw bytes: UTF-8 Arabic beside a header with a Latin-1 byte, and an
# IIS site's windows-1256 path.
ROUTES.update({
    "/raw/redirect-utf8": _raw_bytes(b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + "/page/أخبار/1".encode()
                                     + b"\r\nX-Powered-By: Caf\xe9 CMS\r\nContent-Length: 0\r\n\r\n"),
    "/raw/redirect-idn": lambda h: _raw_bytes(
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + f"http://مثال.example:{h.server.server_address[1]}"
        "/page/أخبار/5".encode() + b"\r\nContent-Length: 0\r\n\r\n")(h),
    "/raw/refresh-utf8": _raw_bytes(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nRefresh: 0; url="
                                    + "/mx/article/أخبار-عاجلة.html".encode()
                                    + b"\r\nX-Powered-By: Caf\xe9 CMS\r\nContent-Length: 0\r\n\r\n"),
    "/raw/redirect-cp1256": _raw_bytes(b"HTTP/1.1 302 Found\r\nLocation: " + "/page/أخبار/2".encode("cp1256")
                                       + b"\r\nContent-Length: 0\r\n\r\n"),
})


def _with_canonical(html: str, canonical: str) -> str:
    return html.replace("</head>", f'<link rel="canonical" href="{canonical}"></head>', 1)


def _canon_page(h: _Handler) -> None:
    """/mx/canon/<story>.html: distinct stories that all declare their section as canonical (CMS
    bug); /mx/canon-amp/amp/<x>.html: an AMP twin declaring its article; /mx/canon-print/<x>.html?p=N:
    identical print copies declaring the same canonical."""
    path = unquote(urlsplit(h.path).path)
    if path.startswith("/mx/canon/"):
        h.send(200, _with_canonical(article_html(h.path), "/mx/canon/"))
    elif path.startswith("/mx/canon-amp/amp/"):
        h.send(200, _with_canonical(article_html(path.replace("/amp/", "/")), path.replace("/amp/", "/")))
    else:
        h.send(200, _with_canonical(article_html(path), path))


PREFIX_ROUTES["/mx/canon"] = _canon_page

# One poisoned entry of each kind we know, in one feed (issue 11: none may stop the run).
POISON_ITEMS = "".join([
    item("تاريخ صفري", "/mx/article/p-zero-date.html", "p1", "0001-01-01T00:00:00Z"),
    "<item><title>تاريخ أتوم صفري</title><link>/mx/article/p-zero-atom.html</link><guid>p2</guid>"
    "<updated>0001-01-01T00:00:00Z</updated></item>",
    item("تاريخ بعيد", "/mx/article/p-far.html", "p3", "Fri, 31 Dec 9999 23:59:59 +9999"),
    item("تاريخ 1969", "/mx/article/p-1969.html", "p4", "Wed, 31 Dec 1969 23:59:59 GMT"),
    item("رابط إلى نفسه", "#", "p5"),
    item("رابط جافاسكربت", "javascript:alert(1)", "p6"),
    item("بدون رابط", None, "p7"),
    item("ملف PDF", "/pdf?as=poison", "p8"),
    item("قنبلة مضغوطة", "/gzip-bomb?as=poison", "p9"),
    item("صفحة متوقفة", "/stall?as=poison", "p10"),
    item("عنوان خاص", "http://10.0.0.1/secret.html", "p11"),
    item("بيانات دخول", "http://u:pw@127.0.0.1:1/x.html", "p12"),
    item("ع" * 100_000, "/mx/article/p-long-title.html", "p13"),
    item("مكرر", "/mx/article/p-dup.html", "p14"), item("مكرر ثان", "/mx/article/p-dup-2.html", "p14"),
    item("صفحة 503", "/status/503?as=poison", "p15"),
    item("موجز بدل صفحة", "/mx/dup-a.xml?as=poison", "p16"),
    item("رابط عربي بمسافات", "/mx/article/خبر عاجل.html", "p17"),
    item("أرقام هندية", "/mx/article/p-indic.html", "p18", "الجمعة ٢٧ نوفمبر ٢٠٢٦ ١١:٥٧"),
])
ROUTES["/mx/poison.xml"] = _static(rss(POISON_ITEMS), "application/rss+xml; charset=utf-8")


# --- routes for the deadline / Retry-After / stopped-run cases (tests/test_matrix_deadlines.py) ---


def _slowloris(h: _Handler) -> None:
    """/slowloris/<name>: headers, then one byte every ?every= seconds (default 1): a stalling
    host that never trips a read timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    every = float(h.query.get("every", "1"))
    for _ in range(100000):
        h.wfile.write(b" ")
        h.wfile.flush()
        if h.server.stopping.wait(every):
            return


def _slow(h: _Handler) -> None:
    """/slow/<name>?s=SECONDS&as=feed|article: a complete answer, after a pause."""
    if h.server.stopping.wait(float(h.query.get("s", "1"))):
        return
    _success(h)


def _hang(h: _Handler) -> None:
    """/hang/<name>?as=...: no answer at all while the server is unwell, then the normal one."""
    while h.server.unwell:
        if h.server.stopping.wait(0.1):
            return
    _success(h)


def _ratelimited(h: _Handler) -> None:
    """/ratelimited/<name>?as=...: 429 with Retry-After: 3600 while the server is unwell, then
    the normal answer."""
    if h.server.unwell:
        h.send(429, "too many requests", "text/plain", {"Retry-After": "3600"})
    else:
        _success(h)


PREFIX_ROUTES.update({"/slowloris/": _slowloris, "/slow/": _slow, "/hang/": _hang, "/ratelimited/": _ratelimited})


# --- redirects, validators and bodies that browsers cope with (tests/test_http.py) -------------


def _cookie_check(h: _Handler) -> None:
    """/cookie-check/<name>: a cookie wall (anti-bot plugins, CDN edge rules, consent gates):
    without its cookie, a 302 to the same URL that sets it; with it, the article. ?via=1: the 302
    goes to a check page (/cookie-set) that sets the cookie and sends the client back."""
    if "akh_ok=1" in (h.headers.get("Cookie") or ""):
        h.send(200, article_html(h.path))
    elif h.query.get("via"):
        h.send(302, "", None, {"Location": f"/cookie-set?back={quote(h.path)}"})
    else:
        h.send(302, "", None, {"Location": h.path, "Set-Cookie": "akh_ok=1; Path=/; HttpOnly"})


def _cookie_set(h: _Handler) -> None:
    h.send(302, "", None, {"Location": h.query.get("back", "/"), "Set-Cookie": "akh_ok=1; Path=/"})


def _cookie_wall(h: _Handler) -> None:
    """/cookie-wall/<name>: sets a cookie and redirects to itself whatever the client sends back."""
    h.send(302, "", None, {"Location": urlsplit(h.path).path, "Set-Cookie": f"wall={time.monotonic_ns()}; Path=/"})


UTF8_ETAG = '"خبر-عاجل-2026"'


def _etag_utf8(h: _Handler) -> None:
    """A feed whose ETag is raw UTF-8 (a CMS naming it after the file), 304 when it comes back."""
    raw = UTF8_ETAG.encode().decode("latin-1")  # the bytes as they go on the wire
    if h.headers.get("If-None-Match") == raw:
        h.send(304, b"", None, {"ETag": raw})
    else:
        h.send(200, GOOD_FEED, "application/rss+xml; charset=utf-8", {"ETag": raw})


def _empty_on_conditional(h: _Handler) -> None:
    """A feed script that exits with an empty 200 when validators come (no 304), whatever they are."""
    if h.headers.get("If-None-Match") or h.headers.get("If-Modified-Since"):
        h.send(200, b"", "application/rss+xml; charset=utf-8")
    else:
        h.send(200, GOOD_FEED, "application/rss+xml; charset=utf-8",
               {"ETag": '"feed-v2"', "Last-Modified": "Fri, 27 Nov 2026 10:00:00 GMT"})


ROUTES.update({
    # gzip that a browser (or a feed reader, for a sitemap.xml.gz) unpacks: sent twice, under a
    # stacked header, without any header, and a bomb without a header
    "/gzip-twice": lambda h: h.send(200, gzip.compress(gzip.compress(HTML_PAGE.encode())), "text/html; charset=utf-8",
                                    {"Content-Encoding": "gzip"}),
    "/gzip-stacked": lambda h: h.send(200, gzip.compress(zlib.compress(HTML_PAGE.encode())), "text/html; charset=utf-8",
                                      {"Content-Encoding": "deflate, gzip"}),
    "/gzip-undeclared": lambda h: h.send(200, gzip.compress(HTML_PAGE.encode()), "text/html; charset=utf-8"),
    "/feed/sitemap.xml.gz": lambda h: h.send(200, gzip.compress(NEWS_SITEMAP.encode()), "application/x-gzip"),
    "/gzip-bomb-undeclared": lambda h: h.send(200, h.server.bomb(), "text/html"),
    "/encoding-utf8": _static(HTML_PAGE, "text/html; charset=utf-8", headers={"Content-Encoding": "UTF-8"}),
    "/encoding-none": _static(HTML_PAGE, "text/html; charset=utf-8", headers={"Content-Encoding": "none"}),
    "/gzip-label-plain": _static(HTML_PAGE, "text/html; charset=utf-8", headers={"Content-Encoding": "gzip"}),
    # brotli / zstd although the request offered only gzip and deflate (a CDN's cached copy,
    # nginx's brotli_static "always"): 64 MiB of zeros are 102 bytes of brotli
    "/br-page": _static(brotli.compress(HTML_PAGE.encode()), "text/html; charset=utf-8",
                        headers={"Content-Encoding": "br", "Vary": "Accept-Encoding"}),
    "/br-label-plain": _static(HTML_PAGE, "text/html; charset=utf-8", headers={"Content-Encoding": "br"}),
    "/br-bomb": _static(brotli.compress(b"\0" * 64 * 1024 * 1024, quality=5), "text/html",
                        headers={"Content-Encoding": "br"}),
    "/br-cut": _static(brotli.compress(HTML_PAGE.encode() * 50)[:-20], "text/html",
                       headers={"Content-Encoding": "br"}),
    "/zstd-page": _static(b"(\xb5/\xfd" + b"\0" * 64, "text/html", headers={"Content-Encoding": "zstd"}),
    # Content-Type as PHP code and servers garble it
    "/ctype/twice": lambda h: h.send(200, HTML_PAGE, "text/html", {"Content-Type": "text/html; charset=UTF-8"}),
    "/ctype/twice-charsets": lambda h: h.send(200, HTML_PAGE, "text/html; charset=windows-1256",
                                              {"Content-Type": "text/html; charset=UTF-8"}),
    "/ctype/no-semicolon": _static(HTML_PAGE, "text/html charset=utf-8"),
    "/ctype/bare-html": _static(HTML_PAGE, "html"),
    "/ctype/twice-pdf": lambda h: h.send(200, b"%PDF-1.4\n%binary", "text/html", {"Content-Type": "application/pdf"}),
    "/gzip-magic-only": _static(b"\x1f\x8b\x08 not gzip after all", "text/html"),
})
# A French page of a Maghreb outlet in windows-1252, its charset spelt as CMS settings spell it.
FRENCH_CP1252 = ("<!DOCTYPE html><html lang=\"fr\"><head><title>Séisme à Al Haouz</title></head><body><h1>Séisme à "
                 "Al Haouz : élan de solidarité</h1><p>Des milliers de bénévoles se sont mobilisés dès vendredi "
                 "soir.</p></body></html>")
# A UTF-8 page with one stray Latin-1 byte (a footer's '\xa9' from a template saved in Latin-1),
# and a windows-1256 page behind a UTF-8 BOM (an included PHP file saved "UTF-8 with BOM").
MIXED_ARABIC = ("قالت «الأمم المتحدة» اليوم إن الوضع الإنساني… في المنطقة يزداد سوءاً 😢 — وقال المتحدث: “نعم” "
                "في مقهى café بالعاصمة")
CP1256_ARABIC = "قالت «الأمم المتحدة» اليوم إن الوضع الإنساني… في المنطقة يزداد سوءاً — وقال المتحدث: “نعم”"


def _page_with(text: str, meta: str) -> str:
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}<title>{ARABIC_TITLE}</title></head><body>'
            f"<article><h1>{ARABIC_TITLE}</h1><p>{text}</p><p>{text}</p></article>"
            "<footer>Copyright © 2026 صحيفة الاختبار</footer></body></html>")


ROUTES.update({
    "/charset/utf8-stray-byte": _static(_page_with(MIXED_ARABIC, '<meta charset="utf-8">').encode().replace(
        "©".encode(), b"\xa9"), "text/html; charset=utf-8"),
    # UTF-8 under a server's default 'charset=windows-1256' (with and without the page's own meta)
    "/charset/utf8-labelled-cp1256": _static(_page_with(MIXED_ARABIC, '<meta charset="utf-8">'),
                                             "text/html; charset=windows-1256"),
    "/charset/utf8-labelled-cp1256-only": _static(_page_with(MIXED_ARABIC, ""), "text/html; charset=windows-1256"),
    "/feed/utf8-labelled-cp1256.xml": _static(rss(item(MIXED_ARABIC, "/news/m.html", "m1")),
                                              "application/rss+xml; charset=windows-1256"),
    "/charset/bom-over-cp1256": _static(b"\xef\xbb\xbf" + _page_with(
        CP1256_ARABIC, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">').encode("cp1256"),
        "text/html"),
    "/charset/bom-over-cp1256-undeclared": _static(b"\xef\xbb\xbf" + _page_with(CP1256_ARABIC, "").encode("cp1256"),
                                                   "text/html"),
})
ROUTES.update({f"/charset/{label}": _static(FRENCH_CP1252.encode("cp1252"), f"text/html; charset={label}")
               for label in ("win-1252", "cp-1252", "windows1252")})
def _cookie_refresh(h: _Handler) -> None:
    """/cookie-refresh/<name>: a cookie check as nginx's testcookie module serves one: 200, a
    Set-Cookie and a refresh tag back to the page (?again=1: to the page with an attempt counter);
    with the cookie, the article."""
    if "tc_check=ok" in (h.headers.get("Cookie") or ""):
        h.send(200, article_html(h.path))
        return
    target = urlsplit(h.path).path + ("?attempt=1" if h.query.get("again") else "")
    h.send(200, f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head><body>'
                '<noscript>Please enable cookies</noscript></body></html>', "text/html",
           {"Set-Cookie": "tc_check=ok; expires=Thu, 31-Dec-2037 23:55:55 GMT; path=/"})


def _js_cookie(h: _Handler) -> None:
    """/js-cookie/<name>: a cookie check made of a script (a small anti-bot plugin): it sets a
    literal cookie and reloads (?how=href: assigns the page's own href; ?how=replace: goes to the
    page with a marker); with the cookie, the article."""
    if "js_ok=1" in (h.headers.get("Cookie") or ""):
        h.send(200, article_html(h.path))
        return
    path = urlsplit(h.path).path
    go = {"href": "window.location.href = window.location.href;",
          "replace": f'window.location.replace("{path}?checked=1");'}.get(h.query.get("how", ""), "location.reload();")
    h.send(200, f'<!DOCTYPE html><html><head><title>Checking your connection…</title><script type="text/javascript">'
                f'document.cookie = "js_ok=1; path=/; max-age=86400"; {go}</script></head>'
                '<body><p>Please wait…</p></body></html>', "text/html; charset=utf-8")


PREFIX_ROUTES["/js-cookie/"] = _js_cookie
ROUTES["/refresh-header"] = _static(b"", "text/html", headers={"Refresh": "0; url=/mx/article/by-refresh-header.html"})
PREFIX_ROUTES["/cookie-refresh/"] = _cookie_refresh
ROUTES.update({"/cookie-set": _cookie_set, "/etag-utf8": _etag_utf8, "/empty-on-conditional": _empty_on_conditional})
PREFIX_ROUTES.update({"/cookie-check/": _cookie_check, "/cookie-wall/": _cookie_wall})


class _Server(WebServer):
    def __init__(self, robots: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = ROUTES
        self.prefix_routes = PREFIX_ROUTES
        self.robots = robots
        self.log = RequestLog()
        self.stopping = threading.Event()
        self.state_lock = threading.Lock()
        self.seen: set[tuple[str, str]] = set()
        self.unwell = True  # /unwell/* routes fail while this is set (cross-run retry tests flip it)
        self.in_flight = 0
        self.max_in_flight = 0
        self._bomb: bytes | None = None

    def bomb(self) -> bytes:
        with self.state_lock:
            if self._bomb is None:
                self._bomb = _gzip_bomb()  # already built by start_hostile_server
            return self._bomb


def start_hostile_server(robots: str = "normal") -> tuple[str, Callable[[], None], RequestLog]:
    """Start the server in a daemon thread; returns (base_url, stop, request_log).

    robots: "normal" (disallows /private/ and, for akhbar, /no-akhbar/), "500", "404", "delay"
    (Crawl-delay 0.3 s), or the text of a robots.txt (any string with a line break).
    """
    server = _Server(robots)
    _gzip_bomb()  # built before the first answer (cached per process)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    host, port = server.server_address[:2]

    def stop() -> None:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    stop.server = server  # type: ignore[attr-defined]  # tests peek at max_in_flight
    return f"http://{host}:{port}", stop, server.log


def refused_port() -> int:
    """A loopback port with nothing listening (bind, read the port, close)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backlog_full_listener() -> tuple[int, Callable[[], None]]:
    """A loopback port whose accept queue is full, so new connects hang (connect-timeout case)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    for _ in range(8):  # the kernel queues backlog + 1 (or a few more): fill it, never accept
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
        time.sleep(0.01)

    def close() -> None:
        for c in fillers:
            c.close()
        listener.close()

    return port, close
