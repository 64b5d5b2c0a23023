"""A page kept cut short, across runs: real runs of the `ingest` flow on one warehouse against a
raw-socket server (tests/rawserver.py) whose article pages are cut where a tag ended (a real
Arabic page, tests/fixtures/realpages) on every request of the first run.

Changed behaviour (each test failed before): a page kept as it came after every attempt of a run
was cut short (the 'page cut short' warning) was settled for good: never asked again, its second
half lost. Now it is queued for a later run after a wait (1 h, then 2 h; tasks.select
cut_retry_wait) within the 3 attempts of a page, the feed unchanged or not; a whole copy then
replaces the cut one (the same article row, its signature and story follow; a page stored under
its rel=canonical URL is replaced there, not kept a second time under its own URL as a page whose
text disagrees); a later attempt that fails keeps the stored cut copy (never the feed's summary
in its place) and still counts.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pytest

from tests.hostile_server import item, rss
from tests.rawserver import RawConn, RawServer, response

pytestmark = pytest.mark.timeout(600)

ENV = {"AKHBAR_CONNECT_TIMEOUT_S": "2", "AKHBAR_READ_TIMEOUT_S": "1.5", "AKHBAR_TOTAL_TIMEOUT_S": "4",
       "AKHBAR_MAX_RETRIES": "1", "AKHBAR_HOST_INTERVAL_S": "0", "AKHBAR_EXTRACT_WORKERS": "1",
       "AKHBAR_SNAPSHOT": "0"}
REAL = Path(__file__).parent / "fixtures" / "realpages"
PAGE = gzip.open(REAL / "cnn_arabic.html.gz").read()
_ENDS = [m.end() for m in re.finditer(rb"</p>", PAGE)]  # the story's 7 paragraphs, then the site's 2
CUT = PAGE[: _ENDS[3]]  # up to the story's 4th paragraph: Content-Length right, no </body>
HTML = {"Content-Type": "text/html; charset=utf-8"}
_CNN_CANONICAL = b"http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
# the story's last paragraph's last words (only in the whole copy)
TAIL = re.sub(r"<[^>]+>", "", PAGE[_ENDS[5]:_ENDS[6]].decode()).split()[-4:-1]


def _page(path: str, cut: bool = False) -> bytes:
    """The page for one URL: its name in each paragraph (lines repeated on an outlet's pages are
    boilerplate), /news/canon.html naming its canonical URL on its own host; cut: up to its story's
    4th paragraph (as CUT)."""
    page = PAGE.replace(b"</p>", b" [" + path.rsplit("/", 1)[-1].encode() + b"]</p>")
    if path.endswith("canon.html"):
        page = page.replace(_CNN_CANONICAL, b"/news/canon-story.html")
    return page[: [m.end() for m in re.finditer(rb"</p>", page)][3]] if cut else page


def _route(state: dict):
    def route(c: RawConn, target: str) -> bool:
        path = target.split("?")[0]
        if path == "/robots.txt":
            c.send(response("404 Not Found", b""))
        elif path == "/feed":
            c.send(response("200 OK", rss(item("خبر أول", "/news/heals.html") + item("خبر ثان", "/news/fails.html")
                                          + item("خبر ثالث", "/news/canon.html")).encode(),
                            {"Content-Type": "application/rss+xml"}))
        elif state["phase"] == "cut":
            c.send(response("200 OK", _page(path, cut=True), HTML))
        elif path.endswith("fails.html"):
            c.send(response("503 Service Unavailable", b"down", HTML))
        else:
            c.send(response("200 OK", _page(path), HTML))
        return True
    return route


def _query(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _age(db: Path, hours: int) -> None:
    """As if `hours` had passed since the last run: its fetches and queue waits moved back."""
    con = duckdb.connect(str(db))
    try:
        con.execute(f"UPDATE articles SET fetched_at = fetched_at - INTERVAL {hours} HOUR")
        con.execute(f"UPDATE entry_queue SET not_before = not_before - INTERVAL {hours} HOUR "
                    "WHERE not_before IS NOT NULL")
    finally:
        con.close()


def _state(db: Path, run_id: str) -> dict:
    arts = {r["url"].rsplit("/", 1)[-1]: r for r in _query(
        db, "SELECT url, canonical_url, article_id, fetch_outcome, fetch_error, fetch_attempts, text, extraction_status "
            "FROM articles")}
    queue = {r["url"].rsplit("/", 1)[-1]: r for r in _query(db, "SELECT url, state, reason, not_before FROM entry_queue")}
    errors = [r for r in _query(db, "SELECT url, outcome, error, run_id FROM run_errors") if r["run_id"] == run_id]
    sigs = {r["article_id"]: r["n"] for r in _query(
        db, "SELECT article_id, count(*) AS n FROM article_signatures GROUP BY ALL")}
    return dict(articles=arts, queue=queue, errors=errors, sigs=sigs)


def ingest_runs(tmp: Path, route, state: dict, plan: list[tuple[str, int]], read) -> list[dict]:
    """Runs of the `ingest` flow on one warehouse against a raw-socket server answering with
    `route(state)`: for each (phase, hours) of `plan`, state["phase"] set, the warehouse aged by
    `hours` (_age), one run, and read(db, run_id) with the run's status and the /news/ paths it asked."""
    from flows.ingest import ingest

    db = tmp / "akhbar.duckdb"
    out = []
    mp = pytest.MonkeyPatch()
    with RawServer({"/": route(state)}) as server:
        catalog = tmp / "catalog.toml"
        catalog.write_text("\n".join(["[[feeds]]", 'outlet_id = "youm"', f"outlet_name = {json.dumps('اليوم السابع')}",
                                      'country = "EG"', f'url = "{server.base}/feed"', ""]), "utf-8")
        try:
            for k, v in ENV.items():
                mp.setenv(k, v)
            for phase, hours in plan:
                state["phase"] = phase
                if hours:
                    _age(db, hours)
                asked = len(server.paths())
                result = ingest(catalog=str(catalog), db=str(db), allow_private_networks=True)
                run = read(db, result["run_id"])
                run["status"] = result["status"]
                run["asked"] = [p for p in server.paths()[asked:] if p.startswith("/news/")]
                out.append(run)
        finally:
            mp.undo()
    return out


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    plan = [("cut", 0), ("whole", 0), ("whole", 2)]  # (what the server sends, hours aged before the run)
    return ingest_runs(tmp_path_factory.mktemp("cutreruns"), _route, {"phase": "cut"}, plan, _state)


