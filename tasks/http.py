"""Polite, hardened HTTP fetching (the only module importing httpx).

``fetch_all`` runs one asyncio loop per call and never raises for network or input problems:
every failure becomes a FetchResult with an outcome (see tasks.models.FetchResult) and an error.

Design notes
* SSRF: every hop's host is resolved and checked before anything is sent, and the connection
  itself goes through ``_GuardedBackend`` (an httpcore network backend) which resolves, checks and
  connects to the checked IP — there is no second DNS lookup an attacker could rebind.
* Proxies from the environment are ignored (trust_env=False): a proxy would connect for us and
  bypass the guard.
* Bodies are read raw and decompressed here with a bounded ``max_length`` so a gzip bomb never
  expands past the byte cap in memory. Stacked codings ("gzip, gzip") and a body still in gzip
  after its Content-Encoding (compressed twice, or sent with no header: a sitemap.xml.gz) are
  unpacked too, under the same cap. Brotli is decoded (bounded the same way) though we never
  ask for it: CDNs and nginx's brotli_static "always" send it anyway. zstd is not (the
  zstandard wheel is 24 MB installed and has no bounded incremental output): "unsupported
  content-encoding", a permanent error. What a browser reads through is read through as well: a
  Content-Encoding that compresses nothing ("UTF-8", "none"), gzip announced over plain markup,
  gzip labelled br and brotli labelled gzip or deflate (read as what they are), a Content-Type
  sent twice (the last valid one counts, see media_type), a whole document whose
  server closed, or went silent on a kept-alive connection, before its overstated
  Content-Length or its last chunk.
* Response heads are read as browsers read them (_install_lenient_response_heads): a space before
  a header's colon, a line with no colon, a control character in a value, a lower-case status
  line, a version with no minor number ("HTTP/2 200", read as 1.1), two spaces or tabs between
  its parts, a byte-order mark or an empty line before it no longer lose the whole page as a
  "malformed response"; a head is read up to Chrome's 256 KiB (MAX_HEAD_BYTES: 150 KB of
  Set-Cookie and Content-Security-Policy lines is read, a longer head fails saying so). A
  framing error still unreadable (no
  status code, an invalid chunk size or Content-Length) is asked once more, on a fresh
  connection (the first may have been poisoned by the bytes a previous answer left on it); the
  same error again is ``malformed_response``, a permanent failure (is_transient: False), not
  asked again on later runs; a chunked body whose framing breaks after part of it came is a page
  cut short there (asked again, kept as it came), not malformed. A robots.txt cut short of its announced length reads as the text
  received (the server sent it all and waits, or closed), not as "unreachable". A blank 200 to
  a page request (an empty or whitespace body, no Refresh header) is no page: ``http_error``
  with status 200, tried again on later runs (is_transient).
* ``total_timeout_s`` bounds one network exchange (connect + headers + body of one attempt); the
  politeness waits and retry back-off sleeps are outside it. A body that trickles (less than
  ``stall_min_bytes`` in any ``stall_s`` seconds, e.g. a byte every 2 s) is abandoned as stalled
  long before that: a slow-loris server costs one stall window, not the total timeout.
* Redirects are followed here, hop by hop, each target judged like a first URL (scheme, SSRF
  guard, robots.txt); httpx never sees a Location (_LocationKept). Cookies a server sets are sent
  back to that origin for the rest of the call, as a browser does, so a cookie check (302 to the
  same URL with Set-Cookie) passes; coming back to a URL is a loop only when no cookie was set
  since. Stored validators (ETag, Last-Modified) that cannot be sent back are left out, and an
  empty 200 to a conditional GET is asked again without them.
* One run is bounded as a whole: ``deadline_at`` (wall clock) ends every request of a fetch_all
  call (not-yet-sent ones come back as ``deadline``), and a HostBook shared by the run's calls
  skips a host (name and port) once it has timed out ``max_timeouts`` times in a row, or its last
  ``max_busy`` answers were all 429/503, or while it asked us to wait with a Retry-After beyond
  ``max_retry_after_s`` (``host_skipped``, unsent; a URL it had answered keeps that answer).
* Politeness is per host name (lower case, IDNA, no trailing dot: "Example.COM.:80" is
  "example.com"), and per run: the HostBook keeps each host's next start (interval, crawl-delay,
  and the wait of a 429/503, which holds for the host's other URLs too) and the robots.txt rules
  read, for every fetch call of the run. A robots.txt Crawl-delay beyond ``max_crawl_delay_s``
  (what a run waits between two requests) is honoured, not capped: one new request to the host per
  fetch call (the feeds, the pages), its other URLs ``host_skipped`` with their retry_at, the wait
  kept in host_waits for the next runs (HostBook.spaced).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import ipaddress
import logging
import random
import re
import select
import socket
import ssl
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin

import brotli
import certifi
import httpcore
import httpx

from tasks import progress
from tasks.botcheck import bot_check
from tasks.health import FEED_CUT_SHORT, ROBOTS_UNAVAILABLE
from tasks.maintenance import maintenance_page
from tasks.models import FetchResult
from tasks.robots import RobotsRules, cut_robots_body, parse_robots, robots_text, utf16_codec
from tasks.urls import host_key as urls_host_key
from tasks.urls import idna_host, scrub_credentials, strip_credentials

DEFAULT_USER_AGENT = "akhbar/0.1 (+https://github.com/akhbar-news/akhbar; Arabic news research)"
_ROBOTS_TOKEN = "akhbar"
# HTTP statuses that say "try again later": retried within a run (max_retries) and, if they
# persist, on later runs (is_transient). 52x are CDN answers for an unreachable origin.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
_RETRY_STATUSES = TRANSIENT_STATUSES
_NO_CONTENT = frozenset({204, 205})
EMPTY_PAGE = "HTTP 200 with an empty body"  # the error of a blank page (is_transient)
# The warning of a page kept as it came after every attempt of the run was cut short (outcome ok:
# its text is stored, the warning with it and in run_errors, tasks.queue)
CUT_PAGE = "page cut short"
MAINTENANCE_PAGE = "HTTP 200 with a maintenance page"  # the error of one (is_transient)
_CUT_KEPT = frozenset({"page", "feed"})  # the kinds whose body cut in transfer is kept as it came (_Cut)
_MIN_CUT_PAGE = 512  # bytes of markup a cut page must bring to be kept at all
_ROBOTS_UNAVAILABLE = ROBOTS_UNAVAILABLE  # tasks.health counts it a temporary failure
MAX_REMEMBERED_WAIT_S = 86400.0  # a longer Retry-After is remembered as a day
_ALLOWED_SCHEMES = frozenset({"http", "https"})
# Page content types we can extract text from; anything else (pdf, images, archives...) is refused.
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml",
                         "application/octet-stream", "binary/octet-stream", ""})
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"),
    (b"PK\x03\x04", "zip"), (b"\x1f\x8b", "gzip"), (b"ID3", "mp3"), (b"\x00\x00\x00", "video/binary"),
    # what else outlets link from a story and servers label text/html: Word/Excel 97 files,
    # WebP/AVI/WAV, archives, fonts, Matroska/WebM, Ogg, ICO, TIFF
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ms-office (doc/xls/ppt)"), (b"RIFF", "riff (webp/avi/wav)"),
    (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"wOFF", "woff font"), (b"wOF2", "woff2 font"),
    (b"\x1a\x45\xdf\xa3", "matroska/webm"), (b"OggS", "ogg"), (b"\x00\x00\x01\x00", "ico"), (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"), (b"\x7fELF", "executable"), (b"MZ\x90\x00", "executable"),
)


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0  # per attempt: connect + headers + whole body
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    max_redirects: int = 5
    max_retries: int = 2
    backoff_base_s: float = 1.0  # waits base * 2**n (+ jitter), n = 0, 1, ...
    backoff_max_s: float = 30.0
    per_host_min_interval_s: float = 1.0
    per_host_concurrency: int = 2
    global_concurrency: int = 16
    respect_robots: bool = True
    max_crawl_delay_s: float = 30.0
    allow_private_networks: bool = False  # True lets loopback through (tests); other private ranges stay blocked
    max_retry_after_s: float = 120.0  # a longer Retry-After ends the fetch (http_error) instead of waiting
    verify_tls: bool = True
    # A body delivering less than stall_min_bytes in any stall_s seconds is abandoned (timeout).
    stall_s: float = 10.0
    stall_min_bytes: int = 1024
    # Wall-clock time (time.time()) after which no request of the call starts and running ones stop.
    deadline_at: float | None = None


@dataclass(frozen=True)
class FetchRequest:
    url: str
    kind: Literal["feed", "page"] = "page"
    etag: str | None = None
    last_modified: str | None = None
    # Cookie header for the URL's own host (never sent on a hop to another host): the cookies a
    # cookie-check page set before its refresh back to the page (tasks.pages).
    cookie: str | None = None


# name=value of each cookie in a Set-Cookie header (httpx joins several with ", "; an Expires
# date's comma is followed by a day number, not by name=)
_SET_COOKIE_RE = re.compile(r"(?:^|,)\s*([!#$%&'*+.^`|~\w-]+)=([^;,]*)")


def cookies_set(headers: dict[str, str]) -> str | None:
    """The Cookie header a browser sends back after a response with these (lower-case) headers."""
    pairs = [f"{m.group(1)}={m.group(2).strip()}" for m in _SET_COOKIE_RE.finditer(headers.get("set-cookie", ""))]
    value = "; ".join(dict.fromkeys(pairs))
    return _sendable(value)


class Blocked(Exception):
    """URL refused by the scheme check or the SSRF guard (never sent)."""


class _TooLarge(Exception):
    pass


class _BadContent(Exception):
    pass


class _Unsupported(Exception):
    pass


class _Stalled(Exception):
    pass


class _Cut(Exception):
    """A page whose transfer was cut (the server closed before its length or last chunk, its
    compressed stream ended early, or it stops inside a tag): retried, and kept as it came when
    every attempt of the run was cut (CUT_PAGE). A feed cut in its transfer the same way
    (kind "feed"): its complete items are kept (tasks.feeds), with FEED_CUT_SHORT."""

    def __init__(self, why: str, ex: _Exchange, kind: str = "page") -> None:
        super().__init__(why)
        self.ex = ex
        self.kind = kind


class _HostSkipped(Exception):
    def __init__(self, why: str, until: datetime | None) -> None:
        super().__init__(why)
        self.until = until


# --- the run's knowledge of hosts ------------------------------------------------------------


def host_key(url: str | httpx.URL) -> str:
    """The server a URL names, as `host:port` (default port filled in): the unit of the per-host
    timeout rule and of Retry-After waits (the host_waits table). The host is tasks.urls'
    one spelling (lower case, no trailing dot, IDNA A-labels), as everywhere else in the
    warehouse; httpx spells an IDN host in Unicode, which is what this key held before."""
    u = url if isinstance(url, httpx.URL) else httpx.URL(url)
    return f"{_host_name(u)}:{u.port or (443 if u.scheme == 'https' else 80)}"


def _host_name(url: httpx.URL) -> str:
    """The host of a URL in tasks.urls' one spelling: the unit of politeness (interval, crawl-delay)."""
    return urls_host_key(url.host) or url.host


def _server_key(key: str) -> str:
    """A host_key as stored by any version (an IDN host in Unicode before), in today's spelling."""
    host, sep, port = key.rpartition(":")
    return f"{urls_host_key(host) or host}:{port}" if sep and port.isdigit() else key


