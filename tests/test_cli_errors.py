"""Every mistake of issue 15 gets one line and a documented exit code (0 ok, 1 run failed or
partial, 2 usage or input error): the exact line, the status, and that nothing was written.

The table runs the real `akhbar` command group in process (typer's CliRunner, stderr kept apart
from stdout); cases that need a run use the real fixture web and Prefect test harness. A few
cases run `python -m flows.cli` in a fresh interpreter to show that Prefect is never even
imported when the arguments are wrong.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "warehouse" / "sql" / "queries" / "examples").glob("*.sql"))
TIME_FORMS = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC unless it ends in Z or ±HH:MM)"


def akhbar(*args: str, env: dict | None = None):
    runner = CliRunner(env=env)
    return runner.invoke(app, [str(a) for a in args], prog_name="akhbar")


def one_error(result) -> str:
    """The single stderr line of a failed command (and no traceback anywhere)."""
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def paths(tmp_path_factory, ingested):
    base = tmp_path_factory.mktemp("mistakes")
    not_duckdb = base / "notes.duckdb"
    not_duckdb.write_text("this is not a warehouse\n")
    bad_toml = base / "bad.toml"
    bad_toml.write_text("[[sources]\nid = 'x'\n")
    db = base / "copy" / "akhbar.duckdb"  # a copy: some cases write (feeds enable, export)
    db.parent.mkdir()
    shutil.copy2(ingested["db"], db)
    return dict(base=base, not_duckdb=not_duckdb, bad_toml=bad_toml, db=db, fresh=base / "new" / "akhbar.duckdb")


@dataclass
class Case:
    id: str
    args: list[str]
    code: int
    line: str                 # exact stderr line ({…} filled from paths), or a prefix ending in "…"
    untouched: str = "{fresh}"  # a path that must not exist afterwards ("" = none)


CASES = [
    # 15.1 times
    Case("ingest --since month 13", ["ingest", "--since", "2026-13-01", "--db", "{fresh}"], 2,
         f"error: --since: '2026-13-01' is not a date or time; {TIME_FORMS}"),
    Case("reprocess --since word", ["reprocess", "--since", "yesterday", "--db", "{db}"], 2,
         f"error: --since: 'yesterday' is not a date or time; {TIME_FORMS}"),
    Case("reprocess window reversed", ["reprocess", "--since", "2026-11-02", "--until", "2026-11-01", "--db", "{db}"],
         2, "error: --since (2026-11-02 00:00 UTC) must be before --until (2026-11-01 00:00 UTC)"),
    Case("report --day", ["report", "--day", "28-11-2026", "--db", "{db}"], 2,
         "error: --day: '28-11-2026' is not a day; use YYYY-MM-DD"),
    # 15.3 a --db that is not a DuckDB file, for every command that reads or writes one
    Case("sql on a text file", ["sql", "SELECT 1", "--db", "{not_duckdb}"], 2, "error: {not_duckdb} is not a DuckDB…"),
    Case("search on a text file", ["search", "x", "--db", "{not_duckdb}"], 2, "error: {not_duckdb_abs} is not a DuckDB…"),
    Case("export on a text file", ["export", "articles", "--out", "{base}/a.jsonl", "--db", "{not_duckdb}"], 2,
         "error: {not_duckdb} is not a DuckDB…"),
    Case("report on a text file", ["report", "--db", "{not_duckdb}"], 2, "error: {not_duckdb} is not a DuckDB…"),
    Case("feeds disable on a text file", ["feeds", "disable", "x", "--db", "{not_duckdb}"], 2,
         "error: {not_duckdb} is not a DuckDB…"),
    Case("ingest on a text file", ["ingest", "--db", "{not_duckdb}"], 2, "error: {not_duckdb} is not a DuckDB…"),
    Case("feeds health on a folder", ["feeds", "health", "--db", "{base}"], 2,
         "error: --db {base} is a folder; give the warehouse file, e.g. {base}/akhbar.duckdb"),
    # 15.3 bad catalog, selectors, numbers
    Case("ingest bad catalog", ["ingest", "--catalog", "{bad_toml}", "--db", "{fresh}"], 2,
         "error: {bad_toml}: invalid TOML: …"),
    Case("ingest missing catalog", ["ingest", "--catalog", "{base}/nope.toml", "--db", "{fresh}"], 2,
         "error: {base}/nope.toml: cannot read catalog (No such file or directory)"),
    Case("ingest --max-per-feed 0", ["ingest", "--max-per-feed", "0", "--db", "{fresh}"], 2,
         "error: Invalid value for '--max-per-feed': Input should be greater than or equal to 1 "
         "(see 'akhbar ingest --help')"),
    Case("search -n -1", ["search", "-n", "-1", "x", "--db", "{db}"], 2,
         "error: Invalid value for '--limit' / '-n': Input should be greater than or equal to 1 "
         "(see 'akhbar search --help')", untouched=""),
    Case("search -n 0", ["search", "-n", "0", "x", "--db", "{db}"], 2,
         "error: Invalid value for '--limit' / '-n': Input should be greater than or equal to 1 "
         "(see 'akhbar search --help')", untouched=""),
    Case("unknown option", ["ingest", "--fetch-all", "--db", "{fresh}"], 2,
         "error: No such option: --fetch-all (see 'akhbar ingest --help')"),
    Case("unknown command", ["ingset"], 2, "error: No such command 'ingset'. Did you mean 'ingest'? (see 'akhbar --help')"),
    Case("bad setting", ["ingest", "--db", "{fresh}"], 2,
         "error: AKHBAR_DEDUPE_WINDOW_H='three days' is not a whole number (default 72)"),
    # 15.2 / 15.3 sql
    Case("sql empty", ["sql", "", "--db", "{db}"], 2, "error: the query is empty", untouched=""),
    Case("sql comment only", ["sql", "-- nothing here\n", "--db", "{db}"], 2,
         "error: the query is empty (only whitespace or comments)", untouched=""),
    Case("sql no query", ["sql", "--db", "{db}"], 2,
         "error: no query: give one, e.g. akhbar sql \"SELECT count(*) FROM articles\", or --file PATH", untouched=""),
    Case("sql mistyped option", ["sql", "--fromat", "csv", "SELECT 1", "--db", "{db}"], 2,
         "error: no such option: --fromat (see 'akhbar sql --help')", untouched=""),
    Case("sql two words", ["sql", "SELECT", "1", "--db", "{db}"], 2,
         "error: the query must be one argument: put it in quotes (got 2 words)", untouched=""),
    Case("sql typo", ["sql", "SELECT nope FROM articles", "--db", "{db}"], 2,
         "error: Binder Error: Referenced column \"nope\" not found in FROM clause!…", untouched=""),
    Case("sql writes", ["sql", "DELETE FROM articles", "--db", "{db}"], 2,
         "error: Invalid Input Error: Cannot execute statement of type \"DELETE\"…", untouched=""),
    Case("sql COPY TO", ["sql", "COPY (SELECT 1) TO '{base}/x.csv'", "--db", "{db}"], 2,
         "error: akhbar sql does not write files (COPY … TO writes files): use `akhbar sql --format csv|jsonl … > "
         "FILE` or `akhbar export`", untouched="{base}/x.csv"),
    Case("sql missing file", ["sql", "--file", "{base}/q.sql", "--db", "{db}"], 2,
         "error: --file {base}/q.sql: no such file", untouched=""),
    Case("sql --format", ["sql", "SELECT 1", "--format", "xml", "--db", "{db}"], 2,
         "error: --format 'xml': use table, csv or jsonl", untouched=""),
    # 15.4 only ingest / ingest-warc create a warehouse
    Case("sql missing warehouse", ["sql", "SELECT 1", "--db", "{fresh}"], 2,
         "error: no warehouse at {fresh}: run `akhbar ingest --db {fresh}` first, or pass the right --db"),
    Case("feeds disable mistyped --db", ["feeds", "disable", "bbc_arabic", "--db", "{fresh}"], 2,
         "error: no warehouse at {fresh}: run `akhbar ingest --db {fresh}` first, or pass the right --db"),
    Case("feeds enable mistyped --db", ["feeds", "enable", "bbc_arabic", "--db", "{fresh}"], 2,
         "error: no warehouse at {fresh}: run `akhbar ingest --db {fresh}` first, or pass the right --db"),
    Case("feeds enable unknown feed", ["feeds", "enable", "nosuchfeed", "--db", "{db}"], 2,
         "error: no feed matches 'nosuchfeed' in {db}; give a feed id, feed URL or outlet id "
         "(`akhbar feeds health` lists them)"),
    Case("reprocess missing warehouse", ["reprocess", "--db", "{fresh}"], 2,
         "error: no warehouse at {fresh}: run `akhbar ingest --db {fresh}` first, or pass the right --db"),
    Case("reprocess unknown outlet", ["reprocess", "--outlet", "nosuch", "--db", "{db}"], 2,
         "error: --outlet: no outlet 'nosuch' in {db} (it has 8; `akhbar sql \"SELECT source_id, name FROM sources\"` "
         "lists them)"),
    # 15.7 selectors that match nothing, files that are not WARC
    Case("ingest --feed nosuchfeed", ["ingest", "--feed", "nosuchfeed", "--db", "{fresh}"], 2,
         "error: unknown feed selector(s) 'nosuchfeed'; a selector is one of the catalog's 78 outlet ids, 25 country "
         "codes or regions (egypt, gulf, international, iraq, levant, maghreb, pan_arab, sudan_yemen): "
         "`akhbar feeds list` shows them"),
    Case("ingest --feed typo", ["ingest", "--feed", "aljazera", "--db", "{fresh}"], 2,
         "error: unknown feed selector(s) 'aljazera' (did you mean 'aljazeera'?); …"),
    Case("ingest-warc not a WARC", ["ingest-warc", "{bad_toml}", "--db", "{fresh}"], 2,
         "error: {bad_toml} is not a WARC file (it does not start with a WARC/1.x record)"),
    Case("ingest-warc missing file", ["ingest-warc", "{base}/cc.warc.gz", "--db", "{fresh}"], 2,
         "error: Invalid value for 'FILE...': file '{base}/cc.warc.gz' does not exist. "
         "(see 'akhbar ingest-warc --help')"),
    # 15.3 / 15.8 export
    Case("export --where typo", ["export", "articles", "--out", "{base}/w.jsonl", "--where", "wire_agencyy = 'afp'",
                                 "--db", "{db}"], 2,
         "error: --where \"wire_agencyy = 'afp'\": Binder Error: Referenced column \"wire_agencyy\" not found…",
         untouched="{base}/w.jsonl"),
    Case("export --where two statements", ["export", "articles", "--out", "{base}/w.jsonl", "--where",
                                           "true)); DROP TABLE articles; SELECT ((1", "--db", "{db}"], 2,
         "error: --where 'true)); DROP TABLE articles; SELECT ((1' must be one condition, not several statements",
         untouched="{base}/w.jsonl"),
    Case("export jsonl to a folder", ["export", "articles", "--out", "{base}", "--db", "{db}"], 2,
         "error: --out {base} is a folder; JSONL goes to a file, e.g. {base}/articles.jsonl", untouched=""),
    Case("export --format", ["export", "articles", "--format", "csv", "--out", "{base}/a.csv", "--db", "{db}"], 2,
         "error: unknown export format 'csv': use jsonl or parquet", untouched="{base}/a.csv"),
]


def _fill(text: str, paths: dict) -> str:
    values = {k: str(v) for k, v in paths.items() if isinstance(v, Path)}
    values["not_duckdb_abs"] = str(paths["not_duckdb"].resolve())
    return text.format(**values)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_mistake_gives_one_line_and_its_exit_code(case, paths):
    env = {"AKHBAR_DEDUPE_WINDOW_H": "three days"} if case.id == "bad setting" else None
    args = [_fill(a, paths) for a in case.args]
    result = akhbar(*args, env=env)
    assert result.exit_code == case.code, (result.exit_code, result.stdout, result.stderr)
    line = one_error(result)
    expected = _fill(case.line, paths)
    if expected.endswith("…"):
        assert line.startswith(expected[:-1]), line
    else:
        assert line == expected
    if case.untouched:
        gone = Path(_fill(case.untouched, paths))
        assert not gone.exists(), f"{gone} was created"
        assert not gone.with_suffix(".d").exists()
    assert not paths["fresh"].parent.exists(), "a mistyped --db created its folder"


@pytest.mark.parametrize("args", [
    ["ingest", "--catalog", "{bad_toml}", "--db", "{fresh}"],
    ["ingest", "--max-per-feed", "0", "--db", "{fresh}"],
    ["ingest", "--since", "2026-11-27T25:00", "--db", "{fresh}"],
    ["ingest", "--feed", "nosuchfeed", "--db", "{fresh}"],
    ["ingest", "--db", "{not_duckdb}"],
    ["ingest-warc", "{bad_toml}", "--db", "{fresh}"],
    ["reprocess", "--since", "2026-11-02", "--until", "2026-11-01", "--db", "{db}"],
])
def test_arguments_are_checked_before_prefect_is_imported(args, paths):
    """A fresh interpreter: the command fails with exit 2 and never imported Prefect (so no
    temporary server was started and no flow ran)."""
    probe = ("import sys\nfrom flows.cli import app\n"
             "try:\n    app(sys.argv[1:], prog_name='akhbar')\nexcept SystemExit as exc:\n"
             "    sys.stdout.write(f'exit={exc.code} prefect={\"prefect\" in sys.modules}')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    done = subprocess.run([sys.executable, "-c", probe, *[_fill(a, paths) for a in args]], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.stdout.endswith("exit=2 prefect=False"), (done.stdout, done.stderr)
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not paths["fresh"].parent.exists()


def test_every_example_query_runs_as_documented(paths):
    """15.2: each example file starts with a `--` comment; both documented forms work."""
    assert len(EXAMPLES) >= 7
    for example in EXAMPLES:
        text = example.read_text("utf-8")
        assert text.lstrip().startswith("--")
        as_argument = akhbar("sql", text, "--db", paths["db"])
        assert as_argument.exit_code == 0, (example.name, as_argument.stderr)
        from_file = akhbar("sql", "--file", example, "--db", paths["db"], "--format", "jsonl")
        assert from_file.exit_code == 0, (example.name, from_file.stderr)
        for line in from_file.stdout.splitlines():
            json.loads(line)


def test_sql_formats_for_scripts(paths):
    """Issue 12: `akhbar sql … --format csv|jsonl` print every row, nothing else, on stdout."""
    con = duckdb.connect(str(paths["db"]), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    query = "SELECT article_id, title, published_at, categories FROM articles ORDER BY article_id"
    csv_out = akhbar("sql", query, "--format", "csv", "--db", paths["db"])
    assert csv_out.exit_code == 0 and csv_out.stderr == ""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert len(rows) == n and set(rows[0]) == {"article_id", "title", "published_at", "categories"}
    assert rows[0]["published_at"][:4] == "2026" and "T" in rows[0]["published_at"]
    jsonl = akhbar("sql", query, "--format", "jsonl", "--db", paths["db"])
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r["article_id"] for r in records] == [r["article_id"] for r in rows]
    assert any("ا" in (r["title"] or "") for r in records)  # Arabic kept as text, not \\u escapes
    assert "\\u06" not in jsonl.stdout
    limited = akhbar("sql", query, "--format", "jsonl", "--limit", "3", "--db", paths["db"])
    assert len(limited.stdout.splitlines()) == 3


def test_export_refuses_to_mix_two_exports(paths):
    """15.8: a non-empty Parquet folder is replaced only with --overwrite, and then holds only
    the new export."""
    import pyarrow.dataset as ds

    out = paths["base"] / "parquet"
    first = akhbar("export", "articles", "--format", "parquet", "--out", out, "--db", paths["db"])
    assert first.exit_code == 0, first.stderr
    total = ds.dataset(out, format="parquet", partitioning="hive").count_rows()
    where = "source_id = 'sahil'"
    again = akhbar("export", "articles", "--format", "parquet", "--out", out, "--where", where, "--db", paths["db"])
    assert again.exit_code == 2
    assert one_error(again) == (f"error: {out} is not empty; pass --overwrite to replace the earlier export, "
                                "or choose a new folder")
    assert ds.dataset(out, format="parquet", partitioning="hive").count_rows() == total
    replaced = akhbar("export", "articles", "--format", "parquet", "--out", out, "--where", where, "--overwrite",
                      "--db", paths["db"])
    assert replaced.exit_code == 0, replaced.stderr
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert 0 < table.num_rows < total and set(table.column("source_id").to_pylist()) == {"sahil"}
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".parquet.")], "temporary folders left"
    # a folder holding anything else is never replaced
    other = paths["base"] / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    refused = akhbar("export", "articles", "--format", "parquet", "--out", other, "--overwrite", "--db", paths["db"])
    assert refused.exit_code == 2 and (other / "notes.txt").read_text() == "keep me"
    assert one_error(refused) == (f"error: {other} holds files that are not an akhbar Parquet export; "
                                  "refusing to replace it: choose an empty or new folder")
    # jsonl: an existing file needs --overwrite too
    target = paths["base"] / "articles.jsonl"
    assert akhbar("export", "articles", "--out", target, "--db", paths["db"]).exit_code == 0
    assert akhbar("export", "articles", "--out", target, "--db", paths["db"]).exit_code == 2
    assert akhbar("export", "articles", "--out", target, "--where", where, "--overwrite",
                  "--db", paths["db"]).exit_code == 0
    assert all(json.loads(line)["source_id"] == "sahil" for line in target.read_text("utf-8").splitlines())


def test_feeds_list_shows_the_ids_enable_takes(paths, dev_catalog):
    """15.13: `feeds enable` takes ids; `feeds list` shows them (and `--feed` has help)."""
    listed = akhbar("feeds", "list", "--catalog", dev_catalog, "--feed", "sahil")
    assert listed.exit_code == 0
    header, *rows = listed.stdout.splitlines()[1:]
    assert header.split()[0] == "id"
    feed_id = rows[0].split()[0]
    disabled = akhbar("feeds", "disable", feed_id, "--db", paths["db"])
    assert disabled.exit_code == 0 and feed_id in disabled.stdout
    health = akhbar("feeds", "health", "--problems", "--db", paths["db"])
    assert health.exit_code == 0 and feed_id in health.stdout and "disabled" in health.stdout
    enabled = akhbar("feeds", "enable", feed_id, "--db", paths["db"])
    assert enabled.exit_code == 0 and "re-enabled 1 feed(s)" in enabled.stdout
    helped = akhbar("feeds", "list", "--help")
    assert "outlet id, country code" in " ".join(helped.stdout.replace("│", " ").split())


def test_help_shows_no_bool_placeholders():
    """15.10: flags take no value, so --help shows none."""
    for command in (["--help"], ["ingest", "--help"], ["export", "articles", "--help"], ["feeds", "health", "--help"],
                    ["reprocess", "--help"], ["search", "--help"]):
        shown = akhbar(*command)
        assert shown.exit_code == 0 and "<bool>" not in shown.stdout, command


def test_feeds_health_is_worst_first_and_never_stale_after_a_good_first_run(ingested):
    """15.9: after one successful run no feed is stale (items first seen in a sibling feed count
    as new for every feed that lists them); --all/--no-all/--problems all work."""
    con = duckdb.connect(str(ingested["db"]), read_only=True)
    try:
        stale = con.execute("SELECT url FROM feed_health WHERE health = 'stale'").fetchall()
    finally:
        con.close()
    assert stale == []
    for flag in ("--all", "--no-all", "--problems"):
        assert akhbar("feeds", "health", flag, "--db", ingested["db"]).exit_code == 0, flag


def test_feeds_health_orders_worst_first(paths):
    con = duckdb.connect(str(paths["db"]))
    try:  # one feed of each health state
        urls = [r[0] for r in con.execute("SELECT url FROM feeds ORDER BY url LIMIT 3").fetchall()]
        con.execute("UPDATE feeds SET last_new_at = now() - INTERVAL 30 DAY WHERE url = ?", [urls[0]])
        con.execute("UPDATE feeds SET consecutive_failures = 2, failure_score = 4 WHERE url = ?", [urls[1]])
        con.execute("UPDATE feeds SET disabled = TRUE, disabled_reason = 'manual' WHERE url = ?", [urls[2]])
    finally:
        con.close()
    shown = akhbar("feeds", "health", "--db", paths["db"])
    states = [line.split()[2] for line in shown.stdout.splitlines()[2:]]
    order = {"disabled": 0, "failing": 1, "stale": 2, "ok": 3}
    assert states[:3] == ["disabled", "failing", "stale"] and states == sorted(states, key=order.get)
    problems = akhbar("feeds", "health", "--problems", "--db", paths["db"])
    assert len(problems.stdout.splitlines()) == 2 + 3


# ---------------------------------------------------------------- cases that need a run


def _catalog(path: Path, feeds: list[tuple[str, str]]) -> Path:
    lines = []
    for outlet, url in feeds:
        lines += ["[[feeds]]", f'outlet_id = "{outlet}"', 'country = "LB"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_feed_failing_is_exit_1_and_the_rerun_says_when_feeds_are_due(prefect_harness, tmp_path):
    """15.7 + 15.11: a run where no feed could be fetched exits 1 with one line; the next run
    (feeds in backoff) says when they are due and how to poll them now."""
    port = _closed_port()
    catalog = _catalog(tmp_path / "c.toml", [("down1", f"http://127.0.0.1:{port}/a.xml"),
                                             ("down2", f"http://127.0.0.1:{port}/b.xml")])
    db = tmp_path / "w.duckdb"
    first = akhbar("ingest", "--catalog", catalog, "--db", db, "--allow-private-networks")
    assert first.exit_code == 1, first.stderr
    assert one_error(first) == ("error: no feed could be fetched (2 of 2 failed): are you offline? "
                                "`akhbar feeds health` shows why")
    assert "feeds: 2 polled, 0 ok, 2 failed" in first.stdout
    again = akhbar("ingest", "--catalog", catalog, "--db", db, "--allow-private-networks")
    assert again.exit_code == 0, again.stderr
    assert "feeds: 0 polled, 0 ok, 0 failed, 2 skipped: 2 in failure backoff (next due " in again.stdout
    assert "`--ignore-backoff` polls them now" not in again.stdout  # plain output: no backticks
    assert "--ignore-backoff polls them now" in again.stdout


@pytest.mark.parametrize("since", ["2999-01-01", "2999-01-01T00:00:00"])
def test_ingest_since_accepts_dates_and_naive_times(since, prefect_harness, dev_catalog, tmp_path):
    """15.1: `--since` as a date or naive time used to crash comparing naive and aware times.
    Far in the future, so every entry is compared and none is fetched (the other forms, Z and
    offsets, are read by the same function: tests/test_params.py)."""
    got = akhbar("ingest", "--catalog", dev_catalog, "--db", tmp_path / "w.duckdb", "--allow-private-networks",
                 "--since", since, "--dry-run")
    assert got.exit_code == 0, got.stderr
    assert "status: completed (dry run: nothing written)" in got.stdout
    assert "feeds: 14 polled, 14 ok" in got.stdout and "pages: 0 fetched" in got.stdout
    assert not (tmp_path / "w.duckdb").exists()


def test_summary_is_plain_text_on_stdout_when_piped(ingested, prefect_harness, dev_catalog, tmp_path):
    """15.10: no Markdown markup, no pipes, nothing wrapped; the summary on stdout, stderr quiet."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(ingested["db"], db)
    got = akhbar("ingest", "--catalog", dev_catalog, "--db", db, "--allow-private-networks")
    assert got.exit_code == 0, got.stderr
    assert got.stderr == ""
    out = got.stdout
    assert out.startswith("akhbar ingest ingest-") and "- status: completed" in out
    assert "**" not in out and "|---" not in out and " | " not in out and "`" not in out
    assert "articles: 0 new" in out  # a rerun adds nothing and says so


def test_reprocess_and_report_summaries_on_stdout_without_prefect_logs(ingested, prefect_harness, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy2(ingested["db"], db)
    shutil.copytree(Path(ingested["db"]).with_suffix(".d"), db.with_suffix(".d"),
                    ignore=shutil.ignore_patterns("*.lock"))
    re_run = akhbar("reprocess", "--db", db, "--dry-run")
    assert re_run.exit_code == 0, re_run.stderr
    assert re_run.stdout.startswith("akhbar reprocess") and re_run.stderr == ""
    report = akhbar("report", "--db", db, "--day", "2026-11-28", "--out-dir", tmp_path / "r")
    assert report.exit_code == 0, report.stderr
    assert report.stdout.strip() == f"report written to {tmp_path / 'r' / 'akhbar-report-2026-11-28.html'}"
    assert report.stderr == ""