def test_runs_complete(runs):
    assert [r["status"] for r in runs] == ["completed"] * 3


def test_a_page_cut_on_every_attempt_is_kept_and_queued_for_a_later_run(runs):
    first = runs[0]
    for name in ("heals.html", "fails.html"):
        art = first["articles"][name]
        assert art["fetch_outcome"] == "ok" and art["fetch_error"].startswith("page cut short"), art
        assert art["extraction_status"] == "ok" and art["fetch_attempts"] == 1
        q = first["queue"][name]
        assert q["state"] == "retry" and "asked again after 1 h" in q["reason"] and "attempt 1 of 3" in q["reason"], q
    assert {e["outcome"] for e in first["errors"] if e["url"].endswith((".html",))} == {"page_cut_short"}


def test_it_is_not_asked_again_before_its_wait_is_over(runs):
    assert runs[1]["asked"] == []
    assert runs[1]["articles"]["heals.html"]["fetch_attempts"] == 1


def test_a_whole_copy_replaces_the_cut_one(runs):
    before, after = runs[1]["articles"]["heals.html"], runs[2]["articles"]["heals.html"]
    assert "/news/heals.html" in runs[2]["asked"]
    assert after["article_id"] == before["article_id"] and after["fetch_error"] is None
    assert (after["fetch_outcome"], after["fetch_attempts"]) == ("ok", 2)
    assert len(after["text"]) > len(before["text"]) and all(w in after["text"] for w in TAIL)
    assert runs[2]["sigs"].get(after["article_id"]) == 1  # one signature, of the whole copy
    assert runs[2]["queue"]["heals.html"]["state"] == "done"
    assert len([a for a in runs[2]["articles"].values() if a["article_id"] == after["article_id"]]) == 1


def test_a_later_attempt_that_fails_keeps_the_stored_cut_copy_and_counts(runs):
    before, after = runs[1]["articles"]["fails.html"], runs[2]["articles"]["fails.html"]
    assert "/news/fails.html" in runs[2]["asked"]
    assert after["text"] == before["text"] and after["fetch_error"] == before["fetch_error"]  # not the summary
    assert after["fetch_attempts"] == 2
    q = runs[2]["queue"]["fails.html"]
    assert q["state"] == "retry" and "asked again after 2 h" in q["reason"] and "attempt 2 of 3" in q["reason"], q
    [err] = [e for e in runs[2]["errors"] if e["url"].endswith("fails.html")]
    assert "kept cut short" in err["error"] and "stored copy is kept" in err["error"], err


def test_a_whole_copy_of_a_page_stored_under_its_canonical_url_replaces_it_there(runs):
    """The cut copy was stored under the page's rel=canonical URL: the whole copy, whose text differs,
    replaces it there, not stored a second time under the page's own URL as a conflicting claim."""
    stored = [a for a in runs[2]["articles"].values() if "canon" in a["url"] or "canon" in (a["canonical_url"] or "")]
    assert len(stored) == 1, stored
    [art] = stored
    assert art["canonical_url"].endswith("/news/canon-story.html") and art["fetch_error"] is None
    assert all(w in art["text"] for w in TAIL) and art["fetch_attempts"] == 2
