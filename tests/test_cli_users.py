"""What a person at a terminal meets besides the table of mistakes in test_cli_errors.py: a locale
that is not UTF-8, a Prefect server that is down or mistyped, Prefect's temporary server too slow
to start, numbers typed with Arabic-Indic digits, a bare `akhbar`. Each runs the real command in
its own process (`python -m flows.cli`), with the environment a user would have.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def akhbar(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The command as bytes: what the terminal gets, whatever Python thinks its encoding is."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PYTEST_"))}
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "flows.cli", *map(str, args)], cwd=ROOT, env=base,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


def one_line(done: subprocess.CompletedProcess) -> str:
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    from warehouse.db import writer

    db = tmp_path_factory.mktemp("users") / "akhbar.duckdb"
    with writer(db):
        pass
    return db


# A terminal or cron job whose locale is not UTF-8: LC_ALL=C with Python's UTF-8 mode off (ASCII),
# or an explicit Latin-1 encoding. Arabic must still come out as UTF-8, and Arabic arguments be read.
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


@pytest.mark.parametrize("locale", [ASCII_LOCALE, {"PYTHONIOENCODING": "latin-1"}], ids=["ascii", "latin-1"])
def test_arabic_in_and_out_whatever_the_locale(locale, warehouse, tmp_path):
    listed = akhbar("feeds", "list", "--feed", "aljazeera", env=locale)
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    assert "الجزيرة نت" in listed.stdout.decode("utf-8")

    rows = akhbar("sql", "SELECT 'عربي' AS word, 'مصر' AS country", "--format", "csv", "--db", warehouse, env=locale)
    assert rows.returncode == 0, rows.stderr.decode("utf-8", "replace")
    assert rows.stdout.decode("utf-8") == "word,country\nعربي,مصر\n"

    table = akhbar("sql", "SELECT 'عربي' AS word", "--db", warehouse, env=locale)
    assert table.returncode == 0 and "عربي" in table.stdout.decode("utf-8")

    typo = akhbar("ingest", "--feed", "جزيرة", "--db", tmp_path / "new" / "w.duckdb", env=locale)
    assert typo.returncode == 2
    assert one_line(typo).startswith("error: unknown feed selector(s) 'جزيرة'; ")
    assert not (tmp_path / "new").exists()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_prefect_server_that_is_down_is_one_line_at_once(tmp_path):
    """PREFECT_API_URL names a server that is not running: one line within seconds (Prefect's
    client retried for ~30 s, then "unexpected RuntimeError: Failed to reach API"), exit 1, and
    nothing was created."""
    url = f"http://127.0.0.1:{_closed_port()}/api"
    db = tmp_path / "new" / "akhbar.duckdb"
    started = time.monotonic()
    done = akhbar("ingest", "--db", db, env={"PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "ph")})
    took = time.monotonic() - started
    assert done.returncode == 1
    assert one_line(done).startswith(f"error: cannot reach the Prefect server at {url} (PREFECT_API_URL): ")
    assert one_line(done).endswith("start it (`prefect server start`), or unset PREFECT_API_URL to run on a "
                                   "temporary server")
    assert took < 60, took  # 4 s measured (1 s of it Python's start); Prefect's retries took 33 s
    assert not db.parent.exists()


def test_a_mistyped_prefect_url_is_a_usage_error(warehouse, tmp_path):
    done = akhbar("report", "--db", warehouse, env={"PREFECT_API_URL": "localhost:4200/api",
                                                     "PREFECT_HOME": str(tmp_path / "ph")})
    assert done.returncode == 2
    assert one_line(done) == ("error: PREFECT_API_URL='localhost:4200/api' is not an http(s) URL; "
                              "e.g. http://127.0.0.1:4200/api")


def test_a_temporary_server_too_slow_to_start_is_one_line(warehouse, tmp_path):
    """On a busy machine Prefect's temporary server can outlast its start-up timeout: one line
    saying what to do, exit 1 (it was "unexpected RuntimeError: Timed out while attempting to
    connect to ephemeral Prefect API server")."""
    done = akhbar("report", "--db", warehouse, "--out-dir", tmp_path / "out",
                  env={"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1", "PREFECT_HOME": str(tmp_path / "ph")})
    assert done.returncode == 1, done.stderr
    assert one_line(done) == (
        "error: Prefect's temporary server did not start within 1 s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): "
        "is the machine busy? Try again, or keep a Prefect server running (`prefect server start`) and set PREFECT_API_URL")
    assert not (tmp_path / "out").exists()


def test_numbers_take_arabic_indic_digits_as_times_do(warehouse):
    done = akhbar("sql", "SELECT * FROM range(5)", "--limit", "٢", "--format", "csv", "--db", warehouse)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == "range\n0\n1\n"
    zero = akhbar("ingest", "--max-per-feed", "٠", "--db", warehouse)
    assert zero.returncode == 2
    assert one_line(zero) == ("error: Invalid value for '--max-per-feed': Input should be greater than or equal to 1 "
                              "(see 'akhbar ingest --help')")


def test_search_with_a_huge_number_of_hits_is_a_usage_error(warehouse):
    done = akhbar("search", "الحكومة", "-n", "99999999999999999999", "--db", warehouse)
    assert done.returncode == 2
    assert one_line(done) == ("error: Invalid value for '--limit' / '-n': Input should be less than or equal to "
                              "100000 (see 'akhbar search --help')")


@pytest.mark.parametrize("args", [[], ["feeds"], ["export"]], ids=["akhbar", "akhbar feeds", "akhbar export"])
def test_a_bare_command_shows_its_help_and_no_empty_error(args):
    done = akhbar(*args, env={"AKHBAR_PLAIN": "1"})
    assert done.returncode == 2
    assert "Usage: akhbar" in done.stdout.decode()
    assert done.stderr.decode().strip() == ""


@pytest.mark.parametrize("args", [
    ["ingest", "--db", "/proc/akhbar.duckdb"],                 # a folder where nothing can be created
    ["ingest", "--db", "/sys/akhbar.duckdb"],                  # read-only to everyone but the kernel
    ["report", "--no-prefect", "--out-dir", "/proc/reports", "--db", "{db}"],
    ["export", "articles", "--out", "/proc/articles.jsonl", "--db", "{db}"],
], ids=["ingest /proc", "ingest /sys", "report --out-dir", "export --out"])
def test_a_place_where_nothing_can_be_written_is_a_usage_error(args, warehouse):
    """(It was "unexpected FileNotFoundError / PermissionError / IOException", exit 1, for root, whom
    the permission check before the run lets through.)"""
    if not Path("/proc/self").exists():
        pytest.skip("needs Linux's /proc and /sys")
    done = akhbar(*[a.replace("{db}", str(warehouse)) for a in args])
    assert done.returncode == 2
    line = one_line(done)
    assert line.startswith(("error: cannot create /proc/", "error: cannot create /sys/")), line


def _older_warehouse(db: Path, migrations: int = 3) -> Path:
    """A warehouse as an older akhbar left it: only its first migrations applied."""
    import duckdb

    from warehouse.db import available_migrations

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL)")
    for version, name, sql in available_migrations()[:migrations]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.close()
    return db


