"""Writes that lose nothing: stage a run's rows as Parquet, then load every pending batch in
one short transaction.

A batch directory only appears under ``pending/`` once all its files are written (atomic
rename), and a batch is marked loaded inside the same transaction that inserts its rows. So a
process killed at any point leaves either nothing or a complete pending batch, never partial
rows, and a batch is never applied twice.

`rewrite_signatures` rewrites the stored dedupe signatures of an older key in one transaction
(the caller, tasks/stories.py `resign_stored`, says how a text is signed).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.db import DiskFull, WarehouseLocked, is_disk_full, schema_is_current, writer
from warehouse.db import exists as warehouse_exists
from warehouse.errors import error_line
from warehouse.leftovers import held
from warehouse.queries import sql_file

log = logging.getLogger("akhbar.load")

# How each staged table is merged into the warehouse, in load order.
#   replace: the staged row is the new truth for its key
#   insert:  append, ignoring keys already present
#   update:  set the staged columns on existing rows (key = first column)
#   delete:  delete the target table's rows whose key columns equal a staged row's
TABLE_POLICY: dict[str, str] = {
    "sources": "replace",
    "feeds": "replace",
    "feed_fetches": "insert",
    "articles": "replace",
    "article_sightings": "insert",
    "url_aliases": "insert",
    "article_updates": "update:articles",
    # fetch_attempts of a stored article asked again that kept its stored copy (tasks.queue.attempt_rows)
    "article_attempts": "update:articles",
    "article_signatures": "replace",
    # a streamed run settled at its end (tasks.stories.cluster_signed's `settle`): the reuse rows of
    # its earlier chunks' articles, and the clusters they founded and left, go before the new rows
    "reuse_withdrawn": "delete:article_reuse",
    "clusters_withdrawn": "delete:story_clusters",
    "story_clusters": "replace",
    "cluster_members": "replace",
    "article_reuse": "replace",
    "boilerplate_docs": "replace",
    "boilerplate_lines": "replace",
    "run_errors": "insert",
    "entry_queue": "replace",
    "host_waits": "replace",
    "runs": "replace",
}

# Columns that identify a row, used to dedupe a batch before ON CONFLICT (DuckDB rejects a
# statement that touches the same key twice).
TABLE_KEYS: dict[str, list[str]] = {
    "sources": ["source_id"],
    "feeds": ["feed_id"],
    "feed_fetches": ["fetch_id"],
    "articles": ["article_id"],
    "article_sightings": ["article_id", "feed_url"],
    "url_aliases": ["alias_id"],
    "article_updates": ["article_id"],
    "article_attempts": ["article_id"],
    "article_signatures": ["article_id"],
    "reuse_withdrawn": ["article_id"],
    "clusters_withdrawn": ["cluster_id"],
    "story_clusters": ["cluster_id"],
    "cluster_members": ["article_id"],
    "article_reuse": ["article_id", "reused_article_id"],
    "boilerplate_docs": ["source_id"],
    "boilerplate_lines": ["source_id", "line_hash"],
    "run_errors": ["error_id"],
    "entry_queue": ["article_id"],
    "host_waits": ["host"],
    "runs": ["run_id"],
}


@dataclass(frozen=True)
class StagingArea:
    root: Path

    @property
    def pending(self) -> Path:
        return self.root / "pending"

    def pending_batches(self) -> list[Path]:
        if not self.pending.exists():
            return []
        return sorted(p for p in self.pending.iterdir() if p.is_dir())


def arrow_table(rows: list[dict]) -> pa.Table:
    """Rows as an Arrow table with every column any row has (pyarrow's from_pylist keeps only the
    first row's keys: a first feed row without `body_hash` dropped that column for the batch)."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return pa.Table.from_pylist([row if len(row) == len(columns) else {k: row.get(k) for k in columns}
                                 for row in rows])


