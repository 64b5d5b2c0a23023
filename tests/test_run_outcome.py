"""How a run reads to an operator, without a server: its verdict (state), its feeds table, its
name, the deployment form built from the flow signatures, and its progress lines.

The same rules run end to end against a real `prefect server start` in test_deployments.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from flows import outcome
from flows.reporting import feed_rows
from tasks.summary import FeedLine, RunSummary


def _feed(outcome_: str, error: str | None = None, errors: int = 0, source: str = "x") -> FeedLine:
    return FeedLine(source_id=source, feed_url=f"https://{source}.example/rss", outcome=outcome_, http_status=200,
                    entries=5, new_articles=2, duplicates=0, errors=errors, error=error)


def _summary(feeds, **counts) -> RunSummary:
    s = RunSummary(run_id="ingest-test", db_path="/tmp/w.duckdb")
    s.feeds = feeds
    for k, v in counts.items():
        setattr(s, k, v)
    return s


def test_every_feed_failed_is_a_failed_run_with_the_reason():
    s = _summary([_feed("connect_error", "ConnectError: [Errno 111] Connection refused", source=f"s{i}")
                  for i in range(97)])
    v = outcome.judge_ingest(s)
    assert v.level == "failed" and v.status == "failed"
    assert v.message == ("no feed could be fetched (97 of 97 failed): are you offline? "
                         "`akhbar feeds health` shows why")


def test_load_deferred_and_partial_failures_are_warnings_not_failures():
    ok = [_feed("ok", source=f"o{i}") for i in range(7)]
    bad = [_feed("http_error", "HTTP 404", source=f"b{i}") for i in range(3)]
    v = outcome.judge_ingest(_summary(ok + bad, pages_fetched=40, pages_failed=2), load_error="Conflicting lock")
    assert v.level == "warning" and v.status == "completed (load deferred)"
    assert v.reasons[0] == "3 of 10 feeds failed"  # 30% > 20%
    assert v.reasons[1].startswith("load deferred (Conflicting lock)")
    # 1 of 10 feeds and 2 of 42 pages: below the threshold, a plain success
    v = outcome.judge_ingest(_summary(ok + bad[:1] + ok[:2], pages_fetched=40, pages_failed=2))
    assert v.level == "ok" and v.reasons == () and v.status == "completed"
    # too few to judge: 1 of 2 pages is not "half the web is down"
    assert outcome.judge_ingest(_summary(ok, pages_fetched=1, pages_failed=1)).level == "ok"


def test_nothing_due_is_said_not_hidden():
    v = outcome.judge_ingest(_summary([], feeds_skipped=97))
    assert v.level == "warning" and "no feed was due: 97 feed(s)" in v.message and "ignore_backoff" in v.message


def test_feeds_table_is_worst_first_with_the_problem_beside_the_outcome():
    s = _summary([
        _feed("ok", source="a_fine"),
        _feed("ok", "SAXParseException: not well-formed (invalid token)", source="b_recovered"),
        _feed("not_modified", source="c_same"),
        _feed("http_error", "HTTP 500", errors=1, source="d_down"),
        _feed("ok", errors=2, source="e_pages"),
    ])
    rows = feed_rows(s)
    assert list(rows[0])[:3] == ["outcome", "problem", "outlet"]  # the error column is not off-screen
    assert [r["outlet"] for r in rows] == ["d_down", "b_recovered", "e_pages", "a_fine", "c_same"]
    recovered = rows[1]
    assert recovered["outcome"] == "ok (warning)" and recovered["problem"].startswith("SAXParseException")
    assert rows[0]["page problems"] == 0 and rows[2]["page problems"] == 2  # a failed feed is not a page problem
    assert all(r["problem"] == "" for r in rows if r["outcome"] in ("ok", "not_modified"))  # outcome and problem agree


def test_finish_turns_the_verdict_into_the_flow_state():
    from prefect.states import State

    result = {"run_id": "r", "status": "failed"}
    failed = outcome.finish(result, outcome.Verdict("failed", ("no feed reachable: offline?",)))
    assert isinstance(failed, State) and failed.is_failed() and failed.message == "no feed reachable: offline?"
    err = failed.data
    assert isinstance(err, outcome.RunFailed) and err.result["verdict"] == "failed"
    warned = outcome.finish(result, outcome.Verdict("warning", ("3 of 10 feeds failed",)))
    assert warned.is_completed() and warned.message == "Completed with warnings: 3 of 10 feeds failed"
    assert warned.data["message"] == "3 of 10 feeds failed"
    assert outcome.finish(result, outcome.Verdict("ok")) == dict(result, verdict="ok", message="")


def test_run_names_say_what_ran():
    from flows.meta import describe_scope

    assert describe_scope({}) == "bundled"
    assert describe_scope({"catalog": "/srv/akhbar/gulf outlets.toml", "feeds": ["EG", "gulf"], "dry_run": True}) \
        == "gulf-outlets-EG+gulf-dry-run"


def test_version_is_the_package_version_plus_the_commit():
    from importlib.metadata import version as dist_version

    from flows.meta import version

    assert version().startswith(dist_version("akhbar"))
    if (Path(__file__).resolve().parents[1] / ".git").exists():
        assert "+g" in version()


def test_every_served_parameter_has_a_title_and_a_description_and_no_none_switch():
    from flows.deployments import (
        DEPLOYMENTS,
        ServeConfig,
        deployment_options,
        describe_parameters,
        optional_flow,
    )

    cfg = ServeConfig(db="/srv/akhbar.duckdb")
    for d in DEPLOYMENTS:
        flow = optional_flow(d.flow_module, d.flow_attr)
        if flow is None:
            continue
        dep = flow.to_deployment(**deployment_options(d, cfg, flow))
        describe_parameters(dep, flow)
        for name, prop in dep._parameter_openapi_schema.properties.items():
            where = f"{d.flow_attr}.{name}"
            assert prop.get("description"), f"{where}: no description"
            assert prop.get("title") and "_" not in prop["title"], f"{where}: title {prop.get('title')!r}"
            assert prop.get("default", "x") is not None and "anyOf" not in prop, f"{where}: {prop}"
        assert None not in dep.parameters.values(), dep.parameters
        assert dep.version and dep.description and d.does in dep.description


def test_progress_lines_are_throttled_and_chain_to_the_cli_bars(caplog):
    from flows.runlog import _ProgressLines

    class Bars:
        def __init__(self):
            self.calls = []

        def start(self, stage, total):
            self.calls.append(("start", stage, total))

        def advance(self, stage, n=1):
            self.calls.append(("advance", stage, n))

    bars = Bars()
    lines = _ProgressLines(every_s=0.0, inner=bars)
    with caplog.at_level(logging.INFO, logger="akhbar"):
        lines.start("pages", 4)
        for _ in range(4):
            lines.advance("pages")
    said = [r.getMessage() for r in caplog.records if r.name == "akhbar.flows.run"]
    assert said == ["pages: 4 to do", "pages: 1/4 (25%) after 0s", "pages: 2/4 (50%) after 0s",
                    "pages: 3/4 (75%) after 0s"]  # the last one is the stage's own count line
    assert bars.calls[0] == ("start", "pages", 4) and len(bars.calls) == 5


@pytest.mark.parametrize("value,ok", [
    ("2026-11-27", True), ("2026-11-27T08:00", True), ("2026-11-27 08:00:00.5Z", True),
    ("2026-11-27T08:00+03:00", True), ("٢٠٢٦-١١-٢٧", True), ("", True),
    ("yesterday", False), ("7d", False), ("20261127", False), ("27/11/2026", False),
])
def test_the_server_refuses_the_times_the_flow_would_refuse(value, ok):
    """The pattern the server enforces before queueing a run agrees with the flow's own reader."""
    import re

    from flows.params import OPTIONAL_TIME_JSON_SCHEMA, ParamError, parse_time

    assert bool(re.search(OPTIONAL_TIME_JSON_SCHEMA["pattern"], value)) is ok
    if ok:
        parse_time(value)
    else:
        with pytest.raises(ParamError):
            parse_time(value)
