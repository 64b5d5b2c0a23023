"""Poll feeds: conditional GETs from the stored validators, change detection by body hash,
then parsing (a run parses each feed as its answer arrives, in a thread of its own, while the
others download). Every feed ends with one FeedOutcome, success or not."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from tasks import progress
from tasks.feeds import parse_feed
from tasks.health import FEED_CUT_SHORT
from tasks.http import FetchRequest, HostBook, HttpSettings, fetch_all, kept_cut
from tasks.models import FeedSpec, FetchResult, ParsedFeed


@dataclass
class FeedOutcome:
    spec: FeedSpec
    fetch: FetchResult
    outcome: str  # fetch outcome, or unchanged / not_a_feed / parse_error after parsing
    error: str | None = None
    parsed: ParsedFeed | None = None
    body_hash: str | None = None

    @property
    def entries(self) -> int:
        return len(self.parsed.entries) if self.parsed else 0

    @property
    def cut(self) -> bool:
        """The feed came cut short (its transfer, tasks.http, or its document, tasks.feeds): its
        complete items are read, its ETag, Last-Modified and body hash are not kept (tasks.rows),
        so the next run asks for the whole feed again instead of a 304 or "unchanged"."""
        return kept_cut(self.fetch.outcome, self.fetch.error) or (
            self.parsed is not None and (self.parsed.bozo_reason or "").startswith(FEED_CUT_SHORT))


def fetch_feeds(specs: list[FeedSpec], states: dict[str, dict], http: HttpSettings, book: HostBook | None = None,
                done: dict[int, FetchResult] | None = None, parsing: dict[int, Future] | None = None,
                max_entries: int | None = None) -> list[FetchResult]:
    """One conditional GET per feed. book: the run's HostBook (shared with the page stage);
    done: filled with each result as it arrives (index of its spec), so a run stopped midway
    still knows what was fetched. parsing: filled with each feed's parse (a Future of its
    FeedOutcome, index of its spec), started as its answer arrives and run in a thread of its
    own, so the feeds are parsed while the others download (`parse_fetched(..., parsing)` takes
    them)."""
    progress.start("feeds", len(specs))
    requests = []
    for spec in specs:
        state = states.get(spec.feed_id) or {}
        requests.append(FetchRequest(url=spec.fetch_url or spec.url, kind="feed", etag=state.get("etag"),
                                     last_modified=state.get("last_modified")))
    parser = ThreadPoolExecutor(1, thread_name_prefix="akhbar-feed-parse") if parsing is not None else None

    def arrived(i: int, result: FetchResult) -> None:  # in the fetching thread
        if done is not None:
            done[i] = result
        state = states.get(specs[i].feed_id) or {}
        if parser is not None:
            parsing[i] = parser.submit(_parse_one, specs[i], result, state, max_entries)

    try:
        return fetch_all(requests, http, book, arrived)
    finally:
        if parser is not None:
            parser.shutdown(wait=False)  # the parses already asked for go on; parse_fetched waits for them


def interrupted_result(spec: FeedSpec, why: str) -> FetchResult:
    """The result of a feed whose answer never came because the run was stopped."""
    return FetchResult(url=spec.url, final_url=spec.url, outcome="interrupted", error=why, attempts=0,
                       fetched_at=datetime.now(UTC))


def parse_fetched(specs: list[FeedSpec], results: list[FetchResult], states: dict[str, dict],
                  max_entries: int | None = None, parsing: dict[int, Future] | None = None) -> list[FeedOutcome]:
    """Each feed's FeedOutcome; parsing: the parses fetch_feeds started as the answers came (the
    same max_entries), used for the results they were started for, the others parsed here."""
    outcomes = []
    for i, (spec, result) in enumerate(zip(specs, results, strict=True)):
        started = (parsing or {}).get(i)
        outcome = None
        if started is not None:
            try:
                outcome = started.result()
            except Exception:  # noqa: BLE001 - not parsed there (the parse thread was stopped): parsed here
                outcome = None
        if outcome is None or outcome.fetch is not result:
            outcome = _parse_one(spec, result, states.get(spec.feed_id) or {}, max_entries)
        outcomes.append(outcome)
    return outcomes


def _parse_one(spec: FeedSpec, result: FetchResult, state: dict, max_entries: int | None) -> FeedOutcome:
    if not result.ok:
        return FeedOutcome(spec, result, result.outcome, result.error)
    body_hash = hashlib.sha256(result.body).hexdigest()
    # Servers without validators send the same bytes again: do not re-parse them.
    if state.get("body_hash") == body_hash:
        return FeedOutcome(spec, result, "unchanged", None, body_hash=body_hash)
    try:
        parsed = parse_feed(spec, result, max_entries=max_entries)
    except Exception as exc:  # a parser bug on hostile input must not end the run
        return FeedOutcome(spec, result, "parse_error", f"{type(exc).__name__}: {exc}", body_hash=body_hash)
    # Key everything by the catalog URL, whatever redirects the fetch followed.
    parsed.feed_url = spec.url
    for entry in parsed.entries:
        entry.feed_url = spec.url
    # a feed kept as it came after every attempt was cut in transfer: the fetch says how and where
    # (tasks.http), first, so the recorded error starts with FEED_CUT_SHORT (tasks.health)
    came_cut = result.error if kept_cut(result.outcome, result.error) else None
    if parsed.is_feed and parsed.bozo and not parsed.entries:
        return FeedOutcome(spec, result, "parse_error", _joined(came_cut, parsed.bozo_reason or "malformed feed, no entries"),
                           parsed=parsed, body_hash=body_hash)
    if not parsed.is_feed:
        return FeedOutcome(spec, result, "not_a_feed", _joined(came_cut, parsed.bozo_reason or "response is not RSS/Atom/RDF"),
                           parsed=parsed, body_hash=body_hash)
    return FeedOutcome(spec, result, "ok", _joined(came_cut, parsed.bozo_reason if parsed.bozo else None),
                       parsed=parsed, body_hash=body_hash)


def _joined(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None
