"""The search index: our own postings, maintained incrementally, in any DuckDB database.

Why not DuckDB's fts extension: its index is rebuilt whole on every change (329 s at 1M
articles), every query scores every document (1.3-4 s at 1M), and it does not work on DuckLake
tables. This index costs O(new articles) per load, answers from the postings of the query's
terms only, and can be built from any set of articles into any DuckDB file.

Tables (all derived data: dropping them all and calling ``sync_index`` rebuilds them):

* ``search_docs(doc, article_id, len_t, len_b, cluster_id, published_at, source_id, wire_agency,
  is_canonical, title, url, cl, ah)``: one row per indexed article, with a dense doc number, the
  number of indexed words of its title and body (BM25 lengths) and what ranking, filters and the
  hit list need (so a query never reads ``articles``; loads queue re-clustered and updated
  articles too); ``cl`` and ``ah`` are DuckDB hashes of the cluster id and of the article id, so
  grouping by story and breaking ties read integers only. An article that is re-indexed gets a
  new doc number; its old postings die with its old row.
* ``search_dead(doc)``: documents removed whose postings are still in a run (until a merge
  rewrites that run): a query skips them without reading ``search_docs``.
* ``search_run_<n>(tid, doc, tf_t, tf_b, dl)``: postings, one row per (term, document), term
  frequencies in title and body and the document's BM25F length (``4 * len_t + len_b``, copied
  into each posting so that scoring never joins ``search_docs``), *sorted by term*. A term is a 64-bit hash of the analysed term
  (``term_id``). Each load writes one small run; runs of similar size are merged (and purged
  of dead documents) in the background of later loads, as in an LSM tree, so a term lookup
  touches a few row groups per run (DuckDB's min/max zone maps prune the rest) and a load never
  rewrites the whole index. ``search_postings`` is a view over all runs.
* ``search_runs(run, n_rows, created_at)``: the runs.
* ``search_vocab(key, qtids, atids, dtids, htids)``: every matching key seen in the text with the
  term ids a query word with that key looks for (and those of its proclitic reading, see
  ``query_alt_terms``, and of its spellings without / with a hamza, see ``query_var_terms``), so
  the SQL macro ``search_articles`` can analyse a query without Python.
* ``search_meta(key, value)``: analyzer and index format versions, the next doc number.
* ``search_stats(n_docs, sum_t, sum_b)``: one row, kept up to date by every add and removal: the
  BM25 collection statistics without a scan of ``search_docs`` per query.

The build streams: articles are read, analysed and written in chunks of ``CHUNK`` articles, so
memory is bounded by the chunk, not the warehouse. Text is split at whitespace in SQL (the
per-occurrence work stays in DuckDB); each distinct chunk is keyed and analysed once in Python
(``search_key(chunk).split()``, cached), the same code that analyses queries.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import pyarrow as pa

from warehouse.search_analysis import (
    ANALYZER_VERSION,
    WHITESPACE,
    agency_term,
    chunks,
    index_terms,
    index_terms_written,
    month_heads,
    month_spans,
    query_alt_terms,
    query_terms,
    query_var_terms,
    search_key,
)

log = logging.getLogger("akhbar.search")

CHUNK = 2_000           # articles analysed per step of a (re)build: its memory grows with this (bench/RESULTS.md
                        # 'Stream memory': 20,000 held ~1.1 GB at 50k articles; 2,000 is no slower)
MERGE_FACTOR = 8        # merge this many runs of one size tier into one
BASE_RUN_ROWS = 50_000  # tier 0: runs up to this many postings
# The index layout; bumped with any change of the tables above (the index is then rebuilt).
INDEX_FORMAT = "p4"
INDEX_VERSION = f"{ANALYZER_VERSION}/{INDEX_FORMAT}"
MAX_MERGED_ROWS = 60_000_000  # runs above this are merged only to purge deleted documents
PURGE_DEAD_SHARE = 0.25  # ... when this share of their postings belongs to replaced articles


@lru_cache(maxsize=500_000)
def term_id(term: str) -> int:
    """Stable signed 64-bit id of an index term (blake2b): the same in every process and version."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


