"""Arabic full-text search over the warehouse: keeping the index in step, and asking it.

* Analysis (which terms a word makes): ``warehouse/search_analysis.py``.
* The index (postings in sorted runs, doc lengths, query vocabulary) and its incremental
  maintenance: ``warehouse/search_index.py``.
* This module: ``sync_search_index`` brings the index up to date with ``articles`` (called after
  every load: it drains ``search_queue``, which each load fills in its own transaction, so the
  cost is that of the new articles), the SQL macros, and ``search`` / ``search_con`` for the CLI.

Query semantics (``akhbar search``; the SQL macro ``search_articles`` where said below):
every word of the query must match, in any of its forms (definite, clitics, feminine, plural,
nisba adjective, spelling variants, hamza seats); when no article has all the words, the ones
with the most of them are shown. Stopwords are ignored. Words in the title rank first, then
BM25F (a title word counts as four body words). One hit per story cluster, with the number of
matching copies, unless all copies are asked for. A phrase in double quotes ("..." or «...»)
must appear as consecutive words (each in any of its forms; its first word with or without the
proclitic an analyst copied with it: "لحزب الله" finds حزب الله, وحزب الله, بحزب الله), and so must the parts of a word
written with inner punctuation (F-16, 3.5, a URL) and a run of initials (أ ف ب). Operators
(``parse_query``): ``A OR B`` / ``A أو B`` / ``A | B`` either word or phrase; ``-word`` and
``-"phrase"`` drop the hits holding it; ``prefix*`` every indexed word beginning so. A wire
agency's name finds its other names (Reuters / رويترز / AFP / فرانس برس / أ ف ب: the attribution
lexicon's). Phrases, exclusions, OR groups holding a phrase and an agency's several-word names
are checked on the candidates' text by ``akhbar search`` / ``search()``. The SQL macro reads no
operator: each word of the query is a plain word that must match (OR and its words: all of them;
-word: the word; prefix*: the word as typed); it knows the one-word names of an agency, a person's
month name the query dates (``akhbar_dated_month``), a month's two-word name (``akhbar_month_pair``:
the month, which the index gives where its words stand together; not its words apart) and بن / ابن
before a name (either spelling).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import regex

from warehouse.arabic import spelling_variants
from warehouse.db import reader, sql_literal
from warehouse.search_analysis import (
    ANALYZER_VERSION,
    ARTICLE_PREFIXES,
    COMPOUNDS,
    DIGIT_LETTER,
    MADDA_LAM,
    PERSIAN_LETTERS,
    THOUSANDS,
    WHITESPACE,
    agency_alternatives,
    agency_forms,
    agency_term,
    compound_tail,
    dated_month_context,
    dated_months,
    index_terms,
    latin_names,
    madda_marks,
    month_alternatives,
    month_date_sets,
    month_name,
    month_names,
    month_numbers,
    month_spans,
    month_term,
    name_alternatives,
    phrase_head_keys,
    query_alt_terms,
    query_terms,
    query_var_terms,
    search_key,
    search_variants,
    stopwords,
)
from warehouse.search_index import (
    ARTICLES_SQL,
    IndexStats,
    atomic,
    ensure_index_schema,
    index_batches,
    index_exists,
    merge_runs,
    page_articles,
    remove_articles,
    reset_index,
    stream_articles,
    term_id,
)

log = logging.getLogger("akhbar.search")

# How many ranked candidates a phrase query checks for adjacency at most (each needs its text).
PHRASE_CHECK_LIMIT = 5000
_PHRASE = regex.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')
_CHUNK = regex.compile(f"[^ {WHITESPACE}]+")
_ARABIC_WORD = regex.compile(r"^[\u0620-\u064a]+$")

_HARAKAT_SQL = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_FROM = "أإآٱىةؤئ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹" + "".join(PERSIAN_LETTERS)
_TO = "اااايهءء01234567890123456789" + "".join(PERSIAN_LETTERS.values())


class SearchIndexMissing(RuntimeError):
    """The warehouse has no search index yet (no load has built it)."""


class SearchQueryError(ValueError):
    """A query or filter a person typed that cannot be run (one clear line, exit code 2)."""


# ---------------------------------------------------------------------------- index maintenance

def sync_search_index(con: duckdb.DuckDBPyConnection, full: bool = False) -> dict[str, int]:
    """Bring the index on this writer connection up to date with ``articles``.

    Incremental: re-indexes the articles named in ``search_queue`` (new, replaced, or deleted
    ones) and empties it. From scratch (streamed in chunks, bounded memory) when there is no
    index yet, when the analyzer version changed, or when ``full``."""
    started = time.monotonic()
    con.execute("CREATE TABLE IF NOT EXISTS search_queue (article_id VARCHAR NOT NULL, queued_at TIMESTAMPTZ NOT NULL)")
    stats = IndexStats()
    if full or not index_exists(con) or _meta_state(con) != "ready":
        stats.rebuilt = True
        reset_index(con)
        ensure_index_schema(con)
        _set_state(con, "building")
        # Everything up to now is covered by this build; later queue entries stay for the next sync.
        mark = con.execute("SELECT max(queued_at) FROM search_queue").fetchone()[0]
        with _memory_limit(con, BUILD_MEMORY_LIMIT):
            index_batches(con, page_articles(con), replace=False, stats=stats)
        if mark is not None:
            con.execute("DELETE FROM search_queue WHERE queued_at <= ?", [mark])
        _set_state(con, "ready")
        stats.merged_runs += merge_runs(con)
        install_macros(con)
    else:  # one transaction: a sync stopped half-way leaves the index and its queue as they were
        with atomic(con):
            mark = con.execute("SELECT max(queued_at) FROM search_queue").fetchone()[0]
            if mark is not None:
                ids = [r[0] for r in con.execute(
                    "SELECT DISTINCT article_id FROM search_queue WHERE queued_at <= ?", [mark]).fetchall()]
                stats.removed += remove_articles(con, ids)
                _index_queued(con, ids, stats)
                con.execute("DELETE FROM search_queue WHERE queued_at <= ?", [mark])
            stats.merged_runs += merge_runs(con)
            install_macros(con)
    stats.indexed = con.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    stats.runs = con.execute("SELECT count(*) FROM search_runs").fetchone()[0]
    stats.seconds = time.monotonic() - started
    log.info("search index %s: %d articles (%d analysed, %d dropped, %d runs merged, %d runs) in %.2fs",
             "rebuilt" if stats.rebuilt else "updated", stats.indexed, stats.added, stats.removed,
             stats.merged_runs, stats.runs, stats.seconds)
    return stats.as_dict()


# DuckDB's own memory during a full build (it spills sorts and merges to its temp directory beyond
# this); the analysis chunk and the per-process word cache are bounded in warehouse/search_index.py.
BUILD_MEMORY_LIMIT = "2GB"


@contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str):
    """Lower DuckDB's memory limit on this connection's database for a block (restored after);
    a connection opened with a lower limit (a run's load: flows/settings.py duckdb_memory) keeps it."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    if _bytes(before) <= _bytes(limit):
        yield
        return
    con.execute("SET memory_limit = ?", [limit])
    try:
        yield
    finally:
        con.execute("SET memory_limit = ?", [before])


_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def _bytes(setting: str) -> float:
    """DuckDB's memory_limit setting ("2GB", "1.8 GiB", "256.0 MiB") in bytes."""
    m = regex.fullmatch(r"\s*([0-9.]+)\s*([a-zA-Z]*)\s*", setting or "")
    if not m or m.group(2).lower() not in _UNITS:
        return float("inf")
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def _index_queued(con: duckdb.DuckDBPyConnection, ids: list[str], stats: IndexStats) -> None:
    """Index the queued articles that exist, reading only where they are.

    Looked up LOOKUP_IDS at a time by a filter pushed into the scan (see _texts), first among the
    articles fetched since a day before the oldest queue entry (a load queues what it just wrote:
    zone maps on ``fetched_at`` skip every older row group), then, for ids not found there (an old
    article re-queued by a re-clustering or an update), in the whole table."""
    since = con.execute("SELECT min(queued_at) - INTERVAL 1 DAY FROM search_queue").fetchone()[0]
    todo = list(dict.fromkeys(ids))
    for bounded in (True, False):
        if not todo:
            return
        seen: list[str] = []
        for i in range(0, len(todo), LOOKUP_IDS):
            # The ids as one string split in SQL: the list is still a constant DuckDB pushes into
            # the scan, and binding one value instead of a list of 256 spares DuckDB's per-value
            # look for pandas (a failing search of sys.path each, 0.3 s of a 2,048-article sync).
            sql = (ARTICLES_SQL + " WHERE list_contains(string_split(?, chr(31)), article_id)"
                   + (" AND fetched_at >= ?" if bounded else ""))
            params = ["\x1f".join(todo[i:i + LOOKUP_IDS])] + ([since] if bounded else [])
            batch = con.execute(sql, params).to_arrow_table()  # read whole before the writes (see page_articles)
            if batch.num_rows:
                seen += batch.column("article_id").to_pylist()
                index_batches(con, [batch], replace=False, stats=stats)
        found = set(seen)
        todo = [a for a in todo if a not in found]


def build_search_file(source: duckdb.DuckDBPyConnection, target: Path, articles_sql: str = ARTICLES_SQL,
                      params: list | None = None) -> dict[str, int]:
    """Build a search index of the articles ``articles_sql`` selects on ``source`` (any
    connection: a DuckLake snapshot, Parquet exports, another warehouse) into its own DuckDB
    file ``target``, written to a temp file and renamed into place (readers never see half an
    index). To search it, open ``target`` with views ``articles`` and ``sources`` pointing at the
    source (e.g. ``ATTACH`` the lake read-only) and call ``search_con``."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.building")
    tmp.unlink(missing_ok=True)
    dst = duckdb.connect(str(tmp))
    try:
        with _memory_limit(dst, BUILD_MEMORY_LIMIT):
            stats = index_batches(dst, stream_articles(source, articles_sql, params), replace=True)
        _set_state(dst, "ready")
        install_macros(dst)
        dst.execute("CHECKPOINT")
    finally:
        dst.close()
    tmp.replace(target)
    return stats.as_dict()


def rebuild_search_index(con: duckdb.DuckDBPyConnection, full: bool = False) -> dict[str, int]:
    """The post-load hook (flows/loading.py): incremental sync. ``full`` builds the index from
    scratch on this writer connection, as after a bulk load that ran without the per-load sync
    (``load_all_pending(..., finalize=False)``): every article is read and analysed in streamed
    chunks (each distinct word once per chunk, DuckDB held to BUILD_MEMORY_LIMIT), and
    ``search_queue`` is emptied up to the build's start."""
    return sync_search_index(con, full=full)


def refresh_search(db_path: Path, wait_s: float = 30.0, full: bool = False) -> dict[str, int]:
    """Open a writer just to sync the index (when it cannot run inside the load's writer)."""
    from warehouse.db import writer
    from warehouse.lake import is_lake

    if is_lake(db_path):  # a lake's index is a local file built from one snapshot
        from warehouse.lake_search import build_search_file

        return build_search_file(db_path)

    with writer(Path(db_path), wait_s=wait_s) as con:
        return sync_search_index(con, full=full)


def enqueue(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Ask the next sync to re-index (or drop, if gone) these articles: for writers that change
    ``articles`` outside warehouse/load.py (the load queues its own rows)."""
    con.execute("CREATE TABLE IF NOT EXISTS search_queue (article_id VARCHAR NOT NULL, queued_at TIMESTAMPTZ NOT NULL)")
    from warehouse.queries import registered

    with registered(con, "akhbar_ids", {"id": list(article_ids)}):  # (not a list parameter: see there)
        con.execute(_sql_file("enqueue.sql"))


def _meta_state(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM search_meta WHERE key = 'state'").fetchone()
    return row[0] if row else None


def _set_state(con: duckdb.DuckDBPyConnection, state: str) -> None:
    con.execute("INSERT OR REPLACE INTO search_meta VALUES ('state', ?)", [state])


_WORD_START_SQL = r"(^|[^\p{L}])"
_SPLIT_SQL = sql_literal(r"\1\2 \3")
_PAIR_SPLIT_SQL = sql_literal(r"\1 \2")
_THOUSANDS_SQL = sql_literal(r"\1\2\3")
_MADDA_SQL = sql_literal("\\1\\2\u0621\u0627\\3")


NORM_SQL_FILE = "akhbar_norm.sql"  # warehouse/sql/search/: norm_macro_sql's text, as installed
_NORM_SQL_HEADER = (
    "-- akhbar_norm(s): search_key in plain SQL. GENERATED by warehouse/search.py norm_macro_sql from the\n"
    "-- normalisation tables (warehouse/arabic.py, warehouse/search_analysis.py, warehouse/data/): do not\n"
    "-- edit; tests/test_search_norm_sql.py fails when this file and the tables differ. Rewrite it with\n"
    "--   python -c 'from warehouse.search import write_norm_sql; write_norm_sql()'\n"
    "-- Read from the base (the line after the openers) down: one step of the key a line, in order.\n"
)


def norm_macro_sql() -> str:
    """``akhbar_norm(s)``: search_key in plain SQL (punctuation is left to the tokenizer), generated
    from the Python tables; installed from its file (``NORM_SQL_FILE``, kept equal by a test).

    Same steps in the same order: NFC + lower, thousands separators dropped, delete harakat/tatweel/bidi marks, fold
    alef/ya/ta-marbuta, hamza seats (ؤ ئ → ء), Persian letters and digits, then the spelling
    variants, longest first, the compound names, and digits split from letters. Each step wraps
    the expression: its function opens before it, its arguments follow it (one line a step).
    """
    steps: list[tuple[str, str]] = []  # (function, the arguments after the expression), in order
    for _ in range(2):  # thousands separators dropped (two passes: a match takes the character after it)
        steps.append(("regexp_replace", f"{sql_literal(THOUSANDS)}, {_THOUSANDS_SQL}, 'g'"))
    steps.append(("regexp_replace", f"{sql_literal(MADDA_LAM)}, {_MADDA_SQL}, 'g'"))  # آل: ءال, not the article
    steps.append(("regexp_replace", f"'{_re2_escaped(_HARAKAT_SQL)}', '', 'g'"))
    steps.append(("translate", f"'{_FROM}', '{_TO}'"))
    for variant, canonical in spelling_variants():
        steps.append(("replace", f"{sql_literal(variant)}, {sql_literal(canonical)}"))
    for variant, canonical in sorted(search_variants().items(), key=lambda p: -len(p[0])):
        steps.append(("replace", f"{sql_literal(variant)}, {sql_literal(canonical)}"))
    for pattern in COMPOUNDS:  # RE2 has no look-behind: the character before the word is kept by hand
        steps.append(("regexp_replace", f"{sql_literal(_WORD_START_SQL + pattern)}, {_SPLIT_SQL}, 'g'"))
    for pattern in DIGIT_LETTER:  # one boundary kind per pass: two matches of one kind never overlap
        steps.append(("regexp_replace", f"{sql_literal(pattern)}, {_PAIR_SPLIT_SQL}, 'g'"))
    openers = "".join(f"{fn}(" for fn, _ in reversed(steps))
    args = "".join(f"\n    , {a})" for _, a in steps)
    return f"CREATE OR REPLACE MACRO akhbar_norm(s) AS\n{openers}\n    lower(nfc_normalize(CAST(s AS VARCHAR))){args};\n"


def _re2_escaped(pattern: str) -> str:
    """A pattern's non-ASCII characters as RE2 escapes (\\x{200f}): the same pattern, no invisible
    mark (bidi, zero width, BOM) written raw in the .sql file."""
    return "".join(c if c.isascii() else f"\\x{{{ord(c):04x}}}" for c in pattern)


def norm_sql_file_text() -> str:
    """What ``NORM_SQL_FILE`` must hold: the header and norm_macro_sql."""
    return _NORM_SQL_HEADER + norm_macro_sql()


def write_norm_sql() -> None:
    """Rewrite ``NORM_SQL_FILE`` from the tables (after a change of them; the test says when)."""
    path = Path(__file__).with_name("sql") / "search" / NORM_SQL_FILE
    path.write_text(norm_sql_file_text(), "utf-8")


def norm_sql() -> str:
    """``akhbar_norm``'s statement as installed: its .sql file."""
    return _sql_file(NORM_SQL_FILE)


def month_context_rows() -> dict[str, list]:
    """The rows of search_month_context (warehouse/sql/search/months.sql), column by column:
    ``dated_month_context``'s sets, one row a word, a name's month and month term id beside it, and
    the months' names of two words (kind ``two``), with the proclitics a text writes on them."""
    c = dated_month_context()
    rows: list[tuple] = [("name", k, m, term_id(month_term(m)), None, None) for k, m in sorted(c["names"].items())]
    rows += [("same", k, m, None, None, None) for k, m in sorted(c["same"].items())]
    for kind in ("before", "after", "prep", "date_before", "ordinals", "after_year", "free"):
        rows += [(kind, k, None, None, None, None) for k in sorted(c[kind])]
    rows += [(kind, None, None, None, *c[kind]) for kind in ("day", "year")]
    rows += [("madda", name, m, term_id(month_term(m)), None, None)  # as typed: search_articles.sql mq
             for name in sorted(month_date_sets()["madda"]) for m in [month_numbers()[tuple(search_key(name).split())]]]
    rows += [("two", " ".join((c + name[0], *name[1:])), m, term_id(month_term(m)), None, None)  # akhbar_month_pair
             for name, m in sorted(month_numbers().items()) if len(name) == 2
             for c in ("", *"وفبل") if month_name((c + name[0], *name[1:])) == name]
    return dict(zip(("kind", "key", "month", "tid", "lo", "hi"), (list(col) for col in zip(*rows, strict=True)),
                    strict=True))


_UNIT = "\x1f"  # joins a column's values into the one string bound for it (no key holds it; chr(31) in SQL)


def _seed_values(columns: dict[str, list]) -> dict[str, str]:
    """The month context's columns, each joined into one string (NULL as the empty string), as
    month_context_seed.sql splits them: bound as lists, DuckDB's binding looked for pandas once per value."""
    return {name: _UNIT.join("" if v is None else str(v) for v in values) for name, values in columns.items()}


def _sql_file(name: str) -> str:
    return resources.files("warehouse").joinpath("sql", "search", name).read_text("utf-8")


def install_dated_month(con: duckdb.DuckDBPyConnection, temp: bool = False) -> None:
    """``akhbar_dated_month``, ``akhbar_month_pair`` and the table they read (search_month_context, seeded from the data
    files), stored in the database, or (``temp``) as temporary objects of this session, which
    shadow the stored ones (read-only is fine)."""
    sql = _sql_file("months.sql")
    if temp:
        sql = sql.replace("CREATE OR REPLACE TABLE", "CREATE OR REPLACE TEMP TABLE").replace(
            "CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO")
    con.execute(sql)
    con.execute(_sql_file("month_context_seed.sql"), _seed_values(month_context_rows()))


def name_term_rows() -> dict[str, list]:
    """The rows of search_name_terms (warehouse/sql/search/name_terms.sql), column by column: for a
    query word that names a wire agency (one key: reuters, رويترز) or a name in Latin letters (trump),
    the terms of its alternatives as ``akhbar search`` looks for them (_alternatives, _terms_param; an
    alternative of several words by its longest word, which the macro, reading no phrase, counts
    anywhere). A name of several Latin words (west bank) the macro reads word by word."""
    keys = {f[0] for forms in agency_forms() for f in forms if len(f) == 1}
    keys |= {"ال" + k for k in keys if _ARABIC_WORD.match(k)}  # الأناضول: the agency's name with the article
    keys |= {name[0] for name in latin_names() if len(name) == 1}
    rows: list[tuple] = []
    for key in sorted(keys):
        more = _alternatives([[key]])[1:]
        if more:
            rows += [(key, t["tid"], t["alt"], t["var"]) for t in _terms_param([[" ".join(a) for a in more]])]
    return dict(zip(("key", "tid", "alt", "var"), (list(col) for col in zip(*rows, strict=True)), strict=True))


def install_name_terms(con: duckdb.DuckDBPyConnection, temp: bool = False) -> None:
    """search_name_terms (seeded from the data files), stored, or (``temp``) as a temporary table of
    this session, which shadows the stored one (read-only is fine)."""
    sql = _sql_file("name_terms.sql")
    con.execute(sql.replace("CREATE OR REPLACE TABLE", "CREATE OR REPLACE TEMP TABLE") if temp else sql)
    con.execute(_sql_file("name_terms_seed.sql"), _seed_values(name_term_rows()))


def search_macro_sql() -> str:
    return _sql_file("search_articles.sql")


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create ``akhbar_norm``, ``akhbar_dated_month`` (and its table) and ``search_articles`` on
    this connection's database."""
    con.execute(norm_sql())
    install_dated_month(con)
    install_name_terms(con)
    con.execute(search_macro_sql())


# ------------------------------------------------------------------------------------- queries

@dataclass(frozen=True)
class Query:
    """A parsed query. ``groups``: what a document must match, one entry per query word: a word
    (matching key), words joined by OR, or a prefix (a key ending in ``*``), any of whose forms
    counts; an alternative of several words is written with spaces (its keys joined). ``phrases``:
    sequences of keys that must appear as consecutive words. ``either``: OR groups that hold a
    phrase, as lists of alternatives (lists of keys): a hit holds one of them. ``exclude``: words or
    phrases (lists of keys) a hit must not hold. ``words``: every key searched for."""
    text: str
    words: list[str]
    phrases: list[list[str]]
    groups: list[list[str]] = field(default_factory=list)
    exclude: list[list[str]] = field(default_factory=list)
    either: list[list[list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


# OR between two words or phrases (and its Arabic أو): either counts.
_OR = frozenset({"OR", "|", "||"})
_MINUS = "-\u2212\u2013\u2014"  # a leading minus excludes the word (hyphen, minus sign, dashes)
_LIST_SEP = regex.compile(r"[;\u061b]+|(?<!\d)[,\u060c]+|[,\u060c]+(?!\d)")  # a comma inside a chunk separates words (غزة،رفح)
_LATIN_OR_DIGIT = regex.compile(r"[a-z0-9]")
_ONE_WORD = regex.compile(r"[^\p{L}\p{N}]*[\p{L}\p{M}\u0640]+[^\p{L}\p{N}]*")  # letters only, no inner break
_PLACEHOLDER = regex.compile(r"^\x00(\d+)\x00$")
MIN_PREFIX = 2  # letters before a trailing * (one letter would list most of the vocabulary)


class _TypedMonth(str):
    """A query word's matching key whose word was typed as a person's month name with its madda (بآب:
    the key باب): ``month`` is (the name's key, the month's term). The mark travels with the word, so
    the same key typed without the madda ("بآب باب") stays a word."""

    month: tuple[str, str]

    def __new__(cls, key: str, month: tuple[str, str]) -> _TypedMonth:
        self = super().__new__(cls, key)
        self.month = month
        return self


# "son of" in a name's nasab is printed بن or ابن by house style and by place in the name (محمد بن سلمان,
# محمد ابن سلمان; ابن لادن, بن لادن; ابن خلدون, بن خلدون): one word before a name.
_NASAB = {"بن": "ابن", "ابن": "بن"}


def _nasab_spellings(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """بن / ابن before another Arabic word of the query (a name: "ابن سلمان", "محمد بن سلمان", quoted too) also
    looks for its other spelling before that word, as an alternative (OR) phrase: the other spelling
    is the nasab only beside the name, not anywhere ("ابن الشهيد" "the martyr's son" does not find
    "البن" coffee and a martyr apart, nor any "بن <name>" of a text naming a martyr); alone, or last,
    each is only itself (ابن "son", البن "coffee")."""
    out: list[tuple[str, object]] = []
    for i, (kind, val) in enumerate(items):
        out.append((kind, val))
        after = items[i + 1] if i + 1 < len(items) else ("", "")
        name = after[1] if after[0] == "phrase" else [after[1]]
        if kind == "word" and val in _NASAB and after[0] in ("word", "phrase") and _ARABIC_WORD.match(name[0]):
            out += [("or", None), ("phrase", [_NASAB[val], *name])]
        elif kind == "phrase" and any(k in _NASAB for k in val[:-1]):
            out += [("or", None), ("phrase", [_NASAB[k] if k in _NASAB and j < len(val) - 1 else k
                                              for j, k in enumerate(val)])]
    return out


def _content(keys: list[str]) -> list[str]:
    return [k for k in keys if query_terms(k)]


def _alternatives(group: list[list[str]]) -> list[list[str]]:
    """A query word's alternatives (lists of keys) with what each also looks for: a wire agency's
    other names and its copies, a Latin name's Arabic spellings, a month's term (parse_query; the
    macro's table search_name_terms: name_term_rows)."""
    group = list(group)
    for more in (agency_alternatives, name_alternatives, month_alternatives):
        for alt in list(group):
            group += [list(f) for f in dict.fromkeys(more(tuple(alt))) if list(f) not in group]
    return group


def parse_query(text: str) -> Query:
    """Read a query as an analyst types it: words (each in any of its forms), "quoted phrases",
    a word written with inner punctuation or digits (F-16, COVID-19, 3.5, أ.ف.ب, a URL) as the
    phrase of its parts, a run of single letters (أ ف ب) as a phrase, ``A OR B`` / ``A أو B``
    (either word), ``-word`` / ``-"phrase"`` (hits holding it are dropped), ``prefix*`` (every
    indexed word beginning so). Raises SearchQueryError where an operator cannot mean what it
    seems to (OR next to a phrase, a one-letter prefix, nothing but exclusions)."""
    quoted: list[str] = []

    def hold(m: regex.Match) -> str:
        quoted.append(next(g for g in m.groups() if g is not None))
        return f" \x00{len(quoted) - 1}\x00 "
    held = _PHRASE.sub(hold, text)
    # items: ("word", key) ("prefix", key) ("phrase", keys) ("or", None) ("minus", keys); one per chunk part
    items: list[tuple[str, object]] = []
    chunks = held.split()
    for i in range(len(chunks) - 1):  # -"phrase": the minus and its phrase
        if chunks[i] in _MINUS and _PLACEHOLDER.match(chunks[i + 1]):
            chunks[i], chunks[i + 1] = "", chunks[i] + chunks[i + 1]
    for chunk in filter(None, chunks):
        if chunk in _OR or search_key(chunk) == "او":  # أو / او, harakat or punctuation aside
            items.append(("or", None))
            continue
        minus = False
        if chunk[0] in _MINUS and len(chunk) > 1 and not chunk[1].isdigit():  # كوفيد -19 is the number
            minus, chunk = True, chunk[1:]
        if m := _PLACEHOLDER.match(chunk):
            keys = search_key(quoted[int(m.group(1))]).split()
            items.append(("minus" if minus else "phrase", keys))
            continue
        if minus:
            keys = search_key(chunk).split()
            if keys:
                items.append(("minus", keys))
            continue
        for part in _LIST_SEP.split(chunk):
            star = part.rstrip("\"'»”)].،,؟?!").endswith("*")
            keys = search_key(part).split()
            if not keys:
                continue
            if star:
                if len(keys[-1]) < MIN_PREFIX:
                    raise SearchQueryError(f"{part!r}: a prefix needs at least {MIN_PREFIX} letters before the *")
                items += [("word", k) for k in keys[:-1]] + [("prefix", keys[-1])]
            elif len(_content(keys)) >= 2 and (any(_LATIN_OR_DIGIT.search(k) or len(k) == 1 for k in keys)
                                               or _ONE_WORD.fullmatch(part)):
                # F-16, COVID-19, 3.5, أ.ف.ب, a URL (مصر-السودان: two words); a name typed joined that
                # the key reads as its words (عبدالفتاح, أبوظبي, بورسعيد, نيويورك): those words, adjacent
                items.append(("phrase", keys))
                if len(keys) == 2 and [k.isdigit() for k in keys].count(True) == 1:
                    # a name and its number, hyphenated, come out of a right-to-left paragraph in
                    # either order ("19 -COVID-", "19-كوفيد"): the bidi algorithm moved the number
                    items += [("or", None), ("phrase", keys[::-1])]
            else:
                items += [("word", _TypedMonth(k, month) if month else k)
                          for k, month in zip(keys, madda_marks(part), strict=True)]
    # a run of single letters (أ ف ب, U S) is a phrase of initials, not letters anywhere
    merged: list[tuple[str, object]] = []
    for kind, val in items:
        if (kind == "word" and len(val) == 1 and merged and merged[-1][0] in ("word", "initials")
                and len(merged[-1][1] if merged[-1][0] == "word" else merged[-1][1][-1]) == 1):
            prev = merged.pop()
            merged.append(("initials", ([prev[1]] if prev[0] == "word" else prev[1]) + [val]))
        else:
            merged.append((kind, val))
    items = [("phrase", v) if k == "initials" else (k, v) for k, v in merged]
    # words that together name a wire agency (فرانس برس, وكالة الأناضول), a name in Latin letters
    # (west bank, bashar al-assad) or a name also printed joined (بور سعيد, نيو يورك) are that name, a phrase
    names = ({f for forms in agency_forms() for f in forms if len(f) > 1} | {f for f in latin_names() if len(f) > 1}
             | {tuple(c.split()) for c in search_variants().values() if " " in c} | {f for f in month_names() if len(f) > 1})
    i = 0
    while i < len(items):
        for n in (4, 3, 2):
            run = items[i:i + n]
            keys = tuple(k for kind, v in run for k in ([v] if kind == "word" else v if kind == "phrase" else []))
            month = month_name(keys) if len(keys) > 1 else None  # "وكانون الثاني": the month's name
            if len(run) == n and all(k in ("word", "phrase") for k, _ in run) and (keys in names or month):
                items[i:i + n] = [("phrase", list(month or keys))]
                break
        i += 1
    # a month name that is also a person's (آب / أب "father", ماي / the surname May) is the month only
    # where the query dates it ("15 آب", "ماي 2019", "آب الماضي"): then it also looks for the month's
    # term, as the word's other alternative (alone, أب finds the word, not every article dated in August)
    # آب with its madda is the month even undated (أب "father" never takes it): "آب", "بآب" (not باب,
    # nor a باب typed beside it: marked per word as typed, _TypedMonth), but not WhatsApp's (واتس آب)
    named = {i: v.month for i, (k, v) in enumerate(items) if k == "word" and isinstance(v, _TypedMonth)
             and not (i and items[i - 1][0] == "word" and compound_tail(items[i - 1][1], v))}
    for i, (name, _term) in named.items():
        items[i] = ("word", name)
    seq = [v if k == "word" else "" for k, v in items]
    dated = dated_months(seq) | {i: term for i, (_name, term) in named.items()}
    for i in sorted(dated, reverse=True):
        items[i + 1:i + 1] = [("or", None), ("word", dated[i])]
    items = _nasab_spellings(items)
    alts: list[list[list[str]]] = []  # per query word, its alternatives (each a list of keys)
    exclude: list[list[str]] = []
    joined = False  # the last item was OR
    for kind, val in items:
        if kind == "or":
            joined = bool(alts)
            continue
        if kind == "minus":
            if _content(val) or len(val) > 1:
                exclude.append(val)
            joined = False
            continue
        alt = [val + "*"] if kind == "prefix" else [val] if kind == "word" else val
        if kind == "word" and not query_terms(val) or kind == "phrase" and not _content(val):
            pass  # a stopword: nothing to find ("X OR <stopword>" is X)
        elif joined:
            if alt not in alts[-1]:
                alts[-1].append(alt)
        else:
            alts.append([alt])
        joined = False
    groups: list[list[str]] = []
    phrases: list[list[str]] = []
    either: list[list[list[str]]] = []
    for group in alts:
        # a wire agency's name: every name of it (Reuters/رويترز, AFP/أ ف ب/فرانس برس) and its copies;
        # a name typed in Latin letters: its Arabic spellings (Erdogan/أردوغان); a month of two words
        # (كانون الثاني): its term, its other names where a text dates with them (15 يناير, جانفي المقبل)
        group = _alternatives(group)
        if len(group) == 1 and len(group[0]) > 1:  # a phrase: each of its words, and the phrase
            phrases.append(group[0])
            for k in _content(group[0]):  # its first word with or without a copied proclitic (لحزب الله)
                g = [k, *phrase_head_keys(k)] if k == group[0][0] else [k]
                if g not in groups:
                    groups.append(g)
        elif all(len(a) == 1 for a in group):
            groups.append([a[0] for a in group])
        else:  # OR with a phrase among the alternatives: checked on the text
            either.append(group)
            groups.append([" ".join(a) for a in group])
    if exclude and not groups:
        raise SearchQueryError("a query needs a word to find, not only words to exclude (-word)")
    words = [k for g in groups for item in g for k in item.split() if query_terms(k) or k.endswith("*")]
    return Query(text=text, words=list(dict.fromkeys(words)), phrases=phrases, groups=groups, exclude=exclude,
                 either=either)


def _terms_param(groups: list[list[str]], prefixes: dict[str, list[str]] | None = None,
                 reps: dict[str, str] | None = None) -> list[dict]:
    """The analysed query for search_rank: one ``w`` per group (a word, or words joined by OR, or a
    prefix's indexed words), each with its terms; an alternative of several words is looked for by
    its representative word (``reps``, its rarest) and checked on the text after."""
    out: list[dict] = []
    for i, group in enumerate(groups, 1):
        group = [(reps or {}).get(k) or max(_content(k.split()), key=len) if " " in k else k for k in group]
        # a prefix no indexed word begins with looks for itself (so it still counts as a word to match)
        words = [w for k in group for w in (((prefixes or {}).get(k) or [k[:-1]]) if k.endswith("*") else [k])]
        seen: set[tuple[str, bool, int]] = set()
        for k in words:
            rows = [(t, False, 0) for t in query_terms(k)] + [(t, True, 0) for t in query_alt_terms(k)]
            rows += [(t, False, var) for var, terms in enumerate(query_var_terms(k), 1) for t in terms]
            for row in rows:
                if row not in seen:
                    seen.add(row)
                    out.append({"w": i, "tid": term_id(row[0]), "alt": row[1], "var": row[2]})
    return out


PREFIX_FORMS = 5000  # indexed word forms a prefix* query looks for at most


def _prefix_words(con: duckdb.DuckDBPyConnection, groups: list[list[str]]) -> dict[str, list[str]]:
    """Every indexed word form (search_vocab key) that begins with a query prefix, with or without
    the article and its clitics (اقتص* finds الاقتصادية, وللاقتصاد), up to PREFIX_FORMS each."""
    out: dict[str, list[str]] = {}
    for k in (k for g in groups for k in g if k.endswith("*")):
        stem = k[:-1]
        starts = [stem] + ([pre + stem for pre in ARTICLE_PREFIXES] if _ARABIC_WORD.match(stem) else [])
        where = " OR ".join("starts_with(key, ?)" for _ in starts)
        rows = con.execute(f"SELECT key FROM search_vocab WHERE {where} ORDER BY key LIMIT ?",
                           [*starts, PREFIX_FORMS]).fetchall()
        out[k] = [r[0] for r in rows if query_terms(r[0])]
    return out


def _rarest(con: duckdb.DuckDBPyConnection, groups: list[list[str]]) -> dict[str, str]:
    """For each alternative of several words, its word in the fewest documents (what the index is
    asked for; the text check then wants the whole alternative)."""
    out: dict[str, str] = {}
    for item in (k for g in groups for k in g if " " in k):
        out[item] = min(_content(item.split()), key=lambda k: (_df(con, k), -len(k)))
    return out


def _df(con: duckdb.DuckDBPyConnection, key: str) -> int:
    """Postings of a query word's terms (an upper bound on its documents), read by term."""
    tids = [term_id(t) for t in query_terms(key)]
    marks = ", ".join("?" for _ in tids)  # constants: the scan skips row groups by term
    return con.execute(f"SELECT count(*) FROM search_postings WHERE tid IN ({marks})", tids).fetchone()[0]


def _phrase_heads(con: duckdb.DuckDBPyConnection, q: Query) -> list[list[str]]:
    """The query's groups, a phrase's first word looking for its clitic-free form (``phrase_head_keys``)
    only where that form is in at least twice as many documents as the word as typed (every text
    word is indexed under its clitic-free reading too, so the two counts differ by the documents
    holding the bare form): لحزب beside حزب is a clitic copied from a sentence; وزارة beside زار
    (visited) is a word whose other reading would only crowd the candidates and meet زار in them."""
    heads = {p[0]: phrase_head_keys(p[0]) for p in q.phrases}
    out: list[list[str]] = []
    for g in q.groups:
        if len(g) > 1 and tuple(g[1:]) == heads.get(g[0]):
            own = _df(con, g[0])
            g = [g[0], *(k for k in g[1:] if 2 * own < _df(con, k))]
        out.append(g)
    return out


_MONTH_TERMS = frozenset(month_term(m) for m in range(1, 13))


def _alt_ok(keys: list[str], alt: list[str], agency: str | None = None) -> bool:
    if agency and alt == [agency_term(agency)]:
        return True  # a copy the pipeline attributed to the agency the query names
    if len(alt) > 1:
        return _phrase_in(keys, alt)
    if alt[0].endswith("*"):
        return True  # the index found its forms
    if alt[0] in _MONTH_TERMS:  # كانون الثاني OR ...: the month by another name, where the text dates with it
        return any(term == alt[0] for _s, _e, term in month_spans(keys))
    want = set(query_terms(alt[0])) | set(query_alt_terms(alt[0])) | {t for v in query_var_terms(alt[0]) for t in v}
    return any(want.intersection(index_terms(k)) for k in keys)


def _text_ok(text: str, q: Query, agency: str | None = None) -> bool:
    """Does a candidate's text hold every phrase of the query, one alternative of each OR group
    that has a phrase (a wire agency's copy, ``agency``, meets the group naming that agency),
    and nothing the query excludes?"""
    keys = search_key(text).split()
    heads = {g[0]: tuple(k for k in g[1:] if k in phrase_head_keys(g[0])) for g in q.groups if len(g) > 1}
    return (all(_phrase_in(keys, p, heads.get(p[0], ())) for p in q.phrases) and all(any(_alt_ok(keys, a, agency) for a in g) for g in q.either)
            and not any(_phrase_in(keys, x) for x in q.exclude))


def _phrase_in(keys: list[str], phrase: list[str], head: tuple[str, ...] = ()) -> bool:
    """Do the text's keys hold the phrase as consecutive words, each in any of its forms (the first
    also as any of ``head``: its clitic-free forms, ``phrase_head_keys``)?"""
    dated = dated_months(phrase)  # "15 آب", "ماي 2019": a month the phrase dates (not أب, تيريزا ماي)
    want = [(k, frozenset(query_terms(k)).union(*(query_terms(h) for h in head) if j == 0 else (),
                                                 (dated[j],) if j in dated else ()))
            for j, k in enumerate(phrase)]
    n = len(want)
    # a month's other name where the text dates with it ("15 آذار" finds "15 مارس", not "مارس ضغوطا")
    months = ({i: t for s, e, t in month_spans(keys) for i in range(s, e)}
              if any(t in _MONTH_TERMS for _k, terms in want for t in terms) else {})
    for i in range(len(keys) - n + 1):
        for j, (k, terms) in enumerate(want):
            key = keys[i + j]
            if terms:
                if not terms.intersection(index_terms(key)) and months.get(i + j) not in terms:
                    break
            elif key != k:  # a stopword inside a phrase must be that very word
                break
        else:
            return True
    return False


def search_con(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10, *, sort: str = "relevance",
               outlets: list[str] | None = None, countries: list[str] | None = None,
               agencies: list[str] | None = None, since: datetime | None = None,
               until: datetime | None = None, all_copies: bool = False, snippets: bool = True) -> list[dict]:
    """Ranked hits on an open connection (read-only is fine). Each hit: article_id, title,
    source_id, outlet, published_at, url, cluster_id, copies, score, snippet, highlights."""
    if sort not in ("relevance", "recent"):
        raise SearchQueryError(f"unknown sort {sort!r}: use 'relevance' or 'recent'")
    if limit < 1:
        raise SearchQueryError("the number of hits must be at least 1")
    q = parse_query(query)
    if q.empty:
        return []
    if not index_exists(con):
        raise SearchIndexMissing("no search index in this warehouse yet: it is built after each load "
                                 "(or run `akhbar search --reindex`)")
    q = replace(q, groups=_phrase_heads(con, q))
    groups = q.groups
    prefixes = _prefix_words(con, groups)
    phrase = bool(q.phrases or q.exclude or q.either)  # hits are checked against their text
    # Only the options in use are passed: the macro's defaults are constants its plan folds away
    # (an unused filter then reads no column), where a bound NULL would be checked row by row.
    params = {"terms": _terms_param(groups, prefixes, _rarest(con, groups)), "n": PHRASE_CHECK_LIMIT if phrase else limit,
              "sort": sort if sort != "relevance" else None, "outlets": outlets or None,
              "countries": [c.upper() for c in countries] if countries else None,
              "agencies": [a.lower() for a in agencies] if agencies else None,
              "since": since, "until": until, "all_copies": True if all_copies or phrase else None}
    used = {k: v for k, v in params.items() if v is not None and k != "terms"}
    cur = _run_macro(con, "SELECT * FROM search_rank($terms" + "".join(f", {k} := ${k}" for k in used) + ")",
                     {"terms": params["terms"], **used})
    cols = [d[0] for d in cur.description]
    hits = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    agencies_of = _describe(con, hits)
    texts = _texts(con, [h["article_id"] for h in hits[: limit if not phrase else len(hits)]]) \
        if snippets or phrase else {}
    if phrase:
        hits = [h for h in hits if _text_ok((h["title"] or "") + "\n" + texts.get(h["article_id"], ""), q,
                                            agencies_of.get(h["article_id"]))]
        if not all_copies:
            seen: dict[str, dict] = {}
            for h in hits:
                if h["cluster_id"] in seen:
                    seen[h["cluster_id"]]["copies"] += 1
                else:
                    h["copies"] = 1
                    seen[h["cluster_id"]] = h
            hits = list(seen.values())
        hits = hits[:limit]
    if not snippets:
        return hits
    words = [w for k in q.words for w in (prefixes.get(k, []) if k.endswith("*") else [k])]
    qterms = frozenset(t for k in words for t in query_terms(k) + query_alt_terms(k))
    for h in hits:
        text = texts.get(h["article_id"], "")
        h["snippet"], h["highlights"] = snippet_marked(text or h["title"] or "", qterms)
        h["title_highlights"] = marks(h["title"] or "", qterms)
        h["matched_words"] = matched_words((h["title"] or "") + "\n" + text, qterms)
    return hits


_HIT_COLUMNS = ("article_id", "title", "source_id", "outlet", "published_at", "url", "cluster_id", "copies",
                "score", "in_title", "matched")


def _describe(con: duckdb.DuckDBPyConnection, hits: list[dict]) -> dict[str, str | None]:
    """Give search_rank's rows the columns of search_articles, read for these documents only (a
    filter DuckDB pushes into the scan of search_docs, see _texts); returns each hit's wire agency."""
    rows: dict[int, tuple] = {}
    agencies: dict[str, str | None] = {}
    docs = [h["doc"] for h in hits]
    for i in range(0, len(docs), LOOKUP_IDS):
        for r in con.execute("SELECT d.doc, d.article_id, d.title, d.source_id, s.name, d.url, d.cluster_id, "
                             "d.wire_agency "
                             "FROM search_docs AS d LEFT JOIN sources AS s ON s.source_id = d.source_id "
                             "WHERE list_contains(?, d.doc)", [docs[i:i + LOOKUP_IDS]]).fetchall():
            rows[r[0]] = r[1:7]
            agencies[r[1]] = r[7]
    for h in hits:
        aid, title, source_id, outlet, url, cluster_id = rows[h["doc"]]
        h.update(article_id=aid, title=title, source_id=source_id, outlet=outlet, url=url, cluster_id=cluster_id)
        for k in ("doc", "cl", "ah"):
            h.pop(k, None)
        ordered = {k: h[k] for k in _HIT_COLUMNS}
        h.clear()
        h.update(ordered)
    return agencies


def _run_macro(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> duckdb.DuckDBPyConnection:
    """Run a search_rank call; a warehouse opened read-only that lacks the macros (built
    before them) gets them as temporary macros of this session."""
    try:
        return con.execute(sql, params)
    except duckdb.CatalogException:
        install_session_macros(con)
        return con.execute(sql, params)


def install_session_macros(con: duckdb.DuckDBPyConnection) -> bool:
    """This version's search macros as temporary ones of this session (read-only is fine), which
    shadow those stored in the file: a warehouse written by an older version keeps that version's
    ``search_articles`` until a load re-installs them (``sync_search_index``), so an analyst's
    ``akhbar sql`` after an upgrade would read "آب 2024" as the old macro did. False (nothing
    installed) when the warehouse has no search index to search."""
    temp = "CREATE OR REPLACE TEMP MACRO"
    try:
        con.execute(norm_sql().replace("CREATE OR REPLACE MACRO", temp))
        install_dated_month(con, temp=True)
        install_name_terms(con, temp=True)
        con.execute(search_macro_sql().replace("CREATE OR REPLACE MACRO", temp))
    except duckdb.Error:  # no search index (the macros bind its tables), a lake without one
        return False
    return True


# Up to this many ids, rows are looked up with ``list_contains(?, article_id)``: DuckDB pushes that
# filter into the scan, which then reads the (large) text column only for the matching rows. An
# ``IN (...)`` list or subquery is not pushed down and reads every article's text once the table has
# no key to look up (migration 0007): ~0.7 s per 100k articles per query.
LOOKUP_IDS = 256


def _texts(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), LOOKUP_IDS):
        rows = con.execute("SELECT article_id, text FROM articles WHERE list_contains(?, article_id)",
                           [ids[i:i + LOOKUP_IDS]]).fetchall()
        out.update((a, t or "") for a, t in rows)
    return out


def search(db_path: Path | str, query: str, limit: int = 10, **filters) -> list[dict]:
    """Search titles and texts of the warehouse at ``db_path`` (opened read-only); see search_con.
    A DuckLake is searched through its local index file (warehouse/lake_search.py)."""
    db_path = _searchable(db_path)
    with reader(Path(db_path)) as con:
        return search_con(con, query, limit, **filters)


def _searchable(db_path: Path | str) -> Path | str:
    """The file search reads: the warehouse itself, or a DuckLake's local index file."""
    from warehouse.lake import is_lake

    if not is_lake(db_path):
        return db_path
    from warehouse.lake_search import search_file

    path = search_file(db_path)
    if not path.exists():
        raise SearchIndexMissing(f"no search index for the lake yet: run `akhbar search --reindex --db '{db_path}'` "
                                 "(built after every sharded ingest and by the daily lake maintenance)")
    return path


# ------------------------------------------------------------------------------ snippets, marks

def marks(text: str, qterms: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the whitespace-separated chunks of ``text`` holding a word that matches one of
    the query terms (punctuation around the word included)."""
    out = []
    for m in _CHUNK.finditer(text):
        if any(qterms.intersection(index_terms(k)) for k in _chunk_keys(m.group())):
            out.append((m.start(), m.end()))
    return out


@lru_cache(maxsize=200_000)
def _chunk_keys(chunk: str) -> tuple[str, ...]:
    return tuple(search_key(chunk).split())


def matched_words(text: str, qterms: frozenset[str]) -> list[str]:
    """The distinct surface forms in ``text`` that matched, in order of appearance."""
    seen: dict[str, None] = {}
    for a, b in marks(text, qterms):
        seen.setdefault(text[a:b], None)
    return list(seen)


def snippet_marked(text: str, qterms: frozenset[str], width: int = 220) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph with most matched words, cut to about ``width`` characters around the first
    match, and the spans of the matched words inside the snippet."""
    if not text:
        return "", []
    best, best_marks = None, []
    for para in text.split("\n"):
        found = marks(para, qterms)
        if len(found) > len(best_marks):
            best, best_marks = para, found
    if best is None:
        best = text.split("\n", 1)[0]
    lead = len(best) - len(best.lstrip())
    best = best.strip()
    best_marks = [(a - lead, b - lead) for a, b in best_marks]
    if len(best) <= width:
        return best, best_marks
    first = best_marks[0][0] if best_marks else 0
    start = max(0, min(first - width // 4, len(best) - width))
    if start > 0:  # do not cut words
        space = best.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = start + width
    if end < len(best):
        space = best.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start > 0 else ""
    body = best[start:end]
    stripped = len(body) - len(body.lstrip())
    body = body.strip()
    shift = len(prefix) - start - stripped
    inside = [(a + shift, b + shift) for a, b in best_marks if a >= start + stripped and b <= start + stripped + len(body)]
    return prefix + body + (" …" if end < len(best) else ""), inside


def snippet(text: str, terms: list[str], width: int = 220) -> str:
    """Snippet around the words matching any of ``terms`` (matching keys of query words)."""
    qterms = frozenset(t for k in terms for t in query_terms(k))
    return snippet_marked(text, qterms, width)[0]


STEMMER = ANALYZER_VERSION  # kept for callers that logged the analysis in use

__all__ = [
    "STEMMER", "Query", "SearchIndexMissing", "SearchQueryError", "build_search_file", "enqueue", "install_dated_month", "install_macros", "install_name_terms", "install_session_macros", "marks",
    "parse_query", "rebuild_search_index", "refresh_search", "search", "search_con", "search_key", "snippet",
    "snippet_marked", "stopwords", "sync_search_index",
]
