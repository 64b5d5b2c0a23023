"""Prefect's flow-run heartbeats, without the wait they add to the end of every run.

Prefect 3.9 gives every flow run a heartbeat thread (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, 180 s
by default, at least 30; no environment value switches it off). The thread sleeps in steps of
one second and the synchronous engine joins it when the run ends, so each run waited up to a
second after its last statement (0.40-0.80 s measured; bench/RESULTS.md "One run as a stream"):
0.40 s of a 1.06 s no-change scheduled run. Prefect's asynchronous engine
does not join (``join_on_exit=False``); `install` makes the synchronous one do the same. The
heartbeats themselves are unchanged (one when the run starts, then one every interval); the
thread checks its stop flag before each, so none is sent after the run ends, and it ends by
itself within a second.

Installed at import by every module that defines a flow (flows/tuning.py), so `akhbar` commands, `akhbar serve`
and the processes Prefect starts for deployment runs all get it.
"""

from __future__ import annotations

import inspect
import logging

from prefect import flow_engine

log = logging.getLogger("akhbar.flows")

_ORIGINAL = getattr(flow_engine, "_send_heartbeats", None)


def _send_heartbeats_no_join(engine, join_on_exit: bool = True):
    return _ORIGINAL(engine, join_on_exit=False)


def install() -> bool:
    """Replace the engine's heartbeat context with one that does not join the thread at the end
    of a run. Returns whether it is in place: False when this Prefect has no such context (a
    newer or older engine), which then behaves as shipped."""
    if flow_engine._send_heartbeats is _send_heartbeats_no_join:  # type: ignore[attr-defined]
        return True
    if _ORIGINAL is None or "join_on_exit" not in inspect.signature(_ORIGINAL).parameters:
        log.debug("prefect.flow_engine has no _send_heartbeats(join_on_exit=...): left as it is")
        return False
    flow_engine._send_heartbeats = _send_heartbeats_no_join  # type: ignore[attr-defined]
    return True