@dataclass
class HostBook:
    """What one run knows about hosts, shared by its fetch_all calls (feeds, then pages).

    A host whose requests timed out `max_timeouts` times in a row (no completed answer in
    between: a server that answers some URLs and stalls on one is not skipped) is skipped for
    the rest of the run; so is a host whose last `max_busy` answers were all 429/503 (rate
    limited, overloaded: a storm; before, every URL of the host was asked three times, 300
    requests for 100 pages). A host that asked to wait with a Retry-After beyond what a run waits --
    on robots.txt, or on two URLs in a row -- is not contacted before that time (`waits`, also
    read back from earlier runs); one URL's Retry-After holds for that URL only (FetchResult
    .retry_at). Requests to a host skipped or waited for come back as `host_skipped`, unsent.

    Politeness outlives one fetch_all call here: the robots.txt rules read per origin, and when
    each host may next be asked (its interval, a crawl-delay, a 429/503's wait) hold for every
    call of the run -- the feeds, the pages, and the follow-up of each refresh stub or cookie
    check (tasks.pages), which before read robots.txt again and asked the host regardless of
    the interval. Calls running at the same time (in other threads) share one schedule."""

    max_timeouts: int = 2
    max_busy: int = 6  # 429/503 answers in a row (two URLs' three attempts) that end a host's run
    skipped: dict[str, str] = field(default_factory=dict)  # host -> why
    waits: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # host -> (not before, why)
    new_waits: set[str] = field(default_factory=set)  # hosts whose wait this run learned
    wait_urls: dict[str, str] = field(default_factory=dict)  # host -> the URL that asked
    _timeouts: dict[str, int] = field(default_factory=dict)  # timeouts in a row, per host
    _asked: dict[str, list[tuple[datetime, str, str]]] = field(default_factory=dict)  # long waits in a row
    _busy: dict[str, int] = field(default_factory=dict)  # 429/503 answers in a row, per host
    robots: dict[str, object] = field(default_factory=dict)  # origin -> its robots.txt as read (_Robots)
    intervals: dict[str, float] = field(default_factory=dict)  # host -> its crawl-delay (capped)
    # host -> a crawl-delay beyond what a run waits between two requests (HttpSettings.max_crawl_delay_s)
    long_delays: dict[str, float] = field(default_factory=dict)
    # host name -> (not before, why, host_key, url): a long crawl-delay's next request
    deferred: dict[str, tuple[datetime, str, str, str]] = field(default_factory=dict)
    _next_start: dict[str, float] = field(default_factory=dict)  # host -> time.monotonic() of its next start

    def __post_init__(self) -> None:
        # waits read back from host_waits rows of earlier versions (an IDN host in Unicode) hold
        # under today's key; two spellings of one server keep the later time
        waits: dict[str, tuple[datetime, str]] = {}
        for key, wait in self.waits.items():
            key = _server_key(key)
            if key not in waits or wait[0] > waits[key][0]:
                waits[key] = wait
        self.waits = waits

    def claim_start(self, host: str, interval: float) -> float:
        """0 when a request to `host` may start now (the next one then `interval` later), else
        the seconds to wait before asking again."""
        with _BOOK_LOCK:
            now = time.monotonic()
            at = self._next_start.get(host, 0.0)
            if at > now:
                return at - now
            self._next_start[host] = now + interval
            return 0.0

    def defer_start(self, host: str, seconds: float) -> None:
        """No request to `host` starts within `seconds` from now."""
        with _BOOK_LOCK:
            at = time.monotonic() + seconds
            if at > self._next_start.get(host, 0.0):
                self._next_start[host] = at

    def spaced(self, url: httpx.URL) -> None:
        """A request to `url` is being sent: under a crawl-delay longer than a run waits, the
        host's next request is not before that delay from now (through host_waits, the next runs';
        in this run, each fetch call -- the feeds, the pages -- sends the host one new request, at
        the capped interval from the last: its other URLs wait for a later run instead of stalling
        this one, and the feed, asked first, does not starve the host's pages run after run)."""
        host = _host_name(url)
        delay = self.long_delays.get(host)
        if delay is None:
            return
        until = datetime.now(UTC) + timedelta(seconds=min(delay, MAX_REMEMBERED_WAIT_S))
        why = f"robots.txt asks for a Crawl-delay of {delay:g}s between requests: one new request per fetch stage"
        self.deferred[host] = (until, why, host_key(url), strip_credentials(str(url)))

    def deferral(self, host: str) -> tuple[str, datetime] | None:
        """Why a new request to `host` (its name) is left for a later run by its crawl-delay, or
        None. (The hops and retries of a request already sent go on at the run's capped interval.)"""
        deferred = self.deferred.get(host)
        if deferred and deferred[0] > datetime.now(UTC) and not ((sent := _SENT.get()) and sent[0]):
            return f"host {host} asked not to be contacted before {deferred[0]:%Y-%m-%d %H:%M:%S} UTC ({deferred[1]})", \
                deferred[0]
        return None

    def refusal(self, host: str) -> tuple[str, datetime | None] | None:
        if host in self.skipped:
            return self.skipped[host], None
        wait = self.waits.get(host)
        if wait and wait[0] > datetime.now(UTC):
            return f"host {host} asked not to be contacted before {wait[0]:%Y-%m-%d %H:%M:%S} UTC ({wait[1]})", wait[0]
        return None

    def answered(self, host: str, busy: bool = False) -> None:
        """A complete answer came (any status but a long Retry-After): the host is alive. A
        429/503 (`busy`) counts towards a storm; any other answer ends one."""
        self._timeouts.pop(host, None)
        self._asked.pop(host, None)
        if not busy:
            self._busy.pop(host, None)
            return
        n = self._busy[host] = self._busy.get(host, 0) + 1
        if self.max_busy and n >= self.max_busy and host not in self.skipped:
            self.skipped[host] = (f"host {host} answered HTTP 429/503 to its last {n} requests in this run "
                                  "(rate limited or overloaded): skipped for the rest of the run")

    def timed_out(self, host: str) -> None:
        n = self._timeouts[host] = self._timeouts.get(host, 0) + 1
        if self.max_timeouts and n >= self.max_timeouts and host not in self.skipped:
            self.skipped[host] = (f"host {host} timed out {n} times in a row in this run: "
                                  "skipped for the rest of the run")

    def asked_to_wait(self, host: str, until: datetime, why: str, url: str, whole_host: bool = False) -> None:
        """A long Retry-After for `url`; it holds for the host on robots.txt or the second in a row."""
        asked = self._asked.setdefault(host, [])
        asked.append((until, why, url))
        if whole_host or len({u for _, _, u in asked}) >= 2:
            self.wait(host, max(t for t, _, _ in asked), why, url)

    def wait(self, host: str, until: datetime, why: str, url: str | None = None) -> None:
        current = self.waits.get(host)
        if current is None or until > current[0]:
            self.waits[host] = (until, why)
            self.new_waits.add(host)
            if url:
                self.wait_urls[host] = strip_credentials(url)

    def wait_rows(self, run_id: str, now: datetime) -> list[dict]:
        """host_waits rows for the waits this run learned."""
        rows = {h: dict(host=h, not_before=self.waits[h][0], reason=self.waits[h][1], url=self.wait_urls.get(h),
                        run_id=run_id, updated_at=now) for h in self.new_waits}
        for until, why, key, url in self.deferred.values():  # the next runs keep a long crawl-delay too
            if key not in rows or until > rows[key]["not_before"]:
                rows[key] = dict(host=key, not_before=until, reason=why, url=url, run_id=run_id, updated_at=now)
        return [rows[h] for h in sorted(rows)]


_BOOK_LOCK = threading.Lock()  # a HostBook's schedule is read and set from each fetch call's thread


# --- SSRF guard ------------------------------------------------------------------------------


# What is public, as an allow-list: an address is contacted only when it lies in the public
# unicast space below and in none of the special-purpose blocks carved out of that space (IANA
# IPv4/IPv6 Special-Purpose Address Registries). Everything else -- every form not listed here,
# including ones a future reader forgets -- is refused.
# IPv4 public space is 0.0.0.0/0 minus the special blocks of _SPECIAL (the registry lists them all).
_PUBLIC_V6 = ipaddress.ip_network("2000::/3")  # IANA global unicast: the only routed IPv6 space
_SPECIAL: tuple[tuple[str, str], ...] = (
    # IPv4 (RFC 6890 and successors)
    ("0.0.0.0/8", "'this network'"), ("10.0.0.0/8", "private"), ("100.64.0.0/10", "carrier-grade NAT"),
    ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignment"), ("192.0.2.0/24", "documentation"),
    ("192.31.196.0/24", "AS112"), ("192.52.193.0/24", "AMT"), ("192.88.99.0/24", "6to4 relay"),
    ("192.168.0.0/16", "private"), ("192.175.48.0/24", "AS112"), ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"), ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    # IPv6 blocks inside 2000::/3 that are not ordinary public hosts
    ("2001::/32", "Teredo tunnel"), ("2001::/23", "IETF protocol assignment"), ("2001:db8::/32", "documentation"),
    ("2002::/16", "6to4 tunnel"), ("3fff::/20", "documentation"), ("2620:4f:8000::/48", "AS112"),
)
_SPECIAL_NETS = tuple((ipaddress.ip_network(net), label) for net, label in _SPECIAL)
_NAT64_WKP = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix: the IPv4 address is the last 32 bits
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_V6_OUTSIDE: tuple[tuple[str, str], ...] = (  # labels only, for the message: all of these are outside 2000::/3
    ("::1/128", "loopback"), ("::/128", "unspecified"), ("::/96", "IPv4-compatible (deprecated)"),
    ("64:ff9b:1::/48", "local-use NAT64"), ("100::/64", "discard-only"), ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"), ("fec0::/10", "site-local (deprecated)"), ("ff00::/8", "multicast"),
)
_V6_OUTSIDE_NETS = tuple((ipaddress.ip_network(net), label) for net, label in _V6_OUTSIDE)


def _true_loopback(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """127.0.0.0/8, ::1, or an IPv4-mapped 127.x (the same socket destination). An address that
    only embeds 127.x for a tunnel or translator (6to4, NAT64, Teredo) is not loopback."""
    if isinstance(addr, ipaddress.IPv6Address):
        if addr in _MAPPED:
            addr = addr.ipv4_mapped
        else:
            return addr == ipaddress.IPv6Address("::1")
    return addr in ipaddress.ip_network("127.0.0.0/8")


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments, asked at every hop and connection
def ip_refusal(ip: str, allow_loopback: bool = False) -> str | None:
    """Why an address must not be contacted, or None when it is a public unicast address.

    One allow-list decides (see _PUBLIC_V6 and _SPECIAL): IPv6 must be in 2000::/3;
    an IPv4-mapped address (::ffff:a.b.c.d) and a well-known-prefix NAT64 address
    (64:ff9b::a.b.c.d) are judged by the IPv4 address they reach. allow_loopback lets exactly
    true loopback through (tests, local mirrors), nothing that merely embeds 127.0.0.1."""
    try:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip)
    except ValueError:
        if "%" in str(ip):
            return f"scoped address {ip!r} (link-local zone)"
        return f"unparseable address {ip!r}"
    if allow_loopback and _true_loopback(addr):
        return None
    shown = addr
    if isinstance(addr, ipaddress.IPv6Address):
        if addr in _MAPPED or addr in _NAT64_WKP:
            via = "IPv4-mapped" if addr in _MAPPED else "NAT64"
            v4 = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
            why = _v4_refusal(v4)
            return None if why is None else f"{via} address {shown} reaches {why}"
        if addr not in _PUBLIC_V6:
            label = next((lbl for net, lbl in _V6_OUTSIDE_NETS if addr in net), "non-global")
            return f"{label} address {shown} (not IPv6 global unicast)"
        for net, label in _SPECIAL_NETS:
            if net.version == 6 and addr in net:
                return f"{label} address {shown}"
        return None
    return _v4_refusal(addr)


def _v4_refusal(addr: ipaddress.IPv4Address) -> str | None:
    for net, label in _SPECIAL_NETS:
        if net.version == 4 and addr in net:
            return f"{label} address {addr}"
    return None


async def _resolve(host: str, port: int) -> list[str]:
    """All addresses of a host (tests replace this to simulate DNS without traffic)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def _safe_addresses(host: str, port: int, allow_loopback: bool, timeout: float | None) -> list[str]:
    host = host.strip("[]")
    try:
        ips = [str(ipaddress.ip_address(host))]  # a literal (a scoped fe80::1%eth0 is refused by ip_refusal)
    except ValueError:
        try:
            ips = await asyncio.wait_for(_resolve(host, port), timeout)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"DNS lookup failed for {host}: {exc}") from exc
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"DNS lookup timed out for {host}") from exc
    if not ips:
        raise httpcore.ConnectError(f"no address for {host}")
    for ip in ips:  # one bad address poisons the name: round-robin could pick it later
        reason = ip_refusal(ip, allow_loopback)
        if reason:
            raise Blocked(f"{host} resolves to {reason}")
    return ips


class _SocketStream(httpcore.AsyncNetworkStream):
    """A connection's network stream that looks its socket up once.

    On every request and every response closed, httpcore's pool asks each idle pooled connection
    whether the server closed it ("is_readable"); anyio answers by rebuilding the stream's whole
    attribute table (getpeername and all) each time. The answer is the same poll(2) of the same
    socket: 2,048 pages from one host over 16 connections, fetched alone, 3.2-3.4 instead of
    3.5-3.7 CPU-s (bench/RESULTS.md, One run as a stream, session 10)."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._sock = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return _SocketStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str):
        if info == "is_readable":
            return _readable(self._sock)
        return self._inner.get_extra_info(info)


