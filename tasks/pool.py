"""Extraction is the CPU-bound stage: spread it over processes, in chunks, preserving order.

Worker processes are forked from a *fork server* that has imported trafilatura, lxml, the date
parsers and our extraction modules once (`PRELOAD`): a new worker costs a fork (milliseconds, the
imported modules shared copy-on-write), where a spawned worker re-imports everything (~2 s of CPU
each, measured in bench/RESULTS.md, Pipeline). Plain `fork` of the caller is faster still but
unsafe once the caller has threads (Prefect's engine, the HTTP loop): it is used only when the
process is single-threaded at that moment, and only when asked (AKHBAR_POOL_START=fork).
`warm_workers` starts the pool early, so even the fork server's one-off imports overlap with
downloading the pages.

`stream_map` is the streaming form: items are pulled from an iterator as results are consumed,
at most `window` chunks in flight, results in input order; `map_in_processes` is the list form.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from tasks import progress

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("akhbar.pool")

# Below this many items a process pool costs more (worker start) than it saves.
MIN_ITEMS_FOR_POOL = 24
# What the fork server imports before it forks any worker: everything extraction and signing use,
# warmed up with one small page (tasks/preload.py). Spawned workers import it themselves.
PRELOAD = ("tasks.preload",)
START_METHODS = ("forkserver", "spawn", "fork")

_warm: ProcessPoolExecutor | None = None
_warm_starter: threading.Thread | None = None  # the thread starting _warm's workers
_warm_keeps_server = True  # what the warm_workers block that started _warm said
# Who may release _warm early: the run whose warm_workers block started it. The block sets this
# in its context, which Prefect copies into the threads of the run's tasks; a run that found the
# pool already started (another run in the same process) does not own it.
_warm_owner: object | None = None
_owner_here: ContextVar[object | None] = ContextVar("akhbar_warm_owner", default=None)
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


def start_method() -> str:
    """How worker processes start: AKHBAR_POOL_START (forkserver | spawn | fork), default forkserver.
    fork falls back to forkserver when the process has other threads (forking them can deadlock
    the child); forkserver falls back to spawn where the platform has none."""
    wanted = os.environ.get("AKHBAR_POOL_START", "forkserver").strip().lower() or "forkserver"
    if wanted not in START_METHODS:
        raise ValueError(f"AKHBAR_POOL_START must be one of {', '.join(START_METHODS)}, not {wanted!r}")
    if wanted == "fork" and threading.active_count() > 1:
        wanted = "forkserver"
    if wanted not in multiprocessing.get_all_start_methods():
        wanted = "spawn"
    return wanted


def _context(preload: tuple[str, ...]) -> multiprocessing.context.BaseContext:
    method = start_method()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        # The server is one per process and starts with the first pool: its preload list is
        # fixed then (later pools' workers import anything else they need on first use).
        ctx.set_forkserver_preload(list(dict.fromkeys((*PRELOAD, *preload))))
    return ctx


def _new_pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    # the initializer imports what the fork server may not have (a later pool's extra modules,
    # or everything when workers are spawned): a no-op for modules already imported
    ctx = _context(preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_preload,
                               initargs=(tuple(dict.fromkeys((*PRELOAD, *preload))),
                                         ctx.get_start_method() == "forkserver"))


def _preload(modules: tuple[str, ...], forked_by_server: bool = False) -> None:
    # Ctrl-C in a terminal reaches every process of the group: the parent decides what an
    # interrupt means and terminates the workers; a worker must not die printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if forked_by_server:
        _die_with_parent()
    for name in modules:
        importlib.import_module(name)


def _die_with_parent() -> None:
    """A worker forked by the fork server dies with it (Linux: PR_SET_PDEATHSIG). The server
    exits as soon as the process that started it is gone (killed, stopped by `akhbar serve`),
    and its workers, which wait on a queue nobody will write to again, would otherwise stay.
    Only here: the fork server is single-threaded, so "the parent thread exited" means it exited."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the server was already gone before the call
            os._exit(1)
    except (OSError, AttributeError):  # not Linux: the parent's shutdown stops the workers
        pass


