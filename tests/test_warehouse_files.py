"""The warehouse file and its side files under bad luck and bad input (issue 11, cases 2, 3, 11):

* a --db path with a quote in it loads, exports and snapshots (no value is pasted into SQL);
* a zero-length / truncated / random / directory / foreign --db is refused with one sentence
  (exit 2 at the CLI, no traceback) and left untouched;
* a schema-less or half-created warehouse (a crash while creating it) is repaired, and a process
  killed while creating a new warehouse never leaves a half-made file at the real path;
* a full disk keeps the pending batch and says so in one line;
* leftovers of killed runs are removed once their writer is gone, never while it lives.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.analysis_fixture import build
from warehouse import leftovers
from warehouse.db import (
    DiskFull,
    WarehouseUnusable,
    check_warehouse,
    reader,
    schema_is_current,
    sql_literal,
    writer,
)
from warehouse.load import StagingArea, load_pending, stage_batch, stage_or_report
from warehouse.migrate import available_migrations
from warehouse.paths import data_dir_for

ROOT = Path(__file__).resolve().parents[1]
AKHBAR = Path(sys.executable).with_name("akhbar")


# --- case 3: no value formatted into SQL ---------------------------------------------------------


@pytest.fixture(scope="module")
def quoted(tmp_path_factory):
    """The analysis fixture warehouse, built under a folder named o'brien."""
    return build(tmp_path_factory.mktemp("q") / "o'brien", search_index=True)


def test_quote_in_db_path_loads(quoted):
    assert "'" in str(quoted.db)
    with reader(quoted.db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(quoted.tables["articles"])
        assert con.execute("SELECT count(*) FROM load_batches").fetchone()[0] == 2
    assert not StagingArea(quoted.area.root).pending_batches()


def test_quote_in_export_and_snapshot_paths(quoted, tmp_path):
    from warehouse.export import export_articles
    from warehouse.snapshot import publish_parquet_snapshot, publish_snapshot

    out = tmp_path / "it's" / "articles.jsonl"
    n = export_articles(quoted.db, out, "jsonl")
    assert n == len(out.read_text("utf-8").splitlines()) > 0
    pq_dir = tmp_path / "it's" / "parquet"
    assert export_articles(quoted.db, pq_dir, "parquet") == n
    assert list(pq_dir.rglob("*.parquet"))
    snap = publish_snapshot(quoted.db)
    assert snap is not None and "'" in str(snap)
    con = duckdb.connect(str(snap), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    con.close()
    folder = publish_parquet_snapshot(quoted.db)
    con = duckdb.connect()
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(folder / "articles.parquet")]).fetchone()[0] == n


def test_sql_literal_escapes_quotes():
    con = duckdb.connect()
    for text in ("o'brien", "''", "a'; DROP TABLE x; --", "\\'"):
        assert con.execute(f"SELECT {sql_literal(text)}").fetchone()[0] == text


# A value pasted into SQL looks like '...{expr}...' inside an f-string: a SQL string literal
# holding a replacement field. (Identifiers from our own code, e.g. table names, are not quoted
# with ' and are not flagged; values that cannot be bound go through warehouse.db.sql_literal.)
_PASTED = re.compile(r"""f(["']).*'[^'\s]*\{[^}]+\}[^']*'""")
_SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|COPY|INSTALL|ATTACH|PRAGMA|WHERE|create_fts_index)\b|read_parquet")


