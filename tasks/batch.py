"""Everything one ingest run stages, from what its stages returned (one batch of tables).

Used by the ingest flow at the end of a run, and by a run that was stopped midway (flow
timeout, cancellation: flows/salvage.py) for what it got done, so both record the same way.
"""

from __future__ import annotations

from datetime import datetime

from tasks import canonical, queue, rows, stories
from tasks.http import HostBook
from tasks.summary import RunSummary, fill_ingest_summary


def ingest_batch(run_id: str, now: datetime, specs: list, states: dict[str, dict], outcomes: list, picked,
                 fetched_pages: list, pages: list, arts: list, known: dict[str, dict], clustered,
                 article_of_entry: dict[str, tuple[str, str]], conflicts: list, boilerplate, queued: list[dict],
                 max_per_feed: int | None, disable_after: float, book: HostBook | None,
                 summary: RunSummary) -> dict[str, list[dict]]:
    """The run's tables (all but `runs`, which needs the finished summary), and the summary's
    counts and notes filled in.

    fetched_pages: every page the run tried (or never requested: host skipped, deadline,
    stopped), pages/arts: those that became articles."""
    tables = rows.ingest_tables(run_id, now, specs, states, outcomes, picked, pages, arts, known, clustered,
                                article_of_entry, disable_after)
    tables.update(stories.boilerplate_tables(boilerplate))
    later = queue.queue_tables(run_id, now, picked, fetched_pages, known, max_per_feed, queued)
    tables["entry_queue"] = later["entry_queue"]
    tables["article_attempts"] = later["article_attempts"]
    tables["run_errors"] += (later["run_errors"] + canonical.conflict_rows(run_id, now, conflicts)
                             + stories.failure_rows(run_id, now, arts, clustered))
    tables["host_waits"] = book.wait_rows(run_id, now) if book is not None else []
    if note := queue.queue_note(picked, later["entry_queue"]):
        summary.notes.append(note)
    if book is not None and book.skipped:
        summary.notes.append("hosts skipped for the rest of the run after repeated timeouts: "
                             + ", ".join(sorted(book.skipped)))
    fill_ingest_summary(summary, outcomes, picked, pages, arts, clustered)
    return tables