def _readable(sock) -> bool:
    """Data (or end of stream) waiting on `sock`: an idle kept-alive connection the server closed."""
    fd = sock.fileno() if sock is not None else -1
    if fd == -1:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, validates and connects to the validated IP (TLS still uses the host name)."""

    def __init__(self, allow_loopback: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_loopback = allow_loopback

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options=None) -> httpcore.AsyncNetworkStream:
        ips = await _safe_addresses(host, port, self._allow_loopback, timeout)
        last: Exception | None = None
        for ip in ips:
            try:
                return _SocketStream(await self._inner.connect_tcp(
                    ip, port, timeout=timeout, local_address=local_address, socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options=None) -> httpcore.AsyncNetworkStream:
        raise Blocked("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _check_scheme(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise Blocked(f"invalid URL: {exc}") from exc
    if parsed.scheme not in _ALLOWED_SCHEMES:
        raise Blocked(f"scheme {parsed.scheme or '(none)'!r} not allowed")
    if not parsed.host.rstrip("."):
        raise Blocked("URL has no host")
    if parsed.host.endswith("."):
        # "example.com." (an absolute DNS name: a catalog URL, a Location) is the server of
        # "example.com": one politeness gate, one robots.txt, one HostBook entry, and the name its
        # TLS certificate carries (a certificate names no trailing dot; curl drops it likewise)
        try:
            parsed = parsed.copy_with(host=parsed.host.rstrip("."))
        except (httpx.InvalidURL, ValueError) as exc:
            raise Blocked(f"invalid URL: {exc}") from exc
    return parsed


def url_refusal(url: str, allow_private_networks: bool = False) -> str | None:
    """Synchronous pre-screen of a URL (scheme + resolved addresses); None when fetchable."""
    async def check() -> None:
        parsed = _check_scheme(url)
        await _safe_addresses(parsed.raw_host.decode("ascii"), parsed.port or 443, allow_private_networks, 10.0)

    try:
        asyncio.run(check())
    except Blocked as exc:
        return str(exc)
    except Exception as exc:  # DNS failure, called inside a running loop...: not proven safe
        return f"could not check: {type(exc).__name__}: {_detail(exc)}"
    return None


# --- response heads as browsers read them ------------------------------------------------------


_TOKEN_RE = re.compile(rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+")
_LENGTH_RE = re.compile(rb"\d+(?:[ \t]*,[ \t]*\d+)*")  # one length, or the same sent twice and joined
_HEADER_JUNK_RE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]+")


def _lenient_header_lines(lines: list) -> list[tuple[bytes, bytes]]:
    """A response's header lines as browsers read them, where h11 refuses the whole response:
    'Content-Type : text/html' (a space before the colon: PHP's header() called so), a line
    with no colon ('X-Powered-By PHP/5.2'), a control character in a value, 'Transfer-Encoding:
    chunked' sent twice, a transfer coding other than chunked ('identity', 'gzip, chunked'), a
    Content-Length that is no number. A name that is no token, or a line with no colon, is skipped; control
    characters in a value are dropped."""
    out: list[tuple[bytes, bytes]] = []
    folded: list[bytearray] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and folded:  # obs-fold: the previous value continues
            folded[-1] += b" " + bytes(line).strip(b" \t")
        elif line[:1] not in (b" ", b"\t"):
            folded.append(bytearray(line))
    for line in folded:
        name, sep, value = bytes(line).partition(b":")
        name = name.strip(b" \t")
        if sep and _TOKEN_RE.fullmatch(name):
            out.append((name, _HEADER_JUNK_RE.sub(b"", value).strip(b" \t")))
    # "Transfer-Encoding: chunked" twice (an application's header and its server's own): one
    # chunked body all the same, as browsers read it; h11 refused the whole response. So it did
    # a coding other than chunked: "identity" (RFC 2616's, still sent by old Java and embedded
    # servers: the body is as it is) or "gzip, chunked" (the gzip layer is undone with the body's,
    # _Decompressor.finish). One "chunked" is kept if it was there, else the length or the close
    # ends the body.
    # A Content-Length that is no number ("-1", "abc", "+1234": a script's own header) is no
    # length to browsers: the body ends with the connection (or, kept alive, see _stream).
    out = [(name, value) for name, value in out
           if name.lower() != b"content-length" or _LENGTH_RE.fullmatch(value)]
    te = [i for i, (name, _) in enumerate(out) if name.lower() == b"transfer-encoding"]
    codings = [c.strip().lower() for i in te for c in out[i][1].split(b",") if c.strip()]
    if te and codings != [b"chunked"]:
        out = [line for i, line in enumerate(out) if i not in te]
        if b"chunked" in codings:
            out.append((b"Transfer-Encoding", b"chunked"))
    return out


_STATUS_VERSION_RE = re.compile(rb"HTTP/(\d{1,2})(?:\.(\d{1,2}))?[ \t]+(?=\d{3}(?:[ \t]|$))")


def _install_lenient_response_heads() -> None:
    """Swap h11's reader of response heads (client side only: what a server reads from its
    clients is untouched) for one that repairs what browsers read through: the header lines
    above, and a status line in lower case ('http/1.1 200 OK'). A head still unreadable is
    refused as before. Skipped when h11's internals are not the ones this was written for."""
    try:
        from h11._events import InformationalResponse, Response
        from h11._readers import READERS, status_line_re
        from h11._state import IDLE, SEND_RESPONSE, SERVER
        from h11._util import LocalProtocolError
    except ImportError:  # another h11: keep its own reader
        return

    def read_response_head(buf):
        lines = buf.maybe_extract_lines()
        blank = 0
        while lines == [] and blank < 4:
            # an empty line before the status line (the CRLF a previous answer of the connection
            # left after its counted body): skipped, as browsers skip it; before, the answer was
            # lost ("no response line received") and asked again on a new connection
            blank += 1
            lines = buf.maybe_extract_lines()
        if lines is None:
            if not blank and buf.is_next_line_obviously_invalid_request_line():
                raise LocalProtocolError("illegal request line")
            return None
        if not lines:
            raise LocalProtocolError("no response line received")
        first = bytes(lines[0])
        if 0 < (at := first[:9].upper().find(b"HTTP/")) <= 4:
            first = first[at:]  # a few bytes before it (a byte-order mark): Chrome skips up to 4
        if first[:5].upper() == b"HTTP/":
            first = b"HTTP/" + first[5:].rstrip(b" \t")
        if v := _STATUS_VERSION_RE.match(first):
            # "HTTP/2.0 200 OK", "HTTP/2 200" (a proxy writing the version of its other side),
            # "HTTP/1.1  200" (two spaces), tabs between the parts: read as browsers read them
            # (a version above 1.1 is 1.1, "HTTP/1" is 1.0)
            version = b"1.1" if (int(v[1]), int(v[2] or 0)) >= (1, 1) else b"1.0"
            rest = first[v.end():]
            reason = rest[3:].lstrip(b" \t")
            first = b"HTTP/" + version + b" " + rest[:3] + (b" " + reason if reason else b"")
        m = status_line_re.fullmatch(first)
        if m is None:
            raise LocalProtocolError(f"illegal status line: {first[:200]!r}")
        status = int(m["status_code"])
        cls = InformationalResponse if status < 200 else Response
        return cls(headers=_lenient_header_lines(lines[1:]), _parsed=True, status_code=status,
                   reason=m["reason"] or b"", http_version=m["http_version"] or b"1.1")

    for state in (IDLE, SEND_RESPONSE):
        if (SERVER, state) in READERS:
            READERS[(SERVER, state)] = read_response_head


_install_lenient_response_heads()

# A response head is read up to what Chrome reads (net's 256 KiB header buffer): a news site's
# Set-Cookie and Content-Security-Policy lines can reach 100-200 KB between them (a consent
# platform's cookies, a CSP listing every ad host). httpcore stops at 100 KiB ("Receive buffer too
# long"), so such a page was a malformed_response on every run though every browser shows it. A
# longer head is still refused, with the reason named (_framing_error). Set on httpcore's HTTP/1.1
# connection class, as the lenient reader above is on h11's: no public hook sets it per client.
MAX_HEAD_BYTES = 256 * 1024
httpcore.AsyncHTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = max(
    MAX_HEAD_BYTES, getattr(httpcore.AsyncHTTP11Connection, "MAX_INCOMPLETE_EVENT_SIZE", 0))


# --- body decoding ---------------------------------------------------------------------------


class _Decompressor:
    """Content-Encoding decoder whose output per call is bounded (zlib max_length)."""

    def __init__(self, content_encoding: str, text: bool = False) -> None:
        # text: the body is plain text by nature (a robots.txt), read through when its label lies
        self.text = text
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        # "identity", and what PHP code and server configs put there that is no compression at
        # all ("Content-Encoding: UTF-8", "none", "text"): browsers pass the body through as it is
        codings = [c for c in codings if c != "identity" and not _NOT_A_CODING_RE.match(c)]
        if unknown := [c for c in codings if c not in _CODINGS]:
            raise _Unsupported(f"unsupported content-encoding {unknown[0]!r}")
        if len(codings) > 1 + _MAX_LAYERS:
            raise _Unsupported(f"stacked content-encoding {content_encoding!r}")
        # "gzip, gzip" (a CMS's output compression under the web server's): the last listed was
        # applied last, so it is undone while streaming and the others on the whole body after.
        self.inner = codings[-2::-1]
        self.coding = codings[-1] if codings else ""
        self._br: brotli.Decompressor | None = None
        if self.coding in ("gzip", "x-gzip", "deflate"):
            self._z: zlib._Decompress | None = zlib.decompressobj(_GZIP_OR_ZLIB)
        elif self.coding in ("br", ""):
            self._z = None
            self._br = brotli.Decompressor() if self.coding else None
        else:
            raise _Unsupported(f"unsupported content-encoding {self.coding!r}")
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        """Decompress ``data``; returns at most room + 1 bytes (so the caller can see the overflow)."""
        if self._first and self.coding in ("gzip", "x-gzip") and not self.inner and data[:1] != b"\x1f" \
                and _markup_start(data):
            self._z = None  # labelled gzip, sent as markup (a cache that stored the plain copy)
        if self._first and self._br is not None and data[:2] == b"\x1f\x8b":
            # labelled br, sent as gzip (the magic number says so: a CDN that relabelled an
            # origin's gzip copy, a config adding "br" to pre-compressed .gz files): read as what it is
            self._br, self._z = None, zlib.decompressobj(_GZIP_OR_ZLIB)
        if self._br is not None:
            return self._feed_br(data, room)
        if self._z is None:
            return data[: room + 1]
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error:
            if not self._first:
                raise
            try:
                if self.coding != "deflate":
                    raise
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without zlib header (old IIS)
                out = self._z.decompress(data, room + 1)
            except zlib.error:
                # labelled gzip or deflate, sent as brotli (no magic number: the stream decides),
                # the reverse mix-up of the one in the br branch; what brotli cannot read either
                # fails as before
                self._z, self._br = None, brotli.Decompressor()
                try:
                    return self._feed_br(data, room)
                except brotli.error:
                    raise zlib.error(f"neither {self.coding} nor brotli data") from None
        self._first = False
        while True:  # member by member
            while len(out) <= room and self._z.unconsumed_tail:
                out += self._z.decompress(self._z.unconsumed_tail, room + 1 - len(out))
            if len(out) > room or not self._z.eof or self._z.unused_data[:2] != b"\x1f\x8b":
                return out
            # another gzip member after the first (RFC 1952 allows several: an output buffer
            # compressing each flush on its own, files joined with cat): read on as gzip readers
            # do; before, the page stopped at the first member's end, stored as whole
            rest, self._z = self._z.unused_data, zlib.decompressobj(_GZIP_OR_ZLIB)
            out += self._z.decompress(rest, room + 1 - len(out))

    def _feed_br(self, data: bytes, room: int) -> bytes:
        """Brotli (sent although we never ask for it: a CDN's cached copy, an nginx serving its
        .br files 'always'), its output bounded like zlib's."""
        assert self._br is not None
        try:
            out = self._br.process(data, output_buffer_limit=room + 1)
        except brotli.error:
            if not (self._first and (_markup_start(data) or self.text and _plain_text(data))):
                raise
            # labelled br (or gzip / deflate, which failed first), sent as markup (a byte-order
            # mark before it too: a feed or a page a server config labels compressed whatever it
            # sends), or a robots.txt sent as plain text (before, unreachable on every run)
            self._br = None
            return data[: room + 1]
        self._first = False
        while len(out) <= room and not self._br.can_accept_more_data():
            out += self._br.process(b"", output_buffer_limit=room + 1 - len(out))
        return out

    def truncated(self, raw_seen: int) -> bool:
        if self._br is not None:
            return raw_seen > 0 and not self._br.is_finished()
        return self._z is not None and raw_seen > 0 and not self._z.eof

    def finish(self, body: bytes, cap: int) -> bytes:
        """The body with the inner content codings undone, then any gzip layer left on it: a
        body still starting with the gzip magic number (compressed twice, or gzip sent without
        Content-Encoding: a pre-compressed file, a sitemap.xml.gz) is what a browser's or a
        feed reader's second look would unpack. Bounded by `cap` like the streamed layer; a
        body that only starts like gzip is left as it is."""
        for coding in self.inner:
            try:
                body = _inflate(body, coding, cap)
            except (zlib.error, brotli.error):
                if not (_markup_start(body) or self.text and _plain_text(body)):  # stacked labels, plain body
                    raise
                break
        for _ in range(_MAX_LAYERS):
            if not body.startswith(b"\x1f\x8b\x08"):
                break
            try:
                body = _inflate(body, "gzip", cap)
            except zlib.error:
                break
        return body