def new_batch_id(run_id: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{run_id}"


def stage_batch(area: StagingArea, batch_id: str, tables: dict[str, list[dict] | pa.Table],
                meta: dict | None = None) -> Path:
    """Write each non-empty table as Parquet, then publish the batch with one atomic rename.

    A table is a list of row dicts (deduplicated by key here) or a pyarrow Table (written as is:
    the caller guarantees one row per key; far less memory for big batches).
    meta: extra keys for the batch's manifest (batch.json), e.g. ``cluster_at_load`` for a
    shard's batch that the serialized load step clusters (see `load_pending`'s prepare)."""
    unknown = set(tables) - set(TABLE_POLICY)
    if unknown:
        raise ValueError(f"no load policy for tables {sorted(unknown)}")
    tmp = area.root / "tmp" / f"{batch_id}-{uuid.uuid4().hex[:6]}"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        # flock-ed while written: a batch of a killed run is recognised and removed later
        # (warehouse.leftovers), a batch being written right now never is.
        with held(tmp):
            counts = {}
            for name, rows in tables.items():
                if len(rows) == 0:
                    continue
                if isinstance(rows, pa.Table):
                    table = rows
                else:
                    table = arrow_table(last_per_key(rows, TABLE_KEYS[name]))
                pq.write_table(table, tmp / f"{name}.parquet")
                counts[name] = table.num_rows
            (tmp / "batch.json").write_text(
                json.dumps({**(meta or {}), "batch_id": batch_id, "staged_at": datetime.now(UTC).isoformat(),
                            "rows": counts})
            )
            fsync_dir(tmp)
            area.pending.mkdir(parents=True, exist_ok=True)
            final = area.pending / batch_id
            os.rename(tmp, final)
            fsync_dir(area.pending)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # a half-written batch is worth nothing: free the space
        if is_disk_full(exc):
            raise DiskFull(exc.errno, f"no space left to stage the batch under {area.root}: nothing "
                                      "was staged, the next run fetches these pages again") from exc
        raise
    return final


def stage_or_report(area: StagingArea, batch_id: str, tables: dict[str, list[dict]],
                    meta: dict | None = None) -> str | None:
    """``stage_batch``, except that a full disk is returned as one line instead of raised
    (nothing is staged then; the run's pages are fetched again by the next run)."""
    try:
        stage_batch(area, batch_id, tables, meta)
    except DiskFull as exc:
        log.error("%s", exc.strerror or exc)
        return f"disk full: {exc.strerror or exc}"
    return None


def last_per_key(rows: list[dict], keys: list[str]) -> list[dict]:
    """One row per key, the last one winning: DuckDB's ON CONFLICT rejects a statement that
    touches the same key twice, and deduping here is far cheaper than a window in the load."""
    by_key = {tuple(r[k] for k in keys): r for r in rows}
    return rows if len(by_key) == len(rows) else list(by_key.values())


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class LoadReport:
    loaded: list[str]
    skipped: list[str]
    pending: list[str]
    rows: dict[str, int]
    error: str | None = None
    disk_full: bool = False
    # A post-load step that failed after the batches were committed (derived data: the search
    # index); its "<type>: <message>", for the run's summary. The next load retries it.
    post_load_error: str | None = None
    # What went wrong after the load without undoing it (flows/loading.py: the search index, the
    # read-only snapshot), one line each: runs add them to their summary.
    warnings: list[str] = field(default_factory=list)
    # Stored signatures of an older dedupe key re-signed before this load (tasks/stories.py
    # `resign_stored`: once, at the first load after an upgrade that changed the key).
    resigned: int = 0


# A batch's tables rewritten just before it loads (sharded ingest: clustered against the window).
Prepare = Callable[[Path, dict], "dict[str, list[dict]] | None"]


def batch_meta(batch: Path) -> dict:
    """The manifest of a staged batch ({} if unreadable)."""
    try:
        return json.loads((batch / "batch.json").read_text())
    except (OSError, ValueError):
        return {}


def load_pending(db_path: Path, area: StagingArea, wait_s: float = 30.0,
                 after_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
                 prepare: Prepare | None = None, memory_limit: str | None = None) -> LoadReport:
    """Apply every pending batch; on a held lock leave them pending.

    Batches load in one transaction, each recorded in `load_batches` in it (so never twice).
    When `prepare` is given, a batch whose manifest asks for it (``cluster_at_load``) is first
    handed to prepare(batch_dir, manifest), which returns tables that replace the staged ones
    (read from the warehouse, e.g. dedupe against the window: this runs before the writer opens,
    because a DuckDB file has no reader while a writer holds it). Such batches then load one
    transaction each, in order, so each is prepared against the ones before it. The caller holds
    the one-writer lock around all of it (flows/locks.py).

    after_commit runs on the writer connection once the batches are committed (e.g. the
    search-index rebuild), so the file is opened read-write only once per load. memory_limit:
    DuckDB's memory limit on the writer connection (warehouse.db.writer).
    """
    batches = area.pending_batches()
    report = LoadReport(loaded=[], skipped=[], pending=[b.name for b in batches], rows={})
    if not batches and warehouse_exists(db_path) and schema_is_current(db_path, wait_s=wait_s):
        return report  # nothing to load; a schema-less or outdated file is migrated below
    if prepare is not None and any(batch_meta(b).get("cluster_at_load") for b in batches):
        groups = [[b] for b in batches]
    else:
        groups, prepare = [batches], None
    try:
        for i, group in enumerate(groups):
            overrides: dict[str, dict[str, list[dict]]] = {}
            for batch in group:
                meta = batch_meta(batch)
                if prepare is not None and meta.get("cluster_at_load") and not _is_loaded(db_path, batch.name, wait_s):
                    replaced = prepare(batch, meta)
                    if replaced is not None:
                        overrides[batch.name] = replaced
            with writer(db_path, wait_s=wait_s, memory_limit=memory_limit) as con:
                _apply(con, group, report, overrides)
                if after_commit is not None and report.loaded and i == len(groups) - 1:
                    try:
                        after_commit(con)
                    except Exception as exc:  # derived data; the batch itself is safely loaded
                        log.warning("post-load step failed (the load itself is committed): %s", exc)
                        report.post_load_error = error_line(exc)
    except WarehouseLocked as exc:
        log.warning("warehouse busy, %d batch(es) left pending for the next run: %s", len(batches), exc)
        report.error = str(exc)
        _drop_loaded(area, report)
        return report
    except (OSError, duckdb.Error) as exc:
        if not is_disk_full(exc):
            raise
        # The transaction rolled back: every batch is still complete under pending/.
        report.error = (f"disk full: no space left on the device of {db_path}; {len(batches)} batch(es) kept "
                        f"under {area.pending} for the next run")
        report.disk_full = True
        log.warning("%s", report.error)
        _drop_loaded(area, report)
        return report
    _drop_loaded(area, report)
    return report


def _drop_loaded(area: StagingArea, report: LoadReport) -> None:
    """Remove the staged copies of committed (or already loaded) batches."""
    for name in report.loaded + report.skipped:
        shutil.rmtree(area.pending / name, ignore_errors=True)
    report.pending = [b.name for b in area.pending_batches()]


def _is_loaded(db_path: Path, batch_id: str, wait_s: float) -> bool:
    if not warehouse_exists(db_path):
        return False
    from warehouse.db import reader

    with reader(db_path, wait_s=wait_s) as con:
        return bool(con.execute("SELECT count(*) FROM load_batches WHERE batch_id = ?", [batch_id]).fetchone()[0])


def _apply(con: duckdb.DuckDBPyConnection, batches: list[Path], report: LoadReport,
           overrides: dict[str, dict[str, list[dict]]] | None = None) -> None:
    """Load the batches in one transaction; the report counts them only once it committed.
    overrides: per batch, tables that replace its staged files (see load_pending's prepare)."""
    overrides = overrides or {}
    loaded, skipped, rows = [], [], {}
    con.execute("BEGIN")
    try:
        done = {r[0] for r in con.execute("SELECT batch_id FROM load_batches WHERE batch_id IN (SELECT unnest(?))",
                                          [[b.name for b in batches]]).fetchall()}
        for batch in batches:
            if batch.name in done or not (batch / "batch.json").exists():
                skipped.append(batch.name)
                continue
            meta = json.loads((batch / "batch.json").read_text())
            replaced = overrides.get(batch.name, {})
            for table, policy in TABLE_POLICY.items():
                path = batch / f"{table}.parquet"
                if table in replaced:
                    new_rows = last_per_key(replaced[table], TABLE_KEYS[table])
                    if new_rows:
                        rows[table] = rows.get(table, 0) + _merge(con, table, policy, arrow_table(new_rows))
                elif path.exists():
                    rows[table] = rows.get(table, 0) + _merge(con, table, policy, path)
            _queue_for_search(con, batch / "articles.parquet")
            _queue_for_search(con, batch / "article_updates.parquet")
            _touched_clusters(con, batch)
            _run_postload(con)
            con.execute(
                "INSERT INTO load_batches VALUES (?, ?, ?, now(), ?)",
                [batch.name, batch.name.split("-", 1)[-1], meta.get("staged_at"), json.dumps(meta["rows"])],
            )
            loaded.append(batch.name)
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise
    report.loaded += loaded
    report.skipped += skipped
    for table, n in rows.items():
        report.rows[table] = report.rows.get(table, 0) + n


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed COMMIT, e.g. on a full disk, already
    ended it, and a second error would hide the first)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _queue_for_search(con: duckdb.DuckDBPyConnection, articles: Path) -> None:
    """Name the batch's articles (new, replaced, or re-clustered) in ``search_queue`` inside the
    load's transaction, so the search index sync (warehouse/search.py) re-indexes exactly these,
    never the whole warehouse."""
    if articles.exists():
        con.execute("INSERT INTO search_queue SELECT article_id, now() FROM read_parquet(?)", [articles.as_posix()])