def test_no_value_is_pasted_into_sql_in_the_code():
    offenders = []
    for folder in ("warehouse", "tasks", "flows", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            lines = path.read_text("utf-8").splitlines()
            for i, line in enumerate(lines):
                statement = " ".join(lines[max(0, i - 2): i + 1])  # the keyword may sit a line or two above
                if _PASTED.search(line) and _SQL_WORD.search(statement):
                    offenders.append(f"{path.relative_to(ROOT)}:{i + 1}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


# --- case 2 / 11: unusable --db files --------------------------------------------------------------


def _make_bad(kind: str, path: Path) -> None:
    if kind == "zero_length":
        path.write_bytes(b"")
    elif kind == "random_bytes":
        path.write_bytes(random.Random(7).randbytes(40_000))
    elif kind == "directory":
        path.mkdir()
    elif kind in ("truncated", "foreign_duckdb"):
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE sales AS SELECT range AS id, 'x' || range AS v FROM range(200000)")
        con.close()
        if kind == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
    else:  # pragma: no cover
        raise AssertionError(kind)


BAD = {"zero_length": "empty (zero-length)", "random_bytes": "not a DuckDB database file",
       "directory": "is a directory", "truncated": "damaged", "foreign_duckdb": "another program"}


def _fingerprint(path: Path) -> object:
    return sorted(os.listdir(path)) if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("kind", sorted(BAD))
def test_unusable_file_is_refused_and_left_alone(kind, tmp_path):
    db = tmp_path / "akhbar.duckdb"
    _make_bad(kind, db)
    before = _fingerprint(db)
    for attempt in (lambda: check_warehouse(db), lambda: writer(db).__enter__(),
                    lambda: load_pending(db, StagingArea(tmp_path / "akhbar.d" / "staging"))):
        with pytest.raises(WarehouseUnusable) as err:
            attempt()
        assert BAD[kind] in str(err.value) and str(db) in str(err.value)
    if kind != "foreign_duckdb":  # a foreign DuckDB file opens read-only fine; ours are refused above
        with pytest.raises(WarehouseUnusable):
            reader(db).__enter__()
    assert _fingerprint(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    base.update(COLUMNS="80", NO_COLOR="1", **(env or {}))
    return subprocess.run([str(AKHBAR), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=base)


CLI_CASES = ([(kind, "ingest") for kind in ("zero_length", "truncated", "random_bytes", "directory")]
             + [("zero_length", cmd) for cmd in ("sql", "feeds health", "feeds disable", "export")])


@pytest.mark.parametrize(("kind", "command"), CLI_CASES)
def test_cli_bad_db_is_one_line_exit_2(kind, command, tmp_path):
    db = tmp_path / "akhbar.duckdb"
    _make_bad(kind, db)
    extra = {"sql": ["SELECT 1"], "feeds disable": ["x"], "export": ["--out", str(tmp_path / "a.jsonl")]}
    args = [*command.replace("export", "export articles").split(), *extra.get(command, []), "--db", str(db)]
    if True:
        out = _cli(*args)
        text = (out.stdout + out.stderr).strip()
        assert out.returncode == 2, (args, text)
        assert "Traceback" not in text and len(text.splitlines()) == 1, (args, text)
        said = ("is a folder", BAD[kind]) if kind == "directory" else (BAD[kind],)  # the CLI's own word
        assert text.startswith("error:") and any(w in text for w in said), (args, text)


# --- case 2: schema-less and half-created warehouses are repaired ------------------------------------


@pytest.mark.parametrize("how", ["empty_duckdb_file", "only_schema_migrations", "first_migration_only"])
def test_schemaless_or_half_created_warehouse_is_repaired(how, tmp_path):
    from warehouse.queries import feed_states

    db = tmp_path / "akhbar.duckdb"
    con = duckdb.connect(str(db))
    if how != "empty_duckdb_file":
        con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                    " applied_at TIMESTAMPTZ NOT NULL)")
    if how == "first_migration_only":
        version, name, sql = available_migrations()[0]
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.close()
    assert not schema_is_current(db)
    check_warehouse(db)  # repairable: not refused
    report = load_pending(db, StagingArea(tmp_path / "akhbar.d" / "staging"))  # what every run does first
    assert report.error is None
    assert schema_is_current(db)
    assert feed_states(db) == {}
    with reader(db) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    assert versions == [v for v, _, _ in available_migrations()]


def _views(con) -> dict[str, int]:
    return dict(con.execute("SELECT view_name, view_oid FROM duckdb_views() WHERE NOT internal").fetchall())


def test_a_writer_open_makes_again_only_the_views_whose_sql_changed(tmp_path):
    """Every writer open (each chunk a run loads) brings the views up to date: a view made from
    this version's SQL stays the same catalog object (re-creating all of them cost catalog writes
    and their checkpoint at every open); one that is missing, or was made from other SQL (another
    version of akhbar, a hand edit), is made again from sql/views/."""
    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        made = _views(con)
    assert {"daily_volume", "wire_share", "feed_health", "extraction_drift"} <= set(made)
    with writer(db) as con:
        assert _views(con) == made
        con.execute("DROP VIEW wire_share")
        con.execute("CREATE OR REPLACE VIEW daily_volume AS SELECT 1 AS other")
    with writer(db) as con:
        again = _views(con)
        columns = [r[0] for r in con.execute("DESCRIBE daily_volume").fetchall()]
    assert set(again) == set(made)
    assert "articles" in columns and "other" not in columns
    assert {v: o for v, o in again.items() if v not in ("wire_share", "daily_volume")} == \
        {v: o for v, o in made.items() if v not in ("wire_share", "daily_volume")}


CREATE_LOOP = """
import sys
from pathlib import Path
from warehouse.db import writer
print("ready", flush=True)
with writer(Path(sys.argv[1])) as con:
    pass
"""


def test_kill_while_creating_never_leaves_a_broken_warehouse(tmp_path):
    """SIGKILL at random moments of creating a new warehouse; the path must then either not
    exist or be a complete warehouse, and the next open must work."""
    rng = random.Random(11)
    outcomes = set()
    for i in range(10):
        db = tmp_path / f"w{i}" / "akhbar.duckdb"
        proc = subprocess.Popen([sys.executable, "-c", CREATE_LOOP, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes.add(db.exists())
        if db.exists():
            assert schema_is_current(db), f"kill #{i} left an incomplete warehouse at the real path"
        leftovers_ = [p for p in db.parent.iterdir() if p.name.startswith(".")] if db.parent.exists() else []
        # the next run: an interrupted creation is never mistaken for a warehouse, and is removed once stale
        report = load_pending(db, StagingArea(db.parent / "akhbar.d" / "staging"))
        assert report.error is None and schema_is_current(db)
        for p in leftovers_:
            os.utime(p, (time.time() - 3600, time.time() - 3600))
        cleaned = leftovers.clean_leftovers(db, lambda db, runs: set())
        assert not [p for p in db.parent.iterdir() if p.name.startswith(".akhbar.duckdb.creating-")]
        assert len(cleaned.other) == len([p for p in leftovers_ if ".creating-" in p.name])
    assert outcomes  # at least one kind of interruption happened (before or after the rename)


# --- case 11: full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(folder: Path) -> Path:
    """Write until the device is full, down to the last kilobyte."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 14, 1 << 10):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                pass
    return filler


def _tables(n: int) -> dict[str, list[dict]]:
    from datetime import UTC, datetime

    from tests.analysis_fixture import make_tables

    tables = make_tables(datetime.now(UTC))
    return {k: [{kk: vv for kk, vv in r.items() if not kk.startswith("_")} for r in v][:n]
            for k, v in tables.items()}


def test_full_disk_keeps_the_pending_batch(small_disk):
    db = small_disk / "akhbar.duckdb"
    area = StagingArea(data_dir_for(db) / "staging")
    assert load_pending(db, area).error is None  # creates the warehouse
    stage_batch(area, "20260101T000000000001-run-a", _tables(10_000))
    filler = _fill(small_disk)
    report = load_pending(db, area)
    assert report.disk_full and "disk full" in report.error and "kept" in report.error
    assert report.loaded == [] and report.rows == {}  # nothing is claimed for a rolled-back load
    assert [b.name for b in area.pending_batches()] == ["20260101T000000000001-run-a"]
    # staging a new batch on the full disk: one line back, no half-written batch left behind
    message = stage_or_report(area, "20260101T000000000002-run-b", _tables(10_000))
    assert message and message.startswith("disk full") and "nothing was staged" in message
    assert not list((area.root / "tmp").iterdir())
    with pytest.raises(DiskFull):
        stage_batch(area, "20260101T000000000003-run-c", _tables(10_000))
    filler.unlink()  # space is back: the kept batch loads, once
    report = load_pending(db, area)
    assert report.error is None and report.loaded == ["20260101T000000000001-run-a"]
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM load_batches").fetchone()[0] == 1


def test_cli_ingest_on_full_disk_is_one_error_line_and_keeps_the_batch(small_disk, dev_catalog, tmp_path):
    db = small_disk / "akhbar.duckdb"
    area = StagingArea(data_dir_for(db) / "staging")
    assert load_pending(db, area).error is None
    stage_batch(area, "20260101T000000000001-run-a", _tables(10_000))
    filler = _fill(small_disk)
    env = dict(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
               PREFECT_LOGGING_LEVEL="WARNING")
    out = _cli("ingest", "--db", str(db), "--catalog", str(dev_catalog), "--allow-private-networks", env=env,
               timeout=300)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "Traceback" not in text, text
    errors = [ln for ln in text.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "disk full" in errors[0] and "kept" in errors[0], text
    assert "not created" not in text and "snapshot" not in text, text  # no cascade of follow-on warnings
    assert [b.name for b in area.pending_batches()] == ["20260101T000000000001-run-a"]
    filler.unlink()


# --- case 11: leftovers of killed runs ---------------------------------------------------------------


def _age(path: Path, seconds: float = 3600) -> None:
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (time.time() - seconds, time.time() - seconds))


def test_leftovers_of_killed_runs_are_removed_once_safe(tmp_path):
    from tasks.archive import WarcWriter

    db = tmp_path / "akhbar.duckdb"
    data = data_dir_for(db)
    area = StagingArea(data / "staging")
    assert load_pending(db, area).error is None
    # a staging batch of a killed run, and one being written right now (locked)
    dead_tmp = area.root / "tmp" / "20260101T000000000001-ingest-dead-abc123"
    dead_tmp.mkdir(parents=True)
    (dead_tmp / "articles.parquet").write_bytes(b"x" * 1000)
    live_tmp = area.root / "tmp" / "20260101T000000000002-ingest-live-def456"
    live_tmp.mkdir()
    # snapshot temp files of a killed copy (DuckDB copy + its WAL, a Parquet folder, an .old folder)
    snap_tmp = tmp_path / ".akhbar.snapshot.duckdb.0badc0de.tmp"
    snap_tmp.write_bytes(b"y" * 500)
    (tmp_path / ".akhbar.snapshot.duckdb.0badc0de.tmp.wal").write_bytes(b"w")
    (data / ".snapshot.1234abcd.tmp").mkdir(parents=True)
    (data / ".snapshot.5678abcd.old").mkdir()
    # WARC files: a dead run that never loaded, a loaded run, a run whose batch is still pending, a live run
    archive = data / "archive"
    for run in ("ingest-dead0000-aaaa", "ingest-loaded00-bbbb", "ingest-pending0-cccc"):
        w = WarcWriter(archive, run)
        w.write_response("http://x.example/a", 200, {"content-type": "text/html"}, b"<html>a</html>")
        w.close()
    live = WarcWriter(archive, "ingest-live0000-dddd")
    live.write_response("http://x.example/b", 200, {"content-type": "text/html"}, b"<html>b</html>")
    (area.pending / "20260101T000000000009-ingest-pending0-cccc").mkdir(parents=True)
    # a fresh leftover (younger than MIN_AGE_S) is left for a later run
    young = area.root / "tmp" / "20260101T000000000003-ingest-young-aaa111"
    young.mkdir()
    for p in (dead_tmp, live_tmp, snap_tmp, tmp_path / ".akhbar.snapshot.duckdb.0badc0de.tmp.wal",
              data / ".snapshot.1234abcd.tmp", data / ".snapshot.5678abcd.old", *archive.iterdir()):
        _age(p)
    asked = []

    def loaded(db_path: Path, runs: set[str]) -> set[str]:
        assert db_path == db
        asked.append(set(runs))
        return runs & {"ingest-loaded00-bbbb"}

    with leftovers.held(live_tmp):
        report = leftovers.clean_leftovers(db, loaded)
        assert live_tmp.exists()
    assert report.staging_dirs == [dead_tmp.name] and not dead_tmp.exists() and young.exists()
    assert sorted(report.snapshot_files) == sorted([snap_tmp.name, snap_tmp.name + ".wal", ".snapshot.1234abcd.tmp",
                                                    ".snapshot.5678abcd.old"])
    assert report.warc_files == ["akhbar-ingest-dead0000-aaaa-0.warc.gz"]
    assert asked == [{"ingest-dead0000-aaaa", "ingest-loaded00-bbbb"}]  # pending and live runs never asked
    left = sorted(p.name for p in archive.iterdir() if p.suffix == ".gz")
    assert left == ["akhbar-ingest-live0000-dddd-0.warc.gz", "akhbar-ingest-loaded00-bbbb-0.warc.gz",
                    "akhbar-ingest-pending0-cccc-0.warc.gz"]
    assert report.line().startswith("removed leftovers of killed runs: 1 unfinished staging batch, "
                                    "4 half-written snapshot files, 1 WARC file of a run that never loaded")
    # once the live writers are gone (their locks released) what they left is removed too
    live.close()
    again = leftovers.clean_leftovers(db, loaded)
    assert again.staging_dirs == [live_tmp.name] and again.warc_files == ["akhbar-ingest-live0000-dddd-0.warc.gz"]
    assert young.exists() and not again.snapshot_files


def test_writers_hold_their_files_while_writing(tmp_path, monkeypatch):
    """The real writers lock what they write: a cleaner running mid-write never removes it."""
    import warehouse.load as load_mod

    area = StagingArea(tmp_path / "akhbar.d" / "staging")
    seen = []
    real = load_mod.pq.write_table

    def spy(table, where, *a, **kw):
        folder = Path(where).parent
        _age(folder)
        seen.append((folder.name, leftovers.abandoned(folder)))
        return real(table, where, *a, **kw)

    monkeypatch.setattr(load_mod.pq, "write_table", spy)
    stage_batch(area, "20260101T000000000001-run-x", {"runs": [{"run_id": "run-x"}]})
    assert seen and not any(dead for _, dead in seen)
    assert json.loads((area.pending / "20260101T000000000001-run-x" / "batch.json").read_text())["rows"] == {"runs": 1}


def test_rows_with_different_columns_are_staged_whole(tmp_path):
    """A batch's rows need not share keys (a feed failing for the first time has no validators,
    one that answered has them): every column of every row is staged and loaded, whatever the
    first row holds (pyarrow's from_pylist keeps only the first row's keys)."""
    from datetime import UTC, datetime

    db = tmp_path / "akhbar.duckdb"
    area = StagingArea(data_dir_for(db) / "staging")
    now = datetime.now(UTC)
    failing = dict(feed_id="f1", url="http://a.example/rss", source_id="a", last_outcome="timeout",
                   consecutive_failures=1)
    answered = dict(feed_id="f2", url="http://b.example/rss", source_id="b", last_outcome="ok", etag='"v1"',
                    body_hash="abc", last_success_at=now, consecutive_failures=0)
    stage_batch(area, "20260101T000000000000-ingest-x", {"feeds": [failing, answered]})
    load_pending(db, area, 5.0)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT feed_id, etag, body_hash, last_success_at FROM feeds ORDER BY feed_id").fetchall()
    finally:
        con.close()
    assert rows == [("f1", None, None, None), ("f2", '"v1"', "abc", now)]