_CLOSED_DOCUMENT_RE = re.compile(rb"</(?:html|rss|feed|rdf:rdf|urlset|sitemapindex)>\s*$", re.I)
_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "br"})
_NOT_A_CODING_RE = re.compile(r"^(?:none|text|plain|binary|[78]bit|utf-?8|us-ascii|(?:iso-?8859|windows|cp)[-_]?\d+)$")
_MAX_LAYERS = 2  # compression layers undone beyond the streamed one
# Either container of deflated data, told by its header (zlib's automatic detection, which curl
# uses for "gzip"): a "deflate" that is gzip and a "gzip" that is zlib (servers and output filters
# mixing the two up) are read; raw deflate without any container is tried after both fail, for
# "deflate" only (old IIS).
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS


def _markup_start(data: bytes) -> bool:
    """Whether a body starts as markup does ('<', after a byte-order mark and blanks)."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _plain_text(data: bytes) -> bool:
    """Whether the first bytes of a body are text, not a compressed stream: UTF-8 (a BOM allowed,
    a character cut at the end allowed) with no control character but tab, CR and LF. Asked
    only of a body its labelled coding (and brotli) failed to read."""
    head = data[:512].removeprefix(b"\xef\xbb\xbf")
    text = head.decode("utf-8", errors="ignore")
    return bool(text.strip()) and len(text.encode()) >= len(head) - 3 and not any(
        ch < " " and ch not in "\t\r\n" or "\x7f" <= ch < "\xa0" for ch in text)


def _whole_document(decoder: _Decompressor, raw: int, chunks: list[bytes], kind: str = "page") -> bool:
    """Whether a body cut short of what its framing announced is a whole document all the same:
    its compressed stream (if any) complete and its closing root tag (html, a feed's) at the end.
    A robots.txt has no closing tag: any text received is read as the file (RFC 9309 reads a
    prefix of an over-long one the same way); before, a file whose server overstated its length on
    a kept-alive connection read as unreachable, so the host's pages were refused on every run."""
    if kind == "robots":  # text: no zero byte, but for UTF-16's (read as far as it is whole, tasks.robots)
        return raw > 0 and (not any(b"\x00" in chunk for chunk in chunks)
                            or utf16_codec(b"".join(chunks)[:6]) is not None)
    if decoder.truncated(raw):
        return False
    tail = b""
    for chunk in reversed(chunks):  # the last 64 bytes, without joining the whole body
        tail = chunk + tail
        if len(tail) >= 64:
            break
    return _CLOSED_DOCUMENT_RE.search(tail[-64:]) is not None


def _inflate(data: bytes, coding: str, cap: int) -> bytes:
    """One whole compressed body undone, at most `cap` bytes of output (zlib.error: not complete)."""
    if coding == "br":
        streamed = _Decompressor("br")
        out = streamed.feed(data, cap)
        if len(out) > cap:
            raise _TooLarge(f"body exceeds cap of {cap} bytes (after decompression)")
        if streamed.truncated(len(data)):
            raise zlib.error("compressed body ended before the end of its stream")
        return out
    z = zlib.decompressobj(_GZIP_OR_ZLIB)
    try:
        out = z.decompress(data, cap + 1)
    except zlib.error:
        if coding != "deflate":
            raise
        z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without zlib header
        out = z.decompress(data, cap + 1)
    if len(out) > cap:
        raise _TooLarge(f"body exceeds cap of {cap} bytes (after decompression)")
    if not z.eof:
        raise zlib.error("compressed body ended before the end of its stream")
    return out


_BODY_TAG_RE = re.compile(rb"<body[\s>]", re.I)


def _usable(body: bytes) -> bool:
    """A cut page worth keeping: enough of an HTML document for its text to be read, its <body> begun (a
    page cut inside its <head>, preloads and meta tags, holds no story: asked again by later runs)."""
    return (len(body) >= _MIN_CUT_PAGE and _HTML_MARKUP_RE.search(body[:4096]) is not None
            and (_BODY_TAG_RE.search(body) is not None or re.search(rb"<head[\s>]", body[:4096], re.I) is None))


def _sniff_binary(body: bytes) -> str | None:
    for magic, label in _BINARY_MAGIC:
        if body.startswith(magic):
            return label
    if body[4:8] == b"ftyp":  # ISO media (mp4, mov, heic, avif) whose first box is 256+ bytes long
        return "iso media (mp4/heic/avif)"
    return None


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]", re.I)
_HTML_MARKUP_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div|h1|title)[\s>/]", re.I)


