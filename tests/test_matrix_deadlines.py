"""The bad-input matrix, time and stops (issue 11 case 7, Retry-After memory): real `ingest` runs
against real local servers (tests/hostile_server.py), several runs on one warehouse each.

* a host that stalls on every feed (headers, then a byte a second): two timeouts in a row, then
  the host is skipped for the rest of the run, every feed recorded with why; the feeds back off,
  so the next run does not touch the host at all;
* the fetch stage's deadline: what is not fetched by then is recorded (`deadline`, with the
  reason), the feeds keep their schedule, the pages wait in `entry_queue` without an attempt
  counted, and the next run fetches all of them;
* Retry-After 3600 remembered: a feed's own (feeds.next_fetch_at), a page's own
  (entry_queue.not_before) and a host's (host_waits, after two URLs in a row): the next runs
  do not ask before the hour is over, and do once it is;
* a run stopped by its flow timeout, and one cancelled (SIGTERM, as a Prefect cancellation
  delivers it), still record the run, every due feed, and the pages fetched so far (archived and
  stored as articles); the pages not fetched are queued and the next run fetches them.

Timing: the servers' pauses are short but the assertions are on recorded outcomes and request
counts, with wide margins, so they hold on a loaded 2-core machine.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from tests.hostile_server import start_hostile_server
from tests.test_matrix_reruns import _catalog, _query

pytestmark = pytest.mark.timeout(600)

BASE_ENV = {
    "AKHBAR_CONNECT_TIMEOUT_S": "3", "AKHBAR_READ_TIMEOUT_S": "8", "AKHBAR_TOTAL_TIMEOUT_S": "30",
    "AKHBAR_MAX_RETRIES": "2", "AKHBAR_HOST_INTERVAL_S": "0", "AKHBAR_HOST_CONCURRENCY": "2",
    "AKHBAR_CONCURRENCY": "16", "AKHBAR_EXTRACT_WORKERS": "1", "AKHBAR_SNAPSHOT": "0",
}


def _good_feed(base: str, tag: str, n: int) -> str:
    return f"{base}/mx/feed?" + urlencode([("tag", tag)] + [("to", f"/mx/article/{tag}-{i}.html") for i in range(n)])


def _requests(log, prefix: str) -> int:
    return sum(1 for p in log.paths() if p.startswith(prefix))


# --- a host that stalls on every feed ------------------------------------------------------------

STALL_FEEDS = 40  # the 300, scaled: the rule, not the count, is what is tested


@pytest.fixture(scope="module")
def stalling(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest

    stall_base, stop_stall, stall_log = start_hostile_server()
    good_base, stop_good, _ = start_hostile_server()
    tmp = tmp_path_factory.mktemp("stall")
    feeds = [(f"stall{i}", f"{stall_base}/slowloris/feed-{i}.xml?every=1") for i in range(STALL_FEEDS)]
    feeds.append(("good", _good_feed(good_base, "good", 4)))
    catalog = _catalog(tmp / "catalog.toml", feeds)
    db = tmp / "akhbar.duckdb"
    mp = pytest.MonkeyPatch()
    out = []
    try:
        for k, v in {**BASE_ENV, "AKHBAR_STALL_S": "2"}.items():
            mp.setenv(k, v)
        for _ in range(2):
            before = len(stall_log.paths())
            started = time.monotonic()
            result = ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
            out.append(dict(result=result, seconds=time.monotonic() - started,
                            requests=[p for p in stall_log.paths()[before:] if p.startswith("/slowloris/")]))
    finally:
        mp.undo()
        stop_stall()
        stop_good()
    return dict(db=db, runs=out, stall_base=stall_base)


def test_stalling_host_is_skipped_after_two_timeouts_in_a_row(stalling):
    db, first = stalling["db"], stalling["runs"][0]
    assert first["result"]["status"] == "completed"
    rows = _query(db, "SELECT outcome, error, attempts FROM feed_fetches WHERE url LIKE ? AND run_id = ?",
                  [stalling["stall_base"] + "/slowloris/%", first["result"]["run_id"]])
    assert len(rows) == STALL_FEEDS  # every feed recorded
    timeouts = [r for r in rows if r["outcome"] == "timeout"]
    skipped = [r for r in rows if r["outcome"] == "host_skipped"]
    # two in flight at once (per-host concurrency 2), at most one more started as the first ended
    assert 2 <= len(timeouts) <= 3, rows
    assert all("stalled" in r["error"] for r in timeouts), timeouts
    assert len(skipped) == STALL_FEEDS - len(timeouts)
    assert all("timed out 2 times in a row" in r["error"] and "skipped for the rest of the run" in r["error"]
               and r["attempts"] == 0 for r in skipped), skipped[:2]
    assert len(first["requests"]) == len(timeouts)  # skipped feeds never reached the server
    errs = _query(db, "SELECT outcome FROM run_errors WHERE stage = 'feed' AND run_id = ?", [first["result"]["run_id"]])
    assert sorted(e["outcome"] for e in errs) == sorted(r["outcome"] for r in rows)
    assert "skipped for the rest of the run after repeated timeouts" in first["result"]["summary"]


def test_stalled_feeds_back_off_so_the_next_run_leaves_the_host_alone(stalling):
    db = stalling["db"]
    health = _query(db, "SELECT health, consecutive_failures, next_fetch_at, last_attempt_at FROM feed_health "
                        "WHERE url LIKE ?", [stalling["stall_base"] + "/slowloris/%"])
    assert len(health) == STALL_FEEDS
    assert all(h["health"] == "failing" and h["next_fetch_at"] > h["last_attempt_at"] + timedelta(minutes=10)
               for h in health), health[:2]
    second = stalling["runs"][1]
    assert second["result"]["status"] == "completed"
    assert second["requests"] == []  # in backoff: not one request to the stalling host
    assert second["result"]["feeds_skipped"] == STALL_FEEDS


def test_good_feed_of_the_same_run_fully_stored(stalling):
    rows = _query(stalling["db"], "SELECT fetch_outcome, extraction_status FROM articles WHERE url LIKE '%/good-%'")
    assert len(rows) == 4 and all(r["fetch_outcome"] == "ok" and r["extraction_status"] == "ok" for r in rows)


# --- the fetch stage's deadline ------------------------------------------------------------------

SLOW_FEEDS = 12


@pytest.fixture(scope="module")
def deadline(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest

    base, stop, log = start_hostile_server()
    tmp = tmp_path_factory.mktemp("deadline")
    # one feed at a time, each answering after 1 s: ~12 s of feeds against a 4 s deadline
    feeds = [(f"slow{i}", f"{base}/slow/feed-{i}.xml?s=1&as=feed&id={i}") for i in range(SLOW_FEEDS)]
    catalog = _catalog(tmp / "catalog.toml", feeds)
    db = tmp / "akhbar.duckdb"
    mp = pytest.MonkeyPatch()
    out = []
    try:
        for k, v in {**BASE_ENV, "AKHBAR_HOST_CONCURRENCY": "1"}.items():
            mp.setenv(k, v)
        for limit in ("4", "600"):
            mp.setenv("AKHBAR_FETCH_DEADLINE_S", limit)
            result = ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
            out.append(dict(result=result, fetches=_query(db, "SELECT * FROM feed_fetches WHERE run_id = ?",
                                                           [result["run_id"]]),
                            queue=_query(db, "SELECT * FROM entry_queue"),
                            articles=_query(db, "SELECT * FROM articles"), feeds=_query(db, "SELECT * FROM feeds")))
    finally:
        mp.undo()
        stop()
    return dict(db=db, runs=out, base=base, log=log)


def test_deadline_ends_the_fetch_stage_and_says_so(deadline):
    first = deadline["runs"][0]
    assert first["result"]["status"] == "completed"
    by = {}
    for f in first["fetches"]:
        by.setdefault(f["outcome"], []).append(f)
    assert len(first["fetches"]) == SLOW_FEEDS
    assert set(by) == {"ok", "deadline"}, by.keys()  # some answered, the deadline stopped the rest
    unasked = [f for f in by["deadline"] if f["attempts"] == 0]
    assert len(unasked) >= len(by["deadline"]) - 1 and unasked  # at most one was cut off midway
    assert all("not requested: the fetch stage's deadline" in f["error"] for f in unasked)
    assert all("deadline" in f["error"] and "ended the request" in f["error"]
               for f in by["deadline"] if f["attempts"])
    # the answered feeds' pages: fetched before the deadline, or left for the next run (never
    # requested, or cut off by the deadline): queued, no article, no attempt counted
    queue = {q["url"]: q for q in first["queue"]}
    arts = {a["url"]: a for a in first["articles"]}
    pages = sorted(set(queue) | set(arts))
    assert len(pages) == len(by["ok"]), pages
    deferred = [u for u in pages if queue.get(u, {}).get("state") == "deferred"]
    assert deferred
    for url in pages:
        q, a = queue.get(url, {}), arts.get(url)
        if url in deferred:
            assert q["reason"].startswith("deadline: ") and a is None, (q, a)
        else:
            assert a["fetch_outcome"] == "ok", (q, a)
    errs = _query(deadline["db"], "SELECT stage, outcome FROM run_errors WHERE run_id = ?", [first["result"]["run_id"]])
    assert sum(1 for e in errs if e == {"stage": "page", "outcome": "deadline"}) == len(deferred)
    assert "pages not requested (" in first["result"]["summary"] and "fetch deadline" in first["result"]["summary"]


def test_feeds_not_reached_keep_their_schedule(deadline):
    """A feed the deadline kept from being asked is not failing, not backing off: due next run."""
    first = deadline["runs"][0]
    never = {f["url"] for f in first["fetches"] if f["outcome"] == "deadline"}
    rows = [r for r in first["feeds"] if r["url"] in never]
    assert len(rows) == len(never)
    assert all(r["last_outcome"] == "deadline" and r["consecutive_failures"] == 0 and r["next_fetch_at"] is None
               and r["last_attempt_at"] is None and not r["disabled"] for r in rows), rows


def test_next_run_fetches_everything_the_deadline_left(deadline):
    second = deadline["runs"][1]
    assert second["result"]["status"] == "completed"
    arts = second["articles"]
    assert len(arts) == SLOW_FEEDS, [a["url"] for a in arts]
    assert all(a["fetch_outcome"] == "ok" and a["extraction_status"] == "ok" and a["fetch_attempts"] == 1
               for a in arts), [(a["url"], a["fetch_attempts"]) for a in arts]
    assert all(q["state"] == "done" for q in second["queue"]), second["queue"]


# --- Retry-After 3600, remembered ----------------------------------------------------------------


@pytest.fixture(scope="module")
def waits(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest

    feed_srv, stop1, log1 = start_hostile_server()  # one feed answering 429: that feed waits
    host_srv, stop2, log2 = start_hostile_server()  # every feed answering 429: the host waits
    page_srv, stop3, log3 = start_hostile_server()  # one page answering 429 among good ones: that page waits
    servers = [stop.server for stop in (stop1, stop2, stop3)]  # type: ignore[attr-defined]
    tmp = tmp_path_factory.mktemp("waits")
    feeds = [("limited", f"{feed_srv}/ratelimited/feed.xml?as=feed&id=1")]
    feeds += [(f"host{i}", f"{host_srv}/ratelimited/feed-{i}.xml?as=feed&id={i}") for i in range(4)]
    feeds.append(("pages", f"{page_srv}/mx/feed?" + urlencode(
        [("tag", "w"), ("to", "/ratelimited/page.html?as=article"), ("to", "/mx/article/w-ok.html")])))
    catalog = _catalog(tmp / "catalog.toml", feeds)
    db = tmp / "akhbar.duckdb"
    mp = pytest.MonkeyPatch()
    runs, counts = [], []
    try:
        for k, v in {**BASE_ENV, "AKHBAR_HOST_CONCURRENCY": "1"}.items():
            mp.setenv(k, v)
        for i in range(3):
            if i == 2:  # an hour and a bit later: the servers are well, the waits are over
                for srv in servers:
                    srv.unwell = False
                _pass_the_hour(db)
            marks = [len(log.paths()) for log in (log1, log2, log3)]
            runs.append(ingest(catalog=str(catalog), db=str(db), allow_private_networks=True,
                               ignore_backoff=i == 1))
            runs[-1]["queue"] = _query(db, "SELECT * FROM entry_queue")
            runs[-1]["articles"] = _query(db, "SELECT * FROM articles")
            runs[-1]["feeds"] = _query(db, "SELECT f.*, ff.attempted_at FROM feeds f LEFT JOIN feed_fetches ff "
                                           "ON ff.feed_id = f.feed_id AND ff.run_id = ?", [runs[-1]["run_id"]])
            runs[-1]["host_waits"] = _query(db, "SELECT * FROM host_waits")
            runs[-1]["finished_at"] = _query(db, "SELECT finished_at FROM runs WHERE run_id = ?",
                                             [runs[-1]["run_id"]])[0]["finished_at"]
            counts.append([[p for p in log.paths()[m:] if p != "/robots.txt"]
                           for log, m in zip((log1, log2, log3), marks, strict=True)])
    finally:
        mp.undo()
        for stop in (stop1, stop2, stop3):
            stop()
    return dict(db=db, runs=runs, requests=counts, feed_srv=feed_srv, host_srv=host_srv, page_srv=page_srv)


def _pass_the_hour(db: Path) -> None:
    """Move every remembered wait and backoff into the past (as if the hour had passed)."""
    con = duckdb.connect(str(db))
    try:
        past = datetime.now(UTC) - timedelta(minutes=1)
        con.execute("UPDATE feeds SET next_fetch_at = ? WHERE next_fetch_at > ?", [past, past])
        con.execute("UPDATE host_waits SET not_before = ?", [past])
        con.execute("UPDATE entry_queue SET not_before = ? WHERE not_before IS NOT NULL", [past])
    finally:
        con.close()


def _ahead(when: datetime | None, ref: datetime) -> float:
    return (when - ref).total_seconds() if when else 0.0


def test_feed_retry_after_sets_its_next_fetch(waits):
    [row] = [f for f in waits["runs"][0]["feeds"] if f["url"].startswith(waits["feed_srv"])]
    assert row["last_status"] == 429 and "Retry-After 3600" in row["last_error"]
    assert 3500 < _ahead(row["next_fetch_at"], row["attempted_at"]) < 3700, row


def test_host_retry_after_twice_in_a_row_holds_for_the_host(waits):
    first = waits["runs"][0]
    rows = _query(waits["db"], "SELECT outcome, http_status, error FROM feed_fetches WHERE url LIKE ? AND run_id = ? "
                               "ORDER BY attempted_at", [waits["host_srv"] + "%", first["run_id"]])
    assert [r["outcome"] for r in rows].count("http_error") == 2, rows  # two answers, then the host waits
    skipped = [r for r in rows if r["outcome"] == "host_skipped"]
    assert len(skipped) == 2 and all("asked not to be contacted before" in r["error"] for r in skipped), rows
    assert len(waits["requests"][0][1]) == 2  # only the two that answered 429 went out
    [hw] = first["host_waits"]
    assert hw["host"] == waits["host_srv"].removeprefix("http://") and "Retry-After 3600" in hw["reason"]
    assert 3500 < _ahead(hw["not_before"], hw["updated_at"]) < 3700


def _page(run: dict, srv: str, path: str) -> tuple[dict, dict]:
    [a] = [a for a in run["articles"] if a["url"].startswith(srv + path)]
    [q] = [q for q in run["queue"] if q["url"].startswith(srv + path)] or [{}]
    return a, q


def test_page_retry_after_waits_for_that_page_only(waits):
    first = waits["runs"][0]
    ok, _ = _page(first, waits["page_srv"], "/mx/article/w-ok.html")
    assert ok["fetch_outcome"] == "ok"  # the same host's other page: fetched
    a, q = _page(first, waits["page_srv"], "/ratelimited/page.html")
    assert (a["fetch_outcome"], a["http_status"], a["fetch_attempts"]) == ("http_error", 429, 1), a
    assert q["state"] == "retry" and "Retry-After 3600" in q["reason"]
    assert 3500 < _ahead(q["not_before"], first["finished_at"]) < 3700, q
    assert not _query(waits["db"], "SELECT 1 FROM host_waits WHERE host = ?", [waits["page_srv"].removeprefix("http://")])


def test_next_runs_do_not_ask_before_the_hour_is_over(waits):
    """Run 2 comes right after run 1, with --ignore-backoff: the host that asked for an hour
    gets no request, nor does the page; the feed is polled (backoff ignored by request)."""
    feed_reqs, host_reqs, page_reqs = waits["requests"][1]
    assert host_reqs == [], host_reqs
    assert not [p for p in page_reqs if p.startswith("/ratelimited/")], page_reqs
    second = waits["runs"][1]["run_id"]
    rows = _query(waits["db"], "SELECT outcome, error FROM feed_fetches WHERE url LIKE ? AND run_id = ?",
                  [waits["host_srv"] + "%", second])
    assert len(rows) == 4 and all(r["outcome"] == "host_skipped" and "asked not to be contacted" in r["error"]
                                  for r in rows)
    # the page: still queued with the server's time, still on its first attempt
    a, q = _page(waits["runs"][1], waits["page_srv"], "/ratelimited/page.html")
    assert a["fetch_attempts"] == 1 and q["state"] == "retry" and q["not_before"] is not None


def test_once_the_hour_is_over_everything_is_fetched(waits):
    third = waits["runs"][2]
    assert third["status"] == "completed"
    feed_reqs, host_reqs, page_reqs = waits["requests"][2]
    assert [p for p in feed_reqs if p.startswith("/ratelimited/feed.xml")]
    assert len([p for p in host_reqs if p.startswith("/ratelimited/")]) == 4
    assert [p for p in page_reqs if p.startswith("/ratelimited/page.html")]
    a, q = _page(third, waits["page_srv"], "/ratelimited/page.html")
    assert (a["fetch_outcome"], a["extraction_status"], a["fetch_attempts"]) == ("ok", "ok", 2), a
    assert q["state"] == "done"
    fetches = _query(waits["db"], "SELECT outcome FROM feed_fetches WHERE run_id = ?", [third["run_id"]])
    assert all(f["outcome"] in ("ok", "unchanged") for f in fetches), fetches  # the pages feed: unchanged


# --- a run stopped midway: flow timeout, cancellation ----------------------------------------------

GOOD_PAGES, HUNG_PAGES = 5, 4


def _stopped_catalog(tmp: Path, good: str, hung: str) -> Path:
    path = _catalog(tmp / "catalog.toml", [
        ("good", _good_feed(good, "stop", GOOD_PAGES)),
        ("hung", f"{hung}/mx/feed?" + urlencode([("tag", "h")] + [("to", f"/hang/page-{i}.html?as=article")
                                                                  for i in range(HUNG_PAGES)])),
    ])
    # "good" is a wire agency's own service (Lebanon's NNA): what a stop salvages is attributed so too
    path.write_text(path.read_text("utf-8").replace('outlet_id = "good"\n', 'outlet_id = "good"\nagency = "nna"\n'),
                    "utf-8")
    return path


def _run_stopped(flow, catalog: Path, db: Path, good_log, hung_srv, stop_how: str):
    """Run `flow` until the good pages are all served and the hung ones requested, then stop it
    (SIGTERM now, or let its timeout strike); then a second, normal run with the server well."""
    from flows.ingest import ingest

    def trigger() -> None:
        for _ in range(1200):
            served = sum(1 for p in good_log.paths() if p.startswith("/mx/article/stop-"))
            if served >= GOOD_PAGES and hung_srv.log.paths().count("/robots.txt") and any(
                    p.startswith("/hang/") for p in hung_srv.log.paths()):
                break
            time.sleep(0.1)
        if stop_how == "sigterm":
            time.sleep(5)  # the good pages were requested: let their answers arrive
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # Prefect re-sends SIGTERM to it at the end
    watcher = threading.Thread(target=trigger, daemon=True)
    watcher.start()
    from prefect.exceptions import TerminationSignal

    try:
        state = flow(catalog=str(catalog), db=str(db), allow_private_networks=True, return_state=True)
    except TerminationSignal:  # the run crashed on the signal, as a cancelled flow run's process does
        state = None
    finally:
        signal.signal(signal.SIGTERM, previous)
    watcher.join(timeout=5)
    after_stop = _snapshot(db)
    hung_srv.unwell = False
    result = ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
    return state, after_stop, result


def _snapshot(db: Path) -> dict:
    return dict(runs=_query(db, "SELECT * FROM runs"), fetches=_query(db, "SELECT * FROM feed_fetches"),
                feeds=_query(db, "SELECT * FROM feeds"), articles=_query(db, "SELECT * FROM articles"),
                queue=_query(db, "SELECT * FROM entry_queue"), errors=_query(db, "SELECT * FROM run_errors"))


# The flow-timeout variant waits out a 45 s timeout (~75 s in all): heavy; the SIGTERM one runs by default.
@pytest.fixture(scope="module", params=[pytest.param("timeout", marks=pytest.mark.heavy), "sigterm"])
def stopped(request, prefect_harness, tmp_path_factory):
    from flows.ingest import ingest

    good, stop_good, good_log = start_hostile_server()
    hung, stop_hung, _ = start_hostile_server()
    tmp = tmp_path_factory.mktemp(f"stopped-{request.param}")
    catalog = _stopped_catalog(tmp, good, hung)
    db = tmp / "akhbar.duckdb"
    mp = pytest.MonkeyPatch()
    try:
        # both servers are 127.0.0.1 (one host for politeness): room for the hung pages and the good ones
        for k, v in {**BASE_ENV, "AKHBAR_READ_TIMEOUT_S": "300", "AKHBAR_TOTAL_TIMEOUT_S": "600",
                     "AKHBAR_HOST_CONCURRENCY": str(HUNG_PAGES + 2)}.items():
            mp.setenv(k, v)
        flow = ingest.with_options(timeout_seconds=45) if request.param == "timeout" else ingest
        state, after, result = _run_stopped(flow, catalog, db, good_log, stop_hung.server,  # type: ignore[attr-defined]
                                            request.param)
    finally:
        mp.undo()
        stop_good()
        stop_hung()
    return dict(how=request.param, state=state, after=after, result=result, db=db, good=good, hung=hung)


# Prefect's timeout is an alarm signal in the main thread; pytest-timeout's own alarm would make
# Prefect fall back to a watcher thread that cannot interrupt a blocking wait: use its thread method.
@pytest.mark.timeout(600, method="thread")
def test_stopped_run_records_run_and_every_feed(stopped):
    state, after = stopped["state"], stopped["after"]
    if stopped["how"] == "timeout":
        assert state.name == "TimedOut", state
    else:
        assert state is None  # the signal went on, out of the flow run
    [run] = after["runs"]
    assert run["status"].startswith("interrupted: "), run["status"]
    assert ("flow's timeout of 45 s" in run["status"]) if stopped["how"] == "timeout" else ("SIGTERM" in run["status"])
    assert len(after["fetches"]) == 2 and all(f["outcome"] == "ok" for f in after["fetches"]), after["fetches"]
    assert len(after["feeds"]) == 2 and all(f["last_outcome"] == "ok" for f in after["feeds"])


@pytest.mark.timeout(600, method="thread")
def test_stopped_run_keeps_the_pages_it_fetched(stopped):
    after = stopped["after"]
    good = [a for a in after["articles"] if "/mx/article/stop-" in a["url"]]
    assert len(good) == GOOD_PAGES, [a["url"] for a in after["articles"]]
    assert all(a["fetch_outcome"] == "ok" and a["extraction_status"] == "ok" and a["warc_file"] for a in good), good
    # the agency's own service's pages credit no agency: the agency's copies (the catalog, via salvage)
    assert {(a["wire_agency"], a["agency_evidence"]) for a in good} == {("nna", "outlet: the agency's own service (catalog)")}
    from warehouse.paths import data_dir_for

    assert all((data_dir_for(stopped["db"]) / "archive" / a["warc_file"]).exists() for a in good)
    hung = [q for q in after["queue"] if "/hang/" in q["url"]]
    assert len(hung) == HUNG_PAGES and all(q["state"] == "deferred" and q["reason"].startswith("interrupted:")
                                           for q in hung), hung
    assert not [a for a in after["articles"] if "/hang/" in a["url"]]


@pytest.mark.timeout(600, method="thread")
def test_next_run_after_a_stop_fetches_the_rest(stopped):
    result = stopped["result"]
    assert result["status"] == "completed"
    arts = _query(stopped["db"], "SELECT url, fetch_outcome, extraction_status, fetch_attempts FROM articles")
    assert len(arts) == GOOD_PAGES + HUNG_PAGES
    assert all(a["fetch_outcome"] == "ok" and a["extraction_status"] == "ok" and a["fetch_attempts"] == 1
               for a in arts), arts
    runs = _query(stopped["db"], "SELECT status FROM runs ORDER BY started_at")
    assert [r["status"].split(":")[0] for r in runs] == ["interrupted", "completed"]


def test_every_setting_is_in_the_readme():
    """Each AKHBAR_* variable flows/settings.py reads is documented in a README settings table."""
    import re

    root = Path(__file__).resolve().parents[1]
    names = set(re.findall(r'"(AKHBAR_[A-Z0-9_]+)"', (root / "flows" / "settings.py").read_text("utf-8")))
    readme = root.joinpath("README.md").read_text("utf-8")
    assert {"AKHBAR_FETCH_DEADLINE_S", "AKHBAR_HOST_MAX_TIMEOUTS", "AKHBAR_STALL_S", "AKHBAR_FLOW_TIMEOUT_S"} <= names
    assert not [n for n in sorted(names) if f"`{n}`" not in readme]
