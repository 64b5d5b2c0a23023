"""Process-wide set-up of a process that runs our flows, done when a module that defines flows is
imported, so `akhbar` commands, `akhbar serve` and the processes Prefect starts for deployment
runs all get it:

- a flow run does not wait for Prefect's heartbeat thread when it ends (flows/heartbeats.py);
- the objects built by the imports (Prefect, pydantic, DuckDB's and our modules: ~150k in a
  process that imported every flow module) are moved out of the garbage collector's sight
  (`gc.freeze`). A full collection walks every object it tracks while holding the GIL, and for
  that long the HTTP event loop's politeness timers, the extraction feed and the stream's other
  threads wait: a 2,048-page polite benchmark run made 4 full collections of ~225 ms each; with
  the imports frozen, 5 of 25-45 ms (bench/RESULTS.md, "One run as a stream", session 7).
  Frozen objects are never freed, which module-level objects never are anyway; this is done at
  import, never per run, so nothing a run builds is kept forever;
- between a streamed run's chunks, `release_memory` gives the C heap's free pages back;
- glibc's allocator is told to keep less (`tune_malloc`, also the first thing `akhbar` does).
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any


def prepare_process() -> None:
    """Idempotent: each flow module calls it at the end of its imports."""
    from flows import heartbeats  # (here: `akhbar` calls tune_malloc before it imports Prefect)

    tune_malloc()
    heartbeats.install()
    gc.freeze()


_LIBC: Any = None

# glibc's allocator in a process that runs our flows (issue 18, memory goal). By default glibc
# gives each thread that allocates while another holds an arena an arena of its own, up to 8 per
# core (a run has ~27 threads: the stages, Prefect's engine and temporary server, DuckDB's), and
# each keeps the holes its frees leave. Two arenas (session 17: the command's median between
# chunks of a 50,000-page `ingest-warc` 355-361 MB PSS instead of 400-414). Session 17 also fixed
# the mmap threshold at 128 KiB (by default it rises to the largest block freed, so DuckDB's and
# Arrow's buffers then stay in the arenas); session 18 measured it apart and dropped it: a
# 10,000-page `ingest-warc`'s tree peaked at 764-787 MB PSS with it and 760-789 without (three
# runs each, loaded machine), and it cost CPU (every large block an mmap and a munmap: a quiet
# 2,048-page first ingest 42.1 CPU-s with it, 40.3 without); what the arenas keep goes back between chunks (`release_memory`).
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter (malloc.h)


def _libc() -> Any:
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL(None)
            _LIBC.malloc_trim.argtypes, _LIBC.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
            _LIBC.mallopt.argtypes, _LIBC.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        # not glibc: musl and macOS have no malloc_trim (AttributeError); on Windows CDLL(None)
        # raises TypeError (LoadLibrary needs a name); OSError where dlopen itself fails
        except (OSError, AttributeError, TypeError):
            _LIBC = False
    return _LIBC


def tune_malloc() -> bool:
    """Limit glibc to MALLOC_ARENAS arenas (see above); True if it did. Idempotent; a no-op where
    the C library is not glibc. The limit only holds if it is set before a second thread
    allocates (glibc fixes it then): `akhbar` calls this first thing. Only this process: the
    extraction workers (a fresh interpreter forked by the fork server) keep glibc's defaults."""
    libc = _libc()
    return bool(libc and libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS))


def release_memory() -> bool:
    """Give the C heap's free pages back to the system (glibc `malloc_trim(0)`); True if it did.

    Called between the chunks of a streamed run. A chunk's pages, articles and tables are freed
    once it is loaded, but glibc keeps what it freed in its arenas (one per thread that
    allocated: the reading, extraction and loading stages, the temporary Prefect server), and
    the next chunk's objects do not fit exactly into the holes: held but unused memory grew by
    ~45 MB over 6,000 pages of `ingest-warc` (mallinfo2's free bytes, issue 18). malloc_trim
    returns every whole free page of every arena. A few milliseconds per chunk; a no-op where
    the C library is not glibc."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0))