_MEDIA_TYPE_RE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+")


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header as browsers read it (WHATWG "extract a MIME
    type"): of several values (the header sent twice, by the CMS and by the server, which
    httpx joins with ", "), the last valid one; "" when none is valid ("html", "text/html
    charset=utf-8"): then the body decides, as a browser sniffs it."""
    for part in reversed(content_type.split(",")):
        essence = part.split(";")[0].strip().lower()
        if _MEDIA_TYPE_RE.fullmatch(essence):
            return essence
    return ""


def not_a_page(ctype: str, body: bytes) -> str | None:
    """Why a 200 response to a page request is not an HTML document (never stored as an
    article), or None. A feed is recognised by its root element whatever it is labelled."""
    if magic := _sniff_binary(body):
        return f"body is {magic} data, not a web page"
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    feed, html = _FEED_ROOT_RE.search(head), _HTML_MARKUP_RE.search(head)
    if feed and (html is None or feed.start() < html.start()):
        return "body is an RSS/Atom feed, not a web page"
    if ctype in _HTML_TYPES or html is not None:
        return None
    return f"content-type {ctype or '(none)'!r} and no HTML markup: not a web page"


_KEPT_BYTES_RE = re.compile(r"kept as it came \((\d+) bytes")


def kept_cut(outcome: str | None, error: str | None) -> bool:
    """Whether a page fetch is a page kept as it came after every attempt of its run was cut short
    (its text stored, CUT_PAGE in its error): later runs ask for it again (tasks.select). A feed
    kept so says FEED_CUT_SHORT: its validators are not stored (tasks.rows)."""
    return outcome == "ok" and (error or "").startswith((CUT_PAGE, FEED_CUT_SHORT))


def kept_bytes(error: str | None) -> int | None:
    """How many bytes of a kept cut page were kept (from its error), or None."""
    m = _KEPT_BYTES_RE.search(error or "")
    return int(m[1]) if m else None


def is_transient(outcome: str | None, status: int | None, error: str | None) -> bool:
    """Whether a failed page fetch may succeed later (it is tried again on later runs)."""
    if outcome in ("timeout", "connection_error", "bot_check"):
        return True
    if outcome == "http_error":  # a 304 nobody asked for (a cache's error), a 204, a blank 200: not now
        return (status in TRANSIENT_STATUSES or status == 304 or status in _NO_CONTENT
                or (status is not None and 200 <= status < 300
                    and (error or "").startswith((EMPTY_PAGE, MAINTENANCE_PAGE))))
    if outcome == "robots_disallowed":  # RFC 9309: robots.txt answering 5xx means "not now"
        return bool(error) and error.startswith(_ROBOTS_UNAVAILABLE)
    return False


# --- politeness ------------------------------------------------------------------------------


class _HostGate:
    """Per-host concurrency cap plus a minimum interval between request starts, kept in the
    run's HostBook (so the run's other fetch calls keep it too); a host that answered 429/503
    gets no request before the wait it asked for (`defer`)."""

    def __init__(self, concurrency: int, interval: float, book: HostBook, host: str) -> None:
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.lock = asyncio.Lock()
        self.interval = interval
        self.book = book
        self.host = host
        self.used = False  # a request of this fetch call has had its slot

    def defer(self, seconds: float) -> None:
        """No request to this host starts before `seconds` from now (its other URLs wait too)."""
        self.book.defer_start(self.host, seconds)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.sem:
            async with self.lock:
                while (wait := self.book.claim_start(self.host, self.interval)) > 0:
                    if self.used and (deferred := self.book.deferral(self.host)):  # a long crawl-delay:
                        raise _HostSkipped(*deferred)                              # a later run, not a wait
                    await asyncio.sleep(wait)
                self.used = True
            yield


@dataclass
class _Robots:
    parser: RobotsRules | None  # None = allow everything
    unavailable: str | None = None  # reason when robots.txt could not be read (5xx / network)
    # Outcome recorded for URLs refused because of `unavailable`: a host that cannot be reached at
    # all is a timeout / connection_error (temporary), not a robots refusal (a hard, "wrong feed" error).
    outcome: str = "robots_disallowed"
    retry_at: datetime | None = None  # robots.txt answered 429/503 with a Retry-After

    def allows(self, url: str) -> bool:
        if self.unavailable:
            return False
        return self.parser is None or self.parser.allows(url)


@dataclass
class _Exchange:
    """One completed HTTP response (body already read and decoded)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class _Run:
    """State shared by all requests of one fetch_all call."""

    settings: HttpSettings
    clients: _Clients
    global_sem: asyncio.Semaphore
    book: HostBook = field(default_factory=HostBook)
    deadline: float | None = None  # loop time
    on_result: Callable[[int, FetchResult], None] | None = None
    gates: dict[str, _HostGate] = field(default_factory=dict)
    robots: dict[str, asyncio.Task[_Robots]] = field(default_factory=dict)

    def gate(self, host: str) -> _HostGate:
        if host not in self.gates:
            s = self.settings
            interval = max(s.per_host_min_interval_s, self.book.intervals.get(host, 0.0))
            self.gates[host] = _HostGate(s.per_host_concurrency, interval, self.book, host)
        return self.gates[host]


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{_host_name(url)}{port}"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    if m := re.fullmatch(r"(\d+)(?:\s*,\s*\d+)+", value):  # sent twice (CDN and origin), joined by ", "
        return float(m.group(1))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _backoff(settings: HttpSettings, retry: int) -> float:
    base = min(settings.backoff_max_s, settings.backoff_base_s * (2**retry))
    return base * (1 + random.random() * 0.25)  # jitter so hosts are not hit in lock-step


# Set per request (each request is its own asyncio task): whether it reached the network.
_SENT: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("akhbar_sent", default=None)


async def _exchange(run: _Run, url: httpx.URL, headers: dict[str, str], cap: int, kind: str) -> _Exchange:
    """One GET through the host gate and global cap; raises on transport errors and limits."""
    s = run.settings
    async with run.gate(_host_name(url)).slot(), run.global_sem:
        if refused := run.book.refusal(host_key(url)):  # learned while this request queued
            raise _HostSkipped(*refused)
        if kind != "robots":
            run.book.spaced(url)
        if (sent := _SENT.get()) is not None:
            sent[0] = True
        async with asyncio.timeout(s.total_timeout_s):
            return await _stream(run, url, headers, cap, kind)


async def _stream(run: _Run, url: httpx.URL, headers: dict[str, str], cap: int, kind: str) -> _Exchange:
    """The response of one GET, its body read under the byte cap and the stall rule."""
    s = run.settings
    async with run.clients.stream(url, headers) as resp:
        resp_headers = {k.lower(): v for k, v in resp.headers.items()}
        if _KEPT_LOCATION in resp_headers:
            resp_headers["location"] = resp_headers.pop(_KEPT_LOCATION)
        ex = _Exchange(str(resp.url), resp.status_code, resp_headers)
        if not 200 <= resp.status_code < 300 or resp.status_code in _NO_CONTENT:
            return ex  # error bodies, redirects, 304s and 204s are not needed
        if kind == "page":
            ctype = media_type(resp.headers.get("content-type", ""))
            if ctype not in _PAGE_TYPES and not ctype.endswith("+xml"):
                raise _BadContent(f"content-type {ctype!r} is not a web page")
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap and not resp.headers.get("content-encoding") and kind != "robots":
            raise _TooLarge(f"content-length {length} exceeds cap {cap}")
        decoder = _Decompressor(resp.headers.get("content-encoding", ""), text=kind == "robots")
        chunks: list[bytes] = []
        size = raw = 0
        loop = asyncio.get_running_loop()
        window = 0  # bytes since the stall window (re)started
        last = loop.time()  # when the last bytes came
        window_end = loop.time() + s.stall_s
        stall = asyncio.timeout_at(window_end if s.stall_s else None)
        cut = False  # a robots.txt read as received, short of what its framing announced
        try:
            async with stall:
                async for data in resp.aiter_raw():
                    last = loop.time()
                    raw += len(data)
                    window += len(data)
                    if s.stall_s and window >= s.stall_min_bytes:
                        window = 0
                        window_end = last + s.stall_s
                        stall.reschedule(window_end)
                    elif s.stall_s and kind == "robots":
                        # A robots.txt whose last part came late (a slow origin behind a proxy) is
                        # read on until the server goes quiet (half a window) or closes, one window
                        # more at most: before, the window's end caught it still arriving, and the
                        # host was "unreachable" on every run. A trickle still arriving then is.
                        stall.reschedule(max(window_end, min(last + s.stall_s / 2, window_end + s.stall_s)))
                    out = decoder.feed(data, cap - size)
                    size += len(out)
                    if size > cap and kind == "robots":
                        # RFC 9309 2.5: a crawler reads at least the first 500 KiB; rules past it
                        # are lost, the prefix's still hold. Its last line may be cut: dropped.
                        head = b"".join(chunks) + out[: len(out) - (size - cap)]
                        ex.body = head[: head.rfind(b"\n") + 1]
                        return ex
                    if size > cap:
                        raise _TooLarge(f"body exceeds cap of {cap} bytes (after decompression)")
                    chunks.append(out)
        except (TimeoutError, httpx.ReadTimeout) as exc:
            # The same miscounted length or missing last chunk on a kept-alive connection: the
            # server has sent everything and waits for our next request (nginx for 75 s), we wait
            # for the rest. A whole document is kept as when the server closes; before, it was
            # lost as a timeout on every run.
            stalled = isinstance(exc, TimeoutError) and stall.expired()
            if _whole_document(decoder, raw, chunks, kind) and not (
                    kind == "robots" and stalled and loop.time() - last < s.stall_s / 2):
                # (a robots.txt still trickling in when the stall rule ends it is not a whole file
                # the server sent and then went quiet on: read as one, the rules it had not sent
                # yet were lost and the host's pages fetched as if it allowed all)
                cut = True
            elif stalled:
                raise _Stalled(f"stalled: less than {s.stall_min_bytes} bytes in {s.stall_s:g} s "
                               f"({raw} bytes of body received)") from None
            else:
                raise
        except httpx.RemoteProtocolError as exc:
            # The server closed before the Content-Length it announced (miscounted: a length taken
            # before a filter rewrote the page) or before the last chunk: a browser shows what came.
            # Kept when it is a whole document (its closing root tag came); else truncated.
            if not _whole_document(decoder, raw, chunks, kind):
                # a chunk framing error after part of the body came (a proxy or a CMS's output
                # buffer breaking the chunked stream mid-page) cuts the page there, as a close
                # does: what came is kept if every attempt ends so; before, it was a permanent
                # malformed_response and the page's text was lost on every run
                # (a feed alike: its complete items are read, tasks.feeds; before, they were lost)
                if kind in _CUT_KEPT and (not _framing_error(exc) or raw > 0 and "chunk" in str(exc)):
                    raise _Cut(f"{exc} ({raw} bytes of body received)", _partial(ex, decoder, chunks, cap),
                               kind) from None
                raise
            cut = True
        if decoder.truncated(raw):
            if kind in _CUT_KEPT:
                raise _Cut(f"compressed body ended before the end of its stream ({raw} bytes received)",
                           _partial(ex, decoder, chunks, cap), kind)
            if kind != "robots":
                raise httpx.RemoteProtocolError("compressed body ended before the end of the stream")
            # a gzipped robots.txt cut short (the server closed, or went quiet, before the end of
            # its stream): read as received, as one sent uncompressed
            cut = True
        ex.body = decoder.finish(b"".join(chunks), cap)
        if cut and kind == "robots":
            # its whole lines, and a last line cut in two only when it forbids (tasks.robots): a
            # cut "Allow: /news/" read "Allow: /", and the host's every page was allowed
            ex.body = cut_robots_body(ex.body)
        if cut and kind == "robots" and not ex.body:
            raise httpx.RemoteProtocolError("robots.txt cut short before the end of its first line")
        if kind == "page" and ex.body.strip() and (why := not_a_page(ctype, ex.body)):  # empty: _fetch_one
            raise _BadContent(why)
        if kind == "page" and ex.status == 206 and (part := _partial_content(ex.headers)):
            # a 206 to a request that asked for no range (a cache or CDN answering with the
            # slice it holds): the rest of the page is missing, as if the server had closed early
            raise _Cut(f"HTTP 206 Partial Content to a request for the whole page ({part})", ex)
        if kind == "page" and (why := _unfinished_document(ex.body)):
            # whole by its framing (the length was what came, or the last chunk was sent) and
            # cut all the same: a proxy or a cache holding what its origin sent before it died
            raise _Cut(f"the page ends before its end ({why}; {len(ex.body)} bytes)", ex)
        if kind == "page" and _ends_inside_a_tag(ex.body):
            # the framing was kept and the page still stops mid-tag ('<div cla'): a Content-Length
            # understated (counted before a filter added to the page: the rest was cut off by it),
            # or a page written out while the CMS rewrote its cache file
            if (network := resp.extensions.get("network_stream")) is not None:
                await network.aclose()  # what follows the length would poison the connection's next answer
            raise _Cut(f"the page ends inside a tag ({len(ex.body)} bytes)", ex)
        return ex


_OPEN_TAG_AT_END_RE = re.compile(rb"<[A-Za-z/!][^<>]{0,2000}$")


def _ends_inside_a_tag(body: bytes) -> bool:
    """An HTML page that stops inside a tag (its last '<' opens a tag never closed), with no
    closing html tag: a cut, which no page is written as."""
    tail = body[-2048:].rstrip()
    return bool(tail) and _OPEN_TAG_AT_END_RE.search(tail) is not None and b"</html" not in tail.lower()


_CONTENT_RANGE_RE = re.compile(r"\s*bytes\s+(\d+)\s*-\s*(\d+)\s*/\s*(\d+|\*)\s*$", re.I)


def _partial_content(headers: dict[str, str]) -> str | None:
    """The range of a 206 answer when it is not the whole page ('bytes 0-999 of 5000'), else None
    (a Content-Range covering every byte, or none at all: read as the page a 200 would be)."""
    m = _CONTENT_RANGE_RE.match(headers.get("content-range", ""))
    if m is None:
        return None
    first, last, total = int(m[1]), int(m[2]), m[3]
    if first == 0 and total != "*" and last + 1 >= int(total):
        return None
    return f"bytes {first}-{last} of {total}"


# The shape of an HTML document cut where a tag ended (bench figures: README, "Hostile web"):
# its <body> begun, neither </body> nor </html> reached, and either an <article> or <main> never
# closed with no footer past the first closed one, or two or more <div> more opened than closed
# with no footer at all. Whole pages that leave out </body></html> (HTML allows it) end past their
# footer with their blocks closed: on every page of the corpus (1,676, bench/cut_shape.py) the rule
# calls none cut, and 3 when their </body></html> are taken out; it finds 2 in 3 pages cut at a
# random tag end, 4 in 5 of those cut in the first half of their body.
_BODY_START_RE = re.compile(rb"<body[\s>]", re.I)
_HTML_START_RE = re.compile(rb"<html[\s>]", re.I)
_DOCUMENT_END_RE = re.compile(rb"</(?:body|html)\s*>", re.I)
_FOOTER_RE = re.compile(rb"<footer[\s>]|<[a-z][^<>]{0,400}?\b(?:id|class)\s*=\s*[\"']?[^\"'<>]{0,200}?footer"
                        rb"|<!--\s*/?\s*(?:end\s*(?:of\s*)?)?[#.]?footer", re.I)
_DIV_OPEN_RE = re.compile(rb"<div[\s>]", re.I)
_DIV_CLOSE_RE = re.compile(rb"</div\s*>", re.I)
_CONTAINER_OPEN_RE = re.compile(rb"<(article|main)[\s>]", re.I)
_CONTAINER_CLOSE_RE = re.compile(rb"</(article|main)\s*>", re.I)


# Elements whose content is not markup (or not the page's): a script's strings, a style, a
# template, a noscript fallback, a comment. jQuery's $('<div class="share">') or a template
# string '<div class="card"><div>' opens no element of the page: counted, it made a whole page
# that leaves out </body></html> a cut page (three requests, a false warning).
_RAW_TEXT_OPEN_RE = re.compile(rb"<(script|style|template|noscript|textarea)[\s>]|<!--", re.I)
_RAW_TEXT_CLOSE_RE = {name: re.compile(rb"</" + name + rb"\s*>", re.I)
                      for name in (b"script", b"style", b"template", b"noscript", b"textarea")}
_COMMENT_CLOSE_RE = re.compile(rb"--!?>")  # "--!>" ends one too, as browsers read it


def _markup_only(body: bytes, at: int) -> tuple[bytes, str | None]:
    """The body with its raw-text elements and comments past `at` blanked out, every other byte at
    its place (one pass: each search goes on past the element's end), and the element it ends
    inside, never closed ('script', 'comment'), or None."""
    parts, pos = [body[:at]], at
    while (m := _RAW_TEXT_OPEN_RE.search(body, pos)) is not None:
        close = (_COMMENT_CLOSE_RE if m[1] is None else _RAW_TEXT_CLOSE_RE[m[1].lower()]).search(body, m.end())
        if close is None:
            parts += [body[pos:m.start()], b" " * (len(body) - m.start())]
            return b"".join(parts), "comment" if m[1] is None else m[1].lower().decode()
        parts += [body[pos:m.start()], b" " * (close.end() - m.start())]
        pos = close.end()
    parts.append(body[pos:])
    return b"".join(parts), None


def _unfinished_document(body: bytes) -> str | None:
    """Why an HTML page whose framing was whole is cut all the same (see above), or None."""
    start = _BODY_START_RE.search(body) or _HTML_START_RE.search(body)
    if start is None or _DOCUMENT_END_RE.search(body, start.end()) is not None:
        return None
    at = start.end()
    footers = [m.start() for m in _FOOTER_RE.finditer(body, at)]  # a "<!-- footer -->" marker counts
    body, inside = _markup_only(body, at)  # tags are counted in markup only
    if inside in ("script", "style"):  # a browser would read the rest of the page as code (a comment: as none)
        return f"no </body>, no </html>, ends inside a {inside} never closed"
    events = sorted([(m.start(), 1, m[1].lower()) for m in _CONTAINER_OPEN_RE.finditer(body, at)]
                    + [(m.start(), -1, m[1].lower()) for m in _CONTAINER_CLOSE_RE.finditer(body, at)])
    unclosed = [name.decode() for name in (b"article", b"main") if sum(d for _, d, n in events if n == name) > 0]
    first_close = next((pos for pos, d, _ in events if d < 0), None)
    # a footer inside the story (a Drupal node's <footer class="submitted">) or a header's
    # "menu-footer" comes before the story's container closes: only one past it is the page's
    if unclosed and (first_close is None or not any(f > first_close for f in footers)):
        return f"no </body>, no </html>, <{unclosed[0]}> never closed, no footer after it"
    open_divs = len(_DIV_OPEN_RE.findall(body, at)) - len(_DIV_CLOSE_RE.findall(body, at))
    if open_divs >= 2 and not footers:
        return f"no </body>, no </html>, {open_divs} <div> never closed, no footer"
    return None


def _partial(ex: _Exchange, decoder: _Decompressor, chunks: list[bytes], cap: int) -> _Exchange:
    """The exchange with the body as it came (inner codings undone when they can be)."""
    body = b"".join(chunks)
    try:
        body = decoder.finish(body, cap)
    except (zlib.error, brotli.error, _TooLarge):
        pass
    return _Exchange(ex.url, ex.status, ex.headers, body)


async def _robots_for(run: _Run, url: httpx.URL) -> _Robots:
    key = _origin(url)
    if isinstance(known := run.book.robots.get(key), _Robots):  # read by an earlier call of the run
        return known
    if key not in run.robots:
        run.robots[key] = asyncio.create_task(_load_robots(run, url))
    robots = await asyncio.shield(run.robots[key])  # one request's deadline must not cancel it for all
    if robots.unavailable is None:  # rules read (or none: 4xx); a failure is tried again by the next call
        run.book.robots[key] = robots
    return robots


async def _load_robots(run: _Run, url: httpx.URL) -> _Robots:
    """Fetch robots.txt once per origin (RFC 9309: 4xx = allow all, 5xx/unreachable = disallow all;
    redirects followed up to max_redirects hops, a loop or more hops = allow all, as a 4xx)."""
    s = run.settings
    target = url.copy_with(path="/robots.txt", query=None, fragment=None)
    # what we send everywhere (httpx's default would offer whatever decoders happen to be installed)
    headers = {"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"}
    seen: set[str] = set()
    try:
        while True:
            if str(target) in seen or len(seen) > s.max_redirects:
                # A loop (http <-> https, a login page and back) or more hops than we follow:
                # RFC 9309 2.3.1.2 lets a crawler take such a robots.txt as unavailable, i.e. as
                # a 4xx, no rules (Google reads it as a 404). Before: "disallow all", a permanent
                # robots refusal of every page of the host, counted hard against its feeds, and
                # six requests for robots.txt on every run.
                return _Robots(None)
            seen.add(str(target))
            await _guard(run, target)
            ex = await _exchange(run, target, headers, s.max_robots_bytes, "robots")
            location = ex.headers.get("location")
            if 300 <= ex.status < 400 and location:
                target = _check_scheme(_redirect_target(str(target), location))
                continue
            break
    except Blocked as exc:
        return _Robots(None, f"robots.txt redirect refused: {exc}")
    except _HostSkipped as exc:
        return _Robots(None, str(exc), "host_skipped", exc.until)
    except Exception as exc:  # network, timeout, decoding: RFC 9309 "unreachable"
        outcome, _, _ = _classify(exc)
        if outcome == "timeout":
            run.book.timed_out(host_key(target))
        if outcome == "error":
            # a body we cannot decode (zstd, 'compress', a coding's data corrupt): the host's pages
            # wait for a later run (a temporary refusal, is_transient), as for a 5xx; before, each
            # was refused for good on the first run, and a host that fixes its server never read
            return _Robots(None, f"{_ROBOTS_UNAVAILABLE} (unreadable: {type(exc).__name__}: {_detail(exc)})")
        return _Robots(None, f"robots.txt unreachable: {type(exc).__name__}: {_detail(exc)}".rstrip(": "),
                       outcome if outcome in ("timeout", "connection_error") else "robots_disallowed")
    until = _remember_wait(run, target, ex, "robots.txt")
    if ex.status == 429 or ex.status >= 500:
        return _Robots(None, f"{_ROBOTS_UNAVAILABLE} (HTTP {ex.status})", retry_at=until)
    if ex.status >= 400:
        return _Robots(None)
    if not 200 <= ex.status < 300:
        return _Robots(None, f"robots.txt unexpected HTTP {ex.status}")
    rules = parse_robots(robots_text(ex.body, ex.headers.get("content-type")), _ROBOTS_TOKEN)
    if rules.crawl_delay:
        gate = run.gate(_host_name(url))
        delay = run.book.intervals[_host_name(url)] = min(rules.crawl_delay, s.max_crawl_delay_s)
        gate.interval = max(gate.interval, delay)
        if rules.crawl_delay > s.max_crawl_delay_s:
            # 'Crawl-delay: 120' (or 3600): honoured, not cut to what a run waits (before: read as
            # 30 s, asked four times as often as the site allows) and not waited for (a run would
            # stall on one host): one request per run, the host's other URLs left for later runs
            # (host_skipped with their retry_at, the wait kept in host_waits).
            run.book.long_delays[_host_name(url)] = rules.crawl_delay
    return _Robots(rules)


async def _guard(run: _Run, url: httpx.URL) -> None:
    """Pre-flight SSRF check of one hop (the connection itself is checked again in the backend)."""
    host = url.raw_host.decode("ascii")  # IDNA A-label form: what DNS and the connection see
    await _safe_addresses(host, url.port or (443 if url.scheme == "https" else 80),
                          run.settings.allow_private_networks, run.settings.connect_timeout_s)


def _result(req: FetchRequest, final_url: str, outcome: str, started: float, attempts: int,
            status: int | None = None, error: str | None = None, ex: _Exchange | None = None,
            retry_at: datetime | None = None) -> FetchResult:
    # user:password@ (from a catalog URL or a redirect's Location) never leaves this module
    return FetchResult(
        url=strip_credentials(req.url), final_url=strip_credentials(final_url), outcome=outcome, status=status,
        error=scrub_credentials(error),
        body=ex.body if ex and outcome == "ok" else b"", headers=ex.headers if ex else {},
        elapsed_ms=int((time.monotonic() - started) * 1000), attempts=attempts, fetched_at=datetime.now(UTC),
        retry_at=retry_at,
    )


def _remember_wait(run: _Run, url: httpx.URL, ex: _Exchange, what: str) -> datetime | None:
    """The not-before time of a 429/503 with Retry-After (None for any other answer). One beyond
    what a run waits for is told to the HostBook (robots.txt's, or a second URL's in a row, holds
    for the whole host); any other complete answer tells it the host is alive."""
    wait = _retry_after(ex.headers.get("retry-after")) if ex.status in (429, 503) else None
    if wait is None or wait <= run.settings.max_retry_after_s:
        run.book.answered(host_key(url), busy=ex.status in (429, 503))
    if wait is None:
        return None
    # At most a day (the longest a failing feed backs off): 'Retry-After: 31536000' (a year, a
    # misconfigured maintenance page) silenced the host for a year, --ignore-backoff or not.
    # Asked again after a day, a server that still means it says so again.
    until = datetime.now(UTC) + timedelta(seconds=min(wait, MAX_REMEMBERED_WAIT_S))
    if wait > run.settings.max_retry_after_s:
        capped = f", waiting {MAX_REMEMBERED_WAIT_S / 3600:.0f} h at most" if wait > MAX_REMEMBERED_WAIT_S else ""
        run.book.asked_to_wait(host_key(url), until,
                               f"{what} answered HTTP {ex.status} with Retry-After {wait:.0f}s{capped}",
                               str(url), whole_host=what == "robots.txt")
    return until


def _detail(exc: BaseException) -> str:
    """What an exception says, or the first exception under it that says something: httpx's
    ReadError / WriteError carry no text of their own, the socket error under them does
    ("[Errno 104] Connection reset by peer"); before, the failure row said only "ReadError"."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen and not str(cause).strip():
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return str(cause).strip() if cause is not None else ""


def _classify(exc: BaseException) -> tuple[str, str, bool]:
    """(outcome, error, retryable) for an exception raised by one exchange."""
    msg = f"{type(exc).__name__}: {_detail(exc)}".rstrip(": ")
    if isinstance(exc, Blocked):
        return "blocked", str(exc), False
    if isinstance(exc, _TooLarge):
        return "too_large", str(exc), False
    if isinstance(exc, _BadContent):
        return "bad_content_type", str(exc), False
    if isinstance(exc, _HostSkipped):
        return "host_skipped", str(exc), False
    if isinstance(exc, _Stalled):
        return "timeout", str(exc), True
    if isinstance(exc, (httpx.TimeoutException, httpcore.TimeoutException)):
        return "timeout", f"{type(exc).__name__} (connect/read timeout) {exc}".strip(), True
    if isinstance(exc, TimeoutError):  # asyncio.timeout around the whole exchange
        return "timeout", "total deadline exceeded", True
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection_error", f"truncated or malformed response: {exc}", True
    if isinstance(exc, _Cut):
        return "connection_error", f"{FEED_CUT_SHORT if exc.kind == 'feed' else CUT_PAGE} (truncated response): {exc}", True
    if isinstance(exc, (httpx.TransportError, httpcore.NetworkError, httpcore.ConnectError, OSError)):
        return "connection_error", msg, True
    if isinstance(exc, (_Unsupported, zlib.error, brotli.error)):
        return "error", f"cannot decode body: {exc}", False
    return "error", msg, False


# h11's refusals of what a server wrote (a head or body framing nobody can read), as opposed to
# a connection ending early ("peer closed connection ...", "Server disconnected ..."): written
# the same way on every request, not a network accident.
_FRAMING_RE = re.compile(r"illegal (?:status|header|chunk)|malformed chunk|no response line|continuation line|"
                         r"bad Content-Length|conflicting Content-Length|Transfer-Encoding|Receive buffer too long")


def _framing_error(exc: BaseException) -> str | None:
    """The framing error a response failed with (h11's words), or None for any other failure."""
    if isinstance(exc, httpx.RemoteProtocolError) and _FRAMING_RE.search(str(exc)):
        if "Receive buffer too long" in str(exc):  # h11's words for a head past the limit
            return f"response head larger than {MAX_HEAD_BYTES // 1024} KiB (more than a browser reads)"
        return str(exc)[:300]
    return None


def _redirect_target(current: str, location: str) -> str:
    """The URL a Location sends a browser to: relative to the current URL, backslashes before
    the query read as slashes (WHATWG URL parsing of http(s) URLs: an IIS application's
    'news\\2026\\a.aspx' or 'http:\\\\host\\a' goes where a browser goes)."""
    location = location.strip()
    cut = min([i for i in (location.find("?"), location.find("#")) if i >= 0] or [len(location)])
    return urljoin(current, location[:cut].replace("\\", "/") + location[cut:])


def _sendable(validator: str | None) -> str | None:
    """A stored ETag / Last-Modified as a request header value, or None when it cannot be sent
    back: a server's validator with non-ASCII (an ETag made of a UTF-8 file name) or control
    characters would fail every later request of the feed before it is sent."""
    value = (validator or "").strip()
    return value if value and all(" " <= c <= "~" or c == "\t" for c in value) else None


async def _fetch_one(run: _Run, req: FetchRequest) -> FetchResult:
    s = run.settings
    started = time.monotonic()
    cap = s.max_feed_bytes if req.kind == "feed" else s.max_page_bytes
    headers = {"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"}
    headers["Accept"] = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
                         if req.kind == "feed" else "text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
    if etag := _sendable(req.etag):
        headers["If-None-Match"] = etag
    if last_modified := _sendable(req.last_modified):
        headers["If-Modified-Since"] = last_modified
    cookie = _sendable(req.cookie)
    current = req.url
    attempts = 0
    # URL -> cookies set so far in this chain when it was requested. A cookie check (302 to the
    # same URL with Set-Cookie, or via a check page back to it) asks again with the cookie, as a
    # browser does: coming back is a loop only when no cookie was set since (max_redirects bounds it).
    seen: dict[str, int] = {}
    cookies_set = 0
    try:
        url = _check_scheme(req.url)
        first_host = _host_name(url)
        for _hop in range(s.max_redirects + 1):
            current = str(url)
            if seen.get(current) == cookies_set:
                return _result(req, current, "redirect_loop", started, attempts, error=f"redirect loop back to {current}")
            seen[current] = cookies_set
            if refused := run.book.refusal(host_key(url)):
                return _result(req, current, "host_skipped", started, attempts, error=refused[0], retry_at=refused[1])
            await _guard(run, url)
            headers.pop("Cookie", None)
            if cookie and _host_name(url) == first_host:
                headers["Cookie"] = cookie
            if s.respect_robots:
                robots = await _robots_for(run, url)
                if not robots.allows(current):
                    why = robots.unavailable or "disallowed by robots.txt"
                    return _result(req, current, robots.outcome if robots.unavailable else "robots_disallowed",
                                   started, attempts, error=why, retry_at=robots.retry_at)
            outcome = await _attempts(run, req, url, headers, cap, started, attempts)
            if (isinstance(outcome, FetchResult) and outcome.outcome == "ok" and not outcome.body
                    and {"If-None-Match", "If-Modified-Since"} & headers.keys()):
                # An empty 200 to a conditional GET (a script that exits on a matching ETag
                # without sending 304) is no answer: ask once more without validators.
                headers = {k: v for k, v in headers.items() if k not in ("If-None-Match", "If-Modified-Since")}
                outcome = await _attempts(run, req, url, headers, cap, started, outcome.attempts)
            if (isinstance(outcome, FetchResult) and outcome.ok and req.kind == "page" and not outcome.body.strip()
                    and "refresh" not in outcome.headers):  # an empty page with a Refresh header: tasks.pages
                # A blank page (a script that died before its first byte, an origin that answered
                # nothing to its proxy): no article now, asked again on later runs. Before: an
                # article 'empty html', or (no Content-Type) a link refused as not an article,
                # both settled for good.
                outcome = _result(req, outcome.final_url, "http_error", started, outcome.attempts, outcome.status,
                                  f"{EMPTY_PAGE}: no page", _Exchange(outcome.final_url, outcome.status or 200,
                                                                     outcome.headers))
            if isinstance(outcome, FetchResult):
                return outcome
            ex, attempts = outcome
            cookies_set += "set-cookie" in ex.headers
            location = ex.headers.get("location")
            if location is None:  # 3xx without Location: nothing to follow
                return _result(req, current, "http_error", started, attempts, ex.status, "redirect without Location", ex)
            url = _check_scheme(_redirect_target(current, location))
        return _result(req, str(url), "redirect_loop", started, attempts,
                       error=f"more than {s.max_redirects} redirects")
    except Exception as exc:  # every problem becomes a result; never raise out of fetch_all
        outcome_name, error, _ = _classify(exc)
        return _result(req, current, outcome_name, started, max(attempts, 1), error=error,
                       retry_at=getattr(exc, "until", None))


async def _attempts(run: _Run, req: FetchRequest, url: httpx.URL, headers: dict[str, str], cap: int,
                    started: float, attempts: int) -> FetchResult | tuple[_Exchange, int]:
    """Try one hop with retries; returns a final result, or (redirect response, attempts)."""
    s = run.settings
    current = str(url)
    last: tuple[_Exchange, str, datetime | None] | None = None  # the HTTP answer being retried
    malformed: str | None = None  # the framing error of the previous attempt
    cut: _Exchange | None = None  # the longest cut page an attempt brought
    first_attempt = attempts
    for retry in range(s.max_retries + 1):
        attempts += 1
        wait: float | None = None
        try:
            ex = await _exchange(run, url, headers, cap, req.kind)
        except Exception as exc:
            outcome, error, retryable = _classify(exc)
            if outcome == "host_skipped":  # never sent: the attempt does not count
                if last is not None:  # the answer it had stands (a 429/503 storm skipped the host)
                    prev, why, prev_retry_at = last
                    return _result(req, prev.url, "http_error", started, attempts - 1, prev.status,
                                   f"{why}; not asked again: {error}", prev, retry_at=prev_retry_at)
                return _result(req, current, outcome, started, attempts - 1, error=error,
                               retry_at=getattr(exc, "until", None))
            last = None
            if outcome == "timeout":
                run.book.timed_out(host_key(url))
            framing = _framing_error(exc)
            if framing is not None and framing == malformed:
                # The same framing error twice in a row, the second on a fresh connection (the
                # first closed the one it came on): the server writes this URL's answer so.
                return _result(req, current, "malformed_response", started, attempts,
                               error=f"malformed response, the same on {attempts - first_attempt} attempts: {framing}")
            malformed = framing
            if isinstance(exc, _Cut) and (cut is None or len(exc.ex.body) > len(cut.body)):
                cut = exc.ex  # the most of the page any attempt brought
            if isinstance(exc, _Cut) and retry == s.max_retries and cut is not None and (
                    _usable(cut.body) if req.kind == "page" else _FEED_ROOT_RE.search(cut.body[:4096]) is not None):
                # (a feed: only a body begun as one; an HTML page cut short stays a connection_error)
                # Cut on every attempt of the run: what came is kept (its text is the article's,
                # which the feed's summary alone is not), with a warning that says so (CUT_PAGE).
                # Before: a connection_error asked on three runs, then the feed's summary for good.
                # A feed cut so keeps its complete items (tasks.feeds), not its validators (tasks.rows).
                return _result(req, cut.url, "ok", started, attempts, cut.status,
                               f"{error}; kept as it came ({len(cut.body)} bytes, cut on {attempts - first_attempt} "
                               "attempts)", cut)
            # A timeout is not retried within the run: a stalling host would cost three full
            # timeouts per URL. The page is retried on a later run (entry_queue), the feed backs off.
            if not retryable or outcome == "timeout" or retry == s.max_retries:
                return _result(req, current, outcome, started, attempts, error=error)
            await asyncio.sleep(_backoff(s, retry))
            continue
        retry_at = _remember_wait(run, url, ex, "the server")
        if 300 <= ex.status < 400 and ex.status != 304:
            return ex, attempts
        if ex.status == 304:
            if not {"If-None-Match", "If-Modified-Since"} & headers.keys():
                # Nothing to be unmodified from (a cache answering someone else's conditional
                # request): before, a feed 'not_modified' with no entries on every run, silently.
                return _result(req, ex.url, "http_error", started, attempts, 304,
                               "HTTP 304 Not Modified to a request that sent no validators (a misconfigured cache)", ex)
            return _result(req, ex.url, "not_modified", started, attempts, 304, None, ex)
        if (why := bot_check(ex.status, ex.headers, ex.body)) is not None:
            # a challenge is not passed by asking again within seconds: later runs try again
            return _result(req, ex.url, "bot_check", started, attempts, ex.status,
                           f"HTTP {ex.status}: a bot-check page ({why}), not the content", ex, retry_at=retry_at)
        if req.kind == "page" and 200 <= ex.status < 300 and (says := maintenance_page(ex.body)) is not None:
            # the site down for a deploy, saying so at 200: no article now, asked again on later runs
            return _result(req, ex.url, "http_error", started, attempts, ex.status,
                           f"{MAINTENANCE_PAGE} ({says!r}): not the content", ex)
        if ex.status in _NO_CONTENT and req.kind == "page":
            # no page now (a feed's 204 is a feed with nothing new: tasks.feeds)
            return _result(req, ex.url, "http_error", started, attempts, ex.status,
                           f"HTTP {ex.status}: no content, no page", ex)
        if 200 <= ex.status < 300:
            return _result(req, ex.url, "ok", started, attempts, ex.status, None, ex)
        error = f"HTTP {ex.status}"
        if ex.status in (429, 503) and (wait := _retry_after(ex.headers.get("retry-after"))) is not None:
            if wait > s.max_retry_after_s:
                return _result(req, ex.url, "http_error", started, attempts, ex.status,
                               f"{error}; Retry-After {wait:.0f}s exceeds cap {s.max_retry_after_s:.0f}s", ex,
                               retry_at=retry_at)
            error += f"; Retry-After {wait:.1f}s"
        pause = max(wait or 0.0, _backoff(s, retry))
        if ex.status in (429, 503):
            # "Too many requests" / "unavailable" is the host's answer, not this URL's: its other
            # URLs wait as long as this one (before, they went on at the usual interval meanwhile)
            run.gate(_host_name(url)).defer(pause)
        if ex.status not in _RETRY_STATUSES or retry == s.max_retries:
            return _result(req, ex.url, "http_error", started, attempts, ex.status, error, ex, retry_at=retry_at)
        last = (ex, error, retry_at)
        await asyncio.sleep(pause)
    raise AssertionError("unreachable")  # the loop always returns on its last iteration


# The header a redirect's Location travels under between the transport and _stream (see _LocationKept).
_KEPT_LOCATION = "x-akhbar-location"


class _LocationKept(httpx.AsyncHTTPTransport):
    """Hands a response's Location on under another name, so that httpx's client does not build
    the redirect request it would not follow anyway: building it raises for a Location it cannot
    make a URL of (`data:…`, `javascript:…`, an unparseable one) and the whole response is lost
    as a protocol error, retried as if the server were down. _stream restores the header;
    _fetch_one judges the target like any other (scheme, SSRF guard)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        locations = [v for k, v in response.headers.raw if k.lower() == b"location"]
        if locations:
            del response.headers["location"]
            response.headers[_KEPT_LOCATION] = _location_bytes(locations[0])
        refresh = [v for k, v in response.headers.raw if k.lower() == b"refresh"]
        if refresh and not refresh[-1].isascii():  # its URL, like a Location's (tasks.pages follows it)
            response.headers["refresh"] = _location_bytes(refresh[-1])
        return response


def _location_bytes(raw: bytes) -> str:
    """A Location's bytes as the URL a browser requests: bytes beyond ASCII percent-encoded as
    they are. Raw UTF-8 Arabic ('/أخبار/1') becomes its UTF-8 escapes whatever the other headers
    hold (httpx decodes all of a response's headers with one charset: one Latin-1 byte elsewhere,
    a cookie or 'X-Powered-By', turned the path into mojibake and the request into a 404); an
    IIS site's windows-1256 bytes go back as the same bytes, escaped. An Arabic host name
    (UTF-8) becomes its IDNA form, as a browser looks it up."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if (m := _LOCATION_AUTHORITY_RE.match(text)) and not m.group(2).isascii():
        userinfo, at, hostport = m.group(2).rpartition("@")
        host, colon, port = hostport.partition(":")
        if ascii_host := idna_host(host):
            raw = (text[:m.start(2)] + userinfo + at + ascii_host + colon + port + text[m.end(2):]).encode()
    return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)


_LOCATION_AUTHORITY_RE = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*:)?//([^/?#\\]*)")


