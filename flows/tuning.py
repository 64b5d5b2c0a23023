"""Process-wide set-up of a process that runs our flows, done when a module that defines flows is
imported, so `akhbar` commands, `akhbar serve` and the processes Prefect starts for deployment
runs all get it:

- a flow run does not wait for Prefect's heartbeat thread when it ends (flows/heartbeats.py);
- the objects built by the imports (Prefect, pydantic, DuckDB's and our modules: ~140k) are moved
  out of the garbage collector's sight (`gc.freeze`). A full collection walks every object it
  tracks while holding the GIL; in a run these took ~140 ms each, ~10 times per 2,048-page run,
  and each stalled the HTTP event loop (politeness timers fire late) and the stream's other
  threads. With the imports frozen a full collection walks only what the run built: full
  collections ~1.5 -> ~1.0 s per run (bench/RESULTS.md, "One run as a stream"). Frozen objects
  are never freed, which is what module-level objects are anyway; done at import, never per run,
  so nothing a run built is kept forever.
"""

from __future__ import annotations

import gc

from flows import heartbeats


def prepare_process() -> None:
    """Idempotent: each flow module calls it at the end of its imports."""
    heartbeats.install()
    gc.freeze()