def lazy_main_in_forked_workers() -> None:
    """Called in the fork server (tasks/preload.py): the workers it forks load the caller's main
    module only if something sent to them needs it (a function defined in the caller's script).

    multiprocessing re-runs the caller's `__main__` module in every forkserver or spawned worker
    (as `__mp_main__`, so that objects pickled from it can be found), whatever the worker is sent.
    A flow run from a deployment or the UI runs as `python -m prefect.engine`, so every extraction
    worker imported Prefect's engine again (~1 CPU-s and ~60 MB of its own per worker, measured),
    for nothing: the pool only ever sends functions of our modules. Here the workers get a
    stand-in main module instead, which runs the real one on its first attribute lookup (an
    unpickled `__main__.fn`): the same result when it is needed, no cost when it is not."""
    import multiprocessing.spawn as mp_spawn

    for name in ("_fixup_main_from_name", "_fixup_main_from_path"):
        real = getattr(mp_spawn, name, None)
        if real is not None and not getattr(real, "_akhbar_lazy", False):
            setattr(mp_spawn, name, _lazily(real))


_LOADING = object()  # the stand-in's state while the real main module loads


def _lazily(fixup: Callable[[str], None]) -> Callable[[str], None]:
    def lazy_fixup(where: str) -> None:
        import sys
        import types

        stand_in = types.ModuleType("__mp_main__")
        # what multiprocessing's fixup finds in place (it may load nothing: a package's
        # __main__.py run with -m, IPython), put back before it runs
        before = {name: sys.modules.get(name) for name in ("__main__", "__mp_main__")}
        main: object = None  # not loaded; _LOADING while it loads; then the main module in place

        def __getattr__(attr: str):
            nonlocal main
            if isinstance(main, types.ModuleType):  # a reference kept from before: the module in place since answers
                return getattr(main, attr)
            if attr.startswith("__") or main is _LOADING:  # module machinery probing, or a lookup while it loads
                raise AttributeError(attr)
            main = _LOADING
            for name, module in before.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module
            fixup(where)  # the real main module as __mp_main__, aliased as __main__ (multiprocessing's way)
            main = sys.modules["__main__"]  # or the one it left in place
            return getattr(main, attr)

        stand_in.__getattr__ = __getattr__  # PEP 562: called for a name the module does not have
        sys.modules["__main__"] = sys.modules["__mp_main__"] = stand_in

    lazy_fixup._akhbar_lazy = True  # type: ignore[attr-defined]
    return lazy_fixup


def stop_fork_server() -> None:
    """Stop this process's fork server (and so its idle workers); the next pool starts a new one."""
    import multiprocessing.forkserver as mpf

    try:
        mpf._forkserver._stop()
    except Exception as exc:  # noqa: BLE001 - a private API of multiprocessing: best effort
        log.debug("fork server not stopped: %r", exc)


def _noop() -> None:
    return None


@contextmanager
def warm_workers(workers: int, expected_items: int, preload: tuple[str, ...] = (),
                 keep_server: bool = True) -> Iterator[None]:
    """Start the pool now if a pool will be used, and shut it down when the block ends.
    keep_server=False also stops the fork server then: a long run (ingest-warc, reprocess) that
    still has its final load and search sync to do need not hold it (~130 MB); a later run in
    this process starts a new one. `akhbar serve` keeps it between its runs (imports done once)."""
    global _warm, _warm_starter, _warm_keeps_server, _warm_owner
    if workers <= 1 or expected_items < MIN_ITEMS_FOR_POOL or _warm is not None or _remote is not None:
        yield
        if not keep_server:
            stop_fork_server()
        return
    starter = None
    try:
        _warm = _new_pool(workers, preload)
        # Each submit makes the executor start one more worker, and the first one waits until the
        # fork server has imported trafilatura & co. (1.5-3 s): done in a thread of its own, so the
        # caller goes on (fetching feeds and pages) while the server imports.
        starter = _warm_starter = threading.Thread(target=_start_workers, args=(_warm, workers),
                                                   name="akhbar-pool-start", daemon=True)
        _warm_keeps_server, _warm_owner = keep_server, object()
        starter.start()
    except (RuntimeError, OSError) as exc:  # no pool: map_in_processes falls back
        log.warning("could not start extraction workers early: %s", exc)
        _warm = None
    owned = _owner_here.set(_warm_owner)
    try:
        yield
    except BaseException:
        # a run stopped (cancelled, timed out, Ctrl-C, failed): no process of it stays behind
        pool, _warm, _warm_starter = _warm, None, None
        _stop_pool(pool, starter)
        stop_fork_server()
        raise
    finally:
        _owner_here.reset(owned)
        pool, _warm, _warm_starter = _warm, None, None
        _stop_pool(pool, starter)
    if not keep_server:
        stop_fork_server()


