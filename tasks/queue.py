"""What a run leaves for later runs (the `entry_queue` table, migrations 0006/0009): entries the
cap deferred, pages never requested this run (host skipped, fetch deadline, run stopped), pages
to retry after a transient failure, and pages refused as not articles.

Rows are replaced by key (article_id), so an entry moves between states across runs:
deferred -> (fetched) done | retry -> ... -> done, or refused for good.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from tasks.http import CUT_PAGE, kept_bytes, kept_cut
from tasks.models import NOT_SENT_OUTCOMES, FeedEntry
from tasks.rows import error_row
from tasks.select import MAX_PAGE_ATTEMPTS, Selection, cut_retry_wait, is_settled

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
        elif kept_cut(fetch.outcome, fetch.error) or keeps_stored_cut(page, known):
            # kept cut short (this run or before): asked again after a wait, for the rest of it
            if attempts < MAX_PAGE_ATTEMPTS:
                wait = cut_retry_wait(attempts)
                rows.append(_row(entry, "retry", f"{CUT_PAGE}, kept as it came: asked again after "
                                                 f"{wait.total_seconds() / 3600:g} h for the whole page "
                                                 f"(attempt {attempts} of {MAX_PAGE_ATTEMPTS})", run_id, now, first,
                                 max((fetch.fetched_at or now) + wait, fetch.retry_at or now)))
            elif entry.article_id in picked.from_queue:
                rows.append(_row(entry, "done", f"{CUT_PAGE} on {attempts} attempts: the longest copy kept",
                                 run_id, now, first))
        elif not fetch.ok and not is_settled(outcome):
            rows.append(_row(entry, "retry", f"{fetch.outcome}: {fetch.error or fetch.status} "
                                             f"(attempt {attempts} of {MAX_PAGE_ATTEMPTS})", run_id, now, first,
                             fetch.retry_at))
        elif entry.article_id in picked.from_queue:
            rows.append(_row(entry, "done", f"fetched: {fetch.outcome}", run_id, now, first))
    return rows


def keeps_stored_cut(page, known: dict[str, dict]) -> bool:
    """Whether a page asked again because the copy stored was kept cut short (tasks.select) came
    no better: failed, or cut again no longer than the stored copy. The stored copy stays (no
    articles row for this fetch: a timeout must not replace its text by the feed's summary); the
    attempt is counted (attempt_rows) and recorded (not_article_errors)."""
    prior = known.get(page.entry.article_id) or {}
    if not (page.fetch.sent and kept_cut(prior.get("fetch_outcome"), prior.get("fetch_error"))):
        return False
    if not page.fetch.ok or page.keeps_stored:
        return True
    if not kept_cut(page.fetch.outcome, page.fetch.error):
        return False  # whole at last: it replaces the cut copy (unless no_better says otherwise)
    # the bytes kept, from this fetch's own warning: the body itself is dropped once extracted
    # (tasks.articles.lighten), and this is asked again for the queue and error rows after that
    stored, came = kept_bytes(prior.get("fetch_error")), kept_bytes(page.fetch.error)
    return stored is not None and (came if came is not None else len(page.fetch.body)) <= stored


def no_better(page, art, known: dict[str, dict]) -> str | None:
    """Why the article of a page asked again for the rest of a stored cut copy would be worse
    than that copy, or None (it replaces it). The stored copy holds the article's own text: a
    retry that reads whole but brings no article -- extraction failed, a page-not-found page,
    a redirect to the front page (the feed's summary would stand in: tasks.articles.article_of),
    or a text under half the stored copy's words (a maintenance or consent page, a story taken
    down to a stub) -- must not replace it. `keeps_stored_copy` marks the page with it."""
    prior = known.get(page.entry.article_id) or {}
    if art is None or not (page.fetch.sent and kept_cut(prior.get("fetch_outcome"), prior.get("fetch_error"))):
        return None
    ext = art.extraction
    if ext.status != "ok":
        return f"no article in the new copy ({ext.error or ext.status})"
    stored = prior.get("word_count")
    if stored and 2 * ext.word_count < stored:
        return f"the new copy has {ext.word_count} words, the stored one {stored}"
    return None


def keeps_stored_copy(page, art, known: dict[str, dict]) -> bool:
    """Whether the stored cut copy of a page asked again for the rest of it stays, the page's article
    `art` being no better (`no_better`); if so the page is marked with the reason (Page.keeps_stored),
    and its attempt is counted and recorded as for a retry that failed (keeps_stored_cut)."""
    why = no_better(page, art, known)
    if why:
        page.keeps_stored = why
    return bool(why)


def hashes_to_settle(stored: dict[str, str | None], pages: list, known: dict[str, dict]) -> dict[str, str | None]:
    """The stored content hashes tasks.canonical.settle weighs, less those of cut copies these pages
    ask again for (their text is meant to change): a whole copy of a page stored under its
    rel=canonical URL replaces the cut one there, and is not kept a second time under its own URL
    as a page whose text disagrees with the stored article."""
    asked = {(known.get(p.entry.article_id) or {}).get("real_id") for p in pages
             if kept_cut((known.get(p.entry.article_id) or {}).get("fetch_outcome"),
                         (known.get(p.entry.article_id) or {}).get("fetch_error"))}
    return {aid: h for aid, h in stored.items() if aid not in asked}


def attempt_rows(pages: list, known: dict[str, dict]) -> list[dict]:
    """article_attempts rows (fetch_attempts of the stored article, updated in place) for the
    pages that keep their stored cut copy (keeps_stored_cut): the attempt counts towards the bound."""
    return [dict(article_id=(known.get(p.entry.article_id) or {}).get("real_id") or p.entry.article_id,
                 fetch_attempts=(known[p.entry.article_id].get("fetch_attempts") or 1) + 1)
            for p in pages if keeps_stored_cut(p, known)]


def not_article_errors(run_id: str, now: datetime, pages: list, known: dict[str, dict] | None = None) -> list[dict]:
    """A run_errors row for each link refused as not an article and each page not requested this
    run (host skipped, fetch deadline): those pages get no articles row; a warning row for
    each page kept as it came after every attempt was cut short (its article is stored); and a
    row for each page asked again for the rest of a stored cut copy that came no better."""
    errors = [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome=p.fetch.outcome,
                        error=f"not an article: {p.fetch.error}", at=now)
              for p in pages if p.fetch.outcome in NOT_ARTICLE_OUTCOMES]
    errors += [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome=p.fetch.outcome,
                         error=f"{p.fetch.error}; queued for a later run", at=now)
               for p in pages if not p.fetch.sent]
    warned, kept = [], []  # each page asked once whether it keeps its stored copy
    for p in pages:
        if keeps_stored_cut(p, known or {}):
            kept.append(p)
        elif kept_cut(p.fetch.outcome, p.fetch.error):
            warned.append(p)
    errors += [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome="page_cut_short",
                         error=f"warning: {p.fetch.error}", at=now) for p in warned]
    errors += [error_row(run_id, "page", feed_url=p.entry.feed_url, url=p.entry.url, outcome=p.fetch.outcome,
                         error=f"asked again for the rest of a page kept cut short: "
                               f"{p.fetch.error or p.fetch.outcome}"
                               f"{'; ' + p.keeps_stored if p.keeps_stored else ''}"
                               "; the stored copy is kept", at=now) for p in kept]
    return errors


def is_article_page(page, known: dict[str, dict]) -> bool:
    """`articles_only`'s test for one page: requested this run, not refused as not an article, and
    not a stored cut copy asked again that came no better (keeps_stored_cut)."""
    return page.fetch.sent and not is_refused(page, known) and not keeps_stored_cut(page, known)


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
            "run_errors": not_article_errors(run_id, now, pages, known),
            "article_attempts": attempt_rows(pages, known)}


def articles_only(pages: list, picked: Selection, known: dict[str, dict]) -> list:
    """The fetched pages that can become articles (not a feed, a PDF, an image...). Sightings
    of refused links (this run's or earlier runs') are dropped too: they point at no article.
    Pages never requested this run (host skipped, fetch deadline) wait in the queue instead."""
    refused = {p.entry.article_id for p in pages if p.fetch.outcome in NOT_ARTICLE_OUTCOMES}
    refused |= {aid for aid, row in known.items() if row.get("fetch_outcome") == "refused"}
    picked.sightings = [e for e in picked.sightings if e.article_id not in refused]
    return [p for p in pages if p.entry.article_id not in refused and p.fetch.sent and not keeps_stored_cut(p, known)]


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
