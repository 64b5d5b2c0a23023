"""What a run leaves for later runs (the `entry_queue` table, migrations 0006/0009): entries the
cap deferred, pages never requested this run (host skipped, fetch deadline, run stopped), pages
to retry after a transient failure, and pages refused as not articles.

Rows are replaced by key (article_id), so an entry moves between states across runs:
deferred -> (fetched) done | retry -> ... -> done, or refused for good.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from tasks.http import CUT_PAGE
from tasks.models import NOT_SENT_OUTCOMES, FeedEntry
from tasks.rows import error_row
from tasks.select import MAX_PAGE_ATTEMPTS, Selection, is_settled

# Fetch outcomes that mean "this link is not an article" (the response is not an HTML document).
NOT_ARTICLE_OUTCOMES = frozenset({"bad_content_type"})


def _row(entry: FeedEntry, state: str, reason: str | None, run_id: str, now: datetime,
         queued_at: datetime | None = None, not_before: datetime | None = None) -> dict:
    return dict(article_id=entry.article_id, url=entry.url, feed_url=entry.feed_url, source_id=entry.source_id,
                raw_link=entry.raw_link, guid=entry.guid, title=entry.title, summary=entry.summary,
                author=entry.author, published_at=entry.published_at, categories=list(entry.categories),
                state=state, reason=reason, queued_at=queued_at or now, updated_at=now, run_id=run_id,
                not_before=not_before)


def queue_rows(run_id: str, now: datetime, picked: Selection, pages: list, known: dict[str, dict],
               max_per_feed: int | None, queued_at: dict[str, datetime] | None = None) -> list[dict]:
    """entry_queue rows for this run: new deferrals, and the new state of every page fetched
    from the queue or failing in a way that must be remembered."""
    return (run_queue_rows(run_id, now, picked, max_per_feed, queued_at)
            + page_queue_rows(run_id, now, picked, pages, known, queued_at))


def run_queue_rows(run_id: str, now: datetime, picked: Selection, max_per_feed: int | None,
                   queued_at: dict[str, datetime] | None = None) -> list[dict]:
    """The part of `queue_rows` that does not depend on fetched pages: deferrals, queue entries done."""
    queued_at = queued_at or {}
    rows: list[dict] = [_row(e, "deferred", f"cut by max_per_feed={max_per_feed}", run_id, now)
                        for e in picked.deferred]
    for entry in picked.queue_done:
        rows.append(_row(entry, "done", "stored by another feed or run", run_id, now,
                         queued_at.get(entry.article_id)))
    return rows


def page_queue_rows(run_id: str, now: datetime, picked: Selection, pages: list, known: dict[str, dict],
                    queued_at: dict[str, datetime] | None = None) -> list[dict]:
    """The part of `queue_rows` for these fetched pages (a streamed run stages it chunk by chunk)."""
    queued_at = queued_at or {}
    rows: list[dict] = []
    for page in pages:
        entry, fetch = page.entry, page.fetch
        first = queued_at.get(entry.article_id)
        if not fetch.sent:  # never requested: fetched by a later run, no attempt counted
            rows.append(_row(entry, "deferred", f"{fetch.outcome}: {fetch.error}", run_id, now, first,
                             fetch.retry_at))
            continue
        attempts = ((known.get(entry.article_id) or {}).get("fetch_attempts") or 0) + 1
        outcome = dict(fetch_outcome=fetch.outcome, http_status=fetch.status, fetch_error=fetch.error,
                       fetch_attempts=attempts)
        if fetch.outcome in NOT_ARTICLE_OUTCOMES:
            rows.append(_row(entry, "refused", fetch.error, run_id, now, first))
        elif not fetch.ok and not is_settled(outcome):
            rows.append(_row(entry, "retry", f"{fetch.outcome}: {fetch.error or fetch.status} "
                                             f"(attempt {attempts} of {MAX_PAGE_ATTEMPTS})", run_id, now, first,
                             fetch.retry_at))
        elif entry.article_id in picked.from_queue:
            rows.append(_row(entry, "done", f"fetched: {fetch.outcome}", run_id, now, first))
    return rows


def not_article_errors(run_id: str, now: datetime, pages: list) -> list[dict]:
    """A run_errors row for each link refused as not an article and each page not requested this
    run (host skipped, fetch deadline): those pages get no articles row; and a warning row for
    each page kept as it came after every attempt was cut short (its article is stored)."""
    errors = [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome=p.fetch.outcome,
                        error=f"not an article: {p.fetch.error}", at=now)
              for p in pages if p.fetch.outcome in NOT_ARTICLE_OUTCOMES]
    errors += [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome=p.fetch.outcome,
                         error=f"{p.fetch.error}; queued for a later run", at=now)
               for p in pages if not p.fetch.sent]
    errors += [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome="page_cut_short",
                         error=f"warning: {p.fetch.error}", at=now)
               for p in pages if p.fetch.ok and (p.fetch.error or "").startswith(CUT_PAGE)]
    return errors


def is_article_page(page, known: dict[str, dict]) -> bool:
    """`articles_only`'s test for one page: requested this run and not refused as not an article."""
    return page.fetch.sent and not is_refused(page, known)


