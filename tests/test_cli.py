"""The `akhbar` command line on a warehouse filled by a real ingest of the fixture web."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
from typer.testing import CliRunner

from flows.cli import app
from tests.test_ingest import GOLD, gold_url

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "feeds", "sql", "export", "search", "serve", "report"):
        assert command in result.output


def test_export_jsonl_has_every_gold_page_with_its_text(ingested, fixture_web, tmp_path):
    out = tmp_path / "articles.jsonl"
    result = runner.invoke(app, ["export", "articles", "--format", "jsonl", "--out", str(out),
                                 "--db", str(ingested["db"])])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    by_url = {r["canonical_url"]: r for r in records}
    for g in GOLD:
        rec = by_url[gold_url(g, fixture_web.base_url)]
        assert rec["text"] and g["body_paragraphs"][-1][:40] in rec["text"]
        assert rec["source_id"] == g["outlet_id"]
    contract = {"url", "canonical_url", "source_id", "feed_url", "title", "author", "published_at", "fetched_at",
                "language", "text", "extraction_status", "content_hash", "cluster_id", "is_canonical",
                "wire_agency"}
    assert contract <= set(records[0])


def test_export_parquet_is_partitioned_by_date_and_outlet(ingested, tmp_path):
    out = tmp_path / "parquet"
    result = runner.invoke(app, ["export", "articles", "--format", "parquet", "--out", str(out),
                                 "--db", str(ingested["db"])])
    assert result.exit_code == 0, result.output
    dirs = {p.name.split("=")[0] for p in out.iterdir()}
    assert dirs == {"date"}
    assert any(p.name.startswith("source_id=") for p in next(out.iterdir()).iterdir())
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(GOLD)


def test_sql_prints_a_table_and_reports_errors_plainly(ingested):
    ok = runner.invoke(app, ["sql", "SELECT source_id, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1",
                             "--db", str(ingested["db"])])
    assert ok.exit_code == 0 and "rafidain" in ok.output
    bad = runner.invoke(app, ["sql", "SELECT nope FROM articles", "--db", str(ingested["db"])])
    assert bad.exit_code == 2 and "error" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(app, ["sql", "SELECT 1", "--db", "/nonexistent/x.duckdb"])
    assert missing.exit_code == 2 and "akhbar ingest" in missing.output


def test_sql_is_read_only(ingested):
    result = runner.invoke(app, ["sql", "DELETE FROM articles", "--db", str(ingested["db"])])
    assert result.exit_code == 2
    check = runner.invoke(app, ["sql", "SELECT count(*) FROM articles", "--db", str(ingested["db"])])
    assert str(len(GOLD)) in check.output


def test_feeds_list_shows_the_bundled_catalog():
    result = runner.invoke(app, ["feeds", "list"])
    assert result.exit_code == 0
    assert "bbc_arabic" in result.output and "outlets" in result.output


def test_feeds_health_shows_every_feed(ingested):
    result = runner.invoke(app, ["feeds", "health", "--db", str(ingested["db"])])
    assert result.exit_code == 0, result.output
    assert "minbar" in result.output and "sahil" in result.output


def test_unknown_feed_selector_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["feeds", "list", "--feed", "atlantis"])
    assert result.exit_code == 2 and "atlantis" in result.output and "Traceback" not in result.output
