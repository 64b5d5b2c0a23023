"""The drift watch line of the run summary, from the extraction_drift view."""

from __future__ import annotations

from tasks.summary import RunSummary
from tests.analysis_fixture import build
from warehouse.queries import drifting_outlets


def test_drifting_outlets_feed_the_run_summary(tmp_path):
    wh = build(tmp_path)
    drift = drifting_outlets(wh.db)
    assert [d["source_id"] for d in drift] == ["qalam", "wadi"]
    assert all(d["reason"] for d in drift)
    summary = RunSummary(run_id="r", db_path=str(wh.db), drift=drift)
    md = summary.markdown()
    assert "## Extraction drift" in md and "- qalam: " in md and "- wadi: " in md
    print(md.split("## Extraction drift")[1])


def test_drift_watch_never_fails_a_run(tmp_path):
    assert drifting_outlets(tmp_path / "missing.duckdb") == []
