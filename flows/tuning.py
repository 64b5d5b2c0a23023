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
- between a streamed run's chunks, `release_memory` gives the C heap's free pages back.
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any

from flows import heartbeats


def prepare_process() -> None:
    """Idempotent: each flow module calls it at the end of its imports."""
    heartbeats.install()
    gc.freeze()


_TRIM: Any = None


def release_memory() -> bool:
    """Give the C heap's free pages back to the system (glibc `malloc_trim(0)`); True if it did.

    Called between the chunks of a streamed run. A chunk's pages, articles and tables are freed
    once it is loaded, but glibc keeps what it freed in its arenas (one per thread that
    allocated: the reading, extraction and loading stages, the temporary Prefect server), and
    the next chunk's objects do not fit exactly into the holes: held but unused memory grew by
    ~45 MB over 6,000 pages of `ingest-warc` (mallinfo2's free bytes, issue 18). malloc_trim
    returns every whole free page of every arena. A few milliseconds per chunk; a no-op where
    the C library is not glibc."""
    global _TRIM
    if _TRIM is None:
        _TRIM = False
        try:
            libc = ctypes.CDLL(None)
            _TRIM = libc.malloc_trim
            _TRIM.argtypes, _TRIM.restype = [ctypes.c_size_t], ctypes.c_int
        except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
            _TRIM = False
    return bool(_TRIM and _TRIM(0))
