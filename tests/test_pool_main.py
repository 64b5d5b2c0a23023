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