class _Cookies(httpx.Cookies):
    """The client's cookie jar, which reads a response for cookies only when it sets some: httpx
    builds a urllib Request and Response around every response (URL parsed again, headers copied)
    to find none on most pages (http.cookiejar reads Set-Cookie and Set-Cookie2, nothing else)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            super().extract_cookies(response)


class _Clients:
    """One connection pool per origin, made on first use; closed together at the end of a fetch.

    A pool per origin keeps each host's kept-alive connections for its next request, however many
    hosts a run visits: one pool for all, capped at the global concurrency, closed one host's idle
    connection to open another's whenever a run had more hosts than that (32 hosts: a new TCP
    connection for most pages; on the real web a new TLS handshake), and httpcore checks every
    pooled connection on each request. At most `max_pools` pools stay open (least recently used
    idle ones are closed first), so a run over many hosts holds a bounded number of sockets."""

    def __init__(self, settings: HttpSettings, max_pools: int = 128) -> None:
        self._settings = settings
        self._max_pools = max_pools
        self._ctx = (ssl.create_default_context(cafile=certifi.where()) if settings.verify_tls
                     else ssl._create_unverified_context())
        self._backend = _GuardedBackend(settings.allow_private_networks)
        self._pools: dict[str, httpx.AsyncClient] = {}  # in order of last use
        self._busy: dict[str, int] = {}

    def _new(self) -> httpx.AsyncClient:
        s = self._settings
        per_host = max(1, s.per_host_concurrency)
        transport = _LocationKept(verify=self._ctx, trust_env=False)  # no context of its own: 17 ms
        # Swap in a pool using the guarded backend (httpx exposes no public hook for the network backend).
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=self._ctx, max_connections=per_host, max_keepalive_connections=per_host,
            # under the 5 s idle timeout of Apache's and Node's defaults: a connection the server is
            # closing at that moment would fail the request sent on it
            keepalive_expiry=4.0, network_backend=self._backend,
        )
        timeout = httpx.Timeout(connect=s.connect_timeout_s, read=s.read_timeout_s,
                                write=s.read_timeout_s, pool=s.total_timeout_s)
        client = httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False)
        client._cookies = _Cookies()  # the client's jar (its setter would wrap it in a plain httpx.Cookies)
        return client

    @asynccontextmanager
    async def stream(self, url: httpx.URL, headers: dict[str, str]) -> AsyncIterator[httpx.Response]:
        key = _origin(url)
        client = self._pools.pop(key, None) or self._new()
        self._pools[key] = client  # now the most recently used
        self._busy[key] = self._busy.get(key, 0) + 1
        try:
            await self._close_idle(keep=key)
            async with client.stream("GET", url, headers=headers) as resp:
                yield resp
        finally:
            self._busy[key] -= 1

    async def _close_idle(self, keep: str) -> None:
        while len(self._pools) > self._max_pools:
            # found and taken out with no await in between: another request's close cannot race it
            key = next((k for k in self._pools if k != keep and not self._busy.get(k)), None)
            if key is None:
                return
            await self._pools.pop(key).aclose()

    async def __aenter__(self) -> _Clients:
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self._pools.values():
            await client.aclose()
        self._pools.clear()


async def _fetch_all_async(requests: list[FetchRequest], settings: HttpSettings, book: HostBook,
                           on_result: Callable[[int, FetchResult], None] | None) -> list[FetchResult]:
    async with _Clients(settings) as clients:
        loop = asyncio.get_running_loop()
        deadline = None if settings.deadline_at is None else loop.time() + (settings.deadline_at - time.time())
        run = _Run(settings, clients, asyncio.Semaphore(max(1, settings.global_concurrency)), book, deadline, on_result)
        tasks = [_counted(run, i, req) for i, req in enumerate(requests)]
        results = await asyncio.gather(*tasks)
        for task in run.robots.values():
            task.cancel()
        return list(results)


async def _counted(run: _Run, index: int, req: object) -> FetchResult:
    result = await _safe_fetch(run, req)
    try:
        progress.advance("feeds" if getattr(req, "kind", "page") == "feed" else "pages")
    except Exception as exc:  # a display's failure: raised out of here, it lost the answer (and hung a stream)
        logging.getLogger("akhbar.http").warning("progress display failed: %r", exc)
    if run.on_result is not None:
        try:
            run.on_result(index, result)
        except Exception as exc:  # a caller's bookkeeping must not lose the other results
            logging.getLogger("akhbar.http").warning("on_result failed for %s: %r", result.url, exc)
    return result


async def _safe_fetch(run: _Run, req: object) -> FetchResult:
    if not isinstance(req, FetchRequest) or not isinstance(req.url, str):
        url = strip_credentials(str(getattr(req, "url", req)))
        return FetchResult(url=url, final_url=url, outcome="error", error="invalid FetchRequest",
                           fetched_at=datetime.now(UTC))
    sent = [False]
    _SENT.set(sent)
    started = time.monotonic()
    try:
        async with asyncio.timeout_at(run.deadline):
            return await _fetch_one(run, req)
    except TimeoutError:  # only the run's deadline reaches here: _fetch_one turns the rest into results
        url = strip_credentials(req.url)
        when = datetime.fromtimestamp(run.settings.deadline_at or time.time(), UTC)
        # Our deadline, not the server's fault: the URL is not failing, it is left for a later run.
        if sent[0]:
            error = f"the fetch stage's deadline ({when:%H:%M:%S} UTC) ended the request"
        else:
            error = f"not requested: the fetch stage's deadline ({when:%H:%M:%S} UTC) came first"
        return FetchResult(url=url, final_url=url, outcome="deadline", error=error, attempts=int(sent[0]),
                           elapsed_ms=int((time.monotonic() - started) * 1000), fetched_at=datetime.now(UTC))
    except Exception as exc:  # defensive: _fetch_one already converts errors
        url = strip_credentials(req.url)
        return FetchResult(url=url, final_url=url, outcome="error", error=scrub_credentials(repr(exc)),
                           fetched_at=datetime.now(UTC))


def _run_loop_in_thread(coro_factory: Callable[[], object]) -> list[FetchResult]:
    """Run the fetch loop in a private thread while the calling thread waits for it.

    Called from the main thread, a signal handler that raises (Prefect turns the SIGTERM of a
    cancellation into TerminationSignal; Ctrl-C is KeyboardInterrupt) would otherwise fire inside
    whatever the loop runs at that moment -- often a socket write callback, where asyncio reports
    it as a transport error and carries on: the run ignored its cancellation and went on to load.
    Here it interrupts the wait instead: the loop is cancelled (what finished was already handed
    to on_result) and the exception reaches the caller. Also right inside a running loop (an async
    Prefect task), which cannot run a second loop in its own thread."""
    box: dict[str, object] = {}
    ready = threading.Event()

    async def main():
        box["loop"], box["task"] = asyncio.get_running_loop(), asyncio.current_task()
        ready.set()
        return await coro_factory()

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="akhbar-fetch")
    future = pool.submit(contextvars.copy_context().run, asyncio.run, main())
    try:
        while not future.done():  # short waits: a signal delivered to another thread runs its handler here
            concurrent.futures.wait([future], timeout=0.1)
        return future.result()
    except BaseException:
        if not future.done() and ready.wait(1.0):
            try:
                box["loop"].call_soon_threadsafe(box["task"].cancel)  # type: ignore[union-attr]
            except RuntimeError:  # the loop has just closed
                pass
            concurrent.futures.wait([future], timeout=5.0)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def fetch_all(requests: list[FetchRequest], settings: HttpSettings | None = None, book: HostBook | None = None,
              on_result: Callable[[int, FetchResult], None] | None = None) -> list[FetchResult]:
    """Fetch every request politely; results come back in request order and this never raises.

    book: the run's HostBook, shared by its calls (a fresh one when None). on_result(i, result)
    is called as each request finishes (from the fetching thread), so a caller can keep what
    arrived even if the call is interrupted."""
    settings = settings or HttpSettings()
    book = book if book is not None else HostBook()
    if not requests:
        return []
    def coro_factory():
        return _fetch_all_async(list(requests), settings, book, on_result)

    try:
        return _run_loop_in_thread(coro_factory)
    except Exception as exc:
        now = datetime.now(UTC)
        return [FetchResult(url=getattr(r, "url", ""), final_url=getattr(r, "url", ""), outcome="error",
                            error=f"fetch_all failed: {exc!r}", fetched_at=now) for r in requests]


# --- streaming: results in request order as they arrive, a bounded window ahead of the caller ----


class _Stream:
    """State shared between fetch_stream's caller thread and the event loop thread."""

    def __init__(self, n: int, window: int) -> None:
        self.n = n
        self.window = max(1, window)
        self.results: dict[int, FetchResult] = {}
        self.taken = 0  # results the caller has taken
        self.wanted: int | None = None  # the result the caller is waiting for
        self.cond = threading.Condition()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.room: asyncio.Event | None = None  # set by the caller when it takes a result the loop waits for
        self.sleeping = False  # the loop waits for room (the caller wakes it only then)
        self.failed: BaseException | None = None
        self.done = False

    def put(self, i: int, result: FetchResult) -> None:
        with self.cond:
            self.results[i] = result
            # only the answer the caller waits for wakes it: each wake of a caller that goes back
            # to sleep handed the GIL between the threads (one a page, answers come out of order)
            if i == self.wanted:
                self.cond.notify_all()

    def take(self, i: int, stop: threading.Event | None = None) -> FetchResult | None:
        with self.cond:
            self.wanted = i
            while i not in self.results and not self.done:
                if stop is not None and stop.is_set():
                    return None
                self.cond.wait(timeout=0.2)
            self.wanted = None
            result = self.results.pop(i, None)
            self.taken = i + 1
            wake, self.sleeping = self.sleeping, False
        # only a loop waiting for room is woken: a wake-up per page cost a write to the loop's
        # self-pipe here and a turn of the loop there
        if wake and self.loop is not None and self.room is not None:
            try:
                self.loop.call_soon_threadsafe(self.room.set)
            except RuntimeError:  # the loop has finished
                pass
        return result


