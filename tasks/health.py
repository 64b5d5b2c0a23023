"""Per-feed health: failure scoring, backoff and auto-disable (pure functions over feed rows).

A failure weighs 3 when it says "this URL is wrong" (not a feed, 404/410, robots.txt disallows)
and 1 when it says "try later" (timeouts, 5xx, ...); the weights add up to the failure score
that disables a feed (halved after each success), and consecutive failures back off 15 min
doubling to 24 h.

A feed URL that answered a feed before and now answers 200 with an empty body or with an HTML
page that names no other feed (a CMS's maintenance or error page, an empty answer during a
deploy), or a feed document cut short (``not_a_feed`` or ``parse_error``: it ends before its closing
tag, with no item read), is a failure all the same, but weighs 1 for OUTAGE_GRACE after its last success:
an outage of a day or two backs the feed off without disabling it. After that, or for a URL that
never answered a feed, it weighs 3 (a URL that is no feed is not tried forever), and so does an
HTML page that announces another feed URL (the feed moved: the catalog must say where).
"""

from __future__ import annotations

from datetime import datetime, timedelta

# Hard errors say "this feed is wrong" and count more than temporary ones ("try later").
HARD_OUTCOMES = {"not_a_feed", "blocked", "robots_disallowed", "bad_content_type", "too_large",
                 "redirect_loop", "parse_error"}
HARD_STATUSES = {401, 403, 404, 410, 451}
SUCCESS_OUTCOMES = {"ok", "not_modified", "unchanged"}
# Never asked in this run (the fetch deadline came first, or the run was stopped before the feed
# answered): nothing was learned about the feed, so its health and schedule stay as they were.
UNTRIED_OUTCOMES = {"deadline", "interrupted"}
# host_skipped (the host timed out repeatedly in this run, or asked us to wait) is a temporary
# failure of the feed: it backs off with its host.

BASE_BACKOFF = timedelta(minutes=15)
OUTAGE_GRACE = timedelta(days=3)
# tasks.feeds's not_a_feed errors for an answer an outage gives: no body; an HTML page announcing
# no feed of its own ("...; <parser note>" may follow, never "(it announces the feed ...)").
OUTAGE_ERRORS = ("empty body", "HTML page, not a feed")
# tasks.feeds's note on a feed document that ends before its closing tag (read mid-deploy, cut by a
# proxy): not_a_feed when the cut came before its root element, parse_error when before any item.
FEED_CUT_SHORT = "feed cut short"
MAX_BACKOFF = timedelta(hours=24)


# robots.txt answering 5xx / 429 (tasks.http): RFC 9309's "disallow all for now", not a verdict on
# the feed. Counted hard, a day of a site's broken robots.txt disabled its feeds for good.
ROBOTS_UNAVAILABLE = "robots.txt unavailable"


def is_outage_answer(outcome: str, error: str | None) -> bool:
    """An empty 200 or an HTML page with no feed link where a feed was asked for, or a feed
    document cut short."""
    if outcome in ("not_a_feed", "parse_error") and (error or "").startswith(FEED_CUT_SHORT):
        return True
    return outcome == "not_a_feed" and any(error == e or (error or "").startswith(e + ";") for e in OUTAGE_ERRORS)


def failure_weight(outcome: str, status: int | None, error: str | None = None,
                   was_feed_within_grace: bool = False) -> float:
    """was_feed_within_grace: the URL answered a feed less than OUTAGE_GRACE ago."""
    if outcome in SUCCESS_OUTCOMES:
        return 0.0
    if was_feed_within_grace and is_outage_answer(outcome, error) and status not in HARD_STATUSES:
        return 1.0
    if outcome == "robots_disallowed" and (error or "").startswith(ROBOTS_UNAVAILABLE):
        return 1.0
    if outcome in HARD_OUTCOMES or (status in HARD_STATUSES):
        return 3.0
    return 1.0


def next_feed_state(prev: dict, *, outcome: str, status: int | None, error: str | None,
                    new_entries: int, now: datetime, disable_after: float,
                    not_before: datetime | None = None) -> dict:
    """The feed's row after one attempt. prev holds the columns of the feeds table.

    not_before: the server asked not to be asked again before then (Retry-After): the feed is
    not due before it, whatever its backoff says."""
    row = dict(prev)
    if outcome in UNTRIED_OUTCOMES:
        row.update(last_outcome=outcome, last_error=error)
        for key, value in (("consecutive_failures", 0), ("failure_score", 0.0), ("disabled", False)):
            if row.get(key) is None:
                row[key] = value
        return row
    row.update(last_attempt_at=now, last_outcome=outcome, last_status=status, last_error=error)
    weight = failure_weight(outcome, status, error, was_feed_within_grace=_succeeded_since(prev, now - OUTAGE_GRACE))
    if weight == 0:
        row["last_success_at"] = now
        row["consecutive_failures"] = 0
        # Recovering feeds forget old failures gradually, not at once.
        row["failure_score"] = round((prev.get("failure_score") or 0.0) * 0.5, 3)
        row["next_fetch_at"] = now
        if new_entries:
            row["last_new_at"] = now
        return row
    failures = (prev.get("consecutive_failures") or 0) + 1
    score = (prev.get("failure_score") or 0.0) + weight
    row["consecutive_failures"] = failures
    row["failure_score"] = score
    row["next_fetch_at"] = now + min(BASE_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)
    if not_before is not None and not_before > row["next_fetch_at"]:
        row["next_fetch_at"] = not_before
    if score >= disable_after and not prev.get("disabled"):
        row["disabled"] = True
        row["disabled_reason"] = f"auto: failure score {score:g} >= {disable_after:g} (last: {outcome} {error or ''})".strip()
    return row


def _succeeded_since(row: dict, since: datetime) -> bool:
    last = row.get("last_success_at")
    if not isinstance(last, datetime):
        return False
    if (last.tzinfo is None) != (since.tzinfo is None):  # a row written naive (tests, old tools): UTC
        last, since = last.replace(tzinfo=None), since.replace(tzinfo=None)
    return last >= since


def is_due(row: dict | None, now: datetime) -> bool:
    if not row:
        return True
    if row.get("disabled"):
        return False
    nxt = row.get("next_fetch_at")
    return nxt is None or nxt <= now


def skipped_feeds(skipped_specs, states: dict[str, dict]) -> tuple[int, int, datetime | None]:
    """Why feeds were not polled: (in failure backoff, disabled, earliest next fetch of those in
    backoff), so a summary can say when they are due again."""
    backoff = disabled = 0
    next_due = None
    for spec in skipped_specs:
        row = states.get(spec.feed_id) or {}
        if row.get("disabled"):
            disabled += 1
            continue
        backoff += 1
        nxt = row.get("next_fetch_at")
        if nxt is not None and (next_due is None or nxt < next_due):
            next_due = nxt
    return backoff, disabled, next_due
