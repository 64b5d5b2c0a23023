"""One rule for how a run ends: its Prefect state, its state message, and (through `RunFailed`)
the CLI's exit code. The README's "Run states" section says the same thing.

| what happened | state | where it shows |
| --- | --- | --- |
| a parameter is wrong (missing catalog, bad `since`, no feed matches `feeds`) | **Failed** before any work | one line in the log and the state message |
| feeds were polled and not one answered | **Failed**: "no feed could be fetched (N of N failed): are you offline? …" | log, state message; the failures are still recorded (`feed_fetches`, feed health) |
| the load was deferred (another writer held the warehouse) | **Completed**, with a warning | log and state message; the batch stays staged for the next run |
| more than `WARN_SHARE` of the feeds, pages or extractions failed | **Completed**, with a warning | log and state message |
| nothing was due (every feed in backoff) | **Completed**, with a warning | log and state message |
| cancelled from the UI/API, or `akhbar serve` stopped | **Cancelled** (or **Crashed** if the process was killed) | state message; the warehouse only changes in the load's single transaction |

A Failed run's flow returns `Failed(data=<exception>)`: called as a plain function (the CLI,
tests), the flow raises that exception. For a run that failed it is `RunFailed`, whose `.result`
holds the same dict a good run returns, so the caller can print the summary and exit 1; for a
bad parameter it is the validation error itself (`CatalogError`, `ParamError`, …: exit 2).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flows.runlog import expected_failure, flow_fn_wrapper

WARN_SHARE = 0.2  # above this share of failed feeds / pages / extractions a run gets a warning
WARN_MIN_ITEMS = 5  # ... counted only when at least this many were attempted (1 of 2 is noise)

log = logging.getLogger("akhbar.flows.outcome")


class RunFailed(Exception):
    """A run that ended Failed for a stated reason (not a bug): every feed failed, a bad parameter.

    `result` is what the flow would have returned (its summary)."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Verdict:
    level: str  # "ok" | "warning" | "failed"
    reasons: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return "; ".join(self.reasons)

    load_deferred: bool = False

    @property
    def status(self) -> str:
        """The words stored in `runs.status`: failed / completed (load deferred) / completed.

        Warnings do not change it (they are in the state message, the log and the summary)."""
        if self.level == "failed":
            return "failed"
        return "completed (load deferred)" if self.load_deferred else "completed"


def _share(failed: int, total: int) -> float:
    return failed / total if total >= WARN_MIN_ITEMS else 0.0


def judge_ingest(summary: Any, load_error: str | None = None, part_of_a_run: bool = False,
                 after_load: tuple[str, ...] = ()) -> Verdict:
    """The verdict on one ingest run from its `tasks.summary.RunSummary` (and the load's error).

    part_of_a_run: one shard of a sharded ingest (its outlets only). That no feed of a shard
    answered is a warning for it, not "offline": the parent run judges the whole. after_load:
    what failed without undoing the load (`LoadReport.warnings`: the search index, the snapshot;
    a story matching that failed and stored its pages as stories of their own)."""
    polled = len(summary.feeds)
    reasons: list[str] = []
    if polled and summary.feeds_ok == 0:  # the CLI prints the same words (flows/cli_runs.py)
        if not part_of_a_run:
            return Verdict("failed", (f"no feed could be fetched ({polled} of {polled} failed): are you offline? "
                                      "`akhbar feeds health` shows why",))
        reasons.append(f"no feed of this shard could be fetched ({polled} of {polled} failed)")
    if not polled and summary.feeds_skipped:
        reasons.append(f"no feed was due: {summary.feeds_skipped} feed(s) in failure backoff or disabled "
                       "(ignore_backoff polls them anyway; `akhbar feeds health` says when they are due)")
    if summary.feeds_ok and _share(summary.feeds_failed, polled) > WARN_SHARE:
        reasons.append(f"{summary.feeds_failed} of {polled} feeds failed")
    pages = summary.pages_fetched + summary.pages_failed
    if _share(summary.pages_failed, pages) > WARN_SHARE:
        reasons.append(f"{summary.pages_failed} of {pages} pages could not be fetched")
    if _share(summary.extraction_failed, summary.articles_new) > WARN_SHARE:
        reasons.append(f"extraction failed for {summary.extraction_failed} of {summary.articles_new} articles")
    if load_error:
        reasons.append(f"load deferred ({load_error}); {summary.pending_batches} batch(es) stay "
                       "staged and the next run loads them")
    reasons += after_load
    return Verdict("warning" if reasons else "ok", tuple(reasons), load_deferred=bool(load_error))


def finish(result: dict, verdict: Verdict, logger: Any = None):
    """What the flow returns: the result itself, or a Prefect state carrying it with the verdict."""
    from prefect.states import Completed, Failed

    logger = logger or log
    result = dict(result, verdict=verdict.level, message=verdict.message)
    if verdict.level == "failed":
        logger.error("run failed: %s", verdict.message)
        return Failed(message=verdict.message, data=expected_failure(RunFailed(verdict.message, result)))
    if verdict.level == "warning":
        for reason in verdict.reasons:
            logger.warning("%s", reason)
        return Completed(message=f"Completed with warnings: {verdict.message}", data=result)
    return result


def refuse(exc: Exception, logger: Any = None):
    """A parameter a person got wrong: one log line, Failed with that line, nothing done."""
    from prefect.states import Failed

    message = str(exc) or type(exc).__name__
    (logger or log).error("bad parameter: %s", message)
    return Failed(message=f"Bad parameter: {message}", data=expected_failure(exc))


def checked_first(check: Callable[..., object]):
    """Decorator for a flow function (under `@flow`, above any lock): `check(**arguments)` runs
    before the body, before any lock is taken or file created. A ValueError it raises (a
    `CatalogError`, a `ParamError`: a person's mistake) ends the run Failed with that one line."""

    def decorate(fn):
        signature = inspect.signature(fn)

        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            try:
                check(**bound.arguments)
            except ValueError as exc:
                return refuse(exc, _run_logger())
            return fn(*args, **kwargs)

        return flow_fn_wrapper(fn, wrapper)

    return decorate


def _run_logger():
    try:
        from prefect import get_run_logger

        return get_run_logger()
    except Exception:  # outside a run
        return log
