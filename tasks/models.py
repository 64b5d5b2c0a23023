"""Plain records passed between pipeline stages.

Every stage takes and returns these; none of them knows about Prefect or DuckDB.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


def stable_id(text: str) -> str:
    """Deterministic 16-hex-digit key (natural keys make reloads idempotent)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FeedSpec:
    """One feed of one outlet, as read from the catalog."""

    source_id: str
    source_name: str
    country: str
    url: str
    section: str | None = None
    language: str = "ar"
    origin: str = "unverified"  # where the URL came from (recorded catalog / unverified offline)
    region: str | None = None
    agency: str | None = None  # set when the outlet is a wire agency's own service
    # The catalog URL as written when it carries user:password@ (used only to fetch the feed);
    # `url` never does: it is what is stored, shown and exported.
    fetch_url: str | None = None

    @property
    def feed_id(self) -> str:
        return stable_id(self.url)


@dataclass
class FeedState:
    """What the warehouse remembers about a feed between runs."""

    feed_id: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    consecutive_failures: int = 0
    failure_score: float = 0.0
    next_fetch_at: datetime | None = None
    disabled: bool = False


# Fetch outcomes of URLs that were never requested in a run: nothing is known about them, so a
# feed keeps its state (or backs off with its host) and a page is fetched by a later run
# without an attempt counted.
NOT_SENT_OUTCOMES = frozenset({"host_skipped", "deadline", "interrupted"})


@dataclass
class FetchResult:
    """Outcome of one HTTP GET (after redirects and retries).

    outcome is one of: ok, not_modified, http_error, timeout, connection_error, too_large,
    blocked (SSRF guard / scheme), robots_disallowed, redirect_loop, bad_content_type, error,
    malformed_response (the same framing error -- invalid status line, chunk size, Content-Length --
    on two attempts in a row: how the server writes that URL, not retried on later runs),
    bot_check (a "prove you are a browser" page, not the content: tasks.botcheck; retried on later runs);
    or, never sent: host_skipped (the host timed out too often in this run, or asked us to wait
    with Retry-After), deadline (the run's fetch deadline came first or ended the request),
    interrupted (the run was stopped -- flow timeout, cancellation -- before an answer came).
    """

    url: str
    final_url: str
    outcome: str
    status: int | None = None
    error: str | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    elapsed_ms: int = 0
    attempts: int = 1
    fetched_at: datetime | None = None
    # Not before this time should the URL (or its host) be asked again: from a 429/503
    # Retry-After, remembered across runs (feeds.next_fetch_at, entry_queue.not_before, host_waits).
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def sent(self) -> bool:
        """Whether a request went out (host_skipped / deadline results never reached the network)."""
        return self.outcome not in NOT_SENT_OUTCOMES


@dataclass
class FeedEntry:
    """One item of a parsed feed, with its link already canonicalised."""

    feed_url: str
    source_id: str
    url: str  # canonical URL (the article key)
    raw_link: str
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    categories: list[str] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return stable_id(self.url)


@dataclass
class ParsedFeed:
    feed_url: str
    entries: list[FeedEntry]
    bozo: bool = False
    bozo_reason: str | None = None
    is_feed: bool = True
    title: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (raw link or guid, why)


@dataclass
class Extracted:
    """What extraction made of one page."""

    status: str  # ok | fallback_summary | failed | skipped
    text: str = ""
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    published_at_source: str | None = None  # evidence kind (tasks.dates): jsonld|meta|time|visible|url|feed|relative
    image: str | None = None
    section: str | None = None
    categories: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    error: str | None = None
    extractor_version: str = ""
    credits: list[str] = field(default_factory=list)  # source lines outside the body (attribution only)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class Article:
    """One row of the articles table (before dedupe fills the cluster fields)."""

    article_id: str
    url: str
    canonical_url: str
    source_id: str
    feed_url: str
    fetched_at: datetime
    extraction: Extracted
    http_status: int | None = None
    fetch_outcome: str = "ok"
    fetch_error: str | None = None
    content_hash: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    cluster_id: str | None = None
    is_canonical: bool = False
    wire_agency: str | None = None
    agency_evidence: str | None = None
    cited_agencies: list[str] = field(default_factory=list)  # agencies the text quotes, not copies
