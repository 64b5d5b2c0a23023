"""tasks.http's politeness towards real local servers (tests/rawserver.py) asking for more than a
run waits.

Changed behaviour (each test failed before): a robots.txt Crawl-delay beyond what a run waits
between two requests (HttpSettings.max_crawl_delay_s, 30 s) was read as that cap, the host asked
up to four times as often as it allows ('Crawl-delay: 120' read as 30). Now the host gets one new
request per run and its other URLs come back host_skipped (unsent) with the time they may be asked
(retry_at), the wait kept in host_waits for the next runs: no run stalls on the host either."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tasks.http import FetchRequest, HostBook, HttpSettings, fetch_all, host_key
from tests.hostile_server import article_html
from tests.rawserver import RawConn, RawServer, response

pytestmark = pytest.mark.timeout(60)

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, max_feed_bytes=1_000_000,
                    max_page_bytes=1_000_000, max_retries=2, backoff_base_s=0.01, backoff_max_s=0.05,
                    per_host_min_interval_s=0.0, per_host_concurrency=2, allow_private_networks=True,
                    max_retry_after_s=5.0, stall_s=0.5, max_crawl_delay_s=0.5)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _robots(delay: str):
    def route(c: RawConn, target: str) -> bool:
        c.send(response("200 OK", f"User-agent: *\nCrawl-delay: {delay}\nDisallow: /private/\n".encode(),
                        {"Content-Type": "text/plain"}))
        return True
    return route


def _page(c: RawConn, target: str) -> bool:
    c.send(response("200 OK", article_html(target).encode(), HTML))
    return True


def _pages(s: RawServer) -> list[str]:
    return [p for p in s.paths() if p != "/robots.txt"]


@pytest.mark.parametrize("delay", ["120", "3600", "45.5"])
def test_a_long_crawl_delay_gives_one_request_per_run_and_defers_the_rest(delay):
    with RawServer({"/robots.txt": _robots(delay), "/p/": _page}) as s:
        book = HostBook()
        t0 = time.monotonic()
        results = fetch_all([FetchRequest(f"{s.base}/p/{i}") for i in range(4)], FAST, book)
        took = time.monotonic() - t0
        assert [r.outcome for r in results].count("ok") == 1, results
        assert len(_pages(s)) == 1  # one page asked, not four at the run's 0.5 s cap
        deferred = [r for r in results if r.outcome != "ok"]
        for r in deferred:
            assert r.outcome == "host_skipped" and not r.sent and f"Crawl-delay of {float(delay):g}s" in r.error
            expected = datetime.now(UTC) + timedelta(seconds=float(delay))
            assert abs((r.retry_at - expected).total_seconds()) < 10
        assert took < 5 * FAST.max_crawl_delay_s + 2  # no stall on the host (0.5 s cap, 5x margin)
        # the next runs keep it: host_waits carries the host's next allowed start
        [row] = book.wait_rows("run-1", datetime.now(UTC))
        assert row["host"] == host_key(s.base) and "Crawl-delay" in row["reason"]
        later = HostBook(waits={row["host"]: (row["not_before"], row["reason"])})
        again = fetch_all([FetchRequest(f"{s.base}/p/{i}") for i in range(4, 6)], FAST, later)
        assert [r.outcome for r in again] == ["host_skipped"] * 2 and len(_pages(s)) == 1


def test_a_crawl_delay_the_run_can_wait_still_spaces_every_page():
    """'Crawl-delay: 0.3' under the 0.5 s cap: all pages in this run, each 0.3 s after the last (as before)."""
    with RawServer({"/robots.txt": _robots("0.3"), "/p/": _page}) as s:
        book = HostBook()
        results = fetch_all([FetchRequest(f"{s.base}/p/{i}") for i in range(3)], FAST, book)
        assert [r.outcome for r in results] == ["ok"] * 3 and book.wait_rows("r", datetime.now(UTC)) == []
        starts = sorted(t for p, t, _ in s.log if p != "/robots.txt")
        assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.29


def test_a_long_crawl_delay_on_one_host_holds_no_other_host():
    with RawServer({"/robots.txt": _robots("600"), "/p/": _page}) as slow, \
            RawServer({"/robots.txt": _robots("0"), "/p/": _page}, addr="127.0.0.2") as fast:  # another host
        reqs = [FetchRequest(f"{base}/p/{i}") for i in range(3) for base in (slow.base, fast.base)]
        results = fetch_all(reqs, replace(FAST, max_crawl_delay_s=30.0))
        by_host = {base: [r.outcome for r in results if r.url.startswith(base)] for base in (slow.base, fast.base)}
        assert by_host[fast.base] == ["ok"] * 3
        assert sorted(by_host[slow.base]) == ["host_skipped", "host_skipped", "ok"]
