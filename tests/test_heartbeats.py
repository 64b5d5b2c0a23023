"""A flow run ends when its body ends: Prefect's heartbeat thread is not waited for
(flows/heartbeats.py), and heartbeats are still sent while the run lasts."""

from __future__ import annotations

import contextvars
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from prefect import flow
from prefect.flow_engine import FlowRunEngine

import flows.ingest  # noqa: F401  (a flow module: installs flows.heartbeats through flows.tuning)

ROOT = Path(__file__).resolve().parents[1]


def _heartbeat_threads() -> list[threading.Thread]:
    # Prefect runs the heartbeat loop through a copied context: Thread(target=ctx.run, ...)
    return [t for t in threading.enumerate()
            if isinstance(getattr(getattr(t, "_target", None), "__self__", None), contextvars.Context)]


def test_a_flow_run_returns_without_waiting_for_its_heartbeat_thread(prefect_harness, monkeypatch):
    sent = []
    real_emit = FlowRunEngine._emit_flow_run_heartbeat

    def counting_emit(self, *a, **k):
        sent.append(time.perf_counter())
        return real_emit(self, *a, **k)

    monkeypatch.setattr(FlowRunEngine, "_emit_flow_run_heartbeat", counting_emit)
    body_end: list[float] = []

    @flow(name="heartbeat-probe")
    def probe() -> None:
        time.sleep(0.1)  # the heartbeat thread has sent its first beat and sleeps its 1 s steps
        body_end.append(time.perf_counter())

    before = set(_heartbeat_threads())  # (another test's run may still have one)
    waits = []
    for _ in range(2):
        probe()
        waits.append(time.perf_counter() - body_end[-1])
    # Joined, the engine waited for the thread's current 1-second sleep: ~0.9 s after this body.
    assert max(waits) < 0.45, waits
    assert len(sent) >= 2, "each run still sends its first heartbeat"
    deadline = time.monotonic() + 3.0
    while set(_heartbeat_threads()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(_heartbeat_threads()) - before, "the heartbeat threads end by themselves after their runs"


def test_every_module_that_defines_a_flow_prepares_its_process():
    """flows/tuning.py at the import of each flow module: heartbeats not joined, and the imported
    modules' objects frozen out of the garbage collector's walks (so a full collection in a run
    walks only what the run built)."""
    modules = ["flows.ingest", "flows.backfill", "flows.reprocess", "flows.report", "flows.workpool"]
    script = textwrap.dedent(f"""
        import gc, importlib, sys
        from prefect import flow_engine
        from flows import heartbeats
        for name in {modules!r}:
            flow_engine._send_heartbeats = heartbeats._ORIGINAL
            gc.unfreeze()
            for loaded in [m for m in sys.modules if m.startswith("flows.") and m != "flows.heartbeats"]:
                del sys.modules[loaded]
            importlib.import_module(name)
            print(name, flow_engine._send_heartbeats is heartbeats._send_heartbeats_no_join,
                  gc.get_freeze_count() > 50_000)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:-1] == [f"{m} True True" for m in modules]