def is_refused(page, known: dict[str, dict]) -> bool:
    """`articles_only`'s test for one page: a link that is not an article (this run or before)."""
    return (page.fetch.outcome in NOT_ARTICLE_OUTCOMES
            or (known.get(page.entry.article_id) or {}).get("fetch_outcome") == "refused")


def queue_tables(run_id: str, now: datetime, picked: Selection, pages: list, known: dict[str, dict],
                 max_per_feed: int | None, queued: list[dict]) -> dict[str, list[dict]]:
    """The entry_queue rows of a run, plus a run_errors row for each link refused as not an
    article and each page not requested this run (those pages get no articles row)."""
    queued_at = {r["article_id"]: r["queued_at"] for r in queued}
    return {"entry_queue": queue_rows(run_id, now, picked, pages, known, max_per_feed, queued_at),
            "run_errors": not_article_errors(run_id, now, pages)}


def articles_only(pages: list, picked: Selection, known: dict[str, dict]) -> list:
    """The fetched pages that can become articles (not a feed, a PDF, an image...). Sightings
    of refused links (this run's or earlier runs') are dropped too: they point at no article.
    Pages never requested this run (host skipped, fetch deadline) wait in the queue instead."""
    refused = {p.entry.article_id for p in pages if p.fetch.outcome in NOT_ARTICLE_OUTCOMES}
    refused |= {aid for aid, row in known.items() if row.get("fetch_outcome") == "refused"}
    picked.sightings = [e for e in picked.sightings if e.article_id not in refused]
    return [p for p in pages if p.entry.article_id not in refused and p.fetch.sent]


def queue_note(picked: Selection, rows: list[dict]) -> str | None:
    """One summary line about what this run queued and what it took from the queue."""
    retry = sum(1 for r in rows if r.get("state") == "retry")
    refused = sum(1 for r in rows if r.get("state") == "refused")
    unsent = Counter((r.get("reason") or "").split(":", 1)[0] for r in rows
                     if r.get("state") == "deferred" and (r.get("reason") or "").split(":", 1)[0] in NOT_SENT_OUTCOMES)
    parts = []
    if picked.deferred:
        parts.append(f"{len(picked.deferred)} entries deferred by --max-per-feed (fetched by the next runs)")
    if unsent:
        why = {"host_skipped": "host skipped", "deadline": "fetch deadline", "interrupted": "run stopped"}
        parts.append(f"{sum(unsent.values())} pages not requested ("
                     + ", ".join(f"{n} {why.get(k, k)}" for k, n in sorted(unsent.items()))
                     + "): queued for the next runs")
    if picked.from_queue:
        parts.append(f"{len(picked.from_queue)} queued entries of earlier runs fetched")
    if retry:
        parts.append(f"{retry} pages to retry on a later run (transient failure)")
    if refused:
        parts.append(f"{refused} links refused as not articles (not an HTML page)")
    return "; ".join(parts) or None
