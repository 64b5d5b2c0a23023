"""Where extraction runs, for backfills too big for one machine: a Dask cluster.

`on_dask(address=...)` connects to a running scheduler (`dask scheduler` + `dask worker ADDRESS`
on each machine, every one with akhbar installed at the same version); `on_dask(workers=N)` starts
a local cluster of N single-threaded worker processes. Inside the block every
`tasks.pool.map_in_processes` call (page extraction, attribution and signatures) goes to the
cluster in chunks of `CHUNK` items per Dask task (one task per page would cost more in scheduling
than the extraction itself), at most `2 x workers` chunks in flight, so neither the caller nor a
worker ever holds more than a few chunks of pages, however big the input. Results come back in
order. Plain Dask (distributed), not Prefect's Dask task runner: a Prefect task costs ~150 ms there.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext

from tasks import pool

log = logging.getLogger("akhbar.dask")

CHUNK = 64                 # items (pages) per Dask task: >= 50 keeps scheduling overhead < 1 %
WORKER_MEMORY = "2GiB"     # local clusters: memory limit per worker process (Dask spills, then restarts it)


def _run_chunk(fn: Callable, chunk: list) -> list:
    return [fn(item) for item in chunk]


def dask_map(client, fn: Callable, items: Sequence, chunk: int | None = None) -> list:
    """fn(item) for every item on the cluster, in order, with a bounded number of chunks in flight."""
    from distributed import wait

    chunk = chunk or CHUNK
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    max_in_flight = 2 * n_workers
    chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
    results: list = []
    window: deque = deque()
    for part in chunks:
        if len(window) >= max_in_flight:
            wait([window[0]])
            results.extend(window.popleft().result())
        window.append(client.submit(_run_chunk, fn, part, pure=False))
    while window:
        results.extend(window.popleft().result())
    return results


@contextmanager
def on_dask(address: str | None = None, workers: int | None = None,
            memory_limit: str = WORKER_MEMORY) -> Iterator[object]:
    """Route `map_in_processes` to a Dask cluster for the duration of the block."""
    from distributed import Client, LocalCluster

    cluster = None
    if address:
        client = Client(address, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=max(1, workers or 1), threads_per_worker=1, processes=True,
                               memory_limit=memory_limit, dashboard_address=None)
        client = Client(cluster)
    log.info("extraction on Dask: %s (%d workers)", address or "local cluster",
             len(client.scheduler_info().get("workers", {})))
    try:
        with pool.remote_mapper(lambda fn, items: dask_map(client, fn, items)):
            yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def executor(address: str | None, workers: int | None):
    """on_dask(...) when a Dask address or worker count is given, else a no-op context."""
    if address or workers:
        return on_dask(address=address, workers=workers)
    return nullcontext()