def _touched_clusters(con: duckdb.DuckDBPyConnection, batch: Path) -> None:
    """TEMP TABLE ``batch_clusters``: the story clusters this batch may have changed (its cluster
    rows, its memberships, the clusters of its articles). Post-load SQL recomputes only these."""
    con.execute("CREATE OR REPLACE TEMP TABLE batch_clusters (cluster_id VARCHAR)")
    for table, sql in (("story_clusters", "SELECT cluster_id FROM read_parquet($path)"),
                       ("cluster_members", "SELECT cluster_id FROM read_parquet($path)"),
                       ("articles", "SELECT cluster_id FROM cluster_members WHERE article_id IN "
                                    "(SELECT article_id FROM read_parquet($path))"),
                       ("article_updates", "SELECT cluster_id FROM read_parquet($path)")):
        path = batch / f"{table}.parquet"
        if path.exists() and (table != "article_updates" or "cluster_id" in pq.read_schema(path).names):
            con.execute(f"INSERT INTO batch_clusters {sql}", {"path": path.as_posix()})


def _run_postload(con: duckdb.DuckDBPyConnection) -> None:
    for sql in _postload_sql():
        con.execute(sql)


@functools.cache
def _postload_sql() -> tuple[str, ...]:
    """The post-load SQL files (sql/postload/), in name order: read once per process, not per batch."""
    folder = resources.files("warehouse").joinpath("sql", "postload")
    return tuple(entry.read_text(encoding="utf-8") for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                 if entry.name.endswith(".sql"))