def release_workers() -> None:
    """Stop the warm workers now, inside their `warm_workers` block: a run whose every page is
    extracted and signed does not need them through its last dedupe, load and search sync, where
    they would sit idle holding ~170 MB of RSS each (their fork server too, when the block said
    keep_server=False). Work mapped afterwards runs in this process (or a new pool for many items).
    Only the run whose block started the pool releases it: another run of the same process that
    found it running (and may still be extracting with it) leaves it alone."""
    global _warm, _warm_starter
    if _warm is None or _owner_here.get() is not _warm_owner:
        return
    pool, starter, _warm, _warm_starter = _warm, _warm_starter, None, None
    _stop_pool(pool, starter)
    if not _warm_keeps_server:
        stop_fork_server()


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    try:
        for _ in range(workers):
            pool.submit(_noop)
    except Exception as exc:  # noqa: BLE001 - a warm-up only: shut down meanwhile, cannot fork, or the
        # fork server gone under it (Ctrl-C reaches the whole process group: EOFError from its pipe);
        # the run's own map starts (or falls back) as it would without it
        log.debug("extraction workers not started early: %r", exc)


def _stop_pool(pool: ProcessPoolExecutor | None, starter: threading.Thread | None) -> None:
    if starter is not None:
        starter.join()  # its submits finish (or fail) before the pool goes away
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def stream_map(fn: Callable[[T], R], items: Iterable[T], workers: int, chunksize: int = 8,
               window: int | None = None) -> Iterator[R]:
    """fn(item) for every item, in input order, pulling `items` lazily: at most `window` chunks of
    `chunksize` items are out in the workers (default 2 per worker), so the caller's memory holds
    a bounded number of items and results whatever the length of the input. fn must be a
    module-level function. Works in-process when workers <= 1 (or when a pool cannot start, or
    its worker dies: the chunks in flight are redone here, nothing is lost)."""
    window = window or 2 * max(1, workers)
    it = iter(items)
    if _remote is not None:  # a Dask cluster (tasks.dask_exec): a bounded group at a time, in order
        while group := [x for _, x in zip(range(chunksize * window), it, strict=False)]:
            yield from _remote(fn, group)
        return
    if workers <= 1:
        yield from (fn(item) for item in it)
        return
    own = None
    executor = _warm
    if executor is None:
        try:
            executor = own = _new_pool(workers)
        except (RuntimeError, OSError) as exc:
            log.warning("process pool failed to start (%s); working in-process", exc)
            yield from (fn(item) for item in it)
            return
    pending: deque[tuple[list[T], Future | None]] = deque()
    broken = False
    try:
        while True:
            while len(pending) < window:
                chunk = [x for _, x in zip(range(chunksize), it, strict=False)]
                if not chunk:
                    break
                fut = None
                if not broken:
                    try:
                        fut = executor.submit(_run_chunk, fn, chunk)
                    except (BrokenProcessPool, RuntimeError) as exc:
                        log.warning("process pool failed (%s); working in-process", exc)
                        broken = True
                pending.append((chunk, fut))
            if not pending:
                return
            chunk, fut = pending.popleft()
            results = None
            if fut is not None:
                try:
                    results = fut.result()
                except (BrokenProcessPool, OSError, CancelledError) as exc:  # (cancelled: the pool was shut down)
                    # A worker killed by the OS must not lose the batch: redo it here.
                    log.warning("process pool failed (%s); working in-process", exc)
                    broken = True
            if results is None:
                results = [fn(item) for item in chunk]
            yield from results
    finally:
        for _chunk, fut in pending:
            if fut is not None:
                fut.cancel()
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)


def map_in_processes(fn: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 8,
                     tick: bool = True) -> list[R]:
    """fn(item) for every item, in order; fn must be a module-level function.

    tick: count each item on the "extract" progress bar."""
    done = _ticked if tick else _same
    if _remote is not None and items:
        return [done(r) for r in _remote(fn, items)]
    # A few items are not worth starting a pool for, but a running pool (warm_workers: a run's
    # extraction workers) takes them: a chunk's attribution and signatures (8 groups) done here
    # would hold this process's GIL, which the fetch and the feeding of the workers need.
    if workers <= 1 or not items or (len(items) < MIN_ITEMS_FOR_POOL and _warm is None):
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