async def _stream_async(requests: list[FetchRequest], settings: HttpSettings, book: HostBook,
                        state: _Stream, on_result: Callable[[int, FetchResult], None] | None = None) -> None:
    loop = state.loop = asyncio.get_running_loop()
    state.room = asyncio.Event()
    async with _Clients(settings) as clients:
        deadline = None if settings.deadline_at is None else loop.time() + (settings.deadline_at - time.time())
        run = _Run(settings, clients, asyncio.Semaphore(max(1, settings.global_concurrency)), book, deadline,
                   on_result)
        tasks: list[asyncio.Task] = []

        async def one(i: int, req: FetchRequest) -> None:
            try:
                result = await _counted(run, i, req)
            except Exception as exc:  # never left without a result: the caller waits for it, the loop for room
                url = strip_credentials(getattr(req, "url", "") or "")
                result = FetchResult(url=url, final_url=url, outcome="error", error=f"fetch_stream failed: {exc!r}",
                                     fetched_at=datetime.now(UTC))
            state.put(i, result)

        try:
            for i, req in enumerate(requests):
                while i >= state.taken + state.window:  # the caller is this far behind: wait for it
                    with state.cond:  # told under the lock the caller takes results under: no lost wake-up
                        if i < state.taken + state.window:
                            break
                        state.room.clear()
                        state.sleeping = True
                    await state.room.wait()
                tasks.append(asyncio.create_task(one(i, req)))
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in run.robots.values():
                task.cancel()


