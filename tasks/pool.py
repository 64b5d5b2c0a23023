"""Extraction is the CPU-bound stage: spread it over processes, in chunks, preserving order.

Worker processes pay a start-up cost (spawn + importing trafilatura and its models, ~2 s each).
`warm_workers` starts them early, so that cost overlaps with downloading the pages.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

from tasks import progress

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("akhbar.pool")

# Below this many items a process pool costs more (spawn + imports) than it saves.
MIN_ITEMS_FOR_POOL = 24

_warm: ProcessPoolExecutor | None = None
# Set by tasks.dask_exec.on_dask: map_in_processes sends its work there instead.
_remote: Callable[[Callable, Sequence], list] | None = None


@contextmanager
def remote_mapper(mapper: Callable[[Callable, Sequence], list]) -> Iterator[None]:
    """Inside the block, map_in_processes(fn, items) runs mapper(fn, items) (e.g. on Dask)."""
    global _remote
    previous, _remote = _remote, mapper
    try:
        yield
    finally:
        _remote = previous


def _new_pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    # spawn, not fork: the caller runs inside Prefect's threads, and forking a threaded
    # process can deadlock the child.
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_preload, initargs=(preload,))


def _preload(modules: tuple[str, ...]) -> None:
    # Ctrl-C in a terminal reaches every process of the group: the parent decides what an
    # interrupt means and terminates the workers; a worker must not die printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in modules:
        importlib.import_module(name)


def _noop() -> None:
    return None


@contextmanager
def warm_workers(workers: int, expected_items: int, preload: tuple[str, ...] = ()) -> Iterator[None]:
    """Start the pool now if a pool will be used, and shut it down when the block ends."""
    global _warm
    if workers <= 1 or expected_items < MIN_ITEMS_FOR_POOL or _warm is not None or _remote is not None:
        yield
        return
    try:
        _warm = _new_pool(workers, preload)
        for _ in range(workers):  # each submit makes the executor spawn one more worker
            _warm.submit(_noop)
    except (RuntimeError, OSError) as exc:  # no pool: map_in_processes falls back
        log.warning("could not start extraction workers early: %s", exc)
        _warm = None
    try:
        yield
    finally:
        pool, _warm = _warm, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def map_in_processes(fn: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 8,
                     tick: bool = True) -> list[R]:
    """fn(item) for every item, in order; fn must be a module-level function.

    tick: count each item on the "extract" progress bar."""
    done = _ticked if tick else _same
    if _remote is not None and items:
        return [done(r) for r in _remote(fn, items)]
    if workers <= 1 or len(items) < MIN_ITEMS_FOR_POOL:
        return [done(fn(item)) for item in items]
    try:
        if _warm is not None:
            return [done(r) for r in _warm.map(fn, items, chunksize=chunksize)]
        with _new_pool(workers) as pool:
            return [done(r) for r in pool.map(fn, items, chunksize=chunksize)]
    except (BrokenProcessPool, RuntimeError, OSError) as exc:
        # A pool that cannot start (e.g. a script without a __main__ guard) or a worker killed
        # by the OS must not lose the batch: do the work here instead, slower but complete.
        log.warning("process pool failed (%s); working in-process", exc)
        return [done(fn(item)) for item in items]


def _ticked(result: R) -> R:
    progress.advance("extract")
    return result


def _same(result: R) -> R:
    return result