def _merge(con: duckdb.DuckDBPyConnection, table: str, policy: str, source: Path | pa.Table) -> int:
    """One load path for the plain file and the lake: the staged file goes into a TEMP table,
    then one MERGE on the table's key. (MERGE straight from a subquery source crashed DuckDB
    1.5.5 on both catalogs; from a TEMP table it is sound.) Keys stay unique because one writer
    runs this at a time on a batch deduplicated by key: the tables that grow carry no PRIMARY KEY
    on either backend (migration 0007: on the file, a key made every checkpoint cost the whole
    table); the small ones still do on the file."""
    keys = TABLE_KEYS[table]
    # The file path is bound, never pasted into the SQL; table and column names come from
    # TABLE_POLICY and our own staged files.
    if isinstance(source, pa.Table):
        con.register("akhbar_stage_rows", source)
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE akhbar_stage AS SELECT * FROM akhbar_stage_rows")
        finally:
            con.unregister("akhbar_stage_rows")
        names, n_rows = source.schema.names, source.num_rows
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE akhbar_stage AS SELECT * FROM read_parquet($path)",
                    {"path": source.as_posix()})
        footer = pq.read_metadata(source)  # one read of the footer: the columns and the row count
        names, n_rows = footer.schema.to_arrow_schema().names, footer.num_rows
    try:
        target = policy.split(":", 1)[1] if policy.startswith(("update:", "delete:")) else table
        cols = [c for c in names if c not in keys]
        on = " AND ".join(f"t.{_ident(k)} = s.{_ident(k)}" for k in keys)
        sets = ", ".join(f"{_ident(c)} = s.{_ident(c)}" for c in cols)
        merge = f"MERGE INTO {_ident(target)} AS t USING temp.akhbar_stage AS s ON {on}"
        if policy == "replace":
            matched = f" WHEN MATCHED THEN UPDATE SET {sets}" if cols else ""
            con.execute(f"{merge}{matched} WHEN NOT MATCHED THEN INSERT BY NAME")
        elif policy == "insert":
            con.execute(f"{merge} WHEN NOT MATCHED THEN INSERT BY NAME")
        elif policy.startswith("update:"):
            if cols:
                con.execute(f"{merge} WHEN MATCHED THEN UPDATE SET {sets}")
        elif policy.startswith("delete:"):
            con.execute(f"{merge} WHEN MATCHED THEN DELETE")
        else:
            raise ValueError(policy)
    finally:
        con.execute("DROP TABLE IF EXISTS temp.akhbar_stage")
    return n_rows