_RAW_CACHE: dict[str, tuple[list[int], list[str], int, list[int] | None]] = {}
# The analyses kept from one batch to the next: at least this many, or twice the batch's words. A
# build keeps only the current batch's words beyond that (the common words are in every batch; the
# rare ones, most of a vocabulary, are seldom seen again), so its memory does not grow with the
# warehouse (session 19: +2 MB a 2,000-article chunk kept, bigweb; up to 500,000 entries before).
RAW_CACHE_KEEP = 20_000


def _prune_raw_cache(batch_raws: list[str]) -> None:
    """Forget the cached analyses of words not in this batch once the cache outgrows RAW_CACHE_KEEP
    and twice the batch (the cache is a memo of pure functions: the index written is the same)."""
    if len(_RAW_CACHE) > max(RAW_CACHE_KEEP, 2 * len(batch_raws)):
        kept = {raw: _RAW_CACHE[raw] for raw in batch_raws if raw in _RAW_CACHE}
        _RAW_CACHE.clear()
        _RAW_CACHE.update(kept)


def _analyse_raw(raw: str) -> tuple[list[int], list[str], int, list[int] | None]:
    """(term ids, matching keys, number of indexed words, term ids where the text writes ة: a final
    ه is then the pronoun, see ``index_terms_written``; None when the same) of one raw word, cached
    per process."""
    hit = _RAW_CACHE.get(raw)
    if hit is None:
        keys = search_key(raw).split()
        tids: list[int] = []
        wtids: list[int] = []
        n = 0
        for key in keys:
            terms = index_terms(key)
            if terms:
                n += 1
                for t in terms:
                    tid = term_id(t)
                    if tid not in tids:
                        tids.append(tid)
                for t in index_terms_written(key, raw):
                    tid = term_id(t)
                    if tid not in wtids:
                        wtids.append(tid)
        hit = (tids, keys, n, None if wtids == tids else wtids)
        if len(_RAW_CACHE) > 500_000:  # bounded: a year of text has tens of millions of distinct chunks
            _RAW_CACHE.clear()
        _RAW_CACHE[raw] = hit
    return hit


def query_tids(key: str) -> list[int]:
    return [term_id(t) for t in query_terms(key)]


def query_alt_tids(key: str) -> list[int]:
    return [term_id(t) for t in query_alt_terms(key)]


def query_var_tids(key: str) -> tuple[list[int], list[int]]:
    drop, add = query_var_terms(key)
    return [term_id(t) for t in drop], [term_id(t) for t in add]


SCHEMA_SQL = [
    "CREATE TABLE IF NOT EXISTS search_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE TABLE IF NOT EXISTS search_docs (doc INTEGER, article_id VARCHAR, len_t INTEGER, len_b INTEGER, "
    "cluster_id VARCHAR, published_at TIMESTAMPTZ, source_id VARCHAR, wire_agency VARCHAR, is_canonical BOOLEAN, "
    "title VARCHAR, url VARCHAR, cl UBIGINT, ah UBIGINT)",
    "CREATE TABLE IF NOT EXISTS search_runs (run INTEGER, n_rows BIGINT, created_at TIMESTAMPTZ)",
    "CREATE TABLE IF NOT EXISTS search_vocab (key VARCHAR, qtids BIGINT[], atids BIGINT[], dtids BIGINT[], htids BIGINT[])",
    "CREATE TABLE IF NOT EXISTS search_stats (n_docs BIGINT, sum_t BIGINT, sum_b BIGINT)",
    "CREATE TABLE IF NOT EXISTS search_dead (doc INTEGER)",
]
# Every object the index owns, for a from-scratch rebuild.
_OWNED_TABLES = ("search_meta", "search_docs", "search_runs", "search_vocab", "search_stats", "search_dead")


@dataclass
class IndexStats:
    indexed: int = 0        # live documents after the step
    added: int = 0          # articles (re)analysed
    removed: int = 0        # doc rows dropped (replaced or deleted articles)
    merged_runs: int = 0
    runs: int = 0
    rebuilt: bool = False   # started from scratch (no index, or another analyzer version)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"indexed": self.indexed, "added": self.added, "removed": self.removed,
                "merged_runs": self.merged_runs, "runs": self.runs, "rebuilt": int(self.rebuilt),
                "seconds": round(self.seconds, 3)}


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM search_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO search_meta VALUES (?, ?)", [key, value])


_OPEN: dict[int, int] = {}  # id(connection) -> depth of atomic() blocks open on it