@pytest.mark.parametrize("args", [
    ["feeds", "health"],
    ["sql", "SELECT count(*) AS n FROM feed_health", "--format", "csv"],
    ["report", "--no-prefect", "--out-dir", "{tmp}/reports"],
], ids=["feeds health", "sql on a newer view", "report"])
def test_a_warehouse_of_an_older_akhbar_is_upgraded_by_a_reading_command(args, tmp_path):
    """(`feeds health` and `report` stopped on DuckDB's "Catalog Error: Table with name feed_health /
    daily_volume does not exist", a view added after the warehouse was made.)"""
    from warehouse.db import schema_is_current

    db = _older_warehouse(tmp_path / "akhbar.duckdb")
    done = akhbar(*[a.replace("{tmp}", str(tmp_path)) for a in args], "--db", db)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().splitlines()[0] == (
        f"{db}: schema upgraded to this version of akhbar (it was written by an older one)")
    assert schema_is_current(db)
    again = akhbar(*[a.replace("{tmp}", str(tmp_path)) for a in args], "--db", db)
    assert again.returncode == 0 and "schema upgraded" not in again.stderr.decode()


def test_search_on_a_warehouse_of_an_older_akhbar_upgrades_it_and_finds_its_articles(tmp_path):
    """(`akhbar search` did not go through require_warehouse as the other reading commands do: on a
    warehouse an older akhbar wrote it answered "no search index in this warehouse yet" and left the
    schema as it was.) The schema is upgraded and the index built, once."""
    import json

    import duckdb

    from warehouse.db import schema_is_current

    db = _older_warehouse(tmp_path / "akhbar.duckdb")
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, title, text, fetched_at, "
                "extraction_status, language) VALUES ('a1', 'https://example.com/news/1', 'https://example.com/news/1', "
                "'src', 'الحكومة تعلن خطة جديدة للنقل', 'أعلنت الحكومة اليوم خطة جديدة لتطوير النقل العام في العاصمة.', "
                "now(), 'ok', 'ar')")
    con.close()
    done = akhbar("search", "الحكومة", "--format", "jsonl", "--db", db)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().splitlines()[0] == (
        f"{db}: schema upgraded to this version of akhbar (it was written by an older one)")
    assert schema_is_current(db)
    hits = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [h["url"] for h in hits] == ["https://example.com/news/1"]
    again = akhbar("search", "الحكومة", "--format", "jsonl", "--db", db)
    assert again.returncode == 0 and again.stderr.decode() == "", again.stderr.decode()
    assert again.stdout == done.stdout