# The columns of `article_signatures` that follow from the dedupe key (warehouse/sql/migrations/
# 0002_stories.sql, 0010_signature_lead_words.sql), as `rewrite_signatures` spools them; outlet and times are never rewritten.
SIGNED_COLUMNS = pa.schema([("article_id", pa.string()), ("key_hash", pa.string()), ("n_tokens", pa.int32()),
                            ("para_hashes", pa.list_(pa.int64())), ("para_exact", pa.list_(pa.int64())),
                            ("para_offsets", pa.list_(pa.int32())), ("shingles", pa.list_(pa.int64())),
                            ("lead", pa.list_(pa.int64())), ("minhash", pa.list_(pa.int64())),
                            ("version", pa.int32()), ("lead_words", pa.list_(pa.int64()))])

# rows (article_id, source_id, published_at, text, title) -> their new SIGNED_COLUMNS rows; an
# article it returns no row for (no stored text, or its signing failed) keeps its old hashes.
Sign = Callable[[list[dict]], "list[dict]"]


def rewrite_signatures(db_path: Path, version: int, sign: Sign, wait_s: float = 30.0,
                       memory_limit: str | None = None, batch: int = 256) -> tuple[int, int]:
    """Re-sign every stored signature older than `version` (a change of the dedupe key) from its
    article's stored text, so that the stored window matches what this version computes for a
    new copy; returns (rows re-signed, rows that kept their old hashes).

    One pass on the writer connection (the caller holds the one-writer lock): the old rows and
    their articles' text are read as one stream, `batch` articles at a time, handed to `sign`
    (tasks/stories.py: the warehouse does not know how a text is signed), and the new values
    spooled to a Parquet file beside the warehouse; then one transaction updates them, and sets
    `version` on the old rows left (their article or its text is gone, or `sign` failed on it:
    they keep their old hashes, which still match the words the key change did not touch, and
    are not read again at every load). Memory: one batch of texts and signatures, whatever the
    warehouse's size. Interrupted, nothing is changed and the next load starts over. Only `article_signatures` changes: story clusters stay as they were decided."""
    from warehouse.paths import data_dir_for

    # under staging/tmp, held while in use: clean_leftovers removes it if the process is killed
    tmp = data_dir_for(db_path) / "staging" / "tmp" / f"resign-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True, exist_ok=True)
    spool = tmp / "article_signatures.parquet"
    done = 0
    try:
        with held(tmp), writer(db_path, wait_s=wait_s, memory_limit=memory_limit) as con:
            stream = con.execute(sql_file("signatures_to_resign"), {"version": version}).to_arrow_reader(batch)
            with pq.ParquetWriter(spool, SIGNED_COLUMNS) as out:
                for chunk in stream:
                    rows = chunk.to_pylist()
                    new = sign(rows)
                    if new:
                        out.write_table(pa.Table.from_pylist(new, SIGNED_COLUMNS))
                        done += len(new)
            stream.close()
            con.execute("BEGIN")
            try:
                if done:
                    _merge(con, "article_signatures", "update:article_signatures", spool)
                kept = con.execute("UPDATE article_signatures SET version = $version "
                                   "WHERE version < $version", {"version": version}).fetchone()[0]
                con.execute("COMMIT")
            except Exception:
                rollback(con)
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return done, int(kept)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