@contextmanager
def atomic(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The block as one transaction: a write of the index is whole or absent, whatever stops it.
    Nested blocks join the outermost one. ``con`` must have no transaction open otherwise (DuckDB
    aborts a transaction on any error, a second BEGIN included), and nothing in the block may
    use an error as an answer."""
    key = id(con)
    depth = _OPEN.get(key, 0)
    _OPEN[key] = depth + 1
    try:
        if depth:
            yield
            return
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:  # the connection itself failed: the first error is the one to see
                pass
            raise
        con.execute("COMMIT")
    finally:
        if depth:
            _OPEN[key] = depth
        else:
            _OPEN.pop(key, None)


def _claim_run(con: duckdb.DuckDBPyConnection) -> int:
    """The number of a new run table: past the counter and every registered run. First drops
    every run table not registered (never read): a write killed between creating its table and
    registering it, or a merge killed before dropping the runs it replaced, left it behind, and
    one of that number would make every later write fail on "table already exists"."""
    for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND regexp_full_match(table_name, 'search_run_[0-9]+') "
            "AND TRY_CAST(substr(table_name, 12) AS BIGINT) NOT IN (SELECT run FROM search_runs)").fetchall():
        con.execute(f"DROP TABLE {name}")
    return max(int(_meta(con, "next_run") or "1"),
               con.execute("SELECT coalesce(max(run), 0) + 1 FROM search_runs").fetchone()[0])


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    """An index of the current analyzer version is present on this connection."""
    try:
        return _meta(con, "analyzer") == INDEX_VERSION
    except duckdb.CatalogException:
        return False


def run_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"search_run_{r[0]}" for r in con.execute("SELECT run FROM search_runs ORDER BY run").fetchall()]


def _refresh_view(con: duckdb.DuckDBPyConnection) -> None:
    tables = run_tables(con)
    body = " UNION ALL ".join(f"SELECT tid, doc, tf_t, tf_b, dl FROM {t}" for t in tables) or (
        "SELECT NULL::BIGINT AS tid, NULL::INTEGER AS doc, NULL::INTEGER AS tf_t, NULL::INTEGER AS tf_b, "
        "NULL::INTEGER AS dl WHERE false")
    con.execute(f"CREATE OR REPLACE VIEW search_postings AS {body}")


def reset_index(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every index object (the articles are untouched)."""
    try:
        tables = run_tables(con)
    except duckdb.CatalogException:
        tables = []
    con.execute("DROP VIEW IF EXISTS search_postings")
    for t in tables:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    for t in _OWNED_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")


def ensure_index_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the index tables; True when the index had to start from scratch."""
    fresh = not index_exists(con)
    if fresh:
        reset_index(con)
    for sql in SCHEMA_SQL:
        con.execute(sql)
    if fresh:
        _set_meta(con, "analyzer", INDEX_VERSION)
        con.execute("INSERT INTO search_stats VALUES (0, 0, 0)")
        _set_meta(con, "next_doc", "1")
        _set_meta(con, "next_run", "1")
        _refresh_view(con)
    return fresh


def remove_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Forget these articles (their postings die; merges purge them)."""
    if not article_ids:
        return 0
    ids = pa.table({"article_id": pa.array(article_ids, pa.string())})
    con.register("_search_ids", ids)
    try:
        gone = con.execute("SELECT count(*), coalesce(sum(len_t), 0), coalesce(sum(len_b), 0) FROM search_docs "
                           "WHERE article_id IN (SELECT article_id FROM _search_ids)").fetchone()
        if gone[0]:
            con.execute("INSERT INTO search_dead SELECT doc FROM search_docs "
                        "WHERE article_id IN (SELECT article_id FROM _search_ids)")
            con.execute("DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM _search_ids)")
            con.execute("UPDATE search_stats SET n_docs = n_docs - ?, sum_t = sum_t - ?, sum_b = sum_b - ?", list(gone))
        return gone[0]
    finally:
        con.unregister("_search_ids")


def add_articles(con: duckdb.DuckDBPyConnection, batch: pa.Table, stats: IndexStats | None = None,
                 stage: bool = False) -> int:
    """Analyse and index one batch (columns article_id, title, text) as one new run, or with
    ``stage`` add its postings to the staged ones that ``flush_stage`` writes as one run.

    The articles must not be in the index already (``remove_articles`` first when re-indexing).
    Returns the number of postings written (or staged). Not a transaction of its own (that made
    a full build 16 % slower at 300k and at 1M articles): a sync wraps its whole update in one
    (``atomic``), and a full build that stops half-way is redone from scratch (state "building")."""
    stats = stats or IndexStats()
    n = batch.num_rows
    if n == 0:
        return 0
    t0 = time.monotonic()
    # past the counter and every document written: a sync killed after writing its documents and
    # before counting them must not hand their numbers out again
    base = max(int(_meta(con, "next_doc") or "1"), con.execute(
        "SELECT greatest((SELECT max(doc) FROM search_docs), (SELECT max(doc) FROM search_dead), 0) + 1").fetchone()[0])
    docs = pa.table({
        "doc": pa.array(range(base, base + n), pa.int32()),
        "article_id": batch.column("article_id").cast(pa.string()),
        "title": batch.column("title").cast(pa.string()),
        "text": batch.column("text").cast(pa.string()),
    })
    meta = pa.table({"doc": docs.column("doc"), "article_id": docs.column("article_id"), "title": docs.column("title"),
                     **{c: _column(batch, c, t) for c, t in META_COLUMNS.items()}})
    con.register("_search_src", docs)
    try:
        # Whitespace chunks with their counts per document and field (0 title, 1 body), in SQL;
        # each distinct chunk is keyed and analysed once, in Python, below.
        split = "unnest(string_split(translate(coalesce({col}, ''), $ws, $sp), ' ')) AS raw"
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _search_tok AS "
            f"SELECT doc, 0::UTINYINT AS f, raw, count(*)::INTEGER AS c FROM (SELECT doc, {split.format(col='title')} "
            "FROM _search_src) WHERE raw <> '' GROUP BY ALL UNION ALL "
            f"SELECT doc, 1::UTINYINT AS f, raw, count(*)::INTEGER AS c FROM (SELECT doc, {split.format(col='text')} "
            "FROM _search_src) WHERE raw <> '' GROUP BY ALL", {"ws": WHITESPACE, "sp": " " * len(WHITESPACE)})
        # documents that write ة somewhere: there a word's final ه is the letter ه (عمله: his work);
        # an outlet that never writes ة (some Egyptian sites: "قسم شرطه") types ه for it
        con.execute("CREATE OR REPLACE TEMP TABLE _search_ta AS SELECT doc FROM _search_src "
                    "WHERE contains(coalesce(title, ''), 'ة') OR contains(coalesce(text, ''), 'ة')")
    finally:
        con.unregister("_search_src")
    t1 = time.monotonic()
    raws = [r[0] for r in con.execute("SELECT DISTINCT raw FROM _search_tok").fetchall()]
    tid_col, n_col, wtid_col, new_keys, month_raws = [], [], [], {}, []
    for raw in raws:
        tids, keys, words, wtids = _analyse_raw(raw)
        tid_col.append(tids)
        n_col.append(words)
        wtid_col.append(wtids)
        for k in keys:
            new_keys.setdefault(k, None)
        if any(_may_name_month(k) for k in keys):
            month_raws.append(raw)
    months = _month_postings(con, docs, base, month_raws)
    _prune_raw_cache(raws)
    vocab = pa.table({"raw": pa.array(raws, pa.string()), "tids": pa.array(tid_col, pa.list_(pa.int64())),
                      "n": pa.array(n_col, pa.int32()), "wtids": pa.array(wtid_col, pa.list_(pa.int64()))})
    keys = pa.table({"key": pa.array(list(new_keys), pa.string())})
    t2 = time.monotonic()
    con.register("_search_raw", vocab)
    con.register("_search_keys", keys)
    wired = False
    try:
        con.register("_search_meta", meta)
        # each chunk of the text joined to its analysis once (terms, number of indexed words)
        con.execute("CREATE OR REPLACE TEMP TABLE _search_tokv AS SELECT t.doc, t.f, t.c, v.n, "
                    "CASE WHEN v.wtids IS NOT NULL AND t.doc IN (SELECT doc FROM _search_ta) THEN v.wtids "
                    "ELSE v.tids END AS tids FROM _search_tok t JOIN _search_raw v USING (raw) WHERE v.n > 0")
        con.execute("DROP TABLE _search_tok")
        if months.num_rows:  # month names used as months: their month's term (no indexed word: n = 0)
            con.register("_search_months", months)
            try:
                con.execute("INSERT INTO _search_tokv SELECT doc, f, c, 0, [tid] FROM _search_months")
            finally:
                con.unregister("_search_months")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _search_new AS SELECT m.doc, m.article_id, "
            "coalesce(l.len_t, 0)::INTEGER AS len_t, coalesce(l.len_b, 0)::INTEGER AS len_b, "
            "coalesce(m.cluster_id, m.article_id) AS cluster_id, m.published_at, m.source_id, "
            "m.wire_agency, coalesce(m.is_canonical, false) AS is_canonical, m.title, m.url, "
            "hash(coalesce(m.cluster_id, m.article_id)) AS cl, hash(m.article_id) AS ah FROM _search_meta m LEFT JOIN ("
            "  SELECT doc, sum(c * n) FILTER (WHERE f = 0) AS len_t, sum(c * n) FILTER (WHERE f = 1) AS len_b"
            "  FROM _search_tokv GROUP BY doc) l ON l.doc = m.doc")
        con.execute("INSERT INTO search_docs BY NAME SELECT * FROM _search_new")
        con.execute("UPDATE search_stats SET n_docs = n_docs + s.n, sum_t = sum_t + s.t, sum_b = sum_b + s.b FROM "
                    "(SELECT count(*) AS n, coalesce(sum(len_t), 0) AS t, coalesce(sum(len_b), 0) AS b "
                    "FROM _search_new) AS s")
        con.unregister("_search_meta")
        # plus one posting per copy of a wire agency (agency_term: a query naming the agency finds it)
        postings = (
            "SELECT p.tid, p.doc, p.tf_t, p.tf_b, (4 * d.len_t + d.len_b)::INTEGER AS dl "
            "FROM (SELECT tid, doc, "
            "(sum(c) FILTER (WHERE f = 0))::INTEGER AS tf_t, (sum(c) FILTER (WHERE f = 1))::INTEGER AS tf_b "
            "FROM (SELECT doc, f, c, unnest(tids) AS tid FROM _search_tokv) "
            "GROUP BY tid, doc "
            "UNION ALL SELECT w.tid, n.doc, NULL::INTEGER, 1 FROM _search_new AS n JOIN _search_wire AS w "
            "ON w.agency = n.wire_agency) AS p JOIN _search_new AS d ON d.doc = p.doc")
        wire = [r[0] for r in con.execute(
            "SELECT DISTINCT wire_agency FROM _search_new WHERE wire_agency IS NOT NULL").fetchall()]
        con.register("_search_wire", pa.table({"agency": pa.array(wire, pa.string()),
                                               "tid": pa.array([term_id(agency_term(a)) for a in wire], pa.int64())}))
        wired = True
        if stage:
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_TABLE} AS {postings} LIMIT 0")
            rows = con.execute(f"INSERT INTO {STAGE_TABLE} {postings}").fetchone()[0]
        else:
            run = _claim_run(con)
            table = f"search_run_{run}"
            con.execute(f"CREATE TABLE {table} AS {postings} ORDER BY p.tid, p.doc")
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute("INSERT INTO search_runs VALUES (?, ?, now())", [run, rows])
        # Query analysis for the SQL macro: one row per matching key never seen before.
        missing = [r[0] for r in con.execute(
            "SELECT key FROM _search_keys ANTI JOIN search_vocab USING (key)").fetchall()]
    finally:
        con.unregister("_search_raw")
        con.unregister("_search_keys")
        if wired:
            con.unregister("_search_wire")
        con.execute("DROP TABLE IF EXISTS _search_tok")
        con.execute("DROP TABLE IF EXISTS _search_tokv")
        con.execute("DROP TABLE IF EXISTS _search_ta")
        con.execute("DROP TABLE IF EXISTS _search_new")
    t3 = time.monotonic()
    if missing:
        var = [query_var_tids(k) for k in missing]
        con.register("_search_newvocab", pa.table({
            "key": pa.array(missing, pa.string()),
            "qtids": pa.array([query_tids(k) for k in missing], pa.list_(pa.int64())),
            "atids": pa.array([query_alt_tids(k) for k in missing], pa.list_(pa.int64())),
            "dtids": pa.array([d for d, _ in var], pa.list_(pa.int64())),
            "htids": pa.array([h for _, h in var], pa.list_(pa.int64()))}))
        try:
            con.execute("INSERT INTO search_vocab SELECT key, qtids, atids, dtids, htids FROM _search_newvocab")
        finally:
            con.unregister("_search_newvocab")
    _set_meta(con, "next_doc", str(base + n))
    if not stage:
        _set_meta(con, "next_run", str(run + 1))
    t4 = time.monotonic()
    for k, v in (("tokenise", t1 - t0), ("analyse", t2 - t1), ("write", t3 - t2), ("vocab", t4 - t3)):
        stats.timings[k] = stats.timings.get(k, 0.0) + v
    stats.added += n
    return rows


