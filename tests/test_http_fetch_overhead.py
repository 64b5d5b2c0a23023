"""What the fetch does per request and nothing more (tasks.http): the cookie jar reads only the
answers that set cookies, and the caller of a stream wakes the fetching loop only when it waits
for room; each with the behaviour it stands for kept (cookies sent back, a window honoured)."""

from __future__ import annotations

import http.cookiejar
import threading
import types
from dataclasses import replace

import pytest

from tasks import http as akhttp
from tasks.http import FetchRequest, HttpSettings, fetch_all, fetch_stream
from tests.hostile_server import start_hostile_server

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=1.0, total_timeout_s=2.5, max_retries=0,
                    per_host_min_interval_s=0.0, per_host_concurrency=4, allow_private_networks=True)


@pytest.fixture(scope="module")
def server():
    base, stop, log = start_hostile_server()
    yield base, log
    stop()


def test_the_cookie_jar_reads_only_answers_that_set_cookies(server, monkeypatch):
    """Eight pages with no Set-Cookie: the jar is not read (before: a urllib Request and Response
    built around each answer to find nothing); a cookie check's Set-Cookie still is, and the
    cookie goes back (the article comes on the second visit)."""
    base, log = server
    reads: list[str] = []
    real = http.cookiejar.CookieJar.extract_cookies
    monkeypatch.setattr(http.cookiejar.CookieJar, "extract_cookies",
                        lambda self, response, request: (reads.append(request.get_full_url()),
                                                         real(self, response, request))[1])
    results = fetch_all([FetchRequest(f"{base}/page/plain-{i}") for i in range(8)], FAST)
    assert [r.outcome for r in results] == ["ok"] * 8
    assert reads == []
    [r] = fetch_all([FetchRequest(f"{base}/cookie-check/same-url.html")], replace(FAST, max_retries=1))
    assert r.outcome == "ok" and "المفاوضات".encode() in r.body, r
    assert reads and all("/cookie-check/same-url.html" in u for u in reads)


class _Loop:
    """Stands for the fetching loop: counts the wake-ups the caller sends it."""

    def __init__(self) -> None:
        self.calls = 0

    def call_soon_threadsafe(self, fn, *args) -> None:
        self.calls += 1


def test_a_stream_caller_wakes_the_loop_only_when_it_waits_for_room():
    from tasks.models import FetchResult

    state = akhttp._Stream(n=4, window=2)
    loop = state.loop = _Loop()
    state.room = types.SimpleNamespace(set=lambda: None)  # only handed to call_soon_threadsafe
    for i in range(4):
        state.put(i, FetchResult(url=f"http://x.example/{i}", final_url=f"http://x.example/{i}", outcome="ok"))
    state.take(0)
    state.take(1)
    assert loop.calls == 0  # the loop was not waiting: before, one wake-up (a self-pipe write) a page
    state.sleeping = True  # the loop waits for room
    state.take(2)
    assert loop.calls == 1 and not state.sleeping
    state.take(3)
    assert loop.calls == 1


@pytest.mark.parametrize("window", [1, 2, 5])
def test_a_stream_with_a_small_window_gets_every_page_in_order(server, window):
    """The loop waits for room (window 1: after every page) and the caller's takes wake it: no
    page lost, none waiting for ever, in request order."""
    base, _ = server
    urls = [f"{base}/page/w{window}-{i}" for i in range(12)]
    done = threading.Event()
    got = []

    def run() -> None:
        got.extend(r.url for r in fetch_stream([FetchRequest(u) for u in urls], FAST, window=window))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(30)
    assert got == urls


class _BrokenBars:
    """A progress front end that fails (a closed console, a listener's bug)."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, n: int = 1) -> None:
        raise RuntimeError("progress display gone")


@pytest.mark.parametrize("window", [1, 3])
def test_a_failing_progress_display_loses_no_page_and_hangs_no_stream(server, window):
    """The progress call after each answer raised out of the request's task: fetch_stream's caller
    then waited for ever for that page while the loop waited for room (no result, no end), and
    fetch_all gave every page as an error. A display's failure is logged; the pages come as fetched."""
    from tasks import progress

    base, _ = server
    urls = [f"{base}/page/bars-{window}-{i}" for i in range(5)]
    previous = progress.get_reporter()
    progress.set_reporter(_BrokenBars())
    try:
        done = threading.Event()
        got = []

        def run() -> None:
            got.extend(fetch_stream([FetchRequest(u) for u in urls], FAST, window=window))
            done.set()

        threading.Thread(target=run, daemon=True).start()
        assert done.wait(30), "fetch_stream hung"
        assert [(r.url, r.outcome) for r in got] == [(u, "ok") for u in urls]
        assert [r.outcome for r in fetch_all([FetchRequest(u) for u in urls], FAST)] == ["ok"] * 5
    finally:
        progress.set_reporter(previous)
