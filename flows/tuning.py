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
  import, never per run, so nothing a run builds is kept forever.
"""

from __future__ import annotations

import gc

from flows import heartbeats


def prepare_process() -> None:
    """Idempotent: each flow module calls it at the end of its imports."""
    heartbeats.install()
    gc.freeze()