MONTH_WINDOW = 4  # whitespace chunks read on each side of a month name (``month_spans`` looks two words away)


def _may_name_month(key: str) -> bool:
    heads = month_heads()
    return key in heads or (len(key) > 3 and key[0] in "وفبل" and key[1:] in heads)


def _month_postings(con: duckdb.DuckDBPyConnection, docs: pa.Table, base: int, month_raws: list[str]) -> pa.Table:
    """(doc, f, c, tid) of the month terms (``month_spans``: a month's name where the text dates with
    it) of the documents holding a chunk that may name a month: their words are read in order (the
    rest of the index is a bag of chunks), each chunk's keys from the per-chunk cache."""
    rows: dict[tuple[int, int, int], int] = {}
    if month_raws:
        con.register("_search_month_raws", pa.table({"raw": pa.array(month_raws, pa.string())}))
        try:
            hit = con.execute("SELECT DISTINCT doc, f FROM _search_tok SEMI JOIN _search_month_raws USING (raw) "
                              "ORDER BY doc, f").fetchall()
        finally:
            con.unregister("_search_month_raws")
        columns = (docs.column("title"), docs.column("text"))
        named = frozenset(month_raws)
        for doc, f in hit:
            raws = chunks(columns[f][doc - base].as_py() or "")
            # only the chunks around a month name are read (a date's context is a few words wide)
            ranges: list[list[int]] = []
            for i in (i for i, raw in enumerate(raws) if raw in named):
                lo, hi = max(0, i - MONTH_WINDOW), i + MONTH_WINDOW + 1
                if ranges and lo <= ranges[-1][1]:
                    ranges[-1][1] = hi
                else:
                    ranges.append([lo, hi])
            for lo, hi in ranges:
                keys = [k for raw in raws[lo:hi] if raw for k in _analyse_raw(raw)[1]]
                for _start, _end, term in month_spans(keys):
                    tid = term_id(term)
                    rows[doc, f, tid] = rows.get((doc, f, tid), 0) + 1
    return pa.table({"doc": pa.array([k[0] for k in rows], pa.int32()), "f": pa.array([k[1] for k in rows], pa.uint8()),
                     "c": pa.array(list(rows.values()), pa.int32()), "tid": pa.array([k[2] for k in rows], pa.int64())})