def fetch_stream(requests: list[FetchRequest], settings: HttpSettings | None = None,
                 window: int = 64, stop: threading.Event | None = None,
                 book: HostBook | None = None,
                 on_result: Callable[[int, FetchResult], None] | None = None) -> Iterator[FetchResult]:
    """`fetch_all`'s results one at a time, in request order, as they arrive.

    Request i starts only once the caller has taken result i - window, so at most `window`
    responses wait in memory however long the list; politeness (per-host interval and
    concurrency, robots.txt) is that of one `fetch_all` run. The fetching runs on an event loop in
    a thread of its own; closing the iterator early cancels what is in flight, and so does `stop`
    being set (the iteration then ends early). Never raises for network or input problems (a
    failed loop gives every missing result as an error). book: the run's HostBook, as for
    fetch_all; the fetch deadline (settings.deadline_at) holds as there: requests not started by
    then come back unsent ('deadline'). on_result(i, result): as for fetch_all, called (in the
    fetching thread) as each answer arrives, in whatever order they come."""
    settings = settings or HttpSettings()
    book = book if book is not None else HostBook()
    requests = list(requests)
    if not requests:
        return
    state = _Stream(len(requests), window)

    def run() -> None:
        try:
            asyncio.run(_stream_async(requests, settings, book, state, on_result))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller as error results
            state.failed = exc
        finally:
            with state.cond:
                state.done = True
                state.cond.notify_all()

    thread = threading.Thread(target=run, name="akhbar-fetch-stream", daemon=True)
    thread.start()
    try:
        for i, req in enumerate(requests):
            result = state.take(i, stop)
            if result is None and stop is not None and stop.is_set():
                return
            if result is None:
                url = strip_credentials(getattr(req, "url", "") or "")
                result = FetchResult(url=url, final_url=url, outcome="error",
                                     error=f"fetch_stream failed: {state.failed!r}", fetched_at=datetime.now(UTC))
            yield result
    finally:
        if state.loop is not None and not state.done:
            try:
                state.loop.call_soon_threadsafe(_cancel_all, state.loop)
            except RuntimeError:
                pass
        if thread is not threading.current_thread():  # the generator can be finalised in its own
            thread.join(timeout=30)                    # fetch thread (last reference dropped there)


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()
