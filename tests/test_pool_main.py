"""The extraction workers and the caller's main module (tasks/pool.py, lazy_main_in_forked_workers):
multiprocessing runs the caller's main module again in every worker it starts from the fork
server; a deployment's flow run is `python -m prefect.engine`, so every worker imported Prefect's
engine again (~1 CPU-s each) though it is only ever sent functions of our modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _probe() -> dict:
    env = {**os.environ, "AKHBAR_POOL_START": "forkserver"}
    out = subprocess.run([sys.executable, "-m", "tests.pool_main_probe"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_forked_workers_load_the_callers_main_module_only_when_sent_something_of_it():
    """Workers that are sent functions of our modules never run the caller's main module (its
    imports stay out of them); a function defined in the main module still runs in them, the
    module loaded on that first use, with the same results as before."""
    got = _probe()
    assert got["marker_in_a_worker"] is False
    assert got["defined_here"] == [x * 10 for x in got["items"]]


_NO_OP_FIXUP = """
import json, sys
import multiprocessing.spawn as mp_spawn
from tasks.pool import _lazily

server_main = sys.modules["__main__"]  # what a worker of the fork server has as __main__
server_main.kept = 1
out = {{}}
_lazily(mp_spawn.{fixup})({where!r})  # what multiprocessing's prepare() calls in the worker
try:
    out["probe"] = hasattr(sys.modules["__main__"], "defined_in_main")
    out["kept"] = getattr(sys.modules["__main__"], "kept", None)
except RecursionError:
    out["probe"] = "RecursionError"
out["same_main"] = sys.modules["__main__"] is server_main
print(json.dumps(out))
"""


@pytest.mark.parametrize(("fixup", "where"), [
    ("_fixup_main_from_name", "tools.__main__"),         # `python -m tools` (a package's __main__.py)
    ("_fixup_main_from_name", "__main__"),
    ("_fixup_main_from_path", "/usr/local/bin/ipython"),  # an IPython session
])
def test_a_main_module_multiprocessing_would_not_load_leaves_the_workers_main_as_it_was(fixup, where):
    """Where multiprocessing's own fixup loads nothing (a package run with -m, whose __main__ it
    never re-runs; IPython), a worker's __main__ stays what it was: a lookup on it answers as
    before (a library's hasattr probe, an unpickled __main__ name) instead of recursing for ever
    in the stand-in, which asked itself again after the fixup left it in place."""
    code = _NO_OP_FIXUP.format(fixup=fixup, where=where)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got == {"probe": False, "same_main": True, "kept": 1}


def test_the_stand_in_loads_the_main_module_once_and_answers_no_lookup_while_it_loads(monkeypatch):
    """The stand-in's one state: not loaded (the first lookup loads), loading (a lookup made by the
    loading itself is not answered, else it would load again), loaded (the module in place answers,
    the fixup never runs again)."""
    import types

    from tasks.pool import _lazily

    real = types.ModuleType("__mp_main__")
    real.defined_in_main = 42
    calls = []

    def fixup(where: str) -> None:
        calls.append(where)
        seen_while_loading = hasattr(stand_in, "defined_in_main")  # a lookup during the load
        sys.modules["__main__"] = sys.modules["__mp_main__"] = real
        real.seen_while_loading = seen_while_loading

    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    monkeypatch.setitem(sys.modules, "__mp_main__", types.ModuleType("__mp_main__"))
    _lazily(fixup)("/srv/flows/run.py")
    stand_in = sys.modules["__main__"]
    assert stand_in is not real and not hasattr(stand_in, "__wrapped__") and calls == []
    assert stand_in.defined_in_main == 42 and calls == ["/srv/flows/run.py"]
    assert real.seen_while_loading is False
    assert stand_in.defined_in_main == 42 and stand_in.seen_while_loading is False  # kept reference, no reload
    assert calls == ["/srv/flows/run.py"]
