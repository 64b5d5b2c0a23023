"""Run as `python -m tests.pool_main_probe` by tests/test_pool_main.py: a caller whose main module
is a module run with -m (as `python -m prefect.engine` runs a deployment's flow), with the run's
warm extraction workers. Prints what the workers had imported, and what a function defined in
this main module gave when mapped to them."""

from __future__ import annotations

import json

import tests.pool_main_marker  # noqa: F401 - what running this module again in a worker imports


def defined_here(x: int) -> int:
    return x * 10


if __name__ == "__main__":
    from tasks import pool
    from tests import pool_procs

    items = list(range(pool.MIN_ITEMS_FOR_POOL + 6))
    with pool.warm_workers(2, 10_000):
        before = pool.map_in_processes(pool_procs.has_module, ["tests.pool_main_marker"] * len(items), 2,
                                       chunksize=1, tick=False)
        here = pool.map_in_processes(defined_here, items, 2, chunksize=1, tick=False)
    print(json.dumps({"marker_in_a_worker": any(before), "defined_here": here, "items": items}))
