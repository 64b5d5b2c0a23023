"""Stage progress reaches a reporter (the CLI's rich bars) with the right totals."""

from __future__ import annotations

from tasks import progress
from tasks.http import FetchRequest, HttpSettings, fetch_all
from tasks.pool import map_in_processes


class Recorder:
    def __init__(self):
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}

    def start(self, stage, total):
        self.totals[stage] = total

    def advance(self, stage, n=1):
        self.done[stage] = self.done.get(stage, 0) + n


def test_fetches_and_extraction_tick_the_reporter(fixture_web):
    rec = Recorder()
    progress.set_reporter(rec)
    try:
        urls = [f"{fixture_web.base_url}/nope/{i}" for i in range(5)]
        progress.start("pages", len(urls))
        results = fetch_all([FetchRequest(url=u, kind="page") for u in urls],
                            HttpSettings(allow_private_networks=True, per_host_min_interval_s=0, per_host_concurrency=5))
        assert [r.status for r in results] == [404] * 5
        progress.start("extract", 3)
        assert map_in_processes(len, ["a", "bb", "ccc"], workers=1) == [1, 2, 3]
    finally:
        progress.set_reporter(None)
    assert rec.totals == {"pages": 5, "extract": 3}
    assert rec.done == {"pages": 5, "extract": 3}


def test_no_reporter_costs_nothing():
    progress.set_reporter(None)
    progress.start("pages", 3)
    progress.advance("pages")  # no reporter: silently nothing


def _square(x: int) -> int:
    return x * x


def test_warm_workers_are_used_and_shut_down():
    from tasks import pool

    items = list(range(pool.MIN_ITEMS_FOR_POOL))
    with pool.warm_workers(2, len(items), preload=("warehouse.arabic",)):
        warm = pool._warm
        assert warm is not None
        assert pool.map_in_processes(_square, items, workers=2) == [x * x for x in items]
    assert pool._warm is None and warm._shutdown_thread
