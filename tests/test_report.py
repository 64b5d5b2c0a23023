"""The daily HTML report: self-contained (plotly inline), all charts present, Prefect artifact."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from tests.analysis_fixture import build
from warehouse.report_data import report_data

CHARTS = ("chart-volume", "chart-wire", "chart-clusters", "chart-spread")


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("report"), search_index=False)


def _assert_self_contained(html: str) -> None:
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)       # no external script at all
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']https?:", html, re.I)
    assert "mathjax" not in html.lower().split("</script>")[-1]       # no MathJax loader after plotly.js
    inline = max(re.findall(r"<script[^>]*>(.*?)</script>", html, re.S), key=len)
    assert len(inline) > 1_000_000 and "Plotly" in inline             # plotly.js itself, embedded


def test_report_data_reads_the_views(wh):
    data = report_data(wh.db, days=14)
    assert sum(r["articles"] for r in data.volume) == sum(
        1 for a in wh.articles if (wh.now.date() - a["published_at"].date()).days < 14)
    assert [c["n_outlets"] for c in data.clusters][:3] == [5, 4, 4]
    assert {c["cluster_id"] for c in data.copies} == {c["cluster_id"] for c in data.clusters}
    assert [d["source_id"] for d in data.drift] == ["qalam", "wadi"]


def test_write_report_is_self_contained(wh, tmp_path):
    from flows.report import write_report

    path = write_report(wh.db, None, tmp_path)
    assert path.exists() and path.name == f"akhbar-report-{wh.now.date().isoformat()}.html"
    html = path.read_text(encoding="utf-8")
    for chart in CHARTS:
        assert f'id="{chart}"' in html
    _assert_self_contained(html)
    assert "وزير الخارجية الأميركي يلتقي رئيس الموساد بخصوص إيران" in html   # cluster table, readable Arabic
    assert "القلم الجزائري" in html                                          # drift watch table


def test_report_for_a_day_without_data(wh, tmp_path):
    from flows.report import write_report

    html = write_report(wh.db, "2001-01-01", tmp_path).read_text(encoding="utf-8")
    assert html.count("no data in this window") == 4
    _assert_self_contained(html)


def test_cli_report_without_prefect(wh, tmp_path):
    from flows.cli_analysis import register

    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["report", "--db", str(wh.db), "--out-dir", str(tmp_path), "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.glob("akhbar-report-*.html"))


@pytest.mark.slow
def test_report_flow_publishes_artifact(wh, tmp_path, prefect_harness):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.report import ARTIFACT_KEY, FIGURES_KEY, report

    path = report(db=str(wh.db), out_dir=str(tmp_path))
    assert path.endswith(".html")

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[ARTIFACT_KEY])))

    # other tests of the session may have run the report too: find this run's artifact by its file
    found = [a for a in asyncio.run(artifacts()) if path in (a.data or "")]
    assert found and found[0].type == "markdown"
    markdown = found[0].data
    assert f"File: `{path}`" in markdown and "file://" not in markdown  # a path to copy, not a dead link
    assert "## Key figures" in markdown and "| articles on the day |" in markdown

    async def figures():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[FIGURES_KEY])))

    tables = [a for a in asyncio.run(figures()) if a.flow_run_id == found[0].flow_run_id]
    assert tables and tables[0].type == "table" and "articles in the window" in tables[0].data


def test_cluster_copies_inside_a_callers_own_id_registration_leave_it_in_place(wh):
    """cluster_copies takes the caller's connection and registers its cluster ids as akhbar_ids
    (warehouse.queries.registered): a caller holding its own akhbar_ids on that connection (a
    report step reading its own ids, an enqueue inside a sync) keeps its rows after the call,
    instead of losing the table (CatalogException) to the inner block's unregister."""
    from warehouse.db import reader
    from warehouse.queries import registered
    from warehouse.report_data import cluster_copies

    with reader(wh.db) as con:
        cid = con.execute("SELECT cluster_id FROM story_copies ORDER BY cluster_id LIMIT 1").fetchone()[0]
        alone = cluster_copies(con, [cid])
        with registered(con, "akhbar_ids", {"id": ["أخبار's", "x"]}):
            inner = cluster_copies(con, [cid])
            assert con.execute("SELECT id FROM akhbar_ids ORDER BY id").fetchall() == [("x",), ("أخبار's",)]
        assert inner == alone and alone
        assert "akhbar_ids" not in {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
