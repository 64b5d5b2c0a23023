"""Extraction is the CPU-bound stage: spread it over processes, in chunks, preserving order."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from tasks import progress

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("akhbar.pool")

# Below this many items a process pool costs more (spawn + imports) than it saves.
MIN_ITEMS_FOR_POOL = 24


def map_in_processes(fn: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 8) -> list[R]:
    """fn(item) for every item, in order; fn must be a module-level function."""
    if workers <= 1 or len(items) < MIN_ITEMS_FOR_POOL:
        return [_ticked(fn(item)) for item in items]
    # spawn, not fork: the caller runs inside Prefect's threads, and forking a threaded
    # process can deadlock the child.
    ctx = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            return [_ticked(r) for r in pool.map(fn, items, chunksize=chunksize)]
    except (BrokenProcessPool, RuntimeError, OSError) as exc:
        # A pool that cannot start (e.g. a script without a __main__ guard) or a worker killed
        # by the OS must not lose the batch: do the work here instead, slower but complete.
        log.warning("process pool failed (%s); extracting in-process", exc)
        return [_ticked(fn(item)) for item in items]


def _ticked(result: R) -> R:
    progress.advance("extract")
    return result