# What ranking and filters read from search_docs; a batch may lack any of them (NULL).
META_COLUMNS = {"cluster_id": pa.string(), "published_at": pa.timestamp("us", tz="UTC"), "source_id": pa.string(),
                "wire_agency": pa.string(), "is_canonical": pa.bool_(), "url": pa.string()}
ARTICLES_SQL = ("SELECT article_id, title, text, cluster_id, coalesce(published_at, fetched_at) AS published_at, "
                "source_id, wire_agency, is_canonical, url FROM articles")


# A build analyses CHUNK articles at a time (memory), but writes one sorted run per STAGE_ROWS
# postings (tier 2's upper bound): 2,000-article runs made a 1M build rewrite each posting about
# three times through the merges, runs of this size about once.
STAGE_TABLE = "_search_stage"
STAGE_ROWS = BASE_RUN_ROWS * MERGE_FACTOR * MERGE_FACTOR


def flush_stage(con: duckdb.DuckDBPyConnection) -> int:
    """Write the staged postings as one run sorted by term (none staged: nothing)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                       [STAGE_TABLE]).fetchone()[0]:
        return 0
    with atomic(con):
        rows = con.execute(f"SELECT count(*) FROM {STAGE_TABLE}").fetchone()[0]
        if rows:
            run = _claim_run(con)
            con.execute(f"CREATE TABLE search_run_{run} AS SELECT * FROM {STAGE_TABLE} ORDER BY tid, doc")
            con.execute("INSERT INTO search_runs VALUES (?, ?, now())", [run, rows])
            _set_meta(con, "next_run", str(run + 1))
        con.execute(f"DROP TABLE {STAGE_TABLE}")
    return rows


def _column(batch: pa.Table, name: str, typ: pa.DataType) -> pa.Array:
    if name in batch.column_names:
        return batch.column(name).cast(typ)
    return pa.nulls(batch.num_rows, typ)


def _tier(rows: int) -> int:
    tier, size = 0, BASE_RUN_ROWS
    while rows > size:
        tier += 1
        size *= MERGE_FACTOR
    return tier


def merge_runs(con: duckdb.DuckDBPyConnection, force: bool = False) -> int:
    """Merge runs of one size tier once MERGE_FACTOR of them exist (or all runs when force), and
    purge big runs that carry too many dead postings. Returns how many runs were merged away."""
    merged = 0
    while True:
        runs = con.execute("SELECT run, n_rows FROM search_runs ORDER BY run").fetchall()
        group: list[int] = []
        if force:
            group = [r for r, _ in runs] if len(runs) > 1 else []
        else:
            by_tier: dict[int, list[int]] = {}
            for r, rows in runs:
                if rows <= MAX_MERGED_ROWS:
                    by_tier.setdefault(_tier(rows), []).append(r)
            for tier in sorted(by_tier):
                if len(by_tier[tier]) >= MERGE_FACTOR:
                    group = by_tier[tier][:MERGE_FACTOR]
                    break
        if not group:
            break
        _rewrite(con, group)
        merged += len(group) - 1
    if not force:
        for r, rows in con.execute("SELECT run, n_rows FROM search_runs WHERE n_rows > ?",
                                   [MAX_MERGED_ROWS]).fetchall():
            live = con.execute(f"SELECT count(*) FROM search_run_{r} SEMI JOIN search_docs USING (doc)").fetchone()[0]
            if rows and (rows - live) / rows > PURGE_DEAD_SHARE:
                _rewrite(con, [r])
    return merged


# A merge sorts its postings one slice of the term-id space at a time and appends the slices in
# order. One sort of a whole merge (8 runs, 26M postings at 1M articles) ran out of memory in
# DuckDB 1.5.5 under limits from 256MB to 512MB (its sort of a union of tables did not spill;
# 64-192MB and 1GB+ passed); a slice's sort stays far below any limit. Term ids are 64-bit hashes,
# spread evenly, so slices hold about the same number of postings, and each reads only its own
# row groups of each run (the runs are sorted by term: zone maps skip the rest).
MERGE_SLICE_ROWS = 1_000_000
_TID_MIN, _TID_SPAN = -(2**63), 2**64


def _tid_slices(rows: int) -> list[tuple[int, int | None]]:
    """Half-open term-id ranges [lo, hi) covering every BIGINT (hi None: to the end), about
    MERGE_SLICE_ROWS postings each for ``rows`` postings."""
    n = max(1, -(-rows // MERGE_SLICE_ROWS))
    bounds = [_TID_MIN + _TID_SPAN * i // n for i in range(n)]
    return list(zip(bounds, bounds[1:] + [None], strict=True))


def _rewrite(con: duckdb.DuckDBPyConnection, runs: list[int]) -> None:
    """Replace these runs by one sorted run without dead documents (one transaction)."""
    with atomic(con):
        _rewrite_runs(con, runs)


def _rewrite_runs(con: duckdb.DuckDBPyConnection, runs: list[int]) -> None:
    run = _claim_run(con)
    union = " UNION ALL ".join(f"SELECT tid, doc, tf_t, tf_b, dl FROM search_run_{r}" for r in runs)
    total = con.execute("SELECT coalesce(sum(n_rows), 0) FROM search_runs WHERE run IN (SELECT unnest(?))",
                        [runs]).fetchone()[0]
    con.execute(f"CREATE TABLE search_run_{run} AS SELECT * FROM ({union}) LIMIT 0")
    for lo, hi in _tid_slices(int(total)):
        where = "tid >= ?" + (" AND tid < ?" if hi is not None else "")
        con.execute(f"INSERT INTO search_run_{run} SELECT * FROM ({union}) WHERE {where} "
                    "AND doc IN (SELECT doc FROM search_docs) ORDER BY tid, doc", [lo] + ([hi] if hi is not None else []))
    rows = con.execute(f"SELECT count(*) FROM search_run_{run}").fetchone()[0]
    for r in runs:  # their dead documents' postings are gone now
        con.execute("DELETE FROM search_dead WHERE doc IN (SELECT DISTINCT x.doc FROM search_dead AS x "
                    f"JOIN search_run_{r} AS p ON p.doc = x.doc)")  # joined: hashes the small side
    con.execute("DELETE FROM search_runs WHERE run IN (SELECT unnest(?))", [runs])
    con.execute("INSERT INTO search_runs VALUES (?, ?, now())", [run, rows])
    _set_meta(con, "next_run", str(run + 1))
    _refresh_view(con)
    for r in runs:
        con.execute(f"DROP TABLE search_run_{r}")


def index_batches(con: duckdb.DuckDBPyConnection, batches: Iterable[pa.Table | pa.RecordBatch],
                  replace: bool = True, stats: IndexStats | None = None) -> IndexStats:
    """Index a stream of article batches into the index on ``con``: columns article_id, title, text,
    and (optional, NULL when absent) cluster_id, published_at, source_id, wire_agency, is_canonical.

    This is the entry point for an index built from any source into any DuckDB file (a lake
    snapshot read elsewhere, Parquet exports): open the target file, pass the batches. With
    replace=True an article already indexed is re-indexed (its old postings die)."""
    stats = stats or IndexStats()
    started = time.monotonic()
    stats.rebuilt = ensure_index_schema(con) or stats.rebuilt
    staged = 0
    for batch in batches:
        table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
        if table.num_rows == 0:
            continue
        if replace:
            stats.removed += remove_articles(con, table.column("article_id").to_pylist())
        staged += add_articles(con, table, stats, stage=True)
        if staged >= STAGE_ROWS:
            flush_stage(con)
            staged = 0
            stats.merged_runs += merge_runs(con)
    flush_stage(con)
    stats.merged_runs += merge_runs(con)
    _refresh_view(con)
    stats.indexed = con.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    stats.runs = con.execute("SELECT count(*) FROM search_runs").fetchone()[0]
    stats.seconds += time.monotonic() - started
    return stats


def page_articles(con: duckdb.DuckDBPyConnection, sql: str = ARTICLES_SQL, chunk: int | None = None) -> Iterator[pa.Table]:
    """The rows of ``sql`` (a SELECT from ``articles`` with no WHERE) ``chunk`` row ids at a time,
    each page read whole on ``con`` before the caller writes (DuckDB pushes the row-id range into
    the scan). For a build that writes into the same database while it reads: a reader left open
    across the build (``stream_articles``) holds a snapshot, so every version the build's writes
    replace is kept and no checkpoint runs until it ends; a 1M-article rebuild under a run's 96MB
    limit took 458 s that way, 187 s paged (bench/RESULTS.md)."""
    chunk = chunk or CHUNK
    top = con.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    if top is None:
        return
    for lo in range(0, top + 1, chunk):
        page = con.execute(sql + " WHERE rowid >= ? AND rowid < ?", [lo, lo + chunk]).to_arrow_table()
        if page.num_rows:
            yield page


def stream_articles(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None,
                    chunk: int = CHUNK) -> Iterator[pa.Table]:
    """Run ``sql`` (selecting article_id, title, text) on a cursor of ``con`` and yield bounded
    Arrow chunks, the cursor open until the last: for an index written into another database
    (``build_search_file``); a build into the database it reads uses ``page_articles``."""
    cur = con.cursor()
    try:
        reader = cur.execute(sql, params or []).to_arrow_reader(chunk)
        pending: list[pa.RecordBatch] = []
        rows = 0
        for rb in reader:
            pending.append(rb)
            rows += rb.num_rows
            if rows >= chunk:
                yield pa.Table.from_batches(pending)
                pending, rows = [], 0
        if pending:
            yield pa.Table.from_batches(pending)
    finally:
        cur.close()


__all__ = [
    "ARTICLES_SQL", "CHUNK", "INDEX_VERSION", "IndexStats", "add_articles", "atomic", "ensure_index_schema", "index_batches", "index_exists",
    "flush_stage", "merge_runs", "page_articles", "query_tids", "remove_articles", "reset_index", "run_tables", "stream_articles", "term_id",
]
